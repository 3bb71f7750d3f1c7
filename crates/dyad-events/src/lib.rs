//! dyad's event stage: finds CAMEO events in an actor-annotated [`Document`].
//!
//! For every verb form in the [`EventLexicon`] (and every nominal phrase), the most specific
//! pattern that matches after it gives the code. The source is the subject found to the left
//! (compound subjects give one event each; passive voice swaps to the `by` agent), the target
//! the `$T` slot or the first actor after the verb in the same clause. The clause around the
//! verb then decides: negated events are dropped (or kept and flagged), future and intended
//! acts become expressions of intent (03x) or threats (13x), an obligation voiced by a speaker
//! becomes a demand (10x), background with an older year is dropped, and anything inside a
//! quote or a "said that" clause is reported speech attributed to the speaker.

mod lexicon;
mod pattern;
mod recode;

pub use lexicon::{CompiledPattern, CompiledPhrase, CompiledVerb, EventLexicon, Form};
pub use pattern::{Match, Pattern, PatternError};

use recode::{demand_code, intent_code, refusal_code, root, threat_code};

use chrono::{Datelike, NaiveDate};
use dyad_actors::ActorAnnotations;
use dyad_dates::{Tense, TimeKind};
use dyad_quotes::Quote;
use dyad_text::{Document, TokenKind};
use pattern::{is_negation, Ctx};
use std::ops::Range;

/// Where an event's code came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Dictionary file (`verbs/02_appeal.toml`).
    pub file: String,
    /// `verb call: for .. @ceasefire` or `phrase: phone call with $T`.
    pub entry: String,
    /// The code the pattern gives, before any recoding for modality or reported speech.
    pub pattern_code: String,
    /// Why the final code differs, if it does ("future → intent", "threat by speaker").
    pub recoded: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub sentence: usize,
    /// Tokens of the evidence: from the source mention (or the verb) to the pattern's end.
    pub tokens: Range<usize>,
    /// Token of the verb or the phrase's first word.
    pub anchor: usize,
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub code: String,
    pub rule: Rule,
    pub negated: bool,
    pub hypothetical: bool,
    pub reported: bool,
    /// Index into the article's quotes when the event is reported speech.
    pub quote: Option<usize>,
    pub date: Option<NaiveDate>,
    /// The time expression the date was resolved from, if any.
    pub date_tokens: Option<Range<usize>>,
    /// Index into the article's places.
    pub place: Option<usize>,
    pub confidence: f32,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep negated events (flagged) instead of dropping them.
    pub keep_negated: bool,
    /// Keep hypothetical events that could not be recoded (flagged).
    pub keep_hypothetical: bool,
}

/// Codes every event of `doc`.
pub fn code(
    doc: &Document,
    actors: &mut ActorAnnotations,
    quotes: &[Quote],
    lex: &EventLexicon,
    date: Option<NaiveDate>,
    opts: Options,
) -> Vec<Event> {
    let mut out = Vec::new();
    let ids = lex.vocab.ids(doc);
    // Time expressions of every sentence, found once.
    let times: Vec<Vec<dyad_dates::TimeExpr>> = doc
        .sentences
        .iter()
        .map(|s| dyad_dates::find(doc, s.tokens.clone()))
        .collect();
    for (si, s) in doc.sentences.iter().enumerate() {
        let sc = SentenceCoder {
            doc,
            ids: &ids,
            times: &times,
            actors: &*actors,
            quotes,
            lex,
            date,
            opts,
            si,
            range: s.tokens.clone(),
            present: {
                let mut p: Vec<u32> = ids[s.tokens.clone()].to_vec();
                p.sort_unstable();
                p.dedup();
                p
            },
        };
        sc.code(&mut out);
    }
    place_roles_in_country(actors, &mut out);
    out
}

/// Sectors of roles that, left without a country, belong to the other party's country: the
/// rebels a Burmese army fights, the demonstrators Egyptian police disperse.
const DOMESTIC: &[&str] = &[
    "REB", "OPP", "CVL", "COP", "JUD", "LEG", "EDU", "LAB", "REF", "UAF", "INS", "CRM", "MED",
    "BUS", "AGR", "HLH", "REL",
];

/// Gives a role with no country the country of the other party in the event.
fn place_roles_in_country(ann: &mut ActorAnnotations, events: &mut [Event]) {
    let domestic = |ann: &ActorAnnotations, a: usize| {
        let x = &ann.actors[a];
        x.country.is_none()
            && x.org.is_none()
            && x.sector.as_deref().is_some_and(|s| DOMESTIC.contains(&s))
    };
    for e in events.iter_mut() {
        let (Some(s), Some(t)) = (e.source, e.target) else {
            continue;
        };
        if domestic(ann, t) {
            if let Some(c) = ann.actors[s].country.clone() {
                e.target = Some(ann.in_country(t, &c));
            }
        } else if domestic(ann, s) {
            if let Some(c) = ann.actors[t].country.clone() {
                e.source = Some(ann.in_country(s, &c));
            }
        }
    }
}

