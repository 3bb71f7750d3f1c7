//! dyad's event database on PostgreSQL 15: [`PgStore`] implements [`dyad_store::EventStore`]
//! with the semantics of the embedded [`dyad_store::SqliteStore`] (same tables, same dedup
//! rule, same idempotency, same answers), for a store that several `dyad worker` processes
//! write at once.
//!
//! # Schema mapping
//!
//! [`schema::MIGRATIONS`] creates the tables of `dyad_store::schema` under the same names:
//! `articles`, `actors`, `quotes`, `events`, `mentions`, `event_sources`, `codes`, the rollups
//! `dyad_day`, `day_totals`, `dyad_totals`, `actor_day`, `actor_month`, `feeds` and `meta`
//! (which holds `schema_version`, PostgreSQL having no `PRAGMA user_version`, and
//! `dedup_window_days`). Types are PostgreSQL's own: `DATE` for article dates, `TIMESTAMPTZ`
//! for `ingested_at`/`added_at`, `BOOLEAN` for flags, `BIGINT` for ids and day numbers (days
//! since 1970-01-01, as in SQLite). Ids come from one sequence per table, taken in blocks in
//! batch order, so a store written sequentially numbers articles, events and mentions exactly
//! as SQLite does. Codes, CAMEO codes and place names are `COLLATE "C"`: prefix ranges and
//! tie-breaks compare bytes, as SQLite does, whatever the database's collation. There are no
//! foreign keys (SQLite does not enforce its `REFERENCES` either): every row of an article is
//! written by the one transaction that stores it. Undated events sort first, as SQLite sorts
//! NULL first (`ORDER BY day NULLS FIRST, id`), and the indexes are built in that order.
//!
//! # Concurrency
//!
//! Every [`EventStore::insert_batch`](dyad_store::EventStore::insert_batch) is one READ COMMITTED transaction, in phases that every
//! writer goes through in the same order:
//!
//! 1. **Articles.** Already stored ones (by key, then content hash, as SQLite checks) and
//!    repeats within the batch are `Duplicate`s. The rest are inserted in one statement,
//!    sorted by content hash, `ON CONFLICT DO NOTHING RETURNING id`: `articles.key` and
//!    `articles.content_hash` are UNIQUE, so when two workers store the same article at the
//!    same time, the second waits for the first to commit and gets no row back, and that
//!    article becomes a `Duplicate` with none of its rows written.
//! 2. **Sentences, actors, quotes** of the inserted articles: one multi-row `INSERT … SELECT
//!    FROM unnest(…)` per table (array parameters, prepared once per connection).
//! 3. **Event locks.** For each distinct `(source code, target code, CAMEO code)` of the batch's
//!    dated events, `pg_advisory_xact_lock` on a 64-bit FNV-1a hash of the three codes
//!    ([`event_lock_key`]), all taken in one statement in ascending key order, after a shared
//!    lock on [`ALL_EVENTS_LOCK`]. A batch with more than [`MAX_EVENT_LOCKS`] keys (see
//!    [`PgStore::with_max_event_locks`]) takes that lock exclusively instead, which bounds the
//!    locks a transaction holds (PostgreSQL's lock table holds `max_locks_per_transaction ×
//!    max_connections` entries, 6,400 by default). The locks are held to commit, so finding
//!    an event within the dedup window and creating it when there is none cannot race: the
//!    lookup, a new statement, sees every event committed by the previous holder, and ids of
//!    one key's events grow in commit order, so "the oldest" means the same as in SQLite.
//!    (Undated events only merge within their article and need no lock.) The unique index
//!    `events_key` (one dated event per key and day, which the dedup rule implies) would
//!    reject a second event should two writers ever race; that error is retried too.
//! 4. **Dedup in memory.** The candidate events (same key, within the window of any mention)
//!    are read in one query; the batch is then folded exactly as `SqliteStore` folds it,
//!    article by article and mention by mention (nearest date, then oldest).
//! 5. **Writes**, each one statement: `event_sources` (`ON CONFLICT DO NOTHING RETURNING`, which
//!    says which outlets are new for NumSources), new events, the counters of existing events,
//!    mentions, then the rollups as `INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`,
//!    table by table in a fixed order and key by key in sorted order, so two writers lock
//!    rollup rows in the same order and never deadlock on them.
//!
//! A serialization failure or deadlock (SQLSTATE 40001, 40P01; possible in phase 1 when two
//! workers insert articles whose keys and hashes collide in opposite orders) rolls the
//! transaction back and retries the whole batch, up to [`BATCH_ATTEMPTS`] times. A worker
//! killed mid-transaction (SIGKILL) loses its connection; the server rolls its transaction
//! back and releases its locks, and nothing of that batch is stored.
//!
//! With a dedup window of 0 the stored events do not depend on the order in which concurrent
//! writers commit (the tests compare three concurrent writers with one sequential insert);
//! with a wider window they can, as they do in SQLite with a different article order.
//!
//! Reads share the connection (a `Mutex`), except [`EventStore::for_each_event`](dyad_store::EventStore::for_each_event), which streams
//! from a second connection (kept for reuse) inside a REPEATABLE READ, READ ONLY transaction, so
//! an export sees one snapshot and its callback may call the store (JSON Lines exports read
//! each event's mentions). A connection the server closed (a restart, `pg_terminate_backend`)
//! fails the call that finds it closed; the next call reconnects.
//!
//! [`PgStore::connect`] creates or migrates the schema in one transaction under an advisory
//! lock, so workers starting together migrate once; a store with a newer schema than this dyad
//! knows is refused ([`StoreError::NewerSchema`]), as SQLite's is.
//!
//! # Full-text search
//!
//! [`dyad_store::EventQuery::text`] is read once by [`dyad_store::textquery`] (words,
//! "phrases", `prefix*`, `OR`, `-word`/`NOT word`); SQLite gets it as an FTS5 expression of
//! quoted words, this store as a `tsquery` of quoted lexemes (`'peace' <-> 'talks'`,
//! `'negot':*`, `!'war'`), bound as a parameter and cast with `::tsquery`. The `sentences`
//! table holds each sentence's words as a `tsvector` built from
//! [`dyad_store::textquery::tsvector_literal`]: the words of FTS5's `unicode61
//! remove_diacritics 2` tokenizer, with their positions, not `to_tsvector`'s (which keeps
//! diacritics and compounds such as `al-bashir` or `u.s`), so both stores find the same
//! sentences. Rows are kept for the sentences that carry an event mention: the text filter
//! reaches sentences only through their mentions, so the others could not change any answer
//! (SQLite indexes them all), and the index insert is the write path's most expensive step.
//! `stats()` counts every sentence of every article, as SQLite does. Migration 2 rebuilt the
//! rows of stores written by earlier versions.
//!
//! # Other differences, and what is not supported
//!
//! - Name and place fragments match with `ILIKE … ESCAPE ''`, SQLite's `LIKE` being
//!   case-insensitive: the same for ASCII, but PostgreSQL folds the case of other letters too.
//! - Goldstein sums are summed by PostgreSQL in plain double precision (SQLite's `total()` sums
//!   compensated); answers are rounded to two decimals as in SQLite, which hides the difference.
//! - `added_at` and `ingested_at` are the writer's clock, like SQLite's, to the second.
//! - [`PgStore::check_rollups`] also checks `actor_day` and `actor_month` (and the Goldstein
//!   sums of `day_totals`), which SQLite's does not.
//! - There is no read-only mode (connecting to an empty database creates the schema) and no
//!   in-memory store; TLS is not supported (loopback and private networks only). Vacuuming,
//!   backups and roles are left to PostgreSQL's tools.

