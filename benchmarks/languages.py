"""Search in the six UN languages: language detection, and the first hit per language.

Reads ../shared/corpora/udhr-6lang and sdg-6lang in place; scratch files go to --workdir.

1. Detection, by accord's indexer: the UDHR files (the HTML pages each declare
   `<html lang="en">`, only the body being in its real language; the XML files declare
   theirs) and their sections of 20+ words, and the
   2,730 SDG texts indexed as records with no language given (3 to 60 words each, so
   the shortest are hard; those of 20+ words are counted apart). Per language.
2. First hit: for each SDG text, a query of its four rarest words in its language's texts
   (what a user who remembers a text types; three rarest two-character pieces for Chinese), as written and as a user types it (Arabic without tatweel
   or vowel marks, Chinese in Traditional characters, French and Spanish without accents
   but with ñ, Russian with е for ё). The share of queries whose first result is that
   text (or one with the same wording), with `accord search`'s default matching (every
   word, or any word when no text has them all), one searcher for all queries; beside it
   plain Whoosh (one field, StandardAnalyzer) with the same matching, texts and queries.

With --compare, other installed detectors are timed and scored on the SDG texts too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")


def sdg_records() -> list[dict]:
    """The SDG texts: id (language/key), text, language and parallel id."""
    rows = (CORPORA / "sdg-6lang" / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    return [{"id": f"{r['lang']}/{r['key']}", "text": r["text"], "lang": r["lang"], "parallel_id": r["parallel_id"]}
            for r in map(json.loads, rows)]


def index(folder: Path, target: Path) -> None:
    """Index a folder with accord, as a user runs it."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "search", "index", str(folder), "--index", str(target), "--quiet"],
                   check=True)


def stored_records(index_dir: Path) -> list[dict]:
    """The stored fields of every section record."""
    from indexer.store.folder import open_index

    with open_index(index_dir).searcher() as searcher:
        return list(searcher.all_stored_fields())


def detection(workdir: Path, records: list[dict]) -> dict[str, dict[str, list[bool]]]:
    """Per measure and language, whether accord named the language right."""
    from indexer.fields import BODY, DOC_ID, HEADING, LANGUAGE, POSITION, SECTION_LANGUAGE
    from indexer.language import MIN_WORDS, word_count

    results: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    udhr = CORPORA / "udhr-6lang"
    real = {Path(r["file"]).name: r["lang"].split("-")[0]
            for r in map(json.loads, (udhr / "metadata.jsonl").read_text(encoding="utf-8").splitlines())}
    index(udhr, workdir / "udhr-index")
    for fields in stored_records(workdir / "udhr-index"):
        language = real.get(Path(fields[DOC_ID]).name)
        if language is None:  # SOURCE.md
            continue
        if fields[POSITION] == 0:
            results["UDHR files (HTML, XML)"][language].append(fields[LANGUAGE] == language)
        text = "\n".join(part for part in (fields.get(HEADING), fields.get(BODY)) if part)
        if word_count(text) >= MIN_WORDS:
            results["UDHR sections 20+ words"][language].append(fields[SECTION_LANGUAGE] == language)
    expected = {r["id"]: r for r in records}
    for fields in stored_records(workdir / "sdg-index"):
        record = expected[fields[DOC_ID].partition("#")[2]]
        right = fields[LANGUAGE] == record["lang"]
        results["SDG texts, all"][record["lang"]].append(right)
        if word_count(record["text"]) >= MIN_WORDS:
            results["SDG texts 20+ words"][record["lang"]].append(right)
    return results


def _words(record: dict) -> list[str]:
    """A text's words as a user would type them (Chinese: its two-character pieces)."""
    if record["lang"] == "zh":
        han = "".join(_HAN.findall(record["text"]))
        return [han[i : i + 2] for i in range(0, len(han) - 1, 2)] or [han]
    words = [w.strip(".,;:()«»\"'“”’‘،؛") for w in record["text"].split()]
    return [w for w in words if any(c.isalpha() for c in w)]


def rarest_words(records: list[dict]) -> dict[str, str]:
    """Per text, a query of its four rarest words (fewest texts of its language hold them;
    ties broken at random, the same way every run), in the order they appear."""
    frequency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in records:
        for word in set(w.lower() for w in _words(record)):
            frequency[record["lang"]][word] += 1
    queries = {}
    for record in records:
        rng = random.Random(record["id"])
        words = list(dict.fromkeys(_words(record)))
        ranked = sorted(words, key=lambda w: (frequency[record["lang"]][w.lower()], rng.random()))[:4]
        queries[record["id"]] = " ".join(w for w in words if w in ranked)
    return queries


def as_typed(query: str, language: str) -> str:
    """The query as a user types it, without the marks many leave out."""
    if language == "ar":
        return re.sub("[\u0640\u064b-\u065f\u0670]", "", query)
    if language == "zh":
        return _traditional().convert(query)
    if language == "ru":
        return query.replace("ё", "е")
    if language in ("fr", "es"):
        keep = {"ñ", "Ñ"} if language == "es" else set()
        return "".join(c if c in keep else "".join(d for d in unicodedata.normalize("NFD", c)
                                                  if not unicodedata.combining(d)) for c in query)
    return query


@lru_cache(maxsize=1)
def _traditional() -> OpenCC:
    import opencc

    return opencc.OpenCC("s2t")


