//! `dyad-bench`: measures the coder. Prints dictionary load time, single-thread throughput
//! (sentences/s) over a generated corpus of realistic wire-style news sentences, the same on all
//! cores, and peak RSS. Figures are recorded in docs/benchmarks.md.
//!
//! Usage: `cargo run --release --bin dyad-bench -- [SENTENCES] [--threads N]`

use dyad_coder::{Article, Coder};
use dyad_dict::Dictionaries;
use std::time::Instant;

#[path = "../bench_util.rs"]
mod bench_util;
use bench_util::Rng;

/// Sentence shapes seen in wire copy; `{A}`/`{B}` are actors, `{P}` a place, `{D}` a day.
const TEMPLATES: &[&str] = &[
    "{A} and {B} spoke by phone {D} about the situation in {P} and agreed to continue talks.",
    "{A} called for an immediate ceasefire in {P} and urged {B} to show restraint, officials said.",
    "{A} accused {B} of shelling residential areas of {P} {D}, killing at least {N} civilians.",
    "“We will not accept any ultimatum,” {A} told reporters in {P} {D}.",
    "{A} met {B} in {P} {D} to discuss trade, security and the war, the ministry said in a statement.",
    "Troops loyal to {A} attacked positions held by {B} near {P}, according to local sources.",
    "{A} did not rule out new sanctions against {B} if the fighting around {P} continued.",
    "{A} condemned the air strikes on {P} and demanded that {B} withdraw its forces immediately.",
    "Thousands of protesters rallied in {P} {D} against the government of {B}, witnesses said.",
    "{A} offered to mediate between {B} and its neighbours, a spokesman said {D}.",
    "Police in {P} arrested {N} opposition activists {D} after clashes with security forces.",
    "{A} rejected a proposal by {B} to hold talks in {P}, saying the time was not right.",
    "{A} pledged {N} million dollars in humanitarian aid to {B} {D}.",
    "The foreign ministers of {A} and {B} signed an agreement on energy cooperation in {P}.",
    "{A} threatened to retaliate if {B} carried out further strikes on {P}.",
    "{A} expelled two diplomats of {B} {D}, accusing them of espionage.",
    "Speaking in {P}, {A} said that relations with {B} were at their lowest point in decades.",
    "{A} praised the decision by {B} to release {N} prisoners held since the war.",
    "Rebels seized the town of {P} {D} after heavy fighting with government troops, residents said.",
    "{A} warned {B} against any attempt to change the borders by force.",
    "The United Nations Security Council will meet {D} to discuss the crisis in {P}.",
    "{A} visited {P} {D}, his first trip abroad since taking office.",
    "{A} imposed an embargo on arms deliveries to {B} after the coup in {P}.",
    "In a statement, {A} expressed deep concern over the escalation of violence in {P}.",
];

const DAYS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "yesterday",
    "last night",
    "on Friday",
    "last Sunday",
    "on Wednesday",
    "today",
];

