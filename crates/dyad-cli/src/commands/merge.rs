//! `dyad merge`: pours stores (e.g. the shards of `dyad ingest --shard I/N`) into one.

use super::store::DbArg;
use anyhow::{Context, Result};
use dyad_store::{EventStore, InsertTally, NewArticle, SqliteStore, StoreOptions};
use dyad_stores::StoreLocation;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Stores to merge in (SQLite files), in this order.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The store to merge into (created if missing; SQLite file or PostgreSQL URL).
    #[command(flatten)]
    pub db: DbArg,
    /// Articles per transaction.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// For a new target: its dedup window in days (an existing one keeps its own).
    #[arg(long, default_value_t = 0)]
    pub dedup_window_days: u32,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Default, Serialize)]
struct MergeSummary {
    inputs: usize,
    articles_read: u64,
    #[serde(flatten)]
    written: InsertTally,
    seconds: f64,
}

/// Every article of every input goes through the target's ordinary write path, so the target
/// applies its own dedup rule and counts as if it had ingested the articles itself, and an
/// article it already holds (same key or text) is skipped: merging twice adds nothing.
pub fn run(a: Args) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let target_location = a.db.location();
    if let StoreLocation::Sqlite(target) = &target_location {
        for input in &a.inputs {
            let same = match (input.canonicalize(), target.canonicalize()) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            };
            anyhow::ensure!(
                !same,
                "{}: is also the target (--db); merge into a different store",
                input.display()
            );
        }
    }
    let mut target = target_location
        .open(StoreOptions {
            dedup_window_days: a.dedup_window_days,
        })
        .with_context(|| format!("opening {target_location}"))?;
    let mut summary = MergeSummary {
        inputs: a.inputs.len(),
        ..MergeSummary::default()
    };
    let batch_size = a.batch_size.max(1);
    for input in &a.inputs {
        anyhow::ensure!(
            input.exists(),
            "{}: no such store to merge",
            input.display()
        );
        let source = SqliteStore::open_read_only(input)
            .with_context(|| format!("opening {}", input.display()))?;
        if source.options().dedup_window_days != a.dedup_window_days {
            eprintln!(
                "dyad: {}: was built with a dedup window of {} days; the target applies its own",
                input.display(),
                source.options().dedup_window_days
            );
        }
        let mut batch: Vec<NewArticle> = Vec::with_capacity(batch_size);
        let flush = |batch: &mut Vec<NewArticle>,
                     target: &mut Box<dyn EventStore + Send>,
                     summary: &mut MergeSummary|
         -> dyad_store::Result<()> {
            let outcomes = target.insert_batch(batch)?;
            summary.written.add(&outcomes);
            batch.clear();
            Ok(())
        };
        source
            .for_each_article(&mut |article| {
                summary.articles_read += 1;
                batch.push(article);
                if batch.len() >= batch_size {
                    flush(&mut batch, &mut target, &mut summary)?;
                }
                Ok(())
            })
            .with_context(|| format!("merging {}", input.display()))?;
        flush(&mut batch, &mut target, &mut summary)
            .with_context(|| format!("merging {}", input.display()))?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    }
    eprintln!(
        "dyad merge: {} stores, {} articles read: {} stored, {} already there; {} new events from {} mentions; {:.1} s",
        summary.inputs,
        summary.articles_read,
        summary.written.stored,
        summary.written.duplicates,
        summary.written.events,
        summary.written.mentions,
        summary.seconds
    );
    Ok(ExitCode::SUCCESS)
}
