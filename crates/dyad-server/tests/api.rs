//! Every endpoint over real HTTP on loopback, against a store filled from the bundled sample
//! corpus: answers, filters, pagination, and the bad requests (malformed JSON, unknown fields,
//! bad dates, huge bodies, missing token) that must get 4xx JSON errors, never a 500.

use dyad_server::{AppState, ServerConfig};
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, OnceLock};

struct Server {
    base: String,
    _dir: tempfile::TempDir,
}

fn coder() -> Arc<dyad_coder::Coder> {
    static C: OnceLock<Arc<dyad_coder::Coder>> = OnceLock::new();
    C.get_or_init(|| Arc::new(dyad_coder::Coder::embedded().expect("dictionaries")))
        .clone()
}

/// A store with the sample corpus, served on an ephemeral loopback port.
fn start(token: Option<&str>, max_body: usize) -> Server {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("api.db");
    {
        let mut store = dyad_store::SqliteStore::open(&db, Default::default()).expect("store");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let (inputs, errors) = dyad_ingest::expand_inputs(&[corpus.display().to_string()]);
        assert!(errors.is_empty(), "{errors:?}");
        let s = dyad_ingest::ingest(
            &mut store,
            &coder(),
            inputs,
            None,
            &Default::default(),
            &Default::default(),
        )
        .expect("ingest");
        assert!(s.articles_stored >= 20);
    }
    let mut config = ServerConfig::new(db);
    config.token = token.map(str::to_string);
    config.max_body_bytes = max_body;
    let state = Arc::new(AppState::new(config, coder()).expect("state"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            // Ends when the test process does.
            let _ = dyad_server::serve(listener, state, std::future::pending()).await;
        });
    });
    let addr = rx.recv().expect("address");
    Server {
        base: format!("http://{addr}"),
        _dir: dir,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into()
}

/// GET, returning status and JSON body (asserting the body is JSON, and no 5xx).
fn get(s: &Server, path: &str) -> (u16, Value) {
    let mut r = agent()
        .get(&format!("{}{path}", s.base))
        .call()
        .expect("request");
    finish(path, &mut r)
}

fn post(
    s: &Server,
    path: &str,
    content_type: &str,
    body: &[u8],
    token: Option<&str>,
) -> (u16, Value) {
    let mut req = agent()
        .post(&format!("{}{path}", s.base))
        .header("Content-Type", content_type);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut r = req.send(body).expect("request");
    finish(path, &mut r)
}

