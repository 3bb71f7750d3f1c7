//! Scale-out, end to end with the real binary: shards and merge (no services needed), and
//! workers on NATS JetStream writing to PostgreSQL while one is SIGKILLed and the NATS server
//! restarts (needs `nats-server` on the PATH and `DYAD_TEST_POSTGRES`; `.ci/run` starts both).
//! Every run is compared, event for event, with a plain `dyad ingest` of the same articles.

use dyad_store::{EventQuery, StoreStats};
use dyad_stores::StoreLocation;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run dyad");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `copies` editions of the sample corpus's JSON Lines records: new ids, dates shifted by the
/// edition, and an edition line so every text is distinct. Cross-outlet duplicates inside an
/// edition stay duplicates (the same event on the same day from several outlets).
fn articles(dir: &Path, copies: usize) -> (PathBuf, usize) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus/wires.jsonl");
    let text = std::fs::read_to_string(&corpus).expect("corpus");
    let records: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect();
    let path = dir.join("articles.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let mut n = 0;
    for k in 0..copies {
        for r in &records {
            let mut r = r.clone();
            let id = r["id"].as_str().unwrap_or("a").to_string();
            r["id"] = format!("{id}-e{k}").into();
            if let Some(d) = r["date"]
                .as_str()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            {
                r["date"] = (d + chrono::Days::new(k as u64 * 3)).to_string().into();
            }
            let body = r["text"].as_str().unwrap_or("").to_string();
            r["text"] = format!("Edition {k}.\n\n{body}").into();
            writeln!(out, "{r}").expect("write");
            n += 1;
        }
    }
    out.flush().expect("flush");
    (path, n)
}

/// Every event as (source, target, CAMEO, day, flags) → its counts, as a sorted multiset, and
/// the store's totals: what "the same events" means across stores whose ids differ.
type Fingerprint = (BTreeMap<String, Vec<(u64, u64, u64)>>, StoreStats);

fn fingerprint(location: &StoreLocation) -> Fingerprint {
    let store = location.open_existing().expect("open");
    let mut events: BTreeMap<String, Vec<(u64, u64, u64)>> = BTreeMap::new();
    store
        .for_each_event(&EventQuery::default(), &mut |e| {
            let key = format!(
                "{}>{} {} {:?} neg={} hyp={}",
                e.source.as_ref().map_or("", |a| a.code.as_str()),
                e.target.as_ref().map_or("", |a| a.code.as_str()),
                e.cameo,
                e.date,
                e.negated,
                e.hypothetical
            );
            events
                .entry(key)
                .or_default()
                .push((e.num_mentions, e.num_articles, e.num_sources));
            Ok(())
        })
        .expect("events");
    for v in events.values_mut() {
        v.sort();
    }
    (events, store.stats().expect("stats"))
}

fn assert_same(a: &Fingerprint, b: &Fingerprint, what: &str) {
    assert_eq!(a.1, b.1, "{what}: store totals differ");
    let only_a: Vec<_> =
        a.0.iter()
            .filter(|(k, v)| b.0.get(*k) != Some(v))
            .take(5)
            .collect();
    let only_b: Vec<_> =
        b.0.iter()
            .filter(|(k, v)| a.0.get(*k) != Some(v))
            .take(5)
            .collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{what}: events differ:\n  first only: {only_a:?}\n  second only: {only_b:?}"
    );
}

#[test]
fn three_shards_merged_equal_one_ingest() {
    let dir = tempfile::tempdir().expect("tmp");
    let (input, n) = articles(dir.path(), 12);
    let input = input.display().to_string();
    let whole = dir.path().join("whole.db");
    run_ok(
        dyad()
            .args(["ingest", &input, "--quiet", "--db"])
            .arg(&whole),
    );

    let mut shards = Vec::new();
    let mut stored = 0;
    for i in 1..=3 {
        let db = dir.path().join(format!("shard{i}.db"));
        let out = run_ok(
            dyad()
                .args([
                    "ingest",
                    &input,
                    "--quiet",
                    "--json",
                    "--shard",
                    &format!("{i}/3"),
                    "--db",
                ])
                .arg(&db),
        );
        let s: serde_json::Value = serde_json::from_str(&out).expect("summary");
        assert_eq!(s["articles_read"].as_u64(), Some(n as u64));
        stored += s["articles_stored"].as_u64().unwrap_or(0);
        assert!(
            s["articles_stored"].as_u64() > Some(0),
            "shard {i} is empty"
        );
        shards.push(db);
    }
    assert_eq!(stored, n as u64, "every article in exactly one shard");

    let merged = dir.path().join("merged.db");
    let merge = |target: &Path| {
        run_ok(
            dyad()
                .args(["merge", "--json", "--db"])
                .arg(target)
                .args(&shards),
        )
    };
    merge(&merged);
    let expected = fingerprint(&StoreLocation::Sqlite(whole));
    assert_eq!(expected.1.articles, n as u64);
    assert_same(
        &expected,
        &fingerprint(&StoreLocation::Sqlite(merged.clone())),
        "merge",
    );
    // Merging again changes nothing.
    let again: serde_json::Value = serde_json::from_str(&merge(&merged)).expect("summary");
    assert_eq!(again["stored"].as_u64(), Some(0));
    assert_eq!(again["duplicates"].as_u64(), Some(n as u64));
    assert_same(
        &expected,
        &fingerprint(&StoreLocation::Sqlite(merged.clone())),
        "second merge",
    );
    // A store cannot be merged into itself.
    let out = dyad()
        .args(["merge", "--db"])
        .arg(&merged)
        .arg(&merged)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("also the target"));
}

