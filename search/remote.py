"""`accord search` through a running `accord serve`: the server leaves its address in the
index folder while it runs, and the command asks it (search.launcher) instead of opening
the index itself, which spares it loading the index and the search modules.

Only the standard library is imported here. A server that is gone (its address file left
by a process that was killed), refuses, fails or does not answer in time is passed over at
once, and the command searches in-process as it would without one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which takes longer than this module
if TYPE_CHECKING:
    import socket
    from typing import Any

SERVER_FILE = "server.json"
"""In the index folder while `accord serve` serves it: {"url": …, "pid": …}."""
CLI_SEARCH = "/api/cli/search"
"""Where the server answers `accord search ARGS` (search.launcher)."""
IN_PROCESS_FLAGS = ("--no-server", "--help", "--backend")
"""Options that keep `accord search` in its own process: it was asked for, help is the
command line's, and the engine named may not be the server's."""
CONNECT_SECONDS = 0.5
ANSWER_SECONDS = 30.0
"""How long a search may take the server before the command searches in-process instead."""


@contextmanager
def announced(index_dir: Path, url: str) -> Iterator[None]:
    """While inside: this process's address (`url`) in the index folder, for `accord search`
    to find; removed on the way out, unless another server has written its own since."""
    path = index_dir / SERVER_FILE
    temporary = path.with_name(f".{SERVER_FILE}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a read-only index: served, but not announced
    try:
        yield
    finally:
        if _address(index_dir) == (url, os.getpid()):
            path.unlink(missing_ok=True)


def options_of(args: Sequence[str]) -> list[str]:
    """The arguments of `accord search` before `--` (after it, all are the query's)."""
    return list(args[: list(args).index("--")] if "--" in args else args)


def in_process_only(args: Sequence[str]) -> bool:
    """Whether `accord search ARGS` searches in its own process whatever serves its index."""
    return any(option.split("=")[0] in IN_PROCESS_FLAGS for option in options_of(args))


def is_served(index_dir: Path) -> bool:
    """Whether a live process says it serves `index_dir` (whether it answers is another matter)."""
    found = _address(index_dir)
    return found is not None and _alive(found[1])


def ask(index_dir: Path, path: str, pairs: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    """The JSON that the server running on `index_dir` answers to GET `path` with these
    parameters; None when no server answers, or it answers with an error (a request it
    refuses is then refused in-process too, with the same message, and a server of another
    version that does not know the request is passed over)."""
    found = _address(index_dir)
    if found is None or not _alive(found[1]):
        return None
    import socket  # only once a server may answer
    from urllib.parse import urlencode, urlsplit

    address = urlsplit(found[0])
    host = address.hostname or "127.0.0.1"
    try:
        with socket.create_connection((host, address.port or 80), timeout=CONNECT_SECONDS) as connection:
            connection.settimeout(ANSWER_SECONDS)
            connection.sendall(f"GET /{path.lstrip('/')}?{urlencode(pairs)} HTTP/1.0\r\nHost: {host}\r\n"
                               "Accept: application/json\r\n\r\n".encode("ascii"))
            status, body = _response(connection)
        answer = json.loads(body.decode("utf-8"))
    except (OSError, ValueError):
        return None
    return answer if status == 200 and isinstance(answer, dict) else None


def _response(connection: socket.socket) -> tuple[int, bytes]:
    """The status and body of the HTTP/1.0 answer read from `connection` to its end: the
    server closes it after one answer, and does not chunk it for a 1.0 request. This is
    http.client's work for a single GET, done here because importing http.client takes
    longer than the rest of the command. Raises ValueError for an answer cut short."""
    received = bytearray()
    while chunk := connection.recv(1 << 16):
        received += chunk
    head, separator, body = bytes(received).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not separator or not lines[0].startswith("HTTP/"):
        raise ValueError("not an HTTP answer")
    headers = dict(line.lower().split(":", 1) for line in lines[1:] if ":" in line)
    length = headers.get("content-length")
    if length is not None and int(length) != len(body):
        raise ValueError("the answer was cut short")
    return int(lines[0].split()[1]), body


def _address(index_dir: Path) -> tuple[str, int] | None:
    try:
        found = json.loads((index_dir / SERVER_FILE).read_text(encoding="utf-8"))
        return str(found["url"]), int(found["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (one that was killed leaves its file behind)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: the server will say whether it answers
    return True
