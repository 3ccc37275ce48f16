"""PDF files through pypdf: the text page by page, each page under a "Page N" heading so that
its sections keep their page number, and metadata from the document information
dictionary (title, author, creation date).
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from indexer.convert.converted import Converted
from indexer.convert.repair import clean_text
from indexer.sources import DecodeError

if TYPE_CHECKING:
    from pypdf import DocumentInformation, PdfReader

PAGE_HEADING = "Page {}"


def convert_pdf(data: bytes) -> Converted:
    """A PDF's text, page by page, with its first line as a title candidate."""
    pages, declared = pdf_pages(data)
    clean, furniture = clean_text(pdf_markdown(pages))
    first_line = next((line.strip() for page in pages for line in page.splitlines() if line.strip()), None)
    return Converted(clean, first_line, None, furniture, declared, from_page=True)


def pdf_pages(data: bytes) -> tuple[list[str], dict[str, Any]]:
    """The text of each page (empty for a page without a text layer) and the declared
    fields; DecodeError when the file is not a PDF that can be read."""
    from pypdf import PdfReader

    with _quiet_pypdf():
        return _read(PdfReader, data)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs its repairs of damaged files; the one-line skip reason says enough."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its modules' loggers inherit the level
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _read(reader_class: type[PdfReader], data: bytes) -> tuple[list[str], dict[str, Any]]:
    try:
        reader = reader_class(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DecodeError("encrypted PDF; save it without a password to index it")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except DecodeError:
        raise
    except Exception as err:  # pypdf raises many kinds of errors for damaged files
        raise DecodeError(f"not a readable PDF ({type(err).__name__}: {err})") from None
    return pages, _declared(info)


def pdf_markdown(pages: list[str]) -> str:
    """The pages as Markdown, each under its "Page N" heading; DecodeError when no page has text."""
    parts = [f"## {PAGE_HEADING.format(number)}\n\n{text.strip()}"
             for number, text in enumerate(pages, start=1) if text.strip()]
    if not parts:
        raise DecodeError("scanned PDF without a text layer: no text to index (run OCR on it first)")
    return "\n\n".join(parts)


def _declared(info: DocumentInformation | None) -> dict[str, Any]:
    if not info:
        return {}
    fields: dict[str, Any] = {}
    for key, value in (("title", info.title), ("author", info.author)):
        if isinstance(value, str) and value.strip():
            fields[key] = value.strip()
    try:
        created = info.creation_date
    except (ValueError, TypeError):  # a malformed /CreationDate
        created = None
    if created is not None:
        fields["date"] = created.date().isoformat()
    return fields
