"""Benchmark corpora generated from ../shared/corpora, read in place and written to a
scratch folder (never into the repository).

Reuters-21578 articles become one text file each (title line, dateline, body); copies
beyond the 21,578 articles get a suffix so that every file is distinct.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
REUTERS = SHARED / "corpora" / "reuters21578"
_ARTICLE = re.compile(r"<REUTERS.*?NEWID=\"(\d+)\".*?</REUTERS>", re.DOTALL)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.DOTALL) for name in ("TITLE", "DATELINE", "BODY", "DATE")}


def require_shared() -> None:
    """Exit with a clear message when ../shared is absent."""
    if not REUTERS.is_dir():
        raise SystemExit(f"These benchmarks read the shared corpora in {SHARED}, which is absent.")


def reuters_articles() -> Iterator[tuple[str, str]]:
    """(article id, text) for every Reuters article with a body."""
    for sgm in sorted(REUTERS.glob("reut2-*.sgm")):
        data = sgm.read_bytes().decode("latin-1")
        for match in _ARTICLE.finditer(data):
            parts = {name: pattern.search(match.group(0)) for name, pattern in _FIELD.items()}
            if parts["BODY"] is None:
                continue
            text = "\n\n".join(
                html.unescape(part.group(1)).replace("\x03", "").strip()
                for name in ("TITLE", "DATELINE", "BODY")
                if (part := parts[name]) is not None
            )
            yield match.group(1), text


def write_reuters(target: Path, count: int) -> list[Path]:
    """Write `count` Reuters articles as text files under `target` (100 per folder)."""
    paths: list[Path] = []
    articles = list(reuters_articles())
    for index in range(count):
        article_id, text = articles[index % len(articles)]
        copy = index // len(articles)
        name = f"{article_id}.txt" if copy == 0 else f"{article_id}-copy{copy}.txt"
        path = target / f"{index // 100:04d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if copy == 0 else f"{text}\n\n(copy {copy})", encoding="utf-8")
        paths.append(path)
    return paths
