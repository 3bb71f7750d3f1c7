//! `dyad worker`: pull, code, store, acknowledge.

use crate::{ensure_consumer, ensure_stream, workers_subject, Job, QueueConfig, QueueError};
use crate::{WorkerBeat, WorkerMetrics, JOB_VERSION};
use async_nats::jetstream::{self, AckKind};
use dyad_coder::Coder;
use dyad_store::{EventStore, InsertTally, NewArticle};
use futures::StreamExt;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tracing::{debug, error, info, warn};

/// How a worker works.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Shown by `dyad status` and in logs; unique per running worker.
    pub id: String,
    /// Most messages pulled at once (the backpressure: nothing more is delivered to this
    /// worker until the batch is acknowledged).
    pub batch: usize,
    /// Threads coding a batch (0: one per core).
    pub threads: usize,
    /// How long one pull waits for messages.
    pub fetch_wait: Duration,
    /// Exit after the queue has given nothing for this long (batch jobs); `None`: run until
    /// stopped.
    pub exit_when_idle: Option<Duration>,
}

impl WorkerOptions {
    pub fn new(id: impl Into<String>) -> Self {
        WorkerOptions {
            id: id.into(),
            batch: 256,
            threads: 0,
            fetch_wait: Duration::from_secs(1),
            exit_when_idle: None,
        }
    }
}

/// What a worker did before it stopped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WorkerSummary {
    pub articles_stored: u64,
    pub duplicates: u64,
    pub events: u64,
    pub mentions: u64,
    pub terminated: u64,
    pub batches: u64,
    pub seconds: f64,
}

type SharedStore = Arc<Mutex<Box<dyn EventStore + Send>>>;