fn finish(path: &str, r: &mut ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.body_mut().read_to_string().expect("body");
    assert!(
        ct.starts_with("application/json"),
        "{path}: {status} {ct}: {text}"
    );
    assert!(status < 500, "{path}: {status}: {text}");
    let v: Value = serde_json::from_str(&text).expect("json");
    if status >= 400 {
        assert_eq!(
            v["error"]["status"].as_u64(),
            Some(u64::from(status)),
            "{path}: {v}"
        );
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    (status, v)
}

#[test]
fn read_endpoints_answer_and_filter() {
    let s = start(None, 1 << 20);
    let (st, health) = get(&s, "/health");
    assert_eq!((st, health["status"].as_str()), (200, Some("ok")));

    let (st, all) = get(&s, "/api/events?limit=1000");
    assert_eq!(st, 200);
    let total = all["total"].as_u64().expect("total");
    assert!(total > 20);
    assert_eq!(all["events"].as_array().map(Vec::len), Some(total as usize));
    // Pagination walks the same list.
    let (_, page) = get(&s, "/api/events?limit=5&offset=5");
    assert_eq!(page["events"][0]["event_id"], all["events"][5]["event_id"]);
    // Dyad filter, both directions.
    let (_, d) = get(
        &s,
        "/api/events?source=ARM&target=AZE&either=true&limit=1000",
    );
    let dyad = d["events"].as_array().expect("events");
    assert!(!dyad.is_empty());
    for e in dyad {
        let (a, b) = (
            e["source"]["code"].as_str().unwrap_or(""),
            e["target"]["code"].as_str().unwrap_or(""),
        );
        assert!(
            (a.starts_with("ARM") && b.starts_with("AZE"))
                || (a.starts_with("AZE") && b.starts_with("ARM")),
            "{e}"
        );
    }
    // Full text, CAMEO prefix, dates.
    let (_, t) = get(&s, "/api/events?text=ceasefire");
    assert!(t["total"].as_u64().unwrap_or(0) > 0);
    let (_, c) = get(&s, "/api/events?cameo=19&from=2023-04-01&to=2023-04-30");
    for e in c["events"].as_array().expect("events") {
        assert!(e["cameo"].as_str().is_some_and(|x| x.starts_with("19")));
        assert!(e["date"].as_str().is_some_and(|x| x.starts_with("2023-04")));
    }

    // One event with its mentions; the article it cites.
    let id = all["events"][0]["event_id"].as_i64().expect("id");
    let (st, one) = get(&s, &format!("/api/events/{id}"));
    assert_eq!(st, 200);
    assert_eq!(one["event"]["event_id"].as_i64(), Some(id));
    assert_eq!(
        one["mentions"].as_array().map(Vec::len) as Option<usize>,
        one["event"]["num_mentions"].as_u64().map(|n| n as usize)
    );
    let article_id = one["mentions"][0]["article_id"].as_i64().expect("article");
    let (st, art) = get(&s, &format!("/api/articles/{article_id}"));
    assert_eq!(st, 200);
    assert!(art["text"].as_str().is_some_and(|t| t.len() > 100));
    assert!(art["sentences"].as_array().is_some_and(|v| !v.is_empty()));
    assert!(art["events"]
        .as_array()
        .is_some_and(|v| v.iter().any(|m| m["event_id"].as_i64() == Some(id))));

    // Aggregations.
    let (st, series) = get(
        &s,
        "/api/series?source=ARM&target=AZE&either=true&bucket=week",
    );
    assert_eq!(st, 200);
    assert!(series["points"].as_array().is_some_and(|p| p.len() >= 2));
    let (_, actors) = get(&s, "/api/actors/top?limit=5");
    assert_eq!(actors["actors"].as_array().map(Vec::len), Some(5));
    let (_, dyads) = get(&s, "/api/dyads/top?limit=3");
    assert_eq!(dyads["dyads"].as_array().map(Vec::len), Some(3));
    let (_, places) = get(&s, "/api/places/top?limit=50");
    let places = places["places"].as_array().expect("places");
    assert!(!places.is_empty());
    for p in places {
        assert!(p["lat"].is_f64() && p["lon"].is_f64() && p["events"].as_u64() > Some(0));
    }
    let (_, filtered) = get(&s, "/api/places/top?country=UKR&cameo=19");
    assert!(filtered["places"]
        .as_array()
        .is_some_and(|v| v.len() < places.len()));
    let (_, stats) = get(&s, "/api/stats");
    assert_eq!(stats["events"].as_u64(), Some(total));

    // The OpenAPI document describes every route.
    let (_, doc) = get(&s, "/openapi.json");
    for p in [
        "/health",
        "/api/code",
        "/api/events",
        "/api/events/{id}",
        "/api/series",
        "/api/actors/top",
        "/api/dyads/top",
        "/api/places/top",
        "/api/articles/{id}",
        "/api/stats",
        "/api/ingest",
        "/openapi.json",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from /openapi.json"
        );
    }
}

