//! Helpers shared by the coder's behaviour tests: one coder over the embedded dictionaries,
//! coding a text on a date, and events as (source code, target code, CAMEO code) triples.

#![allow(dead_code)] // each test file uses its own subset

use dyad_coder::{Article, CodedArticle, Coder};
use std::sync::OnceLock;

pub fn coder() -> &'static Coder {
    static C: OnceLock<Coder> = OnceLock::new();
    C.get_or_init(|| Coder::embedded().expect("embedded dictionaries compile"))
}

pub fn code_on(text: &str, date: &str) -> CodedArticle {
    coder().code(&Article {
        id: "t".into(),
        date: dyad_coder::input::parse_date(date),
        text: text.into(),
        ..Article::default()
    })
}

/// (source code, target code, CAMEO code) of every event.
pub fn triples(c: &CodedArticle) -> Vec<(String, String, String)> {
    c.events
        .iter()
        .map(|e| {
            (
                e.source.as_ref().map_or("-".into(), |a| a.code.clone()),
                e.target.as_ref().map_or("-".into(), |a| a.code.clone()),
                e.cameo.clone(),
            )
        })
        .collect()
}

/// How many events have codes starting with `src`, `tgt` and `root`.
pub fn count(c: &CodedArticle, src: &str, tgt: &str, root: &str) -> usize {
    triples(c)
        .iter()
        .filter(|(s, t, code)| s.starts_with(src) && t.starts_with(tgt) && code.starts_with(root))
        .count()
}
