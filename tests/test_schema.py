"""Section records: ids, date bounds, facet values, and the round trip through records."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indexer.documents import Document, parse
from indexer.fields import BODY, DOC_ID, SECTION_ID, join_values, section_id, split_section_id, split_values
from indexer.schema import date_bounds, document_from_records, records
from indexer.sources import Format, RawFile
from tests.helpers import CORPUS, JOINT_DECLARATION


@given(st.text(min_size=1).filter(lambda s: "\x00" not in s), st.integers(min_value=0, max_value=10**6))
def test_section_id_splits_back(doc_id: str, position: int) -> None:
    assert split_section_id(section_id(doc_id, position)) == (doc_id, position)


def test_date_bounds_follow_precision() -> None:
    assert date_bounds("2021-02-24", 2021) == (20210224, 20210224)
    assert date_bounds("2021-10", 2021) == (20211001, 20211031)
    assert date_bounds(None, 2022) == (20220101, 20221231)
    assert date_bounds(None, None) is None


def test_facet_values_round_trip_without_commas() -> None:
    joined = join_values(["Council of Europe", "Bolivia, Plurinational State of", " "])
    assert split_values(joined) == ["Council of Europe", "Bolivia Plurinational State of"]
    assert split_values(None) == []


def test_records_round_trip() -> None:
    path = CORPUS / JOINT_DECLARATION
    (doc,) = parse(RawFile(path, path.name, Format.TEXT, path.read_bytes(), 123_000_000_000))
    assert isinstance(doc, Document)
    stored = list(records(doc))
    assert [r[SECTION_ID] for r in stored] == [f"{path.name}#{i}" for i in range(len(doc.sections))]
    assert all(r[DOC_ID] == path.name for r in stored)
    assert "".join(r[BODY] for r in stored) == "".join(s.text for s in doc.sections)
    assert document_from_records(list(reversed(stored))) == doc
