"""Sidecar metadata: NAME.meta.json beside a file gives fields that override extraction."""

from __future__ import annotations

import json
import os
from pathlib import Path

from indexer.build import build_index
from indexer.metadata.dates import DateSource
from search.engine import search, show, stats
from search.request import SearchRequest
from tests.helpers import FileFactory

TEXT = "Annual note\n\n3 March 2019\n\nThe WHO reviewed access to vaccines in prisons.\n"
GIVEN = {"title": "Vaccines in prisons", "date": "2020-05-01", "organisation": "UN Human Rights Office",
         "people": ["Navi Pillay"], "url": "https://example.org/note", "series": "Briefings"}


def test_sidecar_fields_override_what_is_extracted(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("report.txt", TEXT)
    make_file("report.txt.meta.json", json.dumps(GIVEN))
    make_file("note.md", "# Plain note\n\nNothing declared, 12 June 2014.\n")
    make_file("brief.md", TEXT)
    make_file("brief.meta.json", json.dumps({"title": "Named by stem"}))
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == 3 and report.warnings == () and stats(tmp_path / "index").documents == 3
    meta = show(tmp_path / "index", "report.txt").document.metadata
    assert meta.title == "Vaccines in prisons"
    assert (meta.date, meta.date_source) == ("2020-05-01", DateSource.METADATA)
    assert meta.organisations[:2] == ("OHCHR", "WHO") and meta.people == ("Navi Pillay",)
    assert dict(meta.extra) == {"url": "https://example.org/note", "series": "Briefings"}
    assert show(tmp_path / "index", "brief.md").document.metadata.title == "Named by stem"
    assert show(tmp_path / "index", "note.md").document.metadata.title == "Plain note"
    hits = search(tmp_path / "index", SearchRequest("vaccines"))
    assert {h.doc_id for h in hits.results} == {"report.txt", "brief.md"}


def test_a_changed_sidecar_updates_its_file_and_nothing_else(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("report.txt", TEXT)
    sidecar = make_file("report.txt.meta.json", json.dumps(GIVEN))
    make_file("other.txt", "Other note\n\n1 May 2021\n\nNothing to see.\n")
    build_index(tmp_path / "docs", tmp_path / "index")
    again = build_index(tmp_path / "docs", tmp_path / "index")
    assert (again.updated, again.unchanged) == (0, 2)
    sidecar.write_text(json.dumps({**GIVEN, "title": "A better title"}))
    os.utime(sidecar, ns=(sidecar.stat().st_atime_ns, sidecar.stat().st_mtime_ns + 10**9))
    changed = build_index(tmp_path / "docs", tmp_path / "index")
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert show(tmp_path / "index", "report.txt").document.metadata.title == "A better title"
    sidecar.unlink()
    dropped = build_index(tmp_path / "docs", tmp_path / "index")
    assert (dropped.updated, dropped.removed) == (1, 0)
    assert show(tmp_path / "index", "report.txt").document.metadata.title == "Annual note"


def test_a_broken_sidecar_is_a_warning(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("report.txt", TEXT)
    make_file("report.txt.meta.json", "{not json")
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == 1 and report.skipped == ()
    [warning] = report.warnings
    assert warning.path.endswith("report.txt") and "not valid JSON" in warning.reason
    assert show(tmp_path / "index", "report.txt").document.metadata.title == "Annual note"


def test_only_plain_files_beside_a_document_are_its_sidecar(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("report.txt", TEXT)
    outside = make_file("secret.json", json.dumps({"title": "Not from the corpus"}), folder="elsewhere")
    (tmp_path / "docs" / "report.txt.meta.json").symlink_to(outside)
    (tmp_path / "docs" / "note.meta.json").mkdir()
    make_file("note.meta.json/inner.txt", "Inner note\n\nA file inside a folder named like a sidecar.\n")
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == 2 and report.warnings == ()
    assert show(tmp_path / "index", "report.txt").document.metadata.title == "Annual note"
    assert show(tmp_path / "index", "note.meta.json/inner.txt").document.metadata.title == "Inner note"
