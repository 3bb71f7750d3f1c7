//! PgStore against a live PostgreSQL: the same answers as SqliteStore on the sample corpus,
//! the scenarios of dyad-store's own tests, concurrent writers, a killed writer.
//!
//! The server is `DYAD_TEST_POSTGRES` (e.g. `postgres://postgres@127.0.0.1:55432/postgres`);
//! every test creates a database of its own and drops it at the end. Without the variable the
//! tests say they were skipped, except under CI (`CI` set), where they fail.

use chrono::NaiveDate;
use dyad_pgstore::{event_lock_key, is_postgres_url, PgStore};
use dyad_store::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Test databases

/// A fresh database on the test server, dropped when this goes out of scope.
struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    /// A new database, or `None` (test skipped) when no server is configured outside CI.
    fn create(test: &str) -> Option<TestDb> {
        let admin = match std::env::var("DYAD_TEST_POSTGRES") {
            Ok(u) if !u.trim().is_empty() => u,
            _ => {
                if std::env::var_os("CI").is_some() {
                    panic!("DYAD_TEST_POSTGRES is not set: CI must provide a PostgreSQL server");
                }
                eprintln!("{test}: skipped (set DYAD_TEST_POSTGRES to a PostgreSQL URL to run it)");
                return None;
            }
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "dyad_t_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            nanos
        );
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("test server");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = with_database(&admin, &name);
        Some(TestDb { admin, name, url })
    }

    fn store(&self, window: u32) -> PgStore {
        PgStore::connect(
            &self.url,
            StoreOptions {
                dedup_window_days: window,
            },
        )
        .expect("connect")
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The server URL with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &url[scheme_end..];
    let (path_start, query) = match rest.find('?') {
        Some(q) => (rest[..q].find('/'), &rest[q..]),
        None => (rest.find('/'), ""),
    };
    let authority = match path_start {
        Some(p) => &rest[..p],
        None => rest.split('?').next().unwrap_or(rest),
    };
    format!("{}{authority}/{name}{query}", &url[..scheme_end])
}

// ---------------------------------------------------------------------------------------------
// Articles

#[path = "../../dyad-store/tests/support/articles.rs"]
mod articles;
use articles::{article, coder, date, undated};
#[path = "../../dyad-store/tests/support/textqueries.rs"]
mod textqueries;

/// The sample corpus, read as `dyad ingest examples/corpus` reads it, and coded.
fn corpus() -> &'static [NewArticle] {
    static C: OnceLock<Vec<NewArticle>> = OnceLock::new();
    C.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let mut files: Vec<PathBuf> = Vec::new();
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).expect("corpus dir") {
                let p = entry.expect("entry").path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|e| e != "md") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let bytes = std::fs::read(&f).expect("read corpus file");
            let name = f.display().to_string();
            for a in dyad_formats::articles(&bytes[..], &name, dyad_formats::Limits::default()) {
                let a = a.expect("corpus article");
                out.push(NewArticle {
                    key: a.key,
                    content_hash: content_hash(&a.article.text),
                    origin: a.origin,
                    text: a.article.text.clone(),
                    lang: a.article.lang.clone(),
                    coded: coder().code_for_store(&a.article),
                });
            }
        }
        assert!(out.len() >= 29, "{} corpus articles", out.len());
        out
    })
}

/// The corpus plus an undated article, an in-batch repeat and a stored repeat.
fn corpus_batches() -> Vec<Vec<NewArticle>> {
    let mut all: Vec<NewArticle> = corpus().to_vec();
    all.push(undated(
        "u1",
        "Armenia accused Azerbaijan of shelling villages. Azerbaijan denied it.",
    ));
    all.push(undated(
        "u2",
        "Russia warned Ukraine. The European Union imposed sanctions on Russia.",
    ));
    let mut batches: Vec<Vec<NewArticle>> = all.chunks(7).map(<[NewArticle]>::to_vec).collect();
    // The same article twice in one batch, and again in a later batch.
    let again = batches[0][0].clone();
    batches[1].push(again.clone());
    batches[1].push(again);
    batches
}

const SANCTION: &str = "The European Union imposed new sanctions on Russia on Friday.";

// ---------------------------------------------------------------------------------------------
// Comparing the two stores

fn norm(mut e: StoredEvent) -> StoredEvent {
    // When the event was stored: each store's own clock.
    e.added_at = String::new();
    e
}

