//! The ingest pipeline: sources → coder → store.
//!
//! ```text
//! reader thread ──articles──► main thread ──new articles──► N coder threads
//!  (files, globs,              (skips what the store         (Coder::code)
//!   URLs, feeds)                already holds)                     │
//!                              main thread ◄──coded articles───────┘
//!                              (batched transactions: insert_batch)
//! ```
//!
//! The main thread owns the store, so storage needs no locking and every batch is one
//! transaction: a crash loses at most the uncommitted batch, and a restart skips whatever
//! was committed (articles are looked up by key and content hash before they are coded).

mod inputs;

pub use inputs::{expand_inputs, Input};

use crossbeam_channel::{bounded, select, Receiver, Sender};
use dyad_coder::Coder;
use dyad_fetch::Fetcher;
use dyad_formats::{Limits, SourcedArticle};
use dyad_store::{content_hash, EventStore, NewArticle, StoreError};
use serde::Serialize;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a coder thread failed: {0}")]
    Worker(String),
}

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Coder threads (0: one per core).
    pub threads: usize,
    /// Articles per transaction.
    pub batch_size: usize,
    /// Longest a coded article waits before its batch is committed.
    pub max_batch_delay: Duration,
    pub limits: Limits,
    /// Code only this slice of the articles (`dyad ingest --shard I/N`).
    pub shard: Option<Shard>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            threads: 0,
            batch_size: 256,
            max_batch_delay: Duration::from_secs(2),
            limits: Limits::default(),
            shard: None,
        }
    }
}

/// One of `count` deterministic slices of a set of articles, for re-coding an archive on many
/// machines (a Slurm job array, GNU parallel): every machine reads all inputs and keeps the
/// articles whose normalized-text hash falls in its slice. Slicing by content, not by file or
/// position, keeps identical texts (the same wire story under two ids) in one shard, where the
/// usual dedup folds them, and does not depend on how the inputs are split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based: `1..=count`.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Parses `I/N` (1 ≤ I ≤ N).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: a shard is I/N, e.g. 2/8"))?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: `{i}` is not a shard number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: `{n}` is not a shard count"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "`{s}`: the shard number must be between 1 and {count}"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the article whose content hash (hex, as [`dyad_store::content_hash`] gives it)
    /// is `hash` belongs to this shard.
    pub fn takes(&self, hash: &str) -> bool {
        let prefix = hash.get(..16).unwrap_or(hash);
        let n = u64::from_str_radix(prefix, 16).unwrap_or_else(|_| {
            // Not hex (never from content_hash): fall back to a byte sum, still deterministic.
            hash.bytes().map(u64::from).sum()
        });
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub inputs: u64,
    /// Articles read from the inputs (stored or not).
    pub articles_read: u64,
    pub articles_stored: u64,
    /// Articles skipped as already stored (same key or same normalized text).
    pub duplicates: u64,
    /// Articles left to other shards (`--shard`).
    pub other_shards: u64,
    pub sentences: u64,
    /// Events created.
    pub events: u64,
    /// Event mentions stored (each a coded event; several can make one event).
    pub mentions: u64,
    /// Bad inputs and records, each naming its file (and line) or URL; all were skipped.
    pub errors: Vec<String>,
    pub seconds: f64,
    /// Of `seconds`, the time spent in store transactions (the writer is busy this long).
    pub store_seconds: f64,
}

/// Live counters for a progress display.
#[derive(Debug, Default)]
pub struct Counters {
    /// Bytes of input read so far (compressed bytes for gzip'd files).
    pub bytes_read: AtomicU64,
    /// Total bytes of file inputs (URLs are not counted).
    pub bytes_total: AtomicU64,
    pub articles_read: AtomicU64,
    pub articles_stored: AtomicU64,
    pub duplicates: AtomicU64,
    pub events: AtomicU64,
    pub errors: AtomicU64,
}

/// Something the reader thread produces.
enum Item {
    /// An article and the hash of its normalized text, computed here to spare the main thread.
    Article(Box<SourcedArticle>, String),
    Error(String),
}

impl Item {
    fn article(a: SourcedArticle) -> Item {
        let hash = content_hash(&a.article.text);
        Item::Article(Box::new(a), hash)
    }
}

