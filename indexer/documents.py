"""Turn one file into Documents: converted, split into sections, described by metadata.

A text, Markdown or HTML file is one document whose id is its path in the corpus; a
file of records holds one document per record, with ids `<path>#<record id>`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.convert import Converted, clean_text, convert
from indexer.metadata import Metadata, extract_metadata
from indexer.overrides import apply_overrides
from indexer.records import RecordsError, read_records
from indexer.sections import Section, split_sections
from indexer.sources import DecodeError, Format, RawFile, Skipped, SourceFile, decode, printable_path, read


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed document, ready to index. `file` is the id of the file it came from."""

    doc_id: str
    file: str
    path: Path
    content_hash: str
    mtime_ns: int
    size: int
    metadata: Metadata
    sections: tuple[Section, ...]
    warnings: tuple[str, ...] = ()
    """What could not be read but did not stop the document from being indexed."""


def content_hash(data: bytes) -> str:
    """The hash that tells whether a file's content changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse(raw: RawFile) -> list[Document] | Skipped:
    """Parse a file's bytes into its Documents, or say why it cannot be indexed."""
    shown = printable_path(raw.path)
    if not raw.data.strip():
        return Skipped(shown, "empty file")
    file_hash = content_hash(raw.data)
    try:
        if raw.format is Format.RECORDS:
            documents = _parse_records(raw, file_hash)
        else:
            documents = [_document(raw, file_hash, raw.doc_id, convert(raw), {})]
    except (DecodeError, RecordsError) as err:
        return Skipped(shown, str(err))
    except RecursionError:
        return Skipped(shown, "HTML nested too deeply to parse")
    documents = [doc for doc in documents if doc is not None]
    if not documents:
        return Skipped(shown, "no text left after conversion")
    return documents


def _parse_records(raw: RawFile, file_hash: str) -> list[Document | None]:
    text = decode(raw.data)
    return [
        _document(raw, file_hash, f"{raw.doc_id}#{record.record_id}", Converted(clean_text(record.text)[0], record.title),
                  {"title": record.title, **record.fields})
        for record in read_records(text, raw.path.suffix)
    ]


def _document(raw: RawFile, file_hash: str, doc_id: str, converted: Converted, given: dict[str, Any]
              ) -> Document | None:
    if not converted.markdown.strip():
        return None
    sections = split_sections(converted.markdown)
    metadata = extract_metadata(doc_id, converted, sections)
    given = {**converted.declared, **given}
    if given:
        metadata = apply_overrides(metadata, given)
    return Document(
        doc_id=doc_id,
        file=raw.doc_id,
        path=raw.path,
        content_hash=file_hash,
        mtime_ns=raw.mtime_ns,
        size=len(raw.data),
        metadata=metadata,
        sections=tuple(sections),
        warnings=(converted.problem,) if converted.problem else (),
    )


def load(source: SourceFile) -> list[Document] | Skipped:
    """Read and parse one file found by the walk."""
    raw = read(source)
    return raw if isinstance(raw, Skipped) else parse(raw)
