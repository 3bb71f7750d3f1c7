//! Backend-independent query planning shared by every `EventStore`: which events a filter
//! selects (the WHERE clauses, through a small [`FilterSql`] dialect), which rollup can answer
//! an aggregation, the day range of a query, whole months inside it, and turning per-day rows
//! into buckets. SQL spelling differs by backend; these decisions must not, or the stores would
//! disagree.

use crate::model::{day_number, from_day_number, month_number, Bucket, EventQuery, SeriesPoint};
use crate::query::is_code;
use crate::textquery::TextQuery;
use crate::StoreError;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A filter value, trimmed, if it says anything.
pub fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// What a backend supplies to the shared filter logic: bound parameters (each call binds one
/// and returns its placeholder) and the few tests each SQL dialect spells its own way.
pub trait FilterSql {
    fn text(&mut self, v: String) -> String;
    fn int(&mut self, v: i64) -> String;
    /// The quad class (a small integer column).
    fn quad(&mut self, v: u8) -> String;
    /// `column` contains the text bound at `placeholder`.
    fn contains(&self, column: &str, placeholder: &str) -> String;
    /// `e.id` is an event with a mention in a sentence matching the full-text query `q`
    /// (rendered in the backend's syntax and bound as a parameter, never spliced into SQL).
    fn text_match(&mut self, q: &TextQuery) -> String;
    /// `e` is neither negated nor hypothetical.
    fn factual(&self) -> String;
}

/// `column` holds a code starting with `code`: an IN-list of the known codes with that prefix
/// (from the `codes` table), so indexes led by the code column are searched code by code.
pub fn code_range(sql: &mut impl FilterSql, column: &str, code: &str) -> String {
    let lo = sql.text(code.to_string());
    let hi = sql.text(format!("{code}~"));
    format!("{column} IN (SELECT code FROM codes WHERE code >= {lo} AND code < {hi})")
}

/// The rows of a dyad rollup (or of `events`: same column names) for source and target code
/// prefixes, in one direction or both.
pub fn dyad_condition(
    sql: &mut impl FilterSql,
    source: Option<&str>,
    target: Option<&str>,
    either: bool,
) -> String {
    fn dir(sql: &mut impl FilterSql, s: Option<&str>, t: Option<&str>) -> String {
        let mut parts = Vec::new();
        if let Some(s) = s {
            parts.push(code_range(sql, "source_code", s));
        }
        if let Some(t) = t {
            parts.push(code_range(sql, "target_code", t));
        }
        if parts.is_empty() {
            parts.push("1 = 1".to_string());
        }
        parts.join(" AND ")
    }
    let cond = dir(sql, source, target);
    if either {
        let rev = dir(sql, target, source);
        return format!("(({cond}) OR ({rev}))");
    }
    cond
}

/// A code-prefix test, or a name-fragment test, on one side (`source` or `target`) of `e`.
fn side_test(sql: &mut impl FilterSql, side: &str, value: &str) -> String {
    if is_code(value) {
        code_range(sql, &format!("e.{side}_code"), value)
    } else {
        let p = sql.text(value.to_string());
        sql.contains(&format!("e.{side}_name"), &p)
    }
}

