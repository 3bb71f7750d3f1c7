//! When and where: the event's date from the nearest time expression (or the paragraph's),
//! its place, and the state of the place a clause is set in.

use crate::SentenceCoder;
use chrono::NaiveDate;
use dyad_dates::{Tense, TimeKind};
use dyad_text::TokenKind;
use std::ops::Range;

impl SentenceCoder<'_> {
    /// The event's date: the nearest time expression in the sentence, resolved with the
    /// clause's tense; for reported speech, an expression outside the quote dates the saying
    /// ("Aliyev said on Wednesday that the offensive will continue") and resolves as past.
    pub(crate) fn event_date(
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
    pub(crate) fn location_state(&self, t: usize) -> Option<usize> {
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

    pub(crate) fn event_place(&self, t: usize) -> Option<usize> {
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
