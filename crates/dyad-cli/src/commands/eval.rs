//! `dyad eval`: code the texts of gold JSONL files and score the result (or score a prediction
//! file made by any tool with `--pred`). With `--explain`, an L1 error analysis instead: every
//! missed gold event and spurious prediction with its error class, sentence, evidence and rule,
//! then totals by class (`dyad_eval::explain`).

use super::load_coder;
use anyhow::{Context, Result};
use clap::ValueEnum;
use dyad_coder::input::parse_date;
use dyad_coder::{Article, Options};
use dyad_eval::{explain, read_jsonl, score, ErrorClass, Explanation, GoldSide, PredSide, Scores};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Gold files (see ../shared/gold/FORMAT.md).
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// Score this prediction JSONL instead of coding the gold texts (one gold file only).
    #[arg(long)]
    pub pred: Option<PathBuf>,
    /// Write dyad's predictions (JSONL, one coded article per gold record) to this file.
    #[arg(long)]
    pub write_pred: Option<PathBuf>,
    /// Print the scores as JSON (one object per gold file) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// A dictionary folder to use instead of the embedded one.
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// Error analysis of the L1 score: each missed gold event and spurious prediction with
    /// its class (wrong_code, wrong_source, wrong_target, missing_target, swapped,
    /// no_event_in_sentence, other_event_in_sentence, no_event, spurious, spurious_no_target),
    /// sentence, evidence and rule; then totals by class per gold file.
    #[arg(long)]
    pub explain: bool,
    /// Output format (`json`: one object per gold file; same as `--json`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let coder = if a.pred.is_none() {
        Some(load_coder(a.dict.as_deref(), Options::default())?)
    } else {
        None
    };
    let mut pred_out = match &a.write_pred {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let mut rows = Vec::new();
    let mut explained = Vec::new();
    for g in &a.gold {
        let name = g.display().to_string();
        let text = std::fs::read_to_string(g).with_context(|| format!("reading {name}"))?;
        let golds = read_jsonl(&text, &name)?;
        let preds: Vec<Value> = match (&a.pred, &coder) {
            (Some(p), _) => {
                let t = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                read_jsonl(&t, &p.display().to_string())?
            }
            (None, Some(coder)) => {
                let mut v = Vec::with_capacity(golds.len());
                for r in &golds {
                    let article = gold_article(r);
                    let coded = coder.code(&article);
                    let value = serde_json::to_value(&coded)?;
                    if let Some(w) = pred_out.as_mut() {
                        serde_json::to_writer(&mut *w, &value)?;
                        writeln!(w)?;
                    }
                    v.push(value);
                }
                v
            }
            (None, None) => unreachable_state()?,
        };
        if a.explain {
            explained.push((name, explain(&golds, &preds)));
        } else {
            rows.push((name, score(&golds, &preds)));
        }
    }
    if let Some(mut w) = pred_out {
        w.flush()?;
    }
    let json = a.json || a.format == Format::Json;
    if a.explain {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        for (name, e) in &explained {
            if json {
                serde_json::to_writer(
                    &mut out,
                    &ExplainOut {
                        gold: name,
                        explain: e,
                    },
                )?;
                writeln!(out)?;
            } else {
                print_explanation(&mut out, name, e)?;
            }
        }
        out.flush()?;
    } else if json {
        for (name, s) in &rows {
            println!("{}", serde_json::json!({"gold": name, "scores": s}));
        }
    } else {
        print_table(&rows);
    }
    Ok(ExitCode::SUCCESS)
}

fn unreachable_state() -> Result<Vec<Value>> {
    anyhow::bail!("internal: no coder and no prediction file")
}

/// The article a gold record describes.
pub fn gold_article(r: &Value) -> Article {
    let id = match r.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    Article {
        id,
        date: r.get("date").and_then(Value::as_str).and_then(parse_date),
        text: r
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        ..Article::default()
    }
}

fn print_table(rows: &[(String, Scores)]) {
    println!(
        "{:<40} {:>5} | {:>17} | {:>17} | {:>17} | quotes found/gold, speaker ok, spurious",
        "gold", "recs", "L1 P / R / F1", "L2 P / R / F1", "L3 P / R / F1"
    );
    for (name, s) in rows {
        let short = name.rsplit('/').next().unwrap_or(name);
        let f = |e: &dyad_eval::EventScore| {
            format!("{:.2} / {:.2} / {:.2}", e.precision, e.recall, e.f1)
        };
        println!(
            "{:<40} {:>5} | {:>17} | {:>17} | {:>17} | {}/{}, {}, {}",
            short,
            s.records,
            f(&s.l1),
            f(&s.l2),
            f(&s.l3),
            s.quotes.found,
            s.quotes.gold,
            s.quotes.speaker_correct,
            s.quotes.spurious
        );
        println!(
            "{:<40} {:>5} | tp {:>3} fp {:>3} fn {:>3} |",
            "", "", s.l1.tp, s.l1.fp, s.l1.fn_
        );
    }
}

/// One line of `--explain --format json`: fields in declared order, classes in report order.
#[derive(serde::Serialize)]
struct ExplainOut<'a> {
    gold: &'a str,
    explain: &'a Explanation,
}

