"""Finding the people a document names."""

from __future__ import annotations

import pytest

from indexer.metadata.people import find_people


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
