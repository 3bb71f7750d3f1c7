//! End-to-end tests of the `dyad` binary: real processes, real files, bad input of every kind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn run(args: &[&str]) -> Output {
    dyad().args(args).output().expect("dyad runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn no_panic(o: &Output) {
    let e = stderr(o);
    assert!(!e.contains("panicked"), "panic: {e}");
}

#[test]
fn readme_example_codes_events() {
    let example = repo().join("examples/black-sea-grain-2023-07-18.txt");
    let o = run(&[
        "code",
        example.to_str().expect("utf-8 path"),
        "--date",
        "2023-07-18",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json array");
    let events = v[0]["events"].as_array().expect("events");
    assert!(events.len() >= 5, "too few events: {}", events.len());
    assert!(
        events
            .iter()
            .any(|e| e["cameo"].as_str().is_some_and(|c| c.starts_with("12"))
                && e["source"]["country"] == "RUS"),
        "Russia's refusal not coded"
    );
    for e in events {
        // Every event explains itself: evidence inside the text and the rule that fired.
        assert!(e["evidence"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(e["rule"]["file"]
            .as_str()
            .is_some_and(|f| f.starts_with("verbs/")));
    }
}

#[test]
fn tsv_and_jsonl_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "a.jsonl", b"{\"id\":\"one\",\"date\":\"2020-10-01\",\"text\":\"Russia and France condemned the attack on Armenia.\"}\n\n{\"id\":\"two\",\"title\":\"Talks\",\"body\":\"Turkey hosted talks with Iran on Monday.\"}\n");
    let o = run(&["code", f.to_str().expect("path"), "--format", "jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "one");
    assert_eq!(lines[1]["id"], "two");
    let o = run(&["code", f.to_str().expect("path"), "--format", "tsv"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("id\tdate\tsource_code"));
}

#[test]
fn stdin_input() {
    let mut child = dyad()
        .args(["code", "--date", "2021-03-04", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"Israel attacked Hamas positions in Gaza on Tuesday.")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["id"], "stdin");
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "bad.txt", b"Russia said\nhello \xff\xfe world");
    let o = run(&["code", f.to_str().expect("path")]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("bad.txt")
            && e.contains("not valid UTF-8")
            && e.contains("byte 18")
            && e.contains("line 2"),
        "{e}"
    );
}

#[test]
fn binary_input_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "blob.bin",
        &[0x7f, b'E', b'L', b'F', 0, 1, 2, 3, 0xff],
    );
    let o = run(&["code", f.to_str().expect("path")]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("looks binary"), "{}", stderr(&o));
}

#[test]
fn empty_file_gives_an_empty_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "empty.txt", b"");
    let o = run(&["code", f.to_str().expect("path"), "--format", "jsonl"]);
    no_panic(&o);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["events"].as_array().map(Vec::len), Some(0));
    assert!(stderr(&o).contains("empty article"));
}

#[test]
fn huge_single_line_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("huge.txt");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("create"));
        let chunk = "Russia attacked Ukraine and ".repeat(1000);
        let mut written = 0;
        while written < 100 * 1024 * 1024 {
            f.write_all(chunk.as_bytes()).expect("write");
            written += chunk.len();
        }
    }
    let o = run(&["code", p.to_str().expect("path")]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("huge.txt") && e.contains("larger than the limit"),
        "{e}"
    );

    // The same as one JSON Lines record: the line is skipped, the next record still coded.
    let j = dir.path().join("huge.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&j).expect("create"));
        f.write_all(b"{\"id\":\"big\",\"text\":\"").expect("write");
        let chunk = "word ".repeat(10_000);
        for _ in 0..(100 * 1024 * 1024 / chunk.len()) {
            f.write_all(chunk.as_bytes()).expect("write");
        }
        f.write_all(b"\"}\n{\"id\":\"small\",\"text\":\"Iran condemned Israel.\"}\n")
            .expect("write");
    }
    let o = run(&["code", j.to_str().expect("path"), "--format", "jsonl"]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("huge.jsonl: line 1: longer than"),
        "{}",
        stderr(&o)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("\"id\":\"small\""),
        "the rest of the batch must still be coded"
    );
}

