"""A query as people type it, made into Whoosh's query syntax, within bounds.

- Sentence punctuation is not syntax: `?`, `!`, `.`, `,`, `;` or `:` ending a word, and `?`,
  `¿` or `¡` starting one, are dropped, as are the Arabic and full-width question and
  exclamation marks (`؟`, `？`, `！`) and the ideographic full stop and comma. So `human
  rights?` asks for both words, while `wom?n` (inside a word) and `vaccin*` (at its end)
  stay patterns.
- A word, phrase or group preceded by `-` is excluded: `human rights -climate` is
  `human rights NOT climate`; a query of exclusions only excludes from every document.
  Exclusion is of documents: a document with any section that matches is left out
  (search.rank.matching), with `--match any` too.
- A hyphenated word, or letters run into digits, asks for itself or for its parts:
  `T-cell` is `(T-cell^0.3 OR (T AND cell))`, so it finds "T-cell", "Tcell" and "T cells",
  and `covid19` finds "COVID-19" and "covid 19". The analysis indexes a compound's joined
  form too (indexer.analysis); the joined alternative is weighed down, as the parts alone
  rank SciFact's train queries better when both match.
- `date:2021-02-24`, `date:2021-06`, `date:2021` and `date:[2021-01 TO 2021-06]` match the
  documents whose date (or year, or month) falls in that period, any part of it.
- A field name the index does not know is a usage error naming the known ones.
- Bounds: MAX_QUERY_CHARS characters, MAX_QUERY_WORDS words (a Chinese or Japanese
  character counting as one), words of MAX_WORD_CHARS characters at most, and parentheses nested MAX_NESTING deep; beyond them the query is
  refused (exit 2) rather than left to run.

Nothing here imports Whoosh: the CLI and the server check a query before the engine loads.
"""

from __future__ import annotations

import calendar
import re

from indexer.errors import InvalidInput

