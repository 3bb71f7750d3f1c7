//! Verb dictionaries (`CAMEO.2.0.txt`, `PETR.Validate.verbs.txt`).
//!
//! ```text
//! &CURRENCY                      a synset: `+` members follow (a member may be another `&SET`)
//! +DOLLARS
//! +SWISS FRANCS
//!
//! --- BREAK [1717] ---           a verb block: a name and the code of its verbs
//! BREAK { BROKE BROKEN }         a verb, with all irregular forms when it has them
//! +BREAK_DOWN {+BROKE_DOWN}      a multi-word verb; `+` marks the word that inflects
//! DOWNPLAY [014]                 a verb with its own code
//! - * DEADLOCK [102]             patterns: `*` is the verb, `$` the source, `+` the target,
//! - + * IN $ [075]               `%` a compound actor, `^` a skipped noun phrase, `&SET` a synset,
//! - PLANES_* [223]               `_` joins words that must be adjacent, `{…}`/`(…)` mark noun
//! - * (FOR {ARREST WARRANT}) [080]   and prepositional phrases (PETRARCH 2 style)
//! ~ a (a b ATTACK) SAY = a b 015 transformations (not read)
//! ```

use crate::lines::{brackets, logical_lines, words_of};
use crate::{PetrarchError, Warning};

/// One element of a pattern side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatElem {
    /// A literal word (upper case as written).
    Word(String),
    /// `&NAME` (name without `&` and trailing `_`, upper case).
    Synset(String),
    /// `$`
    Source,
    /// `+`
    Target,
    /// `%`: an actor that is both source and target.
    Compound,
    /// `^`: skip a noun phrase.
    Skip,
    /// White space between two elements: other words may come between them (`_` instead means
    /// the two are adjacent).
    Gap,
}

/// A `- …` pattern line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternLine {
    pub line: usize,
    /// Elements before `*`, in order (never starting or ending with [`PatElem::Gap`]).
    pub before: Vec<PatElem>,
    /// Elements after `*` (never starting or ending with [`PatElem::Gap`]).
    pub after: Vec<PatElem>,
    /// `before` is joined to the verb with `_` (`IN_*`).
    pub before_adjacent: bool,
    /// `after` is joined to the verb with `_` (`*_UPON`).
    pub after_adjacent: bool,
    /// The code as written (`102`, `---`, `031:032`, `903`).
    pub code: String,
}

/// A verb (or multi-word verb) line of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbLine {
    pub line: usize,
    /// The words of the verb phrase (`["BREAK", "DOWN"]`, `["WIRE", "TAP"]`).
    pub words: Vec<String>,
    /// Which of `words` is the verb that inflects.
    pub verb: usize,
    /// Inflected forms of the verb word, when given in `{…}` (`Some(vec![])` for `{}`).
    pub forms: Option<Vec<String>>,
    /// The verb's own code, when it has one.
    pub code: Option<String>,
}

impl VerbLine {
    /// The inflecting word.
    pub fn verb_word(&self) -> &str {
        self.words.get(self.verb).map_or("", String::as_str)
    }
}

/// A `--- NAME [CODE] ---` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbBlock {
    pub line: usize,
    pub name: String,
    /// The block code as written (`None` when the header has none).
    pub code: Option<String>,
    pub verbs: Vec<VerbLine>,
    pub patterns: Vec<PatternLine>,
}

