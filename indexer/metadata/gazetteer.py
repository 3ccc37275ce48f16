"""A gazetteer: canonical names with aliases, resolved in any case and found in text.

Organisations (orgs.py) and places (places.py) are both gazetteers. Multi-word aliases
match in any case; single words ("WHO", "Turkey") must match as written, because in
lower case they are often ordinary words. Apostrophes, hyphens and dots match their
variants. Mentions are found word by word with a dictionary of aliases (longest
first), so the cost grows with the text, not with the number of aliases.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

_APOSTROPHES = "'’`"
_HYPHENS = "-‐‑–"
_TOKEN = re.compile(r"\w+")
_JOINERS = frozenset(" \t\n/" + _APOSTROPHES + _HYPHENS)
"""What may stand between the words of a multi-word alias in a text."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One named thing: its canonical (facet) name, full name and aliases."""

    name: str
    full: str
    aliases: tuple[str, ...]
    exact: bool = False
    """Names that must be written as given, in any case only when False ("ARTICLE 19",
    the NGO, is not "Article 19" of a treaty)."""

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


def _unify(text: str) -> str:
    for ch in _APOSTROPHES[1:]:
        text = text.replace(ch, "'")
    for ch in _HYPHENS[1:]:
        text = text.replace(ch, "-")
    return text


def alias_key(alias: str) -> str:
    """Normalise an alias for lookup: its words in any case, whatever joins them, no dots."""
    return _words_key(alias.replace(".", ""))


def _words_key(text: str) -> str:
    return " ".join(word.casefold() for word in _TOKEN.findall(text))


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str
    spelling: str | None
    """For an alias without spaces ("WHO", "ACT-A"): the exact spelling a text must use."""


class Gazetteer:
    """Resolves aliases to canonical names and finds the names mentioned in text.

    With `upper_words`, one-word aliases also match in capitals ("TURKEY"); without it,
    one-word matches inside ALL-CAPS text are ignored (there "WHO" is a word).
    """

    def __init__(self, entries: Iterable[Entry], upper_words: bool = False) -> None:
        self.entries = tuple(entries)
        self._upper_words = upper_words
        self._by_key: dict[str, str] = {}
        self._aliases: dict[str, list[_Alias]] = {}
        self._prefixes: set[str] = set()
        self._longest = 1
        for entry in self.entries:
            for alias in entry.all_names():
                self._by_key.setdefault(alias_key(alias), entry.name)
                key = _words_key(alias)
                compact = alias.strip()
                spelling = _unify(compact.rstrip(".")) if " " not in compact or entry.exact else None
                self._aliases.setdefault(key, []).append(_Alias(entry.name, spelling))
                parts = key.split(" ")
                self._longest = max(self._longest, len(parts))
                self._prefixes.update(" ".join(parts[:n]) for n in range(1, len(parts) + 1))
        self._by_name = {entry.name: entry for entry in self.entries}

    def canonical(self, alias: str) -> str | None:
        """The canonical name for an alias in any case, or None if it is unknown."""
        return self._by_key.get(alias_key(alias))

    def get(self, name: str) -> Entry | None:
        """The entry with this canonical name, or None."""
        return self._by_name.get(name)

    def mentions(self, text: str) -> Iterator[Mention]:
        """Every mention in `text`, the longest alias winning where they overlap."""
        words = list(_TOKEN.finditer(text))
        folded = [w.group(0).casefold() for w in words]
        after = 0  # the first word not inside the last mention
        for i in [i for i, word in enumerate(folded) if word in self._prefixes]:  # words an alias may start with
            if i < after:
                continue
            best: tuple[str, int] | None = None
            key = ""
            for length in range(1, min(self._longest, len(words) - i) + 1):
                key = f"{key} {folded[i + length - 1]}" if key else folded[i]
                if key not in self._prefixes:
                    break
                name = self._match(text, words[i : i + length], key)
                if name is not None:
                    best = (name, length)
            if best is not None:
                yield Mention(best[0], words[i].start(), words[i + best[1] - 1].end())
                after = i + best[1]

    def _match(self, text: str, words: list[re.Match[str]], key: str) -> str | None:
        candidates = self._aliases.get(key)
        if not candidates:
            return None
        written = text[words[0].start() : words[-1].end()]
        joined = all(set(text[a.end() : b.start()]) <= _JOINERS for a, b in zip(words, words[1:]))
        for alias in candidates:
            if alias.spelling is None:
                if joined:
                    return alias.name
            elif self._spelled(alias.spelling, _unify(written), text, words):
                return alias.name
        return None

    def _spelled(self, spelling: str, written: str, text: str, words: list[re.Match[str]]) -> bool:
        if written == spelling:
            return self._upper_words or not _in_shouting(text, words[0].start(), words[-1].end())
        return self._upper_words and written == spelling.upper()

    def find(self, text: str) -> list[str]:
        """Canonical names mentioned in `text`, once each, in order of first mention."""
        return list(dict.fromkeys(m.name for m in self.mentions(text)))


def _in_shouting(text: str, start: int, end: int) -> bool:
    """True when a match sits in ALL-CAPS text."""
    window = text[max(0, start - 40) : start] + " " + text[end : end + 40]
    letters = [ch for ch in window if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.7
