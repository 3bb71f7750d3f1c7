//! dyad's actor stage. [`annotate`] reads a [`Document`] and finds who is named in it:
//! states (by name, adjective, demonym, capital or seat of power), people (with the office they
//! held on the article's date), organizations, role nouns with or without a nationality, and
//! places. Mentions are grouped into noun phrases ("the Russian Foreign Minister, Sergey
//! Lavrov") and resolved to article-level [`Actor`]s with CAMEO-style codes.
//!
//! Invariants: mentions never overlap, never cross a sentence, and are sorted by position;
//! every mention's `actors` index into [`ActorAnnotations::actors`].

mod context;
mod coref;
mod items;
mod lexicon;
pub mod name_key;
mod phrases;
mod resolve;

pub use lexicon::{pluralize, ActorLexicon, Entry, LexiconError, RoleInfo};
pub use resolve::sector_label;

use chrono::NaiveDate;
use dyad_text::Document;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What kind of thing an actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Person,
    Organization,
    /// A state, or one of its sectors ("Russian government", "Azerbaijani military").
    State,
    /// A role with no country ("protesters", "gunmen").
    Group,
}

/// A surface mention an actor was resolved from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRef {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// An actor of the article, with every mention that resolved to it.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub name: String,
    /// CAMEO-style code: country (or IGO/NGO) + sector [+ more], e.g. `RUSGOV`.
    pub code: String,
    pub country: Option<String>,
    pub org: Option<String>,
    pub sector: Option<String>,
    pub kind: ActorKind,
    /// The office held on the article's date, for people in the dictionaries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub mentions: Vec<MentionRef>,
}

impl Actor {
    /// The key evaluation matches on: country, else organization, else the code.
    pub fn key(&self) -> &str {
        self.country
            .as_deref()
            .or(self.org.as_deref())
            .unwrap_or(&self.code)
    }
}

/// One noun phrase that names one or more actors ("his Armenian and Azerbaijani counterparts").
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    pub tokens: Range<usize>,
    pub sentence: usize,
    /// Indices into [`ActorAnnotations::actors`]; more than one for a compound inside the phrase.
    pub actors: Vec<usize>,
    /// The preposition right before the phrase, if any (`in`, `with`, `by`, …).
    pub prep: Option<&'static str>,
    /// The phrase is followed by a possessive `'s`.
    pub possessive: bool,
    /// The phrase also names a place (a capital, a country), index into `places`.
    pub place: Option<usize>,
    /// Only a nationality adjective ("Israeli" in "Israeli air raids"): what follows is a noun.
    pub adjectival: bool,
}

/// A place named in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceMention {
    #[serde(skip)]
    pub tokens: Range<usize>,
    pub sentence: usize,
    pub name: String,
    pub country: Option<String>,
    pub kind: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The preposition right before it, if any.
    #[serde(skip)]
    pub prep: Option<&'static str>,
    /// The state it lies in, as an actor: what an event "in Montenegro" is done to when the
    /// text names no other target.
    #[serde(skip)]
    pub state: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct ActorAnnotations {
    pub actors: Vec<Actor>,
    pub mentions: Vec<ActorMention>,
    pub places: Vec<PlaceMention>,
}

impl ActorAnnotations {
    /// The actor `base` (a role with no country, "rebels") placed in `country`, created the
    /// first time: "Burmese troops captured a rebel stronghold" → the rebels are Myanmar's.
    pub fn in_country(&mut self, base: usize, country: &str) -> usize {
        let b = &self.actors[base];
        let sector = b.sector.clone();
        let code = format!("{country}{}", sector.as_deref().unwrap_or_default());
        let name = format!("{} ({country})", b.name);
        self.derived(base, code, name, country.to_string(), sector)
    }

