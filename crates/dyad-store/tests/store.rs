//! The store with real coded articles: dedup within and across articles, the window,
//! idempotence, filters, aggregations and rollups.

use dyad_store::*;

#[path = "support/articles.rs"]
mod articles;
use articles::{article, date, undated};
#[path = "support/textqueries.rs"]
mod textqueries;

fn store(window: u32) -> SqliteStore {
    SqliteStore::in_memory(StoreOptions {
        dedup_window_days: window,
    })
    .expect("store")
}

fn all(s: &SqliteStore, q: EventQuery) -> Vec<StoredEvent> {
    s.query(&q).expect("query")
}

const SANCTION: &str = "The European Union imposed new sanctions on Russia on Friday.";

#[test]
fn same_event_in_two_sentences_is_one_event_with_two_mentions() {
    let mut s = store(0);
    let text = "The European Union imposed new sanctions on Russia on Friday.\n\nBrussels said the European Union imposed the sanctions on Russia because of the war.";
    let out = s
        .insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", text)])
        .expect("insert");
    assert!(matches!(out[0], InsertOutcome::Inserted { .. }));
    let ev = all(
        &s,
        EventQuery {
            source: Some("IGOEU".into()),
            target: Some("RUS".into()),
            ..Default::default()
        },
    );
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0].num_mentions, 2);
    assert_eq!(ev[0].num_articles, 1);
    assert_eq!(ev[0].num_sources, 1);
    assert_eq!(s.mentions(ev[0].event_id).expect("mentions").len(), 2);
    // The article comes back with its sentences and the mentions in text order.
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
    assert!(art
        .events
        .windows(2)
        .all(|w| w[0].evidence.start <= w[1].evidence.start));
    assert_eq!(s.article(99).expect("article"), None);
    assert_eq!(s.check_rollups().expect("check"), None);
}

#[test]
fn outlets_reporting_the_same_event_make_one_event_with_counts() {
    let mut s = store(0);
    s.insert_batch(&[
        article("a1", "Meridian Wire", "2022-07-22", SANCTION),
        article("a2", "Caspian Herald", "2022-07-22", "The European Union imposed fresh sanctions on Russia on Friday, diplomats in Brussels said."),
    ])
    .expect("insert");
    // A second story from an outlet already counted: one more article, no new source.
    s.insert_batch(&[article(
        "a3",
        "Meridian Wire",
        "2022-07-22",
        "The European Union on Friday imposed new sanctions on Russia.",
    )])
    .expect("insert");
    let ev = all(
        &s,
        EventQuery {
            source: Some("IGOEU".into()),
            cameo: Some("163".into()),
            ..Default::default()
        },
    );
    assert_eq!(ev.len(), 1, "{ev:#?}");
    let e = &ev[0];
    assert_eq!((e.num_mentions, e.num_articles, e.num_sources), (3, 3, 2));
    assert_eq!(e.date, Some(date("2022-07-22")));
    let outlets: Vec<Option<String>> = s
        .mentions(e.event_id)
        .expect("m")
        .into_iter()
        .map(|m| m.outlet)
        .collect();
    assert_eq!(outlets.len(), 3);
    assert_eq!(s.check_rollups().expect("check"), None);
    // The dyad series counts one event with three mentions.
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
        let mut s = store(window);
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
        let ev = all(
            &s,
            EventQuery {
                source: Some("IGOEU".into()),
                cameo: Some("163".into()),
                ..Default::default()
            },
        );
        assert_eq!(ev.len(), expected, "window {window}: {ev:#?}");
        assert_eq!(s.options().dedup_window_days, window);
        assert_eq!(s.check_rollups().expect("check"), None);
    }
}

#[test]
fn reinserting_by_key_or_text_adds_nothing() {
    let mut s = store(0);
    s.insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", SANCTION)])
        .expect("insert");
    let before = s.stats().expect("stats");
    // Same key, other text; other key, same text up to spacing and case.
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
    assert!(
        out.iter()
            .all(|o| matches!(o, InsertOutcome::Duplicate { .. })),
        "{out:?}"
    );
    assert_eq!(s.stats().expect("stats"), before);
    assert!(s.contains(Some("a1"), "x").expect("contains"));
    assert!(s.contains(None, &content_hash(SANCTION)).expect("contains"));
}

