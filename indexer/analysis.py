"""How each language's text becomes index terms (Whoosh analyzers).

- English, and every language without its own analysis: words, lower case, accents
  folded, English stop words out, Porter2 stems (Snowball English, PyStemmer; chosen on
  SciFact's train queries). A compound word, hyphenated or slashed ("COVID-19", "e-mail",
  "A/HRC/52/3") or letters run into digits ("covid19"), is indexed as its parts and as
  one joined word ("covid19", "email", "a/hrc/52/3") at the first part's position; a word
  query asks for the joined word only, so "covid19", "COVID-19" and "covid 19" meet, as do
  "e-mail" and "email", and a UN document symbol searches as one unit. A phrase asks for
  the parts, which stand next to each other either way.
- French, Spanish, Russian: the language's stop words, accents folded, then its Snowball
  stemmer (PyStemmer). Folding comes first so that a query typed without accents stems
  as the text does ("reunion" finds "réunion"; on the SDG texts, French queries typed
  without accents find their text first more often than when folding after stemming,
  benchmarks/languages.py); Spanish ñ is kept, as it tells words apart (año, ano), and Russian
  folds only ё, which is written е as often as not (й stays).
- Arabic: diacritics and tatweel dropped, alef, yeh and teh marbuta variants made one
  (أ إ آ ٱ → ا, ى → ي, ة → ه), then the Light10 stemmer (Larkey et al.): the prefixes
  و, ال, وال, بال, كال, فال, لل and the common suffixes off, so "والاستغلال" and
  "الاستغلال" meet.
- Chinese: Traditional characters folded to Simplified (OpenCC), so either form finds
  both; then overlapping character bigrams, plus single characters at index time so a
  one-character query still matches. Bigrams need no dictionary and miss no word a
  segmenter would split wrongly; a query's bigrams must all match (or any, with
  `--match any`) like the words of any other query.

Every filter here is picklable by reference (the schema is stored in the index).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from whoosh.analysis import CompositeAnalyzer, Filter, Token, Tokenizer

from indexer.fields import CONTENT_LANGUAGES

if TYPE_CHECKING:
    from opencc import OpenCC
    from whoosh.analysis import Analyzer

_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
"""Light10's suffixes; ية and ة are written يه and ه once normalised."""
_ARABIC_WORD = r"[\w\u0640\u064b-\u065f\u0670]+"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CHINESE_RUN = re.compile(f"([{_HAN}]+)|(?:(?![{_HAN}])\\w)+")
_SNOWBALL = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}
COMPOUND_WORD = r"\w+(?:[.\-‐‑/]\w+)*"
r"""A word, or words joined by single dots, hyphens or slashes ("U.N", "co-operation",
"A/HRC/52/3"); Whoosh's own word pattern, `\w+(\.?\w+)*`, stops at the first hyphen. One
joiner class in one repeated group: the regular expression engine scans it faster than
nested repetitions."""
_JOINERS = re.compile(r"[-‐‑/]")
_LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def analyzer_for(language: str | None) -> Analyzer:
    """The analyzer of text in `language` (ISO 639-1); English's for any language without its own."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
    from whoosh.lang import stopwords_for_language

    if language in ("fr", "es"):
        stops = stopwords_for_language(language)
        return (RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=stops, minsize=1)
                | FoldFilter(language) | SnowballFilter(language))
    if language == "ru":
        return (RegexTokenizer() | LowercaseFilter() | FoldFilter(language)
                | StopFilter(stoplist=stopwords_for_language(language), minsize=1) | SnowballFilter(language))
    if language == "ar":
        return RegexTokenizer(_ARABIC_WORD) | LowercaseFilter() | ArabicNormalizeFilter() | ArabicStemFilter()
    if language == "zh":
        return ChineseTokenizer() | LowercaseFilter()
    return english_analyzer()


WORD_CACHE_SIZE = 50_000
"""Distinct words whose terms index_terms and EnglishAnalyzer remember per language, and
for English unstemmed (then they start afresh), which bounds their memory."""
_WORD_TERMS: dict[str | None, dict[str, tuple[tuple[int, int, int, str], ...]]] = {}


def index_terms(text: str, language: str | None, wanted: Container[str] | None = None
                ) -> list[tuple[int, int, str]]:
    """The terms `language`'s analyzer indexes for `text`, each with its [start, end)
    characters; with `wanted`, only those among them (the words a snippet highlights).
    Each distinct word is analysed once per process and remembered, since analysis is
    word by word (Chinese, whose bigrams cross characters, is analysed whole): snippets and
    feedback read the same words query after query."""
    language = language if language in CONTENT_LANGUAGES else None
    analyzer = _shared_analyzer(language)
    if language == "zh":
        return [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True, mode="index")
                if wanted is None or t.text in wanted]
    terms_of = _word_terms(language)
    found = []
    for match in analyzer.items[0].expression.finditer(text):
        for _, start, end, term in terms_of(match.group()):
            if wanted is None or term in wanted:
                at = match.start()
                found.append((at + start, at + end, term))
    return found


def term_counts(text: str, language: str | None) -> Counter[str]:
    """How many times `language`'s analyzer indexes each term of `text` (index_terms,
    counted), from the distinct words' counts."""
    language = language if language in CONTENT_LANGUAGES else None
    if language == "zh" or _shared_analyzer(language).items[0].expression.groups:  # bigrams; a pattern with groups
        return Counter(term for _, _, term in index_terms(text, language))
    expression = _shared_analyzer(language).items[0].expression
    terms_of = _word_terms(language)
    counts: Counter[str] = Counter()
    for word, times in Counter(expression.findall(text)).items():
        for _, _, _, term in terms_of(word):
            counts[term] += times
    return counts


