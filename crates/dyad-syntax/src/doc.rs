//! The document-level layer: parses every sentence of a [`dyad_text::Document`] and answers the
//! questions an event coder asks (who is the subject of this verb, is it passive, which
//! prepositional phrases hang off it, how far does this noun phrase reach).

use std::ops::Range;

use dyad_text::{Document, TokenKind};

use crate::{Deprel, Parse, Parser, Upos, ROOT};

/// Syntax of a whole document, indexed like `doc.tokens`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Syntax {
    /// Tag of every token.
    pub upos: Vec<Upos>,
    /// Head of every token (an index into `doc.tokens`, always in the same sentence), `None`
    /// for the root of its sentence.
    pub head: Vec<Option<usize>>,
    /// Relation of every token to its head (`Root` for sentence roots).
    pub deprel: Vec<Deprel>,
    kid_start: Vec<usize>,
    kids: Vec<usize>,
}

/// An oblique dependent of a predicate: "with police" → `head` = "police", `case` = "with".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oblique {
    /// The nominal.
    pub head: usize,
    /// Its preposition (`case` child), if any.
    pub case: Option<usize>,
    /// `Obl` or `OblAgent`.
    pub relation: Deprel,
}

/// Tags and parses every sentence of `doc`. Quotation-mark tokens are given to the parser as
/// `"`; every other token as its surface form.
pub fn annotate(parser: &mut Parser, doc: &Document) -> Syntax {
    annotate_where(parser, doc, |_| true)
}

/// [`annotate`] for the sentences `wanted` selects (by sentence index); the others are left
/// unparsed: every token tagged `X`, its own root, with no dependents. Callers that only ask
/// about some sentences (an event coder skips sentences that name no actor) save the parse.
pub fn annotate_where(
    parser: &mut Parser,
    doc: &Document,
    mut wanted: impl FnMut(usize) -> bool,
) -> Syntax {
    let n = doc.tokens.len();
    let mut syn = Syntax {
        upos: Vec::with_capacity(n),
        head: Vec::with_capacity(n),
        deprel: Vec::with_capacity(n),
        ..Syntax::default()
    };
    let mut out = Parse::default();
    for (si, s) in doc.sentences.iter().enumerate() {
        let range = s.tokens.start.min(n)..s.tokens.end.min(n);
        // Sentences cover the tokens in order; fill any gap defensively with roots.
        while syn.upos.len() < range.start {
            syn.push_lone();
        }
        if range.start < syn.upos.len() {
            continue;
        }
        if !wanted(si) {
            while syn.upos.len() < range.end {
                syn.push_lone();
            }
            continue;
        }
        parser.parse_iter(
            range.clone().map(|i| match doc.tokens[i].kind {
                TokenKind::Quote(_) => "\"",
                _ => doc.surface(i),
            }),
            &mut out,
        );
        for k in 0..out.len() {
            syn.upos.push(out.upos[k]);
            syn.head.push(if out.head[k] == ROOT {
                None
            } else {
                Some(range.start + out.head[k] as usize)
            });
            syn.deprel.push(out.deprel[k]);
        }
    }
    while syn.upos.len() < n {
        syn.push_lone();
    }
    syn.index_children();
    syn
}

impl Syntax {
    fn push_lone(&mut self) {
        self.upos.push(Upos::X);
        self.head.push(None);
        self.deprel.push(Deprel::Root);
    }

