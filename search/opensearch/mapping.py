"""The OpenSearch index accord writes: settings and mapping made from accord's own analysis.

One OpenSearch document per accord document. Its sections are `nested` objects, so a hit
is a document, it scores as its best section (`score_mode: max`) and aggregations count
documents. Each section carries what a query may ask of it: its content in the field of
its language (title and heading included, as `content` indexes them), and the document's
title, keyword values (lower case, as field queries match them), year and day numbers, so
that a whole query is one `nested` clause. The document itself carries the values facets
count and filters select, as written; its year and month are dates (YEAR_FORMAT,
MONTH_FORMAT), counted with `date_histogram`.

Each content field has an analyzer built from the pieces accord's analysis uses (custom
chains, not OpenSearch's language analyzers, whose stop lists and stemmers differ): the
same stop lists (Whoosh's), lower case, accents folded, the same Snowball stemmers; hyphen-
and letter-digit compounds are indexed as their parts and joined (`word_delimiter_graph`);
French and Spanish drop their stop words before folding, as accord does; Spanish puts back
the accent of a folded "-ión" ("informacion"), without which Lucene's Snowball stemmer keeps
the suffix that accord's newer one strips ("inform"); Russian folds ё to е; Chinese is
folded to Simplified by accord before it is sent, then split into overlapping bigrams
(`cjk_width`, `cjk_bigram`). What the chains do not repeat
of accord's analysis: Arabic gets OpenSearch's `arabic_normalization` and no light
stemming, Spanish ñ is folded, and a UN symbol's joined form loses its slashes
("ahrc523"), which a query's joined form matches as well. English content is also kept
unstemmed (`content.spelling`, the same chain without the stemmer), the words spelling
suggestions are drawn from. Scoring is BM25 with accord's k1 and b (`accord_bm25`).
"""

from __future__ import annotations

from typing import Any

from indexer.fields import (
    CONTENT,
    CONTENT_FIELDS,
    DATE_END,
    DATE_START,
    KEYWORD_FIELDS,
    MONTH,
    YEAR,
    language_of_field,
)

DEFAULT_ALIAS = "accord"
"""The alias an export moves and searches read through, unless given another."""
SECTIONS = "sections"
SIMILARITY = "accord_bm25"
SPELLING = "spelling"
"""The subfield of `content` that keeps its words unstemmed, for spelling suggestions."""
WORD_PATTERN = r"[\p{L}\p{M}\p{N}_]+(?:[-‐‑/.][\p{L}\p{M}\p{N}_]+)*"
"""A word as accord's tokenizer reads one: letters and digits, joined by hyphens, slashes or dots."""
_SNOWBALL = {None: "English", "fr": "French", "es": "Spanish", "ru": "Russian"}
DOCUMENT_KEYWORDS = ("doc_id", "file", "content_hash", "source_hash", "translation", "copy_group", "date_source",
                     "issuer_source", "title_source", *KEYWORD_FIELDS)
"""Document fields kept as exact values, for filters, facets and lookups."""
STORED_ONLY = ("path", "title", "date", "extra", "mtime_ns", "size", "own_issuer")
KEYS = "keys"
"""The document's keyword values in lower case, as filters select them."""
YEAR_FORMAT, MONTH_FORMAT = "yyyy", "yyyyMM"
"""How a document's year ("2014") and month ("201406") are written as OpenSearch dates."""


def analyzer_name(fieldname: str) -> str:
    """The analyzer of a content field."""
    return f"accord_{language_of_field(fieldname) or 'en'}"


def index_body(k1: float, b: float, about: dict[str, Any], shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """The settings and mappings of a new accord index, refresh off (the export turns it on
    once every document is in); `about` (schema version, corpus, ...) is kept as its `_meta`."""
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "-1"},
            "similarity": {SIMILARITY: {"type": "BM25", "k1": k1, "b": b}},
            "analysis": _analysis(),
        },
        "mappings": {"dynamic": "strict", "_meta": about, "properties": _properties()},
    }


