-- Documents and what readers found in them.
CREATE TABLE documents (
    document_id    VARCHAR PRIMARY KEY,      -- first 16 hex digits of sha256 of the content
    source_uri     VARCHAR NOT NULL UNIQUE,  -- the path or URL the document was read from
    canonical_url  VARCHAR,
    title          VARCHAR,
    doc_type       VARCHAR NOT NULL,         -- pdf | html | text
    published_date DATE,
    language       VARCHAR,
    sha256         VARCHAR NOT NULL,
    byte_size      BIGINT,
    page_count     INTEGER,
    metadata       JSON,
    status         VARCHAR NOT NULL DEFAULT 'active',  -- active | withdrawn
    ingested_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE pages (
    document_id VARCHAR NOT NULL,
    page_no     INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    PRIMARY KEY (document_id, page_no)
);

CREATE TABLE tables (
    document_id VARCHAR NOT NULL,
    page_no     INTEGER NOT NULL,
    table_no    INTEGER NOT NULL,
    n_rows      INTEGER,
    n_cols      INTEGER,
    rows        JSON,                         -- list of rows, each a list of cells
    PRIMARY KEY (document_id, page_no, table_no)
);

CREATE TABLE chunks (
    chunk_id     VARCHAR PRIMARY KEY,         -- document_id || '-' || ordinal
    document_id  VARCHAR NOT NULL,
    page_no      INTEGER NOT NULL,
    ordinal      INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    char_start   INTEGER,
    char_end     INTEGER,
    content_hash VARCHAR NOT NULL             -- sha256 of text: the embedding cache key
);

-- Embeddings are cached by chunk content and model, so unchanged text is never embedded twice.
CREATE TABLE embeddings (
    model        VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    vector       FLOAT[] NOT NULL,
    PRIMARY KEY (model, content_hash)
);

-- Which model the search index was built with (one row per key).
CREATE TABLE index_state (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE ingest_runs (
    run_id      VARCHAR PRIMARY KEY,
    source      VARCHAR,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL DEFAULT 'running',  -- running | completed | failed
    n_new       INTEGER DEFAULT 0,
    n_updated   INTEGER DEFAULT 0,
    n_unchanged INTEGER DEFAULT 0,
    n_withdrawn INTEGER DEFAULT 0,
    n_failed    INTEGER DEFAULT 0,
    duration_s  DOUBLE
);

CREATE TABLE ingest_errors (
    run_id      VARCHAR,
    source      VARCHAR,
    uri         VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,           -- fetch | read | load | index
    error_class VARCHAR NOT NULL,
    message     VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
