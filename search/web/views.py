"""What the pages show, built from result types: each facet value with the link that
chooses or removes it, the active filters as chips, the pages, and text cut into plain
and highlighted pieces by offset (the templates escape every piece; no markup is ever
put into text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from indexer.fields import MONTH, NONE, YEAR
from search.render import copy_label, shown_date
from search.web.params import (
    EXCLUDE_PARAMS,
    FILTER_PARAMS,
    TRUE_VALUES,
    Pairs,
    adding,
    link,
    removing,
    replacing,
    value,
    values,
    without_page,
)

if TYPE_CHECKING:
    from search.results import DocumentHit, FacetResult, SearchResult

FACET_LABELS = {"issuer": "Issued by", "organisation": "Organisation", "year": "Year", "month": "Month", "type": "Type",
                "language": "Language", "person": "Person", "place": "Place", "symbol": "Cites"}
PAGE_FACETS = ("issuer", "organisation", "year", "month", "type", "language", "person", "place", "symbol")
"""The facets the page shows, in this order."""
_OPTION = {name: option for option, name in FILTER_PARAMS.items()}
_SORTS = (("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first"))


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text, highlighted or not."""

    text: str
    marked: bool


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One facet value as the page shows it."""

    label: str
    count: int
    selected: bool
    url: str
    """Chooses the value, or removes it when it is chosen."""
    share: int
    """Its bar's length, in twentieths of the field's largest count (a class, not a style:
    the page's Content-Security-Policy allows no inline style)."""


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet field as the page shows it."""

    name: str
    label: str
    values: tuple[FacetValue, ...]
    more: str | None
    """The link that lists more of its values, when there are more."""
    fewer: str | None
    """The link back to the ten largest, when more are listed."""


def pieces(text: str, spans: tuple[tuple[int, int], ...]) -> list[Piece]:
    """`text` cut at the [start, end) spans: plain and highlighted pieces in order (spans
    apart by spaces only are highlighted as one: "human rights", not "human" "rights")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and text[joined[-1][1]:start].isspace() and "\n" not in text[joined[-1][1]:start]:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    found, at = [], 0
    for start, end in joined:
        if start > at:
            found.append(Piece(text[at:start], False))
        found.append(Piece(text[start:end], True))
        at = end
    if at < len(text):
        found.append(Piece(text[at:], False))
    return found


def facets(result: SearchResult, pairs: Pairs) -> list[Facet]:
    """The page's facets, each value linked to the search with it chosen (or removed)."""
    shown = []
    for name in PAGE_FACETS:
        counted = result.facets.get(name)
        if counted is None or not counted.counts:
            continue
        shown.append(_facet(counted, pairs))
    return shown


def _facet(counted: FacetResult, pairs: Pairs) -> Facet:
    name, option = counted.field, _OPTION[counted.field]
    top = max(c.count for c in counted.counts) or 1
    listed = tuple(
        FacetValue(str(c.value), c.count, c.selected,
                   link(_unchoosing(pairs, name, str(c.value)) if c.selected else adding(pairs, option, str(c.value))),
                   round(20 * c.count / top))
        for c in counted.counts
    )
    wide = name in values(pairs, "more")
    more = None if wide or not counted.truncated or name in (YEAR, MONTH) else link(adding(pairs, "more", name))
    fewer = link(removing(pairs, "more", name)) if wide else None
    return Facet(name, FACET_LABELS[name], listed, more, fewer)


def _unchoosing(pairs: Pairs, name: str, shown: str) -> Pairs:
    """The parameters without those that choose the facet value `shown` (written as an
    alias, in another case, without a person's accents, or as a range of years holding it)."""
    from search.facets import value_key
    from search.request import canonical_value, parse_year_range

    option = _OPTION[name]

    def chooses(given: str) -> bool:
        if name == YEAR and shown != NONE and given != NONE:
            span = parse_year_range(given)
            return span.start <= int(shown) <= span.end
        return value_key(name, canonical_value(name, given)) == value_key(name, canonical_value(name, shown))

    return tuple((k, v) for k, v in without_page(pairs) if not (k == option and chooses(v)))


def chips(pairs: Pairs) -> list[Link]:
    """Each active filter, with the link that removes it."""
    found = []
    for key, given in pairs:
        if key in FILTER_PARAMS:
            label = f"{FACET_LABELS[FILTER_PARAMS[key]]}: {given}"
        elif key in EXCLUDE_PARAMS:
            label = f"{FACET_LABELS[EXCLUDE_PARAMS[key]]}: not {given}"
        elif key in ("from", "to"):
            label = f"{key.capitalize()} {given}"
        elif key == "joint" and given.lower() in TRUE_VALUES:
            label = "Joint statements only"
        else:
            continue
        found.append(Link(label, link(removing(pairs, key, given))))
    return found


def clear_all(pairs: Pairs) -> str:
    """The search without any filter."""
    kept = tuple((k, v) for k, v in pairs if k not in FILTER_PARAMS and k not in EXCLUDE_PARAMS
                 and k not in ("from", "to", "page", "joint"))
    return link(kept)


def pages(result: SearchResult, pairs: Pairs) -> dict[str, object]:
    """Previous and next links, and a window of page numbers."""
    last = max(1, -(-result.total_texts // result.limit))
    at = result.page

    def to(page: int) -> str:
        return link(replacing(pairs, "page", str(page) if page > 1 else None))

    window = [Link(str(n), to(n)) for n in range(max(1, at - 3), min(last, at + 3) + 1)] if last > 1 else []
    return {"current": at, "last": last, "prev": to(at - 1) if at > 1 else None,
            "next": to(at + 1) if at < last else None, "numbers": window}


def sorts(pairs: Pairs) -> list[tuple[str, str, bool]]:
    """The orders a search can take: (label, link, chosen)."""
    chosen = value(pairs, "sort") or "relevance"
    return [(label, link(replacing(pairs, "sort", None if key == "relevance" else key)), key == chosen)
            for key, label in _SORTS]


def hit_view(hit: DocumentHit, query: str | None) -> dict[str, object]:
    """One result: its metadata, its link (to the section it matched best) and its
    sections' highlighted snippets."""
    meta = hit.metadata
    base = doc_url(hit.doc_id, query)
    sections = [{"heading": s.heading if s.heading != meta.title else None,
                 "url": f"{base}#s-{s.section_id.rpartition('#')[2]}",
                 "pieces": pieces(s.snippet.text, s.snippet.highlights)} for s in hit.sections]
    return {
        "doc_id": hit.doc_id, "title": meta.title or hit.doc_id,
        "url": sections[0]["url"] if sections else base,
        "date": shown_date(meta),
        "issuers": meta.issuers,
        "organisations": [org for org in meta.organisations if org not in meta.issuers], "type": meta.doc_type, "language": meta.language,
        "path": hit.path, "score": hit.score, "sections": sections,
        "more_sections": hit.matching_sections - len(hit.sections),
        "translations": [Link(language or "?", doc_url(doc_id, query)) for doc_id, language in hit.translations],
        "copies": [Link(copy_label(copy), doc_url(copy.doc_id, query)) for copy in hit.copies],
    }


def doc_url(doc_id: str, query: str | None = None) -> str:
    """The document view's URL (its id percent-encoded: ids hold `/`, `#`, spaces)."""
    return link(((("q", query),) if query and query != "*" else ()), f"/doc/{quote(doc_id, safe='/')}")