/// Ingests `inputs` into `store`: reads, skips what is stored, codes on `threads` cores,
/// stores in batches. Bad inputs are reported in the summary and skipped; a storage error
/// stops the ingest (everything committed before it stays).
pub fn ingest(
    store: &mut dyn EventStore,
    coder: &Coder,
    inputs: Vec<Input>,
    fetcher: Option<&Fetcher>,
    options: &IngestOptions,
    counters: &Counters,
) -> Result<Summary, IngestError> {
    let total: u64 = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Url(_) => None,
        })
        .sum();
    counters.bytes_total.store(total, Ordering::Relaxed);
    let n_inputs = inputs.len() as u64;
    let limits = options.limits;
    let mut summary = run_pipeline(store, coder, options, counters, |tx| {
        let mut send = |item: Item| tx.send(item).is_ok();
        for input in inputs {
            match input {
                Input::File(path) => read_file(&path, limits, counters, &mut send),
                Input::Url(url) => read_url(&url, fetcher, limits, counters, &mut send),
            }
        }
    })?;
    summary.inputs = n_inputs;
    Ok(summary)
}

/// Reads every article of `inputs` in order, as `dyad ingest` would, and hands each (with its
/// content hash) or the error that replaced it to `f`; stops early when `f` returns false.
/// What `dyad submit` publishes to the work queue.
pub fn read_inputs(
    inputs: Vec<Input>,
    fetcher: Option<&Fetcher>,
    limits: Limits,
    counters: &Counters,
    f: &mut dyn FnMut(Result<(SourcedArticle, String), String>) -> bool,
) {
    let stopped = std::cell::Cell::new(false);
    let mut send = |item: Item| {
        let go = match item {
            Item::Article(a, hash) => f(Ok((*a, hash))),
            Item::Error(e) => f(Err(e)),
        };
        stopped.set(!go);
        go
    };
    for input in inputs {
        if stopped.get() {
            return;
        }
        match input {
            Input::File(path) => read_file(&path, limits, counters, &mut send),
            Input::Url(url) => read_url(&url, fetcher, limits, counters, &mut send),
        }
    }
}

/// Codes and stores articles already in hand (from `dyad follow`, the server).
pub fn ingest_articles(
    store: &mut dyn EventStore,
    coder: &Coder,
    articles: Vec<Result<SourcedArticle, String>>,
    options: &IngestOptions,
    counters: &Counters,
) -> Result<Summary, IngestError> {
    run_pipeline(store, coder, options, counters, |tx| {
        for a in articles {
            let item = match a {
                Ok(a) => Item::article(a),
                Err(e) => Item::Error(e),
            };
            if tx.send(item).is_err() {
                return;
            }
        }
    })
}

fn read_file(
    path: &std::path::Path,
    limits: Limits,
    counters: &Counters,
    send: &mut dyn FnMut(Item) -> bool,
) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            send(Item::Error(format!("{name}: {e}")));
            return;
        }
    };
    let reader = CountingReader {
        inner: file,
        counter: &counters.bytes_read,
    };
    for item in dyad_formats::articles(reader, &name, limits) {
        let item = match item {
            Ok(a) => Item::article(a),
            Err(e) => Item::Error(e.to_string()),
        };
        if !send(item) {
            return;
        }
    }
}

/// A URL: a feed (each entry's page is fetched, or its own text used when the page can't be),
/// an HTML page, or JSON Lines / text served over HTTP.
fn read_url(
    url: &str,
    fetcher: Option<&Fetcher>,
    limits: Limits,
    counters: &Counters,
    send: &mut dyn FnMut(Item) -> bool,
) {
    let Some(fetcher) = fetcher else {
        send(Item::Error(format!(
            "{url}: URLs need network access (--no-fetch given)"
        )));
        return;
    };
    let page = match fetcher.get(url) {
        Ok(p) => p,
        Err(e) => {
            send(Item::Error(e.to_string()));
            return;
        }
    };
    counters
        .bytes_read
        .fetch_add(page.body.len() as u64, Ordering::Relaxed);
    match dyad_formats::sniff(&page.body) {
        dyad_formats::Format::Feed => match dyad_formats::feed_entries(&page.body, url) {
            Ok(entries) => {
                for (i, e) in entries.into_iter().enumerate() {
                    if !send(entry_article(e, url, i + 1, fetcher)) {
                        return;
                    }
                }
            }
            Err(e) => {
                send(Item::Error(e.to_string()));
            }
        },
        _ => {
            for item in dyad_formats::articles(&page.body[..], &page.url, limits) {
                let item = match item {
                    Ok(mut a) => {
                        if a.article.url.is_none() {
                            a.article.url = Some(page.url.clone());
                        }
                        if a.key.is_none() {
                            a.key = Some(page.url.clone());
                        }
                        a.origin = page.url.clone();
                        Item::article(a)
                    }
                    Err(e) => Item::Error(e.to_string()),
                };
                if !send(item) {
                    return;
                }
            }
        }
    }
}

