"""Field names of a section record, the facet fields, the content languages, and the
naming rules that tie them together. Imports nothing, so that every module can use it."""

from __future__ import annotations

from collections.abc import Iterable

SECTION_ID = "section_id"
DOC_ID = "doc_id"
FILE = "file"
POSITION = "position"
PATH = "path"
CONTENT_HASH = "content_hash"
MTIME = "mtime_ns"
SIZE = "size"
TITLE = "title"
HEADING = "heading"
BODY = "body"
CONTENT = "content"
EXTRA = "extra"
DATE = "date"
DATE_SOURCE = "date_source"
DATE_START = "date_start"
DATE_END = "date_end"
YEAR = "year"
MONTH = "month"
ORGANISATION = "organisation"
ISSUER = "issuer"
ISSUER_SOURCE = "issuer_source"
TITLE_SOURCE = "title_source"
PERSON = "person"
PLACE = "place"
TYPE = "type"
LANGUAGE = "language"
SECTION_LANGUAGE = "section_language"
TRANSLATION = "translation"
SYMBOL = "symbol"
"""The UN document symbols a document cites."""
FINGERPRINT = "fingerprint"
"""A document's fingerprint (indexer.fingerprint), on its first record only."""
CONTENT_LANGUAGES = ("ar", "es", "fr", "ru", "zh")
"""Languages whose sections have a content field, and analysis, of their own."""
CONTENT_FIELDS = (CONTENT, *(f"{CONTENT}_{language}" for language in CONTENT_LANGUAGES))

KEYWORD_FIELDS = (ISSUER, ORGANISATION, PERSON, PLACE, TYPE, LANGUAGE, SYMBOL)
FACET_FIELDS = (ISSUER, ORGANISATION, YEAR, MONTH, PERSON, PLACE, TYPE, LANGUAGE, SYMBOL)
"""What facets count; `month` is read from the date, not indexed as a field of its own."""
NONE = "(none)"
"""The facet value of documents without a value, and the filter value that selects them."""
_SEPARATOR = ","

FIRST_DAY, LAST_DAY = 10000101, 99991231
"""The range of YYYYMMDD day numbers."""


def content_field(language: str | None) -> str:
    """The field that indexes a section written in `language`."""
    return f"{CONTENT}_{language}" if language in CONTENT_LANGUAGES else CONTENT


def language_of_field(fieldname: str) -> str | None:
    """The language a content field is analysed for (None: English and the rest)."""
    return fieldname.rpartition("_")[2] if fieldname in CONTENT_FIELDS[1:] else None


def section_id(doc_id: str, position: int) -> str:
    """The id of a section: `<doc_id>#<position>`."""
    return f"{doc_id}#{position}"


def split_section_id(value: str) -> tuple[str, int]:
    """Split a section id back into its document id and position."""
    doc_id, _, position = value.rpartition("#")
    return doc_id, int(position)


def join_values(values: Iterable[str]) -> str:
    """Join facet values for a KEYWORD field (commas inside a value become spaces)."""
    return _SEPARATOR.join(" ".join(v.replace(_SEPARATOR, " ").split()) for v in values if v.strip())


def split_values(stored: str | None) -> list[str]:
    """The facet values stored in a KEYWORD field."""
    return [v for v in (stored or "").split(_SEPARATOR) if v]
