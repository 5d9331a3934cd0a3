-- Facts extracted from documents (extract/facts), and the analyst views over them.
-- Every fact row carries document_id, page_no, the evidence sentence and a confidence (0..1);
-- a document's facts are replaced whole when the document is replaced (warehouse/facts.py).
-- Views show facts of active documents only.

-- The gazetteer: every province, kabupaten, kota and kecamatan with its Kemendagri code.
CREATE TABLE region_gazetteer (
    code         VARCHAR PRIMARY KEY,   -- "36", "36.71", "36.71.07"
    name         VARCHAR NOT NULL,      -- official: "Banten", "Kota Tangerang", "Karawaci"
    display_name VARCHAR NOT NULL,      -- "Provinsi Banten", "Kota Tangerang", "Kecamatan Karawaci"
    level        VARCHAR NOT NULL,      -- provinsi | kabupaten | kota | kecamatan
    province     VARCHAR NOT NULL,
    parent_code  VARCHAR
);

-- The region each document is about (its lokus), whether or not it reports a visit.
CREATE TABLE fact_sites (
    document_id VARCHAR NOT NULL,
    region      VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    province    VARCHAR,
    year        INTEGER,                -- the year the document reports on, when it supports one
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_visits (
    visit_id           VARCHAR PRIMARY KEY,  -- document_id || '-v' || n
    document_id        VARCHAR NOT NULL,
    program            VARCHAR,              -- Diklatpim II|III|IV, PKN Tingkat II, PKA, PKP
    programs           VARCHAR[],            -- every programme named, when several take part
    cohort             INTEGER,
    year               INTEGER,
    year_source        VARCHAR,              -- stated | inferred
    organiser          VARCHAR,
    host_region        VARCHAR,
    host_region_code   VARCHAR,
    host_province      VARCHAR,
    start_date         DATE,
    end_date           DATE,
    date_source        VARCHAR,              -- stated | inferred (year from the document, weekday checked)
    participant_count  INTEGER,
    origins_total      INTEGER,              -- sum of participant_origins' counts, when all have one
    origins_consistent BOOLEAN,              -- origins_total = participant_count (false: a mismatch)
    reasons            VARCHAR[],            -- sentences giving the reasons for choosing the host
    page_no            INTEGER,
    evidence           VARCHAR,
    confidence         DOUBLE
);

CREATE TABLE fact_visit_groups (
    document_id VARCHAR NOT NULL,
    visit_id    VARCHAR NOT NULL,
    group_no    INTEGER,
    topic       VARCHAR,
    host_unit   VARCHAR,
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_participant_origins (
    document_id  VARCHAR NOT NULL,
    visit_id     VARCHAR,
    origin       VARCHAR NOT NULL,
    region_code  VARCHAR,
    participants INTEGER,
    page_no      INTEGER,
    evidence     VARCHAR,
    confidence   DOUBLE
);

CREATE TABLE fact_host_units (
    document_id VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,   -- "Bappeda Kota Tangerang", "Kecamatan Karawaci"
    canonical   VARCHAR NOT NULL,   -- alias-table unit: "Bappeda", "Disdukcapil", "Kecamatan"
    surface     VARCHAR,            -- as written
    region      VARCHAR,
    region_code VARCHAR,            -- the host region, or the kecamatan's own code
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_awards (
    document_id VARCHAR NOT NULL,
    award       VARCHAR NOT NULL,
    giver       VARCHAR,
    year        INTEGER,
    recipient   VARCHAR,
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_practices (
    practice_id VARCHAR PRIMARY KEY,   -- document_id || '-p' || n
    document_id VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    expansion   VARCHAR,               -- the acronym's expansion when the text gives one
    host_region VARCHAR,
    host_unit   VARCHAR,
    summary     VARCHAR,
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_people (
    document_id VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    role        VARCHAR,
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_metrics (
    document_id VARCHAR NOT NULL,
    subject     VARCHAR,
    indicator   VARCHAR NOT NULL,
    value       DOUBLE,               -- NULL for grades and opinions (see value_text)
    value_text  VARCHAR,              -- "WTP", "A", "BB"
    unit        VARCHAR,              -- orang, jiwa, %, IDR, indeks, km², opini BPK, predikat ...
    period      VARCHAR,
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

CREATE TABLE fact_dates (
    document_id VARCHAR NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE,
    date_source VARCHAR NOT NULL,     -- stated | inferred
    role        VARCHAR NOT NULL,     -- visit | event | statement | dateline
    surface     VARCHAR,
    page_no     INTEGER,
    evidence    VARCHAR,
    confidence  DOUBLE
);

-- An extractor that failed on a document (the others still ran).
CREATE TABLE fact_errors (
    document_id VARCHAR NOT NULL,
    message     VARCHAR NOT NULL
);

-- Analyst views: stable names and columns.
CREATE VIEW regions AS
SELECT code, display_name AS name, level, province FROM region_gazetteer;

CREATE VIEW visits AS
SELECT v.visit_id, v.document_id, v.program, v.cohort, v.year, v.organiser, v.host_region,
       v.host_region_code, v.host_province, v.start_date, v.end_date, v.participant_count
FROM fact_visits v JOIN documents d USING (document_id)
WHERE d.status = 'active';

CREATE VIEW visit_groups AS
SELECT g.visit_id, g.group_no, g.topic, g.host_unit
FROM fact_visit_groups g JOIN documents d USING (document_id)
WHERE d.status = 'active';

CREATE VIEW participant_origins AS
SELECT o.visit_id, o.origin, o.participants
FROM fact_participant_origins o JOIN documents d USING (document_id)
WHERE d.status = 'active' AND o.visit_id IS NOT NULL;

CREATE VIEW awards AS
SELECT a.document_id, a.recipient, a.award, a.giver, a.year
FROM fact_awards a JOIN documents d USING (document_id)
WHERE d.status = 'active';

CREATE VIEW practices AS
SELECT p.practice_id, p.document_id, p.name, p.host_region, p.host_unit, p.summary
FROM fact_practices p JOIN documents d USING (document_id)
WHERE d.status = 'active';

CREATE VIEW people AS
SELECT p.document_id, p.name, p.role
FROM fact_people p JOIN documents d USING (document_id)
WHERE d.status = 'active';

CREATE VIEW metrics AS
SELECT m.document_id, m.subject, m.indicator, m.value, m.unit, m.period, m.evidence
FROM fact_metrics m JOIN documents d USING (document_id)
WHERE d.status = 'active';

-- Per host region: the visits it received (by whom, when, on what), units visited, awards, practices.
CREATE VIEW site_profiles AS
WITH active_sites AS (
    SELECT s.* FROM fact_sites s JOIN documents d USING (document_id) WHERE d.status = 'active'
),
sites AS (
    SELECT region_code, any_value(region) AS host_region, any_value(province) AS host_province,
           count(DISTINCT document_id) AS documents
    FROM active_sites GROUP BY region_code
),
received AS (
    SELECT host_region_code AS region_code, count(*) AS visits_received,
           list(struct_pack(program := program, cohort := cohort, organiser := organiser,
                            year := year, start_date := start_date, participants := participant_count)
                ORDER BY year NULLS LAST, start_date NULLS LAST) AS visits
    FROM visits WHERE host_region_code IS NOT NULL GROUP BY host_region_code
),
topics AS (
    SELECT v.host_region_code AS region_code, list(DISTINCT g.topic) AS topics
    FROM visit_groups g JOIN visits v USING (visit_id)
    WHERE g.topic IS NOT NULL GROUP BY v.host_region_code
),
units AS (
    SELECT s.region_code, list(DISTINCT u.name) AS units_visited
    FROM fact_host_units u JOIN active_sites s USING (document_id) GROUP BY s.region_code
),
site_awards AS (
    SELECT s.region_code,
           list(DISTINCT struct_pack(award := a.award, giver := a.giver, year := a.year)) AS awards
    FROM fact_awards a JOIN active_sites s USING (document_id) GROUP BY s.region_code
),
site_practices AS (
    SELECT s.region_code, list(DISTINCT p.name) AS practices
    FROM fact_practices p JOIN active_sites s USING (document_id) GROUP BY s.region_code
)
SELECT sites.region_code, sites.host_region, sites.host_province, sites.documents,
       coalesce(received.visits_received, 0) AS visits_received, received.visits,
       topics.topics, units.units_visited, site_awards.awards, site_practices.practices
FROM sites
LEFT JOIN received USING (region_code)
LEFT JOIN topics USING (region_code)
LEFT JOIN units USING (region_code)
LEFT JOIN site_awards USING (region_code)
LEFT JOIN site_practices USING (region_code);
