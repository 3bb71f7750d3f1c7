//! The pattern language of `dict/verbs/*.toml` (see `docs/dictionaries.md`): compilation from
//! text and matching over a document's tokens and actor mentions.

use dyad_actors::ActorAnnotations;
use dyad_text::{fold_phrase, Document, TokenKind};
use std::collections::BTreeMap;

/// A pattern that could not be compiled.
#[derive(Debug, thiserror::Error)]
#[error("{file}: pattern `{pattern}`: {message}")]
pub struct PatternError {
    pub file: String,
    pub pattern: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Elem {
    /// One folded token.
    Word(String),
    /// A token starting with this prefix.
    Prefix(String),
    /// Any of these single tokens.
    Alt(Vec<String>),
    /// An optional token.
    Opt(String),
    /// Any entry of a synset, each entry a token sequence (longest first).
    Set(Vec<Vec<Elem>>),
    Target,
    Source,
    Gap,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub(crate) elems: Vec<Elem>,
    /// How specific the pattern is: literal tokens count 2, slots 1.
    pub(crate) weight: u32,
    pub(crate) has_target: bool,
    pub(crate) has_negation: bool,
}

/// Maximum tokens a `..` gap skips.
pub const GAP: usize = 4;

impl Pattern {
    pub fn compile(
        text: &str,
        synsets: &BTreeMap<String, Vec<String>>,
        file: &str,
    ) -> Result<Pattern, PatternError> {
        let err = |m: String| PatternError {
            file: file.to_string(),
            pattern: text.to_string(),
            message: m,
        };
        let mut elems = Vec::new();
        for raw in text.split_whitespace() {
            match raw {
                "$T" | "$t" => elems.push(Elem::Target),
                "$S" | "$s" => elems.push(Elem::Source),
                ".." => elems.push(Elem::Gap),
                _ if raw.starts_with('@') => {
                    let name = &raw[1..];
                    let entries = synsets
                        .get(name)
                        .ok_or_else(|| err(format!("unknown synset `@{name}`")))?;
                    let mut alts: Vec<Vec<Elem>> = entries
                        .iter()
                        .map(|e| literal(e))
                        .filter(|v| !v.is_empty())
                        .collect();
                    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
                    elems.push(Elem::Set(alts));
                }
                _ if raw.contains('|') => {
                    let alts: Vec<String> = raw
                        .split('|')
                        .filter(|s| !s.is_empty())
                        .map(|s| fold_phrase(s).trim().to_string())
                        .collect();
                    if alts.iter().any(|a| a.contains(' ')) {
                        return Err(err(format!("`{raw}`: alternatives must be single words")));
                    }
                    elems.push(Elem::Alt(alts));
                }
                _ if raw.ends_with('?') && raw.len() > 1 => {
                    elems.push(Elem::Opt(
                        fold_phrase(&raw[..raw.len() - 1]).trim().to_string(),
                    ));
                }
                _ => elems.extend(literal(raw)),
            }
        }
        if elems.is_empty() {
            return Err(err("empty pattern".into()));
        }
        let weight = elems
            .iter()
            .map(|e| match e {
                Elem::Word(_) | Elem::Prefix(_) | Elem::Alt(_) | Elem::Set(_) => 2,
                Elem::Target | Elem::Source => 1,
                Elem::Opt(_) | Elem::Gap => 0,
            })
            .sum();
        let has_target = elems.contains(&Elem::Target);
        let has_negation = elems
            .iter()
            .any(|e| matches!(e, Elem::Word(w) if is_negation(w)));
        Ok(Pattern {
            elems,
            weight,
            has_target,
            has_negation,
        })
    }

