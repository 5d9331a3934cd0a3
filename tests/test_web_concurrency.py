"""The web app keeps answering while a real ingest run writes, and serves its documents after.

The ingest is the real `lokus ingest` command (Prefect flow) in another process, as a scheduled
run would be; the server is uvicorn on 127.0.0.1; the client is plain HTTP.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import test_web_fixtures as fx

from lokus.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
NEW_QUERY = "Tanginas pencegahan tengkes Sumedang"
NEW_FILE = next(iter(fx.LATE_DOCUMENTS))


def names(results: list[dict]) -> list[str]:
    return [Path(r["source_uri"]).name for r in results]


@pytest.mark.slow
def test_search_keeps_answering_during_an_ingest_and_finds_new_documents_after(tmp_path):
    db = fx.build_warehouse(tmp_path / "wh", fx.DOCUMENTS)
    late = fx.write_documents(tmp_path / "late", fx.LATE_DOCUMENTS)
    app = create_app(db)
    with fx.LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        before = client.get("/api/search", params={"q": NEW_QUERY}).json()
        assert NEW_FILE not in names(before)

        statuses: list[int] = []
        errors: list[str] = []
        stop = threading.Event()

        def keep_searching() -> None:
            queries = ["mal pelayanan publik", "pengelolaan arsip", NEW_QUERY, "bank sampah"]
            i = 0
            while not stop.is_set():
                try:
                    response = client.get("/api/search", params={"q": queries[i % len(queries)]})
                    statuses.append(response.status_code)
                except httpx.HTTPError as exc:  # a refused or dropped connection is a failure too
                    errors.append(repr(exc))
                i += 1
                time.sleep(0.05)

        searcher = threading.Thread(target=keep_searching)
        searcher.start()
        env = {
            **os.environ, "PREFECT_LOGGING_LEVEL": "WARNING", "HF_HUB_OFFLINE": "1", "COLUMNS": "200",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",  # slow on a busy 2-core machine
        }
        try:
            ingest = subprocess.run(
                [sys.executable, "-m", "lokus.cli", "ingest", str(late[0].parent), "--db", str(db)],
                capture_output=True, text=True, cwd=REPO, env=env, timeout=600,
            )
        finally:
            stop.set()
            searcher.join(timeout=120)
        assert ingest.returncode == 0, ingest.stdout + ingest.stderr

        assert not errors, errors[:3]
        assert len(statuses) >= 10, "the client should have searched throughout the run"
        assert set(statuses) == {200}, sorted(set(statuses))

        after = client.get("/api/search", params={"q": NEW_QUERY}).json()
        assert names(after)[0] == NEW_FILE
        assert app.state.warehouse.opened == 2  # reopened once, after the run published
