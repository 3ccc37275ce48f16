"""The OpenSearch backend: its generated mapping and queries (golden files), and the same
documents, counts, snippets and `show` output as the Whoosh index, checked against
osmem-server (an in-memory OpenSearch stand-in) and, when ACCORD_OPENSEARCH_URL names
one, a real cluster.

Set ACCORD_UPDATE_GOLDEN=1 to write the golden files again after a deliberate change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from indexer.schema import build_schema
from search import engine, render
from search.backend import URL_ENV, WhooshIndex
from search.opensearch.backend import OpenSearchBackend
from search.opensearch.export import ExportFailed, connect, export
from search.opensearch.mapping import index_body
from search.opensearch.translate import document_query
from search.query import parse_query
from search.rank.matching import without_exclusions
from search.request import Match, SearchRequest, Sort, make_filters
from search.web.app import create_app
from tests.helpers import ALLIANCE, EU_DIALOGUE, FIXTURES, JOINT_DECLARATION, ROOT

GOLDEN = FIXTURES / "opensearch"
QUERIES = ["human rights", '"human rights" OR torture', "vaccin* -climate", "by:OHCHR year:[2014 TO 2021]",
           "date:2021-02", "Bachlet~", "T-cell", "wom?n", "title:dialogue", "UNHCR"]
SEARCHES = [
    SearchRequest("human rights"),
    SearchRequest('"human rights"'),
    SearchRequest("dialogue -torture"),
    SearchRequest("freedom OR torture"),
    SearchRequest("vaccin*"),
    SearchRequest("Bachlet~"),
    SearchRequest("by:OHCHR"),
    SearchRequest("year:[2014 TO 2021]"),
    SearchRequest("*", sort=Sort.NEWEST),
    SearchRequest("rights", filters=make_filters({"organisation": ["OHCHR"]}, {})),
    SearchRequest("rights", filters=make_filters({"year": ["2021..2022"]}, {"organisation": ["EU"]})),
    SearchRequest("rights", filters=make_filters({}, {}, "2014-01-01", "2021-12-31")),
    SearchRequest("multilateralism cooperation", match=Match.ANY, all_sections=True),  # the best three may differ
    SearchRequest("multilateralism qwertyuiop", all_sections=True),
    SearchRequest("rights", facets=("issuer", "organisation", "year", "month", "person", "place", "type", "language")),
    SearchRequest("*", facets=("year", "month"), filters=make_filters({"year": ["(none)", "2014..2016"]}, {})),
    SearchRequest("*", facets=("year", "month"), filters=make_filters({"month": ["2021-02"]}, {"year": ["2014"]})),
]


def _golden(name: str, value: Any) -> None:
    path = GOLDEN / name
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("ACCORD_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} changed; ACCORD_UPDATE_GOLDEN=1 writes it again"


def test_the_mapping_is_made_from_accords_analysis() -> None:
    body = index_body(1.2, 0.6, {"schema_version": 12})
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert analyzers["accord_en"]["filter"][-2:] == ["accord_stop_en", "accord_stem_en"]
    assert "the" in body["settings"]["analysis"]["filter"]["accord_stop_en"]["stopwords"]
    assert body["mappings"]["properties"]["sections"]["type"] == "nested"
    _golden("mapping.json", body)


def test_queries_are_translated_from_the_parsed_tree() -> None:
    schema = build_schema()
    translated = {}
    for text in QUERIES:
        positive, excluded = without_exclusions(parse_query(text, Match.ALL, schema))
        translated[text] = document_query(positive, excluded)
    assert translated["vaccin* -climate"]["bool"]["must_not"], "an exclusion leaves out whole documents"
    _golden("queries.json", translated)


def _cluster_url(kind: str, stand_in: Iterator[str]) -> str:
    if kind == "live":
        url = os.environ.get(URL_ENV)
        if not url:
            pytest.skip(f"{URL_ENV} names no cluster: the live suite runs against one when it is set")
        return url
    return next(stand_in)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[Iterator[str]]:
    osmem = pytest.importorskip("osmem_server")
    try:
        server = osmem.OsmemServer.start(japanese=False)
    except osmem.OsmemError as err:
        pytest.skip(f"osmem-server cannot run here: {err}")

    def urls() -> Iterator[str]:
        while True:
            yield server.url

    yield urls()
    server.close()
    if server.process.stdout:
        server.process.stdout.close()  # osmem's close() leaves its pipe open


@pytest.fixture(scope="module", params=["stand-in", "live"])
def cluster(request: pytest.FixtureRequest, stand_in: Iterator[str], seed_index: Path) -> Iterator[tuple[str, str]]:
    """(URL, alias) of a cluster holding the seed index's export."""
    url = _cluster_url(request.param, stand_in)
    alias = f"accord-test-{os.getpid()}"
    client = connect(url)
    export(seed_index, client, alias)
    yield url, alias
    for name in client.indices.get(index=f"{alias}-*"):
        client.indices.delete(index=name)