/// A feed entry as an article, or an error naming it (for `dyad follow`).
pub fn entry_to_article(
    entry: dyad_formats::FeedEntry,
    feed_url: &str,
    index: usize,
    fetcher: &Fetcher,
) -> Result<SourcedArticle, String> {
    match entry_article(entry, feed_url, index, fetcher) {
        Item::Article(a, _) => Ok(*a),
        Item::Error(e) => Err(e),
    }
}

/// A feed entry as an article: feeds that carry the full text (600+ characters) are coded
/// from it; others have the linked page fetched. The entry's key is kept either way, so the
/// next poll recognises it before fetching anything.
fn entry_article(
    entry: dyad_formats::FeedEntry,
    feed_url: &str,
    index: usize,
    fetcher: &Fetcher,
) -> Item {
    let link = entry
        .link
        .as_deref()
        .and_then(|l| dyad_fetch::resolve_url(feed_url, l));
    if entry.text.len() < 600 {
        if let Some(link) = &link {
            match fetcher.get(link) {
                Ok(page) => {
                    let html = String::from_utf8_lossy(&page.body);
                    match dyad_formats::html_article(&html, &page.url, Some(&page.url)) {
                        Ok(mut a) => {
                            a.key = entry.key.clone().or(a.key);
                            a.origin = page.url.clone();
                            if a.article.date.is_none() {
                                a.article.date = entry.date;
                            }
                            if a.article.source.is_none() {
                                a.article.source = entry.feed_title.clone();
                            }
                            return Item::article(a);
                        }
                        Err(e) if entry.text.trim().is_empty() => {
                            return Item::Error(e.to_string())
                        }
                        Err(_) => {}
                    }
                }
                Err(e) if entry.text.trim().is_empty() => return Item::Error(e.to_string()),
                Err(_) => {}
            }
        }
    }
    let mut entry = entry;
    entry.link = link;
    match entry.into_article(feed_url, index) {
        Ok(a) => Item::article(a),
        Err(e) => Item::Error(e.to_string()),
    }
}

struct CountingReader<'a, R> {
    inner: R,
    counter: &'a AtomicU64,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The pipeline itself; `produce` runs on the reader thread and sends items.
