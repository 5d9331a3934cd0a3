"""The SQL workspace over HTTP: reads work and download; writes, files and runaway queries do not.

A real uvicorn server on 127.0.0.1 over a real published warehouse; after every refusal the
server must still answer.
"""

from __future__ import annotations

import csv
import io
import threading
import time

import httpx
import pyarrow.parquet as pq
import pytest
import test_web_fixtures as fx

from lokus.web.app import create_app

TIMEOUT_S = 2.0
MAX_ROWS = 1000


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = fx.shared_warehouse(tmp_path_factory.getbasetemp())
    app = create_app(db, sql_timeout_s=TIMEOUT_S, sql_max_rows=MAX_ROWS)
    with fx.LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


def run(client, sql: str, fmt: str = "json") -> httpx.Response:
    return client.post("/api/sql", json={"sql": sql, "format": fmt})


def still_up(client) -> None:
    response = client.get("/api/search", params={"q": "pengelolaan arsip"})
    assert response.status_code == 200 and response.json()


def test_a_select_returns_columns_rows_and_no_truncation(client):
    answer = run(client, "SELECT host_region, count(*) AS n FROM visits GROUP BY 1 ORDER BY 2 DESC, 1").json()
    assert answer["columns"] == ["host_region", "n"]
    assert answer["rows"] == [["Kabupaten Banyuwangi", 2], ["Kota Surabaya", 1], ["Kota Yogyakarta", 1]]
    assert answer["truncated"] is False and answer["max_rows"] == MAX_ROWS


@pytest.mark.parametrize(
    "statement, reason",
    [
        ("DROP TABLE documents", "DROP"),
        ("DELETE FROM documents", "DELETE"),
        ("CREATE TABLE x AS SELECT 1", "CREATE"),
        ("COPY documents TO '/tmp/lokus-web-copy.csv'", "COPY"),
        ("ATTACH '/tmp/lokus-web-other.duckdb' AS other", "ATTACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD fts", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("SELECT * FROM read_csv('/etc/passwd')", "file and network access"),
        ("SELECT * FROM '/etc/passwd.csv'", "file and network access"),
        ("SELECT * FROM read_text('http://127.0.0.1:9/x')", "file and network access"),
        ("SELECT * FROM duckdb_databases()", "not available here"),
        ("SELECT current_setting('temp_directory')", "not available here"),
        ("SELECT 1; DROP TABLE documents", "exactly one"),
    ],
)
def test_writes_files_and_server_information_are_refused(client, statement, reason):
    response = run(client, statement)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    still_up(client)


def test_copy_writes_no_file(client, tmp_path):
    target = tmp_path / "out.csv"
    assert run(client, f"COPY (SELECT 1) TO '{target}'").status_code == 400
    assert not target.exists()


def test_a_ten_million_row_cross_join_stops_at_the_row_cap(client):
    started = time.perf_counter()
    answer = run(client, "SELECT a.range AS a, b.range AS b FROM range(10000) a, range(1000) b").json()
    assert answer["truncated"] is True and answer["row_count"] == MAX_ROWS
    assert time.perf_counter() - started < TIMEOUT_S + 5
    still_up(client)


def test_a_cross_join_that_must_finish_is_stopped_at_the_time_limit(client):
    started = time.perf_counter()
    # 10^10 joined rows, each tested: minutes of work, unlike a bare count(*) that DuckDB shortcuts
    response = run(client, "SELECT count(*) FROM range(100000) a, range(100000) b "
                           "WHERE (a.range * b.range) % 7 = 3")
    assert response.status_code == 400
    assert "time limit" in response.json()["detail"]
    assert time.perf_counter() - started < TIMEOUT_S + 5
    still_up(client)


def test_a_sleeping_statement_is_stopped_and_search_answers_meanwhile(client):
    outcome: dict = {}

    def sleeper() -> None:
        outcome["response"] = run(client, "SELECT sleep_ms(60000)")

    thread = threading.Thread(target=sleeper)
    started = time.perf_counter()
    thread.start()
    time.sleep(0.3)
    still_up(client)
    searched_after = time.perf_counter() - started
    thread.join(timeout=30)
    response = outcome["response"]
    assert response.status_code == 400 and "time limit" in response.json()["detail"]
    assert searched_after < TIMEOUT_S  # search did not wait for the sleeping statement
    still_up(client)


def test_csv_download(client):
    response = run(client, "SELECT visit_id, program, year FROM visits ORDER BY year", "csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="lokus-query.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["visit_id", "program", "year"]
    assert [r[1:] for r in rows[1:]] == [
        ["Diklatpim IV", "2017"], ["PKA", "2019"], ["Diklatpim III", "2021"], ["PKP", "2022"]
    ]


def test_parquet_download_keeps_types(client):
    response = run(client, "SELECT program, year, start_date FROM visits ORDER BY year", "parquet")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == ["program", "year", "start_date"]
    assert table.column("year").to_pylist() == [2017, 2019, 2021, 2022]
    assert str(table.schema.field("start_date").type) == "date32[day]"


def test_workspace_page_lists_the_analyst_views_with_columns(client):
    page = client.get("/sql")
    assert page.status_code == 200
    for view in ("visits", "visit_groups", "site_profiles", "awards", "practices", "metrics"):
        assert f"<code>{view}</code>" in page.text
    assert "<code>host_region VARCHAR</code>" in page.text


def test_workspace_form_shows_a_refusal_on_the_page(client):
    page = client.post("/sql", data={"sql": "DROP TABLE documents", "format": "table"})
    assert page.status_code == 400
    assert "DROP statements are refused" in page.text
    assert 'id="sql-error"' in page.text
