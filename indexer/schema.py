"""The Whoosh schema (one record per section), its version, and Document <-> records.

Every section record carries its document's metadata, path, content hash, size and
mtime, so the index alone tells what is indexed (as columns, so an incremental run
reads them without loading any text); every field but `content` is stored, so a record
can be written again from what the index holds. `content` (title, heading and text in
one field) is what a query searches by default: one combined field ranks better than the
three fields weighted apart (benchmarks/relevance.py, SciFact's train queries).
A section in French, Spanish, Russian, Arabic or Chinese is indexed in that language's
own content field (`content_fr`, ...), analysed its way; any other in `content`. Content
fields keep word positions, for phrases, in posting blocks from which ranking reads the
counts alone (indexer.store.codec). Facet fields are stored as written
(canonical names) and indexed in lower case, so filters match in any case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.fields import (
    BODY,
    CONTENT,
    CONTENT_HASH,
    CONTENT_LANGUAGES,
    DATE,
    DATE_END,
    DATE_SOURCE,
    DATE_START,
    DOC_ID,
    EXTRA,
    FILE,
    FINGERPRINT,
    HEADING,
    ISSUER,
    ISSUER_SOURCE,
    KEYWORD_FIELDS,
    LANGUAGE,
    MTIME,
    ORGANISATION,
    PATH,
    PERSON,
    PLACE,
    POSITION,
    SECTION_ID,
    SECTION_LANGUAGE,
    SIZE,
    SYMBOL,
    TITLE,
    TITLE_SOURCE,
    TRANSLATION,
    TYPE,
    YEAR,
    content_field,
    join_values,
    section_id,
    split_values,
)
from indexer.fingerprint import fingerprint
from indexer.metadata.dates import DateSource
from indexer.metadata.model import IssuerSource, Metadata, TitleSource
from indexer.sections import Section

if TYPE_CHECKING:
    from whoosh.fields import Schema

    from indexer.documents import Document

SCHEMA_VERSION = 16
"""Bumped whenever an index written before cannot be read as it is (9: the codec moved to
indexer.store.codec, and Whoosh keeps the codec's class path in every segment; 10: compound
words are indexed as their parts and joined; 11: the issuer, where it and the title came
from, and the UN document symbols cited; 12: each document's fingerprint, for its copies;
13: posting blocks as arrays, content fields keeping positions without twins; 14: posting
blocks with a fixed-size head; 15: stored fields in compressed blocks;
16: the term dictionary in front-coded blocks, a term of one posting within its entry,
positions as varint deltas)."""


def build_schema() -> Schema:
    """The schema of a section record."""
    from whoosh.columns import VarBytesColumn
    from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, Schema

    from indexer.analysis import analyzer_for
    from indexer.store.text import AccordText

    analyzer = analyzer_for(None)
    # Scorable keyword fields get a length column, which spares Whoosh a file lookup per
    # posting at commit; sortable ones a column of the values as written, from which facets
    # are counted without reading stored fields. mtime and size are never searched by
    # range, so one term each.
    keyword = {"stored": True, "commas": True, "lowercase": True, "scorable": True, "sortable": True}
    whole = {"bits": 64, "stored": True, "sortable": True, "shift_step": 64}
    ranged = {"bits": 32, "stored": True, "sortable": True, "shift_step": 8}
    return Schema(
        **{
            SECTION_ID: ID(stored=True, unique=True),
            DOC_ID: ID(stored=True, sortable=True),
            FILE: ID(stored=True, sortable=True),
            POSITION: STORED(),
            PATH: STORED(),
            CONTENT_HASH: ID(stored=True, sortable=True),
            MTIME: NUMERIC(int, **whole),
            SIZE: NUMERIC(int, **whole),
            TITLE: AccordText(analyzer=analyzer, stored=True),
            HEADING: AccordText(analyzer=analyzer, stored=True),
            BODY: STORED(),
            CONTENT: AccordText(analyzer=analyzer, spelling=True),
            **{content_field(language): AccordText(analyzer=analyzer_for(language)) for language in CONTENT_LANGUAGES},
            SECTION_LANGUAGE: STORED(),
            TRANSLATION: ID(stored=True, sortable=True),
            EXTRA: STORED(),
            DATE: STORED(),
            DATE_SOURCE: STORED(),
            ISSUER_SOURCE: STORED(),
            TITLE_SOURCE: STORED(),
            DATE_START: NUMERIC(int, **ranged),
            DATE_END: NUMERIC(int, **ranged),
            YEAR: NUMERIC(int, **ranged),
            **{name: KEYWORD(**keyword) for name in KEYWORD_FIELDS},
            FINGERPRINT: COLUMN(VarBytesColumn()),
        }
    )


def date_bounds(date: str | None, year: int | None) -> tuple[int, int] | None:
    """The first and last day a (possibly partial) date covers, as YYYYMMDD numbers."""
    if date:
        parts = [int(p) for p in date.split("-")]
        if len(parts) == 3:
            value = parts[0] * 10000 + parts[1] * 100 + parts[2]
            return value, value
        if len(parts) == 2:
            base = parts[0] * 10000 + parts[1] * 100
            return base + 1, base + 31
    if year:
        return year * 10000 + 101, year * 10000 + 1231
    return None


def records(doc: Document) -> Iterator[dict[str, Any]]:
    """The Whoosh records of a document, one per section."""
    meta = doc.metadata
    shared: dict[str, Any] = {
        DOC_ID: doc.doc_id,
        FILE: doc.file,
        EXTRA: json.dumps(dict(meta.extra), ensure_ascii=False) if meta.extra else "",
        PATH: str(doc.path),
        CONTENT_HASH: doc.content_hash,
        MTIME: doc.mtime_ns,
        SIZE: doc.size,
        TITLE: meta.title or "",
        DATE: meta.date,
        DATE_SOURCE: meta.date_source.value,
        ISSUER: join_values(meta.issuers),
        SYMBOL: join_values(meta.symbols),
        ISSUER_SOURCE: meta.issuer_source.value,
        TITLE_SOURCE: meta.title_source.value,
        ORGANISATION: join_values(meta.organisations),
        PERSON: join_values(meta.people),
        PLACE: join_values(meta.places),
        TYPE: meta.doc_type or "",
        LANGUAGE: meta.language or "",
        TRANSLATION: meta.translation or "",
    }
    if meta.year is not None:
        shared[YEAR] = meta.year
    bounds = date_bounds(meta.date, meta.year)
    if bounds:
        shared[DATE_START], shared[DATE_END] = bounds
    first = {FINGERPRINT: fingerprint(section.text for section in doc.sections)}
    for section in doc.sections:
        content = content_text(meta.title, section.heading, section.text)
        yield {
            **shared,
            **first,
            SECTION_ID: section_id(doc.doc_id, section.position),
            POSITION: section.position,
            HEADING: section.heading or "",
            BODY: section.text,
            SECTION_LANGUAGE: section.language or "",
            content_field(section.language): content,
        }
        first = {}


def content_text(title: str | None, heading: str | None, text: str) -> str:
    """What `content` indexes: the title and heading twice, so that they weigh above the
    text; a title taken from the text's own opening is not added again."""
    if title and title.rstrip("…") in " ".join(text[: len(title) + 200].split()):
        title = None
    return "\n".join(part for part in (title, title, heading, heading, text) if part)


