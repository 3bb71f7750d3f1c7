//! dyad at scale on NATS JetStream: a work queue of articles, stateless workers that code and
//! store them, and what an operator needs to watch them.
//!
//! ```text
//! dyad submit FILES… ─► stream DYAD_ARTICLES (work queue, file storage) ─► consumer dyad-workers
//!                       subject dyad.articles, one article per message       │ (pull, explicit ack)
//!                                                                            ▼
//!                              dyad worker × N: fetch a bounded batch, skip what is stored,
//!                              code, insert_batch (one transaction), then double-ack
//!                                                                            │
//!                                                                            ▼
//!                                                  one EventStore (PostgreSQL for several workers)
//! ```
//!
//! Delivery is at least once: a message is acknowledged only after its article is committed,
//! so a worker killed mid-batch leaves its messages unacknowledged and JetStream redelivers them
//! to another worker after `ack_wait`. Writes are idempotent by article key and content hash (the
//! store's own rule), so a redelivered article is found already stored and only acknowledged:
//! the stored result is exactly once. Acknowledgements are *double* acks (the server confirms
//! them), so a worker that exits right after acking knows the ack arrived; one that was lost
//! only causes a harmless redelivery.
//!
//! Publishing awaits the server's acknowledgements in bounded windows (`window` in flight):
//! publishing everything before awaiting anything can stall the client. Each message carries a
//! `Nats-Msg-Id` (the article key, else its content hash), so re-running a submit within the
//! stream's duplicate window does not even enqueue twice.
//!
//! Every worker answers on `dyad.workers.<stream>` (core NATS request/reply, no state kept on
//! the server): [`status`] asks there and gathers the answers within half a second, beside the
//! stream and consumer state. [`WorkerMetrics`] renders Prometheus text for a worker's
//! `/metrics`.

mod metrics;
mod status;
mod submit;
mod worker;

pub use metrics::{serve_metrics, WorkerMetrics};
pub use status::{status, QueueStatus, WorkerBeat};
pub use submit::{submit, SubmitSummary};
pub use worker::{run_worker, WorkerOptions, WorkerSummary};

use async_nats::jetstream;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where the queue is and what its parts are called. The defaults suit one deployment per NATS
/// account; give each deployment its own names to share a server.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// NATS server URL(s), comma-separated: `nats://127.0.0.1:4222`.
    pub url: String,
    pub stream: String,
    pub subject: String,
    /// The durable pull consumer every worker shares.
    pub consumer: String,
    /// How long a delivered message may go unacknowledged before JetStream redelivers it.
    pub ack_wait: Duration,
}

impl QueueConfig {
    pub fn new(url: impl Into<String>) -> Self {
        QueueConfig {
            url: url.into(),
            stream: "DYAD_ARTICLES".into(),
            subject: "dyad.articles".into(),
            consumer: "dyad-workers".into(),
            ack_wait: Duration::from_secs(30),
        }
    }
}

/// What can go wrong talking to the queue.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("NATS server {url}: {message}")]
    Connect { url: String, message: String },
    #[error("JetStream: {0}")]
    JetStream(String),
    #[error(transparent)]
    Store(#[from] dyad_store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn js_err(what: &str, e: impl std::fmt::Display) -> QueueError {
    QueueError::JetStream(format!("{what}: {e}"))
}

/// One message: an article to code and where it came from. Versioned, so that workers of
/// one release can refuse (and terminate) messages of an incompatible one instead of
/// misreading them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub v: u32,
    pub key: Option<String>,
    pub origin: String,
    pub content_hash: String,
    pub id: String,
    pub date: Option<chrono::NaiveDate>,
    pub text: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub lang: Option<String>,
}

/// The message format this release writes and reads.
pub const JOB_VERSION: u32 = 1;

impl Job {
    pub fn new(a: dyad_formats::SourcedArticle, content_hash: String) -> Job {
        Job {
            v: JOB_VERSION,
            key: a.key,
            origin: a.origin,
            content_hash,
            id: a.article.id,
            date: a.article.date,
            text: a.article.text,
            url: a.article.url,
            source: a.article.source,
            title: a.article.title,
            lang: a.article.lang,
        }
    }

