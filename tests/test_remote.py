"""`accord search` through a running `accord serve`: the same output as in-process, in
every format, and in-process at once when the server is gone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import engine
from search.remote import SERVER_FILE
from search.request import Match, SearchRequest, Sort, make_filters
from search.web.params import request_pairs, to_request
from tests.helpers import ALLIANCE, CORPUS, accord, running_server


@pytest.fixture
def own_index(tmp_path: Path) -> Path:
    from indexer.build import build_index

    build_index(CORPUS, tmp_path / "index")
    return tmp_path / "index"


SEARCHES = [
    ("vaccines",),
    ("human rights", "--org", "OHCHR", "--facet", "person", "--facet", "month", "--sort", "newest"),
    ("rights", "--not-year", "2021", "--limit", "1", "--page", "2", "--sections", "--no-feedback"),
    ("vacines",),  # no match: a suggestion, said on stderr with --json
    ("*", "--joint", "--all-copies", "--explain"),
]


def test_the_parameters_sent_to_a_server_read_back_as_the_same_request() -> None:
    requests = [
        SearchRequest("human rights"),
        SearchRequest("droits", filters=make_filters(
            {"organisation": ["WHO", "(none)"], "year": ["2014..2021", "(none)"], "month": ["2021-02"],
             "issuer": ["OHCHR"], "symbol": ["A/HRC/52/3"]},
            {"year": ["2020"], "language": ["fr"]}, "2021-01-01", "2021-06-30", joint=True),
            sort=Sort.NEWEST, match=Match.ANY, limit=5, page=2, facets=("person", "month"), all_sections=True,
            expand=False, feedback=False, explain=True, one_per_text=True, all_copies=True, wider=("place",)),
    ]
    for request in requests:
        assert to_request(request_pairs(request)) == request


def test_search_asks_the_running_server_and_prints_what_it_would_print_itself(
        own_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = {args: (accord("search", *args, "--json", "--index", own_index), accord("search", *args, "--index", own_index),
                    accord("search", *args, "--format", "csv", "--index", own_index)) for args in SEARCHES}
    with running_server(own_index) as (_, address):
        assert json.loads((own_index / SERVER_FILE).read_text())["url"] == address

        def in_process(*args: object) -> None:
            raise AssertionError("searched in-process although a server serves the index")

        with monkeypatch.context() as patch:
            patch.setattr(engine, "search", in_process)
            for args, (as_json, as_text, as_csv) in alone.items():
                served = accord("search", *args, "--json", "--index", own_index)
                assert (served.stdout, served.stderr) == (as_json.stdout, as_json.stderr)
                assert accord("search", *args, "--index", own_index).stdout == as_text.stdout
                assert accord("search", *args, "--format", "csv", "--index", own_index).stdout == as_csv.stdout
        with pytest.raises(AssertionError, match="in-process"), monkeypatch.context() as patch:
            patch.setattr(engine, "search", in_process)
            accord("search", "vaccines", "--no-server", "--index", own_index)
        refused = accord("search", "colour:red", "--index", own_index, code=2)
        assert "colour" in refused.stderr
    assert not (own_index / SERVER_FILE).exists()  # gone with the server
    assert accord("search", "vaccines", "--json", "--index", own_index).stdout == alone[("vaccines",)][0].stdout


def test_paths_are_shown_from_the_folder_the_command_runs_in(own_index: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "search", "search", "vaccines", "--json", "--index", str(own_index)]
    alone = subprocess.run(command, cwd=CORPUS, capture_output=True, text=True, check=True).stdout
    assert json.loads(alone)["results"][0]["path"] == ALLIANCE  # relative to the corpus folder it runs in
    with running_server(own_index):
        served = subprocess.run(command, cwd=CORPUS, capture_output=True, text=True, check=True).stdout
    assert served == alone


def test_a_server_that_is_gone_is_passed_over(own_index: Path) -> None:
    expected = accord("search", "vaccines", "--json", "--index", own_index, "--no-server").stdout
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    for pid in (int(finished.stdout), os.getpid()):  # killed with its file left; a live process not serving
        (own_index / SERVER_FILE).write_text(json.dumps({"url": "http://127.0.0.1:9/", "pid": pid}))
        assert accord("search", "vaccines", "--json", "--index", own_index).stdout == expected
    (own_index / SERVER_FILE).write_text("{not json")
    assert accord("search", "vaccines", "--json", "--index", own_index).stdout == expected
