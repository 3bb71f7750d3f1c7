//! Scores predictions against a gold set, following the rules of `../shared/gold/FORMAT.md`:
//!
//! - L1: same CAMEO root (or PLOVER type) and same actor keys (country, else organization);
//!   L2: L1 plus the sector where the gold names one; L3: L2 plus the exact code.
//! - Required gold events are matched first, then optional ones absorb predictions; unmatched
//!   predictions are false positives.
//! - Quotes match on word overlap (Jaccard ≥ 0.6, or ≥ 80 % of the gold words inside a
//!   prediction at most three times longer); the speaker is right when its key matches.
//!
//! Both sides are JSON values, so the scorer reads any tool's output that has the documented
//! fields, not only dyad's.
//!
//! [`explain`] is the L1 error analysis (`dyad eval --explain`): the same matching, with every
//! missed gold event and spurious prediction given one [`ErrorClass`].

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

mod explain;
pub use explain::{
    explain, ErrorClass, ErrorItem, ExplainTotals, Explanation, GoldSide, PredSide,
    RecordExplanation,
};

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{what}: line {line}: {message}")]
    Json {
        what: String,
        line: usize,
        message: String,
    },
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct EventScore {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct QuoteScore {
    pub gold: usize,
    pub found: usize,
    pub spurious: usize,
    pub speaker_correct: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Scores {
    pub records: usize,
    pub missing_records: usize,
    #[serde(rename = "L1")]
    pub l1: EventScore,
    #[serde(rename = "L2")]
    pub l2: EventScore,
    #[serde(rename = "L3")]
    pub l3: EventScore,
    pub quotes: QuoteScore,
}

/// Reads JSON Lines into values, naming the line of any broken one.
pub fn read_jsonl(text: &str, what: &str) -> Result<Vec<Value>, EvalError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| EvalError::Json {
            what: what.to_string(),
            line: i + 1,
            message: e.to_string(),
        })?;
        out.push(v);
    }
    Ok(out)
}

pub(crate) fn id_of(v: &Value) -> String {
    match v.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => "None".to_string(),
        Some(other) => other.to_string(),
    }
}

const TYPE_KEYS: &[&str] = &["IGO", "NGO", "IMG", "ISM", "MNC"];

fn legacy(k: &str) -> &str {
    match k {
        "ROM" => "ROU",
        "TMP" => "TLS",
        "MTN" => "MNE",
        "IMY" => "IMN",
        "JAP" => "JPN",
        "ITL" => "ITA",
        "VTN" => "VNM",
        "KSV" => "XKX",
        "ZAR" => "COD",
        "PAL" => "PSE",
        k => k,
    }
}

fn str_field<'a>(v: &'a Value, f: &str) -> Option<&'a str> {
    v.get(f).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Keys a predicted actor can be matched by, and its sector.
fn keys_of(actor: &Value) -> (BTreeSet<String>, Option<String>) {
    let mut ks = BTreeSet::new();
    for f in ["country", "org"] {
        if let Some(v) = actor.get(f) {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Null | Value::Bool(false) => continue,
                other => other.to_string(),
            };
            if !s.is_empty() {
                ks.insert(s.to_uppercase());
            }
        }
    }
    let code = str_field(actor, "code").unwrap_or("").to_uppercase();
    if code.len() >= 3 && ks.is_empty() {
        ks.insert(code.chars().take(3).collect());
    }
    let mut sector = str_field(actor, "sector").map(str::to_string);
    if sector.is_none() && code.len() >= 6 {
        sector = Some(code.chars().skip(3).take(3).collect());
    }
    (
        ks,
        sector.map(|s| s.to_uppercase()).filter(|s| !s.is_empty()),
    )
}

pub(crate) fn actor_ok(spec: &Value, actor: Option<&Value>, level: u8) -> bool {
    let Some(alts) = spec.as_array() else {
        return true;
    };
    let Some(actor) = actor.filter(|a| a.is_object()) else {
        return false;
    };
    let (ks, sector) = keys_of(actor);
    let ks: BTreeSet<String> = ks.iter().map(|k| legacy(k).to_string()).collect();
    let code = str_field(actor, "code").unwrap_or("").to_uppercase();
    for alt in alts {
        let Some(alt) = alt.as_str() else { continue };
        let (k, sec) = match alt.split_once(':') {
            Some((k, s)) => (k.to_uppercase(), s),
            None => (alt.to_uppercase(), ""),
        };
        let key_hit = if k == "*" {
            true
        } else if TYPE_KEYS.contains(&k.as_str()) {
            ks.contains(&k)
                || sector.as_deref() == Some(k.as_str())
                || code.starts_with(&k)
                || (k == "IGO" && actor.get("org").is_some_and(truthy))
        } else {
            ks.contains(&k)
        };
        if key_hit && (level < 2 || sec.is_empty() || Some(sec) == sector.as_deref()) {
            return true;
        }
    }
    false
}

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn code_ok(spec: &str, cameo: &str, level: u8) -> bool {
    let alts: Vec<&str> = spec.split('|').collect();
    if level >= 3 {
        return alts.contains(&cameo);
    }
    let root = |s: &str| s.chars().take(2).collect::<String>();
    alts.iter().any(|a| root(a) == root(cameo))
}