fn corpus(d: &Dictionaries, sentences: usize, per_article: usize) -> Vec<Article> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut actors: Vec<String> = Vec::new();
    for c in &d.countries {
        actors.push(c.name.clone());
        if let Some(adj) = c.adjectives.first() {
            actors.push(format!("the {adj} government"));
            actors.push(format!("{adj} troops"));
        }
    }
    for p in d
        .people
        .iter()
        .filter(|p| p.roles.iter().any(|r| r.title.is_some()))
    {
        let title = p
            .roles
            .last()
            .and_then(|r| r.title.clone())
            .unwrap_or_default();
        actors.push(format!("{title} {}", p.name));
    }
    let places: Vec<String> = d
        .places
        .iter()
        .filter(|p| p.kind.as_deref() == Some("city"))
        .map(|p| p.name.clone())
        .collect();
    let mut articles = Vec::new();
    let mut n = 0;
    while n < sentences {
        let mut text = String::new();
        for _ in 0..per_article {
            let t = *rng.pick(TEMPLATES);
            let s = t
                .replace("{A}", rng.pick(actors.as_slice()).as_str())
                .replace("{B}", rng.pick(actors.as_slice()).as_str())
                .replace("{P}", rng.pick(places.as_slice()).as_str())
                .replace("{D}", rng.pick::<&str>(DAYS))
                .replace("{N}", &(rng.next() % 90 + 2).to_string());
            let mut c = s.chars();
            let s = match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => s,
            };
            text.push_str(&s);
            text.push(' ');
            n += 1;
        }
        articles.push(Article {
            id: format!("bench-{}", articles.len()),
            date: chrono::NaiveDate::from_ymd_opt(2023, 7, 18),
            text,
            ..Article::default()
        });
    }
    articles
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut sentences = 100_000usize;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(threads),
            "--bench" => {}
            other => sentences = other.parse().unwrap_or(sentences),
        }
    }

    // Load: parse the embedded TOML and compile automata and patterns, as `dyad code` does.
    let t0 = Instant::now();
    let dicts = match Dictionaries::embedded() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("dyad-bench: {e}");
            std::process::exit(2);
        }
    };
    let coder = match Coder::new(&dicts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dyad-bench: {e}");
            std::process::exit(2);
        }
    };
    let load = t0.elapsed();
    let rss_after_load = peak_rss_mb();

    let articles = corpus(&dicts, sentences, 10);
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();

    // Warm-up on a slice, then the timed single-thread pass.
    for a in articles.iter().take(50) {
        std::hint::black_box(coder.code(a));
    }
    let t1 = Instant::now();
    let (mut sents, mut events, mut quotes) = (0usize, 0usize, 0usize);
    for a in &articles {
        let c = coder.code(a);
        sents += c.sentences.len();
        events += c.events.len();
        quotes += c.quotes.len();
    }
    let single = t1.elapsed().as_secs_f64();

    // Stage by stage, single thread: where the time goes.
    let (mut t_text, mut t_syntax, mut t_actors, mut t_quotes, mut t_events) =
        (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for a in &articles {
        let s0 = Instant::now();
        let doc = dyad_text::Document::new(a.text.as_str());
        let s05 = Instant::now();
        let mut ann = dyad_actors::annotate(&doc, coder.actor_lexicon(), a.date);
        let s1 = Instant::now();
        let syntax = coder.parse_for(&doc, &ann);
        let s2 = Instant::now();
        let quotes = dyad_quotes::find(&doc, &syntax, &ann);
        let s3 = Instant::now();
        let ev = dyad_events::code(
            &doc,
            &syntax,
            &mut ann,
            &quotes,
            coder.event_lexicon(),
            a.date,
            dyad_coder::Options::default(),
        );
        let s4 = Instant::now();
        std::hint::black_box(ev);
        t_text += (s05 - s0).as_secs_f64();
        t_syntax += (s2 - s1).as_secs_f64();
        t_actors += (s1 - s05).as_secs_f64();
        t_quotes += (s3 - s2).as_secs_f64();
        t_events += (s4 - s3).as_secs_f64();
    }
    let staged = t_text + t_syntax + t_actors + t_quotes + t_events;

    // All cores: articles split into contiguous chunks, one scoped thread each.
    let t2 = Instant::now();
    let chunk = articles.len().div_ceil(threads.max(1));
    let total: usize = std::thread::scope(|s| {
        let handles: Vec<_> = articles
            .chunks(chunk.max(1))
            .map(|part| {
                s.spawn(|| {
                    part.iter()
                        .map(|a| coder.code(a).sentences.len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let multi = t2.elapsed().as_secs_f64();

    println!(
        "dyad-bench: {} articles, {} sentences, {:.1} MB of text",
        articles.len(),
        sents,
        bytes as f64 / 1e6
    );
    println!(
        "dictionary load (parse + compile): {:.1} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "single thread: {:.0} sentences/s ({:.1} MB/s), {:.2} s; {} events, {} quotes",
        sents as f64 / single,
        bytes as f64 / 1e6 / single,
        single,
        events,
        quotes
    );
    println!(
        "{} threads: {:.0} sentences/s, {:.2} s ({} sentences)",
        threads,
        total as f64 / multi,
        multi,
        total
    );
    let pct = |x: f64| 100.0 * x / single;
    println!(
        "stages (share of the single-thread time): text {:.0}%, syntax {:.0}%, actors {:.0}%, quotes {:.0}%, events {:.0}%, output {:.0}%",
        pct(t_text),
        pct(t_syntax),
        pct(t_actors),
        pct(t_quotes),
        pct(t_events),
        (100.0 - pct(staged)).max(0.0)
    );
    if let (Some(l), Some(p)) = (rss_after_load, peak_rss_mb()) {
        println!(
            "peak RSS: {:.1} MB after load, {:.1} MB at end (corpus held in memory)",
            l, p
        );
    }
}
