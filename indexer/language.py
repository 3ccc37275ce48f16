"""Which language a document and each of its sections is written in.

Detection is py3langid (langid.py's model over 97 languages), the most accurate of the
detectors measured on the shared SDG texts in the six UN languages, and fast enough to
run on every section (`benchmarks/languages.py`). Text that is plainly English (mostly function words such as
"the", "of" and "which") is English without asking it. A declared language (a page's
`lang`, front matter, `--metadata`, a sidecar) stands unless the text clearly says
otherwise: written in another script, or confidently detected as another language over
enough words. A section takes its document's language unless it is itself long enough
to tell, or written in a script its document's language does not use (an English header
above an Arabic text).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from indexer.models import language_identifier

if TYPE_CHECKING:
    from indexer.sections import Section

DOCUMENT_SAMPLE_CHARS = 3000
SECTION_SAMPLE_CHARS = 400
MIN_WORDS = 20
"""Fewer words than this (in a section, or against a declared language) are not enough to tell."""
MIN_WORDS_AGAINST_DECLARED = 8
ENGLISH_SHARE = 0.15
_ENGLISH_MARKERS = frozenset(
    "the of and to is that for with was are this from by have has it which their were not be".split())
"""Frequent English function words; a text in another language written in Latin letters has few of them."""
CONFIDENT = 0.95
"""The detector's probability above which it overrides a document's declared language."""

_SCRIPTS = {
    "Arab": re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]"),
    "Cyrl": re.compile("[\u0400-\u04ff]"),
    "Hani": re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "Latn": re.compile("[A-Za-z\u00c0-\u024f]"),
}
_SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "ku"), "Arab"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"), "Cyrl"),
    **dict.fromkeys(("zh", "ja"), "Hani"),
}
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,2}|[^\W\d_]+")
"""A word; Chinese has no spaces, so two characters count as one word."""


def language_code(tag: object) -> str | None:
    """The language part of a declared tag ("en-GB" -> "en", "FR" -> "fr"), or None."""
    return (tag.strip().lower().split("-")[0] or None) if isinstance(tag, str) else None


def detect(text: str) -> tuple[str | None, float]:
    """The most likely language of a text (ISO 639-1) and the detector's probability;
    (None, 0.0) for text without letters. Text that is plainly English (see
    `plainly_english`) is English with probability 1, without the detector."""
    words = _WORD.findall(text)
    if not words:
        return None, 0.0
    if plainly_english(words):
        return "en", 1.0
    language, probability = language_identifier().classify(text)
    return language, float(probability)


def plainly_english(words: list[str]) -> bool:
    """Whether MIN_WORDS or more words, nine in ten of them in Latin letters, are at least
    ENGLISH_SHARE English function words. On the shared corpora the detector agrees with
    this rule on nearly every text it calls English; where they differ, the text is English
    that the detector misreads (all capitals, lists of names and titles) as Nigerian Pidgin,
    Igbo or another language. Where this says English, the detector is not needed."""
    if len(words) < MIN_WORDS or sum(1 for word in words if _SCRIPTS["Latn"].match(word)) < 0.9 * len(words):
        return False
    return sum(word.lower() in _ENGLISH_MARKERS for word in words) >= ENGLISH_SHARE * len(words)


def likeliest(text: str, candidates: set[str]) -> str:
    """Of `candidates`, the language the text is likeliest to be written in."""
    return next(language for language, _ in language_identifier().rank(text) if language in candidates)


def document_language(declared: str | None, text: str) -> str | None:
    """The language of a document: the declared one unless the text contradicts it."""
    sample = text[:DOCUMENT_SAMPLE_CHARS]
    detected, probability = detect(sample)
    if detected is None or detected == declared:
        return declared
    if declared is None or not _fits_script(declared, dominant_script(sample)):
        return detected
    return detected if probability >= CONFIDENT and word_count(sample) >= MIN_WORDS_AGAINST_DECLARED else declared


def with_section_languages(sections: list[Section], language: str | None) -> list[Section]:
    """The sections, each with its language (its document's unless it tells otherwise)."""
    if len(sections) == 1:
        return [replace(sections[0], language=language)]
    return [replace(section, language=section_language(section, language)) for section in sections]


def section_language(section: Section, document: str | None) -> str | None:
    """A section's language: detected when it is long enough to tell or written in a script
    its document's language does not use, else its document's."""
    sample = "\n".join(part for part in (section.heading, section.text[:SECTION_SAMPLE_CHARS]) if part)
    if document is not None and _fits_script(document, dominant_script(sample)):
        if word_count(sample) < MIN_WORDS:
            return document
        detected, probability = detect(sample)
        return detected if detected and probability >= CONFIDENT else document
    return detect(sample)[0] or document


def word_count(text: str) -> int:
    """The number of words in a text, two Chinese characters counting as one."""
    return len(_WORD.findall(text))


def dominant_script(text: str) -> str | None:
    """The script most of the text's letters are written in (ISO 15924), or None."""
    counts = {script: len(pattern.findall(text)) for script, pattern in _SCRIPTS.items()}
    script = max(counts, key=counts.__getitem__)
    return script if counts[script] else None


def _fits_script(language: str, script: str | None) -> bool:
    return script is None or _SCRIPT_OF_LANGUAGE.get(language, "Latn") == script


