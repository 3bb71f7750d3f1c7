//! What goes into the store and what comes out of it.

use chrono::{Datelike, NaiveDate};
use dyad_coder::CodedArticle;
use serde::Serialize;

/// One coded article ready to be stored.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The id the input gave the article (JSON Lines `id`, feed guid, canonical URL), if any.
    pub key: Option<String>,
    /// SHA-256 (hex) of the normalized text: see [`crate::content_hash`].
    pub content_hash: String,
    /// Where it came from: `path:line`, `path#item3`, or a URL.
    pub origin: String,
    pub text: String,
    pub lang: Option<String>,
    pub coded: CodedArticle,
}

/// What storing one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted {
        article_id: i64,
        /// Events this article created.
        new_events: usize,
        /// Event mentions stored (new events plus mentions merged into existing ones).
        mentions: usize,
        sentences: usize,
    },
    /// Already stored (same key or same normalized text): nothing was written.
    Duplicate { article_id: i64 },
}

/// What a run of inserts did, summed over their outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InsertTally {
    /// Articles stored.
    pub stored: u64,
    /// Articles found already stored.
    pub duplicates: u64,
    /// Events created.
    pub events: u64,
    /// Event mentions stored.
    pub mentions: u64,
    pub sentences: u64,
}

impl InsertTally {
    /// Adds the outcomes of one `insert_batch`.
    pub fn add(&mut self, outcomes: &[InsertOutcome]) {
        for o in outcomes {
            match *o {
                InsertOutcome::Inserted {
                    new_events,
                    mentions,
                    sentences,
                    ..
                } => {
                    self.stored += 1;
                    self.events += new_events as u64;
                    self.mentions += mentions as u64;
                    self.sentences += sentences as u64;
                }
                InsertOutcome::Duplicate { .. } => self.duplicates += 1,
            }
        }
    }
}

/// An actor as stored with an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorOut {
    pub name: Option<String>,
    pub code: String,
    pub country: Option<String>,
    pub org: Option<String>,
    pub sector: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceOut {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// Evidence of an event: the first mention's sentence span and the rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionOut {
    pub article_id: i64,
    pub article_key: Option<String>,
    pub article_name: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub sentence: usize,
    pub evidence: EvidenceOut,
    pub rule: RuleOut,
    pub confidence: f64,
    pub reported: bool,
    pub date_text: Option<String>,
}

/// Evidence spans and rules are the coder's own types, stored and given back unchanged.
pub use dyad_coder::{Evidence as EvidenceOut, RuleOut};

/// A deduplicated event, shaped like `dyad code`'s events plus its counts and first mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    pub event_id: i64,
    pub source: Option<ActorOut>,
    pub target: Option<ActorOut>,
    pub cameo: String,
    pub root: String,
    pub cameo_name: Option<String>,
    pub plover: Option<String>,
    pub plover_mode: Option<String>,
    pub goldstein: Option<f64>,
    pub quad_class: Option<u8>,
    pub date: Option<NaiveDate>,
    pub place: Option<PlaceOut>,
    pub negated: bool,
    pub hypothetical: bool,
    pub num_mentions: u64,
    pub num_articles: u64,
    pub num_sources: u64,
    /// When the event was first stored (UTC, RFC 3339).
    pub added_at: String,
    /// The first mention: its article, sentence, evidence and rule.
    pub mention: Option<MentionOut>,
}

/// Which stored events a query selects. Empty fields do not filter. Actor codes match as
/// prefixes (`RUS` matches `RUS`, `RUSGOV`, `RUSMIL`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    /// Either side: a code prefix, or a name fragment when it is not an upper-case code.
    pub actor: Option<String>,
    /// Source side (code prefix or name fragment).
    pub source: Option<String>,
    /// Target side (code prefix or name fragment).
    pub target: Option<String>,
    /// With `source` and `target`: also match the reverse direction.
    pub either_direction: bool,
    /// ISO 3166 alpha-3 of either side.
    pub country: Option<String>,
    /// Sector of either side (GOV, MIL, REB, …).
    pub sector: Option<String>,
    /// CAMEO code prefix (`19`, `190`, `0871`).
    pub cameo: Option<String>,
    pub plover: Option<String>,
    pub quad_class: Option<u8>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Place name fragment or country code of the event's location.
    pub place: Option<String>,
    /// FTS5 query over the sentences of the event's mentions.
    pub text: Option<String>,
    /// Leave out negated and hypothetical events.
    pub factual_only: bool,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// Time-series bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    /// ISO weeks, named by their Monday.
    Week,
    Month,
}

impl Bucket {
    /// The first day of the bucket holding `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => d,
            Bucket::Week => d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday())),
            Bucket::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// First day of the bucket.
    pub period: NaiveDate,
    pub events: u64,
    pub mentions: u64,
    pub goldstein_sum: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorCount {
    pub code: String,
    pub events: u64,
    pub as_source: u64,
    pub as_target: u64,
    pub goldstein_sum: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DyadCount {
    pub source_code: String,
    pub target_code: String,
    pub events: u64,
    pub mentions: u64,
    pub goldstein_sum: f64,
}

/// Events at one located place, for maps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCount {
    pub name: String,
    /// ISO 3166 alpha-3 of the country the place lies in, when known.
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub events: u64,
    pub mentions: u64,
    pub goldstein_sum: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StoreStats {
    pub articles: u64,
    pub sentences: u64,
    pub events: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub actors: u64,
}

/// A stored article with its coded sentences, for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleOut {
    pub article_id: i64,
    pub key: Option<String>,
    pub name: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub origin: String,
    pub text: String,
    /// `[start, end, paragraph]` byte offsets into `text`.
    pub sentences: Vec<[usize; 3]>,
    pub quotes: Vec<StoredQuote>,
    /// Every event mention found in this article, in text order.
    pub events: Vec<ArticleEvent>,
}

/// A quote of a stored article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredQuote {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub speaker_name: Option<String>,
    pub speaker_code: Option<String>,
    pub cue: Option<String>,
    pub direct: bool,
}

/// An event mention inside a stored article, with the event it was folded into.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleEvent {
    pub event_id: i64,
    pub cameo: String,
    pub cameo_name: Option<String>,
    pub source_code: String,
    pub source_name: Option<String>,
    pub target_code: String,
    pub target_name: Option<String>,
    pub sentence: usize,
    pub evidence: EvidenceOut,
    pub rule: RuleOut,
}

/// Days since 1970-01-01: the integer the store keeps dates as.
pub fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

pub fn from_day_number(n: i64) -> Option<NaiveDate> {
    i32::try_from(n + 719_163)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Months since year 0 (`year * 12 + month - 1`): the key of the monthly rollup.
pub fn month_number(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(1970, 1, 1).expect("date");
        assert_eq!(day_number(d), 0);
        let d = NaiveDate::from_ymd_opt(2020, 10, 1).expect("date");
        assert_eq!(from_day_number(day_number(d)), Some(d));
        assert_eq!(month_number(d), 2020 * 12 + 9);
    }

    #[test]
    fn buckets() {
        let d = NaiveDate::from_ymd_opt(2020, 10, 1).expect("date"); // a Thursday
        assert_eq!(Bucket::Week.start(d).to_string(), "2020-09-28");
        assert_eq!(Bucket::Month.start(d).to_string(), "2020-10-01");
        assert_eq!(Bucket::Day.start(d), d);
    }
}
