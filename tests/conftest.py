"""Shared fixtures: the embedded corpus, indexes built from it, small files."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.models import CACHE_ENV
from tests.helpers import CORPUS, SHARED, FileFactory


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache of unpacked models for this session (its processes included), not the user's."""
    folder = tmp_path_factory.mktemp("model-cache")
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if before is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = before


def pytest_report_header() -> list[str]:
    state = "found" if SHARED.is_dir() else "absent (tests marked `shared` are skipped)"
    browser = "found" if shutil.which("chromium") and shutil.which("chromedriver") else (
        "absent (tests marked `browser` are skipped)")
    return [f"../shared corpora: {state}", f"chromium and chromedriver: {browser}"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared corpora in {SHARED}, which is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def workers_for_few_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes parse even the few files of a test's corpus (a run parses fewer than
    build.WORKERS_FROM files itself)."""
    from indexer import build

    monkeypatch.setattr(build, "WORKERS_FROM", 2)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the embedded corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the embedded corpus, built once per session (read-only for tests)."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(CORPUS, index_dir)
    return index_dir


@pytest.fixture
def make_file(tmp_path: Path) -> FileFactory:
    """Write a small file under tmp_path/docs: make_file("a.txt", "text") or bytes."""

    def make(name: str, content: str | bytes, folder: str = "docs") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make


NOTE_WORDS = "vaccines health rights human elections detention monitoring children press freedom council".split()


@pytest.fixture(scope="session")
def feedback_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed documents and 20 notes of mixed words: a query matches more documents than
    feedback reads."""
    rng = random.Random(5)
    root = tmp_path_factory.mktemp("feedback")
    shutil.copytree(CORPUS, root / "corpus")
    for number in range(20):
        words = " ".join(rng.choices(NOTE_WORDS, k=rng.randint(8, 30)))
        (root / "corpus" / f"note-{number}.txt").write_text(f"Note {number}\n\n{words}.")
    build_index(root / "corpus", root / "index")
    return root / "index"
