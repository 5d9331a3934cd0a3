"""Crash safety and one writer at a time, with real `lokus ingest` processes.

An ingest is killed with SIGKILL while it loads documents, then again while it indexes; the
next run must finish the work and leave exactly one copy of every document with its pages,
chunks, facts and vectors. Two ingests at once: the second refuses with a clear message, or
(with --wait) queues behind the first. Subprocesses use the session's Prefect server.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from generated_docs import write_documents

pytestmark = pytest.mark.slow

N_DOCS = 60
PROGRESS = re.compile(r"(\d+)/(\d+) documents:")


@pytest.fixture(scope="module")
def api_env(prefect_harness) -> dict[str, str]:
    """Environment for `lokus` subprocesses: the test Prefect server, INFO logs, unbuffered."""
    from prefect.settings import get_current_settings

    env = dict(os.environ)
    env.update({
        "PREFECT_API_URL": str(get_current_settings().api.url),
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "COLUMNS": "200",
        "LOKUS_PARSE_INLINE_FIRST": "2",  # parser workers from the third document on
    })
    return env


@pytest.fixture(scope="module")
def folder_source(tmp_path_factory) -> tuple[Path, Path]:
    """A folder of invented documents and a sources file listing it."""
    root = tmp_path_factory.mktemp("crash")
    docs = root / "laporan"
    write_documents(docs, N_DOCS)
    sources = root / "sources.yaml"
    sources.write_text(f"sources:\n  - name: laporan\n    kind: folder\n    location: {docs}\n")
    return docs, sources


class Ingest:
    """A `lokus ingest` subprocess whose output lines are collected as they come."""

    def __init__(self, env: dict[str, str], sources: Path, db: Path, *extra: str) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lokus.cli", "ingest", "--sources", str(sources), "--db",
             str(db), "-v", *extra],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, predicate, timeout: float = 180.0) -> str:
        """The first output line satisfying predicate (fails if the process ends first)."""
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            while seen < len(self.lines):
                line = self.lines[seen]
                seen += 1
                if predicate(line):
                    return line
            if self.proc.poll() is not None and seen >= len(self.lines):
                self._reader.join(5)
                if seen >= len(self.lines):
                    break
            time.sleep(0.01)
        raise AssertionError("line not seen; output was:\n" + "".join(self.lines[-40:]))

    def kill(self) -> list[int]:
        """SIGKILL the ingest; returns the PIDs of the processes it had started."""
        children = child_pids(self.proc.pid)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        return children

    def finish(self, timeout: float = 300.0) -> tuple[int, str]:
        code = self.proc.wait(timeout)
        self._reader.join(10)
        return code, "".join(self.lines)


def child_pids(pid: int) -> list[int]:
    """Processes whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pids: list[int], within: float = 10.0) -> list[int]:
    """The pids still running after waiting up to `within` seconds for them to exit."""
    deadline = time.monotonic() + within
    while True:
        running = [pid for pid in pids if _running(pid)]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.2)


def _running(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


def loaded_so_far(line: str) -> int:
    match = PROGRESS.search(line)
    return int(match.group(1)) if match else 0


def query(db: Path, sql: str, params=()) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql, list(params)).fetchall()
    finally:
        conn.close()


def expected_rows(paths: list[Path]) -> dict[str, dict[str, int]]:
    """Per document (by path): the rows one clean read gives for pages, chunks and facts."""
    from flows.steps import Target, prepare
    from lokus.settings import get_settings
    from warehouse.facts import fact_rows

    settings = get_settings()
    expected = {}
    for path in paths:
        done = prepare(Target(str(path)), path.read_bytes(), None,
                       chunk_chars=settings.chunk_chars, chunk_overlap=settings.chunk_overlap)
        counts = {"pages": len(done.document.pages), "chunks": len(done.chunks)}
        if done.facts is not None:
            for table, table_rows in fact_rows(done.document.document_id, done.facts).items():
                counts[table] = len(table_rows)
        expected[str(path.resolve())] = counts
    return expected


