//! The pattern language of `dict/verbs/*.toml` (see `docs/dictionaries.md`): compilation from
//! text and matching over a document's tokens and actor mentions.
//!
//! Words are interned: every literal in the patterns gets a `u32` id in a [`Vocab`], each
//! document token is looked up once, and matching compares integers. Synsets are compiled once
//! and shared by every pattern that names them, indexed by their first word.

use dyad_actors::ActorAnnotations;
use dyad_text::{fold_phrase, Document, TokenKind};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A pattern that could not be compiled.
#[derive(Debug, thiserror::Error)]
#[error("{file}: pattern `{pattern}`: {message}")]
pub struct PatternError {
    pub file: String,
    pub pattern: String,
    pub message: String,
}

/// Token id of a word no pattern mentions.
pub const UNKNOWN: u32 = u32::MAX;

/// Interned pattern words.
#[derive(Debug, Default)]
pub struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    pub fn intern(&mut self, w: &str) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(w.to_string()).or_insert(n)
    }
    pub fn get(&self, w: &str) -> u32 {
        self.ids.get(w).copied().unwrap_or(UNKNOWN)
    }
    /// Token ids of a whole document.
    pub fn ids(&self, doc: &Document) -> Vec<u32> {
        (0..doc.tokens.len())
            .map(|i| self.get(doc.norm(i)))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Elem {
    /// One token.
    Word(u32),
    /// A token starting with this prefix.
    Prefix(String),
    /// Any of these single tokens.
    Alt(Vec<u32>),
    /// An optional token.
    Opt(u32),
    /// Any entry of a synset.
    Set(Arc<SetMatcher>),
    Target,
    Source,
    Gap,
}

/// A compiled synset: entries (token sequences) indexed by their first word, longest first.
#[derive(Debug, PartialEq, Default)]
pub(crate) struct SetMatcher {
    by_first: HashMap<u32, Vec<Vec<Elem>>>,
    /// Entries whose first token is a prefix (`negotiat*`).
    other: Vec<Vec<Elem>>,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub(crate) elems: Vec<Elem>,
    /// How specific the pattern is: literal tokens count 2, slots 1.
    pub(crate) weight: u32,
    pub(crate) has_target: bool,
    pub(crate) has_negation: bool,
    /// Words that must occur for the pattern to match (its plain literals): a cheap filter
    /// before any backtracking.
    pub(crate) required: Vec<u32>,
}

/// Maximum tokens a `..` gap skips.
pub const GAP: usize = 4;

/// Compiles patterns against one vocabulary and one set of synsets.
pub struct Compiler<'a> {
    pub vocab: Vocab,
    synsets: &'a BTreeMap<String, Vec<String>>,
    compiled_sets: HashMap<String, Arc<SetMatcher>>,
}

impl<'a> Compiler<'a> {
    pub fn new(synsets: &'a BTreeMap<String, Vec<String>>) -> Self {
        Compiler {
            vocab: Vocab::default(),
            synsets,
            compiled_sets: HashMap::default(),
        }
    }

    fn set(&mut self, name: &str) -> Option<Arc<SetMatcher>> {
        if let Some(s) = self.compiled_sets.get(name) {
            return Some(s.clone());
        }
        let entries = self.synsets.get(name)?;
        let mut m = SetMatcher::default();
        for e in entries {
            let alt = self.literal(e);
            match alt.first() {
                Some(Elem::Word(w)) => m.by_first.entry(*w).or_default().push(alt),
                Some(_) => m.other.push(alt),
                None => {}
            }
        }
        for v in m.by_first.values_mut() {
            v.sort_by_key(|a| std::cmp::Reverse(a.len()));
        }
        m.other.sort_by_key(|a| std::cmp::Reverse(a.len()));
        let m = Arc::new(m);
        self.compiled_sets.insert(name.to_string(), m.clone());
        Some(m)
    }

