"""Scheduling: a Prefect deployment per source, served by `lokus schedule`, run by hand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import REPO
from generated_docs import write_documents

from flows.schedule import deployment_options

SOURCES = """
sources:
  - name: laporan
    kind: folder
    location: laporan
    schedule: "0 1 * * *"
  - name: berita
    kind: feed
    location: https://contoh-kota.go.id/feed/
    schedule: "@weekly"
    timezone: Asia/Makassar
    region: Kota Contoh
    enabled: false
  - name: pilihan
    kind: urls
    urls: [https://contoh-kab.go.id/dokumen/laporan.pdf]
"""


N_DOCS = 40  # more than the parser handles in threads: its worker processes start too


@pytest.fixture
def sources_file(tmp_path):
    write_documents(tmp_path / "laporan", N_DOCS)
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES)
    return path


def test_each_source_gets_its_schedule_time_zone_and_parameters(sources_file, tmp_path):
    from flows.sources import load_sources

    db = tmp_path / "lokus.duckdb"
    options = {s.name: deployment_options(s, sources_file, db) for s in load_sources(sources_file)}
    assert set(options) == {"laporan", "berita", "pilihan"}
    laporan, berita, pilihan = options["laporan"], options["berita"], options["pilihan"]
    assert (laporan["schedule"].cron, laporan["schedule"].timezone) == ("0 1 * * *", "Asia/Jakarta")
    assert (berita["schedule"].cron, berita["schedule"].timezone) == ("0 0 * * 0", "Asia/Makassar")
    assert pilihan["schedule"] is None  # runs by hand only
    assert berita["paused"] and not laporan["paused"]
    assert laporan["parameters"] == {
        "source_name": "laporan", "sources_file": str(sources_file.resolve()),
        "db_path": str(db.resolve()), "lock_wait_s": 3600.0,
    }
    assert "Kota Contoh" in berita["tags"]


@pytest.mark.slow
def test_served_deployment_runs_one_source_by_hand(sources_file, tmp_path, prefect_harness):
    """`lokus schedule` registers the deployments; one is triggered by hand and ingests."""
    from prefect.deployments import run_deployment
    from prefect.settings import get_current_settings

    db = tmp_path / "lokus.duckdb"
    env = dict(os.environ, PREFECT_API_URL=str(get_current_settings().api.url),
               PREFECT_RUNNER_POLL_FREQUENCY="1", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "lokus.cli", "schedule", "--sources", str(sources_file), "--db",
         str(db)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        flow_run = _run_when_registered(run_deployment, "ingest-source/laporan", server)
        assert flow_run.state.is_completed(), flow_run.state
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output = server.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    conn = duckdb.connect(str(db), read_only=True)
    try:
        assert conn.execute("SELECT source, status, n_new FROM ingest_runs").fetchall() == [
            ("laporan", "completed", N_DOCS)], output
    finally:
        conn.close()


def _run_when_registered(run_deployment, name: str, server: subprocess.Popen, timeout: float = 120):
    """Trigger the deployment once the serving process has registered it."""
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise AssertionError("lokus schedule exited:\n" + server.communicate()[0])
        try:
            return run_deployment(name, timeout=timeout, poll_interval=1)
        except ObjectNotFound:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
