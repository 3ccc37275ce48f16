"""Relevance on BEIR SciFact: accord (default settings) beside SQLite FTS5 and plain Whoosh.

    python benchmarks/relevance.py [--split train|test|both] [--workdir /tmp/accord-relevance]

accord indexes corpus.jsonl through its own pipeline (`accord index`, the records
reader) and answers with `accord batch`; every engine is scored with ir-measures
(trec_eval semantics: every judged query counts, a query with no results scores 0).
Tune on train only; test is for the final figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

SCIFACT = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "scifact"
PREFIX = "corpus.jsonl#"


def qrels(split: str) -> dict[str, dict[str, int]]:
    """query id -> {doc id: relevance} for a split."""
    judged: dict[str, dict[str, int]] = {}
    for line in (SCIFACT / "qrels" / f"{split}.tsv").read_text().splitlines()[1:]:
        qid, doc_id, score = line.split("\t")
        judged.setdefault(qid, {})[doc_id] = int(score)
    return judged


def queries(split: str) -> dict[str, str]:
    """The judged queries of a split."""
    wanted = qrels(split)
    rows = (json.loads(line) for line in (SCIFACT / "queries.jsonl").read_text().splitlines())
    return {row["_id"]: row["text"] for row in rows if row["_id"] in wanted}


def corpus() -> list[dict]:
    """The SciFact abstracts."""
    return [json.loads(line) for line in (SCIFACT / "corpus.jsonl").read_text().splitlines()]


def score(run: dict[str, dict[str, float]], split: str) -> tuple[float, float]:
    """nDCG@10 and Recall@100 of a run over the judged queries of a split."""
    import ir_measures
    from ir_measures import R, nDCG

    judged = qrels(split)
    qrel_rows = [ir_measures.Qrel(q, d, s) for q, docs in judged.items() for d, s in docs.items()]
    run_rows = [ir_measures.ScoredDoc(q, d, s) for q, docs in run.items() for d, s in docs.items()]
    totals = {str(m): 0.0 for m in (nDCG @ 10, R @ 100)}
    for result in ir_measures.iter_calc([nDCG @ 10, R @ 100], qrel_rows, run_rows):
        totals[str(result.measure)] += result.value
    return totals["nDCG@10"] / len(judged), totals["R@100"] / len(judged)


class Accord:
    """accord as a user runs it: `accord index` on a folder, then `accord batch`."""

    name = "accord (defaults)"

    def __init__(self, workdir: Path) -> None:
        self.folder = workdir / "scifact"
        self.index = workdir / "accord-index"

    def build(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(SCIFACT / "corpus.jsonl", self.folder / "corpus.jsonl")
        shutil.rmtree(self.index, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "search", "index", str(self.folder), "--index", str(self.index),
                        "--quiet"], check=True)

    def run(self, texts: dict[str, str]) -> dict[str, dict[str, float]]:
        query_file = self.folder.parent / "queries.tsv"
        query_file.write_text("".join(f"{q}\t{t}\n" for q, t in texts.items()))
        done = subprocess.run([sys.executable, "-m", "search", "batch", str(query_file), "--index", str(self.index),
                               "--limit", "100"], check=True, capture_output=True, text=True)
        run: dict[str, dict[str, float]] = {}
        for line in done.stdout.splitlines():
            qid, _, doc_id, _, value, _ = line.split()
            run.setdefault(qid, {})[doc_id.removeprefix(PREFIX)] = float(value)
        return run


class Fts5:
    """SQLite FTS5 with the porter tokenizer and its BM25 (title and text in one table)."""

    name = "SQLite FTS5 (porter)"

    def __init__(self, workdir: Path) -> None:
        self.path = workdir / "fts5.sqlite"

    def build(self) -> None:
        self.path.unlink(missing_ok=True)
        with sqlite3.connect(self.path) as db:
            db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, text, tokenize='porter')")
            db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(d["_id"], d["title"], d["text"]) for d in corpus()])

    def run(self, texts: dict[str, str]) -> dict[str, dict[str, float]]:
        import re

        run: dict[str, dict[str, float]] = {}
        with sqlite3.connect(self.path) as db:
            for qid, text in texts.items():
                words = re.findall(r"\w+", text.lower())
                expression = " OR ".join(f'"{w}"' for w in words)
                rows = db.execute("SELECT doc_id, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 100",
                                  (expression,)).fetchall() if words else []
                run[qid] = {doc_id: -value for doc_id, value in rows}
        return run


class PlainWhoosh:
    """Whoosh with its defaults: StemmingAnalyzer, BM25F over title and text, OR query."""

    name = "Whoosh (default BM25F)"

    def __init__(self, workdir: Path) -> None:
        self.path = workdir / "whoosh"

    def build(self) -> None:
        from whoosh import fields, index
        from whoosh.analysis import StemmingAnalyzer

        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        analyzer = StemmingAnalyzer()
        schema = fields.Schema(doc_id=fields.ID(stored=True), title=fields.TEXT(analyzer=analyzer),
                               text=fields.TEXT(analyzer=analyzer))
        with index.create_in(str(self.path), schema).writer() as writer:
            for doc in corpus():
                writer.add_document(doc_id=doc["_id"], title=doc["title"], text=doc["text"])

    def run(self, texts: dict[str, str]) -> dict[str, dict[str, float]]:
        from whoosh import index
        from whoosh.qparser import MultifieldParser, OrGroup

        run: dict[str, dict[str, float]] = {}
        with index.open_dir(str(self.path)).searcher() as searcher:
            parser = MultifieldParser(["title", "text"], searcher.schema, group=OrGroup)
            for qid, text in texts.items():
                hits = searcher.search(parser.parse(text.replace(":", " ")), limit=100)
                run[qid] = {hit["doc_id"]: hit.score for hit in hits}
        return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test", "both"], default="both")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-relevance"))
    parser.add_argument("--engines", default="accord,fts5,whoosh")
    options = parser.parse_args()
    if not SCIFACT.is_dir():
        raise SystemExit(f"This benchmark reads BEIR SciFact in {SCIFACT}, which is absent.")
    options.workdir.mkdir(parents=True, exist_ok=True)
    engines = {"accord": Accord, "fts5": Fts5, "whoosh": PlainWhoosh}
    splits = ["train", "test"] if options.split == "both" else [options.split]
    print(f"{'engine':<24} {'split':<6} {'nDCG@10':>8} {'R@100':>7} {'index s':>8} {'queries/s':>10}")
    for key in options.engines.split(","):
        engine = engines[key](options.workdir)
        started = time.perf_counter()
        engine.build()
        index_seconds = time.perf_counter() - started
        for split in splits:
            texts = queries(split)
            started = time.perf_counter()
            run = engine.run(texts)
            rate = len(texts) / (time.perf_counter() - started)
            ndcg, recall = score(run, split)
            print(f"{engine.name:<24} {split:<6} {ndcg:8.3f} {recall:7.3f} {index_seconds:8.1f} {rate:10.1f}", flush=True)


if __name__ == "__main__":
    main()
