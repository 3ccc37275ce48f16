"""What a folder's documents usually are (issuer, year), learned when the index is built
and used for the texts that do not say it themselves."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.metadata.dates import DateSource, find_date
from indexer.metadata.prior import FolderPrior, Sampled, learn_priors, prior_for
from search.engine import show
from tests.helpers import FileFactory, accord

REPORTING = """Thailand: Free the Detained Activists

(Bangkok, March {day}, 2024) – Thai authorities should release {n} activists held for their peaceful protest,
Human Rights Watch said today. The arrests followed a rally in the capital.

"These arrests are an attack on free expression," said a researcher at Human Rights Watch.
"""
QUIET = """Click to expand Image A rally in Bangkok, 2023. © 2023 Jane Doe/AP Photo

Thai courts handed down {n} sentences in 2023 against people who took part in the 2022 protests.
Human Rights Watch and 12 other groups wrote to the minister about the trial. The UN said it was unfair.
"""
SPEECH = """Statement of the delegation

Mr. President, our country stands with the peoples of the world. As Oxfam noted in {year}, inequality grows.
We thank the Secretary-General for his report of {year}.
"""


def sample(doc_id: str, reported: str | None = None, year: int | None = None) -> Sampled:
    return Sampled(doc_id, reported, year)


def test_a_folder_learns_the_issuer_most_of_its_texts_report_and_the_year_they_are_dated() -> None:
    texts = [sample(f"hrw/{i}.txt", "Human Rights Watch" if i < 6 else None, 2024 if i < 8 else None)
             for i in range(12)]
    texts += [sample(f"speeches/{i}.txt", ["Oxfam", "UN", "ICRC", None][i % 4], 2014 + i % 3) for i in range(12)]
    priors = learn_priors(texts)
    assert priors == {"hrw": FolderPrior("Human Rights Watch", 2024)}
    assert prior_for("hrw/sub/x.txt", priors) == priors["hrw"]
    assert prior_for("speeches/x.txt", priors) == FolderPrior()


@pytest.mark.parametrize("texts", [
    [sample(f"f/{i}.txt", "Human Rights Watch", 2024) for i in range(9)],  # too few to learn from
    [sample(f"f/{i}.txt", ["Human Rights Watch", "Amnesty International"][i % 2]) for i in range(12)],  # two voices
    [sample(f"f/{i}.txt", year=2020 + i % 2) for i in range(12)],  # two years
])
def test_no_prior_without_a_clear_majority(texts: list[Sampled]) -> None:
    assert learn_priors(texts) == {}


def test_an_inferred_year_is_no_earlier_than_the_folders() -> None:
    reported = ["Courts handed down sentences in 2022 for the 2021 protests."]
    assert find_date(reported, usual_year=2024).year == 2024
    assert find_date(reported, usual_year=2024).source is DateSource.INFERRED
    assert find_date(reported).year == 2022
    later = ["In March 2025 the court ruled against the activists."]
    assert find_date(later, usual_year=2024, today=dt.date(2026, 1, 1)).year == 2025
    dated = ["(Geneva, June 3, 2021) – The council met.", "It met in 2020."]
    assert find_date(dated, usual_year=2024).date == "2021-06-03"
    assert find_date(reported, usual_year=2024, modified=dt.date(2023, 5, 1)).year == 2022  # the file is older
    assert find_date(reported, usual_year=2024, file_name="justice-needed-2014-massacre.txt").year == 2024


def test_a_law_coming_into_force_or_a_forecast_is_no_date_of_the_text() -> None:
    text = ["The code, adopted in 2023, will come into force and replace the old criminal code in January 2026."]
    assert find_date(text, today=dt.date(2026, 12, 1)).year == 2023
    forecast = ["The bank anticipates $12 billion in support from 2024 to 2026, after the 2023 crisis."]
    assert find_date(forecast, today=dt.date(2026, 12, 1)).year == 2024


def test_the_folder_prior_gives_the_quiet_texts_their_issuer_and_year(make_file: FileFactory, tmp_path: Path
                                                                      ) -> None:
    for n in range(8):
        make_file(f"hrw/r{n}.txt", REPORTING.format(day=n + 1, n=n + 2))
    for n in range(4):
        make_file(f"hrw/q{n}.txt", QUIET.format(n=n + 2))
    make_file("hrw/unrelated.txt", "A note on the weather\n\nIt rained in 2022 and again in 2023, said no one.")
    for n in range(12):
        make_file(f"speeches/s{n}.txt", SPEECH.format(year=2014 + n % 3))
    index = tmp_path / "index"
    build_index(tmp_path / "docs", index)
    priors = json.loads((index / "accord.json").read_text())["priors"]
    assert priors == {"hrw": {"issuer": "Human Rights Watch", "year": 2024}}
    quiet = show(index, "hrw/q0.txt").document.metadata
    assert (quiet.issuers, quiet.year, quiet.date_source) == (("Human Rights Watch",), 2024, DateSource.INFERRED)
    unrelated = show(index, "hrw/unrelated.txt").document.metadata
    assert unrelated.issuers == () and unrelated.year == 2024  # names no organisation: no issuer is guessed
    speech = show(index, "speeches/s0.txt").document.metadata
    assert speech.issuers != ("Human Rights Watch",) and speech.year == 2014
    # a file added later is read with the prior the index remembers; --rebuild learns it again
    make_file("hrw/q9.txt", QUIET.format(n=9).replace(" The UN said it was unfair.", ""))
    build_index(tmp_path / "docs", index)
    assert show(index, "hrw/q9.txt").document.metadata.issuers == ("Human Rights Watch",)
    accord("index", tmp_path / "docs", "--index", index, "--rebuild")
    assert json.loads((index / "accord.json").read_text())["priors"] == priors
    assert json.loads(accord("stats", "--index", index, "--json").stdout)["folder_priors"] == priors
    assert "folder priors  hrw/: Human Rights Watch, 2024" in accord("stats", "--index", index).stdout
