//! A worker's Prometheus metrics, served as text on a loopback port.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Arc;

/// What a worker counts. Cheap to update from any thread.
pub struct WorkerMetrics {
    registry: Registry,
    pub articles_stored: Counter,
    pub articles_duplicate: Counter,
    pub events_created: Counter,
    pub mentions: Counter,
    pub messages_terminated: Counter,
    pub store_errors: Counter,
    pub fetch_errors: Counter,
    pub batches: Counter,
    pub batch_seconds: Histogram,
    pub in_flight: Gauge,
}

impl Default for WorkerMetrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("dyad_worker");
        let m = |registry: &mut Registry, name: &str, help: &str| {
            let c = Counter::default();
            registry.register(name, help, c.clone());
            c
        };
        let articles_stored = m(
            &mut registry,
            "articles_stored",
            "Articles coded and stored.",
        );
        let articles_duplicate = m(
            &mut registry,
            "articles_duplicate",
            "Articles found already stored (redeliveries, resubmits) and only acknowledged.",
        );
        let events_created = m(&mut registry, "events_created", "New events stored.");
        let mentions = m(&mut registry, "mentions", "Event mentions stored.");
        let messages_terminated = m(
            &mut registry,
            "messages_terminated",
            "Messages that could not be decoded and were terminated (never redelivered).",
        );
        let store_errors = m(
            &mut registry,
            "store_errors",
            "Batches the store refused; their messages were returned for redelivery.",
        );
        let fetch_errors = m(
            &mut registry,
            "fetch_errors",
            "Failed pulls from the queue (e.g. while the NATS server restarts).",
        );
        let batches = m(&mut registry, "batches", "Batches processed.");
        let batch_seconds = Histogram::new(exponential_buckets(0.005, 2.0, 14));
        registry.register(
            "batch_seconds",
            "Time from a batch's arrival to its acknowledgement.",
            batch_seconds.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "in_flight",
            "Messages received and not yet acknowledged.",
            in_flight.clone(),
        );
        WorkerMetrics {
            registry,
            articles_stored,
            articles_duplicate,
            events_created,
            mentions,
            messages_terminated,
            store_errors,
            fetch_errors,
            batches,
            batch_seconds,
            in_flight,
        }
    }
}

impl WorkerMetrics {
    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

/// Serves `GET /metrics` on `listener` until `shutdown` resolves.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    metrics: Arc<WorkerMetrics>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let metrics = metrics.clone();
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    )],
                    metrics.render(),
                )
            }
        }),
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_with_the_prefix() {
        let m = WorkerMetrics::default();
        m.articles_stored.inc_by(3);
        m.batch_seconds.observe(0.02);
        let text = m.render();
        assert!(
            text.contains("dyad_worker_articles_stored_total 3"),
            "{text}"
        );
        assert!(text.contains("dyad_worker_batch_seconds_count 1"), "{text}");
        assert!(text.trim_end().ends_with("# EOF"));
    }
}
