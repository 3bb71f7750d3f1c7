//! The full-text query syntax of `EventQuery::text`, parsed once here for every store, and the
//! tokenizer both stores index sentences with.
//!
//! # Syntax
//!
//! - **words**: runs of Unicode letters and digits; every other character separates words, so
//!   `RUS:GOV` is the two words `rus gov` and `al-Bashir` is `al bashir`. Words are folded as
//!   the index folds them: lower-cased, and Latin letters lose their diacritics (`Zürich` is
//!   `zurich`). Several words must all occur in the sentence (implicit AND).
//! - **"quoted phrases"**: the words in this order, next to each other. A quote left open
//!   runs to the end of the query.
//! - **prefix**: `negot*` matches every word starting with `negot`; `"peace talk"*` makes the
//!   last word of a phrase a prefix.
//! - **OR** (upper case) between two terms: either will do (`talks OR negotiations`); it binds
//!   tighter than the implicit AND (`peace talks OR negotiations` is peace AND (talks OR
//!   negotiations)).
//! - **exclusion**: `-word`, `-"a phrase"` or `NOT word`: sentences with it are left out. At
//!   least one term must be searched for.
//! - an upper-case `AND` between terms is allowed and changes nothing.
//! - a word joined to others by punctuation (`al-Bashir`) is its words, each required; after
//!   `-`/`NOT` or beside `OR` it is taken as a phrase.
//! - `OR`, `NOT` or `AND` where no term is on both sides (`a OR`, `NOT`) are the words `or`,
//!   `not`, `and`.
//!
//! Limits ([`TextQueryError`]): at most [`MAX_QUERY_BYTES`] bytes, [`MAX_TERMS`] words in all,
//! [`MAX_WORD_CHARS`] characters a word; a query with no word, or only exclusions, is refused.
//!
//! The parsed [`TextQuery`] renders to an SQLite FTS5 expression ([`TextQuery::to_fts5`]) in
//! which every word is a double-quoted string, so no FTS5 operator can come from the user, and
//! to a PostgreSQL `tsquery` ([`TextQuery::to_tsquery`]) of quoted lexemes; both are bound as
//! parameters.
//!
//! # Tokenizer
//!
//! [`index_words`] splits and folds text as SQLite's FTS5 `unicode61 remove_diacritics 2`
//! tokenizer (the `sentences_fts` table) does: token characters are the general categories
//! L\*, N\* and Co, plus the combining diacritics U+0300–U+036F, which fold away; case is
//! folded (`ς` as `σ`); Latin letters lose their diacritics (`ł`, `ø` and non-Latin letters
//! keep theirs). The PostgreSQL store indexes exactly these words (see
//! [`tsvector_literal`]), so both stores find the same sentences for the same query.

use unicode_normalization::char::decompose_canonical;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Longest query, in bytes.
pub const MAX_QUERY_BYTES: usize = 1000;
/// Most words in a query (phrase words count one each).
pub const MAX_TERMS: usize = 32;
/// Longest word, in characters.
pub const MAX_WORD_CHARS: usize = 100;

/// Why a full-text query cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextQueryError {
    #[error("the query is {0} bytes long; at most {MAX_QUERY_BYTES} are allowed")]
    TooLong(usize),
    #[error("the word `{word}…` is {chars} characters long; at most {MAX_WORD_CHARS} are allowed")]
    WordTooLong { word: String, chars: usize },
    #[error("the query has {0} words; at most {MAX_TERMS} are allowed")]
    TooManyTerms(usize),
    #[error("no word to search for (words are runs of letters and digits)")]
    NoTerms,
    #[error("only exclusions (-word, NOT word): give at least one word to search for")]
    OnlyExclusions,
}

/// One term: a word (one element) or a phrase, its last word possibly a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Folded words, in order; never empty.
    pub words: Vec<String>,
    pub prefix: bool,
}

/// A parsed query: every group must match (a group matches when one of its terms does), and
/// no excluded term may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    /// Never empty; no group is empty.
    pub groups: Vec<Vec<Term>>,
    pub exclude: Vec<Term>,
}

/// Whether FTS5's `unicode61` tokenizer keeps `c` in a token.
fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    ) || c.general_category() == GeneralCategory::PrivateUse
        || is_diacritic(c)
}