    fn index_children(&mut self) {
        let n = self.head.len();
        self.kid_start = vec![0; n + 1];
        for &h in self.head.iter().flatten() {
            if h < n {
                self.kid_start[h + 1] += 1;
            }
        }
        for i in 0..n {
            self.kid_start[i + 1] += self.kid_start[i];
        }
        self.kids = vec![0; self.kid_start[n]];
        let mut pos = self.kid_start.clone();
        for (d, h) in self.head.iter().enumerate() {
            if let Some(h) = *h {
                if h < n {
                    self.kids[pos[h]] = d;
                    pos[h] += 1;
                }
            }
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.upos.len()
    }

    /// No tokens.
    pub fn is_empty(&self) -> bool {
        self.upos.is_empty()
    }

    /// Relation of `i` to its head (`None` if `i` is out of range).
    pub fn rel(&self, i: usize) -> Option<Deprel> {
        self.deprel.get(i).copied()
    }

    /// Tag of `i`.
    pub fn tag(&self, i: usize) -> Option<Upos> {
        self.upos.get(i).copied()
    }

    /// Dependents of `i`, in text order.
    pub fn children(&self, i: usize) -> &[usize] {
        match (self.kid_start.get(i), self.kid_start.get(i + 1)) {
            (Some(&s), Some(&e)) => self.kids.get(s..e).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Dependents of `i` with relation `rel`.
    pub fn children_with(&self, i: usize, rel: Deprel) -> impl Iterator<Item = usize> + '_ {
        self.children(i)
            .iter()
            .copied()
            .filter(move |&c| self.deprel[c] == rel)
    }

    fn child_where(&self, i: usize, f: impl Fn(Deprel) -> bool) -> Option<usize> {
        self.children(i)
            .iter()
            .copied()
            .find(|&c| f(self.deprel[c]))
    }

    /// The subject of a predicate: its `nsubj`, `nsubj:pass` or `csubj` dependent. Failing
    /// that, a verb conjoined to another (`conj`) shares its subject ("rebels stormed the town
    /// and killed ten"), and an open complement (`xcomp`) takes its controller's object if it
    /// has one ("urged Israel to withdraw"), else its subject ("wants to talk").
    pub fn subject_of(&self, verb: usize) -> Option<usize> {
        let mut v = verb;
        for _ in 0..8 {
            if let Some(s) = self.child_where(v, Deprel::is_subject) {
                return Some(s);
            }
            let h = self.head.get(v).copied().flatten()?;
            match self.deprel[v] {
                Deprel::Conj => v = h,
                Deprel::Xcomp => {
                    if let Some(o) = self.object_of(h) {
                        return Some(o);
                    }
                    v = h;
                }
                _ => return None,
            }
        }
        None
    }

    /// The direct object (`obj`) of a predicate.
    pub fn object_of(&self, verb: usize) -> Option<usize> {
        self.child_where(verb, |r| r == Deprel::Obj)
    }

    /// The indirect object (`iobj`) of a predicate.
    pub fn indirect_object_of(&self, verb: usize) -> Option<usize> {
        self.child_where(verb, |r| r == Deprel::Iobj)
    }

    /// The oblique dependents (`obl`, `obl:agent`) of a predicate with their prepositions.
    pub fn obliques_of(&self, verb: usize) -> Vec<Oblique> {
        self.children(verb)
            .iter()
            .copied()
            .filter(|&c| matches!(self.deprel[c], Deprel::Obl | Deprel::OblAgent))
            .map(|c| Oblique {
                head: c,
                case: self.child_where(c, |r| r == Deprel::Case),
                relation: self.deprel[c],
            })
            .collect()
    }

    /// The agent of a passive verb: its `obl:agent` dependent ("expelled *by the government*"
    /// → "government").
    pub fn passive_agent_of(&self, verb: usize) -> Option<usize> {
        self.child_where(verb, |r| r == Deprel::OblAgent)
    }

    /// Whether a verb is passive: it has an `nsubj:pass`, `aux:pass` or `obl:agent` dependent,
    /// or it is a participle modifying a noun with a `by` agent.
    pub fn is_passive(&self, verb: usize) -> bool {
        self.child_where(verb, |r| {
            matches!(r, Deprel::NsubjPass | Deprel::AuxPass | Deprel::OblAgent)
        })
        .is_some()
    }

    /// The clausal complement of a verb: its `ccomp`, else its `xcomp`.
    pub fn clausal_complement_of(&self, verb: usize) -> Option<usize> {
        self.child_where(verb, |r| r == Deprel::Ccomp)
            .or_else(|| self.child_where(verb, |r| r == Deprel::Xcomp))
    }

    /// The head of the phrase `i` belongs to: climbs from `i` through noun-phrase-internal
    /// relations (compound, flat, fixed, goeswith, amod, det, nummod, case, and punctuation
    /// inside such phrases). "Pro-EU demonstrators": from "Pro" or "EU" → "demonstrators".
    pub fn head_of_phrase(&self, i: usize) -> usize {
        let mut cur = i;
        for _ in 0..self.len() {
            let inner = matches!(
                self.rel(cur),
                Some(
                    Deprel::Compound
                        | Deprel::Flat
                        | Deprel::Fixed
                        | Deprel::Goeswith
                        | Deprel::Amod
                        | Deprel::Det
                        | Deprel::Nummod
                        | Deprel::Case
                )
            ) || (self.rel(cur) == Some(Deprel::Punct)
                && self.head[cur].is_some_and(|h| {
                    matches!(
                        self.deprel[h],
                        Deprel::Compound | Deprel::Amod | Deprel::Flat
                    )
                }));
            match (inner, self.head.get(cur).copied().flatten()) {
                (true, Some(h)) => cur = h,
                _ => break,
            }
        }
        cur
    }

    /// Tokens of the subtree of `i` as a contiguous range (a parse may be non-projective; the
    /// range spans the leftmost to the rightmost descendant).
    pub fn subtree_span(&self, i: usize) -> Range<usize> {
        if i >= self.len() {
            return i..i;
        }
        let (mut lo, mut hi) = (i, i);
        let mut stack = vec![i];
        let mut seen = 0usize;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > self.len() {
                break;
            }
            lo = lo.min(x);
            hi = hi.max(x);
            stack.extend_from_slice(self.children(x));
        }
        lo..hi + 1
    }

    /// The span of the noun phrase headed by `head`: its subtree without relative and other
    /// clausal modifiers (`acl`, `acl:relcl`), appositions, parataxis and the punctuation that
    /// sets them off. The span stops before the first such dependent on either side, so it is
    /// always contiguous and contains `head`.
    pub fn noun_phrase_span(&self, head: usize) -> Range<usize> {
        if head >= self.len() {
            return head..head;
        }
        let cut = |r: Deprel| {
            matches!(
                r,
                Deprel::Acl | Deprel::AclRelcl | Deprel::Appos | Deprel::Parataxis
            )
        };
        let (mut lo, mut hi) = (head, head + 1);
        // Right side: kept dependents in order until the first cut one.
        for &c in self.children(head).iter().filter(|&&c| c > head) {
            if cut(self.deprel[c]) {
                break;
            }
            if self.deprel[c] == Deprel::Punct {
                continue;
            }
            hi = hi.max(self.subtree_span(c).end);
        }
        for &c in self.children(head).iter().rev().filter(|&&c| c < head) {
            if cut(self.deprel[c]) {
                break;
            }
            if self.deprel[c] == Deprel::Punct {
                continue;
            }
            lo = lo.min(self.subtree_span(c).start);
        }
        // Trim punctuation left at the edges.
        while lo < head && self.upos[lo] == Upos::Punct {
            lo += 1;
        }
        while hi > head + 1 && self.upos[hi - 1] == Upos::Punct {
            hi -= 1;
        }
        lo..hi
    }

    /// The nearest verb governing `token`: the closest ancestor tagged VERB, or failing that
    /// the closest ancestor that heads a clause (has a subject or copula, or is a root).
    pub fn governing_verb(&self, token: usize) -> Option<usize> {
        let mut cur = self.head.get(token).copied().flatten()?;
        let mut fallback = None;
        for _ in 0..self.len() {
            if self.upos[cur] == Upos::Verb {
                return Some(cur);
            }
            if fallback.is_none()
                && (self.head[cur].is_none()
                    || self
                        .child_where(cur, |r| r.is_subject() || r == Deprel::Cop)
                        .is_some())
            {
                fallback = Some(cur);
            }
            match self.head[cur] {
                Some(h) => cur = h,
                None => break,
            }
        }
        fallback
    }

    /// The root of the sentence holding `token`.
    pub fn root_of(&self, token: usize) -> Option<usize> {
        let mut cur = token;
        if cur >= self.len() {
            return None;
        }
        for _ in 0..self.len() {
            match self.head[cur] {
                Some(h) => cur = h,
                None => return Some(cur),
            }
        }
        None
    }
}
