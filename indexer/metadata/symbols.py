"""UN document symbols cited in a text, in one written form.

A symbol is a series root (A for the General Assembly, S for the Security Council, E for
ECOSOC, ST for the Secretariat, the treaty bodies' CCPR, CRC, CEDAW, CERD, CAT, CMW, CRPD,
CED, HRI, and the other series of the UN's documentation system) followed by parts joined
by "/", at least one holding a digit: A/HRC/52/3, A/RES/217(III), S/RES/2334 (2016),
CRC/C/GC/25, E/CN.4/2005/L.10/Add.11, CCPR/C/GC/37. Its normal form has no spaces, its
parts in capitals but for the Add./Corr./Rev./Amend. suffixes ("Add.11"), and no
punctuation trailing the sentence around it.
"""

from __future__ import annotations

import re

SERIES = (
    "A", "S", "E", "ST", "T", "TD", "DP", "UNEP", "CCPR", "CERD", "CRC", "CEDAW", "CAT", "CMW", "CRPD", "CED",
    "HRI", "ECE", "ESCAP", "ECA", "ECLAC", "ESCWA", "FCCC", "ICCD", "UNW", "JIU", "SPLOS", "ISBA", "UNDP",
    "UNFPA", "UNHCR", "UNICEF", "ACC", "DPI", "CTBT", "TRADE", "UNCTAD", "HABITAT", "IDB", "ITC", "WFP",
)
"""The roots of the UN's documentation series that symbols are recognised under."""
_PART = r"(?:[A-Za-z0-9][A-Za-z0-9.\-]*(?:\s?\((?:[IVXLC]+|\d{4}|[A-Z]?\d+)\))?)"
_SYMBOL = re.compile(rf"(?<![\w/])(?:{'|'.join(sorted(SERIES, key=len, reverse=True))})(?:/{_PART})+")
_SUFFIX = re.compile(r"^(add|corr|rev|amend|sup|supp)\.?(\d+)$", re.IGNORECASE)


def find_symbols(text: str) -> tuple[str, ...]:
    """The UN document symbols cited in `text`, in their normal form, once each, in order."""
    found: dict[str, None] = {}
    for match in _SYMBOL.finditer(text):
        symbol = normal_symbol(match.group())
        if symbol:
            found.setdefault(symbol, None)
    return tuple(found)


def normal_symbol(written: str) -> str | None:
    """A symbol in its normal form ("s/res/2334 (2016)." -> "S/RES/2334(2016)"), or None
    when it is not one (fewer than three parts, an empty one, none with a digit: "A/70"
    is a session, not a document)."""
    symbol = re.sub(r"\s+", "", written).rstrip(".,;:")
    while symbol.endswith(")") and symbol.count(")") > symbol.count("("):
        symbol = symbol[:-1].rstrip(".,;:")  # the sentence's parenthesis, not the symbol's: "(A/73/PV.6)."
    parts = symbol.split("/")
    if len(parts) < 3 or not all(parts) or not any(c.isdigit() for part in parts[1:] for c in part):
        return None
    normal = []
    for part in parts:
        suffix = _SUFFIX.match(part)
        normal.append(f"{suffix.group(1).capitalize()}.{suffix.group(2)}" if suffix else part.upper())
    return "/".join(normal)
