//! Grouping a sentence's items into noun phrases: nationality modifiers, a role noun and a
//! head ("the Russian Foreign Minister, Sergey Lavrov"), appositions and acronym expansions.

use crate::items::{Item, ItemKind};
use crate::{Entry, State};
use dyad_text::TokenKind;
use std::ops::Range;

/// Words that may stand between the parts of an actor phrase ("the *former* Azerbaijani
/// President", "*deputy* foreign minister").
pub(crate) const MODIFIERS: &[&str] = &[
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

/// A noun phrase under construction.
#[derive(Debug, Clone, Default)]
pub(crate) struct Phrase {
    pub(crate) tokens: Range<usize>,
    pub(crate) countries: Vec<u32>,
    pub(crate) role: Option<u32>,
    pub(crate) head: Head,
    pub(crate) place: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) enum Head {
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

impl State<'_> {
    /// Groups a sentence's items into noun phrases.
    pub(crate) fn phrases(&self, items: &[Item], sentence: Range<usize>) -> Vec<Phrase> {
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
