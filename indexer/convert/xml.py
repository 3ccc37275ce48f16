"""XML documents: each element holding text is a paragraph, title-like elements headings."""

from __future__ import annotations

from indexer.convert.converted import Converted
from indexer.convert.repair import clean_text
from indexer.language import language_code
from indexer.sources import DecodeError

_XML_HEADINGS = frozenset(("title", "head", "heading", "subtitle"))
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def convert_xml(xml: str) -> Converted:
    """An XML document's text: each element that holds text directly is a paragraph, a
    `title`/`head`/`heading` element a heading, except the first, which is the document's
    title when it comes before any text; the root's `xml:lang` is its declared language."""
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as err:
        raise DecodeError(f"not well-formed XML ({err})") from None
    blocks: list[str] = []
    titles: list[str] = []

    def walk(element: ElementTree.Element) -> None:
        direct = (element.text or "") + "".join(child.tail or "" for child in element)
        if direct.strip():
            text = " ".join("".join(element.itertext()).split())
            if element.tag.rpartition("}")[2] not in _XML_HEADINGS:
                blocks.append(text)
            elif blocks or titles:
                blocks.append(f"## {text}")
            else:
                titles.append(text)
            return
        for child in element:
            walk(child)

    walk(root)
    clean, furniture = clean_text("\n\n".join(blocks))
    return Converted(clean, titles[0] if titles else None, language_code(root.get(_XML_LANG) or root.get("lang")),
                     furniture)
