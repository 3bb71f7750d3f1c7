//! The PostgreSQL schema, as an ordered list of migrations. The `meta` table's
//! `schema_version` row records how many have been applied; connecting applies the missing
//! ones in one transaction, under an advisory lock so that workers starting together migrate
//! once. Never edit a released migration: append a new one.
//!
//! The tables are those of `dyad_store::schema` (same names, same columns, same meaning), with
//! PostgreSQL types: dates are `DATE`, timestamps `TIMESTAMPTZ`, flags `BOOLEAN`, and the
//! full-text index is the `sentences` table (a `tsvector` per sentence, GIN-indexed) instead
//! of FTS5. Codes, CAMEO codes and place names are `COLLATE "C"`, so prefix ranges and the
//! tie-breaking order of the top lists compare bytes as SQLite does, whatever the database's
//! own collation is.

/// Migration `i` (0-based) brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles and what the coder found in them; deduplicated events and their mentions;
    // rollups that keep aggregations off the event table.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Ids are taken from the sequences by the writer (in blocks, in batch order), so they follow
-- insertion order as SQLite's rowids do.
CREATE SEQUENCE articles_id_seq;
CREATE SEQUENCE events_id_seq;
CREATE SEQUENCE mentions_id_seq;

-- One row per stored article; `key` and `content_hash` are both unique, and the writer inserts
-- with ON CONFLICT DO NOTHING: two workers storing the same article store it once.
CREATE TABLE articles (
    id           BIGINT PRIMARY KEY DEFAULT nextval('articles_id_seq'),
    key          TEXT UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    source       TEXT,
    url          TEXT,
    title        TEXT,
    date         DATE,
    lang         TEXT,
    origin       TEXT NOT NULL,
    text         TEXT NOT NULL,
    -- Sentences as a JSON array of [start, end, paragraph] byte offsets into `text`.
    sentences    TEXT NOT NULL,
    n_sentences  INTEGER NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL
);
ALTER SEQUENCE articles_id_seq OWNED BY articles.id;
CREATE INDEX articles_date ON articles(date);