struct SentenceCoder<'a> {
    doc: &'a Document,
    /// Token ids in the pattern vocabulary.
    ids: &'a [u32],
    /// Time expressions per sentence.
    times: &'a [Vec<dyad_dates::TimeExpr>],
    actors: &'a ActorAnnotations,
    quotes: &'a [Quote],
    lex: &'a EventLexicon,
    date: Option<NaiveDate>,
    opts: Options,
    si: usize,
    range: Range<usize>,
    /// Token ids present in the sentence, sorted: patterns whose required words are missing
    /// are skipped without matching.
    present: Vec<u32>,
}

/// One candidate before roles and modality are settled.
struct Candidate {
    anchor: usize,
    end: usize,
    code: String,
    rule: Rule,
    targets: Vec<usize>,
    sources: Vec<usize>,
    weight: u32,
    has_target_slot: bool,
    pattern_negated: bool,
    form: Option<Form>,
    is_default: bool,
}

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those", "'s", "such",
    "any", "no", "every", "each",
];
const BE: &[&str] = &[
    "was", "were", "been", "being", "is", "are", "be", "got", "get", "gets", "'s", "am",
];
const FUTURE: &[&str] = &[
    "will", "would", "'ll", "shall", "could", "might", "may", "wo", "ca",
];
const OBLIGATION: &[&str] = &["must", "should", "ought"];
/// Governing words that make a following `to`-infinitive an intention, not an act.
const INTENT: &[&str] = &[
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
const REALIS: &[&str] = &[
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
const REFUSAL: &[&str] = &[
    "refuse", "refused", "refuses", "declined", "decline", "failed", "fail", "fails",
];
/// Words that end a clause when scanning for a subject or an object.
const CLAUSE_WORDS: &[&str] = &[
    "that", "because", "while", "although", "though", "whereas", "but", "if", "unless", "whether",
    "when", "where", "after", "before", "since", "until", "so",
];
/// Prepositions after which an actor is a place or a circumstance, not the target ("in
/// Syria", "during talks with"); "at", "from", "of", "into" do introduce targets ("fired at
/// Seoul", "withdraw from Lebanon", "positions of the security forces").
const TARGET_LOCATIVE: &[&str] = &[
    "in",
    "near",
    "inside",
    "outside",
    "across",
    "throughout",
    "around",
    "within",
    "through",
    "via",
    "among",
    "under",
    "about",
    "like",
    "than",
    "since",
    "despite",
    "during",
    "over",
];

impl SentenceCoder<'_> {
    fn code(&self, out: &mut Vec<Event>) {
        let mut cands = Vec::new();
        let mut covered: Vec<Range<usize>> = Vec::new();
        for t in self.range.clone() {
            if covered.iter().any(|r| r.contains(&t)) {
                continue;
            }
            if let Some(c) = self.verb_candidate(t) {
                covered.push(c.anchor..c.end);
                cands.push(c);
            }
        }
        for t in self.range.clone() {
            if covered.iter().any(|r| r.contains(&t)) {
                continue;
            }
            if let Some(c) = self.phrase_candidate(t) {
                covered.push(c.anchor..c.end);
                cands.push(c);
            }
        }
        cands.sort_by_key(|c| c.anchor);
        let cands = self.drop_dependent(cands);
        let first_new = out.len();
        for c in cands {
            self.finish(c, out);
        }
        self.obligation_demands(out, first_new);
        // Within a sentence the same dyad and root is one event, even when the dyad is named
        // twice ("his Armenian counterpart, Zohrab Mnatsakanyan") or the act is told with two
        // verbs ("rejected the plan, and said they also opposed …"): keep the first, with the
        // most specific actor (a person over a state sector).
        let code_of = |a: Option<usize>| a.map(|a| self.actors.actors[a].code.clone());
        let mut k = first_new;
        while k < out.len() {
            let key = (
                code_of(out[k].source),
                code_of(out[k].target),
                root(&out[k].code),
            );
            let dup = (first_new..k).find(|&j| {
                (
                    code_of(out[j].source),
                    code_of(out[j].target),
                    root(&out[j].code),
                ) == key
            });
            match dup {
                Some(j) => {
                    let person = |e: &Event| {
                        e.target.is_some_and(|t| {
                            self.actors.actors[t].kind == dyad_actors::ActorKind::Person
                        })
                    };
                    if person(&out[k]) && !person(&out[j]) {
                        out.swap(j, k);
                    }
                    out.remove(k);
                }
                None => k += 1,
            }
        }
    }

    /// "The administration declared that China must drop its barriers": in reported speech, a
    /// named party that "must" or "should" do something is the target of the speaker's demand,
    /// whatever the act (coded or not). Adds a 100 event when no demand was coded from it yet.
    fn obligation_demands(&self, out: &mut Vec<Event>, first_new: usize) {
        let doc = self.doc;
        for t in self.range.clone() {
            if !matches!(doc.norm(t), "must" | "should") {
                continue;
            }
            let Some(qi) = dyad_quotes::quote_at(self.quotes, t) else {
                continue;
            };
            let q = &self.quotes[qi];
            let Some(speaker) = q.speaker else { continue };
            let (subj, first_person) = self.subject(t, q.tokens.start.max(self.range.start));
            if first_person {
                continue;
            }
            let targets: Vec<usize> = subj
                .iter()
                .flat_map(|&m| self.actors.mentions[m].actors.iter().copied())
                .filter(|&a| {
                    !self.is_generic(a)
                        && self.actors.actors[a].code != self.actors.actors[speaker].code
                })
                .collect();
            if targets.is_empty() {
                continue;
            }
            let already = out[first_new..].iter().any(|e| {
                e.source == Some(speaker)
                    && root(&e.code) == 10
                    && e.target.is_some_and(|x| targets.contains(&x))
            });
            if already {
                continue;
            }
            let rule = Rule {
                file: "(coder)".into(),
                entry: format!("obligation: … {} …", doc.norm(t)),
                pattern_code: "100".into(),
                recoded: Some("obligation voiced by the speaker → demand"),
            };
            let c = Candidate {
                anchor: t,
                end: t + 1,
                code: "100".into(),
                rule: rule.clone(),
                targets: Vec::new(),
                sources: Vec::new(),
                weight: 0,
                has_target_slot: true,
                pattern_negated: false,
                form: None,
                is_default: true,
            };
            self.push(
                c,
                out,
                vec![speaker],
                targets,
                "100".into(),
                rule,
                false,
                false,
                true,
                Some(qi),
                false,
            );
        }
    }

    /// Drops candidates that only describe another event of the sentence: the act an appeal,
    /// demand, threat or promise is about ("urged the EC *to support* the PLO", "demanded that
    /// the US *cancel* plans") and a consequence participle ("…, *killing* 20 people").
    fn drop_dependent(&self, cands: Vec<Candidate>) -> Vec<Candidate> {
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

    fn clause_limit(&self, from: usize) -> usize {
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
    fn verb_candidate(&self, t: usize) -> Option<Candidate> {
        let doc = self.doc;
        let forms = self.lex.forms.get(&self.ids[t])?;
        if doc.tokens[t].kind != TokenKind::Word {
            return None;
        }
        if self.actors.mention_at(t).is_some() {
            return None;
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

    fn phrase_candidate(&self, t: usize) -> Option<Candidate> {
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

    /// Settles roles, modality, reported speech, date and place; pushes the events.
    fn finish(&self, c: Candidate, out: &mut Vec<Event>) {
        let t = c.anchor;
        let quote_idx = dyad_quotes::quote_at(self.quotes, t);
        let quote = quote_idx.map(|i| &self.quotes[i]);
        // The left edge for the subject: the quote's start when inside one.
        let left = quote.map_or(self.range.start, |q| q.tokens.start.max(self.range.start));
        let aux = self.auxiliaries(t, left);
        let passive = c.form == Some(Form::Past) && aux.passive;

        let mut sources: Vec<usize> = c
            .sources
            .iter()
            .flat_map(|&m| self.actors.mentions[m].actors.clone())
            .collect();
        let mut targets: Vec<usize> = c
            .targets
            .iter()
            .flat_map(|&m| self.actors.mentions[m].actors.clone())
            .collect();
        let mut first_person = false;
        if c.sources.is_empty() {
            let (subj, fp) = self.subject(t, left);
            first_person = fp;
            let subj_actors: Vec<usize> = subj
                .iter()
                .flat_map(|&m| self.actors.mentions[m].actors.clone())
                .collect();
            if passive {
                // "X was attacked by Y": Y is the source, X the target.
                if targets.is_empty() {
                    targets = subj_actors;
                }
                sources = self.by_agent(c.end, c.anchor);
            } else {
                sources = subj_actors;
            }
        }
        if targets.is_empty() && !c.has_target_slot {
            // Objects stand right after the verb, often inside the pattern's gap
            // ("accused the United States of …").
            targets = self.object(t + 1, &sources, matches!(root(&c.code), 2 | 10 | 13));
            // "lifted the curfew in Montenegro", "troops on alert in the West Bank": an act done
            // in a place, with no one named, is done to that place's state.
            let weak = targets.iter().all(|&x| self.is_generic(x));
            // A meeting "in Switzerland" by one party is held with its host; with two parties
            // the meeting is between them (handled when pairing).
            let located = matches!(root(&c.code), 3 | 6..=9 | 13..=20)
                || (root(&c.code) == 4 && sources.len() == 1);
            if weak && located {
                if let Some(state) = self.location_state(t) {
                    targets = vec![state];
                }
            }
        }

        let mut code = c.code.clone();
        let mut rule = c.rule.clone();
        let mut hypothetical = aux.future || aux.intent || aux.conditional;
        let negated = (aux.negated || aux.refused) && !c.pattern_negated;
        let reported = quote.is_some();
        let mut keep = true;

        // A statement's own subject: first person or none → the speaker.
        if let Some(q) = quote {
            if (sources.is_empty() || first_person) && q.speaker.is_some() {
                sources = q.speaker.into_iter().collect();
            }
            // The speaker's own side (same country): "our troops will attack" is a threat.
            let speaker_is_source = q.speaker.is_some()
                && sources
                    .iter()
                    .all(|s| Some(*s) == q.speaker || self.same_country(*s, q.speaker));
            // The speaker's own party (same code): rebels saying the government "must agree"
            // are demanding, though both are Rwandan.
            let speaker_is_party = q.speaker.is_some_and(|sp| {
                sources
                    .iter()
                    .all(|&s| s == sp || self.actors.actors[s].code == self.actors.actors[sp].code)
            });
            let vague = sources.iter().all(|&s| self.is_generic(s));
            if aux.obligation && !speaker_is_party && !sources.is_empty() && vague {
                // "His army must abandon our land": whose army is not said; no dyad to code.
                keep = false;
            } else if aux.obligation && !speaker_is_party && !sources.is_empty() {
                // "His army must abandon our land" said by Aliyev: Aliyev demands it of them.
                let demanded = std::mem::take(&mut sources);
                targets = demanded;
                sources = q.speaker.into_iter().collect();
                code = demand_code(&code);
                rule.recoded = Some("obligation voiced by the speaker → demand");
                hypothetical = false;
            } else if hypothetical && root(&code) >= 15 {
                if speaker_is_source || sources.is_empty() {
                    sources = q.speaker.into_iter().collect();
                    code = if root(&code) >= 18 {
                        "138".into()
                    } else {
                        "130".into()
                    };
                    rule.recoded = Some("future use of force announced by the speaker → threat");
                    hypothetical = false;
                } else {
                    // "Germany will attack France," Putin said: no attack, and no threat by Putin.
                    keep = false;
                }
            }
        }
        // "Syria will not accept more refugees", "“We will not negotiate,” he said": a
        // cooperative act refused for the future is a rejection, not a non-event.
        if keep
            && aux.negated
            && (aux.future || aux.intent)
            && !c.pattern_negated
            && !sources.is_empty()
        {
            if let Some(rc) = refusal_code(&c.code) {
                let mut rule = c.rule.clone();
                rule.recoded = Some("refused future act → reject");
                return self.push(
                    c, out, sources, targets, rc, rule, false, false, reported, quote_idx, aux.past,
                );
            }
        }
        if hypothetical && keep && !aux.intent_other {
            if let Some(intent) = intent_code(&code) {
                code = intent;
                rule.recoded = Some("future or intended act → intent");
                hypothetical = false;
            } else if let Some(threat) = threat_code(&code).filter(|_| !aux.conditional) {
                // "Palestinian leaders said they would boycott …", "NATO would tighten the
                // blockade": an announced coercive act is a threat.
                code = threat;
                rule.recoded = Some("future or intended coercion → threat");
                hypothetical = false;
            } else if matches!(root(&code), 2 | 3 | 10 | 11 | 12 | 13)
                && !aux.conditional
                && !aux.intent_other
            {
                // Speech acts announced with "will" still happen when said ("will urge"): keep.
                hypothetical = !aux.future;
            }
        }
        if aux.refused && !aux.negated && !c.pattern_negated && keep {
            // "refused to negotiate" → reject (12x) rather than nothing.
            if let Some(rc) = refusal_code(&code) {
                code = rc;
                rule.recoded = Some("refusal → reject");
                return self.push(
                    c, out, sources, targets, code, rule, false, false, reported, quote_idx,
                    aux.past,
                );
            }
        }
        if !keep
            || (negated && !self.opts.keep_negated)
            || (hypothetical && !self.opts.keep_hypothetical)
        {
            return;
        }
        // An act with no one doing it ("28 people have been killed") is no event of a dyad.
        if sources.is_empty() {
            return;
        }
        if self.is_background(t) {
            return;
        }
        self.push(
            c,
            out,
            sources,
            targets,
            code,
            rule,
            negated,
            hypothetical,
            reported,
            quote_idx,
            aux.past,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        c: Candidate,
        out: &mut Vec<Event>,
        sources: Vec<usize>,
        mut targets: Vec<usize>,
        code: String,
        rule: Rule,
        negated: bool,
        hypothetical: bool,
        reported: bool,
        quote: Option<usize>,
        past: bool,
    ) {
        let tense = if hypothetical
            || rule
                .recoded
                .is_some_and(|r| r.contains("intent") || r.contains("threat"))
        {
            if past {
                Tense::Past
            } else {
                Tense::Future
            }
        } else if past || c.form == Some(Form::Past) {
            Tense::Past
        } else {
            Tense::Present
        };
        // When said matters more than when done for recoded statements; both use the clause.
        let tense = if rule.recoded.is_some() && past {
            Tense::Past
        } else {
            tense
        };
        let reported_span = quote.map(|q| self.quotes[q].tokens.clone());
        let (date, date_tokens) = self.event_date(c.anchor, tense, reported_span);
        let place = self.event_place(c.anchor);
        // Mutual acts: consulting, agreeing, restoring ties, cooperating, fighting.
        let symmetric = matches!(root(&code), 3..=6 | 19);
        let mut sources = dedup(sources);
        // A target with the source's own code ("Lavrov" → "the Russian government") is the
        // same party: no dyad.
        let source_codes: Vec<&str> = sources
            .iter()
            .map(|&s| self.actors.actors[s].code.as_str())
            .collect();
        // (A state acting on itself is fine: "Iraqi Kurds demonstrated … in Kirkuk" → Iraq.)
        targets.retain(|&t| {
            let code = self.actors.actors[t].code.as_str();
            !(sources.contains(&t) || (code.len() > 3 && source_codes.contains(&code)))
        });
        let mut targets = dedup(targets);
        // "Israeli helicopters and tanks": in a compound, a bare role belongs with the named
        // party beside it; code the named one.
        if sources.iter().any(|&s| !self.is_generic(s)) {
            sources.retain(|&s| !self.is_generic(s));
        }
        if targets.iter().any(|&t| !self.is_generic(t)) {
            targets.retain(|&t| !self.is_generic(t));
        }
        let generic_targets = targets.iter().all(|&t| self.is_generic(t));
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        if generic_targets && sources.len() >= 2 && symmetric {
            // "Putin and Macron spoke by phone": one event between the first and each other
            // (a symmetric event is matched either way round).
            let first = sources[0];
            for &b in sources.iter().skip(1).take(4) {
                pairs.push((Some(first), Some(b)));
            }
        } else {
            sources.truncate(4);
            targets.truncate(4);
            let ss: Vec<Option<usize>> = if sources.is_empty() {
                vec![None]
            } else {
                sources.iter().map(|&s| Some(s)).collect()
            };
            let ts: Vec<Option<usize>> = if targets.is_empty() {
                vec![None]
            } else {
                targets.iter().map(|&t| Some(t)).collect()
            };
            for s in &ss {
                for t in &ts {
                    pairs.push((*s, *t));
                }
            }
        }
        let start = self.evidence_start(c.anchor, &pairs);
        let mut confidence: f32 = 0.55;
        if !c.is_default {
            confidence += 0.15;
        }
        if c.has_target_slot {
            confidence += 0.1;
        }
        if pairs.iter().all(|(s, _)| s.is_some()) {
            confidence += 0.1;
        }
        if reported {
            confidence -= 0.05;
        }
        if rule.recoded.is_some() {
            confidence -= 0.1;
        }
        for (s, t) in pairs {
            out.push(Event {
                sentence: self.si,
                tokens: start..c.end,
                anchor: c.anchor,
                source: s,
                target: t,
                code: code.clone(),
                rule: rule.clone(),
                negated,
                hypothetical,
                reported,
                quote,
                date,
                date_tokens: date_tokens.clone(),
                place,
                confidence: confidence.clamp(0.05, 0.99),
            });
        }
    }

    fn evidence_start(&self, anchor: usize, pairs: &[(Option<usize>, Option<usize>)]) -> usize {
        let mut start = anchor;
        for (s, _) in pairs {
            if let Some(a) = s {
                for (_, m) in self.actors.mentions_in(self.range.start..anchor) {
                    if m.actors.contains(a) {
                        start = start.min(m.tokens.start).max(self.range.start);
                    }
                }
            }
        }
        // Keep the evidence to the clause: never more than 40 tokens before the verb.
        start.max(anchor.saturating_sub(40))
    }

    /// Whether every one of `words` (sorted ids) occurs in the sentence.
    fn has_words(&self, words: &[u32]) -> bool {
        words.iter().all(|w| self.present.binary_search(w).is_ok())
    }

    /// An actor with neither country nor organization ("troops", "officials").
    fn is_generic(&self, a: usize) -> bool {
        let x = &self.actors.actors[a];
        x.country.is_none() && x.org.is_none()
    }

    fn same_country(&self, a: usize, b: Option<usize>) -> bool {
        let Some(b) = b else { return false };
        let (x, y) = (&self.actors.actors[a], &self.actors.actors[b]);
        x.country.is_some() && x.country == y.country
    }

    /// The subject of the verb at `t`: mentions to its left in the same clause, not inside a
    /// prepositional phrase; plus compound partners ("Russia and France"). The flag says the
    /// subject is a first-person pronoun ("we call on …").
    fn subject(&self, t: usize, left: usize) -> (Vec<usize>, bool) {
        let doc = self.doc;
        let mut k = t;
        let mut crossed_verb = false;
        let floor = left.max(t.saturating_sub(60));
        while k > floor {
            k -= 1;
            let w = doc.norm(k);
            let tok = &doc.tokens[k];
            if matches!(tok.kind, TokenKind::Quote(_)) || matches!(w, ";" | ":") {
                break;
            }
            if matches!(w, "we" | "i" | "our") && !crossed_verb {
                return (Vec::new(), true);
            }
            if matches!(w, "he" | "she") && !crossed_verb {
                return (
                    self.actors
                        .last_person_before(k)
                        .map(|a| self.mention_of(a, k))
                        .into_iter()
                        .flatten()
                        .collect(),
                    false,
                );
            }
            if matches!(w, "that" | "which" | "who") {
                // "the Presidency, which already called …": the antecedent right before the
                // pronoun is the subject; "said that …": the clause's own subject is missing.
                let mut j = k;
                while j > floor && doc.norm(j - 1) == "," {
                    j -= 1;
                }
                if j > floor {
                    if let Some(mi) = self.actors.mention_at(j - 1) {
                        if self.actors.mentions[mi].prep.is_none() {
                            let mut subj = vec![mi];
                            self.compound_left(mi, &mut subj);
                            return (subj, false);
                        }
                    }
                }
                break;
            }
            if CLAUSE_WORDS.contains(&w) && w != "that" && !crossed_verb && k + 1 < t {
                break;
            }
            if let Some(mi) = self.actors.mention_at(k) {
                let m = &self.actors.mentions[mi];
                k = m.tokens.start;
                // A subject is never inside a prepositional phrase, except after a quantity
                // ("thousands of Kurds").
                let quantity_of = m.prep == Some("of") && self.after_quantity(m.tokens.start);
                if !quantity_of && m.prep.is_some() {
                    continue;
                }
                if m.possessive {
                    // "Moscow's concern": the possessor is the subject of a nominal head.
                    return (vec![mi], false);
                }
                if self.is_object(mi) {
                    crossed_verb = true;
                    continue;
                }
                let mi = self.appositive_head(mi, t).unwrap_or(mi);
                let mut subj = vec![mi];
                self.compound_left(mi, &mut subj);
                return (subj, false);
            }
            if self.lex.is_verb_form(w) && k + 1 < t && !matches!(w, "said" | "says") {
                crossed_verb = true;
            }
        }
        (Vec::new(), false)
    }

    /// "Pakistan, a key U.S. ally in the war on terror, has refused …": when mention `mi` sits
    /// in an appositive ("…, a/an/the …,") right before the verb at `t`, the subject is the
    /// mention before the opening comma.
    fn appositive_head(&self, mi: usize, t: usize) -> Option<usize> {
        let doc = self.doc;
        let m = &self.actors.mentions[mi];
        let closes = (m.tokens.end..t).any(|k| doc.norm(k) == ",");
        if !closes {
            return None;
        }
        let floor = self.range.start.max(m.tokens.start.saturating_sub(10));
        let open = (floor..m.tokens.start)
            .rev()
            .find(|&k| doc.norm(k) == ",")?;
        if !matches!(doc.norm(open + 1), "a" | "an" | "the") || open == self.range.start {
            return None;
        }
        let head = self.actors.mention_at(open - 1)?;
        (self.actors.mentions[head].prep.is_none()).then_some(head)
    }

    /// "Thousands of Iraqi Kurds", "leaders of the opposition coalition": the "of" before the
    /// mention at `start` follows a quantity or group noun, so the mention is the subject.
    fn after_quantity(&self, start: usize) -> bool {
        let doc = self.doc;
        let mut k = start;
        while k > self.range.start && DETERMINERS.contains(&doc.norm(k - 1)) {
            k -= 1;
        }
        if k < self.range.start + 2 || doc.norm(k - 1) != "of" {
            return false;
        }
        let w = doc.norm(k - 2);
        doc.tokens[k - 2].kind == TokenKind::Number
            || matches!(
                w,
                "thousands"
                    | "hundreds"
                    | "dozens"
                    | "tens"
                    | "millions"
                    | "scores"
                    | "crowds"
                    | "groups"
                    | "group"
                    | "members"
                    | "supporters"
                    | "leaders"
                    | "leader"
                    | "hundred"
                    | "thousand"
                    | "million"
                    | "dozen"
                    | "some"
                    | "many"
                    | "most"
                    | "all"
                    | "part"
                    | "units"
                    | "unit"
                    | "delegation"
                    | "representatives"
                    | "officials"
                    | "head"
                    | "chief"
                    | "spokesman"
                    | "spokeswoman"
                    | "spokesperson"
            )
    }

    fn mention_of(&self, actor: usize, before: usize) -> Option<usize> {
        self.actors.mentions[..self
            .actors
            .mentions
            .partition_point(|m| m.tokens.end <= before)]
            .iter()
            .rposition(|m| m.actors.contains(&actor))
    }

    /// Adds "A and B" / "A, B and C" partners to the left of mention `mi`.
    fn compound_left(&self, mi: usize, subj: &mut Vec<usize>) {
        let doc = self.doc;
        let mut cur = mi;
        loop {
            let start = self.actors.mentions[cur].tokens.start;
            let mut k = start;
            let mut conj = false;
            while k > self.range.start
                && matches!(
                    doc.norm(k - 1),
                    "and" | "," | "the" | "his" | "her" | "their" | "both"
                )
            {
                conj |= matches!(doc.norm(k - 1), "and" | ",");
                k -= 1;
            }
            if !conj || k == start || k == self.range.start {
                break;
            }
            match self.actors.mention_at(k - 1) {
                Some(p) if self.actors.mentions[p].prep.is_none() && !self.is_object(p) => {
                    subj.insert(0, p);
                    cur = p;
                }
                _ => break,
            }
        }
    }

    /// A mention right after a verb form is that verb's object, not a subject.
    fn is_object(&self, mi: usize) -> bool {
        let doc = self.doc;
        let mut k = self.actors.mentions[mi].tokens.start;
        while k > self.range.start
            && DETERMINERS.contains(&doc.norm(k - 1))
            && doc.norm(k - 1) != "'s"
        {
            k -= 1;
        }
        if k == self.range.start {
            return false;
        }
        let w = doc.norm(k - 1);
        if w == "and" || w == "," {
            return k >= self.range.start + 2
                && self
                    .actors
                    .mention_at(k - 2)
                    .is_some_and(|p| p != mi && self.is_object(p));
        }
        self.lex.is_verb_form(w) && !BE.contains(&w)
    }

    /// The first actor after the verb in the same clause that is not a place complement.
    fn object(&self, from: usize, sources: &[usize], through_that: bool) -> Vec<usize> {
        let doc = self.doc;
        let limit = self.clause_limit(from);
        let mut fallback = Vec::new();
        let mut k = from;
        while k < limit && k < from + 25 {
            let w = doc.norm(k);
            // "demanded that the US cancel …", "threatened to … if the United States goes ahead":
            // the subject of the demanded act or of the condition is the target.
            if matches!(w, "that" | "if" | "unless") && through_that {
                k += 1;
                continue;
            }
            if CLAUSE_WORDS.contains(&w)
                || matches!(w, "which" | "who" | "whom" | "whose" | "--")
                || (w == "as" && self.starts_clause(k + 1, limit))
            {
                break;
            }
            if w == "said" || w == "says" {
                break;
            }
            if w == "," && !self.comma_continues_object(k) {
                break;
            }
            // "called for a ceasefire and offered Moscow …": the next verb has its own object.
            if w == "and"
                && k + 1 < limit
                && self.lex.is_verb_form(doc.norm(k + 1))
                && self.actors.mention_at(k + 1).is_none()
            {
                break;
            }
            let Some(mi) = self.actors.mention_at(k) else {
                k += 1;
                continue;
            };
            let m = &self.actors.mentions[mi];
            k = m.tokens.end;
            if m.prep.is_some_and(|p| TARGET_LOCATIVE.contains(&p)) {
                continue;
            }
            let mut acts: Vec<usize> = m
                .actors
                .iter()
                .copied()
                .filter(|a| !sources.contains(a))
                .collect();
            if acts.is_empty() {
                continue;
            }
            // "X and Y", "Iran, Libya, North Korea, Sudan and Cuba": a compound object.
            let mut end = k;
            loop {
                let mut j = end;
                while j < limit && matches!(doc.norm(j), "and" | "," | "the" | "or") {
                    j += 1;
                }
                if j == end || j >= limit {
                    break;
                }
                match self
                    .actors
                    .mention_at(j)
                    .filter(|&n| self.actors.mentions[n].tokens.start == j)
                {
                    Some(n) => {
                        for &a in &self.actors.mentions[n].actors {
                            if !sources.contains(&a) && !acts.contains(&a) {
                                acts.push(a);
                            }
                        }
                        end = self.actors.mentions[n].tokens.end;
                    }
                    None => break,
                }
            }
            // A role with no country ("troops", "officials") is a weak object: prefer a named
            // actor further on in the clause, keep it only as a fallback.
            // An adjective ("rejected an Indian proposal") names the target only weakly too.
            let generic = m.adjectival || acts.iter().all(|&a| self.is_generic(a));
            if generic {
                if fallback.is_empty() {
                    fallback = acts;
                }
                k = end;
                continue;
            }
            return acts;
        }
        fallback
    }

    /// "… as Ukraine and Turkey scramble to save it": a mention followed by a verb starts a
    /// new clause (unlike "denounced as an ugly crime Serbia's …").
    fn starts_clause(&self, from: usize, limit: usize) -> bool {
        let mut k = from;
        while k < limit && DETERMINERS.contains(&self.doc.norm(k)) {
            k += 1;
        }
        let Some(mi) = self.actors.mention_at(k) else {
            return false;
        };
        let mut end = self.actors.mentions[mi].tokens.end;
        // "Ukraine and Turkey": skip a compound.
        while end + 1 < limit && self.doc.norm(end) == "and" {
            match self.actors.mention_at(end + 1) {
                Some(n) => end = self.actors.mentions[n].tokens.end,
                None => break,
            }
        }
        // A verb of ours, or any lower-case word that is no preposition ("scramble").
        end < limit
            && self.doc.tokens[end].kind == TokenKind::Word
            && !self.doc.tokens[end].upper
            && !matches!(
                self.doc.norm(end),
                "'s" | "of" | "in" | "on" | "at" | "for" | "with" | "from" | "to" | "by"
            )
    }

    /// A comma inside the object ("contacted his counterparts, X and Y", "with Russia, France
    /// and Germany") rather than before an attribution or a new clause.
    fn comma_continues_object(&self, comma: usize) -> bool {
        let next = comma + 1;
        let Some(mi) = self.actors.mention_at(next) else {
            return false;
        };
        let m = &self.actors.mentions[mi];
        // "…, officials said": an attribution, not an object.
        let after = m.tokens.end;
        !(after < self.range.end
            && matches!(
                self.doc.norm(after),
                "said" | "says" | "told" | "added" | "reported" | "announced" | "confirmed"
            ))
    }

    /// "… by Y" after a passive verb.
    fn by_agent(&self, from: usize, anchor: usize) -> Vec<usize> {
        let limit = self.clause_limit(anchor + 1);
        for (_, m) in self.actors.mentions_in(from.min(anchor + 1)..limit) {
            if m.prep == Some("by") {
                return m.actors.clone();
            }
        }
        Vec::new()
    }

    /// Negation, modality and voice from the words before the verb.
    fn auxiliaries(&self, t: usize, left: usize) -> Aux {
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

    fn is_background(&self, t: usize) -> bool {
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

    /// The event's date: the nearest time expression in the sentence, resolved with the
    /// clause's tense; for reported speech, an expression outside the quote dates the saying
    /// ("Aliyev said on Wednesday that the offensive will continue") and resolves as past.
    fn event_date(
        &self,
        t: usize,
        tense: Tense,
        reported: Option<Range<usize>>,
    ) -> (Option<NaiveDate>, Option<Range<usize>>) {
        let Some(date) = self.date else {
            return (None, None);
        };
        let exprs = &self.times[self.si];
        // The nearest expression to the verb, preferring ones in the same clause.
        let best = exprs
            .iter()
            .filter(|e| !matches!(e.kind, TimeKind::Year(_)))
            .min_by_key(|e| {
                let d = if e.tokens.start > t {
                    e.tokens.start - t
                } else {
                    t - e.tokens.end
                };
                let crosses = (e.tokens.start.min(t)..e.tokens.end.max(t)).any(|k| {
                    matches!(self.doc.tokens[k].kind, TokenKind::Quote(_))
                        || self.doc.norm(k) == ";"
                });
                d + if crosses { 100 } else { 0 }
            });
        let tense_of = |e: &dyad_dates::TimeExpr| match &reported {
            Some(q) if !q.contains(&e.tokens.start) => Tense::Past,
            _ => tense,
        };
        if let Some((d, r)) =
            best.and_then(|e| e.resolve(date, tense_of(e)).map(|d| (d, e.tokens.clone())))
        {
            return (Some(d), Some(r));
        }
        // No time in the sentence: news copy keeps the time of the sentence before it in the
        // same paragraph ("Yesterday, Lavrov called … Lavrov contacted …").
        let para = self.doc.sentences[self.si].paragraph;
        for prev in (self.si.saturating_sub(2)..self.si).rev() {
            let s = &self.doc.sentences[prev];
            if s.paragraph != para {
                break;
            }
            let found = &self.times[prev];
            if let Some(e) = found
                .iter()
                .rev()
                .find(|e| !matches!(e.kind, TimeKind::Year(_)))
            {
                if let Some(d) = e.resolve(date, Tense::Past) {
                    return (Some(d), Some(e.tokens.clone()));
                }
            }
        }
        (Some(date), None)
    }

    /// The state of the place the clause around `t` is set in ("in Montenegro").
    fn location_state(&self, t: usize) -> Option<usize> {
        let end = self.clause_limit(t);
        let places = &self.actors.places;
        let from = places.partition_point(|p| p.tokens.start < t);
        places[from..]
            .iter()
            .take_while(|p| p.tokens.start < end)
            .find(|p| match p.prep {
                // "in Montenegro", "near Samarra", "the port of Odesa"
                Some(prep) => matches!(
                    prep,
                    "in" | "inside"
                        | "across"
                        | "throughout"
                        | "within"
                        | "into"
                        | "near"
                        | "at"
                        | "of"
                ),
                // "shelled Gaza": a place as the direct object.
                None => p.tokens.start > t && p.tokens.start <= t + 3,
            })
            .and_then(|p| p.state)
    }

    fn event_place(&self, t: usize) -> Option<usize> {
        // Places are in text order: look only at this sentence's.
        let places = &self.actors.places;
        let from = places.partition_point(|p| p.sentence < self.si);
        let to = places.partition_point(|p| p.sentence <= self.si);
        let in_sentence = places[from..to]
            .iter()
            .enumerate()
            .map(|(i, p)| (i + from, p))
            .filter(|(_, p)| {
                matches!(
                    p.prep,
                    Some(
                        "in" | "at"
                            | "near"
                            | "inside"
                            | "outside"
                            | "across"
                            | "throughout"
                            | "around"
                    )
                )
            });
        in_sentence
            .min_by_key(|(_, p)| {
                if p.tokens.start > t {
                    p.tokens.start - t
                } else {
                    (t - p.tokens.end) * 2
                }
            })
            .map(|(i, _)| i)
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Aux {
    negated: bool,
    future: bool,
    intent: bool,
    /// The infinitive depends on something other than an intention word (purpose, complement).
    intent_other: bool,
    obligation: bool,
    conditional: bool,
    refused: bool,
    passive: bool,
    past: bool,
}

fn dedup(v: Vec<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(v.len());
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}
