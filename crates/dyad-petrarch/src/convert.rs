//! Conversion of parsed PETRARCH dictionaries into [`dyad_dict::Dictionaries`].

use crate::actors::ActorDictionary;
use crate::agents::{AgentDictionary, AgentPosition, Plurals};
use crate::verbs::{PatElem, PatternLine, Synset, SynsetMember, VerbBlock, VerbDictionary};
use crate::{LoadReport, Warning};
use dyad_dict::{
    Codebook, Country, Dictionaries, PatternEntry, Person, PersonRole, PhraseEntry, Role, VerbEntry,
};
use std::collections::{BTreeSet, HashMap};

/// The outcome of checking a PETRARCH code against dyad's codebook.
enum Code {
    Valid(String),
    /// `---` or no code: the verb or pattern gives no event.
    Null,
    /// Not a code dyad knows (a WEIS code, a 3-digit issue code such as `903`, `102b`, …).
    Dropped,
}

pub(crate) struct Converter {
    pub dicts: Dictionaries,
    pub report: LoadReport,
    country_index: HashMap<String, usize>,
    synset_defs: HashMap<String, Synset>,
    synset_cache: HashMap<String, Vec<String>>,
    used_synsets: BTreeSet<String>,
}

impl Converter {
    pub fn new(codebook: Codebook) -> Self {
        Converter {
            dicts: Dictionaries {
                codebook,
                ..Dictionaries::default()
            },
            report: LoadReport::default(),
            country_index: HashMap::new(),
            synset_defs: HashMap::new(),
            synset_cache: HashMap::new(),
            used_synsets: BTreeSet::new(),
        }
    }

    fn warn(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.report.warnings.push(Warning::new(file, line, message));
    }

    fn check_code(&mut self, raw: &str) -> Code {
        let raw = raw.trim();
        let first = match raw.split_once(':') {
            Some((a, _)) => {
                self.report.paired_codes += 1;
                a.trim()
            }
            None => raw,
        };
        if first.is_empty() || first == "---" {
            return Code::Null;
        }
        if self.dicts.codebook.get(first).is_some() {
            Code::Valid(first.to_string())
        } else {
            self.report.dropped_codes += 1;
            *self
                .report
                .dropped_code_values
                .entry(first.to_string())
                .or_default() += 1;
            Code::Dropped
        }
    }

    // ---------------------------------------------------------------- actors

    pub fn add_actors(&mut self, file: &str, d: &ActorDictionary) {
        for e in &d.entries {
            self.report.actors += 1;
            if e.codes.is_empty() {
                self.report.actors_without_code += 1;
                continue;
            }
            if e.codes.iter().any(|c| !c.also.is_empty()) {
                self.report.multi_code_actors += 1;
            }
            let only = &e.codes[0];
            if e.codes.len() == 1 && !only.is_dated() && is_country_code(&only.code) {
                let names = std::iter::once(&e.name).chain(&e.synonyms);
                match self.country_index.get(&only.code) {
                    Some(&i) => {
                        let c = &mut self.dicts.countries[i];
                        for n in names {
                            push_alias(&c.name, &mut c.aliases, n);
                        }
                    }
                    None => {
                        let mut aliases = Vec::new();
                        for n in &e.synonyms {
                            push_alias(&e.name, &mut aliases, n);
                        }
                        self.country_index
                            .insert(only.code.clone(), self.dicts.countries.len());
                        self.dicts.countries.push(Country {
                            iso3: only.code.clone(),
                            cameo: None,
                            name: e.name.clone(),
                            aliases,
                            adjectives: Vec::new(),
                            demonyms: Vec::new(),
                            capital: None,
                            government: Vec::new(),
                            lat: None,
                            lon: None,
                        });
                    }
                }
                continue;
            }
            // dyad takes the *last* role active on a date, PETRARCH the first restriction that
            // matches and the undated code otherwise: undated roles first, dated ones reversed.
            let mut roles = Vec::new();
            for c in e.codes.iter().filter(|c| !c.is_dated()) {
                roles.push(PersonRole {
                    code: c.code.clone(),
                    title: None,
                    from: None,
                    to: None,
                });
            }
            for c in e.codes.iter().filter(|c| c.is_dated()).rev() {
                if let (Some(f), Some(t)) = (c.from, c.to) {
                    if t < f {
                        self.warn(
                            file,
                            e.line,
                            format!(
                                "{}: [{} {f}–{t}] ends before it starts; dropped",
                                e.name, c.code
                            ),
                        );
                        continue;
                    }
                }
                roles.push(PersonRole {
                    code: c.code.clone(),
                    title: None,
                    from: c.from,
                    to: c.to,
                });
            }
            let short: Vec<String> = roles
                .iter()
                .filter(|r| r.code.len() < 3)
                .map(|r| r.code.clone())
                .collect();
            if !short.is_empty() {
                self.warn(
                    file,
                    e.line,
                    format!(
                        "{}: codes shorter than 3 letters dropped: {}",
                        e.name,
                        short.join(", ")
                    ),
                );
                roles.retain(|r| r.code.len() >= 3);
            }
            if roles.is_empty() {
                self.report.actors_without_code += 1;
                continue;
            }
            let mut aliases = Vec::new();
            for n in &e.synonyms {
                push_alias(&e.name, &mut aliases, n);
            }
            self.dicts.people.push(Person {
                name: e.name.clone(),
                aliases,
                roles,
            });
        }
    }

