//! Reported speech: demands voiced as obligations inside a speaker's statement.

use crate::candidates::Candidate;
use crate::recode::root;
use crate::{Event, Rule, SentenceCoder};

impl SentenceCoder<'_> {
    /// "The administration declared that China must drop its barriers": in reported speech, a
    /// named party that "must" or "should" do something is the target of the speaker's demand,
    /// whatever the act (coded or not). Adds a 100 event when no demand was coded from it yet.
    pub(crate) fn obligation_demands(&self, out: &mut Vec<Event>, first_new: usize) {
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
}
