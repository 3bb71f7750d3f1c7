//! Input formats: bytes in, [`Article`]s out. JSON Lines (one article per line, streamed with
//! a per-line size cap), plain text, HTML pages (boilerplate removed with `dom_smoothie`, a
//! Readability port; title, publication date, outlet and canonical URL from the page's
//! metadata), RSS and Atom feeds (`feed-rs`), and gzip'd versions of all of these.
//!
//! Readers are generic (`impl Read`); this crate opens no file and no socket. Every error names
//! what was being read and, where there are lines, the line.

use chrono::NaiveDate;
use dyad_coder::input::{decode_text, parse_date, parse_record};
pub use dyad_coder::{Article, InputError};
use std::io::{BufRead, BufReader, Read};

/// An article with where it came from and the key that makes re-ingesting it a no-op.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedArticle {
    pub article: Article,
    /// The input's own id for it (JSON Lines `id`, feed guid or link, canonical URL), if any.
    pub key: Option<String>,
    /// `path:line`, `path#item3`, `path` or a URL.
    pub origin: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{what}: line {line}: longer than {max} bytes; skipped (raise --max-article-bytes)")]
    LineTooLong {
        what: String,
        line: usize,
        max: usize,
    },
    #[error("{what}{}: {message}", .line.map(|l| format!(": line {l}")).unwrap_or_default())]
    Read {
        what: String,
        line: Option<usize>,
        message: String,
    },
    #[error("{what}: not a readable HTML article: {message}")]
    Html { what: String, message: String },
    #[error("{what}: not a valid RSS or Atom feed: {message}")]
    Feed { what: String, message: String },
    #[error("{what}: no text to code")]
    Empty { what: String },
}

/// What an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Text,
    Html,
    Feed,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Text => "text",
            Format::Html => "html",
            Format::Feed => "feed",
        }
    }
}

/// Size limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest article (and largest JSON Lines line).
    pub max_article_bytes: usize,
    /// Largest HTML page or feed document read whole.
    pub max_document_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_article_bytes: dyad_coder::input::DEFAULT_MAX_ARTICLE_BYTES,
            max_document_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Whether these are the first bytes of a gzip stream.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// The format of an input, from its name's extension (after any `.gz`), else its first bytes.
pub fn detect(name: &str, head: &[u8]) -> Format {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "jsonl" | "ndjson" | "json" => return Format::Jsonl,
        "html" | "htm" | "xhtml" => return Format::Html,
        "rss" | "atom" | "xml" => return Format::Feed,
        "txt" | "text" | "md" => return Format::Text,
        _ => {}
    }
    sniff(head)
}

/// The format from content alone (a URL's response body, a file with no telling extension).
pub fn sniff(head: &[u8]) -> Format {
    let start: String = String::from_utf8_lossy(&head[..head.len().min(1024)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if start.starts_with('{') {
        Format::Jsonl
    } else if start.starts_with("<rss")
        || start.starts_with("<feed")
        || (start.starts_with("<?xml") && (start.contains("<rss") || start.contains("<feed")))
    {
        Format::Feed
    } else if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<?xml")
        || start.starts_with("<head")
    {
        Format::Html
    } else {
        Format::Text
    }
}

/// Every article in `reader` (gzip'd or not), as a stream: one item per article or per bad
/// record. A bad record does not end the stream; an unreadable input (truncated gzip, I/O
/// error) ends it after one error item.
pub fn articles<'a, R: Read + 'a>(
    reader: R,
    name: &str,
    limits: Limits,
) -> Box<dyn Iterator<Item = Result<SourcedArticle, FormatError>> + 'a> {
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let head = match buffered.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => return Box::new(std::iter::once(Err(read_error(name, None, &e)))),
    };
    if is_gzip(&head) {
        let inner =
            BufReader::with_capacity(64 * 1024, flate2::bufread::MultiGzDecoder::new(buffered));
        let inner_name = name.strip_suffix(".gz").unwrap_or(name).to_string();
        return articles_plain(inner, name, &inner_name, limits);
    }
    articles_plain(buffered, name, name, limits)
}

