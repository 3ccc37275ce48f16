"""The server in-process (Starlette's test client): the JSON API equals the CLI's JSON, the
page's links and chips do what they say, everything shown is escaped, the safety rules
hold, exports and the feed carry the search, and a reindex is seen without a restart."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from indexer.build import build_index
from search.web import app as web_app
from search.web.app import create_app
from tests.helpers import ALLIANCE, CORPUS, FIXTURES, JOINT_DECLARATION, accord

BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus with a hostile document (markup in its title and text) and an Arabic one."""
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(CORPUS, root / "corpus")
    for name in ("hostile.txt", "arabic.txt"):
        shutil.copy(FIXTURES / "web" / name, root / "corpus" / name)
    build_index(root / "corpus", root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def client(web_index: Path) -> TestClient:
    return TestClient(create_app(web_index), base_url=BASE)


def soup(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


def cli_json(index: Path, *args: str) -> dict:
    return json.loads(accord(*args, "--index", index, "--json").stdout)


@pytest.mark.parametrize(("params", "options"), [
    ({"q": "human rights"}, []),
    ({"q": "rights", "org": ["UN Human Rights Office", "WHO"], "year": "2014..2021"},
     ["--org", "UN Human Rights Office", "--org", "WHO", "--year", "2014..2021"]),
    ({"q": "rights", "sort": "newest", "limit": "1", "page": "2"}, ["--sort", "newest", "--limit", "1", "--page", "2"]),
    ({"q": "*", "facet": ["person", "month", "place"], "not_org": "WHO"},
     ["--facet", "person", "--facet", "month", "--facet", "place", "--not-org", "WHO"]),
    ({"q": "vaccines prisons", "match": "any", "sections": "1"}, ["--match", "any", "--sections"]),
    ({"q": "zebra", "lang": "ar", "from": "2023-01-01", "to": "2023-12-31", "month": "2023-05"},
     ["--lang", "ar", "--from", "2023-01-01", "--to", "2023-12-31", "--month", "2023-05"]),
    ({"q": "*", "org": "(none)", "type": "press release"}, ["--org", "(none)", "--type", "press release"]),
    ({"q": "human rights", "person": "Navi Pillay", "place": ["Ukraine", "Europe"], "not_type": "press release"},
     ["--person", "Navi Pillay", "--place", "Ukraine", "--place", "Europe", "--not-type", "press release"]),
    ({"q": "rights", "expand": "0", "feedback": "0", "explain": "1", "one_per_text": "1", "not_year": "2021",
      "not_month": "2014-06", "not_person": "(none)", "not_place": "Kenya", "not_lang": "fr"},
     ["--no-expand", "--no-feedback", "--explain", "--one-per-text", "--not-year", "2021", "--not-month", "2014-06",
      "--not-person", "(none)", "--not-place", "Kenya", "--not-lang", "fr"]),
    ({"q": "*", "joint": "1", "all_copies": "1"}, ["--joint", "--all-copies"]),
])
def test_the_api_answers_what_the_cli_prints(client: TestClient, web_index: Path, params: dict,
                                             options: list[str]) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == cli_json(web_index, "search", params["q"], *options)


def test_facets_doc_and_stats_answer_what_the_cli_prints(client: TestClient, web_index: Path) -> None:
    assert client.get("/api/facets", params={"q": "rights"}).json() == cli_json(web_index, "facets", "rights")
    assert client.get("/api/facets").json() == cli_json(web_index, "facets")
    assert client.get(f"/api/doc/{ALLIANCE}").json() == cli_json(web_index, "show", ALLIANCE)
    assert client.get("/api/stats").json() == cli_json(web_index, "stats")


@pytest.mark.parametrize(("params", "option"), [
    ({"q": "x", "year": "20xx"}, ["--year", "20xx"]),
    ({"q": "x", "month": "May"}, ["--month", "May"]),
    ({"q": "x", "from": "2022-01-01", "to": "2021-01-01"}, ["--from", "2022-01-01", "--to", "2021-01-01"]),
    ({"q": "colour:red"}, []),
    ({"q": "x", "not_year": "soon"}, ["--not-year", "soon"]),
])
def test_bad_parameters_get_400_with_the_cli_message(client: TestClient, web_index: Path, params: dict,
                                                     option: list[str]) -> None:
    response = client.get("/api/search", params=params)
    printed = accord("search", params["q"], *option, "--index", web_index, code=2).stderr.strip()
    assert response.status_code == 400 and f"error: {response.json()['error']}" == printed
    page = client.get("/", params=params)
    assert page.status_code == 400 and response.json()["error"] in soup(page).get_text()


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "x", "colour": "red"}, "Unknown parameter 'colour'"),
    ({"q": "x", "limit": "5000"}, "--limit must be between 1 and 1000"),
    ({"q": "x", "limit": "ten"}, "limit must be a whole number"),
    ({"q": "x", "page": "100000"}, "beyond the 10,000th result"),
    ({"q": "x", "sort": "best"}, "choose from relevance, newest, oldest"),
    ({"q": "x", "sections": "maybe"}, "sections must be 1 or 0"),
    ({"q": "x " * 600}, "at most 500"),
])
def test_requests_are_bounded(client: TestClient, params: dict, message: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400 and message in response.json()["error"]


def test_the_page_keeps_the_query_and_labels_the_box(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "human rights"}))
    box = page.find("input", id="q")
    assert box["value"] == "human rights" and page.find("label", attrs={"for": "q"}).get_text(strip=True)
    status = page.find(attrs={"role": "status"}).get_text(" ", strip=True)
    assert status.startswith("3 documents")
    titles = [a.get_text(strip=True) for a in page.select(".hit h2 a")]
    assert titles[0] == "Working together for human rights in the Euro-Atlantic region"
    assert [m.get_text() for m in page.select(".snippet mark")][:1] == ["human rights"]
    assert page.select_one(".hit h2 a")["href"].startswith(f"/doc/{JOINT_DECLARATION}?q=human+rights#s-")


