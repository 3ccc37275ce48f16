"""A document's metadata: title, date, issuer, organisations, people, places, type, language."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import lru_cache
from pathlib import PurePosixPath

from indexer.convert.converted import Converted
from indexer.metadata.dates import CAPTION, DateSource, FoundDate, find_date
from indexer.metadata.gazetteer import Mention
from indexer.metadata.model import IssuerSource, Metadata, TitleSource
from indexer.metadata.orgs import load_orgs
from indexer.metadata.people import find_people
from indexer.metadata.places import load_places
from indexer.metadata.prior import NO_PRIOR, FolderPrior, Sampled
from indexer.metadata.symbols import find_symbols, normal_symbol
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
_SENTENCE = re.compile(r"^(.+?(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bNo)(?<!\b[A-Z])[.!?])(?:\s|$)",
                       re.DOTALL)
"""A first sentence, not cut at "Mr." or an initial."""
_SAYS_AFTER = re.compile(
    r"(?:’s?)?,?\s+(?:researchers?\s+|(?:has|have|had)\s+(?:long\s+|repeatedly\s+|previously\s+|also\s+)?)?"
    r"(?:said|says|stated|states|urged|urges|warned|warns|welcomed|welcomes|condemned|condemns|announced|"
    r"announces|called (?:on|for)|calls (?:on|for)|found|documented|interviewed|investigated|analy[sz]ed|"
    r"reviewed|wrote|obtained|visited|spoke (?:with|to)|verified|geolocated|"
    r"(?:published|released|issued) (?:a|an|its) (?:report|statement|letter|briefing|analysis)|was unable|"
    r"could not (?:independently )?(?:verify|confirm)|(?<=’s )(?:reporting|research|analysis|investigations?|findings)|"
    r"researchers? (?:found|said|documented|interviewed)|colleagues? (?:said|found))\b")
"""What follows an organisation the text quotes or reports the work of: "Human Rights Watch
said", "… has documented", "… researchers found"."""
_SAYS_BEFORE = re.compile(r"(?:\b(?:said|says|according to|told|on behalf of|contact(?:ed)?|interviewed by)\s+"
                          r"(?:the\s+)?|/\s*|©\s*(?:\d{4}\s+)?)$")
"""What comes before such an organisation: "told Human Rights Watch", a photo credit's
"© 2023 Jane Doe/Human Rights Watch"."""
_LANGUAGE_MENU = re.compile(r"^(?:(?:English|Español|Français|Русский|العربية|中文|Deutsch|Português|Italiano|"
                            r"日本語|한국어|Türkçe|Українська|فارسی|Bahasa|Kiswahili)\W*){3,}$|"
                            r"^(?:Lire la version|Lea la versi[oó]n|Hier die deutsche|Read (?:this )?in|Leia a vers)",
                            re.IGNORECASE)
"""A line of links to the page in other languages."""
_NOT_A_TITLE = re.compile(
    r"^(?:update|summary|introduction|background|overview|contents|table of contents|key findings|"
    r"recommendations|methodology|conclusions?|share this|related content|donate)\b|"
    r"^(?:dear\b|to:|to\s|for the attention|the rt\.? hon|your excellenc|re:|attn|become a|"
    r"(?:submitted|prepared|written|posted) by)|"
    r"^\(\s*[A-Z][^)]{1,40}\)\s*[–—-]", re.IGNORECASE)
"""A first line or heading that is a section's name, a letter's salutation, a donation
appeal or a dateline, not the document's title."""
_DATELINE_OPENING = re.compile(r"^\(\s*[A-Z][^)]{1,40}\)\s*[–—-]\s*")
_DATE_ONLY = re.compile(
    r"^[\w ,.]{0,12}\b(?:19|20)\d\d\W*$|^(?:[A-Z][\w.'’-]*,?\s+){0,3}(?:\d{1,2}\s+)?(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+(?:\d{1,2},?\s+)?(?:19|20)\d\d\W*$")
"""A line that is a date and little else ("January 25, 2024", "February 2024", "Bogota,
August 27, 2024")."""
_FORM_OF_ADDRESS = re.compile(r"^(?:the\s+)?(?:(?:rt|right)\.?\s+)?(?:hon(?:ourable|orable)?\.?\s+)?"
                              r"(?:(?:his|her|your)\s+excellency\s+|h\.\s?e\.\s+)?", re.IGNORECASE)
"""The form of address before an addressee's name: "The Rt. Hon.", "H.E."."""
_CALLED_A_LETTER = re.compile(r"^(?:(?:joint|open)\s+)?letter\b", re.IGNORECASE)
_VENUE = re.compile(r"\b(?:session|debate|meeting of|conference of|summit|at the|before the|to the|in the)\b",
                    re.IGNORECASE)
