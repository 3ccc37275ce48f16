"""The organisation gazetteer: orgs.toml loaded as a Gazetteer."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indexer.gazetteer import Entry, Gazetteer, read_toml

ORGS_PATH = Path(__file__).with_name("orgs.toml")


@lru_cache(maxsize=1)
def load_orgs(path: Path = ORGS_PATH) -> Gazetteer:
    """Load the organisation gazetteer (cached)."""
    data = read_toml(path)
    entries = [
        Entry(item["name"], item.get("full", item["name"]), tuple(item.get("aliases", ())), item.get("exact", False))
        for item in data["org"]
    ]
    return Gazetteer(entries)
