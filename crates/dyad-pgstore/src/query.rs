//! Reading the store: the filters, event rows and aggregations of `dyad_store`'s SQLite
//! queries, in PostgreSQL's dialect. Aggregations answer from the rollups when the filters are
//! ones the rollups keep (actor/dyad codes and dates) and fall back to group-bys over `events`
//! otherwise, exactly when the SQLite store does, so both give the same answers. The rollups
//! hold dated events only: all-time answers add the undated events from `events`.

use crate::{db, write, Conn, PgStore, Result};
use dyad_store::plan::{
    bucketize, code_range, date_bounds, dyad_condition, filter_clauses, month_span, rollup_for,
    FilterSql, Rollup,
};
use dyad_store::{
    from_day_number, ActorCount, ActorOut, ArticleEvent, ArticleOut, Bucket, DyadCount, EventQuery,
    EventStore, EvidenceOut, InsertOutcome, MentionOut, NewArticle, PlaceCount, PlaceOut, RuleOut,
    SeriesPoint, StoreStats, StoredEvent, StoredQuote,
};
use postgres::types::ToSql;
use postgres::{IsolationLevel, Row};

/// A query parameter, with the type its placeholder is cast to.
enum P {
    Text(String),
    Int(i64),
    Small(i16),
    /// A LIMIT: NULL is no limit.
    Limit(Option<i64>),
}

impl P {
    fn value(&self) -> &(dyn ToSql + Sync) {
        match self {
            P::Text(s) => s,
            P::Int(i) => i,
            P::Small(i) => i,
            P::Limit(l) => l,
        }
    }

    fn cast(&self) -> &'static str {
        match self {
            P::Text(_) => "text",
            P::Int(_) | P::Limit(_) => "int8",
            P::Small(_) => "int2",
        }
    }
}

/// A WHERE clause and its parameters.
struct Where {
    clauses: Vec<String>,
    params: Vec<P>,
}

impl Where {
    fn new() -> Self {
        Where {
            clauses: Vec::new(),
            params: Vec::new(),
        }
    }

    fn param(&mut self, p: P) -> String {
        let cast = p.cast();
        self.params.push(p);
        format!("${}::{cast}", self.params.len())
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// `WHERE …` followed by `extra`, or `WHERE extra`.
    fn sql_and(&self, extra: &str) -> String {
        if self.clauses.is_empty() {
            format!("WHERE {extra}")
        } else {
            format!("{} AND {extra}", self.sql())
        }
    }

    fn values(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(P::value).collect()
    }
}

impl FilterSql for Where {
    fn text(&mut self, v: String) -> String {
        self.param(P::Text(v))
    }
    fn int(&mut self, v: i64) -> String {
        self.param(P::Int(v))
    }
    fn quad(&mut self, v: u8) -> String {
        self.param(P::Small(i16::from(v)))
    }
    /// ILIKE with no escape character: SQLite's LIKE for ASCII, and `%`/`_` in the text stay
    /// wildcards as they do there.
    fn contains(&self, column: &str, placeholder: &str) -> String {
        format!("({column} ILIKE '%' || {placeholder} || '%' ESCAPE '')")
    }
    /// The query as a `tsquery` literal of quoted lexemes, bound as a parameter and cast (not
    /// `to_tsquery`: the lexemes are already the index's words, see
    /// `dyad_store::textquery::tsvector_literal`, and must not be parsed again).
    fn text_match(&mut self, q: &dyad_store::textquery::TextQuery) -> String {
        let placeholder = self.param(P::Text(q.to_tsquery()));
        format!(
            "e.id IN (SELECT m.event_id FROM sentences s
                        JOIN mentions m ON m.article_id = s.article_id AND m.sentence = s.idx
                      WHERE s.tsv @@ {placeholder}::tsquery)"
        )
    }
    fn factual(&self) -> String {
        "NOT e.negated AND NOT e.hypothetical".into()
    }
}

fn build_where(q: &EventQuery) -> Result<Where> {
    let mut w = Where::new();
    w.clauses = filter_clauses(q, &mut w)?;
    Ok(w)
}

