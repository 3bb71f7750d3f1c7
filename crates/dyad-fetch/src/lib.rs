//! Polite HTTP(S) fetching for dyad.
//!
//! `dyad ingest URL…` and `dyad follow FEEDS.txt` use this crate to download
//! feed documents and article pages. Every request made through a
//! [`Fetcher`] follows the same politeness rules:
//!
//! * **robots.txt** is fetched once per origin (scheme, host and port), cached
//!   for 24 hours (one hour when it could not be fetched) and obeyed for the
//!   product token of the configured user agent (`dyad` for the default
//!   agent). A missing robots.txt (404, 410 and other 4xx) allows everything,
//!   401/403 disallow everything, and a 5xx, 429 or network failure allows the
//!   fetch but is noted (see [`Fetcher::robots_status`]).
//! * **Per-host rate limiting**: two requests to the same host name (the
//!   robots.txt request included) start at least [`FetchConfig::host_delay`]
//!   apart, or the robots.txt `Crawl-delay` when that is larger. Threads
//!   sharing a fetcher wait their turn in order of arrival.
//! * **Redirects** are followed by the fetcher itself, at most
//!   [`FetchConfig::max_redirects`] of them, and every hop is checked against
//!   robots.txt and rate limited like a first request.
//! * **Size cap**: a body larger than [`FetchConfig::max_bytes`] (after
//!   content decoding) is an error, never a silently truncated result.
//! * **Timeouts**: [`FetchConfig::connect_timeout`] for each connection and
//!   [`FetchConfig::timeout`] for the whole fetch, all redirect hops and the
//!   body included (time spent waiting for a host's turn is not counted).
//!
//! Only `http` and `https` URLs are fetched.
//!
//! ```no_run
//! use dyad_fetch::{FetchConfig, Fetcher};
//!
//! let fetcher = Fetcher::new(FetchConfig::default())?;
//! let page = fetcher.get("https://news.example/world/article-1")?;
//! println!("{} bytes from {}", page.body.len(), page.url);
//! # Ok::<_, dyad_fetch::FetchError>(())
//! ```

mod limiter;
mod robots;

use std::fmt;
use std::io;
use std::time::{Duration, Instant};

use ureq::http::{HeaderMap, HeaderValue, StatusCode};
use url::Url;

use crate::limiter::HostLimiter;
pub use crate::robots::RobotsStatus;
use crate::robots::{RobotsCache, RobotsDecision};

/// Settings of a [`Fetcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// `User-Agent` header sent with every request. Its product token (the
    /// text before the first `/` or space) is the agent name matched against
    /// robots.txt groups. Default: `dyad/<version> (+https://example.invalid/dyad)`.
    pub user_agent: String,
    /// Budget for a whole fetch: all redirect hops, connecting, sending and
    /// reading the body. Default 30 s.
    pub timeout: Duration,
    /// Budget for establishing one connection (DNS, TCP and TLS). Default 10 s.
    pub connect_timeout: Duration,
    /// Largest accepted body in bytes, after content decoding. A larger body
    /// is a [`FetchError::TooLarge`] error. Default 16 MiB.
    pub max_bytes: u64,
    /// Largest number of redirects followed for one fetch. Default 5.
    pub max_redirects: u32,
    /// Minimum gap between the starts of two requests to the same host.
    /// A larger robots.txt `Crawl-delay` wins. Default 1 s.
    pub host_delay: Duration,
    /// Whether robots.txt is fetched and obeyed. Default `true`.
    pub respect_robots: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: format!(
                "dyad/{} (+https://example.invalid/dyad)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            host_delay: Duration::from_secs(1),
            respect_robots: true,
        }
    }
}

/// A successfully fetched document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Final URL, after redirects.
    pub url: String,
    /// HTTP status of the final response (always 2xx).
    pub status: u16,
    /// `Content-Type` header of the final response, if any.
    pub content_type: Option<String>,
    /// `ETag` header of the final response, if any (for a later conditional GET).
    pub etag: Option<String>,
    /// `Last-Modified` header of the final response, if any (for a later conditional GET).
    pub last_modified: Option<String>,
    /// The body, content-decoded (gzip), at most [`FetchConfig::max_bytes`] long.
    pub body: Vec<u8>,
}

