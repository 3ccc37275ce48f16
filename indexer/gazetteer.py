"""A gazetteer: canonical names with aliases, resolved in any case and found in text.

Organisations (orgs.py) and places (places.py) are both gazetteers. Multi-word aliases
match in any case; single words ("WHO", "Turkey") must match as written, because in
lower case they are often ordinary words. Apostrophes and hyphens match their variants.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

_APOSTROPHES = "'’`"
_HYPHENS = "-‐‑–"


@dataclass(frozen=True, slots=True)
class Entry:
    """One named thing: its canonical (facet) name, full name and aliases."""

    name: str
    full: str
    aliases: tuple[str, ...]

    def all_names(self) -> tuple[str, ...]:
        """The name, full name and aliases."""
        return (self.name, self.full, *self.aliases)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a gazetteer name occurs in a text."""

    name: str
    start: int
    end: int


def read_toml(path: Path) -> dict[str, Any]:
    """Read a gazetteer data file."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def alias_key(alias: str) -> str:
    """Normalise an alias for lookup: any case, any apostrophe or hyphen, single spaces."""
    text = alias.casefold()
    for ch in _APOSTROPHES[1:]:
        text = text.replace(ch, "'")
    for ch in _HYPHENS[1:]:
        text = text.replace(ch, "-")
    return " ".join(text.replace(".", "").split())


class Gazetteer:
    """Resolves aliases to canonical names and finds the names mentioned in text.

    With `upper_words`, single-word aliases also match in capitals ("TURKEY"); without
    it, single-word matches inside ALL-CAPS text are ignored (there "WHO" is a word).
    """

    def __init__(self, entries: Iterable[Entry], upper_words: bool = False) -> None:
        self.entries = tuple(entries)
        self._upper_words = upper_words
        self._by_key: dict[str, str] = {}
        for entry in self.entries:
            for alias in entry.all_names():
                self._by_key.setdefault(alias_key(alias), entry.name)
        self._by_name = {entry.name: entry for entry in self.entries}
        self._pattern = self._mention_pattern()

    def canonical(self, alias: str) -> str | None:
        """The canonical name for an alias in any case, or None if it is unknown."""
        return self._by_key.get(alias_key(alias))

    def get(self, name: str) -> Entry | None:
        """The entry with this canonical name, or None."""
        return self._by_name.get(name)

    def mentions(self, text: str) -> Iterator[Mention]:
        """Every mention in `text`, longest alias first where they overlap."""
        for match in self._pattern.finditer(text):
            alias = match.group(0)
            single = " " not in alias.strip()
            if single and not self._upper_words and _in_shouting(text, *match.span()):
                continue
            name = self._by_key.get(alias_key(alias))
            if name is not None:
                yield Mention(name, match.start(), match.end())

    def find(self, text: str) -> list[str]:
        """Canonical names mentioned in `text`, once each, in order of first mention."""
        return list(dict.fromkeys(m.name for m in self.mentions(text)))

    def _mention_pattern(self) -> re.Pattern[str]:
        aliases = {alias.strip() for entry in self.entries for alias in entry.all_names()}
        parts = []
        for alias in sorted(aliases, key=len, reverse=True):
            if " " in alias:
                parts.append(f"(?i:{_alias_regex(alias)})")
            elif self._upper_words and alias.upper() != alias:
                parts.append(f"(?:{_alias_regex(alias)}|{_alias_regex(alias.upper())})")
            else:
                parts.append(_alias_regex(alias))
        return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?!\w)")


def _alias_regex(alias: str) -> str:
    pieces: list[str] = []
    for ch in alias:
        if ch.isspace():
            if not pieces or pieces[-1] != r"\s+":
                pieces.append(r"\s+")
        elif ch in _APOSTROPHES:
            pieces.append(f"[{_APOSTROPHES}]")
        elif ch in _HYPHENS:
            pieces.append(f"[{_HYPHENS}]")
        else:
            pieces.append(re.escape(ch))
    return "".join(pieces)


def _in_shouting(text: str, start: int, end: int) -> bool:
    """True when a match sits in ALL-CAPS text."""
    window = text[max(0, start - 40) : start] + " " + text[end : end + 40]
    letters = [ch for ch in window if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.7
