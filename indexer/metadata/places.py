"""The place gazetteer: countries from pycountry (ISO 3166) and regions from places.toml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indexer.metadata.gazetteer import Entry, Gazetteer, read_toml
from indexer.models import countries

PLACES_PATH = Path(__file__).with_name("places.toml")


@lru_cache(maxsize=1)
def load_places(path: Path = PLACES_PATH) -> Gazetteer:
    """Load the place gazetteer (cached): every country under its common English name."""
    data = read_toml(path)
    overrides = data.get("country", {})
    entries = []
    found = countries()
    for alpha_3, iso_name, common, official in zip(*(found[key].tolist() for key in
                                                    ("alpha_3", "name", "common_name", "official_name"))):
        extra = overrides.get(alpha_3, {})
        name = extra.get("name") or common or iso_name
        aliases = {n for n in (iso_name, common, official) if n and "," not in n} | set(extra.get("aliases", ()))
        entries.append(Entry(name, iso_name, tuple(sorted(aliases - {name}))))
    for region in data.get("region", ()):
        entries.append(Entry(region["name"], region["name"], tuple(region.get("aliases", ()))))
    return Gazetteer(entries, upper_words=True)
