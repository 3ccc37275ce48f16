"""Run the server: uvicorn on the chosen address, or a free port for `--port 0`."""

from __future__ import annotations

import ipaddress
import signal
import socket
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from search.remote import announced
from search.web.app import LOCAL_HOSTS, CommandReader, create_app

if TYPE_CHECKING:
    from search.backend import Backend


def is_loopback(host: str) -> bool:
    """Whether `host` is an address only this machine reaches."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(index_dir: Path, host: str, port: int, say: Callable[[str], None], open_browser: bool = False,
          extra_hosts: Sequence[str] = (), debug: bool = False, backend: Backend | None = None,
          command: CommandReader | None = None) -> None:
    """Serve `index_dir` on host:port until Ctrl-C, announcing the address through `say`
    once the socket listens (so a free port's number is known, and the browser `--open`
    starts is not refused while the server starts), and in the index folder
    for `accord search` to ask (search.remote), which `command` reads."""
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Connections inherit it: without, a response's second write waits for the client's
    # delayed acknowledgement (Nagle's algorithm), some 40 ms per keep-alive request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
        sock.listen()  # from the announcement on, a connection waits for the server to start, never refused
    except OSError:
        sock.close()
        raise
    bound = sock.getsockname()[1]
    names = {*LOCAL_HOSTS, host, *extra_hosts}
    if not is_loopback(host):
        names |= {socket.gethostname(), socket.getfqdn()}
    app = create_app(index_dir, hosts=sorted(names), debug=debug, backend=backend, command=command)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{bound}/"
    say(address)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                            limit_concurrency=64, timeout_graceful_shutdown=5)
    local = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, shown)  # where this machine reaches it
    # uvicorn stops on SIGTERM, then raises it again once it has: stopping as on Ctrl-C lets
    # the address file go with the server.
    signal.signal(signal.SIGTERM, _interrupt)
    # Only a server of the index folder itself answers `accord search` on that folder.
    with sock, announced(index_dir, f"http://{local}:{bound}/") if backend is None else nullcontext():
        uvicorn.Server(config).run(sockets=[sock])