fn queries() -> Vec<EventQuery> {
    let q = EventQuery::default;
    let d = |s: &str| Some(date(s));
    let mut out = vec![
        q(),
        EventQuery {
            limit: Some(5),
            ..q()
        },
        EventQuery {
            limit: Some(4),
            offset: 3,
            ..q()
        },
        EventQuery { offset: 10, ..q() },
        EventQuery {
            actor: Some("RUS".into()),
            ..q()
        },
        EventQuery {
            actor: Some("ARM".into()),
            from: d("2020-10-01"),
            to: d("2020-10-31"),
            ..q()
        },
        EventQuery {
            actor: Some("Putin".into()),
            ..q()
        },
        EventQuery {
            actor: Some("blinken".into()),
            ..q()
        },
        EventQuery {
            source: Some("ARM".into()),
            target: Some("AZE".into()),
            ..q()
        },
        EventQuery {
            source: Some("ARM".into()),
            target: Some("AZE".into()),
            either_direction: true,
            ..q()
        },
        EventQuery {
            source: Some("ARM".into()),
            target: Some("AZE".into()),
            from: d("2020-10-01"),
            to: d("2020-10-31"),
            ..q()
        },
        EventQuery {
            source: Some("SDN".into()),
            ..q()
        },
        EventQuery {
            target: Some("UKR".into()),
            limit: Some(3),
            offset: 1,
            ..q()
        },
        EventQuery {
            source: Some("RUS".into()),
            cameo: Some("19".into()),
            ..q()
        },
        EventQuery {
            country: Some("sdn".into()),
            ..q()
        },
        EventQuery {
            sector: Some("MIL".into()),
            ..q()
        },
        EventQuery {
            cameo: Some("0256".into()),
            ..q()
        },
        EventQuery {
            cameo: Some("05".into()),
            ..q()
        },
        EventQuery {
            from: d("2022-01-01"),
            ..q()
        },
        EventQuery {
            to: d("2021-01-01"),
            ..q()
        },
        EventQuery {
            from: d("2020-09-15"),
            to: d("2020-10-10"),
            ..q()
        },
        EventQuery {
            place: Some("Khartoum".into()),
            ..q()
        },
        EventQuery {
            place: Some("SDN".into()),
            ..q()
        },
        EventQuery {
            place: Some("khartoum".into()),
            ..q()
        },
        EventQuery {
            factual_only: true,
            ..q()
        },
        EventQuery {
            actor: Some("AZE".into()),
            factual_only: true,
            from: d("2020-09-01"),
            ..q()
        },
    ];
    for word in [
        "ceasefire",
        "sanctions",
        "truce",
        "Khartoum",
        "signed",
        "shelling",
        "\"grain deal\"",
        "Armenia Azerbaijan",
    ] {
        out.push(EventQuery {
            text: Some(word.into()),
            ..q()
        });
    }
    out.push(EventQuery {
        text: Some("ceasefire".into()),
        source: Some("SDN".into()),
        ..q()
    });
    for qc in 1..=4 {
        out.push(EventQuery {
            quad_class: Some(qc),
            ..q()
        });
    }
    out
}

/// Asserts that both stores answer every method alike; returns the queries tried and those
/// that matched no event.
fn assert_same_answers(s: &SqliteStore, p: &PgStore) -> (usize, Vec<EventQuery>) {
    assert_eq!(s.stats().expect("stats"), p.stats().expect("stats"));
    let mut plovers: Vec<String> = s
        .query(&EventQuery::default())
        .expect("all")
        .into_iter()
        .filter_map(|e| e.plover)
        .collect();
    plovers.sort();
    plovers.dedup();
    let mut qs = queries();
    for pl in plovers {
        qs.push(EventQuery {
            plover: Some(pl.to_lowercase()),
            ..Default::default()
        });
    }
    let mut empty = Vec::new();
    for q in &qs {
        let a: Vec<StoredEvent> = s
            .query(q)
            .expect("sqlite query")
            .into_iter()
            .map(norm)
            .collect();
        if a.is_empty() {
            empty.push(q.clone());
        }
        let b: Vec<StoredEvent> = p
            .query(q)
            .expect("pg query")
            .into_iter()
            .map(norm)
            .collect();
        assert_eq!(a, b, "query {q:?}");
        assert_eq!(
            s.count(q).expect("count"),
            p.count(q).expect("count"),
            "count {q:?}"
        );
        let mut a = Vec::new();
        s.for_each_event(q, &mut |e| {
            a.push(norm(e));
            Ok(())
        })
        .expect("for_each");
        let mut b = Vec::new();
        p.for_each_event(q, &mut |e| {
            b.push(norm(e));
            Ok(())
        })
        .expect("for_each");
        assert_eq!(a, b, "for_each_event {q:?}");
        for bucket in [Bucket::Day, Bucket::Week, Bucket::Month] {
            assert_eq!(
                s.series(q, bucket).expect("series"),
                p.series(q, bucket).expect("series"),
                "series {bucket:?} {q:?}"
            );
        }
        for limit in [3, 50] {
            assert_eq!(
                s.top_actors(q, limit).expect("actors"),
                p.top_actors(q, limit).expect("actors"),
                "top actors {limit} {q:?}"
            );
            assert_eq!(
                s.top_dyads(q, limit).expect("dyads"),
                p.top_dyads(q, limit).expect("dyads"),
                "top dyads {limit} {q:?}"
            );
            assert_eq!(
                s.top_places(q, limit).expect("places"),
                p.top_places(q, limit).expect("places"),
                "top places {limit} {q:?}"
            );
        }
    }
    // Every event, its mentions, every article.
    let all = s.query(&EventQuery::default()).expect("all");
    assert!(!all.is_empty());
    for e in &all {
        assert_eq!(
            s.event(e.event_id).expect("event").map(norm),
            p.event(e.event_id).expect("event").map(norm)
        );
        assert_eq!(
            s.mentions(e.event_id).expect("mentions"),
            p.mentions(e.event_id).expect("mentions"),
            "mentions of {}",
            e.event_id
        );
    }
    assert_eq!(p.event(1 << 40).expect("event"), None);
    let n = s.stats().expect("stats").articles as i64;
    for id in 1..=n + 1 {
        assert_eq!(
            s.article(id).expect("article"),
            p.article(id).expect("article"),
            "article {id}"
        );
    }
    // Rejected queries are rejected by both.
    for bad in [
        EventQuery {
            cameo: Some("abc".into()),
            ..Default::default()
        },
        EventQuery {
            quad_class: Some(7),
            ..Default::default()
        },
        EventQuery {
            from: Some(date("2021-01-02")),
            to: Some(date("2021-01-01")),
            ..Default::default()
        },
        EventQuery {
            text: Some("!!!".into()),
            ..Default::default()
        },
    ] {
        let refused = |r: Result<(), StoreError>| {
            matches!(r, Err(StoreError::BadQuery(_) | StoreError::Text(_)))
        };
        assert!(refused(s.count(&bad).map(|_| ())), "sqlite {bad:?}");
        assert!(refused(p.count(&bad).map(|_| ())), "pg {bad:?}");
        assert!(refused(p.query(&bad).map(|_| ())), "pg {bad:?}");
    }
    (qs.len(), empty)
}

