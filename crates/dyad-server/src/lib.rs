//! dyad's HTTP API (axum) over the event database.
//!
//! | route | what |
//! |---|---|
//! | `GET /health` | 200 when ready |
//! | `POST /api/code` | code an article on the fly: `{"text", "date", …}` or a text/plain body (`?date=`) |
//! | `GET /api/events` | events matching the `dyad query` filters, paginated |
//! | `GET /api/events/{id}` | one event and every mention of it |
//! | `GET /api/series` | counts and Goldstein sums per day/week/month |
//! | `GET /api/actors/top`, `GET /api/dyads/top` | top actors, top source→target pairs |
//! | `GET /api/articles/{id}` | an article with its sentences, quotes and event mentions |
//! | `GET /api/stats` | what the store holds |
//! | `POST /api/ingest` | store articles (a JSON array of `dyad code --input jsonl` records); needs the token |
//! | `GET /api/places/top` | event locations with their counts, for maps |
//! | `GET /openapi.json` | the OpenAPI 3.1 description of all this |
//! | `GET /`, `GET /assets/…` | the web app (`dyad-web`), embedded in the binary |
//!
//! Every error is JSON, `{"error": {"status": 400, "message": "…"}}`, with a 4xx status for
//! anything the client sent. Request bodies and request time are capped. The store is read
//! through a pool of read-only connections on blocking threads; writes go through one writer
//! and are refused unless a token was set at start-up.

mod openapi;
mod params;

pub use openapi::openapi;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dyad_coder::{Article, Coder};
use dyad_store::{EventStore, StoreError};
use dyad_stores::StoreLocation;
use params::{CodeParams, CodeRequest, Params};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store: a SQLite file or a PostgreSQL URL.
    pub db: StoreLocation,
    /// Enables `POST /api/ingest` for requests bearing it (`Authorization: Bearer TOKEN`).
    pub token: Option<String>,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Longest a request may take.
    pub request_timeout: Duration,
}

impl ServerConfig {
    pub fn new(db: impl Into<StoreLocation>) -> Self {
        ServerConfig {
            db: db.into(),
            token: None,
            max_body_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Shared by every request.
pub struct AppState {
    config: ServerConfig,
    coder: Arc<Coder>,
    readers: Mutex<Vec<Box<dyn EventStore + Send>>>,
    /// Store reads running at once: about two per core. More only adds context switches and
    /// cold page caches (each connection has its own).
    read_slots: tokio::sync::Semaphore,
    writer: Mutex<Option<Box<dyn EventStore + Send>>>,
}

impl AppState {
    /// Checks that the store opens, and keeps the coder for `/api/code` and ingest.
    pub fn new(config: ServerConfig, coder: Arc<Coder>) -> Result<Self, StoreError> {
        let first = config.db.open_existing()?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(AppState {
            config,
            coder,
            readers: Mutex::new(vec![first]),
            read_slots: tokio::sync::Semaphore::new(cores * 2),
            writer: Mutex::new(None),
        })
    }

    /// Runs `f` with a pooled read-only connection on a blocking thread.
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&dyn EventStore) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _slot = self
            .read_slots
            .acquire()
            .await
            .map_err(|_| ApiError::internal("the server is shutting down"))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = state.readers.lock().ok().and_then(|mut p| p.pop());
            let conn = match conn {
                Some(c) => c,
                None => state.config.db.open_existing().map_err(ApiError::from)?,
            };
            let out = f(conn.as_ref());
            if let Ok(mut pool) = state.readers.lock() {
                if pool.len() < 16 {
                    pool.push(conn);
                }
            }
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
    fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::BadQuery(m) => ApiError::bad_request(m),
            StoreError::Text(e) => ApiError::bad_request(format!("full-text query (`text`): {e}")),
            e => ApiError::internal(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, &self.message)
    }
}

fn error_response(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"status": status.as_u16(), "message": message}})),
    )
        .into_response()
}

