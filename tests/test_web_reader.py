"""The web app's reader: published copy only, reopened after each publish, old copies closed."""

from __future__ import annotations

import duckdb
import pytest

from lokus.web.reader import NotPublished, PublishedWarehouse
from warehouse.db import connect
from warehouse.publish import checkpoint_and_close, publish


def add_run(db_path, run_id: str) -> None:
    conn = connect(db_path)
    conn.execute("INSERT INTO ingest_runs (run_id, started_at) VALUES (?, now())", [run_id])
    checkpoint_and_close(conn)


def runs(warehouse: PublishedWarehouse) -> list[str]:
    with warehouse.reader() as conn:
        return [r[0] for r in conn.execute("SELECT run_id FROM ingest_runs ORDER BY 1").fetchall()]


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "lokus.duckdb"
    add_run(path, "a")
    publish(path)
    return path


def test_nothing_published_is_a_clear_error(tmp_path):
    add_run(tmp_path / "lokus.duckdb", "a")  # a working file alone is never opened
    warehouse = PublishedWarehouse(tmp_path / "lokus.duckdb")
    with pytest.raises(NotPublished, match="lokus ingest"), warehouse.reader():
        pass
    warehouse.close()


def test_a_writer_can_open_the_working_file_while_the_app_reads(db_path):
    warehouse = PublishedWarehouse(db_path)
    with warehouse.reader() as conn:
        assert conn.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 1
        add_run(db_path, "b")  # would raise a lock error if the app held the working file
    warehouse.close()


def test_each_publish_is_seen_by_the_next_request_only(db_path):
    warehouse = PublishedWarehouse(db_path)
    assert runs(warehouse) == ["a"]
    add_run(db_path, "b")
    assert runs(warehouse) == ["a"]  # written but not published yet
    publish(db_path)
    assert runs(warehouse) == ["a", "b"]
    assert warehouse.opened == 2
    assert runs(warehouse) == ["a", "b"] and warehouse.opened == 2  # unchanged file: no reopen
    warehouse.close()


def test_a_request_in_flight_keeps_its_copy_and_the_old_copy_closes_after(db_path):
    warehouse = PublishedWarehouse(db_path)
    with warehouse.reader() as old:
        add_run(db_path, "b")
        publish(db_path)
        assert runs(warehouse) == ["a", "b"]  # a new request opens the new copy
        assert old.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 1  # consistent view
    with pytest.raises(duckdb.ConnectionException):
        old.execute("SELECT 1")  # the retired copy was closed when its last request ended
    warehouse.close()


def test_memo_lasts_until_the_next_publish(db_path):
    warehouse = PublishedWarehouse(db_path)
    calls = []

    def count() -> int:
        with warehouse.reader() as conn:
            return warehouse.memo(("n",), lambda: calls.append(1) or len(conn.execute(
                "SELECT * FROM ingest_runs").fetchall()))

    assert count() == 1 and count() == 1 and len(calls) == 1
    add_run(db_path, "b")
    publish(db_path)
    assert count() == 2 and len(calls) == 2
    warehouse.close()


def test_the_app_connection_cannot_write_or_reach_files(db_path, tmp_path):
    warehouse = PublishedWarehouse(db_path)
    with warehouse.fresh() as conn:
        with pytest.raises(duckdb.Error):
            conn.execute("INSERT INTO ingest_runs (run_id, started_at) VALUES ('x', now())")
        with pytest.raises(duckdb.PermissionException):
            conn.execute(f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'")
        with pytest.raises(duckdb.Error):
            conn.execute("SET enable_external_access = true")
        names = {r[0] for r in conn.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        assert names == {"lokus", "system", "temp"}  # no writable in-memory database left
    assert not (tmp_path / "x.csv").exists()
    warehouse.close()
