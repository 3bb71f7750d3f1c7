//! Actor dictionaries (`*.actors.txt`).
//!
//! ```text
//! GONDOR [GON]                      a name and its code
//! +MINAS_TIRITH                     a synonym of the entry above
//! GOLLUM                            codes may follow on their own lines …
//! +SMEAGOL
//!     [HOB <950601]                 … restricted to dates before (`<`) or after (`>`) a day,
//!     [HOBGOV 19950601 - 19990815]  … or to a range;
//!     [HOBREB >990816]
//! KOFI_ANNAN_ [IGOUNO 970101-061231] [ELI]   several codes may share one line
//! THE_SHIRE [FRO/BIL/SAM]           `/` lists several actors for one name
//! ```
//! `_` joins words (a trailing `_` asks for an exact word); dates are `YYMMDD` (years 00–30 are
//! 20xx, the rest 19xx, as in PETRARCH) or `YYYYMMDD`.

use crate::lines::{brackets, logical_lines, words_of};
use crate::{PetrarchError, Warning};
use chrono::NaiveDate;

/// Two-digit years up to this one are 20xx, later ones 19xx (PETRARCH's and TABARI's rule).
pub const TWO_DIGIT_YEAR_PIVOT: u32 = 30;

/// One actor record: a primary name, its synonyms and its (possibly dated) codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    /// Line of the primary name.
    pub line: usize,
    /// The primary name, words separated by single spaces, as written (upper case).
    pub name: String,
    /// `+` synonyms.
    pub synonyms: Vec<String>,
    /// Codes in file order.
    pub codes: Vec<ActorCode>,
}

/// A code with its optional date restriction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCode {
    /// The code, upper-cased (`GONGOV`, `---` for a null actor).
    pub code: String,
    /// Further codes given with `/` (`[FRO/BIL/SAM]` → code `FRO`, also `BIL`, `SAM`).
    pub also: Vec<String>,
    /// First day the code applies (`>YYMMDD`, or the start of a range).
    pub from: Option<NaiveDate>,
    /// Last day the code applies (`<YYMMDD`, or the end of a range).
    pub to: Option<NaiveDate>,
}