    /// The id JetStream deduplicates publishes by.
    pub fn msg_id(&self) -> String {
        match &self.key {
            Some(k) => format!("key:{k}"),
            None => format!("sha256:{}", self.content_hash),
        }
    }

    pub fn into_article(self) -> (dyad_coder::Article, Option<String>, String, String) {
        (
            dyad_coder::Article {
                id: self.id,
                date: self.date,
                text: self.text,
                url: self.url,
                source: self.source,
                title: self.title,
                lang: self.lang,
            },
            self.key,
            self.origin,
            self.content_hash,
        )
    }
}

/// Connects to NATS. `wait` keeps retrying the first connection (workers started before the
/// server); otherwise an unreachable server is an error at once (`submit`, `status`). Either
/// way the client reconnects by itself whenever the server goes away later.
pub async fn connect(
    cfg: &QueueConfig,
    wait: bool,
) -> Result<(async_nats::Client, jetstream::Context), QueueError> {
    let mut options = async_nats::ConnectOptions::new()
        .name("dyad")
        .connection_timeout(Duration::from_secs(5))
        .max_reconnects(None);
    if wait {
        options = options.retry_on_initial_connect();
    }
    let client = options
        .connect(cfg.url.as_str())
        .await
        .map_err(|e| QueueError::Connect {
            url: cfg.url.clone(),
            message: e.to_string(),
        })?;
    Ok((client.clone(), jetstream::new(client)))
}

/// Where workers answer `dyad status`.
pub fn workers_subject(cfg: &QueueConfig) -> String {
    format!("dyad.workers.{}", cfg.stream)
}

/// The work-queue stream, created if missing.
pub async fn ensure_stream(
    js: &jetstream::Context,
    cfg: &QueueConfig,
) -> Result<jetstream::stream::Stream, QueueError> {
    js.get_or_create_stream(jetstream::stream::Config {
        name: cfg.stream.clone(),
        subjects: vec![cfg.subject.clone()],
        retention: jetstream::stream::RetentionPolicy::WorkQueue,
        storage: jetstream::stream::StorageType::File,
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    })
    .await
    .map_err(|e| js_err(&format!("stream {}", cfg.stream), e))
}

/// The shared durable pull consumer, created if missing.
pub async fn ensure_consumer(
    stream: &jetstream::stream::Stream,
    cfg: &QueueConfig,
) -> Result<jetstream::consumer::PullConsumer, QueueError> {
    stream
        .get_or_create_consumer(
            &cfg.consumer,
            jetstream::consumer::pull::Config {
                durable_name: Some(cfg.consumer.clone()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: cfg.ack_wait,
                // Unlimited redeliveries: an article is only dropped on purpose (a message
                // that cannot be decoded is terminated), never because workers kept dying.
                max_deliver: -1,
                max_ack_pending: 20_000,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| js_err(&format!("consumer {}", cfg.consumer), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_round_trip_and_name_their_dedup_id() {
        let a = dyad_formats::SourcedArticle {
            article: dyad_coder::Article {
                id: "a1".into(),
                date: chrono::NaiveDate::from_ymd_opt(2020, 10, 1),
                text: "Armenia accused Azerbaijan.".into(),
                ..Default::default()
            },
            key: Some("wire-1".into()),
            origin: "x.jsonl:1".into(),
        };
        let job = Job::new(a.clone(), "ab12".into());
        let back: Job =
            serde_json::from_slice(&serde_json::to_vec(&job).expect("json")).expect("parse");
        assert_eq!(back, job);
        assert_eq!(job.msg_id(), "key:wire-1");
        let (article, key, origin, hash) = back.into_article();
        assert_eq!((article, key, origin), (a.article, a.key, a.origin));
        assert_eq!(hash, "ab12");
        let keyless = Job {
            key: None,
            ..job.clone()
        };
        assert_eq!(keyless.msg_id(), "sha256:ab12");
    }
}
