"""Search quality, site ranking, similar and compare on the shared dev corpus (real documents,
facts extracted by the pipeline's steps, real embeddings, the CLI in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEV_DOCS, DEV_QUERIES, build_corpus_db
from typer.testing import CliRunner

from lokus.cli import app
from search.embedders import get_embedder
from search.evaluate import evaluate_configurations, evaluate_sites
from search.similar import similar
from search.sites import rank_sites
from warehouse.db import connect

QUESTIONS = Path(__file__).resolve().parents[1] / "search" / "data" / "site_questions.json"
# Regions whose documents name a one-stop service unit (DPMPTSP / DPM-PTSP), from the annotations.
ONE_STOP_REGIONS = {"Kota Semarang", "Kota Bogor", "Kota Surabaya"}


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory) -> Path:
    return build_corpus_db(tmp_path_factory.mktemp("dev") / "lokus.duckdb", DEV_DOCS)


@pytest.fixture(scope="module")
def conn(dev_db):
    connection = connect(dev_db, read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def e5():
    return get_embedder("e5-small-q4")


def test_dev_search_quality_holds_and_concepts_pay(conn, e5):
    """Measured on the dev queries: default hybrid nDCG@10 0.765, BM25 with concepts 0.742, plain
    BM25 0.683 (issue 4's target of 0.92 with no query under 0.6 is not met; see the report)."""
    report = evaluate_configurations(conn, DEV_QUERIES, e5, ["bm25-words", "bm25", "hybrid"])
    assert report["hybrid"].ndcg >= 0.74
    assert report["bm25"].ndcg > report["bm25-words"].ndcg
    assert report["hybrid"].recall >= 0.9


def test_sites_for_a_public_service_mall_put_a_one_stop_region_first_with_evidence(conn, e5):
    sites = rank_sites(conn, "mal pelayanan publik", embedder=e5, top=5)
    first = sites[0]
    assert first.region in ONE_STOP_REGIONS
    assert any("DPMPTSP" in u for u in first.units)
    reasons = [e.reason for e in first.evidence]
    assert any("matching the topic" in r and "DPMPTSP" in r for r in reasons)
    assert all(e.source_uri.startswith(str(DEV_DOCS)) and e.document_id for e in first.evidence)
    assert [s.rank for s in sites] == list(range(1, len(sites) + 1))
    assert [s.score for s in sites] == sorted((s.score for s in sites), reverse=True)


def test_site_questions_find_their_regions_in_the_top_five(conn, e5):
    report = evaluate_sites(conn, QUESTIONS, e5, ["hybrid"])["sites-hybrid"]
    assert report.recall >= 0.9
    assert min(q.recall for q in report.queries) >= 0.5


def test_a_region_without_relevant_documents_is_not_ranked(conn, e5):
    assert rank_sites(conn, "xyzzy qwerty", embedder=None, top=5) == []


def test_similar_to_a_practice_finds_the_other_document_about_it(conn, e5):
    reference, results = similar(conn, "Smart Kampung", embedder=e5, top=3)
    assert reference.practice_id is not None
    assert reference.document_id not in [r.document_id for r in results]
    assert results[0].host_region == "Kabupaten Banyuwangi"
    assert "Smart Kampung" in (results[0].title or "")


def test_cli_sites_json_keys_and_search_filters(dev_db):
    runner = CliRunner()
    done = runner.invoke(app, ["sites", "mal pelayanan publik", "--top", "3", "--json", "--db", str(dev_db)])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    keys = ["rank", "region", "region_code", "province", "score", "units", "evidence"]
    assert [list(s) for s in data][0] == keys
    assert set(data[0]["evidence"][0]) == {"document_id", "source_uri", "title", "reason"}

    args = ["search", "pelayanan publik", "--province", "Jawa Timur", "--year", "2015..2019", "--json"]
    done = runner.invoke(app, [*args, "--db", str(dev_db)])
    assert done.exit_code == 0, done.output
    found = json.loads(done.output)
    assert found and all(r["province"] == "Jawa Timur" and 2015 <= int(r["date"][:4]) <= 2019 for r in found)

    bad = runner.invoke(app, ["search", "x", "--year", "2019..2015", "--db", str(dev_db)])
    assert bad.exit_code == 1


def test_cli_compare_and_similar(dev_db):
    runner = CliRunner()
    args = ["compare", "Kota Semarang", "Banyuwangi", "--db", str(dev_db)]
    done = runner.invoke(app, args, terminal_width=200)
    assert done.exit_code == 0, done.output
    assert "Kota Semarang" in done.output and "Kabupaten Banyuwangi" in done.output
    assert "Smart Kampung" in done.output and "Opini WTP" in done.output
    unknown = runner.invoke(app, ["compare", "Kota Semarang", "Atlantis", "--db", str(dev_db)])
    assert unknown.exit_code == 1
    done = runner.invoke(app, ["similar", "Smart Kampung", "--json", "--db", str(dev_db)])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["reference"]["label"] == "Smart Kampung"


def test_cli_eval_search_prints_every_configuration(dev_db):
    done = CliRunner().invoke(app, ["eval", "search", str(DEV_QUERIES), "--db", str(dev_db)])
    assert done.exit_code == 0, done.output
    for name in ("bm25-words", "bm25", "dense", "hybrid-rrf", "hybrid"):
        assert name in done.output
    assert "Q02" in done.output and "QE2" in done.output