    /// A literal word or phrase as folded tokens; a trailing `*` makes the last one a prefix.
    fn literal(&mut self, raw: &str) -> Vec<Elem> {
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
                    Elem::Word(self.vocab.intern(t))
                }
            })
            .collect()
    }

    pub fn compile(&mut self, text: &str, file: &str) -> Result<Pattern, PatternError> {
        let err = |m: String| PatternError {
            file: file.to_string(),
            pattern: text.to_string(),
            message: m,
        };
        let mut elems = Vec::new();
        let mut has_negation = false;
        for raw in text.split_whitespace() {
            match raw {
                "$T" | "$t" => elems.push(Elem::Target),
                "$S" | "$s" => elems.push(Elem::Source),
                ".." => elems.push(Elem::Gap),
                _ if raw.starts_with('@') => {
                    let name = &raw[1..];
                    let set = self
                        .set(name)
                        .ok_or_else(|| err(format!("unknown synset `@{name}`")))?;
                    elems.push(Elem::Set(set));
                }
                _ if raw.contains('|') => {
                    let mut alts = Vec::new();
                    for a in raw.split('|').filter(|s| !s.is_empty()) {
                        let f = fold_phrase(a);
                        let f = f.trim();
                        if f.contains(' ') {
                            return Err(err(format!("`{raw}`: alternatives must be single words")));
                        }
                        has_negation |= is_negation(f);
                        alts.push(self.vocab.intern(f));
                    }
                    elems.push(Elem::Alt(alts));
                }
                _ if raw.ends_with('?') && raw.len() > 1 => {
                    let f = fold_phrase(&raw[..raw.len() - 1]);
                    elems.push(Elem::Opt(self.vocab.intern(f.trim())));
                }
                _ => {
                    has_negation |= fold_phrase(raw).split_whitespace().any(is_negation);
                    let lit = self.literal(raw);
                    elems.extend(lit);
                }
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
        let mut required: Vec<u32> = elems
            .iter()
            .filter_map(|e| match e {
                Elem::Word(w) => Some(*w),
                _ => None,
            })
            .collect();
        required.sort_unstable();
        required.dedup();
        Ok(Pattern {
            elems,
            weight,
            has_target,
            has_negation,
            required,
        })
    }
}

impl Pattern {
    /// The token ids a pattern can start with, for indexing; `None` when it can start with
    /// anything (a slot, a gap, an optional word or a prefix).
    pub(crate) fn first_ids(&self) -> Option<Vec<u32>> {
        first_ids(&self.elems)
    }

    /// For a pattern starting with an actor slot: the token ids the element after the slot
    /// can start with.
    pub(crate) fn ids_after_slot(&self) -> Option<Vec<u32>> {
        self.starts_with_slot()
            .then(|| first_ids(&self.elems[1..]))
            .flatten()
    }

    /// For a pattern starting with a `..` gap: the token ids the element after the gap can
    /// start with (it must then occur within the next [`GAP`] + 1 tokens).
    pub(crate) fn ids_after_gap(&self) -> Option<Vec<u32>> {
        matches!(self.elems.first(), Some(Elem::Gap))
            .then(|| first_ids(&self.elems[1..]))
            .flatten()
    }

    /// Whether the pattern starts with an actor slot.
    pub(crate) fn starts_with_slot(&self) -> bool {
        matches!(self.elems.first(), Some(Elem::Source | Elem::Target))
    }
}

/// The token ids a sequence of elements can start with; `None` when it can start with anything.
fn first_ids(elems: &[Elem]) -> Option<Vec<u32>> {
    match elems.first()? {
        Elem::Word(w) => Some(vec![*w]),
        Elem::Alt(a) => Some(a.clone()),
        Elem::Set(s) if s.other.is_empty() => Some(s.by_first.keys().copied().collect()),
        _ => None,
    }
}

pub(crate) fn is_negation(w: &str) -> bool {
    matches!(w, "not" | "n't" | "no" | "never" | "nor" | "neither")
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

/// Context a match runs in: the document, its token ids, its actor mentions, and where the
/// clause ends.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub ids: &'a [u32],
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
        match e {
            Elem::Word(x) => self.ids[t] == *x,
            Elem::Alt(a) => a.contains(&self.ids[t]),
            Elem::Prefix(p) => self.doc.norm(t).starts_with(p.as_str()),
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

    fn seq(&self, alt: &[Elem], t: usize) -> Option<usize> {
        let mut k = t;
        for a in alt {
            if !self.word_matches(k, a) {
                return None;
            }
            k += 1;
        }
        Some(k)
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
                if t < self.limit && self.ids[t] == *w && self.go(rest, t + 1, m) {
                    return true;
                }
                self.go(rest, t, m)
            }
            Elem::Set(set) => {
                let first = if t < self.limit { self.ids[t] } else { UNKNOWN };
                let indexed = set.by_first.get(&first).map_or(&[][..], Vec::as_slice);
                indexed
                    .iter()
                    .chain(set.other.iter())
                    .any(|alt| self.seq(alt, t).is_some_and(|k| self.go(rest, k, m)))
            }
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
    pub(crate) fn slot(&self, t: usize) -> Option<(Vec<usize>, usize)> {
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
                "truce*".to_string(),
            ],
        );
        s
    }

    #[test]
    fn compiles_elements() {
        let s = sets();
        let mut c = Compiler::new(&s);
        let p = c
            .compile("for an? immediate? .. @ceasefire", "t")
            .expect("ok");
        assert!(matches!(p.elems[0], Elem::Word(_)));
        assert!(matches!(p.elems[1], Elem::Opt(_)));
        assert!(matches!(p.elems[3], Elem::Gap));
        assert!(matches!(&p.elems[4], Elem::Set(s) if s.other.len() == 1 && s.by_first.len() == 3));
        assert!(!p.has_target);
        assert_eq!(p.first_ids().map(|v| v.len()), Some(1));
        let p = c.compile("with $T by phone|telephone", "t").expect("ok");
        assert!(p.has_target);
        assert!(c.compile("@nope", "t").is_err());
        assert!(
            c.compile("not the right time", "t")
                .expect("ok")
                .has_negation
        );
        assert!(c
            .compile("$S @ceasefire", "t")
            .expect("ok")
            .starts_with_slot());
    }

    #[test]
    fn matches_gap_and_set() {
        let s = sets();
        let mut c = Compiler::new(&s);
        let p = c.compile("for .. @ceasefire", "t").expect("ok");
        let q = c.compile("for @ceasefire", "t").expect("ok");
        let r = c.compile("for .. truces", "t").expect("ok");
        let doc =
            Document::new("called for an immediate cessation of hostilities today and truces");
        let ids = c.vocab.ids(&doc);
        let actors = ActorAnnotations::default();
        let ctx = Ctx {
            doc: &doc,
            ids: &ids,
            actors: &actors,
            limit: doc.tokens.len(),
        };
        assert_eq!(ctx.match_at(&p.elems, 1).map(|m| m.end), Some(7));
        assert!(ctx.match_at(&q.elems, 1).is_none());
        assert!(
            ctx.match_at(&r.elems, 1).is_none(),
            "gap is at most {GAP} tokens"
        );
    }
}
