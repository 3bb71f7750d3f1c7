//! The event lexicon: verb and phrase patterns from the dictionaries, compiled once, indexed by
//! verb form and by the words a pattern can start with.

use crate::pattern::{self, Pattern, PatternError};
use dyad_dict::Dictionaries;
use dyad_text::fold_phrase;
use rustc_hash::FxHashMap as HashMap;

/// How a verb form is inflected; decides tense and passive voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Base,
    Third,
    Past,
    Ing,
}

#[derive(Debug, Clone)]
pub struct CompiledPattern {
    pub code: String,
    pub text: String,
    pub(crate) pattern: Pattern,
}

#[derive(Debug, Clone)]
pub struct CompiledVerb {
    pub lemma: String,
    pub file: String,
    pub default_code: Option<String>,
    /// Most specific first (by weight; ties keep file order).
    pub patterns: Vec<CompiledPattern>,
    /// Patterns by the token id they start with (indices into `patterns`, ascending).
    pub(crate) by_first: HashMap<u32, Vec<u32>>,
    /// Patterns starting with an actor slot, by the token id right after the slot.
    pub(crate) by_after_slot: HashMap<u32, Vec<u32>>,
    /// Patterns starting with a `..` gap, by the token ids that can follow the gap.
    pub(crate) by_after_gap: HashMap<u32, Vec<u32>>,
    /// Patterns that can start with any token (gap, optional word, prefix, open slot).
    pub(crate) unindexed: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct CompiledPhrase {
    pub code: String,
    pub text: String,
    pub file: String,
    pub(crate) pattern: Pattern,
}

/// Event patterns compiled from the dictionaries.
pub struct EventLexicon {
    pub verbs: Vec<CompiledVerb>,
    pub phrases: Vec<CompiledPhrase>,
    pub(crate) vocab: pattern::Vocab,
    /// Verb forms by token id: (verb index, form).
    pub(crate) forms: HashMap<u32, Vec<(u32, Form)>>,
    pub(crate) phrase_index: HashMap<u32, Vec<u32>>,
    /// Phrases that start with an actor slot: tried where a mention starts.
    pub(crate) phrase_at_mention: Vec<u32>,
    /// Phrases that can start with any token: tried everywhere (kept few).
    pub(crate) phrase_anywhere: Vec<u32>,
}

impl EventLexicon {
    pub fn new(d: &Dictionaries) -> Result<Self, PatternError> {
        let mut compiler = pattern::Compiler::new(&d.synsets);
        let mut verbs = Vec::new();
        let mut form_list: Vec<(String, u32, Form)> = Vec::new();
        for v in &d.verbs {
            let idx = verbs.len() as u32;
            let mut patterns = Vec::new();
            for p in &v.patterns {
                patterns.push(CompiledPattern {
                    code: p.code.clone(),
                    text: p.p.clone(),
                    pattern: compiler.compile(&p.p, &v.file)?,
                });
            }
            // Most specific first; ties keep file order.
            patterns.sort_by_key(|p| std::cmp::Reverse(p.pattern.weight));
            let mut by_first: HashMap<u32, Vec<u32>> = HashMap::default();
            let mut unindexed = Vec::new();
            let mut by_after_slot: HashMap<u32, Vec<u32>> = HashMap::default();
            let mut by_after_gap: HashMap<u32, Vec<u32>> = HashMap::default();
            for (i, p) in patterns.iter().enumerate() {
                match p.pattern.first_ids() {
                    Some(ids) => {
                        for id in ids {
                            by_first.entry(id).or_default().push(i as u32);
                        }
                    }
                    None => match (p.pattern.ids_after_slot(), p.pattern.ids_after_gap()) {
                        (Some(ids), _) => {
                            for id in ids {
                                by_after_slot.entry(id).or_default().push(i as u32);
                            }
                        }
                        (None, Some(ids)) => {
                            for id in ids {
                                by_after_gap.entry(id).or_default().push(i as u32);
                            }
                        }
                        (None, None) => unindexed.push(i as u32),
                    },
                }
            }
            let lemma = fold_phrase(&v.lemma).trim().to_string();
            let mut fs: Vec<(String, Form)> = vec![(lemma.clone(), Form::Base)];
            if v.forms.is_empty() {
                fs.extend(regular_forms(&lemma));
            } else {
                for f in &v.forms {
                    let f = fold_phrase(f).trim().to_string();
                    let kind = if f.ends_with("ing") {
                        Form::Ing
                    } else if f.ends_with('s') && !f.ends_with("ss") && f != lemma {
                        Form::Third
                    } else {
                        Form::Past
                    };
                    fs.push((f, kind));
                }
            }
            for (f, k) in fs {
                if !f.contains(' ') {
                    form_list.push((f, idx, k));
                }
            }
            verbs.push(CompiledVerb {
                lemma,
                file: v.file.clone(),
                default_code: Some(v.code.clone()).filter(|c| !c.is_empty()),
                patterns,
                by_first,
                by_after_slot,
                by_after_gap,
                unindexed,
            });
        }
        let mut forms: HashMap<u32, Vec<(u32, Form)>> = HashMap::default();
        for (f, idx, k) in form_list {
            let id = compiler.vocab.intern(&f);
            let e = forms.entry(id).or_default();
            if !e.iter().any(|(i, _)| *i == idx) {
                e.push((idx, k));
            }
        }
        let mut phrases = Vec::new();
        let mut phrase_index: HashMap<u32, Vec<u32>> = HashMap::default();
        let mut phrase_at_mention = Vec::new();
        let mut phrase_anywhere = Vec::new();
        for p in &d.phrases {
            let pattern = compiler.compile(&p.p, &p.file)?;
            let idx = phrases.len() as u32;
            match pattern.first_ids() {
                Some(ids) => {
                    for id in ids {
                        phrase_index.entry(id).or_default().push(idx);
                    }
                }
                None if pattern.starts_with_slot() => phrase_at_mention.push(idx),
                None => phrase_anywhere.push(idx),
            }
            phrases.push(CompiledPhrase {
                code: p.code.clone(),
                text: p.p.clone(),
                file: p.file.clone(),
                pattern,
            });
        }
        Ok(EventLexicon {
            verbs,
            phrases,
            vocab: compiler.vocab,
            forms,
            phrase_index,
            phrase_at_mention,
            phrase_anywhere,
        })
    }