#[test]
fn the_corpus_gives_the_same_answers_as_sqlite() {
    let Some(db) = TestDb::create("the_corpus_gives_the_same_answers_as_sqlite") else {
        return;
    };
    for window in [0, 2] {
        // A fresh schema per window: the window is fixed when a store is created.
        if window > 0 {
            let mut c = db.client();
            c.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                .expect("reset");
        }
        let mut s = SqliteStore::in_memory(StoreOptions {
            dedup_window_days: window,
        })
        .expect("sqlite");
        let mut p = db.store(window);
        for batch in corpus_batches() {
            let a = s.insert_batch(&batch).expect("sqlite insert");
            let b = p.insert_batch(&batch).expect("pg insert");
            assert_eq!(a, b, "outcomes");
        }
        assert_eq!(p.check_rollups().expect("check"), None);
        assert_eq!(s.check_rollups().expect("check"), None);
        let (tried, empty) = assert_same_answers(&s, &p);
        // The comparison means something only if the queries find events.
        assert!(empty.len() * 10 < tried, "{empty:#?}");
        // Storing everything again changes nothing.
        for batch in corpus_batches() {
            let a = s.insert_batch(&batch).expect("sqlite insert");
            let b = p.insert_batch(&batch).expect("pg insert");
            assert_eq!(a, b);
            assert!(b
                .iter()
                .all(|o| matches!(o, InsertOutcome::Duplicate { .. })));
        }
        assert_same_answers(&s, &p);
        for a in corpus() {
            if a.key.is_some() {
                assert!(p.contains(a.key.as_deref(), "nope").expect("contains"));
            }
            assert!(p.contains(None, &a.content_hash).expect("contains"));
            assert_eq!(
                p.contains(a.key.as_deref(), "nope").expect("contains"),
                s.contains(a.key.as_deref(), "nope").expect("contains")
            );
        }
        assert!(!p.contains(Some("nope"), "nope").expect("contains"));
    }
}

/// The event ids a query finds, or the error's kind.
fn text_answer(st: &dyn EventStore, text: &str) -> Result<Vec<i64>, String> {
    let q = EventQuery {
        text: Some(text.into()),
        ..Default::default()
    };
    match st.query(&q) {
        Ok(evs) => {
            let n = st.count(&q).map_err(|e| format!("count: {e}"))?;
            assert_eq!(n as usize, evs.len(), "{text:?}");
            Ok(evs.into_iter().map(|e| e.event_id).collect())
        }
        Err(StoreError::Text(e)) => Err(format!("text: {e}")),
        Err(e) => panic!("{text:?}: not a typed error: {e}"),
    }
}

#[test]
fn full_text_queries_find_the_same_events_as_sqlite_and_never_fail() {
    let Some(db) = TestDb::create("full_text_queries_find_the_same_events_as_sqlite") else {
        return;
    };
    let mut s = SqliteStore::in_memory(StoreOptions::default()).expect("sqlite");
    let mut p = db.store(0);
    let mut all = textqueries::articles();
    all.extend(corpus().iter().cloned());
    for batch in all.chunks(9) {
        assert_eq!(
            s.insert_batch(batch).expect("sqlite insert"),
            p.insert_batch(batch).expect("pg insert")
        );
    }
    let mut found = 0;
    for t in textqueries::COMPARED {
        let a = text_answer(&s, t).expect("sqlite answers");
        let b = text_answer(&p, t).expect("pg answers");
        assert_eq!(a, b, "{t:?}");
        found += usize::from(!a.is_empty());
    }
    assert!(found * 4 > textqueries::COMPARED.len() * 3, "{found} found");
    for t in textqueries::hostile() {
        assert_eq!(text_answer(&s, &t), text_answer(&p, &t), "{t:?}");
    }
}

