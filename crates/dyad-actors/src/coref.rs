//! Coreference within the article: role nouns and "the two sides" resolved to the actors
//! named before them.
//!
//! News copy names a party once in full ("Defence Secretary Jim Mattis", "Taliban militants",
//! "Turkish Minister of Defense Fikri Işık") and then refers back with a role noun ("the
//! secretary", "the militants", "the minister") or a pair ("the two leaders", "both sides").
//! Left alone, such a mention is a countryless role that no event can be coded for. Here:
//!
//! - every resolved phrase that carries a role records its actor under the role's *head noun*
//!   ("secretary" for "defense secretary" and "secretary of defense"), as does a person whose
//!   office is known; a later definite role noun with no country of its own ("the secretary")
//!   takes the most recent such actor;
//! - "the two", "both" + a party noun ("sides", "leaders", "countries") take the two most recent
//!   distinct named actors (people first for nouns of people).

use crate::{ActorKind, ActorMention, State};

/// Nouns that, after "the two" or "both", mean the two parties named before.
const PAIR_NOUNS: &[&str] = &[
    "sides",
    "parties",
    "countries",
    "nations",
    "states",
    "governments",
    "neighbours",
    "neighbors",
    "rivals",
    "allies",
    "leaders",
    "presidents",
    "ministers",
    "delegations",
    "men",
    "officials",
    "sides'",
];

/// Pair nouns that name people, whose antecedents are people when the text has two.
const PEOPLE_PAIRS: &[&str] = &["leaders", "presidents", "ministers", "men", "officials"];

/// Participles that, glued to a name by a hyphen, make it a modifier of the noun after it:
/// "Kremlin-backed separatists" are not the Kremlin, "Russian-made missiles" are no actor,
/// "military-ruled Myanmar" is Myanmar.
/// ("-led" is not here: a "Saudi-led coalition" is coded as its leader, as CAMEO coders do.)
const MODIFIER_PARTICIPLES: &[&str] = &[
    "ruled",
    "run",
    "held",
    "controlled",
    "dominated",
    "backed",
    "supported",
    "sponsored",
    "funded",
    "financed",
    "armed",
    "trained",
    "allied",
    "aligned",
    "made",
    "built",
    "based",
    "brokered",
    "installed",
    "leaning",
    "friendly",
    "inspired",
    "linked",
    "affiliated",
    "owned",
    "style",
];

/// Whether the name at `tokens` only modifies what follows or is negated by what precedes:
/// "pro-EU demonstrators", "anti-Western protests", "Kremlin-backed separatists".
pub(crate) fn is_modifier(doc: &dyad_text::Document, tokens: std::ops::Range<usize>) -> bool {
    let glued = |a: usize, b: usize| doc.tokens[a].span.end == doc.tokens[b].span.start;
    let n = doc.tokens.len();
    let before = tokens.start >= 2
        && doc.norm(tokens.start - 1) == "-"
        && matches!(doc.norm(tokens.start - 2), "pro" | "anti")
        && glued(tokens.start - 2, tokens.start - 1)
        && glued(tokens.start - 1, tokens.start);
    let after = tokens.end + 1 < n
        && doc.norm(tokens.end) == "-"
        && MODIFIER_PARTICIPLES.contains(&doc.norm(tokens.end + 1))
        && glued(tokens.end - 1, tokens.end)
        && glued(tokens.end, tokens.end + 1);
    before || after
}

/// Definite descriptions that refer back to the last organization or armed group named ("the
/// group denied the claim", "the militia said").
const GROUP_NOUNS: &[&str] = &[
    "group",
    "organization",
    "organisation",
    "movement",
    "militia",
    "faction",
    "alliance",
    "bloc",
    "coalition",
    "network",
];

/// Titles of address before a person's name.
const PERSON_TITLES: &[&str] = &[
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "gen", "gen.", "sen", "sen.", "rep",
    "rep.", "col", "col.", "lt", "lt.", "sgt", "sgt.", "capt", "capt.", "adm", "adm.", "gov",
    "gov.", "prof", "prof.", "rev", "rev.", "sheikh", "sir", "dame", "lord", "lady", "imam",
    "rabbi", "father", "sister", "brother", "judge", "justice", "mayor", "senator",
];

/// Verbs of saying that show the name beside them is a person ("Horvat said", "said Horvat").
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "explained",
    "noted",
    "wrote",
    "argued",
    "insisted",
    "recalled",
    "warned",
    "asked",
    "replied",
    "answered",
    "continued",
    "commented",
    "acknowledged",
    "admitted",
    "claimed",
];

