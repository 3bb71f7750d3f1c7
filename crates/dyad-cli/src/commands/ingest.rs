//! `dyad ingest`: files, directories, globs and URLs into the event database; and
//! `dyad follow`: keep polling feeds and ingest what is new.

use super::load_coder;
use super::store::DbArg;
use anyhow::{Context, Result};
use dyad_coder::input::DEFAULT_MAX_ARTICLE_BYTES;
use dyad_fetch::{FetchConfig, Fetcher};
use dyad_ingest::{Counters, IngestOptions, Shard, Summary};
use dyad_store::{EventStore, SqliteStore, StoreOptions};
use dyad_stores::StoreLocation;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

#[derive(clap::Args, Clone)]
pub struct CommonArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Coder threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Articles per database transaction.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// For a new database: mentions of the same source, target and code whose dates differ by at
    /// most this many days are one event (an existing database keeps its own setting).
    #[arg(long, default_value_t = 0)]
    pub dedup_window_days: u32,
    /// Skip articles (or JSONL lines) larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
    /// A dictionary folder to use instead of the embedded one.
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Seconds before an HTTP request is abandoned.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Milliseconds between two requests to the same host (robots.txt Crawl-delay wins when larger).
    #[arg(long, default_value_t = 1000)]
    pub host_delay_ms: u64,
    /// Largest HTTP response read, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_response_bytes: u64,
}

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (read recursively), globs ("news/*.jsonl.gz"), or http(s) URLs of
    /// feeds and article pages. Formats: JSON Lines, text, HTML, RSS/Atom, and .gz of these.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Code only slice I of N (1 ≤ I ≤ N) of the articles, chosen by their text, into this
    /// store: run N of these (a Slurm job array, GNU parallel) and `dyad merge` the stores.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(clap::Args)]
pub struct FollowArgs {
    /// A file with one feed URL per line (blank lines and lines starting with # are ignored).
    pub feeds: PathBuf,
    /// Time between polls: 30s, 10m, 1h.
    #[arg(long, default_value = "10m", value_parser = parse_interval)]
    pub every: Duration,
    /// Stop after this many polls (default: run until interrupted).
    #[arg(long)]
    pub polls: Option<u64>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `30s`, `10m`, `1h`, or plain seconds.
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(
        s.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len()),
    );
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not an interval like 30s, 10m or 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("`{s}`: unit must be s, m or h")),
    };
    if !(0.0..=7.0 * 86400.0).contains(&secs) {
        return Err(format!("`{s}`: between 0s and 7 days, please"));
    }
    Ok(Duration::from_secs_f64(secs))
}

impl CommonArgs {
    fn options(&self) -> IngestOptions {
        let mut o = IngestOptions {
            threads: self.threads.unwrap_or(0),
            batch_size: self.batch_size,
            ..IngestOptions::default()
        };
        o.limits.max_article_bytes = self.max_article_bytes;
        o
    }

    fn fetcher(&self) -> Result<Fetcher> {
        Ok(Fetcher::new(FetchConfig {
            timeout: Duration::from_secs(self.timeout.max(1)),
            host_delay: Duration::from_millis(self.host_delay_ms),
            max_bytes: self.max_response_bytes,
            ..FetchConfig::default()
        })?)
    }

    fn store_options(&self) -> StoreOptions {
        StoreOptions {
            dedup_window_days: self.dedup_window_days,
        }
    }

    /// The store named by `--db`, SQLite or PostgreSQL, created if needed.
    fn open_store(&self) -> Result<Box<dyn EventStore + Send>> {
        let location = self.db.location();
        location
            .open(self.store_options())
            .with_context(|| format!("opening {location}"))
    }

    /// `dyad follow` keeps each feed's ETag and Last-Modified in the SQLite store.
    fn open_sqlite(&self) -> Result<SqliteStore> {
        let StoreLocation::Sqlite(path) = self.db.location() else {
            anyhow::bail!(
                "dyad follow keeps its feed state in a SQLite store; give --db a file (and `dyad merge` it into PostgreSQL), or use `dyad submit` with workers"
            );
        };
        let store = SqliteStore::open(&path, self.store_options())?;
        if store.options().dedup_window_days != self.dedup_window_days
            && self.dedup_window_days != 0
        {
            eprintln!(
                "dyad: {}: keeps its dedup window of {} days (set when it was created)",
                path.display(),
                store.options().dedup_window_days
            );
        }
        Ok(store)
    }
}

