//! The input model: an [`Article`] from plain text or a JSON Lines record, with the checks that
//! turn bad bytes (invalid UTF-8, binary data, oversized input, broken JSON) into errors that
//! say what is wrong and where. No I/O here: callers pass bytes.

use chrono::NaiveDate;
use serde::Deserialize;

/// Largest article dyad codes in one piece (a longer one is refused, not truncated).
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub text: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("{what}: not valid UTF-8 at byte {offset} (line {line}); convert it to UTF-8 first")]
    InvalidUtf8 {
        what: String,
        offset: usize,
        line: usize,
    },
    #[error(
        "{what}: looks binary (NUL byte at offset {offset}); dyad reads text, HTML or JSON Lines"
    )]
    Binary { what: String, offset: usize },
    #[error("{what}: {size} bytes is larger than the limit of {max} bytes for one article (split it, or raise --max-article-bytes)")]
    TooLarge {
        what: String,
        size: usize,
        max: usize,
    },
    #[error("{what}: line {line}: {message}")]
    Json {
        what: String,
        line: usize,
        message: String,
    },
    #[error("{what}: line {line}: `{value}` is not a YYYY-MM-DD date")]
    BadDate {
        what: String,
        line: usize,
        value: String,
    },
}

/// Checks that `bytes` is text dyad can code and returns it as `&str`.
pub fn decode_text<'a>(bytes: &'a [u8], what: &str, max: usize) -> Result<&'a str, InputError> {
    if bytes.len() > max {
        return Err(InputError::TooLarge {
            what: what.to_string(),
            size: bytes.len(),
            max,
        });
    }
    // A NUL byte never occurs in text; finding one early says "binary" better than UTF-8 does.
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(InputError::Binary {
            what: what.to_string(),
            offset,
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        InputError::InvalidUtf8 {
            what: what.to_string(),
            offset,
            line,
        }
    })
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// Parses one JSON Lines record (`id`, `date`, `text` or `title` + `body`, `url`, `source`,
/// `lang`). `line` (1-based) names the record in errors and is the id when none is given.
pub fn parse_record(
    line_text: &str,
    what: &str,
    line: usize,
    max: usize,
) -> Result<Article, InputError> {
    if line_text.len() > max {
        return Err(InputError::TooLarge {
            what: format!("{what}: line {line}"),
            size: line_text.len(),
            max,
        });
    }
    let r: Record = serde_json::from_str(line_text).map_err(|e| InputError::Json {
        what: what.to_string(),
        line,
        message: format!("{e} (expected an object with `text`, or `title` and `body`)"),
    })?;
    let date = match r.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(parse_date(d).ok_or_else(|| InputError::BadDate {
            what: what.to_string(),
            line,
            value: d.to_string(),
        })?),
    };
    let text = match (r.text, r.title.clone(), r.body) {
        (Some(t), _, _) => t,
        (None, Some(t), Some(b)) => format!("{t}\n\n{b}"),
        (None, Some(t), None) => t,
        (None, None, Some(b)) => b,
        (None, None, None) => {
            return Err(InputError::Json {
                what: what.to_string(),
                line,
                message: "record has no `text`, `title` or `body`".into(),
            })
        }
    };
    let id = match r.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => format!("{what}:{line}"),
        Some(v) => v.to_string(),
    };
    Ok(Article {
        id,
        date,
        text,
        url: r.url,
        source: r.source,
        title: r.title,
        lang: r.lang,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let e = decode_text(b"ok\nbad \xff here", "a.txt", 1000).expect_err("invalid");
        assert_eq!(
            e,
            InputError::InvalidUtf8 {
                what: "a.txt".into(),
                offset: 7,
                line: 2
            }
        );
        assert!(e.to_string().contains("a.txt") && e.to_string().contains("byte 7"));
    }

    #[test]
    fn binary_and_size() {
        assert!(matches!(
            decode_text(b"\x7fELF\x00\x01", "bin", 1000),
            Err(InputError::Binary { offset: 4, .. })
        ));
        assert!(matches!(
            decode_text(&[b'a'; 11], "big", 10),
            Err(InputError::TooLarge {
                size: 11,
                max: 10,
                ..
            })
        ));
        assert_eq!(decode_text(b"", "empty", 10), Ok(""));
    }

    #[test]
    fn records() {
        let a = parse_record(
            r#"{"id":"x1","date":"2020-10-01","title":"T","body":"B","url":"u"}"#,
            "f",
            1,
            1000,
        )
        .expect("ok");
        assert_eq!(a.id, "x1");
        assert_eq!(a.text, "T\n\nB");
        assert_eq!(a.date, parse_date("2020-10-01"));
        let a = parse_record(r#"{"id": 7, "text":"t"}"#, "f", 3, 1000).expect("ok");
        assert_eq!(a.id, "7");
        let a = parse_record(r#"{"text":"t"}"#, "f", 3, 1000).expect("ok");
        assert_eq!(a.id, "f:3");
        let e = parse_record(r#"{"text": "t""#, "f.jsonl", 9, 1000).expect_err("broken");
        assert!(e.to_string().starts_with("f.jsonl: line 9:"), "{e}");
        let e =
            parse_record(r#"{"text":"t","date":"01/10/2020"}"#, "f", 2, 1000).expect_err("date");
        assert!(matches!(e, InputError::BadDate { .. }));
        assert!(parse_record(r#"{"id":"x"}"#, "f", 2, 1000).is_err());
    }
}
