"""Search, show and stats on an accord index exported to OpenSearch, with the result types
of the Whoosh backend.

A request is parsed by accord (search.query) and translated node by node
(search.opensearch.translate); hits are documents scored as their best section, their
best sections come as `inner_hits` with highlights in private-use sentinel characters,
which become accord's [start, end) snippet offsets. Filters are a `post_filter`, and each
facet is counted over the query's matches that the *other* filters allow (a `filter`
aggregation per facet), so counts next to a chosen value stay, as in the Whoosh backend.
Copies of a text are shown once (`collapse` on the copy group). With no match mode, all
words are asked for first, then any word, with the same notice. Pseudo-relevance feedback
is accord's (search.rank.feedback): the best sections of the top documents are read back,
the rarity of their words counted in one aggregation, and the words chosen add to the
scores of the sections the query matches (`should` clauses beside it), highlighted never.

Years and months are counted by `date_histogram`. A page deeper than OpenSearch's window
(MAX_WINDOW documents) is reached by walking the matches with `search_after`. With
--explain, each section's term scores are read from the cluster's Lucene explanation.
`accord batch` runs its queries one search at a time.

A search that finds little gets a spelling suggestion, from the unstemmed words of
`content.spelling`: the term suggester gives the words near each unknown one, and accord
chooses among them as on one machine (search.suggest).

A query is read in the content fields whose vocabulary knows its words, chosen as on one
machine (search.query.fields_knowing) from counts the cluster gives. Not done here:
`--one-per-text` (refused, saying so).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.errors import AccordError, InvalidInput
from indexer.fields import (
    BODY,
    CONTENT,
    CONTENT_FIELDS,
    DATE_END,
    DATE_START,
    DOC_ID,
    HEADING,
    ISSUER,
    KEYWORD_FIELDS,
    LANGUAGE,
    MONTH,
    NONE,
    ORGANISATION,
    PERSON,
    PLACE,
    POSITION,
    SECTION_ID,
    SECTION_LANGUAGE,
    SYMBOL,
    TITLE,
    TYPE,
    YEAR,
    content_field,
    join_values,
    language_of_field,
)
from search.opensearch.export import STORED
from search.opensearch.mapping import KEYS, MONTH_FORMAT, SECTIONS, SPELLING, YEAR_FORMAT
from search.opensearch.translate import document_query, section_clause
from search.rank.explain import Origin, explain_query, explained_terms, term_origins
from search.request import MAX_FACET_SIZE, Match, SearchRequest, Sort
from search.results import (
    BatchQuery,
    Copy,
    DocumentHit,
    FacetResult,
    IndexStats,
    Ranking,
    Refused,
    SearchResult,
    SectionHit,
    ShownDocument,
    Translation,
)

if TYPE_CHECKING:
    from opensearchpy import OpenSearch
    from whoosh.fields import Schema
    from whoosh.query import Query

    from indexer.metadata.model import Metadata
    from search.request import Filters

OPEN, CLOSE = "\ue000", "\ue001"
"""The private-use characters highlights are marked with, stripped into offsets here."""
MAX_WINDOW = 10_000
"""OpenSearch's default `max_result_window`: the deepest page a search may reach."""
MAX_SECTIONS = 100
"""Sections per document with --sections (OpenSearch's default inner-hits limit)."""
VALUES_SCANNED = 10_000
"""Values per keyword facet fetched before accord picks the largest."""
SPELLING_CANDIDATES = 50
"""Words near a misspelt one that the term suggester is asked for, accord choosing among them."""


class OpenSearchUnavailable(AccordError):
    """The cluster does not answer, or holds no accord index under the alias."""


