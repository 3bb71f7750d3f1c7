//! The schema, as an ordered list of migrations. `PRAGMA user_version` records how many have
//! been applied; opening a store applies the missing ones in one transaction, so a database
//! is never left half-migrated. Never edit a released migration: append a new one.

/// Migration `i` (0-based) brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles and what the coder found in them; deduplicated events and their mentions;
    // rollups that keep aggregations off the event table.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per stored article. `key` is the id the input gave it (JSON Lines id, feed guid,
-- canonical URL; NULL when it had none); `content_hash` is the SHA-256 of its normalized text.
-- Both are unique: re-ingesting either adds nothing.
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    key          TEXT UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    source       TEXT,
    url          TEXT,
    title        TEXT,
    date         TEXT,
    lang         TEXT,
    origin       TEXT NOT NULL,
    text         TEXT NOT NULL,
    -- Sentences as a JSON array of [start, end, paragraph] byte offsets into `text`.
    sentences    TEXT NOT NULL,
    n_sentences  INTEGER NOT NULL,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_date ON articles(date);

-- The full-text index of every sentence, contentless (the text is in `articles`): rowid =
-- article id × 2^20 + sentence index (see `sentence_rowid`).
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='', tokenize='unicode61 remove_diacritics 2'
);

CREATE TABLE actors (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    idx        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    code       TEXT NOT NULL,
    country    TEXT,
    org        TEXT,
    sector     TEXT,
    kind       TEXT NOT NULL,
    title      TEXT,
    mentions   TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE quotes (
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    idx          INTEGER NOT NULL,
    sentence     INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    speaker_name TEXT,
    speaker_code TEXT,
    cue          TEXT,
    direct       INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX quotes_speaker ON quotes(speaker_code);

-- A deduplicated event: every mention with the same source code, target code, CAMEO code and
-- flags, dated within the dedup window of the event's date (see docs/store.md).
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    source_code    TEXT NOT NULL,
    source_name    TEXT,
    source_country TEXT,
    source_org     TEXT,
    source_sector  TEXT,
    target_code    TEXT NOT NULL,
    target_name    TEXT,
    target_country TEXT,
    target_org     TEXT,
    target_sector  TEXT,
    cameo          TEXT NOT NULL,
    root           TEXT NOT NULL,
    cameo_name     TEXT,
    quad_class     INTEGER,
    goldstein      REAL,
    plover         TEXT,
    plover_mode    TEXT,
    day            INTEGER,
    negated        INTEGER NOT NULL,
    hypothetical   INTEGER NOT NULL,
    place_name     TEXT,
    place_country  TEXT,
    lat            REAL,
    lon            REAL,
    num_mentions   INTEGER NOT NULL,
    num_articles   INTEGER NOT NULL,
    num_sources    INTEGER NOT NULL,
    first_mention  INTEGER,
    added_at       TEXT NOT NULL
);
CREATE INDEX events_dyad ON events(source_code, target_code, day);
CREATE INDEX events_target ON events(target_code, day);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_cameo ON events(cameo, day);
CREATE INDEX events_place ON events(place_country, day);

-- One row per time the coder found an event: its evidence and the rule that fired.
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    sentence     INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    evidence     TEXT NOT NULL,
    source_name  TEXT,
    target_name  TEXT,
    date_text    TEXT,
    rule_file    TEXT NOT NULL,
    rule_entry   TEXT NOT NULL,
    pattern_code TEXT NOT NULL,
    recoded      TEXT,
    confidence   REAL NOT NULL,
    reported     INTEGER NOT NULL,
    quote        INTEGER
);
CREATE INDEX mentions_event ON mentions(event_id, article_id);
CREATE INDEX mentions_article ON mentions(article_id, sentence);

-- Distinct outlets per event (NumSources).
CREATE TABLE event_sources (
    event_id INTEGER NOT NULL,
    outlet   TEXT NOT NULL,
    PRIMARY KEY (event_id, outlet)
) WITHOUT ROWID;

-- Every actor code used by an event: prefix filters (`RUS` → RUS, RUSGOV, RUSMIL, …) expand
-- into an IN-list over it, so the (code, …, day) indexes are searched, not scanned.
CREATE TABLE codes (
    code TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Rollups, maintained by every insert in the same transaction: dated events only.
CREATE TABLE dyad_day (
    source_code   TEXT NOT NULL,
    target_code   TEXT NOT NULL,
    day           INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    mentions      INTEGER NOT NULL,
    goldstein_sum REAL NOT NULL,
    PRIMARY KEY (source_code, target_code, day)
) WITHOUT ROWID;
CREATE TABLE day_totals (
    day           INTEGER PRIMARY KEY,
    events        INTEGER NOT NULL,
    mentions      INTEGER NOT NULL,
    goldstein_sum REAL NOT NULL
);
CREATE TABLE dyad_totals (
    source_code   TEXT NOT NULL,
    target_code   TEXT NOT NULL,
    events        INTEGER NOT NULL,
    mentions      INTEGER NOT NULL,
    goldstein_sum REAL NOT NULL,
    PRIMARY KEY (source_code, target_code)
) WITHOUT ROWID;
CREATE TABLE actor_day (
    actor_code    TEXT NOT NULL,
    day           INTEGER NOT NULL,
    as_source     INTEGER NOT NULL,
    as_target     INTEGER NOT NULL,
    mentions      INTEGER NOT NULL,
    goldstein_sum REAL NOT NULL,
    PRIMARY KEY (actor_code, day)
) WITHOUT ROWID;
CREATE INDEX actor_day_day ON actor_day(day);
CREATE TABLE actor_month (
    actor_code    TEXT NOT NULL,
    month         INTEGER NOT NULL,
    as_source     INTEGER NOT NULL,
    as_target     INTEGER NOT NULL,
    mentions      INTEGER NOT NULL,
    goldstein_sum REAL NOT NULL,
    PRIMARY KEY (actor_code, month)
) WITHOUT ROWID;
CREATE INDEX actor_month_month ON actor_month(month);

-- Feeds followed by `dyad follow`: conditional-GET validators and when they were last read.
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    last_polled   TEXT,
    last_error    TEXT
) WITHOUT ROWID;
"#,
];
