"""YAML front matter: declared fields become metadata; bad front matter never loses text."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.build import build_index
from indexer.convert.frontmatter import split_front_matter
from indexer.metadata.dates import DateSource
from search.engine import search, show
from search.request import SearchRequest
from tests.helpers import FileFactory, accord

PRESS_RELEASE = """---
title: "What promise will the PM break next?"
date: "2010-09-20"
creators:
  - "Nash, Fiona"
source: "UNITED NATIONS HIGH COMMISSIONER FOR REFUGEES"
subjects:
  - refugees
trove_url: http://trove.nla.gov.au/version/211343843
---

 Senator Fiona Nash  Senator for New South Wales

 The Senator says she wonders what next is on the list of broken promises on asylum.
"""


def test_fields_and_text_are_separated() -> None:
    front = split_front_matter(PRESS_RELEASE)
    assert front.fields["title"] == "What promise will the PM break next?"
    assert front.fields["creators"] == ["Nash, Fiona"]
    assert front.text.lstrip().startswith("Senator Fiona Nash") and front.problem is None


def test_what_is_not_front_matter_stays_text() -> None:
    for text in ("No fields here\n---\ntitle: x\n---\n", "---\n- a list\n---\nBody", "---\nJust a sentence, then [ a bracket\n---\nBody"):
        front = split_front_matter(text)
        assert front.fields == {} and front.text == text and front.problem is None


def test_front_matter_is_metadata(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("2010-09-20-nash.txt", PRESS_RELEASE)
    build_index(tmp_path / "docs", tmp_path / "index")
    doc = show(tmp_path / "index", "2010-09-20-nash.txt").document
    meta = doc.metadata
    assert meta.title == "What promise will the PM break next?"
    assert (meta.date, meta.year, meta.date_source) == ("2010-09-20", 2010, DateSource.METADATA)
    assert meta.people[0] == "Fiona Nash"
    assert meta.organisations[0] == "UNHCR"
    assert dict(meta.extra)["trove_url"] == "http://trove.nla.gov.au/version/211343843"
    assert "trove_url" not in " ".join(s.text for s in doc.sections)  # the fields are not text
    hits = search(tmp_path / "index", SearchRequest("asylum promises"))
    assert [h.doc_id for h in hits.results] == ["2010-09-20-nash.txt"]


def test_invalid_front_matter_is_a_warning_and_the_text_is_indexed(
        make_file: FileFactory, tmp_path: Path) -> None:
    make_file("broken.md", "---\ntitle: [never closed\ndate: 2020-01-01\n---\n\nThe body about detention.\n")
    result = accord("index", tmp_path / "docs", "--index", tmp_path / "index", "--json")
    report = json.loads(result.stdout)
    assert report["added"] == 1 and report["skipped"] == []
    [warning] = report["warnings"]
    assert warning["path"].endswith("broken.md")
    assert warning["reason"] == ("invalid YAML front matter at line 3; indexed as text; "
                                 "its simple fields read line by line")
    assert "broken.md: invalid YAML front matter at line 3" in result.stderr
    assert search(tmp_path / "index", SearchRequest("detention")).total_documents == 1
    meta = show(tmp_path / "index", "broken.md").document.metadata
    assert meta.date == "2020-01-01" and meta.title != "[never closed"  # the readable field, not the broken one


def test_front_matter_with_unescaped_quotes_still_gives_its_fields(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("quoted.txt", '---\ntitle: "Whitlam and ASEAN - "the threat from the south""\ndate: "1977-12-07"\n'
                            'creators:\n  - "Peacock, Andrew"\nsource: "Minister for Foreign Affairs"\nsubjects:\n---\n\n'
                            "Mr Whitlam spoke about refugees and the region today.\n")
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == 1 and len(report.warnings) == 1
    meta = show(tmp_path / "index", "quoted.txt").document.metadata
    assert meta.title == 'Whitlam and ASEAN - "the threat from the south"'
    assert (meta.date, meta.people[0], meta.organisations[0]) == ("1977-12-07", "Andrew Peacock",
                                                                   "Minister for Foreign Affairs")
