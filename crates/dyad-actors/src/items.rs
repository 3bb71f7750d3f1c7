//! Lexical items of a sentence: dictionary matches (one automaton pass over the document's
//! folded text) and the unknown capitalized names between them, with surnames and
//! transliteration variants resolved to people already known.

use crate::name_key::{name_key, token_key};
use crate::{ActorId, Entry, State};
use dyad_text::TokenKind;
use std::ops::Range;

/// Capitalized words that start sentences or headlines but are no names.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "however",
    "yesterday",
    "today",
    "tomorrow",
    "this",
    "that",
    "these",
    "those",
    "such",
    "through",
    "quoted",
    "in",
    "on",
    "at",
    "for",
    "from",
    "with",
    "after",
    "before",
    "during",
    "while",
    "when",
    "as",
    "if",
    "nor",
    "meanwhile",
    "earlier",
    "later",
    "last",
    "next",
    "according",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "its",
    "there",
    "here",
    "also",
    "both",
    "all",
    "some",
    "many",
    "several",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "by",
    "despite",
    "since",
    "until",
    "under",
    "over",
    "what",
    "who",
    "which",
    "where",
    "why",
    "how",
    "not",
    "no",
    "one",
    "two",
    "three",
    "so",
    "then",
    "thus",
    "still",
    "yet",
    "even",
    "already",
    "instead",
    "other",
    "another",
    "each",
    "every",
    "most",
    "more",
    "first",
    "second",
    "new",
    "officials",
    "sources",
    "is",
    "are",
    "was",
];

/// [`NOT_NAMES`] as a set: checked for every capitalized token.
static NOT_NAME_SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| NOT_NAMES.iter().copied().collect());

/// One lexical item in a sentence: a dictionary match or an unknown capitalized name.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) tokens: Range<usize>,
    pub(crate) kind: ItemKind,
}

#[derive(Debug, Clone)]
pub(crate) enum ItemKind {
    Lex(u32),
    /// A known person found by name key (transliteration variants).
    Person(u32),
    /// A capitalized name with no dictionary entry.
    Name,
}

