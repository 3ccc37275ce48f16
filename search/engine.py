"""Run searches on the index: matching sections grouped into ranked documents, with
snippets and facet counts; plus `show` and `stats`.

Records are sections. A document's score is its best section's score; totals and
facet counts count documents. A text held by several documents (copies, or one text
issued by several organisations: indexer.store.copies) is shown once, as its
best-ranked document with the others listed under it. With no explicit match mode, a query first requires
every word and, if that finds nothing, falls back to any word and says so. A process
keeps its searcher on an index open from one search to the next, until the index changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from indexer.arrays import distinct, first_positions, stable_argsort
from indexer.errors import AccordError
from indexer.fields import (
    BODY,
    CONTENT,
    DOC_ID,
    FACET_FIELDS,
    FIRST_DAY,
    HEADING,
    ISSUER,
    LANGUAGE,
    LAST_DAY,
    NONE,
    PATH,
    SECTION_ID,
    SECTION_LANGUAGE,
    SYMBOL,
    TITLE,
    TRANSLATION,
    TYPE,
    language_of_field,
)
from indexer.metadata.prior import priors_as_json
from indexer.schema import SCHEMA_VERSION, document_from_records, metadata_from_record
from indexer.sources import display_path
from indexer.store.columns import Columns, column, load_columns
from indexer.store.copies import NO_GROUP
from indexer.store.folder import has_index, index_size, read_info
from indexer.store.stored import stored_fields
from search.facets import count_facets
from search.rank.explain import Origin, explain_query, explain_section, term_origins
from search.rank.matching import Matches, find_matches, query_terms
from search.render import shown_date
from search.request import MAX_FACET_SIZE, SearchRequest, Sort
from search.results import (
    Copy,
    DocumentHit,
    IndexStats,
    SearchResult,
    SectionHit,
    ShownDocument,
    Translation,
)
from search.searcher import with_shared_searcher
from search.snippets import highlight_spans, make_snippet

if TYPE_CHECKING:
    import numpy as np
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

    from indexer.documents import Document
    from indexer.metadata.model import Metadata

SECTIONS_PER_DOCUMENT = 3
OWN_LANGUAGE_WINDOW = 1000
"""How many of the best documents own_language_first reorders."""
CONFIDENT_QUERY = 0.5
"""The detector's probability above which a query read in English too is taken as another language."""
SUGGEST_BELOW = 3
"""A search finding fewer documents than this gets a spelling suggestion, if one finds more."""


class DocumentNotFound(AccordError):
    """No document with that id is indexed."""


def search(index_dir: Path, request: SearchRequest) -> SearchResult:
    """Run a search and return one page of documents with facet counts (on a searcher kept
    open for the next search of the same index in this process)."""
    return with_shared_searcher(index_dir, lambda searcher: _search(searcher, index_dir, request))


def _search(searcher: Searcher, index_dir: Path, request: SearchRequest) -> SearchResult:
    import numpy as np

    columns = load_columns(index_dir, searcher.reader())
    matches = find_matches(searcher, columns, request)
    ordered = _order(columns, matches, request.sort)
    language = _query_language(matches.fields, request.text)
    if request.sort is Sort.RELEVANCE:
        ordered = own_language_first(searcher, matches, ordered, language)
    others: dict[int, list[int]] = {}
    sections = len(matches.records)
    if request.one_per_text:
        ordered, others = one_per_text(searcher, matches, ordered, language)
        sections = int(np.isin(matches.documents, ordered).sum())
    texts = ordered if request.all_copies else one_per_copy_group(columns, ordered)
    start = (request.page - 1) * request.limit
    origins = (term_origins(request.text, request.expand, matches.feedback, searcher.schema)
               if request.explain else None)
    page = [_document_hit(searcher, columns, matches, document, request, origins, others.get(document, ()))
            for document in texts[start : start + request.limit].tolist()]
    facets = count_facets(columns, ordered, request.facets, filters=request.filters,
                          unfiltered=matches.unfiltered, masks=matches.masks,
                          sizes=dict.fromkeys(request.wider, MAX_FACET_SIZE))
    return SearchResult(
        query=request.text, match=matches.match, page=request.page, limit=request.limit,
        total_documents=len(ordered), total_sections=sections, total_texts=len(texts),
        results=tuple(page), facets=facets, notice=matches.notice,
        suggestion=_suggestion(searcher, columns, request, len(ordered)),
        explain=explain_query(request.text, request.expand, matches.feedback) if request.explain else None,
    )


