"""The `accord` command: `accord search` first asks the `accord serve` that serves its index,
when one runs, before the command line itself (Typer, the engine, the index) is loaded, so
that a search through a server costs little more than starting Python. Every other
command, and a search no server answers, runs search.cli as usual.

The server reads the arguments with the command line's own parser and answers with what
the command would print. Until then only the standard library is imported, and Rich for
text output, to learn how the terminal draws.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from search import remote
from search.environment import DEFAULT_INDEX, INDEX_ENV, URL_ENV


def main(argv: Sequence[str] | None = None) -> None:
    """Run `accord ARGS` (`argv`, else the process's arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    answered = served(args[1:]) if args[:1] == ["search"] else None
    if answered is None:
        from search.cli import app

        app(args=args, prog_name="accord")
        return
    output, notices = answered
    for notice in notices:
        sys.stderr.write(f"{notice}\n")
    sys.stdout.write(output)
    sys.stdout.flush()


def served(args: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """What the server serving the index of `accord search ARGS` prints for it, output and
    notices; None when none answers, or the search is not one a server answers."""
    options = remote.options_of(args)
    if os.environ.get(URL_ENV) or remote.in_process_only(args):
        return None
    index_dir = Path.cwd() / _index_option(options)
    if not remote.is_served(index_dir):
        return None
    terminal = () if "--json" in options else _terminal()
    answer = remote.ask(index_dir, remote.CLI_SEARCH, (*(("arg", arg) for arg in ["--index", str(index_dir), *args]),
                                                         *terminal, ("cwd", str(Path.cwd()))))
    if answer is None:
        return None
    return str(answer["output"]), tuple(str(notice) for notice in answer["notices"])


def _index_option(options: list[str]) -> str:
    """The index folder the options name (the last --index, as the parser takes it), else
    $ACCORD_INDEX, else the default; the server checks that it parses them alike."""
    found = os.environ.get(INDEX_ENV) or DEFAULT_INDEX
    for at, option in enumerate(options):
        if option == "--index" and at + 1 < len(options):
            found = options[at + 1]
        elif option.startswith("--index="):
            found = option.removeprefix("--index=")
    return found


def _terminal() -> tuple[tuple[str, str], ...]:
    """How standard output draws text, as Rich sees it: width, colours (and whether NO_COLOR
    asks for none) and whether it is a terminal."""
    from rich.console import Console

    console = Console(highlight=False)
    return (("width", str(console.width)), ("color", console.color_system or "none"),
            ("no_color", "1" if console.no_color else "0"), ("terminal", "1" if console.is_terminal else "0"))