    // ---------------------------------------------------------------- agents

    pub fn add_agents(&mut self, d: &AgentDictionary) {
        for e in &d.entries {
            self.report.agents += 1;
            if e.position == AgentPosition::Before {
                self.report.prefix_agents += 1;
            }
            let words: Vec<String> = e.words.iter().map(|w| w.to_lowercase()).collect();
            let plurals = match &e.plurals {
                Plurals::Regular => Vec::new(),
                // dyad generates plurals when none are listed: list the words themselves.
                Plurals::None => words.clone(),
                Plurals::Given(p) => p.iter().map(|w| w.to_lowercase()).collect(),
            };
            self.dicts.roles.push(Role {
                words,
                plurals,
                sector: e.code.clone(),
                person: false,
            });
        }
    }

    // ---------------------------------------------------------------- verbs

    /// Registers the synsets of a verb file (all files' synsets are known before any pattern
    /// is converted).
    pub fn add_synsets(&mut self, file: &str, d: &VerbDictionary) {
        for s in &d.synsets {
            self.report.synsets_read += 1;
            if let Some(old) = self.synset_defs.get_mut(&s.name) {
                old.members.extend(s.members.iter().cloned());
                self.report.warnings.push(Warning::new(
                    file,
                    s.line,
                    format!("synset &{} defined again; members merged", s.name),
                ));
            } else {
                self.synset_defs.insert(s.name.clone(), s.clone());
            }
        }
    }

    pub fn add_verbs(&mut self, file: &str, d: &VerbDictionary) {
        self.report.transformations += d.transformations;
        for b in &d.blocks {
            self.add_block(file, b);
        }
    }

    /// Writes the synsets patterns refer to.
    pub fn finish(mut self) -> (Dictionaries, LoadReport) {
        for name in std::mem::take(&mut self.used_synsets) {
            if let Some(entries) = self.synset_cache.get(&name) {
                self.dicts
                    .synsets
                    .insert(name.to_lowercase(), entries.clone());
            }
        }
        self.report.countries = self.dicts.countries.len();
        self.report.people = self.dicts.people.len();
        self.report.verbs = self.dicts.verbs.len();
        self.report.verb_patterns = self.dicts.verbs.iter().map(|v| v.patterns.len()).sum();
        self.report.phrases = self.dicts.phrases.len();
        self.report.synsets = self.dicts.synsets.len();
        (self.dicts, self.report)
    }

