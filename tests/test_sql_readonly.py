"""The analysts' SQL: reads work; writes, file access and runaway queries are refused."""

from __future__ import annotations

import pytest

from warehouse.db import connect
from warehouse.sql import QueryRefused, open_readonly, run_query


@pytest.fixture
def readonly(tmp_path):
    path = tmp_path / "w.duckdb"
    conn = connect(path)
    conn.execute("INSERT INTO ingest_runs (run_id, started_at) VALUES ('r1', now())")
    conn.close()
    ro = open_readonly(path)
    yield ro
    ro.close()


def test_select_works(readonly):
    result = run_query(readonly, "SELECT run_id FROM ingest_runs")
    assert result.columns == ["run_id"]
    assert result.rows == [("r1",)]


@pytest.mark.parametrize(
    "statement, reason",
    [
        ("DROP TABLE documents", "DROP"),
        ("INSERT INTO ingest_runs (run_id, started_at) VALUES ('x', now())", "INSERT"),
        ("COPY documents TO '/tmp/out.csv'", "COPY"),
        ("ATTACH '/tmp/other.duckdb'", "ATTACH"),
        ("INSTALL fts", "refused"),
        ("LOAD fts", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("SELECT 1; SELECT 2", "exactly one"),
        ("SELECT * FROM read_csv('/etc/passwd')", "file and network access"),
        ("SELECT * FROM glob('/etc/*')", "file and network access"),
    ],
)
def test_refused(readonly, statement, reason):
    with pytest.raises(QueryRefused, match=reason):
        run_query(readonly, statement)


def test_row_cap(readonly):
    result = run_query(readonly, "SELECT * FROM range(100)", max_rows=10)
    assert len(result.rows) == 10
    assert result.truncated


def test_runaway_query_is_stopped(readonly):
    with pytest.raises(QueryRefused, match="time limit"):
        run_query(readonly, "SELECT count(*) FROM range(100000000) a, range(100000000) b",
                  timeout_s=0.5)
    assert run_query(readonly, "SELECT 42").rows == [(42,)]
