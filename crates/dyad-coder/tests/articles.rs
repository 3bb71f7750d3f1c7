//! Article-level behaviour (issue 10): structure, repeats, coreference across sentences. Every
//! text here was written for these tests.

mod support;

use dyad_coder::CodedArticle;
use support::{code_on, count, triples};

fn code(text: &str) -> CodedArticle {
    code_on(text, "2021-03-10")
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

#[test]
fn a_nominal_act_that_another_verb_talks_about_is_not_the_subjects_act() {
    // Norway arrested no one: the arrests are what it criticised.
    let c = code("Norway criticised the arrests of twelve journalists in Belarus.");
    assert_eq!(count(&c, "NOR", "", "17"), 0, "{:?}", triples(&c));
    // A light verb carries the act to its subject.
    let c = code("Turkish forces launched an offensive against Kurdish militants.");
    assert!(count(&c, "TUR", "", "19") >= 1, "{:?}", triples(&c));
}

#[test]
fn what_a_speaker_reports_is_not_the_speakers_act() {
    let c = code("The governor told reporters that 40 soldiers were killed near the border.");
    assert!(
        c.events.iter().all(|e| e.root != "18" && e.root != "19"),
        "no attack by the governor: {:?}",
        triples(&c)
    );
    // Without "that" too: the residents took nothing.
    let c = code("Residents say Somali militants took control of the town on Friday.");
    assert!(
        c.events.iter().all(|e| e
            .source
            .as_ref()
            .is_none_or(|s| s.sector.as_deref() != Some("CVL"))),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn a_reaction_to_a_named_act_is_aimed_at_its_agent() {
    let c = code(
        "Rebels attacked a police station in northern Mali on Sunday. The United Nations \
         condemned the attack.",
    );
    assert!(
        count(&c, "UN", "MLI", "11") + count(&c, "IGO", "MLI", "11") >= 1,
        "{:?}",
        triples(&c)
    );
    let c = code("Chile accused Peru of spying. Lima denied the charges on Monday.");
    assert!(count(&c, "PER", "CHL", "01") >= 1, "{:?}", triples(&c));
}

#[test]
fn we_in_a_statement_is_the_issuing_party() {
    let c = code(
        "Canada welcomes the release of the detained aid workers in Sudan.\n\nWe urge the \
         Sudanese government to allow aid convoys to reach Darfur.",
    );
    assert!(count(&c, "CAN", "SDN", "02") >= 1, "{:?}", triples(&c));
}

#[test]
fn a_topic_of_talks_is_not_a_party_to_them() {
    let c = code(
        "The Kenyan and Ethiopian foreign ministers met in Nairobi. The two ministers discussed \
         the fight against al-Shabaab.",
    );
    assert!(
        c.events.iter().all(|e| e
            .target
            .as_ref()
            .is_none_or(|t| t.country.as_deref() != Some("SOM") || e.root != "04")),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn an_unattributed_obligation_in_a_statement_is_the_issuers_demand() {
    let c = code(
        "Canada condemned the trial of the opposition leaders.\n\nThe Venezuelan government \
         should release the political prisoners.",
    );
    assert!(count(&c, "CAN", "VEN", "10") >= 1, "{:?}", triples(&c));
    assert_eq!(
        count(&c, "VEN", "", "08"),
        0,
        "no release happened: {:?}",
        triples(&c)
    );
}

#[test]
fn people_outside_the_dictionaries_speak() {
    let c = code(
        "\u{201c}We will not leave our homes,\u{201d} said Marta Horvat, a nurse in Zagreb. \
         Dr. Ivan Kovac told reporters that the hospital was full.",
    );
    let speakers: Vec<Option<&str>> = c
        .quotes
        .iter()
        .map(|q| q.speaker.as_ref().map(|s| s.name.as_str()))
        .collect();
    assert_eq!(
        speakers,
        vec![Some("Marta Horvat"), Some("Ivan Kovac")],
        "{:?}",
        c.quotes
    );
    assert_eq!(
        c.quotes[0]
            .speaker
            .as_ref()
            .and_then(|s| s.country.as_deref()),
        Some("HRV")
    );
}

#[test]
fn back_references_and_claims_of_responsibility() {
    let c = code(
        "Gunmen attacked a bus in northern Nigeria on Monday, killing 12 passengers. Boko Haram \
         claimed responsibility for the attack on Tuesday.\n\nThe Kenyan army said it had \
         killed 20 al-Shabaab fighters. The group denied the claim.\n\nRussian troops shelled \
         Kharkiv overnight. They later rejected a Ukrainian proposal for a truce.",
    );
    // The claimed attack is Boko Haram's, and the claim is aimed at its victims.
    assert!(count(&c, "NGAREB", "NGA", "19") >= 1, "{:?}", triples(&c));
    assert!(count(&c, "NGAREB", "NGA", "015") >= 1, "{:?}", triples(&c));
    // "the group" is al-Shabaab, denying the army's claim.
    assert!(count(&c, "SOMREB", "KEN", "01") >= 1, "{:?}", triples(&c));
    // "They" are the Russian troops.
    assert!(count(&c, "RUS", "UKR", "12") >= 1, "{:?}", triples(&c));
}

#[test]
fn people_from_a_country_belong_to_it() {
    let c = code("The Dutch king met exiled journalists from military-ruled Sudan on Monday.");
    assert!(count(&c, "NLD", "SDN", "04") >= 1, "{:?}", triples(&c));
    assert!(
        c.actors.iter().all(|a| a.code != "SDNMIL"),
        "'military-ruled' is no actor: {:?}",
        c.actors.iter().map(|a| &a.code).collect::<Vec<_>>()
    );
}

#[test]
fn a_modified_noun_is_no_verb() {
    // "attacks" is a noun here: Chile attacked no one.
    let c = code("Chile said it had the right to defend itself from unceasing border attacks.");
    assert_eq!(count(&c, "CHL", "", "19"), 0, "{:?}", triples(&c));
    // The same word as a verb still codes.
    let c = code("Chilean troops attacked Bolivian border posts on Monday.");
    assert!(count(&c, "CHL", "BOL", "19") >= 1, "{:?}", triples(&c));
}

#[test]
fn a_reaction_past_dates_and_names_reaches_the_act() {
    let c = code("The Turkish president condemned the Dec. 10 ISIS bombing in Istanbul.");
    assert!(
        count(&c, "TUR", "IMG", "11") + count(&c, "TUR", "", "111") >= 1,
        "{:?}",
        triples(&c)
    );
    assert!(
        c.events
            .iter()
            .any(|e| e.root == "11" && e.target.is_some()),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn a_people_using_force_is_its_military() {
    let c = code("The Kenyans counterattacked on Sunday. Ukrainians protested in Kyiv on Monday.");
    assert!(count(&c, "KENMIL", "", "19") >= 1, "{:?}", triples(&c));
    assert!(
        count(&c, "UKRCVL", "", "14") >= 1,
        "protest stays civilian: {:?}",
        triples(&c)
    );
}

#[test]
fn a_participle_after_a_noun_is_its_own_passive() {
    // The army seized nothing: the rebels did.
    let c = code("The Malian army vowed to retake towns seized by Tuareg rebels.");
    assert_eq!(count(&c, "MLIMIL", "", "17"), 0, "{:?}", triples(&c));
    assert!(
        c.events
            .iter()
            .all(|e| e.root != "17" || e.source.as_ref().is_some_and(|s| s.code.contains("REB"))),
        "{:?}",
        triples(&c)
    );
}

#[test]
fn continuing_support_is_support_and_condolences_go_to_the_victims() {
    let c = code("Canada will continue to stand with Ukraine.");
    assert!(count(&c, "CAN", "UKR", "05") >= 1, "{:?}", triples(&c));
    let c = code(
        "Rebels attacked a Nigerien army base on Monday, killing 20 soldiers. Benin offered its \
         condolences to the families of the victims.",
    );
    assert!(count(&c, "BEN", "NER", "018") >= 1, "{:?}", triples(&c));
}
