//! dyad's event database. [`SqliteStore`] keeps articles, their sentences (with a full-text
//! index), actors and quotes, and the events the coder found in them, deduplicated across
//! articles, in one SQLite file (WAL mode). The [`EventStore`] trait is the narrow interface
//! the ingest pipeline, the CLI and the server use, so a server database can sit behind it.
//!
//! Invariants:
//! - an article is stored whole (article, sentences, actors, quotes, mentions, events, rollups)
//!   in the transaction that stores it, or not at all;
//! - an article whose key or normalized-text hash is already stored is never stored again;
//! - the rollup tables always equal what a group-by over `events` would give (tests check it).
//!
//! The dedup rule is documented in `docs/store.md` and implemented in [`write`].

pub mod model;
pub mod plan;
mod query;
mod reload;
pub mod schema;
pub mod textquery;
mod write;

pub use model::*;
pub use query::is_code;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {cause}")]
    Open {
        path: String,
        cause: rusqlite::Error,
    },
    #[error("{path}: the database has schema version {found}, newer than this dyad knows ({known}); upgrade dyad")]
    NewerSchema {
        path: String,
        found: i64,
        known: i64,
    },
    // Not `#[from]`/`#[source]`: rusqlite's errors repeat their own cause, and a chain would
    // print every message twice.
    #[error("database: {0}")]
    Sql(rusqlite::Error),
    #[error("bad query: {0}")]
    BadQuery(String),
    /// A full-text query (`EventQuery::text`) the syntax of [`textquery`] cannot search for.
    /// (Not a `#[source]`: the message includes it, and a chain would print it twice.)
    #[error("bad query: full-text query: {0}")]
    Text(textquery::TextQueryError),
    #[error("{0}")]
    Callback(String),
    /// A failure of a database server behind the trait (PostgreSQL): `what` names the
    /// operation.
    #[error("{what}: {source}")]
    Backend {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No store where one was expected.
    #[error("{0}: no such database; create it with `dyad ingest --db {0} FILES…`")]
    Missing(String),
    /// Stored data that cannot be read back (a damaged or hand-edited store).
    #[error("stored data: {0}")]
    Corrupt(String),
}

