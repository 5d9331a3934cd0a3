"""Dense search for large indexes: a quantised exact scan kept in files beside the database, used
from ANN_THRESHOLD active vectors (below it the in-memory float32 matrix is fast enough).

Every vector is stored twice: int8 (a quarter of float32's memory, scanned in full by usearch's
SIMD brute force on every query) and float16 (only the scan's best RERANK candidates are read,
to re-score them exactly). Measured in bench/bench_ann.py on 1,000,000 random unit 384-d
vectors, 2 cores: int8 scan + rerank p95 ~140 ms at recall@10 1.0 against exact float32 search;
float32 numpy ~150-500 ms; HNSW graphs (usearch, DuckDB vss) answer in a few ms but found only
~0.2 of the true top 10 on such vectors even at ef=128, so they are not used (see docs/scaling.md).

The files are tied to the index's model and the chunk ids they hold. On open, stale files are
brought up to date instead of rebuilt: rows of chunks that are gone (documents replaced or
withdrawn) are masked out and new chunks appended; files of another model, or unreadable ones,
are rebuilt. A read-only connection (the web app) memory-maps the files and never writes them;
when they are behind, it updates a copy in memory.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from search.cache import PerConnection
from search.index import IndexInfo

log = logging.getLogger(__name__)

Hit = tuple[str, str, float]  # chunk_id, document_id, score

ANN_THRESHOLD = 250_000  # active chunk vectors from which the quantised scan is used
RERANK = 100  # scan candidates re-scored with float16 vectors (recall@10 1.0 measured at 1M)
INT8_SCALE = 127.0  # unit vectors have components in [-1, 1]

_ACTIVE_IDS = """
    SELECT c.chunk_id, c.document_id
    FROM chunks c
    JOIN documents d USING (document_id)
    JOIN embeddings e ON e.model = ? AND e.content_hash = c.content_hash
    WHERE d.status = 'active'
    ORDER BY c.chunk_id
"""
_VECTORS_OF = """
    SELECT c.chunk_id, e.vector
    FROM chunks c
    JOIN embeddings e ON e.model = ? AND e.content_hash = c.content_hash
    WHERE c.chunk_id IN (SELECT unnest(?::VARCHAR[]))
    ORDER BY c.chunk_id
