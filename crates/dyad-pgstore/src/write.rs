//! Storing coded articles: `SqliteStore`'s dedup rule, made safe for concurrent writers and
//! written with one statement per table per batch. See the crate docs for the phases and the
//! locking order; `dyad_store`'s `write` module states the rule itself:
//!
//! a mention joins an existing event with the same source code, target code, CAMEO code,
//! negation and hypothetical flags whose date is at most the dedup window away (the nearest
//! date wins, then the oldest event); otherwise it starts a new event dated by the mention.
//! Undated mentions merge only within their own article. NumMentions counts mentions,
//! NumArticles distinct articles, NumSources distinct outlets.

use crate::{db, event_lock_key, inconsistent, pg_error, Conn, PgStore, Result};
use dyad_coder::EventOut;
use dyad_store::textquery::tsvector_literal;
use dyad_store::{
    day_number, from_day_number, month_number, outlet_of, InsertOutcome, NewArticle,
    MAX_INDEXED_SENTENCES,
};
use postgres::error::SqlState;
use postgres::Transaction;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How many times a batch is tried when PostgreSQL aborts it for a serialization failure or a
/// deadlock.
pub const BATCH_ATTEMPTS: usize = 8;

/// A batch with more distinct event keys than this locks every event at once (the exclusive
/// form of [`ALL_EVENTS_LOCK`]) instead of taking one advisory lock per key.
pub const MAX_EVENT_LOCKS: usize = 1024;

/// The advisory lock every writer takes before its per-key event locks: shared by batches that
/// lock keys one by one, exclusive for a batch with more than [`MAX_EVENT_LOCKS`] keys.
pub const ALL_EVENTS_LOCK: i64 = 0x6479_6164_5f65_7673; // "dyad_evs"

/// (source code, target code, CAMEO code, negated, hypothetical).
type EventKey<'a> = (&'a str, &'a str, &'a str, bool, bool);

