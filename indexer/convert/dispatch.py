"""Turn a file's bytes into clean Markdown, by format: web pages (html), XML (xml), PDF
(pdf), and text or Markdown with optional front matter; every format is then tidied
(repair)."""

from __future__ import annotations

from indexer.convert.converted import Converted
from indexer.convert.frontmatter import split_front_matter
from indexer.convert.html import convert_html, looks_like_html
from indexer.convert.repair import clean_text
from indexer.sources import Format, RawFile, decode


def convert(raw: RawFile) -> Converted:
    """Decode and convert one file to clean Markdown (raises DecodeError on bad bytes)."""
    if raw.format is Format.PDF:
        from indexer.convert.pdf import convert_pdf

        return convert_pdf(raw.data)
    text = decode(raw.data)
    if raw.format is Format.XML:
        from indexer.convert.xml import convert_xml

        return convert_xml(text)
    if raw.format is Format.HTML or looks_like_html(text):
        return convert_html(text)
    front = split_front_matter(text)
    clean, furniture = clean_text(front.text)
    return Converted(clean, furniture=furniture, declared=front.fields, problem=front.problem)