def test_a_facet_link_narrows_and_its_chip_removes_it(client: TestClient) -> None:
    first = soup(client.get("/", params={"q": "rights"}))
    total = int(first.find(attrs={"role": "status"}).strong.get_text().replace(",", ""))
    link = next(a for a in first.select(".facet-organisation li a") if int(a.select_one(".n").get_text()) < total)
    count, name = int(link.select_one(".n").get_text()), link.select_one(".label").get_text()
    assert dict(parse_qsl(urlsplit(link["href"]).query)) == {"q": "rights", "org": name}
    narrowed = soup(client.get(link["href"]))
    assert int(narrowed.find(attrs={"role": "status"}).strong.get_text()) == count < total
    chosen = narrowed.select_one(".facet-organisation li.selected")
    assert chosen.select_one(".label").get_text() == name
    others = [a.select_one(".label").get_text() for a in narrowed.select(".facet-organisation li:not(.selected) a")]
    assert others  # the field's other values stay, with their counts, to be added
    added = next(a for a in narrowed.select(".facet-organisation li a") if a.select_one(".label").get_text() == others[0])
    assert parse_qsl(urlsplit(added["href"]).query) == [("q", "rights"), ("org", name), ("org", others[0])]
    chips = narrowed.select(".chips li")
    assert chips[0].span.get_text() == f"Organisation: {name}"
    restored = soup(client.get(chips[0].a["href"]))
    assert int(restored.find(attrs={"role": "status"}).strong.get_text()) == total
    assert chosen.a["href"] == "/?q=rights"  # clicking a chosen value removes it


def test_a_chosen_alias_is_removed_by_its_canonical_value(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "rights", "org": "UN Human Rights Office"}))
    chosen = page.select_one(".facet-organisation li.selected")
    assert chosen.select_one(".label").get_text() == "OHCHR" and chosen.a["href"] == "/?q=rights"


def test_a_person_chosen_without_accents_is_removed_by_the_name_as_indexed(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "*", "person": "Janez Lenarcic", "facet": "person"}))
    chosen = page.select_one(".facet-person li.selected")
    assert chosen.select_one(".label").get_text() == "Janez Lenarčič" and chosen.a["href"] == "/?q=%2A&facet=person"


