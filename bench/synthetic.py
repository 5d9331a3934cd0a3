"""A synthetic search index of N chunks, generated straight into DuckDB and cached under build/.

Embedding 100,000 real chunks takes hours on this machine (2-3 chunks/s), so the chunk vectors are
random unit vectors, stored as search/index.py stores them (`embeddings` by model and content hash,
`index_state`); the keyword indexes are built by the real builders (`build_fts`, `build_lexical`).
Chunk text is Indonesian-like: two sentences of bench/corpus.py's templates (hosts, practices,
units, awards) and words drawn from the word distribution of the dev corpus (Zipf-like, thousands
of words; corpus.py's own vocabulary when the dev corpus is absent). Every document has the facts
search filters and site ranking read: a site, a visit, host units, a practice and sometimes an award.

    .venv/bin/python bench/synthetic.py 100000      # build (or reuse) build/bench-synthetic-100000.duckdb
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from bench import corpus  # noqa: E402
from search.index import build_fts  # noqa: E402
from search.lexical import build_lexical  # noqa: E402
from warehouse.db import connect  # noqa: E402

VERSION = 1  # bump when the generated database changes: cached ones are then rebuilt
MODEL, DIM = "e5-small-q4", 384
DEV_DOCS = REPO.parent / "shared" / "corpus" / "dev" / "docs"
FILLER_WORDS = 70  # words from the word distribution per chunk (after two template sentences)
PLACE_WORDS = 4  # and place names of the gazetteer (thousands of rare words, Zipf-distributed)
_WORD = re.compile(r"[^\W\d_]{2,}")


COLUMNS = {
    "documents": ("document_id", "source_uri", "title", "doc_type", "published_date", "language", "sha256",
                  "page_count"),
    "pages": ("document_id", "page_no", "text"),
    "chunks": ("chunk_id", "document_id", "page_no", "ordinal", "text", "char_start", "char_end",
               "content_hash"),
    "fact_sites": ("document_id", "region", "region_code", "province", "year", "page_no", "evidence",
                   "confidence"),
    "fact_visits": ("visit_id", "document_id", "program", "year", "organiser", "host_region",
                    "host_region_code", "host_province", "start_date", "participant_count", "page_no",
                    "evidence", "confidence"),
    "fact_host_units": ("document_id", "name", "canonical", "region", "region_code", "page_no", "evidence",
                        "confidence"),
    "fact_practices": ("practice_id", "document_id", "name", "host_region", "host_unit", "summary", "page_no",
                       "evidence", "confidence"),
    "fact_awards": ("document_id", "award", "year", "recipient", "page_no", "evidence", "confidence"),
}  # fmt: skip


def cache_path(n_chunks: int) -> Path:
    return REPO / "build" / f"bench-synthetic-{n_chunks}.duckdb"


def word_distribution() -> tuple[list[str], np.ndarray]:
    """Words and their probabilities: the dev corpus's word counts, else corpus.py's sentences."""
    texts: list[str] = []
    if DEV_DOCS.is_dir():
        from extract.errors import ReadError
        from extract.read import read_path

        for path in sorted(DEV_DOCS.iterdir()):
            try:
                texts += [page.text for page in read_path(path).pages]
            except ReadError:
                continue
    if not texts:
        rng = random.Random(0)
        texts = [corpus.paragraph(rng, corpus._doc_facts(rng), 5) for _ in range(2000)]
    counts = Counter(w.lower() for text in texts for w in _WORD.findall(text))
    words = sorted(counts, key=lambda w: (-counts[w], w))
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq / freq.sum()


def _hosts(conn) -> list[tuple[str, str, str]]:
    """(name, code, province) of every kabupaten and kota; corpus.py's hosts first."""
    rows = conn.execute(
        "SELECT display_name, code, province FROM region_gazetteer WHERE level IN ('kabupaten', 'kota') "
        "ORDER BY code"
    ).fetchall()
    favourite = set(corpus.HOSTS)
    return [r for r in rows if r[0] in favourite] + [r for r in rows if r[0] not in favourite]


