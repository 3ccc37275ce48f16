"""The organisation gazetteer: orgs.toml loaded as a Gazetteer."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.metadata.gazetteer import Entry, Gazetteer, read_toml

ORGS_PATH = Path(__file__).with_name("orgs.toml")


@lru_cache(maxsize=1)
def _organisations(path: Path = ORGS_PATH) -> list[dict[str, Any]]:
    """The [[org]] tables of the gazetteer file, read once."""
    return read_toml(path)["org"]


@lru_cache(maxsize=1)
def load_orgs(path: Path = ORGS_PATH) -> Gazetteer:
    """Load the organisation gazetteer (cached)."""
    entries = [
        Entry(item["name"], item.get("full", item["name"]), tuple(item.get("aliases", ())), item.get("exact", False))
        for item in _organisations(path)
    ]
    return Gazetteer(entries)


@lru_cache(maxsize=1)
def _domains(path: Path = ORGS_PATH) -> dict[str, str]:
    return {domain: item["name"] for item in _organisations(path) for domain in item.get("domains", ())}


def publisher_of_url(url: str) -> str | None:
    """The organisation whose web site `url` is on ("https://www.hrw.org/news/..." ->
    "Human Rights Watch"; the most specific domain wins: ec.europa.eu is the European
    Commission, europa.eu the EU), or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    labels = host.split(".")
    domains = _domains()
    return next((domains[d] for d in (".".join(labels[i:]) for i in range(len(labels) - 1)) if d in domains), None)