    /// The actor of `base`'s country in `sector` ("the Kenyans" as fighters → Kenya's
    /// military), created the first time; it inherits `base`'s mentions.
    pub fn as_sector(&mut self, base: usize, sector: &str) -> usize {
        let b = &self.actors[base];
        let Some(country) = b.country.clone() else {
            return base;
        };
        let code = format!("{}{sector}", b.code.get(..3).unwrap_or(&country));
        let name = format!("{} ({sector})", b.name);
        self.derived(base, code, name, country, Some(sector.to_string()))
    }

    /// The state actor with `code`, made from `base` (whose mentions it inherits) the first
    /// time it is asked for.
    fn derived(
        &mut self,
        base: usize,
        code: String,
        name: String,
        country: String,
        sector: Option<String>,
    ) -> usize {
        if let Some(i) = self
            .actors
            .iter()
            .position(|a| a.code == code && a.kind != ActorKind::Person)
        {
            return i;
        }
        let derived = Actor {
            name,
            code,
            country: Some(country),
            org: None,
            sector,
            kind: ActorKind::State,
            title: None,
            mentions: self.actors[base].mentions.clone(),
        };
        self.actors.push(derived);
        self.actors.len() - 1
    }

    /// The mention covering token `t`, if any.
    pub fn mention_at(&self, t: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.tokens.end <= t);
        (i < self.mentions.len() && self.mentions[i].tokens.start <= t).then_some(i)
    }

    /// Mentions inside a token range, in order.
    pub fn mentions_in(&self, range: Range<usize>) -> impl Iterator<Item = (usize, &ActorMention)> {
        let i = self
            .mentions
            .partition_point(|m| m.tokens.end <= range.start);
        self.mentions[i..]
            .iter()
            .enumerate()
            .map(move |(k, m)| (i + k, m))
            .take_while(move |(_, m)| m.tokens.start < range.end)
    }

    /// The last mention of a person ending before token `t`.
    pub fn last_person_before(&self, t: usize) -> Option<usize> {
        self.mentions[..self.mentions.partition_point(|m| m.tokens.end <= t)]
            .iter()
            .rev()
            .take(40)
            .find_map(|m| {
                m.actors
                    .iter()
                    .copied()
                    .find(|&a| self.actors[a].kind == ActorKind::Person)
            })
    }
}

/// Identity of an article-level actor, to merge mentions of the same one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ActorId {
    Person(u32),
    Org(u32),
    /// Unknown named person: name key.
    Named(String),
    /// Country or country-sector, by code.
    Code(String),
    /// Role with no country: by label.
    Group(String),
}

/// Finds and resolves the actors of `doc`. `date` (the article's date) picks the office a
/// person held; without it, the latest.
pub fn annotate(doc: &Document, lex: &ActorLexicon, date: Option<NaiveDate>) -> ActorAnnotations {
    let mut st = State {
        doc,
        lex,
        date,
        out: ActorAnnotations::default(),
        ids: HashMap::default(),
        doc_names: HashMap::default(),
        role_heads: HashMap::default(),
    };
    let mut lex_items = st.lex_items();
    // A dateline's city or a byline's agency is no actor of the story.
    lex_items.retain(|it| {
        !doc.is_furniture(it.tokens.start) && !coref::is_modifier(doc, it.tokens.clone())
    });
    let mut start = 0;
    for s in &doc.sentences {
        let end = lex_items[start..].partition_point(|it| it.tokens.start < s.tokens.end) + start;
        // Names are resolved sentence by sentence: a surname refers back to people already
        // resolved earlier in the article.
        let items = st.with_names(&lex_items[start..end], s.tokens.clone());
        let phrases = st.phrases(&items, s.tokens.clone());
        let first_mention = st.out.mentions.len();
        let first_place = st.out.places.len();
        for p in phrases {
            st.resolve(p);
        }
        st.of_country(first_mention);
        st.resolve_pairs(first_mention, s.tokens.clone());
        st.resolve_back_references(first_mention, s.tokens.clone());
        st.country_from_context(first_mention, first_place);
        start = end;
    }
    st.out
}

