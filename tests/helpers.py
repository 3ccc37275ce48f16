"""What tests share besides fixtures: the project's paths, the seed documents' ids, one way
to run the CLI in-process, and an index written in small posting blocks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from indexer.build import build_index
from indexer.store import codec
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