fn articles_plain<'a, R: BufRead + 'a>(
    mut reader: R,
    shown: &str,
    detect_name: &str,
    limits: Limits,
) -> Box<dyn Iterator<Item = Result<SourcedArticle, FormatError>> + 'a> {
    let head = match reader.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => return Box::new(std::iter::once(Err(read_error(shown, None, &e)))),
    };
    let format = detect(detect_name, &head);
    if format == Format::Jsonl {
        return Box::new(JsonlArticles {
            reader,
            what: shown.to_string(),
            max: limits.max_article_bytes,
            line: 0,
            done: false,
            buf: Vec::new(),
        });
    }
    let cap = if format == Format::Text {
        limits.max_article_bytes
    } else {
        limits.max_document_bytes
    };
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(cap as u64 + 1).read_to_end(&mut bytes) {
        return Box::new(std::iter::once(Err(read_error(shown, None, &e))));
    }
    let items: Vec<Result<SourcedArticle, FormatError>> =
        match decode_text(&bytes, shown, cap).map_err(FormatError::from) {
            Err(e) => vec![Err(e)],
            Ok(text) => match format {
                Format::Text => vec![text_article(text, shown)],
                Format::Html => vec![html_article(text, shown, None)],
                Format::Feed => match feed_entries(text.as_bytes(), shown) {
                    Ok(entries) => entries
                        .into_iter()
                        .enumerate()
                        .map(|(i, e)| e.into_article(shown, i + 1))
                        .collect(),
                    Err(e) => vec![Err(e)],
                },
                Format::Jsonl => Vec::new(),
            },
        };
    Box::new(items.into_iter())
}

fn read_error(what: &str, line: Option<usize>, e: &std::io::Error) -> FormatError {
    let message = match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "unexpected end of data (truncated gzip?); the rest of this input is skipped".into()
        }
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("corrupt data ({e}); the rest of this input is skipped")
        }
        _ => format!("{e}; the rest of this input is skipped"),
    };
    FormatError::Read {
        what: what.to_string(),
        line,
        message,
    }
}

struct JsonlArticles<R> {
    reader: R,
    what: String,
    max: usize,
    line: usize,
    done: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> Iterator for JsonlArticles<R> {
    type Item = Result<SourcedArticle, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.line += 1;
            let line = self.line;
            let (n, overflow) = match read_line_capped(&mut self.reader, &mut self.buf, self.max) {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    return Some(Err(read_error(&self.what, Some(line), &e)));
                }
            };
            if n == 0 {
                self.done = true;
                return None;
            }
            if overflow {
                return Some(Err(FormatError::LineTooLong {
                    what: self.what.clone(),
                    line,
                    max: self.max,
                }));
            }
            let text =
                match decode_text(&self.buf, &format!("{}: line {line}", self.what), self.max) {
                    Ok(t) => t,
                    Err(e) => return Some(Err(e.into())),
                };
            if text.trim().is_empty() {
                continue;
            }
            return Some(
                parse_record(text, &self.what, line, self.max)
                    .map(|article| {
                        // A record without its own id is named `file:line`; that is no key.
                        let key = (article.id != format!("{}:{line}", self.what))
                            .then(|| article.id.clone());
                        SourcedArticle {
                            key,
                            origin: format!("{}:{line}", self.what),
                            article,
                        }
                    })
                    .map_err(FormatError::from),
            );
        }
    }
}

/// Reads one line into `buf` (without the newline), storing at most `max` bytes; returns the
/// bytes consumed and whether the line was longer than `max` (its rest is skipped, not stored,
/// so a 1 GB line costs no memory).
pub fn read_line_capped(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    buf.clear();
    let mut consumed = 0;
    let mut overflow = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (content, used, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        if !overflow {
            if buf.len() + content.len() > max {
                overflow = true;
                buf.clear();
            } else {
                buf.extend_from_slice(content);
            }
        }
        consumed += used;
        r.consume(used);
        if done {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok((consumed, overflow))
}

/// A `YYYY-MM-DD` date inside a file name (`sudan-talks-2023-05-20.txt`).
pub fn date_from_name(name: &str) -> Option<NaiveDate> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let b = base.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = base.get(i..i + 10)?;
        let shape = s.bytes().enumerate().all(|(k, c)| match k {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        });
        if shape {
            parse_date(s)
        } else {
            None
        }
    })
}

/// A plain-text article: the whole text; the date from the file name; a short first line
/// followed by a blank line is the title.
pub fn text_article(text: &str, name: &str) -> Result<SourcedArticle, FormatError> {
    if text.trim().is_empty() {
        return Err(FormatError::Empty {
            what: name.to_string(),
        });
    }
    let trimmed = text.trim_start();
    let title = trimmed
        .split_once('\n')
        .filter(|(first, rest)| {
            first.len() <= 200 && rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n')
        })
        .map(|(first, _)| first.trim().to_string());
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    Ok(SourcedArticle {
        article: Article {
            id: base.to_string(),
            date: date_from_name(name),
            text: text.to_string(),
            title,
            ..Article::default()
        },
        key: None,
        origin: name.to_string(),
    })
}

/// A date from the forms pages and feeds use: RFC 3339, RFC 2822, or a leading `YYYY-MM-DD`.
pub fn parse_any_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.date_naive())
        .or_else(|_| chrono::DateTime::parse_from_rfc2822(s).map(|d| d.date_naive()))
        .ok()
        .or_else(|| s.get(..10).and_then(parse_date))
}