    fn add_block(&mut self, file: &str, b: &VerbBlock) {
        self.report.verb_blocks += 1;
        let block_code = match b.code.as_deref() {
            Some(c) => self.check_code(c),
            None => Code::Null,
        };
        // Patterns, converted once for the block.
        let mut after_only: Vec<PatternEntry> = Vec::new();
        let mut with_before: Vec<(String, String, String)> = Vec::new(); // code, before, rest
        for pat in &b.patterns {
            self.report.pattern_lines += 1;
            let code = match self.check_code(&pat.code) {
                Code::Valid(c) => c,
                Code::Null => {
                    self.report.null_patterns += 1;
                    continue;
                }
                Code::Dropped => {
                    self.report.dropped_patterns += 1;
                    continue;
                }
            };
            // `$ * …`: the source is the verb's subject, which is what dyad assumes anyway.
            let subject_only = pat.before == [PatElem::Source];
            if pat.before.is_empty() || subject_only {
                match self.render_after(pat) {
                    Ok(p) => {
                        after_only.push(PatternEntry { code, p });
                        self.report.patterns += 1;
                    }
                    Err(reason) => self.skip(reason),
                }
            } else {
                match self.render_before(pat) {
                    Ok((before, rest)) => with_before.push((code, before, rest)),
                    Err(reason) => self.skip(reason),
                }
            }
        }
        // Verbs.
        let mut single_forms: Vec<String> = Vec::new();
        for v in &b.verbs {
            let code = match v.code.as_deref() {
                Some(c) => match self.check_code(c) {
                    Code::Valid(c) => c,
                    _ => String::new(),
                },
                None => match &block_code {
                    Code::Valid(c) => c.clone(),
                    _ => String::new(),
                },
            };
            let lemma = v.verb_word().to_lowercase();
            if lemma.is_empty() {
                continue;
            }
            let forms: Vec<String> = match &v.forms {
                Some(fs) if fs.is_empty() => vec![lemma.clone()],
                Some(fs) => fs.iter().map(|f| f.to_lowercase()).collect(),
                None => Vec::new(),
            };
            let before: Vec<String> = v.words[..v.verb].iter().map(|w| w.to_lowercase()).collect();
            let after: Vec<String> = v.words[v.verb + 1..]
                .iter()
                .map(|w| w.to_lowercase())
                .collect();
            if before.is_empty() && after.is_empty() {
                single_forms.extend(all_forms(&lemma, &forms));
                self.dicts.verbs.push(VerbEntry {
                    lemma,
                    forms,
                    code,
                    patterns: after_only.clone(),
                    file: file.to_string(),
                });
            } else if before.is_empty() {
                // "+BREAK_DOWN": the verb, then its particles before anything else.
                let particles = after.join(" ");
                let mut patterns = Vec::new();
                if !code.is_empty() {
                    patterns.push(PatternEntry {
                        code: code.clone(),
                        p: particles.clone(),
                    });
                }
                for pe in &after_only {
                    patterns.push(PatternEntry {
                        code: pe.code.clone(),
                        p: format!("{particles} {}", pe.p),
                    });
                }
                self.report.multi_word_verbs += 1;
                self.dicts.verbs.push(VerbEntry {
                    lemma,
                    forms,
                    code: String::new(),
                    patterns,
                    file: file.to_string(),
                });
            } else {
                // "WIRE_+TAP": words before the verb; only a phrase can say that.
                let alt = alternation(&all_forms(&lemma, &forms));
                if alt.is_empty() {
                    continue;
                }
                let mut head = format!("{} {alt}", before.join(" "));
                if !after.is_empty() {
                    head = format!("{head} {}", after.join(" "));
                }
                if !code.is_empty() {
                    self.dicts.phrases.push(PhraseEntry {
                        code: code.clone(),
                        p: head.clone(),
                        file: file.to_string(),
                    });
                }
                for pe in &after_only {
                    self.dicts.phrases.push(PhraseEntry {
                        code: pe.code.clone(),
                        p: format!("{head} {}", pe.p),
                        file: file.to_string(),
                    });
                }
                self.report.multi_word_verbs += 1;
            }
        }
        if with_before.is_empty() {
            return;
        }
        let alt = alternation(&single_forms);
        if alt.is_empty() {
            for _ in &with_before {
                self.skip("words before `*` in a block with no single-word verb");
            }
            return;
        }
        for (code, before, rest) in with_before {
            let p = format!("{before}{alt}{rest}");
            self.dicts.phrases.push(PhraseEntry {
                code,
                p,
                file: file.to_string(),
            });
            self.report.patterns += 1;
            self.report.patterns_as_phrases += 1;
        }
    }