#[test]
fn migration_2_rebuilds_the_full_text_index() {
    let Some(db) = TestDb::create("migration_2_rebuilds_the_full_text_index") else {
        return;
    };
    let mut s = SqliteStore::in_memory(StoreOptions::default()).expect("sqlite");
    let mut p = db.store(0);
    let batch = textqueries::articles();
    s.insert_batch(&batch).expect("sqlite insert");
    p.insert_batch(&batch).expect("pg insert");
    drop(p);
    // As version 1 wrote it: `to_tsvector('simple', …)` of the sentence text.
    let mut c = db.client();
    c.batch_execute(
        "UPDATE sentences s SET tsv = to_tsvector('simple', 'Zürich al-Bashir')
         FROM articles a WHERE a.id = s.article_id;
         UPDATE meta SET value = '1' WHERE key = 'schema_version';",
    )
    .expect("downgrade");
    let p = db.store(0);
    for t in textqueries::COMPARED {
        assert_eq!(text_answer(&s, t), text_answer(&p, t), "{t:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// dyad-store's scenarios

#[test]
fn same_event_in_two_sentences_is_one_event_with_two_mentions() {
    let Some(db) = TestDb::create("same_event_in_two_sentences_is_one_event_with_two_mentions")
    else {
        return;
    };
    let mut s = db.store(0);
    let text = "The European Union imposed new sanctions on Russia on Friday.\n\nBrussels said the European Union imposed the sanctions on Russia because of the war.";
    let out = s
        .insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", text)])
        .expect("insert");
    assert!(matches!(out[0], InsertOutcome::Inserted { .. }));
    let ev = s
        .query(&EventQuery {
            source: Some("IGOEU".into()),
            target: Some("RUS".into()),
            ..Default::default()
        })
        .expect("query");
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(
        (ev[0].num_mentions, ev[0].num_articles, ev[0].num_sources),
        (2, 1, 1)
    );
    assert_eq!(s.mentions(ev[0].event_id).expect("mentions").len(), 2);
    let art = s.article(1).expect("article").expect("stored");
    assert_eq!(art.text, text);
    assert_eq!(art.sentences.len(), 2);
    let [start, end, _] = art.sentences[1];
    assert!(text[start..end].starts_with("Brussels said"));
    assert_eq!(
        art.events
            .iter()
            .filter(|m| m.event_id == ev[0].event_id)
            .count(),
        2
    );
    assert_eq!(s.article(99).expect("article"), None);
    assert_eq!(s.check_rollups().expect("check"), None);
    // The check notices a rollup that drifted from the events, in every rollup table.
    let mut c = db.client();
    for table in [
        "dyad_day",
        "day_totals",
        "dyad_totals",
        "actor_day",
        "actor_month",
    ] {
        c.batch_execute(&format!("UPDATE {table} SET mentions = mentions + 1"))
            .expect("drift");
        let found = s.check_rollups().expect("check");
        assert!(found.is_some(), "{table}");
        c.batch_execute(&format!("UPDATE {table} SET mentions = mentions - 1"))
            .expect("undo");
    }
    assert_eq!(s.check_rollups().expect("check"), None);
}

#[test]
fn outlets_reporting_the_same_event_make_one_event_with_counts() {
    let Some(db) = TestDb::create("outlets_reporting_the_same_event_make_one_event_with_counts")
    else {
        return;
    };
    let mut s = db.store(0);
    s.insert_batch(&[
        article("a1", "Meridian Wire", "2022-07-22", SANCTION),
        article("a2", "Caspian Herald", "2022-07-22", "The European Union imposed fresh sanctions on Russia on Friday, diplomats in Brussels said."),
    ])
    .expect("insert");
    s.insert_batch(&[article(
        "a3",
        "Meridian Wire",
        "2022-07-22",
        "The European Union on Friday imposed new sanctions on Russia.",
    )])
    .expect("insert");
    let ev = s
        .query(&EventQuery {
            source: Some("IGOEU".into()),
            cameo: Some("163".into()),
            ..Default::default()
        })
        .expect("query");
    assert_eq!(ev.len(), 1, "{ev:#?}");
    let e = &ev[0];
    assert_eq!((e.num_mentions, e.num_articles, e.num_sources), (3, 3, 2));
    assert_eq!(e.date, Some(date("2022-07-22")));
    assert_eq!(s.mentions(e.event_id).expect("m").len(), 3);
    assert_eq!(s.check_rollups().expect("check"), None);
    let series = s
        .series(
            &EventQuery {
                source: Some("IGOEU".into()),
                target: Some("RUS".into()),
                ..Default::default()
            },
            Bucket::Day,
        )
        .expect("series");
    assert_eq!(series.len(), 1);
    assert_eq!((series[0].events, series[0].mentions), (1, 3));
}

#[test]
fn the_window_decides_whether_neighbouring_days_merge() {
    for (window, expected) in [(0, 2), (1, 1)] {
        let Some(db) = TestDb::create("the_window_decides_whether_neighbouring_days_merge") else {
            return;
        };
        let mut s = db.store(window);
        s.insert_batch(&[
            article("a1", "Meridian Wire", "2022-07-22", SANCTION),
            article(
                "a2",
                "Caspian Herald",
                "2022-07-23",
                "The European Union imposed new sanctions on Russia on Saturday.",
            ),
        ])
        .expect("insert");
        let ev = s
            .query(&EventQuery {
                source: Some("IGOEU".into()),
                cameo: Some("163".into()),
                ..Default::default()
            })
            .expect("query");
        assert_eq!(ev.len(), expected, "window {window}: {ev:#?}");
        assert_eq!(s.options().dedup_window_days, window);
        assert_eq!(s.check_rollups().expect("check"), None);
        // The same in two batches: the second finds the first's event in the database.
        let Some(db2) = TestDb::create("the_window_decides_whether_neighbouring_days_merge") else {
            return;
        };
        let mut s = db2.store(window);
        s.insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", SANCTION)])
            .expect("insert");
        s.insert_batch(&[article(
            "a2",
            "Caspian Herald",
            "2022-07-23",
            "The European Union imposed new sanctions on Russia on Saturday.",
        )])
        .expect("insert");
        let n = s
            .count(&EventQuery {
                source: Some("IGOEU".into()),
                cameo: Some("163".into()),
                ..Default::default()
            })
            .expect("count");
        assert_eq!(n, expected as u64, "window {window}, two batches");
        assert_eq!(s.check_rollups().expect("check"), None);
    }
}

#[test]
fn reinserting_by_key_or_text_adds_nothing() {
    let Some(db) = TestDb::create("reinserting_by_key_or_text_adds_nothing") else {
        return;
    };
    let mut s = db.store(0);
    s.insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", SANCTION)])
        .expect("insert");
    let before = s.stats().expect("stats");
    let out = s
        .insert_batch(&[
            article(
                "a1",
                "Meridian Wire",
                "2022-07-22",
                "Entirely different words about Sudan.",
            ),
            article(
                "b9",
                "Other",
                "2022-07-22",
                "the european union  imposed new sanctions\non Russia on Friday.",
            ),
        ])
        .expect("insert");
    assert_eq!(
        out,
        vec![
            InsertOutcome::Duplicate { article_id: 1 },
            InsertOutcome::Duplicate { article_id: 1 }
        ]
    );
    assert_eq!(s.stats().expect("stats"), before);
    assert!(s.contains(Some("a1"), "x").expect("contains"));
    assert!(s.contains(None, &content_hash(SANCTION)).expect("contains"));
    assert!(!s.contains(Some("zz"), "x").expect("contains"));
}

#[test]
fn undated_events_count_in_all_time_answers_only() {
    let Some(db) = TestDb::create("undated_events_count_in_all_time_answers_only") else {
        return;
    };
    let mut s = db.store(0);
    let mut l = SqliteStore::in_memory(StoreOptions::default()).expect("sqlite");
    let batch = vec![
        article("k1", "Caspian Herald", "2020-10-01", "Russian President Vladimir Putin on Thursday urged Armenia and Azerbaijan to halt the fighting."),
        article("k3", "Meridian Wire", "2020-10-12", "Armenia accused Azerbaijan on Monday of violating the ceasefire."),
        undated("u1", "Armenia accused Azerbaijan of shelling villages."),
        undated("u2", "Armenia accused Azerbaijan of shelling villages again and again."),
    ];
    s.insert_batch(&batch).expect("insert");
    l.insert_batch(&batch).expect("insert");
    let arm_aze = EventQuery {
        source: Some("ARM".into()),
        target: Some("AZE".into()),
        ..Default::default()
    };
    let n = s.count(&arm_aze).expect("count");
    assert_eq!(n, s.query(&arm_aze).expect("query").len() as u64);
    // Undated events do not merge across articles.
    let undated_events = s
        .query(&arm_aze)
        .expect("query")
        .into_iter()
        .filter(|e| e.date.is_none())
        .count();
    assert_eq!(undated_events, 2);
    let october = EventQuery {
        from: Some(date("2020-10-01")),
        to: Some(date("2020-10-31")),
        ..arm_aze.clone()
    };
    assert_eq!(s.count(&october).expect("count"), n - 2);
    // Undated events sort first, as in SQLite.
    let all = s.query(&EventQuery::default()).expect("all");
    assert!(all[0].date.is_none());
    let fast = s.top_actors(&EventQuery::default(), 5).expect("top");
    let slow = s
        .top_actors(
            &EventQuery {
                factual_only: true,
                ..Default::default()
            },
            5,
        )
        .expect("top");
    assert_eq!(fast, slow);
    assert_eq!(
        s.top_dyads(&EventQuery::default(), 5).expect("dyads"),
        s.top_dyads(
            &EventQuery {
                factual_only: true,
                ..Default::default()
            },
            5
        )
        .expect("dyads")
    );
    assert_same_answers(&l, &s);
    assert_eq!(s.check_rollups().expect("check"), None);
}

#[test]
fn a_store_reconnects_with_its_schema_and_window() {
    let Some(db) = TestDb::create("a_store_reconnects_with_its_schema_and_window") else {
        return;
    };
    {
        let mut s = db.store(2);
        s.insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", SANCTION)])
            .expect("insert");
        s.set_feed_state("https://f.example/rss", Some("\"e1\""), None, None)
            .expect("feed");
        s.set_feed_state("https://f.example/rss", None, Some("Mon"), Some("timeout"))
            .expect("feed");
        assert_eq!(
            s.feed_state("https://f.example/rss").expect("feed"),
            Some((Some("\"e1\"".into()), Some("Mon".into())))
        );
        assert_eq!(s.feed_state("https://g.example/").expect("feed"), None);
    }
    let s = db.store(0);
    assert_eq!(s.options().dedup_window_days, 2);
    assert_eq!(s.stats().expect("stats").articles, 1);
    // Workers starting together: one migrates, the others find it done.
    let db_url = db.url.clone();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let u = db_url.clone();
            std::thread::spawn(move || PgStore::connect(&u, StoreOptions::default()).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().expect("thread").expect("connect");
    }
    // A store from a newer dyad is refused.
    let mut c = db.client();
    c.execute(
        "UPDATE meta SET value = '999' WHERE key = 'schema_version'",
        &[],
    )
    .expect("bump");
    assert!(matches!(
        PgStore::connect(&db.url, StoreOptions::default()),
        Err(StoreError::NewerSchema { found: 999, .. })
    ));
    // A server that is not there: a Backend error naming the operation, password hidden.
    let err = PgStore::connect(
        "postgres://u:secret@127.0.0.1:1/none",
        StoreOptions::default(),
    )
    .err()
    .expect("no server on port 1");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Backend { .. }), "{msg}");
    assert!(
        msg.contains("connecting to") && !msg.contains("secret"),
        "{msg}"
    );
    assert!(is_postgres_url(&db.url));
}

#[test]
fn a_fresh_migration_records_its_version() {
    let Some(db) = TestDb::create("a_fresh_migration_records_its_version") else {
        return;
    };
    let _s = db.store(3);
    let mut c = db.client();
    let v: String = c
        .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .expect("version")
        .get(0);
    assert_eq!(v, dyad_pgstore::schema::MIGRATIONS.len().to_string());
    let w: String = c
        .query_one(
            "SELECT value FROM meta WHERE key = 'dedup_window_days'",
            &[],
        )
        .expect("window")
        .get(0);
    assert_eq!(w, "3");
}

// ---------------------------------------------------------------------------------------------
// Concurrency

/// The corpus several times over under other keys and texts, some from other outlets: many
/// articles reporting the same events.
fn copies(n: usize) -> Vec<NewArticle> {
    let mut out = Vec::new();
    for k in 0..n {
        for a in corpus() {
            let mut a = a.clone();
            if k > 0 {
                a.key = Some(format!("{}#{k}", a.key.as_deref().unwrap_or(&a.origin)));
                a.content_hash = content_hash(&format!("{} copy {k}", a.text));
                if k % 2 == 1 {
                    a.coded.url = Some(format!("https://copy{}.example/{k}", k % 3));
                }
            }
            out.push(a);
        }
    }
    out
}

/// Each event as (source, target, cameo, flags, date) → (mentions, articles, sources).
type EventCounts = std::collections::BTreeMap<
    (String, String, String, bool, bool, Option<NaiveDate>),
    (u64, u64, u64),
>;

fn event_counts(s: &dyn EventStore) -> EventCounts {
    let mut out = EventCounts::new();
    s.for_each_event(&EventQuery::default(), &mut |e| {
        let key = (
            e.source.map(|a| a.code).unwrap_or_default(),
            e.target.map(|a| a.code).unwrap_or_default(),
            e.cameo,
            e.negated,
            e.hypothetical,
            e.date,
        );
        let prev = out.insert(key.clone(), (e.num_mentions, e.num_articles, e.num_sources));
        assert!(prev.is_none(), "two events for {key:?}");
        Ok(())
    })
    .expect("events");
    out
}

#[test]
fn concurrent_writers_store_what_one_writer_stores() {
    let Some(seq_db) =
        TestDb::create("concurrent_writers_store_what_one_writer_stores (sequential)")
    else {
        return;
    };
    let Some(db) = TestDb::create("concurrent_writers_store_what_one_writer_stores") else {
        return;
    };
    let articles = copies(4);
    let mut sequential = seq_db.store(0);
    for batch in articles.chunks(16) {
        sequential.insert_batch(batch).expect("sequential insert");
    }
    let expected = event_counts(&sequential);
    let expected_stats = sequential.stats().expect("stats");

    // Three writers, each its own connection, each storing every article in its own order.
    let _ = db.store(0); // create the schema first, as the first worker would
    let outcomes: Vec<Vec<InsertOutcome>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|w| {
                let url = db.url.clone();
                let mut mine: Vec<NewArticle> = articles.clone();
                mine.rotate_left(w * articles.len() / 3);
                if w == 1 {
                    mine.reverse();
                }
                scope.spawn(move || {
                    let mut s = PgStore::connect(&url, StoreOptions::default()).expect("connect");
                    if w == 2 {
                        // This writer locks all events at once, beside writers locking keys.
                        s = s.with_max_event_locks(2);
                    }
                    let mut out = Vec::new();
                    for batch in mine.chunks(16 + 5 * w) {
                        out.extend(s.insert_batch(batch).expect("concurrent insert"));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("writer"))
            .collect()
    });
    let store = db.store(0);
    // Every article stored exactly once, by one of the writers.
    let inserted: usize = outcomes
        .iter()
        .flatten()
        .filter(|o| matches!(o, InsertOutcome::Inserted { .. }))
        .count();
    assert_eq!(inserted, articles.len());
    assert_eq!(store.stats().expect("stats"), expected_stats);
    assert_eq!(store.check_rollups().expect("check"), None);
    assert_eq!(event_counts(&store), expected);
    // The aggregations agree too.
    let q = EventQuery::default();
    assert_eq!(
        sequential.top_dyads(&q, 20).expect("dyads"),
        store.top_dyads(&q, 20).expect("dyads")
    );
    assert_eq!(
        sequential.series(&q, Bucket::Month).expect("series"),
        store.series(&q, Bucket::Month).expect("series")
    );
}

#[test]
fn a_killed_writer_holds_up_others_only_until_it_dies() {
    let Some(db) = TestDb::create("a_killed_writer_holds_up_others_only_until_it_dies") else {
        return;
    };
    let mut store = db.store(0);
    let a = article("a1", "Meridian Wire", "2022-07-22", SANCTION);
    assert!(!a.coded.events.is_empty());
    // Another "worker" is mid-transaction on the same events: it holds their locks.
    let mut other = db.client();
    let pid: i32 = other
        .query_one("SELECT pg_backend_pid()", &[])
        .expect("pid")
        .get(0);
    let mut tx = other.transaction().expect("tx");
    for e in &a.coded.events {
        let key = event_lock_key(
            e.source.as_ref().map(|x| x.code.as_str()).unwrap_or(""),
            e.target.as_ref().map(|x| x.code.as_str()).unwrap_or(""),
            &e.cameo,
        );
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&key])
            .expect("lock");
    }
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let batch = vec![a.clone()];
        let store = &mut store;
        scope.spawn(move || {
            let r = store.insert_batch(&batch);
            let _ = done_tx.send(r);
        });
        // The insert waits for the locks …
        assert!(done_rx.recv_timeout(Duration::from_millis(500)).is_err());
        // … until the holder is killed (as SIGKILL would end a worker: the server rolls it back).
        let mut admin = db.client();
        admin
            .execute("SELECT pg_terminate_backend($1)", &[&pid])
            .expect("terminate");
        let r = done_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("insert finished");
        let out = r.expect("insert");
        assert!(matches!(out[0], InsertOutcome::Inserted { .. }));
    });
    drop(tx);
    assert_eq!(store.stats().expect("stats").articles, 1);
    assert_eq!(store.check_rollups().expect("check"), None);
}