/// The WHERE clauses (to be joined with AND) that select the events `q` asks for, over the
/// `events` table aliased `e`; bad filter values are `BadQuery` errors.
pub fn filter_clauses(q: &EventQuery, sql: &mut impl FilterSql) -> Result<Vec<String>, StoreError> {
    // PostgreSQL cannot hold a NUL in text: refused alike by every store (the full-text query
    // treats it as a separator).
    for (name, v) in [
        ("actor", &q.actor),
        ("source", &q.source),
        ("target", &q.target),
        ("country", &q.country),
        ("sector", &q.sector),
        ("cameo", &q.cameo),
        ("plover", &q.plover),
        ("place", &q.place),
    ] {
        if v.as_deref().is_some_and(|v| v.contains('\0')) {
            return Err(StoreError::BadQuery(format!(
                "`{name}` contains a NUL character"
            )));
        }
    }
    let mut w = Vec::new();
    if let Some(a) = nonempty(&q.actor) {
        let s = side_test(sql, "source", a);
        let t = side_test(sql, "target", a);
        w.push(format!("({s} OR {t})"));
    }
    match (nonempty(&q.source), nonempty(&q.target)) {
        (Some(s), Some(t)) if q.either_direction => {
            let st = side_test(sql, "source", s);
            let tt = side_test(sql, "target", t);
            let ts = side_test(sql, "source", t);
            let ss = side_test(sql, "target", s);
            w.push(format!("(({st} AND {tt}) OR ({ts} AND {ss}))"));
        }
        (s, t) => {
            if let Some(s) = s {
                w.push(side_test(sql, "source", s));
            }
            if let Some(t) = t {
                w.push(side_test(sql, "target", t));
            }
        }
    }
    if let Some(c) = nonempty(&q.country) {
        let p = sql.text(c.to_ascii_uppercase());
        w.push(format!(
            "(e.source_country = {p} OR e.target_country = {p})"
        ));
    }
    if let Some(s) = nonempty(&q.sector) {
        let p = sql.text(s.to_ascii_uppercase());
        w.push(format!("(e.source_sector = {p} OR e.target_sector = {p})"));
    }
    if let Some(c) = nonempty(&q.cameo) {
        if !c.bytes().all(|b| b.is_ascii_digit()) || c.len() > 4 {
            return Err(StoreError::BadQuery(format!(
                "`{c}` is not a CAMEO code or prefix (1 to 4 digits)"
            )));
        }
        // A prefix range on the code (a root is its first two digits) uses events_cameo.
        let lo = sql.text(c.to_string());
        let hi = sql.text(format!("{c}~"));
        w.push(format!("(e.cameo >= {lo} AND e.cameo < {hi})"));
    }
    if let Some(p) = nonempty(&q.plover) {
        let p = sql.text(p.to_ascii_uppercase());
        w.push(format!("e.plover = {p}"));
    }
    if let Some(qc) = q.quad_class {
        if !(1..=4).contains(&qc) {
            return Err(StoreError::BadQuery(format!(
                "quad class {qc} is not 1, 2, 3 or 4"
            )));
        }
        let p = sql.quad(qc);
        w.push(format!("e.quad_class = {p}"));
    }
    if let Some(d) = q.from {
        let p = sql.int(day_number(d));
        w.push(format!("e.day >= {p}"));
    }
    if let Some(d) = q.to {
        let p = sql.int(day_number(d));
        w.push(format!("e.day <= {p}"));
    }
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if f > t {
            return Err(StoreError::BadQuery(format!(
                "the date range is empty: {f} is after {t}"
            )));
        }
    }
    if let Some(pl) = nonempty(&q.place) {
        let p = sql.text(pl.to_string());
        if pl.len() == 3 && pl.bytes().all(|b| b.is_ascii_uppercase()) {
            w.push(format!("e.place_country = {p}"));
        } else {
            w.push(sql.contains("e.place_name", &p));
        }
    }
    if let Some(t) = nonempty(&q.text) {
        let parsed = TextQuery::parse(t)?;
        w.push(sql.text_match(&parsed));
    }
    if q.factual_only {
        w.push(sql.factual());
    }
    Ok(w)
}

/// Which rollup, if any, can answer an aggregation over `q`.
pub enum Rollup<'q> {
    /// Only dates: any rollup.
    All,
    /// Source and/or target codes (and dates): `dyad_day`.
    Dyad {
        source: Option<&'q str>,
        target: Option<&'q str>,
        either: bool,
    },
    /// One actor code on either side (and dates): `actor_day`.
    Actor(&'q str),
    None,
}

