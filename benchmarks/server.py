"""Latency of `accord serve` beside the same searches in-process, and under 8 clients at once.

    python benchmarks/server.py [--index DIR | --size 95000] [--queries 200] [--clients 8] [--requests 100]

With no --index, Reuters-21578 articles (copies beyond 21,578 get a suffix) are written as
text files and indexed with --jobs 2 under --workdir. Measured in one run, over one fixed
query set drawn from the corpus, each query run once to warm up first:

- in-process: `engine.search` with the API's facets (organisation, year) turned into its
  JSON, and with the page's seven facets: the floor a server adds to;
- through a running `accord serve` (a new process, one keep-alive connection): `/api/search`
  and the page `/`;
- `--clients` threads, each with its own connection, making `--requests` API requests
  each: errors, p50/p95 and requests per second.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import ACCORD, INSTALLED, query_set  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """(p50, p95, mean) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000, statistics.fmean(ordered) * 1000


def timed(work: list[str], run: Callable[[str], None]) -> list[float]:
    """Seconds each item of `work` takes through `run`, after one untimed warm-up pass."""
    for item in work:
        run(item)
    samples = []
    for item in work:
        started = time.perf_counter()
        run(item)
        samples.append(time.perf_counter() - started)
    return samples


def in_process(index_dir: Path, queries: list[str]) -> dict[str, list[float]]:
    from search import engine, render
    from search.request import SearchRequest
    from search.web.views import PAGE_FACETS

    def api(text: str) -> None:
        render.to_json(render.search_dict(engine.search(index_dir, SearchRequest(text))))

    def page(text: str) -> None:
        engine.search(index_dir, SearchRequest(text, facets=PAGE_FACETS))

    return {"in-process, API facets + JSON": timed(queries, api), "in-process, page facets": timed(queries, page)}


def start_server(index_dir: Path) -> tuple[subprocess.Popen[str], str, int]:
    process = subprocess.Popen([*ACCORD, "serve", "--index", str(index_dir), "--port", "0"], env=INSTALLED,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline() if process.stdout else ""
    address = urlsplit(line.split(" at ")[1].split()[0])
    host, port = address.hostname or "127.0.0.1", address.port or 80
    while True:
        try:
            connection = http.client.HTTPConnection(host, port)
            connection.request("GET", "/api/stats")
            connection.getresponse().read()
            connection.close()
            return process, host, port
        except OSError:
            time.sleep(0.1)


def through_server(host: str, port: int, queries: list[str]) -> dict[str, list[float]]:
    connection = http.client.HTTPConnection(host, port)

    def get(path: str) -> None:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")

    return {"server, /api/search": timed([f"/api/search?{urlencode({'q': q})}" for q in queries], get),
            "server, page /": timed([f"/?{urlencode({'q': q})}" for q in queries], get)}


def concurrent(host: str, port: int, queries: list[str], clients: int, requests: int
               ) -> tuple[list[float], int, float]:
    """Latencies, errors and wall seconds of `clients` threads making `requests` each."""
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port)
        for i in range(requests):
            query = queries[(number * requests + i) % len(queries)]
            started = time.perf_counter()
            try:
                connection.request("GET", f"/api/search?{urlencode({'q': query})}")
                response = connection.getresponse()
                json.loads(response.read())
                ok = response.status == 200
            except (OSError, ValueError, http.client.HTTPException):
                ok = False
                connection = http.client.HTTPConnection(host, port)
            with lock:
                samples.append(time.perf_counter() - started)
                errors[0] += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors[0], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an existing index (its corpus gives the queries)")
    parser.add_argument("--size", type=int, default=95_000, help="Reuters articles to index when no --index")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-server-bench"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if args.index is None:
        from corpora import require_shared, write_reuters

        require_shared()
        corpus, args.index = args.workdir / "corpus", args.workdir / "index"
        from indexer.store.folder import has_index

        if not has_index(args.index):
            write_reuters(corpus, args.size)
            subprocess.run([*ACCORD, "index", str(corpus), "--index", str(args.index), "--jobs", "2", "-q"],
                           check=True, env=INSTALLED)
    from search import engine

    stats = engine.stats(args.index)
    files = sorted(Path(stats.corpus or ".").rglob("*.txt"))
    queries = query_set(files, args.queries)
    print(f"{stats.documents:,} documents, {stats.sections:,} records; {len(queries)} queries\n")
    rows = in_process(args.index, queries)
    process, host, port = start_server(args.index)
    try:
        rows |= through_server(host, port, queries)
        samples, errors, seconds = concurrent(host, port, queries, args.clients, args.requests)
    finally:
        process.terminate()
        process.wait()
    print("| measured | p50 ms | p95 ms | mean ms |\n|---|---|---|---|")
    for name, values in rows.items():
        print("| {} | {:.1f} | {:.1f} | {:.1f} |".format(name, *percentiles(values)))
    p50, p95, mean = percentiles(samples)
    print(f"| {args.clients} clients × {args.requests} API requests | {p50:.1f} | {p95:.1f} | {mean:.1f} |")
    print(f"\n{len(samples)} requests in {seconds:.1f} s ({len(samples) / seconds:.0f}/s), {errors} errors")
    api, floor = statistics.median(rows["server, /api/search"]), statistics.median(rows["in-process, API facets + JSON"])
    print(f"server /api/search p50 over in-process p50: {api / floor:.2f}x")


if __name__ == "__main__":
    main()
