//! Countries from the sentence's context: a role or person with no nationality takes the one
//! state the sentence names.

use crate::resolve::sector_label;
use crate::{ActorId, ActorKind, State};

/// Sectors of a role that belongs to one state, so that the sentence's state can fill it in.
const CONTEXT_SECTORS: &[&str] = &[
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "CVL", "EDU", "LAB", "BUS", "MED", "REF",
    "AGR", "HLH", "REL", "ELI", "PTY", "SPY", "UAF", "INS", "CRM",
];

impl State<'_> {
    /// "President Yoweri Museveni has banned Ugandan opposition candidates": a role with no
    /// nationality takes the country of the sentence when the sentence names exactly one.
    pub(crate) fn country_from_context(&mut self, first_mention: usize, first_place: usize) {
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
    pub(crate) fn rehome(&mut self, mi: usize, country: &str) {
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
}
