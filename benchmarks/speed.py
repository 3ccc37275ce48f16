"""Speed at growing sizes: indexing, reindexing and query latency, beside SQLite FTS5 and rg.

    python benchmarks/speed.py [--sizes 1000,10000,20000,64000] [--queries 100] [--workdir /tmp/accord-speed]

For each size, Reuters-21578 articles are written as text files (copies beyond 21,578
get a suffix) and measured in one run: `accord index` as a new process with --jobs 1
and 2 (seconds, records/s, peak RSS), index size against raw text, a no-op reindex and
one after 10 files changed; warm query latency p50/p95 in one process (plain, with
organisation/year/place facet counts, with a year filter, with both) over a fixed query
set drawn from the corpus; and a one-shot `accord search ... --json` process. Beside
them, on the same files: SQLite FTS5 (porter; facets by GROUP BY) and `rg -l`. Ratios
compare figures measured in the same run; the last table shows how each grows with size.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
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
    run as a new process."""
    started = time.perf_counter()
    process = subprocess.Popen([*ACCORD, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=INSTALLED)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return seconds, usage.ru_maxrss / 1024


def query_set(files: list[Path], count: int) -> list[str]:
    """One-word and two-word queries from words of middling frequency in the corpus."""
    rng = random.Random(42)
    frequency = Counter(w for path in rng.sample(files, min(500, len(files)))
                        for w in set(_WORD.findall(path.read_text(encoding="utf-8").lower())))
    middling = sorted(w for w, n in frequency.items() if 3 <= n <= 100)
    singles = rng.sample(middling, count // 2)
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(middling, count - count // 2), rng.sample(middling, count - count // 2))]
    return singles + pairs


def latencies(run: Callable[[str], object], queries: list[str]) -> tuple[float, float]:
    """p50 and p95 in milliseconds, after one warm-up pass."""
    for text in queries[:10]:
        run(text)
    times = []
    for text in queries:
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def accord_queries(index: Path, queries: list[str], year: int) -> dict[str, tuple[float, float]]:
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
    return {name: latencies(run, queries) for name, run in variants.items()}


def metadata_by_path(index: Path) -> dict[str, tuple[str, int | None, list[str]]]:
    """(title, year, places) of every indexed file, as accord extracted them."""
    from indexer.fields import PATH, PLACE, TITLE, YEAR, split_values
    from indexer.store.folder import open_index

    with open_index(index).searcher() as searcher:
        return {f[PATH]: (f.get(TITLE) or "", f.get(YEAR), split_values(f.get(PLACE)))
                for f in searcher.all_stored_fields()}


def fts5(files: list[Path], metadata: dict[str, tuple[str, int | None, list[str]]], queries: list[str],
         workdir: Path, year: int) -> dict[str, tuple[float, float]]:
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
    figures = {"index seconds": (index_seconds, index_seconds), "plain": latencies(plain, queries),
               "facets+filter": latencies(lambda t: faceted(t, in_year), queries),
               "facets": latencies(faceted, queries)}
    db.close()
    return figures


def ripgrep(corpus: Path, queries: list[str]) -> tuple[float, float] | None:
    """Latency of `rg -l` for the first word of each of 20 queries, or None without rg."""
    if not shutil.which("rg"):
        return None
    return latencies(lambda t: subprocess.run(["rg", "-l", "-i", t.split()[0], str(corpus)],
                                              stdout=subprocess.DEVNULL), queries[:20])


def one_shot(index: Path, queries: list[str]) -> float:
    """Median seconds of `accord search QUERY --json` as a new process (5 runs of each query)."""
    runs = []
    for query in [q for q in queries for _ in range(5)]:
        started = time.perf_counter()
        subprocess.run([*ACCORD, "search", query, "--json", "--index", str(index)], check=True,
                       stdout=subprocess.DEVNULL, env=INSTALLED)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def measure(size: int, workdir: Path, query_count: int) -> dict[str, float]:
    """Every figure for one corpus size."""
    corpus = workdir / f"reuters-{size}"
    if not corpus.is_dir():
        write_reuters(corpus, size)
    files = sorted(corpus.rglob("*.txt"))
    raw = sum(p.stat().st_size for p in files)
    figures: dict[str, float] = {}
    for jobs in (1, 2):
        index = workdir / f"index-{size}-j{jobs}"
        shutil.rmtree(index, ignore_errors=True)
        seconds, peak = run_accord("index", str(corpus), "--index", str(index), "--jobs", str(jobs), "--quiet")
        figures[f"index s --jobs {jobs}"], figures[f"peak RSS MB --jobs {jobs}"] = seconds, peak
    from search.engine import stats

    info = stats(index)
    figures["records"] = info.sections
    figures["records/s --jobs 2"] = info.sections / figures["index s --jobs 2"]
    figures["index / raw text"] = info.index_bytes / raw
    figures["no-op reindex s"] = run_accord("index", "--index", str(index), "--quiet")[0]
    for path in files[:: max(1, len(files) // 10)][:10]:
        path.write_text(path.read_text(encoding="utf-8") + "\n\nUpdated.", encoding="utf-8")
    figures["10 changed reindex s"] = run_accord("index", "--index", str(index), "--quiet")[0]
    queries = query_set(files, query_count)
    year = 1987
    for name, (p50, p95) in accord_queries(index, queries, year).items():
        figures[f"accord {name} p50 ms"], figures[f"accord {name} p95 ms"] = p50, p95
    for name, (p50, p95) in fts5(files, metadata_by_path(index), queries, workdir, year).items():
        if name == "index seconds":
            figures["fts5 index s"] = p50
        else:
            figures[f"fts5 {name} p50 ms"], figures[f"fts5 {name} p95 ms"] = p50, p95
    rg = ripgrep(corpus, queries)
    if rg:
        figures["rg -l p50 ms"], figures["rg -l p95 ms"] = rg
    figures["one-shot search s"] = one_shot(index, queries[:3])
    return figures


def main() -> None:
    """Read the options, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000,64000",
                        help="Comma-separated numbers of articles (64,000 make about 100k sections).")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-speed"))
    options = parser.parse_args()
    require_shared()
    options.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in options.sizes.split(",")]
    results = {size: measure(size, options.workdir, options.queries) for size in sizes}
    names = list(results[sizes[0]])
    print(f"{'figure':<32}" + "".join(f"{size:>12,}" for size in sizes))
    for name in names:
        print(f"{name:<32}" + "".join(f"{results[size].get(name, float('nan')):>12.2f}" for size in sizes))
    print("\nratios (accord / baseline, same run)")
    for size in sizes:
        r = results[size]
        parts = [f"facets p50 vs FTS5 {r['accord facets p50 ms'] / r['fts5 facets p50 ms']:.1f}x",
                 f"facets+filter p95 vs FTS5 {r['accord facets+filter p95 ms'] / r['fts5 facets+filter p95 ms']:.1f}x",
                 f"index s vs FTS5 {r['index s --jobs 2'] / r['fts5 index s']:.1f}x",
                 f"--jobs 2 speed-up {r['index s --jobs 1'] / r['index s --jobs 2']:.2f}x"]
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
