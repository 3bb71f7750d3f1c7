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
    "launch",
    "launched",
    "launches",
    "launching",
    "carry",
    "carried",
    "carries",
    "carrying",
    "conduct",
    "conducted",
    "conducts",
    "conducting",
    "stage",
    "staged",
    "stages",
    "staging",
    "hold",
    "held",
    "holds",
    "holding",
    "mount",
    "mounted",
    "mounts",
    "mounting",
    "make",
    "made",
    "makes",
    "making",
    "take",
    "took",
    "taken",
    "takes",
    "taking",
    "give",
    "gave",
    "given",
    "gives",
    "giving",
    "issue",
    "issued",
    "issues",
    "issuing",
    "deliver",
    "delivered",
    "delivers",
    "begin",
    "began",
    "begun",
    "begins",
    "start",
    "started",
    "starts",
    "starting",
    "continue",
    "continued",
    "continues",
    "continuing",
    "resume",
    "resumed",
    "resumes",
    "resuming",
    "step",
    "stepped",
    "steps",
    "intensify",
    "intensified",
    "intensifies",
    "escalate",
    "escalated",
    "escalates",
    "unleash",
    "unleashed",
    "unleashes",
    "perform",
    "performed",
    "have",
    "has",
    "had",
    "having",
    "sign",
    "signed",
    "signs",
    "reach",
    "reached",
    "reaches",
    "announce",
    "announced",
    "announces",
    "impose",
    "imposed",
    "imposes",
    "imposing",
    "order",
    "ordered",
    "orders",
    "agree",
    "agreed",
    "agrees",
    "declare",
    "declared",
    "declares",
    "wage",
    "waged",
    "wages",
    "waging",
    "open",
    "opened",
    "opens",
    "extend",
    "extended",
    "extends",
    "offer",
    "offered",
    "offers",
    "send",
    "sent",
    "sends",
    "provide",
    "provided",
    "provides",
    "pay",
    "paid",
    "pays",
    "lodge",
    "lodged",
    "lodges",
    "file",
    "filed",
    "files",
    "express",
    "expressed",
    "expresses",
    "renew",
    "renewed",
    "renews",
    "lift",
    "lifted",
    "lifts",
    "end",
    "ended",
    "ends",
    "halt",
    "halted",
    "halts",
    "suspend",
    "suspended",
    "suspends",
    "arrange",
    "arranged",
    "arranging",
    "plan",
    "planned",
    "plans",
    "planning",
    "host",
    "hosted",
    "hosts",
    "hosting",
    "attend",
    "attended",
    "attends",
    "join",
    "joined",
    "joins",
    "use",
    "used",
    "uses",
    "using",
    "fire",
    "fired",
    "fires",
    "firing",
    "keep",
    "kept",
    "keeps",
    "maintain",
    "maintained",
    "maintains",
    "tighten",
    "tightened",
    "tightens",
    "strengthen",
    "strengthened",
    "strengthens",
    "expand",
    "expanded",
    "expands",
    "deepen",
    "deepened",
    "deepens",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
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
        let mut inner = self.inner_agents(head);
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

    /// Actors inside the noun phrase headed by `head` that can be its doer: a possessor
    /// ("Russia's invasion"), a modifier ("the PKK attack", "Israeli raids") or a `by` phrase.
    pub(crate) fn inner_agents(&self, head: usize) -> Vec<usize> {
        let syn = self.syntax;
        let mut inner: Vec<usize> = Vec::new();
        if head >= syn.len() {
            return inner;
        }
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
        inner
    }
}

/// Relations that open a clause of its own: an actor below one is an argument of another
/// predicate, not of the verb above it. `strict` (talk: consulting, statements) also cuts at
/// participle modifiers, infinitives, adverbial and complement clauses and passive agents
/// ("discussed the steps taken by X"); for other acts those often carry the target ("refused
/// to deploy troops in Iraq", "rejected calls by the UN"), and the parser's attachment of
/// adverbial clauses is too unsure to overrule the clause window with.
fn is_clausal(r: Deprel, strict: bool) -> bool {
    matches!(r, Deprel::AclRelcl | Deprel::Csubj | Deprel::Parataxis)
        || (strict
            && matches!(
                r,
                Deprel::Acl
                    | Deprel::Xcomp
                    | Deprel::OblAgent
                    | Deprel::Advcl
                    | Deprel::Ccomp
                    | Deprel::Nsubj
                    | Deprel::NsubjPass
            ))
}

impl SentenceCoder<'_> {
    /// Whether the parse lets mention `mi` be an object of the verb at `verb`: its path up to the
    /// verb crosses no clause of its own ("discussed the steps *taken by the United States*"),
    /// and, for talk (`topic_nouns`: consulting, statements), no noun that names an act
    /// ("discussed *the fight against* ISIL": a topic, not a party). A mention the parse puts
    /// under another verb between the two is in another clause. `clause_subjects` lets the
    /// subject of a demanded or threatened act through ("demanded that *the US* cancel").
    /// Where the parse says nothing useful, the window's choice stands.
    pub(crate) fn parse_allows_object(
        &self,
        verb: usize,
        mi: usize,
        clause_subjects: bool,
        topic_nouns: bool,
    ) -> bool {
        let syn = self.syntax;
        let m = &self.actors.mentions[mi];
        if verb >= syn.len() || m.tokens.end > syn.len() || m.tokens.is_empty() {
            return true;
        }
        // A parse that does not even see the verb as a verb has the clause wrong: no veto.
        if !matches!(syn.upos[verb], Upos::Verb | Upos::Aux) {
            return true;
        }
        // The mention's own head: the token whose head lies outside the mention.
        let head = m
            .tokens
            .clone()
            .find(|&k| syn.head[k].is_none_or(|h| !m.tokens.contains(&h)))
            .unwrap_or(m.tokens.end - 1);
        let mut cur = head;
        for _ in 0..8 {
            let Some(h) = syn.head[cur] else {
                return true;
            };
            let rel = syn.deprel[cur];
            let demanded = clause_subjects
                && matches!(
                    rel,
                    Deprel::Ccomp
                        | Deprel::Xcomp
                        | Deprel::Advcl
                        | Deprel::Nsubj
                        | Deprel::NsubjPass
                );
            if is_clausal(rel, topic_nouns) && !demanded {
                return false;
            }
            if h == verb {
                return true;
            }
            if topic_nouns && syn.upos[h] == Upos::Verb && h > verb && h < m.tokens.start {
                return false;
            }
            if topic_nouns && syn.upos[h] == Upos::Noun && self.lex.noun_root(self.ids[h]).is_some()
            {
                return false;
            }
            cur = h;
        }
        true
    }
}