#[test]
fn bad_shard_specs_are_refused() {
    for bad in ["0/3", "4/3", "1/0", "a/3", "13"] {
        let out = dyad()
            .args(["ingest", "x.jsonl", "--shard", bad])
            .output()
            .expect("run");
        assert!(!out.status.success(), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--shard"),
            "{bad}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The services, or a reason they are missing. Under CI (`CI` set) missing services fail the
/// test: `.ci/run` always provides them.
fn services() -> Option<(PathBuf, String)> {
    let nats = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("nats-server"))
            .find(|p| p.is_file())
    });
    let pg = std::env::var("DYAD_TEST_POSTGRES").ok();
    match (nats, pg) {
        (Some(n), Some(p)) => Some((n, p)),
        (n, p) => {
            let why = format!(
                "needs nats-server on the PATH ({}) and DYAD_TEST_POSTGRES ({})",
                if n.is_some() { "found" } else { "missing" },
                if p.is_some() { "set" } else { "unset" }
            );
            assert!(std::env::var_os("CI").is_none(), "{why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

struct Nats {
    bin: PathBuf,
    port: u16,
    store: PathBuf,
    child: Option<Child>,
}

impl Nats {
    fn start(bin: &Path, dir: &Path) -> Nats {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut n = Nats {
            bin: bin.to_path_buf(),
            port,
            store: dir.join("jetstream"),
            child: None,
        };
        n.spawn();
        n
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        let child = Command::new(&self.bin)
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(&self.store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nats-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SIGTERM: the server shuts down cleanly, as in a rolling restart.
            let _ = Command::new("kill").arg(c.id().to_string()).status();
            let _ = c.wait();
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A fresh database on the test server, dropped at the end.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl PgDb {
    fn create(admin: &str) -> PgDb {
        let name = format!(
            "dyad_scale_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis())
        );
        let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("connect");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create db");
        let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
        PgDb {
            admin: admin.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn articles_stored(url: &str) -> u64 {
    StoreLocation::Postgres(url.to_string())
        .open_existing()
        .and_then(|s| s.stats())
        .map_or(0, |s| s.articles)
}

fn worker(nats: &str, db: &str, log: &Path) -> Child {
    dyad()
        .args([
            "worker",
            "--nats",
            nats,
            "--db",
            db,
            "--batch",
            "16",
            "--threads",
            "1",
        ])
        .args(["--ack-wait", "3", "--exit-when-idle", "10"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log"))
        .spawn()
        .expect("start worker")
}

#[test]
fn workers_survive_a_kill_and_a_nats_restart_and_store_every_article_once() {
    let Some((nats_bin, pg_admin)) = services() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let (input, n) = articles(dir.path(), 101);
    assert!(n >= 1000, "{n} articles");
    let input = input.display().to_string();
    let mut nats = Nats::start(&nats_bin, dir.path());
    let url = nats.url();
    let db = PgDb::create(&pg_admin);

    let out = run_ok(dyad().args([
        "submit",
        &input,
        "--json",
        "--ack-wait",
        "3",
        "--nats",
        &url,
    ]));
    let s: serde_json::Value = serde_json::from_str(&out).expect("summary");
    assert_eq!(s["published"].as_u64(), Some(n as u64), "{s}");
    // Submitting again inside the duplicate window enqueues nothing.
    let out = run_ok(dyad().args(["submit", &input, "--json", "--nats", &url]));
    let s: serde_json::Value = serde_json::from_str(&out).expect("summary");
    assert_eq!(
        (s["published"].as_u64(), s["duplicates"].as_u64()),
        (Some(0), Some(n as u64))
    );

    let logs: Vec<PathBuf> = (1..=3)
        .map(|i| dir.path().join(format!("worker{i}.log")))
        .collect();
    let mut workers: Vec<Child> = logs.iter().map(|l| worker(&url, &db.url, l)).collect();
    let wait_for = |count: u64, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(180);
        while articles_stored(&db.url) < count {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; worker logs:\n{}",
                logs.iter()
                    .map(|l| std::fs::read_to_string(l).unwrap_or_default())
                    .collect::<String>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for(n as u64 / 5, "the first fifth");
    // SIGKILL in the middle of the batch stream: its unacknowledged batch must come back.
    workers[0].kill().expect("kill");
    let _ = workers[0].wait();
    wait_for(n as u64 / 2, "half");
    nats.restart();
    for (w, log) in workers.iter_mut().zip(&logs).skip(1) {
        let status = w.wait().expect("wait");
        assert!(
            status.success(),
            "a worker failed: {status}\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }
    assert_eq!(articles_stored(&db.url), n as u64);
    let status = run_ok(dyad().args(["status", "--json", "--nats", &url]));
    let st: serde_json::Value = serde_json::from_str(&status).expect("status");
    assert_eq!(st["messages"].as_u64(), Some(0), "{st}");

    let embedded = dir.path().join("embedded.db");
    run_ok(
        dyad()
            .args(["ingest", &input, "--quiet", "--db"])
            .arg(&embedded),
    );
    assert_same(
        &fingerprint(&StoreLocation::Sqlite(embedded)),
        &fingerprint(&StoreLocation::Postgres(db.url.clone())),
        "workers vs ingest",
    );
    // The survivors saw the restart and carried on.
    let text: String = logs[1..]
        .iter()
        .map(|l| std::fs::read_to_string(l).unwrap_or_default())
        .collect();
    assert!(text.contains("worker stopped"), "{text}");

    // SIGTERM: a worker finishes, acknowledges and exits 0.
    let mut w = worker(&url, &db.url, &dir.path().join("worker4.log"));
    std::thread::sleep(Duration::from_millis(1500));
    let _ = Command::new("kill").arg(w.id().to_string()).status();
    let status = w.wait().expect("wait");
    assert!(status.success(), "SIGTERM exit: {status}");
}

#[test]
fn a_worker_reports_to_status_and_serves_metrics() {
    let Ok(nats) = std::env::var("DYAD_TEST_NATS") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "DYAD_TEST_NATS is unset (.ci/run starts nats-server and sets it)"
        );
        eprintln!("skipped: needs DYAD_TEST_NATS");
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let (input, n) = articles(dir.path(), 2);
    let input = input.display().to_string();
    // A queue of its own on the shared server.
    let tag = format!(
        "t{}x{}",
        std::process::id(),
        dir.path().display().to_string().len()
    );
    let names = [
        "--nats".to_string(),
        nats.clone(),
        "--stream".into(),
        format!("DYAD_TEST_{tag}"),
        "--subject".into(),
        format!("dyad.test.{tag}"),
        "--consumer".into(),
        format!("w-{tag}"),
    ];
    run_ok(dyad().arg("submit").arg(&input).args(&names));
    let st: serde_json::Value =
        serde_json::from_str(&run_ok(dyad().args(["status", "--json"]).args(&names)))
            .expect("json");
    assert_eq!(st["messages"].as_u64(), Some(n as u64), "{st}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let db = dir.path().join("one.db");
    let mut w = dyad()
        .args(["worker", "--id", &format!("probe-{tag}"), "--metrics-addr"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--db")
        .arg(&db)
        .args(&names)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("worker");
    let metrics = |port: u16| -> String {
        let mut s = match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => s,
            Err(_) => return String::new(),
        };
        let _ = s.write_all(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n");
        let mut out = String::new();
        let _ = std::io::Read::read_to_string(&mut s, &mut out);
        out
    };
    let want = format!("dyad_worker_articles_stored_total {n}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = String::new();
    while !seen.contains(&want) {
        assert!(
            Instant::now() < deadline,
            "metrics never showed {want}:\n{seen}"
        );
        std::thread::sleep(Duration::from_millis(100));
        seen = metrics(port);
    }
    assert!(seen.contains("dyad_worker_batch_seconds_count"));
    let st: serde_json::Value =
        serde_json::from_str(&run_ok(dyad().args(["status", "--json"]).args(&names)))
            .expect("json");
    assert_eq!(st["messages"].as_u64(), Some(0), "{st}");
    assert!(
        st["workers"]
            .as_array()
            .is_some_and(|w| w.iter().any(|w| w["id"] == format!("probe-{tag}"))),
        "{st}"
    );
    let _ = Command::new("kill").arg(w.id().to_string()).status();
    assert!(w.wait().expect("wait").success());
    let stats = StoreLocation::Sqlite(db)
        .open_existing()
        .expect("db")
        .stats()
        .expect("stats");
    assert_eq!(stats.articles, n as u64);
}
