"""Shared fixtures: the embedded corpus, indexes built from it, a CLI runner, small files."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from indexer import codec
from indexer.build import build_index

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

ALLIANCE = "alliance-for-multilateralism-2021.txt"
EU_DIALOGUE = "eu-ohchr-strategic-dialogue.txt"
JOINT_DECLARATION = "ohchr-odihr-joint-declaration-2014.txt"


def pytest_report_header() -> str:
    state = "found" if SHARED.is_dir() else "absent (tests marked `shared` are skipped)"
    return f"../shared corpora: {state}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared corpora in {SHARED}, which is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


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
def runner() -> CliRunner:
    """A CLI runner that keeps stdout and stderr apart."""
    return CliRunner()


FileFactory = Callable[..., Path]


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


def build_in_small_blocks(corpus: Path, index_dir: Path) -> None:
    """Index with posting blocks of 16 postings, so that a word's postings span several blocks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(codec, "POSTING_BLOCK", 16)
        build_index(corpus, index_dir)
