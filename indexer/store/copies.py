"""Copy groups: which indexed documents hold the same text, found from their fingerprints
(indexer.fingerprint) each time an index is opened, so that they are always those of the
documents it holds now, whatever order they were indexed in.

Candidates come from locality-sensitive hashing: a signature is cut into BANDS bands of
ROWS values, and two documents with an equal band (or an equal exact hash) are candidates;
two texts whose word runs are 80% shared are candidates in nearly every case (1 - (1 -
0.8**4)**16 > 0.999). A candidate pair is a copy when its signatures agree on at least
THRESHOLD of their values, or their exact hashes are equal; copies of copies are one group.
THRESHOLD was chosen on the Trove press releases: pairs above it are one release saved
twice or issued by several offices, while releases made from one template for different
places ("Victoria" / "South Australia", same wording) agree on 0.45-0.73.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.arrays import distinct, stable_argsort
from indexer.fingerprint import PERMUTATIONS

if TYPE_CHECKING:
    import numpy as np

ROWS = 4
BANDS = PERMUTATIONS // ROWS
THRESHOLD = 0.8
NO_GROUP = -1
COMPARED = 65_536
"""Candidate pairs whose signatures are compared at once, which bounds the memory it takes."""
JOINT_TYPE = "joint statement"


def copy_groups(exact: np.ndarray, signatures: np.ndarray, present: np.ndarray) -> np.ndarray:
    """For each document, a number it shares with its copies, or NO_GROUP when it has none.
    `exact` holds the documents' exact hashes (0: no fingerprint), `signatures` their
    signatures (one row each), `present` whether each is still indexed."""
    import numpy as np

    group = np.full(len(exact), NO_GROUP, dtype=np.int64)
    members = np.nonzero(present & (exact != 0))[0]
    if len(members) < 2:
        return group
    # Numbered in the order of their fingerprints, so that the groups do not depend on the
    # order documents were indexed in (documents with equal fingerprints are interchangeable).
    members = members[stable_argsort(exact[members])]
    hashes, rows = exact[members], np.ascontiguousarray(signatures[members])
    keys = [hashes, *rows.view(np.uint64).T]  # ROWS 16-bit values make one 64-bit band
    firsts, seconds = [], []
    for key in keys:
        order = stable_argsort(key)
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
        firsts.append(order[:-1][same])
        seconds.append(order[1:][same])
    # A pair equal in several bands is a candidate once; signatures are compared a chunk of
    # pairs at a time, and only where the exact hashes differ.
    one, other = np.concatenate(firsts), np.concatenate(seconds)
    pairs = distinct(np.minimum(one, other) * len(members) + np.maximum(one, other))
    first, second = pairs // len(members), pairs % len(members)
    copies = hashes[first] == hashes[second]
    unsure = np.nonzero(~copies)[0]
    for start in range(0, len(unsure), COMPARED):
        chunk = unsure[start : start + COMPARED]
        copies[chunk] = (rows[first[chunk]] == rows[second[chunk]]).mean(axis=1) >= THRESHOLD
    first, second = first[copies], second[copies]
    if not len(first):
        return group
    label = np.arange(len(members))
    while True:  # each member takes the smallest number among its copies, until none changes
        smallest = np.minimum(label[first], label[second])
        before = label.copy()
        np.minimum.at(label, first, smallest)
        np.minimum.at(label, second, smallest)
        label = label[label]
        if np.array_equal(label, before):
            break
    linked = np.zeros(len(members), dtype=bool)
    linked[first] = linked[second] = True
    group[members[linked]] = label[linked]
    return group


def joint_type(doc_type: str | None) -> str:
    """The type of a joint statement whose own type is `doc_type`: that type when it names a
    joint text already ("joint declaration"), else JOINT_TYPE."""
    return doc_type if doc_type and doc_type.startswith("joint ") else JOINT_TYPE
