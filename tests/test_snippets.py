"""Snippets: the best window of a section, with highlight offsets inside it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.results import Snippet
from search.snippets import SNIPPET_CHARS, make_snippet


def highlighted(snippet: Snippet) -> list[str]:
    return [snippet.text[s:e] for s, e in snippet.highlights]


def test_highlights_words_as_written_for_stemmed_terms() -> None:
    snippet = make_snippet("Participants called for equitable access to vaccines and Vaccination.", {"vaccin"})
    assert highlighted(snippet) == ["vaccines", "Vaccination"]
    assert snippet.text.startswith("Participants")


def test_window_moves_to_the_matches_and_marks_cuts() -> None:
    text = "Filler words here. " * 40 + "The Council adopted the resolution on climate justice. " + "More filler. " * 40
    snippet = make_snippet(text, {"climat", "justic"})
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert highlighted(snippet) == ["climate", "justice"]
    assert len(snippet.text) <= SNIPPET_CHARS + 2


def test_window_prefers_more_distinct_terms() -> None:
    text = "rights " + "padding " * 60 + "human rights defenders " + "padding " * 60
    snippet = make_snippet(text, {"human", "right", "defend"})
    assert sorted(set(highlighted(snippet))) == ["defenders", "human", "rights"]


def test_no_match_gives_the_start_of_the_text() -> None:
    snippet = make_snippet("Short text without the word.", {"absent"})
    assert snippet.text == "Short text without the word." and snippet.highlights == ()


def test_whitespace_is_flattened() -> None:
    assert make_snippet("Line one\n\nline  two", set()).text == "Line one line two"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cd Éé rights\n.,"), max_size=800),
       st.sets(st.sampled_from(["right", "ab", "cd", "ee"]), max_size=3))
def test_every_highlight_lies_inside_the_snippet(text: str, terms: set[str]) -> None:
    snippet = make_snippet(text, terms)
    for start, end in snippet.highlights:
        assert 0 <= start < end <= len(snippet.text)


def test_a_snippet_at_given_spans_is_cut_as_one_from_terms() -> None:
    from search.snippets import snippet_at

    text = "The  Universal\n\nDeclaration of   Human Rights was adopted;\ncooperation and cooperated are one term."
    spans = [(text.index(word), text.index(word) + len(word))
             for word in ("Human", "Rights", "cooperation", "cooperated")]
    assert snippet_at(text, spans) == make_snippet(text, ["human", "right", "cooper"])
    assert snippet_at(text, spans, max_chars=40).highlights == make_snippet(
        text, ["human", "right", "cooper"], max_chars=40).highlights
    assert snippet_at("", [(0, 3)]).text == ""