impl ActorCode {
    /// The code applies only from or until some day.
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// The parsed contents of one actor file.
#[derive(Debug, Clone, Default)]
pub struct ActorDictionary {
    pub entries: Vec<ActorEntry>,
    /// Lines that were read with a repair or skipped (PETRARCH reads them the same lenient way).
    pub warnings: Vec<Warning>,
}

/// Parses an actor dictionary. `file` only names the source in errors and warnings.
///
/// Errors: a synonym or a code line before any actor name.
pub fn parse_actors(file: &str, text: &str) -> Result<ActorDictionary, PetrarchError> {
    let mut out = ActorDictionary::default();
    for line in logical_lines(text) {
        let b = brackets(&line.text);
        if b.unclosed {
            out.warnings.push(Warning::new(
                file,
                line.no,
                "`[` without `]`: read to the end of the line",
            ));
        }
        let name_part = b.outside.trim();
        let mut codes = Vec::new();
        for g in &b.groups {
            let (code, warning) = parse_code(g);
            match code {
                Some(c) => codes.push(c),
                None => out
                    .warnings
                    .push(Warning::new(file, line.no, "empty code `[]` ignored")),
            }
            if let Some(w) = warning {
                out.warnings.push(Warning::new(file, line.no, w));
            }
        }
        if name_part.is_empty() {
            let Some(cur) = out.entries.last_mut() else {
                return Err(PetrarchError::syntax(
                    file,
                    line.no,
                    "a code line comes before any actor name",
                ));
            };
            cur.codes.extend(codes);
        } else if let Some(syn) = name_part.strip_prefix('+') {
            let Some(cur) = out.entries.last_mut() else {
                return Err(PetrarchError::syntax(
                    file,
                    line.no,
                    "a `+` synonym comes before any actor name",
                ));
            };
            let syn = words_of(syn);
            if !syn.is_empty() {
                cur.synonyms.push(syn);
            }
            cur.codes.extend(codes);
        } else {
            out.entries.push(ActorEntry {
                line: line.no,
                name: words_of(name_part),
                synonyms: Vec::new(),
                codes,
            });
        }
    }
    Ok(out)
}

/// Reads the inside of one `[…]`: `CODE`, `CODE >DATE`, `CODE <DATE`, `CODE DATE-DATE`.
/// A date that cannot be read is reported (second value) and that bound left open; the code is
/// kept, as PETRARCH keeps it.
fn parse_code(inner: &str) -> (Option<ActorCode>, Option<String>) {
    let inner = inner.trim().trim_end_matches(['}', ')']);
    let mut parts = inner.split_whitespace();
    let Some(code_part) = parts.next() else {
        return (None, None);
    };
    let dates: String = parts.collect();
    let mut codes = code_part
        .split('/')
        .filter(|c| !c.is_empty())
        .map(str::to_ascii_uppercase);
    let Some(code) = codes.next() else {
        return (None, None);
    };
    let mut c = ActorCode {
        code,
        also: codes.collect(),
        from: None,
        to: None,
    };
    let mut bad: Vec<&str> = Vec::new();
    if let Some(d) = dates.strip_prefix('>') {
        c.from = parse_date(d);
        if c.from.is_none() {
            bad.push(d);
        }
    } else if let Some(d) = dates.strip_prefix('<') {
        c.to = parse_date(d);
        if c.to.is_none() {
            bad.push(d);
        }
    } else if let Some((a, b)) = dates.split_once('-') {
        c.from = parse_date(a);
        c.to = parse_date(b);
        if c.from.is_none() && !a.is_empty() {
            bad.push(a);
        }
        if c.to.is_none() && !b.is_empty() {
            bad.push(b);
        }
    } else if !dates.is_empty() {
        // A bare date: PETRARCH reads it as the day the code starts.
        c.from = parse_date(&dates);
        if c.from.is_none() {
            bad.push(&dates);
        }
    }
    let warning = (!bad.is_empty()).then(|| {
        format!(
            "`{}` in `[{inner}]` is not a YYMMDD or YYYYMMDD date; that bound is left open",
            bad.join("`, `")
        )
    });
    (Some(c), warning)
}

/// `YYMMDD` (00–30 → 20xx, else 19xx) or `YYYYMMDD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (y, m, d) = match s.len() {
        6 => {
            let yy = num(0..2)?;
            let y = if yy <= TWO_DIGIT_YEAR_PIVOT {
                2000 + yy
            } else {
                1900 + yy
            };
            (y, num(2..4)?, num(4..6)?)
        }
        8 => (num(0..4)?, num(4..6)?, num(6..8)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn names_synonyms_and_codes() {
        let text = "<!-- header -->\nGONDOR [GON]\n+MINAS_TIRITH\n+ANORIEN # comment\n\nARNOR_  [ARN]\nENT  \n\t[ENT]\nPALESTINIAN [pse]\n";
        let a = parse_actors("x.actors.txt", text).expect("parses");
        assert_eq!(a.entries.len(), 4);
        let g = &a.entries[0];
        assert_eq!((g.line, g.name.as_str()), (2, "GONDOR"));
        assert_eq!(g.synonyms, vec!["MINAS TIRITH", "ANORIEN"]);
        assert_eq!(g.codes[0].code, "GON");
        assert!(!g.codes[0].is_dated());
        assert_eq!(
            a.entries[1].name, "ARNOR",
            "trailing `_` (exact word) is dropped"
        );
        assert_eq!(
            a.entries[2].codes[0].code, "ENT",
            "a code on the next line belongs to the entry"
        );
        assert_eq!(a.entries[3].codes[0].code, "PSE", "codes are upper-cased");
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn date_restrictions() {
        let text = "GOLLUM\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n\t[HOBREB >990816]\n\
                    KOFI_ANNAN_ [IGOUNO 970101-061231] [ELI]\nZAHIR_SHAH [AFGELI 320101-331108]\n";
        let a = parse_actors("x.actors.txt", text).expect("parses");
        let g = &a.entries[0];
        assert_eq!(g.synonyms, vec!["SMEAGOL"]);
        assert_eq!(g.codes.len(), 3);
        assert_eq!((g.codes[0].from, g.codes[0].to), (None, d("1995-06-01")));
        assert_eq!(
            (g.codes[1].from, g.codes[1].to),
            (d("1995-06-01"), d("1999-08-15"))
        );
        assert_eq!((g.codes[2].from, g.codes[2].to), (d("1999-08-16"), None));
        let k = &a.entries[1];
        assert_eq!(k.codes.len(), 2, "two code groups on one line");
        assert_eq!(
            (k.codes[0].from, k.codes[0].to),
            (d("1997-01-01"), d("2006-12-31"))
        );
        assert!(!k.codes[1].is_dated());
        // 31–99 are 19xx, 00–30 20xx.
        assert_eq!(a.entries[2].codes[0].from, d("1932-01-01"));
        assert_eq!(parse_date("300101"), d("2030-01-01"));
        assert_eq!(parse_date("20100109"), d("2010-01-09"));
        assert_eq!(parse_date("2004017"), None);
        assert_eq!(parse_date("950231"), None);
    }

    #[test]
    fn lenient_lines_warn() {
        let text = "THE_SHIRE  [FRO/BIL/SAM]\nX [KORGOV 2004017-20061201]\nY [YYY\n";
        let a = parse_actors("x.actors.txt", text).expect("parses");
        assert_eq!(a.entries[0].codes[0].code, "FRO");
        assert_eq!(a.entries[0].codes[0].also, vec!["BIL", "SAM"]);
        let x = &a.entries[1].codes[0];
        assert_eq!(
            (x.from, x.to),
            (None, d("2006-12-01")),
            "the readable bound is kept"
        );
        assert_eq!(a.entries[2].codes[0].code, "YYY");
        assert_eq!(a.warnings.len(), 2);
        assert_eq!(a.warnings[0].line, 2);
        assert!(
            a.warnings[0].to_string().starts_with("x.actors.txt:2:"),
            "{}",
            a.warnings[0]
        );
    }

    #[test]
    fn structure_errors_name_file_and_line() {
        let e = parse_actors("bad.actors.txt", "# c\n+ORPHAN\nA [B]\n").expect_err("synonym first");
        assert_eq!(
            e.to_string(),
            "bad.actors.txt:2: a `+` synonym comes before any actor name"
        );
        let e = parse_actors("bad.actors.txt", "\n\n  [GON]\n").expect_err("code first");
        assert!(e.to_string().starts_with("bad.actors.txt:3:"), "{e}");
    }
}
