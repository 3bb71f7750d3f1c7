//! Storing coded articles, and the dedup rule.
//!
//! Every event the coder reports is a *mention*. A mention joins an existing event when both
//! have the same source code, target code, CAMEO code, negation and hypothetical flags, and
//! their dates differ by at most the store's dedup window (0 = same day); among several such
//! events the one with the nearest date wins, then the oldest. Otherwise it starts a new event,
//! dated by the mention. Undated mentions (no event date, no article date) only merge within
//! their own article. Within one article this folds the same event told in several sentences
//! into one event with several mentions; across articles it gives GDELT-like counts:
//! NumMentions (mentions), NumArticles (distinct articles), NumSources (distinct outlets).

use crate::model::{day_number, month_number, InsertOutcome, NewArticle};
use crate::{now_rfc3339, outlet_of, Result, SqliteStore};
use dyad_coder::EventOut;
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashMap;

type EventKey = (String, String, String, bool, bool);

pub(crate) fn insert_batch(
    store: &mut SqliteStore,
    articles: &[NewArticle],
) -> Result<Vec<InsertOutcome>> {
    let window = i64::from(store.options.dedup_window_days);
    let tx = store.conn.transaction()?;
    let mut out = Vec::with_capacity(articles.len());
    let mut rollups = Rollups::default();
    for a in articles {
        out.push(insert_article(&tx, a, window, &mut rollups)?);
    }
    rollups.apply(&tx)?;
    tx.commit()?;
    Ok(out)
}