    /// Number of verb forms known.
    pub fn form_count(&self) -> usize {
        self.forms.len()
    }

    /// The CAMEO root a word names when used as a noun ("attack", "arrests", "talks"): the
    /// default code of a verb it is a form of, else the code of the first phrase it starts.
    pub(crate) fn noun_root(&self, id: u32) -> Option<u8> {
        let from_verb = self.forms.get(&id).and_then(|fs| {
            fs.iter().find_map(|&(vi, _)| {
                self.verbs[vi as usize]
                    .default_code
                    .as_deref()
                    .map(crate::recode::root)
            })
        });
        from_verb.or_else(|| {
            self.phrase_index
                .get(&id)
                .and_then(|ps| ps.first())
                .map(|&pi| crate::recode::root(&self.phrases[pi as usize].code))
        })
    }

    /// Whether a folded word is a form of a dictionary verb.
    pub fn is_verb_form(&self, w: &str) -> bool {
        let id = self.vocab.get(w);
        id != pattern::UNKNOWN && self.forms.contains_key(&id)
    }
}

/// Regular inflections of a verb: +s/+es, +ed/+d, +ing (e-drop), y → ies/ied.
fn regular_forms(lemma: &str) -> Vec<(String, Form)> {
    let l = lemma;
    let mut v = Vec::new();
    if let Some(stem) = l
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        v.push((format!("{stem}ies"), Form::Third));
        v.push((format!("{stem}ied"), Form::Past));
        v.push((format!("{l}ing"), Form::Ing));
    } else if let Some(stem) = l.strip_suffix('e') {
        v.push((format!("{l}s"), Form::Third));
        v.push((format!("{l}d"), Form::Past));
        v.push((
            if l.ends_with("ee") {
                format!("{l}ing")
            } else {
                format!("{stem}ing")
            },
            Form::Ing,
        ));
    } else if l.ends_with('s')
        || l.ends_with("sh")
        || l.ends_with("ch")
        || l.ends_with('x')
        || l.ends_with('z')
    {
        v.push((format!("{l}es"), Form::Third));
        v.push((format!("{l}ed"), Form::Past));
        v.push((format!("{l}ing"), Form::Ing));
    } else {
        v.push((format!("{l}s"), Form::Third));
        v.push((format!("{l}ed"), Form::Past));
        v.push((format!("{l}ing"), Form::Ing));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_inflections() {
        let f: Vec<String> = regular_forms("urge").into_iter().map(|x| x.0).collect();
        assert_eq!(f, vec!["urges", "urged", "urging"]);
        let f: Vec<String> = regular_forms("deny").into_iter().map(|x| x.0).collect();
        assert_eq!(f, vec!["denies", "denied", "denying"]);
        let f: Vec<String> = regular_forms("attack").into_iter().map(|x| x.0).collect();
        assert_eq!(f, vec!["attacks", "attacked", "attacking"]);
        let f: Vec<String> = regular_forms("push").into_iter().map(|x| x.0).collect();
        assert_eq!(f, vec!["pushes", "pushed", "pushing"]);
    }
}