def one_per_copy_group(columns: Columns, ordered: np.ndarray) -> np.ndarray:
    """The documents in `ordered`, each copy group's first one only."""
    import numpy as np

    group = columns.group[ordered]
    grouped = np.nonzero(group != NO_GROUP)[0]
    keep = group == NO_GROUP
    keep[grouped[first_positions(group[grouped])]] = True
    return ordered[keep]


def copies_of(searcher: Searcher, columns: Columns, document: int) -> tuple[Copy, ...]:
    """The other documents of a document's copy group, by doc id, each with its own issuers
    and date."""
    import numpy as np

    if columns.group[document] == NO_GROUP:
        return ()
    members = np.nonzero(columns.group == columns.group[document])[0]
    found = []
    for record in np.searchsorted(columns.document, members[members != document]).tolist():
        stored = stored_fields(searcher.reader(), record)
        meta = metadata_from_record(stored)
        found.append(Copy(stored[DOC_ID], meta.issuers, shown_date(meta)))
    return tuple(sorted(found, key=lambda copy: copy.doc_id))


def as_grouped(columns: Columns, document: int, meta: Metadata) -> Metadata:
    """A document's metadata with what its copy group adds: the issuers of every copy (its
    own first), and for a joint statement the type of one."""
    if columns.group[document] == NO_GROUP and not columns.joint[document]:
        return meta

    def carried(name: str) -> list[str]:
        documents, ordinals = columns.pairs[name]
        return [columns.values[name][i] for i in ordinals[documents == document].tolist()]

    issuers = [*meta.issuers, *sorted(set(carried(ISSUER)) - set(meta.issuers))]
    types = carried(TYPE) if columns.joint[document] else []
    return replace(meta, issuers=tuple(issuers), doc_type=types[0] if types else meta.doc_type)


