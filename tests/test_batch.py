"""`accord batch`: a file of queries in, one ranked list per query out (TREC or JSON Lines)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from search.batch import QueryFileError, read_queries, run_batch
from search.request import Match
from search.results import BatchQuery
from tests.helpers import ALLIANCE, EU_DIALOGUE, JOINT_DECLARATION, accord


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_tsv_and_beir_jsonl_queries(tmp_path: Path) -> None:
    tsv = write(tmp_path, "q.tsv", "1\tvaccines\n\n2\thuman rights defenders\n")
    jsonl = write(tmp_path, "q.jsonl", '{"_id": "7", "text": "media freedom", "metadata": {}}\n')
    assert read_queries(tsv) == [BatchQuery("1", "vaccines"), BatchQuery("2", "human rights defenders")]
    assert read_queries(jsonl) == [BatchQuery("7", "media freedom")]


@pytest.mark.parametrize("content", ["just words without a tab\n", '{"_id": "1"}\n', "{not json\n"])
def test_a_malformed_query_file_names_the_line(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "q.txt", "1\tvaccines\n" + content)
    with pytest.raises(QueryFileError, match="line 2"):
        read_queries(path)


def test_rankings_put_the_right_document_first(seed_index: Path) -> None:
    queries = [BatchQuery("v", "vaccines pandemic"), BatchQuery("d", "Pillay Lenarcic declaration"),
               BatchQuery("s", "strategic dialogue Gilmore")]
    rankings = {r.query.qid: r.documents for r in run_batch(seed_index, queries, limit=10, match=Match.ANY)}
    assert rankings["v"][0][0] == ALLIANCE
    assert rankings["d"][0][0] == JOINT_DECLARATION
    assert rankings["s"][0][0] == EU_DIALOGUE
    for documents in rankings.values():
        scores = [score for _, score in documents]
        assert scores == sorted(scores, reverse=True)
        assert len({doc for doc, _ in documents}) == len(documents)


def test_limit_caps_every_ranking(seed_index: Path) -> None:
    rankings = list(run_batch(seed_index, [BatchQuery("1", "human rights")], limit=2, match=Match.ANY))
    assert len(rankings[0].documents) == 2


def test_trec_output(seed_index: Path, tmp_path: Path) -> None:
    queries = write(tmp_path, "q.tsv", "q1\tvaccines\nq2\tnothingmatchesthis\nq3\thuman rights\n")
    result = accord("batch", queries, "--index", seed_index)
    rows = [line.split() for line in result.stdout.splitlines()]
    assert {row[0] for row in rows} == {"q1", "q3"}
    assert all(len(row) == 6 and row[1] == "Q0" and row[5] == "accord" for row in rows)
    q3 = [row for row in rows if row[0] == "q3"]
    assert [int(row[3]) for row in q3] == list(range(1, len(q3) + 1))
    assert len(q3) == 3
    assert rows[0][2] == ALLIANCE


def test_jsonl_output_is_one_object_per_query(seed_index: Path, tmp_path: Path) -> None:
    queries = write(tmp_path, "q.tsv", "q1\tvaccines\nq2\tnothingmatchesthis\n")
    result = accord("batch", queries, "--format", "jsonl", "--limit", "1",
                                 "--index", seed_index)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["qid"] for line in lines] == ["q1", "q2"]
    assert lines[0]["results"][0]["doc_id"] == ALLIANCE and len(lines[0]["results"]) == 1
    assert lines[1]["results"] == []


def test_bad_format_and_missing_file_exit_2(seed_index: Path, tmp_path: Path) -> None:
    queries = write(tmp_path, "q.tsv", "q1\tvaccines\n")
    wrong = accord("batch", queries, "--format", "xml", "--index", seed_index, code=2)
    missing = accord("batch", tmp_path / "none.tsv", "--index", seed_index, code=2)
    assert wrong.stderr.splitlines()[-1] == "Error: Invalid value for '--format': 'xml' is not one of 'trec', 'jsonl'."
    assert missing.stderr == f"error: Cannot read the query file {tmp_path / 'none.tsv'}: No such file or directory.\n"


def test_batch_as_a_subprocess(seed_index: Path, tmp_path: Path) -> None:
    queries = write(tmp_path, "q.tsv", "1\tfreedom of expression online\n")
    done = subprocess.run([sys.executable, "-m", "search", "batch", str(queries), "--index", str(seed_index)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 Q0 ")


def test_expansion_and_feedback_switches(seed_index: Path, feedback_index: Path,
                                        tmp_path: Path) -> None:
    def ranked(index_dir: Path, text: str, *flags: str) -> dict[str, float]:
        queries = write(tmp_path, "q.tsv", f"1\t{text}\n")
        result = accord("batch", queries, "--index", index_dir, "--format", "jsonl", *flags)
        return {hit["doc_id"]: hit["score"] for hit in json.loads(result.stdout)["results"]}

    text = "High Commissioner for Human Rights"
    plain = ranked(seed_index, text, "--no-expand", "--no-feedback")
    assert set(ranked(seed_index, text, "--no-feedback")) == set(ranked(seed_index, text))
    assert set(plain) == set(ranked(seed_index, text, "--no-expand"))
    assert ranked(seed_index, text, "--no-feedback")[JOINT_DECLARATION] != plain[JOINT_DECLARATION]  # aliases
    with_feedback, without = ranked(feedback_index, "human rights"), ranked(feedback_index, "human rights", "--no-feedback")
    assert set(with_feedback) == set(without)
    assert any(with_feedback[doc_id] > score for doc_id, score in without.items())  # feedback words add to scores
