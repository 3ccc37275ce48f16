"""Boilerplate learned from the collection: lines many documents share are left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.convert.boilerplate import learn_boilerplate, without_boilerplate
from indexer.convert.converted import Converted
from search.engine import search, show, stats
from search.request import SearchRequest
from tests.helpers import FileFactory, accord

PAGE = """<html><body><main>
<p>Sort by</p><p>Relevance</p>
<h2>{title}</h2>
<p>{body}</p>
<p>News</p>
<p>Sign up for our newsletter to receive updates.</p>
</main></body></html>"""
TOPICS = ["detention of journalists", "water rights in rural areas", "elections monitoring",
          "refugee protection at sea", "torture prevention", "freedom of assembly", "child labour"]


def write_site(make_file: FileFactory) -> None:
    for number, topic in enumerate(TOPICS):
        body = f"The report on {topic} was published after {number + 2} years of research."
        make_file(f"page-{number}.html", PAGE.format(title=f"Report on {topic}", body=body))


def test_lines_shared_by_enough_documents_are_learned() -> None:
    pages = [f"# Title {n}\n\nSort by\n\n- News\n\nUnique text {n}." for n in range(10)]
    assert learn_boilerplate(pages) == {"Sort by", "News"}  # headings never count
    assert learn_boilerplate(pages[:4]) == frozenset()  # too few documents to tell
    converted = without_boilerplate(Converted(pages[0]), frozenset({"Sort by", "News"}))
    assert converted.markdown.split() == "# Title 0 Unique text 0.".split()
    assert "Sort by" in converted.furniture


@pytest.mark.usefixtures("workers_for_few_files")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_site_s_furniture_is_left_out_and_counted(make_file: FileFactory, tmp_path: Path,
                                                    jobs: int) -> None:
    write_site(make_file)
    build_index(tmp_path / "docs", tmp_path / "index", jobs=jobs)
    assert stats(tmp_path / "index").furniture_lines == 4
    doc = show(tmp_path / "index", "page-1.html").document
    text = " ".join(s.text for s in doc.sections)
    assert "water rights" in text
    assert not any(line in text for line in ("Sort by", "Relevance", "newsletter", "News"))
    assert search(tmp_path / "index", SearchRequest("newsletter")).total_documents == 0
    result = accord("stats", "--json", "--index", tmp_path / "index")
    assert json.loads(result.stdout)["furniture_lines"] == 4
    # A later page from the same site loses the same lines.
    make_file("page-new.html", PAGE.format(title="Report on prisons", body="Prison conditions worsened."))
    assert build_index(tmp_path / "docs", tmp_path / "index").added == 1
    assert "Sort by" not in " ".join(s.text for s in show(tmp_path / "index", "page-new.html").document.sections)
