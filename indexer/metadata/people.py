"""Find the people a document names: officials and speakers, as full names.

A person is a run of two to four capitalised words that the text marks as a person:
a role or honorific just before it ("UN Human Rights Chief Navi Pillay", "the Director
of the OSCE ODIHR Janez Lenarčič", "The Hon Malcolm Turnbull MP"), a role just after
it ("Michelle Bachelet, UN High Commissioner for Human Rights"), or a speech verb
("Kenneth Roth said"). A later mention by surname alone ("said Pillay") counts for
the full name found earlier; it is never a person on its own. Nothing the organisation or
place gazetteers know, and no name holding a party's, an office's or an organisation's
word, is a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ROLE_WORDS = frozenset(
    """
    chief director president vice-president minister commissioner high-commissioner
    secretary secretary-general under-secretary-general deputy ambassador rapporteur
    representative spokesperson spokesman spokeswoman chair chairman chairwoman
    chairperson judge justice senator mp mep mr mrs ms miss dr prof professor sir dame hon
    honourable honorable king queen prince princess pope sheikh emir general colonel
    head envoy adviser advisor coordinator governor mayor chancellor premier leader
    founder researcher officer counsel lawyer activist journalist editor chief-executive
    executive member members delegate officials official expert experts lord lady baroness
    lieutenant captain major sergeant corporal commander admiral brigadier marshal
    """.split()
)
_HONORIFIC_TAIL = frozenset({"MP", "MEP", "QC", "KC", "AO", "AC", "OBE", "MBE", "CBE", "Jr", "Sr"})
_CONNECTORS = frozenset({"of", "the", "for", "on", "to"})
_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "der", "den", "bin", "ibn", "al", "el", "la", "le", "du", "dos", "das", "ben"})
_SPEECH_AFTER = re.compile(
    r"^\s*(?:,[^,]{0,80},\s*)?(?:said|says|stated|told|added|stressed|noted|urged|warned|explained|declared|announced|tweeted|wrote)\b"
)
_ROLE_AFTER = re.compile(r"^\s*[,(]\s*([^.;:()\n]{0,80})")
_NOT_NAMES = frozenset(
    """
    the this that these those a an and but for in on at as it he she we they his her our
    their its if when while after before during since today yesterday according also
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday state states council office
    committee commission court union nations republic assembly government ministry
    department agency mission forum group coalition alliance dialogue conference summit
    report declaration statement press release human rights international united national
    special high level covid-19 covid st saint lake mount river street road square
    """.split()
)
_WORD = re.compile(r"[^\W\d_][\w’'.-]*")
_NOT_A_PERSON = re.compile(
    r"\b(?:party|parties|greens|labor|labour|liberals?|nationals|democrats|coalition|government|ministry|"
    r"department|office|council|committee|commission|parliament|senate|house|assembly|union|association|"
    r"foundation|institute|agency|authority|service|services|centre|center|materiel|defence|defense|"
    r"immigration|affairs|excellency|excellencies|majesty|highness|president|minister|secretary|"
    r"spokesperson|electorate|network|campaign|group|international|watch|asylum|seekers?|refugees?|"
    r"migrants?|detention|boats?|people|citizens|children|women|workers|rights|islands?|camps?)\b", re.IGNORECASE)
"""A word that makes a name an organisation's, an office's or a form of address, not a person's."""
_LEADING_TITLES = re.compile(
    r"^(?:(?:the|his|her|hon|honourable|honorable|rt|right|mr|mrs|ms|miss|dr|prof|professor|sir|dame|senator|"
    r"minister|h\.?e\.?|excellency)\.?\s+)+", re.IGNORECASE)
_TRAILING_TITLES = re.compile(r"(?:[\s,]+(?:MP|MEP|QC|KC|AO|AC|OBE|MBE|CBE|MLA|MLC|PhD|Jr|Sr)\.?)+$")


def person_name(written: str) -> tuple[str, str] | None:
    """A person's name as written in metadata, without the honorifics and roles around it,
    and those roles ("The Hon Malcolm Turnbull MP" -> ("Malcolm Turnbull", "The Hon … MP"));
    None when it is not a person's name (a party, an office, an organisation, a place, a
    form of address)."""
    name = " ".join(written.split())
    lead = _LEADING_TITLES.match(name)
    core = name[lead.end():] if lead else name
    tail = _TRAILING_TITLES.search(core)
    core = core[: tail.start()] if tail else core
    if not core or not is_person(core):
        return None
    role = " … ".join(part.strip(" ,") for part in ((lead.group(0) if lead else ""), (tail.group(0) if tail else ""))
                      if part.strip(" ,"))
    return core, role


