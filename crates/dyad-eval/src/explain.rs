//! Error analysis of the L1 score: which gold events were missed and which predictions were
//! spurious, and why, one class each.
//!
//! The matching is the scorer's own (`match_record` at L1), so the explanation's TP/FP/FN
//! always equal [`crate::score`]'s L1 counts. Then, per record:
//!
//! 1. Each missed required gold event is paired with a still-unmatched prediction that agrees
//!    with it on enough to be "the same event gone wrong" (one thing differs): `wrong_code`,
//!    `wrong_source`, `wrong_target`, `missing_target`, `swapped`. Pairs are taken greedily,
//!    best first, one-to-one. "Enough" is two informative agreements among code root, source
//!    and target (a gold actor given as `null` agrees with anything, so it tells nothing), or
//!    one when the prediction lies in the gold event's sentence. When the gold event's
//!    sentence is known and the prediction's is too, they must be the same sentence.
//! 2. A missed event left unpaired is `no_event_in_sentence` / `other_event_in_sentence` when
//!    its sentence can be located (the `why` fragments found in the text, or a one-sentence
//!    record) and the prediction lists its sentences, else `no_event`.
//! 3. A prediction left unmatched and unpaired is `spurious_no_target` when it has no target,
//!    else `spurious`. A paired prediction is not counted again: each near-miss class stands
//!    for one false negative and one false positive.
//!
//! Optional gold events follow the scorer: they are never misses, and a prediction they absorb
//! is not a false positive.

use crate::{actor_ok, event_code_ok, id_of, is_opt, match_record, preds_by_id, record_events};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Why a gold event was missed or a prediction was spurious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Same source and target, different CAMEO root (or PLOVER type).
    WrongCode,
    /// Same code root and target, the source differs (or is missing).
    WrongSource,
    /// Same code root and source, another target.
    WrongTarget,
    /// Same code root and source, no target predicted.
    MissingTarget,
    /// Same code root, source and target reversed.
    Swapped,
    /// Nothing predicted for it, and no event at all in its sentence.
    NoEventInSentence,
    /// Nothing predicted for it, though other events were coded in its sentence.
    OtherEventInSentence,
    /// Nothing predicted for it (its sentence could not be located).
    NoEvent,
    /// A prediction matching no gold event and close to no missed one.
    Spurious,
    /// A spurious prediction without a target.
    SpuriousNoTarget,
}

impl ErrorClass {
    /// Every class, in report order.
    pub const ALL: [ErrorClass; 10] = [
        ErrorClass::WrongCode,
        ErrorClass::WrongSource,
        ErrorClass::WrongTarget,
        ErrorClass::MissingTarget,
        ErrorClass::Swapped,
        ErrorClass::NoEventInSentence,
        ErrorClass::OtherEventInSentence,
        ErrorClass::NoEvent,
        ErrorClass::Spurious,
        ErrorClass::SpuriousNoTarget,
    ];

    /// The class's name in reports (snake case, as in JSON).
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::WrongCode => "wrong_code",
            ErrorClass::WrongSource => "wrong_source",
            ErrorClass::WrongTarget => "wrong_target",
            ErrorClass::MissingTarget => "missing_target",
            ErrorClass::Swapped => "swapped",
            ErrorClass::NoEventInSentence => "no_event_in_sentence",
            ErrorClass::OtherEventInSentence => "other_event_in_sentence",
            ErrorClass::NoEvent => "no_event",
            ErrorClass::Spurious => "spurious",
            ErrorClass::SpuriousNoTarget => "spurious_no_target",
        }
    }

    /// Whether the class counts a missed gold event (a false negative).
    pub fn is_miss(self) -> bool {
        !matches!(self, ErrorClass::Spurious | ErrorClass::SpuriousNoTarget)
    }

    /// Whether the class counts an unmatched prediction (a false positive): the near misses
    /// (a gold event paired with a wrong prediction) and the spurious ones.
    pub fn is_false_positive(self) -> bool {
        !matches!(
            self,
            ErrorClass::NoEventInSentence | ErrorClass::OtherEventInSentence | ErrorClass::NoEvent
        )
    }

    /// Order among near-miss classes of equal strength (lower first).
    fn priority(self) -> u8 {
        match self {
            ErrorClass::Swapped => 0,
            ErrorClass::WrongTarget => 1,
            ErrorClass::MissingTarget => 2,
            ErrorClass::WrongSource => 3,
            ErrorClass::WrongCode => 4,
            _ => 5,
        }
    }
}