    /// The first literal word(s) a phrase can start with, for indexing; `None` when it starts
    /// with a slot or a gap.
    pub(crate) fn first_words(&self) -> Option<Vec<String>> {
        match self.elems.first()? {
            Elem::Word(w) => Some(vec![w.clone()]),
            Elem::Alt(a) => Some(a.clone()),
            Elem::Set(s) => {
                let mut out = Vec::new();
                for alt in s {
                    match alt.first() {
                        Some(Elem::Word(w)) => out.push(w.clone()),
                        _ => return None,
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }
}

pub(crate) fn is_negation(w: &str) -> bool {
    matches!(w, "not" | "n't" | "no" | "never" | "nor" | "neither")
}

/// A literal word or phrase as folded tokens; a trailing `*` makes the last one a prefix.
fn literal(raw: &str) -> Vec<Elem> {
    let (body, prefix) = match raw.strip_suffix('*') {
        Some(b) => (b, true),
        None => (raw, false),
    };
    let folded = fold_phrase(body);
    let toks: Vec<&str> = folded.split_whitespace().collect();
    let n = toks.len();
    toks.into_iter()
        .enumerate()
        .map(|(i, t)| {
            if prefix && i + 1 == n {
                Elem::Prefix(t.to_string())
            } else {
                Elem::Word(t.to_string())
            }
        })
        .collect()
}

/// The result of matching a pattern at a position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Match {
    /// One past the last token matched.
    pub end: usize,
    /// Mention indices filling `$T` (several for "A and B").
    pub targets: Vec<usize>,
    pub sources: Vec<usize>,
}

/// Context a match runs in: the document, its actor mentions, and where the clause ends.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub actors: &'a ActorAnnotations,
    pub limit: usize,
}

impl Ctx<'_> {
    fn boundary(&self, t: usize) -> bool {
        let tok = &self.doc.tokens[t];
        matches!(tok.kind, TokenKind::Quote(_) | TokenKind::Final)
            || matches!(self.doc.norm(t), ";" | ":")
    }

    fn word_matches(&self, t: usize, e: &Elem) -> bool {
        if t >= self.limit {
            return false;
        }
        let w = self.doc.norm(t);
        match e {
            Elem::Word(x) => w == x,
            Elem::Prefix(p) => w.starts_with(p.as_str()),
            Elem::Alt(a) => a.iter().any(|x| x == w),
            _ => false,
        }
    }

    /// Matches `elems` starting at token `t`.
    pub fn match_at(&self, elems: &[Elem], t: usize) -> Option<Match> {
        let mut m = Match::default();
        if self.go(elems, t, &mut m) {
            Some(m)
        } else {
            None
        }
    }

    fn go(&self, elems: &[Elem], t: usize, m: &mut Match) -> bool {
        let Some((e, rest)) = elems.split_first() else {
            m.end = t;
            return true;
        };
        match e {
            Elem::Word(_) | Elem::Prefix(_) | Elem::Alt(_) => {
                self.word_matches(t, e) && self.go(rest, t + 1, m)
            }
            Elem::Opt(w) => {
                if t < self.limit && self.doc.norm(t) == w && self.go(rest, t + 1, m) {
                    return true;
                }
                self.go(rest, t, m)
            }
            Elem::Set(alts) => alts.iter().any(|alt| {
                let mut k = t;
                for a in alt {
                    if !self.word_matches(k, a) {
                        return false;
                    }
                    k += 1;
                }
                self.go(rest, k, m)
            }),
            Elem::Gap => {
                for skip in 0..=GAP {
                    let k = t + skip;
                    if k > self.limit {
                        break;
                    }
                    if skip > 0 && self.boundary(k - 1) {
                        break;
                    }
                    let saved = m.clone();
                    if self.go(rest, k, m) {
                        return true;
                    }
                    *m = saved;
                }
                false
            }
            Elem::Target | Elem::Source => {
                let Some((mentions, end)) = self.slot(t) else {
                    return false;
                };
                let saved = m.clone();
                if matches!(e, Elem::Target) {
                    m.targets.extend(mentions);
                } else {
                    m.sources.extend(mentions);
                }
                if self.go(rest, end, m) {
                    return true;
                }
                *m = saved;
                false
            }
        }
    }

    /// An actor slot at `t`: optional determiner, a mention, and "and"/"," + more mentions.
    fn slot(&self, t: usize) -> Option<(Vec<usize>, usize)> {
        let mut k = t;
        while k < self.limit
            && matches!(
                self.doc.norm(k),
                "the" | "a" | "an" | "his" | "her" | "its" | "their" | "our" | "both" | "fellow"
            )
        {
            k += 1;
        }
        let first = self
            .actors
            .mention_at(k)
            .filter(|&i| self.actors.mentions[i].tokens.start == k)?;
        let mut out = vec![first];
        let mut end = self.actors.mentions[first].tokens.end;
        // Possessive "Armenia's": the slot is the possessor only when nothing follows it that
        // could be the head ("Armenia's army"): then the head is the mention that follows.
        loop {
            let mut j = end;
            let mut saw_conj = false;
            while j < self.limit && matches!(self.doc.norm(j), "and" | "," | "the" | "as" | "well")
            {
                saw_conj |= self.doc.norm(j) == "and" || self.doc.norm(j) == ",";
                j += 1;
            }
            if !saw_conj || j >= self.limit {
                break;
            }
            match self
                .actors
                .mention_at(j)
                .filter(|&i| self.actors.mentions[i].tokens.start == j)
            {
                Some(i) if self.actors.mentions[i].prep.is_none() => {
                    out.push(i);
                    end = self.actors.mentions[i].tokens.end;
                }
                _ => break,
            }
        }
        Some((out, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets() -> BTreeMap<String, Vec<String>> {
        let mut s = BTreeMap::new();
        s.insert(
            "ceasefire".to_string(),
            vec![
                "ceasefire".to_string(),
                "cessation of hostilities".to_string(),
                "cease-fire".to_string(),
            ],
        );
        s
    }

    #[test]
    fn compiles_elements() {
        let p = Pattern::compile("for an? immediate? .. @ceasefire", &sets(), "t").expect("ok");
        assert_eq!(p.elems[0], Elem::Word("for".into()));
        assert!(matches!(p.elems[1], Elem::Opt(_)));
        assert!(matches!(p.elems[3], Elem::Gap));
        assert!(matches!(&p.elems[4], Elem::Set(s) if s[0].len() == 3));
        assert!(!p.has_target);
        let p = Pattern::compile("with $T by phone|telephone", &sets(), "t").expect("ok");
        assert!(p.has_target);
        assert!(Pattern::compile("@nope", &sets(), "t").is_err());
        assert!(
            Pattern::compile("not the right time", &sets(), "t")
                .expect("ok")
                .has_negation
        );
    }

    #[test]
    fn matches_gap_and_set() {
        let doc = Document::new("called for an immediate cessation of hostilities today");
        let actors = ActorAnnotations::default();
        let ctx = Ctx {
            doc: &doc,
            actors: &actors,
            limit: doc.tokens.len(),
        };
        let p = Pattern::compile("for .. @ceasefire", &sets(), "t").expect("ok");
        let m = ctx.match_at(&p.elems, 1).expect("matches");
        assert_eq!(m.end, 7);
        let p = Pattern::compile("for @ceasefire", &sets(), "t").expect("ok");
        assert!(ctx.match_at(&p.elems, 1).is_none());
    }
}
