"""Where searches run: the Whoosh index on this machine, or an accord index exported to
OpenSearch (search.opensearch). Both answer with the same result types, so the CLI, the
JSON API and the page do not know which one answered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from indexer.errors import InvalidInput
from search.environment import URL_ENV
from search.opensearch.mapping import DEFAULT_ALIAS

if TYPE_CHECKING:
    from search.request import Match, SearchRequest
    from search.results import BatchQuery, IndexStats, Ranking, Refused, SearchResult, ShownDocument


class BackendKind(str, Enum):
    """The engines a search can run on."""

    WHOOSH = "whoosh"
    OPENSEARCH = "opensearch"


class Backend(Protocol):
    """What the read path asks of an engine."""

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of ranked documents with facet counts."""
        ...

    def show(self, doc_id: str, query: str | None = None) -> ShownDocument:
        """One document, as stored, with its translations, copies and citations."""
        ...

    def stats(self) -> IndexStats:
        """Counts and sizes of the index."""
        ...

    def batch(self, queries: list[BatchQuery], limit: int, match: Match | None, expand: bool = True,
              feedback: bool = True) -> Iterator[Ranking | Refused]:
        """The best `limit` documents of each query, or why it was not run."""
        ...


@dataclass(frozen=True)
class WhooshIndex:
    """The Whoosh index in a folder (search.engine)."""

    index_dir: Path

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of ranked documents with facet counts."""
        from search import engine

        return engine.search(self.index_dir, request)

    def show(self, doc_id: str, query: str | None = None) -> ShownDocument:
        """One document, as stored, with its translations, copies and citations."""
        from search import engine

        return engine.show(self.index_dir, doc_id, query)

    def stats(self) -> IndexStats:
        """Counts and sizes of the index."""
        from search import engine

        return engine.stats(self.index_dir)

    def batch(self, queries: list[BatchQuery], limit: int, match: Match | None, expand: bool = True,
              feedback: bool = True) -> Iterator[Ranking | Refused]:
        """The best `limit` documents of each query, or why it was not run (one searcher for all)."""
        from search.batch import run_batch

        return run_batch(self.index_dir, queries, limit, match, expand, feedback)


def chosen_kind(kind: BackendKind | None) -> BackendKind:
    """The backend asked for; without one, OpenSearch when ACCORD_OPENSEARCH_URL names a cluster."""
    if kind is not None:
        return kind
    return BackendKind.OPENSEARCH if os.environ.get(URL_ENV) else BackendKind.WHOOSH


def open_backend(kind: BackendKind, index_dir: Path, url: str | None = None, alias: str = DEFAULT_ALIAS) -> Backend:
    """The backend of that kind: the index in `index_dir`, or the OpenSearch cluster at `url`
    read through `alias`."""
    if kind is BackendKind.WHOOSH:
        return WhooshIndex(index_dir)
    if not url:
        raise InvalidInput(f"The OpenSearch backend needs the cluster's address: give --opensearch-url URL "
                           f"or set {URL_ENV}.")
    from search.opensearch.backend import OpenSearchBackend
    from search.opensearch.export import connect

    return OpenSearchBackend(connect(url), alias)