pub(crate) fn insert_batch(store: &PgStore, articles: &[NewArticle]) -> Result<Vec<InsertOutcome>> {
    if articles.is_empty() {
        return Ok(Vec::new());
    }
    let window = i64::from(store.options.dedup_window_days);
    let max_locks = store.max_event_locks;
    let mut conn = store.conn()?;
    let mut attempt = 1;
    loop {
        match insert_once(&mut conn, articles, window, max_locks) {
            Ok(out) => return Ok(out),
            Err(e) if attempt < BATCH_ATTEMPTS && retryable(&e) => {
                std::thread::sleep(backoff(attempt));
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// A serialization failure or a deadlock: the transaction was rolled back and can be run
/// again. A second dated event for one key and day (the `events_key` index) would mean two
/// writers raced past the advisory locks; the retry then merges into the winner's event.
fn retryable(e: &dyad_store::StoreError) -> bool {
    let Some(pe) = pg_error(e) else {
        return false;
    };
    match pe.code() {
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE => true,
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED => true,
        Some(c) if *c == SqlState::UNIQUE_VIOLATION => {
            pe.as_db_error().and_then(|d| d.constraint()) == Some("events_key")
        }
        _ => false,
    }
}

/// 10, 20, 40 … 640 ms, plus up to 10 ms of jitter so that retrying writers spread out.
fn backoff(attempt: usize) -> std::time::Duration {
    let base = 10u64 << attempt.min(6);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::time::Duration::from_millis(base + u64::from(nanos % 10))
}

/// What becomes of an article of the batch.
#[derive(Clone, Copy)]
enum Fate {
    /// Already stored under this id.
    Stored(i64),
    /// Same key or text as the new article in this slot, earlier in the batch.
    SameAs(usize),
    /// New: its slot.
    New(usize),
}

/// A new article: its place in the batch and the id taken for it.
struct Slot<'a> {
    article: &'a NewArticle,
    id: i64,
    /// `Some(id)` when a concurrent writer stored it first (its id).
    lost_to: Option<i64>,
    new_events: usize,
}

/// An event of the batch: one already stored, or one the batch creates.
struct Ev<'a> {
    /// The stored event's id, for existing events; the id taken for it, for new ones.
    id: i64,
    existing: bool,
    /// Creation order among the new events (ids are taken in this order).
    seq: usize,
    day: Option<i64>,
    /// The mention that created it (new events).
    created_by: Option<&'a EventOut>,
    mentions: i64,
    articles: i64,
    first_mention: usize,
    place_name: Option<&'a str>,
    place_country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl Ev<'_> {
    /// Which of two candidates at the same distance wins: the oldest, i.e. the smallest id;
    /// every stored event is older than every event this batch creates.
    fn age(&self) -> (bool, i64) {
        if self.existing {
            (false, self.id)
        } else {
            (true, self.seq as i64)
        }
    }
}

/// A mention to store.
struct Mention<'a> {
    ev: usize,
    article_id: i64,
    e: &'a EventOut,
}

fn insert_once(
    conn: &mut Conn,
    articles: &[NewArticle],
    window: i64,
    max_locks: usize,
) -> Result<Vec<InsertOutcome>> {
    let Conn { client, statements } = conn;
    let mut tx = client.transaction().map_err(db("starting a transaction"))?;
    let st = &mut *statements;

    // 1. Articles: stored ones, repeats within the batch, new ones.
    let what = "looking articles up";
    let keys: Vec<&str> = articles.iter().filter_map(|a| a.key.as_deref()).collect();
    let hashes: Vec<&str> = articles.iter().map(|a| a.content_hash.as_str()).collect();
    let s = st
        .get(
            &mut tx,
            "SELECT id, key, content_hash FROM articles
             WHERE key = ANY($1::text[]) OR content_hash = ANY($2::text[])",
        )
        .map_err(db(what))?;
    let mut by_key: HashMap<String, Fate> = HashMap::new();
    let mut by_hash: HashMap<String, Fate> = HashMap::new();
    for r in tx.query(&s, &[&keys, &hashes]).map_err(db(what))? {
        let id: i64 = r.try_get(0).map_err(db(what))?;
        let key: Option<String> = r.try_get(1).map_err(db(what))?;
        let hash: String = r.try_get(2).map_err(db(what))?;
        if let Some(k) = key {
            by_key.insert(k, Fate::Stored(id));
        }
        by_hash.insert(hash, Fate::Stored(id));
    }
    let mut fates = Vec::with_capacity(articles.len());
    let mut slots: Vec<Slot> = Vec::new();
    for a in articles {
        // The key first, then the text, as SqliteStore looks them up.
        let hit = a
            .key
            .as_deref()
            .and_then(|k| by_key.get(k))
            .or_else(|| by_hash.get(&a.content_hash))
            .copied();
        let fate = match hit {
            Some(Fate::Stored(id)) => Fate::Stored(id),
            Some(Fate::SameAs(s) | Fate::New(s)) => Fate::SameAs(s),
            None => {
                let s = slots.len();
                slots.push(Slot {
                    article: a,
                    id: 0,
                    lost_to: None,
                    new_events: 0,
                });
                if let Some(k) = &a.key {
                    by_key.insert(k.clone(), Fate::New(s));
                }
                by_hash.insert(a.content_hash.clone(), Fate::New(s));
                Fate::New(s)
            }
        };
        fates.push(fate);
    }

    if !slots.is_empty() {
        insert_articles(&mut tx, st, &mut slots)?;
    }
    let stored: Vec<&Slot> = slots.iter().filter(|s| s.lost_to.is_none()).collect();
    if !stored.is_empty() {
        insert_article_rows(&mut tx, st, &stored)?;
    }

    // 3–5. Events.
    let per_article = if stored.is_empty() {
        Vec::new()
    } else {
        insert_events(&mut tx, st, &stored, window, max_locks)?
    };
    for (slot, n) in slots
        .iter_mut()
        .filter(|s| s.lost_to.is_none())
        .zip(per_article)
    {
        slot.new_events = n;
    }
    tx.commit().map_err(db("committing a batch"))?;

    let id_of = |s: usize| slots[s].lost_to.unwrap_or(slots[s].id);
    Ok(fates
        .iter()
        .map(|f| match *f {
            Fate::Stored(id) => InsertOutcome::Duplicate { article_id: id },
            Fate::SameAs(s) => InsertOutcome::Duplicate {
                article_id: id_of(s),
            },
            Fate::New(s) => match slots[s].lost_to {
                Some(id) => InsertOutcome::Duplicate { article_id: id },
                None => {
                    let c = &slots[s].article.coded;
                    InsertOutcome::Inserted {
                        article_id: slots[s].id,
                        new_events: slots[s].new_events,
                        mentions: c.events.len(),
                        sentences: c.sentences.len(),
                    }
                }
            },
        })
        .collect())
}

/// Numbers `n` rows from a sequence, in order.
fn take_ids(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    seq: &'static str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let what = "numbering rows";
    let sql = format!("SELECT nextval('{seq}') FROM generate_series(1, $1::int8)");
    let s = st.get(tx, &sql).map_err(db(what))?;
    let mut ids = tx
        .query(&s, &[&(n as i64)])
        .map_err(db(what))?
        .iter()
        .map(|r| r.try_get::<_, i64>(0))
        .collect::<Result<Vec<i64>, _>>()
        .map_err(db(what))?;
    ids.sort_unstable();
    Ok(ids)
}

/// Inserts the new articles; marks those a concurrent writer stored first.
fn insert_articles(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    slots: &mut [Slot],
) -> Result<()> {
    let what = "storing articles";
    let ids = take_ids(tx, st, "articles_id_seq", slots.len())?;
    for (s, id) in slots.iter_mut().zip(ids) {
        s.id = id;
    }
    // In content-hash order: two writers inserting the same articles wait for each other in
    // the same order.
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by(|&a, &b| {
        slots[a]
            .article
            .content_hash
            .cmp(&slots[b].article.content_hash)
    });
    let mut c = Cols::default();
    for &i in &order {
        let a = slots[i].article;
        let k = &a.coded;
        let offsets: Vec<[usize; 3]> = k
            .sentences
            .iter()
            .map(|s| [s.start, s.end, s.paragraph])
            .collect();
        c.id.push(slots[i].id);
        c.key.push(a.key.clone());
        c.hash.push(a.content_hash.clone());
        c.name.push(k.id.clone());
        c.source.push(k.source.clone());
        c.url.push(k.url.clone());
        c.title.push(k.title.clone());
        c.date.push(k.date);
        c.lang.push(a.lang.clone());
        c.origin.push(a.origin.clone());
        c.text.push(a.text.as_str());
        c.sentences
            .push(serde_json::to_string(&offsets).unwrap_or_else(|_| "[]".into()));
        c.n.push(offsets.len() as i64);
    }
    let now = now_utc();
    let s = st
        .get(
            tx,
            "INSERT INTO articles(id, key, content_hash, name, source, url, title, date, lang,
                 origin, text, sentences, n_sentences, ingested_at)
             SELECT u.*, $14::timestamptz FROM unnest($1::int8[], $2::text[], $3::text[],
                 $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::text[],
                 $10::text[], $11::text[], $12::text[], $13::int8[]) AS u
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .map_err(db(what))?;
    let rows = tx
        .query(
            &s,
            &[
                &c.id,
                &c.key,
                &c.hash,
                &c.name,
                &c.source,
                &c.url,
                &c.title,
                &c.date,
                &c.lang,
                &c.origin,
                &c.text,
                &c.sentences,
                &c.n,
                &now,
            ],
        )
        .map_err(db(what))?;
    if rows.len() == slots.len() {
        return Ok(());
    }
    let inserted: HashSet<i64> = rows
        .iter()
        .map(|r| r.try_get::<_, i64>(0))
        .collect::<Result<_, _>>()
        .map_err(db(what))?;
    // A concurrent writer stored some of them first (it committed while this insert waited):
    // those are duplicates of its rows.
    let lost: Vec<usize> = (0..slots.len())
        .filter(|&i| !inserted.contains(&slots[i].id))
        .collect();
    let keys: Vec<&str> = lost
        .iter()
        .filter_map(|&i| slots[i].article.key.as_deref())
        .collect();
    let hashes: Vec<&str> = lost
        .iter()
        .map(|&i| slots[i].article.content_hash.as_str())
        .collect();
    let s = st
        .get(
            tx,
            "SELECT id, key, content_hash FROM articles
             WHERE key = ANY($1::text[]) OR content_hash = ANY($2::text[])",
        )
        .map_err(db(what))?;
    let mut by_key = HashMap::new();
    let mut by_hash = HashMap::new();
    for r in tx.query(&s, &[&keys, &hashes]).map_err(db(what))? {
        let id: i64 = r.try_get(0).map_err(db(what))?;
        let key: Option<String> = r.try_get(1).map_err(db(what))?;
        let hash: String = r.try_get(2).map_err(db(what))?;
        if !inserted.contains(&id) {
            if let Some(k) = key {
                by_key.insert(k, id);
            }
            by_hash.insert(hash, id);
        }
    }
    for i in lost {
        let a = slots[i].article;
        let found = a
            .key
            .as_deref()
            .and_then(|k| by_key.get(k))
            .or_else(|| by_hash.get(&a.content_hash))
            .copied();
        match found {
            Some(id) => slots[i].lost_to = Some(id),
            None => {
                return Err(inconsistent(
                    what,
                    format!(
                        "article `{}` was neither inserted nor found stored",
                        a.coded.id
                    ),
                ))
            }
        }
    }
    Ok(())
}

/// The columns of the `articles` insert.
#[derive(Default)]
struct Cols<'a> {
    id: Vec<i64>,
    key: Vec<Option<String>>,
    hash: Vec<String>,
    name: Vec<String>,
    source: Vec<Option<String>>,
    url: Vec<Option<String>>,
    title: Vec<Option<String>>,
    date: Vec<Option<chrono::NaiveDate>>,
    lang: Vec<Option<String>>,
    origin: Vec<String>,
    text: Vec<&'a str>,
    sentences: Vec<String>,
    n: Vec<i64>,
}

