"""Finding the people a document names."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.metadata.people import find_people, person_name
from tests.helpers import FileFactory


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("In Geneva, UN Human Rights Chief Navi Pillay and the Director of the OSCE ODIHR Janez Lenarčič signed.",
         ["Navi Pillay", "Janez Lenarčič"]),
        ("It was co-chaired by Michelle Bachelet, UN High Commissioner for Human Rights, and Eamon Gilmore, "
         "EU Special Representative for Human Rights.", ["Michelle Bachelet", "Eamon Gilmore"]),
        ("“This must stop,” said Tirana Hassan, executive director at Human Rights Watch.", ["Tirana Hassan"]),
        ("Kenneth Roth said the report was damning.", ["Kenneth Roth"]),
        ("The Hon Malcolm Turnbull MP announced the policy.", ["Malcolm Turnbull"]),
        ("Lord David Cameron visited.", ["David Cameron"]),
        ("Ranil Wickremesinghe’s government, said President Ranil Wickremesinghe.", ["Ranil Wickremesinghe"]),
    ],
)
def test_people_marked_by_roles_and_speech(text: str, people: list[str]) -> None:
    assert find_people(text) == people


@pytest.mark.parametrize(
    "text",
    [
        "The Strategic Dialogue also covered the Human Rights Council.",
        "Freedom Online Coalition and the Paris Peace Forum met in Central Asia.",
        "said Pillay, adding that the Council of Europe agreed.",
        "the Minister for Foreign Affairs, said",
        "the OSCE Special Monitoring Mission regularly exchanged information",
    ],
)
def test_names_of_things_are_not_people(text: str) -> None:
    assert find_people(text) == []


def test_excluded_words_block_names() -> None:
    text = "said Representative on Freedom of the Media Teresa Ribeiro"
    assert find_people(text, excluded_words={"Media"}) == ["Teresa Ribeiro"]


@pytest.mark.parametrize(("written", "expected"), [
    ("The Hon Malcolm Turnbull MP", ("Malcolm Turnbull", "The Hon … MP")),
    ("Senator Sarah Hanson-Young", ("Sarah Hanson-Young", "Senator")),
    ("Navi Pillay", ("Navi Pillay", "")),
    ("Liberal Party of Australia", None), ("Australian Greens", None), ("Defence Materiel", None),
    ("Your Excellency", None), ("Minister for Immigration", None), ("Kenya", None), ("Human Rights Watch", None),
])
def test_metadata_people_without_titles_and_never_organisations(written: str, expected: tuple[str, str] | None) -> None:
    assert person_name(written) == expected


def test_parties_given_as_creators_are_not_people(make_file: FileFactory, tmp_path: Path) -> None:
    from indexer.documents import load
    from indexer.sources import SourceFile, walk

    make_file("release.md", '---\ncreators:\n  - "Hanson-Young, Sarah"\n  - "Australian Greens"\n'
                            '  - "The Hon Malcolm Turnbull MP"\n---\n# Release\n\nText of the release.')
    source = next(s for s in walk(tmp_path / "docs") if isinstance(s, SourceFile))
    documents = load(source)
    assert isinstance(documents, list)
    meta = documents[0].metadata
    assert meta.people == ("Sarah Hanson-Young", "Malcolm Turnbull")
    assert ("roles", "Malcolm Turnbull: The Hon … MP") in meta.extra


def test_one_person_spelled_two_ways_is_one_value(tmp_path: Path) -> None:
    from indexer.build import build_index
    from search.engine import search
    from search.request import SearchRequest, make_filters

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First\n\n3 May 2015\n\nSecretary-General António Guterres said peace matters.")
    (corpus / "b.txt").write_text("Second\n\n4 May 2015\n\nSecretary-General Antonio Guterres said peace matters.")
    (corpus / "c.txt").write_text("Third\n\n5 May 2015\n\nSecretary-General António Guterres said so again.")
    build_index(corpus, tmp_path / "index")
    people = search(tmp_path / "index", SearchRequest("*", facets=("person",))).facets["person"].counts
    assert [(c.value, c.count) for c in people] == [("António Guterres", 3)]
    chosen = search(tmp_path / "index", SearchRequest("*", filters=make_filters({"person": ["Antonio Guterres"]})))
    assert chosen.total_documents == 3
