"""Who said it, and when: the issuer and where it came from, collection files, titles read
from file names, and dates that are never taken from captions or plans."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.documents import load
from indexer.metadata.dates import DateSource
from indexer.metadata.extract import title_from_file_name
from indexer.metadata.model import IssuerSource, Metadata, TitleSource
from indexer.sources import SourceFile, walk
from search.engine import search, show
from search.request import SearchRequest, make_filters
from tests.helpers import FileFactory, accord

HRW_ITEM = """Click to expand Image Guards escort a detainee at the Adelanto Detention Facility, California, on \
November 15, 2013. © 2013 John Moore/Getty Images

Earlier this month, people being detained at California Immigration and Customs Enforcement (ICE) facilities \
began a labor and hunger strike to protest their conditions, including against the use of solitary confinement.

Human Rights Watch has condemned solitary confinement practices in the US. The state plans to close the \
facility by 2026, and the federal review will report in 2027.

"Solitary confinement is torture," said a researcher at Human Rights Watch. Human Rights Watch said on \
March 3, 2024 that the practice should stop.
"""


def metadata_of(folder: Path, name: str) -> Metadata:
    found = next(s for s in walk(folder) if isinstance(s, SourceFile) and s.doc_id == name)
    documents = load(found)
    assert isinstance(documents, list), documents
    return documents[0].metadata


def test_the_text_names_its_issuer_and_the_year_is_not_a_plan_or_a_credit(make_file: FileFactory,
                                                                       tmp_path: Path) -> None:
    make_file("0316-us-should-end-solitary-confinement-immigrants.txt", HRW_ITEM)
    meta = metadata_of(tmp_path / "docs", "0316-us-should-end-solitary-confinement-immigrants.txt")
    assert (meta.issuers, meta.issuer_source) == (("Human Rights Watch",), IssuerSource.TEXT)
    assert (meta.title, meta.title_source) == ("US should end solitary confinement immigrants", TitleSource.FILE_NAME)
    assert (meta.year, meta.date_source) == (2024, DateSource.INFERRED)  # not 2026 or 2027 (plans), not 2013 (a credit)


def test_the_surest_source_of_the_issuer_wins(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("accord.toml", 'issuer = "UN Human Rights Office"\ntype = "statement"\ncountry = "Kenya"\n'
                             'collection = "Kenya statements"\n')
    make_file("plain.txt", "A note\n\nThe WHO said vaccines work.")
    make_file("front.md", "---\nsource: Minister for Immigration\n---\n# A release\n\nThe WHO said so.")
    make_file("page.html", '<html><head><meta property="og:site_name" content="Amnesty International">'
                           "<title>Page</title></head><body><p>The WHO said so, again and again.</p></body></html>")
    make_file("side.txt", "Side note\n\nText.")
    make_file("side.txt.meta.json", json.dumps({"publisher": "OSCE"}))
    folder = tmp_path / "docs"
    assert (metadata_of(folder, "plain.txt").issuers, metadata_of(folder, "plain.txt").issuer_source) == (
        ("OHCHR",), IssuerSource.COLLECTION)
    front = metadata_of(folder, "front.md")
    assert (front.issuers, front.issuer_source) == (("Minister for Immigration",), IssuerSource.METADATA)
    page = metadata_of(folder, "page.html")
    assert (page.issuers, page.issuer_source) == (("Amnesty International",), IssuerSource.PAGE)
    assert metadata_of(folder, "side.txt").issuers == ("OSCE",)
    plain = metadata_of(folder, "plain.txt")
    assert plain.doc_type == "statement" and "Kenya" in plain.places
    assert ("collection", "Kenya statements") in plain.extra


def test_issuer_is_a_facet_a_filter_and_a_field(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("a.txt", "First note\n\n12 June 2014\n\nThe OSCE said elections must be free. The WHO met.")
    make_file("b.txt", "Second note\n\n3 May 2015\n\nThe WHO said vaccines work. The OSCE met.")
    build_index(tmp_path / "docs", tmp_path / "index")
    index = tmp_path / "index"
    result = search(index, SearchRequest("*", facets=("issuer", "organisation")))
    assert {c.value: c.count for c in result.facets["issuer"].counts} == {"OSCE": 1, "WHO": 1}
    assert {c.value: c.count for c in result.facets["organisation"].counts} == {"OSCE": 2, "WHO": 2}
    by_alias = search(index, SearchRequest("*", filters=make_filters({"issuer": ["World Health Organization"]})))
    assert [h.doc_id for h in by_alias.results] == ["b.txt"]
    assert [h.doc_id for h in search(index, SearchRequest("by:osce")).results] == ["a.txt"]
    data = json.loads(accord("search", "*", "--by", "who", "--json", "--index", index).stdout)
    assert [(h["doc_id"], h["issuer"], h["issuer_source"]) for h in data["results"]] == [("b.txt", ["WHO"], "text")]
    assert list(data["results"][0])[2:4] == ["issuer", "issuer_source"]  # shown first
    assert "by OSCE" in accord("search", "elections", "--index", index).stdout
    assert "issuer  OSCE (text)" in accord("show", "a.txt", "--index", index).stdout


def test_a_joint_declaration_is_issued_by_its_signatories(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("joint.txt", "Joint declaration on observers\n\n14 March 2023\n\nThe joint declaration signed "
                           "between the OSCE Office for Democratic Institutions and Human Rights (ODIHR) and the "
                           "Office of the United Nations High Commissioner for Human Rights (OHCHR) sets out work.")
    meta = metadata_of(tmp_path / "docs", "joint.txt")
    assert meta.doc_type == "joint declaration" and {"ODIHR", "OHCHR"} <= set(meta.issuers)


def test_no_issuer_rather_than_a_guess(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("mentions.txt", "A note on meetings\n\n3 May 2015\n\nDelegates discussed the work of the WHO and "
                              "the OSCE in the region.")
    meta = metadata_of(tmp_path / "docs", "mentions.txt")
    assert (meta.issuers, meta.issuer_source) == ((), IssuerSource.NONE)
    assert set(meta.organisations) == {"WHO", "OSCE"}


def test_a_collection_file_covers_its_subtree_and_its_change_updates_exactly_those(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "hrw").mkdir(parents=True)
    (corpus / "other").mkdir()
    (corpus / "hrw" / "accord.toml").write_text('issuer = "Human Rights Watch"\n')
    for folder in ("hrw", "other"):
        (corpus / folder / "note.txt").write_text(f"A {folder} note\n\n3 May 2015\n\nSome text.")
    index = tmp_path / "index"
    build_index(corpus, index)
    assert show(index, "hrw/note.txt").document.metadata.issuers == ("Human Rights Watch",)
    assert show(index, "other/note.txt").document.metadata.issuers == ()
    (corpus / "hrw" / "accord.toml").write_text('issuer = "Amnesty International"\n')
    report = build_index(corpus, index)
    assert (report.updated, report.unchanged) == (1, 1)
    assert show(index, "hrw/note.txt").document.metadata.issuers == ("Amnesty International",)
    assert build_index(corpus, index).unchanged == 2  # a no-op run reads nothing again


def test_a_malformed_collection_file_is_one_warning_and_nothing_is_lost(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"n{n}.txt").write_text(f"Note {n}\n\n3 May 2015\n\nThe OSCE said so.")
    build_index(corpus, tmp_path / "index")
    (corpus / "accord.toml").write_text('issuer = "unclosed\n')
    done = accord("index", corpus, "--index", tmp_path / "index")
    warnings = [line for line in done.stderr.splitlines() if "accord.toml" in line]
    assert len(warnings) == 1 and "cannot be read" in warnings[0] and "indexed without it" in warnings[0]
    assert search(tmp_path / "index", SearchRequest("*")).total_documents == 3
    assert show(tmp_path / "index", "n0.txt").document.metadata.issuers == ("OSCE",)


@pytest.mark.parametrize(("name", "title"), [
    ("0316-us-should-end-solitary-confinement-immigrants.txt", "US should end solitary confinement immigrants"),
    ("0001-kyrgyzstan-immediately-cease-harassment-independent-media.txt",
     "Kyrgyzstan immediately cease harassment independent media"),
    ("0020-iran-2-detainees-executed-11-await-imminent-execution.txt", "Iran 2 detainees executed 11 await imminent execution"),
    ("0301-afghanistans-healthcare-crisis.txt", "Afghanistan’s healthcare crisis"),
    ("0281-focus-rights-pre-cop29-climate-talks.txt", "Focus rights pre COP29 climate talks"),
    ("0073-united-arab-emirates-free-all-those-trial-uae84-case.txt",
     "United Arab Emirates free all those trial UAE84 case"),
    ("0023-kosovo.txt", "Kosovo"), ("sri-lanka.txt", "Sri Lanka"),
    ("0043-ea-tracking-id-ep2022s1pgbanner2-promo-id-1007.txt", None),
    ("2010-05-07-ludlam-211338282.txt", None), ("scan_0043.txt", None), ("xq-zzv-plok.txt", None),
    ("data.csv#12", None),
    ("0025-ongoing-negotiations-between-uk-and-mauritian-governments-exercise-sovereignty-o.txt",
     "Ongoing negotiations between UK and mauritian governments exercise sovereignty"),
    ("0204-letter-president-noboa-internal-armed-conflict-and-human-rights-violations-ecuad.txt",
     "Letter president noboa internal armed conflict and human rights violations"),
])
def test_titles_from_file_names(name: str, title: str | None) -> None:
    assert title_from_file_name(name) == title


@pytest.mark.parametrize("opening", ["Update", "Lire la version en français / Lea la versión en español",
                                     "January 25, 2024", "Dear Prime Minister,", "To:", "Summary",
                                     "an intrusive mass surveillance system"])
def test_a_line_that_is_no_title_gives_way_to_the_file_name(make_file: FileFactory, tmp_path: Path,
                                                           opening: str) -> None:
    make_file("0012-thailand-dont-return-rock-band-members-russia.txt",
              f"{opening}\n\nThe Thai authorities should not deport members of a rock band to Russia, where they "
              "face persecution for their public criticism of the government.")
    meta = metadata_of(tmp_path / "docs", "0012-thailand-dont-return-rock-band-members-russia.txt")
    assert (meta.title, meta.title_source) == ("Thailand dont return rock band members Russia", TitleSource.FILE_NAME)


def test_a_letter_is_titled_by_its_addressee_unless_its_file_name_says_letter(make_file: FileFactory,
                                                                             tmp_path: Path) -> None:
    letter = ("{address}\n\nSecretary of State for Foreign Affairs\n\nLondon SW1A 2AH\n\nJanuary 24, 2024\n\n"
              "Dear Foreign Secretary,\n\nWe write regarding the continuing negotiations on the Chagos Islands.")
    make_file("0025-ongoing-negotiations-between-uk-and-mauritius.txt",
              letter.format(address="The Rt. Hon. Lord David Cameron"))
    make_file("0388-letter-prime-minister-oli-regarding-human-rights-agenda.txt",
              letter.format(address="Prime Minister K. P. Sharma Oli"))
    make_file("0053-council-should-renew-mandate.txt", "Mr. President,\n\nDear colleagues, the council should act.")
    docs = tmp_path / "docs"
    meta = metadata_of(docs, "0025-ongoing-negotiations-between-uk-and-mauritius.txt")
    assert (meta.title, meta.title_source) == ("Letter to Lord David Cameron", TitleSource.TEXT)
    assert metadata_of(docs, "0388-letter-prime-minister-oli-regarding-human-rights-agenda.txt").title == (
        "Letter prime minister oli regarding human rights agenda")
    assert not metadata_of(docs, "0053-council-should-renew-mandate.txt").title.startswith("Letter")


def test_a_title_line_stays_the_title(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("0001-something-else-entirely.txt", "Kyrgyzstan: Immediately Cease Harassment of Media\n\nText here.")
    meta = metadata_of(tmp_path / "docs", "0001-something-else-entirely.txt")
    assert meta.title == "Kyrgyzstan: Immediately Cease Harassment of Media"
    assert meta.title_source in (TitleSource.TEXT, TitleSource.HEADING)


def test_no_date_is_later_than_the_file(make_file: FileFactory, tmp_path: Path) -> None:
    path = make_file("old.txt", "Old note\n\nIn 2019 the council met; it met again in 2021.")
    stamp = dt.datetime(2020, 6, 1, tzinfo=dt.timezone.utc).timestamp()
    os.utime(path, (stamp, stamp))
    assert metadata_of(tmp_path / "docs", "old.txt").year == 2019
    ancient = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc).timestamp()  # an archive's placeholder time
    os.utime(path, (ancient, ancient))
    assert metadata_of(tmp_path / "docs", "old.txt").year == 2021


def test_inferred_dates_are_marked_and_precision_is_given(seed_index: Path) -> None:
    data = json.loads(accord("search", "strategic dialogue", "--json", "--index", seed_index).stdout)
    hit = next(h for h in data["results"] if h["doc_id"] == "eu-ohchr-strategic-dialogue.txt")
    assert (hit["date"], hit["year"], hit["date_source"], hit["date_precision"]) == (None, 2022, "inferred", "year")
    assert "≈2022" in accord("search", "strategic dialogue", "--index", seed_index).stdout
    assert "≈2022 (inferred)" in accord("show", "eu-ohchr-strategic-dialogue.txt", "--index", seed_index).stdout


@pytest.mark.parametrize(("text", "year"), [
    ("From 2018 to 2023, the average period of solitary confinement was 27 days.", 2023),
    ("The council met in 2021. The plan runs until at least March 2030 and elections in 2028.", 2021),
    ("The 2026 World Cup must respect rights; abuses were documented in 2022.", 2022),
    ("The logo for the 2026 US, Canada and Mexico Cup. The Dignity 2026 Coalition wrote in March 2024.", 2024),
    ("Vision 2030 was launched. The 2021 law still stands.", 2021),
])
def test_inferred_years_read_past_events_not_plans(make_file: FileFactory, tmp_path: Path, text: str,
                                                   year: int) -> None:
    make_file("note.txt", f"A note on the matter\n\n{text}")
    assert metadata_of(tmp_path / "docs", "note.txt").year == year


def test_a_year_in_the_file_name_that_the_text_calls_an_event_is_not_the_date(make_file: FileFactory,
                                                                              tmp_path: Path) -> None:
    make_file("fifa-rights-framework-2026-world-cup.txt", "FIFA should publish its framework\n\n"
              "The framework for the 2026 World Cup was shared in March 2024.")
    make_file("AFG_69_2014.txt", "Statement by Afghanistan\n\nWe met in 2013 and will meet again.")
    assert metadata_of(tmp_path / "docs", "fifa-rights-framework-2026-world-cup.txt").year == 2024
    assert metadata_of(tmp_path / "docs", "AFG_69_2014.txt").year == 2014


def test_a_first_sentence_title_is_not_cut_at_an_abbreviation(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("FIN_76_2021.txt", "At the outset, I would like to congratulate Mr. Abdulla Shahid on his election as "
                                 "President of the General Assembly. Finland supports the Secretary-General.")
    meta = metadata_of(tmp_path / "docs", "FIN_76_2021.txt")
    assert meta.title.startswith("At the outset, I would like to congratulate Mr. Abdulla Shahid")