def first_hits(run: Callable[[dict[str, str]], dict[str, str | None]], records: list[dict], typed: bool
               ) -> dict[str, float]:
    """Per language, the share of queries whose first result has the text's wording."""
    by_id = {r["id"]: r for r in records}
    queries = {qid: as_typed(query, by_id[qid]["lang"]) if typed else query
               for qid, query in rarest_words(records).items()}
    first = run(queries)
    hits: dict[str, list[bool]] = defaultdict(list)
    for qid, doc in first.items():
        record = by_id[qid]
        hits[record["lang"]].append(doc is not None and by_id[doc]["text"] == record["text"])
    return {language: sum(v) / len(v) for language, v in hits.items()}


class Accord:
    """accord's search engine on the SDG texts indexed as records, as `accord search` ranks."""

    name = "accord"

    def __init__(self, workdir: Path) -> None:
        self.index = workdir / "sdg-index"

    def __call__(self, queries: dict[str, str]) -> dict[str, str | None]:
        from search.batch import run_batch
        from search.results import BatchQuery

        first: dict[str, str | None] = {}
        for ranking in run_batch(self.index, [BatchQuery(q, t) for q, t in queries.items()], 1, None):
            first[ranking.query.qid] = ranking.documents[0][0].partition("#")[2] if ranking.documents else None
        return first


class PlainWhoosh:
    """Whoosh with one field and its StandardAnalyzer, BM25F; every word, else any."""

    name = "plain Whoosh"

    def __init__(self, workdir: Path, records: list[dict]) -> None:
        from whoosh import fields
        from whoosh import index as whoosh_index
        from whoosh.analysis import StandardAnalyzer

        self.path = workdir / "whoosh"
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(analyzer=StandardAnalyzer()))
        with whoosh_index.create_in(str(self.path), schema).writer() as writer:
            for record in records:
                writer.add_document(id=record["id"], text=record["text"])

    def __call__(self, queries: dict[str, str]) -> dict[str, str | None]:
        from whoosh import index as whoosh_index
        from whoosh.qparser import AndGroup, OrGroup, QueryParser

        first: dict[str, str | None] = {}
        with whoosh_index.open_dir(str(self.path)).searcher() as searcher:
            every = QueryParser("text", searcher.schema, group=AndGroup)
            some = QueryParser("text", searcher.schema, group=OrGroup)
            for qid, text in queries.items():
                hits = searcher.search(every.parse(text), limit=1) or searcher.search(some.parse(text), limit=1)
                first[qid] = hits[0]["id"] if hits else None
        return first


def compare_detectors(records: list[dict]) -> None:
    """Accuracy and speed of each installed detector on the SDG texts."""
    from indexer.language import MIN_WORDS, detect, word_count

    candidates: dict[str, Callable[[str], str | None]] = {"py3langid (accord)": lambda t: detect(t)[0]}
    try:
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
        candidates["lingua (all languages)"] = lambda t: (lambda found: found and found.iso_code_639_1.name.lower())(
            lingua.detect_language_of(t))
    except ImportError:
        print("lingua-language-detector: not installed")
    try:
        import pycld2

        def cld2(text: str) -> str | None:
            try:
                return pycld2.detect(text)[2][0][1].split("-")[0]
            except pycld2.error:
                return None

        candidates["pycld2"] = cld2
    except ImportError:
        print("pycld2: not installed")
    long = [r for r in records if word_count(r["text"]) >= MIN_WORDS]
    print(f"\n{'detector':<26}{'all texts':>10}{'20+ words':>11}{'texts/s':>10}")
    for name, guess in candidates.items():
        started = time.perf_counter()
        right = [guess(r["text"]) == r["lang"] for r in records]
        speed = len(records) / (time.perf_counter() - started)
        long_right = [guess(r["text"]) == r["lang"] for r in long]
        print(f"{name:<26}{sum(right) / len(right):>10.1%}{sum(long_right) / len(long_right):>11.1%}{speed:>10.0f}")


def main() -> None:
    """Index, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-languages"))
    parser.add_argument("--compare", action="store_true", help="also score other installed detectors")
    options = parser.parse_args()
    if not (CORPORA / "sdg-6lang").is_dir():
        raise SystemExit(f"This benchmark reads the shared corpora in {CORPORA}, which is absent.")
    workdir = options.workdir
    records = sdg_records()
    folder = workdir / "sdg"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sdg.jsonl").write_text("".join(
        json.dumps({"id": r["id"], "text": r["text"], "parallel_id": r["parallel_id"]}, ensure_ascii=False) + "\n"
        for r in records), encoding="utf-8")
    started = time.perf_counter()
    index(folder, workdir / "sdg-index")
    print(f"Indexed {len(records)} SDG texts in {time.perf_counter() - started:.1f} s.\n")

    results = detection(workdir, records)
    print(f"{'language detection':<26}" + "".join(f"{lang:>8}" for lang in LANGUAGES) + f"{'all':>8}")
    for measure, per_language in results.items():
        cells = "".join(f"{sum(v) / len(v):>8.1%}" if (v := per_language.get(lang)) else f"{'–':>8}"
                        for lang in LANGUAGES)
        every = [x for v in per_language.values() for x in v]
        print(f"{measure:<26}{cells}{sum(every) / len(every):>8.1%}")

    print(f"\n{'first hit':<26}" + "".join(f"{lang:>8}" for lang in LANGUAGES))
    engines = [Accord(workdir), PlainWhoosh(workdir, records)]
    for engine in engines:
        for typed in (False, True):
            rates = first_hits(engine, records, typed)
            label = f"{engine.name}, {'as typed' if typed else 'as written'}"
            print(f"{label:<26}" + "".join(f"{rates.get(lang, 0):>8.1%}" for lang in LANGUAGES), flush=True)
    if options.compare:
        compare_detectors(records)


if __name__ == "__main__":
    main()
