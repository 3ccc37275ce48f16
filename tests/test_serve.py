"""`accord serve` as a user starts it: a real process on a free port, answering the page and
the API, stopped cleanly with Ctrl-C."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ALLIANCE, accord, running_server


def test_serve_answers_and_stops_on_ctrl_c(seed_index: Path) -> None:
    with running_server(seed_index) as (process, address):
        assert address.startswith("http://127.0.0.1:") and not address.endswith(":0/")
        with urllib.request.urlopen(f"{address}api/search?q=vaccines") as response:
            assert json.load(response)["results"][0]["doc_id"] == ALLIANCE
        with urllib.request.urlopen(f"{address}?q=vaccines") as response:
            page = response.read().decode()
            assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "Ministerial meeting of the Alliance for Multilateralism" in page
        request = urllib.request.Request(f"{address}api/stats", headers={"Host": "attacker.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 400
        refused.value.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        assert "Stopped serving." in process.stderr.read()  # type: ignore[union-attr]


def test_serve_on_a_taken_port_says_so(seed_index: Path) -> None:
    with running_server(seed_index) as (_, address):
        port = address.rstrip("/").rpartition(":")[2]
        result = accord("serve", "--index", seed_index, "--port", port, code=1)
        assert result.stderr.startswith(f"error: Cannot listen on 127.0.0.1:{port}") and "--port" in result.stderr


def test_serve_warns_when_others_can_reach_it(seed_index: Path) -> None:
    with running_server(seed_index, "--host", "0.0.0.0") as (process, address):
        assert address.startswith("http://0.0.0.0:")
        assert process.stderr and process.stderr.readline().startswith("warning: listening on 0.0.0.0")
