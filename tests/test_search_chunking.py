"""Chunking pages into passages, snippets and rank fusion: pure functions, no database."""

from __future__ import annotations

import hashlib

import pytest
from test_search_fixtures import make_document

from search.chunking import chunk_document, content_hash
from search.fusion import best_per_document, ordered, rrf
from search.snippet import make_snippet, normalise_word, query_words

SENTENCES = [
    "Peserta pelatihan kepemimpinan mengunjungi kantor kecamatan untuk belajar layanan terpadu.",
    "Camat menjelaskan alur permohonan izin usaha mikro yang kini selesai dalam satu hari.",
    "Kelompok dua mencatat jumlah pemohon sebanyak 1.250 orang pada tahun 2021.",
    "Petugas loket dilatih melayani warga lanjut usia dan penyandang disabilitas.",
    "Setiap keluhan warga dijawab paling lambat tiga hari kerja melalui aplikasi pengaduan.",
]


def long_page(paragraphs: int, sentences_per_paragraph: int = 4) -> str:
    """Invented text of several paragraphs, each several sentences long."""
    paras = []
    for p in range(paragraphs):
        sents = [SENTENCES[(p + s) % len(SENTENCES)] for s in range(sentences_per_paragraph)]
        paras.append(f"Bagian {p + 1}. " + " ".join(sents))
    return "\n\n".join(paras)


def test_chunks_are_exact_page_slices_and_never_cross_pages():
    pages = [long_page(6), long_page(3), "Halaman pendek dengan satu kalimat saja."]
    doc = make_document("laporan.pdf", pages)
    chunks = chunk_document(doc, target_chars=500, overlap_chars=80)
    assert {c.page for c in chunks} == {1, 2, 3}
    for chunk in chunks:
        page_text = pages[chunk.page - 1]
        assert 0 <= chunk.char_start < chunk.char_end <= len(page_text)
        assert page_text[chunk.char_start : chunk.char_end] == chunk.text
        assert chunk.text == chunk.text.strip()
        assert chunk.document_id == doc.document_id


def test_ordinals_run_across_the_document_and_ids_are_unique():
    doc = make_document("laporan.pdf", [long_page(5), long_page(5)])
    chunks = chunk_document(doc, target_chars=400, overlap_chars=60)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    pages = [c.page for c in chunks]
    assert pages == sorted(pages)


@pytest.mark.parametrize("target", [200, 500, 800, 1200])
def test_chunks_respect_the_target_size_and_cover_every_word(target):
    text = long_page(8)
    doc = make_document("a.txt", [text])
    chunks = chunk_document(doc, target_chars=target, overlap_chars=target // 8)
    assert all(len(c.text) <= target for c in chunks)
    covered = set()
    for c in chunks:
        covered.update(range(c.char_start, c.char_end))
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert missing == []


def test_consecutive_chunks_overlap_by_whole_sentences_within_the_limit():
    doc = make_document("a.txt", [long_page(1, sentences_per_paragraph=20)])
    chunks = chunk_document(doc, target_chars=500, overlap_chars=150)
    assert len(chunks) > 2
    for before, after in zip(chunks, chunks[1:], strict=False):
        shared = before.char_end - after.char_start
        assert 0 < shared <= 150
        assert after.char_start > before.char_start
        assert after.text[0].isupper()  # starts at a sentence


def test_no_overlap_when_asked_for_none():
    doc = make_document("a.txt", [long_page(4)])
    chunks = chunk_document(doc, target_chars=300, overlap_chars=0)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.char_start >= before.char_end


def test_a_chunk_prefers_to_end_at_a_paragraph_break():
    first = " ".join(SENTENCES[:4])  # about 350 characters
    second = " ".join(SENTENCES)
    text = first + "\n\n" + second
    doc = make_document("a.txt", [text])
    chunks = chunk_document(doc, target_chars=500, overlap_chars=0)
    assert chunks[0].text == first


def test_whitespace_only_pages_give_no_chunks_but_keep_page_numbers():
    doc = make_document("a.pdf", ["  \n\n \t ", "Isi halaman kedua.", "\n"])
    chunks = chunk_document(doc)
    assert [(c.page, c.text, c.ordinal) for c in chunks] == [(2, "Isi halaman kedua.", 0)]


def test_an_overlong_word_run_is_cut_hard():
    text = "x" * 1000 + " akhir kalimat."
    chunks = chunk_document(make_document("a.txt", [text]), target_chars=300, overlap_chars=0)
    assert all(len(c.text) <= 300 for c in chunks)
    assert len(chunks) == 4
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_pdf_line_breaks_inside_a_paragraph_do_not_split_it():
    text = "Baris pertama dari paragraf\nyang berlanjut di baris kedua.\nKalimat berikutnya di sini."
    chunks = chunk_document(make_document("a.pdf", [text]))
    assert len(chunks) == 1 and chunks[0].text == text


def test_content_hash_is_sha256_of_the_text_and_matches_the_chunk():
    assert content_hash("abc") == hashlib.sha256(b"abc").hexdigest()
    chunk = chunk_document(make_document("a.txt", ["Satu kalimat."]))[0]
    assert chunk.content_hash == content_hash(chunk.text)


def test_bad_sizes_are_refused():
    doc = make_document("a.txt", ["teks"])
    with pytest.raises(ValueError):
        chunk_document(doc, target_chars=10)
    with pytest.raises(ValueError):
        chunk_document(doc, target_chars=200, overlap_chars=150)


def test_snippet_shows_the_matching_words_and_stays_short():
    text = long_page(6) + " Inovasi unggulan adalah bank sampah digital di tiap kelurahan. " + long_page(2)
    snippet = make_snippet(text, lambda w: w in {"bank", "sampah"}, width=240)
    assert "bank sampah" in snippet
    assert len(snippet) <= 242
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "\n" not in snippet


def test_snippet_without_matches_starts_at_the_beginning():
    text = long_page(3)
    snippet = make_snippet(text, lambda w: False, width=100)
    assert text.startswith(snippet.rstrip("…"))


def test_query_words_are_normalised():
    assert query_words("Pelayanan PUBLIK café, publik") == ["pelayanan", "publik", "cafe"]
    assert normalise_word("Éfisiensi") == "efisiensi"


def test_rrf_sums_weighted_reciprocal_ranks():
    scores = rrf({"a": ["d1", "d2"], "b": ["d2", "d3"]}, k=60, weights={"a": 1.0, "b": 2.0})
    assert scores["d1"] == pytest.approx(1 / 61)
    assert scores["d2"] == pytest.approx(1 / 62 + 2 / 61)
    assert scores["d3"] == pytest.approx(2 / 62)
    assert ordered(scores) == ["d2", "d3", "d1"]


def test_document_ranking_keeps_each_documents_best_chunk_position():
    hits = [("a-1", "a", 9.0), ("b-1", "b", 8.0), ("a-2", "a", 7.0), ("c-1", "c", 6.0)]
    assert best_per_document(hits) == [("a", 9.0), ("b", 8.0), ("c", 6.0)]
