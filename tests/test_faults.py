"""Faults and concurrency, with real processes: a killed run changes nothing, a second
writer waits then gives up, and searches during an update see the old or the new index."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.build import build_index
from search.engine import search
from search.request import SearchRequest
from tests.helpers import CORPUS, default_interrupt, frozen_mid_run, wait_until_writing

PARAGRAPHS = [p for f in sorted(CORPUS.iterdir()) for p in f.read_text(encoding="utf-8").split("\n\n") if len(p) > 200]


def accord(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    return subprocess.Popen([sys.executable, "-m", "search", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=default_interrupt)


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus of the seeds, indexed, then grown by 1,200 generated files not yet indexed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    for i in range(1200):
        folder = corpus / f"batch-{i // 100:02d}"
        folder.mkdir(exist_ok=True)
        body = "\n\n".join(PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(3))
        (folder / f"generated-{i:04d}.txt").write_text(f"Generated statement {i}\n\n{body}\n\nReference {i}.")
    return corpus, index_dir


def answers(index_dir: Path) -> list[dict]:
    queries = ["vaccines", "human rights", "Lenarcic", "*"]
    return [json.loads(json.dumps(search(index_dir, SearchRequest(q, limit=50)), default=repr)) for q in queries]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_run_leaves_the_index_as_it_was_and_the_next_run_completes(seeded: tuple[Path, Path], jobs: str) -> None:
    corpus, index_dir = seeded
    before = answers(index_dir)
    files_before = {p.name for p in index_dir.iterdir()}
    run = accord("index", str(corpus), "--index", str(index_dir), "--quiet", "--jobs", jobs)
    frozen_mid_run(index_dir, run)
    run.send_signal(signal.SIGKILL)
    run.communicate()
    assert answers(index_dir) == before
    completed = subprocess.run([sys.executable, "-m", "search", "index", str(corpus), "--index", str(index_dir),
                                "--json", "--jobs", jobs], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["added"] == 1200
    assert search(index_dir, SearchRequest("*")).total_documents == 1203
    leftovers = {p.name for p in index_dir.iterdir()} - files_before
    assert not [name for name in leftovers if ".toc." in name]
    assert not list((index_dir / "MAIN.tmp").glob("*"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_run_changes_nothing(seeded: tuple[Path, Path], jobs: str) -> None:
    corpus, index_dir = seeded
    before = answers(index_dir)
    run = accord("index", str(corpus), "--index", str(index_dir), "--quiet", "--jobs", jobs)
    frozen_mid_run(index_dir, run)
    run.send_signal(signal.SIGINT)  # delivered as the run goes on
    run.send_signal(signal.SIGCONT)
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 1 and "interrupted; nothing was changed" in stderr, stderr
    assert answers(index_dir) == before


def test_a_run_interrupted_while_its_workers_parse_stops_at_once(seeded: tuple[Path, Path]) -> None:
    from indexer.store.folder import INDEX_NAME

    corpus, index_dir = seeded
    before = answers(index_dir)
    run = accord("index", str(corpus), "--index", str(index_dir), "--quiet", "--jobs", "2")
    workers = index_dir / f"{INDEX_NAME}.tmp"
    while run.poll() is None and not any(workers.glob("worker-*")):  # the workers have begun, their tasks queued
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    try:
        _, stderr = run.communicate(timeout=60)  # not left waiting to hand the tasks no worker took
    finally:
        run.kill()
    assert run.returncode == 1 and "interrupted; nothing was changed" in stderr, stderr
    assert answers(index_dir) == before


def test_concurrent_writers_and_searches(seeded: tuple[Path, Path]) -> None:
    corpus, index_dir = seeded
    totals: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            try:
                totals.append(search(index_dir, SearchRequest("*", limit=1)).total_documents)
            except BaseException as err:
                errors.append(err)

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    try:
        while not totals and not errors:  # a search of the index before the update
            time.sleep(0.01)
        first = accord("index", str(corpus), "--index", str(index_dir), "--quiet")
        wait_until_writing(index_dir, first)
        impatient = accord("index", str(corpus), "--index", str(index_dir), "--wait", "0.5", "--quiet")
        patient = accord("index", str(corpus), "--index", str(index_dir), "--wait", "300", "--json")
        _, impatient_err = impatient.communicate(timeout=60)
        patient_out, patient_err = patient.communicate(timeout=300)
        first.communicate(timeout=300)
    finally:
        stop.set()
        searcher.join()
    totals.append(search(index_dir, SearchRequest("*", limit=1)).total_documents)
    assert first.returncode == 0
    assert impatient.returncode == 1 and "Another `accord index` is updating this index" in impatient_err
    assert patient.returncode == 0, patient_err
    assert json.loads(patient_out)["unchanged"] == 1203
    assert errors == []
    assert set(totals) == {3, 1203} and totals[0] == 3 and totals[-1] == 1203