/// A synset member: words separated by spaces, or a reference to another synset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynsetMember {
    Phrase {
        text: String,
        /// A plural is generated (PETRARCH does unless the member or the set name ends in `_`).
        plural: bool,
    },
    Set(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synset {
    pub line: usize,
    /// Without `&` and trailing `_`, upper case.
    pub name: String,
    /// Plurals are generated for the members (the name did not end in `_`).
    pub plurals: bool,
    pub members: Vec<SynsetMember>,
}

/// The parsed contents of one verb file.
#[derive(Debug, Clone, Default)]
pub struct VerbDictionary {
    pub synsets: Vec<Synset>,
    pub blocks: Vec<VerbBlock>,
    /// `~` transformation lines (not converted).
    pub transformations: usize,
    pub warnings: Vec<Warning>,
}

enum Mode {
    Start,
    Synset,
    Block,
}

/// Parses a verb dictionary.
///
/// Errors: a verb or pattern line before any `---` block, a `+` line with no synset or block
/// open, a pattern with no `*`.
pub fn parse_verbs(file: &str, text: &str) -> Result<VerbDictionary, PetrarchError> {
    let mut out = VerbDictionary::default();
    let mut mode = Mode::Start;
    for line in logical_lines(text) {
        let t = line.text.as_str();
        if t.starts_with("---") {
            let inner = t.trim_matches('-').trim();
            let b = brackets(inner);
            out.blocks.push(VerbBlock {
                line: line.no,
                name: words_of(&b.outside),
                code: b.groups.first().map(|c| c.trim().to_string()),
                verbs: Vec::new(),
                patterns: Vec::new(),
            });
            mode = Mode::Block;
        } else if let Some(name) = t.strip_prefix('&') {
            out.synsets.push(Synset {
                line: line.no,
                name: synset_name(name),
                plurals: !name.trim().ends_with('_'),
                members: Vec::new(),
            });
            mode = Mode::Synset;
        } else if t.starts_with('+') && matches!(mode, Mode::Synset) {
            let Some(set) = out.synsets.last_mut() else {
                continue;
            };
            let member = t[1..].trim();
            if let Some(other) = member.strip_prefix('&') {
                set.members.push(SynsetMember::Set(synset_name(other)));
            } else {
                let text_words = words_of(member);
                if !text_words.is_empty() {
                    set.members.push(SynsetMember::Phrase {
                        plural: set.plurals && !member.ends_with('_'),
                        text: text_words,
                    });
                }
            }
        } else if t.starts_with('~') {
            out.transformations += 1;
        } else if let Some(p) = t.strip_prefix('-') {
            let Some(block) = out.blocks.last_mut() else {
                return Err(PetrarchError::syntax(
                    file,
                    line.no,
                    "a pattern comes before any `--- VERB [code] ---` block",
                ));
            };
            match parse_pattern(p, line.no) {
                Ok(pat) => block.patterns.push(pat),
                Err(PatternProblem::NoStar) => {
                    return Err(PetrarchError::syntax(
                        file,
                        line.no,
                        "pattern has no `*` marking the verb",
                    ))
                }
                Err(PatternProblem::NoCode) => out.warnings.push(Warning::new(
                    file,
                    line.no,
                    "pattern without `[code]`; skipped",
                )),
            }
            if matches!(mode, Mode::Synset) {
                mode = Mode::Block;
            }
        } else {
            if t.starts_with('+') && matches!(mode, Mode::Start) {
                return Err(PetrarchError::syntax(
                    file,
                    line.no,
                    "a `+` line comes before any synset or verb block",
                ));
            }
            let Some(block) = out.blocks.last_mut() else {
                return Err(PetrarchError::syntax(
                    file,
                    line.no,
                    "a verb comes before any `--- VERB [code] ---` block",
                ));
            };
            match parse_verb_line(t, line.no) {
                Some(v) => block.verbs.push(v),
                None => out.warnings.push(Warning::new(
                    file,
                    line.no,
                    "verb line without a verb; skipped",
                )),
            }
            mode = Mode::Block;
        }
    }
    Ok(out)
}

fn synset_name(raw: &str) -> String {
    raw.trim().trim_end_matches('_').trim().to_ascii_uppercase()
}

enum PatternProblem {
    NoStar,
    NoCode,
}

fn parse_pattern(body: &str, line: usize) -> Result<PatternLine, PatternProblem> {
    let b = brackets(body);
    // The code is the last bracket group; anything after it was a comment PETRARCH ignores.
    let code = b
        .groups
        .last()
        .map(|c| c.trim().to_string())
        .ok_or(PatternProblem::NoCode)?;
    let text = b.outside.trim();
    let star = text.find('*').ok_or(PatternProblem::NoStar)?;
    let (pre, post) = (&text[..star], &text[star + 1..]);
    Ok(PatternLine {
        line,
        before_adjacent: pre.ends_with('_'),
        after_adjacent: post.starts_with('_'),
        before: side(pre),
        after: side(post),
        code,
    })
}

/// Elements of one side of a pattern. Markup `{}`/`()` is dropped.
fn side(s: &str) -> Vec<PatElem> {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, '{' | '}' | '(' | ')') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = Vec::new();
    for chunk in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(PatElem::Gap);
        }
        for part in chunk.split('_').filter(|p| !p.is_empty()) {
            out.push(match part {
                "$" => PatElem::Source,
                "+" => PatElem::Target,
                "%" => PatElem::Compound,
                "^" => PatElem::Skip,
                _ if part.starts_with('&') => PatElem::Synset(synset_name(&part[1..])),
                _ => PatElem::Word(part.to_string()),
            });
        }
    }
    while out.last() == Some(&PatElem::Gap) {
        out.pop();
    }
    out
}