#[test]
fn filters_and_aggregations() {
    let mut s = store(0);
    s.insert_batch(&[
        article("k1", "Caspian Herald", "2020-10-01", "Russian President Vladimir Putin on Thursday urged Armenia and Azerbaijan to halt the fighting."),
        article("k2", "Caspian Herald", "2020-10-05", "Azerbaijani forces shelled Armenian positions on Monday."),
        article("k3", "Meridian Wire", "2020-10-12", "Armenia accused Azerbaijan on Monday of violating the ceasefire."),
        article("s1", "Nile Dispatch", "2023-04-15", "The Rapid Support Forces attacked army bases in Khartoum on Saturday."),
        undated("u1", "Armenia accused Azerbaijan of shelling villages."),
    ])
    .expect("insert");
    // Every count is checked against the rows the same query returns: dyad counts come from
    // the rollups (plus undated events), the others from the events table.
    let n = |q: EventQuery| {
        let c = s.count(&q).expect("count");
        assert_eq!(c, s.query(&q).expect("query").len() as u64, "{q:?}");
        c
    };
    let total = n(EventQuery::default());
    assert!(total >= 5, "{total}");
    // Dyad, both directions.
    let arm_aze = n(EventQuery {
        source: Some("ARM".into()),
        target: Some("AZE".into()),
        ..Default::default()
    });
    let aze_arm = n(EventQuery {
        source: Some("AZE".into()),
        target: Some("ARM".into()),
        ..Default::default()
    });
    let either = n(EventQuery {
        source: Some("ARM".into()),
        target: Some("AZE".into()),
        either_direction: true,
        ..Default::default()
    });
    assert!(arm_aze >= 2 && aze_arm >= 1);
    let arm_aze_october = n(EventQuery {
        source: Some("ARM".into()),
        target: Some("AZE".into()),
        from: Some(date("2020-10-01")),
        to: Some(date("2020-10-31")),
        ..Default::default()
    });
    assert_eq!(
        arm_aze_october,
        arm_aze - 1,
        "the undated event is outside any date range"
    );
    assert_eq!(either, arm_aze + aze_arm);
    // Name fragment, country, sector, root, quad, date range, place, full text.
    assert_eq!(
        n(EventQuery {
            actor: Some("Putin".into()),
            ..Default::default()
        }),
        2
    );
    assert!(
        n(EventQuery {
            country: Some("SDN".into()),
            ..Default::default()
        }) >= 1
    );
    assert!(
        n(EventQuery {
            sector: Some("MIL".into()),
            ..Default::default()
        }) >= 1
    );
    let conflict = n(EventQuery {
        quad_class: Some(4),
        ..Default::default()
    });
    let roots_18_20 = ["18", "19", "20"]
        .iter()
        .map(|r| {
            n(EventQuery {
                cameo: Some((*r).into()),
                ..Default::default()
            })
        })
        .sum::<u64>();
    assert!(conflict >= 2);
    assert!(roots_18_20 >= 2);
    assert_eq!(
        n(EventQuery {
            from: Some(date("2020-10-02")),
            to: Some(date("2020-10-31")),
            ..Default::default()
        }),
        arm_aze_october + aze_arm
    );
    assert!(
        n(EventQuery {
            place: Some("Khartoum".into()),
            ..Default::default()
        }) >= 1
    );
    // PLOVER type: every event it returns has that type, and the types partition the events.
    let every = all(&s, EventQuery::default());
    // Places: the map's counts are the located events, grouped by place.
    let places = s.top_places(&EventQuery::default(), 100).expect("places");
    let khartoum = places
        .iter()
        .find(|p| p.name == "Khartoum")
        .expect("Khartoum on the map");
    assert_eq!(khartoum.country.as_deref(), Some("SDN"));
    assert!((khartoum.lat - 15.5).abs() < 1.0 && (khartoum.lon - 32.5).abs() < 1.0);
    let located = every
        .iter()
        .filter(|e| e.place.as_ref().is_some_and(|p| p.lat.is_some()))
        .count() as u64;
    assert_eq!(places.iter().map(|p| p.events).sum::<u64>(), located);
    let filtered = |q: EventQuery| s.top_places(&q, 100).expect("filtered places");
    assert!(filtered(EventQuery {
        country: Some("ARM".into()),
        ..Default::default()
    })
    .iter()
    .all(|p| p.name != "Khartoum"));
    let mut types: Vec<String> = every.iter().filter_map(|e| e.plover.clone()).collect();
    types.sort();
    types.dedup();
    assert!(!types.is_empty());
    let mut by_type = 0;
    for t in &types {
        let hits = all(
            &s,
            EventQuery {
                plover: Some(t.to_lowercase()),
                ..Default::default()
            },
        );
        assert!(
            hits.iter().all(|e| e.plover.as_deref() == Some(t.as_str())),
            "{t}"
        );
        by_type += hits.len();
    }
    assert_eq!(by_type, every.iter().filter(|e| e.plover.is_some()).count());
    // Paging: limit and offset walk the same ordered list.
    let page2 = all(
        &s,
        EventQuery {
            limit: Some(2),
            offset: 2,
            ..Default::default()
        },
    );
    let ids = |v: &[StoredEvent]| v.iter().map(|e| e.event_id).collect::<Vec<_>>();
    assert_eq!(ids(&page2), ids(&every[2..4]));
    assert_eq!(
        n(EventQuery {
            text: Some("shelled".into()),
            ..Default::default()
        }),
        aze_arm
    );
    // FTS5 syntax is not passed through: `AND (` is the word `and`; no word at all is a
    // typed error.
    assert!(s
        .count(&EventQuery {
            text: Some("AND (".into()),
            ..Default::default()
        })
        .is_ok());
    assert!(matches!(
        s.count(&EventQuery {
            text: Some("(\"".into()),
            ..Default::default()
        }),
        Err(StoreError::Text(textquery::TextQueryError::NoTerms))
    ));
    assert!(matches!(
        s.count(&EventQuery {
            cameo: Some("abc".into()),
            ..Default::default()
        }),
        Err(StoreError::BadQuery(_))
    ));

    // Rollup answers equal base-table answers: the actor series through `actor_day` against
    // the same series computed from the events.
    let q = EventQuery {
        actor: Some("AZE".into()),
        ..Default::default()
    };
    let by_rollup = s.series(&q, Bucket::Month).expect("series");
    let events = all(&s, q.clone());
    let mut expected = 0u64;
    // A series has dated events only; the rollup counts an event once per side the actor is on.
    for e in events.iter().filter(|e| e.date.is_some()) {
        expected += u64::from(e.source.as_ref().is_some_and(|a| a.code.starts_with("AZE")));
        expected += u64::from(e.target.as_ref().is_some_and(|a| a.code.starts_with("AZE")));
    }
    assert_eq!(by_rollup.iter().map(|p| p.events).sum::<u64>(), expected);
    // Week buckets start on Mondays.
    let weeks = s
        .series(&EventQuery::default(), Bucket::Week)
        .expect("weeks");
    assert!(weeks
        .iter()
        .all(|p| chrono::Datelike::weekday(&p.period) == chrono::Weekday::Mon));
    let dated = every.iter().filter(|e| e.date.is_some()).count() as u64;
    assert!(dated < total);
    assert_eq!(weeks.iter().map(|p| p.events).sum::<u64>(), dated);
    // Top actors from the rollups equal top actors from the base table (a no-op filter forces it).
    let fast = s.top_actors(&EventQuery::default(), 5).expect("top");
    let slow = s
        .top_actors(
            &EventQuery {
                quad_class: None,
                factual_only: true,
                ..Default::default()
            },
            5,
        )
        .expect("top");
    assert_eq!(fast, slow);
    // Whole months and edge days add up to the same as the daily rollup.
    let ranged = s
        .top_actors(
            &EventQuery {
                from: Some(date("2020-09-15")),
                to: Some(date("2020-10-10")),
                ..Default::default()
            },
            20,
        )
        .expect("top");
    let ranged_slow = s
        .top_actors(
            &EventQuery {
                from: Some(date("2020-09-15")),
                to: Some(date("2020-10-10")),
                factual_only: true,
                ..Default::default()
            },
            20,
        )
        .expect("top");
    assert_eq!(ranged, ranged_slow);
    let dyads = s.top_dyads(&EventQuery::default(), 10).expect("dyads");
    assert!(!dyads.is_empty());
    let factual = EventQuery {
        factual_only: true,
        ..Default::default()
    };
    assert_eq!(dyads, s.top_dyads(&factual, 10).expect("dyads"));
    assert_eq!(s.check_rollups().expect("check"), None);
}