def document_from_records(stored: list[dict[str, Any]]) -> Document:
    """Rebuild a Document from the stored fields of all its section records."""
    from indexer.documents import Document  # its module parses files, which a search never does

    stored = sorted(stored, key=lambda fields: fields[POSITION])
    first = stored[0]
    metadata = metadata_from_record(first)
    sections = tuple(
        Section(fields[POSITION], fields.get(HEADING) or None, fields.get(BODY, ""),
                fields.get(SECTION_LANGUAGE) or None)
        for fields in stored
    )
    return Document(
        doc_id=first[DOC_ID],
        file=first[FILE],
        path=Path(first[PATH]),
        content_hash=first[CONTENT_HASH],
        mtime_ns=first[MTIME],
        size=first[SIZE],
        metadata=metadata,
        sections=sections,
    )


def metadata_from_record(fields: dict[str, Any]) -> Metadata:
    """The document metadata stored on a section record."""
    return Metadata(
        title=fields.get(TITLE) or None,
        date=fields.get(DATE),
        date_source=DateSource(fields.get(DATE_SOURCE, DateSource.NONE.value)),
        year=fields.get(YEAR),
        organisations=tuple(split_values(fields.get(ORGANISATION))),
        people=tuple(split_values(fields.get(PERSON))),
        places=tuple(split_values(fields.get(PLACE))),
        doc_type=fields.get(TYPE) or None,
        language=fields.get(LANGUAGE) or None,
        extra=tuple(json.loads(fields[EXTRA]).items()) if fields.get(EXTRA) else (),
        translation=fields.get(TRANSLATION) or None,
        issuers=tuple(split_values(fields.get(ISSUER))),
        symbols=tuple(split_values(fields.get(SYMBOL))),
        issuer_source=IssuerSource(fields.get(ISSUER_SOURCE) or IssuerSource.NONE.value),
        title_source=TitleSource(fields.get(TITLE_SOURCE) or TitleSource.TEXT.value),
    )
