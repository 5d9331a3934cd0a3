"""The benchmark corpus generator: deterministic, sized in chunks, readable like real documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ is not an installed package

from bench.corpus import document, generate, load_manifest
from extract.read import read_path
from lokus.settings import get_settings
from search.chunking import chunk_document


def test_documents_are_deterministic_and_differ_by_index_and_seed():
    assert document(7, 3)[1] == document(7, 3)[1]
    assert document(7, 3)[1] != document(7, 4)[1]
    assert document(7, 3)[1] != document(8, 3)[1]


def test_generate_reaches_the_target_and_reuses_a_matching_corpus(tmp_path):
    manifest = generate(tmp_path / "c", 300, quiet=True)
    assert manifest.est_chunks >= 300
    assert manifest.est_chunks - manifest.documents[-1].est_chunks < 300  # stops at the target
    assert {d.kind for d in manifest.documents} == {"pdf", "html"}
    first = tmp_path / "c" / manifest.files[0]
    mtime = first.stat().st_mtime_ns
    again = generate(tmp_path / "c", 300, quiet=True)
    assert again.files == manifest.files and first.stat().st_mtime_ns == mtime
    saved = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert saved["target_chunks"] == 300 and load_manifest(tmp_path / "c").files == manifest.files


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path):
    small = generate(tmp_path / "s", 150, quiet=True)
    large = generate(tmp_path / "l", 400, quiet=True)
    assert large.files[: len(small.files)] == small.files
    for name in small.files:
        assert (tmp_path / "s" / name).read_bytes() == (tmp_path / "l" / name).read_bytes()


def test_generated_documents_read_as_reports_and_news_with_tables(tmp_path):
    manifest = generate(tmp_path / "c", 400, quiet=True)
    settings = get_settings()
    chunks = tables = 0
    for spec in manifest.documents:
        doc = read_path(tmp_path / "c" / spec.path)
        assert doc.language == "id"
        assert len(doc.pages) == spec.pages
        assert "Benchmarking" in (doc.title or "") or "BENCHMARKING" in doc.pages[0].text
        tables += len(doc.tables)
        chunks += len(chunk_document(doc, target_chars=settings.chunk_chars,
                                     overlap_chars=settings.chunk_overlap))  # fmt: skip
        for table in doc.tables:
            assert table.rows[0] == ["No", "Indikator", "Target", "Realisasi"]
    assert tables == sum(d.tables for d in manifest.documents if d.kind == "pdf") + sum(
        d.tables for d in manifest.documents if d.kind == "html"
    )
    assert abs(chunks - manifest.est_chunks) <= 0.2 * manifest.est_chunks
