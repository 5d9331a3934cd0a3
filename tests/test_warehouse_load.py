"""Loading documents: migrations, idempotency, replacement, duplicates, atomicity."""

from __future__ import annotations

import hashlib

import pytest

from extract.model import Chunk, Document, Page, Table
from warehouse.db import connect, migrations, schema_version
from warehouse.load import load_document, mark_withdrawn


def make_doc(text: str, uri: str = "file:///laporan.txt") -> Document:
    data = text.encode()
    doc = Document(
        source_uri=uri, sha256=hashlib.sha256(data).hexdigest(), doc_type="text",
        pages=[Page(1, text), Page(2, text.upper())], title="Laporan",
        tables=[Table(1, 0, [["Indikator", "Target"], ["IKM", "85,5"]])], byte_size=len(data),
    )
    return doc


def chunks_of(doc: Document) -> list[Chunk]:
    return [Chunk(doc.document_id, p.number, i, p.text, 0, len(p.text)) for i, p in enumerate(doc.pages)]


def count(conn, table: str, document_id: str | None = None) -> int:
    if document_id is None:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return conn.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", [document_id]).fetchone()[0]


def test_migrations_applied_once(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    conn = connect(path)
    assert schema_version(conn) == max(v for v, _, _ in migrations())
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations())


def test_new_then_unchanged(warehouse):
    doc = make_doc("Kunjungan peserta PKA ke Mal Pelayanan Publik.")
    assert load_document(warehouse, doc, chunks_of(doc)).outcome == "new"
    assert load_document(warehouse, doc, chunks_of(doc)).outcome == "unchanged"
    assert count(warehouse, "documents") == 1
    assert count(warehouse, "pages") == 2
    assert count(warehouse, "chunks") == 2
    assert count(warehouse, "tables") == 1


def test_changed_content_replaces_previous_version_whole(warehouse):
    old = make_doc("Versi pertama laporan benchmarking.")
    new = make_doc("Versi kedua laporan benchmarking, diperbarui.")
    load_document(warehouse, old, chunks_of(old))
    warehouse.execute("CREATE TABLE fake_facts (document_id VARCHAR, fact VARCHAR)")
    warehouse.execute("INSERT INTO fake_facts VALUES (?, 'x')", [old.document_id])

    result = load_document(warehouse, new, chunks_of(new))

    assert result.outcome == "updated"
    assert result.replaced_document_id == old.document_id
    for table in ("documents", "pages", "chunks", "tables", "fake_facts"):
        assert count(warehouse, table, old.document_id) == 0, table
    assert count(warehouse, "documents") == 1
    assert count(warehouse, "chunks", new.document_id) == 2


def test_same_content_at_another_uri_is_not_loaded_twice(warehouse):
    first = make_doc("Isi yang sama.", uri="https://a.go.id/berita")
    second = make_doc("Isi yang sama.", uri="https://b.go.id/salinan")
    load_document(warehouse, first, chunks_of(first))
    result = load_document(warehouse, second, chunks_of(second))
    assert result.outcome == "unchanged"
    assert result.duplicate_of == first.document_id
    assert count(warehouse, "documents") == 1


def test_failure_inside_load_rolls_back_everything(warehouse):
    old = make_doc("Laporan lama.")
    load_document(warehouse, old, chunks_of(old))
    new = make_doc("Laporan baru.")

    def explode(conn, doc):
        raise RuntimeError("facts failed")

    with pytest.raises(RuntimeError):
        load_document(warehouse, new, chunks_of(new), after_load=explode)
    assert count(warehouse, "documents", old.document_id) == 1
    assert count(warehouse, "chunks", old.document_id) == 2
    assert count(warehouse, "documents", new.document_id) == 0


def test_withdrawn_then_seen_again_is_reactivated(warehouse):
    doc = make_doc("Dokumen yang ditarik.")
    load_document(warehouse, doc, chunks_of(doc))
    assert mark_withdrawn(warehouse, [doc.source_uri]) == 1
    status = warehouse.execute("SELECT status FROM documents").fetchone()[0]
    assert status == "withdrawn"
    load_document(warehouse, doc, chunks_of(doc))
    assert warehouse.execute("SELECT status FROM documents").fetchone()[0] == "active"
