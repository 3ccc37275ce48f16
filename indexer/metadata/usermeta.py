"""Metadata supplied for a whole corpus: `accord index --metadata FILE`, a JSON Lines or CSV
file with one row per document file. Its `file` (or `path`) column names the file relative
to the corpus root (a row may also name it from a folder above the root); the other
fields override what is extracted, as a record's fields do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.errors import AccordError, InvalidInput

_KEYS = ("file", "path")


class MetadataFileError(InvalidInput):
    """The metadata file cannot be read."""


class MetadataFileMissing(AccordError):
    """The metadata file the index remembers is gone."""


@dataclass(frozen=True, slots=True)
class UserMetadata:
    """The rows of a metadata file, by file path, and a digest of the whole file."""

    path: str
    digest: str
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fields_for(self, doc_id: str) -> dict[str, Any]:
        """The fields given for the file with this id (empty when none are)."""
        return self.rows.get(doc_id, {})


def read_metadata_file(path: Path) -> UserMetadata:
    """Read a JSON Lines or CSV metadata file (MetadataFileError names the bad line)."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except OSError as err:
        raise MetadataFileError(f"Cannot read the metadata file {path}: {err.strerror or err}.") from None
    except UnicodeDecodeError:
        raise MetadataFileError(f"The metadata file {path} is not UTF-8 text.") from None
    rows = _csv_rows(text, path) if path.suffix.lower() == ".csv" else _jsonl_rows(text, path)
    by_path: dict[str, dict[str, Any]] = {}
    for given in rows:  # also under each shorter path, so rows may name files from a folder above the root
        parts = given.pop("_key").split("/")
        for start in range(len(parts)):
            by_path.setdefault("/".join(parts[start:]), given)
    return UserMetadata(str(path.resolve()), hashlib.blake2b(data, digest_size=16).hexdigest(), by_path)


def _jsonl_rows(text: str, path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise MetadataFileError(f"{path}, line {number}: not valid JSON.") from None
        rows.append(_keyed(row, path, number))
    return rows


def _csv_rows(text: str, path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    return [_keyed({k: v for k, v in row.items() if k}, path, number)
            for number, row in enumerate(reader, start=2)]


def _keyed(row: Any, path: Path, number: int) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise MetadataFileError(f"{path}, line {number}: expected an object with a file field.")
    key = next((str(row[k]) for k in _KEYS if row.get(k)), None)
    if key is None:
        raise MetadataFileError(f"{path}, line {number}: no `file` or `path` field naming the document file.")
    fields = {k: v for k, v in row.items() if k not in _KEYS}
    return {**fields, "_key": key.replace("\\", "/").removeprefix("./").strip("/")}
