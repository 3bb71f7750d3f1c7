//! Tokenizer and folding. Hand-written because its rules are dyad's contract with the
//! dictionaries: a dictionary phrase is folded by [`fold_phrase`] with exactly the rules that
//! produced [`crate::Document::folded`], so the two always meet.

use crate::{QuoteMark, Span, Token, TokenKind};

/// Folds one token: ASCII transliteration, lower case, typographic apostrophes to `'`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        for c in s.chars() {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_apostrophe(c) {
            out.push('\'');
        } else {
            for a in any_ascii::any_ascii_char(c).chars() {
                out.push(a.to_ascii_lowercase());
            }
        }
    }
}

/// Folds a multi-word phrase (a dictionary entry) into the space-prefixed token sequence it
/// has inside [`crate::Document::folded`]: `"Nagorno-Karabakh"` → `" nagorno - karabakh"`.
pub fn fold_phrase(phrase: &str) -> String {
    let mut toks = Vec::new();
    let mut folded = String::new();
    tokenize_into(phrase, &mut toks, &mut folded);
    folded
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

fn quote_mark(c: char) -> Option<QuoteMark> {
    match c {
        '“' | '«' | '„' | '‟' => Some(QuoteMark::Open),
        '”' | '»' => Some(QuoteMark::Close),
        '"' | '＂' => Some(QuoteMark::Either),
        _ => None,
    }
}

/// Length in bytes of an `n't` clitic glued to the previous word at `start`, if there is one.
fn negation_clitic(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let mut ch = rest.chars();
    let n = ch.next()?;
    let ap = ch.next()?;
    let t = ch.next()?;
    let after = ch.next();
    let glued = text[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic);
    (glued
        && n.eq_ignore_ascii_case(&'n')
        && is_apostrophe(ap)
        && t.eq_ignore_ascii_case(&'t')
        && !after.is_some_and(char::is_alphabetic))
    .then(|| n.len_utf8() + ap.len_utf8() + t.len_utf8())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Tokenizes `text`, appending tokens to `tokens` and their folded forms (space-prefixed) to
/// `folded`. Offsets are byte offsets into `text`.
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>, folded: &mut String) {
    let mut pos = 0usize;
    while let Some(c) = text[pos..].chars().next() {
        let start = pos;
        let mut end = start + c.len_utf8();
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' {
            pos = end;
            continue;
        }
        let kind;
        if let Some(len) = negation_clitic(text, start) {
            // The "n't" of "didn't", split off by the word branch below.
            end = start + len;
            kind = TokenKind::Word;
        } else if is_word_char(c) {
            end = word_end(text, start);
            kind = if text[start..end]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
        } else if let Some(q) = quote_mark(c) {
            kind = TokenKind::Quote(q);
        } else if is_apostrophe(c) {
            // "'s", "'ll" glued to the previous word; or a lone single quote.
            let rest_len: usize = text[end..]
                .chars()
                .take_while(|x| x.is_alphabetic())
                .map(char::len_utf8)
                .sum();
            let low = text[end..end + rest_len].to_ascii_lowercase();
            let glued = text[..start].chars().next_back().is_some_and(is_word_char);
            if glued && matches!(low.as_str(), "s" | "ll" | "re" | "ve" | "d") {
                end += rest_len;
                kind = TokenKind::Word;
            } else {
                kind = TokenKind::Punct;
            }
        } else {
            kind = match c {
                '.' | '!' | '?' | '…' => TokenKind::Final,
                _ => TokenKind::Punct,
            };
            // Runs of the same punctuation ("...", "--", "!!") are one token.
            if !matches!(c, '(' | ')' | '[' | ']') {
                while text[end..].starts_with(c) {
                    end += c.len_utf8();
                }
            }
        }
        push(text, start, end, kind, tokens, folded);
        pos = end;
    }
}

/// End of the word starting at `start`: letters/digits, with internal apostrophes
/// ("O'Brien"), periods of abbreviations ("U.S.") and digit separators ("25,000", "3.5").
/// Stops before a clitic `'s` / `n't`.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut all_digits = true;
    let mut run = 0usize; // length of the current letter run
    let mut abbrev = true; // only single letters separated by periods so far
    while let Some(n) = text[end..].chars().next() {
        if is_word_char(n) {
            if (n == 'n' || n == 'N') && negation_clitic(text, end).is_some() {
                break;
            }
            all_digits &= n.is_ascii_digit();
            run += 1;
            if run > 1 {
                abbrev = false;
            }
            end += n.len_utf8();
            continue;
        }
        let after = &text[end + n.len_utf8()..];
        let next = after.chars().next();
        if (n == ',' || n == '.') && all_digits && next.is_some_and(|x| x.is_ascii_digit()) {
            end += 1;
            continue;
        }
        if n == '.' && abbrev && run == 1 {
            let mut ch = after.chars();
            let (a, b) = (ch.next(), ch.next());
            if a.is_some_and(char::is_alphabetic) && b == Some('.') {
                // "U." followed by "S.": keep going.
                end += 1;
                run = 0;
                continue;
            }
            if end - start > 1 {
                // The final period of "U.S." belongs to the token.
                end += 1;
            }
            break;
        }
        if is_apostrophe(n) && next.is_some_and(char::is_alphabetic) {
            let rest: String = after.chars().take_while(|x| x.is_alphabetic()).collect();
            let low = rest.to_ascii_lowercase();
            if matches!(low.as_str(), "s" | "ll" | "re" | "ve" | "d") {
                break;
            }
            end += n.len_utf8();
            run = 0;
            abbrev = false;
            continue;
        }
        break;
    }
    end.max(start + text[start..].chars().next().map_or(1, char::len_utf8))
}

fn push(
    text: &str,
    start: usize,
    end: usize,
    kind: TokenKind,
    tokens: &mut Vec<Token>,
    folded: &mut String,
) {
    let s = &text[start..end];
    folded.push(' ');
    let ns = folded.len();
    match kind {
        TokenKind::Quote(_) => folded.push('"'),
        _ => match s.chars().next() {
            Some('–' | '—' | '―') => folded.push_str("--"),
            Some('…') => folded.push_str("..."),
            _ => fold_into(s, folded),
        },
    }
    let ne = folded.len();
    let upper = s.chars().next().is_some_and(|c| c.is_uppercase());
    tokens.push(Token {
        span: Span::new(start, end),
        norm: (ns as u32, ne as u32),
        kind,
        upper,
        sentence: 0,
    });
}
