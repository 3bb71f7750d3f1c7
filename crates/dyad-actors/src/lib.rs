//! dyad's actor stage. [`annotate`] reads a [`Document`] and finds who is named in it:
//! states (by name, adjective, demonym, capital or seat of power), people (with the office they
//! held on the article's date), organizations, role nouns with or without a nationality, and
//! places. Mentions are grouped into noun phrases ("the Russian Foreign Minister, Sergey
//! Lavrov") and resolved to article-level [`Actor`]s with CAMEO-style codes.
//!
//! Invariants: mentions never overlap, never cross a sentence, and are sorted by position;
//! every mention's `actors` index into [`ActorAnnotations::actors`].

mod coref;
mod lexicon;
pub mod name_key;

pub use lexicon::{pluralize, ActorLexicon, Entry, LexiconError, RoleInfo};

use chrono::NaiveDate;
use dyad_text::{Document, TokenKind};
use name_key::{name_key, token_key};
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
        let sector = b.sector.clone().unwrap_or_default();
        let code = format!("{country}{sector}");
        if let Some(i) = self
            .actors
            .iter()
            .position(|a| a.code == code && a.kind != ActorKind::Person)
        {
            return i;
        }
        let derived = Actor {
            name: format!("{} ({country})", b.name),
            code,
            country: Some(country.to_string()),
            org: None,
            sector: b.sector.clone(),
            kind: ActorKind::State,
            title: None,
            mentions: b.mentions.clone(),
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

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those",
];

/// Words that may stand between the parts of an actor phrase ("the *former* Azerbaijani
/// President", "*deputy* foreign minister").
const MODIFIERS: &[&str] = &[
    "former",
    "current",
    "then",
    "new",
    "senior",
    "top",
    "chief",
    "deputy",
    "acting",
    "interim",
    "outgoing",
    "incoming",
    "ousted",
    "late",
    "exiled",
    "jailed",
    "vice",
    "first",
    "also",
    "newly",
    "elected",
    "self-proclaimed",
    "de",
    "facto",
    // "Vietnamese-led forces", "Saudi-backed government"
    "-",
    "led",
    "backed",
    "allied",
    "sponsored",
    "hardline",
    "veteran",
    "powerful",
    "influential",
];

const PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "throughout",
    "around",
    "into",
    "toward",
    "towards",
    "within",
    "from",
    "with",
    "to",
    "by",
    "of",
    "for",
    "on",
    "against",
    "about",
    "between",
    "over",
    "among",
    "after",
    "before",
    "under",
    "through",
    "via",
    "like",
    "than",
    "including",
    "during",
    "despite",
    "amid",
    "without",
];

/// Capitalized words that start sentences or headlines but are no names.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "however",
    "yesterday",
    "today",
    "tomorrow",
    "this",
    "that",
    "these",
    "those",
    "such",
    "through",
    "quoted",
    "in",
    "on",
    "at",
    "for",
    "from",
    "with",
    "after",
    "before",
    "during",
    "while",
    "when",
    "as",
    "if",
    "nor",
    "meanwhile",
    "earlier",
    "later",
    "last",
    "next",
    "according",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "its",
    "there",
    "here",
    "also",
    "both",
    "all",
    "some",
    "many",
    "several",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "by",
    "despite",
    "since",
    "until",
    "under",
    "over",
    "what",
    "who",
    "which",
    "where",
    "why",
    "how",
    "not",
    "no",
    "one",
    "two",
    "three",
    "so",
    "then",
    "thus",
    "still",
    "yet",
    "even",
    "already",
    "instead",
    "other",
    "another",
    "each",
    "every",
    "most",
    "more",
    "first",
    "second",
    "new",
    "officials",
    "sources",
    "is",
    "are",
    "was",
];

/// [`NOT_NAMES`] as a set: checked for every capitalized token.
static NOT_NAME_SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| NOT_NAMES.iter().copied().collect());

/// One lexical item in a sentence: a dictionary match or an unknown capitalized name.
#[derive(Debug, Clone)]
struct Item {
    tokens: Range<usize>,
    kind: ItemKind,
}

#[derive(Debug, Clone)]
enum ItemKind {
    Lex(u32),
    /// A known person found by name key (transliteration variants).
    Person(u32),
    /// A capitalized name with no dictionary entry.
    Name,
}

