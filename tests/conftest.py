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