def _word_terms(language: str | None) -> Callable[[str], tuple[tuple[int, int, int, str], ...]]:
    """The terms of one word of `language` (not Chinese), as english_tokens gives them,
    remembered."""
    known = _remembered(language)
    analyzer = _shared_analyzer(language)

    def terms_of(word: str) -> tuple[tuple[int, int, int, str], ...]:
        terms = known.get(word)
        if terms is None:
            terms = known[word] = (english_tokens(word) if language is None else tuple(
                (0, t.startchar, t.endchar, t.text) for t in analyzer(word, mode="index", chars=True)))
        return terms

    return terms_of


def _remembered(key: str | None) -> dict[str, tuple[tuple[int, int, int, str], ...]]:
    """The terms remembered for words of a language (or of English unstemmed), emptied once
    they pass WORD_CACHE_SIZE."""
    known = _WORD_TERMS.setdefault(key, {})
    if len(known) > WORD_CACHE_SIZE:
        known.clear()
    return known


def english_word(word: str) -> str | None:
    """One word as the English analyzer's filters leave it before stemming (None for a stop word)."""
    from whoosh.analysis.filters import STOP_WORDS

    folded = word.lower().translate(_fold_table("en"))
    return None if not folded or folded in STOP_WORDS else folded


def fold_word(word: str, language: str | None) -> str:
    """A word in lower case with the accents the language's analysis folds, folded: what a
    pattern typed in a query is matched against."""
    return word.lower().translate(_fold_table(language if language in ("es", "fr", "ru") else "en"))


@cache
def _shared_analyzer(language: str | None) -> Analyzer:
    return analyzer_for(language)


def english_analyzer() -> Analyzer:
    """Words, lower-cased, accents folded ("Lenarčič" -> "lenarcic"), stop words out, stemmed
    (Porter2, which ranks SciFact's train queries better than the original Porter). One-letter
    and one-digit words are kept ("type 1 diabetes", "vitamin D", "Goal 5").

    The stemmer is Snowball's own (PyStemmer), not Whoosh's Python Porter2, which is 7x
    slower and wrong on common words: it makes "international" and "internal" "intern",
    "lateral" "later", "evening" "even" and "added" "ad"."""
    from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StopFilter
    from whoosh.support.charset import accent_map

    return EnglishAnalyzer(RegexTokenizer(COMPOUND_WORD), LowercaseFilter(), CharsetFilter(accent_map),
                           StopFilter(minsize=1), CompoundFilter(), SnowballFilter("en"))