/// Whether a prediction has the gold event's code (CAMEO at `level`, or PLOVER type).
pub(crate) fn event_code_ok(g: &Value, p: &Value, level: u8) -> bool {
    if let Some(c) = g.get("c").and_then(Value::as_str) {
        let cameo = match p.get("cameo") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        };
        code_ok(c, &cameo, level)
    } else {
        let want = g.get("p").and_then(Value::as_str).unwrap_or("");
        let got = p
            .get("plover")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_uppercase();
        want.split('|').any(|a| a.to_uppercase() == got)
    }
}

fn ev_match(g: &Value, p: &Value, level: u8) -> bool {
    if !event_code_ok(g, p, level) {
        return false;
    }
    let s = p.get("source");
    let t = p.get("target");
    let gs = g.get("s").unwrap_or(&Value::Null);
    let gt = g.get("t").unwrap_or(&Value::Null);
    if actor_ok(gs, s, level) && actor_ok(gt, t, level) {
        return true;
    }
    g.get("sym").is_some_and(truthy) && actor_ok(gs, t, level) && actor_ok(gt, s, level)
}

/// Whether a gold event is optional (`opt: true`).
fn is_opt(ge: &Value) -> bool {
    ge.get("opt").is_some_and(truthy)
}

/// The scorer's matching within one record: required gold events first, then optional ones,
/// each taking the first unused prediction that matches at `level`. Returns, per gold event,
/// the prediction it matched, and per prediction whether it was used.
pub(crate) fn match_record(
    gevents: &[Value],
    pe: &[Value],
    level: u8,
) -> (Vec<Option<usize>>, Vec<bool>) {
    let mut used = vec![false; pe.len()];
    let mut gold_hit = vec![None; gevents.len()];
    for want_opt in [false, true] {
        for (gi, ge) in gevents.iter().enumerate() {
            if is_opt(ge) != want_opt {
                continue;
            }
            let hit = (0..pe.len()).find(|&i| !used[i] && ev_match(ge, &pe[i], level));
            if let Some(i) = hit {
                used[i] = true;
                gold_hit[gi] = Some(i);
            }
        }
    }
    (gold_hit, used)
}

