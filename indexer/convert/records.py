"""Files of records: JSON Lines, JSON, CSV and SGML newswire files in which each record
is a document (for SGML, see sgml.py).

A record's id, title and text come from the first of these keys it has (any case):
id `_id`, `id`, `doc_id`, `docid`, `uid`; title `title`, `headline`, `name`; text
`text`, `body`, `content`, `abstract`, `contents`. Its other keys are metadata (see
overrides.apply_overrides). A record without an id is numbered from 1 in file order;
one without text has an empty `text` (documents.py skips it, and says so).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ID_KEYS = ("_id", "id", "doc_id", "docid", "uid")
TITLE_KEYS = ("title", "headline", "name")
TEXT_KEYS = ("text", "body", "content", "abstract", "contents")


class RecordsError(ValueError):
    """The file is not a readable file of records."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record: its id, title, text and remaining fields."""

    record_id: str
    title: str | None
    text: str
    fields: dict[str, Any] = field(default_factory=dict)


def read_records(text: str, suffix: str) -> Iterator[Record]:
    """The records of a .jsonl, .json, .csv, .sgm or .sgml file's text."""
    from indexer.convert.sgml import sgml_rows

    readers = {".jsonl": _jsonl_rows, ".json": _json_rows, ".csv": _csv_rows, ".sgm": sgml_rows, ".sgml": sgml_rows}
    rows = readers[suffix.lower()](text)
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise RecordsError(f"record {number} is not an object")
        record = _record(row, number)
        if record.record_id in seen:
            raise RecordsError(f"record id {record.record_id!r} appears twice")
        seen.add(record.record_id)
        yield record


def _record(row: dict[str, Any], number: int) -> Record:
    lowered = {str(k).lower(): k for k in row}
    pick = lambda keys: next((row[lowered[k]] for k in keys if k in lowered and row[lowered[k]] not in (None, "")), None)
    text = pick(TEXT_KEYS)
    record_id = pick(ID_KEYS)
    title = pick(TITLE_KEYS)
    used = {lowered[k] for k in (*ID_KEYS, *TITLE_KEYS, *TEXT_KEYS) if k in lowered}
    return Record(
        record_id=str(record_id if record_id is not None else number).replace("#", "_"),
        title=str(title).strip() if title is not None else None,
        text=text if isinstance(text, str) and text.strip() else "",
        fields={k: v for k, v in row.items() if k not in used},
    )


def _jsonl_rows(text: str) -> Iterator[Any]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                raise RecordsError(f"line {number} is not valid JSON ({err.msg})") from None


def _json_rows(text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RecordsError(f"not valid JSON ({err.msg} at line {err.lineno})") from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list):
        raise RecordsError("JSON file holds neither records nor a list of records")
    return data


def _csv_rows(text: str) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {f.lower() for f in reader.fieldnames} & set(TEXT_KEYS):
        raise RecordsError(f"CSV file has no text column (one of {', '.join(TEXT_KEYS)})")
    yield from reader
