"""A document's metadata: title, date, organisations, people, places, type, language."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from indexer.convert.converted import Converted
from indexer.metadata.dates import FoundDate, find_date
from indexer.metadata.model import Metadata
from indexer.metadata.orgs import load_orgs
from indexer.metadata.people import find_people
from indexer.metadata.places import load_places
from indexer.sections import Section

TITLE_MAX_CHARS = 120

_TYPE_CUES = [
    ("joint declaration", r"joint declaration"),
    ("joint statement", r"joint statement"),
    ("press release", r"(?:press|media|news) release|communiqué de presse|press statement"),
    ("statement", r"statement"),
    ("speech", r"speech|remarks|address by|keynote"),
    ("interview", r"interview|transcript|doorstop"),
    ("report", r"report"),
    ("resolution", r"resolution"),
    ("letter", r"(?:open )?letter"),
    ("declaration", r"declaration"),
]
_BODY_CUES = {"joint declaration", "joint statement"}
_SPEECH_OPENING = re.compile(
    r"^(?:Mr\.?|Madam|Madame|Mister)\s+(?:President|Chair|Secretary-General)|^Excellenc|^Ladies and gentlemen",
    re.IGNORECASE,
)
_NEWS_VERBS = re.compile(
    r"\b(?:held|met|signed|agreed|announced|adopted|launched|welcomed|called|urged|said|released|published)\b"
)
_DATELINE = re.compile(r"^\(?[A-Z][\w .'’-]{1,40}[(,]\s*[^()\n]{3,30}\d{4}\)?\s*[–—-]\s")
_SYMBOL = re.compile(
    r"\b(?:A|S|E|ST|HRC|CCPR|CERD|CRC|CEDAW|CAT|CMW|CRPD|CED|HRI|TD|UNEP|DP)"
    r"(?:/(?=[A-Za-z0-9.()]*\d)[A-Za-z0-9.()-]+|/[A-Z]{1,4}(?:\.\d+)?)+"
)
"""A UN document symbol such as A/RES/217(III), A/HRC/55/L.1 or E/CN.4/2005/L.10."""
_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)


def extract_metadata(doc_id: str, converted: Converted, sections: list[Section]) -> Metadata:
    """Extract a document's metadata from its converted text and sections."""
    text = converted.markdown
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n(?=\S)", text) if p.strip()]
    file_name = "" if "#" in doc_id else doc_id.rsplit("/", 1)[-1]  # records have no name of their own
    found: FoundDate = find_date(paragraphs, converted.furniture, file_name=file_name)
    orgs = load_orgs()
    org_mentions = list(orgs.mentions(text))
    masked = _mask(text, [(m.start, m.end) for m in org_mentions])
    place_mentions = list(load_places().mentions(masked))
    name_words = {
        word
        for mention in (*org_mentions, *place_mentions)
        for word in text[mention.start : mention.end].split()
    }
    return Metadata(
        title=_title(doc_id, converted, sections, paragraphs),
        date=found.date,
        date_source=found.source,
        year=found.year,
        organisations=tuple(dict.fromkeys(m.name for m in org_mentions)),
        people=tuple(find_people(text, name_words)),
        places=tuple(dict.fromkeys(m.name for m in place_mentions)),
        doc_type=_doc_type(converted, sections, paragraphs),
        language=converted.language,
        translation=_symbol(converted.title, paragraphs),
    )


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _title(doc_id: str, converted: Converted, sections: list[Section], paragraphs: list[str]) -> str:
    """A web page's own title (without the site name after " | " or " - "), the first
    heading when the text opens with one, the first sentence, or else the file name."""
    if converted.title:
        return _clip(strip_site_name(converted.title))
    if sections and sections[0].heading and paragraphs and sections[0].heading in paragraphs[0]:
        return _clip(sections[0].heading)
    for paragraph in paragraphs:
        sentence = _SENTENCE.match(paragraph)
        candidate = (sentence.group(1) if sentence else paragraph).strip("#*_ ")
        if len(candidate.split()) >= 3:
            return _clip(candidate)
    stem = PurePosixPath(doc_id).stem
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or doc_id


def _symbol(title: str | None, paragraphs: list[str]) -> str | None:
    """The document's own UN symbol: in its title, or a line of its own in its first lines
    (a symbol cited in the text is not the document's)."""
    in_title = [m.group() for m in _SYMBOL.finditer(title or "")]
    lines = [line.strip(" *_#") for paragraph in paragraphs[:5] for line in paragraph.splitlines()][:10]
    own_lines = [line for line in lines if _SYMBOL.fullmatch(line)]
    return next((symbol for symbol in (*in_title, *own_lines) if any(c.isdigit() for c in symbol)), None)


def strip_site_name(title: str) -> str:
    """ "Kenya: Police Must Stop | Human Rights Watch" -> "Kenya: Police Must Stop"."""
    return re.sub(r"\s+[|–—-]\s+[^|–—-]{1,40}$", "", title)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= TITLE_MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, TITLE_MAX_CHARS)
    return text[: cut if cut > 40 else TITLE_MAX_CHARS].rstrip(" ,;:") + "…"


def _doc_type(converted: Converted, sections: list[Section], paragraphs: list[str]) -> str | None:
    """The type named in the title or header lines, a joint text named in the opening
    paragraph, a speech's salutation, or else "press release" for news-style reports
    (a dateline such as "GENEVA (3 May 2023) –", or a reporting verb up front)."""
    header = [converted.title or "", sections[0].heading or "" if sections else ""]
    header += [p for p in paragraphs[:4] if len(p) <= 100]
    first_body = next((p for p in paragraphs if len(p) > 100), "")
    for kind, cue in _TYPE_CUES:
        pattern = re.compile(rf"\b(?:{cue})\b", re.IGNORECASE)
        if any(pattern.search(line) for line in header):
            return kind
    for kind, cue in _TYPE_CUES:
        if kind in _BODY_CUES and re.search(rf"\b(?:{cue})\b", first_body, re.IGNORECASE):
            return kind
    if any(_SPEECH_OPENING.search(p) for p in paragraphs[:3]):
        return "speech"
    if any(_DATELINE.match(p) for p in paragraphs[:3]) or _NEWS_VERBS.search(first_body[:400]):
        return "press release"
    return None