"""A line that names where something was said ("… at the 69th session of the United Nations
General Assembly"), not who issued it."""
SIGNATURE_CHARS = 100
"""The longest line a letterhead or signature line is."""
TITLE_LINE_WORDS = 16
"""A first line longer than this is a sentence of the text, not its title."""
_CODE = re.compile(r"[A-Za-z]{2,5}\d{1,4}")
"""A code of letters and digits in a file name: "cop29", "uae84", "g20"."""
_CUT_NAME_CHARS = 60
"""A file name this long may have been cut to a length by the site that made it."""
_NAME_ID = re.compile(r"^(?:\d+[-_]+)+|[-_]+\d{5,}$")
"""A file name's numbering in front, or an id at its end: "0316-", "-211338282"."""


def extract_metadata(doc_id: str, converted: Converted, sections: list[Section],
                     modified: dt.date | None = None, prior: FolderPrior = NO_PRIOR) -> Metadata:
    """Extract a document's metadata from its converted text and sections; `modified`
    (the file's modification day) bounds its date, and `prior` (what its folder's
    documents usually are) guides the issuer and an inferred year."""
    text = converted.markdown
    paragraphs = _paragraphs(text)
    found: FoundDate = find_date(paragraphs, converted.furniture, file_name=_file_name(doc_id), modified=modified,
                                 usual_year=prior.year)
    orgs = load_orgs()
    org_mentions = list(orgs.mentions(text))
    doc_type = _doc_type(converted, sections, paragraphs)
    issuers = _text_issuers(text, org_mentions, doc_type, prior.issuer, _credited(converted.furniture))
    title, title_source = _title(doc_id, converted, sections, paragraphs)
    own_symbol = _symbol(converted.title, paragraphs)
    own = normal_symbol(own_symbol) if own_symbol else None
    masked = _mask(text, [(m.start, m.end) for m in org_mentions])
    place_mentions = list(load_places().mentions(masked))
    name_words = {
        word
        for mention in (*org_mentions, *place_mentions)
        for word in text[mention.start : mention.end].split()
    }
    return Metadata(
        title=title,
        date=found.date,
        date_source=found.source,
        year=found.year,
        organisations=tuple(dict.fromkeys(m.name for m in org_mentions)),
        people=tuple(find_people(text, name_words)),
        places=tuple(dict.fromkeys(m.name for m in place_mentions)),
        doc_type=doc_type,
        language=converted.language,
        translation=own_symbol,
        issuers=issuers,
        issuer_source=IssuerSource.TEXT if issuers else IssuerSource.NONE,
        title_source=title_source,
        symbols=tuple(symbol for symbol in find_symbols(text) if symbol != own),
    )