/// A gold actor spec: its alternatives joined by `|`, `(any)` for `null`.
fn spec(v: Option<&Value>) -> String {
    match v {
        Some(Value::Array(alts)) => alts
            .iter()
            .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("|"),
        Some(Value::String(s)) => s.clone(),
        _ => "(any)".to_string(),
    }
}

/// One line of text: runs of white space (newlines too) become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn gold_line(g: &GoldSide) -> String {
    let e = &g.event;
    let code = match (e.get("c"), e.get("p")) {
        (Some(c), _) => format!("c={}", c.as_str().unwrap_or("?")),
        (None, Some(p)) => format!("p={}", p.as_str().unwrap_or("?")),
        (None, None) => "c=?".to_string(),
    };
    let sym = if e.get("sym").and_then(Value::as_bool) == Some(true) {
        "  (sym)"
    } else {
        ""
    };
    format!(
        "gold #{}: s={}  {}  t={}{}",
        g.index,
        spec(e.get("s")),
        code,
        spec(e.get("t")),
        sym
    )
}

fn pred_line(p: &PredSide) -> String {
    let code = match (&p.cameo, &p.plover) {
        (Some(c), Some(pl)) => format!("{c} ({pl})"),
        (Some(c), None) => c.clone(),
        (None, Some(pl)) => pl.clone(),
        (None, None) => "?".to_string(),
    };
    let sentence = p
        .sentence
        .map(|s| format!("  [sentence {s}]"))
        .unwrap_or_default();
    format!(
        "pred #{}: {} {} -> {}{}",
        p.index,
        p.source.as_deref().unwrap_or("-"),
        code,
        p.target.as_deref().unwrap_or("-"),
        sentence
    )
}

fn print_pred_details(out: &mut impl Write, p: &PredSide, with_sentence: bool) -> Result<()> {
    if with_sentence {
        if let Some(t) = &p.sentence_text {
            writeln!(out, "      sentence: {}", one_line(t))?;
        }
    }
    if let Some(ev) = &p.evidence {
        writeln!(out, "      evidence: \"{}\"", one_line(ev))?;
    }
    if let Some(r) = &p.rule {
        writeln!(out, "      rule:     {r}")?;
    }
    Ok(())
}

/// The text report of `--explain`: records with errors, then totals by class.
fn print_explanation(out: &mut impl Write, name: &str, e: &Explanation) -> Result<()> {
    let short = name.rsplit('/').next().unwrap_or(name);
    let t = &e.totals;
    writeln!(
        out,
        "== {short}: {} records, {} with errors; L1 tp {} fp {} fn {} ==",
        t.records, t.records_with_errors, t.tp, t.fp, t.fn_
    )?;
    for r in e.records.iter().filter(|r| !r.errors.is_empty()) {
        writeln!(out)?;
        let missing = if r.predicted { "" } else { "  (no prediction)" };
        writeln!(
            out,
            "{}  tp {} fp {} fn {}{}",
            r.id, r.tp, r.fp, r.fn_, missing
        )?;
        for err in &r.errors {
            writeln!(out, "  [{}]", err.class)?;
            if let Some(g) = &err.gold {
                writeln!(out, "      {}", gold_line(g))?;
                if let Some(why) = g.event.get("why").and_then(Value::as_str) {
                    writeln!(out, "      why:      {}", one_line(why))?;
                }
                if let Some(p) = &err.pred {
                    writeln!(out, "      {}", pred_line(p))?;
                }
                let sentence = g
                    .sentence_text
                    .as_deref()
                    .or_else(|| err.pred.as_ref().and_then(|p| p.sentence_text.as_deref()));
                if let Some(text) = sentence {
                    let idx = if g.sentences.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " [{}]",
                            g.sentences
                                .iter()
                                .map(usize::to_string)
                                .collect::<Vec<_>>()
                                .join(",")
                        )
                    };
                    writeln!(out, "      sentence{idx}: {}", one_line(text))?;
                }
                if let Some(p) = &err.pred {
                    print_pred_details(out, p, false)?;
                }
                if err.class == ErrorClass::OtherEventInSentence {
                    for p in &g.events_in_sentence {
                        writeln!(out, "      coded instead: {}", pred_line(p))?;
                        if let Some(r) = &p.rule {
                            writeln!(out, "                     rule {r}")?;
                        }
                    }
                }
            } else if let Some(p) = &err.pred {
                writeln!(out, "      {}", pred_line(p))?;
                print_pred_details(out, p, true)?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "totals by class: {short}")?;
    writeln!(out, "  {:<26} {:>6}  counts as", "class", "events")?;
    for c in ErrorClass::ALL {
        let n = t.classes.get(&c).copied().unwrap_or(0);
        let counts = match (c.is_miss(), c.is_false_positive()) {
            (true, true) => "1 FN + 1 FP",
            (true, false) => "1 FN",
            (false, _) => "1 FP",
        };
        writeln!(out, "  {:<26} {:>6}  {counts}", c.name(), n)?;
    }
    writeln!(
        out,
        "  {:<26} {:>6}\n  {:<26} {:>6}\n  {:<26} {:>6}",
        "L1 true positives", t.tp, "L1 false positives", t.fp, "L1 false negatives", t.fn_
    )?;
    writeln!(out)?;
    Ok(())
}
