"""A static (model2vec-style) embedding model distilled from a local transformer, and its embedder.

Distillation passes every vocabulary token through the transformer alone (`<s> token </s>`,
mean-pooled), reduces the vectors with PCA and down-weights frequent tokens (SIF weights from the
unigram tokenizer's own piece probabilities). A text's embedding is then the mean of its tokens'
vectors: no neural network runs at embedding time, so it is thousands of times cheaper.
The model directory (model.safetensors with an `embeddings` matrix, tokenizer.json) has
model2vec's layout.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def _token_vectors(
    model_dir: Path, token_ids: np.ndarray, batch_size: int, prefix_ids: Sequence[int] = ()
) -> np.ndarray:
    """Mean-pooled transformer output for each token id alone between <s> (and `prefix_ids`) and </s>."""
    import torch
    from transformers import AutoModel

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    out = np.empty((len(token_ids), config["hidden_size"]), dtype=np.float32)
    bos, eos = config["bos_token_id"], config["eos_token_id"]
    with torch.inference_mode():
        for start in range(0, len(token_ids), batch_size):
            ids = torch.as_tensor(token_ids[start : start + batch_size], dtype=torch.long)[:, None]
            prefix = torch.as_tensor([bos, *prefix_ids], dtype=torch.long).expand(len(ids), -1)
            batch = torch.cat([prefix, ids, torch.full_like(ids, eos)], dim=1)
            hidden = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
    return out


def _pca(vectors: np.ndarray, dims: int) -> np.ndarray:
    centred = vectors - vectors.mean(axis=0)
    values, vecs = np.linalg.eigh(centred.T.astype(np.float64) @ centred)
    top = vecs[:, np.argsort(values)[::-1][:dims]]
    return (centred @ top).astype(np.float32)


def distill(
    model_dir: Path, out_dir: Path, *, dims: int = 256, token_ids: Sequence[int] | None = None,
    sif: float = 1e-4, batch_size: int = 512, prefix: str = "",
) -> Path:  # fmt: skip
    """Distil the transformer in `model_dir` (a directory from `search.e5_weights`) into a static
    model in `out_dir`. `token_ids` limits the vocabulary (the others get zero vectors, i.e. are
    ignored); by default every piece is distilled. Each token is run after `prefix` (e.g. e5's
    "passage: "), as the model sees text in use."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    vocab = tokenizer.get_vocab_size(with_added_tokens=True)
    specials = {tokenizer.token_to_id(t) for t in ("<s>", "</s>", "<pad>", "<unk>")}
    ids = np.array(sorted(set(range(vocab) if token_ids is None else token_ids) - specials), dtype=np.int64)
    prefix_ids = tokenizer.encode(prefix.rstrip(), add_special_tokens=False).ids if prefix.strip() else []
    vectors = _token_vectors(model_dir, ids, batch_size, prefix_ids)
    return save_static(model_dir, out_dir, ids, vectors, dims=dims, sif=sif)


def save_static(
    model_dir: Path, out_dir: Path, ids: np.ndarray, vectors: np.ndarray, *, dims: int, sif: float
) -> Path:
    """PCA and SIF weighting of the token vectors of `ids`, written as a static model directory."""
    from safetensors.numpy import save_file

    pieces = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    vectors = _pca(vectors, min(dims, len(ids)))
    scores = np.array([pieces[i][1] for i in ids], dtype=np.float64)
    probability = np.exp(scores)  # the unigram model's own piece probabilities (they sum to ~1)
    vectors *= (sif / (sif + probability))[:, None].astype(np.float32)
    table = np.zeros((len(pieces), vectors.shape[1]), dtype=np.float16)
    table[ids] = vectors
    partial = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    save_file({"embeddings": table}, str(partial / "model.safetensors"))
    for name in ("tokenizer.json", "normalise.json"):
        shutil.copy(model_dir / name, partial / name)
    config = {
        "model_type": "model2vec", "architectures": ["StaticModel"], "hidden_dim": int(table.shape[1]),
        "normalize": True, "distilled_from": model_dir.name, "tokens": len(ids), "sif": sif,
    }  # fmt: skip
    (partial / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    partial.replace(out_dir)
    return out_dir


def latin_token_ids(model_dir: Path) -> list[int]:
    """Ids of the pieces written in Latin script, digits or ASCII punctuation only (Indonesian,
    English and other Latin-alphabet languages): 113k of XLM-R's 250k pieces."""
    import unicodedata

    pieces = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]

    def latin(piece: str) -> bool:
        return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in piece.replace("▁", ""))

    return [i for i, (piece, _score) in enumerate(pieces) if latin(piece)]
