"""Snippets: the part of a section's text that best shows why it matched.

A snippet is plain text with the matched words given as [start, end) character
offsets into it, never as markup. The text is analysed with the analyzer of its
language, as it was indexed, so a stem or an accent-folded form highlights the word as
written ("vaccines" for the query "vaccine", "Lenarčič" for "Lenarcic", "والاسـتغلال"
for "الاستغلال"); Chinese bigrams that overlap are shown as one span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from search.results import Snippet

SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 60
_NON_SPACE = re.compile(r"\S+")


def make_snippet(text: str, terms: Iterable[str], language: str | None = None,
                 max_chars: int = SNIPPET_CHARS) -> Snippet:
    """The window of `text` (written in `language`) with the most distinct matched terms,
    with their spans."""
    flat = " ".join(text.split())
    return _best_window(flat, _matches(flat, set(terms), language), max_chars)


def snippet_at(text: str, spans: Iterable[tuple[int, int]], language: str | None = None,
               max_chars: int = SNIPPET_CHARS) -> Snippet:
    """The window of `text` (written in `language`) with the most distinct terms among the
    given [start, end) spans of it (a search engine's highlights), cut as make_snippet cuts
    one: "cooperation" and "cooperated" are one term."""
    from indexer.analysis import index_terms

    words = list(_NON_SPACE.finditer(text))
    starts = [word.start() for word in words]
    flat_starts, length = [], 0
    for word in words:
        flat_starts.append(length)
        length += len(word.group()) + 1

    def flat(position: int) -> int:
        at = bisect_right(starts, position) - 1
        return flat_starts[at] + min(position - starts[at], len(words[at].group()))

    joined = " ".join(word.group() for word in words)
    moved = [(flat(start), flat(end - 1) + 1) for start, end in spans
             if words and end > start and start >= starts[0]]
    terms = [(start, end, " ".join(term for _, _, term in index_terms(joined[start:end], language)))
             for start, end in moved]
    return _best_window(joined, terms, max_chars)


def _best_window(flat: str, spans: list[tuple[int, int, str]], max_chars: int) -> Snippet:
    if not spans:
        return _clip(flat, 0, max_chars, [])
    best_start, best_score = spans[0][0], -1
    for start, _, _ in spans:
        window_start = max(0, start - _CONTEXT_BEFORE)
        inside = {term for s, e, term in spans if s >= window_start and e <= window_start + max_chars}
        if len(inside) > best_score:
            best_start, best_score = window_start, len(inside)
    return _clip(flat, best_start, max_chars, spans)


def highlight_spans(text: str, terms: Iterable[str], language: str | None = None) -> tuple[tuple[int, int], ...]:
    """The [start, end) spans of the matched `terms` in the whole of `text` (as it is,
    whitespace kept), overlapping spans merged."""
    merged: list[tuple[int, int]] = []
    for start, end, _ in sorted(_matches(text, set(terms), language)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _matches(text: str, wanted: set[str], language: str | None) -> list[tuple[int, int, str]]:
    if not wanted:
        return []
    from indexer.analysis import index_terms

    return index_terms(text, language, wanted)


def _clip(text: str, start: int, max_chars: int, spans: list[tuple[int, int, str]]) -> Snippet:
    """Cut text to [start, start+max_chars) at word boundaries, marking cuts with "…"."""
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + max_chars // 2 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    merged: list[tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        if s < start or e > end:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    highlights = tuple((s + shift, e + shift) for s, e in merged)
    return Snippet(prefix + text[start:end] + suffix, highlights)
