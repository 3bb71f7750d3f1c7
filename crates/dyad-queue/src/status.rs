//! `dyad status`: queue depth, workers and their rate.

use crate::{ensure_consumer, ensure_stream, js_err, workers_subject, QueueConfig, QueueError};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A worker's answer to `dyad status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerBeat {
    pub id: String,
    pub pid: u32,
    /// RFC 3339.
    pub started: String,
    pub seen: String,
    pub articles_stored: u64,
    pub duplicates: u64,
    pub events: u64,
    /// Over the last 5 s.
    pub articles_per_second: f64,
}

/// The queue as `dyad status` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct QueueStatus {
    pub stream: String,
    /// Messages in the stream: not yet acknowledged (a work queue drops acknowledged ones).
    pub messages: u64,
    pub bytes: u64,
    /// Not yet delivered to any worker.
    pub pending: u64,
    /// Delivered and not yet acknowledged.
    pub ack_pending: usize,
    /// Delivered more than once so far (workers that died or were too slow).
    pub redelivered: usize,
    /// Pull requests waiting (idle workers).
    pub waiting_pulls: usize,
    pub workers: Vec<WorkerBeat>,
    /// Sum of the workers' rates.
    pub articles_per_second: f64,
}

pub async fn status(cfg: &QueueConfig) -> Result<QueueStatus, QueueError> {
    let (client, js) = crate::connect(cfg, false).await?;
    let mut stream = ensure_stream(&js, cfg).await?;
    ensure_consumer(&stream, cfg).await?;
    let info = stream
        .info()
        .await
        .map_err(|e| js_err("stream info", e))?
        .clone();
    let consumer = stream
        .consumer_info(&cfg.consumer)
        .await
        .map_err(|e| js_err("consumer info", e))?;
    // Scatter-gather: every live worker answers on our inbox within half a second.
    let inbox = client.new_inbox();
    let mut answers = client
        .subscribe(inbox.clone())
        .await
        .map_err(|e| js_err("workers", e))?;
    client
        .publish_with_reply(workers_subject(cfg), inbox, bytes::Bytes::new())
        .await
        .map_err(|e| js_err("workers", e))?;
    let mut workers = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
    while let Ok(Some(m)) = tokio::time::timeout_at(deadline, answers.next()).await {
        if let Ok(beat) = serde_json::from_slice::<WorkerBeat>(&m.payload) {
            workers.push(beat);
        }
    }
    workers.sort_by(|a, b| a.id.cmp(&b.id));
    let rate = workers.iter().map(|w| w.articles_per_second).sum();
    Ok(QueueStatus {
        stream: cfg.stream.clone(),
        messages: info.state.messages,
        bytes: info.state.bytes,
        pending: consumer.num_pending,
        ack_pending: consumer.num_ack_pending,
        redelivered: consumer.num_redelivered,
        waiting_pulls: consumer.num_waiting,
        workers,
        articles_per_second: rate,
    })
}
