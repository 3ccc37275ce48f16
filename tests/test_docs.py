"""The help and the README stay true: every command has help with an example, the README
names every command, and CI runs the README's test command."""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT, accord

COMMANDS = ["index", "search", "facets", "show", "stats", "watch", "batch", "export"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = accord(command, "--help")
    assert "Example: accord " + command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_mentions_every_command(command: str) -> None:
    assert f"accord {command}" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_lines = [line.strip() for line in ci.splitlines() if "pytest" in line and not line.strip().startswith("#")]
    assert test_lines, ".ci/run runs no pytest"
    for line in test_lines:
        command = re.sub(r"^.*?(python -m pytest.*)$", r"\1", line)
        assert command in README


def test_readme_gives_the_two_commands_for_a_fresh_machine() -> None:
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/accord search vaccines" in README
    assert "bash .ci/run" in README


def test_the_readme_layout_names_every_module() -> None:
    layout = README[README.index("## Layout"):]
    modules = sorted(path.stem for package in ("indexer", "search") for path in (ROOT / package).rglob("*.py")
                     if not path.stem.startswith("__"))
    assert [name for name in modules if name not in layout] == []
