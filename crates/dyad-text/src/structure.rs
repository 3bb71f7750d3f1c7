//! Article structure: which sentences are the headline, and which tokens are furniture (a
//! dateline, a byline, a "Related:" line) rather than text to code.
//!
//! News copy arrives as "Headline\n\nLONDON (Reuters) - Body …". Read as text, the headline is a
//! second, target-less telling of the lead's event ("Boko Haram Kills 70"), and a dateline's city
//! becomes an actor. The structure layer says what each part is; later stages decide what to do
//! with it (actors skip furniture, the event stage merges headline events into the body's).

use crate::{Document, Token, TokenKind};
use std::ops::Range;

/// The parts of an article that are not running text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structure {
    /// Sentence indices of the headline, when the article opens with one.
    pub headline: Option<Range<usize>>,
    /// The headline capitalizes its words ("Japan Summons Chinese Ambassador"): capitals there
    /// say nothing about names.
    pub headline_title_case: bool,
    /// Token ranges (sorted, disjoint) that are furniture: datelines, bylines, credit lines.
    pub furniture: Vec<Range<usize>>,
}

impl Structure {
    pub fn is_headline(&self, sentence: usize) -> bool {
        self.headline
            .as_ref()
            .is_some_and(|h| h.contains(&sentence))
    }
}

/// A headline is at most this many tokens.
const MAX_HEADLINE_TOKENS: usize = 30;
/// A dateline ends (at its dash) within this many tokens of the paragraph start.
const MAX_DATELINE_TOKENS: usize = 16;

/// Paragraph openings that mark a line as furniture, not text.
const FURNITURE_OPENERS: &[&str] = &[
    "related",
    "read more",
    "see also",
    "file photo",
    "photo",
    "caption",
    "advertisement",
    "subscribe",
    "share this",
];

pub(crate) fn analyse(doc: &Document) -> Structure {
    let mut st = Structure::default();
    let paras = paragraphs(doc);
    if paras.len() >= 2 {
        let first = &paras[0];
        let toks = doc.sentences[first.start].tokens.start..doc.sentences[first.end - 1].tokens.end;
        if is_headline(doc, toks.clone()) {
            st.headline = Some(first.clone());
            st.headline_title_case = is_title_case(doc, toks);
        }
    }
    for p in &paras {
        let toks = doc.sentences[p.start].tokens.start..doc.sentences[p.end - 1].tokens.end;
        if let Some(r) = furniture_line(doc, toks.clone()) {
            st.furniture.push(r);
        } else if let Some(r) = dateline(doc, toks) {
            st.furniture.push(r);
        }
    }
    st
}

