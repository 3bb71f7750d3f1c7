//! `dyad-store-bench`: measures the event database. Prints
//! 1. ingest throughput (articles/s, all cores) of the full pipeline on copies of the bundled
//!    sample corpus, next to the coder alone on the same articles: the store should not be the
//!    bottleneck;
//! 2. bulk load of synthetic coded articles up to N events (default 1,000,000) through the
//!    real write path (dedup, mentions, full-text index, rollups);
//! 3. query latency (p50/p95/max over repeated runs) at that scale: dyad time series, top
//!    actors, full-text search, a filtered event page.
//!
//! Figures are recorded in docs/benchmarks.md.
//! Usage: `cargo run --release --bin dyad-store-bench -- [--events N] [--db PATH] [--articles N]`

use anyhow::{Context, Result};
use chrono::NaiveDate;
use dyad_coder::{
    ActorRef, Article, CodedArticle, Coder, EventOut, Evidence, RuleOut, SentenceOut,
};
use dyad_store::{Bucket, EventQuery, EventStore, NewArticle, SqliteStore, StoreOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../bench_util.rs"]
mod bench_util;
use bench_util::Rng;

const COUNTRIES: &[&str] = &[
    "USA", "RUS", "UKR", "CHN", "ISR", "PSE", "IRN", "TUR", "SYR", "IRQ", "AFG", "PAK", "IND",
    "FRA", "DEU", "GBR", "ARM", "AZE", "SDN", "ETH", "EGY", "SAU", "YEM", "LBN", "JOR", "QAT",
    "KOR", "PRK", "JPN", "TWN", "VEN", "COL", "MEX", "BRA", "NGA", "MLI", "NER", "BFA", "COD",
    "RWA", "SOM", "KEN", "LBY", "TUN", "DZA", "MAR", "POL", "BLR", "GEO", "SRB", "XKX", "MMR",
    "THA", "PHL", "IDN", "MYS", "VNM", "CUB", "HTI", "ITA",
];
const SECTORS: &[&str] = &[
    "", "GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "MED", "CVL",
];
const CODES: &[(&str, f64, u8)] = &[
    ("010", 0.0, 1),
    ("012", -0.1, 1),
    ("013", 0.4, 1),
    ("020", 3.0, 1),
    ("0256", -0.3, 1),
    ("036", 4.0, 1),
    ("040", 1.0, 1),
    ("042", 1.9, 1),
    ("043", 2.8, 1),
    ("045", 5.0, 1),
    ("046", 7.0, 1),
    ("051", 3.4, 1),
    ("057", 8.0, 1),
    ("061", 6.4, 2),
    ("070", 7.0, 2),
    ("0841", 1.9, 2),
    ("111", -2.0, 3),
    ("112", -2.0, 3),
    ("120", -4.0, 3),
    ("130", -4.4, 3),
    ("138", -7.0, 3),
    ("141", -6.5, 3),
    ("163", -8.0, 4),
    ("173", -5.0, 4),
    ("180", -9.0, 4),
    ("183", -10.0, 4),
    ("190", -10.0, 4),
    ("193", -10.0, 4),
    ("194", -10.0, 4),
    ("195", -10.0, 4),
];
const WORDS: &[&str] = &[
    "ceasefire",
    "talks",
    "shelling",
    "sanctions",
    "border",
    "drone",
    "refugees",
    "election",
    "protest",
    "embassy",
    "mediation",
    "treaty",
    "convoy",
    "airstrike",
    "hostages",
    "grain",
    "pipeline",
    "summit",
    "militia",
    "blockade",
];

fn actor(rng: &mut Rng) -> ActorRef {
    let c = COUNTRIES[rng.zipf(COUNTRIES.len())];
    let s = SECTORS[rng.zipf(SECTORS.len())];
    ActorRef {
        id: 0,
        name: format!("{c} {s}").trim().to_string(),
        code: format!("{c}{s}"),
        country: Some(c.to_string()),
        org: None,
        sector: (!s.is_empty()).then(|| s.to_string()),
    }
}

/// A synthetic coded article with `n` events, one sentence each, spread over 2019–2024.
fn synthetic(rng: &mut Rng, i: u64, n: usize) -> NewArticle {
    let base = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default();
    let date = base + chrono::Days::new(rng.below(6 * 365) as u64);
    let mut text = String::new();
    let mut events = Vec::new();
    let mut sentences = Vec::new();
    for k in 0..n {
        let (src, tgt) = (actor(rng), actor(rng));
        let (code, g, quad) = CODES[rng.below(CODES.len())];
        let start = text.len();
        let sentence = format!(
            "{} and {} in report {i}-{k}: {} {} {}. ",
            src.name,
            tgt.name,
            WORDS[rng.below(WORDS.len())],
            WORDS[rng.below(WORDS.len())],
            WORDS[rng.below(WORDS.len())]
        );
        text.push_str(&sentence);
        sentences.push(SentenceOut {
            start,
            end: text.len() - 1,
            paragraph: 0,
        });
        events.push(EventOut {
            source: Some(src),
            target: Some(tgt),
            cameo: code.to_string(),
            root: code[..2].to_string(),
            cameo_name: None,
            plover: None,
            plover_mode: None,
            goldstein: Some(g),
            quad_class: Some(quad),
            date: Some(date),
            date_text: None,
            place: None,
            sentence: k,
            evidence: Evidence {
                start,
                end: start + 20,
                text: sentence[..20.min(sentence.len())].to_string(),
            },
            rule: RuleOut {
                file: "synthetic".into(),
                entry: "synthetic".into(),
                pattern_code: code.into(),
                recoded: None,
            },
            confidence: 1.0,
            negated: false,
            hypothetical: false,
            reported: false,
            quote: None,
        });
    }
    NewArticle {
        key: Some(format!("synthetic-{i}")),
        content_hash: dyad_store::content_hash(&text),
        origin: "synthetic".into(),
        lang: None,
        coded: CodedArticle {
            id: format!("synthetic-{i}"),
            date: Some(date),
            url: None,
            source: Some(format!("Outlet {}", rng.below(40))),
            title: None,
            events,
            quotes: Vec::new(),
            actors: Vec::new(),
            places: Vec::new(),
            sentences,
        },
        text,
    }
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |p: f64| ms(v[((v.len() as f64 * p) as usize).min(v.len() - 1)]);
    (at(0.5), at(0.95), ms(v[v.len() - 1]))
}

fn time<T>(
    runs: usize,
    mut f: impl FnMut(usize) -> Result<T, dyad_store::StoreError>,
) -> Result<(f64, f64, f64)> {
    let mut v = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i)?;
        v.push(t.elapsed());
    }
    Ok(percentiles(v))
}

