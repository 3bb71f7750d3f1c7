//! `dyad eval`: code the texts of gold JSONL files and score the result (or score a prediction
//! file made by any tool with `--pred`).

use super::load_coder;
use anyhow::{Context, Result};
use dyad_coder::input::parse_date;
use dyad_coder::{Article, Options};
use dyad_eval::{read_jsonl, score, Scores};
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
        rows.push((name, score(&golds, &preds)));
    }
    if let Some(mut w) = pred_out {
        w.flush()?;
    }
    if a.json {
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