def stored_rows(db: Path, tables: list[str]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for table in tables:
        for uri, n in query(db, f"SELECT d.source_uri, count(t.document_id) FROM documents d "
                                f"LEFT JOIN {table} t USING (document_id) GROUP BY ALL"):
            found.setdefault(uri, {})[table] = n
    return found


def test_killed_twice_then_completed_leaves_one_copy_of_everything(
    tmp_path, api_env, folder_source
):
    docs, sources = folder_source
    db = tmp_path / "lokus.duckdb"

    loading = Ingest(api_env, sources, db)
    loading.wait_for(lambda line: loaded_so_far(line) >= 6)
    workers = loading.kill()
    assert workers, "parsing should run in worker processes"
    assert alive(workers) == []  # workers of a killed ingest exit by themselves
    (run_1, status_1), = query(db, "SELECT run_id, status FROM ingest_runs")
    n_docs = query(db, "SELECT count(*) FROM documents")[0][0]
    assert status_1 == "running"
    assert 0 < n_docs < N_DOCS, "the kill should land while documents are being loaded"

    indexing = Ingest(api_env, sources, db)
    indexing.wait_for(lambda line: "indexing:" in line)
    time.sleep(1.0)  # inside the index step: loading the model or embedding
    indexing.kill()
    assert query(db, "SELECT count(*) FROM documents")[0][0] == N_DOCS
    assert query(db, "SELECT status FROM ingest_runs WHERE run_id = ?", [run_1]) == [
        ("interrupted",)]

    code, output = Ingest(api_env, sources, db).finish()
    assert code == 0, output
    assert "had been interrupted" in output

    statuses = Counter(status for (status,) in query(db, "SELECT status FROM ingest_runs"))
    assert statuses == {"interrupted": 2, "completed": 1}
    interrupted_errors = query(db, "SELECT count(*) FROM ingest_errors WHERE stage = 'run' "
                                   "AND error_class = 'Interrupted'")
    assert interrupted_errors == [(2,)]

    paths = sorted(p for p in docs.rglob("*") if p.is_file())
    uris = [uri for (uri,) in query(db, "SELECT source_uri FROM documents WHERE status = 'active'")]
    assert sorted(uris) == sorted(str(p.resolve()) for p in paths)  # each exactly once
    expected = expected_rows(paths)
    tables = sorted({table for counts in expected.values() for table in counts})
    assert stored_rows(db, tables) == expected
    orphans = query(db, "SELECT count(*) FROM chunks WHERE document_id NOT IN "
                        "(SELECT document_id FROM documents)")
    assert orphans == [(0,)]
    assert query(db, "SELECT count(*) FROM fetch_state") == [(N_DOCS,)]
    without_vector = query(db, "SELECT count(*) FROM chunks c ANTI JOIN embeddings e "
                               "USING (content_hash)")
    assert without_vector == [(0,)]
    fts_mismatch = query(db, "SELECT count(*) FROM chunks c FULL JOIN fts_main_chunks.docs f "
                             "ON f.name = c.chunk_id WHERE c.chunk_id IS NULL OR f.name IS NULL")
    assert fts_mismatch == [(0,)]
    assert query(db, "SELECT count(*) FROM index_state WHERE key = 'pending_since'") == [(0,)]


def test_second_ingest_refuses_or_waits_while_one_runs(tmp_path, api_env, folder_source):
    _, sources = folder_source
    db = tmp_path / "lokus.duckdb"

    first = Ingest(api_env, sources, db)
    first.wait_for(lambda line: "started (source laporan)" in line)
    refused = Ingest(api_env, sources, db)
    queued = Ingest(api_env, sources, db, "--wait", "300")
    queued.wait_for(lambda line: "waiting up to 300 s for another ingest" in line)
    refused_code, refused_output = refused.finish(120)
    first_code, first_output = first.finish()
    queued_code, queued_output = queued.finish()

    assert refused_code == 1
    assert f"another ingest is running on {db.resolve()}" in " ".join(refused_output.split())
    assert first_code == 0, first_output
    assert queued_code == 0, queued_output
    runs = query(db, "SELECT status, n_new, n_unchanged FROM ingest_runs ORDER BY started_at")
    assert runs == [("completed", N_DOCS, 0), ("completed", 0, N_DOCS)]
    assert query(db, "SELECT count(*), count(DISTINCT source_uri) FROM documents") == [
        (N_DOCS, N_DOCS)]
