"""Copy an accord index into OpenSearch, behind an alias that moves only when the copy is whole.

Each export builds a new index named after the alias and the time (`accord-20261202t101500`),
refresh off, by streaming bulk requests with retries (opensearch-py's helpers), then turns
refresh on, checks that it holds every document, and moves the alias to it in one atomic
`_aliases` request. The index the alias named before is kept, for rollback; older ones are
deleted. An export that fails or is interrupted deletes its own half-built index and leaves
the alias where it was, so users never search a partial copy.

Documents are read through the accord index only: their stored records, with what their
copy group adds (every copy's issuers, the joint type).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.arrays import distinct
from indexer.errors import AccordError
from indexer.fields import (
    CONTENT_HASH,
    DATE,
    DATE_END,
    DATE_SOURCE,
    DATE_START,
    DOC_ID,
    EXTRA,
    FILE,
    HEADING,
    ISSUER,
    ISSUER_SOURCE,
    KEYWORD_FIELDS,
    MONTH,
    MTIME,
    PATH,
    POSITION,
    SECTION_ID,
    SECTION_LANGUAGE,
    SIZE,
    TITLE,
    TITLE_SOURCE,
    TRANSLATION,
    TYPE,
    YEAR,
    content_field,
    split_values,
)
from search.opensearch.mapping import DEFAULT_ALIAS, KEYS, SECTIONS, index_body

if TYPE_CHECKING:
    import numpy as np
    from opensearchpy import OpenSearch

    from indexer.metadata.model import Metadata
    from indexer.store.columns import Columns

SENDING, SWITCHING = "sending", "switching"
BULK_CHUNK = 200
"""Documents per bulk request (each carries all its sections)."""
RETRIES = 5
HELD_PAGE = 5000
"""Documents per page when an update reads what the index holds."""
SOURCE_HASH = "source_hash"
"""A hash of the rest of an OpenSearch document: an update writes a document again when it changes."""
STORED = (DOC_ID, FILE, PATH, CONTENT_HASH, MTIME, SIZE, TITLE, DATE, DATE_SOURCE, ISSUER_SOURCE, TITLE_SOURCE,
          TRANSLATION, EXTRA)
"""The record fields kept as they are on the OpenSearch document, for `show`."""
_RECORD = "\0record"


class ExportFailed(AccordError):
    """The export did not complete; the alias still names the index it named before."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    alias: str
    index: str
    documents: int
    written: int
    removed: int
    """Documents deleted from the index (an update in place), the accord index no longer holding them."""
    previous: str | None
    """The index the alias named before a new one was built (kept for rollback)."""
    deleted: tuple[str, ...]
    """Older indexes deleted."""
    seconds: float
    updated: bool
    """Whether the index behind the alias was updated in place rather than built anew."""


