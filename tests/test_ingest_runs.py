"""Run history, the writer lock, withdrawals and the per-document fetch decision (no Prefect)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from extract.model import Chunk, Document, Page
from flows.fetch import Fetcher
from flows.steps import Failed, Known, Processed, SourceInfo, Target, Unchanged, fetch_and_read, prepare
from lokus.cli import app
from warehouse.db import connect
from warehouse.fetch_state import get_state
from warehouse.index_pending import clear_index_pending, index_needed, pending_since
from warehouse.load import load_document, mark_restored, mark_withdrawn
from warehouse.publish import publish
from warehouse.runs import (
    Failure,
    RunCounts,
    close_stale_runs,
    find_run,
    finish_run,
    recent_runs,
    record_failure,
    run_errors,
    start_run,
)
from warehouse.writer import WarehouseBusy, open_writer


def make_doc(text: str, uri: str) -> tuple[Document, list[Chunk]]:
    data = text.encode()
    doc = Document(source_uri=uri, sha256=hashlib.sha256(data).hexdigest(), doc_type="text",
                   pages=[Page(1, text)], byte_size=len(data))
    return doc, [Chunk(doc.document_id, 1, 0, text, 0, len(text))]


# -- run history ------------------------------------------------------------------------------


def test_stale_running_run_is_closed_as_interrupted_with_a_reason(warehouse):
    start_run(warehouse, "mati", "laporan")
    start_run(warehouse, "selesai", "laporan")
    finish_run(warehouse, "selesai", RunCounts(new=2))
    assert close_stale_runs(warehouse) == ["mati"]
    assert find_run(warehouse, "mati").status == "interrupted"
    assert find_run(warehouse, "selesai").status == "completed"
    (error,) = run_errors(warehouse, "mati")
    assert (error.stage, error.error_class) == ("run", "Interrupted")
    assert close_stale_runs(warehouse) == []


def test_recent_runs_newest_first_and_errors_of_one_run(warehouse):
    for i, source in enumerate(["a", "b", "a"]):
        start_run(warehouse, f"run{i}", source)
        counts = RunCounts(new=i, failures=[Failure(f"/x/{i}.pdf", "read", "CorruptDocument", "rusak")])
        record_failure(warehouse, f"run{i}", source, counts.failures[0])
        finish_run(warehouse, f"run{i}", counts)
        time.sleep(0.01)
    assert [r.run_id for r in recent_runs(warehouse, last=2)] == ["run2", "run1"]
    assert [r.run_id for r in recent_runs(warehouse, source="a")] == ["run2", "run0"]
    assert recent_runs(warehouse)[0].n_failed == 1
    assert [e.uri for e in run_errors(warehouse, "run1")] == ["/x/1.pdf"]
    assert find_run(warehouse, "run") is None  # ambiguous prefix
    assert find_run(warehouse, "run1").source == "b"


# -- one writer at a time ---------------------------------------------------------------------


def test_second_writer_in_this_process_is_refused(tmp_path):
    path = tmp_path / "lokus.duckdb"
    with open_writer(path):
        second = open_writer(path)
        with pytest.raises(WarehouseBusy, match="another ingest is running on"):
            second.__enter__()
    with open_writer(path) as conn:  # released at the end of the block
        assert conn.execute("SELECT 1").fetchone() == (1,)


HOLD = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.close()
"""


def test_writer_held_by_another_process_is_named_and_can_be_waited_for(tmp_path):
    path = tmp_path / "lokus.duckdb"
    connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), "3"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(WarehouseBusy) as refused, open_writer(path):
            pass
        assert f"another ingest is running on {path.resolve()} (process {holder.pid})" in str(
            refused.value)
        messages = []
        started = time.monotonic()
        with open_writer(path, wait_s=60, poll_s=0.2, on_wait=messages.append) as conn:
            waited = time.monotonic() - started
            assert conn.execute("SELECT count(*) FROM ingest_runs").fetchone() == (0,)
        assert waited > 1 and len(messages) == 1 and "waiting up to 60 s" in messages[0]
    finally:
        holder.wait(30)