pub(crate) fn existing(
    conn: &rusqlite::Connection,
    key: Option<&str>,
    hash: &str,
) -> Result<Option<i64>> {
    if let Some(k) = key {
        let id = conn
            .prepare_cached("SELECT id FROM articles WHERE key = ?1")?
            .query_row([k], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    Ok(conn
        .prepare_cached("SELECT id FROM articles WHERE content_hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?)
}

fn insert_article(
    tx: &Transaction,
    a: &NewArticle,
    window: i64,
    rollups: &mut Rollups,
) -> Result<InsertOutcome> {
    if let Some(article_id) = existing(tx, a.key.as_deref(), &a.content_hash)? {
        return Ok(InsertOutcome::Duplicate { article_id });
    }
    let c = &a.coded;
    let now = now_rfc3339();
    let offsets: Vec<[usize; 3]> = c
        .sentences
        .iter()
        .map(|s| [s.start, s.end, s.paragraph])
        .collect();
    tx.prepare_cached(
        "INSERT INTO articles(key, content_hash, name, source, url, title, date, lang, origin, text,
            sentences, n_sentences, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        a.key,
        a.content_hash,
        c.id,
        c.source,
        c.url,
        c.title,
        c.date.map(|d| d.to_string()),
        a.lang,
        a.origin,
        a.text,
        serde_json::to_string(&offsets).unwrap_or_else(|_| "[]".into()),
        offsets.len() as i64,
        now,
    ])?;
    let article_id = tx.last_insert_rowid();
    {
        let mut fts =
            tx.prepare_cached("INSERT INTO sentences_fts(rowid, text) VALUES (?1, ?2)")?;
        for (i, s) in c
            .sentences
            .iter()
            .enumerate()
            .take(crate::MAX_INDEXED_SENTENCES)
        {
            let text = a.text.get(s.start..s.end).unwrap_or("");
            fts.execute(params![crate::sentence_rowid(article_id, i), text])?;
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO actors(article_id, idx, name, code, country, org, sector, kind, title, mentions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (i, act) in c.actors.iter().enumerate() {
            let kind = serde_json::to_value(act.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let mentions = serde_json::to_string(&act.mentions).unwrap_or_else(|_| "[]".into());
            ins.execute(params![
                article_id,
                i as i64,
                act.name,
                act.code,
                act.country,
                act.org,
                act.sector,
                kind,
                act.title,
                mentions
            ])?;
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO quotes(article_id, idx, sentence, start, end, text, speaker_name, speaker_code, cue, direct)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (i, q) in c.quotes.iter().enumerate() {
            ins.execute(params![
                article_id,
                i as i64,
                q.sentence as i64,
                q.start as i64,
                q.end as i64,
                q.text,
                q.speaker.as_ref().map(|s| s.name.as_str()),
                q.speaker.as_ref().map(|s| s.code.as_str()),
                q.cue,
                q.direct
            ])?;
        }
    }

    let outlet = outlet_of(c.source.as_deref(), c.url.as_deref()).unwrap_or_default();
    let mut undated: HashMap<EventKey, i64> = HashMap::new();
    let mut seen_events: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut new_events = 0;
    for e in &c.events {
        let day = e.date.or(c.date).map(day_number);
        let key: EventKey = (
            e.source
                .as_ref()
                .map(|s| s.code.clone())
                .unwrap_or_default(),
            e.target
                .as_ref()
                .map(|s| s.code.clone())
                .unwrap_or_default(),
            e.cameo.clone(),
            e.negated,
            e.hypothetical,
        );
        let found = match day {
            Some(d) => nearest_event(tx, &key, d, window)?,
            None => undated.get(&key).map(|&id| (id, 0)),
        };
        let (event_id, event_day, created) = match found {
            Some((id, d)) => (id, day.map(|_| d), false),
            None => {
                let id = insert_event(tx, e, &key, day, &now)?;
                rollups.codes(&key);
                if day.is_none() {
                    undated.insert(key.clone(), id);
                }
                new_events += 1;
                (id, day, true)
            }
        };
        // The article is new, so its first mention of an event is a new article for it.
        let new_article = seen_events.insert(event_id);
        let mention_id = insert_mention(tx, e, event_id, article_id)?;
        let new_source = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO event_sources(event_id, outlet) VALUES (?1, ?2)",
            )?
            .execute(params![event_id, outlet])?
            == 1;
        if created {
            tx.prepare_cached("UPDATE events SET first_mention = ?2 WHERE id = ?1")?
                .execute(params![event_id, mention_id])?;
        } else {
            tx.prepare_cached(
                "UPDATE events SET num_mentions = num_mentions + 1,
                   num_articles = num_articles + ?2, num_sources = num_sources + ?3,
                   place_name = COALESCE(place_name, ?4), place_country = COALESCE(place_country, ?5),
                   lat = COALESCE(lat, ?6), lon = COALESCE(lon, ?7)
                 WHERE id = ?1",
            )?
            .execute(params![
                event_id,
                i64::from(new_article),
                i64::from(new_source),
                e.place.as_ref().map(|p| p.name.as_str()),
                e.place.as_ref().and_then(|p| p.country.as_deref()),
                e.place.as_ref().and_then(|p| p.lat),
                e.place.as_ref().and_then(|p| p.lon),
            ])?;
        }
        if let Some(d) = event_day {
            rollups.add(&key, d, created, e.goldstein.unwrap_or(0.0));
        }
    }
    Ok(InsertOutcome::Inserted {
        article_id,
        new_events,
        mentions: c.events.len(),
        sentences: c.sentences.len(),
    })
}

/// The event a mention joins: same key, date within `window` days, nearest date first, then
/// the oldest. One plain equality lookup per candidate day, the minimum taken here: with
/// `min()`, `ORDER BY … LIMIT` or a range over a bound parameter, this SQLite build (STAT4)
/// re-plans the statement on every call, which cost a fifth of the write path.
fn nearest_event(
    tx: &Transaction,
    key: &EventKey,
    day: i64,
    window: i64,
) -> Result<Option<(i64, i64)>> {
    let mut st = tx.prepare_cached(
        "SELECT id FROM events
         WHERE source_code = ?1 AND target_code = ?2 AND day = ?3
           AND cameo = ?4 AND negated = ?5 AND hypothetical = ?6",
    )?;
    let mut at = |d: i64| -> Result<Option<i64>> {
        let ids = st.query_map(params![key.0, key.1, d, key.2, key.3, key.4], |r| {
            r.get::<_, i64>(0)
        })?;
        let mut best: Option<i64> = None;
        for id in ids {
            let id = id?;
            best = Some(best.map_or(id, |b| b.min(id)));
        }
        Ok(best)
    };
    for distance in 0..=window {
        let found = if distance == 0 {
            at(day)?.map(|id| (id, day))
        } else {
            let before = at(day - distance)?.map(|id| (id, day - distance));
            let after = at(day + distance)?.map(|id| (id, day + distance));
            match (before, after) {
                (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
                (a, b) => a.or(b),
            }
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

fn insert_event(
    tx: &Transaction,
    e: &EventOut,
    key: &EventKey,
    day: Option<i64>,
    now: &str,
) -> Result<i64> {
    let side = |a: &Option<dyad_coder::ActorRef>| {
        a.as_ref().map(|a| {
            (
                a.name.clone(),
                a.country.clone(),
                a.org.clone(),
                a.sector.clone(),
            )
        })
    };
    let s = side(&e.source);
    let t = side(&e.target);
    tx.prepare_cached(
        "INSERT INTO events(source_code, source_name, source_country, source_org, source_sector,
            target_code, target_name, target_country, target_org, target_sector,
            cameo, root, cameo_name, quad_class, goldstein, plover, plover_mode, day,
            negated, hypothetical, place_name, place_country, lat, lon,
            num_mentions, num_articles, num_sources, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?24, 1, 1, 1, ?25)",
    )?
    .execute(params![
        key.0,
        s.as_ref().map(|s| &s.0),
        s.as_ref().and_then(|s| s.1.as_ref()),
        s.as_ref().and_then(|s| s.2.as_ref()),
        s.as_ref().and_then(|s| s.3.as_ref()),
        key.1,
        t.as_ref().map(|t| &t.0),
        t.as_ref().and_then(|t| t.1.as_ref()),
        t.as_ref().and_then(|t| t.2.as_ref()),
        t.as_ref().and_then(|t| t.3.as_ref()),
        e.cameo,
        e.root,
        e.cameo_name,
        e.quad_class,
        e.goldstein,
        e.plover,
        e.plover_mode,
        day,
        e.negated,
        e.hypothetical,
        e.place.as_ref().map(|p| p.name.as_str()),
        e.place.as_ref().and_then(|p| p.country.as_deref()),
        e.place.as_ref().and_then(|p| p.lat),
        e.place.as_ref().and_then(|p| p.lon),
        now,
    ])?;
    Ok(tx.last_insert_rowid())
}

fn insert_mention(tx: &Transaction, e: &EventOut, event_id: i64, article_id: i64) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO mentions(event_id, article_id, sentence, start, end, evidence, source_name,
            target_name, date_text, rule_file, rule_entry, pattern_code, recoded, confidence,
            reported, quote)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        event_id,
        article_id,
        e.sentence as i64,
        e.evidence.start as i64,
        e.evidence.end as i64,
        e.evidence.text,
        e.source.as_ref().map(|a| a.name.as_str()),
        e.target.as_ref().map(|a| a.name.as_str()),
        e.date_text,
        e.rule.file,
        e.rule.entry,
        e.rule.pattern_code,
        e.rule.recoded,
        f64::from(e.confidence),
        e.reported,
        e.quote.map(|q| q as i64),
    ])?;
    Ok(tx.last_insert_rowid())
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

/// Rollup changes of one batch, summed in memory and applied once per key at commit: keeps
/// the rollups equal to group-bys over `events` at a fraction of the statements. A new event
/// adds one event, one mention and its Goldstein score; a merged mention adds one mention.
#[derive(Default)]
struct Rollups {
    dyad_day: HashMap<(String, String, i64), Delta>,
    day_totals: HashMap<i64, Delta>,
    dyad_totals: HashMap<(String, String), Delta>,
    actor_day: HashMap<(String, i64), ActorDelta>,
    actor_month: HashMap<(String, i64), ActorDelta>,
    codes: std::collections::HashSet<String>,
}

impl Rollups {
    /// Codes of a new event, dated or not.
    fn codes(&mut self, key: &EventKey) {
        for code in [&key.0, &key.1] {
            if !code.is_empty() && !self.codes.contains(code) {
                self.codes.insert(code.clone());
            }
        }
    }

    fn add(&mut self, key: &EventKey, day: i64, created: bool, goldstein: f64) {
        let (events, g) = if created { (1, goldstein) } else { (0, 0.0) };
        let bump = |d: &mut Delta| {
            d.events += events;
            d.mentions += 1;
            d.goldstein += g;
        };
        bump(
            self.dyad_day
                .entry((key.0.clone(), key.1.clone(), day))
                .or_default(),
        );
        bump(self.day_totals.entry(day).or_default());
        bump(
            self.dyad_totals
                .entry((key.0.clone(), key.1.clone()))
                .or_default(),
        );
        let month = crate::model::from_day_number(day).map(month_number);
        for (code, as_source) in [(&key.0, true), (&key.1, false)] {
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
            bump(self.actor_day.entry((code.clone(), day)).or_default());
            if let Some(m) = month {
                bump(self.actor_month.entry((code.clone(), m)).or_default());
            }
        }
    }

    fn apply(self, tx: &Transaction) -> Result<()> {
        let mut st = tx.prepare_cached("INSERT OR IGNORE INTO codes(code) VALUES (?1)")?;
        for code in &self.codes {
            st.execute([code])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO dyad_day(source_code, target_code, day, events, mentions, goldstein_sum)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(source_code, target_code, day) DO UPDATE SET
               events = events + excluded.events, mentions = mentions + excluded.mentions,
               goldstein_sum = goldstein_sum + excluded.goldstein_sum",
        )?;
        for ((s, t, day), d) in &self.dyad_day {
            st.execute(params![s, t, day, d.events, d.mentions, d.goldstein])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO day_totals(day, events, mentions, goldstein_sum) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(day) DO UPDATE SET events = events + excluded.events,
               mentions = mentions + excluded.mentions,
               goldstein_sum = goldstein_sum + excluded.goldstein_sum",
        )?;
        for (day, d) in &self.day_totals {
            st.execute(params![day, d.events, d.mentions, d.goldstein])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO dyad_totals(source_code, target_code, events, mentions, goldstein_sum)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(source_code, target_code) DO UPDATE SET
               events = events + excluded.events, mentions = mentions + excluded.mentions,
               goldstein_sum = goldstein_sum + excluded.goldstein_sum",
        )?;
        for ((s, t), d) in &self.dyad_totals {
            st.execute(params![s, t, d.events, d.mentions, d.goldstein])?;
        }
        for (table, col, map) in [
            ("actor_day", "day", &self.actor_day),
            ("actor_month", "month", &self.actor_month),
        ] {
            let mut st = tx.prepare_cached(&format!(
                "INSERT INTO {table}(actor_code, {col}, as_source, as_target, mentions, goldstein_sum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(actor_code, {col}) DO UPDATE SET
                   as_source = as_source + excluded.as_source,
                   as_target = as_target + excluded.as_target,
                   mentions = mentions + excluded.mentions,
                   goldstein_sum = goldstein_sum + excluded.goldstein_sum"
            ))?;
            for ((code, k), d) in map {
                st.execute(params![
                    code,
                    k,
                    d.as_source,
                    d.as_target,
                    d.mentions,
                    d.goldstein
                ])?;
            }
        }
        Ok(())
    }
}

impl SqliteStore {
    pub(crate) fn existing_article(&self, key: Option<&str>, hash: &str) -> Result<Option<i64>> {
        existing(&self.conn, key, hash)
    }
}
