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

mod arguments;
mod article;
mod candidates;
mod circumstances;
mod coref;
mod lexicon;
mod modality;
mod nominal;
mod pattern;
mod recode;
mod reported;

pub use lexicon::{CompiledPattern, CompiledPhrase, CompiledVerb, EventLexicon, Form};
pub use pattern::{Match, Pattern, PatternError};

use candidates::Candidate;
use recode::{demand_code, intent_code, refusal_code, root, threat_code};

use chrono::NaiveDate;
use dyad_actors::ActorAnnotations;
use dyad_dates::Tense;
use dyad_quotes::Quote;
use dyad_syntax::Syntax;
use dyad_text::Document;
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
    /// Keep every telling of an act within the article instead of one event per act (see
    /// `article`). The store wants them: it counts each telling as a mention, as GDELT does
    /// (`Coder::code_for_store` sets this).
    pub keep_repeats: bool,
}

/// Codes every event of `doc`.
pub fn code(
    doc: &Document,
    syntax: &Syntax,
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
            syntax,
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
    demonyms_in_arms(actors, &mut out);
    if !opts.keep_repeats {
        article::merge_repeats(doc, &mut out);
    }
    out
}

/// "The Kenyans counterattacked", "Ukrainians shelled the town": a people named by its demonym
/// that uses force is that state's military, not its civilians.
fn demonyms_in_arms(ann: &mut ActorAnnotations, events: &mut [Event]) {
    for e in events.iter_mut() {
        if !matches!(recode::root(&e.code), 15 | 17..=20) {
            continue;
        }
        let Some(s) = e.source else { continue };
        let x = &ann.actors[s];
        if x.kind == dyad_actors::ActorKind::State && x.sector.as_deref() == Some("CVL") {
            e.source = Some(ann.as_sector(s, "MIL"));
        }
    }
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
        // Sympathy, aid and praise go abroad as often as not ("condolences to the families of
        // the victims"): only coercion, protest and violence place the other party at home.
        let sympathy = matches!(recode::root(&e.code), 1 | 5 | 7);
        if domestic(ann, t) && !sympathy {
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
    /// Tags and dependencies of every token.
    syntax: &'a Syntax,
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

impl SentenceCoder<'_> {
    pub(crate) fn code(&self, out: &mut Vec<Event>) {
        let mut cands = Vec::new();
        let mut covered: Vec<Range<usize>> = Vec::new();
        for t in self.range.clone() {
            if covered.iter().any(|r| r.contains(&t)) || self.doc.is_furniture(t) {
                continue;
            }
            if let Some(c) = self.verb_candidate(t) {
                covered.push(c.anchor..c.end);
                cands.push(c);
            }
        }
        for t in self.range.clone() {
            if covered.iter().any(|r| r.contains(&t)) || self.doc.is_furniture(t) {
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

    /// Settles roles, modality, reported speech, date and place; pushes the events.
    pub(crate) fn finish(&self, c: Candidate, out: &mut Vec<Event>) {
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
        // A nominal event that another predicate talks about ("criticised the arrests") has
        // only the agent its own phrase names.
        let nominal_inner = match (c.form, c.is_default, c.sources.is_empty()) {
            (None, false, true) => match self.nominal_agent(t) {
                nominal::NominalAgent::Inner(a) => Some(a),
                nominal::NominalAgent::Clause => None,
            },
            _ => None,
        };
        // "retake areas seized by the militants": a participle modifying a noun is a passive
        // of its own, done by its `by` agent to that noun, never by the clause's subject.
        let reduced_relative_agent = (c.form == Some(Form::Past)
            && !aux.passive
            && c.sources.is_empty()
            && t + 1 < self.range.end
            && self.doc.norm(t + 1) == "by"
            && t > self.range.start
            && self.actors.mention_at(t - 1).is_none()
            && self.syntax.upos.get(t - 1) == Some(&dyad_syntax::Upos::Noun))
        .then(|| self.by_agent(c.end, c.anchor))
        .filter(|agent| !agent.is_empty());
        if let Some(inner) = nominal_inner {
            sources = inner;
        } else if let Some(agent) = reduced_relative_agent {
            sources = agent;
        } else if c.sources.is_empty() {
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
            targets = self.object(
                t + 1,
                &sources,
                matches!(root(&c.code), 2 | 10 | 13),
                matches!(root(&c.code), 1 | 4),
            );
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

        // "claimed responsibility for the attack": the claimer did it, to its victims.
        if c.code.starts_with("015") && targets.is_empty() {
            if let [claimer] = sources.as_slice() {
                targets = self
                    .claim_responsibility(t, c.end, *claimer, out)
                    .into_iter()
                    .collect();
            }
        }
        // "condemned the attack", "denied the charges": aimed at whoever did the act.
        if targets.is_empty() && !c.has_target_slot && coref::is_reaction(root(&c.code)) {
            targets = self.reaction_target(t, &sources, out);
        }
        // "condolences to the families of the victims": the victims of the latest violence.
        // (Unnamed people placed in the sympathizer's own country by context count as unnamed.)
        let unnamed = |x: usize| {
            self.is_generic(x)
                || (self.actors.actors[x].sector.as_deref() == Some("CVL")
                    && sources.iter().any(|&s| self.same_country(s, Some(x))))
        };
        if c.code.starts_with("018") && targets.iter().all(|&x| unnamed(x)) {
            if let Some(v) = self.victims_of_latest_violence(&sources, out) {
                targets = vec![v];
            }
        }
        // "We condemn …" in the text's own voice (a statement, a readout): the issuer.
        if first_person && quote.is_none() && sources.is_empty() {
            sources = self.issuer(out).into_iter().collect();
        }

        let mut code = c.code.clone();
        let mut rule = c.rule.clone();
        let mut hypothetical = aux.future || aux.intent || aux.conditional;
        let negated = (aux.negated || aux.refused) && !c.pattern_negated;
        let reported = quote.is_some();
        let mut keep = true;

        // A statement's own subject: first person → the speaker; none, in the speaker's own
        // words → the speaker. What a speaker reports ("the governor said 40 soldiers were
        // killed") is never the speaker's own act: a passive with no agent stays agentless.
        if let Some(q) = quote {
            // "Syria says it will withdraw": a pronoun subject of a reported clause is the
            // speaker's own side.
            let pronoun_subject = sources.is_empty()
                && self.syntax.subject_of(t).is_some_and(|k| {
                    k >= q.tokens.start && matches!(self.doc.norm(k), "it" | "they")
                });
            let implied = sources.is_empty() && (q.direct && !passive || pronoun_subject);
            // Who speaks: the speaker, or every party of a compound speaking subject.
            let mut speakers: Vec<usize> = q.speaker.into_iter().collect();
            if (implied || first_person) && q.speaker.is_some() {
                sources = q.speaker.into_iter().collect();
                // "Obama and Putin said they will attack": "they" (or "we") is every party
                // of the speaking subject, not only the first.
                if !q.direct && q.tokens.start > self.range.start {
                    let (subj, _) = self.subject(q.tokens.start, self.range.start);
                    let all: Vec<usize> = subj
                        .iter()
                        .flat_map(|&m| self.actors.mentions[m].actors.iter().copied())
                        .collect();
                    if all.len() > 1 && q.speaker.is_some_and(|sp| all.contains(&sp)) {
                        sources = all.clone();
                        speakers = all;
                    }
                }
            }
            // The speaker's own side (same country): "our troops will attack" is a threat.
            let speaker_is_source = q.speaker.is_some()
                && sources.iter().all(|s| {
                    speakers.contains(s)
                        || speakers.iter().any(|&sp| self.same_country(*s, Some(sp)))
                });
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
                    sources = speakers;
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
        } else if aux.obligation && !first_person && !sources.is_empty() {
            // "The Venezuelan government should release those it jailed", unattributed: the
            // text's own voice (a statement) demands it of the named party.
            let issuer = self.issuer(out);
            let named = sources.iter().all(|&s| !self.is_generic(s));
            if let Some(i) = issuer.filter(|&i| named && !sources.contains(&i)) {
                targets = std::mem::take(&mut sources);
                sources = vec![i];
                code = demand_code(&code);
                rule.recoded = Some("obligation in the text's own voice → demand by its issuer");
                hypothetical = false;
            } else {
                keep = false;
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
    pub(crate) fn push(
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
        // A person known only by name, with no country or organization yet, is a speaker
        // but no party to code.
        let mut sources = dedup(sources);
        sources.retain(|&s| !self.actors.actors[s].code.is_empty());
        targets.retain(|&t| !self.actors.actors[t].code.is_empty());
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
        // "Japan and China are arranging a summit on the sidelines of the G20", "the two
        // leaders discussed the fight against ISIL": a mutual act of two named parties is
        // between them; an actor the window found further on is a circumstance, unless the
        // pattern's own slot named it.
        let mutual = sources.len() >= 2
            && matches!(root(&code), 3..=6)
            && !c.has_target_slot
            && sources.iter().all(|&s| !self.is_generic(s));
        if (generic_targets || mutual) && sources.len() >= 2 && symmetric {
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

    pub(crate) fn evidence_start(
        &self,
        anchor: usize,
        pairs: &[(Option<usize>, Option<usize>)],
    ) -> usize {
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
    pub(crate) fn has_words(&self, words: &[u32]) -> bool {
        words.iter().all(|w| self.present.binary_search(w).is_ok())
    }

    /// An actor with neither country nor organization ("troops", "officials").
    pub(crate) fn is_generic(&self, a: usize) -> bool {
        let x = &self.actors.actors[a];
        x.country.is_none() && x.org.is_none()
    }

    pub(crate) fn same_country(&self, a: usize, b: Option<usize>) -> bool {
        let Some(b) = b else { return false };
        let (x, y) = (&self.actors.actors[a], &self.actors.actors[b]);
        x.country.is_some() && x.country == y.country
    }
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
