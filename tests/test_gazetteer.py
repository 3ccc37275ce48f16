"""Organisation and place gazetteers: aliases, case rules, mentions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.metadata.gazetteer import Entry, Gazetteer, alias_key
from indexer.metadata.orgs import load_orgs
from indexer.metadata.places import load_places


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("UN Human Rights Office", "OHCHR"),
        ("un human rights office", "OHCHR"),
        ("Office of the United Nations High Commissioner for Human Rights", "OHCHR"),
        ("ohchr", "OHCHR"),
        ("Organization for Security and Co-operation in Europe", "OSCE"),
        ("Organization for Security and Cooperation in Europe", "OSCE"),
        ("OSCE/ODIHR", "ODIHR"),
        ("Office for Democratic Institutions and Human Rights", "ODIHR"),
        ("World Health Organization", "WHO"),
        ("who", "WHO"),
        ("European Union", "EU"),
        ("United Nations Children’s Fund", "UNICEF"),
        ("Council of Europe", "Council of Europe"),
        ("Human Rights Watch", "Human Rights Watch"),
        ("Alliance for Multilateralism", "Alliance for Multilateralism"),
    ],
)
def test_any_alias_in_any_case_resolves(alias: str, name: str) -> None:
    assert load_orgs().canonical(alias) == name


def test_unknown_alias_is_none() -> None:
    assert load_orgs().canonical("Ministry of Silly Walks") is None


@given(st.sampled_from([alias for e in load_orgs().entries for alias in e.all_names()]))
def test_resolution_is_idempotent(alias: str) -> None:
    orgs = load_orgs()
    name = orgs.canonical(alias)
    assert name is not None
    assert orgs.canonical(name) == name


def test_every_canonical_name_is_unique() -> None:
    names = [e.name for e in load_orgs().entries]
    assert len(names) == len(set(names))


def test_acronyms_match_only_as_written() -> None:
    orgs = load_orgs()
    assert orgs.find("Those who care about the eu and Who knows") == []
    assert orgs.find("The WHO’s central role, and the EU–OHCHR dialogue") == ["WHO", "EU", "OHCHR"]


def test_an_exact_entry_matches_only_as_written() -> None:
    orgs = load_orgs()
    assert orgs.find("Article 19 of the Universal Declaration protects expression.") == []
    assert orgs.find("The free-expression group ARTICLE 19 and OHCHR said.") == ["ARTICLE 19", "OHCHR"]
    assert orgs.canonical("article 19") == "ARTICLE 19"  # filters still accept any case


def test_acronyms_in_all_caps_text_are_ignored() -> None:
    assert load_orgs().find("WHO WILL PAY FOR THE NEW HOSPITAL IN THE NORTH") == []


def test_longest_alias_wins() -> None:
    assert load_orgs().find("the UN Human Rights Council met") == ["Human Rights Council"]


def test_multiword_aliases_match_across_line_breaks_and_case() -> None:
    assert load_orgs().find("the world health\norganization said") == ["WHO"]


def test_places_use_common_english_names() -> None:
    places = load_places()
    assert places.find("the Russian Federation, Viet Nam and the Syrian Arab Republic") == ["Russia", "Vietnam", "Syria"]
    assert places.canonical("türkiye") == "Turkey"


def test_place_names_are_case_sensitive_but_accept_capitals() -> None:
    places = load_places()
    assert places.find("a turkey for dinner in chad") == []
    assert places.find("TURKEY and Chad") == ["Turkey", "Chad"]


def test_places_include_regions() -> None:
    assert load_places().find("field presences in Central Asia and the South Caucasus") == ["Central Asia", "South Caucasus"]


def test_alias_key_ignores_case_dots_apostrophes_and_spacing() -> None:
    assert alias_key("U.N.  Children’s   Fund") == alias_key("un children's fund")


def test_gazetteer_from_entries() -> None:
    gazetteer = Gazetteer([Entry("ABC", "Alpha Beta Commission", ("Alpha-Beta Commission",))])
    assert gazetteer.find("the alpha‑beta commission and ABC") == ["ABC"]
    assert [(m.start, m.end) for m in gazetteer.mentions("see ABC.")] == [(4, 7)]
