//! `dyad-serve-bench`: load on the HTTP API over loopback. Starts the server in-process on an
//! existing store (use the 1M-event store `dyad-store-bench` leaves behind), then runs N client
//! threads for a fixed time against a mix of event queries, and prints requests/s and latency
//! percentiles per kind. Clients and server share the machine's cores, as they would on a
//! laptop. Bounded: it stops after `--seconds` (default 10) and sends only to 127.0.0.1.
//!
//! Usage: `cargo run --release --bin dyad-serve-bench -- --db PATH [--seconds 10] [--clients 16] [--mix events|all]`

#[path = "../bench_util.rs"]
mod bench_util;

use anyhow::{Context, Result};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() -> Result<()> {
    let flag = bench_util::flag;
    let db = std::path::PathBuf::from(
        flag("--db").context("--db PATH (a store, e.g. from dyad-store-bench)")?,
    );
    let seconds: u64 = flag("--seconds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .min(300);
    let clients: usize = flag("--clients")
        .and_then(|v| v.parse().ok())
        .unwrap_or(16)
        .clamp(1, 256);
    // `events`: only event pages (the "event queries"); `all`: events, series, top actors.
    let kinds: usize = if flag("--mix").as_deref() == Some("events") {
        2
    } else {
        4
    };

    let coder = Arc::new(dyad_coder::Coder::embedded()?);
    let state = Arc::new(dyad_server::AppState::new(
        dyad_server::ServerConfig::new(db.clone()),
        coder,
    )?);
    // Dyads to ask about, from the store itself.
    let dyads: Vec<(String, String)> = {
        use dyad_store::EventStore;
        let s = dyad_store::SqliteStore::open_read_only(&db)?;
        s.top_dyads(&Default::default(), 200)?
            .into_iter()
            .map(|d| (d.source_code, d.target_code))
            .collect()
    };
    anyhow::ensure!(!dyads.is_empty(), "the store has no events");
    let (tx, rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || -> Result<()> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            tx.send(listener.local_addr()?)?;
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            // Stops by itself shortly after the clients are done.
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(seconds + 30)).await;
                let _ = stop_tx.send(());
            });
            dyad_server::serve(listener, state, async {
                let _ = stop_rx.await;
            })
            .await?;
            Ok::<_, anyhow::Error>(())
        })
    });
    let addr = rx.recv_timeout(Duration::from_secs(30))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "dyad-serve-bench: {cores} cores, {clients} client threads, {seconds} s, store {}",
        db.display()
    );

    const KINDS: [&str; 4] = [
        "events page (dyad, 50 rows)",
        "events page (dyad + year)",
        "weekly series (dyad)",
        "top actors (90 days)",
    ];
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let dyads = Arc::new(dyads);
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let dyads = dyads.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .timeout_global(Some(Duration::from_secs(30)))
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut lat: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
                let mut errors = 0u64;
                let mut i = c * 7919;
                while Instant::now() < deadline {
                    i += 1;
                    let (s, t) = &dyads[i % dyads.len()];
                    let kind = i % kinds;
                    let path = match kind {
                        0 => format!("/api/events?source={s}&target={t}&limit=50"),
                        1 => format!("/api/events?source={s}&target={t}&from=2022-01-01&to=2022-12-31&limit=50"),
                        2 => format!("/api/series?source={s}&target={t}&bucket=week"),
                        _ => {
                            let month = 1 + i % 9;
                            format!("/api/actors/top?from=2021-{month:02}-01&to=2021-{:02}-28&limit=20", month + 3)
                        }
                    };
                    let t0 = Instant::now();
                    let ok = agent
                        .get(&format!("http://{addr}{path}"))
                        .call()
                        .ok()
                        .and_then(|mut r| {
                            let status = r.status().as_u16();
                            r.body_mut().read_to_vec().ok().map(|_| status == 200)
                        })
                        .unwrap_or(false);
                    if ok {
                        lat[kind].push(t0.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let started = Instant::now();
    let mut all: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
    let mut errors = 0;
    for h in handles {
        let (lat, e) = h
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))?;
        for (k, v) in lat.into_iter().enumerate() {
            all[k].extend(v);
        }
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64().max(seconds as f64);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut total = 0;
    let mut everything: Vec<Duration> = Vec::new();
    for (k, mut v) in all.into_iter().enumerate() {
        v.sort();
        total += v.len();
        if v.is_empty() {
            continue;
        }
        let at = |p: f64| ms(v[((v.len() as f64 * p) as usize).min(v.len() - 1)]);
        println!(
            "{:<30} {:>7.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            KINDS[k],
            v.len() as f64 / elapsed,
            at(0.5),
            at(0.99),
            ms(v[v.len() - 1])
        );
        everything.extend(v);
    }
    everything.sort();
    let p99 = everything
        .get(((everything.len() as f64 * 0.99) as usize).min(everything.len().saturating_sub(1)))
        .map(|d| ms(*d))
        .unwrap_or(0.0);
    println!(
        "all                            {:>7.0} req/s  p99 {p99:>7.2} ms  ({total} requests, {errors} errors)",
        total as f64 / elapsed
    );
    drop(server);
    Ok(())
}