def _comparable(payload: dict[str, Any]) -> dict[str, Any]:
    """A search's JSON with what may differ between engines left out: scores, and the order
    of documents and of their sections (by score)."""
    results = sorted(({**hit, "score": None, "sections": sorted(({**section, "score": None}
                                                                  for section in hit["sections"]),
                                                                 key=lambda s: s["section_id"])}
                      for hit in payload["results"]), key=lambda hit: hit["doc_id"])
    return {**payload, "results": results}


@pytest.mark.parametrize("request_", SEARCHES, ids=lambda r: f"{r.text}|{r.filters}|{r.match}|{r.sort}")
def test_search_gives_the_documents_counts_and_snippets_of_the_whoosh_index(
        cluster: tuple[str, str], seed_index: Path, request_: SearchRequest) -> None:
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    found = render.search_dict(backend.search(request_))
    expected = render.search_dict(engine.search(seed_index, request_))
    assert _comparable(found) == _comparable(expected)


@pytest.mark.parametrize(("typed", "expected"), [
    ("vacines", "vaccines"), ("humn rihgts", "human rights"), ("Bachelett", "Bachelet"),
    ("multilateralsm AND climte", "multilateralism AND climate"),
    ("vaccines", None), ("zzzzzzzz", None), ("the", None),
])
def test_spelling_suggestions_are_the_whoosh_indexs(cluster: tuple[str, str], seed_index: Path, typed: str,
                                                     expected: str | None) -> None:
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    assert engine.search(seed_index, SearchRequest(typed)).suggestion == expected
    assert backend.search(SearchRequest(typed)).suggestion == expected


@pytest.fixture(scope="module")
def languages_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("languages")
    build_index(FIXTURES / "languages", index_dir)
    return index_dir


@pytest.mark.parametrize("request_", [
    SearchRequest("torture enfants"), SearchRequest("torture"), SearchRequest("exploitation enfants", match=Match.ANY),
    SearchRequest("酷刑"), SearchRequest("tortura violencia"), SearchRequest("пыток"),
    SearchRequest("comité torture", match=Match.ANY, facets=("language",)),
], ids=lambda r: f"{r.text}|{r.match}")
def test_a_query_is_read_in_the_languages_that_know_its_words_as_on_one_machine(
        stand_in: Iterator[str], languages_index: Path, request_: SearchRequest) -> None:
    client = connect(next(stand_in))
    if not client.indices.exists_alias(name="languages"):
        export(languages_index, client, "languages")
    backend = OpenSearchBackend(client, "languages")
    found = render.search_dict(backend.search(request_))
    assert found["total_documents"] > 0
    assert _comparable(found) == _comparable(render.search_dict(engine.search(languages_index, request_)))


def test_a_word_another_language_knows_is_not_corrected_into_english(stand_in: Iterator[str],
                                                                      languages_index: Path) -> None:
    client = connect(next(stand_in))
    if not client.indices.exists_alias(name="languages"):
        export(languages_index, client, "languages")
    backend = OpenSearchBackend(client, "languages")
    for typed in ("tortura", "violencia tortura"):  # near "torture", but Spanish
        assert engine.search(languages_index, SearchRequest(typed)).suggestion is None
        assert backend.search(SearchRequest(typed)).suggestion is None


def test_sorting_by_date_gives_the_whoosh_order(cluster: tuple[str, str], seed_index: Path) -> None:
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    for sort in (Sort.NEWEST, Sort.OLDEST):
        request = SearchRequest("rights", sort=sort)
        assert ([hit.doc_id for hit in backend.search(request).results]
                == [hit.doc_id for hit in engine.search(seed_index, request).results])


