//! Resolving noun phrases to article-level actors with CAMEO-style codes, and recording the
//! places they name.

use crate::name_key::{name_key, token_key};
use crate::phrases::{Head, Phrase, MODIFIERS};
use crate::{Actor, ActorId, ActorKind, ActorMention, MentionRef, PlaceMention, State};
use dyad_text::TokenKind;

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those",
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

impl State<'_> {
    /// Resolves a phrase to actors and records the mention.
    pub(crate) fn resolve(&mut self, p: Phrase) {
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

    pub(crate) fn actor(
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