def connect(url: str) -> OpenSearch:
    """A client of the cluster at `url` (http[s]://host:port, credentials in the URL if any)."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise AccordError("The OpenSearch backend needs opensearch-py: pip install 'accord[opensearch]'.") from None

    return OpenSearch(hosts=[url], timeout=60, max_retries=RETRIES, retry_on_timeout=True)


def export(index_dir: Path, client: OpenSearch, alias: str = DEFAULT_ALIAS,
           progress: Callable[[str, int, int], None] | None = None, rebuild: bool = False) -> ExportReport:
    """Bring the OpenSearch index behind `alias` up to date with the accord index at
    `index_dir`: in place when it has this version's layout (documents written where they
    changed, deleted where they are gone), else (or with `rebuild`) as a new index the alias
    then moves to (see the module docstring). `progress(phase, done, total)` as it goes:
    SENDING with documents examined, then SWITCHING (0, 0) while the index is readied."""
    import time

    from search.rank.weighting import BM25_B, BM25_K1

    started = time.perf_counter()
    body = index_body(BM25_K1, BM25_B, _about(index_dir))
    body["mappings"]["_meta"]["layout"] = _layout(body)
    previous = _aliased(client, alias)
    if len(previous) == 1 and not rebuild and _meta(client, previous[0]).get("layout") == _layout(body):
        report = _update(index_dir, client, alias, previous[0], body, progress)
    else:
        report = _build(index_dir, client, alias, previous, body, progress)
    return replace(report, seconds=time.perf_counter() - started)


def _build(index_dir: Path, client: OpenSearch, alias: str, previous: list[str], body: dict[str, Any],
           progress: Callable[[str, int, int], None] | None) -> ExportReport:
    """A new index of every document, which the alias moves to once it holds them all."""
    from opensearchpy import OpenSearchException

    name = f"{alias}-{dt.datetime.now(dt.timezone.utc).strftime('%Y%m%dt%H%M%S%f')}"
    try:
        client.indices.create(index=name, body=body)
        total = _send(index_dir, client, name, {}, progress)[0]
        client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
        client.indices.refresh(index=name)
        held = client.count(index=name)["count"]
        if held != total:
            raise ExportFailed(f"The new index {name} holds {held:,} of {total:,} documents; "
                               f"the alias {alias!r} was left where it was.")
        actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": alias}} for old in previous]
        client.indices.update_aliases(body={"actions": [*actions, {"add": {"index": name, "alias": alias}}]})
    except BaseException as err:
        _discard(client, name)
        if isinstance(err, OpenSearchException):
            raise ExportFailed(f"The export to OpenSearch failed ({err}); the alias {alias!r} was left where it "
                               "was. Check the cluster and run the export again.") from err
        raise
    deleted = tuple(old for old in _versions(client, alias) if old not in (name, *previous))
    for old in deleted:
        client.indices.delete(index=old)
    return ExportReport(alias, name, total, total, 0, previous[0] if previous else None, deleted, 0.0, False)


def _update(index_dir: Path, client: OpenSearch, alias: str, name: str, body: dict[str, Any],
            progress: Callable[[str, int, int], None] | None) -> ExportReport:
    """The index behind the alias with each changed or new document written again and each
    document the accord index no longer holds deleted. Every bulk action is one whole
    document, so an interrupted update leaves each document old or new, never half of one;
    the next export finishes it."""
    from opensearchpy import OpenSearchException

    try:
        held = _held(client, name)
        total, written, removed = _send(index_dir, client, name, held, progress)
        client.indices.put_mapping(index=name, body={"_meta": body["mappings"]["_meta"]})
        client.indices.refresh(index=name)
    except OpenSearchException as err:
        raise ExportFailed(f"Updating {name} behind {alias!r} failed ({err}); each document in it is "
                           "either as it was or as it is now. Run the export again to finish.") from err
    except KeyboardInterrupt:
        raise ExportFailed(f"Interrupted while updating {name} behind {alias!r}; each document in it is "
                           "either as it was or as it is now. Run the export again to finish.") from None
    return ExportReport(alias, name, total, written, removed, None, (), 0.0, True)


def _send(index_dir: Path, client: OpenSearch, name: str, held: dict[str, str],
          progress: Callable[[str, int, int], None] | None) -> tuple[int, int, int]:
    """Write into index `name` every document whose content hash differs from the one
    `held` gives for it, and delete those of `held` that are gone: (documents, written,
    deleted)."""
    from opensearchpy.helpers import streaming_bulk

    from search.searcher import open_searcher

    written = 0
    with open_searcher(index_dir) as searcher:
        total, documents = _documents(index_dir, searcher)
        seen: set[str] = set()

        def actions() -> Iterator[dict[str, Any]]:
            nonlocal written
            for done, document in enumerate(documents, 1):
                seen.add(document[DOC_ID])
                if held.get(document[DOC_ID]) != document[SOURCE_HASH]:
                    written += 1
                    yield {"_op_type": "index", "_index": name, "_id": document[DOC_ID], "_source": document}
                if progress and (done % BULK_CHUNK == 0 or done == total):
                    progress(SENDING, done, total)
            for doc_id in sorted(set(held) - seen):
                yield {"_op_type": "delete", "_index": name, "_id": doc_id}

        for _ in streaming_bulk(client, actions(), chunk_size=BULK_CHUNK, max_retries=RETRIES):
            pass
    if progress:
        progress(SWITCHING, 0, 0)
    return total, written, len(set(held) - seen)


def _held(client: OpenSearch, name: str) -> dict[str, str]:
    """The content hash of every document in index `name`, by doc id (paged with search_after)."""
    held: dict[str, str] = {}
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {"size": HELD_PAGE, "sort": [{DOC_ID: "asc"}], "_source": [DOC_ID, SOURCE_HASH],
                                "query": {"match_all": {}}}
        if after:
            body["search_after"] = after
        hits = client.search(index=name, body=body)["hits"]["hits"]
        held.update((hit["_source"][DOC_ID], hit["_source"].get(SOURCE_HASH, "")) for hit in hits)
        if len(hits) < HELD_PAGE:
            return held
        after = hits[-1]["sort"]


def _layout(body: dict[str, Any]) -> str:
    """A hash of the settings and fields of an index body: an index of another layout is
    built anew, not updated in place."""
    shape = {"settings": body["settings"], "properties": body["mappings"]["properties"]}
    return hashlib.blake2b(json.dumps(shape, sort_keys=True).encode(), digest_size=8).hexdigest()


def _meta(client: OpenSearch, name: str) -> dict[str, Any]:
    return next(iter(client.indices.get_mapping(index=name).values()))["mappings"].get("_meta", {})


def _about(index_dir: Path) -> dict[str, Any]:
    """What `accord stats` says of the index, besides its counts."""
    from indexer.metadata.prior import priors_as_json
    from indexer.schema import SCHEMA_VERSION
    from indexer.store.folder import read_info

    info = read_info(index_dir)
    return {"schema_version": SCHEMA_VERSION, "corpus": info.corpus, "updated": info.updated,
            "furniture_lines": len(info.furniture),
            "folder_priors": priors_as_json(info.priors)}


def _aliased(client: OpenSearch, alias: str) -> list[str]:
    """The indexes `alias` names now (none when it does not exist)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