class EnglishAnalyzer(CompositeAnalyzer):
    """The English chain, which analyses a text word by word through `english_tokens`,
    remembering each distinct word's terms: the same tokens, positions and offsets as the
    chain's filters make, in a third of the time.
    Calls with other options (unstopped, untokenized, offset) run the chain."""

    def __call__(self, value: str, no_morph: bool = False, positions: bool = False, chars: bool = False,
                 **kwargs: Any) -> Iterator[Token]:
        if kwargs.keys() - {"mode", "boost", "boosts"}:
            return super().__call__(value, no_morph=no_morph, positions=positions, chars=chars, **kwargs)
        return self._words(value, positions, chars, no_morph, Token(positions, chars, **kwargs))

    def term_positions(self, value: str, mode: str) -> dict[str, list[int]]:
        """Each term of `value` and its positions, in order: what the chain's tokens say
        for the mode, made in one pass without them."""
        found: dict[str, list[int]] = {}
        for _, position, terms in self._placed(self.items[0].expression.findall(value), mode, False):
            for offset, _, _, text in terms:
                if text in found:
                    found[text].append(position + offset)
                else:
                    found[text] = [position + offset]
        return found

    def spelling_words(self, value: str) -> set[str]:
        """The distinct words of `value` as the chain leaves them unstemmed (Whoosh's
        spelling words), each word of the text looked at once."""
        words = list(set(self.items[0].expression.findall(value)))
        return {text for _, _, terms in self._placed(words, "index", True) for _, _, _, text in terms}

    def _words(self, value: str, positions: bool, chars: bool, no_morph: bool, token: Token) -> Iterator[Token]:
        flavour = token.mode if token.mode != "query" else ("phrase" if chars else "word")
        matches = list(self.items[0].expression.finditer(value))
        for number, position, terms in self._placed([match.group() for match in matches], flavour, no_morph):
            for offset, start, end, text in terms:
                token.text, token.boost, token.stopped = text, 1.0, False
                if positions:
                    token.pos = position + offset
                if chars:
                    token.startchar, token.endchar = matches[number].start() + start, matches[number].start() + end
                yield token

    @staticmethod
    def _placed(words: list[str], flavour: str, no_morph: bool
                ) -> Iterator[tuple[int, int, tuple[tuple[int, int, int, str], ...]]]:
        """(number, position, terms) of each of `words` that is not a stop word: its place
        among them, the position of its first term, and its terms (english_tokens)."""
        known = _remembered(f"{flavour}{' unstemmed' if no_morph else ''}")
        kept, shift = None, 0  # the stop filter numbers kept words on from the first one's position
        for number, word in enumerate(words):
            terms = known.get(word)
            if terms is None:
                terms = known[word] = english_tokens(word, no_morph, flavour)
            if not terms:
                continue
            kept = number if kept is None else kept + 1
            yield number, kept + shift, terms
            shift += max(terms[-1][0], 0)


def english_tokens(word: str, no_morph: bool = False, flavour: str = "index"
                   ) -> tuple[tuple[int, int, int, str], ...]:
    """What the English chain makes of one word, as (position offset, start, end, term):
    nothing for a stop word, one term for a plain word, and for a compound its joined form
    and parts as CompoundFilter gives them for `flavour` ("index", "word" or "phrase")."""
    from whoosh.analysis.filters import STOP_WORDS

    folded = english_word(word)
    if folded is None:
        return ()
    stem = (lambda text: text) if no_morph else _stemmer("en")
    parts = compound_parts(folded)
    if len(parts) == 1:
        return ((0, 0, len(word), stem(folded)),)
    whole = (0, 0, len(word), stem(joined(folded)))
    kept = [(offset, part) for offset, part in parts if part not in STOP_WORDS]
    if flavour == "word" or (flavour == "phrase" and not kept):
        return (whole,)
    found = [(number, offset, offset + len(part), stem(part)) for number, (offset, part) in enumerate(kept)]
    return tuple(found) if flavour == "phrase" else (whole, *found)


def compound_parts(word: str) -> list[tuple[int, str]]:
    """The parts of a compound word, with their offsets in it: split at hyphens and slashes,
    then where letters meet digits; a single part for any other word."""
    parts, start = [], 0
    for piece in _JOINERS.split(word):
        if piece:
            inner = 0
            for sub in _LETTERS_DIGITS.split(piece):
                parts.append((start + inner, sub))
                inner += len(sub)
        start += len(piece) + 1
    return parts


def joined(word: str) -> str:
    """A compound word as one word: hyphens dropped, slashes kept ("e-mail" -> "email",
    "A/HRC/52/3" stays)."""
    return word.replace("-", "").replace("‐", "").replace("‑", "")