    fn skip(&mut self, reason: &str) {
        self.report.skipped_patterns += 1;
        *self
            .report
            .skip_reasons
            .entry(reason.to_string())
            .or_default() += 1;
    }

    /// A pattern with nothing before `*`: what follows the verb, in dyad's pattern language.
    fn render_after(&mut self, pat: &PatternLine) -> Result<String, &'static str> {
        let body = self.render(&pat.after)?;
        if body.is_empty() {
            return Err("nothing but the verb");
        }
        Ok(if pat.after_adjacent {
            body
        } else {
            format!(".. {body}")
        })
    }

    /// A pattern with words before `*` becomes a phrase: `before`, then the block's verb
    /// forms (filled in later), then `rest`. Returns (`before` + separator, separator + rest).
    fn render_before(&mut self, pat: &PatternLine) -> Result<(String, String), &'static str> {
        if pat.before.iter().any(|e| {
            matches!(
                e,
                PatElem::Source | PatElem::Target | PatElem::Compound | PatElem::Skip
            )
        }) {
            // `$ * +`, `+ WAS_*`, `% HAVE *`: who is source and who target depends on where the
            // verb is in the parse; a shallow phrase cannot say it.
            return Err("actor slot before `*` (depends on the verb's position in the parse)");
        }
        let before = self.render(&pat.before)?;
        if before.is_empty() {
            return Err("nothing but the verb");
        }
        let before = if pat.before_adjacent {
            format!("{before} ")
        } else {
            format!("{before} .. ")
        };
        let after = self.render(&pat.after)?;
        let rest = match (after.is_empty(), pat.after_adjacent) {
            (true, _) => String::new(),
            (false, true) => format!(" {after}"),
            (false, false) => format!(" .. {after}"),
        };
        Ok((before, rest))
    }

    /// Elements in dyad's pattern language: words, `@synset`, `$S`, `$T`, `..`.
    fn render(&mut self, elems: &[PatElem]) -> Result<String, &'static str> {
        let mut out: Vec<String> = Vec::new();
        for e in elems {
            let piece = match e {
                PatElem::Word(w) => {
                    let w = w.to_lowercase();
                    let bad = w.contains(['|', '*', '@', '$', '&', '%', '^'])
                        || w.ends_with('?')
                        || w == ".."
                        || dyad_text::fold_phrase(&w).trim().is_empty();
                    if bad {
                        return Err("word dyad's pattern language cannot hold");
                    }
                    w
                }
                PatElem::Synset(name) => {
                    if self.expand_synset(name).is_empty() {
                        return Err("undefined or empty synset");
                    }
                    self.used_synsets.insert(name.clone());
                    format!("@{}", name.to_lowercase())
                }
                PatElem::Source => "$S".to_string(),
                PatElem::Target => "$T".to_string(),
                PatElem::Compound => return Err("`%` compound actor"),
                PatElem::Skip | PatElem::Gap => "..".to_string(),
            };
            if piece == ".." && out.last().is_some_and(|l| l == "..") {
                continue;
            }
            out.push(piece);
        }
        while out.last().is_some_and(|l| l == "..") {
            out.pop();
        }
        while out.first().is_some_and(|l| l == "..") {
            out.remove(0);
        }
        Ok(out.join(" "))
    }

    /// The entries of a synset: members (with plurals where PETRARCH makes them) and the
    /// members of synsets it includes, lower case, without duplicates.
    fn expand_synset(&mut self, name: &str) -> Vec<String> {
        if let Some(v) = self.synset_cache.get(name) {
            return v.clone();
        }
        let mut out = Vec::new();
        let mut visiting = vec![name.to_string()];
        self.collect_members(name, &mut visiting, &mut out);
        let mut seen = BTreeSet::new();
        out.retain(|e| seen.insert(e.clone()));
        self.synset_cache.insert(name.to_string(), out.clone());
        out
    }

    fn collect_members(&self, name: &str, visiting: &mut Vec<String>, out: &mut Vec<String>) {
        let Some(def) = self.synset_defs.get(name) else {
            return;
        };
        for m in &def.members {
            match m {
                SynsetMember::Phrase { text, plural } => {
                    let t = text.to_lowercase();
                    if dyad_text::fold_phrase(&t).trim().is_empty() || t.contains('*') {
                        continue;
                    }
                    if *plural {
                        out.push(pluralize(&t));
                    }
                    out.push(t);
                }
                SynsetMember::Set(other) => {
                    if !visiting.contains(other) {
                        visiting.push(other.clone());
                        self.collect_members(other, visiting, out);
                        visiting.pop();
                    }
                }
            }
        }
    }
}

