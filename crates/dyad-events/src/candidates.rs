//! Candidate events: a verb form and the best pattern after it, or a nominal phrase; and the
//! candidates that only describe another event of the sentence.

use crate::arguments::{BE, DETERMINERS};
use crate::lexicon::Form;
use crate::pattern::{self, Ctx};
use crate::recode::root;
use crate::{Rule, SentenceCoder};
use dyad_text::TokenKind;

/// One candidate before roles and modality are settled.
pub(crate) struct Candidate {
    pub(crate) anchor: usize,
    pub(crate) end: usize,
    pub(crate) code: String,
    pub(crate) rule: Rule,
    pub(crate) targets: Vec<usize>,
    pub(crate) sources: Vec<usize>,
    pub(crate) weight: u32,
    pub(crate) has_target_slot: bool,
    pub(crate) pattern_negated: bool,
    pub(crate) form: Option<Form>,
    pub(crate) is_default: bool,
}

impl SentenceCoder<'_> {
    /// Drops candidates that only describe another event of the sentence: the act an appeal,
    /// demand, threat or promise is about ("urged the EC *to support* the PLO", "demanded that
    /// the US *cancel* plans") and a consequence participle ("…, *killing* 20 people").
    pub(crate) fn drop_dependent(&self, cands: Vec<Candidate>) -> Vec<Candidate> {
        let doc = self.doc;
        let mut out: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            let t = c.anchor;
            let governed = out.iter().any(|p| {
                matches!(root(&p.code), 2 | 3 | 10 | 11 | 12 | 13)
                    && p.anchor < t
                    && (c.form == Some(Form::Base) || (c.form.is_none() && p.end <= t))
                    && !(p.anchor..t).any(|k| {
                        matches!(doc.norm(k), ";" | ".")
                            || matches!(doc.tokens[k].kind, TokenKind::Quote(_))
                    })
            });
            let consequence = c.form == Some(Form::Ing)
                && t > self.range.start
                && doc.norm(t - 1) == ","
                && !out.is_empty();
            if !(governed || consequence) {
                out.push(c);
            }
        }
        out
    }

    pub(crate) fn clause_limit(&self, from: usize) -> usize {
        let mut t = from;
        while t < self.range.end {
            let tok = &self.doc.tokens[t];
            if matches!(tok.kind, TokenKind::Final | TokenKind::Quote(_))
                || matches!(self.doc.norm(t), ";" | ":")
            {
                break;
            }
            t += 1;
        }
        t
    }

    /// A verb at `t` and the best pattern after it.
    pub(crate) fn verb_candidate(&self, t: usize) -> Option<Candidate> {
        let doc = self.doc;
        let forms = self.lex.forms.get(&self.ids[t])?;
        if doc.tokens[t].kind != TokenKind::Word {
            return None;
        }
        if self.actors.mention_at(t).is_some() {
            return None;
        }
        // "Russian-supported separatists", "Saudi-led coalition": a participle glued to the
        // word before by a hyphen is an adjective, not a verb.
        if t >= self.range.start + 2
            && doc.norm(t - 1) == "-"
            && doc.tokens[t - 1].span.start == doc.tokens[t - 2].span.end
            && doc.tokens[t - 1].span.end == doc.tokens[t].span.start
        {
            return None;
        }
        // "unceasing terror attacks": the parse tags the word a noun and hangs a modifier before
        // it on it. (Tag and attachment must agree; either alone errs too often on news.)
        if t > self.range.start && t < self.syntax.len() {
            let syn = self.syntax;
            let modified = syn.head[t - 1] == Some(t)
                && matches!(
                    syn.deprel[t - 1],
                    dyad_syntax::Deprel::Amod
                        | dyad_syntax::Deprel::Compound
                        | dyad_syntax::Deprel::Nummod
                );
            // (An actor right before is its subject: "the Dutch king met", "forces clash".)
            if syn.upos[t] == dyad_syntax::Upos::Noun
                && modified
                && self.actors.mention_at(t - 1).is_none()
            {
                return None;
            }
        }
        // A noun or adjective use: "the attack", "Moscow's appeal", "the “occupied” territories".
        let mut p = t;
        while p > self.range.start && matches!(doc.tokens[p - 1].kind, TokenKind::Quote(_)) {
            p -= 1;
        }
        if p > self.range.start {
            let prev = doc.norm(p - 1);
            if DETERMINERS.contains(&prev)
                || matches!(
                    prev,
                    "of" | "for"
                        | "new"
                        | "recent"
                        | "latest"
                        | "fresh"
                        | "first"
                        | "further"
                        | "possible"
                )
            {
                return None;
            }
        }
        // "to halt attacks": right after another (non-auxiliary) verb, a verb form is its object.
        if t > self.range.start {
            let prev = doc.norm(t - 1);
            if self.lex.is_verb_form(prev)
                && !BE.contains(&prev)
                && !matches!(
                    prev,
                    "have" | "has" | "had" | "did" | "do" | "does" | "will" | "would" | "to"
                )
            {
                return None;
            }
        }
        // "Israeli air raids", "Russian attacks": a nationality adjective makes it a noun.
        for back in 1..=2 {
            let Some(k) = t.checked_sub(back).filter(|&k| k >= self.range.start) else {
                break;
            };
            if let Some(mi) = self.actors.mention_at(k) {
                if self.actors.mentions[mi].adjectival {
                    return None;
                }
                break;
            }
            if self.lex.is_verb_form(doc.norm(k)) || doc.tokens[k].kind != TokenKind::Word {
                break;
            }
        }
        let limit = self.clause_limit(t + 1);
        let ctx = Ctx {
            doc,
            ids: self.ids,
            actors: self.actors,
            limit,
        };
        let next = if t + 1 < limit {
            self.ids[t + 1]
        } else {
            pattern::UNKNOWN
        };
        // The token after an actor right behind the verb ("urged *Russia* to"), for patterns
        // that start with `$T`.
        let wants_slot = forms
            .iter()
            .any(|&(vi, _)| !self.lex.verbs[vi as usize].by_after_slot.is_empty());
        let after_slot = match wants_slot.then(|| ctx.slot(t + 1)).flatten() {
            Some((_, end)) if end < limit => Some(self.ids[end]),
            _ => None,
        };
        let mut order: Vec<u32> = Vec::new();
        // An -ing form is a verb only in a progressive ("is fighting", "have been sharing");
        // elsewhere it is a gerund or a participle clause ("intense fighting", "with a view to
        // starting negotiations", "…, killing 20 people").
        let progressive = (1..=3).any(|b| {
            t >= self.range.start + b
                && matches!(
                    doc.norm(t - b),
                    "is" | "are" | "was" | "were" | "be" | "been" | "am" | "'re"
                )
        });
        let mut best: Option<Candidate> = None;
        for &(vi, form) in forms {
            if form == Form::Ing && !progressive {
                continue;
            }
            let v = &self.lex.verbs[vi as usize];
            // Only the patterns that can start with the next token, in weight order.
            order.clear();
            if let Some(v) = v.by_first.get(&next) {
                order.extend_from_slice(v);
            }
            if let Some(v) = after_slot.and_then(|id| v.by_after_slot.get(&id)) {
                order.extend_from_slice(v);
            }
            if !v.by_after_gap.is_empty() {
                for k in t + 1..(t + 2 + pattern::GAP).min(limit) {
                    if let Some(v) = v.by_after_gap.get(&self.ids[k]) {
                        order.extend_from_slice(v);
                    }
                }
                order.dedup();
            }
            order.extend_from_slice(&v.unindexed);
            order.sort_unstable();
            order.dedup();
            for cp in order.iter().map(|&i| &v.patterns[i as usize]) {
                if best.as_ref().is_some_and(|b| b.weight >= cp.pattern.weight) {
                    break;
                }
                if !self.has_words(&cp.pattern.required) {
                    continue;
                }
                if let Some(m) = ctx.match_at(&cp.pattern.elems, t + 1) {
                    best = Some(Candidate {
                        anchor: t,
                        end: m.end,
                        code: cp.code.clone(),
                        rule: Rule {
                            file: v.file.clone(),
                            entry: format!("verb {}: {}", v.lemma, cp.text),
                            pattern_code: cp.code.clone(),
                            recoded: None,
                        },
                        targets: m.targets,
                        sources: m.sources,
                        weight: cp.pattern.weight,
                        has_target_slot: cp.pattern.has_target,
                        pattern_negated: cp.pattern.has_negation,
                        form: Some(form),
                        is_default: false,
                    });
                    break;
                }
            }
            if best.is_none() {
                if let Some(code) = &v.default_code {
                    best = Some(Candidate {
                        anchor: t,
                        end: t + 1,
                        code: code.clone(),
                        rule: Rule {
                            file: v.file.clone(),
                            entry: format!("verb {}", v.lemma),
                            pattern_code: code.clone(),
                            recoded: None,
                        },
                        targets: Vec::new(),
                        sources: Vec::new(),
                        weight: 0,
                        has_target_slot: false,
                        pattern_negated: false,
                        form: Some(form),
                        is_default: true,
                    });
                }
            }
        }
        best
    }

    pub(crate) fn phrase_candidate(&self, t: usize) -> Option<Candidate> {
        let doc = self.doc;
        // Most tokens start no phrase: check that first, before any scanning.
        let starts_mention = self
            .actors
            .mention_at(t)
            .is_some_and(|m| self.actors.mentions[m].tokens.start == t);
        let may_start = self.lex.phrase_index.contains_key(&self.ids[t])
            || (starts_mention && !self.lex.phrase_at_mention.is_empty())
            || !self.lex.phrase_anywhere.is_empty();
        if !may_start {
            return None;
        }
        // A noun phrase inside a prepositional phrase ("complained … over two Israeli air
        // raids", "after the attack on …") is a circumstance of another event, not an event.
        let mut k = t;
        for _ in 0..4 {
            if k == self.range.start {
                break;
            }
            k -= 1;
            let w = doc.norm(k);
            if matches!(
                w,
                "over"
                    | "after"
                    | "for"
                    | "of"
                    | "against"
                    | "about"
                    | "following"
                    | "amid"
                    | "despite"
                    | "during"
                    | "since"
                    | "in"
                    | "before"
                    | "by"
                    | "from"
                    | "on"
            ) {
                return None;
            }
            let skippable = DETERMINERS.contains(&w)
                || self
                    .actors
                    .mention_at(k)
                    .is_some_and(|m| self.actors.mentions[m].adjectival)
                || (doc.tokens[k].kind == TokenKind::Number)
                || (!doc.tokens[k].upper
                    && doc.tokens[k].kind == TokenKind::Word
                    && !self.lex.is_verb_form(w));
            if !skippable {
                break;
            }
        }
        let limit = self.clause_limit(t);
        let ctx = Ctx {
            doc,
            ids: self.ids,
            actors: self.actors,
            limit,
        };
        let idx = self.lex.phrase_index.get(&self.ids[t]);
        let at_mention: &[u32] = if starts_mention {
            &self.lex.phrase_at_mention
        } else {
            &[]
        };
        let mut best: Option<Candidate> = None;
        for &pi in idx
            .into_iter()
            .flatten()
            .chain(at_mention.iter())
            .chain(self.lex.phrase_anywhere.iter())
        {
            let ph = &self.lex.phrases[pi as usize];
            if best.as_ref().is_some_and(|b| b.weight >= ph.pattern.weight) {
                continue;
            }
            if !self.has_words(&ph.pattern.required) {
                continue;
            }
            if let Some(m) = ctx.match_at(&ph.pattern.elems, t) {
                if m.end <= t {
                    continue;
                }
                best = Some(Candidate {
                    anchor: t,
                    end: m.end,
                    code: ph.code.clone(),
                    rule: Rule {
                        file: ph.file.clone(),
                        entry: format!("phrase: {}", ph.text),
                        pattern_code: ph.code.clone(),
                        recoded: None,
                    },
                    targets: m.targets,
                    sources: m.sources,
                    weight: ph.pattern.weight,
                    has_target_slot: ph.pattern.has_target,
                    pattern_negated: ph.pattern.has_negation,
                    form: None,
                    is_default: false,
                });
            }
        }
        best
    }
}
