"""Turn a file's bytes into clean Markdown: HTML converted, page furniture out, text repaired.

HTML goes through BeautifulSoup (the page's main content, without scripts, navigation,
headers, footers, sidebars, forms or cookie banners) and markdownify, so that headings
survive as section boundaries. Every format then loses its page furniture ("Top of
page", share links, related-article lines spliced in from a sidebar), has its bullets
normalised, and gets words that lost their separating space split again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from indexer.frontmatter import split_front_matter
from indexer.language import language_code
from indexer.pagemeta import page_metadata
from indexer.sources import DecodeError, Format, RawFile, decode

_FURNITURE_LINE = re.compile(
    r"(?:top of (?:the )?page|back to top|leave a (?:reply|comment)|see also|related"
    r"(?: articles?| news| content| stories| links)?|share(?: this(?: page| article| story)?)?"
    r"(?: on (?:facebook|twitter|x|linkedin|whatsapp|email))?|print(?: this page)?|tweet|e-?mail"
    r"|facebook|twitter|linkedin|whatsapp|read more|skip to (?:main )?content|more information:.*"
    r"|follow us(?: on .*)?|subscribe(?: to (?:our|the) newsletter)?|print friendly.*)[.:]?",
    re.IGNORECASE,
)
_HTML_START = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)
_MEDIA_LINE = re.compile(r"(?:click to expand image|play video)\b", re.IGNORECASE)
"""A photo caption or video player line ("Click to expand Image Police officers ... © 2023 ...")."""
_SIDEBAR_LINE = re.compile(r"^[^|\n].{0,300}\s\|$")
_BULLET = re.compile(r"^[ \t]*[•·▪◦‣∙●○■□➢►▶][ \t]*(?:[-–—][ \t]+)?")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CANDIDATE_WORD = re.compile(r"\b([A-Za-z][a-z]{4,})(?=(-[A-Za-z]+)?\b)")
_FUNCTION_WORDS = frozenset(
    "and the was were that with for from has have had are this which not but its their our"
    " has been into".split()
)
_DROP_TAGS = (
    "script", "style", "noscript", "nav", "aside", "form", "iframe", "svg", "button",
    "template", "select", "input", "textarea", "dialog", "footer",
)
_FURNITURE_ATTR = re.compile(
    r"cookie|consent|gdpr|share|social|breadcrumb|newsletter|subscribe|related|sidebar"
    r"|skip-link|promo|advert|popup|modal|language-switch|lang-select",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Converted:
    """Clean Markdown text, plus what the file declared about itself."""

    markdown: str
    title: str | None = None
    language: str | None = None
    furniture: tuple[str, ...] = ()
    """Lines removed as page furniture (they still hint at when the page was made)."""
    declared: dict[str, Any] = field(default_factory=dict)
    """Fields the file declares: front matter, or a web page's meta tags and JSON-LD."""
    problem: str | None = None
    """Why declared fields could not be read (the text was indexed all the same)."""


_XML_HEADINGS = frozenset(("title", "head", "heading", "subtitle"))
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def convert(raw: RawFile) -> Converted:
    """Decode and convert one file to clean Markdown (raises DecodeError on bad bytes)."""
    if raw.format is Format.PDF:
        return _convert_pdf(raw.data)
    text = decode(raw.data)
    if raw.format is Format.XML:
        return _convert_xml(text)
    if raw.format is Format.HTML or looks_like_html(text):
        return _convert_html(text)
    front = split_front_matter(text)
    clean, furniture = clean_text(front.text)
    return Converted(clean, furniture=furniture, declared=front.fields, problem=front.problem)


def _convert_pdf(data: bytes) -> Converted:
    from indexer.pdf import pdf_markdown, pdf_pages

    pages, declared = pdf_pages(data)
    clean, furniture = clean_text(pdf_markdown(pages))
    first_line = next((line.strip() for page in pages for line in page.splitlines() if line.strip()), None)
    return Converted(clean, first_line, None, furniture, declared)


def looks_like_html(text: str) -> bool:
    """True for a web page whatever its file name: it opens with a doctype or <html>."""
    return bool(_HTML_START.match(text[:2000]))


def _convert_html(html: str) -> Converted:
    from bs4 import BeautifulSoup
    from markdownify import markdownify

    soup = BeautifulSoup(html, "html.parser")
    declared = page_metadata(soup)
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    language = soup.html.get("lang") if soup.html else None
    main = soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"})
    if main is None:
        main = soup.body or soup
        for tag in main.find_all("header"):
            tag.decompose()
    _drop_furniture(main)
    markdown = markdownify(
        str(main), heading_style="ATX", bullets="-", strip=["a", "img"], escape_misc=False
    )
    clean, furniture = clean_text(markdown)
    return Converted(clean, title or None, language_code(language), furniture, declared)


