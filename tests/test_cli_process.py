"""The installed `accord` command in real subprocesses: streams and exit codes."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.helpers import ALLIANCE, CORPUS, EU_DIALOGUE, JOINT_DECLARATION, default_interrupt

ACCORD = shutil.which("accord", path=str(Path(sys.executable).parent)) or "accord"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return tmp_path


def accord(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ACCORD, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_search_json_in_a_fresh_folder(workdir: Path) -> None:
    done = accord(workdir, "search", "vaccines", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["results"][0]["doc_id"] == ALLIANCE
    assert "building it from corpus" in done.stderr


def test_the_two_ohchr_documents(workdir: Path) -> None:
    done = accord(workdir, "search", "human rights", "--org", "UN Human Rights Office", "--json")
    assert sorted(hit["doc_id"] for hit in json.loads(done.stdout)["results"]) == [EU_DIALOGUE, JOINT_DECLARATION]


def test_terminal_output_when_piped_is_plain(workdir: Path) -> None:
    done = accord(workdir, "search", "vaccines")
    assert done.returncode == 0
    assert "\x1b[" not in done.stdout
    assert "Ministerial meeting of the Alliance for Multilateralism" in done.stdout


def test_usage_error_exits_2_with_a_short_message(workdir: Path) -> None:
    done = accord(workdir, "search", "x", "--year", "twenty")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == ("error: Invalid year 'twenty'; use a "
                                            "year such as 2021 or a range such as 2014..2021.")
    assert "Traceback" not in done.stderr


def test_runtime_error_exits_1(workdir: Path) -> None:
    done = accord(workdir, "show", "anything.txt")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "error: No index in index. Build one with `accord index`.\n"


def test_python_dash_m(workdir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "search", "--help"], cwd=workdir, capture_output=True, text=True)
    assert done.returncode == 0 and "Usage: accord" in done.stdout


def test_help_imports_no_parser_libraries(workdir: Path) -> None:
    code = ("import sys; from search.cli import app; "
            "assert not {'bs4', 'markdownify', 'whoosh', 'wordfreq', 'dateutil'} & set(sys.modules), sorted(sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_watch_indexes_changes_in_batches_and_stops_on_ctrl_c(workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    watcher = subprocess.Popen([ACCORD, "watch"], cwd=workdir, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=default_interrupt)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True).start()
    try:
        assert "3 added" in lines.get(timeout=60)
        (workdir / "corpus" / "new.txt").write_text("The WHO welcomed the pandemic treaty.")
        (workdir / "corpus" / "other.md").write_text("# Note\n\nThe OSCE observed the vote.")
        added, documents = 0, ""  # one burst, or two if the machine is slow between the writes
        while "(5 documents" not in documents:
            documents = lines.get(timeout=60)
            added += int(re.search(r"(\d+) added", documents).group(1))
        assert added == 2
        (workdir / "corpus" / "new.txt").unlink()
        assert "1 removed" in lines.get(timeout=60)
        (workdir / "corpus" / "accord.toml").write_text('issuer = "OSCE"\n')  # a collection file covers them all
        assert "4 updated" in lines.get(timeout=60)
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            out, err = watcher.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            watcher.kill()  # not left running after the test
            watcher.communicate()
            raise
    assert watcher.returncode == 0 and "Stopped watching." in err and out == "", err
    found = accord(workdir, "search", "OSCE vote", "--json")
    assert [hit["doc_id"] for hit in json.loads(found.stdout)["results"]] == ["other.md"]
