"""Split clean Markdown (or plain text) into sections: position, heading, text.

A section starts at a Markdown heading, a bold-only line, or, in text without
Markdown headings, at a short heading line ("Looking back at Alliance meetings in
2020:") or a "Label: text" paragraph lead ("Climate Change and Human Rights: ...").
Text under no heading, and long text under one, is packed into sections of at most
MAX_SECTION_CHARS at paragraph boundaries (sentence or word boundaries for a single
paragraph that is longer still).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_SECTION_CHARS = 3000
"""Sections are packed up to this many characters of text."""

_ATX = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_SETEXT_RULE = re.compile(r"^(=+|-{2,})$")
_BOLD_LINE = re.compile(r"^(\*\*|__)([^*_\n]{2,100})\1:?$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s")
_LABEL_LEAD = re.compile(r"^([A-Z][^:.!?\n]{2,80}?):\s+(\S[\s\S]{30,})$")
_DATE_ONLY = re.compile(
    r"^[\W\d]*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?\s+\d{4}"
    r"|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})\b"
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[^\W\d_]{2,}")
_SMALL_WORDS = frozenset("a an and the of for in on at to from with by or vs".split())


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a document: its position (from 0), heading (or None), text, and language
    (ISO 639-1, set once the document's language is known)."""

    position: int
    heading: str | None
    text: str
    language: str | None = None


def split_sections(markdown: str, max_chars: int = MAX_SECTION_CHARS) -> list[Section]:
    """Split a document's Markdown into numbered sections."""
    blocks = list(_paragraphs(markdown))
    plain = not any(_ATX.match(b) for b in blocks)
    line_like = [plain and "\n" not in b and _is_heading_line(b) for b in blocks] + [False]
    parts: list[tuple[str | None, list[str]]] = [(None, [])]
    for index, block in enumerate(blocks):
        # A heading line stands alone: a paragraph follows it, and it follows no other such line
        # (a run of short lines is a wrapped paragraph, a list or an address block).
        alone = line_like[index] and index + 1 < len(blocks) and not line_like[index + 1] \
            and not line_like[index - 1] and not _continues(blocks[index + 1])
        heading, rest = _heading_of(block, plain, alone)
        if heading is not None:
            parts.append((heading, []))
        if rest:
            parts[-1][1].append(rest)
    sections: list[Section] = []
    for heading, paragraphs in parts:
        if heading is None and not paragraphs:
            continue
        chunks = list(_pack(paragraphs, max_chars)) or [""]
        for chunk in chunks:
            sections.append(Section(len(sections), heading, chunk))
    return sections


def _paragraphs(text: str) -> Iterator[str]:
    """Blocks separated by blank lines; lines of one block that read as separate paragraphs
    (a long line ending a sentence, as in text saved without blank lines) are split apart."""
    for block in _blocks(text):
        lines = block.split("\n")
        if len(lines) > 1 and _SETEXT_RULE.match(lines[1].strip()) and len(lines) == 2:
            yield block
            continue
        widest = max(len(line) for line in lines)
        current: list[str] = []
        for line in lines:
            if current and _breaks_paragraph(current[-1], line, widest):
                yield "\n".join(current)
                current = []
            current.append(line)
        if current:
            yield "\n".join(current)


def _blocks(text: str) -> list[str]:
    """Text split at blank lines, except where a block merely continues the sentence of
    the one before (text converted from PDF often has a blank line after every line)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        previous = blocks[-1] if blocks else ""
        if previous and block[:1].islower() and not _ATX.match(previous.split("\n")[-1]) \
                and not previous.rstrip().endswith((".", "!", "?", ":", ";", '"', "”")):
            blocks[-1] = f"{previous}\n{block}"
        else:
            blocks.append(block)
    return blocks


def _breaks_paragraph(previous: str, line: str, widest: int) -> bool:
    if _ATX.match(line) or _ATX.match(previous):
        return True
    if _LIST_ITEM.match(line):
        return not _LIST_ITEM.match(previous)
    if _LIST_ITEM.match(previous):
        return True
    ends_sentence = previous.rstrip().endswith((".", "!", "?", '"', "”", ":"))
    return len(previous) > 120 and ends_sentence or len(previous) < 0.6 * widest


def _heading_of(block: str, plain: bool, heading_line: bool) -> tuple[str | None, str]:
    """(heading, remaining text) if the block starts a section, else (None, block)."""
    first, _, rest = block.partition("\n")
    atx = _ATX.match(first)
    if atx:
        return _strip_marks(atx.group(1)), rest.strip()
    if rest and _SETEXT_RULE.match(rest.strip()):
        return first.strip(), ""
    bold = _BOLD_LINE.match(block)
    if bold:
        return bold.group(2).strip(), ""
    if not plain:
        return None, block
    if heading_line:
        return block.rstrip(":").strip(), ""
    lead = _LABEL_LEAD.match(block)
    if lead and _is_label(lead.group(1)):
        return lead.group(1).strip(), lead.group(2).strip()
    return None, block


def _continues(block: str) -> bool:
    """Whether a block carries on the line before it (it opens in lower case: "rding to
    the minister…" after "Acco"), so that line is a broken one, not a heading."""
    return block[:1].islower()


def _is_heading_line(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 14
        and _WORD.search(line) is not None
        and len(line) <= 100
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith((".", ",", ";", "!", "?", "|", "-", "–"))
        and words[-1].lower() not in _SMALL_WORDS
        and not _LIST_ITEM.match(line)
        and not _DATE_ONLY.match(line)
        and (len(words) > 1 or _is_word(words[0]))  # last: it consults the word list
    )


def _is_word(token: str) -> bool:
    """A heading of one word must be a whole word ("Background", "Recommendations", "UNHCR"),
    not a fragment of one cut at the end of a line ("Acco")."""
    from indexer.models import english_zipf

    letters = token.strip(":*_")
    parts = [part for part in re.split(r"[-‐‑'’]", letters) if part]  # "Follow-up": each word a word
    return len(letters) >= 3 and (letters.isupper() or letters[:1].isdigit()
                                  or (bool(parts) and all(part.isalpha() and english_zipf(part) >= 3.0
                                                          for part in parts)))


def _is_label(label: str) -> bool:
    """True for a title-cased label of at most ten words (not an ALL-CAPS speaker name)."""
    words = label.split()
    if not 0 < len(words) <= 10 or label.isupper():
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    return bool(content) and all(w[0].isupper() for w in content)


def _strip_marks(heading: str) -> str:
    return heading.strip().strip("*_").strip()


def _pack(paragraphs: list[str], max_chars: int) -> Iterator[str]:
    """Join paragraphs into chunks of at most max_chars, splitting oversized ones."""
    current = ""
    for paragraph in paragraphs:
        for piece in _split_long(paragraph, max_chars):
            if current and len(current) + 2 + len(piece) > max_chars:
                yield current
                current = ""
            current = f"{current}\n\n{piece}" if current else piece
    if current:
        yield current


def _split_long(text: str, max_chars: int) -> Iterator[str]:
    """Cut a paragraph longer than max_chars at sentence ends, else spaces, else anywhere."""
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars + 1]
        cut = start + _last_boundary(window, max_chars)
        yield text[start:cut].rstrip()
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        yield text[start:]


def _last_boundary(window: str, max_chars: int) -> int:
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.start() > max_chars // 3]
    if sentence_ends:
        return sentence_ends[-1]
    space = window.rfind(" ", max_chars // 3)
    return space + 1 if space > 0 else max_chars
