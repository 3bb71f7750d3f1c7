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
    /// Serve a fresh database filled from the bundled sample corpus (ignores --db).
    #[arg(long)]
    pub demo: bool,
}

/// The sample corpus, built into the binary for `--demo`.
#[derive(rust_embed::Embed)]
#[folder = "../../examples/corpus/"]
struct Corpus;

/// Writes the embedded corpus to `dir` and ingests it into `dir/demo.db`.
fn demo_database(dir: &std::path::Path) -> Result<std::path::PathBuf> {
    let files = dir.join("corpus");
    for name in Corpus::iter() {
        let Some(file) = Corpus::get(&name) else {
            continue;
        };
        let path = files.join(name.as_ref());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, file.data.as_ref())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let db = dir.join("demo.db");
    let mut store = dyad_store::SqliteStore::open(&db, Default::default())?;
    let coder = load_coder(None, dyad_coder::Options::default())?;
    let (inputs, errors) = dyad_ingest::expand_inputs(&[files.display().to_string()]);
    let summary = dyad_ingest::ingest(
        &mut store,
        &coder,
        inputs,
        None,
        &dyad_ingest::IngestOptions::default(),
        &dyad_ingest::Counters::default(),
    )?;
    for e in errors.iter().chain(&summary.errors) {
        eprintln!("dyad: demo corpus: {e}");
    }
    eprintln!(
        "dyad: demo database: {} articles, {} events",
        summary.articles_stored, summary.events
    );
    Ok(db)
}

pub fn run(mut a: Args) -> Result<ExitCode> {
    // Kept until the server stops: the demo database lives in it.
    let demo_dir = if a.demo {
        let dir = tempfile::tempdir().context("creating a folder for the demo database")?;
        a.db.db = demo_database(dir.path())?.display().to_string();
        Some(dir)
    } else {
        None
    };
    let location = a.db.location();
    let coder = Arc::new(load_coder(None, dyad_coder::Options::default())?);
    let mut config = dyad_server::ServerConfig::new(location.clone());
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
            location,
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
    drop(demo_dir);
    Ok(ExitCode::SUCCESS)
}
