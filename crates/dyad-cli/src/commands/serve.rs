//! `dyad serve`: the HTTP API over the event database.

use super::load_coder;
use super::store::DbArg;
use anyhow::{Context, Result};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Address to listen on (loopback by default: put a reverse proxy in front to expose it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Allow writes (POST /api/ingest) for requests with `Authorization: Bearer TOKEN`.
    #[arg(long, env = "DYAD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Seconds before a request is answered 408.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

pub fn run(a: Args) -> Result<ExitCode> {
    if !a.db.db.exists() {
        anyhow::bail!(
            "{}: no such database; create it with `dyad ingest --db {} FILES…`",
            a.db.db.display(),
            a.db.db.display()
        );
    }
    let coder = Arc::new(load_coder(None, dyad_coder::Options::default())?);
    let mut config = dyad_server::ServerConfig::new(a.db.db.clone());
    config.token = a.token.filter(|t| !t.is_empty());
    config.max_body_bytes = a.max_body_bytes;
    config.request_timeout = std::time::Duration::from_secs(a.timeout.max(1));
    let writes = config.token.is_some();
    let state = Arc::new(dyad_server::AppState::new(config, coder)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&a.addr)
            .await
            .with_context(|| format!("cannot listen on {}", a.addr))?;
        let local = listener.local_addr()?;
        eprintln!(
            "dyad: serving {} on http://{local} ({}); API description at /openapi.json",
            a.db.db.display(),
            if writes {
                "writes allowed with the token"
            } else {
                "read-only"
            }
        );
        dyad_server::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}
