//! The behaviours issue 2 asks for, one sentence each, coded with the embedded dictionaries.

mod support;

use dyad_coder::{Article, CodedArticle, Coder, Options};
use support::{code_on, triples};

fn code(text: &str) -> CodedArticle {
    code_on(text, "2020-10-01")
}

fn has(c: &CodedArticle, src: &str, tgt: &str, root: &str) -> bool {
    triples(c)
        .iter()
        .any(|(s, t, code)| s.starts_with(src) && t.starts_with(tgt) && code.starts_with(root))
}

#[test]
fn compound_subjects_give_one_event_per_actor() {
    let c = code("Russia and France urged Armenia to show restraint.");
    assert!(has(&c, "RUS", "ARM", "02"), "{:?}", triples(&c));
    assert!(has(&c, "FRA", "ARM", "02"), "{:?}", triples(&c));
}

#[test]
fn negation_drops_the_event() {
    let c = code("Turkey did not attack Greece on Monday.");
    assert!(
        !c.events.iter().any(|e| e.root == "19" || e.root == "18"),
        "{:?}",
        triples(&c)
    );
    let c = code("Israel had no plans to attack Iran, officials said.");
    assert!(
        !c.events.iter().any(|e| e.root == "19" || e.root == "18"),
        "{:?}",
        triples(&c)
    );
    // Kept and flagged on request.
    let k = Coder::embedded().expect("compiles").with_options(Options {
        keep_negated: true,
        keep_hypothetical: false,
        keep_repeats: false,
    });
    let c = k.code(&Article {
        id: "t".into(),
        text: "Turkey didn't attack Greece.".into(),
        ..Article::default()
    });
    assert!(
        c.events.iter().any(|e| e.negated && e.root == "19"),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn reported_threat_is_not_the_act() {
    let c = code("\u{201c}Germany will attack France,\u{201d} Putin said.");
    assert!(
        !c.events
            .iter()
            .any(|e| matches!(e.root.as_str(), "18" | "19" | "20")),
        "coded as an attack: {:?}",
        triples(&c)
    );
    assert!(
        !has(&c, "RUS", "FRA", "13"),
        "Germany's attack is not Putin's threat: {:?}",
        triples(&c)
    );
    assert_eq!(c.quotes.len(), 1);
    assert_eq!(
        c.quotes[0].speaker.as_ref().map(|a| a.code.as_str()),
        Some("RUSGOV")
    );
}

#[test]
fn own_side_future_force_in_a_quote_is_a_threat() {
    let c = code(
        "\u{201c}We will attack their positions,\u{201d} Azerbaijani President Ilham Aliyev said.",
    );
    assert!(has(&c, "AZE", "", "13"), "{:?}", triples(&c));
}

#[test]
fn passive_voice_swaps_roles() {
    let c = code("The Armenian ambassador was attacked by Azerbaijani troops.");
    assert!(has(&c, "AZEMIL", "ARMGOV", "1"), "{:?}", triples(&c));
}

#[test]
fn nominal_and_phrasal_forms() {
    let c = code("Lavrov called for a ceasefire and offered Moscow as the venue for talks.");
    assert!(
        c.events.iter().any(|e| e.cameo.starts_with("02")),
        "{:?}",
        triples(&c)
    );
    assert!(
        c.events.iter().any(|e| e.cameo.starts_with("03")),
        "{:?}",
        triples(&c)
    );
    let c = code("The European Union imposed sanctions on Belarus.");
    assert!(has(&c, "IGO", "BLR", "16"), "{:?}", triples(&c));
}

#[test]
fn background_history_is_not_coded() {
    let c = code(
        "The Minsk Group, created in 1994 after a war that killed 30,000 people, met in Vienna.",
    );
    assert!(
        !c.events.iter().any(|e| e.root == "19" || e.root == "18"),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn intent_is_recoded() {
    let c = code("Turkey will send humanitarian aid to Syria.");
    assert!(has(&c, "TUR", "SYR", "03"), "{:?}", triples(&c));
}

#[test]
fn actors_titles_roles_and_metonyms() {
    let c = code("The Kremlin said the Armenian ambassador to Russia, Vardán Toganián, met Azerbaijani troops in Moscow.");
    let by_text = |t: &str| {
        c.actors
            .iter()
            .find(|a| a.mentions.iter().any(|m| m.text.contains(t)))
            .map(|a| a.code.clone())
    };
    assert_eq!(by_text("Kremlin").as_deref(), Some("RUSGOV"));
    assert_eq!(by_text("Toganián").as_deref(), Some("ARMGOV"));
    assert_eq!(by_text("Azerbaijani troops").as_deref(), Some("AZEMIL"));
    // "in Moscow" is a place, not the Russian government.
    assert!(c.places.iter().any(|p| p.name == "Moscow"));
}

#[test]
fn surnames_never_merge_two_people() {
    // Heydar and Ilham Aliyev share a surname: the bare surname resolves only through the
    // article, to the one it named.
    let c = code_on(
        "Heydar Aliyev met Boris Yeltsin. Aliyev said the talks went well.",
        "1998-06-01",
    );
    let aliyev: Vec<&str> = c
        .actors
        .iter()
        .filter(|a| a.name.contains("Aliyev"))
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        aliyev,
        vec!["Heydar Aliyev"],
        "{:?}",
        c.actors.iter().map(|a| &a.name).collect::<Vec<_>>()
    );
    let c = code_on("Aliyev said the talks went well.", "2020-01-01");
    assert!(
        !c.actors.iter().any(|a| a.name.contains("Aliyev")),
        "a shared surname alone must stay unresolved"
    );
}

#[test]
fn offices_follow_the_date() {
    let c = code_on("Vladimir Putin visited China.", "2010-06-01");
    let putin = c
        .actors
        .iter()
        .find(|a| a.name == "Vladimir Putin")
        .expect("Putin");
    assert_eq!(putin.title.as_deref(), Some("Prime Minister"));
    let c = code_on("Vladimir Putin visited China.", "2020-06-01");
    let putin = c
        .actors
        .iter()
        .find(|a| a.name == "Vladimir Putin")
        .expect("Putin");
    assert_eq!(putin.title.as_deref(), Some("President"));
}

#[test]
fn quotes_balanced_unbalanced_and_scare() {
    let c = code("President Ilham Aliyev said the \u{201c}occupied\u{201d} lands would be freed. \u{201c}We will win. \u{201c}Nobody can stop us\u{201d}, added Aliyev.");
    let direct: Vec<&str> = c
        .quotes
        .iter()
        .filter(|q| q.direct)
        .map(|q| q.text.as_str())
        .collect();
    assert!(
        !direct
            .iter()
            .any(|q| q.contains("occupied") && q.len() < 12),
        "scare quote taken: {direct:?}"
    );
    assert!(
        direct.iter().any(|q| q.starts_with("We will win")),
        "{direct:?}"
    );
    assert!(
        direct.iter().any(|q| q.starts_with("Nobody can stop us")),
        "{direct:?}"
    );
    assert!(
        c.quotes
            .iter()
            .filter(|q| q.direct)
            .all(|q| q.speaker.is_some()),
        "every direct quote has a speaker"
    );
}

#[test]
fn relative_dates() {
    let c = code("Russia attacked Ukraine last Sunday.");
    assert_eq!(
        c.events.first().and_then(|e| e.date),
        dyad_coder::input::parse_date("2020-09-27"),
        "{:?}",
        triples(&c)
    );
    let c = code("Iran will meet France on Tuesday.");
    assert_eq!(
        c.events.first().and_then(|e| e.date),
        dyad_coder::input::parse_date("2020-10-06"),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn every_event_explains_itself() {
    let c = code("Israeli troops shelled Gaza on Tuesday, Palestinian officials said.");
    assert!(!c.events.is_empty());
    for e in &c.events {
        assert!(!e.evidence.text.is_empty());
        assert!(e.rule.file.starts_with("verbs/") || e.rule.recoded.is_some());
        assert!(e.goldstein.is_some() && e.quad_class.is_some());
        assert!((0.0..=1.0).contains(&e.confidence));
    }
}

#[test]
fn refusal_in_a_quote_is_the_speakers_rejection() {
    let c = code_on("Iranian Foreign Minister Abbas Araghchi said on Monday: \"We will not negotiate under pressure.\"", "2025-05-05");
    let e = c
        .events
        .iter()
        .find(|e| e.root == "12")
        .unwrap_or_else(|| panic!("{:?}", triples(&c)));
    assert_eq!(e.source.as_ref().map(|a| a.code.as_str()), Some("IRNGOV"));
    assert!(e.reported);
    assert_eq!(c.quotes.len(), 1);
    assert_eq!(
        c.quotes[0].speaker.as_ref().map(|a| a.name.as_str()),
        Some("Abbas Araghchi")
    );
}