fn now_utc() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(0)
}

fn usize_i64(v: usize) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Sentences (full-text rows), actors and quotes of the stored articles: one statement each.
fn insert_article_rows(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    stored: &[&Slot],
) -> Result<()> {
    // The sentence's words as SQLite's FTS5 index holds them (`dyad_store::textquery`), so
    // both stores answer a full-text query alike. Only sentences that carry an event mention: the text filter reaches sentences through
    // their mentions, so no other sentence can change an answer, and indexing them would
    // triple the cost of the write path's most expensive statement.
    let (mut s_article, mut s_idx, mut s_text) = (Vec::new(), Vec::new(), Vec::new());
    for slot in stored {
        let a = slot.article;
        let with_events: BTreeSet<usize> = a
            .coded
            .events
            .iter()
            .map(|e| e.sentence)
            .filter(|&i| i < MAX_INDEXED_SENTENCES)
            .collect();
        for i in with_events {
            let Some(s) = a.coded.sentences.get(i) else {
                continue;
            };
            s_article.push(slot.id);
            s_idx.push(usize_i64(i));
            s_text.push(tsvector_literal(a.text.get(s.start..s.end).unwrap_or("")));
        }
    }
    if !s_article.is_empty() {
        let what = "indexing sentences";
        let s = st
            .get(
                tx,
                "INSERT INTO sentences(article_id, idx, tsv)
                 SELECT a, i, t::tsvector
                 FROM unnest($1::int8[], $2::int8[], $3::text[]) AS u(a, i, t)",
            )
            .map_err(db(what))?;
        tx.execute(&s, &[&s_article, &s_idx, &s_text])
            .map_err(db(what))?;
    }

    #[derive(Default)]
    struct Actors<'a> {
        article: Vec<i64>,
        idx: Vec<i64>,
        name: Vec<&'a str>,
        code: Vec<&'a str>,
        country: Vec<Option<&'a str>>,
        org: Vec<Option<&'a str>>,
        sector: Vec<Option<&'a str>>,
        kind: Vec<String>,
        title: Vec<Option<&'a str>>,
        mentions: Vec<String>,
    }
    let mut ac = Actors::default();
    for slot in stored {
        for (i, act) in slot.article.coded.actors.iter().enumerate() {
            ac.article.push(slot.id);
            ac.idx.push(usize_i64(i));
            ac.name.push(&act.name);
            ac.code.push(&act.code);
            ac.country.push(act.country.as_deref());
            ac.org.push(act.org.as_deref());
            ac.sector.push(act.sector.as_deref());
            ac.kind.push(
                serde_json::to_value(act.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            );
            ac.title.push(act.title.as_deref());
            ac.mentions
                .push(serde_json::to_string(&act.mentions).unwrap_or_else(|_| "[]".into()));
        }
    }
    if !ac.article.is_empty() {
        let what = "storing actors";
        let s = st
            .get(
                tx,
                "INSERT INTO actors(article_id, idx, name, code, country, org, sector, kind,
                     title, mentions)
                 SELECT * FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[],
                     $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])",
            )
            .map_err(db(what))?;
        tx.execute(
            &s,
            &[
                &ac.article,
                &ac.idx,
                &ac.name,
                &ac.code,
                &ac.country,
                &ac.org,
                &ac.sector,
                &ac.kind,
                &ac.title,
                &ac.mentions,
            ],
        )
        .map_err(db(what))?;
    }

    #[derive(Default)]
    struct Quotes<'a> {
        article: Vec<i64>,
        idx: Vec<i64>,
        sentence: Vec<i64>,
        start: Vec<i64>,
        end: Vec<i64>,
        text: Vec<&'a str>,
        speaker_name: Vec<Option<&'a str>>,
        speaker_code: Vec<Option<&'a str>>,
        cue: Vec<Option<&'a str>>,
        direct: Vec<bool>,
    }
    let mut qc = Quotes::default();
    for slot in stored {
        for (i, q) in slot.article.coded.quotes.iter().enumerate() {
            qc.article.push(slot.id);
            qc.idx.push(usize_i64(i));
            qc.sentence.push(usize_i64(q.sentence));
            qc.start.push(usize_i64(q.start));
            qc.end.push(usize_i64(q.end));
            qc.text.push(&q.text);
            qc.speaker_name
                .push(q.speaker.as_ref().map(|s| s.name.as_str()));
            qc.speaker_code
                .push(q.speaker.as_ref().map(|s| s.code.as_str()));
            qc.cue.push(q.cue.as_deref());
            qc.direct.push(q.direct);
        }
    }
    if !qc.article.is_empty() {
        let what = "storing quotes";
        let s = st
            .get(
                tx,
                "INSERT INTO quotes(article_id, idx, sentence, start, \"end\", text,
                     speaker_name, speaker_code, cue, direct)
                 SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[],
                     $5::int8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[])",
            )
            .map_err(db(what))?;
        tx.execute(
            &s,
            &[
                &qc.article,
                &qc.idx,
                &qc.sentence,
                &qc.start,
                &qc.end,
                &qc.text,
                &qc.speaker_name,
                &qc.speaker_code,
                &qc.cue,
                &qc.direct,
            ],
        )
        .map_err(db(what))?;
    }
    Ok(())
}