#[test]
fn bad_requests_get_json_4xx() {
    let s = start(None, 64 * 1024);
    for (path, status) in [
        ("/api/events?limit=0", 400),
        ("/api/events?limit=5000", 400),
        ("/api/events?limit=abc", 400),
        ("/api/events?sorce=RUS", 400),
        ("/api/events?from=2020-13-01", 400),
        ("/api/events?quad=9", 400),
        ("/api/events?cameo=abc", 400),
        ("/api/events?text=%22", 400),
        ("/api/events?text=-war", 400),
        ("/api/series?text=*", 400),
        ("/api/events?text=RUS:GOV", 200),
        ("/api/events?text=AND%20(", 200),
        ("/api/events?bucket=week", 400),
        ("/api/series?bucket=year", 400),
        ("/api/events/abc", 400),
        ("/api/events/-1", 400),
        ("/api/events/999999", 404),
        ("/api/articles/999999", 404),
        ("/api/nothing", 404),
        ("/api/code", 405),
    ] {
        let (st, v) = get(&s, path);
        assert_eq!(st, status, "{path}: {v}");
    }
    let json = "application/json";
    for (body, what) in [
        (&b"{\"text\": "[..], "malformed JSON"),
        (
            &b"{\"txt\": \"Russia warned Turkey.\"}"[..],
            "unknown field",
        ),
        (
            &b"{\"text\": \"Russia warned Turkey.\", \"date\": \"01/10/2020\"}"[..],
            "bad date",
        ),
        (&b"{\"text\": \"   \"}"[..], "empty text"),
        (&b"[1, 2]"[..], "wrong shape"),
        (&b"\xff\xfe"[..], "not UTF-8"),
    ] {
        let (st, v) = post(&s, "/api/code", json, body, None);
        assert_eq!(st, 400, "{what}: {v}");
    }
    let (st, _) = post(
        &s,
        "/api/code?date=yesterday",
        "text/plain",
        b"Russia warned Turkey.",
        None,
    );
    assert_eq!(st, 400);
    let (st, _) = post(&s, "/api/code", "text/plain", b"bad \xff bytes", None);
    assert_eq!(st, 400);
    // A body over the limit.
    let huge = vec![b'a'; 200 * 1024];
    let (st, v) = post(&s, "/api/code", "text/plain", &huge, None);
    assert_eq!(st, 413, "{v}");
    // Writes are off without a token.
    let (st, _) = post(&s, "/api/ingest", json, b"[]", Some("anything"));
    assert_eq!(st, 403);
}

#[test]
fn code_on_the_fly() {
    let s = start(None, 1 << 20);
    let body = br#"{"text": "Russian President Vladimir Putin on Thursday urged Armenia and Azerbaijan to halt the fighting.", "date": "2020-10-01"}"#;
    let (st, v) = post(&s, "/api/code", "application/json", body, None);
    assert_eq!(st, 200, "{v}");
    let events = v["events"].as_array().expect("events");
    assert!(
        events.iter().any(|e| e["source"]["code"] == "RUSGOV"
            && e["target"]["country"] == "ARM"
            && e["date"] == "2020-10-01"),
        "{v}"
    );
    assert!(events
        .iter()
        .all(|e| e["rule"]["entry"].is_string() && e["evidence"]["text"].is_string()));
    let (st, v) = post(
        &s,
        "/api/code?date=2020-10-01",
        "text/plain; charset=utf-8",
        b"Azerbaijani forces shelled Armenian positions on Thursday.",
        None,
    );
    assert_eq!(st, 200, "{v}");
    assert!(v["events"].as_array().is_some_and(|e| !e.is_empty()), "{v}");
}

#[test]
fn ingest_needs_the_token() {
    let s = start(Some("s3cret"), 1 << 20);
    let body = br#"[{"id": "api-1", "date": "2023-06-02", "source": "API Test", "text": "The European Union imposed new sanctions on Russia on Friday."}]"#;
    let (st, _) = post(&s, "/api/ingest", "application/json", body, None);
    assert_eq!(st, 401);
    let (st, _) = post(&s, "/api/ingest", "application/json", body, Some("wrong"));
    assert_eq!(st, 401);
    let (_, before) = get(&s, "/api/stats");
    let (st, v) = post(&s, "/api/ingest", "application/json", body, Some("s3cret"));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["articles_stored"], 1, "{v}");
    let (_, after) = get(&s, "/api/stats");
    assert_eq!(
        after["articles"].as_u64(),
        before["articles"].as_u64().map(|n| n + 1)
    );
    // Idempotent, like `dyad ingest`.
    let (_, v) = post(&s, "/api/ingest", "application/json", body, Some("s3cret"));
    assert_eq!(v["duplicates"], 1, "{v}");
    let (st, _) = post(
        &s,
        "/api/ingest",
        "application/json",
        b"{\"id\": 1}",
        Some("s3cret"),
    );
    assert_eq!(st, 400);
    let (st, _) = post(
        &s,
        "/api/ingest",
        "application/json",
        br#"[{"id": "x"}]"#,
        Some("s3cret"),
    );
    assert_eq!(st, 400);
}

