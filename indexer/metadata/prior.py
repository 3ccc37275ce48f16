"""What most documents of a folder share, learned when an index is built: who issues
them and the year they are dated in.

A folder of one organisation's press releases names its issuer in the third person
("Human Rights Watch said", "… met with", "… opposes") in most of its texts, yet in
some only as one name among others; a folder saved year by year dates most of its
texts explicitly in that year, yet others report only last year's events. Learned from
the sample the boilerplate is learned from, per folder with at least MIN_SAMPLED texts:

- its **issuer**: the organisation whose words or work at least ISSUER_SHARE of the
  folder's texts report (extract.sampled) and no other comes close to. A text of
  the folder that names it, and has no surer issuer (a joint statement's signatories, the
  user's metadata, the page's, accord.toml), is issued by it;
- its **year**: the one at least YEAR_SHARE of the folder's explicitly dated texts (at
  least MIN_DATED of them) are dated in. A text of the folder with no explicit date is
  dated no earlier than that year ("≈2024"), unless its file is older.

A folder without a prior of its own takes its nearest ancestor's. Priors are kept in the
index (IndexInfo) and used by every later run; `accord index --rebuild` learns them again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

MIN_SAMPLED = 10
"""The fewest texts of a folder its prior is learned from."""
ISSUER_SHARE = 0.4
"""The share of a folder's texts that must report one organisation's words or work."""
RUNNER_UP_SHARE = 0.5
"""The next organisation may be reported by at most this share of the first one's texts."""
MIN_DATED = 5
YEAR_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class FolderPrior:
    """What a folder's documents usually are."""

    issuer: str | None = None
    year: int | None = None


NO_PRIOR = FolderPrior()


@dataclass(frozen=True, slots=True)
class Sampled:
    """What one sampled text says of itself."""

    doc_id: str
    reported: str | None
    """The organisation whose words or work it reports most."""
    explicit_year: int | None
    """The year of its explicit date (a dateline, a date line)."""


def learn_priors(samples: Iterable[Sampled]) -> dict[str, FolderPrior]:
    """The prior of each folder (by its path in the corpus, "" for the top) whose sampled
    texts share an issuer or a year."""
    by_folder: dict[str, list[Sampled]] = {}
    for sample in samples:
        by_folder.setdefault(_folder(PurePosixPath(sample.doc_id).parent), []).append(sample)
    priors: dict[str, FolderPrior] = {}
    for folder, texts in by_folder.items():
        if len(texts) < MIN_SAMPLED:
            continue
        prior = FolderPrior(_usual_issuer(texts), _usual_year(texts))
        if prior != NO_PRIOR:
            priors[folder] = prior
    return priors


def _usual_issuer(texts: list[Sampled]) -> str | None:
    ranked = Counter(t.reported for t in texts if t.reported).most_common(2)
    if not ranked or ranked[0][1] < ISSUER_SHARE * len(texts):
        return None
    if len(ranked) > 1 and ranked[1][1] > RUNNER_UP_SHARE * ranked[0][1]:
        return None
    return ranked[0][0]


def _usual_year(texts: list[Sampled]) -> int | None:
    years = Counter(t.explicit_year for t in texts if t.explicit_year)
    dated = sum(years.values())
    if dated < MIN_DATED:
        return None
    year, count = years.most_common(1)[0]
    return year if count >= YEAR_SHARE * dated else None


def prior_for(doc_id: str, priors: Mapping[str, FolderPrior]) -> FolderPrior:
    """The prior of the nearest folder holding the document that has one."""
    if not priors:
        return NO_PRIOR
    for folder in PurePosixPath(doc_id.split("#", 1)[0]).parents:
        found = priors.get(_folder(folder))
        if found:
            return found
    return NO_PRIOR


def _folder(path: PurePosixPath) -> str:
    return "" if str(path) == "." else str(path)


def priors_as_json(priors: Mapping[str, FolderPrior]) -> dict[str, dict[str, Any]]:
    """Priors as the index's info file keeps them and `accord stats` shows them: {folder:
    {"issuer": ..., "year": ...}}, by folder."""
    return {folder: {key: value for key, value in (("issuer", prior.issuer), ("year", prior.year)) if value is not None}
            for folder, prior in sorted(priors.items())}


def priors_from_json(data: Any) -> dict[str, FolderPrior]:
    """Priors as the index's info file keeps them (anything malformed left out)."""
    if not isinstance(data, dict):
        return {}
    found: dict[str, FolderPrior] = {}
    for folder, value in data.items():
        if isinstance(folder, str) and isinstance(value, dict):
            issuer, year = value.get("issuer"), value.get("year")
            prior = FolderPrior(issuer if isinstance(issuer, str) else None, year if isinstance(year, int) else None)
            if prior != NO_PRIOR:
                found[folder] = prior
    return found