fn event_key(e: &EventOut) -> EventKey<'_> {
    (
        e.source.as_ref().map(|a| a.code.as_str()).unwrap_or(""),
        e.target.as_ref().map(|a| a.code.as_str()).unwrap_or(""),
        e.cameo.as_str(),
        e.negated,
        e.hypothetical,
    )
}

/// Locks, dedup, and the event, mention and rollup writes. Returns the events each stored
/// article created, in order.
fn insert_events(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    stored: &[&Slot],
    window: i64,
    max_locks: usize,
) -> Result<Vec<usize>> {
    // 3. Locks on the keys of the dated events, in ascending order.
    let mut lock_keys: BTreeSet<i64> = BTreeSet::new();
    let mut dated: BTreeSet<(EventKey, i64)> = BTreeSet::new();
    for slot in stored {
        let c = &slot.article.coded;
        for e in &c.events {
            if let Some(day) = e.date.or(c.date).map(day_number) {
                let k = event_key(e);
                lock_keys.insert(event_lock_key(k.0, k.1, k.2));
                dated.insert((k, day));
            }
        }
    }
    if !lock_keys.is_empty() {
        let what = "locking events";
        if lock_keys.len() > max_locks {
            let s = st
                .get(tx, "SELECT pg_advisory_xact_lock($1::int8)")
                .map_err(db(what))?;
            tx.execute(&s, &[&ALL_EVENTS_LOCK]).map_err(db(what))?;
        } else {
            let s = st
                .get(tx, "SELECT pg_advisory_xact_lock_shared($1::int8)")
                .map_err(db(what))?;
            tx.execute(&s, &[&ALL_EVENTS_LOCK]).map_err(db(what))?;
            let keys: Vec<i64> = lock_keys.into_iter().collect();
            // unnest yields the array in order, and each row's lock is taken as it is read.
            let s = st
                .get(
                    tx,
                    "SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::int8[]) AS k",
                )
                .map_err(db(what))?;
            tx.execute(&s, &[&keys]).map_err(db(what))?;
        }
    }

    // 4. The stored events any dated mention could join, then the fold, in memory.
    let mut evs: Vec<Ev> = Vec::new();
    let mut by_key: HashMap<EventKey, BTreeMap<i64, usize>> = HashMap::new();
    if !dated.is_empty() {
        let what = "finding events to merge with";
        let mut q = Candidates::default();
        for ((s, t, c, n, h), day) in &dated {
            q.s.push(*s);
            q.t.push(*t);
            q.c.push(*c);
            q.n.push(*n);
            q.h.push(*h);
            q.lo.push(day.saturating_sub(window));
            q.hi.push(day.saturating_add(window));
        }
        let s = st
            .get(
                tx,
                "SELECT DISTINCT e.id, e.source_code, e.target_code, e.cameo, e.negated,
                        e.hypothetical, e.day
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::bool[],
                             $6::int8[], $7::int8[]) AS q(s, t, c, n, h, lo, hi)
                 JOIN events e ON e.source_code = q.s AND e.target_code = q.t
                  AND e.cameo = q.c AND e.negated = q.n AND e.hypothetical = q.h
                  AND e.day BETWEEN q.lo AND q.hi",
            )
            .map_err(db(what))?;
        let rows = tx
            .query(&s, &[&q.s, &q.t, &q.c, &q.n, &q.h, &q.lo, &q.hi])
            .map_err(db(what))?;
        // Keys are borrowed from the batch: look each row's key up among the batch's keys.
        let batch_keys: HashMap<(String, String, String, bool, bool), EventKey> = dated
            .iter()
            .map(|(k, _)| {
                (
                    (k.0.to_string(), k.1.to_string(), k.2.to_string(), k.3, k.4),
                    *k,
                )
            })
            .collect();
        for r in rows {
            let id: i64 = r.try_get(0).map_err(db(what))?;
            let owned = (
                r.try_get::<_, String>(1).map_err(db(what))?,
                r.try_get::<_, String>(2).map_err(db(what))?,
                r.try_get::<_, String>(3).map_err(db(what))?,
                r.try_get::<_, bool>(4).map_err(db(what))?,
                r.try_get::<_, bool>(5).map_err(db(what))?,
            );
            let day: i64 = r.try_get(6).map_err(db(what))?;
            let Some(key) = batch_keys.get(&owned) else {
                continue;
            };
            let days = by_key.entry(*key).or_default();
            // At most one event per key and day (events_key); keep the oldest regardless.
            if let Some(&other) = days.get(&day) {
                if evs[other].id < id {
                    continue;
                }
            }
            days.insert(day, evs.len());
            evs.push(Ev {
                id,
                existing: true,
                seq: 0,
                day: Some(day),
                created_by: None,
                mentions: 0,
                articles: 0,
                first_mention: 0,
                place_name: None,
                place_country: None,
                lat: None,
                lon: None,
            });
        }
    }

    let mut mentions: Vec<Mention> = Vec::new();
    let mut outlets: Vec<(usize, String)> = Vec::new();
    let mut rollups = Rollups::default();
    let mut created_per_article = Vec::with_capacity(stored.len());
    let mut n_new = 0;
    for slot in stored {
        let a = slot.article;
        let c = &a.coded;
        let outlet = outlet_of(c.source.as_deref(), c.url.as_deref()).unwrap_or_default();
        let mut undated: HashMap<EventKey, usize> = HashMap::new();
        let mut seen: HashSet<usize> = HashSet::new();
        let mut created_here = 0;
        for e in &c.events {
            let day = e.date.or(c.date).map(day_number);
            let key = event_key(e);
            let found = match day {
                Some(d) => by_key
                    .get(&key)
                    .and_then(|days| nearest(days, &evs, d, window)),
                None => undated.get(&key).copied(),
            };
            let (ev, created) = match found {
                Some(ev) => (ev, false),
                None => {
                    let ev = evs.len();
                    let place = e.place.as_ref();
                    evs.push(Ev {
                        id: 0,
                        existing: false,
                        seq: n_new,
                        day,
                        created_by: Some(e),
                        mentions: 0,
                        articles: 0,
                        first_mention: mentions.len(),
                        place_name: place.map(|p| p.name.as_str()),
                        place_country: place.and_then(|p| p.country.as_deref()),
                        lat: place.and_then(|p| p.lat),
                        lon: place.and_then(|p| p.lon),
                    });
                    n_new += 1;
                    match day {
                        Some(d) => {
                            by_key.entry(key).or_default().insert(d, ev);
                        }
                        None => {
                            undated.insert(key, ev);
                        }
                    }
                    rollups.codes(&key);
                    created_here += 1;
                    (ev, true)
                }
            };
            let v = &mut evs[ev];
            v.mentions += 1;
            if seen.insert(ev) {
                v.articles += 1;
            }
            if !created {
                // Column by column, the first place given wins (COALESCE in SqliteStore).
                let place = e.place.as_ref();
                v.place_name = v.place_name.or(place.map(|p| p.name.as_str()));
                v.place_country = v.place_country.or(place.and_then(|p| p.country.as_deref()));
                v.lat = v.lat.or(place.and_then(|p| p.lat));
                v.lon = v.lon.or(place.and_then(|p| p.lon));
            }
            mentions.push(Mention {
                ev,
                article_id: slot.id,
                e,
            });
            outlets.push((ev, outlet.clone()));
            // The event's own day, not the mention's: a merged mention counts where its event
            // is.
            if let Some(d) = evs[ev].day {
                rollups.add(&key, d, created, e.goldstein.unwrap_or(0.0));
            }
        }
        created_per_article.push(created_here);
    }

    // 5. Ids, then the writes.
    let event_ids = take_ids(tx, st, "events_id_seq", n_new)?;
    for (v, id) in evs.iter_mut().filter(|v| !v.existing).zip(event_ids) {
        v.id = id;
    }
    let mention_ids = take_ids(tx, st, "mentions_id_seq", mentions.len())?;

    // NumSources: the outlets new for each event.
    let pairs: BTreeSet<(i64, &str)> = outlets
        .iter()
        .map(|(ev, o)| (evs[*ev].id, o.as_str()))
        .collect();
    let (pe, po): (Vec<i64>, Vec<&str>) = pairs.into_iter().unzip();
    let what = "counting sources";
    let s = st
        .get(
            tx,
            "INSERT INTO event_sources(event_id, outlet)
             SELECT * FROM unnest($1::int8[], $2::text[])
             ON CONFLICT DO NOTHING RETURNING event_id",
        )
        .map_err(db(what))?;
    let mut new_sources: HashMap<i64, i64> = HashMap::new();
    for r in tx.query(&s, &[&pe, &po]).map_err(db(what))? {
        let id: i64 = r.try_get(0).map_err(db(what))?;
        *new_sources.entry(id).or_default() += 1;
    }

    write_new_events(tx, st, &evs, &mention_ids, &new_sources)?;
    update_events(tx, st, &evs, &new_sources)?;
    write_mentions(tx, st, &mentions, &mention_ids, &evs)?;
    rollups.apply(tx, st)?;
    Ok(created_per_article)
}

