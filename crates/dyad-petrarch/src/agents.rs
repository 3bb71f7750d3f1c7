//! Agent dictionaries (`*.agents.txt`): role nouns that give a sector code.
//!
//! ```text
//! !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON     a substitution set
//! FOREIGN_MINISTER [~GOVFRM]                     regular plural generated
//! ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]    irregular plural
//! POLICE {} [~COP]                               no plural
//! CONGRESS!PERSON! [~LEG]                        one agent per member of the set, no plurals
//! HUMAN_RIGHTS_BODY [NGO~]                       code written before the actor's code
//! ```

use crate::lines::{brackets, logical_lines, words_of};
use crate::{PetrarchError, Warning};
use std::collections::HashMap;

/// How the plural of an agent is formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plurals {
    /// Regular English plural (PETRARCH: +S, Y→IES, S→ES).
    Regular,
    /// `{}`, or a substitution set: the words are used as written, no plural is made.
    None,
    /// `{PLURAL}`: the given forms.
    Given(Vec<String>),
}

/// Where PETRARCH puts the agent code relative to the actor's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentPosition {
    /// `[~GOV]`: after the actor code (`GON` + `GOV` → `GONGOV`).
    After,
    /// `[NGO~]`: before it (`NGO` + `ARN` → `NGOARN`).
    Before,
}

/// One agent line (a substitution set gives several words on one entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentEntry {
    pub line: usize,
    /// Singular forms, words separated by spaces (upper case as written).
    pub words: Vec<String>,
    pub plurals: Plurals,
    /// The code without `~` (`GOVFRM`).
    pub code: String,
    pub position: AgentPosition,
}

/// The parsed contents of one agent file.
#[derive(Debug, Clone, Default)]
pub struct AgentDictionary {
    pub entries: Vec<AgentEntry>,
    /// Substitution sets defined (`!PERSON! = …`).
    pub substitution_sets: usize,
    pub warnings: Vec<Warning>,
}