/// A progress bar fed from the pipeline's counters by a background thread; hidden when
/// standard error is not a terminal.
struct Progress {
    bar: ProgressBar,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(counters: std::sync::Arc<Counters>, quiet: bool) -> Progress {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} ETA {eta}\n  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (b, s) = (bar.clone(), stop.clone());
        let started = std::time::Instant::now();
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                b.set_length(counters.bytes_total.load(Ordering::Relaxed));
                b.set_position(counters.bytes_read.load(Ordering::Relaxed));
                let stored = counters.articles_stored.load(Ordering::Relaxed);
                let rate = stored as f64 / started.elapsed().as_secs_f64().max(0.001);
                b.set_message(format!(
                    "{stored} articles ({rate:.0}/s), {} events, {} duplicates, {} errors",
                    counters.events.load(Ordering::Relaxed),
                    counters.duplicates.load(Ordering::Relaxed),
                    counters.errors.load(Ordering::Relaxed),
                ));
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Progress {
            bar,
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

fn report(s: &Summary, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(s)?);
    }
    for e in &s.errors {
        eprintln!("dyad: skipped: {e}");
    }
    eprintln!(
        "dyad: {} inputs, {} articles read: {} stored, {} duplicates skipped; {} sentences, {} new events from {} mentions; {} errors; {:.1} s ({:.0} articles/s)",
        s.inputs,
        s.articles_read,
        s.articles_stored,
        s.duplicates,
        s.sentences,
        s.events,
        s.mentions,
        s.errors.len(),
        s.seconds,
        s.articles_stored as f64 / s.seconds.max(0.001)
    );
    if s.other_shards > 0 {
        eprintln!("dyad: {} articles left to other shards", s.other_shards);
    }
    Ok(())
}

pub fn run(a: Args) -> Result<ExitCode> {
    let c = &a.common;
    let mut store = c.open_store()?;
    let coder = load_coder(c.dict.as_deref(), dyad_coder::Options::default())?;
    let (inputs, mut input_errors) = dyad_ingest::expand_inputs(&a.inputs);
    let fetcher = c.fetcher()?;
    let counters = std::sync::Arc::new(Counters::default());
    let progress = Progress::start(counters.clone(), c.quiet);
    let options = IngestOptions {
        shard: a.shard,
        ..c.options()
    };
    let result = dyad_ingest::ingest(
        store.as_mut(),
        &coder,
        inputs,
        Some(&fetcher),
        &options,
        &counters,
    );
    progress.finish();
    let mut summary = result.with_context(|| format!("ingesting into {}", c.db.location()))?;
    input_errors.append(&mut summary.errors);
    summary.errors = input_errors;
    report(&summary, c.json)?;
    Ok(if summary.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn follow(a: FollowArgs) -> Result<ExitCode> {
    let c = &a.common;
    let text = std::fs::read_to_string(&a.feeds)
        .with_context(|| format!("{}: cannot read the feed list", a.feeds.display()))?;
    let feeds: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    for (i, f) in feeds.iter().enumerate() {
        if !(f.starts_with("http://") || f.starts_with("https://")) {
            anyhow::bail!(
                "{}: line {}: `{f}` is not an http(s) URL",
                a.feeds.display(),
                i + 1
            );
        }
    }
    let mut store = c.open_sqlite()?;
    let coder = load_coder(c.dict.as_deref(), dyad_coder::Options::default())?;
    let fetcher = c.fetcher()?;
    let mut poll = 0u64;
    loop {
        poll += 1;
        let counters = Counters::default();
        let mut articles = Vec::new();
        for feed in &feeds {
            articles.extend(poll_feed(&store, &fetcher, feed));
        }
        let summary =
            dyad_ingest::ingest_articles(&mut store, &coder, articles, &c.options(), &counters)?;
        eprintln!(
            "dyad follow: poll {poll}: {} new articles stored, {} new events, {} duplicates, {} errors",
            summary.articles_stored,
            summary.events,
            summary.duplicates,
            summary.errors.len()
        );
        for e in &summary.errors {
            eprintln!("dyad follow: skipped: {e}");
        }
        if c.json {
            println!("{}", serde_json::to_string(&summary)?);
        }
        if a.polls.is_some_and(|n| poll >= n) {
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(a.every);
    }
}

/// One poll of one feed: a conditional GET, then the entries not yet stored (by their key),
/// each with its page fetched unless the feed carries the full text.
fn poll_feed(
    store: &SqliteStore,
    fetcher: &Fetcher,
    feed: &str,
) -> Vec<Result<dyad_formats::SourcedArticle, String>> {
    let (etag, modified) = store.feed_state(feed).ok().flatten().unwrap_or_default();
    let page = match fetcher.get_conditional(feed, etag.as_deref(), modified.as_deref()) {
        Ok(None) => {
            let _ = store.set_feed_state(feed, None, None, None);
            return Vec::new();
        }
        Ok(Some(p)) => p,
        Err(e) => {
            let _ = store.set_feed_state(feed, None, None, Some(&e.to_string()));
            return vec![Err(e.to_string())];
        }
    };
    let entries = match dyad_formats::feed_entries(&page.body, feed) {
        Ok(e) => e,
        Err(e) => {
            let _ = store.set_feed_state(feed, None, None, Some(&e.to_string()));
            return vec![Err(e.to_string())];
        }
    };
    let _ = store.set_feed_state(
        feed,
        page.etag.as_deref(),
        page.last_modified.as_deref(),
        None,
    );
    let mut out = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        // An entry already stored under its key is not fetched again (its text is not known
        // yet, so only the key is looked up: no content hash is empty).
        let known = entry
            .key
            .as_deref()
            .is_some_and(|k| store.contains(Some(k), "").unwrap_or(false));
        if known {
            continue;
        }
        out.push(dyad_ingest::entry_to_article(entry, feed, i + 1, fetcher));
    }
    out
}
