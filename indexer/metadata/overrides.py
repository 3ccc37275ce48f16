"""Metadata given with a document laid over what accord extracted from its text.

It comes in layers, surest first: the user's (a sidecar, --metadata, front matter, a
record's fields), the page's own (meta tags, JSON-LD), then the collection file's
defaults; a key in a surer layer wins. Title, date, type, language and translation id
replace the extracted ones; organisations, people and places given come first (with the
publisher of the document's url, when its web site is known), followed by those found in
the text; the issuer is that of the surest layer that names one (`issuer`, `publisher`,
`source`, or the url's site), else the one read in the text; any other key is kept as
extra metadata. Keys are matched in any case, under their common names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from indexer.language import language_code
from indexer.metadata.dates import parse_date
from indexer.metadata.model import IssuerSource, Metadata, TitleSource
from indexer.metadata.orgs import load_orgs, publisher_of_url
from indexer.metadata.people import person_name
from indexer.metadata.places import load_places

TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "published_date", "publication_date", "datepublished", "date_published", "issued")
YEAR_KEYS = ("year",)
ORG_KEYS = ("organisation", "organisations", "organization", "organizations", "source", "publisher", "issuer", "org")
PEOPLE_KEYS = ("people", "person", "persons", "creators", "creator", "authors", "author", "speaker", "speakers")
PLACE_KEYS = ("places", "place", "country", "countries", "location", "locations")
TYPE_KEYS = ("type", "doc_type", "document_type", "category")
LANGUAGE_KEYS = ("language", "lang")
ISSUER_KEYS = ("issuer", "publisher", "source")
URL_KEYS = ("url", "link", "canonical_url")
"""Keys of the document's own address; its web site tells who published it (orgs.toml domains)."""
TRANSLATION_KEYS = ("parallel_id", "translation_id", "translation", "symbol", "document_symbol")
"""Keys whose value is shared by a text's translations (the first present wins)."""
_KNOWN = {*TITLE_KEYS, *DATE_KEYS, *YEAR_KEYS, *ORG_KEYS, *PEOPLE_KEYS, *PLACE_KEYS, *TYPE_KEYS, *LANGUAGE_KEYS,
          *TRANSLATION_KEYS[:3]}


Layers = Sequence[tuple[IssuerSource, Mapping[str, Any]]]
"""Fields given for a document, surest first, each with where it came from."""


def apply_overrides(meta: Metadata, layers: Layers, translation_key: str | None = None) -> Metadata:
    """`meta` with the values of `layers` laid over it, a surer layer's over the others';
    `translation_key` is a field that links translations, looked at before TRANSLATION_KEYS."""
    given: dict[str, Any] = {}
    for _, layer in reversed(layers):
        given.update(layer)
    fields = {str(k).lower(): v for k, v in given.items() if v not in (None, "", [], {})}
    changes: dict[str, Any] = {}
    title = _first(fields, TITLE_KEYS)
    if title:
        changes["title"] = " ".join(_text(title).split())
        changes["title_source"] = (TitleSource.PAGE if _surest(layers, TITLE_KEYS) is IssuerSource.PAGE
                                   else TitleSource.METADATA)
    issued = _issuer(layers)
    if issued:
        changes["issuers"], changes["issuer_source"] = issued
    date = _first(fields, DATE_KEYS) or _first(fields, YEAR_KEYS)
    found = parse_date(_text(date)) if date is not None else None
    if found:
        changes.update(date=found.date, year=found.year, date_source=found.source)
    orgs = load_orgs()
    given_orgs = [orgs.canonical(v) or _title_case(v) for v in _values(fields, ORG_KEYS)]
    publisher = publisher_of_url(_text(_first(fields, URL_KEYS) or ""))
    if publisher:
        given_orgs.append(publisher)
    given_people = [named for v in _values(fields, PEOPLE_KEYS) if (named := person_name(_person(v)))]
    places = load_places()
    given_places = [places.canonical(v) or v for v in _values(fields, PLACE_KEYS)]
    changes.update(
        organisations=_merge(given_orgs, meta.organisations),
        people=_merge([person for person, _ in given_people], meta.people),
        places=_merge(given_places, meta.places),
    )
    doc_type = _first(fields, TYPE_KEYS)
    if doc_type:
        changes["doc_type"] = _text(doc_type).strip().lower()
    language = language_code(_text(_first(fields, LANGUAGE_KEYS) or ""))
    if language:
        changes["language"] = language
    keys = (translation_key.lower(), *TRANSLATION_KEYS) if translation_key else TRANSLATION_KEYS
    translation = _first(fields, keys)
    if translation:
        changes["translation"] = " ".join(_text(translation).split())
    extra = {k: _text(v) for k, v in given.items() if str(k).lower() not in _KNOWN and v not in (None, "", [], {})}
    roles = "; ".join(f"{person}: {role}" for person, role in given_people if role)
    if roles:
        extra["roles"] = roles
    changes["extra"] = tuple(sorted({**dict(meta.extra), **extra}.items()))
    return replace(meta, **changes)


def _issuer(layers: Layers) -> tuple[tuple[str, ...], IssuerSource] | None:
    """The issuers the surest layer names (canonical names), and that layer's source."""
    orgs = load_orgs()
    for source, layer in layers:
        fields = {str(k).lower(): v for k, v in layer.items() if v not in (None, "", [], {})}
        named = [orgs.canonical(v) or _title_case(v) for v in _values(fields, ISSUER_KEYS)]
        publisher = publisher_of_url(_text(_first(fields, URL_KEYS) or ""))
        found = tuple(dict.fromkeys(named or ([publisher] if publisher else [])))
        if found:
            return found, source
    return None


def _surest(layers: Layers, keys: tuple[str, ...]) -> IssuerSource | None:
    """The source of the surest layer that gives one of `keys`."""
    return next((source for source, layer in layers
                 if any(str(k).lower() in keys and v not in (None, "", [], {}) for k, v in layer.items())), None)


def _first(fields: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((fields[k] for k in keys if k in fields), None)


def _values(fields: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for key in keys:
        value = fields.get(key)
        items = value if isinstance(value, list) else [value] if value is not None else []
        values += [" ".join(_text(item).split()) for item in items if _text(item).strip()]
    return values


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _title_case(name: str) -> str:
    """"MINISTER FOR IMMIGRATION" -> "Minister for Immigration"; other casing, and a single
    word in capitals (an acronym: "OPEC"), is kept."""
    if not name.isupper() or len(name.split()) == 1:
        return name
    small = {"for", "of", "and", "the", "on", "in", "to", "a"}
    words = name.lower().split()
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words))


def _person(name: str) -> str:
    """"Surname, Given" -> "Given Surname"."""
    if name.count(",") == 1:
        surname, given = (part.strip() for part in name.split(","))
        if surname and given and " " not in surname.strip():
            return f"{given} {surname}"
    return name


def _merge(first: list[str], then: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*first, *then]))