def test_show_and_stats_give_what_the_whoosh_index_gives(cluster: tuple[str, str], seed_index: Path) -> None:
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    for doc_id in (ALLIANCE, EU_DIALOGUE, JOINT_DECLARATION):
        assert render.document_dict(backend.show(doc_id)) == render.document_dict(engine.show(seed_index, doc_id))
        assert (render.document_dict(backend.show(doc_id, "human rights"))
                == render.document_dict(engine.show(seed_index, doc_id, "human rights")))
    found, expected = render.stats_dict(backend.stats()), render.stats_dict(engine.stats(seed_index))
    assert found.pop("index_bytes") > 0
    expected.pop("index_bytes")
    assert found == expected
    with pytest.raises(engine.DocumentNotFound):
        backend.show("no-such-document.txt")


def test_the_cli_searches_opensearch_when_told_to(cluster: tuple[str, str], seed_index: Path,
                                                  tmp_path: Path) -> None:
    url, alias = cluster
    environment = {**os.environ, URL_ENV: url, "ACCORD_OPENSEARCH_ALIAS": alias}

    def accord(*args: str, env: dict[str, str]) -> str:
        done = subprocess.run([sys.executable, "-m", "search", *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    local = {**os.environ, "ACCORD_INDEX": str(seed_index)}
    local.pop(URL_ENV, None)
    for args in (["facets", "--json"], ["show", EU_DIALOGUE, "--json"]):
        assert accord(*args, "--index", str(tmp_path / "none"), env=environment) == accord(*args, env=local)
    remote = json.loads(accord("search", "human rights", "--json", "--index", str(tmp_path / "none"),
                               env=environment))
    assert _comparable(remote) == _comparable(json.loads(accord("search", "human rights", "--json", env=local)))
    assert not (tmp_path / "none").exists(), "searching OpenSearch builds no local index"
    refused = subprocess.run([sys.executable, "-m", "search", "search", "rights", "--one-per-text", "--index",
                              str(tmp_path / "none")], capture_output=True, text=True, env=environment, cwd=ROOT,
                             timeout=120)
    assert refused.returncode != 0 and "--one-per-text needs the Whoosh backend" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_the_page_and_api_serve_the_opensearch_backend(cluster: tuple[str, str], seed_index: Path) -> None:
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    remote = TestClient(create_app(seed_index, backend=backend), base_url="http://127.0.0.1")
    local = TestClient(create_app(seed_index, backend=WhooshIndex(seed_index)), base_url="http://127.0.0.1")
    for path in ("/api/search?q=human+rights", "/api/facets?q=rights"):
        assert _comparable_api(remote.get(path).json()) == _comparable_api(local.get(path).json())
    page = remote.get("/?q=human+rights")
    assert page.status_code == 200 and "Working together for human rights" in page.text
    assert remote.get(f"/api/doc/{EU_DIALOGUE}").json() == local.get(f"/api/doc/{EU_DIALOGUE}").json()


def _comparable_api(payload: dict[str, Any]) -> dict[str, Any]:
    return _comparable(payload) if "results" in payload else payload


CAMPAIGN = "Campaign note {n}\n\nVaccine campaign: cholera vaccine, vaccine teams, cholera vaccine campaign {n}.\n"


def feedback_corpus(folder: Path) -> Path:
    """Five notes on a cholera vaccine campaign; a report on the campaign that names the
    vaccine once; a memo as long, naming the vaccine twice, about something else; other notes."""
    folder.mkdir()
    for n in range(1, 6):
        (folder / f"a{n}.txt").write_text(CAMPAIGN.format(n=n))
    (folder / "report.txt").write_text(
        "Field report\n\nThe cholera campaign teams met villagers in the outbreak districts to explain the campaign "
        "against cholera, the vaccine and the work of the teams in camps, schools, clinics and markets across the "
        "northern and eastern provinces this spring.\n")
    (folder / "memo.txt").write_text(
        "Budget memo\n\nThe vaccine budget office and the vaccine procurement office reviewed invoices for "
        "buildings, furniture, vehicles, fuel, salaries, rents, printing and travel in the districts, provinces and "
        "the capital before the end of the financial year in June.\n")
    for n in range(1, 9):
        (folder / f"z{n}.txt").write_text(f"Other note {n}\n\nThe council discussed elections, press freedom and "
                                          f"detention conditions in region {n}.\n")
    return folder


def test_feedback_reorders_the_matches_on_opensearch_as_on_one_machine(stand_in: Iterator[str],
                                                                        tmp_path: Path) -> None:
    from indexer.build import build_index

    index = tmp_path / "index"
    build_index(feedback_corpus(tmp_path / "docs"), index)
    export(index, connect(next(stand_in)), "feedback")
    backend = OpenSearchBackend(connect(next(stand_in)), "feedback")

    def order(found: Any) -> list[str]:
        return [hit.doc_id for hit in found.results if hit.doc_id in ("report.txt", "memo.txt")]

    for search in (backend.search, lambda request: engine.search(index, request)):
        with_feedback = search(SearchRequest("vaccine", facets=("year",)))
        without = search(SearchRequest("vaccine", facets=("year",), feedback=False))
        assert order(with_feedback) == ["report.txt", "memo.txt"]  # the campaign's words lift the report
        assert order(without) == ["memo.txt", "report.txt"]  # which names the vaccine less often
        assert with_feedback.total_documents == without.total_documents == 7  # feedback never widens a query
        assert with_feedback.facets == without.facets
        snippets = {hit.doc_id: [s.snippet for s in hit.sections] for hit in without.results}
        assert {hit.doc_id: [s.snippet for s in hit.sections] for hit in with_feedback.results} == snippets


def test_an_export_moves_the_alias_and_keeps_the_previous_index(stand_in: Iterator[str], seed_index: Path) -> None:
    client = connect(next(stand_in))
    first = export(seed_index, client, "rollback")
    second = export(seed_index, client, "rollback", rebuild=True)
    assert second.previous == first.index and second.deleted == () and not second.updated
    assert sorted(client.indices.get_alias(name="rollback")) == [second.index]
    third = export(seed_index, client, "rollback", rebuild=True)
    assert third.previous == second.index and third.deleted == (first.index,)
    assert sorted(client.indices.get(index="rollback-*")) == sorted([second.index, third.index])


def test_a_failed_export_leaves_the_alias_where_it_was(stand_in: Iterator[str], seed_index: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from opensearchpy.helpers import BulkIndexError

    import search.opensearch.export as exporting

    client = connect(next(stand_in))
    kept = export(seed_index, client, "failing")
    monkeypatch.setattr(exporting, "_layout", lambda body: "another layout")  # so that the next export builds anew

    def failing(*args: object, **kwargs: object) -> Iterator[tuple[bool, dict[str, Any]]]:
        yield True, {}
        raise BulkIndexError("1 document(s) failed to index.", [{"index": {"status": 400}}])

    monkeypatch.setattr("opensearchpy.helpers.streaming_bulk", failing)
    with pytest.raises(ExportFailed, match="left where it was"):
        exporting.export(seed_index, client, "failing")
    assert sorted(client.indices.get_alias(name="failing")) == [kept.index]
    assert sorted(client.indices.get(index="failing-*")) == [kept.index], "the half-built index is gone"

    def interrupted(*args: object, **kwargs: object) -> Iterator[tuple[bool, dict[str, Any]]]:
        yield True, {}
        raise KeyboardInterrupt

    monkeypatch.setattr("opensearchpy.helpers.streaming_bulk", interrupted)
    with pytest.raises(KeyboardInterrupt):
        exporting.export(seed_index, client, "failing")
    assert sorted(client.indices.get(index="failing-*")) == [kept.index]


def test_copies_and_joint_statements_are_shown_as_on_one_machine(stand_in: Iterator[str], tmp_path: Path) -> None:
    from indexer.build import build_index
    from tests.test_copies import OTHER, STATEMENT, front

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ohchr.md").write_text(front("OHCHR", STATEMENT), encoding="utf-8")
    (corpus / "unhcr.md").write_text(front("UNHCR", STATEMENT), encoding="utf-8")
    (corpus / "food.md").write_text(front("WFP", OTHER, "Hunger in the region"), encoding="utf-8")
    index_dir = tmp_path / "ix"
    build_index(corpus, index_dir)
    client = connect(next(stand_in))
    export(index_dir, client, "copies")
    backend = OpenSearchBackend(client, "copies")
    for request in (SearchRequest("detention"), SearchRequest("detention", all_copies=True),
                    SearchRequest("*"), SearchRequest("*", filters=make_filters({}, {}, joint=True))):
        found = render.search_dict(backend.search(request))
        expected = render.search_dict(engine.search(index_dir, request))
        assert found["total_texts"] == expected["total_texts"] and found["facets"] == expected["facets"]
        assert _texts(found) == _texts(expected)  # each text once, its copies listed (which copy leads may differ)
        assert sorted(str(sorted(hit.get("signatories") or [])) for hit in found["results"]) == sorted(
            str(sorted(hit.get("signatories") or [])) for hit in expected["results"])
    assert render.document_dict(backend.show("unhcr.md")) == render.document_dict(engine.show(index_dir, "unhcr.md"))
    assert render.stats_dict(backend.stats())["copy_groups"] == 1


def _texts(payload: dict[str, Any]) -> set[frozenset[str]]:
    """Each result's document with the copies listed under it."""
    return {frozenset([hit["doc_id"], *(copy["doc_id"] for copy in hit["copies"])]) for hit in payload["results"]}


def test_a_later_export_updates_the_index_in_place(stand_in: Iterator[str], corpus_copy: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.build import build_index

    index_dir = tmp_path / "ix"
    build_index(corpus_copy, index_dir)
    client = connect(next(stand_in))
    first = export(index_dir, client, "updates")
    again = export(index_dir, client, "updates")
    assert (again.index, again.updated, again.written, again.removed) == (first.index, True, 0, 0)
    (corpus_copy / ALLIANCE).unlink()
    changed = corpus_copy / EU_DIALOGUE
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe dialogue will meet again in Geneva.\n",
                       encoding="utf-8")
    (corpus_copy / "new.md").write_text("# Geneva statement\n\nThe delegations met in Geneva on water.\n",
                                        encoding="utf-8")
    build_index(corpus_copy, index_dir)
    report = export(index_dir, client, "updates")
    assert (report.index, report.updated, report.written, report.removed) == (first.index, True, 2, 1)
    assert sorted(client.indices.get(index="updates-*")) == [first.index]

    def interrupted(*args: object, **kwargs: object) -> Iterator[tuple[bool, dict[str, Any]]]:
        raise KeyboardInterrupt
        yield True, {}

    with monkeypatch.context() as patched:
        patched.setattr("opensearchpy.helpers.streaming_bulk", interrupted)
        with pytest.raises(ExportFailed, match="Interrupted while updating .* Run the export again"):
            export(index_dir, client, "updates")
    backend = OpenSearchBackend(client, "updates")
    for request in (SearchRequest("Geneva"), SearchRequest("*"), SearchRequest("multilateralism")):
        found = render.search_dict(backend.search(request))
        assert _comparable(found) == _comparable(render.search_dict(engine.search(index_dir, request)))



def test_indexing_with_the_opensearch_backend_updates_the_cluster_too(
        stand_in: Iterator[str], corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import accord

    monkeypatch.delenv(URL_ENV, raising=False)
    url = next(stand_in)
    index_dir = tmp_path / "ix"
    args = ["index", str(corpus_copy), "--index", str(index_dir), "--json", "--backend", "opensearch",
            "--opensearch-url", url, "--alias", "indexing"]
    first = json.loads(accord(*args).stdout)
    assert first["added"] == 3 and first["opensearch"]["documents"] == 3 and not first["opensearch"]["updated"]
    (corpus_copy / ALLIANCE).unlink()
    second = json.loads(accord(*args).stdout)
    assert second["opensearch"] | {"seconds": 0} == {**first["opensearch"], "updated": True, "written": 0,
                                                     "removed": 1, "documents": 2, "previous": None, "seconds": 0}
    refused = accord("index", str(corpus_copy), "--index", str(tmp_path / "other"), "--backend", "opensearch", code=2)
    assert "--opensearch-url" in refused.stderr and not (tmp_path / "other").exists()


def test_one_value_written_two_ways_is_one_facet_value(stand_in: Iterator[str], tmp_path: Path) -> None:
    from indexer.build import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, person in (("a.md", "António Guterres"), ("b.md", "António Guterres"), ("c.md", "Antonio Guterres")):
        (corpus / name).write_text(f"---\ntitle: Statement {name}\npeople: [{person}]\n---\n\nThe Secretary-General "
                                   "spoke on climate finance and debt relief.\n", encoding="utf-8")
    index_dir = tmp_path / "ix"
    build_index(corpus, index_dir)
    client = connect(next(stand_in))
    export(index_dir, client, "spellings")
    backend = OpenSearchBackend(client, "spellings")
    for request in (SearchRequest("climate", facets=("person",)),
                    SearchRequest("climate", facets=("person",), filters=make_filters({"person": ["antonio guterres"]}))):
        found = render.search_dict(backend.search(request))
        assert found["facets"] == render.search_dict(engine.search(index_dir, request))["facets"]
        assert found["total_documents"] == 3
        assert [(count["value"], count["count"]) for count in found["facets"]["person"]] == [("António Guterres", 3)]


def test_batch_ranks_the_same_documents_on_both_backends(cluster: tuple[str, str], seed_index: Path,
                                                         tmp_path: Path) -> None:
    from search.results import BatchQuery, Ranking, Refused

    queries = [BatchQuery("1", "human rights"), BatchQuery("2", "multilateralism"), BatchQuery("3", "torture"),
               BatchQuery("4", "year:[2030 TO"), BatchQuery("5", "qwertyuiop")]
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    remote = list(backend.batch(queries, 10, Match.ANY))
    local = list(WhooshIndex(seed_index).batch(queries, 10, Match.ANY))
    assert [type(r) for r in remote] == [type(r) for r in local]
    for found, expected in zip(remote, local):
        if isinstance(found, Ranking) and isinstance(expected, Ranking):
            assert sorted(doc for doc, _ in found.documents) == sorted(doc for doc, _ in expected.documents)
        else:
            assert isinstance(found, Refused) and isinstance(expected, Refused) and found.reason == expected.reason
    assert any(isinstance(r, Ranking) and r.documents for r in remote)
    run = tmp_path / "queries.tsv"
    run.write_text("1\thuman rights\n2\ttorture\n")
    done = subprocess.run([sys.executable, "-m", "search", "batch", str(run), "--backend", "opensearch",
                           "--opensearch-url", cluster[0], "--alias", cluster[1], "--index", str(tmp_path / "none")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert lines and all(len(line) == 6 and line[0] in ("1", "2") for line in lines)  # TREC run lines
    assert not (tmp_path / "none").exists()


def test_pages_past_the_window_are_walked_to_with_search_after(stand_in: Iterator[str], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.build import build_index
    from search.opensearch import backend as opensearch_backend
    from tests.test_copies import STATEMENT, front

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ohchr.md").write_text(front("OHCHR", STATEMENT), encoding="utf-8")
    (corpus / "unhcr.md").write_text(front("UNHCR", STATEMENT), encoding="utf-8")
    for day in range(1, 10):
        (corpus / f"note-{day}.md").write_text(
            f"---\ntitle: Note {day}\ndate: 2023-05-{day:02d}\n---\n\nDetention review number {day} of the "
            f"{'regional ' * day}centres.\n", encoding="utf-8")
    index_dir = tmp_path / "ix"
    build_index(corpus, index_dir)
    client = connect(next(stand_in))
    export(index_dir, client, "deep")
    backend = OpenSearchBackend(client, "deep")
    monkeypatch.setattr(opensearch_backend, "MAX_WINDOW", 3)  # every page past the third document is walked to
    for request in (SearchRequest("*", limit=2), SearchRequest("detention", sort=Sort.NEWEST, limit=2),
                    SearchRequest("*", sort=Sort.OLDEST, limit=3, all_copies=True)):
        pages = []
        for page in range(1, 7):
            found = backend.search(replace(request, page=page))
            expected = engine.search(index_dir, replace(request, page=page))
            assert found.total_documents == expected.total_documents and found.total_texts == expected.total_texts
            pages.append([hit.doc_id for hit in found.results])
            assert pages[-1] == [hit.doc_id for hit in expected.results], (request, page)
        shown = [doc_id for page in pages for doc_id in page]
        assert len(shown) == len(set(shown)) == (10 if not request.all_copies else 11)


def test_explain_says_how_the_query_was_widened_as_on_one_machine(cluster: tuple[str, str], seed_index: Path) -> None:
    backend = OpenSearchBackend(connect(cluster[0]), cluster[1])
    request = SearchRequest("rights OHCHR", explain=True, feedback=False)
    found, expected = backend.search(request), engine.search(seed_index, request)
    assert found.explain is not None and found.explain == expected.explain
    assert [e.organisation for e in found.explain.aliases] == ["OHCHR"]
    assert backend.search(replace(request, explain=False)).explain is None