#[test]
fn long_line_under_a_raised_limit_is_coded_linearly() {
    // 8 MB with no sentence break: cut into bounded sentences, coded without blowing up.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Russia attacked Ukraine and France condemned Russia while ".repeat(140_000);
    let f = write(dir.path(), "long.txt", text.as_bytes());
    let o = run(&[
        "code",
        f.to_str().expect("path"),
        "--format",
        "tsv",
        "--max-article-bytes",
        "20000000",
    ]);
    no_panic(&o);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn broken_jsonl_lines_are_reported_and_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "mixed.jsonl", b"{\"id\":\"a\",\"text\":\"Iran threatened Israel.\"}\n{\"id\": broken\n{\"id\":\"c\",\"date\":\"yesterday\",\"text\":\"x\"}\n\xff\xfe\n{\"id\":\"d\",\"text\":\"Chad expelled French troops.\"}\n");
    let o = run(&["code", f.to_str().expect("path"), "--format", "jsonl"]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("mixed.jsonl: line 2:"), "{e}");
    assert!(
        e.contains("line 3: `yesterday` is not a YYYY-MM-DD date"),
        "{e}"
    );
    assert!(e.contains("line 4") && e.contains("UTF-8"), "{e}");
    let ids: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(ids, vec!["a", "d"]);
}

#[test]
fn missing_file_and_bad_date() {
    let o = run(&["code", "/nonexistent/file.txt"]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/file.txt"));
    let o = run(&["code", "--date", "01/10/2020", "/dev/null"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--date 01/10/2020"));
}

#[test]
fn dict_command_reports_counts() {
    let o = run(&["dict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("countries") && out.contains("load:"), "{out}");
}

#[test]
fn user_dictionary_folder_with_an_error_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("verbs")).expect("mkdir");
    write(
        dir.path(),
        "verbs/01_x.toml",
        b"[[verb]]\nlemma = 'say'\ncode = 5\n",
    );
    let o = run(&[
        "code",
        "--dict",
        dir.path().to_str().expect("path"),
        "/dev/null",
    ]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("verbs/01_x.toml: line 3"),
        "{}",
        stderr(&o)
    );
}

/// `dyad eval` and the reference scorer (`../shared/tools/score.py`) agree on the same output,
/// for every gold file. Skipped when `../shared` or python3 is absent.
#[test]
fn eval_agrees_with_reference_scorer() {
    let shared = repo().join("../shared");
    let scorer = shared.join("tools/score.py");
    if !scorer.exists() || Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: ../shared/tools/score.py or python3 not available");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for gold in [
        "seed_article.gold.jsonl",
        "plover_gsr.dev.jsonl",
        "petr2_gsr.jsonl",
    ] {
        let g = shared.join("gold").join(gold);
        let pred = dir.path().join(format!("{gold}.pred"));
        let o = run(&[
            "eval",
            g.to_str().expect("path"),
            "--write-pred",
            pred.to_str().expect("path"),
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let ours: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json line");
        let py = Command::new("python3")
            .arg(&scorer)
            .arg(&g)
            .arg(&pred)
            .output()
            .expect("python3 runs");
        assert!(
            py.status.success(),
            "score.py: {}",
            String::from_utf8_lossy(&py.stderr)
        );
        let theirs: serde_json::Value =
            serde_json::from_slice(&py.stdout).expect("score.py prints JSON");
        for key in ["records", "missing_records", "L1", "L2", "L3", "quotes"] {
            assert_eq!(ours["scores"][key], theirs[key], "{gold}: {key} differs");
        }
    }
}

/// Coding JSON Lines on several threads gives the same output, in the same order, as one.
#[test]
fn threads_do_not_change_the_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::new();
    for i in 0..600 {
        text.push_str(&format!(
            "{{\"id\":\"a{i}\",\"date\":\"2020-10-0{}\",\"text\":\"Russia and France urged Armenia to show restraint on Tuesday. Turkey denounced Greece. \\u201cWe will not negotiate,\\u201d Iran said.\"}}\n",
            1 + i % 9
        ));
    }
    let f = write(dir.path(), "many.jsonl", text.as_bytes());
    let one = run(&[
        "code",
        f.to_str().expect("path"),
        "--format",
        "jsonl",
        "--threads",
        "1",
    ]);
    let two = run(&[
        "code",
        f.to_str().expect("path"),
        "--format",
        "jsonl",
        "--threads",
        "2",
    ]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(String::from_utf8_lossy(&one.stdout).lines().count(), 600);
}