impl std::fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A gold event in an explanation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GoldSide {
    /// Index in the record's `events`.
    pub index: usize,
    /// The gold event as given (`s`, `c` or `p`, `t`, `opt`, `sym`, `why`).
    pub event: Value,
    /// The coder's sentences (indexes into the prediction's `sentences`) the `why` fragments
    /// fall in; empty when not located.
    pub sentences: Vec<usize>,
    /// The text of those sentences, joined by a space.
    pub sentence_text: Option<String>,
    /// Every prediction coded in those sentences, matched or not (their `sentence_text` is
    /// left out: it is this one).
    pub events_in_sentence: Vec<PredSide>,
}

/// A predicted event in an explanation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PredSide {
    /// Index in the prediction's `events`.
    pub index: usize,
    /// The source actor's code (`null` when none).
    pub source: Option<String>,
    pub cameo: Option<String>,
    pub plover: Option<String>,
    /// The target actor's code (`null` when none).
    pub target: Option<String>,
    /// The sentence index the coder gives.
    pub sentence: Option<usize>,
    pub sentence_text: Option<String>,
    /// The evidence span's text.
    pub evidence: Option<String>,
    /// The dictionary rule that fired, `file:entry`.
    pub rule: Option<String>,
}

/// One error: a missed gold event (with the prediction it was paired with, if any) or a
/// spurious prediction.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorItem {
    pub class: ErrorClass,
    pub gold: Option<GoldSide>,
    pub pred: Option<PredSide>,
}

/// The explanation of one gold record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordExplanation {
    pub id: String,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Whether any prediction record had this id.
    pub predicted: bool,
    /// Matched (gold index, prediction index) pairs, required gold events only.
    pub matched: Vec<(usize, usize)>,
    /// Predictions absorbed by optional gold events: (gold index, prediction index).
    pub optional_matched: Vec<(usize, usize)>,
    /// Missed gold events in gold order, then spurious predictions in prediction order.
    pub errors: Vec<ErrorItem>,
    /// Errors by class (classes with none left out).
    pub classes: BTreeMap<ErrorClass, usize>,
}

/// Totals over all records.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ExplainTotals {
    pub records: usize,
    pub records_with_errors: usize,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Every class, zero or not.
    pub classes: BTreeMap<ErrorClass, usize>,
}

/// The L1 error analysis of a set of predictions against a gold set.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Explanation {
    pub records: Vec<RecordExplanation>,
    pub totals: ExplainTotals,
}

/// Explains the L1 score of `preds` against `golds` (see the module docs).
pub fn explain(golds: &[Value], preds: &[Value]) -> Explanation {
    let by_id = preds_by_id(preds);
    let mut totals = ExplainTotals {
        records: golds.len(),
        classes: ErrorClass::ALL.iter().map(|c| (*c, 0)).collect(),
        ..ExplainTotals::default()
    };
    let mut records = Vec::with_capacity(golds.len());
    for g in golds {
        let r = explain_record(g, by_id.get(&id_of(g)).copied());
        totals.tp += r.tp;
        totals.fp += r.fp;
        totals.fn_ += r.fn_;
        if !r.errors.is_empty() {
            totals.records_with_errors += 1;
        }
        for (c, n) in &r.classes {
            *totals.classes.entry(*c).or_insert(0) += n;
        }
        records.push(r);
    }
    Explanation { records, totals }
}