/// Runs a worker until `shutdown` resolves (then the batch in hand is finished, stored and
/// acknowledged before it returns) or, with `exit_when_idle`, until the queue stays empty.
pub async fn run_worker(
    cfg: &QueueConfig,
    opts: &WorkerOptions,
    store: Box<dyn EventStore + Send>,
    coder: Arc<Coder>,
    metrics: Arc<WorkerMetrics>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<WorkerSummary, QueueError> {
    let started = Instant::now();
    let (client, js) = crate::connect(cfg, true).await?;
    let stream = ensure_stream(&js, cfg).await?;
    let consumer = ensure_consumer(&stream, cfg).await?;
    let store: SharedStore = Arc::new(Mutex::new(store));
    let summary = Arc::new(Mutex::new(WorkerSummary::default()));
    let presence = tokio::spawn(presence(
        client,
        workers_subject(cfg),
        opts.id.clone(),
        summary.clone(),
    ));
    info!(worker = %opts.id, stream = %cfg.stream, consumer = %cfg.consumer, "worker started");

    tokio::pin!(shutdown);
    let mut idle_since = Instant::now();
    let mut backoff = Duration::from_millis(200);
    loop {
        let pulled = tokio::select! {
            biased;
            () = &mut shutdown => {
                info!(worker = %opts.id, "stopping: no more pulls");
                break;
            }
            pulled = pull(&consumer, opts) => pulled,
        };
        let messages = match pulled {
            Ok(m) => {
                backoff = Duration::from_millis(200);
                m
            }
            Err(e) => {
                metrics.fetch_errors.inc();
                warn!(worker = %opts.id, error = %e, "pull failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        if messages.is_empty() {
            if opts
                .exit_when_idle
                .is_some_and(|limit| idle_since.elapsed() >= limit)
            {
                info!(worker = %opts.id, "queue idle: exiting");
                break;
            }
            continue;
        }
        idle_since = Instant::now();
        // Not interruptible: a batch in hand is always finished and acknowledged.
        process(messages, &store, &coder, opts, &metrics, &summary).await;
    }
    presence.abort();
    // Closed on a blocking thread: PostgreSQL's sync client blocks while closing, which is
    // not allowed on a thread that drives async tasks.
    let _ = tokio::task::spawn_blocking(move || drop(store)).await;
    let mut s = summary.lock().map(|s| s.clone()).unwrap_or_default();
    s.seconds = started.elapsed().as_secs_f64();
    info!(worker = %opts.id, stored = s.articles_stored, duplicates = s.duplicates, "worker stopped");
    Ok(s)
}

async fn pull(
    consumer: &jetstream::consumer::PullConsumer,
    opts: &WorkerOptions,
) -> Result<Vec<jetstream::Message>, QueueError> {
    let mut batch = consumer
        .batch()
        .max_messages(opts.batch.max(1))
        .expires(opts.fetch_wait)
        .messages()
        .await
        .map_err(|e| crate::js_err("pull", e))?;
    let mut out = Vec::new();
    while let Some(m) = batch.next().await {
        match m {
            Ok(m) => out.push(m),
            // What was received is still processed; the rest stays in the queue.
            Err(e) if out.is_empty() => return Err(crate::js_err("pull", e)),
            Err(e) => {
                warn!(error = %e, "pull ended early");
                break;
            }
        }
    }
    Ok(out)
}

/// Decodes, skips what is stored, codes the rest, stores them in one transaction, then
/// acknowledges every message of the batch.
async fn process(
    messages: Vec<jetstream::Message>,
    store: &SharedStore,
    coder: &Arc<Coder>,
    opts: &WorkerOptions,
    metrics: &Arc<WorkerMetrics>,
    summary: &Arc<Mutex<WorkerSummary>>,
) {
    let t0 = Instant::now();
    metrics.in_flight.set(messages.len() as i64);
    let mut jobs = Vec::with_capacity(messages.len());
    let mut keep = Vec::with_capacity(messages.len());
    for m in messages {
        // Only a message delivered before may already be stored (a worker died after its
        // commit, or its ack was lost); first deliveries skip that lookup, and a resubmitted
        // article is still caught by the store's own key and hash check.
        let redelivered = m.info().map_or(true, |i| i.delivered > 1);
        match serde_json::from_slice::<Job>(&m.payload) {
            Ok(job) if job.v == JOB_VERSION => {
                jobs.push((job, redelivered));
                keep.push(m);
            }
            decoded => {
                let why = match decoded {
                    Ok(job) => format!(
                        "message format v{}, this worker reads v{JOB_VERSION}",
                        job.v
                    ),
                    Err(e) => e.to_string(),
                };
                error!(worker = %opts.id, subject = %m.subject, error = %why, "undecodable message terminated");
                metrics.messages_terminated.inc();
                if let Ok(mut s) = summary.lock() {
                    s.terminated += 1;
                }
                if let Err(e) = m.ack_with(AckKind::Term).await {
                    warn!(error = %e, "terminating a message failed");
                }
            }
        }
    }
    let (store2, coder2, threads) = (store.clone(), coder.clone(), opts.threads);
    let stored =
        tokio::task::spawn_blocking(move || code_and_store(&store2, &coder2, jobs, threads))
            .await
            .map_err(|e| format!("the coding task failed: {e}"))
            .and_then(|r| r.map_err(|e| e.to_string()));
    match stored {
        Ok(done) => {
            // Double acks, the server confirming each, all in flight at once. A lost ack only
            // means a redelivery, which the store recognises and which is acknowledged again.
            let acks = futures::future::join_all(keep.iter().map(|m| m.double_ack())).await;
            let lost = acks.iter().filter(|a| a.is_err()).count();
            if lost > 0 {
                warn!(worker = %opts.id, lost, "acks not confirmed; those messages will come back and be skipped");
            }
            metrics.articles_stored.inc_by(done.stored);
            metrics.articles_duplicate.inc_by(done.duplicates);
            metrics.events_created.inc_by(done.events);
            metrics.mentions.inc_by(done.mentions);
            metrics.batches.inc();
            if let Ok(mut s) = summary.lock() {
                s.articles_stored += done.stored;
                s.duplicates += done.duplicates;
                s.events += done.events;
                s.mentions += done.mentions;
                s.batches += 1;
            }
            debug!(worker = %opts.id, stored = done.stored, duplicates = done.duplicates, events = done.events, "batch stored");
        }
        Err(e) => {
            metrics.store_errors.inc();
            error!(worker = %opts.id, error = %e, "batch not stored; returned for redelivery");
            for m in &keep {
                let _ = m.ack_with(AckKind::Nak(Some(Duration::from_secs(5)))).await;
            }
        }
    }
    metrics.in_flight.set(0);
    metrics.batch_seconds.observe(t0.elapsed().as_secs_f64());
}

#[derive(Default)]
struct Done {
    stored: u64,
    duplicates: u64,
    events: u64,
    mentions: u64,
}

fn code_and_store(
    store: &SharedStore,
    coder: &Coder,
    jobs: Vec<(Job, bool)>,
    threads: usize,
) -> Result<Done, dyad_store::StoreError> {
    let mut done = Done::default();
    // Redelivered articles that are already stored are found before any coding.
    let fresh: Vec<Job> = {
        let guard = store
            .lock()
            .map_err(|_| dyad_store::StoreError::Callback("the store lock is poisoned".into()))?;
        let mut fresh = Vec::with_capacity(jobs.len());
        for (j, redelivered) in jobs {
            if redelivered && guard.contains(j.key.as_deref(), &j.content_hash)? {
                done.duplicates += 1;
            } else {
                fresh.push(j);
            }
        }
        fresh
    };
    if fresh.is_empty() {
        return Ok(done);
    }
    let coded = code_all(coder, fresh, threads);
    let outcomes = store
        .lock()
        .map_err(|_| dyad_store::StoreError::Callback("the store lock is poisoned".into()))?
        .insert_batch(&coded)?;
    // Duplicates here were stored by another worker (or resubmitted) before our transaction.
    let mut t = InsertTally::default();
    t.add(&outcomes);
    done.stored += t.stored;
    done.duplicates += t.duplicates;
    done.events += t.events;
    done.mentions += t.mentions;
    Ok(done)
}

/// Codes the jobs on `threads` threads, keeping their order.
fn code_all(coder: &Coder, jobs: Vec<Job>, threads: usize) -> Vec<NewArticle> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    }
    .clamp(1, jobs.len().max(1));
    let code = |job: Job| {
        let (article, key, origin, content_hash) = job.into_article();
        let coded = coder.code_for_store(&article);
        NewArticle {
            key,
            content_hash,
            origin,
            text: article.text,
            lang: article.lang,
            coded,
        }
    };
    if threads == 1 {
        return jobs.into_iter().map(code).collect();
    }
    let chunk = jobs.len().div_ceil(threads);
    let mut chunks: Vec<Vec<Job>> = Vec::new();
    let mut it = jobs.into_iter().peekable();
    while it.peek().is_some() {
        chunks.push(it.by_ref().take(chunk).collect());
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| s.spawn(move || c.into_iter().map(code).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Answers `dyad status` on `subject` with this worker's figures; its rate is sampled every
/// 5 s. The subscription is renewed by the client after a reconnect.
async fn presence(
    client: async_nats::Client,
    subject: String,
    id: String,
    summary: Arc<Mutex<WorkerSummary>>,
) {
    let mut sub = match client.subscribe(subject.clone()).await {
        Ok(s) => s,
        Err(e) => {
            warn!(error = %e, subject = %subject, "cannot answer status requests");
            return;
        }
    };
    let started = chrono::Utc::now();
    let mut last = (Instant::now(), 0u64);
    let mut rate = 0.0;
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let done = summary.lock().map_or(0, |s| s.articles_stored + s.duplicates);
                let now = Instant::now();
                rate = done.saturating_sub(last.1) as f64
                    / now.duration_since(last.0).as_secs_f64().max(0.001);
                last = (now, done);
            }
            msg = sub.next() => {
                let Some(msg) = msg else { return };
                let Some(reply) = msg.reply else { continue };
                let s = summary.lock().map(|s| s.clone()).unwrap_or_default();
                let beat = WorkerBeat {
                    id: id.clone(),
                    pid: std::process::id(),
                    started: started.to_rfc3339(),
                    seen: chrono::Utc::now().to_rfc3339(),
                    articles_stored: s.articles_stored,
                    duplicates: s.duplicates,
                    events: s.events,
                    articles_per_second: (rate * 10.0).round() / 10.0,
                };
                if let Ok(bytes) = serde_json::to_vec(&beat) {
                    if let Err(e) = client.publish(reply, bytes.into()).await {
                        debug!(error = %e, "status answer not sent");
                    }
                }
            }
        }
    }
}
