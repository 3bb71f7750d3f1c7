//! Discard lists (`*.discards.txt`): phrases that mark a sentence (or, with a leading `+`, a
//! whole story) as not to be coded — sports, entertainment, weather.
//!
//! A phrase matches case-insensitively at the start of a word; a trailing `_` also requires it
//! to end at a word boundary, otherwise it is a stem (`BASEBALL` matches `baseballs`).

use crate::lines::logical_lines;
use crate::{PetrarchError, Warning};

/// Whether a discard drops the sentence or the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardScope {
    Sentence,
    Story,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscardEntry {
    pub line: usize,
    /// Lower-case words separated by single spaces.
    pub phrase: String,
    /// Must end at a word boundary (written with a trailing `_`).
    pub exact: bool,
    pub scope: DiscardScope,
}

/// The parsed contents of a discard file.
#[derive(Debug, Clone, Default)]
pub struct Discards {
    pub entries: Vec<DiscardEntry>,
    pub warnings: Vec<Warning>,
}

/// Parses a discard list.
pub fn parse_discards(_file: &str, text: &str) -> Result<Discards, PetrarchError> {
    let mut out = Discards::default();
    for line in logical_lines(text) {
        let (scope, rest) = match line.text.strip_prefix('+') {
            Some(r) => (DiscardScope::Story, r),
            None => (DiscardScope::Sentence, line.text.as_str()),
        };
        let rest = rest.trim();
        let exact = rest.ends_with('_');
        let phrase = rest
            .replace('_', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if phrase.is_empty() {
            continue;
        }
        out.entries.push(DiscardEntry {
            line: line.no,
            phrase,
            exact,
            scope,
        });
    }
    Ok(out)
}

impl Discards {
    /// The first entry that matches `text`, if any (story discards are checked first).
    pub fn check(&self, text: &str) -> Option<&DiscardEntry> {
        let norm = normalize(text);
        let hit = |e: &&DiscardEntry| {
            let mut from = 0;
            while let Some(p) = norm[from..].find(e.phrase.as_str()) {
                let start = from + p;
                let end = start + e.phrase.len();
                let starts_word = start == 0 || !is_word_byte(norm.as_bytes()[start - 1]);
                let ends_word = end == norm.len() || !is_word_byte(norm.as_bytes()[end]);
                if starts_word && (!e.exact || ends_word) {
                    return true;
                }
                from = start + 1;
            }
            false
        };
        self.entries
            .iter()
            .filter(|e| e.scope == DiscardScope::Story)
            .find(hit)
            .or_else(|| {
                self.entries
                    .iter()
                    .filter(|e| e.scope == DiscardScope::Sentence)
                    .find(hit)
            })
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Lower case, white space collapsed.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_exact_and_scope() {
        let d = parse_discards("d.txt", "MONTHS LATER\n+TYPHOON   # x\nBASEBALL\nESPN_\n")
            .expect("parses");
        assert_eq!(d.entries.len(), 4);
        assert_eq!(
            d.check("a typhoon hit").map(|e| e.scope),
            Some(DiscardScope::Story)
        );
        assert_eq!(
            d.check("restore baseballs").map(|e| e.phrase.as_str()),
            Some("baseball")
        );
        assert!(d.check("ESPN2 said").is_none());
        assert!(d.check("ESPN said").is_some());
        assert!(d.check("nothing here, months ago").is_none());
        assert!(d.check("Six MONTHS  LATER, peace").is_some());
        assert!(d.check("antibaseball").is_none());
    }
}
