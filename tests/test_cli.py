"""Every command through Typer's CliRunner: output, stdout/stderr split, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from indexer.schema import SCHEMA_VERSION
from indexer.store.folder import INFO_FILE
from search import engine
from tests.helpers import ALLIANCE, CORPUS, EU_DIALOGUE, JOINT_DECLARATION, accord


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a copy of the corpus and no index, as the current folder."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_INDEX", raising=False)
    monkeypatch.delenv("ACCORD_CORPUS", raising=False)
    return tmp_path


def test_first_search_builds_the_index_and_says_so_on_stderr(workdir: Path) -> None:
    result = accord("search", "vaccines")
    assert "building it from corpus" in result.stderr
    assert "Ministerial meeting of the Alliance for Multilateralism" in result.stdout
    assert "organisation" in result.stdout and "year" in result.stdout
    assert "building" not in result.stdout
    assert (workdir / "index" / INFO_FILE).exists()


def test_search_json_with_an_alias_filter(workdir: Path) -> None:
    result = accord("search", "human rights", "--org", "UN Human Rights Office", "--json")
    data = json.loads(result.stdout)
    assert sorted(hit["doc_id"] for hit in data["results"]) == [EU_DIALOGUE, JOINT_DECLARATION]
    assert data["total_documents"] == 2
    assert {"value": "OHCHR", "count": 2, "selected": True} in data["facets"]["organisation"]


def test_search_filters_and_sort(workdir: Path) -> None:
    data = json.loads(accord("search", "*", "--year", "2014..2021", "--sort", "newest", "--json").stdout)
    assert [hit["doc_id"] for hit in data["results"]] == [ALLIANCE, JOINT_DECLARATION]
    data = json.loads(accord("search", "*", "--from", "2021-01-01", "--to", "2021-12-31", "--json").stdout)
    assert [hit["doc_id"] for hit in data["results"]] == [ALLIANCE]
    data = json.loads(accord("search", "*", "--person", "navi pillay", "--place", "ukraine", "--json").stdout)
    assert [hit["doc_id"] for hit in data["results"]] == [JOINT_DECLARATION]


def test_search_facet_options(workdir: Path) -> None:
    data = json.loads(accord("search", "rights", "--facet", "person", "--facet", "type", "--json").stdout)
    assert list(data["facets"]) == ["person", "type"]
    assert {"value": "joint declaration", "count": 1} in data["facets"]["type"]


def test_fallback_notice_goes_to_json_and_stderr(workdir: Path) -> None:
    result = accord("search", "vaccines Lenarcic", "--json")
    data = json.loads(result.stdout)
    assert data["match"] == "any" and data["notice"] and data["total_documents"] == 2
    assert "notice:" in result.stderr


def test_zero_hits_is_success(workdir: Path) -> None:
    result = accord("search", "unicorns", "--json")
    assert json.loads(result.stdout)["total_documents"] == 0


def test_csv_output(workdir: Path) -> None:
    result = accord("search", "rights", "--format", "csv", "--limit", "2")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rank,doc_id,path,title") and len(lines) == 3


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["search", "x", "--year", "20xx"], "error: Invalid year '20xx'; use a year "
                                            "such as 2021 or a range such as 2014..2021."),
        (["search", "x", "--facet", "colour"], "Error: Invalid value for '--facet' / '-f': Unknown facet field "
                                               "'colour'; choose from issuer, organisation, year, month, person, place, type, language, symbol."),
        (["search", "x", "--from", "yesterday"], "error: Invalid date 'yesterday' for --from; use YYYY-MM-DD, "
                                                 "e.g. 2021-02-24."),
        (["search", "x", "--format", "xml"], "Error: Invalid value for '--format': 'xml' is not one of 'text', "
                                             "'json', 'csv'."),
        (["search", "x", "--limit", "0"], "Error: Invalid value for '--limit' / '-n': 0 is not in the range "
                                          "1<=x<=1000."),
        (["search", "a*"], "error: The pattern 'a' is too broad; give at least two letters before * or ?."),
        (["search", "x", "--from", "2022-01-01", "--to", "2021-01-01"], "error: --from is after --to; swap them."),
        (["index", "a", "b"], "error: Give one corpus folder; index other folders into other --index folders."),
    ],
)
def test_usage_errors_exit_2(workdir: Path, args: list[str], line: str) -> None:
    result = accord(*args, code=2)
    assert result.stderr.splitlines()[-1] == line
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_index_json_and_incremental_runs(workdir: Path) -> None:
    first = json.loads(accord("index", "--json").stdout)
    assert {k: first[k] for k in ("added", "updated", "removed", "unchanged", "skipped")} == {
        "added": 3, "updated": 0, "removed": 0, "unchanged": 0, "skipped": []}
    assert isinstance(first["seconds"], float)
    (workdir / "corpus" / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = accord("index", "--json")
    second = json.loads(result.stdout)
    assert second["unchanged"] == 3
    assert second["skipped"] == [{"path": str(workdir / "corpus" / "bad.txt"), "reason": "binary data, not text"}]
    assert "warning: skipped" in result.stderr and "bad.txt" in result.stderr


def test_index_remembers_its_corpus(workdir: Path) -> None:
    other = workdir / "elsewhere"
    shutil.copytree(CORPUS, other)
    accord("index", str(other), "--index", "other-index")
    (other / "extra.txt").write_text("A new statement by the Council of Europe on media freedom.")
    data = json.loads(accord("index", "--index", "other-index", "--json").stdout)
    assert data["added"] == 1 and data["unchanged"] == 3


def test_index_summary_goes_to_stderr(workdir: Path) -> None:
    result = accord("index")
    assert result.stdout == ""
    assert "3 added, 0 updated, 0 removed, 0 unchanged, 0 skipped" in result.stderr


def test_emptied_corpus_needs_yes(workdir: Path) -> None:
    accord("index")
    for path in (workdir / "corpus").iterdir():
        path.unlink()
    result = accord("index", code=1)
    assert result.stderr == (f"error: The corpus folder {workdir / 'corpus'} holds none of the 3 indexed files; "
                             "indexing it would empty the index. Check the folder, or pass --yes to empty it.\n")
    data = json.loads(accord("stats", "--json").stdout)
    assert data["documents"] == 3
    assert json.loads(accord("index", "--yes", "--json").stdout)["removed"] == 3


def test_missing_corpus_is_a_runtime_error(workdir: Path) -> None:
    result = accord("index", "no-such-folder", "--index", "fresh", code=1)
    assert result.stderr == (f"error: The corpus folder {workdir / 'no-such-folder'} does not exist. "
                             "Pass the folder to index.\n")


def test_rebuild_keeps_the_readme(workdir: Path) -> None:
    (workdir / "index").mkdir()
    (workdir / "index" / "README").write_text("generated index lives here")
    accord("index")
    data = json.loads(accord("index", "--rebuild", "--json").stdout)
    assert data["added"] == 3
    assert (workdir / "index" / "README").read_text() == "generated index lives here"


def test_show(workdir: Path) -> None:
    accord("index")
    data = json.loads(accord("show", JOINT_DECLARATION, "--json").stdout)
    assert data["doc_id"] == JOINT_DECLARATION and data["path"] == f"corpus/{JOINT_DECLARATION}"
    assert data["date"] == "2014-06-12" and data["date_source"] == "explicit"
    assert data["sections"][0]["section_id"] == f"{JOINT_DECLARATION}#0"
    text = accord("show", ALLIANCE).stdout
    assert "Human Rights Online" in text
    result = accord("show", "nope.txt", code=1)
    assert result.stderr == "error: No document 'nope.txt' in the index. `accord search` shows document ids.\n"


def test_stats(workdir: Path) -> None:
    accord("index")
    data = json.loads(accord("stats", "--json").stdout)
    assert {"documents", "sections", "index_bytes", "schema_version", "corpus", "updated"} <= set(data)
    assert data["documents"] == 3 and data["corpus"] == str(workdir / "corpus")
    assert set(data["facet_values"]) == {"issuer", "organisation", "year", "month", "person", "place", "type", "language", "symbol"}
    assert data["facet_values"]["year"] == 3  # the years that have documents: no gap, no "(none)"
    assert "documents" in accord("stats").stdout


def test_facets(workdir: Path) -> None:
    data = json.loads(accord("facets", "--json").stdout)
    assert list(data) == ["query", "total_documents", "facets"]
    assert data["total_documents"] == 3
    assert list(data["facets"]) == ["issuer", "organisation", "year", "month", "person", "place", "type", "language", "symbol"]
    assert [row["value"] for row in data["facets"]["year"]] == list(range(2014, 2023))  # date order, gaps as 0
    assert sum(row["count"] for row in data["facets"]["month"]) == 3
    data = json.loads(accord("facets", "vaccines", "--facet", "year", "--json").stdout)
    assert data["facets"] == {"year": [{"value": 2021, "count": 1}]}
    assert "2021" in accord("facets").stdout


def test_commands_other_than_search_need_an_index(workdir: Path) -> None:
    result = accord("stats", code=1)
    assert result.stderr == "error: No index in index. Build one with `accord index`.\n"


def test_index_of_another_schema_version(workdir: Path) -> None:
    accord("index")
    info = workdir / "index" / INFO_FILE
    info.write_text(json.dumps({**json.loads(info.read_text()), "schema_version": 0}))
    result = accord("search", "vaccines", code=1)
    assert result.stderr == ("error: The index in index was built with schema version 0, and this accord uses "
                             f"version {SCHEMA_VERSION}. Rebuild it with `accord index --rebuild`.\n")
    assert accord("index").stderr.startswith("Rebuilt the index of corpus: 3 added, 0 updated, 0 removed")
    accord("search", "vaccines")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # Whoosh leaves the bad file open
def test_corrupt_index_is_reported_without_traceback(workdir: Path) -> None:
    accord("index")
    for toc in (workdir / "index").glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    result = accord("search", "vaccines", code=1)
    assert re.fullmatch(r"error: The index in index cannot be read \(.+\)\. "
                        r"Rebuild it with `accord index --rebuild`\.\n", result.stderr)


def test_environment_overrides_defaults(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.move(workdir / "corpus", workdir / "docs")
    monkeypatch.setenv("ACCORD_CORPUS", str(workdir / "docs"))
    monkeypatch.setenv("ACCORD_INDEX", str(workdir / "ix"))
    result = accord("search", "vaccines", "--json")
    assert json.loads(result.stdout)["total_documents"] == 1
    assert (workdir / "ix" / INFO_FILE).exists()


def test_internal_errors_are_one_line_unless_debug(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    accord("index")

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "stats", broken)
    result = accord("stats", code=1)
    assert result.stderr == "error: internal error (RuntimeError: boom); rerun with --debug for details.\n"
    with pytest.raises(RuntimeError, match="boom"):
        accord("stats", "--debug")


def test_version() -> None:
    from importlib.metadata import version

    assert accord("--version").stdout == f"accord {version('accord')}\n"
