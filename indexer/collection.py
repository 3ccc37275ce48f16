"""Collection files: an `accord.toml` in a corpus folder gives defaults to every document
under it (its subfolders too; a deeper file's keys win over an outer one's).

    issuer = "Human Rights Watch"     # who issued these documents (any alias)
    type = "press release"
    language = "en"
    country = "Kenya"
    collection = "HRW news 2024"      # any other key is kept as metadata

The files' bytes are part of the content hash of the documents they cover, so changing
one updates exactly those documents. A file that cannot be read as TOML is named in one
warning, and the documents under it are indexed without it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAX_COLLECTION_BYTES = 64 * 1024
PROBLEM_PREFIX = "collection file "
"""How a warning about a collection file begins (it is given once per run, not per document)."""


@dataclass(frozen=True, slots=True)
class Collection:
    """The defaults a document takes from the collection files above it."""

    fields: dict[str, Any]
    problem: str | None = None
    """Why one of the files could not be used (it names the file)."""


def collection_defaults(files: Sequence[tuple[str, bytes]]) -> Collection:
    """The defaults of collection files, outermost first, as (shown path, bytes): each
    file's keys over the outer ones'. A file that is not UTF-8 TOML, or holds tables,
    is left out, and `problem` says so."""
    fields: dict[str, Any] = {}
    problem = None
    for shown, data in files:
        try:
            if len(data) > MAX_COLLECTION_BYTES:
                raise ValueError("it is over 64 KiB")
            parsed = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            problem = f"{PROBLEM_PREFIX}{shown} cannot be read ({_reason(err)}); indexed without it"
            continue
        nested = sorted(key for key, value in parsed.items() if isinstance(value, dict))
        if nested:
            problem = f"{PROBLEM_PREFIX}{shown} has tables ({', '.join(nested)}); give plain keys; indexed without it"
            continue
        fields.update({str(key).lower(): value for key, value in parsed.items()})
    return Collection(fields, problem)


def _reason(err: Exception) -> str:
    if isinstance(err, UnicodeDecodeError):
        return "it is not UTF-8"
    return str(err).splitlines()[0]
