"""Copies and joint statements: fingerprints, copy groups, and how search, show, the
filters and incremental runs treat a text that several documents hold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from indexer.build import build_index
from indexer.fingerprint import EXACT_BYTES, MIN_WORDS, fingerprint
from indexer.store.copies import NO_GROUP, THRESHOLD, copy_groups
from search.web.app import create_app
from tests.helpers import accord

STATEMENT = (
    "The High Commissioner said today that the detention of migrants in overcrowded centres along the "
    "border must end. Families, including young children, have been held for months without access to "
    "lawyers, doctors or interpreters, and several detainees described beatings by guards. Torture and "
    "ill-treatment are prohibited in all circumstances, and every allegation must be investigated promptly."
)
OTHER = (
    "The Special Rapporteur on the right to food warned that drought and rising prices have pushed millions "
    "of people in the region into hunger. Humanitarian agencies have received less than a third of the funds "
    "they need this year, and school feeding programmes are closing in rural districts."
)


def front(issuer: str, body: str, title: str = "Migrants held at the border") -> str:
    return f"---\ntitle: {title}\nissuer: {issuer}\ndate: 2024-03-0{len(issuer) % 9 + 1}\n---\n\n{body}\n"


def signature(text: str) -> np.ndarray:
    return np.frombuffer(fingerprint([text])[EXACT_BYTES:], "<u2")


# --- fingerprints and groups ------------------------------------------------------------------


def test_the_same_words_have_the_same_fingerprint_whatever_the_spacing_case_and_punctuation() -> None:
    reflowed = STATEMENT.upper().replace(". ", ".\n\n").replace(",", " ,").replace("ill-treatment", "ill treatment")
    assert fingerprint([STATEMENT]) == fingerprint([reflowed])
    cut = STATEMENT.index(" ", 200)
    assert fingerprint([STATEMENT[:cut], STATEMENT[cut:]]) == fingerprint([STATEMENT])  # sections are one text


def test_a_near_copy_agrees_on_most_of_its_signature_and_another_text_on_almost_none() -> None:
    near = STATEMENT + " The Office will publish its findings next month."
    assert fingerprint([near])[:EXACT_BYTES] != fingerprint([STATEMENT])[:EXACT_BYTES]
    assert (signature(near) == signature(STATEMENT)).mean() >= THRESHOLD
    assert (signature(OTHER) == signature(STATEMENT)).mean() < 0.2


def test_a_short_text_has_no_fingerprint() -> None:
    assert fingerprint([" ".join(["word"] * (MIN_WORDS - 1))]) == b""
    assert fingerprint(["Photo: © 2023 Reuters"]) == b""


def prints(*texts: str) -> tuple[np.ndarray, np.ndarray]:
    raw = [fingerprint([text]) for text in texts]
    exact = np.array([int.from_bytes(p[:EXACT_BYTES], "little") if p else 0 for p in raw], dtype=np.uint64)
    signatures = np.array([np.frombuffer(p[EXACT_BYTES:], "<u2") if p else np.zeros(64, np.uint16) for p in raw])
    return exact, signatures


def partition(group: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.nonzero(group == g)[0].tolist()) for g in set(group.tolist()) - {NO_GROUP}}


def test_copies_are_grouped_and_the_groups_do_not_depend_on_the_order_of_the_documents() -> None:
    texts = [STATEMENT, OTHER, STATEMENT + " The Office will publish its findings next month.", "too short",
             STATEMENT.lower(), OTHER.replace("millions", "many millions")]
    exact, signatures = prints(*texts)
    present = np.ones(len(texts), dtype=bool)
    assert partition(copy_groups(exact, signatures, present)) == {frozenset({0, 2, 4}), frozenset({1, 5})}
    order = np.array([5, 3, 0, 4, 1, 2])
    shuffled = copy_groups(exact[order], signatures[order], present)
    assert {frozenset(order[list(members)].tolist()) for members in partition(shuffled)} == {
        frozenset({0, 2, 4}), frozenset({1, 5})}


def test_signatures_compared_a_few_pairs_at_a_time_give_the_same_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.store import copies

    texts = [STATEMENT, OTHER, STATEMENT + " The Office will publish its findings next month.", STATEMENT.lower(),
             OTHER.replace("millions", "many millions"), OTHER + " It said so again on Tuesday.", STATEMENT]
    exact, signatures = prints(*texts)
    present = np.ones(len(texts), dtype=bool)
    whole = copy_groups(exact, signatures, present)
    monkeypatch.setattr(copies, "COMPARED", 2)
    assert np.array_equal(copy_groups(exact, signatures, present), whole)
    assert partition(whole) == {frozenset({0, 2, 3, 6}), frozenset({1, 4, 5})}


def test_a_document_no_longer_indexed_belongs_to_no_group() -> None:
    exact, signatures = prints(STATEMENT, STATEMENT, STATEMENT, OTHER)
    group = copy_groups(exact, signatures, np.array([True, False, True, True]))
    assert partition(group) == {frozenset({0, 2})}
    assert group[1] == NO_GROUP
    assert partition(copy_groups(exact, signatures, np.array([True, False, False, True]))) == set()


# --- search, show and filters -----------------------------------------------------------------


@pytest.fixture
def copies_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ohchr-migrants.md").write_text(front("OHCHR", STATEMENT), encoding="utf-8")
    (corpus / "saved-again.md").write_text(front("OHCHR", STATEMENT.replace(". ", ".\n\n")), encoding="utf-8")
    (corpus / "unhcr-migrants.md").write_text(
        front("UNHCR", STATEMENT + " The Office will publish its findings next month."), encoding="utf-8")
    (corpus / "food.md").write_text(front("WFP", OTHER, "Hunger in the region"), encoding="utf-8")
    return corpus


def search_json(index_dir: Path, *args: str) -> dict:
    return json.loads(accord("search", *args, "--json", "--index", index_dir).stdout)


def test_search_shows_each_text_once_with_its_copies_and_counts_both(copies_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    build_index(copies_corpus, index_dir)
    found = search_json(index_dir, "detention migrants", "--facet", "issuer")
    assert (found["total_documents"], found["total_texts"]) == (3, 1)
    [hit] = found["results"]
    others = {copy["doc_id"]: copy for copy in hit["copies"]}
    assert set(others) | {hit["doc_id"]} == {"ohchr-migrants.md", "saved-again.md", "unhcr-migrants.md"}
    for copy in hit["copies"]:
        assert copy["issuer"] == ["UNHCR" if copy["doc_id"].startswith("unhcr") else "OHCHR"] and copy["date"]
    assert {c["value"]: c["count"] for c in found["facets"]["issuer"]} == {"OHCHR": 3, "UNHCR": 3}  # documents
    every = search_json(index_dir, "detention migrants", "--all-copies")
    assert (every["total_documents"], every["total_texts"], len(every["results"])) == (3, 3, 3)
    assert all(result["copies"] == [] for result in every["results"])
    shown = accord("search", "detention migrants", "--index", index_dir).stdout
    assert "3 documents, 1 text" in shown and "also published as:" in shown


def test_a_text_issued_by_several_organisations_is_a_joint_statement(copies_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    build_index(copies_corpus, index_dir)
    joint = search_json(index_dir, "*", "--joint", "--all-copies", "--facet", "type")
    assert {r["doc_id"] for r in joint["results"]} == {"ohchr-migrants.md", "saved-again.md", "unhcr-migrants.md"}
    for result in joint["results"]:
        assert sorted(result["signatories"]) == ["OHCHR", "UNHCR"] == sorted(result["issuer"])
        assert result["type"] == "joint statement"
    assert {c["value"] for c in joint["facets"]["type"]} == {"joint statement"}
    assert [r["doc_id"] for r in search_json(index_dir, "*", "--by", "UNHCR", "--not-type", "joint statement")
            ["results"]] == []
    alone = search_json(index_dir, "hunger")["results"][0]
    assert "signatories" not in alone and alone["copies"] == []
    shown = json.loads(accord("show", "unhcr-migrants.md", "--json", "--index", index_dir).stdout)
    assert {copy["doc_id"] for copy in shown["copies"]} == {"ohchr-migrants.md", "saved-again.md"}
    assert shown["issuer"][0] == "UNHCR" and sorted(shown["signatories"]) == ["OHCHR", "UNHCR"]
    text = accord("show", "unhcr-migrants.md", "--index", index_dir).stdout
    assert "copies" in text and "saved-again.md (OHCHR" in text


def groups(index_dir: Path) -> set[frozenset[str]]:
    found = search_json(index_dir, "*", "--limit", "1000")
    return {frozenset([r["doc_id"], *(c["doc_id"] for c in r["copies"])]) for r in found["results"] if r["copies"]}


def test_copies_join_and_leave_their_group_as_files_come_change_and_go(copies_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    moved = tmp_path / "aside.md"
    shutil.move(copies_corpus / "saved-again.md", moved)
    build_index(copies_corpus, index_dir)
    assert groups(index_dir) == {frozenset({"ohchr-migrants.md", "unhcr-migrants.md"})}
    shutil.move(moved, copies_corpus / "saved-again.md")  # a copy added later joins its group
    build_index(copies_corpus, index_dir)
    assert groups(index_dir) == {frozenset({"ohchr-migrants.md", "saved-again.md", "unhcr-migrants.md"})}
    (copies_corpus / "unhcr-migrants.md").write_text(front("UNHCR", OTHER[::-1]), encoding="utf-8")  # changed: leaves it
    build_index(copies_corpus, index_dir)
    assert groups(index_dir) == {frozenset({"ohchr-migrants.md", "saved-again.md"})}
    assert search_json(index_dir, "*", "--joint")["results"] == []
    (copies_corpus / "saved-again.md").unlink()  # deleted: the group is gone
    build_index(copies_corpus, index_dir)
    assert groups(index_dir) == set()
    build_index(copies_corpus, tmp_path / "fresh", rebuild=True)
    assert search_json(index_dir, "*") == search_json(tmp_path / "fresh", "*")


def test_the_page_shows_a_text_once_and_links_its_copies(copies_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    build_index(copies_corpus, index_dir)
    client = TestClient(create_app(index_dir), base_url="http://127.0.0.1")
    page = BeautifulSoup(client.get("/", params={"q": "detention migrants"}).text, "html.parser")
    assert len(page.select("li.hit")) == 1
    assert " ".join(page.select_one("p.count").get_text().split()).startswith("3 documents, 1 text")
    linked = {a["href"].split("?")[0] for a in page.select("p.copies a")}
    assert len(linked) == 2 and linked < {"/doc/ohchr-migrants.md", "/doc/saved-again.md", "/doc/unhcr-migrants.md"}
    every = BeautifulSoup(client.get("/", params={"q": "detention migrants", "all_copies": "1"}).text, "html.parser")
    assert len(every.select("li.hit")) == 3 and not every.select("p.copies")
    document = BeautifulSoup(client.get("/doc/food.md").text, "html.parser")
    assert "Also published as" not in document.get_text()
    document = BeautifulSoup(client.get("/doc/saved-again.md").text, "html.parser")
    assert "Also published as" in document.get_text() and document.select_one('a[href^="/doc/unhcr-migrants.md"]')
    joint = BeautifulSoup(client.get("/", params={"q": "*", "joint": "1"}).text, "html.parser")
    assert [chip.get_text() for chip in joint.select("ul.chips li span")] == ["Joint statements only"]
    assert len(joint.select("li.hit")) == 1


def test_stats_count_texts_copy_groups_and_joint_statements(copies_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    build_index(copies_corpus, index_dir)
    stats = json.loads(accord("stats", "--json", "--index", index_dir).stdout)
    assert (stats["documents"], stats["texts"], stats["copy_groups"], stats["joint_statements"]) == (4, 2, 1, 3)
