//! `dyad eval --explain` on a small hand-made gold file (`tests/data/explain.gold.jsonl`):
//! each gold event is written so that dyad's coding of its sentence falls in one error class.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .output()
        .expect("dyad runs")
}

fn gold() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/explain.gold.jsonl")
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

fn stdout_of(o: &Output) -> String {
    assert!(
        o.status.success(),
        "dyad failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// (record id, gold index or null, prediction index or null, class) of every error.
fn errors(v: &Value) -> Vec<(String, Value, Value, String)> {
    let mut out = Vec::new();
    for r in v["explain"]["records"].as_array().expect("records") {
        for e in r["errors"].as_array().expect("errors") {
            out.push((
                r["id"].as_str().expect("id").to_string(),
                e["gold"]["index"].clone(),
                e["pred"]["index"].clone(),
                e["class"].as_str().expect("class").to_string(),
            ));
        }
    }
    out
}

#[test]
fn explain_json_classes_each_error() {
    let g = gold();
    let o = run(&["eval", "--explain", "--format", "json", &g]);
    let out = stdout_of(&o);
    let v: Value = serde_json::from_str(out.trim()).expect("one JSON object");
    let got: Vec<(String, Value, String)> = errors(&v)
        .into_iter()
        .map(|(id, gi, _, c)| (id, gi, c))
        .collect();
    let want: Vec<(String, Value, String)> = [
        ("code", Value::from(1), "wrong_code"),
        ("actors", Value::from(0), "wrong_source"),
        ("actors", Value::from(1), "wrong_target"),
        ("actors", Value::from(2), "swapped"),
        ("targets", Value::from(0), "missing_target"),
        ("targets", Value::Null, "spurious_no_target"),
        ("nothing", Value::from(0), "no_event_in_sentence"),
        ("nothing", Value::from(1), "other_event_in_sentence"),
        ("nothing", Value::from(2), "no_event"),
        ("nothing", Value::Null, "spurious"),
    ]
    .into_iter()
    .map(|(id, gi, c)| (id.to_string(), gi, c.to_string()))
    .collect();
    assert_eq!(got, want);

    // A near miss shows both events, the sentence, the evidence and the rule.
    let rec = &v["explain"]["records"][1];
    let wrong_target = &rec["errors"][1];
    assert_eq!(wrong_target["pred"]["source"], "BRAGOV");
    assert_eq!(wrong_target["pred"]["target"], "ARG");
    assert_eq!(
        wrong_target["gold"]["sentence_text"],
        "Brazilian President Lula praised Argentina."
    );
    assert!(wrong_target["pred"]["evidence"]
        .as_str()
        .is_some_and(|e| e.contains("praised")));
    assert!(wrong_target["pred"]["rule"]
        .as_str()
        .is_some_and(|r| r.starts_with("verbs/") && r.contains(':')));

    // Totals: every class once, and the scorer's L1 counts.
    let t = &v["explain"]["totals"];
    for class in [
        "wrong_code",
        "wrong_source",
        "wrong_target",
        "missing_target",
        "swapped",
        "no_event_in_sentence",
        "other_event_in_sentence",
        "no_event",
        "spurious",
        "spurious_no_target",
    ] {
        assert_eq!(t["classes"][class], 1, "{class}");
    }
    let scored = stdout_of(&run(&["eval", "--json", &g]));
    let s: Value = serde_json::from_str(scored.trim()).expect("scores");
    for (ours, theirs) in [("tp", "tp"), ("fp", "fp"), ("fn", "fn")] {
        assert_eq!(t[ours], s["scores"]["L1"][theirs], "{ours}");
    }
    assert_eq!(
        (&t["tp"], &t["fp"], &t["fn"]),
        (&1.into(), &7.into(), &8.into())
    );
}

#[test]
fn explain_text_report_and_plain_eval_unchanged() {
    let g = gold();
    let out = stdout_of(&run(&["eval", "--explain", &g]));
    for needle in [
        "== explain.gold.jsonl: 4 records, 4 with errors; L1 tp 1 fp 7 fn 8 ==",
        "[wrong_code]",
        "gold #1: s=BRA:GOV|BRA  c=042|04  t=ARG",
        "why:      Lula praised Argentina",
        "pred #1: BRAGOV 051",
        "sentence [1]: Brazilian President Lula praised Argentina.",
        "[swapped]",
        "[missing_target]",
        "-> -",
        "[no_event_in_sentence]",
        "[other_event_in_sentence]",
        "coded instead: pred #0: FRA 111",
        "[spurious_no_target]",
        "totals by class: explain.gold.jsonl",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    assert!(out.contains("rule:     verbs/"), "no rule in:\n{out}");
    let line = |class: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(&format!("{class} ")))
            .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string())
    };
    assert_eq!(line("wrong_target").as_deref(), Some("1"));
    assert_eq!(line("no_event").as_deref(), Some("1"));

    // Without --explain, the score table as before.
    let plain = stdout_of(&run(&["eval", &g]));
    assert!(plain.starts_with("gold "), "{plain}");
    assert!(plain.contains("tp   1 fp   7 fn   8"), "{plain}");
    assert!(!plain.contains("totals by class"));
}