def one_per_text(searcher: Searcher, matches: Matches, ordered: np.ndarray, wanted: str
                 ) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Each text once: of the matching documents that share a translation id, the one in
    the language `wanted` (the query's) where there is one, else the first in `ordered`;
    with, for each one kept, the other translations that matched."""
    import numpy as np

    translation, language = column(searcher.reader(), TRANSLATION), column(searcher.reader(), LANGUAGE)
    best = matches.best_records
    texts: dict[str, list[int]] = {}
    for document in ordered.tolist():
        texts.setdefault(translation[best[document]] or f"\0{document}", []).append(document)
    kept: dict[int, list[int]] = {}
    for versions in texts.values():
        chosen = next((d for d in versions if language[best[d]] == wanted), versions[0])
        kept[chosen] = [d for d in versions if d != chosen]
    return np.array([d for d in ordered.tolist() if d in kept], dtype=ordered.dtype), kept


def own_language_first(searcher: Searcher, matches: Matches, ordered: np.ndarray, wanted: str) -> np.ndarray:
    """The documents in `ordered`, each text's version in the query's language (`wanted`)
    moved to the place of its first-ranked translation: a query is read in its own
    language first, so an English query puts the English text above its French version
    even when the French one scores higher. Documents without translations stay put; only
    the best OWN_LANGUAGE_WINDOW documents are looked at, so the cost stays bounded."""
    if not _has_translations(searcher.reader()):
        return ordered
    translation, language = column(searcher.reader(), TRANSLATION), column(searcher.reader(), LANGUAGE)
    best = matches.best_records
    places: dict[str, list[int]] = {}
    for place, document in enumerate(ordered[:OWN_LANGUAGE_WINDOW].tolist()):
        key = translation[best[document]]
        if key:
            places.setdefault(key, []).append(place)
    moved = ordered.copy()
    for group in places.values():
        own = next((p for p in group if language[best[int(ordered[p])]] == wanted), group[0])
        if own != group[0]:
            rest = [p for p in group if p != own]
            moved[group] = ordered[[own, *rest]]
    return moved


_TRANSLATED: WeakKeyDictionary[IndexReader, bool] = WeakKeyDictionary()


def _has_translations(reader: IndexReader) -> bool:
    """Whether a document of the index has a translation id (the empty one aside), once per
    open reader: merging the segments' words to find out costs more than a search's ranking."""
    if reader not in _TRANSLATED:
        _TRANSLATED[reader] = any(term for term in islice(reader.lexicon(TRANSLATION), 2))
    return _TRANSLATED[reader]


def _query_language(fields: tuple[str, ...], text: str) -> str:
    """The language of a query: that of the one content field it was read in. When it was
    read in `content` and others, English, unless the detector is confident
    (CONFIDENT_QUERY) that it is written in another of them ("torture" and "torture
    detention" are English, "torture centres détention" French); else the likeliest of
    its fields' languages."""
    from indexer.language import detect, likeliest

    languages = {language_of_field(name) or "en" for name in fields}
    if len(languages) == 1:
        return languages.pop()
    if CONTENT in fields:
        detected, probability = detect(text)
        return detected if detected in languages and probability >= CONFIDENT_QUERY else "en"
    return likeliest(text, languages)


def _translations(searcher: Searcher, document: Document) -> tuple[Translation, ...]:
    """The other indexed documents that share the document's translation id."""
    key = document.metadata.translation
    if not key:
        return ()
    from whoosh import query as wq

    found: dict[str, Translation] = {}
    for docnum in searcher.docs_for_query(wq.Term(TRANSLATION, key)):
        stored = stored_fields(searcher.reader(), docnum)
        if stored[DOC_ID] != document.doc_id:
            found.setdefault(stored[DOC_ID], Translation(stored[DOC_ID], stored.get(LANGUAGE) or None,
                                                          stored.get(TITLE) or None))
    return tuple(sorted(found.values(), key=lambda t: (t.language or "", t.doc_id)))


def _suggestion(searcher: Searcher, columns: Columns, request: SearchRequest, found: int) -> str | None:
    """A corrected query when this one finds little and the correction finds more."""
    if found >= SUGGEST_BELOW:
        return None
    from search.suggest import suggest_spelling

    corrected = suggest_spelling(searcher, request.text)
    if corrected is None or len(find_matches(searcher, columns, replace(request, text=corrected)).firsts) <= found:
        return None
    return corrected


def _order(columns: Columns, matches: Matches, sort: Sort) -> np.ndarray:
    """The matching documents' numbers in the order asked for; by date, documents with no
    date come last, in order of relevance."""
    import numpy as np

    by_relevance = matches.ranked()
    if sort is Sort.RELEVANCE:
        return by_relevance
    day = columns.day[by_relevance]
    dated = (day >= FIRST_DAY) & (day <= LAST_DAY)
    order = stable_argsort(-day if sort is Sort.NEWEST else day)
    order = order[dated[order]]
    return np.concatenate([by_relevance[order], by_relevance[~dated]])


def _document_hit(searcher: Searcher, columns: Columns, matches: Matches, document: int, request: SearchRequest,
                  origins: dict[tuple[str, str], Origin] | None, translations: Iterable[int] = ()) -> DocumentHit:
    matching = matches.sections(document)
    shown = matching if request.all_sections else matching[:SECTIONS_PER_DOCUMENT]
    words = {text for _, text in matches.terms}  # feedback words rank, but are not highlighted
    scored = sorted(matches.terms | {(CONTENT, term) for term, _ in matches.feedback})
    sections = []
    for score, docnum in shown:
        stored = stored_fields(searcher.reader(), docnum)
        terms = explain_section(searcher, docnum, scored, origins) if origins is not None else ()
        sections.append(SectionHit(stored[SECTION_ID], stored.get(HEADING) or None, round(score, 4),
                                   make_snippet(stored.get(BODY, ""), words, stored.get(SECTION_LANGUAGE)), terms))
    first = stored_fields(searcher.reader(), matching[0][1])
    others: tuple[tuple[str, str | None], ...] = ()
    if translations:
        doc_ids, language = column(searcher.reader(), DOC_ID), column(searcher.reader(), LANGUAGE)
        best = matches.best_records
        others = tuple((doc_ids[best[d]], language[best[d]] or None) for d in translations)
    return DocumentHit(first[DOC_ID], display_path(first[PATH]), as_grouped(columns, document, metadata_from_record(first)),
                       round(matching[0][0], 4), tuple(sections), len(matching), others,
                       () if request.all_copies else copies_of(searcher, columns, document),
                       bool(columns.joint[document]))


def show(index_dir: Path, doc_id: str, query: str | None = None) -> ShownDocument:
    """The indexed document with this id, as stored, with its translations, its copies and
    the documents citing it; with a `query`, where its words are in each section (as a
    search highlights them)."""
    return with_shared_searcher(index_dir, lambda searcher: _show(searcher, index_dir, doc_id, query))


def _show(searcher: Searcher, index_dir: Path, doc_id: str, query: str | None) -> ShownDocument:
    stored = list(searcher.documents(**{DOC_ID: doc_id}))
    if not stored:
        raise DocumentNotFound(f"No document {doc_id!r} in the index. `accord search` shows document ids.")
    document = document_from_records(stored)
    columns = load_columns(index_dir, searcher.reader())
    number = int(columns.document[searcher.document_number(**{DOC_ID: doc_id})])
    document = replace(document, metadata=as_grouped(columns, number, document.metadata))
    translations = _translations(searcher, document)
    cited_by = _cited_by(searcher, document)
    highlights: tuple[tuple[tuple[int, int], ...], ...] = ()
    if query and query.strip() not in ("", "*"):
        words = {text for _, text in query_terms(searcher, SearchRequest(query))}
        highlights = tuple(highlight_spans(section.text, words, section.language) for section in document.sections)
    return ShownDocument(replace(document, path=Path(display_path(str(document.path)))), translations, highlights,
                         cited_by, copies_of(searcher, columns, number), bool(columns.joint[number]))


def _cited_by(searcher: Searcher, document: Document) -> tuple[str, ...]:
    """The indexed documents that cite this one's own UN symbol (the one its translations
    share, when it is a symbol)."""
    from whoosh import query as wq

    from indexer.metadata.symbols import normal_symbol

    own = normal_symbol(document.metadata.translation) if document.metadata.translation else None
    if not own:
        return ()
    doc_ids = column(searcher.reader(), DOC_ID)
    found = {doc_ids[docnum] for docnum in searcher.docs_for_query(wq.Term(SYMBOL, own.lower()))}
    return tuple(sorted(found - {document.doc_id}))


def stats(index_dir: Path) -> IndexStats:
    """Counts and sizes of the index."""
    import numpy as np

    info = read_info(index_dir)

    def counted(searcher: Searcher) -> tuple[Columns, np.ndarray, int]:
        reader = searcher.reader()
        columns = load_columns(index_dir, reader)
        return columns, distinct(columns.document[np.fromiter(reader.all_doc_ids(), dtype=np.int64)]), reader.doc_count()

    columns, live, sections = with_shared_searcher(index_dir, counted)
    facets = count_facets(columns, live, FACET_FIELDS, size=10**9)
    groups = distinct(columns.group[live][columns.group[live] != NO_GROUP])
    texts = len(one_per_copy_group(columns, live))
    return IndexStats(
        documents=len(live), sections=sections, index_bytes=index_size(index_dir),
        schema_version=info.schema_version if info.schema_version is not None else SCHEMA_VERSION,
        corpus=info.corpus, updated=info.updated,
        facet_values={name: sum(1 for c in result.counts if c.count and c.value != NONE)
                      for name, result in facets.items()},
        furniture_lines=len(info.furniture), texts=texts, copy_groups=len(groups),
        joint_statements=int(columns.joint[live].sum()),
        folder_priors=priors_as_json(info.priors),
    )


def ensure_index(index_dir: Path, corpus: Path, say: Callable[[str], None]) -> None:
    """Build the index from `corpus` first if `index_dir` holds none yet."""
    if has_index(index_dir):
        return
    from indexer.build import build_index

    say(f"No index in {index_dir}/ yet; building it from {corpus}/ (this happens once)…")
    report = build_index(corpus, index_dir)
    say(f"Indexed {report.added} documents in {report.seconds:.1f} s.")