/// A noun phrase under construction.
#[derive(Debug, Clone, Default)]
struct Phrase {
    tokens: Range<usize>,
    countries: Vec<u32>,
    role: Option<u32>,
    head: Head,
    place: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Head {
    #[default]
    None,
    Person(u32),
    Org(u32),
    Name,
    Country(u32),
    Capital(u32),
    Seat(u32),
    Demonym(u32),
    Place(u32),
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

impl State<'_> {
    /// Dictionary matches over the whole document, in token order, never overlapping and never
    /// crossing a sentence boundary.
    fn lex_items(&self) -> Vec<Item> {
        let doc = self.doc;
        let mut items = Vec::new();
        let mut covered_to = 0usize;
        for (s, e, pat) in self.lex.find(&doc.folded) {
            // The match starts at the separating space before its first token.
            let Some(first) = doc.token_at_norm(s + 1) else {
                continue;
            };
            let Some(last) = doc.token_ending_at_norm(e) else {
                continue;
            };
            if first < covered_to || doc.tokens[first].sentence != doc.tokens[last].sentence {
                continue;
            }
            // Lower-case matches of entries that are only names when capitalized ("Jordan"
            // the country vs "jordan" is fine; but "turkey", "chad", "china" the nouns): a
            // single-token country/person/org match must be capitalized.
            let entries = self.lex.entries(pat);
            let needs_cap = entries.iter().all(|e| {
                matches!(
                    e,
                    Entry::Person(_)
                        | Entry::Org(_)
                        | Entry::Country(_)
                        | Entry::Capital(_)
                        | Entry::Place(_)
                        | Entry::Seat(_)
                        | Entry::Adjective(_)
                        | Entry::Demonym(_)
                )
            });
            if needs_cap && !(first..=last).any(|t| doc.tokens[t].upper) {
                continue;
            }
            // "military sites", "civilian facilities", "official media": these role words are
            // adjectives before a noun.
            if first == last
                && matches!(
                    doc.norm(first),
                    "military" | "civilian" | "official" | "general" | "paramilitary"
                )
            {
                let next = last + 1;
                let noun_follows = next < doc.tokens.len()
                    && doc.tokens[next].kind == TokenKind::Word
                    && !doc.tokens[next].upper
                    && !matches!(
                        doc.norm(next),
                        "and"
                            | "or"
                            | "of"
                            | "in"
                            | "on"
                            | "at"
                            | "to"
                            | "for"
                            | "with"
                            | "from"
                            | "said"
                            | "says"
                            | "has"
                            | "have"
                            | "had"
                            | "was"
                            | "were"
                            | "is"
                            | "are"
                            | "will"
                            | "would"
                            | "who"
                            | "which"
                            | "that"
                    );
                if noun_follows {
                    continue;
                }
            }
            items.push(Item {
                tokens: first..last + 1,
                kind: ItemKind::Lex(pat),
            });
            covered_to = last + 1;
        }
        items
    }

    /// A sentence's dictionary matches plus the capitalized names between them.
    fn with_names(&self, lex: &[Item], range: Range<usize>) -> Vec<Item> {
        let doc = self.doc;
        let mut items = lex.to_vec();
        let mut names = Vec::new();
        let mut next_item = 0;
        let mut t = range.start;
        while t < range.end {
            while next_item < items.len() && items[next_item].tokens.end <= t {
                next_item += 1;
            }
            if next_item < items.len() && items[next_item].tokens.start <= t {
                t = items[next_item].tokens.end;
                continue;
            }
            if self.name_token(t) {
                let mut e = t + 1;
                let limit = next_item_start(&items, next_item, range.end);
                while e < limit && e - t < 5 && doc.tokens[e].sentence == doc.tokens[t].sentence {
                    let particle = matches!(
                        doc.norm(e),
                        "bin"
                            | "ibn"
                            | "al"
                            | "el"
                            | "de"
                            | "da"
                            | "van"
                            | "von"
                            | "-"
                            | "la"
                            | "le"
                            | "abu"
                            | "abd"
                            | "dos"
                            | "del"
                    ) && e + 1 < limit
                        && (self.name_token(e + 1) || doc.norm(e + 1) == "-");
                    if !(self.name_token(e) || particle) {
                        break;
                    }
                    e += 1;
                }
                while e > t + 1 && doc.norm(e - 1) == "-" {
                    e -= 1;
                }
                names.extend(self.name_item(t..e, range.start));
                t = e;
                continue;
            }
            t += 1;
        }
        items.extend(names);
        items.sort_by_key(|i| i.tokens.start);
        items
    }

    /// A token that can be part of a person's name.
    fn name_token(&self, t: usize) -> bool {
        let tok = &self.doc.tokens[t];
        if !tok.upper || tok.kind != TokenKind::Word || self.doc.is_furniture(t) {
            return false;
        }
        let n = self.doc.norm(t);
        if NOT_NAME_SET.contains(n) {
            return false;
        }
        // An all-capitals word of 2–5 letters is an acronym, not a name.
        let s = self.doc.surface(t);
        !(s.len() <= 5 && s.len() > 1 && s.chars().all(|c| c.is_uppercase()))
    }

    /// Resolves a capitalized run: a dictionary person by name key, a surname seen earlier in
    /// the article, a surname unique in the dictionaries, or an unknown name.
    fn name_item(&self, r: Range<usize>, sentence_start: usize) -> Option<Item> {
        let toks: Vec<&str> = r
            .clone()
            .map(|t| self.doc.norm(t))
            .filter(|n| *n != "-")
            .collect();
        let key = name_key(toks.iter().copied());
        if let [p] = self.lex.people_by_key(&key) {
            return Some(Item {
                tokens: r,
                kind: ItemKind::Person(*p),
            });
        }
        if toks.len() == 1 {
            if let Some(ActorId::Person(p)) = self.doc_names.get(&key) {
                return Some(Item {
                    tokens: r,
                    kind: ItemKind::Person(*p),
                });
            }
            if self.doc_names.contains_key(&key) {
                return Some(Item {
                    tokens: r,
                    kind: ItemKind::Name,
                });
            }
            // A surname alone: only when one dictionary person has it.
            if let [p] = self.lex.people_by_surname(&token_key(toks[0])) {
                return Some(Item {
                    tokens: r,
                    kind: ItemKind::Person(*p),
                });
            }
            // A lone capitalized word opening a sentence ("Overnight, …") is no name.
            if r.start == sentence_start {
                return None;
            }
        }
        Some(Item {
            tokens: r,
            kind: ItemKind::Name,
        })
    }

    /// Groups a sentence's items into noun phrases.
    fn phrases(&self, items: &[Item], sentence: Range<usize>) -> Vec<Phrase> {
        let mut out: Vec<Phrase> = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let mut p = Phrase {
                tokens: items[i].tokens.clone(),
                ..Phrase::default()
            };
            let mut j = i;
            // Nationality modifiers: "Armenian and Azerbaijani", "U.S.".
            while let Some(c) = self.modifier_country(&items[j], items.get(j + 1)) {
                if !p.countries.contains(&c) {
                    p.countries.push(c);
                }
                p.tokens.end = items[j].tokens.end;
                let Some(next) = items.get(j + 1) else {
                    j += 1;
                    break;
                };
                let gap = self.gap(items[j].tokens.end, next.tokens.start);
                let joined = matches!(gap.as_slice(), ["and"] | [","] | [",", "and"] | ["'s"]);
                j += 1;
                if !(joined || gap.iter().all(|w| MODIFIERS.contains(w))) {
                    break;
                }
                if !gap.is_empty()
                    && gap.as_slice() != ["'s"]
                    && self.modifier_country(next, items.get(j + 1)).is_none()
                {
                    // "Armenian and Azerbaijani counterparts" continues; "Russia and Turkey" does not.
                    break;
                }
            }
            // A role noun right after the modifiers (or at the start).
            if j < items.len() && (j == i || self.adjacent(&items[j - 1], &items[j])) {
                if let Some(r) = self.role_of(&items[j]) {
                    p.role = Some(r);
                    p.tokens.end = items[j].tokens.end;
                    j += 1;
                }
            }
            // A head: a person, organization, name, state, capital, seat or place.
            if j < items.len() && (j == i || self.adjacent(&items[j - 1], &items[j])) {
                let h = self.head_of(&items[j]);
                let takes = match h {
                    Head::None => false,
                    Head::Person(_) | Head::Org(_) | Head::Name => true,
                    // "Russia", "Moscow": only when nothing came before it in this phrase.
                    _ => j == i,
                };
                if takes {
                    p.head = h;
                    p.place = self.place_of(&items[j]);
                    p.tokens.end = items[j].tokens.end;
                    j += 1;
                }
            }
            if j == i {
                // A lone nationality adjective or demonym-like item that formed nothing.
                j = i + 1;
                if let ItemKind::Lex(pat) = items[i].kind {
                    if let Some(Entry::Adjective(c)) = self.lex.entries(pat).first() {
                        // "the Armenian side": an adjective alone still names the state.
                        p.countries.push(*c);
                    }
                }
            }
            // "the Bush administration", "the Putin government": a leader's name before a role
            // noun names the state's institution, not the person.
            if let (Head::Person(pi), Some(next)) = (p.head, items.get(j)) {
                if next.tokens.start == p.tokens.end {
                    if let (Some(r), Some(c)) = (self.role_of(next), self.person_country(pi)) {
                        if matches!(
                            self.lex.roles[r as usize].sector.as_str(),
                            "GOV" | "MIL" | "PTY"
                        ) {
                            p.head = Head::None;
                            p.role = Some(r);
                            p.countries = vec![c];
                            p.tokens.end = next.tokens.end;
                            j += 1;
                        }
                    }
                }
            }
            // "Red Cross officials", "Hezbollah guerrillas": the organization's people.
            if let (Head::Org(_), Some(next)) = (p.head, items.get(j)) {
                if next.tokens.start == p.tokens.end && self.role_of(next).is_some() {
                    p.tokens.end = next.tokens.end;
                    j += 1;
                }
            }
            // "ambassador of Armenia", "students in Indonesia": a role takes a country after it.
            if p.role.is_some() && p.countries.is_empty() && p.head == Head::None {
                if let Some(next) = items.get(j) {
                    let gap = self.gap(p.tokens.end, next.tokens.start);
                    if matches!(
                        gap.as_slice(),
                        ["of"]
                            | ["from"]
                            | ["in"]
                            | ["throughout"]
                            | ["across"]
                            | ["of", "the"]
                            | ["in", "the"]
                    ) {
                        if let Some(c) = self.country_of(next) {
                            p.countries.push(c);
                        }
                    }
                }
            }
            // Include a determiner before the phrase in its span? No: spans are the names.
            out.push(p);
            i = j;
        }
        self.appositions(out, sentence)
    }

