"""Turn one file into Documents: converted, split into sections, described by metadata.

A text, Markdown or HTML file is one document whose id is its path in the corpus; a
file of records holds one document per record, with ids `<path>#<record id>`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from indexer.collection import collection_defaults
from indexer.convert.boilerplate import without_boilerplate
from indexer.convert.converted import Converted
from indexer.convert.dispatch import convert
from indexer.convert.records import RecordsError, read_records
from indexer.convert.repair import clean_text
from indexer.language import document_language, with_section_languages
from indexer.metadata.extract import extract_metadata
from indexer.metadata.model import IssuerSource, Metadata
from indexer.metadata.overrides import apply_overrides
from indexer.metadata.prior import NO_PRIOR, FolderPrior
from indexer.sections import Section, split_sections
from indexer.sources import DecodeError, Format, RawFile, Skipped, SourceFile, decode, printable_path, read

EMPTY_IDS_SHOWN = 5
"""A warning about records without text names at most this many of their ids."""


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


def content_hash(data: bytes, sidecar: bytes | None = None, given: dict[str, Any] | None = None,
                 translation_key: str | None = None, collection: Sequence[tuple[str, bytes]] = ()) -> str:
    """The hash that tells whether a file's content, its sidecar metadata, the metadata
    given for it (--metadata), the translation key or its collection files changed."""
    digest = hashlib.blake2b(data, digest_size=16)
    for _, defaults in collection:
        digest.update(b"\0collection\0" + defaults)
    if translation_key:
        digest.update(b"\0translation key\0" + translation_key.encode("utf-8"))
    if sidecar is not None:
        digest.update(b"\0sidecar\0" + sidecar)
    if given:
        digest.update(b"\0given\0" + json.dumps(given, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def parse(raw: RawFile, given: dict[str, Any] | None = None, furniture: frozenset[str] = frozenset(),
          converted: Converted | None = None, translation_key: str | None = None,
          file_hash: str | None = None, prior: FolderPrior = NO_PRIOR) -> list[Document] | Skipped:
    """Parse a file's bytes into its Documents, or say why it cannot be indexed. `given`
    is metadata supplied for the file (--metadata); its sidecar's fields override it.
    `furniture` is the collection's learned boilerplate, left out of the text; `converted`
    is the file's conversion when it was already made; `translation_key` the metadata
    field that links translations, looked at before the usual ones; `file_hash` the file's
    content_hash when the caller has computed it already; `prior` what the documents of
    its folder usually are (learned when the index was built)."""
    shown = printable_path(raw.path)
    if not raw.data.strip():
        return Skipped(shown, "empty file")
    file_hash = file_hash or content_hash(raw.data, raw.sidecar, given, translation_key, raw.collection)
    sidecar, problem = _sidecar_fields(raw)
    declared = {**(given or {}), **sidecar}
    collection = collection_defaults(raw.collection)
    try:
        if raw.format is Format.RECORDS:
            documents = _parse_records(raw, file_hash, declared, translation_key, collection.fields, prior)
        else:
            text = converted or convert(raw)
            document = _document(raw, file_hash, raw.doc_id, without_boilerplate(text, furniture), declared,
                                 translation_key, collection.fields, prior)
            documents = [document] if document else []
    except (DecodeError, RecordsError) as err:
        return Skipped(shown, str(err))
    except RecursionError:
        return Skipped(shown, "HTML nested too deeply to parse")
    if not documents:
        return Skipped(shown, "no text left after conversion")
    for trouble in (problem, collection.problem):
        if trouble:
            documents = [replace(doc, warnings=(*doc.warnings, trouble)) for doc in documents]
    return documents


def _sidecar_fields(raw: RawFile) -> tuple[dict[str, Any], str | None]:
    """The fields of the file's sidecar metadata, or why they cannot be used."""
    if raw.sidecar is None:
        return {}, None
    try:
        fields = json.loads(decode(raw.sidecar))
    except (DecodeError, ValueError) as err:
        return {}, f"its metadata file is not valid JSON ({err}); indexed without it"
    if not isinstance(fields, dict):
        return {}, "its metadata file is not a JSON object; indexed without it"
    return fields, None


def _parse_records(raw: RawFile, file_hash: str, declared: dict[str, Any], translation_key: str | None,
                   collection: dict[str, Any], prior: FolderPrior) -> list[Document]:
    records = list(read_records(decode(raw.data), raw.path.suffix))
    documents = [
        document for record in records if record.text
        if (document := _document(raw, file_hash, f"{raw.doc_id}#{record.record_id}",
                                  Converted(clean_text(record.text)[0], record.title),
                                  {**declared, "title": record.title, **record.fields}, translation_key,
                                  collection, prior))
    ]
    empty = [record.record_id for record in records if not record.text]
    if empty and documents:
        shown = ", ".join(empty[:EMPTY_IDS_SHOWN]) + (", …" if len(empty) > EMPTY_IDS_SHOWN else "")
        problem = f"{len(empty)} record{'s' if len(empty) > 1 else ''} without text skipped (id {shown})"
        documents[0] = replace(documents[0], warnings=(*documents[0].warnings, problem))
    return documents


def _document(raw: RawFile, file_hash: str, doc_id: str, converted: Converted, given: dict[str, Any],
              translation_key: str | None = None, collection: dict[str, Any] | None = None,
              prior: FolderPrior = NO_PRIOR) -> Document | None:
    if not converted.markdown.strip():
        return None
    sections = split_sections(converted.markdown)
    modified = dt.datetime.fromtimestamp(raw.mtime_ns / 1e9, dt.timezone.utc).date() if raw.mtime_ns else None
    metadata = extract_metadata(doc_id, converted, sections, modified, prior)
    page = IssuerSource.PAGE if converted.from_page else IssuerSource.METADATA
    layers = [(IssuerSource.METADATA, given), (page, converted.declared), (IssuerSource.COLLECTION, collection or {})]
    if any(fields for _, fields in layers):
        metadata = apply_overrides(metadata, layers, translation_key)
    metadata = replace(metadata, language=document_language(metadata.language, converted.markdown))
    return Document(
        doc_id=doc_id,
        file=raw.doc_id,
        path=raw.path,
        content_hash=file_hash,
        mtime_ns=raw.mtime_ns,
        size=len(raw.data) + len(raw.sidecar or b"") + sum(len(data) for _, data in raw.collection),
        metadata=metadata,
        sections=tuple(with_section_languages(sections, metadata.language)),
        warnings=(converted.problem,) if converted.problem else (),
    )


def load(source: SourceFile) -> list[Document] | Skipped:
    """Read and parse one file found by the walk."""
    raw = read(source)
    return raw if isinstance(raw, Skipped) else parse(raw)
