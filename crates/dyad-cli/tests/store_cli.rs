//! End-to-end tests of `dyad ingest | follow | query | export` with the real binary: the
//! bundled sample corpus, idempotence, bad files in a batch, a real `kill -9` mid-ingest,
//! exports read back by independent readers, and feeds followed over loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn run(args: &[&str]) -> Output {
    dyad().args(args).output().expect("run dyad")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn summary(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("summary JSON: {e}: {}", stdout(o)))
}

fn ingest(db: &Path, inputs: &[&str], extra: &[&str]) -> Output {
    let mut args = vec![
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    run(&args)
}

#[test]
fn sample_corpus_ingests_once_and_dedups_across_outlets() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("demo.db");
    let c = corpus();
    let o = ingest(&db, &[c.to_str().expect("path")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = summary(&o);
    let stored = s["articles_stored"].as_u64().expect("stored");
    assert!(stored >= 20, "{s}");
    assert_eq!(s["errors"].as_array().map(Vec::len), Some(0), "{s}");
    assert!(s["events"].as_u64().expect("events") < s["mentions"].as_u64().expect("mentions"));

    // Idempotent: the same inputs again add nothing.
    let o = ingest(&db, &[c.to_str().expect("path")], &[]);
    let again = summary(&o);
    assert_eq!(again["articles_stored"], 0, "{again}");
    assert_eq!(again["duplicates"].as_u64(), Some(stored));

    // The same event told by several outlets is one event with its counts.
    let db_s = db.to_str().expect("path");
    let o = run(&[
        "query",
        "--db",
        db_s,
        "--source",
        "SDNMIL",
        "--target",
        "SDNREBRSF",
        "--cameo",
        "0871",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let events: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let e = &events[0];
    assert_eq!(e["date"], "2023-05-20", "{events}");
    assert!(e["num_sources"].as_u64().expect("sources") >= 3, "{e}");
    assert!(
        e["num_mentions"].as_u64() > e["num_sources"].as_u64(),
        "{e}"
    );
    // Shaped like `dyad code`'s events: actors, codes, evidence, rule.
    for k in [
        "source",
        "target",
        "cameo",
        "root",
        "plover",
        "goldstein",
        "quad_class",
        "mention",
    ] {
        assert!(e.get(k).is_some(), "missing {k}: {e}");
    }
    assert!(e["mention"]["evidence"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    assert!(e["mention"]["rule"]["entry"].as_str().is_some());

    // Weekly series for a dyad, in CSV.
    let o = run(&[
        "query", "--db", db_s, "--source", "ARM", "--target", "AZE", "--either", "--series",
        "week", "--format", "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert!(rows.len() >= 3, "{}", stdout(&o));
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        ["period", "events", "mentions", "goldstein_sum"]
    );
    // Top actors as a table; full-text search.
    let o = run(&["query", "--db", db_s, "--top-actors", "5"]);
    assert!(stdout(&o).lines().count() == 6, "{}", stdout(&o));
    let o = run(&[
        "query",
        "--db",
        db_s,
        "--text",
        "ceasefire",
        "--format",
        "json",
        "--limit",
        "500",
    ]);
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(hits.as_array().is_some_and(|a| !a.is_empty()));
    // Bad filters are errors, not crashes.
    let o = run(&["query", "--db", db_s, "--from", "2020-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--from"), "{}", stderr(&o));
    // FTS5 syntax and actor codes are searched for their words; what the full-text syntax
    // cannot search for is an error that says why.
    for text in ["AND (", "RUS:GOV", "\"peace", "*é"] {
        let o = run(&["query", "--db", db_s, "--text", text, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{text}: {}", stderr(&o));
    }
    for (text, why) in [
        ("-war", "only exclusions"),
        ("\"", "no word"),
        ("\"\" *", "no word"),
    ] {
        let o = run(&["query", "--db", db_s, "--text", text]);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(err.contains("full-text") && err.contains(why), "{err}");
    }
    let o = run(&[
        "query",
        "--db",
        dir.path().join("none.db").to_str().expect("p"),
    ]);
    assert!(stderr(&o).contains("no such database"), "{}", stderr(&o));

    check_exports(&db, dir.path());
}

fn check_exports(db: &Path, dir: &Path) {
    let db_s = db.to_str().expect("path");
    let total: usize = {
        let o = run(&["export", "--db", db_s, "--format", "jsonl", "--output", "-"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let lines: Vec<serde_json::Value> = o
            .stdout
            .lines()
            .map(|l| serde_json::from_str(&l.expect("line")).expect("jsonl record"))
            .collect();
        // Every mention's evidence is kept.
        for v in &lines {
            assert_eq!(
                v["mentions"].as_array().map(Vec::len) as Option<usize>,
                v["num_mentions"].as_u64().map(|n| n as usize)
            );
        }
        lines.len()
    };
    assert!(total > 20);

    let path = |ext: &str| dir.join(format!("out.{ext}"));
    for f in ["csv", "parquet", "gdelt", "icews", "plover"] {
        let o = run(&[
            "export",
            "--db",
            db_s,
            "--format",
            f,
            "--output",
            path(f).to_str().expect("p"),
        ]);
        assert!(o.status.success(), "{f}: {}", stderr(&o));
        assert!(!dir.join(format!("out.{f}.partial")).exists());
    }
    // CSV, with the csv crate.
    let mut r = csv::Reader::from_path(path("csv")).expect("csv");
    let headers = r.headers().expect("headers").clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("csv row")).collect();
    assert_eq!(rows.len(), total);
    let cameo = headers
        .iter()
        .position(|h| h == "cameo")
        .expect("cameo column");
    assert!(rows.iter().all(|r| r[cameo].len() >= 3));
    // Parquet, with the parquet crate's reader.
    {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::record::RowAccessor;
        let f = std::fs::File::open(path("parquet")).expect("parquet");
        let reader = SerializedFileReader::new(f).expect("parquet reader");
        assert_eq!(reader.metadata().file_metadata().num_rows() as usize, total);
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let idx = |name: &str| {
            schema
                .columns()
                .iter()
                .position(|c| c.name() == name)
                .expect("column")
        };
        let (id_col, cameo_col, n_col) = (idx("event_id"), idx("cameo"), idx("num_mentions"));
        let mut n = 0;
        for row in reader.get_row_iter(None).expect("rows") {
            let row = row.expect("row");
            assert!(row.get_long(id_col).expect("id") > 0);
            assert!(row.get_string(cameo_col).expect("cameo").len() >= 3);
            assert!(row.get_long(n_col).expect("mentions") >= 1);
            n += 1;
        }
        assert_eq!(n, total);
    }
    // GDELT: 61 tab-separated columns, YYYYMMDD dates, quad class from the root.
    let gdelt = std::fs::read_to_string(path("gdelt")).expect("gdelt");
    let mut gdelt_rows = 0;
    for line in gdelt.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 61, "{line}");
        assert!(
            cols[1].is_empty()
                || (cols[1].len() == 8 && cols[1].bytes().all(|b| b.is_ascii_digit()))
        );
        let root: u8 = cols[28].parse().expect("root");
        let quad: u8 = cols[29].parse().expect("quad");
        // ActionGeo_CountryCode is FIPS 10-4 (two letters), as in GDELT.
        assert!(cols[53].is_empty() || cols[53].len() == 2, "{line}");
        assert_eq!(
            quad,
            match root {
                1..=5 => 1,
                6..=9 => 2,
                10..=14 => 3,
                _ => 4,
            },
            "{line}"
        );
        gdelt_rows += 1;
    }
    assert!(gdelt_rows > 0 && gdelt_rows <= total);
    // ICEWS: header plus 20 columns a row.
    let icews = std::fs::read_to_string(path("icews")).expect("icews");
    let mut lines = icews.lines();
    assert!(lines
        .next()
        .expect("header")
        .starts_with("Event ID\tEvent Date\tSource Name"));
    assert!(lines.all(|l| l.split('\t').count() == 20));
    // PLOVER: JSON records with an event type, actor and recipient.
    let plover = std::fs::read_to_string(path("plover")).expect("plover");
    let recs: Vec<serde_json::Value> = plover
        .lines()
        .map(|l| serde_json::from_str(l).expect("plover json"))
        .collect();
    assert_eq!(recs.len(), total);
    assert!(recs
        .iter()
        .any(|r| r["event_type"].is_string() && r["actor"]["country"].is_string()));
    // A bad format is refused up front.
    let o = run(&["export", "--db", db_s, "--format", "xlsx", "--output", "-"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_files_in_a_batch_are_reported_and_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().join("batch");
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(
        d.join("good.jsonl"),
        "{\"id\":\"g1\",\"date\":\"2020-10-01\",\"text\":\"Russia urged Armenia to stop the fighting on Thursday.\"}\n{\"text\": broken\n{\"id\":\"g2\",\"date\":\"2020-10-02\",\"text\":\"Azerbaijani forces shelled Armenian positions on Friday.\"}\n",
    )
    .expect("write");
    std::fs::write(d.join("latin1.txt"), b"Caf\xe9 owners protested in Paris.").expect("write");
    // A truncated gzip: the first half of a compressed stream.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..300 {
        writeln!(
            gz,
            "{{\"id\":\"z{i}\",\"text\":\"Report {} about talks {}.\"}}",
            i * 7919 % 1000,
            i * 31
        )
        .expect("gz");
    }
    let packed = gz.finish().expect("gz");
    std::fs::write(d.join("cut.jsonl.gz"), &packed[..packed.len() / 2]).expect("write");
    // A line bigger than the limit (the limit is lowered so the test stays small; the reader
    // skips the line without holding it, so a 1 GB line costs the same memory).
    let mut big = Vec::from(&b"{\"id\":\"huge\",\"text\":\""[..]);
    big.extend(std::iter::repeat_n(b'a', 3_000_000));
    big.extend_from_slice(
        b"\"}\n{\"id\":\"after-huge\",\"text\":\"Turkey condemned the attack on Friday.\"}\n",
    );
    std::fs::write(d.join("huge.jsonl"), big).expect("write");
    std::fs::write(d.join("binary.txt"), b"\x7fELF\x02\x01\x00\x00binary").expect("write");

    let db = dir.path().join("b.db");
    let o = ingest(
        &db,
        &[d.to_str().expect("p")],
        &["--max-article-bytes", "1000000"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let s = summary(&o);
    let errors: Vec<String> = s["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e.as_str().unwrap_or("").to_string())
        .collect();
    let has = |file: &str, what: &str| errors.iter().any(|e| e.contains(file) && e.contains(what));
    assert!(has("good.jsonl", "line 2"), "{errors:#?}");
    assert!(has("latin1.txt", "UTF-8"), "{errors:#?}");
    assert!(has("cut.jsonl.gz", "truncated"), "{errors:#?}");
    assert!(has("huge.jsonl", "line 1"), "{errors:#?}");
    assert!(has("binary.txt", "binary"), "{errors:#?}");
    // The good records all went in: g1, g2, after-huge and the readable part of the gzip.
    let stored = s["articles_stored"].as_u64().expect("stored");
    assert!(stored >= 4, "{s}");
    let o = run(&[
        "query",
        "--db",
        db.to_str().expect("p"),
        "--text",
        "condemned",
        "--format",
        "json",
    ]);
    assert!(stdout(&o).contains("after-huge"), "{}", stdout(&o));
    // Missing inputs are named too.
    let o = ingest(
        &db,
        &[dir.path().join("nope.jsonl").to_str().expect("p")],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nope.jsonl"), "{}", stderr(&o));
}

/// Writes `n` distinct articles built from the sample corpus's wire stories.
fn big_jsonl(path: &Path, n: usize) {
    let wires = std::fs::read_to_string(corpus().join("wires.jsonl")).expect("wires");
    let records: Vec<serde_json::Value> = wires
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for i in 0..n {
        let r = &records[i % records.len()];
        let rec = serde_json::json!({
            "id": format!("bulk-{i}"),
            "date": r["date"],
            "source": format!("Outlet {}", i % 7),
            "text": format!("{} Officials filed report number {i} on the matter.", r["text"].as_str().unwrap_or("")),
        });
        writeln!(f, "{rec}").expect("write");
    }
}

fn event_fingerprint(db: &Path) -> Vec<String> {
    let o = run(&[
        "export",
        "--db",
        db.to_str().expect("p"),
        "--format",
        "csv",
        "--output",
        "-",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let h = r.headers().expect("headers").clone();
    let col = |name: &str| h.iter().position(|x| x == name).expect("column");
    let cols = [
        "date",
        "source_code",
        "target_code",
        "cameo",
        "negated",
        "num_mentions",
        "num_articles",
        "num_sources",
    ]
    .map(col);
    let mut v: Vec<String> = r
        .records()
        .map(|rec| {
            let rec = rec.expect("row");
            cols.iter()
                .map(|&c| rec[c].to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn kill_9_mid_ingest_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("bulk.jsonl");
    let n = 3000;
    big_jsonl(&input, n);
    let db = dir.path().join("crash.db");
    let db_s = db.to_str().expect("p").to_string();
    let input_s = input.to_str().expect("p").to_string();

    let mut child = dyad()
        .args([
            "ingest",
            "--quiet",
            "--threads",
            "1",
            "--batch-size",
            "25",
            "--db",
            &db_s,
            &input_s,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until some batches are committed, then SIGKILL the process mid-job.
    let started = Instant::now();
    let mut committed = 0;
    while started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
        if let Ok(s) = dyad_store::SqliteStore::open_read_only(&db) {
            use dyad_store::EventStore;
            committed = s.stats().map(|s| s.articles).unwrap_or(0);
            if committed >= 200 {
                break;
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
    }
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the ingest ended before it could be killed"
    );
    child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    let status = child.wait().expect("wait");
    assert!(!status.success());

    let after_kill = {
        use dyad_store::EventStore;
        let s = dyad_store::SqliteStore::open(&db, Default::default())
            .expect("the store opens after a kill");
        assert_eq!(
            s.check_rollups().expect("check"),
            None,
            "rollups consistent after the kill"
        );
        s.stats().expect("stats").articles
    };
    assert!(
        after_kill >= committed && after_kill < n as u64,
        "{after_kill} of {n} stored at the kill"
    );

    // Restart: finishes the job, skipping what was committed.
    let o = dyad()
        .args(["ingest", "--quiet", "--json", "--db", &db_s, &input_s])
        .output()
        .expect("restart");
    assert!(o.status.success(), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["duplicates"].as_u64(), Some(after_kill), "{s}");
    assert_eq!(
        s["articles_stored"].as_u64(),
        Some(n as u64 - after_kill),
        "{s}"
    );

    // Same events, same counts as one uninterrupted ingest.
    let reference = dir.path().join("ref.db");
    let o = ingest(&reference, &[&input_s], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(summary(&o)["articles_stored"].as_u64(), Some(n as u64));
    let a = event_fingerprint(&db);
    let b = event_fingerprint(&reference);
    assert!(!a.is_empty());
    assert_eq!(
        a, b,
        "the killed-and-restarted store differs from the reference"
    );
}

/// A minimal HTTP server on loopback: routes by path, answers 304 to a matching
/// If-None-Match, counts requests per path. Stops after the test's deadline.
struct Server {
    addr: String,
    hits: Arc<Mutex<Vec<String>>>,
}

fn serve(routes: Vec<(&'static str, &'static str, String)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(Mutex::new(Vec::new()));
    let h = hits.clone();
    let served = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        listener.set_nonblocking(false).ok();
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
            let mut inm = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("if-none-match:") {
                    inm = Some(v.trim().to_string());
                }
            }
            h.lock().expect("lock").push(path.clone());
            served.fetch_add(1, Ordering::Relaxed);
            let route = routes.iter().find(|r| r.0 == path);
            let resp = match route {
                Some((_, ctype, body)) => {
                    let etag = format!("\"v{}\"", body.len());
                    if inm.as_deref() == Some(&etag.to_ascii_lowercase()) {
                        format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n")
                    } else {
                        format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
                    }
                }
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string(),
            };
            let _ = stream.write_all(resp.as_bytes());
            let _ = stream.flush();
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        }
    });
    Server { addr, hits }
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title><meta property=\"og:site_name\" content=\"Loopback News\"><meta property=\"article:published_time\" content=\"2023-04-15T10:00:00Z\"></head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>{title}</h1><p>{body}</p><p>The fighting spread to several districts of the capital, residents said, and the airport was closed to civilian flights for the rest of the day.</p></article><footer>Copyright Loopback News. All rights reserved.</footer></body></html>"
    )
}

#[test]
fn follow_polls_feeds_on_loopback_and_ingests_only_what_is_new() {
    let feed = |base: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback News</title><link>{base}/</link><description>d</description>\
<item><title>RSF attacks army bases</title><link>{base}/a1.html</link><guid>lb-1</guid><pubDate>Sat, 15 Apr 2023 10:00:00 GMT</pubDate><description>Short summary.</description></item>\
<item><title>Army strikes back</title><link>{base}/a2.html</link><guid>lb-2</guid><pubDate>Sat, 15 Apr 2023 12:00:00 GMT</pubDate><description>Another summary.</description></item>\
</channel></rss>"
        )
    };
    let server = serve(vec![
        (
            "/robots.txt",
            "text/plain",
            "User-agent: *\nDisallow: /private\n".to_string(),
        ),
        (
            "/a1.html",
            "text/html",
            page(
                "RSF attacks army bases",
                "The Rapid Support Forces attacked army bases in Khartoum on Saturday.",
            ),
        ),
        (
            "/a2.html",
            "text/html",
            page(
                "Army strikes back",
                "Sudan's army bombed Rapid Support Forces positions in Khartoum on Saturday.",
            ),
        ),
    ]);
    // Routes are fixed at start; serve the feed from a second server that knows the first's address.
    let feed_server = serve(vec![(
        "/feed.rss",
        "application/rss+xml",
        feed(&server.addr),
    )]);
    let dir = tempfile::tempdir().expect("tmp");
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(
        &feeds,
        format!("# feeds\n{}/feed.rss\n\n", feed_server.addr),
    )
    .expect("write");
    let db = dir.path().join("f.db");
    let o = run(&[
        "follow",
        feeds.to_str().expect("p"),
        "--db",
        db.to_str().expect("p"),
        "--every",
        "0s",
        "--polls",
        "2",
        "--host-delay-ms",
        "0",
        "--json",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let polls: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("poll json"))
        .collect();
    assert_eq!(polls.len(), 2, "{}", stdout(&o));
    assert_eq!(polls[0]["articles_stored"], 2, "{}", stderr(&o));
    assert_eq!(polls[1]["articles_stored"], 0);
    let page_hits = server.hits.lock().expect("lock").clone();
    assert_eq!(
        page_hits.iter().filter(|p| *p == "/a1.html").count(),
        1,
        "{page_hits:?}"
    );
    assert_eq!(
        page_hits.iter().filter(|p| *p == "/a2.html").count(),
        1,
        "{page_hits:?}"
    );
    assert_eq!(
        feed_server
            .hits
            .lock()
            .expect("lock")
            .iter()
            .filter(|p| *p == "/feed.rss")
            .count(),
        2
    );
    // The pages' text was coded: the RSF attack is in the store, with the page's outlet.
    let o = run(&[
        "query",
        "--db",
        db.to_str().expect("p"),
        "--source",
        "SDNREBRSF",
        "--format",
        "json",
    ]);
    let events: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(
        events.as_array().is_some_and(|a| !a.is_empty()),
        "{}",
        stdout(&o)
    );
    assert_eq!(events[0]["mention"]["outlet"], "Loopback News");

    // `dyad ingest URL` reads a page directly, and a robots.txt-disallowed path is refused.
    let db2 = dir.path().join("u.db");
    let a1 = format!("{}/a1.html", server.addr);
    let private = format!("{}/private/x.html", server.addr);
    let o = ingest(&db2, &[&a1, &private], &["--host-delay-ms", "0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["articles_stored"], 1, "{s}");
    assert!(
        s["errors"][0]
            .as_str()
            .is_some_and(|e| e.contains("robots.txt")),
        "{s}"
    );
}

#[test]
fn serve_demo_starts_on_the_bundled_corpus() {
    let mut child = dyad()
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.split("on http://").nth(1) {
                let addr = url.split_whitespace().next().unwrap_or("").to_string();
                let _ = tx.send(addr);
            }
        }
    });
    let addr = rx.recv_timeout(Duration::from_secs(60));
    let result = addr.map(|addr| {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        let health = agent
            .get(&format!("http://{addr}/health"))
            .call()
            .map(|r| r.status().as_u16());
        let stats: Option<serde_json::Value> = agent
            .get(&format!("http://{addr}/api/stats"))
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .and_then(|t| serde_json::from_str(&t).ok());
        (health.ok(), stats)
    });
    let _ = child.kill();
    let _ = child.wait();
    let (health, stats) = result.expect("the server printed its address");
    assert_eq!(health, Some(200));
    let stats = stats.expect("stats");
    assert!(
        stats["articles"].as_u64().is_some_and(|n| n >= 20),
        "{stats}"
    );
    assert!(stats["events"].as_u64().is_some_and(|n| n > 50), "{stats}");
}
