//! Who did it and to whom: the subject left of the verb (compounds, appositions, relative
//! pronouns, "he"/"she"), the object after it (compound objects, place complements skipped), and
//! the `by` agent of a passive.

use crate::SentenceCoder;
use dyad_text::TokenKind;

pub(crate) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those", "'s", "such",
    "any", "no", "every", "each",
];
pub(crate) const BE: &[&str] = &[
    "was", "were", "been", "being", "is", "are", "be", "got", "get", "gets", "'s", "am",
];
/// Words that end a clause when scanning for a subject or an object.
pub(crate) const CLAUSE_WORDS: &[&str] = &[
    "that", "because", "while", "although", "though", "whereas", "but", "if", "unless", "whether",
    "when", "where", "after", "before", "since", "until", "so",
];
/// Prepositions after which an actor is a place or a circumstance, not the target ("in
/// Syria", "during talks with"); "at", "from", "of", "into" do introduce targets ("fired at
/// Seoul", "withdraw from Lebanon", "positions of the security forces").
pub(crate) const TARGET_LOCATIVE: &[&str] = &[
    "in",
    "near",
    "inside",
    "outside",
    "across",
    "throughout",
    "around",
    "within",
    "through",
    "via",
    "among",
    "under",
    "about",
    "like",
    "than",
    "since",
    "despite",
    "during",
    "over",
];