-- The full-text index: one row per sentence (the first 2^20 of an article), its words as a
-- 'simple' tsvector; the text itself stays in `articles`.
CREATE TABLE sentences (
    article_id BIGINT NOT NULL,
    idx        INTEGER NOT NULL,
    tsv        TSVECTOR NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX sentences_tsv ON sentences USING GIN (tsv);

CREATE TABLE actors (
    article_id BIGINT NOT NULL,
    idx        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    code       TEXT COLLATE "C" NOT NULL,
    country    TEXT,
    org        TEXT,
    sector     TEXT,
    kind       TEXT NOT NULL,
    title      TEXT,
    mentions   TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE quotes (
    article_id   BIGINT NOT NULL,
    idx          INTEGER NOT NULL,
    sentence     INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         TEXT NOT NULL,
    speaker_name TEXT,
    speaker_code TEXT COLLATE "C",
    cue          TEXT,
    direct       BOOLEAN NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX quotes_speaker ON quotes(speaker_code);

-- A deduplicated event (see dyad_store's write module for the rule). `day` is days since
-- 1970-01-01, NULL when undated.
CREATE TABLE events (
    id             BIGINT PRIMARY KEY DEFAULT nextval('events_id_seq'),
    source_code    TEXT COLLATE "C" NOT NULL,
    source_name    TEXT,
    source_country TEXT,
    source_org     TEXT,
    source_sector  TEXT,
    target_code    TEXT COLLATE "C" NOT NULL,
    target_name    TEXT,
    target_country TEXT,
    target_org     TEXT,
    target_sector  TEXT,
    cameo          TEXT COLLATE "C" NOT NULL,
    root           TEXT NOT NULL,
    cameo_name     TEXT,
    quad_class     SMALLINT,
    goldstein      DOUBLE PRECISION,
    plover         TEXT,
    plover_mode    TEXT,
    day            BIGINT,
    negated        BOOLEAN NOT NULL,
    hypothetical   BOOLEAN NOT NULL,
    place_name     TEXT COLLATE "C",
    place_country  TEXT,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    num_mentions   BIGINT NOT NULL,
    num_articles   BIGINT NOT NULL,
    num_sources    BIGINT NOT NULL,
    first_mention  BIGINT,
    added_at       TIMESTAMPTZ NOT NULL
);
ALTER SEQUENCE events_id_seq OWNED BY events.id;
-- The dedup lookup (key and day window), and the invariant the dedup rule keeps: at most one
-- dated event per key and day. A writer that raced past its advisory lock would fail here
-- rather than store a second event.
CREATE UNIQUE INDEX events_key ON events(source_code, target_code, cameo, negated, hypothetical, day)
    WHERE day IS NOT NULL;
-- Filters of `query` and friends; each ends in (day, id), the order events are listed in
-- (undated first, as SQLite sorts NULL first), so a page is read from the index in order.
CREATE INDEX events_dyad ON events(source_code, target_code, day NULLS FIRST, id);
CREATE INDEX events_target ON events(target_code, day NULLS FIRST, id);
CREATE INDEX events_day ON events(day NULLS FIRST, id);
CREATE INDEX events_cameo ON events(cameo, day NULLS FIRST, id);
CREATE INDEX events_place ON events(place_country, day NULLS FIRST, id);

CREATE TABLE mentions (
    id           BIGINT PRIMARY KEY DEFAULT nextval('mentions_id_seq'),
    event_id     BIGINT NOT NULL,
    article_id   BIGINT NOT NULL,
    sentence     INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    evidence     TEXT NOT NULL,
    source_name  TEXT,
    target_name  TEXT,
    date_text    TEXT,
    rule_file    TEXT NOT NULL,
    rule_entry   TEXT NOT NULL,
    pattern_code TEXT NOT NULL,
    recoded      TEXT,
    confidence   DOUBLE PRECISION NOT NULL,
    reported     BOOLEAN NOT NULL,
    quote        INTEGER
);
ALTER SEQUENCE mentions_id_seq OWNED BY mentions.id;
CREATE INDEX mentions_event ON mentions(event_id, article_id);
CREATE INDEX mentions_article ON mentions(article_id, sentence);

-- Distinct outlets per event (NumSources).
CREATE TABLE event_sources (
    event_id BIGINT NOT NULL,
    outlet   TEXT NOT NULL,
    PRIMARY KEY (event_id, outlet)
);

-- Every actor code used by an event: prefix filters expand into an IN-list over it.
CREATE TABLE codes (
    code TEXT COLLATE "C" PRIMARY KEY
);

-- Rollups, maintained by every insert in the same transaction: dated events only.
CREATE TABLE dyad_day (
    source_code   TEXT COLLATE "C" NOT NULL,
    target_code   TEXT COLLATE "C" NOT NULL,
    day           BIGINT NOT NULL,
    events        BIGINT NOT NULL,
    mentions      BIGINT NOT NULL,
    goldstein_sum DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (source_code, target_code, day)
);
CREATE TABLE day_totals (
    day           BIGINT PRIMARY KEY,
    events        BIGINT NOT NULL,
    mentions      BIGINT NOT NULL,
    goldstein_sum DOUBLE PRECISION NOT NULL
);
CREATE TABLE dyad_totals (
    source_code   TEXT COLLATE "C" NOT NULL,
    target_code   TEXT COLLATE "C" NOT NULL,
    events        BIGINT NOT NULL,
    mentions      BIGINT NOT NULL,
    goldstein_sum DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (source_code, target_code)
);
CREATE TABLE actor_day (
    actor_code    TEXT COLLATE "C" NOT NULL,
    day           BIGINT NOT NULL,
    as_source     BIGINT NOT NULL,
    as_target     BIGINT NOT NULL,
    mentions      BIGINT NOT NULL,
    goldstein_sum DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (actor_code, day)
);
CREATE INDEX actor_day_day ON actor_day(day);
CREATE TABLE actor_month (
    actor_code    TEXT COLLATE "C" NOT NULL,
    month         BIGINT NOT NULL,
    as_source     BIGINT NOT NULL,
    as_target     BIGINT NOT NULL,
    mentions      BIGINT NOT NULL,
    goldstein_sum DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (actor_code, month)
);
CREATE INDEX actor_month_month ON actor_month(month);

-- Feeds followed by `dyad follow`: conditional-GET validators and when they were last read.
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    last_polled   TEXT,
    last_error    TEXT
);
"#,
    // 2: the full-text index holds the words of `dyad_store::textquery::index_words` (SQLite
    // FTS5's tokenizer: diacritics of Latin letters folded, punctuation always a separator)
    // instead of `to_tsvector('simple', …)`'s. `migrate` rebuilds the rows of an existing store
    // from the article texts in the same transaction (`REINDEX_SENTENCES_AT`).
    r#"
COMMENT ON TABLE sentences IS
  'One row per indexed sentence: tsv holds dyad_store::textquery::index_words of its text.';
"#,
];

/// The migration (its 1-based number) after which the `sentences` rows of an existing store
/// are rebuilt in Rust: what they hold is computed by `dyad_store::textquery`, not by SQL.
pub const REINDEX_SENTENCES_AT: i64 = 2;