def _versions(client: OpenSearch, alias: str) -> list[str]:
    """Every index an export behind `alias` made."""
    return sorted(name for name in client.indices.get(index=f"{alias}-*") if name.startswith(f"{alias}-"))


def _discard(client: OpenSearch, name: str) -> None:
    from opensearchpy import OpenSearchException

    try:
        if client.indices.exists(index=name):
            client.indices.delete(index=name)
    except OpenSearchException:
        pass  # the cluster is gone too: nothing names the index


def _documents(index_dir: Path, searcher: Any) -> tuple[int, Iterator[dict[str, Any]]]:
    """How many documents the index holds, and each as an OpenSearch document (read one at
    a time: a document's records are consecutive)."""
    import numpy as np

    from indexer.store.columns import load_columns

    reader = searcher.reader()
    columns = load_columns(index_dir, reader)
    live = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
    documents = distinct(columns.document[live])
    total, spellings = len(documents), _spellings(columns, documents)

    def each() -> Iterator[dict[str, Any]]:
        stored: list[dict[str, Any]] = []
        for record in live.tolist():
            number = int(columns.document[record])
            if stored and number != int(columns.document[stored[-1][_RECORD]]):
                yield _converted(stored, columns, spellings)
                stored = []
            stored.append({**reader.stored_fields(record), _RECORD: record})
        if stored:
            yield _converted(stored, columns, spellings)

    return total, each()


