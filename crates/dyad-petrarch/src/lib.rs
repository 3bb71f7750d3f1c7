//! PETRARCH2 / TABARI dictionaries for dyad.
//!
//! Users who have dictionaries in the PETRARCH2 format (the Phoenix actor, agent and CAMEO verb
//! files, or their own) can code with them in dyad. This crate has three parts:
//!
//! 1. **Parsers** ([`parse_actors`], [`parse_agents`], [`parse_verbs`], [`parse_discards`]):
//!    pure functions from a file's contents to its records; no I/O. Comments (`#`, `<!-- -->`)
//!    are removed, `_` joins words, and lines PETRARCH itself reads leniently (a missing `]`,
//!    an unreadable date, an agent without a code) are read the same way and listed as
//!    [`Warning`]s. Structural errors (a synonym before any actor, a pattern with no `*`)
//!    are [`PetrarchError`]s naming the file and line.
//! 2. **Conversion** ([`load`]): parsed files into [`dyad_dict::Dictionaries`], with a
//!    [`LoadReport`] of what was converted, dropped and why.
//! 3. **Validation** ([`parse_unit_tests`], [`validate()`]): PETRARCH's functional test suite
//!    (`PETR.UnitTest.records.xml`) run through a [`dyad_coder::Coder`].
//!
//! # The mapping
//!
//! | PETRARCH | dyad |
//! |---|---|
//! | actor with one undated three-letter code (`GONDOR [GON]`) | [`dyad_dict::Country`]: `iso3` = the code, `name` = the first name, `aliases` = the synonyms (entries sharing a code are merged) |
//! | any other actor (`[GONGOV]`, dated codes, several codes) | [`dyad_dict::Person`] whose `roles` carry the codes; `>YYMMDD` is `from`, `<YYMMDD` is `to`, `A-B` both |
//! | agent `FOREIGN_MINISTER [~GOVFRM]` | [`dyad_dict::Role`] with `sector` = `GOVFRM` |
//! | verb block `--- ABANDON [345] ---` and its verbs | one [`dyad_dict::VerbEntry`] per verb: `lemma`, `forms` from `{…}`, `code` = the verb's or the block's code |
//! | pattern `- * &TIETYPES TIES [902]` | a pattern of every verb in the block: `.. @tietypes .. ties` |
//! | pattern `- PLANES_* [223]` (words before `*`) | a [`dyad_dict::PhraseEntry`]: `planes attack\|attacks\|attacked\|attacking` |
//! | multi-word verb `+BREAK_DOWN` / `WIRE_+TAP` | verb `break` with patterns starting `down` / a phrase `wire tap\|taps\|…` |
//! | synset `&CURRENCY` | a dyad synset `currency` (plurals added as PETRARCH adds them, nested sets flattened) |
//!
//! In patterns `+` becomes `$T`, `$` becomes `$S`, `^` (skip a noun phrase) becomes `..`, and the
//! markup of PETRARCH 2 noun and prepositional phrases (`{…}`, `(…)`) is dropped. TABARI's rule
//! that words separated by a space need not be adjacent while `_` joins adjacent words is kept:
//! a space becomes dyad's `..` gap (at most four tokens), `_` a plain space.
//!
//! Codes are checked against dyad's CAMEO codebook (the one embedded in `dyad-dict`): a code it
//! lacks (WEIS codes, PETRARCH's three-digit issue codes such as `903`, `102b`) is dropped and
//! counted; of a paired code `031:032` (source→target, target→source) only the first is kept;
//! `---` patterns (which in PETRARCH block the verb's own code) have no dyad equivalent and are
//! counted. Two-digit years follow PETRARCH: 00–30 are 20xx, 31–99 are 19xx
//! ([`actors::TWO_DIGIT_YEAR_PIVOT`]).
//!
//! # Limits
//!
//! PETRARCH codes from a constituency parse: a pattern names the head of the object noun
//! phrase, the source is the subject of the clause, compounds are read off the tree, and
//! `%`, `$ … *`, `+ … *` patterns assign roles by tree position. dyad matches shallow token
//! patterns after the verb, finds the subject to its left, and handles negation, modality and
//! reported speech itself. So:
//! - patterns with an actor slot (`$`, `+`, `%`, `^`) *before* the verb are skipped (counted as
//!   skipped patterns with their reason); patterns with only words before the verb become
//!   phrases, which add an event next to the verb's own rather than replacing it;
//! - `_`-less TABARI stems (`ARGENTIN`) match whole words only; an actor code with `/`
//!   (`[FRO/BIL/SAM]`) keeps its first code; an agent written `[NGO~]` (code before the
//!   actor's) is added after it like any other sector;
//! - `~` verb transformations and the issue file are not read.

