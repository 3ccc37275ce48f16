"""Speed at the size of a real archive: indexing, reindexing and query latency, beside raw
Whoosh, SQLite FTS5 and rg, measured in one run.

    python benchmarks/speed.py [--sizes 107890] [--jobs 2] [--queries 200] [--workdir /tmp/accord-speed]

By default Reuters-21578 five times over (107,890 articles as text files, copies beyond
21,578 with a suffix). For each size, measured in one run: `accord index` as a new
process with each --jobs given (seconds, records/s, peak RSS), index size against raw
text, a no-op reindex and one after 10 files changed; warm query latency in one process
(plain, with organisation/year/place facet counts, with a year filter, with both) over a
fixed query set drawn from the corpus; a one-shot `accord search WORD --json` process,
alone and through a running `accord serve`. Beside them, on the same files: raw Whoosh
(two stemmed fields, `writer(procs=2, multisegment=True)`, plain top-10 queries), SQLite
FTS5 (porter; facets by GROUP BY) and `rg -l -i -F`. The first table is the one the speed
issue sets targets in, with its ratios; the machine's load is printed before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import require_shared, write_reuters  # noqa: E402

ACCORD = [sys.executable, "-m", "search"]
INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""The environment of `accord` processes: Python's compiled modules are written and read
as in an installed accord, even where the benchmark runs with them turned off."""
_WORD = re.compile(r"[a-z]{4,}")


