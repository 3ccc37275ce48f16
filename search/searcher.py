"""The one process-wide state of the read path: an open searcher per index folder.

A search, a batch and the server want a warm searcher (its readers, caches and columns
stay loaded from one query to the next); a searcher is opened again when its index has
changed: a new commit or new index information (the info file's size and mtime).

A commit adds a table of contents, which changes the index folder's mtime. File times
advance in ticks of the kernel's clock, so two changes close together may share one: the
folder's mtime alone says "no new commit" only once it is SETTLED_NS old; until then
Whoosh's `up_to_date`, which lists the folder, is asked.

A commit that merges segments deletes their files, and a searcher opens some of a
segment's files (its stored fields, its lengths) only when first asked: work on a
searcher that a commit replaces midway is done again on the new one (with_shared_searcher).
"""

from __future__ import annotations

import atexit
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from indexer.store.folder import index_state, open_index

if TYPE_CHECKING:
    from whoosh.searching import Searcher

SHARED_SEARCHERS = 4
"""How many indexes' searchers a process keeps open at most (the least recently used goes)."""
SETTLED_NS = 2 * 10**9
"""How old the index folder's mtime must be for a later commit to be sure to change it."""
T = TypeVar("T")
_State = tuple[int, int, int] | None
_SHARED: dict[Path, tuple[_State, bool, Searcher]] = {}
"""Per index folder, the searcher kept open, the index's state (index_state) read before
it was opened or last found up to date, and whether that state was settled then."""


def open_searcher(index_dir: Path) -> Searcher:
    """A searcher on the index that ranks with accord's weighting (search.rank.weighting)."""
    from search.rank.weighting import accord_weighting

    return open_index(index_dir).searcher(weighting=accord_weighting())


def shared_searcher(index_dir: Path) -> Searcher:
    """A searcher kept open across searches in this process (with the columns it has read),
    opened again when the index has changed."""
    state = index_state(index_dir)
    key = index_dir.resolve()
    if key in _SHARED:
        seen, settled, searcher = _SHARED.pop(key)
        if seen == state and (settled or _up_to_date(searcher)):
            _SHARED[key] = (state, settled or _settled(state), searcher)
            return searcher
        searcher.close()
    searcher = open_searcher(index_dir)
    _SHARED[key] = (state, _settled(state), searcher)
    while len(_SHARED) > SHARED_SEARCHERS:
        _SHARED.pop(next(iter(_SHARED)))[2].close()
    return searcher


def with_shared_searcher(index_dir: Path, work: Callable[[Searcher], T]) -> T:
    """What `work` makes of the shared searcher of the index; when it fails and the index
    has had a commit since, made again, once, with a searcher of the new commit (the failure
    may be a file of the old one that the commit deleted)."""
    searcher = shared_searcher(index_dir)
    try:
        return work(searcher)
    except Exception:
        fresh = shared_searcher(index_dir)
        if fresh is searcher:
            raise
    return work(fresh)


def _settled(state: _State) -> bool:
    """Whether the index folder's mtime in `state` is old enough that the next commit will change it."""
    return state is not None and time.time_ns() - state[2] > SETTLED_NS


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
        _SHARED.popitem()[1][2].close()