/// The router with every route, the body limit, the time limit and JSON errors throughout.
pub fn router(state: Arc<AppState>) -> Router {
    let timeout = state.config.request_timeout;
    let max_body = state.config.max_body_bytes;
    Router::new()
        .route("/", get(web_index))
        .route("/assets/{*path}", get(web_asset))
        .route("/health", get(health))
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api/code", post(code))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/series", get(series))
        .route("/api/actors/top", get(top_actors))
        .route("/api/dyads/top", get(top_dyads))
        .route("/api/places/top", get(top_places))
        .route("/api/articles/{id}", get(article))
        .route("/api/stats", get(stats))
        .route("/api/ingest", post(ingest))
        .fallback(|| async { ApiError::not_found("no such route; see /openapi.json") })
        .layer(axum::middleware::map_response(json_errors))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Makes the framework's own error answers (body too large, wrong method, timeouts) JSON too.
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let reason = status.canonical_reason().unwrap_or("error");
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "request body too large".to_string(),
            StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this route".to_string(),
            StatusCode::REQUEST_TIMEOUT => "the request took too long".to_string(),
            _ => reason.to_lowercase(),
        };
        return error_response(status, &message);
    }
    res
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "web_libraries_missing": dyad_web::libraries_missing()}))
}

/// What the app's pages may load: only this server. The browser then refuses any outside
/// request, which is what "works with no network" needs, and article text can never pull in
/// a script. Styles stay inline-able because ECharts and Cytoscape.js set style attributes.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn web_response(asset: dyad_web::Asset, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.bytes,
    )
        .into_response()
}

async fn web_index() -> Response {
    web_response(dyad_web::index(), "no-cache")
}

async fn web_asset(Path(path): Path<String>) -> Result<Response, ApiError> {
    let asset =
        dyad_web::asset(&path).ok_or_else(|| ApiError::not_found(format!("no asset `{path}`")))?;
    // Libraries change only with the binary; the app's own files are revalidated so an
    // upgraded server is picked up at once.
    let cache = if path.starts_with("vendor/") {
        "public, max-age=86400"
    } else {
        "no-cache"
    };
    Ok(web_response(asset, cache))
}

fn parse_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| ApiError::bad_request(format!("`{raw}` is not a valid {what} id")))
}

async fn code(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("application/json"));
    let article = if is_json {
        let req: CodeRequest = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("request body: {e}")))?;
        req.into_article()?
    } else {
        let p: CodeParams = params::from_query(query.as_deref())?;
        let text =
            dyad_coder::input::decode_text(&body, "request body", state.config.max_body_bytes)
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
        Article {
            id: p.id.unwrap_or_else(|| "request".into()),
            date: params::date(p.date.as_deref(), "date")?,
            text: text.to_string(),
            ..Article::default()
        }
    };
    if article.text.trim().is_empty() {
        return Err(ApiError::bad_request("no text to code"));
    }
    let coder = state.coder.clone();
    let coded = tokio::task::spawn_blocking(move || coder.code(&article))
        .await
        .map_err(|e| ApiError::internal(format!("coder failed: {e}")))?;
    Ok(Json(coded).into_response())
}

/// One page of `GET /api/events`.
#[derive(serde::Serialize)]
struct EventPage {
    total: u64,
    limit: usize,
    offset: usize,
    events: Vec<dyad_store::StoredEvent>,
}

async fn events(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = params::from_query(query.as_deref())?;
    p.only("/api/events", true, true, false)?;
    let (limit, offset) = (p.limit(50)?, p.offset.unwrap_or(0));
    let mut q = p.to_query()?;
    state
        .read(move |s| {
            let total = s.count(&q)?;
            q.limit = Some(limit);
            q.offset = offset;
            let events = s.query(&q)?;
            // Serialized straight from the structs: going through `json!` would build a
            // `Value` tree of every event first (a fifth of the request's CPU).
            Ok(Json(EventPage {
                total,
                limit,
                offset,
                events,
            })
            .into_response())
        })
        .await
}

async fn event(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "event")?;
    state
        .read(move |s| {
            let e = s
                .event(id)?
                .ok_or_else(|| ApiError::not_found(format!("no event {id}")))?;
            let mentions = s.mentions(id)?;
            Ok(Json(json!({"event": e, "mentions": mentions})).into_response())
        })
        .await
}