struct State<'a> {
    doc: &'a Document,
    lex: &'a ActorLexicon,
    date: Option<NaiveDate>,
    out: ActorAnnotations,
    ids: HashMap<ActorId, usize>,
    /// Surname keys (and full-name keys) seen so far in the article → actor identity.
    doc_names: HashMap<String, ActorId>,
    /// Role head nouns ("minister") → the latest actor named with that role (`coref`).
    role_heads: HashMap<String, usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn lex() -> &'static ActorLexicon {
        static L: OnceLock<ActorLexicon> = OnceLock::new();
        L.get_or_init(|| {
            let d = dyad_dict::Dictionaries::embedded().expect("embedded dictionaries");
            ActorLexicon::new(&d).expect("lexicon")
        })
    }

    fn annotate_on(text: &str, date: &str) -> (Document, ActorAnnotations) {
        let doc = Document::new(text);
        let ann = annotate(
            &doc,
            lex(),
            NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
        );
        (doc, ann)
    }

    /// (mention text, actor codes) for every mention.
    fn mentions(text: &str) -> Vec<(String, Vec<String>)> {
        let (doc, ann) = annotate_on(text, "2020-10-01");
        ann.mentions
            .iter()
            .map(|m| {
                (
                    doc.surface_range(m.tokens.clone()).to_string(),
                    m.actors
                        .iter()
                        .map(|&a| ann.actors[a].code.clone())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn nationality_role_and_apposition() {
        let m =
            mentions("The Armenian ambassador to Russia, Vardán Toganián, met Azerbaijani troops.");
        assert!(
            m.iter()
                .any(|(t, c)| t.contains("Vardán Toganián") && c == &["ARMGOV"]),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|(t, c)| t == "Azerbaijani troops" && c == &["AZEMIL"]),
            "{m:?}"
        );
    }

    #[test]
    fn compound_nationalities_give_two_actors() {
        let m = mentions("Lavrov called his Armenian and Azerbaijani counterparts.");
        assert!(m.iter().any(|(_, c)| c == &["ARMGOV", "AZEGOV"]), "{m:?}");
    }

    #[test]
    fn acronym_expansion_covers_the_spelled_out_name() {
        let m = mentions("They asked for the Organization for Security’s mechanisms. and Cooperation in Europe (OSCE) to act.");
        assert!(
            m.iter()
                .any(|(t, c)| t.starts_with("Organization for Security")
                    && t.ends_with("(OSCE)")
                    && c == &["IGOEUROSC"]),
            "{m:?}"
        );
    }

    #[test]
    fn capitals_as_governments_and_as_places() {
        let (_, ann) = annotate_on("Moscow said the talks in Baku went well.", "2020-10-01");
        let codes: Vec<&str> = ann
            .mentions
            .iter()
            .flat_map(|m| m.actors.iter().map(|&a| ann.actors[a].code.as_str()))
            .collect();
        assert!(codes.contains(&"RUSGOV"), "{codes:?}");
        assert!(
            !codes.contains(&"AZEGOV"),
            "\"in Baku\" is a place: {codes:?}"
        );
        assert!(ann.places.iter().any(|p| p.name == "Baku"));
    }

    #[test]
    fn surname_after_full_name_and_transliteration() {
        let (_, ann) = annotate_on(
            "Nikol Pashinián spoke. Later Pashinyan said more.",
            "2020-10-01",
        );
        let p: Vec<&Actor> = ann
            .actors
            .iter()
            .filter(|a| a.kind == ActorKind::Person)
            .collect();
        assert_eq!(
            p.len(),
            1,
            "{:?}",
            ann.actors.iter().map(|a| &a.name).collect::<Vec<_>>()
        );
        assert_eq!(p[0].name, "Nikol Pashinyan");
        assert_eq!(p[0].mentions.len(), 2);
    }

    #[test]
    fn lower_case_country_words_are_not_countries() {
        let (_, ann) = annotate_on(
            "They ate turkey and talked to us about china plates.",
            "2020-10-01",
        );
        assert!(
            ann.actors.is_empty(),
            "{:?}",
            ann.actors.iter().map(|a| &a.name).collect::<Vec<_>>()
        );
    }
}
