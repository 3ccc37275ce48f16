"""Converting files to clean Markdown: golden pairs, furniture, repairs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer.convert.dispatch import convert
from indexer.convert.repair import clean_text, split_run_together
from indexer.sources import SUFFIXES, RawFile
from tests.helpers import ALLIANCE, CORPUS, EU_DIALOGUE, FIXTURES, JOINT_DECLARATION, ROOT

GOLDEN = sorted(p for p in (FIXTURES / "convert").iterdir() if p.suffix != ".md")


def raw_file(path: Path) -> RawFile:
    return RawFile(path, path.name, SUFFIXES[path.suffix.lower()], path.read_bytes(), 0)


@pytest.mark.parametrize("source", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_conversion(source: Path) -> None:
    expected = source.with_suffix(".md").read_text(encoding="utf-8").strip()
    assert convert(raw_file(source)).markdown == expected


def test_html_page_declares_title_and_language() -> None:
    converted = convert(raw_file(FIXTURES / "convert" / "news-page.html"))
    assert converted.title == "Special Rapporteur urges release of detained journalists | UN News"
    assert converted.language == "en"
    assert "tracking" not in converted.markdown and "cookies" not in converted.markdown


@pytest.mark.parametrize(
    ("name", "furniture"),
    [
        (ALLIANCE, ["Top of page"]),
        (EU_DIALOGUE, ["Good Clothes, Fair Pay", "Eurostat", "More information", "Leave a Reply"]),
        (JOINT_DECLARATION, ["See also"]),
    ],
)
def test_seed_furniture_is_removed(name: str, furniture: list[str]) -> None:
    markdown = convert(raw_file(CORPUS / name)).markdown
    for line in furniture:
        assert line not in markdown
    assert "|" not in markdown


def test_seed_text_is_repaired() -> None:
    markdown = convert(raw_file(CORPUS / EU_DIALOGUE)).markdown
    assert "was co-chaired" in markdown
    assert "the Dialogue considered the impact" in markdown
    assert "human rights and the international" in markdown


def test_seed_bullets_are_normalised() -> None:
    markdown = convert(raw_file(CORPUS / ALLIANCE)).markdown
    assert "\n- promote the implementation" in markdown
    assert "•" not in markdown


@pytest.mark.parametrize(
    ("word", "expected"),
    [("rightsand", ("rights", "and")), ("Dialogueconsidered", ("Dialogue", "considered")),
     ("thatchild", ("that", "child"))],
)
def test_run_together_words_are_split(word: str, expected: tuple[str, str]) -> None:
    assert split_run_together(word) == expected


@pytest.mark.parametrize("word", ["Bachelet", "Lenarcic", "multilateralism", "Gilmore", "antipersonnel", "Nepalis"])
def test_names_and_real_words_are_not_split(word: str) -> None:
    assert split_run_together(word) is None


def test_mojibake_is_repaired() -> None:
    text, _ = clean_text("The Officeâ€™s report on Genève")
    assert text == "The Office’s report on Genève"


def test_entities_are_repaired_in_ascii_text_and_accents_are_composed() -> None:
    assert clean_text("Rights &amp; Freedoms &#8211; a report")[0] == "Rights & Freedoms – a report"
    assert clean_text("Gene\u0300ve")[0] == "Gen\u00e8ve"  # e and a combining grave accent: è


def test_plain_ascii_text_is_cleaned_without_loading_ftfy() -> None:
    code = ("import sys; from indexer.convert.repair import clean_text; "
            "print(clean_text('The Office report on Geneva.')[0]); print('ftfy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.splitlines() == ["The Office report on Geneva.", "False"]


def test_tables_are_not_mistaken_for_sidebar_lines() -> None:
    table = "| Country | Cases |\n| --- | --- |\n| Chad | 3 |"
    assert clean_text(table) == (table, ())


def test_photo_captions_and_video_players_are_furniture() -> None:
    text = ("Click to expand Image Police officers detain a journalist in Bishkek. © 2023 Photographer/Agency\n\n"
            "Play Video\n\n(Berlin, January 16, 2024) – The authorities should drop the cases.\n\n"
            "Videos played a role in the trial.")
    clean, dropped = clean_text(text)
    assert clean.startswith("(Berlin, January 16, 2024)") and "Videos played a role" in clean
    assert len(dropped) == 2 and dropped[0].startswith("Click to expand Image")
