//! Reading the store: filters, event rows, aggregations. Aggregations answer from the rollups
//! when the filters are ones the rollups keep (actor/dyad codes and dates) and fall back to
//! group-bys over `events` otherwise.

use crate::model::*;
use crate::plan::{
    bucketize, code_range, date_bounds, dyad_condition, filter_clauses, month_span, nonempty,
    rollup_for, Rollup,
};
use crate::{write, EventStore, Result, SqliteStore, StoreError};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Row};

/// Whether `s` reads as a CAMEO-style actor code (upper-case letters and digits) rather than
/// a name fragment.
pub fn is_code(s: &str) -> bool {
    (2..=24).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A WHERE clause and its parameters.
struct Where {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    fn new() -> Self {
        Where {
            clauses: Vec::new(),
            params: Vec::new(),
        }
    }
    fn param(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }
    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

impl crate::plan::FilterSql for Where {
    fn text(&mut self, v: String) -> String {
        self.param(v)
    }
    fn int(&mut self, v: i64) -> String {
        self.param(v)
    }
    fn quad(&mut self, v: u8) -> String {
        self.param(i64::from(v))
    }
    fn contains(&self, column: &str, placeholder: &str) -> String {
        format!("({column} LIKE '%' || {placeholder} || '%')")
    }
    /// The query as an FTS5 expression of double-quoted words, bound as a parameter.
    fn text_match(&mut self, q: &crate::textquery::TextQuery) -> String {
        let placeholder = self.param(q.to_fts5());
        format!(
            "e.id IN (SELECT m.event_id FROM sentences_fts f
                        JOIN mentions m ON m.article_id = (f.rowid >> 20)
                                       AND m.sentence = (f.rowid & 1048575)
                      WHERE sentences_fts MATCH {placeholder})"
        )
    }
    fn factual(&self) -> String {
        "e.negated = 0 AND e.hypothetical = 0".into()
    }
}

fn build_where(q: &EventQuery) -> Result<Where> {
    let mut w = Where::new();
    w.clauses = filter_clauses(q, &mut w)?;
    Ok(w)
}

const EVENT_COLUMNS: &str =
    "e.id, e.source_code, e.source_name, e.source_country, e.source_org, e.source_sector,
 e.target_code, e.target_name, e.target_country, e.target_org, e.target_sector,
 e.cameo, e.root, e.cameo_name, e.quad_class, e.goldstein, e.plover, e.plover_mode, e.day,
 e.negated, e.hypothetical, e.place_name, e.place_country, e.lat, e.lon,
 e.num_mentions, e.num_articles, e.num_sources, e.added_at,
 m.article_id, a.key, a.name, a.source, a.url, a.title, m.sentence, m.start, m.end, m.evidence,
 m.rule_file, m.rule_entry, m.pattern_code, m.recoded, m.confidence, m.reported, m.date_text";

const EVENT_FROM: &str = "FROM events e LEFT JOIN mentions m ON m.id = e.first_mention
 LEFT JOIN articles a ON a.id = m.article_id";

fn actor_at(r: &Row, i: usize) -> rusqlite::Result<Option<ActorOut>> {
    let code: String = r.get(i)?;
    if code.is_empty() {
        return Ok(None);
    }
    Ok(Some(ActorOut {
        code,
        name: r.get(i + 1)?,
        country: r.get(i + 2)?,
        org: r.get(i + 3)?,
        sector: r.get(i + 4)?,
    }))
}

fn mention_at(r: &Row, i: usize) -> rusqlite::Result<Option<MentionOut>> {
    let article_id: Option<i64> = r.get(i)?;
    let Some(article_id) = article_id else {
        return Ok(None);
    };
    let usize_at = |k: usize| -> rusqlite::Result<usize> {
        Ok(usize::try_from(r.get::<_, i64>(k)?).unwrap_or(0))
    };
    Ok(Some(MentionOut {
        article_id,
        article_key: r.get(i + 1)?,
        article_name: r.get(i + 2)?,
        outlet: r.get(i + 3)?,
        url: r.get(i + 4)?,
        title: r.get(i + 5)?,
        sentence: usize_at(i + 6)?,
        evidence: EvidenceOut {
            start: usize_at(i + 7)?,
            end: usize_at(i + 8)?,
            text: r.get(i + 9)?,
        },
        rule: RuleOut {
            file: r.get(i + 10)?,
            entry: r.get(i + 11)?,
            pattern_code: r.get(i + 12)?,
            recoded: r.get(i + 13)?,
        },
        confidence: r.get(i + 14)?,
        reported: r.get(i + 15)?,
        date_text: r.get(i + 16)?,
    }))
}

fn event_from_row(r: &Row) -> rusqlite::Result<StoredEvent> {
    let place_name: Option<String> = r.get(21)?;
    let day: Option<i64> = r.get(18)?;
    Ok(StoredEvent {
        event_id: r.get(0)?,
        source: actor_at(r, 1)?,
        target: actor_at(r, 6)?,
        cameo: r.get(11)?,
        root: r.get(12)?,
        cameo_name: r.get(13)?,
        quad_class: r.get(14)?,
        goldstein: r.get(15)?,
        plover: r.get(16)?,
        plover_mode: r.get(17)?,
        date: day.and_then(from_day_number),
        negated: r.get(19)?,
        hypothetical: r.get(20)?,
        place: match place_name {
            Some(name) => Some(PlaceOut {
                name,
                country: r.get(22)?,
                lat: r.get(23)?,
                lon: r.get(24)?,
            }),
            None => None,
        },
        num_mentions: r.get(25)?,
        num_articles: r.get(26)?,
        num_sources: r.get(27)?,
        added_at: r.get(28)?,
        mention: mention_at(r, 29)?,
    })
}

impl SqliteStore {
    /// Events between two actors, counted from the dyad rollups (the page total of every
    /// dyad request; counting the index instead read every matching entry each time). The
    /// rollups hold dated events only, so without a date range the undated ones are added from
    /// the dyad index.
    fn dyad_count(
        &self,
        q: &EventQuery,
        source: Option<&str>,
        target: Option<&str>,
        either: bool,
    ) -> Result<u64> {
        let mut w = Where::new();
        let cond = dyad_condition(&mut w, source, target, either);
        let sql = if q.from.is_some() || q.to.is_some() {
            let (lo, hi) = date_bounds(q);
            let lo = w.param(lo);
            let hi = w.param(hi);
            format!("SELECT total(events) FROM dyad_day WHERE {cond} AND day BETWEEN {lo} AND {hi}")
        } else {
            format!(
                "SELECT (SELECT total(events) FROM dyad_totals WHERE {cond})
                      + (SELECT count(*) FROM events WHERE {cond} AND day IS NULL)"
            )
        };
        let n: f64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(w.params.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Every row of a query built for `q`, with full-text syntax errors reported as bad
    /// queries.
    fn rows<T>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(params_from_iter(params.iter()), map)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `(day, events, mentions, Goldstein sum)` rows.
    fn day_rows(&self, sql: &str, params: &[Value]) -> Result<Vec<(i64, u64, u64, f64)>> {
        self.rows(sql, params, |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
    }
}

impl EventStore for SqliteStore {
    fn contains(&self, key: Option<&str>, content_hash: &str) -> Result<bool> {
        Ok(self.existing_article(key, content_hash)?.is_some())
    }

    fn insert_batch(&mut self, articles: &[NewArticle]) -> Result<Vec<InsertOutcome>> {
        write::insert_batch(self, articles)
    }

    fn query(&self, q: &EventQuery) -> Result<Vec<StoredEvent>> {
        let mut w = build_where(q)?;
        let limit = w.param(q.limit.map(|l| l as i64).unwrap_or(-1));
        let offset = w.param(q.offset as i64);
        // With a selective filter, sort the matching rows; `+e.day` keeps the planner from
        // walking the whole day index in order and filtering as it goes (seconds on a sparse
        // dyad). With none, walking the day index is the fast way to the first page.
        let selective = [
            &q.actor, &q.source, &q.target, &q.country, &q.sector, &q.cameo, &q.place, &q.text,
            &q.plover,
        ]
        .iter()
        .any(|f| nonempty(f).is_some());
        let order = if selective {
            "+e.day, e.id"
        } else {
            "e.day, e.id"
        };
        // The page is cut as ids alone, then joined to its rows and first mentions: joining
        // every matching row before the sort cost ~100 ms on a dense dyad, and sorting ids
        // (day and id are in the dyad, target, cameo and place indexes) reads no table rows.
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM (SELECT e.id FROM events e {} ORDER BY {order} LIMIT {limit} OFFSET {offset}) page
             JOIN events e ON e.id = page.id
             LEFT JOIN mentions m ON m.id = e.first_mention
             LEFT JOIN articles a ON a.id = m.article_id
             ORDER BY e.day, e.id",
            w.sql()
        );
        self.rows(&sql, &w.params, event_from_row)
    }

    fn count(&self, q: &EventQuery) -> Result<u64> {
        if let Rollup::Dyad {
            source,
            target,
            either,
        } = rollup_for(q)
        {
            return self.dyad_count(q, source, target, either);
        }
        let w = build_where(q)?;
        let sql = format!("SELECT count(*) FROM events e {}", w.sql());
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row(params_from_iter(w.params.iter()), |r| r.get(0)))
            .map_err(StoreError::Sql)
    }

    fn for_each_event(
        &self,
        q: &EventQuery,
        f: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let mut w = build_where(q)?;
        let limit = w.param(q.limit.map(|l| l as i64).unwrap_or(-1));
        let offset = w.param(q.offset as i64);
        let sql = format!(
            "SELECT {EVENT_COLUMNS} {EVENT_FROM} {} ORDER BY e.id LIMIT {limit} OFFSET {offset}",
            w.sql()
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        while let Some(r) = rows.next()? {
            f(event_from_row(r)?)?;
        }
        Ok(())
    }

    fn event(&self, event_id: i64) -> Result<Option<StoredEvent>> {
        use rusqlite::OptionalExtension;
        let sql = format!("SELECT {EVENT_COLUMNS} {EVENT_FROM} WHERE e.id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([event_id], event_from_row)
            .optional()?)
    }

    fn mentions(&self, event_id: i64) -> Result<Vec<MentionOut>> {
        let mut st = self.conn.prepare_cached(
            "SELECT m.article_id, a.key, a.name, a.source, a.url, a.title, m.sentence, m.start, m.end,
                    m.evidence, m.rule_file, m.rule_entry, m.pattern_code, m.recoded, m.confidence,
                    m.reported, m.date_text
             FROM mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.event_id = ?1 ORDER BY m.id",
        )?;
        let rows = st.query_map([event_id], |r| mention_at(r, 0))?;
        let mut out = Vec::new();
        for m in rows {
            if let Some(m) = m? {
                out.push(m);
            }
        }
        Ok(out)
    }

    fn series(&self, q: &EventQuery, bucket: Bucket) -> Result<Vec<SeriesPoint>> {
        let (lo, hi) = date_bounds(q);
        let rows = match rollup_for(q) {
            Rollup::All => self.day_rows(
                "SELECT day, events, mentions, goldstein_sum FROM day_totals
                 WHERE day BETWEEN ?1 AND ?2",
                &[lo.into(), hi.into()],
            )?,
            Rollup::Actor(code) => {
                let mut w = Where::new();
                let c = code_range(&mut w, "actor_code", code);
                // Without dates, no day condition: it would lure the planner onto the day
                // index and away from the (actor_code, day) key.
                let days = if q.from.is_some() || q.to.is_some() {
                    let lo = w.param(lo);
                    let hi = w.param(hi);
                    format!("AND day BETWEEN {lo} AND {hi}")
                } else {
                    String::new()
                };
                self.day_rows(
                    &format!(
                        "SELECT day, sum(as_source + as_target), sum(mentions), total(goldstein_sum)
                         FROM actor_day WHERE {c} {days} GROUP BY day"
                    ),
                    &w.params,
                )?
            }
            Rollup::Dyad {
                source,
                target,
                either,
            } => {
                let mut w = Where::new();
                let cond = dyad_condition(&mut w, source, target, either);
                let lo = w.param(lo);
                let hi = w.param(hi);
                self.day_rows(
                    &format!(
                        "SELECT day, sum(events), sum(mentions), total(goldstein_sum) FROM dyad_day
                         WHERE {cond} AND day BETWEEN {lo} AND {hi} GROUP BY day"
                    ),
                    &w.params,
                )?
            }
            Rollup::None => {
                let w = build_where(q)?;
                let cond = if w.clauses.is_empty() {
                    "WHERE e.day IS NOT NULL".to_string()
                } else {
                    format!("{} AND e.day IS NOT NULL", w.sql())
                };
                self.day_rows(
                    &format!(
                        "SELECT e.day, count(*), sum(e.num_mentions), total(e.goldstein)
                         FROM events e {cond} GROUP BY e.day"
                    ),
                    &w.params,
                )?
            }
        };
        Ok(bucketize(rows, bucket))
    }

    fn top_actors(&self, q: &EventQuery, limit: usize) -> Result<Vec<ActorCount>> {
        let map = |r: &Row| -> rusqlite::Result<ActorCount> {
            let s: u64 = r.get(1)?;
            let t: u64 = r.get(2)?;
            let g: f64 = r.get(3)?;
            Ok(ActorCount {
                code: r.get(0)?,
                events: s + t,
                as_source: s,
                as_target: t,
                goldstein_sum: (g * 100.0).round() / 100.0,
            })
        };
        let limit = limit as i64;
        if let Rollup::All = rollup_for(q) {
            // Whole months inside the range come from the monthly rollup, the days at either
            // end from the daily one: a two-year range reads a few thousand rows.
            let (lo, hi) = date_bounds(q);
            let (m_lo, m_hi, (covered_lo, covered_hi)) = month_span(q.from, q.to);
            // The days not covered by whole months: [lo, covered_lo) and (covered_hi, hi].
            let (a_lo, a_hi, b_lo, b_hi) = if m_lo > m_hi {
                (lo, hi, 1, 0)
            } else {
                (
                    lo,
                    covered_lo.saturating_sub(1),
                    covered_hi.saturating_add(1),
                    hi,
                )
            };
            let mut st = self.conn.prepare_cached(
                "SELECT actor_code, sum(s), sum(t), total(g) FROM (
                   SELECT actor_code, as_source AS s, as_target AS t, goldstein_sum AS g
                     FROM actor_month WHERE month BETWEEN ?1 AND ?2
                   UNION ALL
                   SELECT actor_code, as_source, as_target, goldstein_sum
                     FROM actor_day WHERE day BETWEEN ?3 AND ?4
                   UNION ALL
                   SELECT actor_code, as_source, as_target, goldstein_sum
                     FROM actor_day WHERE day BETWEEN ?5 AND ?6
                   UNION ALL
                   SELECT source_code, 1, 0, coalesce(goldstein, 0) FROM events
                     WHERE ?8 AND day IS NULL AND source_code <> ''
                   UNION ALL
                   SELECT target_code, 0, 1, coalesce(goldstein, 0) FROM events
                     WHERE ?8 AND day IS NULL AND target_code <> '')
                 GROUP BY actor_code ORDER BY sum(s) + sum(t) DESC, actor_code LIMIT ?7",
            )?;
            // The rollups hold dated events; with no date range the undated ones count too.
            let undated = q.from.is_none() && q.to.is_none();
            let rows = st.query_map(
                rusqlite::params![m_lo, m_hi, a_lo, a_hi, b_lo, b_hi, limit, undated],
                map,
            )?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
        let w = build_where(q)?;
        let sql = format!(
            "WITH sel AS (SELECT e.source_code, e.target_code, e.goldstein FROM events e {})
             SELECT code, sum(s), sum(t), total(g) FROM (
               SELECT source_code AS code, 1 AS s, 0 AS t, goldstein AS g FROM sel WHERE source_code <> ''
               UNION ALL
               SELECT target_code, 0, 1, goldstein FROM sel WHERE target_code <> '')
             GROUP BY code ORDER BY sum(s) + sum(t) DESC, code LIMIT {limit}",
            w.sql()
        );
        self.rows(&sql, &w.params, map)
    }

    fn top_dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadCount>> {
        let map = |r: &Row| -> rusqlite::Result<DyadCount> {
            let g: f64 = r.get(4)?;
            Ok(DyadCount {
                source_code: r.get(0)?,
                target_code: r.get(1)?,
                events: r.get(2)?,
                mentions: r.get(3)?,
                goldstein_sum: (g * 100.0).round() / 100.0,
            })
        };
        let limit = limit as i64;
        if let (Rollup::All, None, None) = (rollup_for(q), q.from, q.to) {
            // The rollups hold dated events; undated ones are added from the events table.
            let mut st = self.conn.prepare_cached(
                "SELECT source_code, target_code, sum(events), sum(mentions), total(goldstein_sum)
                 FROM (SELECT source_code, target_code, events, mentions, goldstein_sum
                         FROM dyad_totals
                       UNION ALL
                       SELECT source_code, target_code, 1, num_mentions, coalesce(goldstein, 0)
                         FROM events WHERE day IS NULL)
                 WHERE source_code <> '' AND target_code <> ''
                 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?1",
            )?;
            let rows = st.query_map([limit], map)?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
        if let Rollup::All = rollup_for(q) {
            let (lo, hi) = date_bounds(q);
            let mut st = self.conn.prepare_cached(
                "SELECT source_code, target_code, sum(events), sum(mentions), total(goldstein_sum)
                 FROM dyad_day WHERE day BETWEEN ?1 AND ?2
                   AND source_code <> '' AND target_code <> ''
                 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?3",
            )?;
            let rows = st.query_map(rusqlite::params![lo, hi, limit], map)?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
        let w = build_where(q)?;
        let sql = format!(
            "SELECT e.source_code, e.target_code, count(*), sum(e.num_mentions), total(e.goldstein)
             FROM events e {} {} e.source_code <> '' AND e.target_code <> ''
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {limit}",
            w.sql(),
            if w.clauses.is_empty() { "WHERE" } else { "AND" }
        );
        self.rows(&sql, &w.params, map)
    }

    fn top_places(&self, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCount>> {
        let map = |r: &Row| -> rusqlite::Result<PlaceCount> {
            let g: f64 = r.get(6)?;
            Ok(PlaceCount {
                name: r.get(0)?,
                country: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                events: r.get(4)?,
                mentions: r.get(5)?,
                goldstein_sum: (g * 100.0).round() / 100.0,
            })
        };
        // No rollup: places are a map's view over a filtered slice, and one place name can sit at
        // different coordinates in different dictionaries' releases, so the group is the pair.
        let w = build_where(q)?;
        let sql = format!(
            "SELECT e.place_name, e.place_country, e.lat, e.lon,
                    count(*), sum(e.num_mentions), total(e.goldstein)
             FROM events e {} {} e.lat IS NOT NULL AND e.lon IS NOT NULL AND e.place_name IS NOT NULL
             GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1 LIMIT {}",
            w.sql(),
            if w.clauses.is_empty() { "WHERE" } else { "AND" },
            limit as i64
        );
        self.rows(&sql, &w.params, map)
    }

    fn article(&self, article_id: i64) -> Result<Option<ArticleOut>> {
        use rusqlite::OptionalExtension;
        let as_usize = |v: i64| usize::try_from(v).unwrap_or(0);
        let found = self
            .conn
            .query_row(
                "SELECT id, key, name, source, url, title, date, origin, text, sentences
                 FROM articles WHERE id = ?1",
                [article_id],
                |r| {
                    let date: Option<String> = r.get(6)?;
                    let sentences: String = r.get(9)?;
                    Ok(ArticleOut {
                        article_id: r.get(0)?,
                        key: r.get(1)?,
                        name: r.get(2)?,
                        source: r.get(3)?,
                        url: r.get(4)?,
                        title: r.get(5)?,
                        date: date.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                        origin: r.get(7)?,
                        text: r.get(8)?,
                        sentences: serde_json::from_str(&sentences).unwrap_or_default(),
                        quotes: Vec::new(),
                        events: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut a) = found else {
            return Ok(None);
        };
        let mut st = self.conn.prepare_cached(
            "SELECT sentence, start, end, text, speaker_name, speaker_code, cue, direct
             FROM quotes WHERE article_id = ?1 ORDER BY idx",
        )?;
        a.quotes = st
            .query_map([article_id], |r| {
                Ok(StoredQuote {
                    sentence: as_usize(r.get(0)?),
                    start: as_usize(r.get(1)?),
                    end: as_usize(r.get(2)?),
                    text: r.get(3)?,
                    speaker_name: r.get(4)?,
                    speaker_code: r.get(5)?,
                    cue: r.get(6)?,
                    direct: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self.conn.prepare_cached(
            "SELECT m.event_id, e.cameo, e.cameo_name, e.source_code, m.source_name, e.target_code,
                    m.target_name, m.sentence, m.start, m.end, m.evidence, m.rule_file,
                    m.rule_entry, m.pattern_code, m.recoded
             FROM mentions m JOIN events e ON e.id = m.event_id
             WHERE m.article_id = ?1 ORDER BY m.start, m.id",
        )?;
        a.events = st
            .query_map([article_id], |r| {
                Ok(ArticleEvent {
                    event_id: r.get(0)?,
                    cameo: r.get(1)?,
                    cameo_name: r.get(2)?,
                    source_code: r.get(3)?,
                    source_name: r.get(4)?,
                    target_code: r.get(5)?,
                    target_name: r.get(6)?,
                    sentence: as_usize(r.get(7)?),
                    evidence: EvidenceOut {
                        start: as_usize(r.get(8)?),
                        end: as_usize(r.get(9)?),
                        text: r.get(10)?,
                    },
                    rule: RuleOut {
                        file: r.get(11)?,
                        entry: r.get(12)?,
                        pattern_code: r.get(13)?,
                        recoded: r.get(14)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(a))
    }

    fn stats(&self) -> Result<StoreStats> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM articles), (SELECT total(n_sentences) FROM articles),
                    (SELECT count(*) FROM events), (SELECT count(*) FROM mentions),
                    (SELECT count(*) FROM quotes), (SELECT count(*) FROM actors)",
            [],
            |r| {
                Ok(StoreStats {
                    articles: r.get(0)?,
                    sentences: r.get::<_, f64>(1)? as u64,
                    events: r.get(2)?,
                    mentions: r.get(3)?,
                    quotes: r.get(4)?,
                    actors: r.get(5)?,
                })
            },
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        assert!(is_code("RUSGOV"));
        assert!(is_code("IGOUNO"));
        assert!(!is_code("Putin"));
        assert!(!is_code("R"));
    }
}
