"""Tidy converted text: mojibake and entities repaired (ftfy), page furniture lines ("Top of
page", share links, related-article lines spliced in from a sidebar) removed, bullets
normalised, and words that lost their separating space split again (wordfreq)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FURNITURE_LINE = re.compile(
    r"(?:top of (?:the )?page|back to top|leave a (?:reply|comment)|see also|related"
    r"(?: articles?| news| content| stories| links)?|share(?: this(?: page| article| story)?)?"
    r"(?: on (?:facebook|twitter|x|linkedin|whatsapp|email))?|print(?: this page)?|tweet|e-?mail"
    r"|facebook|twitter|linkedin|whatsapp|read more|skip to (?:main )?content|more information:.*"
    r"|follow us(?: on .*)?|subscribe(?: to (?:our|the) newsletter)?|print friendly.*)[.:]?",
    re.IGNORECASE,
)
_MEDIA_LINE = re.compile(r"(?:click to expand image|play video)\b", re.IGNORECASE)
"""A photo caption or video player line ("Click to expand Image Police officers ... © 2023 ...")."""
_SIDEBAR_LINE = re.compile(r"^[^|\n].{0,300}\s\|$")
_BULLET = re.compile(r"^[ \t]*[•·▪◦‣∙●○■□➢►▶][ \t]*(?:[-–—][ \t]+)?")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CANDIDATE_WORD = re.compile(r"\b([A-Za-z][a-z]{4,})(?=(-[A-Za-z]+)?\b)")
_FUNCTION_WORDS = frozenset(
    "and the was were that with for from has have had are this which not but its their our"
    " has been into".split()
)

def clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Repair and tidy text or Markdown: mojibake, furniture lines, bullets, run-together words.

    Returns the clean text and the furniture lines that were removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _repair_encoding(text)
    text = _INVISIBLE.sub("", text)
    lines = [_BULLET.sub("- ", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    kept, dropped = _drop_furniture_lines(lines)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return _CANDIDATE_WORD.sub(_repair_word, text), tuple(dropped)


def _repair_encoding(text: str) -> str:
    """Undo mojibake and HTML entities with ftfy where the text shows them; NFC always.
    ASCII text without entities is left as it is, without loading ftfy: mojibake needs
    characters outside ASCII, and NFC changes none of it."""
    entity = _ENTITY.search(text) is not None
    if not entity and text.isascii():
        return text
    from ftfy import fix_text
    from ftfy.badness import is_bad

    if entity or is_bad(text):
        return fix_text(text, uncurl_quotes=False, fix_latin_ligatures=True)
    return unicodedata.normalize("NFC", text)


def _drop_furniture_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    dropped: list[str] = []
    for line in lines:
        bare = line.strip("*_#>- ")
        if line == "|":
            while kept and not kept[-1]:
                kept.pop()
            if kept and not kept[-1].endswith((".", "!", "?", ":", ";")):
                dropped.append(kept.pop())
            continue
        if _FURNITURE_LINE.fullmatch(bare) or _SIDEBAR_LINE.match(line) or _MEDIA_LINE.match(bare):
            dropped.append(line)
            continue
        kept.append(line)
    return kept, dropped


def _repair_word(match: re.Match[str]) -> str:
    word, hyphen_tail = match.group(1), match.group(2)
    split = split_run_together(word, hyphen_tail)
    return word if split is None else f"{split[0]} {split[1]}"


@lru_cache(maxsize=65536)
def split_run_together(word: str, hyphen_tail: str | None = None) -> tuple[str, str] | None:
    """Split a word that lost its space ("rightsand" -> "rights", "and"), or None.

    Only words unknown to an English frequency list are split, and only into two
    frequent words: a function word and a word of four or more letters, or two words
    of five or more letters. `hyphen_tail` ("-chaired" in "wasco-chaired") lets a short
    second part count when it forms a known compound with it ("co-chaired").
    """
    lower = word.lower()
    if len(lower) < 5 or _zipf(lower) >= 2.0:
        return None
    capitalised = word[0].isupper()
    best: tuple[float, int] | None = None
    for cut in range(2, len(lower) - 1):
        head, tail = lower[:cut], lower[cut:]
        score = min(_zipf(head), _zipf(tail))
        if _plausible_split(head, tail, score, capitalised, hyphen_tail):
            if best is None or score > best[0]:
                best = (score, cut)
    if best is None:
        return None
    return word[: best[1]], word[best[1] :]


def _plausible_split(
    head: str, tail: str, score: float, capitalised: bool, hyphen_tail: str | None
) -> bool:
    if len(head) >= 5 and len(tail) >= 5 and score >= 4.0:
        return True
    if capitalised:
        return False
    if head in _FUNCTION_WORDS or tail in _FUNCTION_WORDS:
        other = tail if head in _FUNCTION_WORDS else head
        if len(other) >= 4 and _zipf(other) >= 3.0:
            return True
        if hyphen_tail and head in _FUNCTION_WORDS and _zipf(tail + hyphen_tail.lower()) >= 3.0:
            return True
    return False


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from indexer.models import english_zipf

    return english_zipf(word)
