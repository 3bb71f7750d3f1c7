//! dyad's document model: one [`Document`] per article holding the text, its tokens and its
//! sentences, every piece addressed by byte offsets into the original text.
//!
//! Every later stage (actors, dates, quotes, events) reads a `Document` and produces annotations
//! that point back into it, so evidence can always be shown as a span of the article.
//!
//! Tokens carry a *folded* form: ASCII (via `any_ascii`), lower case. All folded forms are laid
//! out in one string, [`Document::folded`], each preceded by a single space, so that dictionary
//! matching can run one multi-pattern automaton over the whole article.

mod structure;
mod tokenize;

pub use structure::Structure;

pub use tokenize::{fold, fold_phrase, tokenize_into};

use std::ops::Range;

/// A byte range into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// What a token is, as far as later stages care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    /// A double quotation mark; see [`QuoteMark`] for which way it faces.
    Quote(QuoteMark),
    /// Sentence-internal punctuation: `, ; : ( ) - --` and the like.
    Punct,
    /// Sentence-final punctuation: `. ! ? …`.
    Final,
}

/// The direction of a quotation mark, where the typography tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteMark {
    Open,
    Close,
    /// A straight `"`: direction decided from the surrounding spaces.
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Bytes of the token in [`Document::text`].
    pub span: Span,
    /// Bytes of the folded form in [`Document::folded`].
    pub norm: (u32, u32),
    pub kind: TokenKind,
    /// The original starts with an upper-case letter.
    pub upper: bool,
    /// Index of the sentence holding this token.
    pub sentence: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Indices into [`Document::tokens`].
    pub tokens: Range<usize>,
    /// Paragraph number (0-based): a blank line starts a new paragraph.
    pub paragraph: usize,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// Folded token forms, each preceded by one space: `" russian president vladimir putin"`.
    pub folded: String,
    /// Headline, dateline, byline: the parts that are not running text.
    pub structure: Structure,
}

/// Sentences longer than this many tokens are cut into pieces of this size, so that no later
/// stage ever sees an unbounded sentence (a 100 MB line with no full stop stays linear).
pub const MAX_SENTENCE_TOKENS: usize = 300;

impl Document {
    /// Builds the document: tokenizes `text` and splits it into sentences.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let mut tokens = Vec::new();
        let mut folded = String::with_capacity(text.len() + text.len() / 5);
        tokenize_into(&text, &mut tokens, &mut folded);
        let sentences = segment(&text, &mut tokens);
        let mut doc = Document {
            text,
            tokens,
            sentences,
            folded,
            structure: Structure::default(),
        };
        doc.structure = structure::analyse(&doc);
        doc
    }

    /// Whether token `i` is article furniture (a dateline, a byline), not text to code.
    pub fn is_furniture(&self, i: usize) -> bool {
        let f = &self.structure.furniture;
        let k = f.partition_point(|r| r.end <= i);
        k < f.len() && f[k].contains(&i)
    }

    /// The folded form of token `i`.
    pub fn norm(&self, i: usize) -> &str {
        let (s, e) = self.tokens[i].norm;
        &self.folded[s as usize..e as usize]
    }

    /// The original text of token `i`.
    pub fn surface(&self, i: usize) -> &str {
        let sp = self.tokens[i].span;
        &self.text[sp.start..sp.end]
    }

    /// The original text covering tokens `range` (inclusive of what lies between them).
    pub fn surface_range(&self, range: Range<usize>) -> &str {
        if range.is_empty() {
            return "";
        }
        let s = self.tokens[range.start].span.start;
        let e = self.tokens[range.end - 1].span.end;
        &self.text[s..e]
    }

    /// Byte span covering tokens `range`.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        if range.is_empty() {
            return Span::default();
        }
        Span::new(
            self.tokens[range.start].span.start,
            self.tokens[range.end - 1].span.end,
        )
    }

    /// Finds the token whose folded form starts at byte `pos` of [`Document::folded`]
    /// (the position right after the separating space).
    pub fn token_at_norm(&self, pos: usize) -> Option<usize> {
        self.tokens
            .binary_search_by_key(&(pos as u32), |t| t.norm.0)
            .ok()
    }

    /// Finds the token whose folded form ends at byte `pos` of [`Document::folded`].
    pub fn token_ending_at_norm(&self, pos: usize) -> Option<usize> {
        self.tokens
            .binary_search_by_key(&(pos as u32), |t| t.norm.1)
            .ok()
    }

    pub fn is_word(&self, i: usize, w: &str) -> bool {
        i < self.tokens.len() && self.norm(i) == w
    }
}