fn round2(g: f64) -> f64 {
    (g * 100.0).round() / 100.0
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// `e.added_at` as SQLite stores it: UTC, RFC 3339, to the second.
const ADDED_AT: &str = "to_char(e.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

fn event_columns() -> String {
    format!(
        "e.id, e.source_code, e.source_name, e.source_country, e.source_org, e.source_sector,
 e.target_code, e.target_name, e.target_country, e.target_org, e.target_sector,
 e.cameo, e.root, e.cameo_name, e.quad_class, e.goldstein, e.plover, e.plover_mode, e.day,
 e.negated, e.hypothetical, e.place_name, e.place_country, e.lat, e.lon,
 e.num_mentions, e.num_articles, e.num_sources, {ADDED_AT},
 m.article_id, a.key, a.name, a.source, a.url, a.title, m.sentence, m.start, m.\"end\", m.evidence,
 m.rule_file, m.rule_entry, m.pattern_code, m.recoded, m.confidence, m.reported, m.date_text"
    )
}

const EVENT_FROM: &str = "FROM events e LEFT JOIN mentions m ON m.id = e.first_mention
 LEFT JOIN articles a ON a.id = m.article_id";

type PgResult<T> = std::result::Result<T, postgres::Error>;

fn offset_at(r: &Row, i: usize) -> PgResult<usize> {
    Ok(usize::try_from(r.try_get::<_, i32>(i)?).unwrap_or(0))
}

fn actor_at(r: &Row, i: usize) -> PgResult<Option<ActorOut>> {
    let code: String = r.try_get(i)?;
    if code.is_empty() {
        return Ok(None);
    }
    Ok(Some(ActorOut {
        code,
        name: r.try_get(i + 1)?,
        country: r.try_get(i + 2)?,
        org: r.try_get(i + 3)?,
        sector: r.try_get(i + 4)?,
    }))
}

fn mention_at(r: &Row, i: usize) -> PgResult<Option<MentionOut>> {
    let article_id: Option<i64> = r.try_get(i)?;
    let Some(article_id) = article_id else {
        return Ok(None);
    };
    Ok(Some(MentionOut {
        article_id,
        article_key: r.try_get(i + 1)?,
        article_name: r.try_get::<_, Option<String>>(i + 2)?.unwrap_or_default(),
        outlet: r.try_get(i + 3)?,
        url: r.try_get(i + 4)?,
        title: r.try_get(i + 5)?,
        sentence: offset_at(r, i + 6)?,
        evidence: EvidenceOut {
            start: offset_at(r, i + 7)?,
            end: offset_at(r, i + 8)?,
            text: r.try_get(i + 9)?,
        },
        rule: RuleOut {
            file: r.try_get(i + 10)?,
            entry: r.try_get(i + 11)?,
            pattern_code: r.try_get(i + 12)?,
            recoded: r.try_get(i + 13)?,
        },
        confidence: r.try_get(i + 14)?,
        reported: r.try_get(i + 15)?,
        date_text: r.try_get(i + 16)?,
    }))
}

fn event_from_row(r: &Row) -> PgResult<StoredEvent> {
    let place_name: Option<String> = r.try_get(21)?;
    let day: Option<i64> = r.try_get(18)?;
    let quad: Option<i16> = r.try_get(14)?;
    Ok(StoredEvent {
        event_id: r.try_get(0)?,
        source: actor_at(r, 1)?,
        target: actor_at(r, 6)?,
        cameo: r.try_get(11)?,
        root: r.try_get(12)?,
        cameo_name: r.try_get(13)?,
        quad_class: quad.and_then(|q| u8::try_from(q).ok()),
        goldstein: r.try_get(15)?,
        plover: r.try_get(16)?,
        plover_mode: r.try_get(17)?,
        date: day.and_then(from_day_number),
        negated: r.try_get(19)?,
        hypothetical: r.try_get(20)?,
        place: match place_name {
            Some(name) => Some(PlaceOut {
                name,
                country: r.try_get(22)?,
                lat: r.try_get(23)?,
                lon: r.try_get(24)?,
            }),
            None => None,
        },
        num_mentions: count(r.try_get(25)?),
        num_articles: count(r.try_get(26)?),
        num_sources: count(r.try_get(27)?),
        added_at: r.try_get(28)?,
        mention: mention_at(r, 29)?,
    })
}

impl PgStore {
    /// Every row of `sql`, mapped.
    fn rows<T>(
        conn: &mut Conn,
        what: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: impl FnMut(&Row) -> PgResult<T>,
    ) -> Result<Vec<T>> {
        let Conn { client, statements } = conn;
        let st = statements.get(client, sql).map_err(db(what))?;
        let rows = client.query(&st, params).map_err(db(what))?;
        rows.iter()
            .map(map)
            .collect::<PgResult<_>>()
            .map_err(db(what))
    }

    /// `(day, events, mentions, Goldstein sum)` rows.
    fn day_rows(
        conn: &mut Conn,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<(i64, u64, u64, f64)>> {
        Self::rows(conn, "reading a time series", sql, params, |r| {
            Ok((
                r.try_get(0)?,
                count(r.try_get(1)?),
                count(r.try_get(2)?),
                r.try_get(3)?,
            ))
        })
    }

    /// Events between two actors, counted from the dyad rollups, plus the undated ones from
    /// the events table when there is no date range.
    fn dyad_count(
        conn: &mut Conn,
        q: &EventQuery,
        source: Option<&str>,
        target: Option<&str>,
        either: bool,
    ) -> Result<u64> {
        let mut w = Where::new();
        let cond = dyad_condition(&mut w, source, target, either);
        let sql = if q.from.is_some() || q.to.is_some() {
            let (lo, hi) = date_bounds(q);
            let lo = w.int(lo);
            let hi = w.int(hi);
            format!(
                "SELECT coalesce(sum(events), 0)::int8 FROM dyad_day
                 WHERE {cond} AND day BETWEEN {lo} AND {hi}"
            )
        } else {
            format!(
                "SELECT ((SELECT coalesce(sum(events), 0) FROM dyad_totals WHERE {cond})
                       + (SELECT count(*) FROM events WHERE {cond} AND day IS NULL))::int8"
            )
        };
        let n = Self::rows(conn, "counting events", &sql, &w.values(), |r| {
            r.try_get::<_, i64>(0)
        })?;
        Ok(n.first().copied().map(count).unwrap_or(0))
    }
}

impl EventStore for PgStore {
    fn contains(&self, key: Option<&str>, content_hash: &str) -> Result<bool> {
        let mut conn = self.conn()?;
        let found = Self::rows(
            &mut conn,
            "looking an article up",
            "SELECT EXISTS (SELECT 1 FROM articles WHERE key = $1::text)
                 OR EXISTS (SELECT 1 FROM articles WHERE content_hash = $2::text)",
            &[&key, &content_hash],
            |r| r.try_get::<_, bool>(0),
        )?;
        Ok(found.first().copied().unwrap_or(false))
    }

    fn insert_batch(&mut self, articles: &[NewArticle]) -> Result<Vec<InsertOutcome>> {
        write::insert_batch(self, articles)
    }

    fn query(&self, q: &EventQuery) -> Result<Vec<StoredEvent>> {
        let mut conn = self.conn()?;
        let mut w = build_where(q)?;
        let limit = w.param(P::Limit(q.limit.map(|l| l as i64)));
        let offset = w.int(q.offset as i64);
        // The page is cut as ids alone (the filter indexes end in day, id), then joined to its
        // rows and first mentions.
        let sql = format!(
            "SELECT {} FROM (SELECT e.id FROM events e {} ORDER BY e.day NULLS FIRST, e.id
                                LIMIT {limit} OFFSET {offset}) page
             JOIN events e ON e.id = page.id
             LEFT JOIN mentions m ON m.id = e.first_mention
             LEFT JOIN articles a ON a.id = m.article_id
             ORDER BY e.day NULLS FIRST, e.id",
            event_columns(),
            w.sql()
        );
        Self::rows(
            &mut conn,
            "querying events",
            &sql,
            &w.values(),
            event_from_row,
        )
    }

    fn count(&self, q: &EventQuery) -> Result<u64> {
        let mut conn = self.conn()?;
        if let Rollup::Dyad {
            source,
            target,
            either,
        } = rollup_for(q)
        {
            return Self::dyad_count(&mut conn, q, source, target, either);
        }
        let w = build_where(q)?;
        let sql = format!("SELECT count(*) FROM events e {}", w.sql());
        let n = Self::rows(&mut conn, "counting events", &sql, &w.values(), |r| {
            r.try_get::<_, i64>(0)
        })?;
        Ok(n.first().copied().map(count).unwrap_or(0))
    }

    fn for_each_event(
        &self,
        q: &EventQuery,
        f: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let mut w = build_where(q)?;
        let limit = w.param(P::Limit(q.limit.map(|l| l as i64)));
        let offset = w.int(q.offset as i64);
        let sql = format!(
            "SELECT {} {EVENT_FROM} {} ORDER BY e.id LIMIT {limit} OFFSET {offset}",
            event_columns(),
            w.sql()
        );
        // Streamed from a connection of its own, so that `f` may use the store.
        let mut client = self.take_spare()?;
        let what = "streaming events";
        let result = (|| -> Result<()> {
            let mut tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(db(what))?;
            let st = tx.prepare(&sql).map_err(db(what))?;
            let portal = tx.bind(&st, &w.values()).map_err(db(what))?;
            const PAGE: i32 = 512;
            loop {
                let rows = tx.query_portal(&portal, PAGE).map_err(db(what))?;
                let n = rows.len();
                for r in &rows {
                    f(event_from_row(r).map_err(db(what))?)?;
                }
                if n < PAGE as usize {
                    break;
                }
            }
            tx.commit().map_err(db(what))
        })();
        self.give_back(client);
        result
    }

    fn event(&self, event_id: i64) -> Result<Option<StoredEvent>> {
        let mut conn = self.conn()?;
        let sql = format!(
            "SELECT {} {EVENT_FROM} WHERE e.id = $1::int8",
            event_columns()
        );
        let mut rows = Self::rows(
            &mut conn,
            "reading an event",
            &sql,
            &[&event_id],
            event_from_row,
        )?;
        Ok(rows.pop())
    }

    fn mentions(&self, event_id: i64) -> Result<Vec<MentionOut>> {
        let mut conn = self.conn()?;
        let rows = Self::rows(
            &mut conn,
            "reading an event's mentions",
            "SELECT m.article_id, a.key, a.name, a.source, a.url, a.title, m.sentence, m.start,
                    m.\"end\", m.evidence, m.rule_file, m.rule_entry, m.pattern_code, m.recoded,
                    m.confidence, m.reported, m.date_text
             FROM mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.event_id = $1::int8 ORDER BY m.id",
            &[&event_id],
            |r| mention_at(r, 0),
        )?;
        Ok(rows.into_iter().flatten().collect())
    }

    fn series(&self, q: &EventQuery, bucket: Bucket) -> Result<Vec<SeriesPoint>> {
        let mut conn = self.conn()?;
        let (lo, hi) = date_bounds(q);
        let rows = match rollup_for(q) {
            Rollup::All => Self::day_rows(
                &mut conn,
                "SELECT day, events, mentions, goldstein_sum FROM day_totals
                 WHERE day BETWEEN $1::int8 AND $2::int8",
                &[&lo, &hi],
            )?,
            Rollup::Actor(code) => {
                let mut w = Where::new();
                let c = code_range(&mut w, "actor_code", code);
                let days = if q.from.is_some() || q.to.is_some() {
                    let lo = w.int(lo);
                    let hi = w.int(hi);
                    format!("AND day BETWEEN {lo} AND {hi}")
                } else {
                    String::new()
                };
                Self::day_rows(
                    &mut conn,
                    &format!(
                        "SELECT day, sum(as_source + as_target)::int8, sum(mentions)::int8,
                                coalesce(sum(goldstein_sum), 0)::float8
                         FROM actor_day WHERE {c} {days} GROUP BY day"
                    ),
                    &w.values(),
                )?
            }
            Rollup::Dyad {
                source,
                target,
                either,
            } => {
                let mut w = Where::new();
                let cond = dyad_condition(&mut w, source, target, either);
                let lo = w.int(lo);
                let hi = w.int(hi);
                Self::day_rows(
                    &mut conn,
                    &format!(
                        "SELECT day, sum(events)::int8, sum(mentions)::int8,
                                coalesce(sum(goldstein_sum), 0)::float8
                         FROM dyad_day WHERE {cond} AND day BETWEEN {lo} AND {hi} GROUP BY day"
                    ),
                    &w.values(),
                )?
            }
            Rollup::None => {
                let w = build_where(q)?;
                Self::day_rows(
                    &mut conn,
                    &format!(
                        "SELECT e.day, count(*), sum(e.num_mentions)::int8,
                                coalesce(sum(e.goldstein), 0)::float8
                         FROM events e {} GROUP BY e.day",
                        w.sql_and("e.day IS NOT NULL")
                    ),
                    &w.values(),
                )?
            }
        };
        Ok(bucketize(rows, bucket))
    }

    fn top_actors(&self, q: &EventQuery, limit: usize) -> Result<Vec<ActorCount>> {
        let map = |r: &Row| -> PgResult<ActorCount> {
            let s = count(r.try_get(1)?);
            let t = count(r.try_get(2)?);
            let g: f64 = r.try_get(3)?;
            Ok(ActorCount {
                code: r.try_get(0)?,
                events: s + t,
                as_source: s,
                as_target: t,
                goldstein_sum: round2(g),
            })
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut conn = self.conn()?;
        if let Rollup::All = rollup_for(q) {
            // Whole months inside the range from the monthly rollup, the days at either end
            // from the daily one; undated events from `events` when there is no range.
            let (lo, hi) = date_bounds(q);
            let (m_lo, m_hi, (covered_lo, covered_hi)) = month_span(q.from, q.to);
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
            let undated = q.from.is_none() && q.to.is_none();
            return Self::rows(
                &mut conn,
                "counting actors",
                "SELECT actor_code, sum(s)::int8, sum(t)::int8, coalesce(sum(g), 0)::float8 FROM (
                   SELECT actor_code, as_source AS s, as_target AS t, goldstein_sum AS g
                     FROM actor_month WHERE month BETWEEN $1::int8 AND $2::int8
                   UNION ALL
                   SELECT actor_code, as_source, as_target, goldstein_sum
                     FROM actor_day WHERE day BETWEEN $3::int8 AND $4::int8
                   UNION ALL
                   SELECT actor_code, as_source, as_target, goldstein_sum
                     FROM actor_day WHERE day BETWEEN $5::int8 AND $6::int8
                   UNION ALL
                   SELECT source_code, 1, 0, coalesce(goldstein, 0) FROM events
                     WHERE $8::bool AND day IS NULL AND source_code <> ''
                   UNION ALL
                   SELECT target_code, 0, 1, coalesce(goldstein, 0) FROM events
                     WHERE $8::bool AND day IS NULL AND target_code <> '') x
                 GROUP BY actor_code ORDER BY sum(s) + sum(t) DESC, actor_code LIMIT $7::int8",
                &[&m_lo, &m_hi, &a_lo, &a_hi, &b_lo, &b_hi, &limit, &undated],
                map,
            );
        }
        let mut w = build_where(q)?;
        let lim = w.int(limit);
        let sql = format!(
            "WITH sel AS (SELECT e.source_code, e.target_code, e.goldstein FROM events e {})
             SELECT code, sum(s)::int8, sum(t)::int8, coalesce(sum(g), 0)::float8 FROM (
               SELECT source_code AS code, 1 AS s, 0 AS t, goldstein AS g FROM sel
                WHERE source_code <> ''
               UNION ALL
               SELECT target_code, 0, 1, goldstein FROM sel WHERE target_code <> '') x
             GROUP BY code ORDER BY sum(s) + sum(t) DESC, code LIMIT {lim}",
            w.sql()
        );
        Self::rows(&mut conn, "counting actors", &sql, &w.values(), map)
    }

    fn top_dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadCount>> {
        let map = |r: &Row| -> PgResult<DyadCount> {
            let g: f64 = r.try_get(4)?;
            Ok(DyadCount {
                source_code: r.try_get(0)?,
                target_code: r.try_get(1)?,
                events: count(r.try_get(2)?),
                mentions: count(r.try_get(3)?),
                goldstein_sum: round2(g),
            })
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let what = "counting dyads";
        let mut conn = self.conn()?;
        if let (Rollup::All, None, None) = (rollup_for(q), q.from, q.to) {
            return Self::rows(
                &mut conn,
                what,
                "SELECT source_code, target_code, sum(events)::int8, sum(mentions)::int8,
                        coalesce(sum(goldstein_sum), 0)::float8
                 FROM (SELECT source_code, target_code, events, mentions, goldstein_sum
                         FROM dyad_totals
                       UNION ALL
                       SELECT source_code, target_code, 1, num_mentions, coalesce(goldstein, 0)
                         FROM events WHERE day IS NULL) x
                 WHERE source_code <> '' AND target_code <> ''
                 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $1::int8",
                &[&limit],
                map,
            );
        }
        if let Rollup::All = rollup_for(q) {
            let (lo, hi) = date_bounds(q);
            return Self::rows(
                &mut conn,
                what,
                "SELECT source_code, target_code, sum(events)::int8, sum(mentions)::int8,
                        coalesce(sum(goldstein_sum), 0)::float8
                 FROM dyad_day WHERE day BETWEEN $1::int8 AND $2::int8
                   AND source_code <> '' AND target_code <> ''
                 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $3::int8",
                &[&lo, &hi, &limit],
                map,
            );
        }
        let mut w = build_where(q)?;
        let lim = w.int(limit);
        let sql = format!(
            "SELECT e.source_code, e.target_code, count(*), sum(e.num_mentions)::int8,
                    coalesce(sum(e.goldstein), 0)::float8
             FROM events e {}
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {lim}",
            w.sql_and("e.source_code <> '' AND e.target_code <> ''")
        );
        Self::rows(&mut conn, what, &sql, &w.values(), map)
    }

    fn top_places(&self, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCount>> {
        let map = |r: &Row| -> PgResult<PlaceCount> {
            let g: f64 = r.try_get(6)?;
            Ok(PlaceCount {
                name: r.try_get(0)?,
                country: r.try_get(1)?,
                lat: r.try_get(2)?,
                lon: r.try_get(3)?,
                events: count(r.try_get(4)?),
                mentions: count(r.try_get(5)?),
                goldstein_sum: round2(g),
            })
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut conn = self.conn()?;
        let mut w = build_where(q)?;
        let lim = w.int(limit);
        let sql = format!(
            "SELECT e.place_name, e.place_country, e.lat, e.lon,
                    count(*), sum(e.num_mentions)::int8, coalesce(sum(e.goldstein), 0)::float8
             FROM events e {}
             GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1 LIMIT {lim}",
            w.sql_and("e.lat IS NOT NULL AND e.lon IS NOT NULL AND e.place_name IS NOT NULL")
        );
        Self::rows(&mut conn, "counting places", &sql, &w.values(), map)
    }

    fn article(&self, article_id: i64) -> Result<Option<ArticleOut>> {
        let what = "reading an article";
        let mut conn = self.conn()?;
        let found = Self::rows(
            &mut conn,
            what,
            "SELECT id, key, name, source, url, title, date, origin, text, sentences
             FROM articles WHERE id = $1::int8",
            &[&article_id],
            |r| {
                let sentences: String = r.try_get(9)?;
                Ok(ArticleOut {
                    article_id: r.try_get(0)?,
                    key: r.try_get(1)?,
                    name: r.try_get(2)?,
                    source: r.try_get(3)?,
                    url: r.try_get(4)?,
                    title: r.try_get(5)?,
                    date: r.try_get(6)?,
                    origin: r.try_get(7)?,
                    text: r.try_get(8)?,
                    sentences: serde_json::from_str(&sentences).unwrap_or_default(),
                    quotes: Vec::new(),
                    events: Vec::new(),
                })
            },
        )?;
        let Some(mut a) = found.into_iter().next() else {
            return Ok(None);
        };
        a.quotes = Self::rows(
            &mut conn,
            what,
            "SELECT sentence, start, \"end\", text, speaker_name, speaker_code, cue, direct
             FROM quotes WHERE article_id = $1::int8 ORDER BY idx",
            &[&article_id],
            |r| {
                Ok(StoredQuote {
                    sentence: offset_at(r, 0)?,
                    start: offset_at(r, 1)?,
                    end: offset_at(r, 2)?,
                    text: r.try_get(3)?,
                    speaker_name: r.try_get(4)?,
                    speaker_code: r.try_get(5)?,
                    cue: r.try_get(6)?,
                    direct: r.try_get(7)?,
                })
            },
        )?;
        a.events = Self::rows(
            &mut conn,
            what,
            "SELECT m.event_id, e.cameo, e.cameo_name, e.source_code, m.source_name,
                    e.target_code, m.target_name, m.sentence, m.start, m.\"end\", m.evidence,
                    m.rule_file, m.rule_entry, m.pattern_code, m.recoded
             FROM mentions m JOIN events e ON e.id = m.event_id
             WHERE m.article_id = $1::int8 ORDER BY m.start, m.id",
            &[&article_id],
            |r| {
                Ok(ArticleEvent {
                    event_id: r.try_get(0)?,
                    cameo: r.try_get(1)?,
                    cameo_name: r.try_get(2)?,
                    source_code: r.try_get(3)?,
                    source_name: r.try_get(4)?,
                    target_code: r.try_get(5)?,
                    target_name: r.try_get(6)?,
                    sentence: offset_at(r, 7)?,
                    evidence: EvidenceOut {
                        start: offset_at(r, 8)?,
                        end: offset_at(r, 9)?,
                        text: r.try_get(10)?,
                    },
                    rule: RuleOut {
                        file: r.try_get(11)?,
                        entry: r.try_get(12)?,
                        pattern_code: r.try_get(13)?,
                        recoded: r.try_get(14)?,
                    },
                })
            },
        )?;
        Ok(Some(a))
    }

    fn stats(&self) -> Result<StoreStats> {
        let mut conn = self.conn()?;
        let rows = Self::rows(
            &mut conn,
            "reading the store's statistics",
            "SELECT (SELECT count(*) FROM articles),
                    (SELECT coalesce(sum(n_sentences), 0)::int8 FROM articles),
                    (SELECT count(*) FROM events), (SELECT count(*) FROM mentions),
                    (SELECT count(*) FROM quotes), (SELECT count(*) FROM actors)",
            &[],
            |r| {
                Ok(StoreStats {
                    articles: count(r.try_get(0)?),
                    sentences: count(r.try_get(1)?),
                    events: count(r.try_get(2)?),
                    mentions: count(r.try_get(3)?),
                    quotes: count(r.try_get(4)?),
                    actors: count(r.try_get(5)?),
                })
            },
        )?;
        Ok(rows.into_iter().next().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_store::StoreError;

    #[test]
    fn placeholders_are_typed_and_numbered() {
        let mut w = Where::new();
        assert_eq!(w.text("RUS".into()), "$1::text");
        assert_eq!(w.int(3), "$2::int8");
        assert_eq!(w.param(P::Small(4)), "$3::int2");
        assert_eq!(w.values().len(), 3);
        let q = EventQuery {
            cameo: Some("19x".into()),
            ..Default::default()
        };
        assert!(matches!(build_where(&q), Err(StoreError::BadQuery(_))));
    }
}