impl From<textquery::TextQueryError> for StoreError {
    fn from(e: textquery::TextQueryError) -> Self {
        StoreError::Text(e)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Settings that shape what gets stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreOptions {
    /// Mentions of the same source, target, code and flags whose dates differ by at most this
    /// many days are one event. 0: the same day only.
    pub dedup_window_days: u32,
}

/// The storage interface: what ingest, query, export and serve need, and nothing SQLite-only.
pub trait EventStore {
    /// Whether an article with this key or content hash is already stored.
    fn contains(&self, key: Option<&str>, content_hash: &str) -> Result<bool>;
    /// Stores the articles in one transaction (all or none) and says what became of each.
    fn insert_batch(&mut self, articles: &[NewArticle]) -> Result<Vec<InsertOutcome>>;
    /// Events matching `q`, ordered by date then id, with `q.limit`/`q.offset` applied.
    fn query(&self, q: &EventQuery) -> Result<Vec<StoredEvent>>;
    /// How many events match `q` (ignoring limit and offset).
    fn count(&self, q: &EventQuery) -> Result<u64>;
    /// Streams every event matching `q` to `f` in id order (exports).
    fn for_each_event(
        &self,
        q: &EventQuery,
        f: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;
    /// One event by id.
    fn event(&self, event_id: i64) -> Result<Option<StoredEvent>>;
    /// Every mention of an event (its evidence in each article).
    fn mentions(&self, event_id: i64) -> Result<Vec<MentionOut>>;
    /// Counts and Goldstein sums per bucket.
    fn series(&self, q: &EventQuery, bucket: Bucket) -> Result<Vec<SeriesPoint>>;
    /// The actors in most events.
    fn top_actors(&self, q: &EventQuery, limit: usize) -> Result<Vec<ActorCount>>;
    /// The source→target pairs with most events.
    fn top_dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadCount>>;
    /// The event locations with most events (places the dictionaries give coordinates for).
    fn top_places(&self, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCount>>;
    fn article(&self, article_id: i64) -> Result<Option<ArticleOut>>;
    fn stats(&self) -> Result<StoreStats>;
}

/// The embedded store: one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    options: StoreOptions,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Self> {
        let shown = path.display().to_string();
        let open_err = |source| StoreError::Open {
            path: shown.clone(),
            cause: source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        // SQLite opens lazily: a file that is not a database fails at the first statement.
        Self::init(conn, path.to_path_buf(), options).map_err(|e| match e {
            StoreError::Sql(cause) => StoreError::Open {
                path: shown.clone(),
                cause,
            },
            e => e,
        })
    }

    /// Opens an existing store for reading only (queries, exports, the server).
    pub fn open_read_only(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        if !path.exists() {
            return Err(StoreError::Open {
                path: shown,
                cause: rusqlite::Error::InvalidPath(path.to_path_buf()),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open {
            path: shown.clone(),
            cause: source,
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.set_prepared_statement_cache_capacity(128);
        // Map up to 2 GiB (SQLite's default ceiling): pages then come straight from the OS
        // cache instead of being copied in by read() for every connection.
        conn.pragma_update(None, "mmap_size", 2_147_418_112)?;
        conn.pragma_update(None, "cache_size", -16_384)?;
        let (version, known) = schema_version(&conn, &shown).map_err(|e| match e {
            StoreError::Sql(cause) => StoreError::Open {
                path: shown.clone(),
                cause,
            },
            e => e,
        })?;
        if version < known {
            return Err(StoreError::BadQuery(format!(
                "{shown}: not a dyad store (schema version {version}); run `dyad ingest --db {shown}` first"
            )));
        }
        let options = read_options(&conn)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            options,
        })
    }

    /// A store in memory (tests, the demo server).
    pub fn in_memory(options: StoreOptions) -> Result<Self> {
        Self::init(
            Connection::open_in_memory()?,
            PathBuf::from(":memory:"),
            options,
        )
    }

    fn init(mut conn: Connection, path: PathBuf, options: StoreOptions) -> Result<Self> {
        let shown = path.display().to_string();
        // WAL: readers never block the writer and a killed writer loses only its open
        // transaction. synchronous=NORMAL is durable across process crashes (kill -9); only an
        // OS crash or power loss can roll back the last transactions.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoint the WAL into the database every ~40 MB rather than every 4 MB.
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Reads through the OS page cache instead of copying every page into SQLite's.
        conn.pragma_update(None, "mmap_size", 268_435_456)?;
        // The write path alone uses ~20 statements: keep them all prepared.
        conn.set_prepared_statement_cache_capacity(128);
        let (version, known) = schema_version(&conn, &shown)?;
        if version < known {
            let tx = conn.transaction()?;
            for m in &schema::MIGRATIONS[version as usize..] {
                tx.execute_batch(m)?;
            }
            tx.pragma_update(None, "user_version", known)?;
            tx.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('dedup_window_days', ?1)",
                [options.dedup_window_days.to_string()],
            )?;
            tx.commit()?;
        }
        // The dedup window is a property of the store, fixed when it is created: changing it
        // later would make old and new events follow different rules.
        let options = read_options(&conn)?;
        Ok(SqliteStore {
            conn,
            path,
            options,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn options(&self) -> StoreOptions {
        self.options
    }

    /// The conditional-GET validators stored for a followed feed.
    pub fn feed_state(&self, url: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT etag, last_modified FROM feeds WHERE url = ?1",
                [url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Records a poll of a followed feed.
    pub fn set_feed_state(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO feeds(url, etag, last_modified, last_polled, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(url) DO UPDATE SET
               etag = COALESCE(excluded.etag, etag),
               last_modified = COALESCE(excluded.last_modified, last_modified),
               last_polled = excluded.last_polled, last_error = excluded.last_error",
            rusqlite::params![url, etag, last_modified, now_rfc3339(), error],
        )?;
        Ok(())
    }

    /// Checks the rollups against the event table; returns the first difference found.
    /// Used by tests and by `dyad store check`.
    pub fn check_rollups(&self) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        let diff: Option<String> = self
            .conn
            .query_row(
                "WITH base AS (
                   SELECT source_code, target_code, day, count(*) AS n,
                          sum(num_mentions) AS m, total(goldstein) AS g
                   FROM events WHERE day IS NOT NULL GROUP BY 1, 2, 3)
                 SELECT coalesce(b.source_code, r.source_code) || '→' ||
                        coalesce(b.target_code, r.target_code) || ' day ' ||
                        coalesce(b.day, r.day)
                 FROM base b FULL OUTER JOIN dyad_day r
                   ON r.source_code = b.source_code AND r.target_code = b.target_code
                  AND r.day = b.day
                 WHERE b.n IS NOT r.events OR b.m IS NOT r.mentions
                    OR abs(coalesce(b.g, 0) - coalesce(r.goldstein_sum, 0)) > 1e-6
                 LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if diff.is_some() {
            return Ok(diff);
        }
        let others: Option<String> = self
            .conn
            .query_row(
                "SELECT 'day_totals day ' || coalesce(b.day, r.day) FROM
                   (SELECT day, sum(events) AS n, sum(mentions) AS m FROM dyad_day GROUP BY day) b
                   FULL OUTER JOIN day_totals r ON r.day = b.day
                 WHERE b.n IS NOT r.events OR b.m IS NOT r.mentions
                 UNION ALL
                 SELECT 'dyad_totals ' || coalesce(b.source_code, r.source_code) || '→' ||
                        coalesce(b.target_code, r.target_code) FROM
                   (SELECT source_code, target_code, count(*) AS n, sum(num_mentions) AS m
                      FROM events WHERE day IS NOT NULL GROUP BY 1, 2) b
                   FULL OUTER JOIN dyad_totals r
                     ON r.source_code = b.source_code AND r.target_code = b.target_code
                 WHERE b.n IS NOT r.events OR b.m IS NOT r.mentions
                 LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(others)
    }
}

/// The store's schema version and the one this dyad knows; a newer store is an error.
fn schema_version(conn: &Connection, shown: &str) -> Result<(i64, i64)> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = schema::MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::NewerSchema {
            path: shown.to_string(),
            found: version,
            known,
        });
    }
    Ok((version, known))
}

fn read_options(conn: &Connection) -> Result<StoreOptions> {
    let window: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'dedup_window_days'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| "0".to_string());
    Ok(StoreOptions {
        dedup_window_days: window.parse().unwrap_or(0),
    })
}

pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Sentences indexed for full-text search per article (the rest are stored, not indexed).
pub const MAX_INDEXED_SENTENCES: usize = 1 << 20;

/// The full-text index's rowid of sentence `idx` of an article.
pub fn sentence_rowid(article_id: i64, idx: usize) -> i64 {
    (article_id << 20) | (idx as i64 & ((1 << 20) - 1))
}

/// SHA-256 (hex) of the text after Unicode NFKC, lower-casing and whitespace collapsing: two
/// copies of an article that differ only in spacing or line breaks hash the same.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    use unicode_normalization::UnicodeNormalization;
    let mut h = Sha256::new();
    let mut first = true;
    for word in text.split_whitespace() {
        if !first {
            h.update(b" ");
        }
        first = false;
        if word.is_ascii() {
            // NFKC leaves ASCII alone: lower-case it byte by byte.
            let mut buf = [0u8; 64];
            for chunk in word.as_bytes().chunks(64) {
                let b = &mut buf[..chunk.len()];
                b.copy_from_slice(chunk);
                b.make_ascii_lowercase();
                h.update(&*b);
            }
        } else {
            let w: String = word.nfkc().flat_map(char::to_lowercase).collect();
            h.update(w.as_bytes());
        }
    }
    let digest = h.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The outlet an article counts as for NumSources: its URL's host (as GDELT counts source
/// domains; a feed's title such as "Outlet - World" would split one outlet in two), else its
/// `source` name.
pub fn outlet_of(source: Option<&str>, url: Option<&str>) -> Option<String> {
    let host = url.and_then(|url| {
        let rest = url.split_once("://").map(|(_, r)| r)?;
        let host = rest.split(['/', '?', '#']).next()?;
        let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
        let host = host.split(':').next()?.trim_start_matches("www.");
        (!host.is_empty()).then(|| host.to_ascii_lowercase())
    });
    host.or_else(|| {
        source
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_spacing_and_case() {
        assert_eq!(
            content_hash("Russia  warned\nTurkey."),
            content_hash("russia warned turkey.")
        );
        assert_ne!(
            content_hash("Russia warned Turkey."),
            content_hash("Turkey warned Russia.")
        );
        assert_eq!(content_hash("ﬁve"), content_hash("five"));
    }

    #[test]
    fn outlets() {
        assert_eq!(outlet_of(Some(" AFP "), None).as_deref(), Some("AFP"));
        assert_eq!(
            outlet_of(
                Some("Example - World"),
                Some("https://www.Example.org:8080/a/b?c")
            )
            .as_deref(),
            Some("example.org")
        );
        assert_eq!(outlet_of(Some(""), None), None);
        assert_eq!(
            outlet_of(Some("AFP"), Some("not a url")).as_deref(),
            Some("AFP")
        );
    }
}