/// The rollup that answers aggregations over `q`, or `Rollup::None` for the events table.
pub fn rollup_for(q: &EventQuery) -> Rollup<'_> {
    let other = nonempty(&q.country).is_some()
        || nonempty(&q.sector).is_some()
        || nonempty(&q.cameo).is_some()
        || nonempty(&q.plover).is_some()
        || q.quad_class.is_some()
        || nonempty(&q.place).is_some()
        || nonempty(&q.text).is_some()
        || q.factual_only;
    if other {
        return Rollup::None;
    }
    fn code(s: &Option<String>) -> Option<(&str, bool)> {
        nonempty(s).map(|v| (v, is_code(v)))
    }
    match (code(&q.actor), code(&q.source), code(&q.target)) {
        (None, None, None) => Rollup::All,
        (Some((a, true)), None, None) => Rollup::Actor(a),
        (None, s, t) if s.is_none_or(|(_, c)| c) && t.is_none_or(|(_, c)| c) => Rollup::Dyad {
            source: s.map(|v| v.0),
            target: t.map(|v| v.0),
            either: q.either_direction && s.is_some() && t.is_some(),
        },
        _ => Rollup::None,
    }
}

/// `[from, to]` as day numbers, open ends as the extremes.
pub fn date_bounds(q: &EventQuery) -> (i64, i64) {
    (
        q.from.map(day_number).unwrap_or(i64::MIN),
        q.to.map(day_number).unwrap_or(i64::MAX),
    )
}

/// Per-day rows `(day, events, mentions, goldstein_sum)` summed into buckets, Goldstein sums
/// rounded to two decimals.
pub fn bucketize(rows: Vec<(i64, u64, u64, f64)>, bucket: Bucket) -> Vec<SeriesPoint> {
    let mut acc: BTreeMap<NaiveDate, SeriesPoint> = BTreeMap::new();
    for (day, events, mentions, g) in rows {
        let Some(d) = from_day_number(day) else {
            continue;
        };
        let period = bucket.start(d);
        let p = acc.entry(period).or_insert(SeriesPoint {
            period,
            events: 0,
            mentions: 0,
            goldstein_sum: 0.0,
        });
        p.events += events;
        p.mentions += mentions;
        p.goldstein_sum += g;
    }
    acc.into_values()
        .map(|mut p| {
            p.goldstein_sum = (p.goldstein_sum * 100.0).round() / 100.0;
            p
        })
        .collect()
}

/// The months wholly inside `[from, to]` (as month numbers, `lo > hi` when none) and the day
/// range they cover (days inside it are read from the monthly rollup, not the daily one).
pub fn month_span(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (i64, i64, (i64, i64)) {
    use chrono::Datelike;
    let first_full = match from {
        None => i64::MIN,
        Some(d) if d.day() == 1 => month_number(d),
        Some(d) => month_number(d) + 1,
    };
    let last_full = match to {
        None => i64::MAX,
        Some(d) => {
            let next = d.succ_opt().unwrap_or(d);
            if next.month() != d.month() {
                month_number(d)
            } else {
                month_number(d) - 1
            }
        }
    };
    if first_full > last_full {
        // No whole month: everything from the daily rollup.
        return (1, 0, (i64::MAX, i64::MIN));
    }
    let start_day = if first_full == i64::MIN {
        i64::MIN
    } else {
        month_start_day(first_full)
    };
    let end_day = if last_full == i64::MAX {
        i64::MAX
    } else {
        month_start_day(last_full + 1) - 1
    };
    (first_full, last_full, (start_day, end_day))
}

/// The day number of the first day of a month number.
pub fn month_start_day(month: i64) -> i64 {
    let year = month.div_euclid(12) as i32;
    let m = month.rem_euclid(12) as u32 + 1;
    NaiveDate::from_ymd_opt(year, m, 1)
        .map(day_number)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_spans() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        // 2020-09-15 .. 2020-12-10: October and November whole.
        let (lo, hi, (a, b)) = month_span(d("2020-09-15"), d("2020-12-10"));
        assert_eq!((lo, hi), (2020 * 12 + 9, 2020 * 12 + 10));
        assert_eq!(from_day_number(a), d("2020-10-01"));
        assert_eq!(from_day_number(b), d("2020-11-30"));
        // Inside one month: no whole month.
        let (lo, hi, _) = month_span(d("2020-10-02"), d("2020-10-30"));
        assert!(lo > hi);
        // A whole month exactly.
        let (lo, hi, _) = month_span(d("2020-10-01"), d("2020-10-31"));
        assert_eq!(lo, hi);
    }
}
