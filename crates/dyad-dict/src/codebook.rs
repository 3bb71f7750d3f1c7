//! The CAMEO codebook: names, Goldstein weights, quad classes and the PLOVER view.

use crate::DictError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameoCode {
    pub code: String,
    pub name: String,
    pub goldstein: f64,
    #[serde(default)]
    pub plover: Option<String>,
    #[serde(default)]
    pub plover_mode: Option<String>,
}

/// The four quad classes, derived from the CAMEO root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuadClass {
    VerbalCooperation = 1,
    MaterialCooperation = 2,
    VerbalConflict = 3,
    MaterialConflict = 4,
}

impl QuadClass {
    /// GDELT's numbering: roots 01–05 → 1, 06–09 → 2, 10–14 → 3, 15–20 → 4.
    pub fn of_root(root: u8) -> Option<QuadClass> {
        match root {
            1..=5 => Some(QuadClass::VerbalCooperation),
            6..=9 => Some(QuadClass::MaterialCooperation),
            10..=14 => Some(QuadClass::VerbalConflict),
            15..=20 => Some(QuadClass::MaterialConflict),
            _ => None,
        }
    }
    pub fn number(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Clone, Default)]
pub struct Codebook {
    codes: HashMap<String, CameoCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodebookFile {
    code: Vec<CameoCode>,
}

impl Codebook {
    pub(crate) fn parse(path: &str, text: &str) -> Result<Self, DictError> {
        let f: CodebookFile = crate::parse(path, text)?;
        let mut codes = HashMap::new();
        for c in f.code {
            let valid = matches!(c.code.len(), 2..=4)
                && c.code.bytes().all(|b| b.is_ascii_digit())
                && (1..=20).contains(&root_of(&c.code).unwrap_or(0));
            if !valid {
                return Err(DictError::Invalid {
                    file: path.into(),
                    message: format!("`{}` is not a CAMEO code", c.code),
                });
            }
            if codes.insert(c.code.clone(), c.clone()).is_some() {
                return Err(DictError::Invalid {
                    file: path.into(),
                    message: format!("code `{}` is listed twice", c.code),
                });
            }
        }
        Ok(Codebook { codes })
    }

    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.codes.get(code)
    }
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &CameoCode> {
        self.codes.values()
    }

    /// The Goldstein weight of `code`, falling back to its parents.
    pub fn goldstein(&self, code: &str) -> Option<f64> {
        self.lookup(code).map(|c| c.goldstein)
    }

    /// PLOVER type and mode for `code`, falling back to its parents.
    pub fn plover(&self, code: &str) -> (Option<&str>, Option<&str>) {
        let mut c = code;
        while !c.is_empty() {
            if let Some(e) = self.codes.get(c) {
                if e.plover.is_some() {
                    return (e.plover.as_deref(), e.plover_mode.as_deref());
                }
            }
            c = &c[..c.len() - 1];
            if c.len() < 2 {
                break;
            }
        }
        (None, None)
    }

    fn lookup(&self, code: &str) -> Option<&CameoCode> {
        let mut c = code;
        loop {
            if let Some(e) = self.codes.get(c) {
                return Some(e);
            }
            if c.len() <= 2 {
                return None;
            }
            c = &c[..c.len() - 1];
        }
    }
}

/// The root (01–20) of a CAMEO code.
pub fn root_of(code: &str) -> Option<u8> {
    code.get(..2)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_classes() {
        assert_eq!(QuadClass::of_root(4), Some(QuadClass::VerbalCooperation));
        assert_eq!(QuadClass::of_root(7).map(QuadClass::number), Some(2));
        assert_eq!(QuadClass::of_root(12).map(QuadClass::number), Some(3));
        assert_eq!(QuadClass::of_root(19).map(QuadClass::number), Some(4));
        assert_eq!(QuadClass::of_root(21), None);
    }

    #[test]
    fn embedded_codebook_is_complete() {
        let d = crate::Dictionaries::embedded().expect("valid");
        let cb = &d.codebook;
        for r in 1..=20 {
            assert!(cb.get(&format!("{r:02}")).is_some(), "root {r:02} missing");
        }
        for c in cb.iter() {
            if c.code.len() > 2 {
                let parent = &c.code[..c.code.len() - 1];
                let parent = if parent.len() == 3 && c.code.len() == 3 {
                    &c.code[..2]
                } else {
                    parent
                };
                assert!(
                    cb.get(parent).is_some() || cb.get(&c.code[..2]).is_some(),
                    "{} has no parent",
                    c.code
                );
            }
            assert!((-10.0..=10.0).contains(&c.goldstein), "{}", c.code);
        }
        assert_eq!(cb.plover("041").0, Some("CONSULT"));
        assert_eq!(cb.plover("0256").0, Some("REQUEST"));
        assert_eq!(cb.plover("190").0, Some("ASSAULT"));
        assert_eq!(cb.plover("010").0, None);
        assert!(cb.goldstein("190").is_some_and(|g| g <= -9.0));
    }
}
