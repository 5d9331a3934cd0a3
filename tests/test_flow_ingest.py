"""One real Prefect flow run end to end: good and bad files, a re-run, then search."""

from __future__ import annotations

import duckdb
import pytest
from conftest import SAMPLES, fill_inbox

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, prefect_harness):
    """Samples plus a broken, an encrypted and an empty PDF, ingested twice by the real flow."""
    from flows.ingest import ingest

    folder = fill_inbox(tmp_path_factory.mktemp("inbox"))
    (folder / "kosong.pdf").write_bytes(b"")
    (folder / "terpotong.pdf").write_bytes((SAMPLES / next(
        p.name for p in SAMPLES.iterdir() if p.suffix == ".pdf")).read_bytes()[:900])
    db = tmp_path_factory.mktemp("db") / "lokus.duckdb"
    first = ingest([str(folder)], db_path=str(db))
    second = ingest([str(folder)], db_path=str(db))
    return first, second, db, folder


def good_files(folder) -> int:
    bad = {"rusak.pdf", "terkunci.pdf", "kosong.pdf", "terpotong.pdf"}
    return sum(1 for p in folder.iterdir() if p.name not in bad)


def test_good_files_load_and_bad_ones_are_recorded(ingested):
    first, _, db, folder = ingested
    assert first.new == good_files(folder)
    failed = {f.uri.rsplit("/", 1)[-1]: f for f in first.failures}
    assert set(failed) == {"rusak.pdf", "terkunci.pdf", "kosong.pdf", "terpotong.pdf"}
    assert "password" in failed["terkunci.pdf"].message.lower()
    conn = duckdb.connect(str(db), read_only=True)
    errors = conn.execute(
        "SELECT uri, stage, error_class, message FROM ingest_errors WHERE run_id = ?", [first.run_id]
    ).fetchall()
    assert {e[0].rsplit("/", 1)[-1] for e in errors} == set(failed)
    assert all(e[3] for e in errors)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == good_files(folder)
    assert conn.execute("SELECT count(*) FROM chunks").fetchone()[0] > 0
    run = conn.execute(
        "SELECT status, n_new, n_failed FROM ingest_runs WHERE run_id = ?", [first.run_id]
    ).fetchone()
    assert run == ("completed", good_files(folder), 4)
    conn.close()


def test_second_run_loads_nothing(ingested):
    first, second, *_ = ingested
    assert second.new == 0 and second.updated == 0
    assert second.unchanged == first.new
    assert second.chunks_embedded == 0


def test_search_finds_the_report_after_ingest(ingested):
    from search.query import search_database

    _, _, db, _ = ingested
    results = search_database(db, "mal pelayanan publik", top=3)
    assert results, "no results"
    assert results[0].source_uri.endswith(".pdf")
    assert results[0].rank == 1 and results[0].snippet
