"""Copy groups and joint statements on the shared corpora, their precision on a
hand-checked sample, and what fingerprints cost at index time.

    python benchmarks/copies.py [--corpora hrw-news-2024,...] [--workdir /tmp/accord-copies] [--sample 20]

For each corpus: the index is built twice in this process with `--jobs 2`, once as
accord does and once with fingerprints switched off (every document's fingerprint
empty), alternately, best of two each, giving records/s with and without them; and the
CPU seconds that fingerprinting every document takes alone (the steadier figure on a
busy machine). Then, from
the index: groups, documents in groups, joint statements (groups and single documents with
several issuers), and texts duplicated byte for byte after collapsing white space (the
upstream duplicates) that are not all in one group. `copy-labels.tsv` holds pairs
checked by hand (doc id, doc id, corpus, `copy` or `not`, a note); the sample printed
is the first `--sample` groups by a fixed shuffle, each as its first two members, and
precision is over the labelled pairs of the sample. Finally, HRW's `torture detention`
is searched: how many of its first 100 results hold a text another result holds too.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"
FOLDERS = {"hrw-news-2024": "docs", "trove-pressreleases-refugees": "texts", "ungdc-2014-2024": "TXT"}
LABELS = Path(__file__).resolve().parent / "copy-labels.tsv"


def build_seconds(corpus: Path, index_dir: Path, fingerprints: bool) -> tuple[float, int]:
    """Seconds to build an index of `corpus` from scratch, and its records."""
    from indexer import schema
    from indexer.build import build_index
    from indexer.store.folder import open_index

    with mock.patch.object(schema, "fingerprint", schema.fingerprint if fingerprints else lambda texts: b""):
        start = time.perf_counter()
        build_index(corpus, index_dir, rebuild=True, jobs=2)
        seconds = time.perf_counter() - start
    with open_index(index_dir).reader() as reader:
        return seconds, reader.doc_count()


def fingerprint_seconds(index_dir: Path) -> float:
    """Seconds one core takes to fingerprint every indexed document, its sections as stored."""
    from indexer.fields import BODY, DOC_ID, POSITION
    from indexer.fingerprint import fingerprint
    from indexer.store.folder import open_index

    texts: dict[str, list[tuple[int, str]]] = {}
    with open_index(index_dir).searcher() as searcher:
        for fields in searcher.all_stored_fields():
            texts.setdefault(fields[DOC_ID], []).append((fields[POSITION], fields[BODY]))
    start = time.process_time()
    for sections in texts.values():
        fingerprint(text for _, text in sorted(sections))
    return time.process_time() - start


def groups_of(index_dir: Path) -> tuple[list[list[str]], list[str], dict[str, tuple[str, ...]]]:
    """The copy groups (doc ids, sorted), the joint statements' doc ids and every document's issuers."""
    import numpy as np

    from indexer.fields import DOC_ID
    from indexer.schema import metadata_from_record
    from indexer.store.columns import load_columns
    from indexer.store.copies import NO_GROUP
    from indexer.store.folder import open_index

    with open_index(index_dir).searcher() as searcher:
        columns = load_columns(index_dir, searcher.reader())
        firsts = np.searchsorted(columns.document, np.arange(len(columns.group)))
        stored = [searcher.stored_fields(int(record)) for record in firsts]
        live = np.zeros(len(columns.group), dtype=bool)
        live[columns.document[np.fromiter(searcher.reader().all_doc_ids(), dtype=np.int64)]] = True
    ids = [fields[DOC_ID] for fields in stored]
    groups: dict[int, list[str]] = {}
    for document, label in enumerate(columns.group.tolist()):
        if label != NO_GROUP:
            groups.setdefault(label, []).append(ids[document])
    joint = [ids[d] for d in np.nonzero(columns.joint & live)[0].tolist()]
    issuers = {ids[d]: metadata_from_record(stored[d]).issuers for d in np.nonzero(live)[0].tolist()}
    return sorted(sorted(members) for members in groups.values()), joint, issuers


def byte_duplicates(folder: Path) -> list[set[str]]:
    """Files whose text is the same once white space is collapsed, as sets of doc ids."""
    by_hash: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        by_hash.setdefault(hashlib.blake2b(text.encode()).hexdigest(), set()).add(path.relative_to(folder).as_posix())
    return [names for names in by_hash.values() if len(names) > 1]


def read_labels() -> dict[frozenset[str], str]:
    if not LABELS.exists():
        return {}
    with LABELS.open(encoding="utf-8") as file:
        return {frozenset((row[0], row[1])): row[3] for row in csv.reader(file, delimiter="\t")
                if row and not row[0].startswith("#")}


def repeated_texts(index_dir: Path, query: str, upstream: list[set[str]]) -> tuple[int, int]:
    """Of the first 100 results of `query`, how many hold a text another of them holds (by the
    upstream duplicates), with copies shown once and with --all-copies."""
    from search.engine import search
    from search.request import SearchRequest

    duplicates = {name: i for i, names in enumerate(upstream) for name in names}
    found = []
    for all_copies in (False, True):
        results = search(index_dir, SearchRequest(query, limit=100, all_copies=all_copies)).results
        keys = [duplicates[hit.doc_id] for hit in results if hit.doc_id in duplicates]
        found.append(sum(keys.count(key) for key in set(keys) if keys.count(key) > 1))
    return found[0], found[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default=",".join(FOLDERS))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-copies"))
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    if not CORPORA.is_dir():
        raise SystemExit(f"These benchmarks read the shared corpora in {CORPORA}, which is absent.")
    labels = read_labels()
    rows = []
    upstream: dict[str, list[set[str]]] = {}
    for name in args.corpora.split(","):
        folder = CORPORA / name / FOLDERS[name]
        index_dir = args.workdir / name
        timings: dict[bool, list[float]] = {True: [], False: []}
        records = 0
        for _ in range(2):
            for fingerprints in (False, True):
                seconds, records = build_seconds(folder, index_dir, fingerprints)
                timings[fingerprints].append(seconds)
        groups, joint, issuers = groups_of(index_dir)
        fingerprinting = fingerprint_seconds(index_dir)
        grouped = {doc_id: i for i, members in enumerate(groups) for doc_id in members}
        upstream[name] = byte_duplicates(folder)
        split = [names for names in upstream[name]
                 if len({grouped.get(doc_id, -1 - k) for k, doc_id in enumerate(sorted(names))}) > 1]
        joint_groups = sum(1 for members in groups if len({i for m in members for i in issuers[m]}) > 1)
        sample = random.Random(2024).sample(groups, min(args.sample, len(groups)))
        pairs = [frozenset(members[:2]) for members in sample]
        checked = [labels[pair] for pair in pairs if pair in labels]
        print(f"\n{name}: sample of {len(sample)} groups (first two members; label from {LABELS.name})")
        for members, pair in zip(sample, pairs):
            print(f"  {labels.get(pair, '?'):>4}  {len(members)}  {members[0]}  {members[1]}")
        for names in split:
            print(f"  upstream duplicates not in one group: {sorted(names)}")
        rows.append((name, records, min(timings[False]), min(timings[True]), fingerprinting, len(groups),
                     sum(len(m) for m in groups), joint_groups, len(joint), len(upstream[name]), len(split),
                     f"{checked.count('copy')}/{len(checked)}"))
    print("\n| corpus | records | records/s without / with fingerprints | cost | fingerprinting, one core "
          "| groups | documents in groups "
          "| joint groups | joint statements | upstream duplicate sets | split | precision (hand-checked) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, records, without, with_, alone, count, members, joint_groups, joint, dupes, split_sets, precision in rows:
        print(f"| {name} | {records:,} | {records / without:.0f} / {records / with_:.0f} | "
              f"{with_ / without - 1:+.1%} | {alone:.1f} s ({alone / with_:.0%} of the run) | {count} | {members} | {joint_groups} | {joint} | {dupes} | "
              f"{split_sets} | {precision} |")
    if "hrw-news-2024" in args.corpora:
        shown, every = repeated_texts(args.workdir / "hrw-news-2024", "torture detention", upstream["hrw-news-2024"])
        print(f"\nHRW 'torture detention', first 100 results holding a repeated text: {shown} shown once, "
              f"{every} with --all-copies")
    print(f"Load average at the end (1, 5, 15 min): {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
