//! PETRARCH's validation suite (`PETR.UnitTest.records.xml`): reading the records and running
//! them through a dyad [`Coder`].

use crate::actors::parse_date;
use crate::discards::Discards;
use crate::PetrarchError;
use chrono::NaiveDate;
use dyad_actors::ActorKind;
use dyad_coder::{ActorRef, Article, CodedArticle, Coder};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::panic::AssertUnwindSafe;

/// One coded event as the suite writes it: source code, target code, CAMEO code. An absent
/// actor is `---`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Triple {
    pub source: String,
    pub target: String,
    pub event: String,
}

impl Triple {
    /// A triple from the suite's attributes: an empty or missing actor code becomes `---`.
    pub fn new(source: &str, target: &str, event: &str) -> Self {
        let or_null = |s: &str| {
            if s.trim().is_empty() {
                "---".to_string()
            } else {
                s.trim().to_string()
            }
        };
        Triple {
            source: or_null(source),
            target: or_null(target),
            event: event.trim().to_string(),
        }
    }
}

impl fmt::Display for Triple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.source, self.target, self.event)
    }
}

/// One `<Sentence>` record of the suite.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitTest {
    pub id: String,
    /// Line of the `<Sentence>` element.
    pub line: usize,
    pub date: Option<NaiveDate>,
    pub category: String,
    /// `valid="true"`; PETRARCH runs only valid records.
    pub valid: bool,
    /// The record holds `<Skip>`: PETRARCH does not run it.
    pub skip: bool,
    /// The sentence, white space collapsed.
    pub text: String,
    /// Expected codings; empty for `noevents="True"`, an `error=…` or no `<EventCoding>`.
    pub expected: Vec<Triple>,
    /// `noevents="True"` was given.
    pub no_events: bool,
    /// `error="…"` (`dateline`, `bad_input_parse`, `storydiscard`, `sentencediscard`): the record
    /// expects no events for that reason.
    pub error: Option<String>,
    /// PETRARCH's `require_dyad` option in force for this record (set by `<Config>` elements
    /// between records; on by default): events without both a source and a target are not
    /// coded.
    pub require_dyad: bool,
}

impl UnitTest {
    /// Whether PETRARCH would run this record.
    pub fn runs(&self) -> bool {
        self.valid && !self.skip
    }
}

/// The dictionary files named by the suite's `<Environment>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub verbs: Vec<String>,
    pub actors: Vec<String>,
    pub agents: Vec<String>,
    pub discards: Vec<String>,
    /// `<Include>`: the categories (and `valid`) PETRARCH runs.
    pub include: Vec<String>,
}

