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
    for a in articles {
        out.push(insert_article(&tx, a, window)?);
    }
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

fn insert_article(tx: &Transaction, a: &NewArticle, window: i64) -> Result<InsertOutcome> {
    if let Some(article_id) = existing(tx, a.key.as_deref(), &a.content_hash)? {
        return Ok(InsertOutcome::Duplicate { article_id });
    }
    let c = &a.coded;
    let now = now_rfc3339();
    tx.prepare_cached(
        "INSERT INTO articles(key, content_hash, name, source, url, title, date, lang, origin, text, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
        now,
    ])?;
    let article_id = tx.last_insert_rowid();

    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO sentences(article_id, idx, start, end, paragraph, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut fts =
            tx.prepare_cached("INSERT INTO sentences_fts(rowid, text) VALUES (?1, ?2)")?;
        for (i, s) in c.sentences.iter().enumerate() {
            let text = a.text.get(s.start..s.end).unwrap_or("");
            ins.execute(params![
                article_id,
                i as i64,
                s.start as i64,
                s.end as i64,
                s.paragraph as i64,
                text
            ])?;
            fts.execute(params![tx.last_insert_rowid(), text])?;
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
            None => undated.get(&key).copied(),
        };
        let (event_id, created) = match found {
            Some(id) => (id, false),
            None => {
                let id = insert_event(tx, e, &key, day, &now)?;
                if day.is_none() {
                    undated.insert(key.clone(), id);
                }
                new_events += 1;
                (id, true)
            }
        };
        let new_article = created
            || tx
                .prepare_cached("SELECT 1 FROM mentions WHERE event_id = ?1 AND article_id = ?2")?
                .query_row(params![event_id, article_id], |_| Ok(()))
                .optional()?
                .is_none();
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
        if let Some(d) = event_day(tx, event_id)? {
            update_rollups(tx, &key, d, created, e.goldstein.unwrap_or(0.0))?;
        }
    }
    Ok(InsertOutcome::Inserted {
        article_id,
        new_events,
        mentions: c.events.len(),
        sentences: c.sentences.len(),
    })
}

fn nearest_event(tx: &Transaction, key: &EventKey, day: i64, window: i64) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached(
            "SELECT id FROM events
             WHERE source_code = ?1 AND target_code = ?2 AND day BETWEEN ?3 AND ?4
               AND cameo = ?5 AND negated = ?6 AND hypothetical = ?7
             ORDER BY abs(day - ?8), id LIMIT 1",
        )?
        .query_row(
            params![
                key.0,
                key.1,
                day - window,
                day + window,
                key.2,
                key.3,
                key.4,
                day
            ],
            |r| r.get(0),
        )
        .optional()?)
}

fn event_day(tx: &Transaction, event_id: i64) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT day FROM events WHERE id = ?1")?
        .query_row([event_id], |r| r.get(0))?)
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

/// Keeps the rollups equal to group-bys over `events`: a new event adds one event, one
/// mention and its Goldstein score; a merged mention adds one mention.
fn update_rollups(
    tx: &Transaction,
    key: &EventKey,
    day: i64,
    created: bool,
    goldstein: f64,
) -> Result<()> {
    let (events, g) = if created { (1, goldstein) } else { (0, 0.0) };
    tx.prepare_cached(
        "INSERT INTO dyad_day(source_code, target_code, day, events, mentions, goldstein_sum)
         VALUES (?1, ?2, ?3, ?4, 1, ?5)
         ON CONFLICT(source_code, target_code, day) DO UPDATE SET
           events = events + excluded.events, mentions = mentions + 1,
           goldstein_sum = goldstein_sum + excluded.goldstein_sum",
    )?
    .execute(params![key.0, key.1, day, events, g])?;
    let month = crate::model::from_day_number(day).map(month_number);
    for (code, as_source) in [(&key.0, true), (&key.1, false)] {
        if code.is_empty() {
            continue;
        }
        let (s, t) = if as_source { (events, 0) } else { (0, events) };
        tx.prepare_cached(
            "INSERT INTO actor_day(actor_code, day, as_source, as_target, mentions, goldstein_sum)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT(actor_code, day) DO UPDATE SET
               as_source = as_source + excluded.as_source, as_target = as_target + excluded.as_target,
               mentions = mentions + 1, goldstein_sum = goldstein_sum + excluded.goldstein_sum",
        )?
        .execute(params![code, day, s, t, g])?;
        if let Some(m) = month {
            tx.prepare_cached(
                "INSERT INTO actor_month(actor_code, month, as_source, as_target, mentions, goldstein_sum)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5)
                 ON CONFLICT(actor_code, month) DO UPDATE SET
                   as_source = as_source + excluded.as_source, as_target = as_target + excluded.as_target,
                   mentions = mentions + 1, goldstein_sum = goldstein_sum + excluded.goldstein_sum",
            )?
            .execute(params![code, m, s, t, g])?;
        }
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) fn existing_article(&self, key: Option<&str>, hash: &str) -> Result<Option<i64>> {
        existing(&self.conn, key, hash)
    }
}
