"""Metadata extracted from the three source documents and from small fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.documents import Document, parse
from indexer.language import detect
from indexer.metadata.dates import DateSource
from indexer.metadata.model import TitleSource
from indexer.sources import SUFFIXES, RawFile
from tests.helpers import ALLIANCE, CORPUS, EU_DIALOGUE, FIXTURES, JOINT_DECLARATION, FileFactory


def document(path: Path, doc_id: str | None = None) -> Document:
    raw = RawFile(path, doc_id or path.name, SUFFIXES[path.suffix.lower()], path.read_bytes(), 0)
    (result,) = parse(raw)
    return result


def test_alliance_release() -> None:
    meta = document(CORPUS / ALLIANCE).metadata
    assert meta.title == "Ministerial meeting of the Alliance for Multilateralism"
    assert (meta.date, meta.date_source, meta.year) == ("2021-02-24", DateSource.EXPLICIT, 2021)
    assert meta.doc_type == "press release"
    assert {"Alliance for Multilateralism", "WHO", "Human Rights Council", "UN General Assembly",
            "Freedom Online Coalition", "Paris Peace Forum"} <= set(meta.organisations)
    assert "OHCHR" not in meta.organisations
    assert meta.people == ()
    assert meta.language == "en"


def test_eu_ohchr_dialogue() -> None:
    meta = document(CORPUS / EU_DIALOGUE).metadata
    # it opens with a long sentence, not a title line: the file name reads as one
    assert (meta.title, meta.title_source) == ("EU OHCHR strategic dialogue", TitleSource.FILE_NAME)
    assert (meta.date, meta.date_source, meta.year) == (None, DateSource.INFERRED, 2022)
    assert meta.organisations[:2] == ("OHCHR", "EU")
    assert "Eurostat" not in meta.organisations  # named only in a sidebar line
    assert meta.people == ("Michelle Bachelet", "Eamon Gilmore")
    assert meta.doc_type == "press release"


def test_ohchr_odihr_declaration() -> None:
    meta = document(CORPUS / JOINT_DECLARATION).metadata
    assert meta.title == "Working together for human rights in the Euro-Atlantic region"
    assert (meta.date, meta.date_source, meta.year) == ("2014-06-12", DateSource.EXPLICIT, 2014)
    assert meta.doc_type == "joint declaration"
    assert meta.organisations[:3] == ("OHCHR", "OSCE", "ODIHR")
    assert "Council of Europe" in meta.organisations
    assert meta.people == ("Navi Pillay", "Janez Lenarčič")
    assert {"Ukraine", "Central Asia", "South Caucasus", "Euro-Atlantic region"} <= set(meta.places)


def test_html_page_metadata() -> None:
    doc = document(FIXTURES / "convert" / "news-page.html")
    meta = doc.metadata
    assert meta.title == "Special Rapporteur urges release of detained journalists"
    assert (meta.date, meta.date_source) == ("2023-05-03", DateSource.EXPLICIT)
    assert meta.language == "en"
    assert meta.organisations == ("UN", "Special Procedures")
    assert meta.doc_type == "press release"
    assert [s.heading for s in doc.sections] == [
        "Special Rapporteur urges release of detained journalists", "A growing crisis", "Background"]


def test_untitled_text_falls_back_to_its_first_sentence(make_file: FileFactory) -> None:
    path = make_file("note.txt", "Delegates discussed the draft resolution on Tuesday. It passed.")
    assert document(path).metadata.title == "Delegates discussed the draft resolution on Tuesday."


def test_speech_is_recognised(make_file: FileFactory) -> None:
    path = make_file("speech.txt", "Mr. President,\n\nI congratulate you on your election. " * 3)
    assert document(path).metadata.doc_type == "speech"


@pytest.mark.parametrize(
    ("text", "language"),
    [("The rights of the child are at the heart of the report and of this work.", "en"),
     ("Les droits de l'enfant sont au cœur du rapport et de la déclaration.", "fr"),
     ("Права человека и основные свободы", "ru"),
     ("12345", None)],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect(text)[0] == language


@pytest.mark.parametrize(("lang", "body", "expected"), [
    ("en", "<p>Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison.</p>", "fr"),
    ("en", "<p>تدعو اللجنة الدول إلى حماية الأطفال من العمل القسري</p>", "ar"),
    ("en", "<p>人人生而自由,在尊严和权利上一律平等。</p>", "zh"),
    ("fr", "<p>Les droits de l'homme sont universels et la déclaration est claire pour tous.</p>", "fr"),
    ("pt", "<p>12 345 678</p>", "pt"),  # nothing to tell: the declaration stands
])
def test_a_declared_language_the_text_contradicts_gives_way(make_file: FileFactory, lang: str, body: str, expected: str) -> None:
    path = make_file("page.html", f'<html lang="{lang}"><body><main><h1>Declaration</h1>{body}</main></body></html>')
    assert document(path).metadata.language == expected