#[test]
fn a_file_store_reopens_with_its_schema_and_window() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("x.db");
    {
        let mut s = SqliteStore::open(
            &path,
            StoreOptions {
                dedup_window_days: 2,
            },
        )
        .expect("open");
        s.insert_batch(&[article("a1", "Meridian Wire", "2022-07-22", SANCTION)])
            .expect("insert");
    }
    let s = SqliteStore::open(&path, StoreOptions::default()).expect("reopen");
    assert_eq!(s.options().dedup_window_days, 2);
    let r = SqliteStore::open_read_only(&path).expect("read only");
    assert_eq!(r.stats().expect("stats").articles, 1);
    // A file that is not a dyad store.
    let other = dir.path().join("other.db");
    std::fs::write(&other, b"not a database at all, just text").expect("write");
    assert!(SqliteStore::open_read_only(&other).is_err());
    assert!(SqliteStore::open_read_only(&dir.path().join("missing.db")).is_err());
}

/// Stored articles read back and stored again make the same store: what `dyad merge` does.
#[test]
fn articles_read_back_restore_the_same_events() {
    let mut a = store(0);
    a.insert_batch(&[
        article("k1", "Caspian Herald", "2020-10-01", "Russian President Vladimir Putin on Thursday urged Armenia and Azerbaijan to halt the fighting."),
        article("k2", "Caspian Herald", "2020-10-05", "Azerbaijani forces shelled Armenian positions on Monday. \"We will respond,\" Armenian Prime Minister Nikol Pashinyan said."),
        article("k3", "Meridian Wire", "2020-10-05", "Azerbaijani forces shelled Armenian positions on Monday, officials said."),
        article("s1", "Nile Dispatch", "2023-04-15", "The Rapid Support Forces attacked army bases in Khartoum on Saturday."),
        undated("u1", "Armenia accused Azerbaijan of shelling villages."),
    ])
    .expect("insert");
    let mut back = Vec::new();
    a.for_each_article(&mut |x| {
        back.push(x);
        Ok(())
    })
    .expect("read back");
    assert_eq!(back.len(), 5);
    let mut b = store(0);
    b.insert_batch(&back).expect("insert again");
    assert_eq!(a.stats().expect("stats"), b.stats().expect("stats"));
    let strip = |s: &SqliteStore| {
        all(s, EventQuery::default())
            .into_iter()
            .map(|mut e| {
                e.added_at.clear();
                e
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(b.check_rollups().expect("check"), None);
    // Every part of an article survives: text, sentences, actors, quotes, mentions.
    for id in 1..=5 {
        let (x, y) = (a.article(id).expect("a"), b.article(id).expect("b"));
        assert_eq!(
            x.map(|mut v| {
                v.article_id = 0;
                v
            }),
            y.map(|mut v| {
                v.article_id = 0;
                v
            })
        );
    }
    // Reading back into the same store adds nothing.
    let out = a.insert_batch(&back).expect("again");
    assert!(out
        .iter()
        .all(|o| matches!(o, InsertOutcome::Duplicate { .. })));
}

#[test]
fn hostile_full_text_queries_give_results_or_a_typed_error() {
    let mut s = store(0);
    s.insert_batch(&textqueries::articles()).expect("insert");
    let mut answered = 0;
    for t in textqueries::hostile() {
        let q = EventQuery {
            text: Some(t.clone()),
            ..Default::default()
        };
        let results = [
            s.query(&q).map(|_| ()),
            s.count(&q).map(|_| ()),
            s.series(&q, Bucket::Day).map(|_| ()),
            s.top_actors(&q, 5).map(|_| ()),
            s.top_dyads(&q, 5).map(|_| ()),
            s.top_places(&q, 5).map(|_| ()),
            s.for_each_event(&q, &mut |_| Ok(())),
        ];
        for r in results {
            match r {
                Ok(()) => answered += 1,
                Err(StoreError::Text(e)) => assert!(!e.to_string().is_empty()),
                Err(e) => panic!("{t:?}: {e}"),
            }
        }
    }
    assert!(answered > 0);
}

#[test]
fn full_text_words_are_folded_like_the_index() {
    let mut s = store(0);
    s.insert_batch(&textqueries::articles()).expect("insert");
    let n = |t: &str| {
        s.count(&EventQuery {
            text: Some(t.into()),
            ..Default::default()
        })
        .expect("count")
    };
    assert!(n("zurich") > 0);
    assert_eq!(n("zurich"), n("Zürich"));
    assert_eq!(n("zurich"), n("ZÜRICH"));
    assert!(n("al-Bashir") > 0);
    assert_eq!(n("al-Bashir"), n("\"al bashir\""));
    assert!(n("negot*") > 0);
    assert_eq!(n("negotiation"), 0);
    assert!(n("\"peace talks\"") > 0);
    assert_eq!(n("\"talks peace\""), 0);
    assert!(n("ceasefire") > n("ceasefire -truce"));
    assert_eq!(n("ceasefire -truce"), n("ceasefire NOT truce"));
    assert_eq!(n("truce OR ambassador"), n("truce") + n("ambassador"));
}
