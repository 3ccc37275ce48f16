"""Web pages: BeautifulSoup keeps the page's main content, without scripts, navigation,
headers, footers, sidebars, forms or cookie banners, and markdownify turns it into
Markdown, so that headings survive as section boundaries."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indexer.convert.converted import Converted
from indexer.convert.pagemeta import page_metadata
from indexer.convert.repair import clean_text
from indexer.language import language_code

if TYPE_CHECKING:
    from bs4 import Tag

_HTML_START = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)
_DROP_TAGS = (
    "script", "style", "noscript", "nav", "aside", "form", "iframe", "svg", "button",
    "template", "select", "input", "textarea", "dialog", "footer",
)
_FURNITURE_ATTR = re.compile(
    r"cookie|consent|gdpr|share|social|breadcrumb|newsletter|subscribe|related|sidebar"
    r"|skip-link|promo|advert|popup|modal|language-switch|lang-select",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True for a web page whatever its file name: it opens with a doctype or <html>."""
    return bool(_HTML_START.match(text[:2000]))


def convert_html(html: str) -> Converted:
    """A web page's main content as clean Markdown, with its title, language and meta tags."""
    from bs4 import BeautifulSoup
    from markdownify import markdownify

    soup = BeautifulSoup(html, "html.parser")
    declared = page_metadata(soup)
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    language = soup.html.get("lang") if soup.html else None
    main = soup.find("main") or soup.find("article") or soup.find(role="main")
    if main is None:
        main = soup.body or soup
        for tag in main.find_all("header"):
            tag.decompose()
    _drop_furniture(main)
    markdown = markdownify(
        str(main), heading_style="ATX", bullets="-", strip=["a", "img"], escape_misc=False
    )
    clean, furniture = clean_text(markdown)
    return Converted(clean, title or None, language_code(language), furniture, declared, from_page=True)


def _drop_furniture(root: Tag) -> None:
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
