"""Batch search: run a file of queries against one open searcher, one ranked list each.

Queries come as `qid<TAB>query` lines, or as BEIR `queries.jsonl` (`_id` and `text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import InvalidInput
from indexer.fields import DOC_ID
from indexer.store.columns import column, load_columns
from search.rank.matching import find_matches
from search.request import Match, SearchRequest
from search.results import BatchQuery, Ranking, Refused
from search.searcher import open_searcher

SECTIONS_PER_DOCUMENT = 20
"""Ranking a query's best N documents collects its best 20 N sections, not every match."""


class QueryFileError(InvalidInput):
    """The query file cannot be read."""


def read_queries(path: Path) -> list[BatchQuery]:
    """The queries of a TSV (`qid<TAB>query`) or JSON Lines (`_id`, `text`) file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise QueryFileError(f"Cannot read the query file {path}: {err.strerror or err}.") from None
    except UnicodeDecodeError:
        raise QueryFileError(f"Cannot read the query file {path}: it is not UTF-8 text.") from None
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                row = json.loads(line)
                queries.append(BatchQuery(str(row.get("_id", row.get("id"))), str(row["text"])))
            except (json.JSONDecodeError, KeyError, AttributeError):
                raise QueryFileError(f"{path}, line {number}: expected JSON with _id and text.") from None
        elif "\t" in line:
            qid, text = line.split("\t", 1)
            queries.append(BatchQuery(qid.strip(), text.strip()))
        else:
            raise QueryFileError(f"{path}, line {number}: expected qid<TAB>query or a JSON object.")
    return queries


def run_batch(index_dir: Path, queries: list[BatchQuery], limit: int, match: Match | None,
              expand: bool = True, feedback: bool = True) -> Iterator[Ranking | Refused]:
    """Rank documents for every query, reusing one searcher; a query that is refused (it
    cannot be read, or goes past a bound) gives a Refused with the reason, and the rest go on."""
    with open_searcher(index_dir) as searcher:
        columns, doc_ids = load_columns(index_dir, searcher.reader()), column(searcher.reader(), DOC_ID)
        for query in queries:
            try:
                request = SearchRequest(query.text, match=match, limit=limit, facets=(), expand=expand,
                                        feedback=feedback)
                matches = find_matches(searcher, columns, request, depth=SECTIONS_PER_DOCUMENT * limit)
            except InvalidInput as err:
                yield Refused(query, str(err))
                continue
            best = matches.firsts[:limit]
            yield Ranking(query, tuple((doc_ids[record], round(score, 4)) for score, record
                                       in zip(matches.scores[best].tolist(), matches.records[best].tolist())))