    /// Merges "ROLE , NAME ,", "NAME , ROLE", "ORG (ACRONYM)" and "ROLE NAME" appositions.
    fn appositions(&self, mut ps: Vec<Phrase>, sentence: Range<usize>) -> Vec<Phrase> {
        let mut out: Vec<Phrase> = Vec::with_capacity(ps.len());
        let mut k = 0;
        while k < ps.len() {
            let mut p = std::mem::take(&mut ps[k]);
            k += 1;
            while k < ps.len() {
                let q = &ps[k];
                let gap = self.gap(p.tokens.end, q.tokens.start);
                let comma = matches!(gap.as_slice(), [","] | [",", "the"] | ["("]);
                let named = |h: Head| matches!(h, Head::Person(_) | Head::Name | Head::Org(_));
                if comma
                    && p.head == Head::None
                    && p.role.is_some()
                    && p.countries.len() <= 1
                    && named(q.head)
                    && q.role.is_none()
                {
                    // "the Russian Foreign Minister, Sergey Lavrov"
                    p.head = q.head;
                    p.tokens.end = q.tokens.end;
                    k += 1;
                } else if comma
                    && matches!(p.head, Head::Name)
                    && q.head == Head::None
                    && q.role.is_some()
                {
                    // "Vardan Toganyan, the Armenian ambassador"
                    p.role = q.role;
                    p.countries = q.countries.clone();
                    p.tokens.end = q.tokens.end;
                    k += 1;
                } else {
                    break;
                }
            }
            // "Organization for Security ... and Cooperation in Europe (OSCE)"
            if let Head::Org(o) = p.head {
                if let Some(start) = self.acronym_expansion(&p, o, sentence.start) {
                    p.tokens.start = start;
                    if p.tokens.end < sentence.end && self.doc.norm(p.tokens.end) == ")" {
                        p.tokens.end += 1;
                    }
                    // The expansion may have swallowed phrases already emitted.
                    while out.last().is_some_and(|l| l.tokens.start >= start) {
                        out.pop();
                    }
                }
            }
            out.push(p);
        }
        out
    }

