"""The keyword index: BM25 over Indonesian-stemmed words and civil-service concepts.

Built in SQL (`build_lexical`) into three tables, for documents (kind 'd': title, pages and the
document's facts: host units, group topics, practices, awards) and for chunks (kind 'c'):

    search_terms(term_id, term)              stemmed words and concept tokens
    search_postings(kind, term_id, unit, tf) how often each term occurs in each unit
    search_units(kind, unit, key, document_id, length)

Text is lower-cased, accents stripped and split on anything but letters and digits (numbers stay
searchable); stopwords (Indonesian and English) and single letters are dropped; words are stemmed
with DuckDB's Indonesian Snowball stemmer. Where a concept's form appears (data/abbreviations.json)
the concept's own words are added, so 'usaha mikro, kecil dan menengah' is also indexed as 'umkm'.

Searching loads the postings once per connection (numpy arrays, reloaded after a build) and
scores BM25 with per-term query weights, so expansions can count less than the words typed.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np

from search.cache import PerConnection
from search.concepts import Concepts, default_concepts, normalise_text
from search.stopwords import all_stopwords
from warehouse.db import load_extension, relations, transaction

STEMMER = "indonesian"
MEMO_SIZE = 64  # masks kept per keyword index (one per distinct set of search filters)
_memo_lock = threading.Lock()
SEP = "\x1f"
# Sources of a document's facts text: what the document is about, in few words.
_FACT_TEXTS = (
    ("fact_host_units", "name || ' ' || coalesce(canonical, '')"),
    ("fact_visit_groups", "coalesce(topic, '') || ' ' || coalesce(host_unit, '')"),
    ("fact_practices", "name || ' ' || coalesce(expansion, '') || ' ' || coalesce(summary, '')"),
    ("fact_awards", "award"),
)


def _document_texts_sql(conn: duckdb.DuckDBPyConnection) -> str:
    """SQL of (document_id, text) for active documents: title, pages, then facts text."""
    tables = relations(conn)
    facts = " UNION ALL ".join(
        f"SELECT document_id, {expr} AS t FROM {table}" for table, expr in _FACT_TEXTS if table in tables
    )
    fact_join = (
        f"LEFT JOIN (SELECT document_id, string_agg(t, ' . ') AS facts FROM ({facts}) GROUP BY 1) f "
        "USING (document_id)"
        if facts
        else "LEFT JOIN (SELECT NULL::VARCHAR AS document_id, NULL::VARCHAR AS facts) f USING (document_id)"
    )
    return f"""
        SELECT d.document_id, concat_ws(chr(10), d.title, p.text, f.facts) AS text
        FROM documents d
        JOIN (SELECT document_id, string_agg(text, chr(10) ORDER BY page_no) AS text
              FROM pages GROUP BY 1) p USING (document_id)
        {fact_join}
        WHERE d.status = 'active'
    """


def _concept_pattern(concepts: Concepts) -> str:
    """RE2 pattern for the forms in text whose words are separated by two spaces."""
    forms = sorted(concepts.by_form, key=lambda f: (-len(f), f))
    if not forms:
        return "(x^)"
    return " (" + "|".join(f.replace(" ", "  ") for f in forms) + ") "


def build_lexical(conn: duckdb.DuckDBPyConnection, concepts: Concepts | None = None) -> int:
    """(Re)build the keyword tables from the active documents; returns the number of chunks."""
    load_extension(conn, "fts")  # stem()
    concepts = concepts or default_concepts()
    stop = sorted(all_stopwords())
    form_words = [
        (form.replace(" ", "  "), word)
        for form, concept in concepts.by_form.items()
        for word in concept.key.split()
    ]
    with transaction(conn):
        conn.execute("CREATE OR REPLACE TEMP TABLE _lex_stop AS SELECT unnest(string_split(?, chr(31))) AS w",
                     [SEP.join(stop)])
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE _lex_forms AS SELECT split_part(x, chr(30), 1) AS form, "
            "split_part(x, chr(30), 2) AS w FROM unnest(string_split(?, chr(31))) t(x)",
            [SEP.join(f"{f}\x1e{w}" for f, w in form_words)],
        )
        conn.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _lex_src AS
            SELECT 'd' AS kind, (row_number() OVER (ORDER BY document_id) - 1)::INTEGER AS unit,
                   document_id AS key, document_id, text
            FROM ({_document_texts_sql(conn)})
            UNION ALL
            SELECT 'c', (row_number() OVER (ORDER BY c.chunk_id) - 1)::INTEGER, c.chunk_id,
                   c.document_id, c.text
            FROM chunks c JOIN documents d USING (document_id) WHERE d.status = 'active'
            """
        )
        conn.execute(
            """
            CREATE OR REPLACE TEMP TABLE _lex_norm AS
            SELECT kind, unit,
                   '  ' || regexp_replace(lower(strip_accents(coalesce(text, ''))), '[^a-z0-9]+', '  ', 'g')
                   || '  ' AS n
            FROM _lex_src
            """
        )
        conn.execute(
            """
            CREATE OR REPLACE TEMP TABLE _lex_tokens AS
            SELECT kind, unit, w FROM (
                SELECT kind, unit, unnest(string_split(n, ' ')) AS w FROM _lex_norm
            ) WHERE w <> ''
            UNION ALL
            SELECT m.kind, m.unit, f.w FROM (
                SELECT kind, unit, unnest(regexp_extract_all(n, ?, 1)) AS form FROM _lex_norm
            ) m JOIN _lex_forms f USING (form)
            """,
            [_concept_pattern(concepts)],
        )
        conn.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _lex_stems AS
            SELECT w, stem(w, '{STEMMER}') AS term FROM (SELECT DISTINCT w FROM _lex_tokens)
            WHERE w NOT IN (SELECT w FROM _lex_stop)
              AND (length(w) > 1 OR regexp_matches(w, '^[0-9]$'))
            """
        )
        conn.execute(
            """
            CREATE OR REPLACE TEMP TABLE _lex_counts AS
            SELECT kind, unit, term, count(*)::INTEGER AS tf
            FROM _lex_tokens JOIN _lex_stems USING (w) GROUP BY ALL
            """
        )
        conn.execute(
            """
            CREATE OR REPLACE TABLE search_terms AS
            SELECT (row_number() OVER (ORDER BY term) - 1)::INTEGER AS term_id, term
            FROM (SELECT DISTINCT term FROM _lex_counts)
            ORDER BY term
            """
        )
        conn.execute(
            """
            CREATE OR REPLACE TABLE search_postings AS
            SELECT c.kind, t.term_id, c.unit, c.tf
            FROM _lex_counts c JOIN search_terms t USING (term)
            ORDER BY c.kind, t.term_id, c.unit
            """
        )
        conn.execute(
            """
            CREATE OR REPLACE TABLE search_units AS
            SELECT s.kind, s.unit, s.key, s.document_id, coalesce(l.length, 0)::INTEGER AS length
            FROM _lex_src s
            LEFT JOIN (SELECT kind, unit, sum(tf) AS length FROM _lex_counts GROUP BY ALL) l
                USING (kind, unit)
            ORDER BY s.kind, s.unit
            """
        )
        for table in ("_lex_stop", "_lex_forms", "_lex_src", "_lex_norm", "_lex_tokens", "_lex_stems",
                      "_lex_counts"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    row = conn.execute("SELECT count(*) FROM search_units WHERE kind = 'c'").fetchone()
    return int(row[0]) if row else 0


def has_lexical(conn: duckdb.DuckDBPyConnection) -> bool:
    return {"search_terms", "search_postings", "search_units"} <= relations(conn)


@dataclass
class Postings:
    """The postings of one kind of unit (documents or chunks), by term id."""

    keys: list[str]  # unit -> document_id or chunk_id
    doc_ids: list[str]  # unit -> document_id
    lengths: np.ndarray  # unit -> length in terms (float32)
    term_ptr: np.ndarray  # term_id -> start offset in units/tfs (len n_terms + 1)
    units: np.ndarray  # int32
    tfs: np.ndarray  # float32

    @property
    def n(self) -> int:
        return len(self.keys)

    def scores(self, weights: dict[int, float], k1: float, b: float) -> np.ndarray:
        """BM25 score of every unit for weighted query terms (0 where nothing matches)."""
        out = np.zeros(self.n, dtype=np.float32)
        if not self.n or not weights:
            return out
        avg = float(self.lengths.mean()) or 1.0
        norm = (k1 * (1.0 - b + b * self.lengths / avg)).astype(np.float32)
        n_terms = len(self.term_ptr) - 1
        for term_id, weight in weights.items():
            if not 0 <= term_id < n_terms:
                continue
            start, end = int(self.term_ptr[term_id]), int(self.term_ptr[term_id + 1])
            df = end - start
            if not df:
                continue
            idf = math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))
            units = self.units[start:end]
            tf = self.tfs[start:end]
            out[units] += np.float32(weight * idf) * tf * (k1 + 1.0) / (tf + norm[units])
        return out


@dataclass
class LexicalIndex:
    generation: int
    documents: Postings
    chunks: Postings
    doc_unit: dict[str, int]  # document_id -> document unit
    chunk_doc: np.ndarray  # chunk unit -> document unit (-1 if the document has no unit)
    doc_chunks: dict[int, tuple[int, int]]  # document unit -> (first, end) chunk units
    read_only: bool = False  # the connection cannot change its data: per-query masks may be kept
    _by_key: dict[str, int] | None = field(default=None, repr=False)  # built only if ever needed
    _memo: dict[tuple, np.ndarray] = field(default_factory=dict, repr=False)

    def memo(self, key: tuple, make: Callable[[], np.ndarray]) -> np.ndarray:
        """`make()`, kept per key (a few dozen at most) when the connection is read-only, so its
        documents and facts cannot change under the index; computed afresh otherwise. Callers
        must not modify the array."""
        if not self.read_only:
            return make()
        with _memo_lock:
            found = self._memo.get(key)
        if found is None:
            found = make()
            with _memo_lock:
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.pop(next(iter(self._memo)))
                self._memo[key] = found
        return found

    def chunk_units(self, chunk_ids: list[str]) -> np.ndarray:
        """The chunk unit of each chunk id (-1 if not in the index), without a dictionary of every
        chunk: units are numbered in chunk-id order, so a binary search finds them."""
        keys = self.chunks.keys
        out = np.full(len(chunk_ids), -1, dtype=np.int64)
        for k, chunk in enumerate(chunk_ids):
            i = bisect.bisect_left(keys, chunk)
            if i < len(keys) and keys[i] == chunk:
                out[k] = i
            else:  # not found by order: fall back to a scan (ids the database collates differently)
                out[k] = self._chunk_unit_slow(chunk)
        return out

    def _chunk_unit_slow(self, chunk: str) -> int:
        if self._by_key is None:
            self._by_key = {key: i for i, key in enumerate(self.chunks.keys)}
        return self._by_key.get(chunk, -1)

    @classmethod
    def load(cls, conn: duckdb.DuckDBPyConnection, generation: int) -> LexicalIndex:
        n_terms_row = conn.execute("SELECT count(*) FROM search_terms").fetchone()
        n_terms = int(n_terms_row[0]) if n_terms_row else 0
        docs = _load_postings(conn, "d", n_terms)
        chunks = _load_postings(conn, "c", n_terms)
        doc_unit = {d: i for i, d in enumerate(docs.keys)}
        chunk_doc = np.array([doc_unit.get(d, -1) for d in chunks.doc_ids], dtype=np.int32)
        doc_chunks: dict[int, tuple[int, int]] = {}
        for i, d in enumerate(chunk_doc.tolist()):
            first, _ = doc_chunks.get(d, (i, i))
            doc_chunks[d] = (first, i + 1)
        row = conn.execute(
            "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
        return cls(generation, docs, chunks, doc_unit, chunk_doc, doc_chunks, read_only=bool(row and row[0]))


def _load_postings(conn: duckdb.DuckDBPyConnection, kind: str, n_terms: int) -> Postings:
    units = conn.execute(
        "SELECT key, document_id, length FROM search_units WHERE kind = ? ORDER BY unit", [kind]
    ).fetchnumpy()
    cols = conn.execute(
        "SELECT term_id, unit, tf FROM search_postings WHERE kind = ? ORDER BY term_id, unit", [kind]
    ).fetchnumpy()
    term_ids = np.asarray(cols["term_id"], dtype=np.int64)
    ptr = np.searchsorted(term_ids, np.arange(n_terms + 1), side="left").astype(np.int64)
    return Postings(
        [str(k) for k in units["key"]],
        [str(d) for d in units["document_id"]],
        np.asarray(units["length"], dtype=np.float32),
        ptr,
        np.asarray(cols["unit"], dtype=np.int32),
        np.asarray(cols["tf"], dtype=np.float32),
    )


_indexes: PerConnection[LexicalIndex] = PerConnection()


def lexical_index(conn: duckdb.DuckDBPyConnection, generation: int) -> LexicalIndex:
    """The connection's cached keyword index, loaded on first use or after a rebuild."""
    return _indexes.get(conn, generation, lambda: LexicalIndex.load(conn, generation))