# -- withdrawals, replacements and the index marker --------------------------------------------


def test_withdraw_and_restore_mark_the_index_pending(warehouse):
    doc, chunks = make_doc("Laporan kunjungan ke Bappeda Sukamaju.", "https://a.go.id/1")
    assert not index_needed(warehouse) or pending_since(warehouse) is None
    load_document(warehouse, doc, chunks)
    seen = pending_since(warehouse)
    assert seen is not None
    clear_index_pending(warehouse, seen)
    assert pending_since(warehouse) is None
    assert mark_withdrawn(warehouse, [doc.source_uri]) == 1
    assert pending_since(warehouse) is not None
    clear_index_pending(warehouse, pending_since(warehouse))
    assert mark_withdrawn(warehouse, [doc.source_uri]) == 0  # already withdrawn: no change
    assert pending_since(warehouse) is None
    assert mark_restored(warehouse, [doc.source_uri]) == 1
    assert warehouse.execute("SELECT status FROM documents").fetchone() == ("active",)
    assert pending_since(warehouse) is not None


def test_new_content_that_duplicates_another_uri_removes_the_old_version(warehouse):
    a, a_chunks = make_doc("Isi lama di alamat A.", "https://a.go.id/a")
    b, b_chunks = make_doc("Isi yang juga ada di B.", "https://a.go.id/b")
    load_document(warehouse, a, a_chunks)
    load_document(warehouse, b, b_chunks)
    moved, moved_chunks = make_doc("Isi yang juga ada di B.", "https://a.go.id/a")
    result = load_document(warehouse, moved, moved_chunks)
    assert (result.outcome, result.replaced_document_id, result.duplicate_of) == (
        "updated", a.document_id, b.document_id)
    assert warehouse.execute("SELECT source_uri FROM documents").fetchall() == [(b.source_uri,)]
    assert warehouse.execute("SELECT count(*) FROM chunks").fetchone() == (1,)


# -- the fetch decision for one document ------------------------------------------------------


def parse_counting(calls: list[str]):
    def parse(target, data, content_type):
        calls.append(target.uri)
        return prepare(target, data, content_type, chunk_chars=800, chunk_overlap=120)
    return parse


def test_unchanged_file_is_a_stat_changed_one_is_read_bad_one_reported_again(tmp_path, warehouse):
    from warehouse.fetch_state import put_state

    good = tmp_path / "laporan.txt"
    good.write_text("Peserta PKP belajar bank sampah digital di Kelurahan Cibening.")
    bad = tmp_path / "rusak.pdf"
    bad.write_bytes(b"%PDF-1.4 rusak")
    source = SourceInfo("laporan", {"owner": "Bappeda"})
    calls: list[str] = []
    parse = parse_counting(calls)
    with Fetcher(trust_env=False) as fetcher:
        first = fetch_and_read(Target(str(good)), Known(), fetcher=fetcher, parse=parse,
                               source=source)
        assert isinstance(first, Processed) and first.document.metadata["owner"] == "Bappeda"
        load_document(warehouse, first.document, first.chunks)
        put_state(warehouse, first.state)
        broken = fetch_and_read(Target(str(bad)), Known(), fetcher=fetcher, parse=parse,
                                source=source)
        assert isinstance(broken, Failed) and broken.state.last_error.startswith("CorruptDocument")
        put_state(warehouse, broken.state)
        assert calls == [str(good), str(bad)]

        known_good = Known(get_state(warehouse, str(good)), first.document.sha256, True)
        known_bad = Known(get_state(warehouse, str(bad)))
        again = fetch_and_read(Target(str(good)), known_good, fetcher=fetcher, parse=parse,
                               source=source)
        again_bad = fetch_and_read(Target(str(bad)), known_bad, fetcher=fetcher, parse=parse,
                                   source=source)
        assert isinstance(again, Unchanged) and again.state.last_status == 304
        assert isinstance(again_bad, Failed)
        assert again_bad.failure.error_class == broken.failure.error_class
        assert calls == [str(good), str(bad)]  # neither was read again

        good.write_text("Peserta PKP belajar bank sampah digital; versi kedua.")
        changed = fetch_and_read(Target(str(good)), known_good, fetcher=fetcher, parse=parse,
                                 source=source)
    assert isinstance(changed, Processed) and "versi kedua" in changed.document.text
    assert calls[-1] == str(good)


