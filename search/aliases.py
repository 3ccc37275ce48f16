"""Organisation aliases in queries: a name written one way also finds the others.

"UN Human Rights Office" in a query matches as the best of "UN Human Rights Office",
"OHCHR", "Office of the United Nations High Commissioner for Human Rights", ... and
organisation:OHCHR, through the organisation gazetteer; the organisation facet term also
finds documents that name it in a way words alone cannot ("WHO" among "who"). Each name
found is replaced by a placeholder word before the query is parsed, and the placeholder
by that disjunction after, so the parser's grouping of the rest is untouched. Quoted
phrases and field:value terms are left as written. Multi-word names match in any case;
one-word names as the gazetteer spells them, or in lower case for acronyms of four
letters or more ("ohchr", but not "who").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indexer.fields import CONTENT, ORGANISATION
from indexer.metadata.gazetteer import Gazetteer, alias_key
from indexer.metadata.orgs import load_orgs
from search.results import Expansion

if TYPE_CHECKING:
    from whoosh.fields import Schema
    from whoosh.query import Query

_QUOTED = re.compile(r'("[^"]*")')
_WORD = re.compile(r"\w+")
PLACEHOLDER = "accordalias{}"
"""A word no analyzer changes (it ends in a digit), standing for the n-th expansion."""


def expand_aliases(text: str) -> tuple[str, tuple[Expansion, ...]]:
    """The query text with each organisation name replaced by PLACEHOLDER.format(n), and
    the n-th Expansion for each."""
    orgs = load_orgs()
    parts = _QUOTED.split(text)
    expansions: list[Expansion] = []
    for index in range(0, len(parts), 2):  # even parts are outside quotes
        parts[index] = _expand_part(parts[index], orgs, expansions)
    return "".join(parts), tuple(expansions)


def _expand_part(text: str, orgs: Gazetteer, expansions: list[Expansion]) -> str:
    out, last = [], 0
    for start, end, name in _mentions(text, orgs):
        if text[:start].endswith((":", "/", "-")) or (end < len(text) and text[end] in ":*?~/-"):
            continue  # a field name or value, a pattern, part of a symbol or compound: left as written
        written = text[start:end]
        entry = orgs.get(name)
        if entry is None:
            continue
        others = {alias_key(a): a for a in reversed(entry.all_names())}  # first spelling wins
        others.pop(alias_key(written), None)
        aliases = tuple(sorted(others.values(), key=entry.all_names().index))
        if not aliases:
            continue
        out += [text[last:start], f" {PLACEHOLDER.format(len(expansions))} "]
        expansions.append(Expansion(written, name, aliases))
        last = end
    return "".join(out) + text[last:]


def _mentions(text: str, orgs: Gazetteer) -> list[tuple[int, int, str]]:
    """Organisation names in query text, as (start, end, canonical name), in order."""
    found = [(m.start, m.end, m.name) for m in orgs.mentions(text)]
    taken = [range(start, end) for start, end, _ in found]
    for word in _WORD.finditer(text):
        if any(word.start() in span for span in taken):
            continue
        name = _lower_case_acronym(word.group(0), orgs)
        if name:
            found.append((word.start(), word.end(), name))
    return sorted(found)


def _lower_case_acronym(word: str, orgs: Gazetteer) -> str | None:
    if len(word) < 4 or not word.islower():
        return None
    name = orgs.canonical(word)
    entry = orgs.get(name) if name else None
    if entry and any(a.isupper() and a.casefold() == word for a in entry.all_names()):
        return name
    return None


def alias_query(expansion: Expansion, schema: Schema) -> Query:
    """The best match among an organisation's names in `content`, and its facet term."""
    from whoosh import query as wq

    analyzer = schema[CONTENT].analyzer
    alternatives = [wq.Term(ORGANISATION, expansion.organisation.lower())]
    for name in (expansion.written, *expansion.aliases):
        words = [token.text for token in analyzer(name)]
        if len(words) == 1:
            alternatives.append(wq.Term(CONTENT, words[0]))
        elif words:
            alternatives.append(wq.Phrase(CONTENT, words))
    return wq.DisjunctionMax(alternatives)