def _spellings(columns: Columns, documents: np.ndarray) -> dict[str, dict[str, str]]:
    """Per keyword field, each value written another way by more of the `documents`
    ("Antonio Guterres" beside "António Guterres": one value_key), and that spelling, so
    that facets count one value as the Whoosh index's do."""
    import numpy as np

    from search.facets import value_key

    alive = np.zeros(len(columns.year), dtype=bool)
    alive[documents] = True
    found: dict[str, dict[str, str]] = {}
    for name in KEYWORD_FIELDS:
        owners, ordinals = columns.pairs[name]
        values = columns.values[name]
        counts = np.bincount(ordinals[alive[owners]], minlength=len(values)).tolist()
        best: dict[str, tuple[str, int]] = {}
        for value, count in zip(values, counts):
            key = value_key(name, value)
            if key not in best or count > best[key][1]:
                best[key] = (value, count)
        found[name] = {value: best[value_key(name, value)][0] for value in values
                       if best[value_key(name, value)][0] != value}
    return found


def _converted(stored: list[dict[str, Any]], columns: Columns, spellings: dict[str, dict[str, str]]
               ) -> dict[str, Any]:
    from indexer.schema import metadata_from_record
    from search.engine import as_grouped

    number = int(columns.document[stored[0][_RECORD]])
    stored.sort(key=lambda fields: fields[POSITION])
    return as_opensearch(stored, as_grouped(columns, number, metadata_from_record(stored[0])), columns, number,
                         spellings)


def as_opensearch(stored: list[dict[str, Any]], meta: Metadata, columns: Columns, number: int,
                  spellings: dict[str, dict[str, str]]) -> dict[str, Any]:
    """One document's records (its sections, in order) as the OpenSearch document the
    mapping describes, each value in the spelling most documents use (`spellings`)."""
    from indexer.analysis import to_simplified
    from indexer.schema import content_text, date_bounds
    from indexer.store.copies import NO_GROUP
    from search.facets import value_key

    first = stored[0]
    written = {ISSUER: list(meta.issuers), TYPE: [meta.doc_type] if meta.doc_type else []}
    written |= {name: split_values(first.get(name)) for name in KEYWORD_FIELDS if name not in written}
    values = {name: list(dict.fromkeys(spellings[name].get(value, value) for value in found))
              for name, found in written.items()}
    keys = {name: [value_key(name, value) for value in found] for name, found in values.items()}
    bounds = date_bounds(meta.date, meta.year)
    days = {DATE_START: bounds[0], DATE_END: bounds[1]} if bounds else {}
    month = int(columns.month[number])
    shared = {**{name: [value.lower() for value in found] for name, found in written.items()},
              **({YEAR: meta.year} if meta.year is not None else {}), **days}
    sections = []
    for fields in stored:
        language = fields.get(SECTION_LANGUAGE) or None
        content = content_text(meta.title, fields.get(HEADING) or None, fields.get("body", ""))
        sections.append({
            SECTION_ID: fields[SECTION_ID], POSITION: fields[POSITION], HEADING: fields.get(HEADING) or "",
            TITLE: meta.title or "", "body": fields.get("body", ""), SECTION_LANGUAGE: language or "",
            content_field(language): to_simplified(content) if language == "zh" else content, **shared,
        })
    group = int(columns.group[number])
    document = {
        **{name: first.get(name) for name in STORED},
        **values,
        **({YEAR: f"{meta.year:04d}"} if meta.year is not None else {}),
        **({MONTH: str(month)} if month else {}),
        **days,
        "copy_group": str(group) if group != NO_GROUP else f"doc:{first[DOC_ID]}",
        "joint": bool(columns.joint[number]),
        KEYS: keys,
        "own_issuer": split_values(first.get(ISSUER)),
        EXTRA: first.get(EXTRA) or "",
        SECTIONS: sections,
    }
    return {**document, SOURCE_HASH: hashlib.blake2b(json.dumps(document, sort_keys=True, ensure_ascii=False).encode(),
                                                     digest_size=16).hexdigest()}