def _place_names(conn) -> list[str]:
    """Kecamatan names of the gazetteer, shuffled once (deterministically)."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT name FROM region_gazetteer WHERE level = 'kecamatan' ORDER BY name"
        ).fetchall()
    ]
    random.Random(0).shuffle(names)
    return names


def generate(conn, n_chunks: int, seed: int = 7) -> dict[str, int]:
    """Insert documents, pages, chunks, vectors and facts for about n_chunks chunks (10 per document)."""
    words, probs = word_distribution()
    hosts = _hosts(conn)
    n_favourite = len(corpus.HOSTS)
    np_rng = np.random.default_rng(seed)
    filler = np_rng.choice(len(words), size=(n_chunks, FILLER_WORDS), p=probs)
    places = _place_names(conn)
    place_probs = 1.0 / np.arange(1, len(places) + 1)
    place_draws = np_rng.choice(len(places), size=(n_chunks, PLACE_WORDS), p=place_probs / place_probs.sum())
    docs, pages, chunks, sites, visits, units, practices, awards = ([] for _ in range(8))
    i = c = 0
    while c < n_chunks:
        rng = random.Random(f"lokus-synthetic-{seed}-{i}")
        facts = corpus._doc_facts(rng)
        # Half of the documents are about corpus.py's 20 well-known hosts, the rest spread over all.
        host = hosts[rng.randrange(n_favourite)] if rng.random() < 0.5 else rng.choice(hosts)
        facts["host"] = host[0]
        doc_id = f"syn{i:07d}"
        n = min(rng.randint(4, 16), n_chunks - c)
        published = date(facts["year"], corpus.MONTHS.index(facts["month"]) + 1, facts["day"])
        doc_type = "pdf" if rng.random() < 0.6 else "html"
        title = (
            f"Laporan Benchmarking {facts['program']} Angkatan {facts['cohort']} ke {host[0]} {facts['year']}"
        )
        docs.append((doc_id, f"synthetic://{doc_id}", title, doc_type, published, "id", doc_id, n))
        page_texts: dict[int, list[str]] = {}
        for ordinal in range(n):
            text = " ".join(
                [
                    corpus.paragraph(rng, facts, 2),
                    *(words[w] for w in filler[c][:40]),
                    *(places[p] for p in place_draws[c]),
                    *(words[w] for w in filler[c][40:]),
                ]
            )
            page = 1 + ordinal // 3
            offset = sum(len(t) + 1 for t in page_texts.get(page, []))
            page_texts.setdefault(page, []).append(text)
            digest = hashlib.sha256(text.encode()).hexdigest()
            chunks.append(
                (f"{doc_id}-{ordinal}", doc_id, page, ordinal, text, offset, offset + len(text), digest)
            )
            c += 1
        pages += [(doc_id, p, "\n".join(ts)) for p, ts in page_texts.items()]
        sites.append((doc_id, host[0], host[1], host[2], facts["year"], 1, title, 0.9))
        visits.append((f"{doc_id}-v1", doc_id, facts["program"], facts["year"], facts["organiser"], host[0],
                       host[1], host[2], published, facts["n"], 1, title, 0.9))  # fmt: skip
        practice = rng.choice(corpus.PRACTICES)
        unit = rng.choice(corpus.UNITS)
        units.append((doc_id, f"{unit} {host[0]}", unit, host[0], host[1], 1, title, 0.8))
        practices.append(
            (f"{doc_id}-p1", doc_id, practice, host[0], unit, f"{practice} di {unit}", 1, title, 0.8)
        )
        if rng.random() < 0.3:
            awards.append((doc_id, rng.choice(corpus.AWARDS), facts["year"], host[0], 1, title, 0.8))
        i += 1
    rows = {"documents": docs, "pages": pages, "chunks": chunks, "fact_sites": sites, "fact_visits": visits,
            "fact_host_units": units, "fact_practices": practices, "fact_awards": awards}  # fmt: skip
    for table, columns in COLUMNS.items():
        _insert(conn, table, columns, rows[table])
    _insert_vectors(conn, [row[7] for row in chunks], np_rng)
    return {"documents": len(docs), "chunks": len(chunks), "vocabulary": len(words)}


def _insert(conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    data = pa.table({name: [row[k] for row in rows] for k, name in enumerate(columns)})
    conn.register("_rows", data)
    conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM _rows")
    conn.unregister("_rows")


def _insert_vectors(conn, hashes: list[str], rng: np.random.Generator) -> None:
    """Random unit vectors, one per distinct content hash, as FLOAT[] rows of `embeddings`."""
    unique = sorted(set(hashes))
    for start in range(0, len(unique), 20_000):
        part = unique[start : start + 20_000]
        vectors = rng.standard_normal((len(part), DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        lists = pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel()), DIM).cast(pa.list_(pa.float32()))
        data = pa.table({"model": [MODEL] * len(part), "content_hash": part, "vector": lists})
        conn.register("_vectors", data)
        conn.execute("INSERT INTO embeddings SELECT * FROM _vectors")
        conn.unregister("_vectors")


def build(path: Path, n_chunks: int) -> dict[str, float]:
    """Generate the database at `path` and build its keyword indexes; returns timings (s) and counts."""
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    figures: dict[str, float] = {}
    start = time.perf_counter()
    figures.update(generate(conn, n_chunks))
    figures["generate_s"] = time.perf_counter() - start
    start = time.perf_counter()
    build_fts(conn)
    figures["fts_build_s"] = time.perf_counter() - start
    start = time.perf_counter()
    build_lexical(conn)
    figures["lexical_build_s"] = time.perf_counter() - start
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    state = {"model": MODEL, "dim": str(DIM), "generation": "1", "n_chunks": str(n_chunks),
             "built_at": built_at, "bench_synthetic": str(VERSION)}  # fmt: skip
    for key, value in state.items():
        conn.execute("INSERT OR REPLACE INTO index_state VALUES (?, ?)", [key, value])
    conn.execute("CHECKPOINT")
    conn.close()
    return figures


def ensure(n_chunks: int, *, rebuild: bool = False) -> tuple[Path, dict[str, float] | None]:
    """The cached database of n_chunks chunks (built if missing, stale or `rebuild`); build figures
    when it was built now, None when reused."""
    path = cache_path(n_chunks)
    if path.exists() and not rebuild:
        try:
            conn = connect(path, read_only=True)
            row = conn.execute("SELECT value FROM index_state WHERE key = 'bench_synthetic'").fetchone()
            conn.close()
            if row and row[0] == str(VERSION):
                return path, None
        except Exception:  # noqa: BLE001 - an unreadable cache is rebuilt
            pass
    return path, build(path, n_chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chunks", type=int, nargs="?", default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path, figures = ensure(args.chunks, rebuild=args.rebuild)
    print(f"{path}: " + (", ".join(f"{k} {v:.1f}" for k, v in figures.items()) if figures else "cached"))


if __name__ == "__main__":
    main()