/// Why a fetch failed. Every message starts with the URL concerned.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL could not be parsed or its scheme is not `http`/`https`.
    #[error("{url}: not an http(s) URL")]
    UnsupportedUrl {
        /// The URL as given.
        url: String,
    },
    /// robots.txt of the URL's origin disallows it for our user agent.
    #[error("{url}: refused by robots.txt")]
    RobotsDisallowed {
        /// The refused URL.
        url: String,
    },
    /// The server answered with a status that is not a success.
    #[error("{url}: HTTP {status}{}", reason_suffix(*status))]
    Status {
        /// The URL whose request got this status.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The body is larger than [`FetchConfig::max_bytes`].
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge {
        /// The URL whose body was too large.
        url: String,
        /// The configured limit.
        limit: u64,
    },
    /// More than [`FetchConfig::max_redirects`] redirects.
    #[error("{url}: more than {max} redirects")]
    TooManyRedirects {
        /// The URL originally asked for.
        url: String,
        /// The configured maximum.
        max: u32,
    },
    /// A redirect whose `Location` is missing or not an http(s) URL.
    #[error("{url}: HTTP {status} redirect to an unusable location {location:?}")]
    BadRedirect {
        /// The URL that answered with the redirect.
        url: String,
        /// The redirect status.
        status: u16,
        /// The `Location` header (empty when missing).
        location: String,
    },
    /// The fetch or the connection took longer than allowed.
    #[error("{url}: timed out after {}", DisplayDuration(*after))]
    Timeout {
        /// The URL being fetched.
        url: String,
        /// The budget that ran out ([`FetchConfig::timeout`] or
        /// [`FetchConfig::connect_timeout`]).
        after: Duration,
    },
    /// Any other network, TLS or protocol failure.
    #[error("{url}: {message}")]
    Transport {
        /// The URL being fetched.
        url: String,
        /// The underlying error's text.
        message: String,
    },
    /// The [`FetchConfig`] given to [`Fetcher::new`] is unusable.
    #[error("invalid fetch configuration: {0}")]
    Config(String),
}

impl FetchError {
    /// The URL the error is about (`None` only for [`FetchError::Config`]).
    pub fn url(&self) -> Option<&str> {
        match self {
            FetchError::UnsupportedUrl { url }
            | FetchError::RobotsDisallowed { url }
            | FetchError::Status { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Transport { url, .. } => Some(url),
            FetchError::Config(_) => None,
        }
    }

    /// The HTTP status for [`FetchError::Status`] and [`FetchError::BadRedirect`].
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } | FetchError::BadRedirect { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }
}

fn reason_suffix(status: u16) -> String {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

/// Formats a duration as whole seconds ("30 s") when it is one, else in
/// milliseconds ("500 ms").
struct DisplayDuration(Duration);

impl fmt::Display for DisplayDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms.is_multiple_of(1000) {
            write!(f, "{} s", ms / 1000)
        } else {
            write!(f, "{ms} ms")
        }
    }
}

/// A polite HTTP(S) client; see the [crate documentation](crate) for the rules.
///
/// `Fetcher` is `Send + Sync`: share one (for instance in an `Arc`) between
/// threads so that they share the robots.txt cache, the per-host rate
/// limits and the connection pool.
pub struct Fetcher {
    config: FetchConfig,
    agent: ureq::Agent,
    robots_agent_token: String,
    robots: RobotsCache,
    limiter: HostLimiter,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The parts of a ureq response the fetcher needs, once the body is read.
struct Hop {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Fetcher {
    /// Creates a fetcher.
    ///
    /// # Errors
    ///
    /// [`FetchError::Config`] when the user agent is empty or not a valid
    /// header value, or when a timeout is zero.
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let user_agent = config.user_agent.trim();
        if user_agent.is_empty() {
            return Err(FetchError::Config("the user agent is empty".into()));
        }
        if HeaderValue::from_str(user_agent).is_err() {
            return Err(FetchError::Config(format!(
                "the user agent {user_agent:?} is not a valid header value"
            )));
        }
        if config.timeout.is_zero() || config.connect_timeout.is_zero() {
            return Err(FetchError::Config(
                "timeouts must be longer than zero".into(),
            ));
        }
        let agent_config = ureq::Agent::config_builder()
            .user_agent(user_agent)
            .http_status_as_error(false)
            // Redirects are followed by `Fetcher::fetch` so that every hop is
            // checked against robots.txt and rate limited.
            .max_redirects(0)
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(config.connect_timeout))
            .build();
        let agent = ureq::Agent::new_with_config(agent_config);
        let robots_agent_token = robots::agent_token(user_agent);
        Ok(Fetcher {
            config,
            agent,
            robots_agent_token,
            robots: RobotsCache::default(),
            limiter: HostLimiter::default(),
        })
    }