/// The head noun of a role label: the word before "of", else the last word ("secretary" for
/// "secretary of defense" and "defense secretary").
pub(crate) fn head_noun(label: &str) -> &str {
    let before_of = label.split(" of ").next().unwrap_or(label);
    before_of.rsplit(' ').next().unwrap_or(before_of).trim()
}

impl State<'_> {
    /// Whether an unknown capitalized name at `tokens` is shown to be a person by its context:
    /// a title before it ("Dr. Aziz"), a verb of saying beside it ("Horvat said", "said
    /// Horvat"), or an apposition after it ("Ahmed Hussein, a council member,") — so that
    /// people outside the dictionaries can speak, act and be acted upon.
    pub(crate) fn named_as_person(&self, tokens: std::ops::Range<usize>) -> bool {
        let doc = self.doc;
        let n = doc.tokens.len();
        if tokens.is_empty() {
            return false;
        }
        let sentence = doc.tokens[tokens.start].sentence;
        let same = |k: usize| k < n && doc.tokens[k].sentence == sentence;
        let titled = tokens.start > 0
            && same(tokens.start - 1)
            && PERSON_TITLES.contains(&doc.norm(tokens.start - 1));
        let speaks = tokens.len() >= 2
            && ((same(tokens.end) && SPEECH_VERBS.contains(&doc.norm(tokens.end)))
                || (tokens.start > 0
                    && same(tokens.start - 1)
                    && SPEECH_VERBS.contains(&doc.norm(tokens.start - 1))));
        // "Ahmed Hussein, a local council member,": a comma, an article, then lower-case words.
        let apposed = tokens.len() >= 2
            && same(tokens.end + 2)
            && doc.norm(tokens.end) == ","
            && matches!(doc.norm(tokens.end + 1), "a" | "an" | "the")
            && !doc.tokens[tokens.end + 2].upper;
        titled || speaks || apposed
    }

    /// Records `actor` as the latest antecedent for role nouns with `label`'s head.
    pub(crate) fn remember_role(&mut self, label: &str, actor: usize) {
        let a = &self.out.actors[actor];
        if a.country.is_some() || a.org.is_some() {
            self.role_heads.insert(head_noun(label).to_string(), actor);
        }
    }

    /// The antecedent of a definite role noun ("the minister") with no country of its own.
    pub(crate) fn role_antecedent(&self, label: &str, start: usize) -> Option<usize> {
        let definite = start > 0 && matches!(self.doc.norm(start - 1), "the")
            || matches!(self.doc.norm(start), "the");
        if !definite {
            return None;
        }
        self.role_heads.get(head_noun(label)).copied()
    }

    /// "President Ana Ruiz of Ecuador", "the foreign minister of Peru": a countryless role or
    /// person followed by "of" and a country takes that country; so do civilians, dissidents
    /// and officials "from" a country ("exiled dissidents from Myanmar"), but not troops, who
    /// come from where they withdraw ("pulled its troops from Syria").
    pub(crate) fn of_country(&mut self, first_mention: usize) {
        for i in first_mention..self.out.mentions.len().saturating_sub(1) {
            let (m, n) = (&self.out.mentions[i], &self.out.mentions[i + 1]);
            // "of Peru", "from military-ruled Myanmar": only modifiers may stand between.
            let between = m.tokens.end + 1..n.tokens.start;
            let modifiers_only = n.tokens.start > m.tokens.end
                && between.len() <= 4
                && between.clone().all(|k| {
                    let t = &self.doc.tokens[k];
                    (t.kind == dyad_text::TokenKind::Word && !t.upper) || self.doc.norm(k) == "-"
                });
            if !modifiers_only {
                continue;
            }
            let civil = m.actors.iter().all(|&a| {
                !matches!(
                    self.out.actors[a].sector.as_deref(),
                    Some("MIL" | "REB" | "COP" | "INS" | "UAF" | "SPY")
                )
            });
            match self.doc.norm(m.tokens.end) {
                "of" => {}
                "from" if civil => {}
                _ => continue,
            }
            let country = match n.actors.as_slice() {
                [a] => {
                    let x = &self.out.actors[*a];
                    (x.kind == ActorKind::State && x.sector.is_none())
                        .then(|| x.country.clone())
                        .flatten()
                }
                _ => None,
            };
            if let Some(c) = country {
                self.rehome(i, &c);
            }
        }
    }

    /// "The group denied the claim": a definite group noun not already resolved takes the last
    /// organization or armed group named; "They also struck …", "It said …" opening a sentence
    /// take the subject of the sentence before in the same paragraph.
    pub(crate) fn resolve_back_references(
        &mut self,
        first_mention: usize,
        range: std::ops::Range<usize>,
    ) {
        let doc = self.doc;
        if range.len() < 2 {
            return;
        }
        let covered = |st: &Self, t: usize| {
            st.out.mentions[first_mention..]
                .iter()
                .any(|m| m.tokens.contains(&t))
        };
        // "the group", "the militia"
        for t in range.start + 1..range.end {
            if doc.norm(t - 1) == "the"
                && GROUP_NOUNS.contains(&doc.norm(t))
                && !covered(self, t)
                && !(t + 1 < range.end && doc.norm(t + 1) == "of")
            {
                let group = self.out.mentions[..first_mention]
                    .iter()
                    .rev()
                    .flat_map(|m| m.actors.iter().rev().copied())
                    .find(|&a| {
                        let x = &self.out.actors[a];
                        x.kind == ActorKind::Organization
                            || matches!(x.sector.as_deref(), Some("REB" | "INS" | "IMG" | "OPP"))
                    });
                if let Some(g) = group {
                    self.put_back_reference(first_mention, t - 1..t + 1, vec![g]);
                }
            }
        }
        // "They …" / "It …" opening the sentence.
        let mut t = range.start;
        while t < range.end && matches!(doc.norm(t), "but" | "and" | "however" | "," | "meanwhile")
        {
            t += 1;
        }
        let pronoun = doc.norm(t);
        if !matches!(pronoun, "they" | "it") || covered(self, t) {
            return;
        }
        let sentence = doc.tokens[t].sentence as usize;
        if sentence == 0
            || doc.sentences[sentence - 1].paragraph != doc.sentences[sentence].paragraph
        {
            return;
        }
        let prev = doc.sentences[sentence - 1].tokens.clone();
        // "They" takes every party of a compound subject ("The two leaders … They agreed").
        let subject: Vec<usize> = self.out.mentions[..first_mention]
            .iter()
            .filter(|m| prev.contains(&m.tokens.start))
            .find(|m| m.prep.is_none() && !m.adjectival && !m.possessive)
            .map(|m| {
                m.actors
                    .iter()
                    .copied()
                    .filter(|&a| {
                        let x = &self.out.actors[a];
                        (x.country.is_some() || x.org.is_some())
                            && (pronoun == "they" || x.kind != ActorKind::Person)
                    })
                    .take(if pronoun == "they" { 4 } else { 1 })
                    .collect()
            })
            .unwrap_or_default();
        if !subject.is_empty() {
            self.put_back_reference(first_mention, t..t + 1, subject);
        }
    }

    fn put_back_reference(
        &mut self,
        first_mention: usize,
        tokens: std::ops::Range<usize>,
        actors: Vec<usize>,
    ) {
        let doc = self.doc;
        let sentence = doc.tokens[tokens.start].sentence as usize;
        let prep = {
            let k = tokens.start;
            (k > 0 && doc.tokens[k - 1].sentence as usize == sentence)
                .then(|| doc.norm(k - 1))
                .and_then(|w| {
                    [
                        "in", "with", "by", "to", "against", "of", "from", "at", "on", "for",
                    ]
                    .into_iter()
                    .find(|p| *p == w)
                })
        };
        let span = doc.span_of(tokens.clone());
        let ms = &mut self.out.mentions;
        let at =
            first_mention + ms[first_mention..].partition_point(|m| m.tokens.start < tokens.start);
        ms.insert(
            at,
            ActorMention {
                tokens,
                sentence,
                actors: actors.clone(),
                prep,
                possessive: false,
                place: None,
                adjectival: false,
            },
        );
        for a in actors {
            self.out.actors[a].mentions.push(crate::MentionRef {
                text: doc.text[span.start..span.end].to_string(),
                start: span.start,
                end: span.end,
                sentence,
            });
        }
    }

    /// "The two leaders", "both sides", "the two": a mention naming the two parties last
    /// named, added (or replacing a countryless role mention) in sentence `range`.
    pub(crate) fn resolve_pairs(&mut self, first_mention: usize, range: std::ops::Range<usize>) {
        let doc = self.doc;
        let mut t = range.start;
        while t + 1 < range.end {
            let (lead, noun_at) = match doc.norm(t) {
                "both" => (t, t + 1 + usize::from(doc.norm(t + 1) == "the")),
                "the" if doc.norm(t + 1) == "two" => (t, t + 2),
                _ => {
                    t += 1;
                    continue;
                }
            };
            let noun = (noun_at < range.end)
                .then(|| doc.norm(noun_at))
                .filter(|w| PAIR_NOUNS.contains(w));
            // "the two" alone: only as a subject right before a verb-like lower-case word.
            let bare = noun.is_none()
                && doc.norm(t) == "the"
                && noun_at < range.end
                && doc.tokens[noun_at].kind == dyad_text::TokenKind::Word
                && !doc.tokens[noun_at].upper;
            if noun.is_none() && !bare {
                t += 1;
                continue;
            }
            let end = if noun.is_some() { noun_at + 1 } else { noun_at };
            let people = noun.is_some_and(|w| PEOPLE_PAIRS.contains(&w)) || bare;
            if let Some(pair) = self.last_two(lead, people) {
                self.put_pair_mention(first_mention, lead..end, pair);
            }
            t = end;
        }
    }

    /// The two most recent distinct named actors before token `before` (people first when
    /// `people`), skipping place complements.
    fn last_two(&self, before: usize, people: bool) -> Option<[usize; 2]> {
        let named = |a: usize| {
            let x = &self.out.actors[a];
            x.country.is_some() || x.org.is_some()
        };
        let pick = |want_person: bool| {
            let mut found: Vec<usize> = Vec::new();
            let mut codes: Vec<&str> = Vec::new();
            for m in self.out.mentions.iter().rev() {
                if m.tokens.start >= before || matches!(m.prep, Some("in" | "at" | "near")) {
                    continue;
                }
                for &a in m.actors.iter().rev() {
                    let x = &self.out.actors[a];
                    // Leaders, presidents, ministers: people holding office.
                    let office = x.kind == ActorKind::Person
                        && matches!(
                            x.sector.as_deref(),
                            Some("GOV" | "MIL" | "IGO" | "OPP" | "REB")
                        );
                    if !named(a) || (want_person && !office) {
                        continue;
                    }
                    let key = x.country.as_deref().or(x.org.as_deref()).unwrap_or("");
                    if !codes.contains(&key) {
                        codes.push(key);
                        found.push(a);
                    }
                }
                if found.len() >= 2 {
                    return Some([found[1], found[0]]);
                }
            }
            None
        };
        // The same two as the last pair named ("the two leaders" again, "both sides").
        let earlier_pair = self
            .out
            .mentions
            .iter()
            .rev()
            .filter(|m| m.tokens.start < before)
            .take(12)
            .find(|m| {
                m.actors.len() == 2
                    && matches!(self.doc.norm(m.tokens.start), "the" | "both")
                    && m.actors.iter().all(|&a| named(a))
            })
            .map(|m| [m.actors[0], m.actors[1]]);
        if earlier_pair.is_some() {
            return earlier_pair;
        }
        if people {
            pick(true).or_else(|| pick(false))
        } else {
            pick(false)
        }
    }

    fn put_pair_mention(
        &mut self,
        first_mention: usize,
        tokens: std::ops::Range<usize>,
        pair: [usize; 2],
    ) {
        let doc = self.doc;
        let sentence = doc.tokens[tokens.start].sentence as usize;
        let ms = &mut self.out.mentions;
        // A countryless role already there ("leaders") is replaced; any other overlap wins.
        let overlap: Vec<usize> = (first_mention..ms.len())
            .filter(|&i| ms[i].tokens.start < tokens.end && tokens.start < ms[i].tokens.end)
            .collect();
        for &i in &overlap {
            let generic = ms[i].actors.iter().all(|&a| {
                let x = &self.out.actors[a];
                x.country.is_none() && x.org.is_none()
            });
            if !generic {
                return;
            }
        }
        let prep = overlap.first().and_then(|&i| ms[i].prep);
        for i in overlap.into_iter().rev() {
            ms.remove(i);
        }
        let span = doc.span_of(tokens.clone());
        let text = doc.text[span.start..span.end].to_string();
        let at = ms.partition_point(|m| m.tokens.start < tokens.start);
        ms.insert(
            at,
            ActorMention {
                tokens,
                sentence,
                actors: pair.to_vec(),
                prep,
                possessive: false,
                place: None,
                adjectival: false,
            },
        );
        for a in pair {
            self.out.actors[a].mentions.push(crate::MentionRef {
                text: text.clone(),
                start: span.start,
                end: span.end,
                sentence,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{head_noun, is_modifier};
    use dyad_text::Document;

    #[test]
    fn hyphenated_modifiers() {
        let d = Document::new("pro-EU crowds met Kremlin-backed fighters and US-led forces.");
        // pro - EU crowds met Kremlin - backed fighters and US - led forces .
        assert!(is_modifier(&d, 2..3));
        assert!(is_modifier(&d, 5..6));
        assert!(!is_modifier(&d, 10..11));
    }

    #[test]
    fn head_nouns_of_role_labels() {
        assert_eq!(head_noun("secretary of defense"), "secretary");
        assert_eq!(head_noun("defence secretary"), "secretary");
        assert_eq!(head_noun("foreign minister"), "minister");
        assert_eq!(head_noun("minister"), "minister");
        assert_eq!(head_noun("secretary-general"), "secretary-general");
    }
}