#[derive(Default)]
struct Candidates<'a> {
    s: Vec<&'a str>,
    t: Vec<&'a str>,
    c: Vec<&'a str>,
    n: Vec<bool>,
    h: Vec<bool>,
    lo: Vec<i64>,
    hi: Vec<i64>,
}

/// The event a dated mention joins: within `window` days, the nearest date first, then the
/// oldest event.
fn nearest(days: &BTreeMap<i64, usize>, evs: &[Ev], day: i64, window: i64) -> Option<usize> {
    days.range(day.saturating_sub(window)..=day.saturating_add(window))
        .min_by_key(|(&d, &i)| (d.abs_diff(day), evs[i].age()))
        .map(|(_, &i)| i)
}

fn write_new_events(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    evs: &[Ev],
    mention_ids: &[i64],
    new_sources: &HashMap<i64, i64>,
) -> Result<()> {
    #[derive(Default)]
    struct Cols<'a> {
        id: Vec<i64>,
        sc: Vec<&'a str>,
        sn: Vec<Option<&'a str>>,
        sco: Vec<Option<&'a str>>,
        so: Vec<Option<&'a str>>,
        ss: Vec<Option<&'a str>>,
        tc: Vec<&'a str>,
        tn: Vec<Option<&'a str>>,
        tco: Vec<Option<&'a str>>,
        to: Vec<Option<&'a str>>,
        ts: Vec<Option<&'a str>>,
        cameo: Vec<&'a str>,
        root: Vec<&'a str>,
        cameo_name: Vec<Option<&'a str>>,
        quad: Vec<Option<i16>>,
        goldstein: Vec<Option<f64>>,
        plover: Vec<Option<&'a str>>,
        plover_mode: Vec<Option<&'a str>>,
        day: Vec<Option<i64>>,
        negated: Vec<bool>,
        hypothetical: Vec<bool>,
        place_name: Vec<Option<&'a str>>,
        place_country: Vec<Option<&'a str>>,
        lat: Vec<Option<f64>>,
        lon: Vec<Option<f64>>,
        mentions: Vec<i64>,
        articles: Vec<i64>,
        sources: Vec<i64>,
        first: Vec<Option<i64>>,
    }
    let mut c = Cols::default();
    for v in evs {
        let Some(e) = v.created_by else {
            continue;
        };
        let day = v.day;
        let (sc, sn, sco, so, ss) = side(e.source.as_ref());
        let (tc, tn, tco, to, ts) = side(e.target.as_ref());
        c.id.push(v.id);
        c.sc.push(sc);
        c.sn.push(sn);
        c.sco.push(sco);
        c.so.push(so);
        c.ss.push(ss);
        c.tc.push(tc);
        c.tn.push(tn);
        c.tco.push(tco);
        c.to.push(to);
        c.ts.push(ts);
        c.cameo.push(&e.cameo);
        c.root.push(&e.root);
        c.cameo_name.push(e.cameo_name.as_deref());
        c.quad.push(e.quad_class.map(i16::from));
        c.goldstein.push(e.goldstein);
        c.plover.push(e.plover.as_deref());
        c.plover_mode.push(e.plover_mode.as_deref());
        c.day.push(day);
        c.negated.push(e.negated);
        c.hypothetical.push(e.hypothetical);
        c.place_name.push(v.place_name);
        c.place_country.push(v.place_country);
        c.lat.push(v.lat);
        c.lon.push(v.lon);
        c.mentions.push(v.mentions);
        c.articles.push(v.articles);
        c.sources.push(new_sources.get(&v.id).copied().unwrap_or(0));
        c.first.push(mention_ids.get(v.first_mention).copied());
    }
    if c.id.is_empty() {
        return Ok(());
    }
    let what = "storing events";
    let s = st
        .get(
            tx,
            "INSERT INTO events(id, source_code, source_name, source_country, source_org,
                 source_sector, target_code, target_name, target_country, target_org,
                 target_sector, cameo, root, cameo_name, quad_class, goldstein, plover,
                 plover_mode, day, negated, hypothetical, place_name, place_country, lat, lon,
                 num_mentions, num_articles, num_sources, first_mention, added_at)
             SELECT u.*, $30::timestamptz FROM unnest($1::int8[], $2::text[], $3::text[],
                 $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int2[],
                 $16::float8[], $17::text[], $18::text[], $19::int8[], $20::bool[], $21::bool[],
                 $22::text[], $23::text[], $24::float8[], $25::float8[], $26::int8[],
                 $27::int8[], $28::int8[], $29::int8[]) AS u",
        )
        .map_err(db(what))?;
    let now = now_utc();
    tx.execute(
        &s,
        &[
            &c.id,
            &c.sc,
            &c.sn,
            &c.sco,
            &c.so,
            &c.ss,
            &c.tc,
            &c.tn,
            &c.tco,
            &c.to,
            &c.ts,
            &c.cameo,
            &c.root,
            &c.cameo_name,
            &c.quad,
            &c.goldstein,
            &c.plover,
            &c.plover_mode,
            &c.day,
            &c.negated,
            &c.hypothetical,
            &c.place_name,
            &c.place_country,
            &c.lat,
            &c.lon,
            &c.mentions,
            &c.articles,
            &c.sources,
            &c.first,
            &now,
        ],
    )
    .map_err(db(what))?;
    Ok(())
}

