"""SGML newswire files: each article element is a record (see records.py).

Two layouts are read: Reuters-21578 (`<REUTERS NEWID="...">` holding DATE, TOPICS,
PLACES, PEOPLE, ORGS, EXCHANGES and COMPANIES as lists of `<D>` codes, and TEXT holding
TITLE, DATELINE and BODY), and TREC-style files (`<DOC>` holding DOCNO, HEADLINE or
TITLE, DATE and TEXT). Character references are unescaped, control characters dropped,
a `<P>` or a line indented like a new paragraph starts one, and lines wrapped within a
paragraph are joined. Category codes become names: places and people "west-germany" ->
"West Germany", organisations "opec" -> "OPEC".
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

_ARTICLE = re.compile(r"<(REUTERS|DOC)\b([^>]*)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_NEWID = re.compile(r"\bNEWID\s*=\s*\"?([^\"\s>]+)", re.IGNORECASE)
_CODES = re.compile(r"<D>(.*?)</D>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_TAG = re.compile(r"</?P\b[^>]*>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PARAGRAPH_INDENT = re.compile(r"\n[ \t]{2,}(?=\S)")
_TITLE_TAGS = ("TITLE", "HEADLINE", "HL", "HEAD")
_NAMED_LISTS = {"PLACES": "places", "PEOPLE": "people", "ORGS": "organisations", "TOPICS": "topics",
                "EXCHANGES": "exchanges", "COMPANIES": "companies"}


def sgml_rows(text: str) -> Iterator[dict[str, Any]]:
    """One row (id, title, text, date and the article's categories) per article."""
    for _, attributes, body in (match.groups() for match in _ARTICLE.finditer(text)):
        newid = _NEWID.search(attributes)
        row: dict[str, Any] = {"id": newid.group(1) if newid else _element(body, "DOCNO")}
        row["title"] = next((t for t in (_element(body, tag) for tag in _TITLE_TAGS) if t), None)
        article = _article_text(body)
        row["text"] = article if re.search(r"\w", article) else row["title"]
        row["date"] = _element(body, "DATE") or _element(body, "DD")
        row["dateline"] = (_element(body, "DATELINE") or "").rstrip(" -") or None
        for tag, key in _NAMED_LISTS.items():
            codes = [_readable(c, key) for c in (_clean(c) for c in _CODES.findall(_element(body, tag, raw=True) or ""))
                     if c]
            row[key] = codes if key in ("places", "people", "organisations") else ", ".join(codes)
        yield {key: value for key, value in row.items() if value not in (None, "", [])}


def _element(body: str, tag: str, raw: bool = False) -> str | None:
    """The content of the first `tag` element (cleaned text unless `raw`), or None."""
    match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", body, re.DOTALL | re.IGNORECASE)
    if match is None:
        return None
    return match.group(1) if raw else _clean(match.group(1))


def _article_text(body: str) -> str:
    """The BODY element's text; without one, the TEXT element's (title and dateline out)."""
    text = _element(body, "BODY", raw=True)
    if text is None:
        text = _element(body, "TEXT", raw=True) or ""
        for tag in (*_TITLE_TAGS, "DATELINE"):
            text = re.sub(rf"<{tag}\b[^>]*>.*?</{tag}>", "", text, flags=re.DOTALL | re.IGNORECASE)
    text = _PARAGRAPH_INDENT.sub("\n\n", _PARAGRAPH_TAG.sub("\n\n", text))
    paragraphs = _TAG.sub(" ", text).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in (_clean(p) for p in paragraphs) if p)


def _clean(text: str) -> str:
    return _CONTROL.sub("", html.unescape(text)).strip()


def _readable(code: str, key: str) -> str:
    """A category code as a name: organisations in capitals, places and people as words."""
    if key == "organisations":
        return code.upper()
    if key in ("places", "people"):
        return " ".join(word.capitalize() for word in code.replace("-", " ").split())
    return code