/// Parses an agent dictionary. Lines PETRARCH skips with a warning (no code, an undefined
/// substitution set, an unclosed `{`) are skipped here too and listed in `warnings`.
pub fn parse_agents(file: &str, text: &str) -> Result<AgentDictionary, PetrarchError> {
    let mut out = AgentDictionary::default();
    let mut sets: HashMap<String, Vec<String>> = HashMap::new();
    for line in logical_lines(text) {
        let t = line.text.as_str();
        let warn =
            |out: &mut AgentDictionary, m: &str| out.warnings.push(Warning::new(file, line.no, m));
        if t.starts_with('!') && t.contains('=') {
            let Some((lhs, rhs)) = t.split_once('=') else {
                continue;
            };
            let name = lhs.trim().trim_matches('!').trim();
            if name.is_empty() || lhs.trim().matches('!').count() != 2 {
                warn(
                    &mut out,
                    "substitution set name is not of the form `!NAME!`; line skipped",
                );
                continue;
            }
            let members: Vec<String> = rhs
                .split(',')
                .map(words_of)
                .filter(|m| !m.is_empty())
                .collect();
            sets.insert(name.to_ascii_uppercase(), members);
            out.substitution_sets += 1;
            continue;
        }
        let b = brackets(t);
        if b.groups.is_empty() {
            warn(&mut out, "agent without a `[code]`; line skipped");
            continue;
        }
        if b.unclosed {
            warn(
                &mut out,
                "`[` without `]`: code read to the end of the line",
            );
        }
        let raw_code: String = b.groups[0]
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '~')
            .collect::<String>()
            .to_ascii_uppercase();
        let position = if raw_code.starts_with('~') || !raw_code.contains('~') {
            AgentPosition::After
        } else {
            AgentPosition::Before
        };
        if !raw_code.contains('~') {
            warn(&mut out, "agent code without `~`; read as `~CODE`");
        }
        let code = raw_code.replace('~', "");
        if code.is_empty() {
            warn(&mut out, "empty agent code; line skipped");
            continue;
        }
        let phrase = b.outside.trim();
        let (words, plurals) = if let Some(start) = phrase.find('!') {
            let rest = &phrase[start + 1..];
            let Some(end) = rest.find('!') else {
                warn(
                    &mut out,
                    "substitution marker without closing `!`; line skipped",
                );
                continue;
            };
            let name = rest[..end].to_ascii_uppercase();
            let Some(members) = sets.get(&name) else {
                warn(
                    &mut out,
                    &format!("substitution set `!{name}!` is not defined above; line skipped"),
                );
                continue;
            };
            let (head, tail) = (&phrase[..start], &rest[end + 1..]);
            let words = members
                .iter()
                .map(|m| words_of(&format!("{head}{m}{tail}")))
                .collect();
            (words, Plurals::None)
        } else if let Some(open) = phrase.find('{') {
            let Some(close) = phrase[open..].find('}').map(|c| open + c) else {
                warn(&mut out, "`{` without `}`; line skipped");
                continue;
            };
            let plural = words_of(&phrase[open + 1..close]);
            let plurals = if plural.is_empty() {
                Plurals::None
            } else {
                Plurals::Given(vec![plural])
            };
            (vec![words_of(&phrase[..open])], plurals)
        } else {
            (vec![words_of(phrase)], Plurals::Regular)
        };
        let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            warn(&mut out, "agent code without words; line skipped");
            continue;
        }
        out.entries.push(AgentEntry {
            line: line.no,
            words,
            plurals,
            code,
            position,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_plurals_and_positions() {
        let text = "!PERSON! = MAN, MEN, WOMAN\nAMBASSADOR [~GOV] # x\nATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]\n\
                    POLICE {} [ ~COP]\nCONGRESS!PERSON! [~LEG]\nHUMAN_RIGHTS_BODY  [NGO~]\n!MINST!_OF_SILLY_WALKS [~GOV]\n\
                    ISLAMIC_EXTREMIST\nDEPARTMENT_OF_ENVIRONMENT [~ENV}\n";
        let a = parse_agents("x.agents.txt", text).expect("parses");
        assert_eq!(a.substitution_sets, 1);
        let e: Vec<(&[String], &str)> = a
            .entries
            .iter()
            .map(|e| (e.words.as_slice(), e.code.as_str()))
            .collect();
        assert_eq!(e.len(), 6);
        assert_eq!(a.entries[0].words, vec!["AMBASSADOR"]);
        assert_eq!(a.entries[0].plurals, Plurals::Regular);
        assert_eq!(a.entries[1].words, vec!["ATTORNEY GENERAL"]);
        assert_eq!(
            a.entries[1].plurals,
            Plurals::Given(vec!["ATTORNEYS GENERAL".into()])
        );
        assert_eq!(
            (a.entries[2].code.as_str(), &a.entries[2].plurals),
            ("COP", &Plurals::None)
        );
        assert_eq!(
            a.entries[3].words,
            vec!["CONGRESSMAN", "CONGRESSMEN", "CONGRESSWOMAN"]
        );
        assert_eq!(a.entries[3].plurals, Plurals::None);
        assert_eq!(
            (a.entries[4].code.as_str(), a.entries[4].position),
            ("NGO", AgentPosition::Before)
        );
        assert_eq!(a.entries[0].position, AgentPosition::After);
        assert_eq!(
            a.entries[5].code, "ENV",
            "an unclosed bracket is read to the end of the line"
        );
        // Undefined set, missing code, unclosed bracket.
        assert_eq!(a.warnings.len(), 3, "{:?}", a.warnings);
        assert!(a
            .warnings
            .iter()
            .any(|w| w.line == 7 && w.message.contains("!MINST!")));
        assert!(a.warnings.iter().any(|w| w.line == 8));
    }
}
