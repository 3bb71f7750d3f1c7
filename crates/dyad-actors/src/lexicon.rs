//! The compiled actor lexicon: one Aho–Corasick automaton (daachorse) over every folded name,
//! alias, adjective, role noun and place, plus name-key indexes for people.

use crate::name_key::{name_key, token_key};
use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};
use dyad_dict::{Country, Dictionaries, Org, Person, Place};
use dyad_text::fold_phrase;
use rustc_hash::FxHashMap as HashMap;

/// What a matched phrase can be. A phrase may be several things ("Moscow" is a capital and a
/// place); [`Entry::priority`] orders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Person(u32),
    Org(u32),
    Country(u32),
    /// A seat of power standing for the government ("Kremlin", "White House").
    Seat(u32),
    Capital(u32),
    Demonym(u32),
    Adjective(u32),
    Role {
        id: u32,
        plural: bool,
    },
    Place(u32),
}

impl Entry {
    fn priority(&self) -> u8 {
        match self {
            Entry::Person(_) => 0,
            Entry::Org(_) => 1,
            Entry::Country(_) => 2,
            Entry::Seat(_) => 3,
            Entry::Capital(_) => 4,
            Entry::Demonym(_) => 5,
            Entry::Adjective(_) => 6,
            Entry::Role { .. } => 7,
            Entry::Place(_) => 8,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RoleInfo {
    pub label: String,
    pub sector: String,
    pub person: bool,
}

/// Errors building the lexicon from dictionaries.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("building the actor automaton: {0}")]
    Automaton(String),
}

pub struct ActorLexicon {
    ac: Option<DoubleArrayAhoCorasick<u32>>,
    entries: Vec<Vec<Entry>>,
    pub(crate) countries: Vec<Country>,
    pub(crate) people: Vec<Person>,
    pub(crate) orgs: Vec<Org>,
    pub(crate) roles: Vec<RoleInfo>,
    pub(crate) places: Vec<Place>,
    person_keys: HashMap<String, Vec<u32>>,
    surname_keys: HashMap<String, Vec<u32>>,
    /// Per person: (surname key, full-name key) of the canonical name.
    canonical_keys: Vec<(String, String)>,
    country_by_code: HashMap<String, u32>,
    org_by_code: HashMap<String, u32>,
}

impl ActorLexicon {
    pub fn new(d: &Dictionaries) -> Result<Self, LexiconError> {
        let mut b = Builder::default();
        for (i, c) in d.countries.iter().enumerate() {
            let i = i as u32;
            b.add(&c.name, Entry::Country(i));
            for a in &c.aliases {
                b.add(a, Entry::Country(i));
            }
            for a in &c.adjectives {
                b.add(a, Entry::Adjective(i));
            }
            for a in &c.demonyms {
                b.add(a, Entry::Demonym(i));
            }
            if let Some(cap) = &c.capital {
                b.add(cap, Entry::Capital(i));
            }
            for g in &c.government {
                b.add(g, Entry::Seat(i));
            }
        }
        let mut person_keys: HashMap<String, Vec<u32>> = HashMap::default();
        let mut canonical_keys = Vec::with_capacity(d.people.len());
        let mut surname_keys: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, p) in d.people.iter().enumerate() {
            let i = i as u32;
            let folded = fold_phrase(&p.name);
            let toks: Vec<&str> = folded.split_whitespace().filter(|t| *t != "-").collect();
            canonical_keys.push((
                toks.last().map(|l| token_key(l)).unwrap_or_default(),
                name_key(toks.iter().copied()),
            ));
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                b.add(n, Entry::Person(i));
                let folded = fold_phrase(n);
                let toks: Vec<&str> = folded.split_whitespace().filter(|t| *t != "-").collect();
                let key = name_key(toks.iter().copied());
                push_unique(person_keys.entry(key).or_default(), i);
                if toks.len() >= 3 {
                    // "Luiz Inacio Lula da Silva" is also "Luiz Silva"-less; index first + last.
                    let fl = name_key([toks[0], toks[toks.len() - 1]]);
                    push_unique(person_keys.entry(fl).or_default(), i);
                }
                if toks.len() >= 2 {
                    if let Some(last) = toks.last() {
                        push_unique(surname_keys.entry(token_key(last)).or_default(), i);
                    }
                }
            }
        }
        let mut org_by_code = HashMap::default();
        for (i, o) in d.orgs.iter().enumerate() {
            let i = i as u32;
            b.add(&o.name, Entry::Org(i));
            for a in &o.aliases {
                b.add(a, Entry::Org(i));
            }
            org_by_code.entry(o.code.clone()).or_insert(i);
        }
        let mut roles = Vec::new();
        for (i, r) in d.roles.iter().enumerate() {
            let id = i as u32;
            for w in &r.words {
                b.add(w, Entry::Role { id, plural: false });
                if r.plurals.is_empty() {
                    b.add(&pluralize(w), Entry::Role { id, plural: true });
                }
            }
            for w in &r.plurals {
                b.add(w, Entry::Role { id, plural: true });
            }
            roles.push(RoleInfo {
                label: r.words.first().cloned().unwrap_or_default(),
                sector: r.sector.clone(),
                person: r.person,
            });
        }
        for (i, p) in d.places.iter().enumerate() {
            let i = i as u32;
            b.add(&p.name, Entry::Place(i));
            for a in &p.aliases {
                b.add(a, Entry::Place(i));
            }
        }
        let country_by_code = d
            .countries
            .iter()
            .enumerate()
            .flat_map(|(i, c)| [(c.iso3.clone(), i as u32), (c.code().to_string(), i as u32)])
            .collect();
        let (ac, entries) = b.build()?;
        Ok(ActorLexicon {
            ac,
            entries,
            countries: d.countries.clone(),
            people: d.people.clone(),
            orgs: d.orgs.clone(),
            roles,
            places: d.places.clone(),
            person_keys,
            surname_keys,
            canonical_keys,
            country_by_code,
            org_by_code,
        })
    }