/// The coder's sentence spans of a prediction record (`sentences: [{start, end}]`).
fn sentence_spans(pred: Option<&Value>) -> Vec<(usize, usize)> {
    pred.and_then(|p| p.get("sentences"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| {
                    let n = |f: &str| s.get(f).and_then(Value::as_u64).unwrap_or(0) as usize;
                    (n("start"), n("end"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn sentence_of(p: &Value) -> Option<usize> {
    p.get("sentence")
        .and_then(Value::as_u64)
        .map(|n| n as usize)
}

fn slice_text(text: &str, spans: &[(usize, usize)], idx: &[usize]) -> Option<String> {
    let parts: Vec<&str> = idx
        .iter()
        .filter_map(|&i| spans.get(i))
        .filter_map(|&(a, b)| text.get(a..b))
        .map(str::trim)
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Finds `needle` in `hay` from byte `from`: exactly, else ignoring ASCII case.
fn find_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let tail = hay.get(from..)?;
    if let Some(i) = tail.find(needle) {
        return Some(from + i);
    }
    let lower = tail.to_ascii_lowercase();
    lower.find(&needle.to_ascii_lowercase()).map(|i| from + i)
}

/// The sentences a gold event was coded from: those its `why` fragments (joined by `...`)
/// fall in; for a record the coder reads as one sentence, that sentence.
fn locate(ge: &Value, text: &str, spans: &[(usize, usize)]) -> Vec<usize> {
    if spans.is_empty() {
        return Vec::new();
    }
    let why = ge.get("why").and_then(Value::as_str).unwrap_or("").trim();
    if why.is_empty() {
        return if spans.len() == 1 {
            vec![0]
        } else {
            Vec::new()
        };
    }
    let mut out = Vec::new();
    let mut from = 0;
    for frag in why.split(['…']).flat_map(|f| f.split("...")) {
        let frag = frag.trim();
        if frag.is_empty() {
            continue;
        }
        let Some(at) = find_from(text, frag, from).or_else(|| find_from(text, frag, 0)) else {
            continue;
        };
        let end = at + frag.len();
        from = end;
        for (i, &(a, b)) in spans.iter().enumerate() {
            if a < end && at < b && !out.contains(&i) {
                out.push(i);
            }
        }
    }
    out.sort_unstable();
    out
}

fn actor_code(v: Option<&Value>) -> Option<String> {
    let a = v.filter(|a| a.is_object())?;
    ["code", "name", "country", "org"]
        .iter()
        .find_map(|f| a.get(*f).and_then(Value::as_str).filter(|s| !s.is_empty()))
        .map(str::to_string)
}

fn has_actor(v: Option<&Value>) -> bool {
    v.is_some_and(Value::is_object)
}

fn pred_side(i: usize, p: &Value, text: &str, spans: &[(usize, usize)]) -> PredSide {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let sentence = sentence_of(p);
    let rule = p.get("rule").and_then(|r| {
        let file = r.get("file").and_then(Value::as_str)?;
        let entry = r.get("entry").and_then(Value::as_str).unwrap_or("");
        Some(format!("{file}:{entry}"))
    });
    PredSide {
        index: i,
        source: actor_code(p.get("source")),
        cameo: match p.get("cameo") {
            Some(Value::String(c)) => Some(c.clone()),
            Some(Value::Null) | None => None,
            Some(v) => Some(v.to_string()),
        },
        plover: s(p.get("plover")),
        target: actor_code(p.get("target")),
        sentence,
        sentence_text: sentence.and_then(|i| slice_text(text, spans, &[i])),
        evidence: s(p.get("evidence").and_then(|e| e.get("text"))),
        rule,
    }
}

/// A near miss: the class, and how many informative fields agree.
fn near_miss(ge: &Value, p: &Value) -> Option<(ErrorClass, u8)> {
    let null = Value::Null;
    let gs = ge.get("s").unwrap_or(&null);
    let gt = ge.get("t").unwrap_or(&null);
    let root = event_code_ok(ge, p, 1);
    let (src, tgt) = (p.get("source"), p.get("target"));
    let sym = ge.get("sym").is_some_and(crate::truthy);
    // One orientation: the pred's actors in the gold's slots; `rev` when they are reversed.
    let judge = |a: Option<&Value>, b: Option<&Value>, rev: bool| -> Option<(ErrorClass, u8)> {
        let s_ok = actor_ok(gs, a, 1);
        let t_ok = actor_ok(gt, b, 1);
        let strength =
            u8::from(root) + u8::from(s_ok && !gs.is_null()) + u8::from(t_ok && !gt.is_null());
        // The predicted field in the gold's source slot is the pred's target when reversed.
        let slot_class = |pred_field: Option<&Value>, is_target: bool| {
            if is_target && !has_actor(pred_field) {
                ErrorClass::MissingTarget
            } else if is_target {
                ErrorClass::WrongTarget
            } else {
                ErrorClass::WrongSource
            }
        };
        let class = match (root, s_ok, t_ok) {
            (true, true, false) => slot_class(b, !rev),
            (true, false, true) => slot_class(a, rev),
            (false, true, true) if !(gs.is_null() && gt.is_null()) => ErrorClass::WrongCode,
            _ => return None,
        };
        Some((class, strength))
    };
    let mut best = judge(src, tgt, false);
    if sym {
        if let Some(r) = judge(tgt, src, true) {
            if best.is_none_or(|b| r.1 > b.1) {
                best = Some(r);
            }
        }
    } else if root && !gs.is_null() && !gt.is_null() && actor_ok(gs, tgt, 1) && actor_ok(gt, src, 1)
    {
        return Some((ErrorClass::Swapped, 3));
    }
    best
}

fn explain_record(g: &Value, pred: Option<&Value>) -> RecordExplanation {
    let (gevents, pe) = record_events(g, pred);
    let (gold_hit, used) = match_record(gevents, pe, 1);
    let text = g.get("text").and_then(Value::as_str).unwrap_or("");
    let spans = sentence_spans(pred);
    let pred_sentences: Vec<Option<usize>> = pe.iter().map(sentence_of).collect();

    let mut matched = Vec::new();
    let mut optional_matched = Vec::new();
    let mut missed = Vec::new();
    for (gi, (ge, hit)) in gevents.iter().zip(&gold_hit).enumerate() {
        match (is_opt(ge), hit) {
            (false, Some(pi)) => matched.push((gi, *pi)),
            (true, Some(pi)) => optional_matched.push((gi, *pi)),
            (false, None) => missed.push(gi),
            (true, None) => {}
        }
    }
    let located: BTreeMap<usize, Vec<usize>> = missed
        .iter()
        .map(|&gi| (gi, locate(&gevents[gi], text, &spans)))
        .collect();

    // Candidate pairs, best first: same sentence, then strength, then class priority.
    let mut cands = Vec::new();
    for &gi in &missed {
        let sents = &located[&gi];
        for (pi, p) in pe.iter().enumerate() {
            if used[pi] {
                continue;
            }
            let Some((class, strength)) = near_miss(&gevents[gi], p) else {
                continue;
            };
            let local = match pred_sentences[pi] {
                Some(s) if !sents.is_empty() => {
                    if !sents.contains(&s) {
                        continue;
                    }
                    true
                }
                _ => false,
            };
            if strength >= 2 || (local && strength >= 1) {
                cands.push((
                    std::cmp::Reverse((local, strength)),
                    class.priority(),
                    gi,
                    pi,
                    class,
                ));
            }
        }
    }
    cands.sort_by_key(|c| (c.0, c.1, c.2, c.3));
    let mut gold_pair: BTreeMap<usize, (usize, ErrorClass)> = BTreeMap::new();
    let mut pred_paired = vec![false; pe.len()];
    for (_, _, gi, pi, class) in cands {
        if gold_pair.contains_key(&gi) || pred_paired[pi] {
            continue;
        }
        gold_pair.insert(gi, (pi, class));
        pred_paired[pi] = true;
    }

    let mut errors = Vec::new();
    for &gi in &missed {
        let sents = located[&gi].clone();
        let in_sentence: Vec<PredSide> = (0..pe.len())
            .filter(|&pi| pred_sentences[pi].is_some_and(|s| sents.contains(&s)))
            .map(|pi| PredSide {
                sentence_text: None,
                ..pred_side(pi, &pe[pi], text, &spans)
            })
            .collect();
        let gold = GoldSide {
            index: gi,
            event: gevents[gi].clone(),
            sentence_text: slice_text(text, &spans, &sents),
            sentences: sents,
            events_in_sentence: in_sentence,
        };
        let (class, pred) = match gold_pair.get(&gi) {
            Some(&(pi, class)) => (class, Some(pred_side(pi, &pe[pi], text, &spans))),
            None if gold.sentences.is_empty() => (ErrorClass::NoEvent, None),
            None if gold.events_in_sentence.is_empty() => (ErrorClass::NoEventInSentence, None),
            None => (ErrorClass::OtherEventInSentence, None),
        };
        errors.push(ErrorItem {
            class,
            gold: Some(gold),
            pred,
        });
    }
    for (pi, p) in pe.iter().enumerate() {
        if used[pi] || pred_paired[pi] {
            continue;
        }
        let class = if has_actor(p.get("target")) {
            ErrorClass::Spurious
        } else {
            ErrorClass::SpuriousNoTarget
        };
        errors.push(ErrorItem {
            class,
            gold: None,
            pred: Some(pred_side(pi, p, text, &spans)),
        });
    }
    let mut classes = BTreeMap::new();
    for e in &errors {
        *classes.entry(e.class).or_insert(0) += 1;
    }
    RecordExplanation {
        id: id_of(g),
        tp: matched.len(),
        fp: used.iter().filter(|u| !**u).count(),
        fn_: missed.len(),
        predicted: pred.is_some(),
        matched,
        optional_matched,
        errors,
        classes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score;
    use serde_json::json;

    fn a(code: &str) -> Value {
        json!({"name": code, "code": code, "country": &code[..3], "org": null,
               "sector": if code.len() >= 6 { Some(&code[3..6]) } else { None }})
    }

    fn ev(s: Option<&str>, cameo: &str, t: Option<&str>, sentence: usize) -> Value {
        json!({"source": s.map(a), "target": t.map(a), "cameo": cameo, "sentence": sentence,
               "evidence": {"start": 0, "end": 1, "text": "x"},
               "rule": {"file": "verbs/test.toml", "entry": "test"}})
    }

    /// Spans of the sentences of `text` split after ". ".
    fn sentences(text: &str) -> Value {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, _) in text.match_indices(". ") {
            out.push(json!({"start": start, "end": i + 1}));
            start = i + 2;
        }
        out.push(json!({"start": start, "end": text.len()}));
        Value::Array(out)
    }

    fn classes_of(r: &RecordExplanation) -> Vec<ErrorClass> {
        r.errors.iter().map(|e| e.class).collect()
    }

    const TEXT: &str =
        "France criticized Germany over the deal. Russia met Chinese officials in Moscow. \
        Turkey hosted Iranian envoys. Brazil praised Argentina. Egypt accused Israel of delays. \
        The weather was fine.";

    fn gold() -> Value {
        json!({"id": "r1", "text": TEXT, "events": [
            // 0: matched
            {"s": ["FRA"], "c": "111|11", "t": ["DEU"], "why": "France criticized Germany"},
            // 1: predicted with the wrong root -> wrong_code
            {"s": ["RUS"], "c": "040|04", "t": ["CHN"], "why": "Russia met Chinese officials"},
            // 2: predicted without target -> missing_target
            {"s": ["TUR"], "c": "042|04", "t": ["IRN"], "why": "Turkey hosted ... Iranian envoys"},
            // 3: reversed -> swapped
            {"s": ["BRA"], "c": "051|05", "t": ["ARG"], "why": "Brazil praised Argentina"},
            // 4: nothing in its sentence -> no_event_in_sentence
            {"s": ["EGY"], "c": "112|11", "t": ["ISR"], "why": "Egypt accused Israel"},
            // 5: optional, absorbs a prediction
            {"s": ["FRA"], "c": "111", "t": ["DEU"], "opt": true, "why": "France criticized"},
            // 6: unlocatable -> no_event
            {"s": ["USA"], "c": "020", "t": null, "why": "not in the text"}
        ]})
    }

    fn pred() -> Value {
        json!({"id": "r1", "sentences": sentences(TEXT), "events": [
            ev(Some("FRAGOV"), "111", Some("DEUGOV"), 0),
            ev(Some("FRAGOV"), "112", Some("DEUGOV"), 0),
            ev(Some("RUSGOV"), "190", Some("CHNGOV"), 1),
            ev(Some("TURGOV"), "042", None, 2),
            ev(Some("ARGGOV"), "051", Some("BRAGOV"), 3),
            // spurious, in the weather sentence
            ev(Some("GBRGOV"), "010", None, 5),
            ev(Some("GBRGOV"), "173", Some("FRAGOV"), 5)
        ]})
    }

    #[test]
    fn classes_and_totals_agree_with_score() {
        let g = vec![gold()];
        let p = vec![pred()];
        let e = explain(&g, &p);
        let s = score(&g, &p);
        assert_eq!(
            (e.totals.tp, e.totals.fp, e.totals.fn_),
            (s.l1.tp, s.l1.fp, s.l1.fn_)
        );
        assert_eq!((e.totals.tp, e.totals.fp, e.totals.fn_), (1, 5, 5));
        let r = &e.records[0];
        assert_eq!(r.matched, vec![(0, 0)]);
        assert_eq!(r.optional_matched, vec![(5, 1)]);
        assert_eq!(
            classes_of(r),
            vec![
                ErrorClass::WrongCode,
                ErrorClass::MissingTarget,
                ErrorClass::Swapped,
                ErrorClass::NoEventInSentence,
                ErrorClass::NoEvent,
                ErrorClass::SpuriousNoTarget,
                ErrorClass::Spurious,
            ]
        );
        // The near misses carry both sides, with the sentence and the rule.
        let wc = &r.errors[0];
        assert_eq!(wc.pred.as_ref().map(|p| p.index), Some(2));
        assert_eq!(wc.gold.as_ref().map(|g| g.sentences.clone()), Some(vec![1]));
        assert_eq!(
            wc.gold.as_ref().and_then(|g| g.sentence_text.as_deref()),
            Some("Russia met Chinese officials in Moscow.")
        );
        assert_eq!(
            wc.pred.as_ref().and_then(|p| p.rule.as_deref()),
            Some("verbs/test.toml:test")
        );
        assert_eq!(
            r.errors[1].gold.as_ref().map(|g| g.sentences.clone()),
            Some(vec![2])
        );
        // Each class total: FN = misses, FP = near misses + spurious.
        let t = &e.totals;
        let sum = |f: fn(ErrorClass) -> bool| -> usize {
            t.classes
                .iter()
                .filter(|(c, _)| f(**c))
                .map(|(_, n)| n)
                .sum()
        };
        assert_eq!(sum(ErrorClass::is_miss), t.fn_);
        assert_eq!(sum(ErrorClass::is_false_positive), t.fp);
        assert_eq!(t.classes.len(), ErrorClass::ALL.len());
    }

    #[test]
    fn wrong_source_wrong_target_and_other_event_in_sentence() {
        let text = "Japan condemned Korea and Peru met Chile. Kenya fought Somalia.";
        let g = vec![json!({"id": 7, "text": text, "events": [
            {"s": ["JPN"], "c": "111", "t": ["KOR"], "why": "Japan condemned Korea"},
            {"s": ["PER"], "c": "040", "t": ["CHL"], "sym": true, "why": "Peru met Chile"},
            {"s": ["KEN"], "c": "190", "t": ["SOM"], "why": "Kenya fought Somalia"},
            {"s": ["KEN"], "c": "020", "t": null, "why": "Kenya fought"}
        ]})];
        let p = vec![json!({"id": 7, "sentences": sentences(text), "events": [
            // source wrong
            ev(Some("CHNGOV"), "111", Some("KORGOV"), 0),
            // sym gold, reversed orientation, target (Peru's slot) wrong
            ev(Some("CHLGOV"), "043", Some("ARGGOV"), 0),
            ev(Some("KENMIL"), "190", Some("SOMMIL"), 1),
        ]})];
        let e = explain(&g, &p);
        let s = score(&g, &p);
        assert_eq!(
            (e.totals.tp, e.totals.fp, e.totals.fn_),
            (s.l1.tp, s.l1.fp, s.l1.fn_)
        );
        let r = &e.records[0];
        assert_eq!(r.id, "7");
        assert_eq!(
            classes_of(r),
            vec![
                ErrorClass::WrongSource,
                ErrorClass::WrongTarget,
                ErrorClass::OtherEventInSentence
            ]
        );
        assert_eq!(
            r.errors[2].gold.as_ref().map(|g| g
                .events_in_sentence
                .iter()
                .map(|p| p.index)
                .collect()),
            Some(vec![2])
        );
    }

    #[test]
    fn near_misses_stay_in_their_sentence_and_missing_records_are_no_events() {
        let text = "Spain praised Italy. Spain criticized Italy.";
        let g = vec![
            json!({"id": "a", "text": text, "events": [
                {"s": ["ESP"], "c": "051", "t": ["ITA"], "why": "Spain praised Italy"}]}),
            json!({"id": "b", "text": "x", "events": [{"s": ["ESP"], "c": "051", "t": null}]}),
        ];
        // The wrong-code prediction is in the other sentence: not the same event.
        let p = vec![json!({"id": "a", "sentences": sentences(text), "events": [
            ev(Some("ESPGOV"), "111", Some("ITAGOV"), 1)]})];
        let e = explain(&g, &p);
        assert_eq!(
            classes_of(&e.records[0]),
            vec![ErrorClass::NoEventInSentence, ErrorClass::Spurious]
        );
        assert!(!e.records[1].predicted);
        assert_eq!(classes_of(&e.records[1]), vec![ErrorClass::NoEvent]);
        // Without sentence information (another tool's output), the pair is made.
        let p = vec![json!({"id": "a", "events": [
            {"source": a("ESPGOV"), "target": a("ITAGOV"), "cameo": "111"}]})];
        let e = explain(&g, &p);
        assert_eq!(classes_of(&e.records[0]), vec![ErrorClass::WrongCode]);
        let s = score(&g, &p);
        assert_eq!(
            (e.totals.tp, e.totals.fp, e.totals.fn_),
            (s.l1.tp, s.l1.fp, s.l1.fn_)
        );
        assert_eq!(e.totals.records_with_errors, 2);
    }

    #[test]
    fn json_names_the_classes() {
        let e = explain(&[gold()], &[pred()]);
        let v = serde_json::to_value(&e).expect("serializes");
        assert_eq!(v["totals"]["classes"]["wrong_code"], 1);
        assert_eq!(v["totals"]["classes"]["spurious_no_target"], 1);
        assert_eq!(v["totals"]["fn"], 5);
        assert_eq!(v["records"][0]["errors"][0]["class"], "wrong_code");
    }
}
