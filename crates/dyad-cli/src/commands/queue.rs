//! `dyad submit`, `dyad worker`, `dyad status`: coding at scale over NATS JetStream.

use super::load_coder;
use super::store::DbArg;
use anyhow::{Context, Result};
use dyad_coder::input::DEFAULT_MAX_ARTICLE_BYTES;
use dyad_fetch::{FetchConfig, Fetcher};
use dyad_queue::{QueueConfig, WorkerMetrics, WorkerOptions};
use dyad_store::StoreOptions;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args, Clone)]
pub struct QueueArgs {
    /// NATS server URL(s), comma-separated.
    #[arg(long, env = "DYAD_NATS", default_value = "nats://127.0.0.1:4222")]
    pub nats: String,
    /// JetStream stream holding the articles.
    #[arg(long, default_value = "DYAD_ARTICLES")]
    pub stream: String,
    /// Subject the articles are published on.
    #[arg(long, default_value = "dyad.articles")]
    pub subject: String,
    /// Durable consumer the workers share.
    #[arg(long, default_value = "dyad-workers")]
    pub consumer: String,
    /// When creating the consumer: seconds a delivered article may stay unacknowledged before
    /// it goes to another worker (a worker that died holds its batch this long).
    #[arg(long, default_value_t = 30.0)]
    pub ack_wait: f64,
}

impl QueueArgs {
    fn config(&self) -> QueueConfig {
        QueueConfig {
            stream: self.stream.clone(),
            subject: self.subject.clone(),
            consumer: self.consumer.clone(),
            ack_wait: Duration::from_secs_f64(self.ack_wait.clamp(1.0, 86_400.0)),
            ..QueueConfig::new(self.nats.clone())
        }
    }
}

#[derive(clap::Args)]
pub struct SubmitArgs {
    /// The same inputs as `dyad ingest`: files, directories, globs, http(s) URLs.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Publishes awaiting the server's acknowledgement at any time.
    #[arg(long, default_value_t = 256)]
    pub window: usize,
    /// Skip articles (or JSONL lines) larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
    /// Seconds before an HTTP request is abandoned.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Where to store: a PostgreSQL URL for several workers; a SQLite file for one.
    #[command(flatten)]
    pub db: DbArg,
    /// Messages pulled at once; nothing more reaches this worker until they are acknowledged.
    #[arg(long, default_value_t = 256)]
    pub batch: usize,
    /// Coder threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Serve Prometheus metrics at http://ADDR/metrics (keep it on loopback).
    #[arg(long, value_name = "ADDR")]
    pub metrics_addr: Option<String>,
    /// Exit once the queue has been empty this many seconds (batch jobs).
    #[arg(long, value_name = "SECONDS")]
    pub exit_when_idle: Option<f64>,
    /// Name in `dyad status` and the logs (default: host-pid).
    #[arg(long)]
    pub id: Option<String>,
    /// For a new store: the dedup window in days.
    #[arg(long, default_value_t = 0)]
    pub dedup_window_days: u32,
    /// A dictionary folder to use instead of the embedded one.
    #[arg(long)]
    pub dict: Option<std::path::PathBuf>,
    /// Logs as JSON lines (for log collectors) instead of text.
    #[arg(long)]
    pub log_json: bool,
}

#[derive(clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Print the status as JSON.
    #[arg(long)]
    pub json: bool,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Structured logs on standard error; `RUST_LOG` picks the level (default `info`).
fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second initialisation (tests calling twice) is harmless; ignore it.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub fn submit(a: SubmitArgs) -> Result<ExitCode> {
    let cfg = a.queue.config();
    let (inputs, input_errors) = dyad_ingest::expand_inputs(&a.inputs);
    let fetcher = Fetcher::new(FetchConfig {
        timeout: Duration::from_secs(a.timeout.max(1)),
        ..FetchConfig::default()
    })?;
    let limits = dyad_formats::Limits {
        max_article_bytes: a.max_article_bytes,
        ..Default::default()
    };
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    // Reading is blocking work (files, HTTP); it feeds the publisher through a bounded channel.
    let reader = std::thread::spawn(move || {
        dyad_ingest::read_inputs(
            inputs,
            Some(&fetcher),
            limits,
            &dyad_ingest::Counters::default(),
            &mut |item| tx.blocking_send(item).is_ok(),
        );
    });
    let result = runtime()?.block_on(dyad_queue::submit(&cfg, rx, a.window));
    let _ = reader.join();
    let mut summary = result.with_context(|| format!("submitting to {}", cfg.url))?;
    let mut errors = input_errors;
    errors.append(&mut summary.errors);
    summary.errors = errors;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    }
    for e in &summary.errors {
        eprintln!("dyad submit: skipped: {e}");
    }
    eprintln!(
        "dyad submit: {} articles queued on {} ({} already queued), {} errors; {:.1} s ({:.0} articles/s)",
        summary.published,
        cfg.stream,
        summary.duplicates,
        summary.errors.len(),
        summary.seconds,
        summary.published as f64 / summary.seconds.max(0.001)
    );
    Ok(if summary.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn worker(a: WorkerArgs) -> Result<ExitCode> {
    init_logs(a.log_json);
    let cfg = a.queue.config();
    let location = a.db.location();
    let store = location
        .open(StoreOptions {
            dedup_window_days: a.dedup_window_days,
        })
        .with_context(|| format!("opening {location}"))?;
    let coder = Arc::new(load_coder(
        a.dict.as_deref(),
        dyad_coder::Options::default(),
    )?);
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    let mut opts = WorkerOptions::new(
        a.id.clone()
            .unwrap_or_else(|| format!("{host}-{}", std::process::id())),
    );
    opts.batch = a.batch.max(1);
    opts.threads = a.threads;
    opts.exit_when_idle = a
        .exit_when_idle
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let metrics = Arc::new(WorkerMetrics::default());
    let summary = runtime()?.block_on(async {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            wait_for_stop().await;
            let _ = stop_tx.send(true);
        });
        if let Some(addr) = &a.metrics_addr {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("metrics: cannot listen on {addr}"))?;
            tracing::info!(addr = %listener.local_addr()?, "metrics at /metrics");
            let mut rx = stop_rx.clone();
            tokio::spawn(dyad_queue::serve_metrics(
                listener,
                metrics.clone(),
                async move {
                    let _ = rx.wait_for(|s| *s).await;
                },
            ));
        }
        let mut rx = stop_rx.clone();
        dyad_queue::run_worker(&cfg, &opts, store, coder, metrics.clone(), async move {
            let _ = rx.wait_for(|s| *s).await;
        })
        .await
        .context("worker")
    })?;
    eprintln!(
        "dyad worker {}: {} articles stored, {} already stored, {} new events, {} batches; {:.1} s",
        opts.id,
        summary.articles_stored,
        summary.duplicates,
        summary.events,
        summary.batches,
        summary.seconds
    );
    Ok(ExitCode::SUCCESS)
}

/// SIGTERM (what an orchestrator sends) or Ctrl-C: finish the batch in hand, then exit.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

pub fn status(a: StatusArgs) -> Result<ExitCode> {
    let cfg = a.queue.config();
    let st = runtime()?
        .block_on(dyad_queue::status(&cfg))
        .with_context(|| format!("asking {}", cfg.url))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&st)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "queue {}: {} articles waiting ({} not yet delivered, {} being coded, {} redelivered so far), {:.1} MB",
        st.stream,
        st.messages,
        st.pending,
        st.ack_pending,
        st.redelivered,
        st.bytes as f64 / 1e6
    );
    println!(
        "workers: {} reporting, {:.1} articles/s in all, {} idle pulls waiting",
        st.workers.len(),
        st.articles_per_second,
        st.waiting_pulls
    );
    for w in &st.workers {
        println!(
            "  {:<28} pid {:<7} {:>9} stored {:>7} skipped {:>9} events {:>8.1}/s  since {}",
            w.id,
            w.pid,
            w.articles_stored,
            w.duplicates,
            w.events,
            w.articles_per_second,
            w.started
        );
    }
    Ok(ExitCode::SUCCESS)
}
