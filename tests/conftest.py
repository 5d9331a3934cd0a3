"""Shared test fixtures: paths to shared material, a fresh warehouse, one Prefect harness."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_DOCS = SHARED / "corpus" / "dev" / "docs"
DEV_QUERIES = SHARED / "corpus" / "dev" / "queries.json"
DEV_ANNOTATIONS = SHARED / "corpus" / "dev" / "annotations.json"
REAL_PDFS = SHARED / "corpus" / "pdf"
SAMPLES = REPO / "samples"
HOLDOUT_DOCS = REPO / "tests" / "search_holdout" / "docs"
HOLDOUT_QUERIES = REPO / "tests" / "search_holdout" / "queries.json"


BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nrusak"


def fill_inbox(folder: Path) -> Path:
    """`folder` with the sample documents, a broken PDF (rusak.pdf) and a password-protected one
    (terkunci.pdf): what the flow tests ingest."""
    import shutil

    for sample in SAMPLES.iterdir():
        if sample.suffix in (".pdf", ".html", ".txt"):
            shutil.copy(sample, folder / sample.name)
    (folder / "rusak.pdf").write_bytes(BROKEN_PDF)
    shutil.copy(REAL_PDFS / "password-example.pdf", folder / "terkunci.pdf")
    return folder


def build_corpus_db(path: Path, docs: Path) -> Path:
    """A published warehouse of every file in `docs`: read, facts, chunks and the search index,
    through the pipeline's own steps (no Prefect), with the default embedding model."""
    from flows.steps import Target, prepare
    from search.embedders import get_embedder
    from search.index import build_index
    from warehouse.db import connect
    from warehouse.facts import replace_facts
    from warehouse.load import load_document
    from warehouse.publish import checkpoint_and_close, publish

    conn = connect(path)
    for doc_path in sorted(docs.iterdir()):
        data = doc_path.read_bytes()
        processed = prepare(Target(str(doc_path)), data, None, chunk_chars=800, chunk_overlap=120)
        load_document(
            conn, processed.document, processed.chunks,
            after_load=lambda c, d, p=processed: replace_facts(c, d.document_id, p.facts),
        )  # fmt: skip
    build_index(conn, get_embedder("e5-small-q4"))
    checkpoint_and_close(conn)
    publish(path)
    return path


@pytest.fixture
def warehouse(tmp_path):
    """A new, migrated DuckDB warehouse file; closed after the test."""
    from warehouse.db import connect

    conn = connect(tmp_path / "lokus.duckdb")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (starting one costs ~12 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