    /// Leftmost-longest dictionary matches over a folded, space-prefixed text, as
    /// `(start, end, pattern id)` in bytes of that text. Only whole-token matches are kept.
    pub(crate) fn find<'a>(
        &'a self,
        folded: &'a str,
    ) -> impl Iterator<Item = (usize, usize, u32)> + 'a {
        let bytes = folded.as_bytes();
        self.ac
            .iter()
            .flat_map(move |ac| ac.leftmost_find_iter(folded))
            .filter(move |m| m.end() == bytes.len() || bytes[m.end()] == b' ')
            .map(|m| (m.start(), m.end(), m.value()))
    }

    /// Entries of a pattern, best first.
    pub(crate) fn entries(&self, pattern: u32) -> &[Entry] {
        &self.entries[pattern as usize]
    }

    pub(crate) fn people_by_key(&self, key: &str) -> &[u32] {
        self.person_keys.get(key).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn person_keys_of(&self, person: u32) -> (&str, &str) {
        let (s, f) = &self.canonical_keys[person as usize];
        (s, f)
    }

    pub(crate) fn people_by_surname(&self, key: &str) -> &[u32] {
        self.surname_keys.get(key).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn country_by_code(&self, code: &str) -> Option<&Country> {
        self.country_index(code)
            .map(|i| &self.countries[i as usize])
    }

    /// Index of the country with this ISO or CAMEO code.
    pub(crate) fn country_index(&self, code: &str) -> Option<u32> {
        self.country_by_code.get(code).copied()
    }

    pub(crate) fn org_by_code(&self, code: &str) -> Option<&Org> {
        self.org_by_code.get(code).map(|&i| &self.orgs[i as usize])
    }

    /// Number of distinct folded phrases in the automaton.
    pub fn phrase_count(&self) -> usize {
        self.entries.len()
    }
}

fn push_unique(v: &mut Vec<u32>, i: u32) {
    if !v.contains(&i) {
        v.push(i);
    }
}

/// Regular English plural of a role noun; the head is the last word, or the word before
/// "of" ("minister of defence" → "ministers of defence").
pub fn pluralize(phrase: &str) -> String {
    let words: Vec<&str> = phrase.split(' ').collect();
    let head = words
        .iter()
        .position(|w| *w == "of")
        .map_or(words.len() - 1, |p| p.max(1) - 1);
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let w = &words[head];
    let lw = w.to_ascii_lowercase();
    out[head] = if lw.ends_with("man") {
        format!("{}men", &w[..w.len() - 3])
    } else if lw.ends_with("person") {
        format!("{}people", &w[..w.len() - 6])
    } else if lw.ends_with('y') && !lw.ends_with("ay") && !lw.ends_with("ey") && !lw.ends_with("oy")
    {
        format!("{}ies", &w[..w.len() - 1])
    } else if lw.ends_with('s')
        || lw.ends_with("sh")
        || lw.ends_with("ch")
        || lw.ends_with('x')
        || lw.ends_with('z')
    {
        format!("{w}es")
    } else {
        format!("{w}s")
    };
    out.join(" ")
}

/// The automaton (none when there are no phrases) and the entries of each pattern id.
type Compiled = (Option<DoubleArrayAhoCorasick<u32>>, Vec<Vec<Entry>>);

#[derive(Default)]
struct Builder {
    index: HashMap<String, u32>,
    entries: Vec<Vec<Entry>>,
}

impl Builder {
    fn add(&mut self, phrase: &str, e: Entry) {
        let folded = fold_phrase(phrase);
        if folded.trim().is_empty() {
            return;
        }
        let n = self.entries.len() as u32;
        let id = *self.index.entry(folded).or_insert(n);
        if id == n {
            self.entries.push(Vec::new());
        }
        let v = &mut self.entries[id as usize];
        if !v.contains(&e) {
            v.push(e);
            v.sort_by_key(Entry::priority);
        }
    }

    fn build(self) -> Result<Compiled, LexiconError> {
        if self.index.is_empty() {
            return Ok((None, self.entries));
        }
        let ac = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(self.index.iter().map(|(k, v)| (k.as_str(), *v)))
            .map_err(|e| LexiconError::Automaton(e.to_string()))?;
        Ok((Some(ac), self.entries))
    }
}

#[cfg(test)]
mod tests {
    use super::pluralize;

    /// One person is one dictionary entry: two entries whose names fold to the same key and
    /// that share an office are the same person written twice (their roles must be merged).
    /// Different people who share a name (two David Johnstons) hold different offices.
    #[test]
    fn no_person_is_entered_twice() {
        let d = dyad_dict::Dictionaries::embedded().expect("embedded dictionaries");
        let lex = super::ActorLexicon::new(&d).expect("lexicon");
        let mut twice = Vec::new();
        for (i, p) in d.people.iter().enumerate() {
            let (_, full) = lex.person_keys_of(i as u32);
            for &j in lex.people_by_key(full) {
                let q = &d.people[j as usize];
                if (j as usize) > i
                    && p.roles
                        .iter()
                        .any(|r| q.roles.iter().any(|s| s.code == r.code && s.from == r.from))
                {
                    twice.push(format!("{} / {}", p.name, q.name));
                }
            }
        }
        assert!(twice.is_empty(), "entered twice: {twice:?}");
    }

    #[test]
    fn plurals() {
        assert_eq!(pluralize("foreign minister"), "foreign ministers");
        assert_eq!(pluralize("minister of defence"), "ministers of defence");
        assert_eq!(pluralize("gunman"), "gunmen");
        assert_eq!(pluralize("spokesperson"), "spokespeople");
        assert_eq!(pluralize("authority"), "authorities");
        assert_eq!(pluralize("attorney"), "attorneys");
        assert_eq!(pluralize("witness"), "witnesses");
    }
}