@dataclass(frozen=True)
class OpenSearchBackend:
    """An accord index exported to OpenSearch, read through `alias`."""

    client: OpenSearch
    alias: str

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of documents with facet counts, and a spelling suggestion when it finds
        little, as the Whoosh backend gives them."""
        if request.one_per_text:
            raise InvalidInput("--one-per-text needs the Whoosh backend: on OpenSearch each translation is its own "
                               "result (use --backend whoosh on the index folder).")
        result = self._matched(request)
        return replace(result, suggestion=self._suggestion(request, result.total_documents))

    def batch(self, queries: list[BatchQuery], limit: int, match: Match | None, expand: bool = True,
              feedback: bool = True) -> Iterator[Ranking | Refused]:
        """The best `limit` documents of each query (every copy ranked, as the Whoosh
        backend's batch does), or why it was not run."""
        for query in queries:
            try:
                found = self._matched(SearchRequest(query.text, match=match, limit=limit, facets=(), expand=expand,
                                                    feedback=feedback, all_copies=True))
            except InvalidInput as err:
                yield Refused(query, str(err))
                continue
            yield Ranking(query, tuple((hit.doc_id, hit.score) for hit in found.results))

    def show(self, doc_id: str, query: str | None = None) -> ShownDocument:
        """The document with this id, as `accord show` gives it."""
        from search.engine import DocumentNotFound

        found = self._call("search", body={"query": {"term": {DOC_ID: doc_id}}, "size": 1})["hits"]["hits"]
        if not found:
            raise DocumentNotFound(f"No document {doc_id!r} in the index. `accord search` shows document ids.")
        source = found[0]["_source"]
        document = _document(source)
        highlights: tuple[tuple[tuple[int, int], ...], ...] = ()
        if query and query.strip() not in ("", "*"):
            from search.snippets import highlight_spans

            words = {text for _, text in _leaf_terms(self._parsed(SearchRequest(query), Match.ANY)[0])}
            highlights = tuple(highlight_spans(section.text, words, section.language) for section in document.sections)
        return ShownDocument(document, self._translations(source), highlights, self._cited_by(source),
                             self._copies(source), bool(source.get("joint")))

    def stats(self) -> IndexStats:
        """Counts of the index behind the alias."""
        about = self._about()
        aggs: dict[str, Any] = {
            "sections": {"nested": {"path": SECTIONS}},
            "texts": {"cardinality": {"field": "copy_group", "precision_threshold": 40_000}},
            "groups": {"terms": {"field": "copy_group", "min_doc_count": 2, "size": VALUES_SCANNED}},
            "joint": {"filter": {"term": {"joint": True}}},
            **{name: {"cardinality": {"field": name, "precision_threshold": 40_000}}
               for name in (*KEYWORD_FIELDS, YEAR, MONTH)},
        }
        answer = self._call("search", body={"size": 0, "track_total_hits": True, "aggs": aggs})
        found = answer["aggregations"]
        index_stats = self._call("indices.stats", metric="store")
        return IndexStats(
            documents=answer["hits"]["total"]["value"], sections=found["sections"]["doc_count"],
            index_bytes=int(index_stats["_all"]["primaries"]["store"]["size_in_bytes"]),
            schema_version=about.get("schema_version"), corpus=about.get("corpus"), updated=about.get("updated"),
            facet_values={name: found[name]["value"] for name in (ISSUER, ORGANISATION, YEAR, MONTH, PERSON, PLACE,
                                                                 TYPE, LANGUAGE, SYMBOL)},
            furniture_lines=int(about.get("furniture_lines", 0)), texts=found["texts"]["value"],
            copy_groups=sum(1 for bucket in found["groups"]["buckets"] if not bucket["key"].startswith("doc:")),
            joint_statements=found["joint"]["doc_count"], folder_priors=dict(about.get("folder_priors", {})),
        )

    def _matched(self, request: SearchRequest) -> SearchResult:
        """The search with the request's match mode; with none, all words first, then any word."""
        from search.rank.matching import FALLBACK_NOTICE, word_count

        result = self._search(request, request.match or Match.ALL)
        if not result.total_documents and request.match is None and word_count(request.text) > 1:
            fallback = self._search(request, Match.ANY)
            if fallback.total_documents:
                return replace(fallback, notice=FALLBACK_NOTICE)
        return result

    def _suggestion(self, request: SearchRequest, found: int) -> str | None:
        """A corrected query when this one finds little and the correction finds more."""
        from indexer.schema import build_schema
        from search.engine import SUGGEST_BELOW
        from search.suggest import corrected

        if found >= SUGGEST_BELOW:
            return None
        others, schema = self._content_fields()[1:], build_schema()
        text = corrected(request.text, lambda word: self._correction(word, others, schema))
        if text is None:
            return None
        counted = self._matched(replace(request, text=text, facets=(), page=1, limit=1, explain=False, feedback=False))
        return text if counted.total_documents > found else None

    def _correction(self, word: str, others: tuple[str, ...], schema: Schema) -> str | None:
        """The indexed word a query's `word` is corrected to; None when the index holds it
        (unstemmed, or in the content field of another language it has) or nothing near it.
        The term suggester gives the candidates and the sections holding each, and
        search.suggest chooses among them as it does on one machine."""
        from indexer.analysis import english_tokens
        from search.suggest import LONG_WORD, MIN_LETTERS, nearest

        tokens = english_tokens(word, no_morph=True)
        if len(tokens) != 1:
            return None  # a stop word
        term = tokens[0][3]
        field = f"{SECTIONS}.{CONTENT}.{SPELLING}"
        elsewhere = [{"term": {f"{SECTIONS}.{name}": token.text}}
                     for name in others for token in schema[name].analyzer(word, mode="query")] or [{"match_none": {}}]
        held = {"known": {"term": {field: term}}, "elsewhere": {"bool": {"should": elsewhere}}}
        suggester = {"field": field, "suggest_mode": "always", "max_edits": 2 if len(term) >= LONG_WORD else 1,
                     "prefix_length": 1, "min_word_length": MIN_LETTERS, "size": SPELLING_CANDIDATES}
        answer = self._call("search", body={
            "size": 0, "suggest": {"word": {"text": term, "term": suggester}},
            "aggs": {"sections": {"nested": {"path": SECTIONS}, "aggs": {"held": {"filters": {"filters": held}}}}}})
        buckets = answer["aggregations"]["sections"]["held"]["buckets"]
        if buckets["known"]["doc_count"] or buckets["elsewhere"]["doc_count"]:
            return None
        options = [option for entry in answer["suggest"]["word"] for option in entry["options"]]
        return nearest(term, {option["text"]: int(option["freq"]) for option in options})

    def _search(self, request: SearchRequest, match: Match) -> SearchResult:
        from search.engine import SECTIONS_PER_DOCUMENT
        from search.facets import DEFAULT_FACET_SIZE

        positive, excluded = self._parsed(request, match)
        start = (request.page - 1) * request.limit
        highlight: dict[str, Any] = {"pre_tags": [OPEN], "post_tags": [CLOSE], "number_of_fragments": 0,
                                     "fields": {f"{SECTIONS}.{name}": {} for name in CONTENT_FIELDS}}
        inner = {"size": MAX_SECTIONS if request.all_sections else SECTIONS_PER_DOCUMENT,
                 "_source": [f"{SECTIONS}.{name}" for name in (SECTION_ID, POSITION, HEADING, BODY, SECTION_LANGUAGE)],
                 "highlight": highlight}
        always = _always(request.filters)
        by_field = _filters(request.filters)
        feedback = self._feedback(request, positive, excluded, always, by_field)
        origins = None
        if request.explain:
            from indexer.schema import build_schema

            inner["explain"] = True
            origins = term_origins(request.text, request.expand, tuple(feedback), build_schema())
        if feedback:  # the query's own words are highlighted, not the feedback words
            highlight["highlight_query"] = section_clause(positive)
        query = _filtered(document_query(positive, excluded, inner, feedback), always)
        aggs: dict[str, Any] = {"filtered": {"filter": _all(list(by_field.values())), "aggs": {
            "texts": {"cardinality": {"field": "copy_group", "precision_threshold": 40_000}},
            "sections": {"nested": {"path": SECTIONS}, "aggs": {"matching": {"filter": section_clause(positive)}}}}}}
        for name in request.facets:
            others = [clause for field, clause in by_field.items() if field != name]
            aggs[f"facet:{name}"] = {"filter": _all(others), "aggs": {
                "values": _counted(name), "missing": {"missing": {"field": name}}}}
        body: dict[str, Any] = {"query": query, "aggs": aggs, "from": start, "size": request.limit,
                                "track_total_hits": False, "_source": {"excludes": [SECTIONS]},
                                "sort": _sort(request.sort)}
        if by_field:
            body["post_filter"] = _all(list(by_field.values()))
        if not request.all_copies:
            body["collapse"] = {"field": "copy_group"}
        if start + request.limit > MAX_WINDOW:
            walked = _filtered(document_query(positive, excluded, None, feedback), always)
            chosen = self._deep_page({**body, "query": walked}, start, request.limit, request.all_copies)
            body = {**body, "from": 0, "post_filter": _all([*by_field.values(), {"terms": {DOC_ID: chosen}}])}
            body.pop("collapse", None)
        answer = self._call("search", body=body)
        found = answer["aggregations"]
        words = {text for _, text in _leaf_terms(positive)}
        hits = [self._hit(hit, request, words, origins) for hit in answer["hits"]["hits"]]
        sizes = dict.fromkeys(request.wider, MAX_FACET_SIZE)
        facets = {name: _facet(name, found[f"facet:{name}"], request.filters, sizes.get(name, DEFAULT_FACET_SIZE))
                  for name in request.facets}
        total = found["filtered"]["doc_count"]  # the hits' own total leaves out a deep page's
        return SearchResult(
            query=request.text, match=match, page=request.page, limit=request.limit, total_documents=total,
            total_sections=found["filtered"]["sections"]["matching"]["doc_count"] if total else 0,
            total_texts=total if request.all_copies else found["filtered"]["texts"]["value"],
            results=tuple(hits), facets=facets,
            explain=explain_query(request.text, request.expand, tuple(feedback)) if request.explain else None,
        )

    def _deep_page(self, body: dict[str, Any], start: int, limit: int, all_copies: bool) -> list[str]:
        """The doc ids of the page `limit` documents long after the first `start` of a search
        (`body`, its query without inner hits) deeper than OpenSearch's window: the matches
        are walked in their order with `search_after`, MAX_WINDOW at a time, each copy group
        counted at its first document (what `collapse` keeps) unless `all_copies`."""
        walk: dict[str, Any] = {"query": body["query"], "sort": body["sort"], "size": MAX_WINDOW,
                                "track_total_hits": False, "_source": [DOC_ID, "copy_group"]}
        if "post_filter" in body:
            walk["post_filter"] = body["post_filter"]
        seen: set[str] = set()
        chosen: list[str] = []
        passed = 0
        while len(chosen) < limit:
            hits = self._call("search", body=walk)["hits"]["hits"]
            for hit in hits:
                group = hit["_source"].get("copy_group") or hit["_source"][DOC_ID]
                if not all_copies:
                    if group in seen:
                        continue
                    seen.add(group)
                if passed < start:
                    passed += 1
                elif len(chosen) < limit:
                    chosen.append(hit["_source"][DOC_ID])
            if len(hits) < MAX_WINDOW:
                break
            walk["search_after"] = hits[-1]["sort"]
        return chosen

    def _feedback(self, request: SearchRequest, positive: Query, excluded: list[Query],
                  always: list[dict[str, Any]], by_field: dict[str, dict[str, Any]]) -> list[tuple[str, float]]:
        """Pseudo-relevance feedback as the Whoosh backend does it (search.rank.feedback):
        the words the best section of each of the top documents share, weighed by how rare
        they are among the cluster's sections; none for a query matching so few documents."""
        from whoosh import query as wq

        from search.rank.feedback import (
            FEEDBACK_DOCUMENTS,
            FEEDBACK_TERMS,
            candidate_words,
            section_text,
            weighed_words,
            word_frequencies,
        )

        if not request.feedback or request.sort is not Sort.RELEVANCE or isinstance(positive, wq.Every):
            return []
        inner = {"size": 1, "_source": [f"{SECTIONS}.{name}" for name in (HEADING, BODY, SECTION_LANGUAGE)]}
        body: dict[str, Any] = {"query": _filtered(document_query(positive, excluded, inner), always),
                                "size": FEEDBACK_DOCUMENTS, "track_total_hits": FEEDBACK_DOCUMENTS + 1,
                                "_source": ["title"], "sort": _sort(Sort.RELEVANCE)}
        if by_field:
            body["post_filter"] = _all(list(by_field.values()))
        answer = self._call("search", body=body)["hits"]
        if answer["total"]["value"] <= FEEDBACK_DOCUMENTS:
            return []
        sections = []
        for hit in answer["hits"]:
            best = hit["inner_hits"][SECTIONS]["hits"]["hits"][0]
            section = best["_source"]
            if content_field(section.get(SECTION_LANGUAGE)) == CONTENT:
                sections.append((best["_score"] or 0.0, section_text({**section, TITLE: hit["_source"].get("title")})))
        query_terms = {text for field, text in _leaf_terms(positive) if field == CONTENT}
        frequency = word_frequencies(sections)
        candidates = [(CONTENT, term) for term in candidate_words(frequency, query_terms, 3 * FEEDBACK_TERMS)]
        counts, records = self._records_with(candidates)

        def records_with(term: str) -> int:
            if (CONTENT, term) not in counts:
                counts.update(self._records_with([(CONTENT, term)])[0])
            return counts[CONTENT, term]

        return weighed_words(frequency, query_terms, records, records_with)

    def _records_with(self, terms: list[tuple[str, str]]) -> tuple[dict[tuple[str, str], int], int]:
        """How many sections hold each (content field, term), and how many sections there are."""
        words = {str(n): {"term": {f"{SECTIONS}.{field}": term}} for n, (field, term) in enumerate(terms)}
        aggs = {"sections": {"nested": {"path": SECTIONS},
                             "aggs": {"words": {"filters": {"filters": words or {"none": {"match_none": {}}}}}}}}
        found = self._call("search", body={"size": 0, "aggs": aggs})["aggregations"]["sections"]
        buckets = found["words"]["buckets"]
        return {term: buckets[str(n)]["doc_count"] for n, term in enumerate(terms)}, found["doc_count"]

    def _held(self, terms: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (content field, term) pairs some section holds."""
        counts = self._records_with(sorted(terms))[0] if terms else {}
        return {term for term, count in counts.items() if count}

    def _parsed(self, request: SearchRequest, match: Match) -> tuple[Query, list[Query]]:
        """The request's query as accord parses it, without its exclusions, and those."""
        from indexer.schema import build_schema
        from search.query import fields_knowing, parse_query
        from search.rank.matching import without_exclusions

        schema = build_schema()
        fields = fields_knowing(self._content_fields(), schema, request.text, self._held)
        return without_exclusions(parse_query(request.text, match, schema, request.expand, fields))

    def _content_fields(self) -> tuple[str, ...]:
        """`content`, and the content field of each other language the index holds."""
        answer = self._call("search", body={"size": 0, "aggs": {"languages": {"nested": {"path": SECTIONS}, "aggs": {
            "language": {"terms": {"field": f"{SECTIONS}.{SECTION_LANGUAGE}", "size": 200}}}}}})
        held = {bucket["key"] for bucket in answer["aggregations"]["languages"]["language"]["buckets"]}
        return (CONTENT, *(name for name in CONTENT_FIELDS[1:] if language_of_field(name) in held))

    def _hit(self, hit: dict[str, Any], request: SearchRequest, words: set[str],
             origins: dict[tuple[str, str], Origin] | None) -> DocumentHit:
        from indexer.sources import display_path

        source = hit["_source"]
        inner = hit["inner_hits"][SECTIONS]["hits"]
        sections = tuple(_section(found, words, origins) for found in inner["hits"])
        best = max((section.score for section in sections), default=hit.get("_score") or 0.0)
        return DocumentHit(source[DOC_ID], display_path(str(source["path"])), _metadata(source), round(best, 4),
                           sections, inner["total"]["value"],
                           copies=() if request.all_copies else self._copies(source), joint=bool(source.get("joint")))

    def _copies(self, source: dict[str, Any]) -> tuple[Copy, ...]:
        """The other documents of a document's copy group, each with its own issuers and date."""
        from search.render import shown_date

        group = source.get("copy_group", "")
        if not group or group.startswith("doc:"):
            return ()
        body = {"query": {"bool": {"filter": [{"term": {"copy_group": group}}],
                                   "must_not": [{"term": {DOC_ID: source[DOC_ID]}}]}},
                "size": MAX_WINDOW, "_source": {"excludes": [SECTIONS]}, "sort": [{DOC_ID: "asc"}]}
        found = []
        for other in self._call("search", body=body)["hits"]["hits"]:
            meta = _metadata(other["_source"])
            found.append(Copy(other["_source"][DOC_ID], tuple(other["_source"].get("own_issuer") or ()),
                              shown_date(meta)))
        return tuple(found)

    def _translations(self, source: dict[str, Any]) -> tuple[Translation, ...]:
        key = source.get("translation")
        if not key:
            return ()
        body = {"query": {"bool": {"filter": [{"term": {"translation": key}}],
                                   "must_not": [{"term": {DOC_ID: source[DOC_ID]}}]}},
                "size": 1000, "_source": [DOC_ID, LANGUAGE, "title"], "sort": [{DOC_ID: "asc"}]}
        found = [other["_source"] for other in self._call("search", body=body)["hits"]["hits"]]
        return tuple(sorted((Translation(other[DOC_ID], (other.get(LANGUAGE) or [None])[0], other.get("title") or None)
                             for other in found), key=lambda t: (t.language or "", t.doc_id)))

    def _cited_by(self, source: dict[str, Any]) -> tuple[str, ...]:
        from indexer.metadata.symbols import normal_symbol

        own = normal_symbol(source["translation"]) if source.get("translation") else None
        if not own:
            return ()
        body = {"query": {"bool": {"filter": [{"term": {f"{KEYS}.{SYMBOL}": own.lower()}}],
                                   "must_not": [{"term": {DOC_ID: source[DOC_ID]}}]}},
                "size": MAX_WINDOW, "_source": [DOC_ID]}
        return tuple(sorted(hit["_source"][DOC_ID] for hit in self._call("search", body=body)["hits"]["hits"]))

    def _about(self) -> dict[str, Any]:
        mappings = self._call("indices.get_mapping")
        return next(iter(mappings.values()))["mappings"].get("_meta", {})

    def _call(self, method: str, **arguments: Any) -> Any:
        """A request to the cluster on the alias, its failures as one clear error."""
        from opensearchpy import ConnectionError as Unreachable
        from opensearchpy import NotFoundError

        target: Any = self.client
        for part in method.split("."):
            target = getattr(target, part)
        try:
            return target(index=self.alias, **arguments)
        except NotFoundError:
            raise OpenSearchUnavailable(f"OpenSearch holds no index {self.alias!r}; export one with "
                                        f"`accord export --to opensearch URL --alias {self.alias}`.") from None
        except Unreachable as err:
            raise OpenSearchUnavailable(f"OpenSearch does not answer ({err.info or err}); check the URL "
                                        "(--opensearch-url, ACCORD_OPENSEARCH_URL) and that the cluster runs.") from None


def _sort(sort: Sort) -> list[Any]:
    if sort is Sort.RELEVANCE:
        return ["_score", {DOC_ID: "asc"}]
    order = "desc" if sort is Sort.NEWEST else "asc"
    return [{DATE_START: {"order": order, "missing": "_last"}}, "_score", {DOC_ID: "asc"}]


def _filtered(query: dict[str, Any], always: list[dict[str, Any]]) -> dict[str, Any]:
    """The query, within the filters that apply to every count (dates)."""
    return {"bool": {"must": [query], "filter": always}} if always else query


def _all(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _filters(filters: Filters) -> dict[str, dict[str, Any]]:
    """Per facet field the filters restrict, the clause of the documents it allows: one of
    the chosen values (any alias, any case; "(none)": no value), none of the excluded ones."""
    from search.facets import value_key
    from search.request import indexed_values, parse_month, parse_year_range

    clauses: dict[str, dict[str, Any]] = {}
    for name in filters.fields():
        excluded = filters.exclusions(name)
        if name == YEAR:
            allowed = [_years(span) for span in filters.years]
            refused = [_years(parse_year_range(value)) for value in excluded]
        elif name == MONTH:
            allowed = [_values(MONTH, [str(month) for month in filters.months])] if filters.months else []
            refused = [_values(MONTH, [str(parse_month(value)) for value in excluded])] if excluded else []
        else:
            chosen = {value_key(name, value) for value in indexed_values(name, filters.selected(name))}
            allowed = [_values(f"{KEYS}.{name}", chosen)] if chosen else []
            refused = ([_values(f"{KEYS}.{name}", {value_key(name, value) for value in indexed_values(name, excluded)})]
                       if excluded else [])
        clause: dict[str, Any] = {}
        if allowed:
            clause["should"], clause["minimum_should_match"] = allowed, 1
        if refused:
            clause["must_not"] = refused
        clauses[name] = {"bool": clause}
    return clauses


def _values(field: str, values: Iterable[str]) -> dict[str, Any]:
    """Documents carrying one of `values` in `field`, "(none)" (or month 0) for none at all."""
    wanted = sorted(values)
    none = [value for value in wanted if value in (NONE.lower(), "0")]
    clauses: list[dict[str, Any]] = [{"terms": {field: [v for v in wanted if v not in none]}}]
    if none:
        clauses.append({"bool": {"must_not": [{"exists": {"field": field}}]}})
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _years(span: Any) -> dict[str, Any]:
    """Documents of a year range; the range of year 0 ("(none)") holds the undated ones."""
    clauses: list[dict[str, Any]] = []
    if span.end >= 1:
        clauses.append({"range": {YEAR: {"gte": f"{max(span.start, 1):04d}", "lte": f"{span.end:04d}"}}})
    if span.start <= 0:
        clauses.append({"bool": {"must_not": [{"exists": {"field": YEAR}}]}})
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _counted(name: str) -> dict[str, Any]:
    """The aggregation counting a facet's values: the year and month by `date_histogram`,
    any other field by its terms."""
    if name in (YEAR, MONTH):
        interval, shown = ("year", YEAR_FORMAT) if name == YEAR else ("month", MONTH_FORMAT)
        return {"date_histogram": {"field": name, "calendar_interval": interval, "format": shown, "min_doc_count": 1}}
    return {"terms": {"field": name, "size": VALUES_SCANNED}}


def _always(filters: Filters) -> list[dict[str, Any]]:
    """The filters that are no facet: dates (--from/--to, a period overlapping theirs) and --joint."""
    clauses: list[dict[str, Any]] = []
    if filters.date_from:
        clauses.append({"range": {DATE_END: {"gte": int(filters.date_from.strftime("%Y%m%d"))}}})
    if filters.date_to:
        clauses.append({"range": {DATE_START: {"lte": int(filters.date_to.strftime("%Y%m%d"))}}})
    if filters.joint:
        clauses.append({"term": {"joint": True}})
    return clauses


def _facet(name: str, found: dict[str, Any], filters: Filters, size: int) -> FacetResult:
    from search.facets import dated_facet, keyword_facet, selected_values

    missing = found["missing"]["doc_count"]
    if name in (YEAR, MONTH):
        dated = {int(bucket["key_as_string"]): bucket["doc_count"] for bucket in found["values"]["buckets"]}
        return dated_facet(name, dated | ({0: missing} if missing else {}), selected_values(name, filters))
    counts = {bucket["key"]: bucket["doc_count"] for bucket in found["values"]["buckets"]}
    return keyword_facet(name, counts, counts, size, selected_values(name, filters), missing)


def _section(found: dict[str, Any], words: set[str], origins: dict[tuple[str, str], Origin] | None) -> SectionHit:
    """A section of an inner hit, its snippet from its highlight (the words it matched), or
    where it has none (a phrase, which OpenSearch does not highlight as spans) around the
    query's `words` as the Whoosh backend finds them; with `origins` (--explain), the score
    each term adds, from the cluster's explanation."""
    from search.snippets import make_snippet, snippet_at

    section = found["_source"]
    body, language = section.get(BODY, ""), section.get(SECTION_LANGUAGE) or None
    marked = next(iter(found.get("highlight", {}).values()), [None])[0]
    if marked:
        content, spans = _unmarked(marked)
        offset = len(content) - len(body)
        snippet = snippet_at(body, [(start - offset, end - offset) for start, end in spans if start >= offset],
                             language)
    else:
        snippet = make_snippet(body, words, language)
    terms = explained_terms(found.get("_explanation") or {}, origins) if origins is not None else ()
    return SectionHit(section[SECTION_ID], section.get(HEADING) or None, round(found["_score"] or 0.0, 4), snippet,
                      terms)


def _unmarked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text marked with OPEN and CLOSE, without them, and the [start, end) spans they marked."""
    import re

    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = opened = 0
    for piece in re.split(f"([{OPEN}{CLOSE}])", marked):
        if piece == OPEN:
            opened = length
        elif piece == CLOSE:
            spans.append((opened, length))
        else:
            pieces.append(piece)
            length += len(piece)
    return "".join(pieces), spans


def _metadata(source: dict[str, Any]) -> Metadata:
    from indexer.schema import metadata_from_record

    return metadata_from_record(_record(source))


def _record(source: dict[str, Any]) -> dict[str, Any]:
    """A document's fields as its Whoosh records store them."""
    record = {name: source.get(name) for name in STORED}
    record |= {name: join_values(source.get(name) or ()) for name in KEYWORD_FIELDS}
    record[TYPE] = (source.get(TYPE) or [""])[0]
    record[LANGUAGE] = (source.get(LANGUAGE) or [""])[0]
    if source.get(YEAR) is not None:
        record[YEAR] = int(source[YEAR])
    return {name: value for name, value in record.items() if value is not None}


def _document(source: dict[str, Any]) -> Any:
    from indexer.schema import document_from_records
    from indexer.sources import display_path

    record = _record(source)
    document = document_from_records([{**record, POSITION: section[POSITION], HEADING: section.get(HEADING) or "",
                                       BODY: section.get(BODY, ""), SECTION_LANGUAGE: section.get(SECTION_LANGUAGE) or ""}
                                      for section in source[SECTIONS]])
    return replace(document, path=Path(display_path(str(document.path))))


def _leaf_terms(query: Query) -> set[tuple[str, str]]:
    """The (field, text) of each word a query asks for (phrases' words included)."""
    from whoosh import query as wq

    found: set[tuple[str, str]] = set()
    for leaf in query.leaves():
        if isinstance(leaf, wq.Phrase):
            found |= {(leaf.fieldname, str(word)) for word in leaf.words}
        elif isinstance(leaf, wq.Term) and not isinstance(leaf, (wq.NumericRange, wq.TermRange)):
            found.add((leaf.fieldname, str(leaf.text)))
    return found
