"""What a saved web page says about itself: title, date, publisher, authors and address
from its meta tags (Open Graph, `article:*`, Dublin Core, `citation_*`), its JSON-LD and
its first `<time datetime>`. The first source that gives a value wins, in the order below.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

_TITLE = ("og:title", "citation_title", "dc.title", "dcterms.title")
_DATE = (
    "article:published_time", "citation_publication_date", "citation_date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "og:published_time", "pubdate", "publish-date", "date",
)
_PUBLISHER = ("citation_publisher", "dc.publisher", "dcterms.publisher", "og:site_name")
_AUTHOR = ("citation_author", "dc.creator", "dcterms.creator", "author", "article:author")


def page_metadata(soup: BeautifulSoup) -> dict[str, Any]:
    """The page's declared fields, under the names metadata overrides understand."""
    meta: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = str(tag.get("content") or "").strip()
        if name and content:
            meta.setdefault(name, []).append(content)
    linked = _json_ld(soup)
    fields: dict[str, Any] = {}
    titles = [*(meta[name][0] for name in _TITLE if name in meta), linked.get("headline"), linked.get("name")]
    title = next((t for t in titles if _is_title(t)), None)
    date = _first(meta, _DATE) or linked.get("datePublished") or linked.get("dateCreated") or _time(soup)
    publisher = _first(meta, _PUBLISHER) or _name(linked.get("publisher"))
    authors = [a for name in _AUTHOR for a in meta.get(name, []) if not a.startswith("http")]
    authors += [n for n in (_name(a) for a in _as_list(linked.get("author")) if _is_person(a)) if n]
    url = _first(meta, ("og:url",)) or _canonical(soup)
    for key, value in (("title", title), ("date", date), ("publisher", publisher), ("url", url)):
        if isinstance(value, str) and value.strip():
            fields[key] = value.strip()
    if authors:
        fields["authors"] = list(dict.fromkeys(authors))
    return fields


def _is_title(value: Any) -> bool:
    """A declared title worth using: two words or more ("2013" or "Home" is not)."""
    return isinstance(value, str) and len([w for w in value.split() if any(c.isalpha() for c in w)]) >= 2


def _first(meta: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    return next((meta[name][0] for name in names if name in meta), None)


def _json_ld(soup: BeautifulSoup) -> dict[str, Any]:
    """The first JSON-LD object that describes an article or page (or the first object)."""
    objects = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            objects += list(_objects(json.loads(script.string or "")))
        except (json.JSONDecodeError, TypeError):
            continue
    for item in objects:
        kind = " ".join(_as_list(item.get("@type")))
        if any(word in kind for word in ("Article", "NewsArticle", "Report", "WebPage", "CreativeWork")):
            return item
    return objects[0] if objects else {}


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict):
        yield value
        yield from _objects(value.get("@graph", []))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) and value.strip() else None


def _is_person(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, dict) and "Organization" not in str(value.get("@type", "")))


def _time(soup: BeautifulSoup) -> str | None:
    tag = soup.find("time", attrs={"datetime": True})
    return str(tag["datetime"]) if tag is not None else None


def _canonical(soup: BeautifulSoup) -> str | None:
    tag = soup.find("link", rel="canonical", href=True)
    return str(tag["href"]) if tag is not None else None
