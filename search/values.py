"""Field queries on facet values as people type them: `person:pillay` finds "Navi Pillay",
`org:"high commissioner"` finds OHCHR through its aliases, `place:cote` finds "Côte
d'Ivoire". A typed value matches every indexed value (and, for organisations and places,
every alias of one) that holds its words in order, in any case and accent; the query then
asks for those values as they are indexed, so facet values stay canonical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from indexer.fields import ISSUER, ORGANISATION, PLACE

MAX_VALUES = 200
"""A typed value matching more indexed values than this is refused as too broad."""
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> tuple[str, ...]:
    """The words of a text, in lower case without accents."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(_WORDS.findall(plain.casefold()))


def matching_values(fieldname: str, typed: str, indexed: Iterable[str]) -> list[str]:
    """The indexed values of a facet field that the typed value names, in index order."""
    wanted = fold(typed)
    if not wanted:
        return []
    names = _names_by_value(fieldname)
    return [value for value in indexed
            if any(_holds(fold(name), wanted) for name in (value, *names.get(value, ())))]


def _holds(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """Whether `wanted` is a run of consecutive words of `words`."""
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


@lru_cache(maxsize=4)
def _names_by_value(fieldname: str) -> dict[str, tuple[str, ...]]:
    """Every other name of each canonical organisation or place, from its gazetteer."""
    if fieldname in (ORGANISATION, ISSUER):
        from indexer.metadata.orgs import load_orgs

        gazetteer = load_orgs()
    elif fieldname == PLACE:
        from indexer.metadata.places import load_places

        gazetteer = load_places()
    else:
        return {}
    return {entry.name: tuple(entry.all_names()) for entry in gazetteer.entries}
