//! Nominal events and their agents, read from the dependency parse.
//!
//! A noun that names an act ("the arrests", "air strikes", "the attack") is an event only with
//! its own agent: a possessor ("Russia's invasion"), a modifier ("the PKK attack", "Israeli air
//! raids") or a `by` phrase ("strikes by NATO aircraft"). The subject of the clause is its agent
//! only when the verb merely carries the noun ("launched an attack", "held talks", "imposed
//! sanctions"). Elsewhere the noun is what another act is about: in "Britain criticised the
//! arrests of 50 activists" Britain arrested no one.

use crate::SentenceCoder;
use dyad_syntax::{Deprel, Upos};

/// Verbs that carry a nominal event whose agent is their subject ("launched an offensive").
const LIGHT_VERBS: &[&str] = &[
    "launch", "launched", "launches", "launching", "carry", "carried", "carries", "carrying",
    "conduct", "conducted", "conducts", "conducting", "stage", "staged", "stages", "staging",
    "hold", "held", "holds", "holding", "mount", "mounted", "mounts", "mounting", "make", "made",
    "makes", "making", "take", "took", "taken", "takes", "taking", "give", "gave", "given",
    "gives", "giving", "issue", "issued", "issues", "issuing", "deliver", "delivered",
    "delivers", "begin", "began", "begun", "begins", "start", "started", "starts", "starting",
    "continue", "continued", "continues", "continuing", "resume", "resumed", "resumes",
    "resuming", "step", "stepped", "steps", "intensify", "intensified", "intensifies",
    "escalate", "escalated", "escalates", "unleash", "unleashed", "unleashes", "perform",
    "performed", "have", "has", "had", "having", "sign", "signed", "signs", "reach", "reached",
    "reaches", "announce", "announced", "announces", "impose", "imposed", "imposes",
    "imposing", "order", "ordered", "orders", "agree", "agreed", "agrees", "declare", "declared",
    "declares", "wage", "waged", "wages", "waging", "open", "opened", "opens", "extend",
    "extended", "extends", "offer", "offered", "offers", "send", "sent", "sends", "provide",
    "provided", "provides", "pay", "paid", "pays", "lodge", "lodged", "lodges", "file", "filed",
    "files", "express", "expressed", "expresses", "renew", "renewed", "renews", "lift", "lifted",
    "lifts", "end", "ended", "ends", "halt", "halted", "halts", "suspend", "suspended",
    "suspends", "arrange", "arranged", "arranging", "plan", "planned", "plans", "planning",
    "host", "hosted", "hosts", "hosting", "attend", "attended", "attends", "join", "joined",
    "joins", "use", "used", "uses", "using", "fire", "fired", "fires", "firing", "keep", "kept",
    "keeps", "maintain", "maintained", "maintains", "tighten", "tightened", "tightens",
    "strengthen", "strengthened", "strengthens", "expand", "expanded", "expands", "deepen",
    "deepened", "deepens", "is", "are", "was", "were", "be", "been",
];

/// Who did a nominal event, as far as its own noun phrase tells.
pub(crate) enum NominalAgent {
    /// The parse has the noun as an argument of a light verb (or as a predicate of its own):
    /// the clause's subject is the agent, as for a verb.
    Clause,
    /// The noun is an argument of another predicate: only these actors (possibly none) did it.
    Inner(Vec<usize>),
}

impl SentenceCoder<'_> {
    /// The agent of the nominal event whose phrase starts at token `t`.
    pub(crate) fn nominal_agent(&self, t: usize) -> NominalAgent {
        let syn = self.syntax;
        if t >= syn.len() {
            return NominalAgent::Clause;
        }
        let head = syn.head_of_phrase(t);
        let Some(gov) = syn.head[head] else {
            return NominalAgent::Clause;
        };
        let rel = syn.deprel[head];
        let argument = matches!(
            rel,
            Deprel::Obj | Deprel::Iobj | Deprel::Nsubj | Deprel::NsubjPass | Deprel::Obl
        );
        let governed_by_verb = matches!(syn.upos[gov], Upos::Verb | Upos::Aux);
        if !(argument && governed_by_verb) || LIGHT_VERBS.contains(&self.doc.norm(gov)) {
            return NominalAgent::Clause;
        }
        let mut inner: Vec<usize> = Vec::new();
        for &c in syn.children(head) {
            let by_phrase = syn.deprel[c] == Deprel::Nmod
                && syn
                    .children(c)
                    .iter()
                    .any(|&k| syn.deprel[k] == Deprel::Case && self.doc.norm(k) == "by");
            let modifier = matches!(
                syn.deprel[c],
                Deprel::NmodPoss | Deprel::Compound | Deprel::Amod
            );
            if !(by_phrase || modifier) {
                continue;
            }
            if let Some(mi) = self.actors.mention_at(c) {
                for &a in &self.actors.mentions[mi].actors {
                    if !inner.contains(&a) {
                        inner.push(a);
                    }
                }
            }
        }
        // Modifiers that belong to the phrase's first words ("the PKK attack": "PKK" may hang
        // off "attack" or sit before the anchor).
        if inner.is_empty() && t > self.range.start {
            if let Some(mi) = self.actors.mention_at(t - 1) {
                let m = &self.actors.mentions[mi];
                if m.prep.is_none() && (m.adjectival || m.possessive) {
                    inner.extend(m.actors.iter().copied());
                }
            }
        }
        NominalAgent::Inner(inner)
    }
}
