-- What was last fetched from each document URI, so the next run can ask "changed since?"
-- (ETag / Last-Modified) and skip unchanged documents, and notice documents gone from a source.
CREATE TABLE fetch_state (
    uri             VARCHAR PRIMARY KEY,     -- the URL or absolute file path a source lists
    source          VARCHAR NOT NULL,        -- the sources.yaml name that lists it
    etag            VARCHAR,                 -- validator from the last 200 (files: size-mtime)
    last_modified   VARCHAR,                 -- Last-Modified header as received (HTTP date)
    content_sha256  VARCHAR,                 -- sha256 of the bytes last read
    final_url       VARCHAR,                 -- where redirects ended
    last_status     INTEGER,                 -- HTTP status of the last fetch (304 = unchanged)
    last_fetched_at TIMESTAMP,
    withdrawn_at    TIMESTAMP,               -- set when the source stopped listing it; NULL = listed
    last_error      VARCHAR                  -- why these bytes could not be read or loaded, if so
);
