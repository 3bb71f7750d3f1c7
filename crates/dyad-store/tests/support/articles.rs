//! Coded test articles, shared by the tests of every `EventStore` (`dyad-store`'s and
//! `dyad-pgstore`'s include this file), so both stores are fed exactly the same input.

use chrono::NaiveDate;
use dyad_coder::{Article, Coder};
use dyad_store::{content_hash, NewArticle};
use std::sync::OnceLock;

pub fn coder() -> &'static Coder {
    static C: OnceLock<Coder> = OnceLock::new();
    C.get_or_init(|| Coder::embedded().expect("embedded dictionaries"))
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// An article from `outlet` dated `day`, keyed by `id`, coded.
pub fn article(id: &str, outlet: &str, day: &str, text: &str) -> NewArticle {
    let a = Article {
        id: id.into(),
        date: Some(date(day)),
        text: text.into(),
        source: Some(outlet.into()),
        url: Some(format!("https://{}.example/{id}", outlet.to_lowercase())),
        ..Article::default()
    };
    NewArticle {
        key: Some(id.into()),
        content_hash: content_hash(text),
        origin: format!("test:{id}"),
        text: text.into(),
        lang: None,
        coded: coder().code_for_store(&a),
    }
}

/// An article with no date: its events have none either, and stay out of the rollups.
pub fn undated(id: &str, text: &str) -> NewArticle {
    let mut a = article(id, "Undated Post", "2000-01-01", text);
    a.coded = coder().code_for_store(&Article {
        id: id.into(),
        text: text.into(),
        ..Article::default()
    });
    assert!(a.coded.events.iter().all(|e| e.date.is_none()));
    a
}
