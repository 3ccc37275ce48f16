"""The six UN languages: detection, per-language analysis, queries, snippets, translations.

The fixtures in tests/fixtures/languages are one statement in Arabic, Chinese, English,
French, Russian and Spanish (linked by a `parallel_id` in sidecar files), a page that
declares `<html lang="en">` over an Arabic text, and a resolution in English and French
linked by the UN symbol on its first line.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from indexer.analysis import analyzer_for, index_terms, term_counts
from indexer.build import build_index
from indexer.language import detect, document_language, section_language
from indexer.sections import Section
from search.cli import app
from search.engine import search, show
from search.query import query_fields
from search.request import Filters, Match, SearchRequest
from search.searcher import open_searcher
from search.snippets import make_snippet
from tests.helpers import FIXTURES, FileFactory, accord

LANGUAGES = FIXTURES / "languages"
STATEMENT = {language: f"statement-{language}.txt" for language in ("ar", "en", "es", "fr", "ru", "zh")}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("languages-index")
    build_index(LANGUAGES, index_dir)
    return index_dir


def terms(language: str | None, text: str) -> list[str]:
    return [token.text for token in analyzer_for(language)(text, mode="query")]


@pytest.mark.parametrize(("text", "language"), [
    ("Le Comité contre la torture s’est déclaré profondément préoccupé par l’exploitation des enfants.", "fr"),
    ("El Comité contra la Tortura expresó su profunda preocupación por la explotación de los niños.", "es"),
    ("Комитет против пыток выразил глубокую обеспокоенность эксплуатацией детей.", "ru"),
    ("أعربت لجنة مناهضة التعذيب عن قلقها العميق إزاء استغلال الأطفال", "ar"),
    ("禁止酷刑委员会对拘留中心剥削儿童的情况深表关切。", "zh"),
    ("The Committee against Torture expressed deep concern about the exploitation of children.", "en"),
])
def test_each_language_is_detected(text: str, language: str) -> None:
    assert detect(text)[0] == language


def test_plainly_english_text_is_english_without_loading_the_detector() -> None:
    from indexer import language

    english = ("This page presents the text of the statement for reference, with an introduction written for the "
               "readers of this collection and notes on its source, which is the committee's own record.")
    language.language_identifier.cache_clear()
    assert detect(english) == ("en", 1.0) and detect(english.upper()) == ("en", 1.0)
    assert language.language_identifier.cache_info().currsize == 0
    arabic = "تؤكد اللجنة أن لكل طفل الحق في التعليم المجاني والرعاية الصحية وتدعو الدول إلى حماية الأطفال من العمل"
    french = ("Le Comité contre la torture s’est déclaré profondément préoccupé par l’exploitation des enfants "
              "dans les centres de détention et appelle les autorités à agir sans délai.")
    assert language.plainly_english(english.split())
    assert not language.plainly_english(f"{english} {arabic}".split())  # not nine words in ten in Latin letters
    assert detect(french)[0] == "fr"
    assert detect("The rights of the child.") == detect("The rights of the child.")  # too short: the detector's
    assert language.language_identifier.cache_info().currsize == 1


def test_a_declared_language_stands_unless_the_text_clearly_says_otherwise() -> None:
    french = "Le Comité contre la torture s’est déclaré profondément préoccupé par l’exploitation des enfants."
    assert document_language("en", french) == "fr"  # enough words, confidently French
    assert document_language("es", "Vida terrestre") == "es"  # two words cannot overrule it
    assert document_language("en", "تدعو اللجنة إلى حماية الأطفال") == "ar"  # another script always does
    assert document_language("pt", "12 345") == "pt"


def test_a_section_takes_its_own_language_only_when_it_can_tell() -> None:
    english = ("This page presents the Arabic text of the declaration for reference, with an English "
               "introduction written for the readers of this collection and notes on its source.")
    assert section_language(Section(0, None, english), "ar") == "en"  # another script
    assert section_language(Section(1, "Article 1", "Short."), "fr") == "fr"  # too short to tell
    french = ("Le Comité contre la torture s’est déclaré profondément préoccupé par l’exploitation des enfants "
              "dans les centres de détention et appelle les autorités à agir sans délai.")
    assert section_language(Section(2, None, french), "en") == "fr"


def test_documents_are_faceted_under_their_languages(index: Path) -> None:
    result = search(index, SearchRequest("*", facets=("language",)))
    counts = {c.value: c.count for c in result.facets["language"].counts}
    assert counts == {"ar": 2, "en": 2, "fr": 3, "es": 1, "ru": 1, "zh": 1}
    french = search(index, SearchRequest("*", filters=Filters(languages=("fr",))))
    assert {hit.doc_id for hit in french.results} == {STATEMENT["fr"], "resolution-fr.txt", "declaration-fr.xml"}


def test_a_page_declaring_english_over_arabic_text(index: Path) -> None:
    document = show(index, "declaration-ar.html").document
    assert document.metadata.language == "ar"
    assert [s.language for s in document.sections] == ["en", "ar", "ar"]


def test_an_xml_document_gives_its_title_headings_and_language(index: Path) -> None:
    document = show(index, "declaration-fr.xml").document
    assert document.metadata.title == "Déclaration sur les défenseurs des droits de l’homme"
    assert document.metadata.language == "fr"
    assert [s.heading for s in document.sections] == ["Préambule", "Article premier"]
    assert document.sections[1].text.startswith("Chacun a le droit")


def test_a_broken_xml_file_is_skipped_with_its_reason(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("broken.xml", "<declaration><title>Open</declaration>")
    make_file("fine.txt", "A text that is fine.")
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == 1
    assert [(s.path.rsplit("/", 1)[-1], s.reason.split(" (")[0]) for s in report.skipped] == [
        ("broken.xml", "not well-formed XML")]


def test_arabic_normalisation_and_light_stemming() -> None:
    assert terms("ar", "والاسـتغلال") == terms("ar", "الاستغلال") == terms("ar", "استغلال")
    assert terms("ar", "أحرارًا") == terms("ar", "احرارا")  # tanwin dropped, hamza on alef folded
    assert terms("ar", "مدرسة") == terms("ar", "مدرسه")  # teh marbuta
    assert terms("ar", "على") == terms("ar", "علي")  # alef maqsura


def test_chinese_bigrams_fold_traditional_to_simplified() -> None:
    assert terms("zh", "儿童权利") == ["儿童", "童权", "权利"]
    assert terms("zh", "兒童權利") == terms("zh", "儿童权利")
    assert terms("zh", "法") == ["法"]
    indexed = [token.text for token in analyzer_for("zh")("法律", mode="index")]
    assert indexed == ["法", "法律", "律"]  # single characters too, so a one-character query matches


def test_accents_fold_where_the_language_allows() -> None:
    assert terms("fr", "réunion") == terms("fr", "reunion")
    assert terms("fr", "l’homme") == terms("fr", "homme")  # elision: l' is a stop word
    assert terms("es", "año") != terms("es", "ano")  # ñ tells words apart
    assert terms("es", "explotación") == terms("es", "explotacion")
    assert terms("ru", "ребёнка") == terms("ru", "ребенка")
    assert terms("ru", "й") != terms("ru", "и")


@pytest.mark.parametrize(("query", "doc_id", "highlighted"), [
    ("استغلال الأطفال", STATEMENT["ar"], "الاسـتغلال"),
    ("الاتجار", STATEMENT["ar"], "والاتجار"),
    ("剥削儿童", STATEMENT["zh"], "剥削儿童"),
    ("剝削兒童", STATEMENT["zh"], "剥削儿童"),  # Traditional finds Simplified
    ("пытки ребенка", STATEMENT["ru"], "пыткам"),
    ("explotación niños", STATEMENT["es"], "explotación"),
    ("exploitation enfants", STATEMENT["fr"], "exploitation"),
    ("exploitation children", STATEMENT["en"], "exploitation"),
])
def test_a_query_in_each_language_finds_its_text(index: Path, query: str, doc_id: str, highlighted: str) -> None:
    result = search(index, SearchRequest(query, match=Match.ALL))
    assert [hit.doc_id for hit in result.results] == [doc_id]
    snippet = result.results[0].sections[0].snippet
    assert highlighted in [snippet.text[start:end] for start, end in snippet.highlights]


def test_a_query_is_read_in_the_languages_that_know_its_words(index: Path) -> None:
    with open_searcher(index) as searcher:
        reader, schema = searcher.reader(), searcher.schema
        assert query_fields(reader, schema, "torture enfants") == ("content_fr",)
        assert set(query_fields(reader, schema, "torture")) == {"content", "content_es", "content_fr"}
        assert set(query_fields(reader, schema, "酷刑 الاتجار")) == {"content_ar", "content_zh"}
    assert [h.doc_id for h in search(index, SearchRequest("torture enfants")).results] == [STATEMENT["fr"]]


def test_a_query_with_combining_accents_matches_composed_text(index: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "détention")
    assert decomposed != "détention"
    found = search(index, SearchRequest(decomposed, match=Match.ALL, filters=Filters(languages=("fr",))))
    assert [hit.doc_id for hit in found.results] == [STATEMENT["fr"]]


def test_overlapping_chinese_highlights_are_one_span() -> None:
    snippet = make_snippet("禁止酷刑委员会对拘留中心剥削儿童的情况深表关切。", {"剥削", "削儿", "儿童"}, "zh")
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["剥削儿童"]


def test_translations_are_linked_by_parallel_id_and_by_symbol(index: Path) -> None:
    french = show(index, STATEMENT["fr"])
    assert french.document.metadata.translation == "cat-statement-2024-03-12"
    linked = french.translations
    assert {t.doc_id for t in linked} == {STATEMENT[lang] for lang in ("ar", "en", "es", "ru", "zh")}
    assert {t.language for t in linked} == {"ar", "en", "es", "ru", "zh"}
    resolution = show(index, "resolution-en.txt")
    assert resolution.document.metadata.translation == "A/RES/99/123"
    assert [t.doc_id for t in resolution.translations] == ["resolution-fr.txt"]
    assert show(index, "declaration-ar.html").translations == ()


def test_show_lists_translations(index: Path) -> None:
    done = CliRunner().invoke(app, ["show", STATEMENT["ru"], "--json", "--index", str(index)])
    data = json.loads(done.stdout)
    assert set(data["translations"]) == {STATEMENT[lang] for lang in ("ar", "en", "es", "fr", "zh")}
    assert data["language"] == "ru" and data["translation"] == "cat-statement-2024-03-12"
    text = CliRunner().invoke(app, ["show", STATEMENT["ru"], "--index", str(index)])
    assert f"in fr  {STATEMENT['fr']}" in text.stdout


def test_one_per_text_shows_each_text_once_in_the_query_language(index: Path) -> None:
    shared = search(index, SearchRequest("torture"))
    assert {hit.doc_id for hit in shared.results} == {STATEMENT[lang] for lang in ("en", "fr", "es")}
    once = search(index, SearchRequest("torture", one_per_text=True))
    assert once.total_documents == 1
    (hit,) = once.results
    assert {doc_id for doc_id, _ in hit.translations} | {hit.doc_id} == {STATEMENT[code] for code in ("en", "fr", "es")}
    french = search(index, SearchRequest("torture centres détention", one_per_text=True))
    assert [h.doc_id for h in french.results] == [STATEMENT["fr"]]


def test_one_per_text_on_the_command_line(index: Path) -> None:
    done = accord("search", "torture", "--one-per-text", "--json", "--index", index)
    data = json.loads(done.stdout)
    assert data["total_documents"] == 1
    assert len(data["results"][0]["translations"]) == 2


def test_no_english_spelling_suggestion_for_a_word_of_another_language(index: Path) -> None:
    assert search(index, SearchRequest("explotación tortura")).suggestion is None


def test_traditional_and_simplified_texts_find_each_other(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("hant.txt", "人人生而自由，在尊嚴和權利上一律平等。他們賦有理性和良心，並應以兄弟關係的精神相對待。")
    make_file("hans.txt", "人人生而自由,在尊严和权利上一律平等。他们赋有理性和良心,并应以兄弟关系的精神相对待。")
    index_dir = tmp_path / "index"
    build_index(tmp_path / "docs", index_dir)
    for query in ("尊严和权利", "尊嚴和權利"):
        result = search(index_dir, SearchRequest(query))
        assert {hit.doc_id for hit in result.results} == {"hant.txt", "hans.txt"}
        assert {hit.metadata.language for hit in result.results} == {"zh"}


def test_terminal_output_isolates_right_to_left_text(index: Path) -> None:
    import io

    from rich.console import Console

    from search import render

    assert render.isolated("الاتجار") == "\u2068الاتجار\u2069"
    assert render.isolated("酷刑 torture") == "酷刑 torture"
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="standard")
    render.print_search(console, search(index, SearchRequest("الاتجار")))
    output = console.file.getvalue()
    assert "\u2068" in output and "\u2069" in output
    assert "\x1b[1;7mوالاتجار\x1b[0m" in output  # the highlight still covers the matched word


def test_a_translation_key_of_ones_own_is_remembered(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("texts.jsonl", "\n".join(json.dumps(record, ensure_ascii=False) for record in [
        {"id": "en-1", "text_id": "t1", "text": "Everyone has the right to life, liberty and security of person."},
        {"id": "fr-1", "text_id": "t1", "text": "Tout individu a droit à la vie, à la liberté et à la sûreté de sa personne."},
        {"id": "en-2", "text_id": "t2", "text": "No one shall be held in slavery or servitude."},
    ]))
    index_dir = tmp_path / "index"
    accord("index", tmp_path / "docs", "--index", index_dir, "--translation-key", "text_id", "--quiet")
    english = show(index_dir, "texts.jsonl#en-1")
    assert english.document.metadata.translation == "t1"
    assert [t.doc_id for t in english.translations] == ["texts.jsonl#fr-1"]
    assert show(index_dir, "texts.jsonl#en-2").translations == ()
    make_file("more.jsonl", json.dumps({"id": "es-2", "text_id": "t2", "text": "Nadie estará sometido a esclavitud."}))
    again = accord("index", "--index", index_dir, "--quiet", "--json")  # key remembered
    assert json.loads(again.stdout)["added"] == 1 and json.loads(again.stdout)["unchanged"] == 1
    assert [t.doc_id for t in show(index_dir, "texts.jsonl#en-2").translations] == ["more.jsonl#es-2"]
    changed = accord("index", "--index", index_dir, "--translation-key", "missing", "--json")
    assert json.loads(changed.stdout)["updated"] == 2  # every file is read again under the new key
    assert show(index_dir, "texts.jsonl#en-2").document.metadata.translation is None


MIXED_TEXT = st.text(alphabet=st.sampled_from(list("abc éñ ThEÖ ёй ЖЖ пыт الاسـتغلالًُ 儿童權利，。 -'’.,\n12")), max_size=200)


@given(text=MIXED_TEXT, language=st.sampled_from(["ar", "en", "es", "fr", "ru", "zh"]))
@settings(max_examples=200, deadline=None)
def test_every_analyzer_gives_tokens_inside_the_text(text: str, language: str) -> None:
    for token in analyzer_for(language)(text, chars=True, positions=True, mode="index"):
        assert token.text
        assert 0 <= token.startchar < token.endchar <= len(text)


@given(text=MIXED_TEXT, language=st.sampled_from(["ar", "en", "es", "fr", "ru", "zh", "de"]))
@settings(max_examples=200, deadline=None)
def test_remembered_word_analysis_gives_the_analyzers_terms(text: str, language: str) -> None:
    expected = [(t.startchar, t.endchar, t.text) for t in analyzer_for(language)(text, chars=True, mode="index")]
    assert index_terms(text, language) == expected
    assert index_terms(text, language) == expected  # again, from what it remembered
    wanted = {term for _, _, term in expected[::2]}
    assert index_terms(text, language, wanted) == [span for span in expected if span[2] in wanted]
    assert term_counts(text, language) == Counter(term for _, _, term in expected)


ENGLISH_TEXT = st.one_of(MIXED_TEXT, st.lists(st.sampled_from(
    "The the of A a is it's UN's Lenarčič ÉCOLE rights human-rights co-operation 1987 3.5 x said pct".split()
), max_size=30).map(" ".join))
ANALYZER_OPTIONS = st.sampled_from([
    {"mode": "index"}, {"mode": "index", "positions": True, "boosts": True}, {"mode": "query", "chars": True},
    {"positions": True, "chars": True, "boost": 2.0}, {"no_morph": True}, {"no_morph": True, "positions": True},
    {"removestops": False, "positions": True}, {"start_pos": 3, "positions": True},
])


@given(text=ENGLISH_TEXT, options=ANALYZER_OPTIONS)
@settings(max_examples=300, deadline=None)
def test_english_analyzer_gives_what_its_filters_give(text: str, options: dict) -> None:
    from whoosh.analysis import CompositeAnalyzer

    def tokens(analyzer: CompositeAnalyzer) -> list[tuple]:
        return [(t.text, t.boost, getattr(t, "pos", None), getattr(t, "startchar", None), getattr(t, "endchar", None))
                for t in analyzer(text, **options)]

    english = analyzer_for("en")
    assert tokens(english) == tokens(CompositeAnalyzer(*english.items))


@given(text=ENGLISH_TEXT, language=st.sampled_from(["en", "fr", "ru", "zh"]))
@settings(max_examples=300, deadline=None)
def test_text_fields_index_and_spell_what_whooshs_text_field_does(text: str, language: str) -> None:
    from whoosh.fields import TEXT

    from indexer.store.text import AccordText

    ours, whooshs = AccordText(analyzer_for(language), spelling=True), TEXT(analyzer_for(language), spelling=True)
    assert ({term: (frequency, weight, ours.format.decode_positions(value))
             for term, frequency, weight, value in ours.index(text)}
            == {term: (frequency, weight, whooshs.format.decode_positions(value))
                for term, frequency, weight, value in whooshs.index(text)})
    assert list(ours.spellable_words(text)) == list(whooshs.spellable_words(text))


@given(positions=st.lists(st.integers(0, 2**40), max_size=40).map(sorted))
def test_positions_survive_their_encoding(positions: list[int]) -> None:
    from indexer.store.text import VarintPositions

    value = VarintPositions().encode(positions)
    assert VarintPositions().decode_positions(value) == positions
    assert VarintPositions().decode_frequency(value) == len(positions)
    if all(b - a < 0x80 for a, b in zip([0, *positions], positions)):
        assert len(value) == len(positions)  # a byte a position


def test_english_stems_tell_international_from_intern() -> None:
    text = "The International Covenant: interns added evening sessions on Lenarčič's lateral proposal."
    assert [term for _, _, term in index_terms(text, "en")] == [
        "internat", "coven", "intern", "add", "evening", "session", "lenarc", "s", "lateral", "propos"]


@given(text=MIXED_TEXT, language=st.sampled_from(["ar", "en", "es", "fr", "ru", "zh"]))
@settings(max_examples=200, deadline=None)
def test_snippet_highlights_stay_inside_the_snippet(text: str, language: str) -> None:
    wanted = {token.text for token in analyzer_for(language)(text, mode="index")}
    snippet = make_snippet(text, wanted, language, max_chars=40)
    assert all(0 <= start < end <= len(snippet.text) for start, end in snippet.highlights)
    assert all(a[1] < b[0] for a, b in zip(snippet.highlights, snippet.highlights[1:]))  # merged, in order


QUERY_PIECES = st.sampled_from([*"ab éñ пыт الاسـتغلال 儿童權 \"():*?~-'’", "AND ", "OR ", "NOT ", "title:"])


@given(query=st.lists(QUERY_PIECES, max_size=20).map("".join))
@settings(max_examples=150, deadline=None)
def test_any_query_in_any_script_is_answered_or_refused_cleanly(index: Path, query: str) -> None:
    from search.request import QueryError

    try:
        result = search(index, SearchRequest(query))
    except QueryError:
        return
    assert result.total_documents >= len(result.results)


@pytest.mark.parametrize(("phrase", "language", "broken"), [
    ('"centres de détention"', "fr", '"centres exploitation"'),
    ('"центрах содержания"', "ru", '"содержания центрах"'),
    ('"centres of detention" OR "detention centres"', "en", '"centres detention exploitation"'),
])
def test_phrases_match_in_every_language(index: Path, phrase: str, language: str, broken: str) -> None:
    from indexer.fields import CONTENT, content_field

    found = search(index, SearchRequest(phrase, match=Match.ALL))
    assert STATEMENT[language] in {hit.doc_id for hit in found.results}
    assert not search(index, SearchRequest(broken, match=Match.ALL)).results  # words out of order
    with open_searcher(index) as searcher:  # each content field keeps positions: no twin
        field = content_field(language)
        assert searcher.schema[field].format.supports("positions") and field.startswith(CONTENT)
        assert not [name for name in searcher.schema.names() if name.endswith("_positions")]


@given(st.text(alphabet=st.sampled_from(list("ab1é ./-‐‑–_,'\n")), max_size=80))
def test_the_word_pattern_finds_the_words_of_whooshs_pattern_with_joiners(text: str) -> None:
    import re

    from indexer.analysis import COMPOUND_WORD

    nested = re.compile(r"\w+(?:\.?\w+)*(?:[-‐‑/]\w+(?:\.?\w+)*)*")  # Whoosh's, with hyphens and slashes
    assert [m.span() for m in re.finditer(COMPOUND_WORD, text)] == [m.span() for m in nested.finditer(text)]