    /// For an organization written as an acronym in parentheses, the start of the spelled-out
    /// name before it whose capitalized initials spell the acronym.
    fn acronym_expansion(&self, p: &Phrase, o: u32, sent_start: usize) -> Option<usize> {
        let doc = self.doc;
        let open = p.tokens.start.checked_sub(1)?;
        if open < sent_start || doc.norm(open) != "(" {
            return None;
        }
        let acr: Vec<char> = self.lex.orgs[o as usize]
            .key
            .to_ascii_lowercase()
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        if acr.len() < 2 {
            return None;
        }
        let mut initials: Vec<char> = Vec::new();
        let mut t = open;
        let mut best = None;
        while t > sent_start && open - t < 16 {
            t -= 1;
            let n = doc.norm(t);
            if doc.tokens[t].upper && doc.tokens[t].kind == TokenKind::Word {
                initials.insert(0, n.chars().next().unwrap_or(' '));
                if initials == acr {
                    best = Some(t);
                }
                if initials.len() > acr.len() {
                    break;
                }
            } else if !matches!(
                n,
                "of" | "for"
                    | "and"
                    | "in"
                    | "the"
                    | "'s"
                    | "."
                    | "on"
                    | "-"
                    | "&"
                    | "mechanisms"
                    | "de"
                    | "du"
                    | "des"
            ) {
                break;
            }
        }
        best
    }

    /// "President Yoweri Museveni has banned Ugandan opposition candidates": a role with no
    /// nationality takes the country of the sentence when the sentence names exactly one.
    fn country_from_context(&mut self, first_mention: usize, first_place: usize) {
        let mut countries: Vec<String> = Vec::new();
        for m in &self.out.mentions[first_mention..] {
            for &a in &m.actors {
                if let Some(c) = &self.out.actors[a].country {
                    if !countries.contains(c) {
                        countries.push(c.clone());
                    }
                }
            }
        }
        for p in &self.out.places[first_place..] {
            if let Some(c) = &p.country {
                if !countries.contains(c) {
                    countries.push(c.clone());
                }
            }
        }
        let [country] = countries.as_slice() else {
            return;
        };
        let country = country.clone();
        for mi in first_mention..self.out.mentions.len() {
            self.rehome(mi, &country);
        }
    }