type Side<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn side(a: Option<&dyad_coder::ActorRef>) -> Side<'_> {
    match a {
        Some(a) => (
            a.code.as_str(),
            Some(a.name.as_str()),
            a.country.as_deref(),
            a.org.as_deref(),
            a.sector.as_deref(),
        ),
        None => ("", None, None, None, None),
    }
}

/// The counters (and missing place columns) of the stored events the batch merged into.
fn update_events(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    evs: &[Ev],
    new_sources: &HashMap<i64, i64>,
) -> Result<()> {
    let mut touched: Vec<&Ev> = evs
        .iter()
        .filter(|v| v.existing && v.mentions > 0)
        .collect();
    if touched.is_empty() {
        return Ok(());
    }
    touched.sort_by_key(|v| v.id);
    let id: Vec<i64> = touched.iter().map(|v| v.id).collect();
    let m: Vec<i64> = touched.iter().map(|v| v.mentions).collect();
    let a: Vec<i64> = touched.iter().map(|v| v.articles).collect();
    let s: Vec<i64> = touched
        .iter()
        .map(|v| new_sources.get(&v.id).copied().unwrap_or(0))
        .collect();
    let pn: Vec<Option<&str>> = touched.iter().map(|v| v.place_name).collect();
    let pc: Vec<Option<&str>> = touched.iter().map(|v| v.place_country).collect();
    let la: Vec<Option<f64>> = touched.iter().map(|v| v.lat).collect();
    let lo: Vec<Option<f64>> = touched.iter().map(|v| v.lon).collect();
    let what = "updating events";
    let stmt = st
        .get(
            tx,
            "UPDATE events AS e SET num_mentions = e.num_mentions + u.m,
                 num_articles = e.num_articles + u.a, num_sources = e.num_sources + u.s,
                 place_name = COALESCE(e.place_name, u.pn),
                 place_country = COALESCE(e.place_country, u.pc),
                 lat = COALESCE(e.lat, u.la), lon = COALESCE(e.lon, u.lo)
             FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[],
                         $7::float8[], $8::float8[]) AS u(id, m, a, s, pn, pc, la, lo)
             WHERE e.id = u.id",
        )
        .map_err(db(what))?;
    tx.execute(&stmt, &[&id, &m, &a, &s, &pn, &pc, &la, &lo])
        .map_err(db(what))?;
    Ok(())
}