    /// The configuration this fetcher was created with.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// GET `url` following the politeness rules: robots.txt is fetched once
    /// per origin and cached, requests to one host are spaced by the host
    /// delay (the calling thread sleeps until its turn), redirects are capped,
    /// the body size is capped and the whole fetch has a timeout.
    ///
    /// # Errors
    ///
    /// See [`FetchError`]: any status other than 2xx is an error.
    pub fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        match self.fetch(url, None, None)? {
            Some(fetched) => Ok(fetched),
            // Unreachable in practice: 304 is only accepted for conditional requests.
            None => Err(FetchError::Status {
                url: url.to_owned(),
                status: 304,
            }),
        }
    }

    /// Conditional GET: like [`Fetcher::get`], but sends `If-None-Match`
    /// (`etag`) and `If-Modified-Since` (`last_modified`) when given, and
    /// returns `Ok(None)` when the server answers 304 Not Modified.
    ///
    /// Values that are not valid header values are not sent.
    ///
    /// # Errors
    ///
    /// As for [`Fetcher::get`].
    pub fn get_conditional(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Option<Fetched>, FetchError> {
        self.fetch(url, etag, last_modified)
    }

    /// What is known about robots.txt of `url`'s origin, from the cache only
    /// (no request is made). `None` when robots.txt has not been fetched for
    /// that origin, or when `url` is not an http(s) URL.
    pub fn robots_status(&self, url: &str) -> Option<RobotsStatus> {
        let parsed = parse_http_url(url).ok()?;
        self.robots.status(&parsed)
    }

    fn fetch(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Option<Fetched>, FetchError> {
        let conditional = etag.is_some() || last_modified.is_some();
        let mut current = parse_http_url(url)?;
        let mut redirects: u32 = 0;
        // Time spent in HTTP exchanges so far; waits for a host's turn are not counted.
        let mut spent = Duration::ZERO;
        loop {
            let delay = self.check_robots(&current)?;
            let host = limiter::host_key(&current);
            self.limiter.wait_turn(&host, delay);

            let remaining = self.config.timeout.saturating_sub(spent);
            if remaining.is_zero() {
                return Err(FetchError::Timeout {
                    url: current.to_string(),
                    after: self.config.timeout,
                });
            }
            let started = Instant::now();
            let hop = self.exchange(&current, remaining, etag, last_modified);
            spent += started.elapsed();
            let hop = hop?;

            let status = hop.status;
            if (200..300).contains(&status) {
                return Ok(Some(Fetched {
                    url: current.to_string(),
                    status,
                    content_type: header_string(&hop.headers, "content-type"),
                    etag: header_string(&hop.headers, "etag"),
                    last_modified: header_string(&hop.headers, "last-modified"),
                    body: hop.body,
                }));
            }
            if status == 304 && conditional {
                return Ok(None);
            }
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = hop
                    .headers
                    .get("location")
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
                    .unwrap_or_default();
                let next = match current.join(&location) {
                    Ok(next)
                        if !location.is_empty()
                            && matches!(next.scheme(), "http" | "https")
                            && next.host_str().is_some() =>
                    {
                        next
                    }
                    _ => {
                        return Err(FetchError::BadRedirect {
                            url: current.to_string(),
                            status,
                            location,
                        })
                    }
                };
                if redirects >= self.config.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_owned(),
                        max: self.config.max_redirects,
                    });
                }
                redirects += 1;
                current = next;
                continue;
            }
            return Err(FetchError::Status {
                url: current.to_string(),
                status,
            });
        }
    }

    /// Checks robots.txt for `url` (fetching it when needed) and returns the
    /// delay to keep between requests to `url`'s host.
    fn check_robots(&self, url: &Url) -> Result<Duration, FetchError> {
        if !self.config.respect_robots {
            return Ok(self.config.host_delay);
        }
        let decision = self
            .robots
            .check(url, &self.robots_agent_token, |robots_url| {
                self.fetch_robots(robots_url)
            });
        match decision {
            RobotsDecision::Disallowed => Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
            }),
            RobotsDecision::Allowed { crawl_delay } => {
                Ok(crawl_delay.map_or(self.config.host_delay, |d| d.max(self.config.host_delay)))
            }
        }
    }

    /// Fetches a robots.txt (rate limited like any request) and classifies the answer.
    fn fetch_robots(&self, robots_url: &Url) -> robots::Fetch {
        let host = limiter::host_key(robots_url);
        self.limiter.wait_turn(&host, self.config.host_delay);
        let request = self
            .agent
            .get(robots_url.as_str())
            .config()
            .max_redirects(robots::MAX_REDIRECTS)
            .build();
        let mut response = match request.call() {
            Ok(response) => response,
            Err(e) => return robots::Fetch::Failed(e.to_string()),
        };
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return robots::Fetch::Status(status);
        }
        let mut body = Vec::new();
        let read = io::Read::read_to_end(
            &mut io::Read::take(response.body_mut().as_reader(), robots::MAX_BYTES),
            &mut body,
        );
        match read {
            Ok(_) => robots::Fetch::Body(body),
            Err(e) => robots::Fetch::Failed(ureq::Error::from(e).to_string()),
        }
    }

    /// One HTTP exchange without following redirects; reads the body of a
    /// 2xx response.
    fn exchange(
        &self,
        url: &Url,
        budget: Duration,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Hop, FetchError> {
        let mut request = self.agent.get(url.as_str());
        if let Some(value) = etag.and_then(|v| HeaderValue::from_str(v).ok()) {
            request = request.header("if-none-match", value);
        }
        if let Some(value) = last_modified.and_then(|v| HeaderValue::from_str(v).ok()) {
            request = request.header("if-modified-since", value);
        }
        let request = request.config().timeout_global(Some(budget)).build();
        let mut response = request.call().map_err(|e| self.map_error(url, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        if (200..300).contains(&status) {
            let max = self.config.max_bytes;
            if declared_length(&headers).is_some_and(|len| len > max) {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit: max,
                });
            }
            body = response
                .body_mut()
                .with_config()
                .limit(max)
                .read_to_vec()
                .map_err(|e| self.map_error(url, e))?;
        }
        Ok(Hop {
            status,
            headers,
            body,
        })
    }

    fn map_error(&self, url: &Url, error: ureq::Error) -> FetchError {
        let url = url.to_string();
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect) => FetchError::Timeout {
                url,
                after: self.config.connect_timeout,
            },
            ureq::Error::Timeout(_) => FetchError::Timeout {
                url,
                after: self.config.timeout,
            },
            ureq::Error::Io(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                FetchError::Timeout {
                    url,
                    after: self.config.timeout,
                }
            }
            ureq::Error::BodyExceedsLimit(limit) => FetchError::TooLarge { url, limit },
            ureq::Error::TooManyRedirects => FetchError::TooManyRedirects {
                url,
                max: self.config.max_redirects,
            },
            other => FetchError::Transport {
                url,
                message: other.to_string(),
            },
        }
    }
}