/// A bare country-level code: three letters.
fn is_country_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn push_alias(name: &str, aliases: &mut Vec<String>, alias: &str) {
    if !alias.eq_ignore_ascii_case(name) && !aliases.iter().any(|a| a.eq_ignore_ascii_case(alias)) {
        aliases.push(alias.to_string());
    }
}

/// The lemma and its forms (the given ones, or regular ones as PETRARCH and dyad make them).
fn all_forms(lemma: &str, forms: &[String]) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    if forms.is_empty() {
        out.extend(regular_forms(lemma));
    } else {
        out.extend(forms.iter().cloned());
    }
    out
}

fn regular_forms(v: &str) -> Vec<String> {
    let consonant_y = v
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']));
    if let Some(stem) = consonant_y {
        return vec![
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{v}ing"),
        ];
    }
    let third = if v.ends_with(['s', 'x', 'z']) || v.ends_with("ch") || v.ends_with("sh") {
        format!("{v}es")
    } else {
        format!("{v}s")
    };
    let (past, ing) = match v.strip_suffix('e') {
        Some(stem) if !v.ends_with("ee") => (format!("{v}d"), format!("{stem}ing")),
        Some(_) => (format!("{v}d"), format!("{v}ing")),
        None => (format!("{v}ed"), format!("{v}ing")),
    };
    vec![third, past, ing]
}

/// Regular English plural of the last word of a phrase.
fn pluralize(phrase: &str) -> String {
    let (head, last) = match phrase.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), phrase),
    };
    let plural = match last.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{stem}ies"),
        _ if last.ends_with(['s', 'x', 'z']) || last.ends_with("ch") || last.ends_with("sh") => {
            format!("{last}es")
        }
        _ => format!("{last}s"),
    };
    format!("{head}{plural}")
}

/// `a|b|c` over the forms that are one token once folded (dyad's alternatives are single words).
fn alternation(forms: &[String]) -> String {
    let mut seen = BTreeSet::new();
    let keep: Vec<&str> = forms
        .iter()
        .map(String::as_str)
        .filter(|f| {
            let folded = dyad_text::fold_phrase(f);
            let mut toks = folded.split_whitespace();
            toks.next().is_some() && toks.next().is_none() && !f.contains(['|', '?', '*', '@', '$'])
        })
        .filter(|f| seen.insert(f.to_string()))
        .collect();
    keep.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_plurals() {
        assert_eq!(
            regular_forms("restore"),
            vec!["restores", "restored", "restoring"]
        );
        assert_eq!(regular_forms("deny"), vec!["denies", "denied", "denying"]);
        assert_eq!(
            regular_forms("attack"),
            vec!["attacks", "attacked", "attacking"]
        );
        assert_eq!(regular_forms("agree"), vec!["agrees", "agreed", "agreeing"]);
        assert_eq!(pluralize("swiss franc"), "swiss francs");
        assert_eq!(pluralize("economic policy"), "economic policies");
        assert_eq!(
            alternation(&["tap".into(), "tapped".into(), "re-tap".into(), "tap".into()]),
            "tap|tapped"
        );
    }
}