    /// Gives the countryless roles and people of mention `mi` the country `country` (a code):
    /// a named person keeps it for the whole article; a role becomes that country's sector.
    fn rehome(&mut self, mi: usize, country: &str) {
        let lex = self.lex;
        let Some(c) = lex.country_by_code(country) else {
            return;
        };
        {
            let actors = self.out.mentions[mi].actors.clone();
            let mut changed = Vec::with_capacity(actors.len());
            for a in actors {
                let act = &self.out.actors[a];
                let contextual = act.country.is_none()
                    && act.org.is_none()
                    && (act
                        .sector
                        .as_deref()
                        .is_some_and(|s| CONTEXT_SECTORS.contains(&s))
                        || (act.kind == ActorKind::Person && act.sector.is_none()));
                if !contextual {
                    changed.push(a);
                    continue;
                }
                let sector = act.sector.clone().unwrap_or_default();
                let code = format!("{}{sector}", c.code());
                if act.kind == ActorKind::Person {
                    // A named person: the country is a fact about them, for the whole article.
                    let act = &mut self.out.actors[a];
                    act.code = code;
                    act.country = Some(c.iso3.clone());
                    changed.push(a);
                } else {
                    let span = self.doc.span_of(self.out.mentions[mi].tokens.clone());
                    let pos = self.out.actors[a]
                        .mentions
                        .iter()
                        .rposition(|r| r.start == span.start && r.end == span.end);
                    let m = pos.map(|i| self.out.actors[a].mentions.remove(i));
                    let name = format!(
                        "{} {}",
                        c.adjectives.first().unwrap_or(&c.name),
                        sector_label(&sector)
                    );
                    let na = self.actor(ActorId::Code(code.clone()), || {
                        (name, code, ActorKind::State, None)
                    });
                    if let Some(m) = m {
                        if self.out.actors[na].mentions.last() != Some(&m) {
                            self.out.actors[na].mentions.push(m);
                        }
                    }
                    changed.push(na);
                }
            }
            self.out.mentions[mi].actors = changed;
        }
    }

    /// Resolves a phrase to actors and records the mention.
    fn resolve(&mut self, p: Phrase) {
        let doc = self.doc;
        let sentence = doc.tokens[p.tokens.start].sentence as usize;
        let prep = self.preposition_before(p.tokens.start, sentence);
        let possessive = doc.is_word(p.tokens.end, "'s");
        let adjectival = p.head == Head::None && p.role.is_none() && !p.countries.is_empty();
        let place = self.record_place(&p, prep, sentence);
        let mut actors = Vec::new();
        let lex = self.lex;
        let role = p.role.map(|r| &lex.roles[r as usize]);
        match p.head {
            Head::Person(i) => {
                let person = &self.lex.people[i as usize];
                let r = person.role_on(self.date);
                let code = r.map(|r| r.code.clone()).unwrap_or_else(|| {
                    let c = p
                        .countries
                        .first()
                        .map(|&c| self.lex.countries[c as usize].code().to_string())
                        .unwrap_or_default();
                    format!("{c}{}", role.as_ref().map_or("", |r| r.sector.as_str()))
                });
                let title = r.and_then(|r| r.title.clone());
                let a = self.actor(ActorId::Person(i), || {
                    (person.name.clone(), code, ActorKind::Person, title)
                });
                // Precomputed keys: the surname and the full name of the canonical form.
                let (surname, full) = self.lex.person_keys_of(i);
                self.doc_names
                    .insert(surname.to_string(), ActorId::Person(i));
                self.doc_names.insert(full.to_string(), ActorId::Person(i));
                if let Some(r) = &role {
                    self.remember_role(&r.label, a);
                }
                if let Some(t) = self.out.actors[a].title.as_deref().map(str::to_lowercase) {
                    self.remember_role(&t, a);
                }
                actors.push(a);
            }
            Head::Org(i) => {
                let o = &self.lex.orgs[i as usize];
                let a = self.actor(ActorId::Org(i), || {
                    (
                        o.name.clone(),
                        o.code.clone(),
                        ActorKind::Organization,
                        None,
                    )
                });
                if let Some(r) = &role {
                    self.remember_role(&r.label, a);
                }
                actors.push(a);
            }
            Head::Name => {
                // An unknown person: known only through the role and nationality beside it.
                let surface = self.head_surface(&p);
                let key = name_key(
                    surface
                        .split_whitespace()
                        .map(|w| w.to_ascii_lowercase())
                        .collect::<Vec<_>>()
                        .iter()
                        .map(String::as_str),
                );
                if let Some(id) = self.doc_names.get(&key).cloned() {
                    if let Some(&a) = self.ids.get(&id) {
                        actors.push(a);
                    }
                } else if role.is_some()
                    || !p.countries.is_empty()
                    || self.named_as_person(p.tokens.clone())
                {
                    let country = p
                        .countries
                        .first()
                        .map(|&c| self.lex.countries[c as usize].code().to_string())
                        .unwrap_or_default();
                    let sector = role.as_ref().map_or("", |r| r.sector.as_str());
                    let code = format!("{country}{sector}");
                    let name = title_case_ascii(&surface);
                    let id = ActorId::Named(key.clone());
                    let a = self.actor(id.clone(), || (name, code, ActorKind::Person, None));
                    self.remember_name(&surface, id);
                    if let Some(r) = &role {
                        self.remember_role(&r.label, a);
                    }
                    actors.push(a);
                }
            }
            Head::Country(_) | Head::Demonym(_) | Head::Capital(_) | Head::Seat(_) | Head::None
                if !matches!(p.head, Head::None) || !p.countries.is_empty() || role.is_some() =>
            {
                let mut countries = p.countries.clone();
                let mut sector = role.as_ref().map(|r| r.sector.clone());
                match p.head {
                    Head::Country(c) => countries.insert(0, c),
                    Head::Demonym(c) => {
                        countries.insert(0, c);
                        sector.get_or_insert_with(|| "CVL".into());
                    }
                    Head::Capital(c) | Head::Seat(c) => {
                        // "in Moscow" is a place, not the government.
                        if matches!(p.head, Head::Capital(_)) && is_locative(prep) {
                            countries.clear();
                        } else {
                            countries.insert(0, c);
                            sector.get_or_insert_with(|| "GOV".into());
                        }
                    }
                    _ => {}
                }
                // "the minister", "the militants": the actor last named with that role.
                let antecedent = match (&role, countries.is_empty()) {
                    (Some(r), true) => self.role_antecedent(&r.label, p.tokens.start),
                    _ => None,
                };
                if let Some(a) = antecedent {
                    actors.push(a);
                } else if countries.is_empty() {
                    if let Some(r) = &role {
                        let label = r.label.clone();
                        let sector = r.sector.clone();
                        let a = self.actor(ActorId::Group(label.clone()), || {
                            (label, sector, ActorKind::Group, None)
                        });
                        actors.push(a);
                    }
                }
                for c in countries {
                    let country = &self.lex.countries[c as usize];
                    let code = format!("{}{}", country.code(), sector.as_deref().unwrap_or(""));
                    let name = match &sector {
                        Some(s) => format!(
                            "{} {}",
                            country.adjectives.first().unwrap_or(&country.name),
                            sector_label(s)
                        ),
                        None => country.name.clone(),
                    };
                    let a = self.actor(ActorId::Code(code.clone()), || {
                        (name, code, ActorKind::State, None)
                    });
                    if let Some(r) = &role {
                        self.remember_role(&r.label, a);
                    }
                    if !actors.contains(&a) {
                        actors.push(a);
                    }
                }
            }
            _ => {}
        }
        if actors.is_empty() {
            return;
        }
        let span = doc.span_of(p.tokens.clone());
        let text = doc.text[span.start..span.end].to_string();
        for &a in &actors {
            let m = MentionRef {
                text: text.clone(),
                start: span.start,
                end: span.end,
                sentence,
            };
            // Phrases arrive in text order, so a repeat can only be the last one.
            if self.out.actors[a].mentions.last() != Some(&m) {
                self.out.actors[a].mentions.push(m);
            }
        }
        self.out.mentions.push(ActorMention {
            tokens: p.tokens,
            sentence,
            actors,
            prep,
            possessive,
            place,
            adjectival,
        });
    }