pub mod actors;
pub mod agents;
mod convert;
pub mod discards;
mod lines;
pub mod validate;
pub mod verbs;

pub use actors::{parse_actors, ActorCode, ActorDictionary, ActorEntry};
pub use agents::{parse_agents, AgentDictionary, AgentEntry, AgentPosition, Plurals};
pub use discards::{parse_discards, DiscardEntry, DiscardScope, Discards};
pub use validate::{
    parse_environment, parse_unit_tests, triples, validate, validate_with_discards, CategoryStats,
    Environment, Triple, UnitTest, ValidationReport,
};
pub use verbs::{
    parse_verbs, PatElem, PatternLine, Synset, SynsetMember, VerbBlock, VerbDictionary, VerbLine,
};

use dyad_dict::{Codebook, Dictionaries};
use std::collections::BTreeMap;
use std::fmt;

/// Errors reading PETRARCH files.
#[derive(Debug, thiserror::Error)]
pub enum PetrarchError {
    /// A dictionary line that cannot be read in its place.
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    /// [`load`] could not tell the kind of a file from its name.
    #[error("{file}: not a PETRARCH dictionary file name (expected one containing `actors`, `agents`, `verbs` or `discards`, or starting with `CAMEO`)")]
    UnknownFile { file: String },
    /// The unit-test XML is malformed.
    #[error("unit-test records: line {line}: {message}")]
    Xml { line: usize, message: String },
    /// dyad's embedded dictionaries (for the codebook) failed to load.
    #[error("dyad's embedded codebook: {0}")]
    Dict(#[from] dyad_dict::DictError),
}

impl PetrarchError {
    pub(crate) fn syntax(file: &str, line: usize, message: impl Into<String>) -> Self {
        PetrarchError::Syntax {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// A line read with a repair, or skipped, the way PETRARCH reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Warning {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Warning {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The kind of a PETRARCH file, decided by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Actors,
    Agents,
    Verbs,
    Discards,
}

impl FileKind {
    /// `*actors*`, `*agents*`, `*verbs*` or `CAMEO*`, `*discards*` (case-insensitive, on the
    /// last path component).
    pub fn of(path: &str) -> Option<FileKind> {
        let name = path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(path)
            .to_ascii_lowercase();
        if name.contains("actors") {
            Some(FileKind::Actors)
        } else if name.contains("agents") {
            Some(FileKind::Agents)
        } else if name.contains("verbs") || name.starts_with("cameo") {
            Some(FileKind::Verbs)
        } else if name.contains("discards") {
            Some(FileKind::Discards)
        } else {
            None
        }
    }
}

/// What [`load`] read and converted.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Files read, with their kind.
    pub files: Vec<(String, FileKind)>,
    /// Actor records read (primary names).
    pub actors: usize,
    /// dyad countries made (actor records sharing a code are merged into one).
    pub countries: usize,
    /// dyad people made.
    pub people: usize,
    /// Actor records with no usable code (skipped).
    pub actors_without_code: usize,
    /// Actor records with a `/` multi-code (first code kept).
    pub multi_code_actors: usize,
    /// Agents read (dyad roles made).
    pub agents: usize,
    /// Agents written `[XXX~]` (code before the actor's; dyad appends it like the others).
    pub prefix_agents: usize,
    /// `--- … ---` verb blocks read.
    pub verb_blocks: usize,
    /// dyad verb entries made (one per verb of a block).
    pub verbs: usize,
    /// Multi-word verbs (`+BREAK_DOWN`, `WIRE_+TAP`).
    pub multi_word_verbs: usize,
    /// `- …` pattern lines read.
    pub pattern_lines: usize,
    /// Pattern lines converted (into verb patterns or phrases).
    pub patterns: usize,
    /// … of which became phrases (words before `*`).
    pub patterns_as_phrases: usize,
    /// Pattern lines not converted for a reason in `skip_reasons`.
    pub skipped_patterns: usize,
    pub skip_reasons: BTreeMap<String, usize>,
    /// Pattern lines with the null code `---`.
    pub null_patterns: usize,
    /// Pattern lines whose code was dropped (counted in `dropped_codes` too).
    pub dropped_patterns: usize,
    /// Codes (of patterns, verbs and blocks) not in dyad's codebook, dropped.
    pub dropped_codes: usize,
    /// The dropped codes and how often each occurred.
    pub dropped_code_values: BTreeMap<String, usize>,
    /// Paired codes `A:B` reduced to `A`.
    pub paired_codes: usize,
    /// dyad verb patterns made (each block pattern is copied to every verb of the block).
    pub verb_patterns: usize,
    /// dyad phrases made.
    pub phrases: usize,
    /// Synsets read / written to dyad (only those a converted pattern uses).
    pub synsets_read: usize,
    pub synsets: usize,
    /// `~` transformation lines ignored.
    pub transformations: usize,
    /// Discard phrases read (not part of dyad's dictionaries: see
    /// [`validate_with_discards`]).
    pub discards: usize,
    pub warnings: Vec<Warning>,
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "PETRARCH dictionaries: {} files", self.files.len())?;
        writeln!(
            f,
            "  actors:   {} records → {} countries, {} people ({} without a code, {} with `/` codes)",
            self.actors, self.countries, self.people, self.actors_without_code, self.multi_code_actors
        )?;
        writeln!(
            f,
            "  agents:   {} roles ({} written `[XXX~]`)",
            self.agents, self.prefix_agents
        )?;
        writeln!(
            f,
            "  verbs:    {} blocks → {} verb entries ({} multi-word), {} verb patterns, {} phrases",
            self.verb_blocks, self.verbs, self.multi_word_verbs, self.verb_patterns, self.phrases
        )?;
        writeln!(
            f,
            "  patterns: {} lines: {} converted ({} as phrases), {} skipped, {} null (---), {} with a dropped code",
            self.pattern_lines, self.patterns, self.patterns_as_phrases, self.skipped_patterns, self.null_patterns, self.dropped_patterns
        )?;
        for (reason, n) in &self.skip_reasons {
            writeln!(f, "    skipped {n:>5}: {reason}")?;
        }
        let mut top: Vec<(&String, &usize)> = self.dropped_code_values.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = top
            .iter()
            .take(12)
            .map(|(c, n)| format!("{c}×{n}"))
            .collect();
        writeln!(
            f,
            "  codes:    {} dropped (not in dyad's codebook{}), {} paired `A:B` kept as A",
            self.dropped_codes,
            if top.is_empty() {
                String::new()
            } else {
                format!(": {}", top.join(", "))
            },
            self.paired_codes
        )?;
        writeln!(
            f,
            "  synsets:  {} read, {} used; {} transformations ignored; {} discard phrases",
            self.synsets_read, self.synsets, self.transformations, self.discards
        )?;
        writeln!(f, "  warnings: {}", self.warnings.len())?;
        for w in self.warnings.iter().take(10) {
            writeln!(f, "    {w}")?;
        }
        if self.warnings.len() > 10 {
            writeln!(f, "    … and {} more", self.warnings.len() - 10)?;
        }
        Ok(())
    }
}

