"""Turn one file into a Document: converted, split into sections, described by metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from indexer.convert import convert
from indexer.metadata import Metadata, extract_metadata
from indexer.sections import Section, split_sections
from indexer.sources import DecodeError, RawFile, Skipped, SourceFile, printable_path, read


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed document, ready to index."""

    doc_id: str
    path: Path
    content_hash: str
    mtime_ns: int
    size: int
    metadata: Metadata
    sections: tuple[Section, ...]


def content_hash(data: bytes) -> str:
    """The hash that tells whether a file's content changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse(raw: RawFile) -> Document | Skipped:
    """Parse a file's bytes into a Document, or say why it cannot be indexed."""
    shown = printable_path(raw.path)
    if not raw.data.strip():
        return Skipped(shown, "empty file")
    try:
        converted = convert(raw)
    except DecodeError as err:
        return Skipped(shown, str(err))
    except RecursionError:
        return Skipped(shown, "HTML nested too deeply to parse")
    if not converted.markdown.strip():
        return Skipped(shown, "no text left after conversion")
    sections = split_sections(converted.markdown)
    metadata = extract_metadata(raw.doc_id, converted, sections)
    return Document(
        doc_id=raw.doc_id,
        path=raw.path,
        content_hash=content_hash(raw.data),
        mtime_ns=raw.mtime_ns,
        size=len(raw.data),
        metadata=metadata,
        sections=tuple(sections),
    )


def load(source: SourceFile) -> Document | Skipped:
    """Read and parse one file found by the walk."""
    raw = read(source)
    return raw if isinstance(raw, Skipped) else parse(raw)