/// An HTML page as an article: the main text with navigation, banners, asides and footers
/// removed; title, outlet, publication date, language and canonical URL from the metadata.
/// `url` is where the page was fetched from, if it was.
pub fn html_article(
    html: &str,
    name: &str,
    url: Option<&str>,
) -> Result<SourcedArticle, FormatError> {
    use dom_smoothie::{Config, Readability, TextMode};
    let html_err = |message: String| FormatError::Html {
        what: name.to_string(),
        message,
    };
    let config = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: 200_000,
        ..Config::default()
    };
    let mut r = Readability::new(html, url, Some(config)).map_err(|e| html_err(e.to_string()))?;
    let canonical = r
        .doc
        .select("link[rel=canonical]")
        .attr("href")
        .map(|h| h.to_string())
        .filter(|h| h.starts_with("http"));
    let meta_date = [
        "article:published_time",
        "og:published_time",
        "date",
        "dc.date",
    ]
    .iter()
    .find_map(|p| {
        let sel = format!("meta[property=\"{p}\"], meta[name=\"{p}\"]");
        r.doc.select(&sel).attr("content").map(|c| c.to_string())
    });
    let article = r.parse().map_err(|e| html_err(e.to_string()))?;
    let body = tidy_text(&article.text_content);
    if body.trim().is_empty() {
        return Err(FormatError::Empty {
            what: name.to_string(),
        });
    }
    let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
    let date = article
        .published_time
        .as_deref()
        .and_then(parse_any_date)
        .or_else(|| meta_date.as_deref().and_then(parse_any_date))
        .or_else(|| date_from_name(name));
    let url = canonical
        .or(article.url.clone().filter(|u| u.starts_with("http")))
        .or_else(|| url.map(str::to_string));
    // The title is coded too: headlines carry events.
    let text = match &title {
        Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}"),
        _ => body,
    };
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    Ok(SourcedArticle {
        key: url.clone(),
        origin: name.to_string(),
        article: Article {
            id: url.clone().unwrap_or_else(|| base.to_string()),
            date,
            text,
            url,
            source: article.site_name.clone().filter(|s| !s.trim().is_empty()),
            title,
            lang: article.lang.clone(),
        },
    })
}

/// Paragraphs separated by one blank line, spaces inside lines collapsed.
fn tidy_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for para in s.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut first = true;
        for w in para.split_whitespace() {
            if !first {
                out.push(' ');
            }
            first = false;
            out.push_str(w);
        }
    }
    out
}

/// Text of an HTML fragment (a feed item's content): its paragraphs, or all its text.
pub fn html_fragment_text(html: &str) -> String {
    if !html.contains('<') {
        return tidy_text(html);
    }
    let Ok(r) = dom_smoothie::Readability::new(html, None, None) else {
        return String::new();
    };
    let paras: Vec<String> = r
        .doc
        .select("p, h1, h2, h3, li, blockquote")
        .iter()
        .map(|p| p.text().to_string())
        .collect();
    if paras.is_empty() {
        tidy_text(&r.doc.select("body").text())
    } else {
        tidy_text(&paras.join("\n"))
    }
}

/// One RSS item or Atom entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// guid / id, else link.
    pub key: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// Text of the full content, else of the summary.
    pub text: String,
    /// The feed's title (the outlet).
    pub feed_title: Option<String>,
}

impl FeedEntry {
    /// The entry as an article, coded from the text the feed carries.
    pub fn into_article(self, what: &str, index: usize) -> Result<SourcedArticle, FormatError> {
        let origin = format!("{what}#item{index}");
        let text = match &self.title {
            Some(t) if !self.text.starts_with(t.as_str()) => format!("{t}\n\n{}", self.text),
            _ => self.text.clone(),
        };
        if self.text.trim().is_empty() {
            return Err(FormatError::Empty { what: origin });
        }
        Ok(SourcedArticle {
            article: Article {
                id: self.key.clone().unwrap_or_else(|| origin.clone()),
                date: self.date,
                text,
                url: self.link,
                source: self.feed_title,
                title: self.title,
                lang: None,
            },
            key: self.key,
            origin,
        })
    }
}

/// The entries of an RSS 2.0, RSS 1.0, Atom or JSON feed.
pub fn feed_entries(bytes: &[u8], what: &str) -> Result<Vec<FeedEntry>, FormatError> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| FormatError::Feed {
        what: what.to_string(),
        message: e.to_string(),
    })?;
    let feed_title = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let link = e.links.first().map(|l| l.href.clone());
            // feed-rs makes up an id (a hash) when the item has none; the link is a better key.
            let key = if e.id.trim().is_empty()
                || e.id.len() == 32 && e.id.chars().all(|c| c.is_ascii_hexdigit())
            {
                link.clone()
            } else {
                Some(e.id.clone())
            };
            let html = e
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            FeedEntry {
                key,
                link,
                title: e.title.as_ref().map(|t| html_fragment_text(&t.content)),
                date: e.published.or(e.updated).map(|d| d.date_naive()),
                text: html_fragment_text(&html),
                feed_title: feed_title.clone(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests;
