//! dyad's dictionaries: the data model, the TOML formats (see `docs/dictionaries.md`) and the
//! default set embedded at build time from the repository's `dict/` folder.
//!
//! This crate does no I/O: [`Dictionaries::from_files`] takes `(path, contents)` pairs, so the
//! CLI decides where files come from and tests can build dictionaries from strings.

mod codebook;

pub use codebook::{CameoCode, Codebook, QuadClass};

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A dictionary file that could not be read as dyad's format.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: not a known dictionary file (expected countries.toml, places.toml, cameo.toml, synsets.toml, actors/*.toml, actors/people/*.toml or verbs/*.toml)")]
    UnknownFile { file: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub iso3: String,
    #[serde(default)]
    pub cameo: Option<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub adjectives: Vec<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub capital: Option<String>,
    #[serde(default)]
    pub government: Vec<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

impl Country {
    /// The CAMEO country code (usually the ISO code).
    pub fn code(&self) -> &str {
        self.cameo.as_deref().unwrap_or(&self.iso3)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

/// One office a person held (or holds, when `to` is empty).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRole {
    pub code: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "opt_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub to: Option<NaiveDate>,
}

impl PersonRole {
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date <= t)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub roles: Vec<PersonRole>,
}

impl Person {
    /// The role in force on `date`; the latest one when none is (a former president is still
    /// coded with the country he led); the first when no date is known.
    pub fn role_on(&self, date: Option<NaiveDate>) -> Option<&PersonRole> {
        match date {
            Some(d) => self
                .roles
                .iter()
                .rev()
                .find(|r| r.active_on(d))
                .or_else(|| {
                    // Before the first office: the earliest; after: the latest that started.
                    self.roles
                        .iter()
                        .filter(|r| r.from.is_none_or(|f| f <= d))
                        .max_by_key(|r| r.from)
                        .or_else(|| self.roles.first())
                }),
            None => self.roles.last(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub code: String,
    pub sector: String,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub words: Vec<String>,
    #[serde(default)]
    pub plurals: Vec<String>,
    pub sector: String,
    #[serde(default)]
    pub person: bool,
}

/// A `[[verb]]` block: a lexical verb, its forms and the patterns that code it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerbEntry {
    pub lemma: String,
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub patterns: Vec<PatternEntry>,
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternEntry {
    pub code: String,
    pub p: String,
}

/// A `[[phrase]]` block: a nominal or multi-word expression with no verb head.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseEntry {
    pub code: String,
    pub p: String,
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbFile {
    #[serde(default)]
    verb: Vec<VerbEntry>,
    #[serde(default)]
    phrase: Vec<PhraseEntry>,
    #[serde(default)]
    synsets: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryFile {
    #[serde(default)]
    country: Vec<Country>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceFile {
    #[serde(default)]
    place: Vec<Place>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonFile {
    #[serde(default)]
    person: Vec<Person>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFile {
    #[serde(default)]
    org: Vec<Org>,
}
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleFile {
    #[serde(default)]
    role: Vec<Role>,
}

/// Every dictionary dyad codes with.
#[derive(Debug, Default, Clone)]
pub struct Dictionaries {
    pub countries: Vec<Country>,
    pub places: Vec<Place>,
    pub people: Vec<Person>,
    pub orgs: Vec<Org>,
    pub roles: Vec<Role>,
    pub codebook: Codebook,
    pub synsets: BTreeMap<String, Vec<String>>,
    pub verbs: Vec<VerbEntry>,
    pub phrases: Vec<PhraseEntry>,
}

impl Dictionaries {
    /// The default dictionaries compiled into the binary.
    pub fn embedded() -> Result<Self, DictError> {
        Self::from_files(embedded::EMBEDDED.iter().copied())
    }

    /// Paths (relative to `dict/`) and contents of the embedded files.
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        embedded::EMBEDDED
    }

    /// Builds dictionaries from `(path relative to the dictionary root, contents)` pairs. The
    /// path decides the format: `countries.toml`, `places.toml`, `cameo.toml`, `synsets.toml`,
    /// `actors/organizations.toml`, `actors/roles.toml`, `actors/people/*.toml`, `verbs/*.toml`.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DictError> {
        let files: Vec<(&str, &str)> = files.into_iter().collect();
        // Parsing dominates load time: parse two halves (by size) on two threads, then merge
        // in file order, so the result is the same as a sequential parse.
        let total: usize = files.iter().map(|(_, t)| t.len()).sum();
        let mut acc = 0;
        let split = files
            .iter()
            .position(|(_, t)| {
                acc += t.len();
                acc * 2 >= total
            })
            .map_or(files.len(), |i| i + 1);
        let (first, second) = files.split_at(split);
        let parse_all = |part: &[(&str, &str)]| -> Result<Dictionaries, DictError> {
            let mut d = Dictionaries::default();
            for (path, text) in part {
                d.add_file(path, text)?;
            }
            Ok(d)
        };
        let (a, b) = std::thread::scope(|s| {
            let h = s.spawn(|| parse_all(second));
            let a = parse_all(first);
            let b = h.join().unwrap_or_else(|_| {
                Err(DictError::Invalid {
                    file: "dictionaries".into(),
                    message: "parser thread panicked".into(),
                })
            });
            (a, b)
        });
        let mut d = a?;
        d.merge(b?)?;
        d.validate()?;
        Ok(d)
    }

    /// Appends `other` (parsed from files that come after this one's).
    fn merge(&mut self, other: Dictionaries) -> Result<(), DictError> {
        self.countries.extend(other.countries);
        self.places.extend(other.places);
        self.people.extend(other.people);
        self.orgs.extend(other.orgs);
        self.roles.extend(other.roles);
        if self.codebook.is_empty() {
            self.codebook = other.codebook;
        }
        self.verbs.extend(other.verbs);
        self.phrases.extend(other.phrases);
        self.add_synsets("dictionaries", other.synsets)
    }

    fn add_file(&mut self, path: &str, text: &str) -> Result<(), DictError> {
        let path = path.trim_start_matches("./");
        let name = path.rsplit('/').next().unwrap_or(path);
        if path.starts_with("verbs/") {
            let f: VerbFile = parse(path, text)?;
            for mut v in f.verb {
                v.file = path.to_string();
                self.verbs.push(v);
            }
            for mut p in f.phrase {
                p.file = path.to_string();
                self.phrases.push(p);
            }
            self.add_synsets(path, f.synsets)?;
        } else if path.starts_with("actors/people/") {
            let f: PersonFile = parse(path, text)?;
            self.people.extend(f.person);
        } else {
            match name {
                "countries.toml" => self
                    .countries
                    .extend(parse::<CountryFile>(path, text)?.country),
                "places.toml" => self.places.extend(parse::<PlaceFile>(path, text)?.place),
                "organizations.toml" => self.orgs.extend(parse::<OrgFile>(path, text)?.org),
                "roles.toml" => self.roles.extend(parse::<RoleFile>(path, text)?.role),
                "cameo.toml" => self.codebook = Codebook::parse(path, text)?,
                "synsets.toml" => {
                    let f: VerbFile = parse(path, text)?;
                    self.add_synsets(path, f.synsets)?;
                }
                _ => {
                    return Err(DictError::UnknownFile {
                        file: path.to_string(),
                    })
                }
            }
        }
        Ok(())
    }

    fn add_synsets(
        &mut self,
        path: &str,
        sets: BTreeMap<String, Vec<String>>,
    ) -> Result<(), DictError> {
        for (k, v) in sets {
            if self.synsets.insert(k.clone(), v).is_some() {
                return Err(DictError::Invalid {
                    file: path.to_string(),
                    message: format!("synset `{k}` is defined twice"),
                });
            }
        }
        Ok(())
    }

    /// Cross-file checks: codes exist in the codebook, roles have valid date ranges.
    fn validate(&self) -> Result<(), DictError> {
        if !self.codebook.is_empty() {
            for v in &self.verbs {
                let codes = std::iter::once(v.code.as_str())
                    .filter(|c| !c.is_empty())
                    .chain(v.patterns.iter().map(|p| p.code.as_str()));
                for c in codes {
                    if self.codebook.get(c).is_none() {
                        return Err(DictError::Invalid {
                            file: v.file.clone(),
                            message: format!("verb `{}`: unknown CAMEO code `{c}`", v.lemma),
                        });
                    }
                }
            }
            for p in &self.phrases {
                if self.codebook.get(&p.code).is_none() {
                    return Err(DictError::Invalid {
                        file: p.file.clone(),
                        message: format!("phrase `{}`: unknown CAMEO code `{}`", p.p, p.code),
                    });
                }
            }
        }
        for p in &self.people {
            for r in &p.roles {
                if let (Some(f), Some(t)) = (r.from, r.to) {
                    if t < f {
                        return Err(DictError::Invalid {
                            file: "actors/people".into(),
                            message: format!("{}: role {} ends before it starts", p.name, r.code),
                        });
                    }
                }
                if r.code.len() < 3 {
                    return Err(DictError::Invalid {
                        file: "actors/people".into(),
                        message: format!("{}: role code `{}` is too short", p.name, r.code),
                    });
                }
            }
        }
        Ok(())
    }
}

fn parse<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, DictError> {
    toml::from_str(text).map_err(|e| DictError::Parse {
        file: path.to_string(),
        message: locate(text, &e),
    })
}

/// A TOML error message with the line number where it happened.
fn locate(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().to_string();
    match e.span() {
        Some(sp) => {
            let line = text[..sp.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

fn opt_date<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<NaiveDate>, D::Error> {
    let s: Option<String> = Option::deserialize(de)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a YYYY-MM-DD date"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionaries_load_and_validate() {
        let d = Dictionaries::embedded().expect("embedded dictionaries are valid");
        assert!(d.countries.len() >= 190, "countries: {}", d.countries.len());
        assert!(!d.people.is_empty());
        assert!(!d.orgs.is_empty());
        assert!(!d.roles.is_empty());
        assert!(d.codebook.len() >= 280);
        assert!(!d.verbs.is_empty());
    }

    #[test]
    fn embedded_countries_are_unique_and_located() {
        let d = Dictionaries::embedded().expect("valid");
        let mut seen = std::collections::HashSet::new();
        for c in &d.countries {
            assert!(seen.insert(c.iso3.clone()), "duplicate {}", c.iso3);
            assert_eq!(c.iso3.len(), 3, "{}", c.iso3);
            assert!(
                c.lat.is_some() && c.lon.is_some(),
                "{} has no coordinates",
                c.iso3
            );
        }
        for p in &d.places {
            if let Some(cc) = &p.country {
                assert!(
                    seen.contains(cc),
                    "place {} in unknown country {cc}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn embedded_people_have_dated_roles_with_known_countries() {
        let d = Dictionaries::embedded().expect("valid");
        // Either code may be used: ISO ("XKX") or CAMEO ("KSV").
        let countries: std::collections::HashSet<_> = d
            .countries
            .iter()
            .flat_map(|c| [c.code().to_string(), c.iso3.clone()])
            .collect();
        for p in &d.people {
            assert!(!p.roles.is_empty(), "{} has no role", p.name);
            for r in &p.roles {
                let cc = &r.code[..3];
                assert!(
                    cc == "IGO" || cc == "NGO" || countries.contains(cc),
                    "{}: role code {} starts with no known country",
                    p.name,
                    r.code
                );
            }
        }
    }

    #[test]
    fn person_role_on_date() {
        let p: PersonFile = toml::from_str(
            r#"[[person]]
name = "A B"
roles = [
  { code = "XXXGOV", title = "Prime Minister", from = "2000-01-01", to = "2004-12-31" },
  { code = "XXXGOV", title = "President", from = "2005-01-01" },
]"#,
        )
        .expect("parses");
        let a = &p.person[0];
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            a.role_on(d("2002-06-01")).and_then(|r| r.title.as_deref()),
            Some("Prime Minister")
        );
        assert_eq!(
            a.role_on(d("2020-06-01")).and_then(|r| r.title.as_deref()),
            Some("President")
        );
        assert_eq!(
            a.role_on(d("1990-06-01")).and_then(|r| r.title.as_deref()),
            Some("Prime Minister")
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Dictionaries::from_files([("countries.toml", "[[country]]\niso3 = 5\n")])
            .expect_err("bad type");
        let msg = e.to_string();
        assert!(
            msg.contains("countries.toml") && msg.contains("line 2"),
            "{msg}"
        );
        let e = Dictionaries::from_files([("whatever.toml", "")]).expect_err("unknown");
        assert!(e.to_string().contains("whatever.toml"));
    }

    #[test]
    fn duplicate_synset_is_an_error() {
        let e = Dictionaries::from_files([
            ("synsets.toml", "[synsets]\na = [\"x\"]\n"),
            ("verbs/x.toml", "[synsets]\na = [\"y\"]\n"),
        ])
        .expect_err("duplicate");
        assert!(e.to_string().contains("defined twice"));
    }
}