/// GET returning status, content type, one header and the body as bytes (for non-JSON routes).
fn get_raw(s: &Server, path: &str, header: &str) -> (u16, String, String, Vec<u8>) {
    let mut r = agent()
        .get(&format!("{}{path}", s.base))
        .call()
        .expect("request");
    let h = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (ct, wanted) = (h("content-type"), h(header));
    let body = r.body_mut().read_to_vec().expect("body");
    (r.status().as_u16(), ct, wanted, body)
}

#[test]
fn the_web_app_is_served_from_the_binary() {
    let s = start(None, 1 << 20);
    let (st, ct, csp, body) = get_raw(&s, "/", "content-security-policy");
    assert_eq!(st, 200);
    assert!(ct.starts_with("text/html"), "{ct}");
    // Only this server may be reached from the page: the app works offline and article text
    // cannot pull anything in.
    assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"));
    let page = String::from_utf8(body).expect("utf-8");
    for src in page
        .split("src=\"")
        .skip(1)
        .chain(page.split("href=\"").skip(1))
        .filter_map(|t| t.split('"').next())
        .filter(|u| u.starts_with("/assets/"))
    {
        let (st, ct, _, body) = get_raw(&s, src, "cache-control");
        assert_eq!(st, 200, "{src}");
        assert!(!body.is_empty() && !ct.is_empty(), "{src}");
    }
    assert!(!page.contains("http://") && !page.contains("https://"));
    let (st, ct, _, _) = get_raw(&s, "/assets/app.js", "x");
    assert_eq!((st, ct.as_str()), (200, "text/javascript; charset=utf-8"));
    // Unknown and path-escaping asset names are JSON 404s.
    for bad in [
        "/assets/nope.js",
        "/assets/../Cargo.toml",
        "/assets/vendor/../app.js",
    ] {
        let (st, v) = get(&s, bad);
        assert_eq!(st, 404, "{bad}: {v}");
    }
}

/// `s` percent-encoded for a query string (every byte outside the unreserved set).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

#[test]
fn hostile_filter_values_never_get_a_5xx() {
    let s = start(None, 64 * 1024);
    let pieces = [
        "\"",
        "*",
        "-",
        "OR",
        "NOT",
        "AND",
        "NEAR(",
        "(",
        ")",
        ":",
        "^",
        "+",
        "é",
        "*é",
        "😀",
        "\0",
        "\u{200f}",
        "שלום",
        "Россия",
        "'",
        "\\",
        "%",
        ";",
        " ",
        "  ",
        "sanctions",
        "Russia",
        "RUS:GOV",
        "peace",
        "talks",
        "ceasefire",
        "a",
        "{",
        "}",
        ",",
        "\t",
        "\n",
        "\u{feff}",
        "ﬁ",
        "İ",
        "\u{301}",
        "x'|'y",
        ":*",
        "!",
        "&",
        "<->",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut values: Vec<String> = Vec::new();
    for _ in 0..300 {
        let n = 1 + rng.below(8);
        let v: String = (0..n).map(|_| rng.pick(&pieces)).collect();
        values.push(v);
    }
    values.push("a".repeat(2000));
    values.push("b ".repeat(40));
    values.push("c".repeat(150));
    let other = [
        "actor", "source", "target", "country", "sector", "cameo", "plover", "place", "from", "to",
        "quad", "limit", "offset",
    ];
    let endpoints = [
        "/api/events",
        "/api/series",
        "/api/actors/top",
        "/api/dyads/top",
        "/api/places/top",
    ];
    let (mut ok, mut refused) = (0, 0);
    for (i, v) in values.iter().enumerate() {
        let endpoint = endpoints[i % endpoints.len()];
        let mut path = format!("{endpoint}?text={}", encode(v));
        if i % 3 == 0 {
            // Another filter with a random value too.
            let name = rng.pick(&other);
            let value: String = (0..1 + rng.below(4)).map(|_| rng.pick(&pieces)).collect();
            path.push_str(&format!("&{name}={}", encode(&value)));
        }
        // `get` asserts a JSON body, no 5xx, and the error shape of every 4xx.
        let (st, v) = get(&s, &path);
        if st == 200 {
            ok += 1;
        } else {
            assert_eq!(st, 400, "{path}: {v}");
            refused += 1;
        }
    }
    assert!(ok > 50 && refused > 10, "{ok} answered, {refused} refused");
}