async fn series(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = params::from_query(query.as_deref())?;
    p.only("/api/series", false, false, true)?;
    let bucket = p.bucket()?;
    let q = p.to_query()?;
    state
        .read(move |s| {
            let points = s.series(&q, bucket)?;
            Ok(
                Json(json!({"bucket": p.bucket.as_deref().unwrap_or("week"), "points": points}))
                    .into_response(),
            )
        })
        .await
}

async fn top_actors(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = params::from_query(query.as_deref())?;
    p.only("/api/actors/top", true, false, false)?;
    let limit = p.limit(20)?;
    let q = p.to_query()?;
    state
        .read(move |s| Ok(Json(json!({"actors": s.top_actors(&q, limit)?})).into_response()))
        .await
}

async fn top_dyads(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = params::from_query(query.as_deref())?;
    p.only("/api/dyads/top", true, false, false)?;
    let limit = p.limit(20)?;
    let q = p.to_query()?;
    state
        .read(move |s| Ok(Json(json!({"dyads": s.top_dyads(&q, limit)?})).into_response()))
        .await
}

async fn top_places(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = params::from_query(query.as_deref())?;
    p.only("/api/places/top", true, false, false)?;
    let limit = p.limit(100)?;
    let q = p.to_query()?;
    state
        .read(move |s| Ok(Json(json!({"places": s.top_places(&q, limit)?})).into_response()))
        .await
}

async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "article")?;
    state
        .read(move |s| {
            let a = s
                .article(id)?
                .ok_or_else(|| ApiError::not_found(format!("no article {id}")))?;
            Ok(Json(a).into_response())
        })
        .await
}

async fn stats(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    state.read(|s| Ok(Json(s.stats()?).into_response())).await
}

/// `POST /api/ingest`: a JSON array of records (`id`, `date`, `text` or `title` + `body`,
/// `url`, `source`, `lang`), coded and stored like `dyad ingest` does.
async fn ingest(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(token) = state.config.token.clone() else {
        return Err(ApiError {
            status: StatusCode::FORBIDDEN,
            message: "this server is read-only; start `dyad serve` with --token to allow writes"
                .into(),
        });
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
        return Err(ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "missing or wrong token (send `Authorization: Bearer TOKEN`)".into(),
        });
    }
    let records: Vec<serde_json::Value> = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "request body: expected a JSON array of articles: {e}"
        ))
    })?;
    let max = state.config.max_body_bytes;
    let mut articles = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let line = r.to_string();
        let a = dyad_coder::input::parse_record(&line, "request", i + 1, max)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let key = (a.id != format!("request:{}", i + 1)).then(|| a.id.clone());
        articles.push(Ok(dyad_formats::SourcedArticle {
            key,
            origin: format!("api:{}", i + 1),
            article: a,
        }));
    }
    let st = state.clone();
    let summary = tokio::task::spawn_blocking(move || -> Result<dyad_ingest::Summary, ApiError> {
        let mut guard = st
            .writer
            .lock()
            .map_err(|_| ApiError::internal("the writer lock is poisoned"))?;
        if guard.is_none() {
            *guard = Some(st.config.db.open(Default::default())?);
        }
        let Some(store) = guard.as_mut() else {
            return Err(ApiError::internal("no writer"));
        };
        dyad_ingest::ingest_articles(
            store.as_mut(),
            &st.coder,
            articles,
            &dyad_ingest::IngestOptions::default(),
            &dyad_ingest::Counters::default(),
        )
        .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::internal(format!("ingest failed: {e}")))??;
    Ok(Json(summary).into_response())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let served = axum::serve(listener, router(state.clone()))
        .with_graceful_shutdown(shutdown)
        .await;
    // Close the store connections on a blocking thread: PostgreSQL's sync client blocks while
    // closing, which is not allowed on a thread that drives async tasks.
    let _ = tokio::task::spawn_blocking(move || {
        let readers = state.readers.lock().map(|mut p| std::mem::take(&mut *p));
        let writer = state.writer.lock().map(|mut w| w.take());
        drop((readers, writer));
    })
    .await;
    served
}
