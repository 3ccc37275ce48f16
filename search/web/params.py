"""URL query parameters, the server's whole search state: read into a SearchRequest the way
the CLI reads its options (the same names, the same checks, the same messages), and
changed one at a time to make the page's links (a facet value chosen or removed, another
page, another order).

`q`, `org`, `year`, `month`, `person`, `place`, `type`, `lang` (and `not_org` … `not_lang`),
`from`, `to`, `sort`, `match`, `limit`, `page`, `facet`, `sections`, `one_per_text`,
`all_copies`, `joint`, `expand`, `feedback`, `explain`, and `more` (a facet field listed up to 100 values).
Filters, `facet` and `more` repeat; an empty value counts as absent, as a form sends it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import NamedTuple, TypeVar
from urllib.parse import urlencode

from search.request import (
    DEFAULT_FACETS,
    FILTER_OPTIONS,
    Match,
    QueryError,
    SearchRequest,
    Sort,
    make_filters,
)

E = TypeVar("E", bound=Enum)
Pairs = tuple[tuple[str, str], ...]
"""Query parameters in the order given, repeated keys kept."""

FILTER_PARAMS = {option: name for name, option in FILTER_OPTIONS.items()}
"""`org` -> organisation, …: the parameters that choose facet values."""
EXCLUDE_PARAMS = {f"not_{option}": name for option, name in FILTER_PARAMS.items()}
"""`not_org` -> organisation, …: the parameters that leave values out."""
FLAGS = {"sections": "all_sections", "one_per_text": "one_per_text", "all_copies": "all_copies", "expand": "expand",
         "feedback": "feedback", "explain": "explain"}
SCALARS = ("q", "from", "to", "sort", "match", "limit", "page", "joint", *FLAGS)
REPEATED = (*FILTER_PARAMS, *EXCLUDE_PARAMS, "facet", "more")
TERMINAL = ("width", "color", "no_color", "terminal", "cwd")
"""/api/cli/search's parameters beside the command's arguments (`arg`, each once, in order):
its terminal's width, colours, whether its user asked for none (NO_COLOR: bold and dim
stay) and whether it is one (for text), and the folder it runs in, which its paths are read and shown from (search.launcher)."""
MAX_DEPTH = 10_000
"""The deepest result a page may reach (page × limit); beyond, narrow the search."""
TRUE_VALUES, FALSE_VALUES = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def clean(items: Iterable[tuple[str, str]]) -> Pairs:
    """The parameters without empty values (a form's blank fields), or QueryError naming an
    unknown one or a repeated single one."""
    pairs = tuple((key, value) for key, value in items if value.strip())
    for key, _ in pairs:
        if key not in SCALARS and key not in REPEATED:
            raise QueryError(f"Unknown parameter {key!r}; use {', '.join((*SCALARS, *REPEATED))}.")
    for key in SCALARS:
        if sum(1 for k, _ in pairs if k == key) > 1:
            raise QueryError(f"Give {key}= once.")
    return pairs


def values(pairs: Pairs, key: str) -> list[str]:
    """Every value of a parameter, in order."""
    return [value for k, value in pairs if k == key]


def value(pairs: Pairs, key: str) -> str | None:
    """A single parameter's value, or None."""
    found = values(pairs, key)
    return found[0] if found else None


def to_request(pairs: Pairs, default_query: str = "*", facets: Sequence[str] = DEFAULT_FACETS) -> SearchRequest:
    """The SearchRequest the parameters describe (QueryError when one is invalid); with no
    `q`, `default_query`; with no `facet`, `facets`."""
    filters = make_filters({name: values(pairs, option) for option, name in FILTER_PARAMS.items()},
                           {name: values(pairs, option) for option, name in EXCLUDE_PARAMS.items()},
                           value(pairs, "from"), value(pairs, "to"),
                           value(pairs, "joint") is not None and _flag(pairs, "joint"))
    limit, page = _whole(pairs, "limit", 10), _whole(pairs, "page", 1)
    if page > 1 and (page - 1) * limit >= MAX_DEPTH:
        raise QueryError(f"page {page} is beyond the {MAX_DEPTH:,}th result; narrow the search instead.")
    flags = {attribute: _flag(pairs, key) for key, attribute in FLAGS.items() if value(pairs, key) is not None}
    return SearchRequest(
        text=value(pairs, "q") or default_query, filters=filters,
        match=_choice(pairs, "match", Match), sort=_choice(pairs, "sort", Sort) or Sort.RELEVANCE,
        page=page, limit=limit, facets=tuple(dict.fromkeys(values(pairs, "facet"))) or tuple(facets),
        wider=tuple(dict.fromkeys(values(pairs, "more"))), **flags,
    )


class Terminal(NamedTuple):
    """How `accord search` prints, as it tells /api/cli/search."""

    width: int | None
    """None when the command sent no terminal: it prints JSON."""
    color: str | None
    no_color: bool
    is_terminal: bool
    folder: Path


COLOR_SYSTEMS = ("none", "standard", "256", "truecolor", "windows")
MAX_WIDTH = 1000


def command_of(items: Iterable[tuple[str, str]]) -> tuple[list[str], Terminal]:
    """The arguments of `accord search` and its terminal, from /api/cli/search's
    parameters, checked (QueryError otherwise)."""
    given = tuple(items)
    unknown = sorted({key for key, _ in given} - {"arg", *TERMINAL})
    if unknown:
        raise QueryError(f"Unknown parameter {unknown[0]!r}; use arg, {', '.join(TERMINAL)}.")
    width = _whole(given, "width", 0) if value(given, "width") is not None else None
    if width is not None and not 20 <= width <= MAX_WIDTH:
        raise QueryError(f"width must be between 20 and {MAX_WIDTH}, not {width}.")
    color = value(given, "color") or "none"
    if color not in COLOR_SYSTEMS:
        raise QueryError(f"color must be one of {', '.join(COLOR_SYSTEMS)}, not {color!r}.")
    folder = Path(value(given, "cwd") or "/")
    if not folder.is_absolute():
        raise QueryError(f"cwd must be an absolute path, not {folder}.")
    terminal = Terminal(width, None if color == "none" else color, value(given, "no_color") == "1",
                        value(given, "terminal") == "1", folder)
    return values(given, "arg"), terminal


def _whole(pairs: Pairs, key: str, default: int) -> int:
    given = value(pairs, key)
    if given is None:
        return default
    try:
        return int(given)
    except ValueError:
        raise QueryError(f"{key} must be a whole number, not {given!r}.") from None


def _flag(pairs: Pairs, key: str) -> bool:
    given = (value(pairs, key) or "").lower()
    if given not in TRUE_VALUES + FALSE_VALUES:
        raise QueryError(f"{key} must be 1 or 0, not {given!r}.")
    return given in TRUE_VALUES


def _choice(pairs: Pairs, key: str, kind: type[E]) -> E | None:
    given = value(pairs, key)
    if given is None:
        return None
    try:
        return kind(given.lower())
    except ValueError:
        raise QueryError(f"Invalid {key} {given!r}; choose from {', '.join(c.value for c in kind)}.") from None


def link(pairs: Pairs, path: str = "/") -> str:
    """The URL of `path` with these parameters."""
    return f"{path}?{urlencode(pairs)}" if pairs else path


def adding(pairs: Pairs, key: str, added: str) -> Pairs:
    """The parameters with one more value of `key`, back on the first page."""
    return (*without_page(pairs), (key, added))


def removing(pairs: Pairs, key: str, removed: str | None = None) -> Pairs:
    """The parameters without `key` (or only its value `removed`), back on the first page."""
    return tuple((k, v) for k, v in without_page(pairs) if not (k == key and removed in (None, v)))


def replacing(pairs: Pairs, key: str, new: str | None) -> Pairs:
    """The parameters with `key` set to `new` (removed when None); the page is kept only
    when it is the key replaced."""
    kept = pairs if key == "page" else without_page(pairs)
    rest = tuple((k, v) for k, v in kept if k != key)
    return rest if new is None else (*rest, (key, new))


def without_page(pairs: Pairs) -> Pairs:
    """The parameters, back on the first page."""
    return tuple((k, v) for k, v in pairs if k != "page")