    /// The preposition governing a phrase starting at token `start`: right before it, or before
    /// a determiner and adjective-like words ("to wounded soldiers", "in the northern city of").
    fn preposition_before(&self, start: usize, sentence: usize) -> Option<&'static str> {
        let doc = self.doc;
        let mut t = start;
        for _ in 0..4 {
            t = t.checked_sub(1)?;
            if doc.tokens[t].sentence as usize != sentence || doc.tokens[t].kind != TokenKind::Word
            {
                return None;
            }
            let w = doc.norm(t);
            if let Some(p) = PREPOSITIONS.iter().copied().find(|p| *p == w) {
                return Some(p);
            }
            let adjective_like = DETERMINERS.contains(&w)
                || MODIFIERS.contains(&w)
                || (!doc.tokens[t].upper
                    && [
                        "ed", "ing", "al", "ian", "ive", "ous", "ful", "ic", "ern", "ary",
                    ]
                    .iter()
                    .any(|s| w.ends_with(s))
                    && !matches!(w, "said" | "during"));
            if !adjective_like {
                return None;
            }
        }
        None
    }

    fn record_place(
        &mut self,
        p: &Phrase,
        prep: Option<&'static str>,
        sentence: usize,
    ) -> Option<usize> {
        let (name, country, kind, lat, lon) = match (p.head, p.place) {
            (_, Some(pl)) => {
                let pl = &self.lex.places[pl as usize];
                (
                    pl.name.clone(),
                    pl.country.clone(),
                    pl.kind.clone(),
                    pl.lat,
                    pl.lon,
                )
            }
            (Head::Country(c), _) => {
                let c = &self.lex.countries[c as usize];
                (
                    c.name.clone(),
                    Some(c.iso3.clone()),
                    Some("country".to_string()),
                    c.lat,
                    c.lon,
                )
            }
            (Head::Capital(c), _) => {
                let c = &self.lex.countries[c as usize];
                (
                    c.capital.clone().unwrap_or_default(),
                    Some(c.iso3.clone()),
                    Some("city".to_string()),
                    None,
                    None,
                )
            }
            _ => return None,
        };
        let state = country
            .as_deref()
            .and_then(|cc| self.lex.country_by_code(cc))
            .map(|c| {
                let code = c.code().to_string();
                let cname = c.name.clone();
                self.actor(ActorId::Code(code.clone()), || {
                    (cname, code, ActorKind::State, None)
                })
            });
        // "in Montenegro", "in the port of Odesa": the place is a mention of its state.
        if let (Some(a), true) = (state, is_locative(prep) || prep == Some("of")) {
            let span = self.doc.span_of(p.tokens.clone());
            let m = MentionRef {
                text: self.doc.text[span.start..span.end].to_string(),
                start: span.start,
                end: span.end,
                sentence,
            };
            if self.out.actors[a].mentions.last() != Some(&m) {
                self.out.actors[a].mentions.push(m);
            }
        }
        self.out.places.push(PlaceMention {
            tokens: p.tokens.clone(),
            sentence,
            name,
            country,
            kind,
            lat,
            lon,
            prep,
            state,
        });
        Some(self.out.places.len() - 1)
    }

    fn head_surface(&self, p: &Phrase) -> String {
        // The name is the run of capitalized tokens at the end of the phrase.
        let mut s = p.tokens.end;
        while s > p.tokens.start && (self.doc.tokens[s - 1].upper || self.doc.norm(s - 1) == "-") {
            s -= 1;
        }
        self.doc.surface_range(s..p.tokens.end).to_string()
    }

    fn remember_name(&mut self, name: &str, id: ActorId) {
        let folded = dyad_text::fold_phrase(name);
        let toks: Vec<&str> = folded.split_whitespace().filter(|t| *t != "-").collect();
        if let Some(last) = toks.last() {
            self.doc_names.insert(token_key(last), id.clone());
        }
        self.doc_names.insert(name_key(toks.iter().copied()), id);
    }

    fn actor(
        &mut self,
        id: ActorId,
        make: impl FnOnce() -> (String, String, ActorKind, Option<String>),
    ) -> usize {
        if let Some(&a) = self.ids.get(&id) {
            return a;
        }
        let (name, code, kind, title) = make();
        let (country, org, sector) = self.split_code(&code, &id);
        self.out.actors.push(Actor {
            name,
            code,
            country,
            org,
            sector,
            kind,
            title,
            mentions: Vec::new(),
        });
        let a = self.out.actors.len() - 1;
        self.ids.insert(id, a);
        a
    }

    /// Splits a CAMEO-style code into country, organization and sector.
    fn split_code(
        &self,
        code: &str,
        id: &ActorId,
    ) -> (Option<String>, Option<String>, Option<String>) {
        let org_of = |o: &dyad_dict::Org| {
            let key = o.parent.clone().unwrap_or_else(|| o.key.clone());
            key.to_ascii_uppercase()
        };
        if let ActorId::Org(i) = id {
            let o = &self.lex.orgs[*i as usize];
            return (o.country.clone(), Some(org_of(o)), Some(o.sector.clone()));
        }
        let head = code.get(..3).unwrap_or("");
        let rest = code.get(3..6).filter(|s| !s.is_empty()).map(str::to_string);
        if let Some(c) = self.lex.country_by_code(head) {
            return (Some(c.iso3.clone()), None, rest);
        }
        if matches!(head, "IGO" | "NGO" | "IMG" | "MNC" | "ISM") {
            // An official of an international body: find the body by code prefix.
            let mut k = code.len();
            while k > 3 {
                if let Some(o) = self.lex.org_by_code(&code[..k]) {
                    return (None, Some(org_of(o)), Some(head.to_string()));
                }
                k -= 1;
            }
            return (None, None, Some(head.to_string()));
        }
        // A group with no country: the code is its sector.
        (None, None, Some(code.to_string()).filter(|s| !s.is_empty()))
    }

    /// Words between two token positions (exclusive), folded.
    fn gap(&self, from: usize, to: usize) -> Gap<'_> {
        let mut g = Gap {
            words: [""; 6],
            len: 0,
        };
        for t in (from..to.max(from)).take(6) {
            g.words[g.len] = self.doc.norm(t);
            g.len += 1;
        }
        g
    }

    fn adjacent(&self, a: &Item, b: &Item) -> bool {
        let gap = self.gap(a.tokens.end, b.tokens.start);
        b.tokens.start >= a.tokens.end
            && b.tokens.start - a.tokens.end <= 3
            && gap.iter().all(|w| MODIFIERS.contains(w) || *w == "'s")
    }

    /// The country an item gives as a modifier: an adjective, or a state name / capital
    /// directly before a role noun ("U.S. officials", "Russia's foreign ministry").
    fn modifier_country(&self, it: &Item, next: Option<&Item>) -> Option<u32> {
        let ItemKind::Lex(pat) = it.kind else {
            return None;
        };
        let entries = self.lex.entries(pat);
        if let Some(Entry::Adjective(c)) = entries.iter().find(|e| matches!(e, Entry::Adjective(_)))
        {
            // An adjective that is also a state name ("U.S.") counts as a modifier only before
            // a role or another adjective.
            if !entries.iter().any(|e| matches!(e, Entry::Country(_))) {
                return Some(*c);
            }
        }
        let c = entries.iter().find_map(|e| match e {
            Entry::Country(c) | Entry::Capital(c) | Entry::Adjective(c) => Some(*c),
            _ => None,
        })?;
        let next = next?;
        let gap = self.gap(it.tokens.end, next.tokens.start);
        let close = gap.iter().all(|w| MODIFIERS.contains(w) || *w == "'s");
        (close && (self.role_of(next).is_some() || matches!(next.kind, ItemKind::Lex(p) if self.lex.entries(p).iter().any(|e| matches!(e, Entry::Adjective(_)))))).then_some(c)
    }

    /// The country (index) of a person's office on the article's date.
    fn person_country(&self, person: u32) -> Option<u32> {
        let code = &self.lex.people[person as usize].role_on(self.date)?.code;
        self.lex.country_index(code.get(..3)?)
    }

    fn role_of(&self, it: &Item) -> Option<u32> {
        let ItemKind::Lex(pat) = it.kind else {
            return None;
        };
        let e = self.lex.entries(pat);
        // A role only when nothing more specific claims the phrase ("Congress" the party?).
        match e.first() {
            Some(Entry::Role { id, .. }) => Some(*id),
            _ => None,
        }
    }

    fn head_of(&self, it: &Item) -> Head {
        match it.kind {
            ItemKind::Person(p) => Head::Person(p),
            ItemKind::Name => Head::Name,
            ItemKind::Lex(pat) => match self.lex.entries(pat).first() {
                Some(Entry::Person(p)) => Head::Person(*p),
                Some(Entry::Org(o)) => Head::Org(*o),
                Some(Entry::Country(c)) => Head::Country(*c),
                Some(Entry::Seat(c)) => Head::Seat(*c),
                Some(Entry::Capital(c)) => Head::Capital(*c),
                Some(Entry::Demonym(c)) => Head::Demonym(*c),
                Some(Entry::Place(p)) => Head::Place(*p),
                _ => Head::None,
            },
        }
    }

    fn place_of(&self, it: &Item) -> Option<u32> {
        let ItemKind::Lex(pat) = it.kind else {
            return None;
        };
        self.lex.entries(pat).iter().find_map(|e| match e {
            Entry::Place(p) => Some(*p),
            _ => None,
        })
    }

    fn country_of(&self, it: &Item) -> Option<u32> {
        let ItemKind::Lex(pat) = it.kind else {
            return None;
        };
        match self.lex.entries(pat).first() {
            Some(Entry::Country(c) | Entry::Capital(c)) => Some(*c),
            Some(Entry::Place(p)) => self
                .lex
                .country_index(self.lex.places[*p as usize].country.as_deref()?),
            _ => None,
        }
    }
}

