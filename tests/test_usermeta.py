"""accord index --metadata FILE: fields per file from JSON Lines or CSV, remembered by the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.metadata.dates import DateSource
from indexer.metadata.usermeta import MetadataFileError, read_metadata_file
from search.engine import show
from tests.helpers import FileFactory, accord

TEXT = "Annual note\n\n3 March 2019\n\nThe WHO reviewed access to vaccines in prisons.\n"


@pytest.fixture
def corpus(make_file: FileFactory, tmp_path: Path) -> Path:
    make_file("a.txt", TEXT)
    make_file("sub/b.md", "# B note\n\nAbout detention, 12 June 2014.\n")
    make_file("c.txt", "C note\n\nNothing given for this one.\n")
    return tmp_path / "docs"


def index(corpus: Path, tmp_path: Path, *extra: str) -> dict:
    return json.loads(accord("index", corpus, "--index", tmp_path / "index", "--json", *extra).stdout)


def test_jsonl_and_csv_rows_by_file(tmp_path: Path) -> None:
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text('{"file": "docs/a.txt", "title": "Given A"}\n\n{"path": "./sub\\\\b.md", "year": 2001}\n')
    csv_file = tmp_path / "m.csv"
    csv_file.write_text("file,title,source\na.txt,Given A,UN Human Rights Office\n")
    given = read_metadata_file(jsonl)
    assert given.fields_for("a.txt") == {"title": "Given A"} == given.fields_for("docs/a.txt")
    assert given.fields_for("sub/b.md") == {"year": 2001} and given.fields_for("c.txt") == {}
    assert read_metadata_file(csv_file).fields_for("a.txt") == {"title": "Given A", "source": "UN Human Rights Office"}


@pytest.mark.parametrize(("content", "problem"), [
    ('{"file": "a.txt"}\n{broken\n', "line 2: not valid JSON"),
    ('{"title": "no file"}\n', "line 1: no `file` or `path` field"),
    ("[1, 2]\n", "line 1: expected an object"),
])
def test_bad_metadata_files_name_the_line(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text(content)
    with pytest.raises(MetadataFileError, match=problem):
        read_metadata_file(path)


def test_given_fields_are_used_remembered_and_followed(corpus: Path, tmp_path: Path) -> None:
    metadata = tmp_path / "meta.jsonl"
    metadata.write_text('{"file": "a.txt", "title": "Given A", "date": "2020-05-01", "source": "UN Human Rights Office"}\n'
                        '{"file": "sub/b.md", "people": ["Navi Pillay"], "project": "Detention"}\n')
    assert index(corpus, tmp_path, "--metadata", str(metadata))["added"] == 3
    a = show(tmp_path / "index", "a.txt").document.metadata
    assert (a.title, a.date, a.date_source, a.organisations[0]) == ("Given A", "2020-05-01", DateSource.METADATA, "OHCHR")
    b = show(tmp_path / "index", "sub/b.md").document.metadata
    assert b.people[0] == "Navi Pillay" and dict(b.extra) == {"project": "Detention"}
    # A later run without the option keeps using the file; an unchanged one changes nothing.
    assert index(corpus, tmp_path)["unchanged"] == 3
    metadata.write_text('{"file": "a.txt", "title": "Better A", "date": "2020-05-01", "source": "UN Human Rights Office"}\n'
                        '{"file": "sub/b.md", "people": ["Navi Pillay"], "project": "Detention"}\n')
    report = index(corpus, tmp_path)
    assert (report["updated"], report["unchanged"]) == (1, 2)
    assert show(tmp_path / "index", "a.txt").document.metadata.title == "Better A"


def test_a_missing_remembered_file_stops_the_run(corpus: Path, tmp_path: Path) -> None:
    metadata = tmp_path / "meta.jsonl"
    metadata.write_text('{"file": "a.txt", "title": "Given A"}\n')
    index(corpus, tmp_path, "--metadata", str(metadata))
    metadata.unlink()
    result = accord("index", corpus, "--index", tmp_path / "index", code=1)
    assert result.stderr == (f"error: The metadata file {metadata}, which this index was built with, is missing. "
                             "Restore it, or give its new place with --metadata FILE.\n")
    assert show(tmp_path / "index", "a.txt").document.metadata.title == "Given A"  # nothing lost
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n")
    result = accord("index", corpus, "--index", tmp_path / "index", "--metadata", bad, code=2)
    assert result.stderr == f"error: {bad}, line 1: not valid JSON.\n"