/// Reads PETRARCH files (`(file name, contents)` pairs; the name decides the parser, see
/// [`FileKind::of`]) and converts them into dyad dictionaries, checked against the CAMEO
/// codebook embedded in `dyad-dict` (which the result carries).
///
/// The result holds only what the files define (no places, organizations or default
/// dictionaries). Discard files are parsed and counted; use [`parse_discards`] and
/// [`validate_with_discards`] to apply them.
pub fn load(files: &[(&str, &str)]) -> Result<(Dictionaries, LoadReport), PetrarchError> {
    let codebook = Dictionaries::embedded()?.codebook;
    load_with_codebook(files, codebook)
}

/// [`load`] with a codebook of the caller's choice.
pub fn load_with_codebook(
    files: &[(&str, &str)],
    codebook: Codebook,
) -> Result<(Dictionaries, LoadReport), PetrarchError> {
    let mut conv = convert::Converter::new(codebook);
    let mut verb_files = Vec::new();
    for (name, text) in files {
        let kind = FileKind::of(name).ok_or_else(|| PetrarchError::UnknownFile {
            file: name.to_string(),
        })?;
        conv.report.files.push((name.to_string(), kind));
        match kind {
            FileKind::Actors => {
                let d = parse_actors(name, text)?;
                conv.report.warnings.extend(d.warnings.iter().cloned());
                conv.add_actors(name, &d);
            }
            FileKind::Agents => {
                let d = parse_agents(name, text)?;
                conv.report.warnings.extend(d.warnings.iter().cloned());
                conv.add_agents(&d);
            }
            FileKind::Verbs => {
                let d = parse_verbs(name, text)?;
                conv.report.warnings.extend(d.warnings.iter().cloned());
                conv.add_synsets(name, &d);
                verb_files.push((*name, d));
            }
            FileKind::Discards => {
                let d = parse_discards(name, text)?;
                conv.report.discards += d.entries.len();
            }
        }
    }
    for (name, d) in &verb_files {
        conv.add_verbs(name, d);
    }
    Ok(conv.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const ACTORS: &str = "GONDOR [GON]\n+MINAS_TIRITH\nGONDORIAN [GON]\nARNOR_ [ARN]\n\
        GOLLUM\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n\t[HOBREB >990816]\n\
        WHITE_HOUSE [USAGOV]\nNOBODY\n";
    const AGENTS: &str =
        "!PERSON! = MAN, MEN\nAMBASSADOR [~GOV]\nPOLICE {} [~COP]\nCONGRESS!PERSON! [~LEG]\n";
    const VERBS: &str = "&TIETYPES\n+MILITARY\n+ECONOMY_\n\n&BIGSET_\n+&TIETYPES\n+CULTURAL\n\n\
        --- RESTORE [064] ---\nRESTORE\nREINSTATE [063]\n\
        - * &TIETYPES TIES [064]\n- * NEW_&BIGSET_RELATIONS [064]\n- *_FULL + [064]\n- $ * WITH + [064]\n\
        - NOT * RELATIONS [112]\n- + WAS_* [063]\n- % * [030:030]\n- * FXLL [903]\n- * PARTIAL [---]\n- * TALKS [031:032]\n\n\
        --- BREAK [161] ---\nBREAK {BROKE BROKEN BREAKS BREAKING}\n+BREAK_DOWN {+BROKE_DOWN +BROKEN_DOWN}\nWIRE_+TAP [1711]\n- * TREATY [1717]\n";

    fn loaded() -> (Dictionaries, LoadReport) {
        static LOADED: std::sync::OnceLock<(Dictionaries, LoadReport)> = std::sync::OnceLock::new();
        LOADED
            .get_or_init(|| {
                load(&[
                    ("t.actors.txt", ACTORS),
                    ("t.agents.txt", AGENTS),
                    ("T.verbs.txt", VERBS),
                ])
                .expect("loads")
            })
            .clone()
    }

    fn date(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn actors_become_countries_and_people() {
        let (d, r) = loaded();
        assert_eq!(
            (r.actors, r.countries, r.people, r.actors_without_code),
            (6, 2, 2, 1)
        );
        let gon = d.countries.iter().find(|c| c.iso3 == "GON").expect("GON");
        assert_eq!(gon.name, "GONDOR");
        assert_eq!(
            gon.aliases,
            vec!["MINAS TIRITH", "GONDORIAN"],
            "entries sharing a code merge"
        );
        assert!(gon.cameo.is_none());
        let gollum = d
            .people
            .iter()
            .find(|p| p.name == "GOLLUM")
            .expect("GOLLUM");
        assert_eq!(gollum.aliases, vec!["SMEAGOL"]);
        let on = |s: &str| gollum.role_on(date(s)).map(|r| r.code.as_str());
        assert_eq!(on("1995-01-01"), Some("HOB"));
        assert_eq!(on("1997-06-01"), Some("HOBGOV"));
        assert_eq!(on("2001-01-01"), Some("HOBREB"));
        let wh = d
            .people
            .iter()
            .find(|p| p.name == "WHITE HOUSE")
            .expect("WHITE HOUSE");
        assert_eq!(wh.roles[0].code, "USAGOV");
    }

    #[test]
    fn agents_become_roles() {
        let (d, r) = loaded();
        assert_eq!(r.agents, 3);
        assert_eq!(d.roles[0].words, vec!["ambassador"]);
        assert!(d.roles[0].plurals.is_empty(), "regular plural left to dyad");
        assert_eq!(
            (d.roles[1].sector.as_str(), d.roles[1].plurals.clone()),
            ("COP", vec!["police".to_string()])
        );
        assert_eq!(d.roles[2].words, vec!["congressman", "congressmen"]);
    }

    #[test]
    fn verbs_patterns_and_synsets() {
        let (d, r) = loaded();
        let restore = d
            .verbs
            .iter()
            .find(|v| v.lemma == "restore")
            .expect("restore");
        assert_eq!(restore.code, "064");
        let ps: Vec<(&str, &str)> = restore
            .patterns
            .iter()
            .map(|p| (p.code.as_str(), p.p.as_str()))
            .collect();
        assert_eq!(
            ps,
            vec![
                ("064", ".. @tietypes .. ties"),
                ("064", ".. new @bigset relations"),
                ("064", "full .. $T"),
                ("064", ".. with .. $T"),
                ("031", ".. talks"),
            ]
        );
        let reinstate = d
            .verbs
            .iter()
            .find(|v| v.lemma == "reinstate")
            .expect("reinstate");
        assert_eq!(
            (reinstate.code.as_str(), reinstate.patterns.len()),
            ("063", 5),
            "own code, the block's patterns"
        );
        // Synsets: used ones only, plurals as PETRARCH makes them, nested sets flattened.
        assert_eq!(
            d.synsets.get("tietypes"),
            Some(&vec![
                "militaries".to_string(),
                "military".into(),
                "economy".into()
            ])
        );
        assert_eq!(
            d.synsets.get("bigset"),
            Some(&vec![
                "militaries".to_string(),
                "military".into(),
                "economy".into(),
                "cultural".into()
            ])
        );
        // Words before the verb: a phrase with the block's verb forms.
        let not = d
            .phrases
            .iter()
            .find(|p| p.code == "112")
            .expect("NOT * RELATIONS");
        assert!(
            not.p
                .starts_with("not .. restore|restores|restored|restoring|reinstate|"),
            "{}",
            not.p
        );
        assert!(not.p.ends_with(" .. relations"), "{}", not.p);
        // Accounting.
        assert_eq!(r.pattern_lines, 11);
        assert_eq!((r.patterns, r.patterns_as_phrases), (6, 1));
        assert_eq!(
            (r.null_patterns, r.dropped_patterns, r.dropped_codes),
            (1, 2, 2)
        );
        assert_eq!(r.skipped_patterns, 2);
        assert_eq!(r.skip_reasons.values().sum::<usize>(), 2);
        assert!(
            r.skip_reasons.keys().all(|k| k.contains("before `*`")),
            "{:?}",
            r.skip_reasons
        );
        assert_eq!(r.dropped_code_values.get("903"), Some(&1));
        assert_eq!(r.dropped_code_values.get("1717"), Some(&1));
        assert_eq!(r.paired_codes, 2);
    }

    #[test]
    fn multi_word_verbs() {
        let (d, _) = loaded();
        let down = d
            .verbs
            .iter()
            .find(|v| v.lemma == "break" && v.code.is_empty())
            .expect("+BREAK_DOWN");
        assert_eq!(down.forms, vec!["broke", "broken"]);
        assert_eq!(down.patterns[0].p, "down");
        assert_eq!(down.patterns[0].code, "161");
        let tap = d
            .phrases
            .iter()
            .find(|p| p.code == "1711")
            .expect("WIRE_+TAP");
        // Regular forms as PETRARCH makes them (no doubling: its dictionaries list such forms).
        assert_eq!(tap.p, "wire tap|taps|taped|taping");
    }

    #[test]
    fn result_validates_and_codes() {
        let (d, _) = loaded();
        for v in &d.verbs {
            for c in std::iter::once(&v.code)
                .filter(|c| !c.is_empty())
                .chain(v.patterns.iter().map(|p| &p.code))
            {
                assert!(d.codebook.get(c).is_some(), "{c}");
            }
        }
        for p in &d.phrases {
            assert!(d.codebook.get(&p.code).is_some(), "{}", p.code);
        }
        let coder = dyad_coder::Coder::new(&d).expect("a coder builds");
        let xml = r#"<Validation><Sentences>
            <Sentence date="19950101" id="T-1" category="DEMO" valid="true">
            <EventCoding sourcecode="GON" targetcode="ARN" eventcode="064"></EventCoding>
            <Text>Gondor restored military ties with Arnor.</Text>
            <Parse>(ROOT)</Parse></Sentence>
            <Sentence date = "19950101" id ="T-2" category="DEMO" valid="true">
            <EventCoding noevents = "True"></EventCoding>
            <Text>Nothing happened.</Text></Sentence>
            </Sentences></Validation>"#;
        let tests = parse_unit_tests(xml).expect("parses");
        let report = validate(&tests, &coder);
        assert_eq!(report.total, 2);
        assert_eq!(report.exact, 2, "{report}\n{}", report.failures_text(5));
    }

    #[test]
    fn file_kinds() {
        assert_eq!(
            FileKind::of("dir/Phoenix.Countries.actors.txt"),
            Some(FileKind::Actors)
        );
        assert_eq!(FileKind::of("CAMEO.2.0.txt"), Some(FileKind::Verbs));
        assert_eq!(
            FileKind::of("PETR.Validate.verbs.txt"),
            Some(FileKind::Verbs)
        );
        assert_eq!(FileKind::of("Phoenix.agents.txt"), Some(FileKind::Agents));
        assert_eq!(
            FileKind::of("PETR.Validate.discards.txt"),
            Some(FileKind::Discards)
        );
        let e = load(&[("Phoenix.IssueCoding.txt", "")]).expect_err("unknown");
        assert!(e.to_string().starts_with("Phoenix.IssueCoding.txt:"), "{e}");
    }

    #[test]
    fn load_errors_name_file_and_line() {
        let e =
            load(&[("x.verbs.txt", "--- A [010] ---\nA\n\n- A B [010]\n")]).expect_err("no star");
        assert_eq!(
            e.to_string(),
            "x.verbs.txt:4: pattern has no `*` marking the verb"
        );
    }
}
