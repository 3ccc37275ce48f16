"""Boilerplate learned from a collection: short lines that recur in many of its documents
(site furniture, "Sort by", category labels, newsletter prompts) are left out of sections.

The lines are learned when an index is built from scratch, from up to SAMPLE documents
spread over the corpus: a line counts as furniture when at least MIN_DOCUMENTS of them
and MIN_SHARE of the sample hold it. The index remembers the lines, and later runs leave
them out too; `accord index --rebuild` learns them again. Headings are never furniture.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from indexer.convert.converted import Converted

SAMPLE = 300
MIN_DOCUMENTS = 5
MIN_SHARE = 0.2
MAX_CHARS = 120


def line_key(line: str) -> str:
    """A line as compared across documents: without list marks, emphasis and extra spaces."""
    return " ".join(line.strip("*_>- \t").split())


def _candidates(markdown: str) -> set[str]:
    keys = set()
    for line in markdown.splitlines():
        key = line_key(line)
        if key and len(key) <= MAX_CHARS and not line.lstrip().startswith("#"):
            keys.add(key)
    return keys


def learn_boilerplate(markdowns: Iterable[str]) -> frozenset[str]:
    """The lines that recur in enough of the given documents to be furniture."""
    documents = 0
    counts: Counter[str] = Counter()
    for markdown in markdowns:
        documents += 1
        counts.update(_candidates(markdown))
    needed = max(MIN_DOCUMENTS, MIN_SHARE * documents)
    return frozenset(key for key, count in counts.items() if count >= needed)


def without_boilerplate(converted: Converted, furniture: frozenset[str]) -> Converted:
    """The converted text without the learned furniture lines (kept as date hints)."""
    if not furniture:
        return converted
    kept, dropped = [], []
    for line in converted.markdown.splitlines():
        if not line.lstrip().startswith("#") and line_key(line) in furniture:
            dropped.append(line)
        else:
            kept.append(line)
    if not dropped:
        return converted
    return replace(converted, markdown="\n".join(kept), furniture=(*converted.furniture, *dropped))
