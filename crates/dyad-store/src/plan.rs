//! Backend-independent query planning shared by every `EventStore`: which rollup can answer an
//! aggregation, the day range of a query, whole months inside it, and turning per-day rows into
//! buckets. SQL differs by backend; these decisions must not, or the stores would disagree.

use crate::model::{day_number, from_day_number, month_number, Bucket, EventQuery, SeriesPoint};
use crate::query::is_code;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A filter value, trimmed, if it says anything.
pub fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
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