/// `WORD {FORMS} [CODE]`, `+BREAK_DOWN {+BROKE_DOWN …}`, `WIRE_+TAP`, `LASH OUT`.
fn parse_verb_line(t: &str, line: usize) -> Option<VerbLine> {
    let b = brackets(t);
    let code = b
        .groups
        .first()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let outside = b.outside;
    let (main, forms) = match outside.find('{') {
        Some(open) => {
            let close = outside[open..]
                .find('}')
                .map_or(outside.len(), |c| open + c);
            let forms: Vec<&str> = outside[open + 1..close].split_whitespace().collect();
            (outside[..open].trim().to_string(), Some(forms))
        }
        None => (outside.trim().to_string(), None),
    };
    // "LASH OUT": words separated by spaces are one multi-word verb, as with `_`.
    let joined = main.split_whitespace().collect::<Vec<_>>().join("_");
    let parts: Vec<&str> = joined.split('_').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    let verb = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
    let words: Vec<String> = parts
        .iter()
        .map(|p| p.trim_start_matches('+').to_ascii_uppercase())
        .collect();
    let forms = forms.map(|fs| {
        fs.iter()
            .filter_map(|f| {
                let fp: Vec<&str> = f.split('_').filter(|p| !p.is_empty()).collect();
                let i = fp
                    .iter()
                    .position(|p| p.starts_with('+'))
                    .unwrap_or(if fp.len() == words.len() { verb } else { 0 });
                fp.get(i)
                    .map(|w| w.trim_start_matches('+').to_ascii_uppercase())
            })
            .filter(|w| !w.is_empty())
            .collect()
    });
    Some(VerbLine {
        line,
        words,
        verb,
        forms,
        code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "<!-- SYNSETS -->\n&TIETYPES\n+MILITARY\n+ECONOMIC\n\n&PREPOSIT1_\n+AGAINST\n+IN\n\n\
        &ACCORDSYN  # nested\n+&TIETYPES\n+CLOSER_\n\n\
        --- ABANDON  [345]  ---\nABANDON    # pas\n+ABC_DEF\nKLM_NOP_+RST [002]\n\
        - * NEW_&TIETYPES_RELATIONS [903] #  -PAS\n- * &PREPOSIT1 RESOLUTION  [102]\n\n\
        --- BREAK [1717] ---\nBREAK { BROKE BROKEN  }\n+BREAK_DOWN {+BREAKS_DOWN +BROKE_DOWN }\n\
        - + KNOWN_ * IN_ $  [076]\n- *_OFF [195]\n- PLANES_*  [223]\n- % * [030:030]\n- * (FOR {ARREST WARRANT}) [080]\n\
        ~ a (a b ATTACK) SAY = a b 015\n";

    #[test]
    fn synsets_blocks_and_verbs() {
        let v = parse_verbs("v.verbs.txt", TEXT).expect("parses");
        assert_eq!(v.transformations, 1);
        let names: Vec<&str> = v.synsets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["TIETYPES", "PREPOSIT1", "ACCORDSYN"]);
        assert!(
            v.synsets[0].plurals && !v.synsets[1].plurals,
            "a name ending in `_` makes no plurals"
        );
        assert_eq!(
            v.synsets[2].members[0],
            SynsetMember::Set("TIETYPES".into())
        );
        assert_eq!(
            v.synsets[2].members[1],
            SynsetMember::Phrase {
                text: "CLOSER".into(),
                plural: false
            }
        );
        assert_eq!(v.blocks.len(), 2);
        let ab = &v.blocks[0];
        assert_eq!(
            (ab.name.as_str(), ab.code.as_deref()),
            ("ABANDON", Some("345"))
        );
        assert_eq!(ab.verbs.len(), 3);
        assert_eq!(
            (ab.verbs[1].words.clone(), ab.verbs[1].verb),
            (vec!["ABC".to_string(), "DEF".into()], 0)
        );
        assert_eq!(
            (
                ab.verbs[2].verb_word(),
                ab.verbs[2].verb,
                ab.verbs[2].code.as_deref()
            ),
            ("RST", 2, Some("002"))
        );
        let br = &v.blocks[1];
        assert_eq!(
            br.verbs[0].forms,
            Some(vec!["BROKE".into(), "BROKEN".into()])
        );
        assert_eq!(br.verbs[1].words, vec!["BREAK", "DOWN"]);
        assert_eq!(
            br.verbs[1].forms,
            Some(vec!["BREAKS".into(), "BROKE".into()])
        );
    }

    #[test]
    fn pattern_sides() {
        let v = parse_verbs("v.verbs.txt", TEXT).expect("parses");
        let p = &v.blocks[0].patterns[0];
        assert!(p.before.is_empty() && !p.after_adjacent);
        assert_eq!(
            p.after,
            vec![
                PatElem::Word("NEW".into()),
                PatElem::Synset("TIETYPES".into()),
                PatElem::Word("RELATIONS".into())
            ]
        );
        assert_eq!(p.code, "903");
        let p = &v.blocks[1].patterns[0];
        assert_eq!(
            p.before,
            vec![PatElem::Target, PatElem::Gap, PatElem::Word("KNOWN".into())]
        );
        assert!(!p.before_adjacent, "`KNOWN_ *`: `_ ` is a plain space");
        assert_eq!(
            p.after,
            vec![PatElem::Word("IN".into()), PatElem::Gap, PatElem::Source]
        );
        assert!(v.blocks[1].patterns[1].after_adjacent);
        assert_eq!(
            v.blocks[1].patterns[2].before,
            vec![PatElem::Word("PLANES".into())]
        );
        assert_eq!(v.blocks[1].patterns[3].before, vec![PatElem::Compound]);
        assert_eq!(v.blocks[1].patterns[3].code, "030:030");
        let words: Vec<&PatElem> = v.blocks[1].patterns[4]
            .after
            .iter()
            .filter(|e| **e != PatElem::Gap)
            .collect();
        assert_eq!(words.len(), 3, "markup dropped: {words:?}");
    }

    #[test]
    fn structure_errors() {
        let e = parse_verbs("v.txt", "- * X [010]\n").expect_err("pattern before block");
        assert!(e.to_string().starts_with("v.txt:1:"), "{e}");
        let e = parse_verbs("v.txt", "--- A [010] ---\nA\n- NO STAR [010]\n").expect_err("no star");
        assert_eq!(
            e.to_string(),
            "v.txt:3: pattern has no `*` marking the verb"
        );
        let e = parse_verbs("v.txt", "\n+ORPHAN\n").expect_err("orphan member");
        assert!(e.to_string().starts_with("v.txt:2:"), "{e}");
    }
}
