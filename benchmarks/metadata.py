"""Metadata accuracy on the shared corpora: what accord extracts by itself against what
each source's metadata.jsonl says.

    python benchmarks/metadata.py [--corpora hrw-news-2024,...] [--workdir /tmp/accord-metadata]

Each corpus is indexed with `accord index --jobs 2` as a new process (no --metadata), and
every file's first record is compared with its source line: exact date, year, the issuer
(the source's issuing organisation, any alias, among the document's issuers), that
organisation among all it mentions, and the title: the same words (ignoring case,
punctuation and a site name after " | " or " - "), and a rapidfuzz token-set similarity
of 0.8 or more (case and punctuation ignored). Dates are split by where they came from: for each source (explicit,
metadata, inferred) the share of documents dated so, how many of those have the right
year, and how many years are later than the source's. A rate counts only documents whose
source gives the field. "hrw-news-2024 (csv)" indexes the upstream CSV of those articles
(title, text, url and GDELT's published_date per row) as records; "hrw-news-2024
(accord.toml)" indexes a copy of the text files with a one-line collection file naming
the issuer. "top 30 people" is how many of the 30 largest person values a hand-labelled
sample (people-labels.tsv) calls people.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"


def _day(value: Any) -> str | None:
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", str(value or ""))
    return "-".join(match.groups()) if match else None


SOURCES: dict[str, dict[str, Callable[[dict[str, Any]], Any]]] = {
    "hrw-news-2024": {"date": lambda r: _day(r.get("derived_url_date")), "title": lambda r: r.get("title"),
                      "organisation": lambda r: r.get("derived_organisation")},
    "ungdc-2014-2024": {"year": lambda r: r.get("year"), "organisation": lambda r: r.get("derived_venue", "").split(",")[0]},
    "trove-pressreleases-refugees": {"date": lambda r: _day(r.get("date")), "title": lambda r: r.get("title"),
                                     "organisation": lambda r: r.get("source")},
    "amnesty-search-html": {"year": lambda r: r.get("query_year"), "title": lambda r: r.get("html_title"),
                            "organisation": lambda r: r.get("og_site_name")},
}


CSV = " (csv)"
"""A corpus name ending so is measured on its upstream CSV file instead of its text files."""
TOML = " (accord.toml)"
"""A corpus name ending so is measured on a copy of its files with a collection file naming the issuer."""


def _words(text: Any) -> str:
    return " ".join(re.findall(r"\w+", str(text or "").casefold()))


def _organisation_found(expected: str, found: list[str]) -> bool:
    from indexer.metadata.orgs import load_orgs

    wanted = (load_orgs().canonical(expected) or expected).casefold()
    return wanted in {name.casefold() for name in found} or _words(expected) in {_words(n) for n in found}


def extracted(index: Path) -> dict[str, dict[str, Any]]:
    """doc_id -> the stored fields of its first record."""
    from indexer.fields import DOC_ID, POSITION
    from indexer.store.folder import open_index

    first: dict[str, dict[str, Any]] = {}
    with open_index(index).searcher() as searcher:
        for fields in searcher.all_stored_fields():
            if fields[POSITION] == 0 or fields[DOC_ID] not in first:
                first[fields[DOC_ID]] = fields
    return first


def measure(name: str, workdir: Path) -> dict[str, Any]:
    """Rates and speed for one corpus."""
    from indexer.fields import DATE, DATE_SOURCE, ISSUER, ORGANISATION, TITLE, YEAR, split_values
    from indexer.metadata.extract import strip_site_name

    base = name.removesuffix(CSV).removesuffix(TOML)
    corpus = CORPORA / base
    rows = [json.loads(line) for line in (corpus / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
    folder = corpus / Path(rows[0]["file"]).parts[0]
    doc_id = lambda row: str(Path(row["file"]).relative_to(Path(row["file"]).parts[0]))
    if name.endswith(CSV):  # the upstream CSV the files were cut from, indexed as records
        folder = workdir / f"{name}-source"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(corpus / "hrw_articles.csv", folder / "hrw_articles.csv")
        doc_id = lambda row: f"hrw_articles.csv#{row['csv_row']}"
    if name.endswith(TOML):
        copy = workdir / f"{base}-with-collection-file"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(folder, copy)
        (copy / "accord.toml").write_text(f'issuer = "{rows[0]["derived_organisation"]}"\n', encoding="utf-8")
        folder = copy
    index = workdir / name
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "search", "index", str(folder), "--index", str(index), "--jobs", "2",
                    "--quiet"], check=True)
    seconds = time.perf_counter() - started
    records = extracted(index)
    from search.engine import stats

    info = stats(index)
    from rapidfuzz import fuzz, utils

    hits: dict[str, list[bool]] = {}
    by_source: dict[str, list[tuple[bool, bool]]] = {}
    for row in rows:
        doc = records.get(doc_id(row))
        for field, source in SOURCES[base].items():
            expected = source(row)
            if expected in (None, ""):
                continue
            if doc is None:
                hits.setdefault(field, []).append(False)
            elif field in ("date", "year"):
                year = int(str(expected)[:4])
                if field == "date":
                    hits.setdefault(field, []).append(doc.get(DATE) == expected)
                hits.setdefault("year", []).append(doc.get(YEAR) == year)
                found = doc.get(YEAR)
                by_source.setdefault(doc.get(DATE_SOURCE) or "none", []).append(
                    (found == year, isinstance(found, int) and found > year))
            elif field == "title":
                found, wanted = strip_site_name(doc.get(TITLE) or ""), strip_site_name(str(expected))
                hits.setdefault(field, []).append(_words(found) == _words(wanted))
                hits.setdefault("title~", []).append(fuzz.token_set_ratio(found, wanted, processor=utils.default_process) >= 80)
            else:
                hits.setdefault(field, []).append(_organisation_found(str(expected), split_values(doc.get(ORGANISATION))))
                hits.setdefault("issuer", []).append(_organisation_found(str(expected), split_values(doc.get(ISSUER))))
    dated = sum(len(v) for v in by_source.values()) or 1
    sources = {source: (len(v) / dated, sum(right for right, _ in v) / len(v), sum(late for _, late in v))
               for source, v in by_source.items()}
    return {"documents": info.documents, "sections": info.sections, "seconds": seconds, "sources": sources,
            "people": _people_precision(base, index),
            **{field: sum(v) / len(v) for field, v in hits.items()}, "judged": len(rows)}


LABELS = Path(__file__).with_name("people-labels.tsv")
"""Person facet values judged by hand: corpus, value, person or not."""


def _people_precision(corpus: str, index: Path) -> str:
    """Of the index's 30 largest person values, how many the labelled sample calls people,
    and how many it does not judge."""
    from search.engine import search
    from search.request import SearchRequest

    labels = {(c, v): label for c, v, label in (line.split("\t") for line in LABELS.read_text(encoding="utf-8")
                                                  .splitlines() if line and not line.startswith("#"))}
    top = [str(c.value) for c in search(index, SearchRequest("*", facets=("person",), limit=1, wider=("person",)))
           .facets["person"].counts if c.value != "(none)"][:30]
    judged = [labels[(corpus, v)] for v in top if (corpus, v) in labels]
    if not judged:
        return "–"
    unjudged = f", {len(top) - len(judged)} unjudged" if len(judged) < len(top) else ""
    return f"{judged.count('person')}/{len(judged)}{unjudged}"


def main() -> None:
    """Read the options, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=",".join([*SOURCES, f"hrw-news-2024{CSV}", f"hrw-news-2024{TOML}"]))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-metadata"))
    options = parser.parse_args()
    if not CORPORA.is_dir():
        raise SystemExit(f"This benchmark reads the shared corpora in {CORPORA}, which is absent.")
    options.workdir.mkdir(parents=True, exist_ok=True)
    fields = ("date", "year", "issuer", "organisation", "title", "title~")
    print("| corpus | docs | " + " | ".join(fields) + " | dates by source: share, right year, later | top 30 people "
          "| docs/s |")
    print("|---" * (len(fields) + 5) + "|")
    for name in options.corpora.split(","):
        r = measure(name, options.workdir)
        cells = " | ".join(f"{r[f]:.1%}" if f in r else "–" for f in fields)
        sources = "; ".join(f"{source} {share:.0%}, {right:.0%}, {late}" for source, (share, right, late)
                            in sorted(r["sources"].items(), key=lambda item: -item[1][0]))
        print(f"| {name} | {r['documents']} | {cells} | {sources or '–'} | {r['people']} | "
              f"{r['documents'] / r['seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
