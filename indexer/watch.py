"""Keep an index up to date while files appear, change or go (with watchfiles).

Changes that arrive together (within the debounce time) are one batch, and each batch
is one incremental run, hence one commit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from indexer.build import BuildReport, build_index
from indexer.sources import COLLECTION_FILE, SUFFIXES


def watch_corpus(
    corpus: Path,
    index_dir: Path,
    on_batch: Callable[[BuildReport], None],
    *,
    debounce_ms: int = 1000,
    stop_event: threading.Event | None = None,
) -> None:
    """Index `corpus` now, then after every batch of changes, until interrupted.

    `on_batch` receives each run's report. Ctrl-C raises KeyboardInterrupt between runs
    (a run in progress is cancelled as a whole, like any interrupted `accord index`).
    """
    from watchfiles import watch

    corpus, index_dir = corpus.resolve(), index_dir.resolve()

    def relevant(_change: object, path: str) -> bool:
        candidate = Path(path)
        return (
            (candidate.suffix.lower() in SUFFIXES or not candidate.suffix  # a file, or maybe a folder
             or candidate.name == COLLECTION_FILE)
            and not candidate.name.startswith(".")
            and not candidate.is_relative_to(index_dir)
        )

    # The first (empty) batch comes once the watcher runs, so nothing written while the
    # first run indexes the folder can be missed.
    first = True
    for changes in watch(corpus, watch_filter=relevant, debounce=debounce_ms, stop_event=stop_event,
                         yield_on_timeout=True, rust_timeout=250):
        if changes or first:
            on_batch(build_index(corpus, index_dir))
            first = False