@dataclass(frozen=True)
class QueryTerms:
    """A query as weighted index terms, and the words a snippet should mark."""

    weights: dict[int, float]  # term_id -> weight
    stems: dict[str, float]  # stem -> weight (for explaining and highlighting)
    words: tuple[str, ...]  # normalised query words and concept forms' words kept


# Words that frame a request rather than name its topic ("best practice ... contoh daerah").
FRAMING_WORDS = frozenset({
    "best", "practice", "practices", "praktik", "terbaik", "contoh", "studi", "tentang", "mengenai",
    "cara", "bagaimana", "example", "examples", "indonesia", "indonesian",
})


def query_terms(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    related_weight: float = 0.5,
    concepts: Concepts | None = None,
    framing: bool = True,
) -> QueryTerms:
    """Stems and concept tokens of a query with their weights (1 typed, `related_weight` added).

    A concept of several words ("pelayanan publik") is one query term: its words share weight 1,
    so a document repeating the phrase does not count it twice over the query's other words.

    Concept forms are replaced by the concept's token; framing words are dropped unless the query
    has nothing else; stopwords and single letters never count.
    """
    concepts = concepts or default_concepts()
    stop = all_stopwords()
    rewrite = concepts.rewrite(query)
    typed = [w for w in rewrite.rest.split() if w not in stop and (len(w) > 1 or w.isdigit())]
    topical = [w for w in typed if w not in FRAMING_WORDS] if framing else typed
    if topical or rewrite.concepts:
        typed = topical
    wanted: dict[str, float] = {}
    for word in typed:
        wanted[word] = 1.0
    for key in rewrite.concepts:
        words = [w for w in key.split() if w not in stop]
        for word in words:
            wanted[word] = max(wanted.get(word, 0.0), 1.0 / len(words))
    for phrase in rewrite.related:
        for word in phrase.split():
            if word not in stop and (len(word) > 1 or word.isdigit()):
                wanted.setdefault(word, related_weight)
    if not wanted:
        return QueryTerms({}, {}, ())
    rows = conn.execute(
        f"""
        SELECT q.w, stem(q.w, '{STEMMER}') AS s, t.term_id
        FROM unnest(string_split(?, chr(31))) q(w)
        LEFT JOIN search_terms t ON t.term = stem(q.w, '{STEMMER}')
        """,
        [SEP.join(wanted)],
    ).fetchall()
    weights: dict[int, float] = {}
    stems: dict[str, float] = {}
    for word, stem, term_id in rows:
        weight = wanted[word]
        stems[stem] = max(stems.get(stem, 0.0), weight)
        if term_id is not None:
            weights[int(term_id)] = max(weights.get(int(term_id), 0.0), weight)
    # One-word forms of the concepts named ("pns" for "ASN"); longer forms are found as concepts.
    forms = [form for c in concepts.find(query) for form in c.forms if " " not in form]
    words = tuple(dict.fromkeys([*normalise_text(query).split(), *forms]))
    return QueryTerms(weights, stems, words)
