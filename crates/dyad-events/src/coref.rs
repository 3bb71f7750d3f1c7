//! Reference across sentences at the event level: whom a reaction is aimed at, and who "we" is
//! in a statement.
//!
//! - "The UN chief condemned *the attack*", "Islamabad denied *the charges*": a reaction whose
//!   object is a noun naming an act is aimed at whoever did that act. The agent comes from the
//!   noun's own phrase ("the PKK attack", "North Korea's test", "the detention … by security
//!   forces"), else from the latest earlier event of that kind in the article; for accusations
//!   ("the charges", "the claim") from the latest earlier act told against the reacting party.
//! - Condolences and sympathy for unnamed victims go to the target of the latest act of violence.
//! - "We condemn …" outside any quote is the voice of the text itself: a press statement or a
//!   readout. Its speaker is the article's main party: the source of the body's first verbal
//!   event (a statement, appeal, consultation, demand, disapproval), else the first party the
//!   body names as a subject.

use crate::recode::root;
use crate::{Event, SentenceCoder};
use dyad_syntax::Upos;
use dyad_text::TokenKind;

/// Nouns for what one party said against another: denying or rejecting them answers the
/// accuser.
const ACCUSATION_NOUNS: &[&str] = &[
    "charge",
    "charges",
    "allegation",
    "allegations",
    "accusation",
    "accusations",
    "claim",
    "claims",
    "criticism",
    "accusing",
    "reports",
    "report",
];

/// Roots of reactions whose object may be an act rather than a party: statements (deny),
/// appeals and demands about an act, praise, disapproval, rejection.
pub(crate) fn is_reaction(code_root: u8) -> bool {
    matches!(code_root, 1 | 5 | 11 | 12)
}

/// How far back (in sentences) an antecedent act may lie.
const ANTECEDENT_SENTENCES: usize = 12;