pub mod schema;

mod query;
mod write;

use dyad_store::{StoreError, StoreOptions};
use postgres::{Client, Config, NoTls, Statement};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

pub use write::{ALL_EVENTS_LOCK, BATCH_ATTEMPTS, MAX_EVENT_LOCKS};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether `s` is a PostgreSQL connection URL (`postgres://…` or `postgresql://…`) rather than
/// a path to a SQLite file.
pub fn is_postgres_url(s: &str) -> bool {
    let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A PostgreSQL error with its full message. `postgres::Error` prints only its kind ("db
/// error") and keeps the server's message in its source; this prints both, so that
/// `StoreError::Backend` reads well without walking the chain. The original is
/// [`PgError::inner`].
#[derive(Debug)]
pub struct PgError(pub postgres::Error);

impl PgError {
    pub fn inner(&self) -> &postgres::Error {
        &self.0
    }

    /// The SQLSTATE of a server error.
    pub fn code(&self) -> Option<&str> {
        self.0.code().map(|c| c.code())
    }
}

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(db) = self.0.as_db_error() {
            write!(
                f,
                "{}: {} (SQLSTATE {})",
                db.severity(),
                db.message(),
                db.code().code()
            )?;
            if let Some(d) = db.detail() {
                write!(f, "; {d}")?;
            }
            if let Some(h) = db.hint() {
                write!(f, "; hint: {h}")?;
            }
            return Ok(());
        }
        write!(f, "{}", self.0)?;
        if let Some(cause) = std::error::Error::source(&self.0) {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

// No `source()`: the message above already says everything the chain would, twice.
impl std::error::Error for PgError {}

/// Something read from the database that makes no sense (a damaged or foreign schema).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Inconsistent(pub String);

/// Maps a postgres error into [`StoreError::Backend`], naming the operation.
pub(crate) fn db(what: &'static str) -> impl FnOnce(postgres::Error) -> StoreError {
    move |e| StoreError::Backend {
        what: what.to_string(),
        source: Box::new(PgError(e)),
    }
}

pub(crate) fn inconsistent(what: &str, message: String) -> StoreError {
    StoreError::Backend {
        what: what.to_string(),
        source: Box::new(Inconsistent(message)),
    }
}

/// The postgres error inside a store error, if it is one.
pub(crate) fn pg_error(e: &StoreError) -> Option<&postgres::Error> {
    match e {
        StoreError::Backend { source, .. } => source.downcast_ref::<PgError>().map(PgError::inner),
        _ => None,
    }
}

/// A connection and its prepared statements.
pub(crate) struct Conn {
    pub(crate) client: Client,
    pub(crate) statements: Statements,
}

/// Prepared statements by SQL text. Query shapes are bounded (filters add clauses, never
/// literal values), so the cache stays small; it is emptied if it ever grows past 512.
#[derive(Default)]
pub(crate) struct Statements(HashMap<String, Statement>);

impl Statements {
    pub(crate) fn get(
        &mut self,
        client: &mut impl postgres::GenericClient,
        sql: &str,
    ) -> std::result::Result<Statement, postgres::Error> {
        if let Some(st) = self.0.get(sql) {
            return Ok(st.clone());
        }
        if self.0.len() >= 512 {
            self.0.clear();
        }
        let st = client.prepare(sql)?;
        self.0.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

/// The store on a PostgreSQL server.
pub struct PgStore {
    conn: Mutex<Conn>,
    /// Connections for streaming exports, opened on demand and kept.
    spare: Mutex<Vec<Client>>,
    config: Config,
    shown: String,
    options: StoreOptions,
    max_event_locks: usize,
}

// Workers and servers move stores across threads.
const _: () = {
    const fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<PgStore>();
};

impl PgStore {
    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/dbname`, or
    /// any connection string the `postgres` crate reads), creates or migrates the schema, and
    /// reads the dedup window: a new store records `options.dedup_window_days`, an existing one
    /// keeps the window it was created with.
    pub fn connect(url: &str, options: StoreOptions) -> Result<PgStore> {
        let shown = redact(url);
        let config: Config = url.parse().map_err(|e| StoreError::Backend {
            what: format!("{shown}: not a PostgreSQL connection string"),
            source: Box::new(PgError(e)),
        })?;
        let mut client = config.connect(NoTls).map_err(|e| StoreError::Backend {
            what: format!("connecting to {shown}"),
            source: Box::new(PgError(e)),
        })?;
        migrate(&mut client, &shown, options)?;
        let options = read_options(&mut client)?;
        Ok(PgStore {
            conn: Mutex::new(Conn {
                client,
                statements: Statements::default(),
            }),
            spare: Mutex::new(Vec::new()),
            config,
            shown,
            options,
            max_event_locks: MAX_EVENT_LOCKS,
        })
    }

    /// The store's settings (the dedup window it was created with).
    pub fn options(&self) -> StoreOptions {
        self.options
    }

    /// The connection URL, password hidden.
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// How many per-key event locks a batch takes before it locks all events at once instead
    /// (default [`MAX_EVENT_LOCKS`]; at least 1).
    pub fn with_max_event_locks(mut self, n: usize) -> Self {
        self.max_event_locks = n.max(1);
        self
    }

    /// The connection, reopened first if the server closed it (a restart, an administrator's
    /// `pg_terminate_backend`): the call that found it closed failed, the next one reconnects.
    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Conn>> {
        // A panic while the lock was held leaves no half-done state behind: a transaction
        // open at the time was rolled back when it was dropped.
        let mut c = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if c.client.is_closed() {
            c.statements = Statements::default();
            c.client = self.connect_client()?;
        }
        Ok(c)
    }

    fn connect_client(&self) -> Result<Client> {
        self.config.connect(NoTls).map_err(|e| StoreError::Backend {
            what: format!("connecting to {}", self.shown),
            source: Box::new(PgError(e)),
        })
    }

    /// A connection of its own, for streaming while the main one stays free.
    pub(crate) fn take_spare(&self) -> Result<Client> {
        let mut spare = self.spare.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(c) = spare.pop() {
            if !c.is_closed() {
                return Ok(c);
            }
        }
        drop(spare);
        self.connect_client()
    }

    pub(crate) fn give_back(&self, client: Client) {
        if client.is_closed() {
            return;
        }
        let mut spare = self.spare.lock().unwrap_or_else(|p| p.into_inner());
        if spare.len() < 4 {
            spare.push(client);
        }
    }

    /// The conditional-GET validators stored for a followed feed.
    pub fn feed_state(&self, url: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        let mut c = self.conn()?;
        let Conn { client, statements } = &mut *c;
        let st = statements
            .get(
                client,
                "SELECT etag, last_modified FROM feeds WHERE url = $1",
            )
            .map_err(db("reading a feed's state"))?;
        let row = client
            .query_opt(&st, &[&url])
            .map_err(db("reading a feed's state"))?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .transpose()
            .map_err(db("reading a feed's state"))
    }

    /// Records a poll of a followed feed.
    pub fn set_feed_state(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut c = self.conn()?;
        let Conn { client, statements } = &mut *c;
        let st = statements
            .get(
                client,
                "INSERT INTO feeds AS f (url, etag, last_modified, last_polled, last_error)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (url) DO UPDATE SET
                   etag = COALESCE(excluded.etag, f.etag),
                   last_modified = COALESCE(excluded.last_modified, f.last_modified),
                   last_polled = excluded.last_polled, last_error = excluded.last_error",
            )
            .map_err(db("recording a feed's state"))?;
        client
            .execute(&st, &[&url, &etag, &last_modified, &now, &error])
            .map_err(db("recording a feed's state"))?;
        Ok(())
    }

    /// Checks the rollups against the event table; returns the first difference found.
    pub fn check_rollups(&self) -> Result<Option<String>> {
        let mut c = self.conn()?;
        let client = &mut c.client;
        let what = "checking the rollups";
        let row = client
            .query_opt(
                "WITH base AS (
                   SELECT source_code, target_code, day, count(*) AS n,
                          sum(num_mentions) AS m, coalesce(sum(goldstein), 0) AS g
                   FROM events WHERE day IS NOT NULL GROUP BY 1, 2, 3)
                 SELECT coalesce(b.source_code, r.source_code) || '→' ||
                        coalesce(b.target_code, r.target_code) || ' day ' ||
                        coalesce(b.day, r.day)
                 FROM base b FULL OUTER JOIN dyad_day r
                   ON r.source_code = b.source_code AND r.target_code = b.target_code
                  AND r.day = b.day
                 WHERE b.n IS DISTINCT FROM r.events OR b.m IS DISTINCT FROM r.mentions
                    OR abs(coalesce(b.g, 0) - coalesce(r.goldstein_sum, 0)) > 1e-6
                 LIMIT 1",
                &[],
            )
            .map_err(db(what))?;
        if let Some(r) = row {
            return r.try_get(0).map_err(db(what));
        }
        let row = client
            .query_opt(
                "(SELECT 'day_totals day ' || coalesce(b.day, r.day) FROM
                   (SELECT day, sum(events) AS n, sum(mentions) AS m,
                           coalesce(sum(goldstein_sum), 0) AS g
                      FROM dyad_day GROUP BY day) b
                   FULL OUTER JOIN day_totals r ON r.day = b.day
                 WHERE b.n IS DISTINCT FROM r.events OR b.m IS DISTINCT FROM r.mentions
                    OR abs(coalesce(b.g, 0) - coalesce(r.goldstein_sum, 0)) > 1e-6
                 LIMIT 1)
                 UNION ALL
                 (SELECT 'dyad_totals ' || coalesce(b.source_code, r.source_code) || '→' ||
                        coalesce(b.target_code, r.target_code) FROM
                   (SELECT source_code, target_code, count(*) AS n, sum(num_mentions) AS m,
                           coalesce(sum(goldstein), 0) AS g
                      FROM events WHERE day IS NOT NULL GROUP BY 1, 2) b
                   FULL OUTER JOIN dyad_totals r
                     ON r.source_code = b.source_code AND r.target_code = b.target_code
                 WHERE b.n IS DISTINCT FROM r.events OR b.m IS DISTINCT FROM r.mentions
                    OR abs(coalesce(b.g, 0) - coalesce(r.goldstein_sum, 0)) > 1e-6
                 LIMIT 1)
                 UNION ALL
                 (SELECT 'actor_day ' || coalesce(b.code, r.actor_code) || ' day ' ||
                         coalesce(b.day, r.day) FROM
                   (SELECT code, day, sum(s) AS s, sum(t) AS t, sum(m) AS m,
                           coalesce(sum(g), 0) AS g FROM (
                      SELECT source_code AS code, day, 1 AS s, 0 AS t, num_mentions AS m,
                             coalesce(goldstein, 0) AS g
                        FROM events WHERE day IS NOT NULL AND source_code <> ''
                      UNION ALL
                      SELECT target_code, day, 0, 1, num_mentions, coalesce(goldstein, 0)
                        FROM events WHERE day IS NOT NULL AND target_code <> '') x
                    GROUP BY 1, 2) b
                   FULL OUTER JOIN actor_day r ON r.actor_code = b.code AND r.day = b.day
                 WHERE b.s IS DISTINCT FROM r.as_source OR b.t IS DISTINCT FROM r.as_target
                    OR b.m IS DISTINCT FROM r.mentions
                    OR abs(coalesce(b.g, 0) - coalesce(r.goldstein_sum, 0)) > 1e-6
                 LIMIT 1)
                 UNION ALL
                 (SELECT 'actor_month ' || coalesce(b.actor_code, r.actor_code) || ' month ' ||
                         coalesce(b.month, r.month) FROM
                   (SELECT actor_code, (extract(year FROM d)::int8 * 12
                                        + extract(month FROM d)::int8 - 1) AS month,
                           sum(as_source) AS s, sum(as_target) AS t, sum(mentions) AS m,
                           coalesce(sum(goldstein_sum), 0) AS g
                      FROM (SELECT *, DATE '1970-01-01' + day::int4 AS d FROM actor_day) ad
                     GROUP BY 1, 2) b
                   FULL OUTER JOIN actor_month r
                     ON r.actor_code = b.actor_code AND r.month = b.month
                 WHERE b.s IS DISTINCT FROM r.as_source OR b.t IS DISTINCT FROM r.as_target
                    OR b.m IS DISTINCT FROM r.mentions
                    OR abs(coalesce(b.g, 0) - coalesce(r.goldstein_sum, 0)) > 1e-6
                 LIMIT 1)
                 LIMIT 1",
                &[],
            )
            .map_err(db(what))?;
        match row {
            Some(r) => r.try_get(0).map_err(db(what)),
            None => Ok(None),
        }
    }
}

/// The advisory lock (bigint key space) that serializes migrations.
const MIGRATION_LOCK: i64 = 0x6479_6164_5f6d_6967; // "dyad_mig"

/// Creates the schema or applies the migrations it lacks, in one transaction.
fn migrate(client: &mut Client, shown: &str, options: StoreOptions) -> Result<()> {
    let what = "migrating the schema";
    let known = schema::MIGRATIONS.len() as i64;
    let version = schema_version(client, shown)?;
    if version >= known {
        return Ok(());
    }
    // Workers that start together: the first migrates, the others wait and find it done. The
    // lock is a session lock taken *before* the transaction: a transaction that began before
    // the first one committed can still see the catalog without its tables.
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db(what))?;
    let result = migrate_locked(client, shown, options, known);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    result?;
    unlocked.map(|_| ()).map_err(db(what))
}

fn migrate_locked(
    client: &mut Client,
    shown: &str,
    options: StoreOptions,
    known: i64,
) -> Result<()> {
    let what = "migrating the schema";
    let mut tx = client.transaction().map_err(db(what))?;
    let version = schema_version(&mut tx, shown)?;
    if version >= known {
        return tx.commit().map_err(db(what));
    }
    // `version < known` here and both are small non-negative numbers.
    for m in &schema::MIGRATIONS[usize::try_from(version).unwrap_or(0)..] {
        tx.batch_execute(m).map_err(db(what))?;
    }
    if version > 0 && version < schema::REINDEX_SENTENCES_AT {
        reindex_sentences(&mut tx)?;
    }
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&known.to_string()],
    )
    .map_err(db(what))?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('dedup_window_days', $1)
         ON CONFLICT (key) DO NOTHING",
        &[&options.dedup_window_days.to_string()],
    )
    .map_err(db(what))?;
    tx.commit().map_err(db(what))
}

/// Rebuilds every `sentences` row from its article's text with `dyad_store::textquery`'s
/// words (migration 2), a few hundred articles per statement.
fn reindex_sentences(tx: &mut postgres::Transaction) -> Result<()> {
    let what = "rebuilding the full-text index";
    let mut last: i64 = i64::MIN;
    loop {
        let rows = tx
            .query(
                "SELECT a.id, a.text, a.sentences, array_agg(s.idx ORDER BY s.idx)
                 FROM articles a JOIN sentences s ON s.article_id = a.id
                 WHERE a.id > $1 GROUP BY a.id ORDER BY a.id LIMIT 500",
                &[&last],
            )
            .map_err(db(what))?;
        if rows.is_empty() {
            return Ok(());
        }
        let (mut ids, mut idxs, mut tsvs) = (Vec::new(), Vec::new(), Vec::new());
        for r in &rows {
            let id: i64 = r.try_get(0).map_err(db(what))?;
            let text: String = r.try_get(1).map_err(db(what))?;
            let spans: String = r.try_get(2).map_err(db(what))?;
            let wanted: Vec<i32> = r.try_get(3).map_err(db(what))?;
            last = id;
            let spans: Vec<(usize, usize, usize)> = serde_json::from_str(&spans)
                .map_err(|e| inconsistent(what, format!("article {id}: sentences: {e}")))?;
            for i in wanted {
                let sentence = usize::try_from(i)
                    .ok()
                    .and_then(|i| spans.get(i))
                    .and_then(|&(s, e, _)| text.get(s..e))
                    .unwrap_or("");
                ids.push(id);
                idxs.push(i);
                tsvs.push(dyad_store::textquery::tsvector_literal(sentence));
            }
        }
        tx.execute(
            "UPDATE sentences s SET tsv = u.t::tsvector
             FROM unnest($1::int8[], $2::int4[], $3::text[]) AS u(a, i, t)
             WHERE s.article_id = u.a AND s.idx = u.i",
            &[&ids, &idxs, &tsvs],
        )
        .map_err(db(what))?;
    }
}

/// The schema version recorded in `meta` (0 when there is no `meta` table); a newer store than
/// this dyad knows is an error.
fn schema_version(client: &mut impl postgres::GenericClient, shown: &str) -> Result<i64> {
    let what = "reading the schema version";
    let row = client
        .query_one("SELECT to_regclass('meta') IS NOT NULL", &[])
        .map_err(db(what))?;
    let has_meta: bool = row.try_get(0).map_err(db(what))?;
    if !has_meta {
        return Ok(0);
    }
    let row = client
        .query_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .map_err(db(what))?;
    let Some(row) = row else {
        return Err(inconsistent(
            what,
            format!("{shown}: a `meta` table without a schema version: not a dyad store"),
        ));
    };
    let value: String = row.try_get(0).map_err(db(what))?;
    let version: i64 = value.trim().parse().map_err(|_| {
        inconsistent(
            what,
            format!("{shown}: schema version `{value}` is not a number"),
        )
    })?;
    let known = schema::MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::NewerSchema {
            path: shown.to_string(),
            found: version,
            known,
        });
    }
    Ok(version)
}

fn read_options(client: &mut Client) -> Result<StoreOptions> {
    let row = client
        .query_opt(
            "SELECT value FROM meta WHERE key = 'dedup_window_days'",
            &[],
        )
        .map_err(db("reading the store's settings"))?;
    let window = match row {
        Some(r) => r
            .try_get::<_, String>(0)
            .map_err(db("reading the store's settings"))?,
        None => "0".to_string(),
    };
    Ok(StoreOptions {
        dedup_window_days: window.trim().parse().unwrap_or(0),
    })
}

/// `url` with its password (in the user part or a `password=` parameter) replaced by `***`.
fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let (start, end) = (scheme_end + 3 + colon + 1, scheme_end + 3 + at);
                out.replace_range(start..end, "***");
            }
        }
    }
    let lower = out.to_ascii_lowercase();
    if let Some(p) = lower.find("password=") {
        let start = p + "password=".len();
        let end = out[start..]
            .find(['&', ' '])
            .map(|e| start + e)
            .unwrap_or(out.len());
        out.replace_range(start..end, "***");
    }
    out
}

/// FNV-1a, 64 bits: stable across builds and platforms, which the advisory-lock keys need
/// (every worker must compute the same key for the same event).
pub(crate) fn fnv1a(parts: &[&str]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            // A unit separator between parts: ("AB", "C") and ("A", "BC") differ.
            h ^= 0x1f;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h as i64
}

/// The advisory-lock key of the events with these codes (`pg_advisory_xact_lock(bigint)`).
pub fn event_lock_key(source_code: &str, target_code: &str, cameo: &str) -> i64 {
    fnv1a(&["dyad-event", source_code, target_code, cameo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("PostgreSQL://u@h/db"));
        assert!(!is_postgres_url("dyad.db"));
        assert!(!is_postgres_url("postgres"));
        assert_eq!(
            redact("postgres://me:secret@127.0.0.1:5432/db?sslmode=disable"),
            "postgres://me:***@127.0.0.1:5432/db?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://me@h/db?password=x&a=b"),
            "postgres://me@h/db?password=***&a=b"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn lock_keys_are_stable_and_separate_fields() {
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325_u64 as i64);
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c_u64 as i64);
        assert_ne!(
            event_lock_key("AB", "C", "010"),
            event_lock_key("A", "BC", "010")
        );
        assert_eq!(
            event_lock_key("RUS", "UKR", "190"),
            event_lock_key("RUS", "UKR", "190")
        );
    }
}
