"""Queries as people type them, and hostile ones, on 10,000 Reuters articles: what each
finds and how long it takes, one process, warm (the second of two runs).

    python benchmarks/queries.py [--articles 10000] [--workdir /tmp/accord-queries]

Every query must answer (rc 0) or be refused (rc 2) in well under a second; the table
gives the documents found or the refusal, and the time of each.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import require_shared, write_reuters

from indexer.build import build_index
from indexer.errors import InvalidInput
from search.engine import search
from search.request import SearchRequest

QUERIES = [
    "oil prices?", "What did the Fed say about interest rates?", "¿petroleo?", "coffee!", "wheat, corn; soybeans.",
    '"interest rates"', "oil -gas", '-"oil prices"', "title:coffee", "place:brazil", "place:united",
    "org:opec", "person:reagan", "year:1987", "year:>1986", "date:1987-03", "date:[1987-02 TO 1987-04]",
    "opec~", "reagn~", "Volker~2", "petrol*", "c?ffee", "U.S.", "G-7", "G7", "e-mail", "1987/88",
    "A/HRC/52/3", "C++", "foo:bar", "a*", "(((((oil)))))", "(" * 20 + "oil" + ")" * 20,
    "oil AND (gas OR coal) AND NOT opec", "x" * 20_000, " ".join(["oil"] * 2_000), " ".join(["oil"] * 500),
    " ".join(f"word{n}" for n in range(500)), "co* OR ba* OR st* OR pr* OR ma*", "*",
]


def run(index_dir: Path, text: str) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        result = search(index_dir, SearchRequest(text))
        outcome = f"{result.total_documents} documents" + (" (any word)" if result.notice else "")
    except InvalidInput as err:
        outcome = f"refused: {str(err)[:60]}"
    return outcome, time.perf_counter() - started


def main() -> None:
    require_shared()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-queries"))
    options = parser.parse_args()
    corpus, index_dir = options.workdir / "corpus", options.workdir / "index"
    if not index_dir.is_dir():
        shutil.rmtree(options.workdir, ignore_errors=True)
        write_reuters(corpus, options.articles)
        build_index(corpus, index_dir, jobs=2)
    for text in QUERIES:  # a first, cold run
        run(index_dir, text)
    print(f"{'query':<44} {'result':<66} {'ms':>7}")
    slowest = 0.0
    for text in QUERIES:
        outcome, seconds = run(index_dir, text)
        slowest = max(slowest, seconds)
        shown = text if len(text) <= 42 else f"{text[:30]}… ({len(text):,} chars)"
        print(f"{shown:<44} {outcome:<66} {seconds * 1000:7.1f}")
    print(f"slowest: {slowest * 1000:.0f} ms")


if __name__ == "__main__":
    main()