#[test]
fn a_store_reconnects_after_its_connection_is_closed() {
    let Some(db) = TestDb::create("a_store_reconnects_after_its_connection_is_closed") else {
        return;
    };
    let mut s = db.store(0);
    s.insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", SANCTION)])
        .expect("insert");
    let mut admin = db.client();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .expect("terminate");
    // pg_terminate_backend only signals: wait until the store's session is gone.
    let t = Instant::now();
    loop {
        let others: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .expect("activity")
            .get(0);
        if others == 0 {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "still connected");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The call that finds the connection gone fails with a backend error …
    match s.stats() {
        Err(e) => assert!(matches!(e, StoreError::Backend { .. }), "{e}"),
        Ok(st) => panic!("a closed connection answered: {st:?}"),
    }
    // … and the store reconnects for the next one.
    assert_eq!(s.stats().expect("stats").articles, 1);
    s.insert_batch(&[article(
        "a2",
        "Caspian Herald",
        "2022-07-22",
        "The European Union imposed fresh sanctions on Russia on Friday.",
    )])
    .expect("insert after reconnecting");
    assert_eq!(s.stats().expect("stats").articles, 2);
    assert_eq!(s.check_rollups().expect("check"), None);
}

/// Waits until `n` sessions of the test database wait for a lock.
fn wait_for_lock_waiters(admin: &mut postgres::Client, n: i64) {
    let t = Instant::now();
    loop {
        let waiting: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .expect("activity")
            .get(0);
        if waiting >= n {
            return;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{waiting} waiting, not {n}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_deadlock_between_writers_is_retried() {
    let Some(db) = TestDb::create("a_deadlock_between_writers_is_retried") else {
        return;
    };
    let _ = db.store(0);
    // Articles whose keys collide across two batches in opposite orders. Batches insert in
    // content-hash order, so the hashes say who takes which key first.
    let art = |key: &str, hash: &str| {
        let mut a = article(key, "Meridian Wire", "2022-07-22", SANCTION);
        a.key = Some(key.into());
        a.content_hash = hash.into();
        a
    };
    let batch_a = vec![art("kA", "a1"), art("kR", "a2"), art("kB", "a3")];
    let batch_b = vec![art("kB", "b1"), art("kA", "b2")];
    // A third session holds `kR` uncommitted, so that A stops holding `kA` …
    let mut holder = db.client();
    let mut tx = holder.transaction().expect("tx");
    tx.execute(
        "INSERT INTO articles(key, content_hash, name, origin, text, sentences, n_sentences,
             ingested_at)
         VALUES ('kR', 'r', 'r', 'r', 'r', '[]', 0, now())",
        &[],
    )
    .expect("hold kR");
    let mut admin = db.client();
    let (out_a, out_b) = std::thread::scope(|scope| {
        let url = db.url.clone();
        let a = scope.spawn(move || {
            let mut s = PgStore::connect(&url, StoreOptions::default()).expect("connect");
            s.insert_batch(&batch_a).expect("writer A")
        });
        wait_for_lock_waiters(&mut admin, 1);
        // … while B takes `kB` and waits for `kA` …
        let url = db.url.clone();
        let b = scope.spawn(move || {
            let mut s = PgStore::connect(&url, StoreOptions::default()).expect("connect");
            s.insert_batch(&batch_b).expect("writer B")
        });
        wait_for_lock_waiters(&mut admin, 2);
        // … and once `kR` is committed, A waits for `kB`: a deadlock, which PostgreSQL breaks
        // by aborting one of them; that one runs its batch again.
        tx.commit().expect("commit kR");
        (a.join().expect("writer A"), b.join().expect("writer B"))
    });
    let s = db.store(0);
    assert_eq!(s.stats().expect("stats").articles, 3);
    let inserted = out_a
        .iter()
        .chain(&out_b)
        .filter(|o| matches!(o, InsertOutcome::Inserted { .. }))
        .count();
    assert_eq!(inserted, 2, "{out_a:?} {out_b:?}");
    // `kR` went to the holder: A's copy is a duplicate of it.
    assert!(matches!(out_a[1], InsertOutcome::Duplicate { .. }));
    assert_eq!(s.check_rollups().expect("check"), None);
    assert_eq!(
        s.count(&EventQuery::default()).expect("count"),
        s.query(&EventQuery::default()).expect("query").len() as u64
    );
    // PostgreSQL saw the deadlock (its statistics arrive within a second or so).
    let t = Instant::now();
    loop {
        let mut c = db.client();
        let n: i64 = c
            .query_one(
                "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
                &[],
            )
            .expect("stats")
            .get(0);
        if n >= 1 {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "no deadlock happened"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Throughput of `insert_batch` (batches of 256, one writer): run with `--ignored`.
#[test]
#[ignore]
fn insert_throughput() {
    let Some(db) = TestDb::create("insert_throughput") else {
        return;
    };
    let n: usize = std::env::var("DYAD_PG_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let articles = copies(n);
    let mut s = db.store(0);
    let t = Instant::now();
    for batch in articles.chunks(256) {
        s.insert_batch(batch).expect("insert");
    }
    let secs = t.elapsed().as_secs_f64();
    let stats = s.stats().expect("stats");
    eprintln!(
        "insert_batch: {} articles ({} events, {} mentions) in {secs:.2} s: {:.0} articles/s",
        articles.len(),
        stats.events,
        stats.mentions,
        articles.len() as f64 / secs
    );
    assert_eq!(stats.articles, articles.len() as u64);
    assert_eq!(s.check_rollups().expect("check"), None);
    // The embedded store on the same articles, for comparison.
    let path = std::env::temp_dir().join(format!("dyad-pg-throughput-{}.db", std::process::id()));
    {
        let mut l = SqliteStore::open(&path, StoreOptions::default()).expect("sqlite");
        let t = Instant::now();
        for batch in articles.chunks(256) {
            l.insert_batch(batch).expect("insert");
        }
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "SqliteStore (file, WAL): {:.0} articles/s",
            articles.len() as f64 / secs
        );
    }
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
}

#[test]
fn urls_are_rewritten_for_test_databases() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:55432/postgres", "x"),
        "postgres://postgres@127.0.0.1:55432/x"
    );
    assert_eq!(
        with_database("postgresql://u:p@h/db?sslmode=disable", "x"),
        "postgresql://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
