"""The one process-wide state of the read path: an open searcher per index folder.

A search, a batch and the server want a warm searcher (its readers, caches and columns
stay loaded from one query to the next); a searcher is opened again when its index has
changed: a new commit (Whoosh's own `up_to_date`) or new index information (the info
file's size and mtime).
"""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.store.folder import info_state, open_index

if TYPE_CHECKING:
    from whoosh.searching import Searcher

SHARED_SEARCHERS = 4
"""How many indexes' searchers a process keeps open at most (the least recently used goes)."""
_SHARED: dict[Path, tuple[tuple[int, int] | None, Searcher]] = {}
"""Per index folder, the searcher kept open and the state of the info file it read."""


def open_searcher(index_dir: Path) -> Searcher:
    """A searcher on the index that ranks with accord's weighting (search.rank.weighting)."""
    from search.rank.weighting import accord_weighting

    return open_index(index_dir).searcher(weighting=accord_weighting())


def shared_searcher(index_dir: Path) -> Searcher:
    """A searcher kept open across searches in this process (with the columns it has read),
    opened again when the index has changed."""
    state = info_state(index_dir)
    key = index_dir.resolve()
    if key in _SHARED:
        seen, searcher = _SHARED.pop(key)
        if seen == state and _up_to_date(searcher):
            _SHARED[key] = (seen, searcher)
            return searcher
        searcher.close()
    searcher = open_searcher(index_dir)
    _SHARED[key] = (state, searcher)
    while len(_SHARED) > SHARED_SEARCHERS:
        _SHARED.pop(next(iter(_SHARED)))[1].close()
    return searcher


def _up_to_date(searcher: Searcher) -> bool:
    """Whether the searcher reads the latest commit (False when the index is gone)."""
    try:
        return bool(searcher.up_to_date())
    except OSError:
        return False


@atexit.register
def close_shared_searchers() -> None:
    """Close the searchers kept open (at exit, so that their files are closed in order)."""
    while _SHARED:
        _SHARED.popitem()[1][1].close()
