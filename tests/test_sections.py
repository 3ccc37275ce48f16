"""Splitting Markdown into sections: golden pairs, the seeds, size bounds, coverage."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.convert.repair import clean_text
from indexer.sections import MAX_SECTION_CHARS, Section, split_sections
from tests.helpers import ALLIANCE, CORPUS, EU_DIALOGUE, FIXTURES, JOINT_DECLARATION

GOLDEN = sorted((FIXTURES / "sections").glob("*.md"))


@pytest.mark.parametrize("source", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_sections(source: Path) -> None:
    expected = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    found = [asdict(s) for s in split_sections(source.read_text(encoding="utf-8"))]
    assert [{k: v for k, v in s.items() if k != "language"} for s in found] == expected
    assert all(s["language"] is None for s in found)  # set later, once the document's language is known


def seed_sections(name: str, max_chars: int = MAX_SECTION_CHARS) -> list[Section]:
    text, _ = clean_text((CORPUS / name).read_text(encoding="utf-8"))
    return split_sections(text, max_chars)


def test_alliance_release_sections_follow_its_labels() -> None:
    assert [s.heading for s in seed_sections(ALLIANCE)] == [
        "Ministerial meeting of the Alliance for Multilateralism",
        "Human Rights Online",
        "Climate Change and Human Rights",
        "Learning from the Pandemic – Preparedness and Response",
        "Looking back at Alliance meetings in 2020",
    ]


def test_text_without_headings_is_packed_into_bounded_sections() -> None:
    sections = seed_sections(EU_DIALOGUE, max_chars=800)
    assert len(sections) >= 3
    assert all(s.heading is None and 0 < len(s.text) <= 800 for s in sections)
    assert "\n\n".join(s.text for s in sections) == "\n\n".join(s.text for s in seed_sections(EU_DIALOGUE))


def test_long_headed_text_keeps_its_heading_on_every_part() -> None:
    sections = seed_sections(JOINT_DECLARATION)
    assert len(sections) >= 2
    assert {s.heading for s in sections} == {"Working together for human rights in the Euro-Atlantic region"}
    assert sections[-1].text.endswith("12 June 2014")


def test_a_single_huge_line_is_cut_into_bounded_sections() -> None:
    line = "Word " * 400_000
    sections = split_sections(line)
    assert all(len(s.text) <= MAX_SECTION_CHARS for s in sections)
    assert sum(len(s.text.split()) for s in sections) == 400_000


def test_a_line_without_spaces_is_cut_anyway() -> None:
    sections = split_sections("x" * (3 * MAX_SECTION_CHARS + 500))
    assert [len(s.text) for s in sections] == [MAX_SECTION_CHARS] * 3 + [500]


def test_positions_count_from_zero() -> None:
    sections = seed_sections(ALLIANCE)
    assert [s.position for s in sections] == list(range(len(sections)))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


paragraph = st.text(alphabet=st.sampled_from("abc DEF.:#-\n"), min_size=1, max_size=300)


@settings(max_examples=200, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=12))
def test_sections_cover_the_text_in_order(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    sections = split_sections(text, max_chars=200)
    covered = [w for s in sections for w in words(s.heading or "") + words(s.text)]
    assert covered == words(text)


def test_a_word_cut_at_a_line_end_is_no_heading() -> None:
    sections = split_sections("Minister's statement on refugees today\n\nAcco\n\nrding to the minister, the "
                              "centre will close.\n\nBackground\n\nThe centre opened in 2001 and held many people.")
    headings = [s.heading for s in sections]
    assert "Background" in headings and "Acco" not in headings
    assert any("Acco" in s.text for s in sections)  # the fragment stays in the text
