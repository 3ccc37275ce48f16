"""The index folder: whether it holds an index, opening it with its version checked,
and the small info file that remembers the schema version and the corpus folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import struct
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.errors import AccordError
from indexer.metadata.prior import FolderPrior, priors_as_json, priors_from_json

if TYPE_CHECKING:
    from whoosh.index import FileIndex

INFO_FILE = "accord.json"
_OPEN_ATTEMPTS = 10
INDEX_NAME = "MAIN"


class IndexMissing(AccordError):
    """There is no index in the folder."""


class IndexVersionError(AccordError):
    """The index was written with another schema version."""


class IndexCorrupt(AccordError):
    """The index files cannot be read."""


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """What the index remembers about itself."""

    schema_version: int | None
    corpus: str | None
    updated: str | None
    metadata: str | None = None
    """The --metadata file the index was built with, and its digest then."""
    metadata_digest: str | None = None
    furniture: tuple[str, ...] = ()
    """Boilerplate lines learned from the collection."""
    translation_key: str | None = None
    """The metadata field that links translations (--translation-key), if one was given."""
    priors: Mapping[str, FolderPrior] = field(default_factory=dict)
    """What the documents of each folder usually are, learned from the collection."""


def has_index(index_dir: Path) -> bool:
    """True when the folder holds an index's table of contents (a README alone is no index)."""
    return index_dir.is_dir() and any(index_dir.glob(f"_{INDEX_NAME}_*.toc"))


def read_info(index_dir: Path) -> IndexInfo:
    """The info file's content (fields are None when it is missing or unreadable)."""
    try:
        data: dict[str, Any] = json.loads((index_dir / INFO_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    return IndexInfo(data.get("schema_version"), data.get("corpus"), data.get("updated"),
                     data.get("metadata"), data.get("metadata_digest"), tuple(data.get("furniture", ())),
                     data.get("translation_key"), priors_from_json(data.get("priors")))


def write_info(index_dir: Path, info: IndexInfo) -> None:
    """Atomically record what the index remembers, stamped with the time of the update."""
    data = {
        "schema_version": info.schema_version,
        "corpus": info.corpus,
        "updated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        **({"metadata": info.metadata, "metadata_digest": info.metadata_digest} if info.metadata else {}),
        "furniture": sorted(info.furniture),
        **({"translation_key": info.translation_key} if info.translation_key else {}),
        "priors": priors_as_json(info.priors),
    }
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".accord-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    os.replace(tmp, index_dir / INFO_FILE)


def open_index(index_dir: Path, info: IndexInfo | None = None) -> FileIndex:
    """Open the index for reading or writing, after checking its schema version (in `info`,
    when the caller has read it already)."""
    from whoosh.index import EmptyIndexError, open_dir
    from whoosh.index import IndexError as WhooshIndexError

    from indexer.schema import SCHEMA_VERSION

    if not has_index(index_dir):
        raise IndexMissing(f"No index in {index_dir}. Build one with `accord index`.")
    version = (info or read_info(index_dir)).schema_version
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            f"The index in {index_dir} was built with schema version {version}, and this "
            f"accord uses version {SCHEMA_VERSION}. Rebuild it with `accord index --rebuild`."
        )
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return open_dir(str(index_dir), indexname=INDEX_NAME)
        except FileNotFoundError as err:  # a writer replaced the files we were about to read
            problem = f"{type(err).__name__}: {err}"
            time.sleep(0.05 * (attempt + 1))
        except (EmptyIndexError, WhooshIndexError, OSError, ValueError, EOFError,
                pickle.UnpicklingError, struct.error) as err:
            problem = f"{type(err).__name__}: {err}"
            break
    # Raised outside the handler so that Whoosh's frames, and the file they hold open, go now.
    raise IndexCorrupt(
        f"The index in {index_dir} cannot be read ({problem}). Rebuild it with `accord index --rebuild`."
    )


def create_index(index_dir: Path, corpus: Path) -> FileIndex:
    """Create an empty index of `corpus` in the folder (keeping any README there)."""
    from whoosh.index import create_in

    from indexer.schema import SCHEMA_VERSION, build_schema

    index_dir.mkdir(parents=True, exist_ok=True)
    index = create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)
    write_info(index_dir, IndexInfo(SCHEMA_VERSION, str(corpus), None))
    return index


def index_state(index_dir: Path) -> tuple[int, int, int] | None:
    """The info file's mtime and size, which change whenever a run records new information,
    and the folder's mtime, which changes with every commit (it adds a table of contents)."""
    try:
        info = os.stat(index_dir / INFO_FILE)
        folder = os.stat(index_dir)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, folder.st_mtime_ns


def corpus_of(index_dir: Path, explicit: Path | None, default: Path) -> Path:
    """The corpus to index: the one given, else the one the index remembers, else `default`."""
    if explicit is not None:
        return explicit
    remembered = read_info(index_dir).corpus if has_index(index_dir) else None
    return Path(remembered) if remembered else default


def index_size(index_dir: Path) -> int:
    """The bytes the index's files take (a README beside them does not count)."""
    return sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file() and p.name != "README")


def temporary_files(index_dir: Path) -> list[Path]:
    """Temporary files of runs in progress or killed: posting files and unfinished tables of
    contents. Listed before taking the lock, they can only belong to runs that are over
    once it is taken. (Orphaned segment files go at the next commit.)"""
    posting_files = list((index_dir / f"{INDEX_NAME}.tmp").glob("*"))
    return posting_files + list(index_dir.glob(f"_{INDEX_NAME}_*.toc.*"))