/// Reads the `<Environment>` of a unit-test file.
pub fn parse_environment(xml: &str) -> Result<Environment, PetrarchError> {
    let mut env = Environment::default();
    let mut reader = Reader::from_str(xml);
    let mut field: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => field = Some(name_of(&e)),
            Ok(Event::Text(t)) => {
                let Some(f) = field.as_deref() else { continue };
                let v = t.unescape().map_err(|e| xml_error(xml, &reader, &e))?;
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                let list = match f {
                    "Verbfile" => &mut env.verbs,
                    "Actorfile" => &mut env.actors,
                    "Agentfile" => &mut env.agents,
                    "Discardfile" => &mut env.discards,
                    "Include" => {
                        env.include.extend(v.split_whitespace().map(str::to_string));
                        continue;
                    }
                    _ => continue,
                };
                list.extend(
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
            }
            Ok(Event::End(e)) => {
                field = None;
                if e.name().as_ref() == b"Environment" {
                    break;
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(xml_error(xml, &reader, &e)),
        }
    }
    Ok(env)
}

/// Reads the `<Sentence>` records of a PETRARCH unit-test file (`<Parse>` trees are ignored).
pub fn parse_unit_tests(xml: &str) -> Result<Vec<UnitTest>, PetrarchError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<UnitTest> = None;
    let mut in_text = false;
    let mut require_dyad = true;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(xml, &reader, &e))?;
        let opens = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = name_of(&e);
                let attrs = attributes(xml, &reader, &e)?;
                match (name.as_str(), cur.as_mut()) {
                    ("Sentence", _) => {
                        let line = line_at(xml, reader.buffer_position());
                        let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
                        cur = Some(UnitTest {
                            id: get("id"),
                            line,
                            date: attrs.get("date").and_then(|d| parse_date(d)),
                            category: get("category"),
                            valid: attrs
                                .get("valid")
                                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
                            require_dyad,
                            ..UnitTest::default()
                        });
                    }
                    ("EventCoding", Some(t)) => {
                        if let Some(err) = attrs.get("error") {
                            t.error = Some(err.clone());
                        }
                        if attrs
                            .get("noevents")
                            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                        {
                            t.no_events = true;
                        }
                        if let Some(code) = attrs.get("eventcode") {
                            let s = attrs.get("sourcecode").map_or("", String::as_str);
                            let g = attrs.get("targetcode").map_or("", String::as_str);
                            t.expected.push(Triple::new(s, g, code));
                        }
                    }
                    ("Skip", Some(t)) => t.skip = true,
                    ("Config", _) if attrs.get("option").is_some_and(|o| o == "require_dyad") => {
                        require_dyad = !attrs
                            .get("value")
                            .is_some_and(|v| v.eq_ignore_ascii_case("false"));
                    }
                    ("Text", Some(_)) => in_text = opens,
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t.unescape().map_err(|e| xml_error(xml, &reader, &e))?;
                if let Some(cur) = cur.as_mut() {
                    cur.text.push_str(&s);
                    cur.text.push(' ');
                }
            }
            Event::CData(t) if in_text => {
                if let Some(cur) = cur.as_mut() {
                    cur.text.push_str(&String::from_utf8_lossy(&t));
                    cur.text.push(' ');
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"Text" => in_text = false,
                b"Sentence" => {
                    if let Some(mut t) = cur.take() {
                        t.text = t.text.split_whitespace().collect::<Vec<_>>().join(" ");
                        out.push(t);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(t) = cur {
        return Err(PetrarchError::Xml {
            line: t.line,
            message: format!("<Sentence id=\"{}\"> is never closed", t.id),
        });
    }
    Ok(out)
}

fn name_of(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

fn attributes(
    xml: &str,
    reader: &Reader<&[u8]>,
    e: &BytesStart<'_>,
) -> Result<BTreeMap<String, String>, PetrarchError> {
    let mut out = BTreeMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| PetrarchError::Xml {
            line: line_at(xml, reader.buffer_position()),
            message: err.to_string(),
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|err| xml_error(xml, reader, &err))?;
        out.insert(key, value.trim().to_string());
    }
    Ok(out)
}

fn xml_error(xml: &str, reader: &Reader<&[u8]>, e: &quick_xml::Error) -> PetrarchError {
    let pos = reader.error_position().max(1).min(reader.buffer_position());
    PetrarchError::Xml {
        line: line_at(xml, pos),
        message: e.to_string(),
    }
}

fn line_at(xml: &str, pos: u64) -> usize {
    let pos = (pos as usize).min(xml.len());
    xml.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ------------------------------------------------------------------------------------ running

/// Counts for one category of records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryStats {
    pub total: usize,
    pub exact: usize,
    pub all_expected_found: usize,
}

/// The outcome of running the suite.
#[derive(Debug, Clone, Default)]
pub struct ValidationReport {
    /// Records run (valid, not `<Skip>`ped).
    pub total: usize,
    /// Records not run (`valid="false"` or `<Skip>`).
    pub skipped: usize,
    /// Records whose set of (source, target, event) triples equals the expected set.
    pub exact: usize,
    /// Records where every expected triple is among dyad's (dyad may find more). A record that
    /// expects no events counts here whatever dyad finds.
    pub all_expected_found: usize,
    /// Records run that expect no events at all.
    pub expecting_none: usize,
    /// Records dropped by a discard phrase (only with [`validate_with_discards`]).
    pub discarded: usize,
    /// Records on which the coder panicked (counted as producing no events).
    pub panicked: Vec<String>,
    pub by_category: BTreeMap<String, CategoryStats>,
    /// Records that did not pass exactly: id, expected triples, dyad's triples (both sorted).
    pub failures: Vec<(String, Vec<Triple>, Vec<Triple>)>,
}

impl ValidationReport {
    /// The failures, one per line: `id  expected: …  got: …`, at most `limit` of them.
    pub fn failures_text(&self, limit: usize) -> String {
        let join = |v: &[Triple]| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.iter()
                    .map(Triple::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        };
        let mut s = String::new();
        for (id, want, got) in self.failures.iter().take(limit) {
            s.push_str(&format!(
                "{id:<20} expected: {:<40} got: {}\n",
                join(want),
                join(got)
            ));
        }
        s
    }
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PETRARCH validation suite: {} records run, {} skipped",
            self.total, self.skipped
        )?;
        writeln!(
            f,
            "  exact (same set of triples): {:>4}  ({:.1}%)",
            self.exact,
            pct(self.exact, self.total)
        )?;
        writeln!(
            f,
            "  all expected triples found:  {:>4}  ({:.1}%; {} records expect no events)",
            self.all_expected_found,
            pct(self.all_expected_found, self.total),
            self.expecting_none
        )?;
        if !self.panicked.is_empty() {
            writeln!(
                f,
                "  coder panicked on:           {:>4}  ({})",
                self.panicked.len(),
                self.panicked.join(", ")
            )?;
        }
        if self.discarded > 0 {
            writeln!(f, "  dropped by discard phrases:  {:>4}", self.discarded)?;
        }
        writeln!(
            f,
            "  {:<12} {:>7} {:>7} {:>10}",
            "category", "records", "exact", "all-found"
        )?;
        for (cat, s) in &self.by_category {
            writeln!(
                f,
                "  {:<12} {:>7} {:>7} {:>10}",
                cat, s.total, s.exact, s.all_expected_found
            )?;
        }
        Ok(())
    }
}

/// Codes every runnable record with `coder` (the record's date as the article date) and
/// compares dyad's (source code, target code, event code) triples with the expected ones.
///
/// Actor codes are compared as strings. dyad's actors with no country or organization (a role
/// alone: "officials", "lawmakers") are written as PETRARCH writes them, `---` + sector
/// (`---GOV`); an absent source or target is `---`. Where the record runs under PETRARCH's
/// `require_dyad` (the default), dyad's events lacking a source or a target are left out, as
/// PETRARCH leaves them out.
pub fn validate(tests: &[UnitTest], coder: &Coder) -> ValidationReport {
    run(tests, coder, None)
}

/// [`validate`], first dropping records whose text holds a discard phrase (PETRARCH's
/// `storydiscard` / `sentencediscard` records expect exactly that).
pub fn validate_with_discards(
    tests: &[UnitTest],
    coder: &Coder,
    discards: &Discards,
) -> ValidationReport {
    run(tests, coder, Some(discards))
}

fn run(tests: &[UnitTest], coder: &Coder, discards: Option<&Discards>) -> ValidationReport {
    let mut r = ValidationReport::default();
    for t in tests {
        if !t.runs() {
            r.skipped += 1;
            continue;
        }
        r.total += 1;
        let want: BTreeSet<Triple> = t.expected.iter().cloned().collect();
        if want.is_empty() {
            r.expecting_none += 1;
        }
        let got: BTreeSet<Triple> = if discards.is_some_and(|d| d.check(&t.text).is_some()) {
            r.discarded += 1;
            BTreeSet::new()
        } else {
            let article = Article {
                id: t.id.clone(),
                date: t.date,
                text: t.text.clone(),
                ..Article::default()
            };
            // A coder bug on one record must not end the run: it is counted and reported.
            match std::panic::catch_unwind(AssertUnwindSafe(|| coder.code(&article))) {
                Ok(coded) => {
                    let mut got = triples(&coded);
                    if t.require_dyad {
                        got.retain(|x| x.source != "---" && x.target != "---");
                    }
                    got
                }
                Err(_) => {
                    r.panicked.push(t.id.clone());
                    BTreeSet::new()
                }
            }
        };
        let exact = want == got;
        let found = want.is_subset(&got);
        let c = r.by_category.entry(t.category.clone()).or_default();
        c.total += 1;
        if exact {
            r.exact += 1;
            c.exact += 1;
        }
        if found {
            r.all_expected_found += 1;
            c.all_expected_found += 1;
        }
        if !exact {
            r.failures.push((
                t.id.clone(),
                want.into_iter().collect(),
                got.into_iter().collect(),
            ));
        }
    }
    r
}

/// dyad's events as PETRARCH-style triples.
pub fn triples(coded: &CodedArticle) -> BTreeSet<Triple> {
    let code = |a: &Option<ActorRef>| -> String {
        let Some(a) = a else { return "---".to_string() };
        let group = coded
            .actors
            .get(a.id)
            .is_some_and(|x| x.kind == ActorKind::Group);
        if a.code.is_empty() {
            "---".to_string()
        } else if group && a.country.is_none() && a.org.is_none() {
            format!("---{}", a.code)
        } else {
            a.code.clone()
        }
    };
    coded
        .events
        .iter()
        .map(|e| Triple {
            source: code(&e.source),
            target: code(&e.target),
            event: e.cameo.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Validation>
<Environment>
    <Verbfile>V.verbs.txt</Verbfile>
    <Actorfile>A.actors.txt, B.actors.txt</Actorfile>
    <Include>valid DEMO</Include>
</Environment>
<Sentences>
<!-- <Sentence id="commented"></Sentence> -->
<Sentence date="19950103" id="D-1" category="DEMO" valid="true">
<EventCoding sourcecode="DAGGOV" targetcode="GON" eventcode="032"></EventCoding>
<EventCoding sourcecode="GON" targetcode="DAGGOV" eventcode="033"></EventCoding>
<Text>
Dagolath's minister left for
 Minas Tirith &amp; more.
</Text>
<Parse>(ROOT (S (NP (NNP Dagolath))))</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date = "20080801" id ="E-1"  category="ERROR" valid="true">
<EventCoding error="dateline"></EventCoding>
<Text>CEBU CITY: -- text</Text>
</Sentence>
<Config option="require_dyad" value="TRUE"></Config>
<Sentence date="19950101" id="S-1" category="AGENT" valid="true">
<Skip></Skip>
<EventCoding sourcecode="ARN" eventcode="064"/>
<Text>x</Text>
</Sentence>
<Sentence date="19950101" id="N-1" category="DEMO" valid="false">
<EventCoding noevents = "True"></EventCoding>
<Text>y</Text>
</Sentence>
</Sentences>
</Validation>"#;

    #[test]
    fn records() {
        let t = parse_unit_tests(XML).expect("parses");
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].id, "D-1");
        assert_eq!(t[0].line, 9);
        assert_eq!(t[0].date, NaiveDate::from_ymd_opt(1995, 1, 3));
        assert_eq!(
            t[0].text,
            "Dagolath's minister left for Minas Tirith & more."
        );
        assert_eq!(
            t[0].expected,
            vec![
                Triple::new("DAGGOV", "GON", "032"),
                Triple::new("GON", "DAGGOV", "033")
            ]
        );
        assert!(t[0].require_dyad && t[0].runs());
        assert_eq!(
            (t[1].id.as_str(), t[1].error.as_deref(), t[1].require_dyad),
            ("E-1", Some("dateline"), false)
        );
        assert!(t[1].expected.is_empty());
        assert!(t[2].skip && !t[2].runs() && t[2].require_dyad);
        assert_eq!(
            t[2].expected,
            vec![Triple::new("ARN", "---", "064")],
            "an absent target is ---"
        );
        assert!(!t[3].valid && t[3].no_events);
    }

    #[test]
    fn environment() {
        let e = parse_environment(XML).expect("parses");
        assert_eq!(e.verbs, vec!["V.verbs.txt"]);
        assert_eq!(e.actors, vec!["A.actors.txt", "B.actors.txt"]);
        assert_eq!(e.include, vec!["valid", "DEMO"]);
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let e = parse_unit_tests("<Validation>\n<Sentence id=\"x\">\n<Text>a</Tex>\n</Sentence>")
            .expect_err("bad");
        match e {
            PetrarchError::Xml { line, .. } => assert!((2..=3).contains(&line), "line {line}"),
            other => panic!("{other}"),
        }
    }
}