/// Splits the text into sentences with `sentencex` and assigns every token to one.
fn segment(text: &str, tokens: &mut [Token]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    if tokens.is_empty() {
        return sentences;
    }
    let breaks = paragraph_breaks(text);
    let mut ti = 0usize;
    // Sentence ranges first, so that a split before a lower-case word can be undone.
    let mut ranges: Vec<(Range<usize>, usize)> = Vec::new();
    for b in sentencex::get_sentence_boundaries("en", text) {
        let first = ti;
        while ti < tokens.len() && tokens[ti].span.start < b.end_byte {
            ti += 1;
        }
        if first < ti {
            let para = breaks.partition_point(|&p| p <= tokens[first].span.start);
            ranges.push((first..ti, para));
        }
    }
    if ti < tokens.len() {
        let para = breaks.partition_point(|&p| p <= tokens[ti].span.start);
        ranges.push((ti..tokens.len(), para));
    }
    // A paragraph break always ends a sentence (a headline with no full stop, a byline).
    let mut split: Vec<(Range<usize>, usize)> = Vec::with_capacity(ranges.len());
    for (r, para) in ranges {
        let mut start = r.start;
        let mut para = para;
        for (t, tok) in tokens.iter().enumerate().take(r.end).skip(r.start + 1) {
            let p = breaks.partition_point(|&b| b <= tok.span.start);
            if p != para {
                split.push((start..t, para));
                start = t;
                para = p;
            }
        }
        split.push((start..r.end, para));
    }
    let ranges = split;
    let mut merged: Vec<(Range<usize>, usize)> = Vec::with_capacity(ranges.len());
    for (r, para) in ranges {
        // "the Organization for Security's mechanisms. and Cooperation in Europe": a sentence
        // never starts with a lower-case word inside a paragraph; glue it back.
        let lower_start = {
            let t = &tokens[r.start];
            t.kind == TokenKind::Word
                && !t.upper
                && text[t.span.start..].starts_with(|c: char| c.is_lowercase())
        };
        match merged.last_mut() {
            Some((prev, p)) if lower_start && *p == para => prev.end = r.end,
            _ => merged.push((r, para)),
        }
    }
    for (r, para) in merged {
        push_sentence(&mut sentences, tokens, r, para);
    }
    sentences
}

/// Byte positions where a new paragraph starts: after a line that is empty or blank.
fn paragraph_breaks(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // "Rebels Seize Town\nRebels seized …": a short first line that does not end like a sentence
    // is a headline of its own, even without a blank line after it.
    if let Some(nl) = memchr_newline(bytes) {
        let line = text[..nl].trim_end();
        let next = text[nl + 1..].trim_start();
        let ends_open = !line.ends_with(['.', '!', '?', ':', ';', ',', '"', '\u{201d}']);
        if !line.is_empty()
            && line.len() <= 200
            && ends_open
            && next.starts_with(|c: char| c.is_uppercase())
        {
            let start = text.len() - next.len();
            if start > nl {
                out.push(start);
            }
        }
    }
    let mut i = 0;
    while let Some(off) = memchr_newline(&bytes[i..]) {
        let nl = i + off;
        // Look past spaces for a second newline.
        let mut j = nl + 1;
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r') {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'\n' {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if out.last() != Some(&j) {
                out.push(j);
            }
            i = j;
        } else {
            i = nl + 1;
        }
        if i >= bytes.len() {
            break;
        }
    }
    out
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

fn push_sentence(
    sentences: &mut Vec<Sentence>,
    tokens: &mut [Token],
    range: Range<usize>,
    paragraph: usize,
) {
    let mut start = range.start;
    while start < range.end {
        let end = (start + MAX_SENTENCE_TOKENS).min(range.end);
        let idx = sentences.len() as u32;
        for t in &mut tokens[start..end] {
            t.sentence = idx;
        }
        sentences.push(Sentence {
            span: Span::new(tokens[start].span.start, tokens[end - 1].span.end),
            tokens: start..end,
            paragraph,
        });
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_offsets() {
        let d = Document::new("Russia’s Foreign Ministry didn't say “no”.");
        let norms: Vec<&str> = (0..d.tokens.len()).map(|i| d.norm(i)).collect();
        assert_eq!(
            norms,
            vec!["russia", "'s", "foreign", "ministry", "did", "n't", "say", "\"", "no", "\"", "."]
        );
        assert_eq!(d.surface(0), "Russia");
        assert_eq!(d.tokens[7].kind, TokenKind::Quote(QuoteMark::Open));
        assert_eq!(d.tokens[9].kind, TokenKind::Quote(QuoteMark::Close));
        assert!(d.tokens[0].upper);
        assert!(!d.tokens[4].upper);
    }

    #[test]
    fn folds_accents_and_keeps_abbreviations() {
        let d = Document::new("Ceyhún Bairámov met U.S. envoys in Nagorno-Karabakh.");
        assert_eq!(d.norm(0), "ceyhun");
        assert_eq!(d.norm(1), "bairamov");
        assert_eq!(d.norm(3), "u.s.");
        assert_eq!(d.norm(7), "-");
        assert_eq!(d.sentences.len(), 1);
    }

    #[test]
    fn sentences_and_paragraphs() {
        let d = Document::new("First one. Second one.\n\nThird one in a new paragraph.");
        assert_eq!(d.sentences.len(), 3);
        assert_eq!(d.sentences[0].paragraph, 0);
        assert_eq!(d.sentences[1].paragraph, 0);
        assert_eq!(d.sentences[2].paragraph, 1);
        for (i, s) in d.sentences.iter().enumerate() {
            for t in s.tokens.clone() {
                assert_eq!(d.tokens[t].sentence as usize, i);
            }
        }
    }

    #[test]
    fn long_sentence_is_cut() {
        let text = "word ".repeat(MAX_SENTENCE_TOKENS * 3 + 7);
        let d = Document::new(text);
        assert_eq!(d.sentences.len(), 4);
        assert!(d
            .sentences
            .iter()
            .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    }

    #[test]
    fn folded_positions_round_trip() {
        let d = Document::new("Putin and Macron spoke.");
        for i in 0..d.tokens.len() {
            assert_eq!(d.token_at_norm(d.tokens[i].norm.0 as usize), Some(i));
            assert_eq!(d.token_ending_at_norm(d.tokens[i].norm.1 as usize), Some(i));
        }
    }

    #[test]
    fn empty_text() {
        let d = Document::new("");
        assert!(d.tokens.is_empty());
        assert!(d.sentences.is_empty());
    }
}
