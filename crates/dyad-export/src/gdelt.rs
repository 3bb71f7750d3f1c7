//! The GDELT 2.0 event table layout: 61 tab-separated columns, no header. Which columns dyad
//! fills, and how, is listed in `docs/export.md`.

use crate::clean;
use chrono::{Datelike, NaiveDate};
use dyad_store::{ActorOut, StoredEvent};

/// ISO 3166 alpha-3 → FIPS 10-4 (GDELT's geographic country codes), one `iso3\tfips\tname`
/// row per country; facts, kept as data.
const ISO3_FIPS: &str = include_str!("../data/iso3_fips.tsv");

/// The FIPS 10-4 code of an ISO alpha-3 country code, if it has one. The table is indexed
/// once: this runs for every exported event with a place.
pub fn fips(iso3: &str) -> Option<&'static str> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            ISO3_FIPS
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let mut cols = line.split('\t');
                    Some((cols.next()?, cols.next()?))
                })
                .collect()
        })
        .get(iso3)
        .copied()
}

/// Number of columns in a GDELT 2.0 event row.
pub const GDELT_COLUMNS: usize = 61;

fn actor(a: &Option<ActorOut>) -> [String; 10] {
    let Some(a) = a else {
        return Default::default();
    };
    [
        a.code.clone(),
        clean(&a.name.as_deref().unwrap_or("").to_uppercase()),
        a.country.clone().unwrap_or_default(),
        // Known group: IGOs, NGOs and armed groups are organizations in dyad.
        a.org.clone().unwrap_or_default(),
        String::new(), // ethnic code
        String::new(), // religion 1
        String::new(), // religion 2
        a.sector.clone().unwrap_or_default(),
        String::new(), // type 2
        String::new(), // type 3
    ]
}

fn fraction_date(d: NaiveDate) -> String {
    format!(
        "{:.4}",
        f64::from(d.year()) + f64::from(d.ordinal0()) / 365.0
    )
}

/// One event as a GDELT 2.0 row.
pub fn row(e: &StoredEvent) -> Vec<String> {
    let mut r: Vec<String> = Vec::with_capacity(GDELT_COLUMNS);
    r.push(e.event_id.to_string());
    match e.date {
        Some(d) => {
            r.push(d.format("%Y%m%d").to_string());
            r.push(d.format("%Y%m").to_string());
            r.push(d.year().to_string());
            r.push(fraction_date(d));
        }
        None => r.extend([String::new(), String::new(), String::new(), String::new()]),
    }
    r.extend(actor(&e.source));
    r.extend(actor(&e.target));
    let m = e.mention.as_ref();
    // IsRootEvent: found in the article's first sentence (the headline or lead).
    r.push(
        if m.is_some_and(|m| m.sentence == 0) {
            "1"
        } else {
            "0"
        }
        .to_string(),
    );
    r.push(e.cameo.clone());
    r.push(e.cameo.get(..3).unwrap_or(&e.cameo).to_string());
    r.push(e.root.clone());
    r.push(e.quad_class.map(|q| q.to_string()).unwrap_or_default());
    r.push(e.goldstein.map(|g| g.to_string()).unwrap_or_default());
    r.push(e.num_mentions.to_string());
    r.push(e.num_sources.to_string());
    r.push(e.num_articles.to_string());
    r.push(String::new()); // AvgTone: dyad does not score tone
                           // Actor1Geo and Actor2Geo: dyad does not geolocate actors.
    for _ in 0..16 {
        r.push(String::new());
    }
    // ActionGeo: the place the event is reported at.
    match &e.place {
        Some(p) => {
            let is_country = p.lat.is_none() && p.country.as_deref().is_some_and(|c| c.len() == 3);
            r.push(if is_country { "1" } else { "4" }.to_string());
            r.push(clean(&p.name));
            // GDELT's geographic columns use FIPS 10-4, not ISO.
            r.push(
                p.country
                    .as_deref()
                    .and_then(fips)
                    .unwrap_or_default()
                    .to_string(),
            );
            r.push(String::new());
            r.push(String::new());
            r.push(p.lat.map(|v| v.to_string()).unwrap_or_default());
            r.push(p.lon.map(|v| v.to_string()).unwrap_or_default());
            r.push(String::new());
        }
        None => {
            for _ in 0..8 {
                r.push(String::new());
            }
        }
    }
    r.push(
        chrono::DateTime::parse_from_rfc3339(&e.added_at)
            .map(|d| d.format("%Y%m%d%H%M%S").to_string())
            .unwrap_or_default(),
    );
    r.push(
        m.and_then(|m| m.url.clone())
            .map(|u| clean(&u))
            .unwrap_or_default(),
    );
    debug_assert_eq!(r.len(), GDELT_COLUMNS);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_table() {
        assert_eq!(fips("DEU"), Some("GM"));
        assert_eq!(fips("GBR"), Some("UK"));
        assert_eq!(fips("AZE"), Some("AJ"));
        assert_eq!(fips("XKX"), Some("KV"));
        assert_eq!(fips("ZZZ"), None);
        let mut seen = std::collections::HashSet::new();
        for line in ISO3_FIPS.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{line}");
            assert!(
                cols[0].len() == 3 && cols[0].bytes().all(|b| b.is_ascii_uppercase()),
                "{line}"
            );
            assert!(
                cols[1].len() == 2 && cols[1].bytes().all(|b| b.is_ascii_uppercase()),
                "{line}"
            );
            assert!(seen.insert(cols[0]), "{line}");
        }
        assert!(seen.len() > 240);
    }
}
