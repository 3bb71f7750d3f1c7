//! Article-level behaviour (issue 10): structure, repeats, coreference across sentences. Every
//! text here was written for these tests.

use dyad_coder::{Article, CodedArticle, Coder};
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static C: OnceLock<Coder> = OnceLock::new();
    C.get_or_init(|| Coder::embedded().expect("embedded dictionaries compile"))
}

fn code(text: &str) -> CodedArticle {
    coder().code(&Article {
        id: "t".into(),
        date: dyad_coder::input::parse_date("2021-03-10"),
        text: text.into(),
        ..Article::default()
    })
}

/// (source code, target code, CAMEO code) of every event.
fn triples(c: &CodedArticle) -> Vec<(String, String, String)> {
    c.events
        .iter()
        .map(|e| {
            (
                e.source.as_ref().map_or("-".into(), |a| a.code.clone()),
                e.target.as_ref().map_or("-".into(), |a| a.code.clone()),
                e.cameo.clone(),
            )
        })
        .collect()
}

fn count(c: &CodedArticle, src: &str, tgt: &str, root: &str) -> usize {
    triples(c)
        .iter()
        .filter(|(s, t, code)| s.starts_with(src) && t.starts_with(tgt) && code.starts_with(root))
        .count()
}

#[test]
fn a_headline_event_told_again_in_the_body_is_one_event() {
    let c = code(
        "Peru Expels Bolivian Diplomat\n\nLIMA (Wire) - Peru expelled a Bolivian diplomat on \
         Tuesday, the foreign ministry said.",
    );
    assert_eq!(count(&c, "PER", "BOL", "16"), 1, "{:?}", triples(&c));
    assert!(
        c.events.iter().all(|e| e.sentence != 0),
        "the body's telling is kept: {:?}",
        triples(&c)
    );
}

#[test]
fn the_same_act_told_twice_in_the_body_is_one_event() {
    let c = code(
        "Ghana accused Togo of harbouring rebels. In a statement, Ghana accused Togo of \
         harbouring rebels for years.",
    );
    assert_eq!(count(&c, "GHA", "TGO", "11"), 1, "{:?}", triples(&c));
}

#[test]
fn a_dateline_city_is_no_actor() {
    let c = code("MOSCOW (Wire) - Chilean police arrested protesters on Friday.");
    assert!(
        c.actors.iter().all(|a| a.country.as_deref() != Some("RUS")),
        "{:?}",
        c.actors.iter().map(|a| &a.code).collect::<Vec<_>>()
    );
}

#[test]
fn a_role_noun_refers_back_to_the_named_office_holder() {
    let c = code(
        "Kenyan Foreign Minister Amina Odhiambo met Ugandan Defence Secretary Paul Okello in \
         Kampala. The secretary thanked the minister for her support.",
    );
    // "the secretary" is Okello (UGA), "the minister" is Odhiambo (KEN).
    assert!(count(&c, "UGA", "KEN", "05") >= 1, "{:?}", triples(&c));
}

#[test]
fn the_two_leaders_are_the_two_parties_named_before() {
    let c = code(
        "President Ana Ruiz of Ecuador received President Luis Vega of Peru on Monday. The two \
         leaders signed a border agreement.",
    );
    let pair = count(&c, "ECU", "PER", "0") + count(&c, "PER", "ECU", "0");
    assert!(pair >= 2, "meeting and agreement: {:?}", triples(&c));
}
