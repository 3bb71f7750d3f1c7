//! Trains, evaluates and benchmarks dyad-syntax models.
//!
//! ```text
//! dyad-train-syntax train --train TRAIN.conllu [--dev DEV.conllu] --out MODEL.bin
//!                         [--tagger-epochs N] [--parser-epochs N] [--labeler-epochs N]
//! dyad-train-syntax eval  [--model MODEL.bin] --test TEST.conllu [--gold-tags]
//! dyad-train-syntax bench [--model MODEL.bin] --input TEST.conllu [--repeat N]
//! dyad-train-syntax parse [--model MODEL.bin] < TEXT      (prints one token per line)
//! ```
//! Without `--model`, `eval` and `bench` use the embedded English model.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Instant;

use dyad_syntax::train::{evaluate, train, TrainConfig};
use dyad_syntax::{conllu, Model, Parse, Parser};

fn usage() -> ExitCode {
    eprintln!(
        "usage:\n  dyad-train-syntax train --train TRAIN.conllu [--dev DEV.conllu] --out MODEL.bin \
         [--tagger-epochs N] [--parser-epochs N] [--labeler-epochs N]\n  \
         dyad-train-syntax eval [--model MODEL.bin] --test TEST.conllu [--gold-tags]\n  \
         dyad-train-syntax bench [--model MODEL.bin] --input TEST.conllu [--repeat N]"
    );
    ExitCode::from(2)
}

fn read_conllu(path: &str) -> Result<Vec<conllu::Sentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    conllu::parse(&text).map_err(|e| format!("{path}: {e}"))
}

fn load(opts: &HashMap<String, String>) -> Result<(Parser, f64, usize), String> {
    let t0 = Instant::now();
    let (p, bytes) = match opts.get("model") {
        Some(path) => {
            let b = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let t0 = Instant::now();
            let p = Parser::from_bytes(&b).map_err(|e| format!("{path}: {e}"))?;
            return Ok((p, t0.elapsed().as_secs_f64() * 1e3, b.len()));
        }
        None => (
            Parser::english().map_err(|e| e.to_string())?,
            dyad_syntax::ENGLISH_MODEL.len(),
        ),
    };
    Ok((p, t0.elapsed().as_secs_f64() * 1e3, bytes))
}