fn write_mentions(
    tx: &mut Transaction,
    st: &mut crate::Statements,
    mentions: &[Mention],
    ids: &[i64],
    evs: &[Ev],
) -> Result<()> {
    if mentions.is_empty() {
        return Ok(());
    }
    let n = mentions.len();
    let mut event_id = Vec::with_capacity(n);
    let mut article_id = Vec::with_capacity(n);
    let mut sentence = Vec::with_capacity(n);
    let mut start = Vec::with_capacity(n);
    let mut end = Vec::with_capacity(n);
    let mut evidence = Vec::with_capacity(n);
    let mut source_name = Vec::with_capacity(n);
    let mut target_name = Vec::with_capacity(n);
    let mut date_text = Vec::with_capacity(n);
    let mut rule_file = Vec::with_capacity(n);
    let mut rule_entry = Vec::with_capacity(n);
    let mut pattern_code = Vec::with_capacity(n);
    let mut recoded = Vec::with_capacity(n);
    let mut confidence = Vec::with_capacity(n);
    let mut reported = Vec::with_capacity(n);
    let mut quote = Vec::with_capacity(n);
    for m in mentions {
        let e = m.e;
        event_id.push(evs[m.ev].id);
        article_id.push(m.article_id);
        sentence.push(usize_i64(e.sentence));
        start.push(usize_i64(e.evidence.start));
        end.push(usize_i64(e.evidence.end));
        evidence.push(e.evidence.text.as_str());
        source_name.push(e.source.as_ref().map(|a| a.name.as_str()));
        target_name.push(e.target.as_ref().map(|a| a.name.as_str()));
        date_text.push(e.date_text.as_deref());
        rule_file.push(e.rule.file.as_str());
        rule_entry.push(e.rule.entry.as_str());
        pattern_code.push(e.rule.pattern_code.as_str());
        recoded.push(e.rule.recoded.as_deref());
        confidence.push(f64::from(e.confidence));
        reported.push(e.reported);
        quote.push(e.quote.map(usize_i64));
    }
    let ids: Vec<i64> = ids.to_vec();
    let what = "storing mentions";
    let s = st
        .get(
            tx,
            "INSERT INTO mentions(id, event_id, article_id, sentence, start, \"end\", evidence,
                 source_name, target_name, date_text, rule_file, rule_entry, pattern_code,
                 recoded, confidence, reported, quote)
             SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::int8[],
                 $6::int8[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                 $12::text[], $13::text[], $14::text[], $15::float8[], $16::bool[],
                 $17::int8[])",
        )
        .map_err(db(what))?;
    tx.execute(
        &s,
        &[
            &ids,
            &event_id,
            &article_id,
            &sentence,
            &start,
            &end,
            &evidence,
            &source_name,
            &target_name,
            &date_text,
            &rule_file,
            &rule_entry,
            &pattern_code,
            &recoded,
            &confidence,
            &reported,
            &quote,
        ],
    )
    .map_err(db(what))?;
    Ok(())
}

/// Counts, mentions and Goldstein sums.
#[derive(Default, Clone, Copy)]
struct Delta {
    events: i64,
    mentions: i64,
    goldstein: f64,
}

#[derive(Default, Clone, Copy)]
struct ActorDelta {
    as_source: i64,
    as_target: i64,
    mentions: i64,
    goldstein: f64,
}

