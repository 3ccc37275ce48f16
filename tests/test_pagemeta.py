"""Saved web pages: found by content, and described by their own meta tags and JSON-LD."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from indexer.build import build_index
from indexer.convert.pagemeta import page_metadata
from indexer.metadata.dates import DateSource
from search.engine import show
from tests.helpers import FileFactory

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Kenya: police must stop | Human Rights Watch</title>
<meta property="og:title" content="Kenya: Police Must Stop Killing Protesters">
<meta property="og:site_name" content="Human Rights Watch">
<meta property="og:url" content="https://www.hrw.org/news/2024/01/16/kenya">
<meta name="citation_author" content="Otsieno Namwaya">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "name": "Human Rights Watch"},
  {"@type": "NewsArticle", "headline": "Kenya: Police Must Stop Killing Protesters",
   "datePublished": "2024-01-16T05:00:00-05:00", "author": [{"@type": "Person", "name": "Otsieno Namwaya"}],
   "publisher": {"@type": "Organization", "name": "Human Rights Watch"}}]}</script>
</head><body><nav>Home | News</nav>
<article><h1>Kenya: Police Must Stop Killing Protesters</h1>
<p>(Nairobi, January 16, 2024) – Kenyan police killed at least 30 protesters, Human Rights Watch said today.</p>
</article></body></html>
"""


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_meta_tags_and_json_ld() -> None:
    fields = page_metadata(soup(PAGE))
    assert fields == {
        "title": "Kenya: Police Must Stop Killing Protesters",
        "date": "2024-01-16T05:00:00-05:00",
        "publisher": "Human Rights Watch",
        "url": "https://www.hrw.org/news/2024/01/16/kenya",
        "authors": ["Otsieno Namwaya"],
    }


def test_sources_in_order_and_junk_titles_skipped() -> None:
    html = """<html><head><meta property="og:title" content="2013">
    <meta name="DC.date" content="2013-05-02"><meta name="citation_publisher" content="OSCE/ODIHR">
    </head><body><time datetime="2001-01-01">old</time></body></html>"""
    assert page_metadata(soup(html)) == {"date": "2013-05-02", "publisher": "OSCE/ODIHR"}
    assert page_metadata(soup("<html><body><time datetime='2020-03-04'>4 March</time></body></html>")) == {
        "date": "2020-03-04"}
    assert page_metadata(soup("<html><script type='application/ld+json'>{broken</script></html>")) == {}


def test_a_text_file_holding_a_web_page_is_read_as_one(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("kenya.txt", PAGE)
    build_index(tmp_path / "docs", tmp_path / "index")
    doc = show(tmp_path / "index", "kenya.txt").document
    meta = doc.metadata
    assert meta.title == "Kenya: Police Must Stop Killing Protesters"
    assert (meta.date, meta.date_source) == ("2024-01-16", DateSource.METADATA)
    assert meta.organisations[0] == "Human Rights Watch"
    assert "Otsieno Namwaya" in meta.people
    text = " ".join(s.text for s in doc.sections)
    assert "<" not in text and "Home | News" not in text and "killed at least 30 protesters" in text