fn run(cmd: &str, opts: &HashMap<String, String>) -> Result<(), String> {
    let num = |k: &str, d: usize| -> Result<usize, String> {
        opts.get(k).map_or(Ok(d), |v| {
            v.parse().map_err(|_| format!("--{k}: not a number"))
        })
    };
    match cmd {
        "train" => {
            let tr = read_conllu(opts.get("train").ok_or("--train is required")?)?;
            let dev = opts.get("dev").map(|p| read_conllu(p)).transpose()?;
            let out = opts.get("out").ok_or("--out is required")?;
            let d = TrainConfig::default();
            let cfg = TrainConfig {
                tagger_epochs: num("tagger-epochs", d.tagger_epochs)?,
                parser_epochs: num("parser-epochs", d.parser_epochs)?,
                labeler_epochs: num("labeler-epochs", d.labeler_epochs)?,
                tagger_rows: num("tagger-rows", d.tagger_rows)?,
                parser_bits: num("parser-bits", d.parser_bits as usize)? as u32,
                labeler_bits: num("labeler-bits", d.labeler_bits as usize)? as u32,
                ..d
            };
            eprintln!("{} training sentences; {cfg:?}", tr.len());
            let model = train(&tr, dev.as_deref(), &cfg, &mut |m| eprintln!("{m}"));
            let bytes = model.to_bytes();
            std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
            eprintln!(
                "wrote {out}: {} bytes, rows {:?}",
                bytes.len(),
                model.rows()
            );
            Ok(())
        }
        "eval" => {
            let (mut p, ms, bytes) = load(opts)?;
            let test = read_conllu(opts.get("test").ok_or("--test is required")?)?;
            println!("model: {bytes} bytes, loaded in {ms:.1} ms");
            let gold = opts.contains_key("gold-tags");
            let sc = evaluate(&mut p, &test, gold);
            println!(
                "{} tags: {}",
                if gold { "gold" } else { "predicted" },
                sc.summary()
            );
            Ok(())
        }
        "bench" => {
            let (mut p, ms, bytes) = load(opts)?;
            let sents = read_conllu(opts.get("input").ok_or("--input is required")?)?;
            let repeat = num("repeat", 5)?;
            let words: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
            let nw: usize = words.iter().map(Vec::len).sum();
            let mut out = Parse::default();
            for w in &words {
                p.parse(w, &mut out); // warm up
            }
            let t0 = Instant::now();
            for _ in 0..repeat {
                for w in &words {
                    p.parse(w, &mut out);
                }
            }
            let secs = t0.elapsed().as_secs_f64();
            let ns = (words.len() * repeat) as f64;
            println!("model: {bytes} bytes, loaded in {ms:.1} ms");
            println!(
                "tag+parse: {} sentences x {repeat} ({:.1} words/sentence): {:.0} sentences/s, {:.2} us/sentence, {:.0} words/s (1 thread)",
                words.len(),
                nw as f64 / words.len().max(1) as f64,
                ns / secs,
                secs * 1e6 / ns,
                (nw * repeat) as f64 / secs
            );
            let long: Vec<&Vec<&str>> = words
                .iter()
                .filter(|w| (20..=30).contains(&w.len()))
                .collect();
            if !long.is_empty() {
                let nl: usize = long.iter().map(|w| w.len()).sum();
                let t0 = Instant::now();
                for _ in 0..repeat {
                    for w in &long {
                        p.parse(w, &mut out);
                    }
                }
                let secs = t0.elapsed().as_secs_f64();
                let ns = (long.len() * repeat) as f64;
                println!(
                    "tag+parse, the {} sentences of 20-30 words ({:.1} words/sentence): {:.0} sentences/s, {:.2} us/sentence",
                    long.len(),
                    nl as f64 / long.len() as f64,
                    ns / secs,
                    secs * 1e6 / ns
                );
            }
            let t0 = Instant::now();
            let mut tags = Vec::new();
            for _ in 0..repeat {
                for w in &words {
                    p.tag(w, &mut tags);
                }
            }
            let st = t0.elapsed().as_secs_f64();
            println!("tag only: {:.2} us/sentence", st * 1e6 / ns);
            let t0 = Instant::now();
            let mut m = None;
            for _ in 0..20 {
                m = Some(Model::from_bytes(dyad_syntax::ENGLISH_MODEL));
            }
            if matches!(m, Some(Ok(_))) {
                println!(
                    "embedded model load: {:.1} ms",
                    t0.elapsed().as_secs_f64() * 1e3 / 20.0
                );
            }
            Ok(())
        }
        "parse" => {
            // Plain text on stdin, tokenized by dyad-text; prints one token per line.
            let (mut p, _, _) = load(opts)?;
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| e.to_string())?;
            let doc = dyad_text::Document::new(text);
            let syn = dyad_syntax::annotate(&mut p, &doc);
            for s in &doc.sentences {
                for i in s.tokens.clone() {
                    let h = syn.head[i].map_or(0, |h| h - s.tokens.start + 1);
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        i - s.tokens.start + 1,
                        doc.surface(i),
                        syn.upos[i],
                        h,
                        syn.deprel[i]
                    );
                }
                println!();
            }
            Ok(())
        }
        _ => Err(format!("unknown command {cmd:?}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        return usage();
    };
    let mut opts = HashMap::new();
    let mut i = 1;
    while i < args.len() {
        let Some(k) = args[i].strip_prefix("--") else {
            return usage();
        };
        if k == "gold-tags" {
            opts.insert(k.to_string(), String::new());
            i += 1;
            continue;
        }
        let Some(v) = args.get(i + 1) else {
            return usage();
        };
        opts.insert(k.to_string(), v.clone());
        i += 2;
    }
    match run(cmd, &opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dyad-train-syntax: {e}");
            ExitCode::FAILURE
        }
    }
}