def test_validators_are_sent_only_when_the_content_is_stored_or_known_bad(tmp_path, warehouse):
    from warehouse.fetch_state import FetchState

    state = FetchState(uri="u", source="s", etag='"e"', last_modified="lm", content_sha256="abc")
    assert Known(state, None, content_stored=False).validators() == (None, None)
    assert Known(state, None, content_stored=True).validators() == ('"e"', "lm")
    errored = FetchState(uri="u", source="s", etag='"e"', last_error="CorruptDocument: x")
    assert Known(errored).validators() == ('"e"', None)
    assert Known().validators() == (None, None)


# -- the admin's commands ---------------------------------------------------------------------


def test_sources_check_names_line_and_field(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: berita\n    kind: feed\n    location: https://a.go.id/f\n"
                   "    schedule: '61 * * * *'\n")
    result = CliRunner().invoke(app, ["sources", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:5: sources[0] (berita).schedule:" in result.output.replace("\n", " ")
    good = tmp_path / "ok.yaml"
    good.write_text("sources:\n  - name: berita\n    kind: feed\n    location: https://a.go.id/f\n")
    assert CliRunner().invoke(app, ["sources", "check", str(good)]).exit_code == 0


def test_runs_and_errors_read_the_published_copy(tmp_path):
    db = tmp_path / "lokus.duckdb"
    conn = connect(db)
    start_run(conn, "abc123def456", "laporan")
    failure = Failure("/laporan/rusak.pdf", "read", "CorruptDocument", "truncated PDF")
    record_failure(conn, "abc123def456", "laporan", failure)
    finish_run(conn, "abc123def456", RunCounts(new=3, failures=[failure]))
    conn.execute("CHECKPOINT")
    conn.close()
    publish(db)
    conn = connect(db)
    start_run(conn, "unpublished1", "laporan")  # a run still going: not in the published copy
    conn.close()
    runner = CliRunner()
    runs = runner.invoke(app, ["runs", "--db", str(db), "--json"])
    assert runs.exit_code == 0
    assert '"run_id": "abc123def456"' in runs.output and '"n_failed": 1' in runs.output
    assert "unpublished1" not in runs.output
    errors = runner.invoke(app, ["errors", "--db", str(db), "--run", "abc123"], env={"COLUMNS": "200"})
    assert errors.exit_code == 0 and "truncated PDF" in errors.output
    assert runner.invoke(app, ["errors", "--db", str(db), "--run", "nope"]).exit_code == 1


def test_ingest_needs_paths_or_sources():
    result = CliRunner().invoke(app, ["ingest"])
    assert result.exit_code == 1


def test_load_many_commits_together_and_isolates_a_bad_document(warehouse):
    from warehouse.load import LoadResult, load_many

    docs = [make_doc(f"Laporan kelompok {i} tentang inovasi desa.", f"https://a.go.id/{i}")
            for i in range(3)]

    def explode(conn, doc):
        raise RuntimeError("facts failed")

    items = [(docs[0][0], docs[0][1], None), (docs[1][0], docs[1][1], explode),
             (docs[2][0], docs[2][1], None)]
    results = load_many(warehouse, items)
    assert [type(r) for r in results] == [LoadResult, RuntimeError, LoadResult]
    stored = {row[0] for row in warehouse.execute("SELECT source_uri FROM documents").fetchall()}
    assert stored == {"https://a.go.id/0", "https://a.go.id/2"}
    assert warehouse.execute("SELECT count(*) FROM chunks").fetchone() == (2,)
