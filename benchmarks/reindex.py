"""Incremental indexing figures: full build with --jobs 1 and 2, no-op reindex, and a
reindex after 10 files changed, over Reuters articles as text files.

    python benchmarks/reindex.py [--files 20000] [--workdir /tmp/accord-bench]

Each figure is the wall time of `accord index` run as a new process, as a user runs it;
the --jobs 2 figure is given as a ratio to --jobs 1 measured in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import require_shared, write_reuters

ACCORD = [sys.executable, "-m", "search"]


def timed(*args: str) -> float:
    """Seconds taken by one `accord` run (it must succeed)."""
    started = time.perf_counter()
    subprocess.run([*ACCORD, *args, "--quiet"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-bench"))
    options = parser.parse_args()
    require_shared()
    corpus = options.workdir / f"reuters-{options.files}"
    if not corpus.is_dir():
        write_reuters(corpus, options.files)
    rows = []
    for jobs in (1, 2):
        index = options.workdir / f"index-{options.files}-j{jobs}"
        shutil.rmtree(index, ignore_errors=True)
        rows.append((f"full build, --jobs {jobs}", timed("index", str(corpus), "--index", str(index), "--jobs", str(jobs))))
    index = options.workdir / f"index-{options.files}-j2"
    rows.append(("no-op reindex", timed("index", "--index", str(index))))
    files = sorted(corpus.rglob("*.txt"))
    for path in files[:: max(1, len(files) // 10)][:10]:
        path.write_text(path.read_text(encoding="utf-8") + "\n\nUpdated.", encoding="utf-8")
    rows.append(("reindex, 10 files changed", timed("index", "--index", str(index))))
    print(f"{options.files} files ({sum(p.stat().st_size for p in files) / 1e6:.1f} MB)")
    for label, seconds in rows:
        print(f"  {label:<28} {seconds:8.2f} s")
    print(f"  --jobs 2 speed-up            {rows[0][1] / rows[1][1]:8.2f} x")


if __name__ == "__main__":
    main()