/// A record's gold events and the events predicted for it (empty when absent).
pub(crate) fn record_events<'a>(
    g: &'a Value,
    pred: Option<&'a Value>,
) -> (&'a [Value], &'a [Value]) {
    let ev = |v: Option<&'a Value>| -> &'a [Value] {
        v.and_then(|v| v.get("events"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    };
    (ev(Some(g)), ev(pred))
}

fn score_events(golds: &[Value], preds: &HashMap<String, &Value>, level: u8) -> EventScore {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for g in golds {
        let (gevents, pe) = record_events(g, preds.get(&id_of(g)).copied());
        let (gold_hit, used) = match_record(gevents, pe, level);
        for (ge, hit) in gevents.iter().zip(&gold_hit) {
            match (is_opt(ge), hit) {
                (false, Some(_)) => tp += 1,
                (false, None) => fn_ += 1,
                (true, _) => {}
            }
        }
        fp += used.iter().filter(|u| !**u).count();
    }
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    EventScore {
        tp,
        fp,
        fn_,
        precision: round3(p),
        recall: round3(r),
        f1: round3(f),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Words of a text as the reference scorer sees them: NFKD, lower case, `\w+` runs (a
/// combining accent splits a word there, exactly as Python's `re` does).
fn norm_words(s: &str) -> BTreeSet<String> {
    use unicode_normalization::UnicodeNormalization;
    let folded = s.nfkd().collect::<String>().to_lowercase();
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a predicted quote matches a gold quote.
pub fn quote_hit(gold: &str, pred: &str) -> bool {
    let gw = norm_words(gold);
    let pw = norm_words(pred);
    if gw.is_empty() || pw.is_empty() {
        return false;
    }
    let inter = gw.intersection(&pw).count() as f64;
    let union = gw.union(&pw).count() as f64;
    inter / union >= 0.6 || (inter / gw.len() as f64 >= 0.8 && pw.len() <= 3 * gw.len())
}

fn score_quotes(golds: &[Value], preds: &HashMap<String, &Value>) -> QuoteScore {
    let mut s = QuoteScore::default();
    let empty = Vec::new();
    for g in golds {
        let pq: &Vec<Value> = preds
            .get(&id_of(g))
            .and_then(|p| p.get("quotes"))
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let mut hit_any = vec![false; pq.len()];
        for gq in g.get("quotes").and_then(Value::as_array).unwrap_or(&empty) {
            s.gold += 1;
            let gtext = gq.get("text").and_then(Value::as_str).unwrap_or("");
            let hits: Vec<usize> = (0..pq.len())
                .filter(|&i| {
                    quote_hit(
                        gtext,
                        pq[i].get("text").and_then(Value::as_str).unwrap_or(""),
                    )
                })
                .collect();
            if hits.is_empty() {
                continue;
            }
            s.found += 1;
            for &i in &hits {
                hit_any[i] = true;
            }
            let spec = gq.get("speaker").unwrap_or(&Value::Null);
            if hits
                .iter()
                .any(|&i| actor_ok(spec, pq[i].get("speaker"), 1))
            {
                s.speaker_correct += 1;
            }
        }
        s.spurious += hit_any.iter().filter(|h| !**h).count();
    }
    s
}

/// Predictions by record id; a later record with the same id replaces an earlier one, as in
/// the reference scorer.
pub(crate) fn preds_by_id(preds: &[Value]) -> HashMap<String, &Value> {
    let mut by_id: HashMap<String, &Value> = HashMap::new();
    for p in preds {
        by_id.insert(id_of(p), p);
    }
    by_id
}

/// Scores `preds` (records with `id`, `events`, `quotes`) against `golds`.
pub fn score(golds: &[Value], preds: &[Value]) -> Scores {
    let by_id = preds_by_id(preds);
    let missing = golds
        .iter()
        .filter(|g| !by_id.contains_key(&id_of(g)))
        .count();
    Scores {
        records: golds.len(),
        missing_records: missing,
        l1: score_events(golds, &by_id, 1),
        l2: score_events(golds, &by_id, 2),
        l3: score_events(golds, &by_id, 3),
        quotes: score_quotes(golds, &by_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn actor(country: &str, sector: &str) -> Value {
        json!({"name": "x", "code": format!("{country}{sector}"), "country": country, "org": null, "sector": sector})
    }

    #[test]
    fn levels() {
        let g = vec![
            json!({"id": "a", "events": [{"s": ["RUS:GOV"], "c": "041|040", "t": ["FRA:GOV"], "opt": false, "sym": true}], "quotes": []}),
        ];
        let p = vec![
            json!({"id": "a", "events": [{"source": actor("FRA", "GOV"), "target": actor("RUS", "MIL"), "cameo": "042"}], "quotes": []}),
        ];
        let s = score(&g, &p);
        assert_eq!((s.l1.tp, s.l1.fp, s.l1.fn_), (1, 0, 0));
        assert_eq!((s.l2.tp, s.l2.fn_), (0, 1));
        assert_eq!(s.l3.tp, 0);
    }

    #[test]
    fn optional_absorbs_and_unmatched_is_fp() {
        let g = vec![json!({"id": "a", "events": [
            {"s": ["RUS"], "c": "020", "t": null, "opt": false},
            {"s": ["RUS"], "c": "020", "t": null, "opt": true}], "quotes": []})];
        let e = json!({"source": actor("RUS", "GOV"), "target": null, "cameo": "020"});
        let p = vec![json!({"id": "a", "events": [e.clone(), e.clone(), e], "quotes": []})];
        let s = score(&g, &p);
        assert_eq!((s.l1.tp, s.l1.fp, s.l1.fn_), (1, 1, 0));
    }

    #[test]
    fn quotes_and_type_keys() {
        assert!(quote_hit(
            "We call on the leaders to act now",
            "we call on the leaders to act now!"
        ));
        assert!(!quote_hit("occupied", "deep concern"));
        let g = vec![
            json!({"id": "a", "events": [{"s": ["IGO"], "p": "AGREE", "t": null}], "quotes": [{"speaker": ["AZE:GOV"], "text": "our offensive is aimed at restoring justice"}]}),
        ];
        let p = vec![
            json!({"id": "a", "events": [{"source": {"code": "IGOUNO", "org": "UN", "sector": "IGO"}, "target": null, "cameo": "030", "plover": "AGREE"}],
            "quotes": [{"speaker": actor("AZE", "GOV"), "text": "our offensive is aimed at restoring justice,"}, {"speaker": null, "text": "something else entirely"}]}),
        ];
        let s = score(&g, &p);
        assert_eq!(s.l1.tp, 1);
        assert_eq!(
            s.quotes,
            QuoteScore {
                gold: 1,
                found: 1,
                spurious: 1,
                speaker_correct: 1
            }
        );
    }
}