impl SentenceCoder<'_> {
    /// The target of a reaction at verb `t` whose object names an act, or nothing.
    pub(crate) fn reaction_target(&self, t: usize, sources: &[usize], out: &[Event]) -> Vec<usize> {
        let Some(noun) = self.object_noun(t) else {
            return Vec::new();
        };
        let not_source = |a: &usize| {
            !sources.contains(a)
                && !sources
                    .iter()
                    .any(|&s| self.actors.actors[s].code == self.actors.actors[*a].code)
        };
        // The act's own agent, inside its phrase.
        let inner: Vec<usize> = self
            .inner_agents(noun)
            .into_iter()
            .filter(not_source)
            .collect();
        if !inner.is_empty() {
            return inner;
        }
        let earliest = self.si.saturating_sub(ANTECEDENT_SENTENCES);
        let recent = out.iter().rev().filter(|e| e.sentence >= earliest);
        let w = self.doc.norm(noun);
        if ACCUSATION_NOUNS.contains(&w) {
            // "denied the charges": the latest accusation aimed at the reacting party.
            let accused = |e: &Event| {
                e.target.is_some_and(|x| {
                    sources.iter().any(|&s| {
                        s == x
                            || (self.actors.actors[s].country.is_some()
                                && self.actors.actors[s].country == self.actors.actors[x].country)
                    })
                })
            };
            // (Any act against the party counts: "the army said it had killed 20 fighters.
            // The group denied the claim.")
            return recent
                .filter(|e| accused(e))
                .find_map(|e| e.source)
                .filter(not_source)
                .into_iter()
                .collect();
        }
        let Some(kind) = self.lex.noun_root(self.ids[noun]) else {
            return Vec::new();
        };
        // Force of any kind answers a noun of force ("the attack" after "shelled", "killed").
        let same_kind = |e: &Event| {
            let r = root(&e.code);
            r == kind || (kind >= 18 && r >= 18) || (kind == 17 && r == 17)
        };
        recent
            .filter(|e| same_kind(e))
            .find_map(|e| e.source)
            .filter(not_source)
            .into_iter()
            .collect()
    }

    /// The noun heading the object of the verb at `t`, when it names an act or an accusation:
    /// the parse's object, else one of its obliques ("protested over the arrests"), else the
    /// first act noun within a few words after the verb (dates, numbers and names skipped:
    /// "condemned the Dec. 10 PKK attack").
    fn object_noun(&self, t: usize) -> Option<usize> {
        let syn = self.syntax;
        let is_act = |k: usize| {
            self.doc.tokens[k].kind == TokenKind::Word
                && (ACCUSATION_NOUNS.contains(&self.doc.norm(k))
                    || self.lex.noun_root(self.ids[k]).is_some())
        };
        if t < syn.len() {
            let parsed = syn
                .object_of(t)
                .into_iter()
                .chain(syn.obliques_of(t).into_iter().map(|o| o.head))
                .map(|o| syn.head_of_phrase(o))
                .filter(|&o| o > t)
                .find(|&o| matches!(syn.upos[o], Upos::Noun) && is_act(o));
            if parsed.is_some() {
                return parsed;
            }
        }
        let limit = self.clause_limit(t + 1).min(t + 8);
        (t + 1..limit)
            .take_while(|&k| {
                let w = self.doc.norm(k);
                !matches!(w, "," | ";" | "and" | "but" | "that")
            })
            .find(|&k| {
                !self.doc.tokens[k].upper
                    && !crate::arguments::DETERMINERS.contains(&self.doc.norm(k))
                    && is_act(k)
            })
    }

    /// "Boko Haram claimed responsibility for the attack": the claimed act is the latest act of
    /// that kind in the article. The claimer takes it over when its doer was unnamed or a
    /// countryless role ("gunmen"), and the claim is aimed at the act's target.
    pub(crate) fn claim_responsibility(
        &self,
        t: usize,
        end: usize,
        claimer: usize,
        out: &mut [Event],
    ) -> Option<usize> {
        let limit = self.clause_limit(t + 1).min(end + 6);
        let for_at = (t + 1..limit).find(|&k| self.doc.norm(k) == "for")?;
        let noun = (for_at + 1..limit).find(|&k| {
            self.doc.tokens[k].kind == TokenKind::Word && self.lex.noun_root(self.ids[k]).is_some()
        })?;
        let kind = self.lex.noun_root(self.ids[noun])?;
        let earliest = self.si.saturating_sub(ANTECEDENT_SENTENCES);
        let act = out
            .iter_mut()
            .rev()
            .filter(|e| e.sentence >= earliest)
            .find(|e| {
                let r = root(&e.code);
                r == kind || (kind >= 18 && r >= 18)
            })?;
        let unnamed = act.source.is_none_or(|s| {
            let x = &self.actors.actors[s];
            x.country.is_none() && x.org.is_none()
                || (x.org.is_none() && x.sector.as_deref().is_some_and(|s| s == "UAF"))
        });
        if unnamed {
            act.source = Some(claimer);
            // The evidence still shows the first telling; say where the doer came from.
            act.rule.recoded = Some("doer named by a later claim of responsibility");
        }
        act.target
    }

    /// "extended condolences to the families of the victims": sympathy with no named party is
    /// for the victims of the latest act of violence the article tells.
    pub(crate) fn victims_of_latest_violence(
        &self,
        sources: &[usize],
        out: &[Event],
    ) -> Option<usize> {
        let earliest = self.si.saturating_sub(ANTECEDENT_SENTENCES);
        out.iter()
            .rev()
            .filter(|e| e.sentence >= earliest && root(&e.code) >= 18)
            .filter_map(|e| e.target)
            .find(|&x| {
                let a = &self.actors.actors[x];
                (a.country.is_some() || a.org.is_some()) && !sources.contains(&x)
            })
    }

    /// The voice of the text itself, for "we" outside quotes.
    pub(crate) fn issuer(&self, out: &[Event]) -> Option<usize> {
        let named = |a: usize| {
            self.actors.actors[a].country.is_some() || self.actors.actors[a].org.is_some()
        };
        // The first party that speaks or acts verbally in the body (not the headline, which
        // often names the other side's act: "North Korea's Nuclear Test").
        out.iter()
            .filter(|e| !self.doc.structure.is_headline(e.sentence))
            .filter(|e| matches!(root(&e.code), 1..=5 | 10..=12))
            .filter_map(|e| e.source)
            .find(|&a| named(a))
            .or_else(|| {
                // Else the first party the body names as a subject (no preposition before it).
                self.actors
                    .mentions
                    .iter()
                    .filter(|m| m.prep.is_none() && !m.adjectival)
                    .filter(|m| !self.doc.structure.is_headline(m.sentence))
                    .find_map(|m| m.actors.iter().copied().find(|&a| named(a)))
            })
    }
}