def _analysis() -> dict[str, Any]:
    from whoosh.analysis.filters import STOP_WORDS
    from whoosh.lang import stopwords_for_language

    filters: dict[str, Any] = {
        "accord_compounds": {"type": "word_delimiter_graph", "catenate_all": True, "preserve_original": False},
        "accord_stop_en": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
        "accord_ion": {"type": "pattern_replace", "pattern": "ion$", "replacement": "ión"},
    }
    analyzers: dict[str, Any] = {}
    for fieldname in CONTENT_FIELDS:
        language = language_of_field(fieldname)
        chain = ["lowercase"]
        char_filters: list[str] = []
        if language == "zh":
            analyzers[analyzer_name(fieldname)] = {"type": "custom", "tokenizer": "standard",
                                                  "filter": ["cjk_width", "lowercase", "cjk_bigram"]}
            continue
        if language == "ar":
            chain += ["arabic_normalization"]
        else:
            stem = f"accord_stem_{language or 'en'}"
            filters[stem] = {"type": "snowball", "language": _SNOWBALL[language]}
            if language in ("fr", "es", "ru"):
                filters[f"accord_stop_{language}"] = {"type": "stop",
                                                      "stopwords": sorted(stopwords_for_language(language))}
            if language == "ru":
                char_filters = ["accord_yo"]
                chain += [f"accord_stop_{language}", stem]
            elif language is None:
                unstemmed = ["accord_compounds", *chain, "asciifolding", "accord_stop_en"]
                analyzers[f"accord_{SPELLING}"] = {"type": "custom", "tokenizer": "accord_words", "filter": unstemmed}
                chain = [*unstemmed, stem]
            else:  # stop words before folding, as accord's chain ("más" is one, "mas" is not)
                accents = ["accord_ion"] if language == "es" else []
                chain = ["accord_compounds", *chain, f"accord_stop_{language}", "asciifolding", *accents, stem]
        analyzers[analyzer_name(fieldname)] = {"type": "custom", "tokenizer": "accord_words",
                                              "char_filter": char_filters, "filter": chain}
    return {
        "char_filter": {"accord_yo": {"type": "mapping", "mappings": ["ё => е", "Ё => Е"]}},
        "tokenizer": {"accord_words": {"type": "pattern", "pattern": WORD_PATTERN, "group": 0}},
        "filter": filters,
        "analyzer": analyzers,
    }


def _properties() -> dict[str, Any]:
    keyword = {"type": "keyword"}
    english = {"type": "text", "analyzer": "accord_en", "similarity": SIMILARITY}
    section: dict[str, Any] = {
        "section_id": keyword,
        "position": {"type": "integer"},
        "heading": english,
        "title": english,
        "body": {"type": "text", "index": False},
        "section_language": keyword,
        **{name: keyword for name in KEYWORD_FIELDS},
        YEAR: {"type": "integer"},
        DATE_START: {"type": "integer"},
        DATE_END: {"type": "integer"},
        **{name: {"type": "text", "analyzer": analyzer_name(name), "similarity": SIMILARITY} for name in CONTENT_FIELDS},
    }
    section[CONTENT] = {**section[CONTENT], "fields": {SPELLING: {"type": "text", "analyzer": f"accord_{SPELLING}"}}}
    return {
        **{name: keyword for name in DOCUMENT_KEYWORDS},
        YEAR: {"type": "date", "format": YEAR_FORMAT},
        MONTH: {"type": "date", "format": MONTH_FORMAT},
        DATE_START: {"type": "integer"},
        DATE_END: {"type": "integer"},
        "joint": {"type": "boolean"},
        KEYS: {"properties": {name: keyword for name in KEYWORD_FIELDS}},
        **{name: {"type": "keyword", "index": False, "doc_values": False} for name in STORED_ONLY},
        SECTIONS: {"type": "nested", "properties": section},
    }