impl State<'_> {
    /// Dictionary matches over the whole document, in token order, never overlapping and never
    /// crossing a sentence boundary.
    pub(crate) fn lex_items(&self) -> Vec<Item> {
        let doc = self.doc;
        let mut items = Vec::new();
        let mut covered_to = 0usize;
        for (s, e, pat) in self.lex.find(&doc.folded) {
            // The match starts at the separating space before its first token.
            let Some(first) = doc.token_at_norm(s + 1) else {
                continue;
            };
            let Some(last) = doc.token_ending_at_norm(e) else {
                continue;
            };
            if first < covered_to || doc.tokens[first].sentence != doc.tokens[last].sentence {
                continue;
            }
            // Lower-case matches of entries that are only names when capitalized ("Jordan"
            // the country vs "jordan" is fine; but "turkey", "chad", "china" the nouns): a
            // single-token country/person/org match must be capitalized.
            let entries = self.lex.entries(pat);
            let needs_cap = entries.iter().all(|e| {
                matches!(
                    e,
                    Entry::Person(_)
                        | Entry::Org(_)
                        | Entry::Country(_)
                        | Entry::Capital(_)
                        | Entry::Place(_)
                        | Entry::Seat(_)
                        | Entry::Adjective(_)
                        | Entry::Demonym(_)
                )
            });
            if needs_cap && !(first..=last).any(|t| doc.tokens[t].upper) {
                continue;
            }
            // "military sites", "civilian facilities", "official media": these role words are
            // adjectives before a noun.
            if first == last
                && matches!(
                    doc.norm(first),
                    "military" | "civilian" | "official" | "general" | "paramilitary"
                )
            {
                let next = last + 1;
                let noun_follows = next < doc.tokens.len()
                    && doc.tokens[next].kind == TokenKind::Word
                    && !doc.tokens[next].upper
                    && !matches!(
                        doc.norm(next),
                        "and"
                            | "or"
                            | "of"
                            | "in"
                            | "on"
                            | "at"
                            | "to"
                            | "for"
                            | "with"
                            | "from"
                            | "said"
                            | "says"
                            | "has"
                            | "have"
                            | "had"
                            | "was"
                            | "were"
                            | "is"
                            | "are"
                            | "will"
                            | "would"
                            | "who"
                            | "which"
                            | "that"
                    );
                if noun_follows {
                    continue;
                }
            }
            items.push(Item {
                tokens: first..last + 1,
                kind: ItemKind::Lex(pat),
            });
            covered_to = last + 1;
        }
        items
    }

    /// A sentence's dictionary matches plus the capitalized names between them.
    pub(crate) fn with_names(&self, lex: &[Item], range: Range<usize>) -> Vec<Item> {
        let doc = self.doc;
        let mut items = lex.to_vec();
        let mut names = Vec::new();
        let mut next_item = 0;
        let mut t = range.start;
        while t < range.end {
            while next_item < items.len() && items[next_item].tokens.end <= t {
                next_item += 1;
            }
            if next_item < items.len() && items[next_item].tokens.start <= t {
                t = items[next_item].tokens.end;
                continue;
            }
            if self.name_token(t) {
                let mut e = t + 1;
                let limit = next_item_start(&items, next_item, range.end);
                while e < limit && e - t < 5 && doc.tokens[e].sentence == doc.tokens[t].sentence {
                    let particle = matches!(
                        doc.norm(e),
                        "bin"
                            | "ibn"
                            | "al"
                            | "el"
                            | "de"
                            | "da"
                            | "van"
                            | "von"
                            | "-"
                            | "la"
                            | "le"
                            | "abu"
                            | "abd"
                            | "dos"
                            | "del"
                    ) && e + 1 < limit
                        && (self.name_token(e + 1) || doc.norm(e + 1) == "-");
                    if !(self.name_token(e) || particle) {
                        break;
                    }
                    e += 1;
                }
                while e > t + 1 && doc.norm(e - 1) == "-" {
                    e -= 1;
                }
                names.extend(self.name_item(t..e, range.start));
                t = e;
                continue;
            }
            t += 1;
        }
        items.extend(names);
        items.sort_by_key(|i| i.tokens.start);
        items
    }

    /// A token that can be part of a person's name.
    fn name_token(&self, t: usize) -> bool {
        let tok = &self.doc.tokens[t];
        if !tok.upper || tok.kind != TokenKind::Word || self.doc.is_furniture(t) {
            return false;
        }
        // In a title-case headline every word is capitalized: only dictionary names count.
        let st = &self.doc.structure;
        if st.headline_title_case && st.is_headline(tok.sentence as usize) {
            return false;
        }
        let n = self.doc.norm(t);
        if NOT_NAME_SET.contains(n) {
            return false;
        }
        // An all-capitals word of 2–5 letters is an acronym, not a name.
        let s = self.doc.surface(t);
        !(s.len() <= 5 && s.len() > 1 && s.chars().all(|c| c.is_uppercase()))
    }

    /// Resolves a capitalized run: a dictionary person by name key, a surname seen earlier in
    /// the article, a surname unique in the dictionaries, or an unknown name.
    fn name_item(&self, r: Range<usize>, sentence_start: usize) -> Option<Item> {
        let toks: Vec<&str> = r
            .clone()
            .map(|t| self.doc.norm(t))
            .filter(|n| *n != "-")
            .collect();
        let key = name_key(toks.iter().copied());
        if let [p] = self.lex.people_by_key(&key) {
            return Some(Item {
                tokens: r,
                kind: ItemKind::Person(*p),
            });
        }
        if toks.len() == 1 {
            if let Some(ActorId::Person(p)) = self.doc_names.get(&key) {
                return Some(Item {
                    tokens: r,
                    kind: ItemKind::Person(*p),
                });
            }
            if self.doc_names.contains_key(&key) {
                return Some(Item {
                    tokens: r,
                    kind: ItemKind::Name,
                });
            }
            // A surname alone: only when one dictionary person has it.
            if let [p] = self.lex.people_by_surname(&token_key(toks[0])) {
                return Some(Item {
                    tokens: r,
                    kind: ItemKind::Person(*p),
                });
            }
            // A lone capitalized word opening a sentence ("Overnight, …") is no name.
            if r.start == sentence_start {
                return None;
            }
        }
        Some(Item {
            tokens: r,
            kind: ItemKind::Name,
        })
    }
}

fn next_item_start(items: &[Item], next: usize, n: usize) -> usize {
    items.get(next).map_or(n, |i| i.tokens.start)
}