def test_year_and_month_histograms_narrow_to_their_period(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "*"}))
    years = page.select(".facet-year .histogram a")
    assert [a["title"].split(":")[0] for a in years] == [str(y) for y in range(2014, 2024)]
    month = next(a for a in page.select(".facet-month .histogram a") if a["title"].startswith("2023-05"))
    assert dict(parse_qsl(urlsplit(month["href"]).query)) == {"q": "*", "month": "2023-05"}
    narrowed = client.get("/api/search", params=dict(parse_qsl(urlsplit(month["href"]).query))).json()
    assert [hit["doc_id"] for hit in narrowed["results"]] == ["arabic.txt"]
    assert {row["value"]: row.get("selected", False) for row in narrowed["facets"]["year"]}[2023] is False
    undated = page.select_one(".facet-month a.dated")
    assert undated is None or "undated" in undated.get_text()


def test_clear_all_sort_and_pages(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "rights", "org": "OHCHR", "year": "2014..2022", "limit": "1"}))
    assert page.select_one(".chips .clear a")["href"] == "/?q=rights&limit=1"
    assert page.find("link", rel="next")["href"] == "/?q=rights&org=OHCHR&year=2014..2022&limit=1&page=2"
    assert page.find("link", rel="prev") is None
    second = soup(client.get(page.find("link", rel="next")["href"]))
    assert second.find("link", rel="prev")["href"] == "/?q=rights&org=OHCHR&year=2014..2022&limit=1"
    assert second.select_one(".pages [aria-current=page]").get_text() == "2"
    newest = next(a for a in page.select(".sort a") if a.get_text() == "Newest first")
    assert newest["href"] == "/?q=rights&org=OHCHR&year=2014..2022&limit=1&sort=newest"
    links = {a.get_text(): a["href"] for a in page.select(".exports a")}
    assert links["JSON"].startswith("/api/search?q=rights&org=OHCHR") and links["CSV"].startswith("/export.csv?")
    assert client.get(links["JSON"]).json()["total_documents"] == 2


def test_a_suggestion_is_a_link(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "vaccnes"}))
    suggestion = page.select_one("a.suggestion")
    assert suggestion.get_text() == "vaccines" and suggestion["href"] == "/?q=vaccines"


