//! Golden test on the reference article (`../shared/gold/seed_article.gold.jsonl`): the ten
//! required events at L1 with at most three false positives, all ten quotes with the right
//! speaker, no scare quotes, every listed mention resolved to its canonical actor, and the
//! event dates the gold notes give. Skipped, with a message, when `../shared` is absent.

use dyad_actors::name_key::name_key;
use dyad_coder::{Article, CodedArticle, Coder};
use serde_json::Value;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.join("gold/seed_article.gold.jsonl").exists().then_some(p)
}

fn load() -> Option<(Value, CodedArticle)> {
    let Some(dir) = shared() else {
        eprintln!("skipped: ../shared/gold/seed_article.gold.jsonl not found");
        return None;
    };
    let text =
        std::fs::read_to_string(dir.join("gold/seed_article.gold.jsonl")).expect("gold readable");
    let gold: Value =
        serde_json::from_str(text.lines().next().expect("one record")).expect("gold is JSON");
    let coder = Coder::embedded().expect("embedded dictionaries");
    let article = Article {
        id: gold["id"].as_str().unwrap_or_default().to_string(),
        date: gold["date"]
            .as_str()
            .and_then(dyad_coder::input::parse_date),
        text: gold["text"].as_str().unwrap_or_default().to_string(),
        ..Article::default()
    };
    Some((gold, coder.code(&article)))
}

fn describe(c: &CodedArticle) -> String {
    c.events
        .iter()
        .map(|e| {
            format!(
                "  {} -> {} {} [{}] {:?} «{}»",
                e.source.as_ref().map_or("-", |a| a.code.as_str()),
                e.target.as_ref().map_or("-", |a| a.code.as_str()),
                e.cameo,
                e.rule.entry,
                e.date,
                e.evidence.text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn required_events_at_l1_with_few_false_positives() {
    let Some((gold, coded)) = load() else { return };
    let pred = serde_json::to_value(&coded).expect("serializes");
    let s = dyad_eval::score(std::slice::from_ref(&gold), std::slice::from_ref(&pred));
    eprintln!("L1 {:?}\nL3 {:?}\n{}", s.l1, s.l3, describe(&coded));
    assert_eq!(s.l1.fn_, 0, "missed required events:\n{}", describe(&coded));
    assert!(
        s.l1.fp <= 3,
        "{} false positives:\n{}",
        s.l1.fp,
        describe(&coded)
    );
}

#[test]
fn all_quotes_with_right_speaker_and_no_scare_quotes() {
    let Some((gold, coded)) = load() else { return };
    let pred = serde_json::to_value(&coded).expect("serializes");
    let s = dyad_eval::score(std::slice::from_ref(&gold), std::slice::from_ref(&pred));
    let listing: Vec<String> = coded
        .quotes
        .iter()
        .map(|q| {
            format!(
                "{:?} {}: {}",
                q.speaker.as_ref().map(|a| &a.code),
                q.direct,
                q.text
            )
        })
        .collect();
    assert_eq!(s.quotes.found, 10, "quotes:\n{}", listing.join("\n"));
    assert_eq!(
        s.quotes.speaker_correct,
        10,
        "quotes:\n{}",
        listing.join("\n")
    );
    for nq in gold["not_quotes"].as_array().expect("not_quotes") {
        let nq = nq.as_str().unwrap_or_default();
        assert!(
            !coded
                .quotes
                .iter()
                .any(|q| q.text.trim_matches(|c: char| !c.is_alphanumeric()) == nq),
            "scare quote «{nq}» was taken for a quote"
        );
    }
}

#[test]
fn every_listed_mention_resolves_to_its_actor() {
    let Some((gold, coded)) = load() else { return };
    let key = |s: &str| {
        name_key(
            dyad_text::fold_phrase(s)
                .split_whitespace()
                .filter(|t| *t != "-"),
        )
    };
    for ga in gold["actors"].as_array().expect("actors") {
        let canonical = ga["canonical"].as_str().unwrap_or_default();
        let (k, sector) = ga["key"]
            .as_str()
            .unwrap_or_default()
            .split_once(':')
            .unwrap_or(("", ""));
        let is_person = canonical.split_whitespace().count() >= 2
            && sector == "GOV"
            && !canonical.contains("Group");
        for m in ga["mentions"].as_array().expect("mentions") {
            let m = m.as_str().unwrap_or_default();
            let found = coded.actors.iter().find(|a| {
                a.mentions
                    .iter()
                    .any(|am| am.text == m || (am.text.contains(m) && am.text.len() < m.len() + 40))
            });
            let a = found.unwrap_or_else(|| {
                panic!("mention «{m}» of {canonical} not resolved to any actor")
            });
            let keys = [a.country.as_deref(), a.org.as_deref()];
            assert!(
                keys.contains(&Some(k)),
                "«{m}» resolved to {} ({}), not {k}",
                a.name,
                a.code
            );
            assert_eq!(
                a.sector.as_deref(),
                Some(sector),
                "«{m}» resolved to {} ({})",
                a.name,
                a.code
            );
            if is_person {
                assert_eq!(
                    key(&a.name),
                    key(canonical),
                    "«{m}» resolved to {}, not {canonical}",
                    a.name
                );
            }
        }
    }
}

#[test]
fn event_dates_from_the_notes() {
    let Some((_, coded)) = load() else { return };
    let d = |s: &str| dyad_coder::input::parse_date(s);
    let find = |code_prefix: &str, src: &str, needle: &str| {
        coded.events.iter().find(|e| {
            e.cameo.starts_with(code_prefix)
                && e.source.as_ref().is_some_and(|a| a.code.starts_with(src))
                && e.evidence.text.contains(needle)
        })
    };
    let call = find("04", "RUS", "spoke by phone")
        .unwrap_or_else(|| panic!("phone call\n{}", describe(&coded)));
    assert_eq!(call.date, d("2020-09-30"), "phone call last night");
    let lavrov = find("02", "RUS", "called for a ceasefire")
        .unwrap_or_else(|| panic!("Lavrov's call\n{}", describe(&coded)));
    assert_eq!(lavrov.date, d("2020-09-30"), "Lavrov yesterday");
    let contact = find("04", "RUS", "contacted")
        .unwrap_or_else(|| panic!("Lavrov's contacts\n{}", describe(&coded)));
    assert_eq!(
        contact.date,
        d("2020-09-30"),
        "Lavrov's contacts, yesterday"
    );
    let aliyev = coded
        .events
        .iter()
        .find(|e| {
            e.cameo.starts_with("13")
                && e.source.as_ref().is_some_and(|a| a.code.starts_with("AZE"))
        })
        .unwrap_or_else(|| panic!("Aliyev\n{}", describe(&coded)));
    assert_eq!(aliyev.date, d("2020-09-30"), "Aliyev on Wednesday");
    // Quotes carry no date of their own, but the events in their sentences do.
    for e in &coded.events {
        if e.date_text.as_deref() == Some("last Sunday") {
            assert_eq!(e.date, d("2020-09-27"));
        }
        if e.date_text.as_deref() == Some("Tuesday night")
            || e.date_text.as_deref() == Some("Tuesday")
        {
            assert_eq!(e.date, d("2020-09-29"));
        }
    }
}