fn next_item_start(items: &[Item], next: usize, n: usize) -> usize {
    items.get(next).map_or(n, |i| i.tokens.start)
}

fn is_locative(prep: Option<&str>) -> bool {
    matches!(
        prep,
        Some(
            "in" | "at"
                | "near"
                | "inside"
                | "outside"
                | "across"
                | "throughout"
                | "around"
                | "into"
                | "toward"
                | "towards"
                | "within"
                | "to"
                | "from"
                | "between"
                | "over"
                | "through"
                | "via"
        )
    )
}

/// The words between two phrase parts (at most six), kept on the stack: phrase grouping asks
/// for them many times per sentence.
struct Gap<'a> {
    words: [&'a str; 6],
    len: usize,
}

impl<'a> Gap<'a> {
    fn as_slice(&self) -> &[&'a str] {
        &self.words[..self.len]
    }
    fn iter(&self) -> std::slice::Iter<'_, &'a str> {
        self.as_slice().iter()
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Sectors of a role that belongs to one state, so that the sentence's state can fill it in.
const CONTEXT_SECTORS: &[&str] = &[
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "CVL", "EDU", "LAB", "BUS", "MED", "REF",
    "AGR", "HLH", "REL", "ELI", "PTY", "SPY", "UAF", "INS", "CRM",
];

/// A readable label for a CAMEO sector code.
pub fn sector_label(s: &str) -> &str {
    match s {
        "GOV" => "government",
        "MIL" => "military",
        "REB" => "rebels",
        "OPP" => "opposition",
        "COP" => "police",
        "JUD" => "judiciary",
        "LEG" => "legislature",
        "MED" => "media",
        "NGO" => "NGO",
        "IGO" => "international organization",
        "BUS" => "business",
        "CVL" => "civilians",
        "UAF" => "armed group",
        "EDU" => "students",
        "REF" => "refugees",
        "LAB" => "labor",
        "HLH" => "health sector",
        "REL" => "religious group",
        "AGR" => "farmers",
        "PTY" => "party",
        "SPY" => "intelligence",
        "ELI" => "elites",
        "INS" => "insurgents",
        "CRM" => "criminals",
        "ENV" => "environmental group",
        "MOD" => "moderates",
        "RAD" => "radicals",
        other => other,
    }
}

/// "VARDÁN toganián" → "Vardan Toganian": ASCII, each word capitalized.
fn title_case_ascii(s: &str) -> String {
    let folded = dyad_text::fold_phrase(s);
    folded
        .split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" - ", "-")
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
