//! Negation, modality and voice from the words before the verb, and background clauses.

use crate::arguments::BE;
use crate::pattern::is_negation;
use crate::SentenceCoder;
use chrono::Datelike;
use dyad_dates::TimeKind;
use dyad_text::TokenKind;

pub(crate) const FUTURE: &[&str] = &[
    "will", "would", "'ll", "shall", "could", "might", "may", "wo", "ca",
];
pub(crate) const OBLIGATION: &[&str] = &["must", "should", "ought"];
/// Governing words that make a following `to`-infinitive an intention, not an act.
pub(crate) const INTENT: &[&str] = &[
    "plan",
    "plans",
    "planned",
    "planning",
    "intend",
    "intends",
    "intended",
    "want",
    "wants",
    "wanted",
    "seek",
    "seeks",
    "sought",
    "aim",
    "aims",
    "aimed",
    "hope",
    "hopes",
    "hoped",
    "ready",
    "willing",
    "prepared",
    "pledge",
    "pledged",
    "pledges",
    "promise",
    "promised",
    "promises",
    "vow",
    "vowed",
    "vows",
    "offer",
    "offered",
    "offers",
    "threaten",
    "threatened",
    "threatens",
    "expected",
    "going",
    "likely",
    "poised",
    "wish",
    "wishes",
    "would",
    "need",
    "needs",
    "try",
    "tried",
    "tries",
    "trying",
    "attempt",
    "attempted",
    "able",
    "order",
    "refuse",
    "refused",
    "refuses",
    "declined",
    "decline",
    "failed",
    "fail",
    "fails",
];
/// Governing words after which a `to`-infinitive is a realized act ("agreed to ask").
pub(crate) const REALIS: &[&str] = &[
    "agreed",
    "agree",
    "agrees",
    "decided",
    "decides",
    "began",
    "begun",
    "begins",
    "started",
    "starts",
    "continue",
    "continued",
    "continues",
    "managed",
    "moved",
    "voted",
    "went",
    "proceeded",
    "used",
    "came",
    "rushed",
    "hastened",
    "sought",
    // Arranged, not merely intended: "is scheduled to attend a summit"; imminent: "is about to
    // restore ties".
    "scheduled",
    "slated",
    "set",
    "due",
    "about",
];
pub(crate) const REFUSAL: &[&str] = &[
    "refuse", "refused", "refuses", "declined", "decline", "failed", "fail", "fails",
];
impl SentenceCoder<'_> {
    /// Negation, modality and voice from the words before the verb.
    pub(crate) fn auxiliaries(&self, t: usize, left: usize) -> Aux {
        let doc = self.doc;
        let mut a = Aux::default();
        let floor = left.max(t.saturating_sub(7));
        let mut k = t;
        let mut seen_to = false;
        while k > floor {
            k -= 1;
            let w = doc.norm(k);
            if self.actors.mention_at(k).is_some()
                || matches!(doc.tokens[k].kind, TokenKind::Quote(_) | TokenKind::Final)
                || matches!(w, "," | ";" | ":")
            {
                break;
            }
            // "did not attack", "had no plans to attack", "does not intend to …": a negation
            // anywhere in the verb group counts.
            if is_negation(w) {
                a.negated = true;
            }
            if k + 1 == t || !seen_to {
                if w == "without" {
                    a.negated = true;
                }
                if FUTURE.contains(&w) {
                    a.future = true;
                }
                if OBLIGATION.contains(&w)
                    || (matches!(w, "have" | "has" | "had" | "need" | "needs")
                        && doc.is_word(k + 1, "to"))
                {
                    a.obligation = true;
                }
                if BE.contains(&w) && k + 3 >= t {
                    a.passive = true;
                }
                if matches!(w, "had" | "has" | "have" | "was" | "were" | "did") {
                    a.past |= matches!(w, "had" | "was" | "were" | "did");
                }
            }
            if w == "to" && k + 1 == t {
                seen_to = true;
                // The word governing the infinitive.
                let g = if k > floor { doc.norm(k - 1) } else { "" };
                if REFUSAL.contains(&g) {
                    a.refused = true;
                } else if INTENT.contains(&g) {
                    a.intent = true;
                } else if REALIS.contains(&g) {
                    // "agreed to ask": done.
                } else if self.lex.is_verb_form(g) {
                    // The complement of another event verb ("called to stop"): not an act.
                    a.intent_other = true;
                    a.intent = true;
                } else {
                    // Purpose: "to try to convince them".
                    a.intent_other = true;
                    a.intent = true;
                }
                if matches!(g, "going") {
                    a.future = true;
                }
            }
            if w == "if" || w == "unless" {
                a.conditional = true;
            }
            if w == "that" || w == "who" || w == "which" {
                break;
            }
        }
        a
    }

    pub(crate) fn is_background(&self, t: usize) -> bool {
        let Some(date) = self.date else { return false };
        let clause_start = {
            let mut k = t;
            while k > self.range.start && !matches!(self.doc.norm(k - 1), ";" | ":") {
                k -= 1;
            }
            k
        };
        let end = self.clause_limit(t);
        self.times[self.si]
            .iter()
            .filter(|e| e.tokens.start >= clause_start && e.tokens.end <= end)
            .any(|e| match e.kind {
                TimeKind::Year(y) => y < date.year() - 1,
                TimeKind::MonthDay { year: Some(y), .. } => y < date.year() - 1,
                _ => false,
            })
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Aux {
    pub(crate) negated: bool,
    pub(crate) future: bool,
    pub(crate) intent: bool,
    /// The infinitive depends on something other than an intention word (purpose, complement).
    pub(crate) intent_other: bool,
    pub(crate) obligation: bool,
    pub(crate) conditional: bool,
    pub(crate) refused: bool,
    pub(crate) passive: bool,
    pub(crate) past: bool,
}