MAX_QUERY_CHARS = 10_000
MAX_QUERY_WORDS = 500
MAX_WORD_CHARS = 100
MAX_NESTING = 16
FIELD_NAMES = {
    "title": "title", "heading": "heading", "body": "body", "text": "text", "content": "content",
    "by": "issuer", "issuer": "issuer", "issuers": "issuer", "symbol": "symbol", "symbols": "symbol",
    "cites": "symbol",
    "org": "organisation", "organisation": "organisation", "organization": "organisation", "orgs": "organisation",
    "person": "person", "people": "person", "place": "place", "places": "place", "country": "place",
    "type": "type", "doctype": "type", "lang": "language", "language": "language", "year": "year", "date": "date",
}
"""Every field name a query may use, with the field it names."""
SHOWN_FIELDS = ("title", "heading", "body", "by", "org", "person", "place", "type", "lang", "year", "date", "symbol")

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_LEADING = "?¿¡؟？！"
_TRAILING = "?!.,;:؟？！。，、"
_FIELD = re.compile(r"^(-?)([A-Za-z_]+):(?!//)(.*)$", re.DOTALL)
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DATE_RANGE = re.compile(r"date:\[\s*([\d-]*)\s+TO\s+([\d-]*)\s*\]", re.IGNORECASE)
_COMPOUND = re.compile(r"[^\W_]+(?:(?:[-‐‑][^\W_]+)+|(?:(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\W\d]))[^\W_]+)+")
"""A word with hyphens, or with letters and digits run together, and nothing else."""
_SPLIT = re.compile(r"[-‐‑]|(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\W\d])")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Kana and Han characters: text written without spaces between words."""
_OPERATORS = frozenset(("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"))


class QueryError(InvalidInput):
    """The query or an option value is invalid, or the query is beyond the bounds a query
    may cost."""


def prepare(text: str) -> str:
    """The query in Whoosh's syntax: punctuation dropped, exclusions and dates rewritten,
    field names checked, bounds enforced (QueryError otherwise)."""
    _check_bounds(text)
    pieces, excluded, included = [], 0, 0
    for match in _TOKEN.finditer(text):
        piece = _word(match.group())
        if not piece:
            continue
        if piece.startswith("-") and len(piece) > 1:
            pieces.append(f"NOT {piece[1:]}")
            excluded += 1
        else:
            pieces.append(piece)
            included += piece not in _OPERATORS
    prepared = _DATE_RANGE.sub(lambda m: _date_query(m.group(1), m.group(2), m.group(0)), " ".join(pieces))
    return f"* {prepared}" if excluded and not included else prepared


def _check_bounds(text: str) -> None:
    spaced = _CJK.sub(" ", text).split()
    words = spaced + _CJK.findall(text)  # each Chinese or Japanese character is about a word
    longest = max(spaced, key=len, default="")
    if len(longest) > MAX_WORD_CHARS:
        raise QueryError(f"A word of the query is {len(longest):,} characters long; words are at most "
                         f"{MAX_WORD_CHARS}. Check what was pasted.")
    if len(words) > MAX_QUERY_WORDS:
        raise QueryError(f"The query has {len(words):,} words; queries have at most {MAX_QUERY_WORDS}. "
                         "Keep the words that matter most.")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is {len(text):,} characters long; queries are at most "
                         f"{MAX_QUERY_CHARS:,}. Shorten it.")
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryError(f"The query nests parentheses {deepest} deep; at most {MAX_NESTING} are allowed.")


def _word(token: str) -> str:
    """One whitespace-separated piece of the query, punctuation dropped, its field checked."""
    if token.startswith('"') or token.startswith('-"'):
        return token
    token = token.lstrip(_LEADING)
    while token and token[-1] in _TRAILING and not token.endswith(("*", "~")):
        token = token[:-1]
    field = _FIELD.match(token)
    if field:
        minus, name, value = field.groups()
        if name.lower() not in FIELD_NAMES:
            raise QueryError(f"Unknown field {name!r} in the query; the fields are "
                                   f"{', '.join(SHOWN_FIELDS)}. Put a word with a colon in quotes.")
        if name.lower() == "date" and value and not value.startswith(("[", "(")):
            return minus + _date_query(value, value, token)
        return token
    return _compound(token)


def _compound(token: str) -> str:
    """A hyphenated word, or letters run into digits, as itself (its joined form, as the
    analysis reads a word) or its parts: `T-cell` also finds "T cell", `covid19` "covid 19"."""
    minus, token = ("-", token[1:]) if token.startswith("-") else ("", token)
    core = token.strip("()")
    if not _COMPOUND.fullmatch(core):
        return minus + token
    parts = " AND ".join(part for part in _SPLIT.split(core) if part)
    return minus + token.replace(core, f"({core}^0.3 OR ({parts}))", 1)


def _date_query(start: str, end: str, written: str) -> str:
    """Whoosh syntax for documents whose period overlaps [start, end] (either may be empty)."""
    parts = []
    if start:
        parts.append(f"date_end:[{_day(start, written, first=True)} TO]")
    if end:
        parts.append(f"date_start:[TO {_day(end, written, first=False)}]")
    if not parts:
        raise QueryError(f"The date in {written!r} is empty; use date:2021-02-24 or date:[2021-01 TO 2021-06].")
    return f"({' AND '.join(parts)})"


def _day(value: str, written: str, first: bool) -> int:
    """The first (or last) day of a year, month or day, as a YYYYMMDD number."""
    match = _DAY.match(value)
    if not match:
        raise QueryError(f"Cannot read the date in {written!r}; use YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
    if not 1 <= (month or 1) <= 12 or (day and day > calendar.monthrange(year, month)[1]):
        raise QueryError(f"The date in {written!r} does not exist.")
    if first:
        return year * 10000 + (month or 1) * 100 + (day or 1)
    last_month = month or 12
    return year * 10000 + last_month * 100 + (day or calendar.monthrange(year, last_month)[1])
