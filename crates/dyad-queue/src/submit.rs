//! `dyad submit`: articles onto the work queue.

use crate::{ensure_consumer, ensure_stream, Job, QueueConfig, QueueError};
use async_nats::jetstream;
use serde::Serialize;
use std::collections::VecDeque;

/// What a submit did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SubmitSummary {
    /// Articles enqueued.
    pub published: u64,
    /// Articles the stream had already been given within its duplicate window.
    pub duplicates: u64,
    /// Inputs and articles that could not be read or published, each naming what and where.
    pub errors: Vec<String>,
    pub seconds: f64,
}

/// Publishes every article `articles` yields (each with its content hash, or the read error
/// that replaced it) and waits until JetStream has acknowledged all of them. At most `window`
/// publishes are unacknowledged at any time.
pub async fn submit(
    cfg: &QueueConfig,
    mut articles: tokio::sync::mpsc::Receiver<
        Result<(dyad_formats::SourcedArticle, String), String>,
    >,
    window: usize,
) -> Result<SubmitSummary, QueueError> {
    let started = std::time::Instant::now();
    let (_, js) = crate::connect(cfg, false).await?;
    let stream = ensure_stream(&js, cfg).await?;
    // The consumer exists before the first message: with a work-queue stream, what is
    // published before any consumer exists would still wait, but creating it here means
    // `dyad status` shows the backlog from the start.
    ensure_consumer(&stream, cfg).await?;
    let window = window.max(1);
    let mut summary = SubmitSummary::default();
    let mut in_flight: VecDeque<(String, jetstream::context::PublishAckFuture)> =
        VecDeque::with_capacity(window);
    while let Some(item) = articles.recv().await {
        let (article, hash) = match item {
            Ok(a) => a,
            Err(e) => {
                summary.errors.push(e);
                continue;
            }
        };
        let job = Job::new(article, hash);
        let origin = job.origin.clone();
        let payload = match serde_json::to_vec(&job) {
            Ok(p) => p,
            Err(e) => {
                summary.errors.push(format!("{origin}: cannot encode: {e}"));
                continue;
            }
        };
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", job.msg_id().as_str());
        match js
            .publish_with_headers(cfg.subject.clone(), headers, payload.into())
            .await
        {
            Ok(ack) => in_flight.push_back((origin, ack)),
            Err(e) => {
                // A message over the server's max_payload (1 MiB by default) ends here.
                summary.errors.push(format!("{origin}: not published: {e}"));
                continue;
            }
        }
        if in_flight.len() >= window {
            settle(in_flight.pop_front(), &mut summary).await;
        }
    }
    while !in_flight.is_empty() {
        settle(in_flight.pop_front(), &mut summary).await;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

async fn settle(
    next: Option<(String, jetstream::context::PublishAckFuture)>,
    summary: &mut SubmitSummary,
) {
    let Some((origin, ack)) = next else {
        return;
    };
    match ack.await {
        Ok(a) if a.duplicate => summary.duplicates += 1,
        Ok(_) => summary.published += 1,
        Err(e) => summary
            .errors
            .push(format!("{origin}: the server did not acknowledge it: {e}")),
    }
}
