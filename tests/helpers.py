"""What tests share besides fixtures: the project's paths, the seed documents' ids, one way
to run the CLI in-process, an index written in small posting blocks, and ways to catch an
indexing process in the middle of its run without depending on timing."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from indexer.build import build_index
from indexer.store import codec
from indexer.store.folder import INDEX_NAME
from search.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

ALLIANCE = "alliance-for-multilateralism-2021.txt"
EU_DIALOGUE = "eu-ohchr-strategic-dialogue.txt"
JOINT_DECLARATION = "ohchr-odihr-joint-declaration-2014.txt"

FileFactory = Callable[..., Path]
"""make_file(name, text or bytes, folder="docs") -> the path written under tmp_path."""


def accord(*args: str | Path, code: int = 0, stdin: str | None = None) -> Result:
    """Run `accord ARGS` in-process, as a user would, keeping stdout and stderr apart; the test
    fails, showing both and the exit status, unless the command exits with `code`."""
    result = CliRunner().invoke(app, [str(arg) for arg in args], input=stdin, catch_exceptions=False)
    assert result.exit_code == code, (
        f"`accord {' '.join(map(str, args))}` exited {result.exit_code}, not {code}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    return result


def build_in_small_blocks(corpus: Path, index_dir: Path) -> None:
    """Index with posting blocks of 16 postings, so that a word's postings span several blocks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(codec, "POSTING_BLOCK", 16)
        build_index(corpus, index_dir)


def holds_write_lock(index_dir: Path) -> bool:
    """Whether some process holds the index's write lock now (probed without waiting)."""
    from whoosh.util.filelock import FileLock

    lock = FileLock(str(index_dir / f"{INDEX_NAME}_WRITELOCK"))
    if lock.acquire(blocking=False):
        lock.release()
        return False
    return True


def wait_until_writing(index_dir: Path, process: subprocess.Popen[str]) -> None:
    """Return once `process` holds the index's write lock, so that it has begun its run
    and not yet committed; the test fails, with the process's stderr, if it ends first.
    A writer that finds the lock taken by this probe waits and tries again."""
    while process.poll() is None:
        if holds_write_lock(index_dir):
            return
        time.sleep(0.02)
    raise AssertionError(f"the run ended before it took the lock: {process.communicate()[1]}")


def frozen_mid_run(index_dir: Path, process: subprocess.Popen[str]) -> None:
    """Stop `process` (SIGSTOP) while it holds the write lock: whatever is sent next reaches
    a run that has not committed, however busy the machine."""
    wait_until_writing(index_dir, process)
    process.send_signal(signal.SIGSTOP)
    assert holds_write_lock(index_dir), "the run committed before it could be stopped"


def default_interrupt() -> None:
    """In a child process before it starts: Ctrl-C (SIGINT) as a terminal gives it. A shell
    that starts a job in the background makes its children ignore SIGINT, and Python then
    never turns SIGINT into KeyboardInterrupt; tests that interrupt a process need it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def running_server(index_dir: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`accord serve --port 0` on `index_dir` in a real process, asked once as soon as it
    prints its address (it listens from then on: a first request waits for it, and is never
    refused): yields the process and its address; stopped with SIGINT (Ctrl-C) afterwards
    if it still runs."""
    import shutil
    import sys
    import urllib.request

    command = shutil.which("accord", path=str(Path(sys.executable).parent)) or "accord"
    process = subprocess.Popen([command, "serve", "--index", str(index_dir), "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=default_interrupt)
    try:
        line = process.stdout.readline() if process.stdout else ""
        found = re.search(r"http://\S+/", line)
        assert found, f"no address printed: {line!r} {process.stderr.read() if process.stderr else ''}"
        address = found.group(0)
        with urllib.request.urlopen(f"{address}api/stats", timeout=120) as response:  # a bound on failure only
            assert response.status == 200
        yield process, address
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