def _convert_xml(xml: str) -> Converted:
    """An XML document's text: each element that holds text directly is a paragraph, a
    `title`/`head`/`heading` element a heading, except the first, which is the document's
    title when it comes before any text; the root's `xml:lang` is its declared language."""
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as err:
        raise DecodeError(f"not well-formed XML ({err})") from None
    blocks: list[str] = []
    titles: list[str] = []

    def walk(element: ElementTree.Element) -> None:
        direct = (element.text or "") + "".join(child.tail or "" for child in element)
        if direct.strip():
            text = " ".join("".join(element.itertext()).split())
            if element.tag.rpartition("}")[2] not in _XML_HEADINGS:
                blocks.append(text)
            elif blocks or titles:
                blocks.append(f"## {text}")
            else:
                titles.append(text)
            return
        for child in element:
            walk(child)

    walk(root)
    clean, furniture = clean_text("\n\n".join(blocks))
    return Converted(clean, titles[0] if titles else None, language_code(root.get(_XML_LANG) or root.get("lang")),
                     furniture)


def _drop_furniture(root) -> None:  # noqa: ANN001 - a bs4 Tag
    doomed = list(root.find_all(_DROP_TAGS))
    for tag in root.find_all(True):
        attrs = getattr(tag, "attrs", None) or {}
        marks = " ".join([*attrs.get("class", []), attrs.get("id", ""), attrs.get("role", "")])
        hidden = "hidden" in attrs or "display:none" in attrs.get("style", "").replace(" ", "")
        if hidden or (marks.strip() and _FURNITURE_ATTR.search(marks)):
            doomed.append(tag)
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Repair and tidy text or Markdown: mojibake, furniture lines, bullets, run-together words.

    Returns the clean text and the furniture lines that were removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _repair_encoding(text)
    text = _INVISIBLE.sub("", text)
    lines = [_BULLET.sub("- ", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    kept, dropped = _drop_furniture_lines(lines)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return _CANDIDATE_WORD.sub(_repair_word, text), tuple(dropped)


def _repair_encoding(text: str) -> str:
    """Undo mojibake and HTML entities with ftfy where the text shows them; NFC always."""
    from ftfy import fix_text
    from ftfy.badness import is_bad

    if _ENTITY.search(text) or is_bad(text):
        return fix_text(text, uncurl_quotes=False, fix_latin_ligatures=True)
    return unicodedata.normalize("NFC", text)


def _drop_furniture_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    dropped: list[str] = []
    for line in lines:
        bare = line.strip("*_#>- ")
        if line == "|":
            while kept and not kept[-1]:
                kept.pop()
            if kept and not kept[-1].endswith((".", "!", "?", ":", ";")):
                dropped.append(kept.pop())
            continue
        if _FURNITURE_LINE.fullmatch(bare) or _SIDEBAR_LINE.match(line) or _MEDIA_LINE.match(bare):
            dropped.append(line)
            continue
        kept.append(line)
    return kept, dropped


def _repair_word(match: re.Match[str]) -> str:
    word, hyphen_tail = match.group(1), match.group(2)
    split = split_run_together(word, hyphen_tail)
    return word if split is None else f"{split[0]} {split[1]}"


def split_run_together(word: str, hyphen_tail: str | None = None) -> tuple[str, str] | None:
    """Split a word that lost its space ("rightsand" -> "rights", "and"), or None.

    Only words unknown to an English frequency list are split, and only into two
    frequent words: a function word and a word of four or more letters, or two words
    of five or more letters. `hyphen_tail` ("-chaired" in "wasco-chaired") lets a short
    second part count when it forms a known compound with it ("co-chaired").
    """
    lower = word.lower()
    if len(lower) < 5 or _zipf(lower) >= 2.0:
        return None
    capitalised = word[0].isupper()
    best: tuple[float, int] | None = None
    for cut in range(2, len(lower) - 1):
        head, tail = lower[:cut], lower[cut:]
        score = min(_zipf(head), _zipf(tail))
        if _plausible_split(head, tail, score, capitalised, hyphen_tail):
            if best is None or score > best[0]:
                best = (score, cut)
    if best is None:
        return None
    return word[: best[1]], word[best[1] :]


def _plausible_split(
    head: str, tail: str, score: float, capitalised: bool, hyphen_tail: str | None
) -> bool:
    if len(head) >= 5 and len(tail) >= 5 and score >= 4.0:
        return True
    if capitalised:
        return False
    if head in _FUNCTION_WORDS or tail in _FUNCTION_WORDS:
        other = tail if head in _FUNCTION_WORDS else head
        if len(other) >= 4 and _zipf(other) >= 3.0:
            return True
        if hyphen_tail and head in _FUNCTION_WORDS and _zipf(tail + hyphen_tail.lower()) >= 3.0:
            return True
    return False


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")