def run_accord(*args: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB of its largest process, workers included) of one `accord`
    run as a new process. The time is taken the moment the process ends; a thread samples
    every process under it meanwhile (its workers are forked by a server process that the
    run never waits for, so the run's own usage does not count them)."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen([*ACCORD, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=INSTALLED)
    watched, peaks, ended = psutil.Process(process.pid), [0], threading.Event()

    def sample() -> None:
        while not ended.wait(0.2):
            with contextlib.suppress(psutil.Error):
                for each in [watched, *watched.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        peaks[0] = max(peaks[0], each.memory_info().rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    ended.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return seconds, max(peaks[0] / 2**20, usage.ru_maxrss / 1024)


def query_set(files: list[Path], count: int, seed: int = 42) -> list[str]:
    """One-word and two-word queries from words of middling frequency in the corpus."""
    rng = random.Random(seed)
    frequency = Counter(w for path in rng.sample(files, min(500, len(files)))
                        for w in set(_WORD.findall(path.read_text(encoding="utf-8").lower())))
    middling = sorted(w for w, n in frequency.items() if 3 <= n <= 100)
    singles = rng.sample(middling, count // 2)
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(middling, count - count // 2), rng.sample(middling, count - count // 2))]
    return singles + pairs


def latencies(run: Callable[[str], object], queries: list[str], warm_up: list[str]) -> tuple[float, float, float]:
    """p50, p95 and mean in milliseconds, after a pass over other queries (`warm_up`): a
    warm process has seen words and records before, but not the query it is timed on."""
    for text in warm_up:
        run(text)
    times = []
    for text in queries:
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.mean(times)


def accord_queries(index: Path, queries: list[str], warm_up: list[str], year: int
                   ) -> dict[str, tuple[float, float, float]]:
    """Warm latencies of accord's own search, as `accord search` runs it."""
    from search.engine import search
    from search.request import Filters, SearchRequest, YearRange

    facets = ("organisation", "year", "place")
    only_year = Filters(years=(YearRange(year, year),))
    variants = {
        "plain": lambda t: search(index, SearchRequest(t, facets=())),
        "facets": lambda t: search(index, SearchRequest(t, facets=facets)),
        "filter": lambda t: search(index, SearchRequest(t, facets=(), filters=only_year)),
        "facets+filter": lambda t: search(index, SearchRequest(t, facets=facets, filters=only_year)),
    }
    return {name: latencies(run, queries, warm_up) for name, run in variants.items()}


def metadata_by_path(index: Path) -> dict[str, tuple[str, int | None, list[str]]]:
    """(title, year, places) of every indexed file, as accord extracted them."""
    from indexer.fields import PATH, PLACE, TITLE, YEAR, split_values
    from indexer.store.folder import open_index

    with open_index(index).searcher() as searcher:
        return {f[PATH]: (f.get(TITLE) or "", f.get(YEAR), split_values(f.get(PLACE)))
                for f in searcher.all_stored_fields()}


def fts5(files: list[Path], metadata: dict[str, tuple[str, int | None, list[str]]], queries: list[str],
         warm_up: list[str], workdir: Path, year: int) -> dict[str, tuple[float, float, float]]:
    """Index seconds, and warm latencies (plain; with year and place counts by GROUP BY),
    with the titles, years and places accord extracted."""
    database = workdir / "fts5.db"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(database)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE meta(id INTEGER PRIMARY KEY, year INTEGER)")
    db.execute("CREATE TABLE places(id INTEGER, place TEXT)")
    for number, path in enumerate(files, start=1):
        title, year_of, places = metadata.get(str(path.resolve()), ("", None, []))
        db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", (number, title, path.read_text(encoding="utf-8")))
        db.execute("INSERT INTO meta VALUES (?, ?)", (number, year_of))
        db.executemany("INSERT INTO places VALUES (?, ?)", [(number, p) for p in places])
    db.execute("CREATE INDEX places_id ON places(id)")
    db.commit()
    index_seconds = time.perf_counter() - started

    def match(text: str) -> str:
        return " AND ".join(f'"{w}"' for w in text.split())

    def plain(text: str) -> object:
        return db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (match(text),)).fetchall()

    def faceted(text: str, where: str = "") -> object:
        hits = f"SELECT rowid FROM docs WHERE docs MATCH ?{where}"
        args = (match(text),) + ((year,) if where else ())
        plain(text)
        db.execute(f"SELECT count(*) FROM ({hits})", args).fetchall()
        db.execute(f"SELECT year, count(*) FROM meta WHERE id IN ({hits}) GROUP BY year", args).fetchall()
        return db.execute(f"SELECT place, count(*) FROM places WHERE id IN ({hits}) GROUP BY place", args).fetchall()

    in_year = " AND rowid IN (SELECT id FROM meta WHERE year = ?)"
    figures = {"index seconds": (index_seconds, index_seconds, index_seconds), "plain": latencies(plain, queries, warm_up),
               "facets+filter": latencies(lambda t: faceted(t, in_year), queries, warm_up),
               "facets": latencies(faceted, queries, warm_up)}
    db.close()
    return figures


def ripgrep(corpus: Path, queries: list[str]) -> tuple[float, float, float] | None:
    """Latency of `rg -l -i -F` for the first word of each of 20 queries, or None without rg."""
    if not shutil.which("rg"):
        return None
    return latencies(lambda t: subprocess.run(["rg", "-l", "-i", "-F", t.split()[0], str(corpus)],
                                              stdout=subprocess.DEVNULL), queries[:20], queries[:1])


def one_shot(index: Path, queries: list[str], *options: str) -> float:
    """Median seconds of `accord search QUERY --json` as a new process (5 runs of each query)."""
    runs = []
    for query in [q for q in queries for _ in range(5)]:
        started = time.perf_counter()
        subprocess.run([*ACCORD, "search", query, "--json", "--index", str(index), *options], check=True,
                       stdout=subprocess.DEVNULL, env=INSTALLED)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def through_server(index: Path, queries: list[str]) -> float:
    """one_shot's median while `accord serve` serves the index (the command asks it)."""
    server = subprocess.Popen([*ACCORD, "serve", "--index", str(index), "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=INSTALLED)
    try:
        assert server.stdout is not None and "Serving" in server.stdout.readline()
        one_shot(index, queries[:1])  # the server's first search opens the index
        return one_shot(index, queries)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def raw_whoosh(files: list[Path], queries: list[str], warm_up: list[str], workdir: Path) -> dict[str, float]:
    """Whoosh alone on the same texts: two stemmed fields written with procs=2 and
    multisegment, then the mean of plain top-10 searches (all words) in one warm searcher."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    folder = workdir / "raw-whoosh"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    schema = Schema(path=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                    body=TEXT(analyzer=StemmingAnalyzer()))
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer(procs=2, multisegment=True, limitmb=128)
    for path in files:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        writer.add_document(path=str(path), title=title, body=body)
    writer.commit()
    seconds = time.perf_counter() - started
    parser = QueryParser("body", schema)
    with ix.searcher() as searcher:
        def plain(text: str) -> object:
            return [hit["path"] for hit in searcher.search(parser.parse(text), limit=10)]

        mean = latencies(plain, queries, warm_up)[2]
    return {"whoosh index s": seconds, "whoosh docs/s": len(files) / seconds, "whoosh plain mean ms": mean}


def measure(size: int, workdir: Path, query_count: int, jobs_list: list[int]) -> dict[str, float]:
    """Every figure for one corpus size."""
    corpus = workdir / f"reuters-{size}"
    if not corpus.is_dir():
        write_reuters(corpus, size)
    files = sorted(corpus.rglob("*.txt"))
    raw = sum(p.stat().st_size for p in files)
    figures: dict[str, float] = {"files": len(files)}
    for jobs in jobs_list:
        index = workdir / f"index-{size}-j{jobs}"
        shutil.rmtree(index, ignore_errors=True)
        seconds, peak = run_accord("index", str(corpus), "--index", str(index), "--jobs", str(jobs), "--quiet")
        figures[f"index s --jobs {jobs}"], figures[f"peak RSS MB --jobs {jobs}"] = seconds, peak
    from search.engine import stats

    info = stats(index)
    figures["records"] = info.sections
    figures[f"records/s --jobs {jobs_list[-1]}"] = info.sections / figures[f"index s --jobs {jobs_list[-1]}"]
    figures["index / raw text"] = info.index_bytes / raw
    figures["no-op reindex s"] = run_accord("index", "--index", str(index), "--quiet")[0]
    for path in files[:: max(1, len(files) // 10)][:10]:
        path.write_text(path.read_text(encoding="utf-8") + "\n\nUpdated.", encoding="utf-8")
    figures["10 changed reindex s"] = run_accord("index", "--index", str(index), "--quiet")[0]
    queries, warm_up = query_set(files, query_count), query_set(files, query_count, seed=43)
    year = 1987
    for name, (p50, p95, mean) in accord_queries(index, queries, warm_up, year).items():
        figures[f"accord {name} p50 ms"], figures[f"accord {name} p95 ms"] = p50, p95
        figures[f"accord {name} mean ms"] = mean
    for name, (p50, p95, _mean) in fts5(files, metadata_by_path(index), queries, warm_up, workdir, year).items():
        if name == "index seconds":
            figures["fts5 index s"] = p50
        else:
            figures[f"fts5 {name} p50 ms"], figures[f"fts5 {name} p95 ms"] = p50, p95
    figures.update(raw_whoosh(files, queries, warm_up, workdir))
    rg = ripgrep(corpus, queries)
    if rg:
        figures["rg -l p50 ms"], figures["rg -l p95 ms"], _ = rg
    words = [query.split()[0] for query in queries[:3]]
    figures["one-shot search s"] = one_shot(index, words, "--no-server")
    figures["one-shot through server s"] = through_server(index, words)
    return figures


def target_table(size: int, r: dict[str, float], jobs: int) -> list[str]:
    """The speed issue's table: accord's figure, its same-run anchor and the ratio."""
    rate = r[f"records/s --jobs {jobs}"]
    rows = [
        (f"indexing, --jobs {jobs}", f"{rate:.0f} records/s ({r[f'index s --jobs {jobs}'] / 60:.1f} min)",
         f"raw Whoosh {r['whoosh docs/s']:.0f} docs/s", f"{rate / r['whoosh docs/s']:.2f}", ">= 1.0"),
        ("index size / raw text", f"{r['index / raw text']:.2f}x", "", "", "<= 3x"),
        ("peak RSS", f"{r[f'peak RSS MB --jobs {jobs}']:.0f} MB", "", "", "<= 300 MB"),
        ("no-op reindex", f"{r['no-op reindex s']:.2f} s ({r['no-op reindex s'] * 20000 / r['files']:.2f} s per 20,000 files)",
         "", "", "<= 1 s per 20,000 files"),
        ("10 changed files reindex", f"{r['10 changed reindex s']:.2f} s", "", "", "<= 0.5 s at 20,000 files"),
        ("warm query mean, facets", f"{r['accord facets mean ms']:.1f} ms (plain {r['accord plain mean ms']:.1f})",
         f"raw Whoosh plain {r['whoosh plain mean ms']:.1f} ms",
         f"{r['accord facets mean ms'] / r['whoosh plain mean ms']:.2f}", "<= 0.35"),
        ("warm p50, faceted / plain", f"{r['accord facets p50 ms']:.1f} / {r['accord plain p50 ms']:.1f} ms",
         f"FTS5 {r['fts5 facets p50 ms']:.1f} / {r['fts5 plain p50 ms']:.1f} ms", "", "<= 8 / 5 ms"),
        ("one-shot search --json p50", f"{r['one-shot search s'] * 1000:.0f} ms",
         f"rg -l {r['rg -l p50 ms']:.0f} ms" if "rg -l p50 ms" in r else "", "", "<= 300 ms"),
        ("... through a running server", f"{r['one-shot through server s'] * 1000:.0f} ms", "", "", "<= 100 ms"),
    ]
    lines = [f"\n{size:,} articles, {r['records']:,.0f} records", "| figure | accord | same-run anchor | ratio | target |",
             "|---|---|---|---|---|"]
    return lines + [f"| {' | '.join(row)} |" for row in rows]


def main() -> None:
    """Read the options, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="107890", help="Comma-separated numbers of articles.")
    parser.add_argument("--jobs", default="2", help="Comma-separated --jobs values to index with (the last is compared).")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-speed"))
    options = parser.parse_args()
    require_shared()
    options.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in options.sizes.split(",")]
    jobs_list = [int(j) for j in options.jobs.split(",")]
    load_before = os.getloadavg()
    results = {size: measure(size, options.workdir, options.queries, jobs_list) for size in sizes}
    for size in sizes:
        print("\n".join(target_table(size, results[size], jobs_list[-1])))
    print(f"\nload average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in load_before)}; "
          f"after: {', '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores\n")
    names = list(results[sizes[0]])
    print(f"{'figure':<32}" + "".join(f"{size:>12,}" for size in sizes))
    for name in names:
        print(f"{name:<32}" + "".join(f"{results[size].get(name, float('nan')):>12.2f}" for size in sizes))
    print("\nratios (accord / baseline, same run)")
    for size in sizes:
        r, last = results[size], jobs_list[-1]
        parts = [f"facets p50 vs FTS5 {r['accord facets p50 ms'] / r['fts5 facets p50 ms']:.1f}x",
                 f"facets+filter p95 vs FTS5 {r['accord facets+filter p95 ms'] / r['fts5 facets+filter p95 ms']:.1f}x",
                 f"index s vs FTS5 {r[f'index s --jobs {last}'] / r['fts5 index s']:.1f}x"]
        if len(jobs_list) > 1:
            parts.append(f"--jobs {last} speed-up {r[f'index s --jobs {jobs_list[0]}'] / r[f'index s --jobs {last}']:.2f}x")
        if "rg -l p50 ms" in r:
            parts.append(f"one-shot search vs rg -l {r['one-shot search s'] * 1000 / r['rg -l p50 ms']:.2f}x")
        print(f"  {size:>8,}: " + "; ".join(parts))
    for small, large in zip(sizes, sizes[1:]):
        print(f"\ngrowth {small:,} -> {large:,} ({large / small:.0f}x the articles)")
        for name in names:
            a, b = results[small].get(name), results[large].get(name)
            if a and b:
                print(f"  {name:<32}{b / a:8.2f}x")


if __name__ == "__main__":
    main()
