"""Find a document's date in its text: an explicit date line, or inferred from mentions.

Explicit: a short line holding a date near the top or the bottom ("24.02.2021 - Press
release", "12 June 2014"), or a dateline opening a paragraph ("GENEVA (12 June 2014) –",
"(Berlin, January 16, 2024) –"). Inferred: the latest year the text mentions (not in
the future), with the latest full date of that year when there is one; never from a photo
credit ("© 2023 John Moore/Getty Images"), a plan ("by 2026", "until 2030") or a name
("the 2026 World Cup", "Vision 2030"); a photo caption is never a date line.
No date is later than the file's modification time, when that time is a real one. Numeric
dates are read day first ("24.02.2021"), as in the documents of the organisations we serve.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})[./](?P<mnum>\d{{1,2}})[./]{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})-{_MONTH}-{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),
]
_A_YEAR = re.compile(r"1[89]\d\d|20\d\d")
CAPTION = re.compile(r"^(?:Click to expand|Expand image|Photo:|Image:|Caption:)|©|\bPhoto(?:s|graph)?\b.*\d{4}|"
                     r"/(?:AP|AFP|Getty|Reuters)\b", re.IGNORECASE)
"""A paragraph that is a photo caption or credit."""
_MONTH_NAME = r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
_NOT_WHEN = re.compile(
    r"(?:©|\(c\)|copyright|\b(?:by|until|till|before|ahead of|in time for|deadline of|target(?:ed)? (?:of|for)|"
    r"plans? for|(?:ends?|ending|expires?|due|set|scheduled|slated|planned|expected|to be \w+)(?: to \w+)? (?:in|by|for)|"
    r"will\b[^.,;]{0,40}?\b(?:in|by)|(?:anticipat|forecast|project|predict)\w*\b[^.,;]{0,60}?\b(?:in|by|to|through)|(?:comes?|coming|enters?|entering) into (?:force|effect)\b[^.;]{0,60}?\b(?:in|on)|"
    r"until at least|(?:elections?|targets?|goals?|deadline|budget|plan|agenda|strategy|"
    r"vision) (?:in|for|of|by)|the(?= (?:19|20)\d\d (?:(?-i:[A-Z])|(?:elections?|summit|games)\b))))\s+"
    r"(?:the\s+(?:end|start)\s+of\s+)?(?:(?:early|mid|late)[- ]?)?" + _MONTH_NAME + r"((?:19|20)\d\d)\b",
    re.IGNORECASE)
"""A year that says nothing of when the text was written: a copyright, a plan, a deadline,
an event ahead ("the 2026 World Cup", "the 2026 US, Canada, and Mexico-hosted Cup", "elections
in 2025")."""
_NAME_WITH_YEAR = re.compile(r"\b([A-Z][\w’'-]*\.? )((?:19|20)\d\d)(?![\w/-])")
"""A capitalised word and a year: a name ("the Dignity 2026 Coalition", "Vision 2030", "Euro
2024") unless the word is one of _BEFORE_A_DATE."""
_BEFORE_A_DATE = frozenset({
    *MONTHS, "in", "by", "since", "from", "until", "till", "during", "of", "for", "on", "at", "after", "before",
    "between", "through", "throughout", "around", "to", "and", "or", "circa", "early", "late", "mid", "end",
    "spring", "summer", "autumn", "fall", "winter", "year", "the", "this", "that", "its", "their", "our", "last",
})
"""Words that put a year in time rather than in a name: months, prepositions, seasons."""
REAL_MTIME_YEAR = 1995
"""Modification times before this are an archive's or a copy's placeholder, not real ones."""
_BARE_YEAR = re.compile(r"(?<![\w./-])(19[4-9]\d|20\d\d)(?![\w/-])")
_DATELINE_END = re.compile(r"\)?\s*[–—:-]\s")


class DateSource(str, Enum):
    """Where a document's date came from."""

    METADATA = "metadata"
    EXPLICIT = "explicit"
    INFERRED = "inferred"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date at the precision known: "2021-02-24", "2021-10" or None (year only)."""

    date: str | None
    year: int | None
    source: DateSource


NO_DATE = FoundDate(None, None, DateSource.NONE)
_NAME_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
_IN_WORDS = re.compile(r"[a-z]{2}[-_ ](?:19|20)\d\d[-_ ][a-z]{2}", re.IGNORECASE)
"""A year between two words of a file name: part of a title ("rights-framework-2026-world-cup")."""
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ]\d")
_BASIC_TIMESTAMP = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T\d{2,6}(?:[.,]\d+)?(?:Z|[+-]\d{2,4})?)?")


def find_date(
    paragraphs: list[str], hints: tuple[str, ...] = (), today: dt.date | None = None, file_name: str = "",
    modified: dt.date | None = None, usual_year: int | None = None,
) -> FoundDate:
    """The document's date from its paragraphs (in reading order).

    `hints` is other text from the same page (such as related-article lines removed as
    furniture): it takes part in inferring a date, never in finding an explicit one.
    Without a date line, a date or year in the file name ("2010-09-20-nash.txt",
    "AFG_69_2014.txt") is trusted before the dates the text mentions, unless the year stands
    among a title's words in the name and the text mentions it only as an event's, a plan's
    or a copyright's. `modified`, the
    file's modification day, bounds every date found (when it is later than REAL_MTIME_YEAR).
    `usual_year`, the year most of the document's folder is dated in (indexer.metadata.prior),
    is the earliest an inferred date may be.
    """
    today = today or dt.date.today()
    if modified and REAL_MTIME_YEAR <= modified.year:
        today = min(today, modified)
    head, tail = paragraphs[:6], paragraphs[-3:]
    for paragraph in head + tail:
        found = None if CAPTION.search(paragraph) else _explicit(paragraph, today)
        if found:
            return found
    written = "\n".join([*paragraphs, *hints])
    text = _NAME_WITH_YEAR.sub(_unless_a_date, _NOT_WHEN.sub(_without_year, written))
    named = _name_date(file_name, today)
    if named and named.date is not None:
        return named
    if named and _IN_WORDS.search(file_name) and str(named.year) in written and str(named.year) not in text:
        named = None  # a title's words, and the text names that year as an event's ("...-2026-world-cup.txt")
    days = [d for d, _, _ in _dates_in(text, today)]
    year = named.year if named else _inferred_year(text, days, today)
    if usual_year and usual_year <= today.year and (year or 0) < usual_year:
        year = usual_year  # an event's year in the name, or the latest the text mentions, before the folder's
    return _latest_day(year, days) if year else NO_DATE


def _without_year(match: re.Match[str]) -> str:
    """A _NOT_WHEN match with its year left out."""
    return match.group(0)[: match.start(1) - match.start(0)]


def _unless_a_date(match: re.Match[str]) -> str:
    """A _NAME_WITH_YEAR match as it is when its word puts the year in time, else without the year."""
    word = match.group(1).rstrip(". ").casefold()
    return match.group(0) if word in _BEFORE_A_DATE else match.group(1)


def _name_date(file_name: str, today: dt.date) -> FoundDate | None:
    """A full date, or else one single year, in a file name."""
    day = _NAME_DAY.search(file_name)
    if day:
        try:
            found = dt.date(*(int(part) for part in day.groups()))
        except ValueError:
            found = None
        if found and found <= today:
            return FoundDate(found.isoformat(), found.year, DateSource.INFERRED)
    years = {int(y) for y in _NAME_YEAR.findall(file_name) if int(y) <= today.year}
    return FoundDate(None, years.pop(), DateSource.INFERRED) if len(years) == 1 else None


def _explicit(paragraph: str, today: dt.date) -> FoundDate | None:
    """A date line (a short paragraph that is mostly a date) or an opening dateline."""
    short = len(paragraph) <= 100
    for date, start, end in _dates_in(paragraph[:100], today):
        rest = (paragraph[:start] + paragraph[end:]).strip()
        date_line = short and len(rest) <= 30 and not rest.endswith(".")
        dateline = start <= 60 and _DATELINE_END.match(paragraph, end) is not None
        if date_line or dateline:
            return FoundDate(date, int(date[:4]), DateSource.EXPLICIT)
    return None


def _inferred_year(text: str, days: list[str], today: dt.date) -> int | None:
    """The latest year the text mentions (bare or in one of its `days`), not after today."""
    years = [int(y) for y in _BARE_YEAR.findall(text) if int(y) <= today.year] + [int(d[:4]) for d in days]
    return max(years, default=None)


def _latest_day(year: int, dates: list[str]) -> FoundDate:
    """The year, with the latest full date in it among `dates`, as an inferred date."""
    in_year = sorted(d for d in dates if d.startswith(str(year)) and len(d) == 10)
    return FoundDate(in_year[-1] if in_year else None, year, DateSource.INFERRED)


def _dates_in(text: str, today: dt.date) -> list[tuple[str, int, int]]:
    """ISO dates ("2021-02-24" or "2021-10") mentioned in text, not after today."""
    if not _A_YEAR.search(text):  # every pattern holds a year
        return []
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            iso = _iso(match.groupdict(), today)
            if iso:
                found.append((iso, match.start(), match.end()))
                taken.append(match.span())
    return sorted(found, key=lambda item: item[1])


def _iso(parts: dict[str, str | None], today: dt.date) -> str | None:
    year = int(parts["year"] or 0)
    mnum, day_text = parts.get("mnum"), parts.get("day")
    month = int(mnum) if mnum else MONTHS.get((parts.get("month") or "").lower(), 0)
    day = int(day_text) if day_text else 0
    try:
        if day:
            value = dt.date(year, month, day)
            return value.isoformat() if value <= today else None
        dt.date(year, month, 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" if (year, month) <= (today.year, today.month) else None


def parse_date(value: str) -> FoundDate | None:
    """Read a date given as metadata ("2021-02-24", "24 February 2021", "2021", ISO 8601
    timestamps extended or basic: "2021-02-24T09:30:00Z", "20210224T093000Z"), or None."""
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return FoundDate(None, int(value), DateSource.METADATA)
    timestamp = _TIMESTAMP.match(value) or _BASIC_TIMESTAMP.fullmatch(value)
    if timestamp:
        try:
            day = dt.date(*(int(part) for part in timestamp.groups()))
        except ValueError:
            return None
        return FoundDate(day.isoformat(), day.year, DateSource.METADATA)
    today = dt.date.max
    for date, _, _ in _dates_in(value, today):
        return FoundDate(date, int(date[:4]), DateSource.METADATA)
    return None
