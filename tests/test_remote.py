"""`accord search` through a running `accord serve`: the same output as in-process, in
every format, and in-process at once when the server is gone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import engine, launcher
from search.environment import INDEX_ENV
from search.remote import SERVER_FILE
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


def launched(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[str, str]:
    """The stdout and stderr of `accord ARGS` started as the `accord` command starts (through
    search.launcher), in-process; the test fails unless it exits with status 0."""
    try:
        launcher.main([str(arg) for arg in args])
    except SystemExit as done:  # the command line's own exit, when it ran
        assert done.code in (0, None), capsys.readouterr()
    return capsys.readouterr()


def test_the_server_answers_the_command_s_arguments_as_the_command_reads_them(own_index: Path, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from search.cli import read_search_command
    from search.web.app import create_app

    client = TestClient(create_app(own_index, command=read_search_command), base_url="http://127.0.0.1")

    def served(*args: str, cwd: Path = tmp_path, width: str | None = "100") -> tuple[int, dict]:
        terminal = [("width", width), ("color", "none"), ("terminal", "0")] if width else []
        answer = client.get("/api/cli/search", params=[*(("arg", arg) for arg in args), *terminal, ("cwd", str(cwd))])
        return answer.status_code, answer.json()

    args = ("rights", "--org", "OHCHR", "--year", "2014..2021", "--not-lang", "fr", "--sort", "newest", "--match",
            "any", "-n", "2", "--page", "2", "--facet", "person", "--no-feedback", "--from", "2014-01-01")
    for shown in (("--json",), ("--format", "csv"), ()):
        expected = accord("search", *args, *shown, "--index", own_index).stdout  # CliRunner: 80 columns
        assert served("--index", str(own_index), *args, *shown, width="80") == (200, {"output": expected, "notices": []})
    assert served("--index", own_index.name, "vaccines", "--json", cwd=own_index.parent)[0] == 200
    assert served("--index", own_index.name, "vaccines", "--json", cwd=own_index)[0] == 409  # another folder
    refused = [("x", "--backend", "whoosh"), ("x", "--no-server"), ("--help",), ("x", "--limit", "0"), ("x", "--nope"), ()]
    for refused_args in refused:  # the command searches in-process, or says itself why it will not
        assert served("--index", str(own_index), *refused_args)[0] == 409, refused_args
    assert served("--index", str(own_index), "x", width=None)[0] == 409  # text, for a terminal it was not told of
    assert served("--index", str(own_index), "x", "--json", width=None)[0] == 200
    assert TestClient(create_app(own_index), base_url="http://127.0.0.1").get(
        "/api/cli/search", params={"arg": "x", "cwd": "/"}).status_code == 409  # a server not given the command


def test_search_asks_the_running_server_and_prints_what_it_would_print_itself(
        own_index: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    alone = {args: (accord("search", *args, "--json", "--index", own_index), accord("search", *args, "--index", own_index),
                    accord("search", *args, "--format", "csv", "--index", own_index)) for args in SEARCHES}
    with running_server(own_index) as (_, address):
        assert json.loads((own_index / SERVER_FILE).read_text())["url"] == address

        def in_process(*args: object) -> None:
            raise AssertionError("searched in-process although a server serves the index")

        with monkeypatch.context() as patch:
            patch.setattr(engine, "search", in_process)
            for args, (as_json, as_text, as_csv) in alone.items():
                assert launched(capsys, "search", *args, "--json", "--index", own_index) == (as_json.stdout, as_json.stderr)
                assert launched(capsys, "search", *args, "--index", own_index)[0] == as_text.stdout
                assert launched(capsys, "search", *args, "--format", "csv", "--index", own_index)[0] == as_csv.stdout
        with monkeypatch.context() as patch:  # the index $ACCORD_INDEX names, from the folder the command runs in
            patch.chdir(own_index)
            patch.setenv(INDEX_ENV, ".")
            here = accord("search", "vaccines", "--json").stdout
            patch.setattr(engine, "search", in_process)
            assert launched(capsys, "search", "vaccines", "--json") == (here, "")
        drawn = []
        for colours in ({"FORCE_COLOR": "1"}, {"FORCE_COLOR": "1", "NO_COLOR": "1"}):  # the server has neither
            with monkeypatch.context() as patch:
                for name, setting in colours.items():
                    patch.setenv(name, setting)
                here = accord("search", "human rights", "--index", own_index).stdout
                patch.setattr(engine, "search", in_process)
                drawn.append(launched(capsys, "search", "human rights", "--index", own_index)[0])
                assert drawn[-1] == here
        assert "\x1b[1;36m" in drawn[0] and "\x1b[1m" in drawn[1] and "36m" not in drawn[1]  # bold stays
        for in_process_args in (("--no-server",), ("--backend", "whoosh")):
            with pytest.raises(AssertionError, match="in-process"), monkeypatch.context() as patch:
                patch.setattr(engine, "search", in_process)
                launched(capsys, "search", "vaccines", *in_process_args, "--index", own_index)
        with pytest.raises(SystemExit) as refused:
            launcher.main(["search", "colour:red", "--index", str(own_index)])
        assert refused.value.code == 2 and "colour" in capsys.readouterr().err
    assert not (own_index / SERVER_FILE).exists()  # gone with the server
    assert accord("search", "vaccines", "--json", "--index", own_index).stdout == alone[("vaccines",)][0].stdout


def test_paths_are_shown_from_the_folder_the_command_runs_in(own_index: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "search", "search", "vaccines", "--json", "--index", str(own_index)]
    alone = subprocess.run(command, cwd=CORPUS, capture_output=True, text=True, check=True).stdout
    assert json.loads(alone)["results"][0]["path"] == ALLIANCE  # relative to the corpus folder it runs in
    with running_server(own_index):
        served = subprocess.run(command, cwd=CORPUS, capture_output=True, text=True, check=True).stdout
    assert served == alone


def test_a_server_that_is_gone_is_passed_over(own_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = accord("search", "vaccines", "--json", "--index", own_index).stdout
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    for pid in (int(finished.stdout), os.getpid()):  # killed with its file left; a live process not serving
        (own_index / SERVER_FILE).write_text(json.dumps({"url": "http://127.0.0.1:9/", "pid": pid}))
        assert launched(capsys, "search", "vaccines", "--json", "--index", own_index)[0] == expected
    (own_index / SERVER_FILE).write_text("{not json")
    assert launched(capsys, "search", "vaccines", "--json", "--index", own_index)[0] == expected


@pytest.mark.parametrize(("answer", "expected"), [
    (b'HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\n{"output": 1}', {"output": 1}),
    (b'HTTP/1.1 200 OK\r\n\r\n{"output": 1}', {"output": 1}),  # no length: the answer ends with the connection
    (b'HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n{"output": 1}', None),  # cut short
    (b'HTTP/1.1 409 Conflict\r\n\r\n{"error": "no"}', None),
    (b'{"output": 1}', None),  # not HTTP
    (b"", None),
])
def test_the_command_reads_only_a_whole_answer_of_the_server(tmp_path: Path, answer: bytes, expected: object) -> None:
    import socket
    import threading

    from search import remote

    listening = socket.create_server(("127.0.0.1", 0))
    asked = []

    def answer_once() -> None:
        connection, _ = listening.accept()
        with connection:
            asked.append(connection.recv(65536))
            connection.sendall(answer)

    answering = threading.Thread(target=answer_once)
    answering.start()
    (tmp_path / SERVER_FILE).write_text(json.dumps({"url": f"http://127.0.0.1:{listening.getsockname()[1]}/",
                                                    "pid": os.getpid()}))
    try:
        assert remote.ask(tmp_path, remote.CLI_SEARCH, [("arg", "human rights")]) == expected
    finally:
        answering.join()
        listening.close()
    assert asked[0].startswith(b"GET /api/cli/search?arg=human+rights HTTP/1.0\r\n")