class CompoundFilter(Filter):
    """A compound word as its parts (stop words among them left out) at consecutive positions
    and as its joined form at the first part's position, later words moving on by the extra
    parts; in a word query (mode "query" without character offsets), the joined form only,
    and in a phrase (Whoosh's phrase parser asks for offsets) the parts only, unless all
    are stop words ("and/or")."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        from whoosh.analysis.filters import STOP_WORDS

        shift = 0
        for token in tokens:
            parts = compound_parts(token.text)
            if token.positions:
                token.pos += shift
            if len(parts) == 1 or token.stopped:
                yield token
                continue
            kept = [(offset, part) for offset, part in parts if part not in STOP_WORDS]
            phrase = token.mode == "query" and token.chars
            word = token.text
            token.text = joined(word)
            if not (phrase and kept):
                yield token
            if token.mode == "query" and not phrase:
                continue
            first, start = getattr(token, "pos", 0), getattr(token, "startchar", 0)
            for number, (offset, part) in enumerate(kept):
                token.text = part
                if token.positions:
                    token.pos = first + number
                if token.chars:
                    token.startchar, token.endchar = start + offset, start + offset + len(part)
                yield token
            shift += max(len(kept) - 1, 0)


class SnowballFilter(Filter):
    """Stems each word with the Snowball stemmer of a language (PyStemmer)."""

    is_morph = True

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = _stemmer(self.language)
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


class FoldFilter(Filter):
    """Folds the accents a language's searchers often leave out (see the module docstring)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        table = _fold_table(self.language)
        for token in tokens:
            token.text = token.text.translate(table)
            yield token


class ArabicNormalizeFilter(Filter):
    """Drops Arabic diacritics and tatweel (and a token made of nothing else); makes alef,
    yeh and teh marbuta variants one."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normalize_arabic(token.text)
            if token.text:
                yield token


class ArabicStemFilter(Filter):
    """The Light10 stemmer: common prefixes and suffixes off, at least two letters kept."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = stem_arabic(token.text)
            yield token


class ChineseTokenizer(Tokenizer):
    """Han characters as overlapping bigrams (folded to Simplified; single characters too
    when indexing), any other run of word characters as one token."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _filled(token, value, start_pos, start_char, start_char + len(value), keeporiginal)
            return
        position = start_pos
        for match in _CHINESE_RUN.finditer(value):
            start = match.start()
            if not match.group(1):
                yield _filled(token, match.group(), position, start_char + start, start_char + match.end(),
                              keeporiginal)
                position += 1
                continue
            han = to_simplified(match.group(1))
            for i in range(len(han)):
                if mode != "query" or len(han) == 1:
                    yield _filled(token, han[i], position + i, start_char + start + i, start_char + start + i + 1,
                                  keeporiginal)
                if i + 1 < len(han):
                    yield _filled(token, han[i : i + 2], position + i, start_char + start + i,
                                  start_char + start + i + 2, keeporiginal)
            position += len(han)


def _filled(token: Token, text: str, pos: int, start: int, end: int, keeporiginal: bool) -> Token:
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if keeporiginal:
        token.original = text
    if token.positions:
        token.pos = pos
    if token.chars:
        token.startchar, token.endchar = start, end
    return token


def normalize_arabic(word: str) -> str:
    """An Arabic word without diacritics or tatweel, its letter variants made one."""
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)


def stem_arabic(word: str) -> str:
    """Light10: و (and) off a word of 4+ letters, one definite article, then each common
    suffix in turn, each only when two letters remain."""
    if len(word) >= 4 and word.startswith("و"):
        word = word[1:]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def to_simplified(han: str) -> str:
    """Chinese characters with Traditional forms replaced by Simplified, one for one."""
    converted = _converter().convert(han)
    if len(converted) == len(han):
        return converted
    return "".join(c if len(c) == 1 else h for h, c in zip(han, map(_converter().convert, han)))


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    import Stemmer

    return Stemmer.Stemmer(_SNOWBALL[language]).stemWord


@cache
def _fold_table(language: str) -> dict[int, int] | dict[int, str]:
    if language == "ru":
        return str.maketrans("ёЁ", "еЕ")
    from whoosh.support.charset import accent_map

    keep = "ñÑ" if language == "es" else ""
    return {code: folded for code, folded in accent_map.items() if chr(code) not in keep}