/// The `Content-Length` of an identity-encoded response (a compressed
/// length says nothing certain about the decoded size).
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    if let Some(encoding) = headers.get("content-encoding") {
        if !encoding.as_bytes().eq_ignore_ascii_case(b"identity") {
            return None;
        }
    }
    headers
        .get("content-length")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn header_string(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn parse_http_url(url: &str) -> Result<Url, FetchError> {
    match Url::parse(url.trim()) {
        Ok(parsed)
            if matches!(parsed.scheme(), "http" | "https")
                && parsed.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(parsed)
        }
        _ => Err(FetchError::UnsupportedUrl {
            url: url.to_owned(),
        }),
    }
}

/// Resolves a possibly relative `link` (as found in a feed item or a page)
/// against the absolute `base` URL. Returns `None` when `base` is not an
/// absolute URL, when `link` cannot be resolved, or when the result is not an
/// http(s) URL (`mailto:`, `javascript:` …). The fragment is kept.
///
/// ```
/// use dyad_fetch::resolve_url;
/// assert_eq!(
///     resolve_url("https://news.example/world/index.xml", "../story/1").as_deref(),
///     Some("https://news.example/story/1"),
/// );
/// assert_eq!(resolve_url("https://news.example/", "mailto:desk@news.example"), None);
/// ```
pub fn resolve_url(base: &str, link: &str) -> Option<String> {
    let base = Url::parse(base.trim()).ok()?;
    let resolved = base.join(link.trim()).ok()?;
    if matches!(resolved.scheme(), "http" | "https") && resolved.host_str().is_some() {
        Some(resolved.into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetcher_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Fetcher>();
        assert_send_sync::<FetchError>();
    }

    #[test]
    fn default_config() {
        let c = FetchConfig::default();
        assert!(c.user_agent.starts_with("dyad/"));
        assert_eq!(c.timeout, Duration::from_secs(30));
        assert_eq!(c.connect_timeout, Duration::from_secs(10));
        assert_eq!(c.max_bytes, 16 * 1024 * 1024);
        assert_eq!(c.max_redirects, 5);
        assert_eq!(c.host_delay, Duration::from_secs(1));
        assert!(c.respect_robots);
    }

    #[test]
    fn invalid_configs_are_rejected() {
        let empty = FetchConfig {
            user_agent: "  ".into(),
            ..FetchConfig::default()
        };
        assert!(matches!(Fetcher::new(empty), Err(FetchError::Config(_))));
        let newline = FetchConfig {
            user_agent: "dyad\r\nX-Evil: 1".into(),
            ..FetchConfig::default()
        };
        assert!(matches!(Fetcher::new(newline), Err(FetchError::Config(_))));
        let zero = FetchConfig {
            timeout: Duration::ZERO,
            ..FetchConfig::default()
        };
        assert!(matches!(Fetcher::new(zero), Err(FetchError::Config(_))));
    }

    #[test]
    fn error_messages_name_the_url() {
        let e = FetchError::Status {
            url: "https://x.example/a".into(),
            status: 404,
        };
        assert_eq!(e.to_string(), "https://x.example/a: HTTP 404 Not Found");
        let e = FetchError::Status {
            url: "https://x.example/a".into(),
            status: 599,
        };
        assert_eq!(e.to_string(), "https://x.example/a: HTTP 599");
        let e = FetchError::TooLarge {
            url: "https://x.example/a".into(),
            limit: 16_777_216,
        };
        assert_eq!(
            e.to_string(),
            "https://x.example/a: body larger than 16777216 bytes"
        );
        let e = FetchError::Timeout {
            url: "https://x.example/a".into(),
            after: Duration::from_secs(30),
        };
        assert_eq!(e.to_string(), "https://x.example/a: timed out after 30 s");
        let e = FetchError::Timeout {
            url: "https://x.example/a".into(),
            after: Duration::from_millis(500),
        };
        assert_eq!(e.to_string(), "https://x.example/a: timed out after 500 ms");
        let e = FetchError::RobotsDisallowed {
            url: "https://x.example/a".into(),
        };
        assert_eq!(e.to_string(), "https://x.example/a: refused by robots.txt");
        let e = FetchError::TooManyRedirects {
            url: "https://x.example/a".into(),
            max: 5,
        };
        assert_eq!(e.to_string(), "https://x.example/a: more than 5 redirects");
        let e = FetchError::UnsupportedUrl {
            url: "ftp://x.example/a".into(),
        };
        assert_eq!(e.to_string(), "ftp://x.example/a: not an http(s) URL");
        assert_eq!(e.url(), Some("ftp://x.example/a"));
    }

    #[test]
    fn resolves_links() {
        let base = "https://news.example/world/feed.xml?x=1";
        let cases: &[(&str, Option<&str>)] = &[
            ("story.html", Some("https://news.example/world/story.html")),
            ("/a/b", Some("https://news.example/a/b")),
            ("../up", Some("https://news.example/up")),
            ("//cdn.example/p", Some("https://cdn.example/p")),
            (
                "http://other.example/x#frag",
                Some("http://other.example/x#frag"),
            ),
            (
                "  spaced.html \n",
                Some("https://news.example/world/spaced.html"),
            ),
            (
                "?page=2",
                Some("https://news.example/world/feed.xml?page=2"),
            ),
            ("mailto:desk@news.example", None),
            ("javascript:alert(1)", None),
            ("ftp://files.example/a", None),
            ("http://[::1", None),
        ];
        for (link, want) in cases {
            assert_eq!(resolve_url(base, link).as_deref(), *want, "link {link:?}");
        }
        assert_eq!(resolve_url("not a url", "/a"), None);
        assert_eq!(resolve_url("", "https://ok.example/"), None);
        assert_eq!(
            resolve_url("mailto:x@y.example", "https://ok.example/a").as_deref(),
            Some("https://ok.example/a")
        );
    }

    #[test]
    fn only_http_urls_parse() {
        for bad in [
            "file:///etc/passwd",
            "ftp://ftp.example/a",
            "",
            "not a url",
            "http://",
            "mailto:a@b.example",
            "data:text/plain,hi",
        ] {
            assert!(
                matches!(parse_http_url(bad), Err(FetchError::UnsupportedUrl { .. })),
                "{bad:?}"
            );
        }
        assert!(parse_http_url("https://news.example/a").is_ok());
        assert!(parse_http_url("HTTP://NEWS.example:8080/a").is_ok());
    }
}