fn main() -> Result<()> {
    let flag = bench_util::flag;
    let target_events: u64 = flag("--events")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let copies: usize = flag("--articles")
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000);
    let keep_dir;
    let db: PathBuf = match flag("--db") {
        Some(p) => PathBuf::from(p),
        None => {
            keep_dir = tempfile_dir()?;
            keep_dir.join("bench.db")
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("dyad-store-bench: {cores} cores");

    // 1. Ingest throughput on real articles: the corpus's wire stories, made distinct.
    let coder = Coder::embedded()?;
    let wires = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus/wires.jsonl"),
    )
    .context("examples/corpus/wires.jsonl")?;
    let records: Vec<Article> = wires
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            dyad_coder::input::parse_record(l, "wires.jsonl", i + 1, usize::MAX).ok()
        })
        .collect();
    let articles: Vec<Result<dyad_formats::SourcedArticle, String>> = (0..copies)
        .map(|i| {
            let mut a = records[i % records.len()].clone();
            a.id = format!("copy-{i}");
            a.text = format!(
                "{} Officials filed report number {i} on the matter.",
                a.text
            );
            Ok(dyad_formats::SourcedArticle {
                key: Some(a.id.clone()),
                origin: format!("bench:{i}"),
                article: a,
            })
        })
        .collect();
    let sentences: usize = articles
        .iter()
        .filter_map(|a| a.as_ref().ok())
        .map(|a| dyad_text::Document::new(&a.article.text).sentences.len())
        .sum();
    // Coder alone, all cores.
    let t = Instant::now();
    std::thread::scope(|s| {
        let chunk = articles.len().div_ceil(cores);
        for part in articles.chunks(chunk) {
            let coder = &coder;
            s.spawn(move || {
                for a in part.iter().flatten() {
                    std::hint::black_box(coder.code(&a.article));
                }
            });
        }
    });
    let coder_only = t.elapsed().as_secs_f64();
    // Full pipeline into a fresh store.
    let ingest_db = db.with_extension("ingest.db");
    let _ = std::fs::remove_file(&ingest_db);
    let mut store = SqliteStore::open(&ingest_db, StoreOptions::default())?;
    let counters = dyad_ingest::Counters::default();
    let t = Instant::now();
    let summary = dyad_ingest::ingest_articles(
        &mut store,
        &coder,
        articles,
        &dyad_ingest::IngestOptions::default(),
        &counters,
    )?;
    let pipeline = t.elapsed().as_secs_f64();
    println!(
        "ingest: {} articles ({sentences} sentences, {} mentions): coder alone {:.0} articles/s; full pipeline into SQLite {:.0} articles/s ({:.0}% of the coder's rate); writer busy {:.0}% of the time ({:.0} articles/s while writing)",
        summary.articles_stored,
        summary.mentions,
        copies as f64 / coder_only,
        summary.articles_stored as f64 / pipeline,
        100.0 * coder_only / pipeline,
        100.0 * summary.store_seconds / pipeline,
        summary.articles_stored as f64 / summary.store_seconds.max(1e-9)
    );
    drop(store);
    let _ = std::fs::remove_file(&ingest_db);

    // 2. Bulk load to the target number of events through the real write path.
    let mut store = SqliteStore::open(&db, StoreOptions::default())?;
    let mut have = store.stats()?.events;
    if have < target_events {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ have);
        let t = Instant::now();
        let mut i = store.stats()?.articles;
        let mut loaded_mentions = 0u64;
        while have < target_events {
            let batch: Vec<NewArticle> = (0..1000)
                .map(|_| {
                    i += 1;
                    synthetic(&mut rng, i, 5)
                })
                .collect();
            loaded_mentions += 5 * batch.len() as u64;
            for o in store.insert_batch(&batch)? {
                if let dyad_store::InsertOutcome::Inserted { new_events, .. } = o {
                    have += new_events as u64;
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "bulk load: {have} events from {loaded_mentions} mentions in {secs:.1} s ({:.0} mentions/s, one writer)",
            loaded_mentions as f64 / secs
        );
    }
    let stats = store.stats()?;
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "store: {} events, {} mentions, {} articles, {} sentences; {:.0} MB on disk",
        stats.events,
        stats.mentions,
        stats.articles,
        stats.sentences,
        size as f64 / 1e6
    );
    drop(store);

    // 3. Queries, on a read-only connection as `dyad query` and the server use.
    let store = SqliteStore::open_read_only(&db)?;
    let dyads = store.top_dyads(&EventQuery::default(), 200)?;
    let report = |name: &str, (p50, p95, max): (f64, f64, f64)| {
        println!("query {name:<46} p50 {p50:>7.2} ms  p95 {p95:>7.2} ms  max {max:>7.2} ms");
    };
    let runs = 100;
    report(
        "dyad weekly series (top 200 dyads, exact)",
        time(runs, |i| {
            let d = &dyads[i % dyads.len()];
            let q = EventQuery {
                source: Some(d.source_code.clone()),
                target: Some(d.target_code.clone()),
                ..Default::default()
            };
            store.series(&q, Bucket::Week)
        })?,
    );
    report(
        "dyad monthly series, both directions, prefix",
        time(runs, |i| {
            let a = COUNTRIES[i % 10];
            let b = COUNTRIES[(i + 3) % 10];
            let q = EventQuery {
                source: Some(a.into()),
                target: Some(b.into()),
                either_direction: true,
                ..Default::default()
            };
            store.series(&q, Bucket::Month)
        })?,
    );
    report(
        "actor daily series (country prefix)",
        time(runs, |i| {
            let q = EventQuery {
                actor: Some(COUNTRIES[i % COUNTRIES.len()].into()),
                ..Default::default()
            };
            store.series(&q, Bucket::Day)
        })?,
    );
    report(
        "top 20 actors, all time",
        time(runs, |_| store.top_actors(&EventQuery::default(), 20))?,
    );
    let base = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default();
    report(
        "top 20 actors, random 90-day window",
        time(runs, |i| {
            let from = base + chrono::Days::new((i as u64 * 37) % (5 * 365));
            let q = EventQuery {
                from: Some(from),
                to: Some(from + chrono::Days::new(90)),
                ..Default::default()
            };
            store.top_actors(&q, 20)
        })?,
    );
    report(
        "top 20 actors, one year of one root (no rollup)",
        time(20, |i| {
            let q = EventQuery {
                cameo: Some(["19", "04", "11"][i % 3].into()),
                from: NaiveDate::from_ymd_opt(2021, 1, 1),
                to: NaiveDate::from_ymd_opt(2021, 12, 31),
                ..Default::default()
            };
            store.top_actors(&q, 20)
        })?,
    );
    report(
        "full text, 2 common words (~2% of sentences)",
        time(runs, |i| {
            let q = EventQuery {
                text: Some(format!(
                    "{} {}",
                    WORDS[i % WORDS.len()],
                    WORDS[(i * 7 + 3) % WORDS.len()]
                )),
                limit: Some(50),
                ..Default::default()
            };
            store.query(&q)
        })?,
    );
    report(
        "full text, a rare term (one article's number)",
        time(runs, |i| {
            let q = EventQuery {
                text: Some(format!("{}", 1 + (i * 1997) % 200_000)),
                limit: Some(50),
                ..Default::default()
            };
            store.query(&q)
        })?,
    );
    report(
        "events page: dyad + 1 year, 100 rows",
        time(runs, |i| {
            let d = &dyads[i % dyads.len()];
            let q = EventQuery {
                source: Some(d.source_code.clone()),
                target: Some(d.target_code.clone()),
                from: NaiveDate::from_ymd_opt(2022, 1, 1),
                to: NaiveDate::from_ymd_opt(2022, 12, 31),
                limit: Some(100),
                ..Default::default()
            };
            store.query(&q)
        })?,
    );
    Ok(())
}

/// A fresh directory under the system's temp dir, removed by nobody: the bench database can
/// be reused with `--db`.
fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("dyad-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