def is_person(name: str) -> bool:
    """Whether a name can be a person's: two words or more, none of them an organisation's
    or an office's, and not a name the organisation or place gazetteers know."""
    from indexer.metadata.orgs import load_orgs
    from indexer.metadata.places import load_places

    words = name.split()
    if len(words) < 2 or _NOT_A_PERSON.search(name) or any(w.isupper() and len(w) > 2 for w in words):
        return False
    return load_orgs().canonical(name) is None and load_places().canonical(name) is None


def find_people(text: str, excluded_words: Iterable[str] = ()) -> list[str]:
    """Full names of the people mentioned in `text`, once each, in order of mention.

    `excluded_words` are words that cannot be part of a name (e.g. the words of the
    organisation and place names found in the same text).
    """
    blocked = {w.casefold() for w in excluded_words}
    words = [_word(m) for m in _WORD.finditer(text)]
    found: dict[str, None] = {}
    for run in _capitalised_runs(text, words):
        name_tokens = _name_suffix(run, blocked)
        if not name_tokens:
            continue
        prefix = run[: len(run) - len(name_tokens)]
        end = name_tokens[-1][2]
        start = name_tokens[0][1]
        if _is_marked_as_person(text, prefix, start, end):
            names = [token for token, _, _ in name_tokens]
            names = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]]
            if is_person(" ".join(names)):
                found.setdefault(" ".join(names), None)
    return list(found)


def _word(match: re.Match[str]) -> tuple[str, int, int]:
    """A word without a trailing possessive or full stop, with its span."""
    token = match.group(0)
    if token.endswith(("’s", "'s")):
        token = token[:-2]
    elif token.endswith((".", "’", "'")):
        token = token[:-1]
    token = token or match.group(0)
    return token, match.start(), match.start() + len(token)


def _capitalised_runs(text: str, words: list[tuple[str, int, int]]) -> Iterable[list[tuple[str, int, int]]]:
    """Runs of capitalised words, joined by single spaces and by connectors like "of the"."""
    run: list[tuple[str, int, int]] = []
    pending: list[tuple[str, int, int]] = []
    previous_end = -1
    for word in words:
        token, start, _ = word
        gap = text[previous_end:start] if previous_end >= 0 else ""
        joined = previous_end >= 0 and gap.strip() == "" and "\n" not in gap
        if not joined:
            if run:
                yield run
            run, pending = [], []
        if token[0].isupper():
            run.extend(pending)
            pending = []
            run.append(word)
        elif run and (token in _CONNECTORS or token in _PARTICLES):
            pending.append(word)
        else:
            if run:
                yield run
            run, pending = [], []
        previous_end = word[2]
    if run:
        yield run


def _name_suffix(run: list[tuple[str, int, int]], blocked: set[str]) -> list[tuple[str, int, int]]:
    """The trailing 2-4 tokens of a run that can form a personal name."""
    tokens = list(run)
    while tokens and tokens[-1][0] in _HONORIFIC_TAIL:
        tokens.pop()
    name: list[tuple[str, int, int]] = []
    for token in reversed(tokens):
        if not _can_be_name_word(token[0], blocked):
            break
        name.insert(0, token)
    while name and name[0][0].casefold() in _PARTICLES:
        name.pop(0)
    if not 2 <= len(name) <= 4 or name[-1][0].casefold() in _PARTICLES or len(name[-1][0]) < 2:
        return []
    if any(_is_common_word(token) for token, _, _ in name[1:]):
        return []
    return name


def _is_common_word(token: str) -> bool:
    """True for words frequent in English text ("Affairs", "Street"): not surnames. A token
    of joined words ("Hanson-Young", "O'Brien") is common only when each of them is."""
    from indexer.models import english_zipf

    parts = [part for part in re.split(r"[-‐‑'’]", token.casefold()) if part]
    return bool(parts) and all(part.isalpha() and english_zipf(part) >= 4.3 for part in parts)


def _can_be_name_word(token: str, blocked: set[str]) -> bool:
    folded = token.casefold()
    if folded in _PARTICLES:
        return True
    return (
        token[0].isupper()
        and not (token.isupper() and len(token) > 1)
        and folded not in ROLE_WORDS
        and folded not in _NOT_NAMES
        and folded not in blocked
    )


def _is_marked_as_person(text: str, prefix: list[tuple[str, int, int]], start: int, end: int) -> bool:
    if any(token.casefold() in ROLE_WORDS for token, _, _ in prefix):
        return True
    before = text[max(0, start - 40) : start].casefold().split()
    if before and (before[-1] in ROLE_WORDS or before[-1] in ("said", "says")):
        return True
    after = text[end : end + 120]
    if _SPEECH_AFTER.match(after):
        return True
    role = _ROLE_AFTER.match(after)
    return role is not None and any(w.casefold() in ROLE_WORDS for w in role.group(1).split()[:6])
