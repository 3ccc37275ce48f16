"""AccordCodec's array posting blocks hold exactly what Whoosh's W3 codec writes, read
through Whoosh's matchers and through accord's numpy reader, on an index of several
segments with deleted records and words spanning many blocks; spelling words, which
Whoosh gives a posting per section, have one posting of the same total weight, and a
term of one posting keeps it in its entry, with the statistics W3 gives it."""

from __future__ import annotations

import pickle
import random
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec

from indexer.fields import MTIME
from indexer.store import codec, writer
from indexer.store.codec import ArrayLeafMatcher
from indexer.store.folder import open_index
from indexer.store.postings import postings
from indexer.store.writer import spelling_fields
from tests.helpers import build_in_small_blocks

WORDS = ("rights health vaccines elections detention freedom monitoring report torture press "
         "réunion détention содержания центрах 人权 理事会 A/HRC/52/3 covid-19").split()


def build_three_runs(root: Path) -> Path:
    """The same notes, changes and deletions in three runs, whatever the codec."""
    rng = random.Random(5)
    corpus = root / "corpus"
    corpus.mkdir()
    for run in range(3):
        for number in range(120):
            words = " ".join(rng.choices(WORDS, k=rng.randint(1, 400)))
            (corpus / f"note-{run}-{number}.md").write_text(f"# Note {run} {number}\n\n{words}.\n")
        if run:
            for number in rng.sample(range(120), 25):
                (corpus / f"note-{run - 1}-{number}.md").unlink()
        build_in_small_blocks(corpus, root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    ours = build_three_runs(tmp_path_factory.mktemp("accord"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(codec, "AccordCodec", lambda: W3Codec(blocklimit=16))
        patch.setattr(writer, "spelling_fields", lambda schema: frozenset())  # a posting per word and section
        whooshs = build_three_runs(tmp_path_factory.mktemp("w3"))
    return ours, whooshs


def test_postings_equal_w3s_in_every_segment(indexes: tuple[Path, Path]) -> None:
    ours, whooshs = indexes
    with open_index(ours).reader() as mine, open_index(whooshs).reader() as theirs:
        pairs = list(zip(mine.leaf_readers(), theirs.leaf_readers()))
        assert len(pairs) > 1 and any(leaf.has_deletions() for (leaf, _), _ in pairs)
        assert all(type(leaf.segment().codec()) is W3Codec for (_, _), (leaf, _) in pairs)
        blocks, inlined = 0, [0, 0]  # terms of one posting kept in their entry, without and with a value
        for (leaf, _), (w3_leaf, _) in pairs:
            terms = [term for term in leaf.all_terms() if term[0] != MTIME]  # the files' times differ
            assert terms == [term for term in w3_leaf.all_terms() if term[0] != MTIME]
            for fieldname, text in terms:
                if fieldname in spelling_fields(leaf.schema):  # words, not records: one posting per word
                    sections = w3_leaf.doc_frequency(fieldname, text)
                    assert leaf.frequency(fieldname, text) == w3_leaf.frequency(fieldname, text) == sections > 0
                    assert leaf.doc_frequency(fieldname, text) == 1
                    continue
                info, w3_info = leaf.term_info(fieldname, text), w3_leaf.term_info(fieldname, text)
                assert _statistics(info) == _statistics(w3_info), (fieldname, text)
                assert leaf.frequency(fieldname, text) == w3_leaf.frequency(fieldname, text)
                assert leaf.doc_frequency(fieldname, text) == w3_leaf.doc_frequency(fieldname, text)
                inlined[bool(info.is_inlined() and info.inlined_postings()[2])] += info.is_inlined()
                matcher = leaf.postings(fieldname, text)
                w3_matcher = w3_leaf.postings(fieldname, text)
                blocks += isinstance(matcher, ArrayLeafMatcher) and not matcher._lastblock
                if isinstance(matcher, ArrayLeafMatcher):
                    assert _block_heads(matcher) == _block_heads(w3_matcher), (fieldname, text)
                    matcher.reset()
                    w3_matcher.reset()
                assert list(matcher.all_items()) == list(w3_matcher.all_items()), (fieldname, text)
                records, weights = postings(leaf, fieldname, text)
                live = [(i, w) for i, w in zip(w3_leaf.postings(fieldname, text).all_ids(),
                                               _weights(w3_leaf, fieldname, text)) if not w3_leaf.is_deleted(i)]
                assert records.tolist() == [i for i, _ in live]
                assert np.array_equal(weights, np.array([w for _, w in live], dtype=np.float64))
        assert blocks > 20  # words spanning several blocks were compared
        assert min(inlined) > 20


def test_terms_are_found_from_any_point_as_w3_finds_them(indexes: tuple[Path, Path]) -> None:
    from whoosh.reading import TermNotFound

    ours, whooshs = indexes
    with open_index(ours).reader() as mine, open_index(whooshs).reader() as theirs:
        for (leaf, _), (w3_leaf, _) in zip(mine.leaf_readers(), theirs.leaf_readers()):
            assert sorted(leaf.indexed_field_names()) == sorted(w3_leaf.indexed_field_names())
            for fieldname in ("content", "title", "file", "spell_content"):
                for prefix in ("", "n", "no", "note-1", "r", "ré", "сод", "人", "zz", "\uffff"):
                    assert (list(leaf.expand_prefix(fieldname, prefix))
                            == list(w3_leaf.expand_prefix(fieldname, prefix))), (fieldname, prefix)
                    assert ([term for term, _ in islice(leaf.iter_from(fieldname, prefix), 40)]
                            == [term for term, _ in islice(w3_leaf.iter_from(fieldname, prefix), 40)])
                for word in ("rights", "detention", "vaccine", "notr", "réunion", "a"):
                    assert (sorted(leaf.terms_within(fieldname, word, 2))
                            == sorted(w3_leaf.terms_within(fieldname, word, 2))), (fieldname, word)
            for term in (("content", b"right"), ("file", b"nowhere.md"), ("symbol", b"right"), ("content", b"")):
                assert (term in leaf) == (term in w3_leaf)
                assert leaf.frequency(*term) == w3_leaf.frequency(*term)
            assert all(term in leaf for term in islice(leaf.all_terms(), 0, None, 97))
            with pytest.raises(TermNotFound):
                leaf.term_info("content", "notaword")


def test_remembered_entries_are_the_entries_also_once_they_start_over(
        indexes: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.reading import TermNotFound

    from indexer.store import terms

    monkeypatch.setattr(terms, "_REMEMBERED_ENTRIES", 5)
    ours, whooshs = indexes
    with open_index(ours).reader() as mine, open_index(whooshs).reader() as theirs:
        for (leaf, _), (w3_leaf, _) in zip(mine.leaf_readers(), theirs.leaf_readers()):
            every = [term for term in leaf.all_terms() if term[0] in ("content", "title", "heading", "file")]
            assert len(every) > 100
            for _ in range(2):  # the second time from what is remembered, emptied every 5 terms
                for term in every:
                    assert leaf.doc_frequency(*term) == w3_leaf.doc_frequency(*term), term
                with pytest.raises(TermNotFound):
                    leaf.term_info("content", "notaword")
            assert len(leaf._terms._found) <= 5


def test_a_term_dictionary_is_smaller_than_w3s(indexes: tuple[Path, Path]) -> None:
    ours, whooshs = indexes
    size = {name: sum(p.stat().st_size for p in folder.glob("*.trm")) for name, folder in
            (("ours", ours), ("w3", whooshs))}
    assert size["ours"] * 2 < size["w3"]


def _statistics(info: object) -> tuple[object, ...]:
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),  # type: ignore[attr-defined]
            info.max_weight(), info.min_id(), info.max_id())  # type: ignore[attr-defined]


def _block_heads(matcher: object) -> list[tuple[object, ...]]:
    """What each block's head tells a matcher that skips by it, block after block (both
    codecs write blocks of 16 postings here)."""
    heads = []
    while True:
        heads.append((matcher._blocklength, matcher._maxid, matcher.block_max_weight(),  # type: ignore[attr-defined]
                      matcher.block_min_length(), matcher.block_max_length()))  # type: ignore[attr-defined]
        if matcher._lastblock:  # type: ignore[attr-defined]
            return heads
        matcher._goto(matcher._nextoffset)  # type: ignore[attr-defined]


def _weights(leaf: object, fieldname: str, text: bytes) -> list[float]:
    matcher = leaf.postings(fieldname, text)  # type: ignore[attr-defined]
    found = []
    while matcher.is_active():
        found.append(matcher.weight())
        matcher.next()
    return found


def test_phrases_and_positions_read_from_array_blocks(indexes: tuple[Path, Path]) -> None:
    from whoosh import query as wq

    from indexer.analysis import analyzer_for

    ours, whooshs = indexes
    analyzer = analyzer_for(None)
    matched = 0
    with open_index(ours).searcher() as mine, open_index(whooshs).searcher() as theirs:
        for words in ("press freedom", "torture report", "rights health vaccines", "note 1"):
            phrase = wq.Phrase("content", [token.text for token in analyzer(words)])
            found = list(mine.docs_for_query(phrase))
            assert found == list(theirs.docs_for_query(phrase)), words
            matched += len(found)
    assert matched > 50


def test_a_block_is_smaller_than_w3s(indexes: tuple[Path, Path]) -> None:
    ours, whooshs = indexes
    size = {name: sum(p.stat().st_size for p in folder.glob("*.pst")) for name, folder in
            (("ours", ours), ("w3", whooshs))}
    assert size["ours"] < size["w3"]


def test_stored_fields_read_straight_are_whooshs(indexes: tuple[Path, Path]) -> None:
    from indexer.store.stored import stored_fields

    ours, _ = indexes
    with open_index(ours).reader() as reader:
        assert len(list(reader.leaf_readers())) > 1
        for record in range(reader.doc_count_all()):  # deleted records too: they keep their numbers
            assert stored_fields(reader, record) == reader.stored_fields(record), record
        leaf, offset = list(reader.leaf_readers())[-1]
        assert stored_fields(leaf, 0) == reader.stored_fields(offset)


def test_stored_fields_equal_w3s_in_every_segment(indexes: tuple[Path, Path]) -> None:
    from indexer.fields import PATH

    ours, whooshs = indexes
    with open_index(ours).reader() as mine, open_index(whooshs).reader() as theirs:
        compared = 0
        for (leaf, _), (w3_leaf, _) in zip(mine.leaf_readers(), theirs.leaf_readers()):
            for record in range(leaf.doc_count_all()):  # deleted records too
                fields, w3_fields = leaf.stored_fields(record), w3_leaf.stored_fields(record)
                assert fields[PATH].endswith(w3_fields[PATH].rsplit("/corpus/", 1)[1])
                assert _unplaced(fields) == _unplaced(w3_fields), record
                compared += 1
        assert compared == theirs.doc_count_all() > 300


def _unplaced(fields: dict[str, object]) -> dict[str, object]:
    """Stored fields but where and when the file was (the two runs' folders differ)."""
    from indexer.fields import MTIME, PATH

    return {name: value for name, value in fields.items() if name not in (MTIME, PATH)}


def test_stored_column_keeps_records_without_fields_across_blocks() -> None:
    from io import BytesIO

    from whoosh.filedb.structfile import StructFile

    from indexer.store.stored import STORED_BLOCK, StoredColumn

    rng = random.Random(3)
    records = {docnum: {"body": " ".join(rng.choices(WORDS, k=rng.randint(1, 900))), "n": docnum}
               for docnum in range(0, 400) if docnum % 7}
    buffer = BytesIO()
    writer = StoredColumn().writer(StructFile(buffer))
    for docnum, fields in records.items():
        writer.add(docnum, fields)
    writer.finish(410)
    written = buffer.getvalue()
    reader = StoredColumn().reader(StructFile(BytesIO(b"head" + written)), 4, len(written), 410)
    assert len(written) * 4 < len(pickle.dumps(records))
    assert len(reader._block_starts) > len(pickle.dumps(records)) // STORED_BLOCK // 2  # many blocks
    assert [reader[docnum] for docnum in range(410)] == [records.get(docnum) for docnum in range(410)]
    assert list(reader) == [records.get(docnum) for docnum in range(410)]
    assert reader[55] == records[55] and reader[3] == records[3]  # out of order, back to an earlier block


@settings(max_examples=60, deadline=None)
@given(st.sets(st.binary(min_size=1, max_size=6), min_size=1, max_size=80), st.lists(st.binary(max_size=7), max_size=40))
def test_a_term_dictionary_finds_each_key_it_holds_and_no_other(keys: set[bytes], others: list[bytes]) -> None:
    from whoosh.filedb.filestore import RamStorage

    from indexer.store.terms import TermsReader, TermTable

    storage = RamStorage()
    table = TermTable(storage.create_file("terms"), {"content": 0})
    ordered = sorted(b"\x00\x00" + key for key in keys)
    for number, key in enumerate(ordered):
        table.add(key, b"entry %d" % number)
    table.close()
    reader = TermsReader(None, storage.open_file("terms"), storage.create_file("postings"))
    for probe in [*ordered, *(b"\x00\x00" + other for other in others), b"", b"\x00", b"\xff\xff"]:
        if probe in ordered:
            assert reader.entry(probe) == b"entry %d" % ordered.index(probe)
        else:
            with pytest.raises(KeyError):
                reader.entry(probe)
    assert [key for key, _ in reader.entries_from(b"")] == ordered
