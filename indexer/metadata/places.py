"""The place gazetteer: countries from pycountry (ISO 3166) and regions from places.toml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indexer.metadata.gazetteer import Entry, Gazetteer, read_toml

PLACES_PATH = Path(__file__).with_name("places.toml")


@lru_cache(maxsize=1)
def load_places(path: Path = PLACES_PATH) -> Gazetteer:
    """Load the place gazetteer (cached): every country under its common English name."""
    import pycountry

    data = read_toml(path)
    overrides = data.get("country", {})
    entries = []
    for country in pycountry.countries:
        iso_names = [
            getattr(country, attr, None) for attr in ("name", "common_name", "official_name")
        ]
        extra = overrides.get(country.alpha_3, {})
        name = extra.get("name") or getattr(country, "common_name", None) or country.name
        aliases = {n for n in iso_names if n and "," not in n} | set(extra.get("aliases", ()))
        entries.append(Entry(name, country.name, tuple(sorted(aliases - {name}))))
    for region in data.get("region", ()):
        entries.append(Entry(region["name"], region["name"], tuple(region.get("aliases", ()))))
    return Gazetteer(entries, upper_words=True)
