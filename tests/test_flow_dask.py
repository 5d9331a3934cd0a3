"""The ingest flow on a 2-worker Dask LocalCluster fills the warehouse exactly as it does alone."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import SAMPLES, fill_inbox

pytestmark = pytest.mark.slow

# Differ between any two runs: when and in which run, not what was ingested.
RUN_COLUMNS = {"run_id", "duration_s"}
RUN_KEYS = {"built_at"}  # index_state keys


@pytest.fixture(scope="module")
def runs(tmp_path_factory, prefect_harness):
    """The same folder (samples, two bad PDFs) ingested alone and on a LocalCluster."""
    from flows.cluster import with_cluster
    from flows.ingest import THREADS, ingest

    folder = fill_inbox(tmp_path_factory.mktemp("inbox"))
    shutil.copy(folder / "inovasi-kecamatan-layanan-kependudukan-jemput-bola.html", folder / "salinan.html")
    alone_db = tmp_path_factory.mktemp("alone") / "lokus.duckdb"
    dask_db = tmp_path_factory.mktemp("dask") / "lokus.duckdb"
    alone = ingest([str(folder)], db_path=str(alone_db))
    on_dask = with_cluster(ingest, "local:2", THREADS)([str(folder)], db_path=str(dask_db))
    return alone, on_dask, alone_db, dask_db


def contents(db) -> dict[str, list[tuple]]:
    """Every table of the warehouse, rows sorted, without timestamps and run ids."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()]  # fmt: skip
        found = {}
        for table in tables:
            columns = [name for name, kind in conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table]
            ).fetchall() if not kind.startswith("TIMESTAMP") and name not in RUN_COLUMNS]  # fmt: skip
            rows = conn.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY ALL').fetchall()
            if table == "index_state":
                rows = [row for row in rows if row[0] not in RUN_KEYS]
            found[table] = rows
        return found
    finally:
        conn.close()


def test_both_runs_load_the_same_documents(runs):
    alone, on_dask, *_ = runs
    assert (alone.new, alone.unchanged) == (on_dask.new, on_dask.unchanged) == (5, 1)  # one copy
    assert sorted(f.uri for f in alone.failures) == sorted(f.uri for f in on_dask.failures)
    assert {f.uri.rsplit("/", 1)[-1] for f in on_dask.failures} == {"rusak.pdf", "terkunci.pdf"}


def test_workers_embedded_the_chunks(runs):
    """On Dask, workers embedded every chunk; the index step found them all stored."""
    alone, on_dask, *_ = runs
    assert alone.chunks_embedded > 0 and alone.embedded_by_workers == 0
    assert on_dask.embedded_by_workers == on_dask.chunks_embedded == alone.chunks_embedded


def test_warehouse_contents_are_identical(runs):
    *_, alone_db, dask_db = runs
    alone, on_dask = contents(alone_db), contents(dask_db)
    assert set(alone) == set(on_dask)
    for table in ("documents", "pages", "chunks", "embeddings", "fact_visits"):
        assert alone[table], f"{table} is empty"
    for table in sorted(alone):
        assert alone[table] == on_dask[table], f"table {table} differs"


def test_search_answers_the_same(runs):
    from search.query import search_database

    *_, alone_db, dask_db = runs
    for query in ("mal pelayanan publik", "e-kinerja ASN"):
        alone = [(r.chunk_id, r.score) for r in search_database(alone_db, query, top=5)]
        on_dask = [(r.chunk_id, r.score) for r in search_database(dask_db, query, top=5)]
        assert alone and alone == on_dask


def test_cluster_addresses():
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from flows.cluster import check_address, task_runner_for

    assert isinstance(task_runner_for(None, 4), ThreadPoolTaskRunner)
    local = task_runner_for("local:3", 4)
    assert isinstance(local, DaskTaskRunner) and local.cluster_kwargs["n_workers"] == 3
    assert task_runner_for("tcp://10.0.0.5:8786", 4).address == "tcp://10.0.0.5:8786"
    assert check_address("local") == "local"
    for bad in ("local:0", "local:two", "tcp://a b"):
        with pytest.raises(ValueError, match="bad Dask address"):
            check_address(bad)


def test_a_bad_cluster_address_is_a_clear_cli_error_whichever_way_it_is_given(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from lokus.cli import app
    from lokus.settings import get_settings

    sample = str(next(p for p in SAMPLES.iterdir() if p.suffix == ".html"))
    db = str(tmp_path / "lokus.duckdb")
    given = CliRunner().invoke(app, ["ingest", "--dask", "local:0", sample, "--db", db])
    assert given.exit_code != 0 and "--dask: bad Dask address 'local:0'" in " ".join(given.output.split())
    monkeypatch.setenv("LOKUS_DASK_ADDRESS", "local:two")
    get_settings.cache_clear()
    try:
        configured = CliRunner().invoke(app, ["ingest", sample, "--db", db])
    finally:
        monkeypatch.delenv("LOKUS_DASK_ADDRESS")
        get_settings.cache_clear()
    said = " ".join(configured.output.split())
    assert configured.exit_code != 0 and "LOKUS_DASK_ADDRESS: bad Dask address 'local:two'" in said, said
    assert not (tmp_path / "lokus.duckdb").exists()  # refused before anything was opened


def test_cli_ingest_on_a_local_cluster_without_a_prefect_server(tmp_path):
    """`lokus ingest --dask local:1` as a user runs it, with no Prefect server configured: the
    flow's temporary server records the worker's task runs too, and the chunks are embedded."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    sample = next(p for p in SAMPLES.iterdir() if p.suffix == ".html")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LOKUS_"))}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # its own database, not the shared one
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"  # a new database, a busy machine
    db = tmp_path / "lokus.duckdb"
    lokus = Path(sys.executable).with_name("lokus")
    done = subprocess.run(
        [str(lokus), "ingest", "--dask", "local:1", str(sample), "--db", str(db)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    said = " ".join(done.stdout.split())  # rich wraps lines
    assert "1 new" in said and "0 failed" in said, said
    conn = duckdb.connect(str(db), read_only=True)
    try:
        chunks, vectors = conn.execute(
            "SELECT count(DISTINCT content_hash), (SELECT count(*) FROM embeddings) FROM chunks"
        ).fetchone()
    finally:
        conn.close()
    assert chunks > 0 and vectors == chunks