/// Rollup changes of one batch, summed in memory per key and applied at the end, each table in
/// one statement, keys in sorted order (so concurrent writers lock rows in the same order).
/// A new event adds one event, one mention and its Goldstein score; a merged mention adds one
/// mention.
#[derive(Default)]
struct Rollups<'a> {
    dyad_day: BTreeMap<(&'a str, &'a str, i64), Delta>,
    day_totals: BTreeMap<i64, Delta>,
    dyad_totals: BTreeMap<(&'a str, &'a str), Delta>,
    actor_day: BTreeMap<(&'a str, i64), ActorDelta>,
    actor_month: BTreeMap<(&'a str, i64), ActorDelta>,
    codes: BTreeSet<&'a str>,
}

impl<'a> Rollups<'a> {
    /// Codes of a new event, dated or not.
    fn codes(&mut self, key: &EventKey<'a>) {
        for code in [key.0, key.1] {
            if !code.is_empty() {
                self.codes.insert(code);
            }
        }
    }

    fn add(&mut self, key: &EventKey<'a>, day: i64, created: bool, goldstein: f64) {
        let (events, g) = if created { (1, goldstein) } else { (0, 0.0) };
        let bump = |d: &mut Delta| {
            d.events += events;
            d.mentions += 1;
            d.goldstein += g;
        };
        bump(self.dyad_day.entry((key.0, key.1, day)).or_default());
        bump(self.day_totals.entry(day).or_default());
        bump(self.dyad_totals.entry((key.0, key.1)).or_default());
        let month = from_day_number(day).map(month_number);
        for (code, as_source) in [(key.0, true), (key.1, false)] {
            if code.is_empty() {
                continue;
            }
            let bump = |d: &mut ActorDelta| {
                if as_source {
                    d.as_source += events;
                } else {
                    d.as_target += events;
                }
                d.mentions += 1;
                d.goldstein += g;
            };
            bump(self.actor_day.entry((code, day)).or_default());
            if let Some(m) = month {
                bump(self.actor_month.entry((code, m)).or_default());
            }
        }
    }

    fn apply(self, tx: &mut Transaction, st: &mut crate::Statements) -> Result<()> {
        let what = "updating the rollups";
        if !self.codes.is_empty() {
            let codes: Vec<&str> = self.codes.into_iter().collect();
            let s = st
                .get(
                    tx,
                    "INSERT INTO codes(code) SELECT * FROM unnest($1::text[])
                     ON CONFLICT DO NOTHING",
                )
                .map_err(db(what))?;
            tx.execute(&s, &[&codes]).map_err(db(what))?;
        }
        if !self.dyad_day.is_empty() {
            let (mut s_, mut t_, mut d_) = (Vec::new(), Vec::new(), Vec::new());
            let (mut e_, mut m_, mut g_) = (Vec::new(), Vec::new(), Vec::new());
            for ((s, t, day), d) in &self.dyad_day {
                s_.push(*s);
                t_.push(*t);
                d_.push(*day);
                e_.push(d.events);
                m_.push(d.mentions);
                g_.push(d.goldstein);
            }
            let s = st
                .get(
                    tx,
                    "INSERT INTO dyad_day AS r (source_code, target_code, day, events, mentions,
                         goldstein_sum)
                     SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[],
                         $5::int8[], $6::float8[])
                     ON CONFLICT (source_code, target_code, day) DO UPDATE SET
                       events = r.events + excluded.events,
                       mentions = r.mentions + excluded.mentions,
                       goldstein_sum = r.goldstein_sum + excluded.goldstein_sum",
                )
                .map_err(db(what))?;
            tx.execute(&s, &[&s_, &t_, &d_, &e_, &m_, &g_])
                .map_err(db(what))?;
        }
        if !self.day_totals.is_empty() {
            let (mut d_, mut e_, mut m_, mut g_) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (day, d) in &self.day_totals {
                d_.push(*day);
                e_.push(d.events);
                m_.push(d.mentions);
                g_.push(d.goldstein);
            }
            let s = st
                .get(
                    tx,
                    "INSERT INTO day_totals AS r (day, events, mentions, goldstein_sum)
                     SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::float8[])
                     ON CONFLICT (day) DO UPDATE SET
                       events = r.events + excluded.events,
                       mentions = r.mentions + excluded.mentions,
                       goldstein_sum = r.goldstein_sum + excluded.goldstein_sum",
                )
                .map_err(db(what))?;
            tx.execute(&s, &[&d_, &e_, &m_, &g_]).map_err(db(what))?;
        }
        if !self.dyad_totals.is_empty() {
            let (mut s_, mut t_) = (Vec::new(), Vec::new());
            let (mut e_, mut m_, mut g_) = (Vec::new(), Vec::new(), Vec::new());
            for ((s, t), d) in &self.dyad_totals {
                s_.push(*s);
                t_.push(*t);
                e_.push(d.events);
                m_.push(d.mentions);
                g_.push(d.goldstein);
            }
            let s = st
                .get(
                    tx,
                    "INSERT INTO dyad_totals AS r (source_code, target_code, events, mentions,
                         goldstein_sum)
                     SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[],
                         $5::float8[])
                     ON CONFLICT (source_code, target_code) DO UPDATE SET
                       events = r.events + excluded.events,
                       mentions = r.mentions + excluded.mentions,
                       goldstein_sum = r.goldstein_sum + excluded.goldstein_sum",
                )
                .map_err(db(what))?;
            tx.execute(&s, &[&s_, &t_, &e_, &m_, &g_])
                .map_err(db(what))?;
        }
        for (sql, map) in [
            (
                "INSERT INTO actor_day AS r (actor_code, day, as_source, as_target, mentions,
                     goldstein_sum)
                 SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[],
                     $5::int8[], $6::float8[])
                 ON CONFLICT (actor_code, day) DO UPDATE SET
                   as_source = r.as_source + excluded.as_source,
                   as_target = r.as_target + excluded.as_target,
                   mentions = r.mentions + excluded.mentions,
                   goldstein_sum = r.goldstein_sum + excluded.goldstein_sum",
                &self.actor_day,
            ),
            (
                "INSERT INTO actor_month AS r (actor_code, month, as_source, as_target,
                     mentions, goldstein_sum)
                 SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[],
                     $5::int8[], $6::float8[])
                 ON CONFLICT (actor_code, month) DO UPDATE SET
                   as_source = r.as_source + excluded.as_source,
                   as_target = r.as_target + excluded.as_target,
                   mentions = r.mentions + excluded.mentions,
                   goldstein_sum = r.goldstein_sum + excluded.goldstein_sum",
                &self.actor_month,
            ),
        ] {
            if map.is_empty() {
                continue;
            }
            let (mut c_, mut k_, mut s_, mut t_) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let (mut m_, mut g_) = (Vec::new(), Vec::new());
            for ((code, k), d) in map {
                c_.push(*code);
                k_.push(*k);
                s_.push(d.as_source);
                t_.push(d.as_target);
                m_.push(d.mentions);
                g_.push(d.goldstein);
            }
            let s = st.get(tx, sql).map_err(db(what))?;
            tx.execute(&s, &[&c_, &k_, &s_, &t_, &m_, &g_])
                .map_err(db(what))?;
        }
        Ok(())
    }
}