impl SentenceCoder<'_> {
    /// The subject of the verb at `t`: mentions to its left in the same clause, not inside a
    /// prepositional phrase; plus compound partners ("Russia and France"). The flag says the
    /// subject is a first-person pronoun ("we call on …").
    pub(crate) fn subject(&self, t: usize, left: usize) -> (Vec<usize>, bool) {
        let doc = self.doc;
        let mut k = t;
        let mut crossed_verb = false;
        let floor = left.max(t.saturating_sub(60));
        while k > floor {
            k -= 1;
            let w = doc.norm(k);
            let tok = &doc.tokens[k];
            if matches!(tok.kind, TokenKind::Quote(_)) || matches!(w, ";" | ":") {
                break;
            }
            if matches!(w, "we" | "i" | "our") && !crossed_verb {
                return (Vec::new(), true);
            }
            if matches!(w, "he" | "she") && !crossed_verb {
                return (
                    self.actors
                        .last_person_before(k)
                        .map(|a| self.mention_of(a, k))
                        .into_iter()
                        .flatten()
                        .collect(),
                    false,
                );
            }
            if matches!(w, "that" | "which" | "who") {
                // "the Presidency, which already called …": the antecedent right before the
                // pronoun is the subject; "said that …": the clause's own subject is missing.
                let mut j = k;
                while j > floor && doc.norm(j - 1) == "," {
                    j -= 1;
                }
                if j > floor {
                    if let Some(mi) = self.actors.mention_at(j - 1) {
                        if self.actors.mentions[mi].prep.is_none() {
                            let mut subj = vec![mi];
                            self.compound_left(mi, &mut subj);
                            return (subj, false);
                        }
                    }
                }
                break;
            }
            if CLAUSE_WORDS.contains(&w) && w != "that" && !crossed_verb && k + 1 < t {
                break;
            }
            if let Some(mi) = self.actors.mention_at(k) {
                let m = &self.actors.mentions[mi];
                k = m.tokens.start;
                // A subject is never inside a prepositional phrase, except after a quantity
                // ("thousands of Kurds").
                let quantity_of = m.prep == Some("of") && self.after_quantity(m.tokens.start);
                if !quantity_of && m.prep.is_some() {
                    continue;
                }
                if m.possessive {
                    // "Moscow's concern": the possessor is the subject of a nominal head.
                    return (vec![mi], false);
                }
                if self.is_object(mi) {
                    crossed_verb = true;
                    continue;
                }
                let mi = self.appositive_head(mi, t).unwrap_or(mi);
                let mut subj = vec![mi];
                self.compound_left(mi, &mut subj);
                return (subj, false);
            }
            if self.lex.is_verb_form(w) && k + 1 < t && !matches!(w, "said" | "says") {
                crossed_verb = true;
            }
        }
        (Vec::new(), false)
    }

    /// "Pakistan, a key U.S. ally in the war on terror, has refused …": when mention `mi` sits
    /// in an appositive ("…, a/an/the …,") right before the verb at `t`, the subject is the
    /// mention before the opening comma.
    pub(crate) fn appositive_head(&self, mi: usize, t: usize) -> Option<usize> {
        let doc = self.doc;
        let m = &self.actors.mentions[mi];
        let closes = (m.tokens.end..t).any(|k| doc.norm(k) == ",");
        if !closes {
            return None;
        }
        let floor = self.range.start.max(m.tokens.start.saturating_sub(10));
        let open = (floor..m.tokens.start)
            .rev()
            .find(|&k| doc.norm(k) == ",")?;
        if !matches!(doc.norm(open + 1), "a" | "an" | "the") || open == self.range.start {
            return None;
        }
        let head = self.actors.mention_at(open - 1)?;
        (self.actors.mentions[head].prep.is_none()).then_some(head)
    }

    /// "Thousands of Iraqi Kurds", "leaders of the opposition coalition": the "of" before the
    /// mention at `start` follows a quantity or group noun, so the mention is the subject.
    pub(crate) fn after_quantity(&self, start: usize) -> bool {
        let doc = self.doc;
        let mut k = start;
        while k > self.range.start && DETERMINERS.contains(&doc.norm(k - 1)) {
            k -= 1;
        }
        if k < self.range.start + 2 || doc.norm(k - 1) != "of" {
            return false;
        }
        let w = doc.norm(k - 2);
        doc.tokens[k - 2].kind == TokenKind::Number
            || matches!(
                w,
                "thousands"
                    | "hundreds"
                    | "dozens"
                    | "tens"
                    | "millions"
                    | "scores"
                    | "crowds"
                    | "groups"
                    | "group"
                    | "members"
                    | "supporters"
                    | "leaders"
                    | "leader"
                    | "hundred"
                    | "thousand"
                    | "million"
                    | "dozen"
                    | "some"
                    | "many"
                    | "most"
                    | "all"
                    | "part"
                    | "units"
                    | "unit"
                    | "delegation"
                    | "representatives"
                    | "officials"
                    | "head"
                    | "chief"
                    | "spokesman"
                    | "spokeswoman"
                    | "spokesperson"
            )
    }

    pub(crate) fn mention_of(&self, actor: usize, before: usize) -> Option<usize> {
        self.actors.mentions[..self
            .actors
            .mentions
            .partition_point(|m| m.tokens.end <= before)]
            .iter()
            .rposition(|m| m.actors.contains(&actor))
    }

    /// Adds "A and B" / "A, B and C" partners to the left of mention `mi`.
    pub(crate) fn compound_left(&self, mi: usize, subj: &mut Vec<usize>) {
        let doc = self.doc;
        let mut cur = mi;
        loop {
            let start = self.actors.mentions[cur].tokens.start;
            let mut k = start;
            let mut conj = false;
            while k > self.range.start
                && matches!(
                    doc.norm(k - 1),
                    "and" | "," | "the" | "his" | "her" | "their" | "both"
                )
            {
                conj |= matches!(doc.norm(k - 1), "and" | ",");
                k -= 1;
            }
            if !conj || k == start || k == self.range.start {
                break;
            }
            match self.actors.mention_at(k - 1) {
                Some(p) if self.actors.mentions[p].prep.is_none() && !self.is_object(p) => {
                    subj.insert(0, p);
                    cur = p;
                }
                _ => break,
            }
        }
    }

    /// A mention right after a verb form is that verb's object, not a subject.
    pub(crate) fn is_object(&self, mi: usize) -> bool {
        let doc = self.doc;
        let mut k = self.actors.mentions[mi].tokens.start;
        while k > self.range.start
            && DETERMINERS.contains(&doc.norm(k - 1))
            && doc.norm(k - 1) != "'s"
        {
            k -= 1;
        }
        if k == self.range.start {
            return false;
        }
        let w = doc.norm(k - 1);
        if w == "and" || w == "," {
            return k >= self.range.start + 2
                && self
                    .actors
                    .mention_at(k - 2)
                    .is_some_and(|p| p != mi && self.is_object(p));
        }
        // "said the European Union imposed …": the parse knows a clause's subject from the
        // object of the verb before it.
        self.lex.is_verb_form(w) && !BE.contains(&w) && !self.parsed_as_subject(mi)
    }

    /// Whether the parse makes mention `mi` the subject of a clause.
    fn parsed_as_subject(&self, mi: usize) -> bool {
        let syn = self.syntax;
        let m = &self.actors.mentions[mi];
        if m.tokens.end > syn.len() {
            return false;
        }
        m.tokens
            .clone()
            .find(|&k| syn.head[k].is_none_or(|h| !m.tokens.contains(&h)))
            .is_some_and(|h| syn.deprel[h].is_subject())
    }

    /// The first actor after the verb in the same clause that is not a place complement.
    pub(crate) fn object(
        &self,
        from: usize,
        sources: &[usize],
        through_that: bool,
        topic_nouns: bool,
    ) -> Vec<usize> {
        let doc = self.doc;
        let limit = self.clause_limit(from);
        let mut fallback = Vec::new();
        let mut k = from;
        while k < limit && k < from + 25 {
            let w = doc.norm(k);
            // "demanded that the US cancel …", "threatened to … if the United States goes ahead":
            // the subject of the demanded act or of the condition is the target.
            if matches!(w, "that" | "if" | "unless") && through_that {
                k += 1;
                continue;
            }
            if CLAUSE_WORDS.contains(&w)
                || matches!(w, "which" | "who" | "whom" | "whose" | "--")
                || (w == "as" && self.starts_clause(k + 1, limit))
            {
                break;
            }
            if w == "said" || w == "says" {
                break;
            }
            if w == "," && !self.comma_continues_object(k) {
                break;
            }
            // "called for a ceasefire and offered Moscow …": the next verb has its own object.
            if w == "and"
                && k + 1 < limit
                && self.lex.is_verb_form(doc.norm(k + 1))
                && self.actors.mention_at(k + 1).is_none()
            {
                break;
            }
            let Some(mi) = self.actors.mention_at(k) else {
                k += 1;
                continue;
            };
            let m = &self.actors.mentions[mi];
            k = m.tokens.end;
            if m.prep.is_some_and(|p| TARGET_LOCATIVE.contains(&p)) {
                continue;
            }
            if from > 0 && !self.parse_allows_object(from - 1, mi, through_that, topic_nouns) {
                continue;
            }
            let mut acts: Vec<usize> = m
                .actors
                .iter()
                .copied()
                .filter(|a| !sources.contains(a))
                .collect();
            if acts.is_empty() {
                continue;
            }
            // "X and Y", "Iran, Libya, North Korea, Sudan and Cuba": a compound object.
            let mut end = k;
            loop {
                let mut j = end;
                while j < limit && matches!(doc.norm(j), "and" | "," | "the" | "or") {
                    j += 1;
                }
                if j == end || j >= limit {
                    break;
                }
                match self
                    .actors
                    .mention_at(j)
                    .filter(|&n| self.actors.mentions[n].tokens.start == j)
                {
                    Some(n) => {
                        for &a in &self.actors.mentions[n].actors {
                            if !sources.contains(&a) && !acts.contains(&a) {
                                acts.push(a);
                            }
                        }
                        end = self.actors.mentions[n].tokens.end;
                    }
                    None => break,
                }
            }
            // A role with no country ("troops", "officials") is a weak object: prefer a named
            // actor further on in the clause, keep it only as a fallback.
            // An adjective ("rejected an Indian proposal") names the target only weakly too.
            let generic = m.adjectival || acts.iter().all(|&a| self.is_generic(a));
            if generic {
                if fallback.is_empty() {
                    fallback = acts;
                }
                k = end;
                continue;
            }
            return acts;
        }
        fallback
    }

    /// "… as Ukraine and Turkey scramble to save it": a mention followed by a verb starts a
    /// new clause (unlike "denounced as an ugly crime Serbia's …").
    pub(crate) fn starts_clause(&self, from: usize, limit: usize) -> bool {
        let mut k = from;
        while k < limit && DETERMINERS.contains(&self.doc.norm(k)) {
            k += 1;
        }
        let Some(mi) = self.actors.mention_at(k) else {
            return false;
        };
        let mut end = self.actors.mentions[mi].tokens.end;
        // "Ukraine and Turkey": skip a compound.
        while end + 1 < limit && self.doc.norm(end) == "and" {
            match self.actors.mention_at(end + 1) {
                Some(n) => end = self.actors.mentions[n].tokens.end,
                None => break,
            }
        }
        // A verb of ours, or any lower-case word that is no preposition ("scramble").
        end < limit
            && self.doc.tokens[end].kind == TokenKind::Word
            && !self.doc.tokens[end].upper
            && !matches!(
                self.doc.norm(end),
                "'s" | "of" | "in" | "on" | "at" | "for" | "with" | "from" | "to" | "by"
            )
    }

    /// A comma inside the object ("contacted his counterparts, X and Y", "with Russia, France
    /// and Germany") rather than before an attribution or a new clause.
    pub(crate) fn comma_continues_object(&self, comma: usize) -> bool {
        let next = comma + 1;
        let Some(mi) = self.actors.mention_at(next) else {
            return false;
        };
        let m = &self.actors.mentions[mi];
        // "…, officials said": an attribution, not an object.
        let after = m.tokens.end;
        !(after < self.range.end
            && matches!(
                self.doc.norm(after),
                "said" | "says" | "told" | "added" | "reported" | "announced" | "confirmed"
            ))
    }

    /// "… by Y" after a passive verb.
    pub(crate) fn by_agent(&self, from: usize, anchor: usize) -> Vec<usize> {
        let limit = self.clause_limit(anchor + 1);
        for (_, m) in self.actors.mentions_in(from.min(anchor + 1)..limit) {
            if m.prep == Some("by") {
                return m.actors.clone();
            }
        }
        // "seized by Tuareg rebels": a modifier the window does not see past; the parse's agent.
        self.syntax
            .passive_agent_of(anchor)
            .filter(|&k| k > anchor && k < limit)
            .and_then(|k| self.actors.mention_at(k))
            .map(|mi| self.actors.mentions[mi].actors.clone())
            .unwrap_or_default()
    }
}