def test_markup_in_documents_is_shown_as_text(client: TestClient) -> None:
    for response in (client.get("/", params={"q": "zebra"}), client.get("/doc/hostile.txt", params={"q": "zebra"}),
                     client.get("/", params={"q": '<script>alert("q")</script>'})):
        page = soup(response)
        assert [s.get("src") for s in page.find_all("script")] == ["/static/search.js"]
        assert page.find_all("img") == [] and "onerror" not in str(page.find_all(True, attrs={"onerror": True}))
        assert "<script>" in page.get_text() or "alert(" in page.get_text()
    hit = soup(client.get("/", params={"q": "zebra"})).select_one(".hit h2 a")
    assert hit.get_text() == 'Hostile <script>alert("title")</script> note <img src=x onerror=alert(1)>'
    feed = ET.fromstring(client.get("/feed.atom", params={"q": "zebra"}).text)
    titles = [title.text for title in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(title.startswith("Hostile <script>") for title in titles)


def test_the_document_view_has_anchors_highlights_and_links(client: TestClient) -> None:
    page = soup(client.get(f"/doc/{JOINT_DECLARATION}", params={"q": "human rights"}))
    sections = page.select("section.text")
    assert [s["id"] for s in sections] == [f"s-{n}" for n in range(len(sections))] and len(sections) > 1
    marked = {m.get_text().lower() for m in page.select("section.text mark")}
    assert "human rights" in marked and marked <= {"human", "rights", "human rights"}
    assert page.select_one(".back a")["href"] == "/?q=human+rights"
    assert page.h1.get_text() == "Working together for human rights in the Euro-Atlantic region"
    arabic = soup(client.get("/doc/arabic.txt"))
    assert arabic.h1["dir"] == "auto" and arabic.select_one("section.text .body")["dir"] == "auto"
    missing = client.get("/doc/nothing-here.txt")
    assert missing.status_code == 404 and "No document 'nothing-here.txt'" in soup(missing).get_text()


@pytest.mark.parametrize("path", ["/doc/../../../etc/passwd", "/doc/%2e%2e/%2e%2e/etc/passwd", "/static/../app.py",
                                  "/doc//etc/passwd", "/api/doc/..%2Fpyproject.toml"])
def test_no_url_reaches_the_file_system(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and "root:" not in response.text and "import" not in response.text


def test_safety_headers_hosts_and_methods(client: TestClient, web_index: Path) -> None:
    response = client.get("/", params={"q": "rights"})
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["referrer-policy"] == "no-referrer"
    assert TestClient(create_app(web_index), base_url="http://evil.example").get("/").status_code == 400
    assert TestClient(create_app(web_index), base_url="http://localhost:8001").get("/").status_code == 200
    assert client.post("/api/search", data={"q": "x"}).status_code == 405
    assert client.head("/").status_code == 200
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")


def test_an_internal_error_shows_no_traceback(web_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from search import engine

    def broken(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(engine, "search", broken)
    safe = TestClient(create_app(web_index), base_url=BASE, raise_server_exceptions=False)
    for path in ("/?q=x", "/api/search?q=x"):
        response = safe.get(path)
        assert response.status_code == 500 and "secret" not in response.text and "Traceback" not in response.text
    debugging = TestClient(create_app(web_index, debug=True), base_url=BASE, raise_server_exceptions=False)
    assert "secret internals" in debugging.get("/?q=x").text


def test_exports_stream_every_page_within_the_bound(client: TestClient, web_index: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    monkeypatch.setattr(web_app, "EXPORT_PAGE", 2)
    expected = cli_json(web_index, "search", "*", "--limit", "100")
    response = client.get("/export.csv", params={"q": "*", "page": "3"})
    rows = list(csv.reader(response.text.splitlines()))
    assert rows[0][:3] == ["rank", "doc_id", "path"] and len(rows) - 1 == expected["total_documents"] == 5
    assert [row[1] for row in rows[1:]] == [hit["doc_id"] for hit in expected["results"]]
    assert response.headers["x-accord-total-documents"] == "5"
    lines = client.get("/export.jsonl", params={"q": "rights", "org": "OHCHR"}).text.splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == [
        hit["doc_id"] for hit in cli_json(web_index, "search", "rights", "--org", "OHCHR")["results"]]
    monkeypatch.setattr(web_app, "EXPORT_MAX", 3)
    capped = client.get("/export.jsonl", params={"q": "*"})
    assert len(capped.text.splitlines()) == 3 and capped.headers["x-accord-exported-documents"] == "3"
    assert client.get("/export.exe").status_code == 404


def test_the_feed_lists_the_search_newest_first(client: TestClient) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(client.get("/feed.atom", params={"q": "rights", "sort": "oldest"}).text)
    updated = [entry.find(f"{atom}updated").text for entry in feed.iter(f"{atom}entry")]
    assert len(updated) >= 3 and updated == sorted(updated, reverse=True)
    links = [entry.find(f"{atom}link").get("href") for entry in feed.iter(f"{atom}entry")]
    assert all(link.startswith(f"{BASE}/doc/") for link in links)
    assert feed.find(f"{atom}link[@rel='self']").get("href") == f"{BASE}/feed.atom?q=rights"


def test_a_running_app_sees_a_reindex(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "index")
    running = TestClient(create_app(tmp_path / "index"), base_url=BASE)
    assert running.get("/api/search", params={"q": "zebra"}).json()["total_documents"] == 0
    shutil.copy(FIXTURES / "web" / "hostile.txt", corpus / "hostile.txt")
    build_index(corpus, tmp_path / "index")
    assert running.get("/api/search", params={"q": "zebra"}).json()["total_documents"] == 1
    assert "Hostile" in running.get("/", params={"q": "zebra"}).text


def test_searches_keep_answering_while_the_index_is_rebuilt(tmp_path: Path) -> None:
    import threading

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "index")
    running = TestClient(create_app(tmp_path / "index"), base_url=BASE)
    statuses: list[int] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set() or not statuses:
            statuses.append(running.get("/api/search", params={"q": "rights"}).status_code)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        for name in ("hostile.txt", "arabic.txt"):
            shutil.copy(FIXTURES / "web" / name, corpus / name)
            build_index(corpus, tmp_path / "index")
        build_index(corpus, tmp_path / "index", rebuild=True)
    finally:
        done.set()
        searcher.join()
    assert statuses and set(statuses) == {200}
    assert running.get("/api/stats").json()["documents"] == 5


def test_a_new_query_keeps_the_filters_and_the_order(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "rights", "sort": "newest", "org": "OHCHR", "page": "1"}))
    hidden = {(field["name"], field["value"]) for field in page.select("form.search input[type=hidden]")}
    assert hidden == {("sort", "newest"), ("org", "OHCHR")}