/// Sentence ranges of each paragraph.
fn paragraphs(doc: &Document) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, s) in doc.sentences.iter().enumerate() {
        match out.last_mut() {
            Some(r) if doc.sentences[r.start].paragraph == s.paragraph => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// A short opening paragraph that does not end like a sentence ("Japan Summons Chinese
/// Ambassador Over Island Dispute"), or one written in title case.
fn is_headline(doc: &Document, toks: Range<usize>) -> bool {
    if toks.is_empty() || toks.len() > MAX_HEADLINE_TOKENS {
        return false;
    }
    let last = &doc.tokens[toks.end - 1];
    let ends_as_sentence = last.kind == TokenKind::Final && doc.norm(toks.end - 1) == ".";
    !ends_as_sentence || is_title_case(doc, toks)
}

/// Most longer words capitalized.
fn is_title_case(doc: &Document, toks: Range<usize>) -> bool {
    let long: Vec<&Token> = doc.tokens[toks]
        .iter()
        .filter(|t| t.kind == TokenKind::Word && t.span.len() > 3)
        .collect();
    long.len() >= 3 && long.iter().filter(|t| t.upper).count() * 10 >= long.len() * 8
}

fn furniture_line(doc: &Document, toks: Range<usize>) -> Option<Range<usize>> {
    if toks.is_empty() {
        return None;
    }
    let head: String = (toks.start..toks.end.min(toks.start + 3))
        .map(|t| doc.norm(t))
        .collect::<Vec<_>>()
        .join(" ");
    let opener = FURNITURE_OPENERS
        .iter()
        .any(|o| head.starts_with(o) && head[o.len()..].trim_start().starts_with([':', '|', '-']));
    // "By Jane Smith": a byline on its own line.
    let byline = doc.norm(toks.start) == "by"
        && toks.len() <= 8
        && doc.tokens[toks.start + 1..toks.end]
            .iter()
            .all(|t| t.upper || t.kind != TokenKind::Word || matches!(t.span.len(), 1..=3));
    (opener || byline).then_some(toks)
}

/// "LONDON -", "DUBAI (Reuters) –", "KARACHI, Pakistan (AA) -", "Jane Smith - KABUL -": the
/// tokens up to and including the last dash of a paragraph-opening run of place and agency
/// names with at least one all-capitals word or a parenthesized agency.
fn dateline(doc: &Document, toks: Range<usize>) -> Option<Range<usize>> {
    let end = toks.end.min(toks.start + MAX_DATELINE_TOKENS);
    let mut last_dash = None;
    let mut caps = false;
    let mut agency = false;
    let mut depth = 0usize;
    for t in toks.start..end {
        let tok = &doc.tokens[t];
        let w = doc.norm(t);
        let s = doc.surface(t);
        match w {
            "(" => depth += 1,
            ")" => {
                depth = depth.saturating_sub(1);
                agency = true;
            }
            "-" | "--" | "\u{2013}" | "\u{2014}" if depth == 0 => {
                // A hyphen inside a name ("Nagorno-Karabakh") is glued on both sides.
                let spaced = t > toks.start
                    && doc.tokens[t - 1].span.end < tok.span.start
                    && t + 1 < toks.end
                    && tok.span.end < doc.tokens[t + 1].span.start;
                if !spaced {
                    return last_dash
                        .filter(|_| caps || agency)
                        .map(|d| toks.start..d + 1);
                }
                if t == toks.start {
                    return None;
                }
                last_dash = Some(t);
            }
            _ if depth > 0 => {}
            "," | "." => {}
            _ if tok.kind == TokenKind::Number => {}
            _ if tok.kind == TokenKind::Word && tok.upper => {
                let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
                if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
                    caps = true;
                }
            }
            _ => break,
        }
    }
    let dash = last_dash.filter(|_| caps || agency)?;
    Some(toks.start..dash + 1)
}

#[cfg(test)]
mod tests {
    use crate::Document;

    fn furniture_text(d: &Document) -> Vec<String> {
        d.structure
            .furniture
            .iter()
            .map(|r| d.surface_range(r.clone()).to_string())
            .collect()
    }

    #[test]
    fn headline_then_body() {
        let d = Document::new(
            "Rebels Seize Border Town After Week of Fighting\n\nRebels seized the town on Monday. \
             The army retreated.",
        );
        assert_eq!(d.structure.headline, Some(0..1));
        assert!(d.structure.headline_title_case);
        assert!(d.structure.is_headline(0));
        assert!(!d.structure.is_headline(1));
    }

    #[test]
    fn a_first_paragraph_that_reads_as_text_is_no_headline() {
        let d = Document::new(
            "The army retreated from the town on Monday after a week of fighting.\n\nIt was \
             the third retreat this year.",
        );
        assert_eq!(d.structure.headline, None);
        // A single paragraph has no headline either.
        let d = Document::new("Rebels Seize Border Town");
        assert_eq!(d.structure.headline, None);
    }

    #[test]
    fn datelines_and_bylines_are_furniture() {
        let d = Document::new(
            "Ministers Meet\n\nBy Ana Lopez\n\nMADRID (Agencia) - Spain and Portugal signed \
             a water treaty.\n\nPORTO ALEGRE, Brazil — Farmers protested.",
        );
        assert_eq!(
            furniture_text(&d),
            vec![
                "By Ana Lopez",
                "MADRID (Agencia) -",
                "PORTO ALEGRE, Brazil —"
            ]
        );
    }

    #[test]
    fn reporter_name_before_the_dateline() {
        let d = Document::new("Ana Lopez - QUITO, Ecuador (Wire) - Police detained ten men.");
        assert_eq!(
            furniture_text(&d),
            vec!["Ana Lopez - QUITO, Ecuador (Wire) -"]
        );
    }

    #[test]
    fn hyphenated_names_and_plain_openings_are_not_datelines() {
        let d = Document::new("Nagorno-Karabakh forces shelled the city.");
        assert!(d.structure.furniture.is_empty());
        let d = Document::new("Police - who had been warned - stayed away.");
        assert!(d.structure.furniture.is_empty());
        let d = Document::new("Related: Ten things to know\n\nThe talks resumed.");
        assert_eq!(furniture_text(&d), vec!["Related: Ten things to know"]);
    }
}