"""


class AnnUnavailable(RuntimeError):
    """The scan library (usearch) is not installed."""


def _scan(matrix: np.ndarray, query: np.ndarray, count: int) -> np.ndarray:
    try:
        from usearch.index import MetricKind, search
    except ImportError as exc:
        raise AnnUnavailable("the quantised dense index needs usearch (pip install usearch)") from exc
    found = search(matrix, query, count, MetricKind.IP, exact=True, threads=0)
    return np.asarray(found.keys, dtype=np.int64)


def quantise(vectors: np.ndarray) -> np.ndarray:
    """int8 codes of unit vectors (inner products keep their order up to rounding)."""
    return np.clip(np.rint(vectors * INT8_SCALE), -127, 127).astype(np.int8)


def database_path(conn: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's main database (None in memory)."""
    row = conn.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def index_path(db_path: Path, model: str) -> Path:
    """The folder of a database's dense index for one model: <db>.ann/<model>/."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model)
    return db_path.with_name(db_path.name + ".ann") / safe


@dataclass
class AnnIndex:
    """Chunk vectors as int8 codes (scanned) and float16 rows (re-ranked); row k is chunk_ids[k],
    None once the chunk is gone."""

    model: str
    dim: int
    generation: int
    chunk_ids: list[str | None]
    document_ids: list[str | None]
    codes: np.ndarray  # (rows, dim) int8
    rows: np.ndarray  # (rows, dim) float16
    gone: int = -1  # rows of removed chunks (counted on first use)

    def __len__(self) -> int:
        if self.gone < 0:
            self.gone = sum(c is None for c in self.chunk_ids)
        return len(self.chunk_ids) - self.gone

    def top(self, query: np.ndarray, n: int) -> list[Hit]:
        """The n chunks nearest a unit query vector (by inner product), best first."""
        if n <= 0 or not len(self.chunk_ids):
            return []
        query = query.astype(np.float32, copy=False)
        gone = len(self.chunk_ids) - len(self)
        count = min(len(self.chunk_ids), max(RERANK, n) + gone)  # masked rows cannot crowd out live ones
        candidates = np.sort(_scan(self.codes, quantise(query[None, :])[0], count))
        candidates = candidates[(candidates >= 0) & (candidates < len(self.chunk_ids))]
        scores = self.rows[candidates].astype(np.float32) @ query
        hits = [(self.chunk_ids[k], self.document_ids[k], float(s))
                for k, s in zip(candidates.tolist(), scores.tolist(), strict=True)
                if self.chunk_ids[k] is not None]  # fmt: skip
        hits.sort(key=lambda h: (-h[2], h[0]))
        return hits[:n]

    # -- building, saving, updating -------------------------------------------------------------

    @classmethod
    def build(cls, conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> AnnIndex:
        """Codes and rows of every active chunk vector of the index's model."""
        empty_codes = np.zeros((0, info.dim), dtype=np.int8)
        ann = cls(info.model, info.dim, info.generation, [], [], empty_codes, empty_codes.astype(np.float16))
        ann._add(conn, conn.execute(_ACTIVE_IDS, [info.model]).fetchall())
        return ann

    def sync(self, conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> tuple[int, int]:
        """Bring the index up to the active chunks: mask the gone, add the new. (removed, added)"""
        active = dict(conn.execute(_ACTIVE_IDS, [info.model]).fetchall())
        removed = 0
        len(self)  # counts the rows already gone
        for key, chunk in enumerate(self.chunk_ids):
            if chunk is not None and chunk not in active:
                self.chunk_ids[key] = self.document_ids[key] = None
                removed += 1
        self.gone += removed
        if removed:  # masked rows can never win the scan
            gone = np.array([c is None for c in self.chunk_ids])
            self.codes = np.array(self.codes)  # a writable copy if memory-mapped
            self.codes[gone] = 0
        held = {c for c in self.chunk_ids if c is not None}
        new = [(c, d) for c, d in active.items() if c not in held]
        self._add(conn, new)
        self.generation = info.generation
        return removed, len(new)

    def _add(self, conn: duckdb.DuckDBPyConnection, ids: list[tuple[str, str]], batch: int = 50_000) -> None:
        documents = dict(ids)
        chunks = [c for c, _ in ids]
        codes, rows = [self.codes], [self.rows]
        for start in range(0, len(chunks), batch):
            part = conn.execute(_VECTORS_OF, [self.model, chunks[start : start + batch]]).fetchnumpy()
            if not len(part["chunk_id"]):
                continue
            vectors = np.stack(part["vector"]).astype(np.float32, copy=False)
            codes.append(quantise(vectors))
            rows.append(vectors.astype(np.float16))
            for chunk in part["chunk_id"]:
                self.chunk_ids.append(str(chunk))
                self.document_ids.append(documents[str(chunk)])
        if len(codes) > 1:
            self.codes, self.rows = np.concatenate(codes), np.concatenate(rows)

    def save(self, folder: Path) -> None:
        """Write codes, rows and ids; the ids file is replaced last, so a reader that sees it sees
        complete arrays (a crash between leaves a mismatch, and the index is rebuilt)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in (("codes", self.codes), ("rows", self.rows)):
            partial = folder / f"{name}.partial.npy"
            np.save(partial, array)
            partial.replace(folder / f"{name}.npy")
        meta = {"model": self.model, "dim": self.dim, "generation": self.generation,
                "chunk_ids": self.chunk_ids, "document_ids": self.document_ids}  # fmt: skip
        partial = folder / "ids.partial.json"
        partial.write_text(json.dumps(meta), encoding="utf-8")
        partial.replace(folder / "ids.json")

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> AnnIndex | None:
        """The saved index (arrays memory-mapped when `mmap`), or None if missing or unreadable."""
        if not (folder / "ids.json").exists():
            return None
        try:
            meta = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
            mode = "r" if mmap else None
            codes = np.load(folder / "codes.npy", mmap_mode=mode)
            rows = np.load(folder / "rows.npy", mmap_mode=mode)
            n, dim = len(meta["chunk_ids"]), int(meta["dim"])
            if codes.shape != (n, dim) or rows.shape != (n, dim) or codes.dtype != np.int8:
                raise ValueError("arrays and chunk ids disagree")
        except (OSError, ValueError, KeyError) as exc:
            log.warning("dense index %s unreadable, rebuilding: %s", folder, exc)
            return None
        return cls(meta["model"], dim, int(meta["generation"]), meta["chunk_ids"],
                   meta["document_ids"], codes, rows)  # fmt: skip


def open_ann(conn: duckdb.DuckDBPyConnection, info: IndexInfo, *, read_only: bool = False) -> AnnIndex:
    """The dense index of this database and model, up to date: loaded from its files, updated with
    the chunks added or removed since (saved again unless read-only), or built and saved."""
    db_path = database_path(conn)
    folder = index_path(db_path, info.model) if db_path else None
    ann = AnnIndex.load(folder) if folder else None
    if ann is not None and (ann.model, ann.dim) != (info.model, info.dim):
        ann = None
    if ann is not None and ann.generation == info.generation:
        return ann
    if ann is None:
        ann = AnnIndex.build(conn, info)
    else:
        ann.sync(conn, info)
    if folder is not None and not read_only:
        ann.save(folder)
    return ann


_indexes: PerConnection[AnnIndex] = PerConnection()


def ann_for(conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> AnnIndex:
    """The connection's dense index for this index generation (opened once per connection)."""
    return _indexes.get(
        conn, (info.model, info.generation), lambda: open_ann(conn, info, read_only=_read_only(conn))
    )


def _read_only(conn: duckdb.DuckDBPyConnection) -> bool:
    row = conn.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])


def count_active_vectors(conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> int:
    """Active chunks of the last index build (what the threshold is compared with)."""
    row = conn.execute("SELECT value FROM index_state WHERE key = 'n_chunks'").fetchone()
    if row and row[0] and str(row[0]).isdigit():
        return int(row[0])
    row = conn.execute(f"SELECT count(*) FROM ({_ACTIVE_IDS})", [info.model]).fetchone()
    return int(row[0]) if row else 0