/// A combining diacritic that `remove_diacritics` drops.
fn is_diacritic(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Appends `c` folded as the index folds it.
fn push_folded(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        let l = if l == 'ς' { 'σ' } else { l };
        if is_diacritic(l) {
            continue;
        }
        let latin = matches!(l as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF);
        if latin {
            // The base letter of a letter with diacritics (ằ → a); others stay (ł, ø).
            let mut base = None;
            let mut only_marks = true;
            decompose_canonical(l, |d| {
                if base.is_none() {
                    base = Some(d);
                } else if !is_diacritic(d) {
                    only_marks = false;
                }
            });
            match base {
                Some(b) if only_marks && b != l => out.push(b),
                _ => out.push(l),
            }
        } else {
            out.push(l);
        }
    }
}

/// The words of `text`, folded, in order, as the full-text index holds them.
pub fn index_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_token_char(c) {
            push_folded(&mut cur, c);
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Lexemes PostgreSQL refuses in a `tsvector` (longer than 2,047 bytes); no query word can be
/// that long, so leaving them out changes no answer.
const MAX_LEXEME_BYTES: usize = 2047;
/// Last position a `tsvector` records.
const MAX_POSITION: usize = 16383;

/// The PostgreSQL `tsvector` literal of `text`'s words with their positions (1-based), for a
/// `::tsvector` cast: the PostgreSQL store's full-text index of a sentence.
pub fn tsvector_literal(text: &str) -> String {
    let mut out = String::new();
    for (i, w) in index_words(text).iter().enumerate() {
        if w.len() > MAX_LEXEME_BYTES {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        quote_lexeme(&mut out, w);
        out.push(':');
        out.push_str(&(i + 1).min(MAX_POSITION).to_string());
    }
    out
}

/// `'word'`, with quotes and backslashes escaped as `tsvector`/`tsquery` input wants.
fn quote_lexeme(out: &mut String, w: &str) {
    out.push('\'');
    for c in w.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// `"word"` for FTS5, with double quotes doubled.
fn quote_fts5(out: &mut String, w: &str) {
    out.push('"');
    for c in w.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

/// A lexed token.
enum Tok {
    Term {
        words: Vec<String>,
        prefix: bool,
        negated: bool,
        quoted: bool,
    },
    Or,
    Not,
    And,
}

fn lex(input: &str) -> Vec<Tok> {
    let chars: Vec<char> = input.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            negated = true;
            i += 1;
        }
        if chars.get(i) == Some(&'"') {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && chars[end] != '"' {
                end += 1;
            }
            let body: String = chars[start..end].iter().collect();
            i = (end + 1).min(chars.len());
            let prefix = chars.get(i) == Some(&'*');
            if prefix {
                i += 1;
            }
            toks.push(Tok::Term {
                words: index_words(&body),
                prefix,
                negated,
                quoted: true,
            });
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let chunk: String = chars[start..i].iter().collect();
        if !negated {
            match chunk.as_str() {
                "OR" => {
                    toks.push(Tok::Or);
                    continue;
                }
                "NOT" => {
                    toks.push(Tok::Not);
                    continue;
                }
                "AND" => {
                    toks.push(Tok::And);
                    continue;
                }
                _ => {}
            }
        }
        // A prefix: `*` right after the last word character.
        let trimmed = chunk.trim_end_matches(|c: char| !is_token_char(c) && c != '*');
        let prefix = trimmed.ends_with('*')
            && trimmed
                .trim_end_matches('*')
                .chars()
                .last()
                .is_some_and(is_token_char);
        toks.push(Tok::Term {
            words: index_words(&chunk),
            prefix,
            negated,
            quoted: false,
        });
    }
    toks
}

/// A positive term as parsed, before multi-word bare chunks are split.
struct Item {
    term: Term,
    quoted: bool,
}

impl TextQuery {
    /// Parses a query; see the module docs for the syntax.
    pub fn parse(input: &str) -> Result<TextQuery, TextQueryError> {
        if input.len() > MAX_QUERY_BYTES {
            return Err(TextQueryError::TooLong(input.len()));
        }
        let toks = lex(input);
        let is_term = |t: Option<&Tok>| matches!(t, Some(Tok::Term { .. }));
        let is_pos_term = |t: Option<&Tok>| matches!(t, Some(Tok::Term { negated: false, .. }));
        let word = |w: &str| Item {
            term: Term {
                words: vec![w.to_string()],
                prefix: false,
            },
            quoted: false,
        };
        let mut groups: Vec<Vec<Item>> = Vec::new();
        let mut exclude = Vec::new();
        // Whether the last thing pushed was a positive group an OR may extend.
        let mut last_positive = false;
        let mut i = 0;
        while i < toks.len() {
            match &toks[i] {
                Tok::Term {
                    words,
                    prefix,
                    negated,
                    quoted,
                } => {
                    last_positive = false;
                    if words.is_empty() {
                        i += 1;
                        continue;
                    }
                    let term = Term {
                        words: words.clone(),
                        prefix: *prefix,
                    };
                    if *negated {
                        exclude.push(term);
                    } else {
                        groups.push(vec![Item {
                            term,
                            quoted: *quoted,
                        }]);
                        last_positive = true;
                    }
                }
                Tok::Or => {
                    let next = toks.get(i + 1);
                    let next_words =
                        matches!(next, Some(Tok::Term { words, .. }) if !words.is_empty());
                    if last_positive && is_pos_term(next) && next_words {
                        if let (
                            Some(Tok::Term {
                                words,
                                prefix,
                                quoted,
                                ..
                            }),
                            Some(g),
                        ) = (next, groups.last_mut())
                        {
                            g.push(Item {
                                term: Term {
                                    words: words.clone(),
                                    prefix: *prefix,
                                },
                                quoted: *quoted,
                            });
                        }
                        i += 2;
                        last_positive = true;
                        continue;
                    }
                    groups.push(vec![word("or")]);
                    last_positive = true;
                }
                Tok::Not => {
                    if let Some(Tok::Term { words, prefix, .. }) = toks.get(i + 1) {
                        if !words.is_empty() {
                            exclude.push(Term {
                                words: words.clone(),
                                prefix: *prefix,
                            });
                        }
                        i += 2;
                        last_positive = false;
                        continue;
                    }
                    groups.push(vec![word("not")]);
                    last_positive = true;
                }
                Tok::And => {
                    let between = i > 0 && is_term(toks.get(i - 1)) && is_term(toks.get(i + 1));
                    if !between {
                        groups.push(vec![word("and")]);
                        last_positive = true;
                    } else {
                        last_positive = false;
                    }
                }
            }
            i += 1;
        }
        // A lone bare chunk of several words is its words, each required.
        let mut out: Vec<Vec<Term>> = Vec::new();
        for g in groups {
            if g.len() == 1 && !g[0].quoted && g[0].term.words.len() > 1 {
                let Some(Item { term, .. }) = g.into_iter().next() else {
                    continue;
                };
                let n = term.words.len();
                for (k, w) in term.words.into_iter().enumerate() {
                    out.push(vec![Term {
                        words: vec![w],
                        prefix: term.prefix && k + 1 == n,
                    }]);
                }
            } else {
                out.push(g.into_iter().map(|it| it.term).collect());
            }
        }
        let all = out.iter().flatten().chain(exclude.iter());
        let mut count = 0;
        for t in all {
            for w in &t.words {
                let chars = w.chars().count();
                if chars > MAX_WORD_CHARS {
                    return Err(TextQueryError::WordTooLong {
                        word: w.chars().take(20).collect(),
                        chars,
                    });
                }
                count += 1;
            }
        }
        if count > MAX_TERMS {
            return Err(TextQueryError::TooManyTerms(count));
        }
        if out.is_empty() {
            return Err(if exclude.is_empty() {
                TextQueryError::NoTerms
            } else {
                TextQueryError::OnlyExclusions
            });
        }
        Ok(TextQuery {
            groups: out,
            exclude,
        })
    }

    /// The SQLite FTS5 MATCH expression: every word a double-quoted string, groups joined by
    /// AND, exclusions after NOT.
    pub fn to_fts5(&self) -> String {
        fn term(out: &mut String, t: &Term) {
            quote_fts5(out, &t.words.join(" "));
            if t.prefix {
                out.push('*');
            }
        }
        fn group(out: &mut String, g: &[Term]) {
            if g.len() > 1 {
                out.push('(');
            }
            for (i, t) in g.iter().enumerate() {
                if i > 0 {
                    out.push_str(" OR ");
                }
                term(out, t);
            }
            if g.len() > 1 {
                out.push(')');
            }
        }
        let mut out = String::new();
        let wrap = !self.exclude.is_empty() && self.groups.len() > 1;
        if wrap {
            out.push('(');
        }
        for (i, g) in self.groups.iter().enumerate() {
            if i > 0 {
                out.push_str(" AND ");
            }
            group(&mut out, g);
        }
        if wrap {
            out.push(')');
        }
        if !self.exclude.is_empty() {
            out.push_str(" NOT ");
            group(&mut out, &self.exclude);
        }
        out
    }

    /// The PostgreSQL `tsquery` (input syntax of a `::tsquery` cast): quoted lexemes, `<->`
    /// in phrases, `:*` prefixes, `|` in groups, `&` between groups, `!` for exclusions.
    pub fn to_tsquery(&self) -> String {
        fn term(out: &mut String, t: &Term) {
            let phrase = t.words.len() > 1;
            if phrase {
                out.push('(');
            }
            for (i, w) in t.words.iter().enumerate() {
                if i > 0 {
                    out.push_str(" <-> ");
                }
                quote_lexeme(out, w);
                if t.prefix && i + 1 == t.words.len() {
                    out.push_str(":*");
                }
            }
            if phrase {
                out.push(')');
            }
        }
        let mut parts = Vec::new();
        for g in &self.groups {
            let mut s = String::new();
            if g.len() > 1 {
                s.push('(');
            }
            for (i, t) in g.iter().enumerate() {
                if i > 0 {
                    s.push_str(" | ");
                }
                term(&mut s, t);
            }
            if g.len() > 1 {
                s.push(')');
            }
            parts.push(s);
        }
        for t in &self.exclude {
            let mut s = String::from("!");
            term(&mut s, t);
            parts.push(s);
        }
        parts.join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> String {
        TextQuery::parse(q)
            .map(|q| q.to_fts5())
            .unwrap_or_else(|e| format!("error: {e:?}"))
    }
    fn tsq(q: &str) -> String {
        TextQuery::parse(q)
            .map(|q| q.to_tsquery())
            .unwrap_or_else(|e| format!("error: {e:?}"))
    }

    #[test]
    fn tokenizer_folds_like_fts5_unicode61() {
        // The expectations are what SQLite's FTS5 `unicode61 remove_diacritics 2` gives.
        let cases: &[(&str, &[&str])] = &[
            ("Zürich Ze\u{301}rich", &["zurich", "zerich"]),
            (
                "й ё Ğ ş ø ß æ İ I",
                &["й", "ё", "g", "s", "ø", "ß", "æ", "i", "i"],
            ),
            ("ά Ώ Σίσυφος", &["ά", "ώ", "σίσυφοσ"]),
            ("日本語のテキスト", &["日本語のテキスト"]),
            ("a_b a²b Ⅻx", &["a", "b", "a²b", "ⅻx"]),
            ("\u{e000}x 😀y $z", &["\u{e000}x", "y", "z"]),
            ("ǅ ǆ Ǆ", &["ǆ", "ǆ", "ǆ"]),
            ("Ω K Å", &["ω", "k", "a"]),
            ("ę ł ő ț ṣ ạ ằ", &["e", "ł", "o", "t", "s", "a", "a"]),
            ("ⓐb", &["b"]),
            ("١٢٣ العربية", &["١٢٣", "العربية"]),
            ("ẞ Ａｂｃ", &["ß", "ａｂｃ"]),
            (
                "RUS:GOV al-Bashir U.S.",
                &["rus", "gov", "al", "bashir", "u", "s"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(index_words(text), *want, "{text}");
        }
    }

    #[test]
    fn syntax() {
        assert_eq!(fts("RUS:GOV"), r#""rus" AND "gov""#);
        assert_eq!(tsq("RUS:GOV"), "'rus' & 'gov'");
        assert_eq!(fts(r#""Peace talks""#), r#""peace talks""#);
        assert_eq!(tsq(r#""Peace talks""#), "('peace' <-> 'talks')");
        assert_eq!(fts("negot*"), r#""negot"*"#);
        assert_eq!(tsq("negot*"), "'negot':*");
        assert_eq!(tsq(r#""peace talk"*"#), "('peace' <-> 'talk':*)");
        assert_eq!(
            fts("peace talks OR negotiations -war"),
            r#"("peace" AND ("talks" OR "negotiations")) NOT "war""#
        );
        assert_eq!(
            tsq("peace talks OR negotiations -war"),
            "'peace' & ('talks' | 'negotiations') & !'war'"
        );
        assert_eq!(fts("a NOT b NOT c"), r#""a" NOT ("b" OR "c")"#);
        assert_eq!(tsq("a NOT b NOT c"), "'a' & !'b' & !'c'");
        assert_eq!(tsq(r#"a -"x y""#), "'a' & !('x' <-> 'y')");
        assert_eq!(tsq("a AND b"), "'a' & 'b'");
        assert_eq!(tsq("a OR al-Bashir"), "('a' | ('al' <-> 'bashir'))");
        assert_eq!(tsq("a AND"), "'a' & 'and'");
        assert_eq!(tsq("OR"), "'or'");
        assert_eq!(tsq("a OR"), "'a' & 'or'");
        assert_eq!(tsq("NOT"), "'not'");
        assert_eq!(tsq("Zürich"), "'zurich'");
        assert_eq!(tsq("*é"), "'e'");
        assert_eq!(tsq("a*b"), "'a' & 'b'");
        assert_eq!(
            tsq(r#""unterminated phrase"#),
            "('unterminated' <-> 'phrase')"
        );
        assert_eq!(tsq("NEAR(a b)"), "'near' & 'a' & 'b'");
        assert_eq!(tsq("title:x"), "'title' & 'x'");
    }

    #[test]
    fn refusals() {
        use TextQueryError::*;
        let err = |q: &str| TextQuery::parse(q).err();
        for q in ["\"", "*", "\"\"", "-", "-- *", "(", ")", "\0", "😀", "^"] {
            assert_eq!(err(q), Some(NoTerms), "{q:?}");
        }
        assert_eq!(err("-war"), Some(OnlyExclusions));
        assert_eq!(err("NOT war"), Some(OnlyExclusions));
        assert!(matches!(err(&"a".repeat(2000)), Some(TooLong(2000))));
        assert!(matches!(
            err(&"a".repeat(101)),
            Some(WordTooLong { chars: 101, .. })
        ));
        assert!(err(&"a".repeat(100)).is_none());
        let many = (0..33)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(err(&many), Some(TooManyTerms(33)));
        assert!(err(&many[..many.rfind(' ').unwrap_or(0)]).is_none());
    }

    #[test]
    fn hostile_strings_render_only_quoted_words() {
        let hostile = [
            "\"",
            "*",
            "*é",
            "RUS:GOV",
            "NEAR(",
            "a AND",
            "OR",
            "-",
            "\"\"",
            "a\0b",
            "😀 peace 😀",
            "שלום עולם",
            "مرحبا \u{200f}بالعالم",
            "a\"b\"c",
            "'; DROP TABLE x; --",
            "x' | 'y",
            "a:* & !b",
            "\\",
            "col:term",
            "{a b}",
            "a + b",
            "^a",
            "\u{feff}a",
        ];
        for q in hostile {
            let Ok(p) = TextQuery::parse(q) else {
                continue;
            };
            let f = p.to_fts5();
            // Outside double-quoted strings: only operators, parentheses, spaces and `*`.
            let mut outside = String::new();
            let mut inside = false;
            for c in f.chars() {
                if c == '"' {
                    inside = !inside;
                } else if !inside {
                    outside.push(c);
                }
            }
            let rest = outside
                .replace("AND", "")
                .replace("OR", "")
                .replace("NOT", "");
            assert!(rest.chars().all(|c| " ()*".contains(c)), "{q:?} → {f:?}");
            // Every tsquery lexeme is a folded index word.
            for t in p.groups.iter().flatten().chain(&p.exclude) {
                for w in &t.words {
                    assert_eq!(index_words(w), vec![w.clone()], "{q:?}");
                }
            }
        }
    }

    #[test]
    fn tsvector_literals() {
        assert_eq!(
            tsvector_literal("Russia warned Turkey."),
            "'russia':1 'warned':2 'turkey':3"
        );
        assert_eq!(tsvector_literal("..."), "");
        let long = format!("{} b", "a".repeat(3000));
        assert_eq!(tsvector_literal(&long), "'b':2");
    }
}