fn run_pipeline<F>(
    store: &mut dyn EventStore,
    coder: &Coder,
    options: &IngestOptions,
    counters: &Counters,
    produce: F,
) -> Result<Summary, IngestError>
where
    F: FnOnce(&Sender<Item>) + Send,
{
    let started = Instant::now();
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let batch_size = options.batch_size.max(1);
    let mut summary = Summary::default();
    // The queues hold about two batches: while the main thread commits one batch, the coders
    // keep working on what is queued instead of waiting for it to hand them more.
    let depth = (batch_size * 2).max(threads * 8);
    let (read_tx, read_rx) = bounded::<Item>(depth);
    let (code_tx, code_rx) = bounded::<(SourcedArticle, String)>(depth);
    let (done_tx, done_rx) = bounded::<NewArticle>(depth);

    let result = std::thread::scope(|s| -> Result<(), IngestError> {
        s.spawn(move || produce(&read_tx));
        let mut workers = Vec::new();
        for _ in 0..threads {
            let rx: Receiver<(SourcedArticle, String)> = code_rx.clone();
            let tx = done_tx.clone();
            workers.push(s.spawn(move || {
                for (a, hash) in rx {
                    let coded = coder.code_for_store(&a.article);
                    let new = NewArticle {
                        content_hash: hash,
                        key: a.key,
                        origin: a.origin,
                        text: a.article.text,
                        lang: a.article.lang,
                        coded,
                    };
                    if tx.send(new).is_err() {
                        return;
                    }
                }
            }));
        }
        drop(code_rx);
        drop(done_tx);

        let mut code_tx = Some(code_tx);
        let mut read_rx = Some(read_rx);
        let mut pending: Option<(SourcedArticle, String)> = None;
        let mut batch: Vec<NewArticle> = Vec::with_capacity(batch_size);
        let mut batch_started = Instant::now();
        let outcome = (|| -> Result<(), IngestError> {
            loop {
                // Forward one article at a time to the coders while draining their output, so
                // neither side can block the other.
                if pending.is_none() {
                    if let Some(rx) = &read_rx {
                        select! {
                            recv(rx) -> msg => match msg {
                                Ok(Item::Article(a, hash)) => {
                                    summary.articles_read += 1;
                                    counters.articles_read.fetch_add(1, Ordering::Relaxed);
                                    if options.shard.is_some_and(|sh| !sh.takes(&hash)) {
                                        summary.other_shards += 1;
                                    } else if store.contains(a.key.as_deref(), &hash)? {
                                        summary.duplicates += 1;
                                        counters.duplicates.fetch_add(1, Ordering::Relaxed);
                                    } else {
                                        pending = Some((*a, hash));
                                    }
                                    continue;
                                }
                                Ok(Item::Error(e)) => {
                                    counters.errors.fetch_add(1, Ordering::Relaxed);
                                    summary.errors.push(e);
                                    continue;
                                }
                                Err(_) => {
                                    read_rx = None;
                                    code_tx = None; // no more input: let the coders finish
                                    continue;
                                }
                            },
                            recv(done_rx) -> msg => {
                                if let Ok(n) = msg {
                                    push(store, &mut batch, n, &mut batch_started, batch_size, &mut summary, counters)?;
                                }
                            },
                            default(options.max_batch_delay) => {},
                        }
                    } else {
                        match done_rx.recv_timeout(options.max_batch_delay) {
                            Ok(n) => push(
                                store,
                                &mut batch,
                                n,
                                &mut batch_started,
                                batch_size,
                                &mut summary,
                                counters,
                            )?,
                            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
                        }
                    }
                } else if let (Some(tx), Some(a)) = (&code_tx, pending.take()) {
                    select! {
                        send(tx, a.clone()) -> r => {
                            if r.is_err() {
                                return Err(IngestError::Worker("coder threads stopped".into()));
                            }
                        },
                        recv(done_rx) -> msg => {
                            pending = Some(a);
                            if let Ok(n) = msg {
                                push(store, &mut batch, n, &mut batch_started, batch_size, &mut summary, counters)?;
                            }
                        },
                    }
                }
                if !batch.is_empty() && batch_started.elapsed() >= options.max_batch_delay {
                    flush(store, &mut batch, &mut summary, counters)?;
                }
            }
            flush(store, &mut batch, &mut summary, counters)
        })();
        // On error, close the channels so every thread ends.
        drop(code_tx);
        drop(read_rx);
        drop(done_rx);
        for w in workers {
            if w.join().is_err() {
                return Err(IngestError::Worker("a coder thread panicked".into()));
            }
        }
        outcome
    });
    result?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn push(
    store: &mut dyn EventStore,
    batch: &mut Vec<NewArticle>,
    n: NewArticle,
    batch_started: &mut Instant,
    batch_size: usize,
    summary: &mut Summary,
    counters: &Counters,
) -> Result<(), IngestError> {
    if batch.is_empty() {
        *batch_started = Instant::now();
    }
    batch.push(n);
    if batch.len() >= batch_size {
        flush(store, batch, summary, counters)?;
    }
    Ok(())
}

fn flush(
    store: &mut dyn EventStore,
    batch: &mut Vec<NewArticle>,
    summary: &mut Summary,
    counters: &Counters,
) -> Result<(), IngestError> {
    if batch.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    let outcomes = store.insert_batch(batch)?;
    summary.store_seconds += started.elapsed().as_secs_f64();
    batch.clear();
    let mut t = dyad_store::InsertTally::default();
    t.add(&outcomes);
    summary.articles_stored += t.stored;
    summary.duplicates += t.duplicates;
    summary.events += t.events;
    summary.mentions += t.mentions;
    summary.sentences += t.sentences;
    counters
        .articles_stored
        .fetch_add(t.stored, Ordering::Relaxed);
    counters.events.fetch_add(t.events, Ordering::Relaxed);
    counters
        .duplicates
        .fetch_add(t.duplicates, Ordering::Relaxed);
    Ok(())
}

#[cfg(test)]
mod shard_tests {
    use super::Shard;

    #[test]
    fn shards_partition_every_hash() {
        let shards: Vec<Shard> = (1..=3)
            .map(|i| Shard::parse(&format!("{i}/3")).expect("shard"))
            .collect();
        let mut sizes = [0usize; 3];
        for n in 0..3000u32 {
            let hash = dyad_store::content_hash(&format!("article number {n}"));
            let takers: Vec<usize> = (0..3).filter(|&i| shards[i].takes(&hash)).collect();
            assert_eq!(takers.len(), 1, "{hash}");
            sizes[takers[0]] += 1;
        }
        // Roughly even: each within 10% of a third.
        assert!(
            sizes.iter().all(|&s| (900..=1100).contains(&s)),
            "{sizes:?}"
        );
        for bad in ["0/3", "4/3", "1/0", "x/2", "3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