def _text_issuers(text: str, mentions: list[Mention], doc_type: str | None, usual: str | None = None,
                  credited: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Who the text says issued it: a joint declaration's or statement's signatories (the
    organisations its sentence naming it lists after "between" or "by"); the folder's
    `usual` issuer when the text, or a photo caption taken out of it, names it (`credited`
    are the organisations those captions credit); the organisation a letterhead or
    signature line ends with ("Asia Advocacy Director, Human Rights Watch"); or else the
    one whose words or work the text and its captions most often report; none when they
    report none's."""
    if doc_type in _BODY_CUES:
        for joint in re.finditer(r"joint (?:declaration|statement)[^.]*?\b(?:between|by|of)\b([^.]*)", text, re.I):
            signatories = [m.name for m in mentions if joint.start(1) <= m.start and m.end <= joint.end(1)]
            if len(signatories) >= 2:
                return tuple(dict.fromkeys(signatories))
    if usual and (usual in credited or any(m.name == usual for m in mentions)):
        return (usual,)
    signed = _signature([block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()])
    if signed:
        return (signed,)
    reported = _reported_issuer(text, mentions, credited)
    return (reported,) if reported else ()


def _reported_issuer(text: str, mentions: list[Mention], credited: tuple[str, ...] = ()) -> str | None:
    """The organisation whose words or work the text most often reports ("Human Rights
    Watch said", "told the OSCE", a photo credited to it, in the text or among the
    `credited`), the first named on a tie."""
    quoted = Counter(m.name for m in mentions
                     if _SAYS_AFTER.match(text, m.end) or _SAYS_BEFORE.search(text, max(0, m.start - 20), m.start))
    quoted.update(credited)
    if not quoted:
        return None
    order = {name: i for i, name in reversed(list(enumerate([*(m.name for m in mentions), *credited])))}
    return max(quoted, key=lambda name: (quoted[name], -order[name]))


def _credited(captions: tuple[str, ...]) -> tuple[str, ...]:
    """The organisations photo captions credit ("© 2024 Jane Doe/Human Rights Watch")."""
    return tuple(m.name for caption in captions for m in load_orgs().mentions(caption)
                 if _SAYS_BEFORE.search(caption, max(0, m.start - 20), m.start))


def sampled(doc_id: str, converted: Converted) -> Sampled:
    """What a text sampled to learn its folder's prior says of itself: whose words it
    reports most, and the year of its explicit date."""
    text = converted.markdown
    found = find_date(_paragraphs(text), file_name=_file_name(doc_id))
    return Sampled(doc_id, _reported_issuer(text, list(load_orgs().mentions(text)), _credited(converted.furniture)),
                   found.year if found.source is DateSource.EXPLICIT else None)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n(?=\S)", text) if p.strip()]


def _file_name(doc_id: str) -> str:
    return "" if "#" in doc_id else doc_id.rsplit("/", 1)[-1]  # records have no name of their own


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _signature(blocks: list[str]) -> str | None:
    """The organisation that a short line at the top or the bottom ends with: a letterhead
    or a signature ("Chief Advocacy Officer\nHuman Rights Watch"), in a block of at most
    three lines (`blocks` are the text's blank-line separated blocks)."""
    orgs = load_orgs()
    for paragraph in (*blocks[:2], *blocks[-4:][::-1]):
        if len(paragraph) > 2 * SIGNATURE_CHARS or paragraph.count("\n") > 2:
            continue  # a paragraph of wrapped lines, not a letterhead or signature block
        for line in paragraph.splitlines()[-2:]:
            line = line.strip(" *_#")
            if len(line) > SIGNATURE_CHARS or line.endswith(".") or _VENUE.search(line):
                continue
            found = [m for m in orgs.mentions(line) if len(line) - m.end <= 1]
            if found:
                return found[-1].name
    return None


def _title(doc_id: str, converted: Converted, sections: list[Section], paragraphs: list[str]
           ) -> tuple[str, TitleSource]:
    """A web page's own title (without the site name after " | " or " - "), the first
    heading when the text opens with one, "Letter to <addressee>" for a letter (unless its
    file name says what letter it is), its first line when that reads as a title; else (the
    text opens with a photo caption, a language menu or a long sentence) the file name when
    it reads as words, or the first sentence, cut at a word boundary."""
    if converted.title:
        return _clip(strip_site_name(converted.title)), TitleSource.PAGE
    opening = [p for p in paragraphs if not CAPTION.search(p) and not _LANGUAGE_MENU.match(p)]
    heading = sections[0].heading if sections else None
    if heading and opening and heading in opening[0] and _reads_as_title(heading):
        return _clip(heading), TitleSource.HEADING
    named = title_from_file_name(doc_id)
    letter = _letter_title(opening)
    if letter and not (named and _CALLED_A_LETTER.match(named)):
        return _clip(letter), TitleSource.TEXT
    first = opening[0].strip("#*_ ") if opening else ""
    if first and "\n" not in first and _reads_as_title(first) and not letter:
        return _clip(first), TitleSource.TEXT
    if named:
        return named, TitleSource.FILE_NAME
    for paragraph in opening:
        paragraph = _DATELINE_OPENING.sub("", paragraph)
        sentence = _SENTENCE.match(paragraph)
        candidate = (sentence.group(1) if sentence else paragraph).strip("#*_ ")
        if len(candidate.split()) >= 3:
            return _clip(candidate), TitleSource.TEXT
    stem = PurePosixPath(doc_id).stem
    return (re.sub(r"[-_]+", " ", stem).strip().capitalize() or doc_id), TitleSource.FILE_NAME


def _letter_title(opening: list[str]) -> str | None:
    """"Letter to <addressee>" for a letter that opens with the address of the one it is
    written to ("The Rt. Hon. Lord David Cameron" ... "Dear Foreign Secretary,"), else None."""
    head = [p.strip() for p in opening[:10]]
    salutation = next((i for i, p in enumerate(head) if p.startswith("Dear ")), None)
    if salutation is None or any(len(p) > SIGNATURE_CHARS or p.endswith(".") for p in head[:salutation]):
        return None
    lines = [p for p in head[:salutation] if not _DATE_ONLY.match(p) and p.rstrip(":").casefold() != "to"]
    addressee = _FORM_OF_ADDRESS.sub("", lines[0].removeprefix("To:").strip()) if lines else ""
    if not addressee[:1].isupper() or addressee.endswith((",", ":", ";")) or addressee.casefold().startswith("re:"):
        return None
    return "Letter to " + addressee


def _reads_as_title(line: str) -> bool:
    """Whether a first line or heading can be the document's title: a few words, not a
    sentence or the rest of one (it opens in lower case), a section's name, a date, a
    salutation or a dateline."""
    words = line.split()
    return (1 < len(words) <= TITLE_LINE_WORDS and not line.endswith((".", ",", ";", ":")) and not line[:1].islower()
            and not _NOT_A_TITLE.search(line) and not _DATE_ONLY.match(line) and not _LANGUAGE_MENU.match(line))


def title_from_file_name(doc_id: str) -> str | None:
    """A title read from a file name made of words ("0316-us-should-end-solitary-
    confinement-immigrants.txt" -> "US should end solitary confinement immigrants"), its
    numbering and ids left out, acronyms and names cased as the gazetteers write them and
    a code of letters and digits in capitals ("cop29" -> "COP29"); a name that is a
    place's alone ("kosovo.txt", a country chapter) is that place; None when the name is
    not mostly words (at least three, two in three of them known English words or names).
    A word cut off at the end of a long name is left out."""
    if "#" in doc_id:
        return None
    stem = _NAME_ID.sub("", PurePosixPath(doc_id).stem)
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    place = load_places().canonical(" ".join(words)) if 0 < len(words) <= 4 else None
    if place and all(w.isalpha() for w in words):
        return place
    if (len(words) < 3 or any(not (w.isalpha() or w.isdigit() or _CODE.fullmatch(w)) for w in words)
            or not any(w.isalpha() for w in words)):
        return None
    from indexer.models import english_zipf

    if len(stem) >= _CUT_NAME_CHARS and _cut_word(words[-1]):
        words = words[:-1]
    names = [_cased_name(w.lower()) or (w.upper() if _CODE.fullmatch(w) else None) for w in words]
    spelled = [(w, name) for w, name in zip(words, names) if not w.isdigit()]
    unknown = sum(1 for w, name in spelled if name is None and english_zipf(w) < 2.5)
    if len(spelled) < 3 or unknown > max(1, len(spelled) // 3):
        return None
    cased = _places_cased(words, [name or w.lower() for w, name in zip(words, names)])
    cased[0] = cased[0][:1].upper() + cased[0][1:]
    return " ".join(cased)


def _cut_word(word: str) -> bool:
    """Whether the last word of a long file name is the start of one cut off ("…-sovereignty-o",
    "…-violations-ecuad"): a lone letter other than "a" and "i", or no word or name known."""
    from indexer.models import english_zipf

    if not word.isalpha():
        return False
    return (len(word) == 1 and word.lower() not in "ai") or (_cased_name(word.lower()) is None
                                                             and english_zipf(word) < 2.5)


def _places_cased(words: list[str], cased: list[str]) -> list[str]:
    """`cased` with runs of `words` that spell a place of several words written as the
    gazetteer writes it ("united arab emirates" -> "United Arab Emirates")."""
    places = load_places()
    for length in (4, 3, 2):
        for start in range(len(words) - length + 1):
            place = places.canonical(" ".join(words[start:start + length]))
            if place and len(place.split()) == length:
                cased[start:start + length] = place.split()
    return cased


def _cased_name(word: str) -> str | None:
    """A lower-case word as the gazetteers write it ("us" -> "US"), a possessive that lost
    its apostrophe too ("russias" -> "Russia’s"); None when they do not know it."""
    casing = _name_casing()
    if word in casing:
        return casing[word]
    return f"{casing[word[:-1]]}’s" if word.endswith("s") and word[:-1] in casing else None


@lru_cache(maxsize=1)
def _name_casing() -> dict[str, str]:
    """Single-word names and acronyms of the organisation and place gazetteers (dotted ones
    without their dots), by their lower case: "us" -> "US", "kyrgyzstan" -> "Kyrgyzstan"."""
    casing: dict[str, str] = {}
    for gazetteer in (load_places(), load_orgs()):
        for entry in gazetteer.entries:
            for written in entry.all_names():
                name = written.replace(".", "") if re.fullmatch(r"(?:[A-Z]\.){2,}", written) else written  # U.S. -> US
                if " " not in name and name[:1].isupper() and name.isalpha():
                    if name.isupper():  # an acronym wins over a capitalised word: "US", not "Us"
                        casing[name.lower()] = name
                    else:
                        casing.setdefault(name.lower(), name)
    return casing


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
