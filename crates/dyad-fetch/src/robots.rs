//! robots.txt: fetching once per origin, caching and deciding.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use texting_robots::Robot;
use url::Url;

use crate::limiter::MAX_DELAY;

/// Redirects followed when fetching robots.txt (as Google does).
pub(crate) const MAX_REDIRECTS: u32 = 5;
/// Bytes of robots.txt parsed; the rest is ignored (as Google does).
pub(crate) const MAX_BYTES: u64 = 512 * 1024;
/// How long a fetched (or definitely missing / forbidden) robots.txt is trusted.
const TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a failure to fetch robots.txt is remembered before retrying.
const FAILED_TTL: Duration = Duration::from_secs(60 * 60);

/// What is known about an origin's robots.txt; see
/// [`Fetcher::robots_status`](crate::Fetcher::robots_status).
#[derive(Debug, Clone, PartialEq)]
pub enum RobotsStatus {
    /// robots.txt was fetched and parsed; its rules apply.
    Rules {
        /// Its `Crawl-delay` for our agent, if any (capped at 10 minutes).
        crawl_delay: Option<Duration>,
    },
    /// robots.txt does not exist (404, 410 or another 4xx other than
    /// 401/403/429): everything is allowed.
    Missing {
        /// The status of the robots.txt request.
        status: u16,
    },
    /// robots.txt is forbidden (401 or 403): everything is disallowed.
    Forbidden {
        /// The status of the robots.txt request.
        status: u16,
    },
    /// robots.txt could not be fetched or parsed (5xx, 429, network error,
    /// unparsable file): fetching is allowed, and this notes why.
    Unavailable {
        /// What went wrong.
        reason: String,
    },
}

/// Outcome of a robots.txt request, as the fetcher saw it.
pub(crate) enum Fetch {
    /// A 2xx answer with (at most [`MAX_BYTES`] of) its body.
    Body(Vec<u8>),
    /// A non-2xx final status.
    Status(u16),
    /// A network or protocol failure.
    Failed(String),
}

/// Whether a URL may be fetched, and the crawl delay of its origin.
pub(crate) enum RobotsDecision {
    Allowed { crawl_delay: Option<Duration> },
    Disallowed,
}

enum Rules {
    AllowAll,
    DisallowAll,
    Robot(Box<Robot>),
}

struct Entry {
    fetched_at: Instant,
    rules: Rules,
    status: RobotsStatus,
}

impl Entry {
    fn from_fetch(fetch: Fetch, agent: &str) -> Entry {
        let (rules, status) = match fetch {
            Fetch::Body(body) => parse(agent, &body),
            Fetch::Status(status @ (401 | 403)) => {
                (Rules::DisallowAll, RobotsStatus::Forbidden { status })
            }
            Fetch::Status(status) if (400..500).contains(&status) && status != 429 => {
                (Rules::AllowAll, RobotsStatus::Missing { status })
            }
            Fetch::Status(status) => (
                Rules::AllowAll,
                RobotsStatus::Unavailable {
                    reason: format!("robots.txt answered HTTP {status}"),
                },
            ),
            Fetch::Failed(reason) => (
                Rules::AllowAll,
                RobotsStatus::Unavailable {
                    reason: format!("robots.txt could not be fetched: {reason}"),
                },
            ),
        };
        Entry {
            fetched_at: Instant::now(),
            rules,
            status,
        }
    }

    fn is_fresh(&self) -> bool {
        let ttl = match self.status {
            RobotsStatus::Unavailable { .. } => FAILED_TTL,
            _ => TTL,
        };
        self.fetched_at.elapsed() < ttl
    }

    fn decide(&self, url: &Url) -> RobotsDecision {
        match &self.rules {
            Rules::AllowAll => RobotsDecision::Allowed { crawl_delay: None },
            Rules::DisallowAll => RobotsDecision::Disallowed,
            Rules::Robot(robot) => {
                // texting_robots is not expected to panic; if it does, the
                // file is treated as unusable, like an unparsable one.
                let allowed =
                    catch_unwind(AssertUnwindSafe(|| robot.allowed(url.as_str()))).unwrap_or(true);
                if allowed {
                    RobotsDecision::Allowed {
                        crawl_delay: crawl_delay(robot),
                    }
                } else {
                    RobotsDecision::Disallowed
                }
            }
        }
    }
}

fn parse(agent: &str, body: &[u8]) -> (Rules, RobotsStatus) {
    match catch_unwind(AssertUnwindSafe(|| Robot::new(agent, body))) {
        Ok(Ok(robot)) => {
            let status = RobotsStatus::Rules {
                crawl_delay: crawl_delay(&robot),
            };
            (Rules::Robot(Box::new(robot)), status)
        }
        Ok(Err(e)) => (
            Rules::AllowAll,
            RobotsStatus::Unavailable {
                reason: format!("robots.txt could not be parsed: {e}"),
            },
        ),
        Err(_) => (
            Rules::AllowAll,
            RobotsStatus::Unavailable {
                reason: "robots.txt could not be parsed".into(),
            },
        ),
    }
}

/// The robot's `Crawl-delay`, when it is a positive finite number, capped at [`MAX_DELAY`].
fn crawl_delay(robot: &Robot) -> Option<Duration> {
    let seconds = f64::from(robot.delay?);
    if seconds.is_finite() && seconds > 0.0 {
        Some(Duration::from_secs_f64(
            seconds.min(MAX_DELAY.as_secs_f64()),
        ))
    } else {
        None
    }
}

/// The agent name matched against `User-agent` lines: the product token of
/// the user agent string (`dyad` for `dyad/0.1.0 (+https://…)`).
pub(crate) fn agent_token(user_agent: &str) -> String {
    let token: String = user_agent
        .trim()
        .chars()
        .take_while(|c| *c != '/' && !c.is_whitespace())
        .collect();
    if token.is_empty() {
        "*".to_owned()
    } else {
        token.to_lowercase()
    }
}

/// scheme://host:port, the unit robots.txt applies to.
fn origin_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// `/robots.txt` of `url`'s origin, without credentials.
fn robots_url(url: &Url) -> Url {
    let mut robots = url.clone();
    // Both only fail for URLs without a host, which the fetcher never passes.
    let _ = robots.set_username("");
    let _ = robots.set_password(None);
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    robots
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// robots.txt entries per origin. Each origin has its own lock, so one
/// thread fetches an origin's robots.txt while others asking about the same
/// origin wait for it, and other origins are not held up.
#[derive(Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<Mutex<Option<Entry>>>>>,
}

impl RobotsCache {
    /// Decides whether `url` may be fetched, calling `fetch` with the
    /// robots.txt URL when the origin's entry is missing or stale.
    pub(crate) fn check(
        &self,
        url: &Url,
        agent: &str,
        fetch: impl FnOnce(&Url) -> Fetch,
    ) -> RobotsDecision {
        let slot = {
            let mut origins = lock(&self.origins);
            Arc::clone(origins.entry(origin_key(url)).or_default())
        };
        let mut entry = lock(&slot);
        match entry.as_ref() {
            Some(e) if e.is_fresh() => e.decide(url),
            _ => {
                let fresh = Entry::from_fetch(fetch(&robots_url(url)), agent);
                let decision = fresh.decide(url);
                *entry = Some(fresh);
                decision
            }
        }
    }

    /// The cached status for `url`'s origin, if any.
    pub(crate) fn status(&self, url: &Url) -> Option<RobotsStatus> {
        let slot = {
            let origins = lock(&self.origins);
            Arc::clone(origins.get(&origin_key(url))?)
        };
        let entry = lock(&slot);
        entry.as_ref().map(|e| e.status.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        match Url::parse(s) {
            Ok(u) => u,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn agent_tokens() {
        assert_eq!(
            agent_token("dyad/0.1.0 (+https://example.invalid/dyad)"),
            "dyad"
        );
        assert_eq!(agent_token("MyBot"), "mybot");
        assert_eq!(agent_token("/weird"), "*");
    }

    #[test]
    fn robots_url_drops_path_query_and_credentials() {
        let r = robots_url(&url("https://u:p@news.example:8443/a/b?c=d#e"));
        assert_eq!(r.as_str(), "https://news.example:8443/robots.txt");
    }

    #[test]
    fn origin_keys_distinguish_scheme_and_port() {
        assert_eq!(
            origin_key(&url("http://News.example/a")),
            origin_key(&url("http://news.example:80/b"))
        );
        assert_ne!(
            origin_key(&url("http://news.example/a")),
            origin_key(&url("https://news.example/a"))
        );
    }

    #[test]
    fn statuses_map_to_rules() {
        let page = url("https://news.example/a");
        let decide = |f: Fetch| Entry::from_fetch(f, "dyad").decide(&page);
        assert!(matches!(
            decide(Fetch::Status(404)),
            RobotsDecision::Allowed { .. }
        ));
        assert!(matches!(
            decide(Fetch::Status(410)),
            RobotsDecision::Allowed { .. }
        ));
        assert!(matches!(
            decide(Fetch::Status(401)),
            RobotsDecision::Disallowed
        ));
        assert!(matches!(
            decide(Fetch::Status(403)),
            RobotsDecision::Disallowed
        ));
        assert!(matches!(
            decide(Fetch::Status(503)),
            RobotsDecision::Allowed { .. }
        ));
        assert!(matches!(
            decide(Fetch::Failed("refused".into())),
            RobotsDecision::Allowed { .. }
        ));
        let e = Entry::from_fetch(Fetch::Status(500), "dyad");
        assert!(matches!(e.status, RobotsStatus::Unavailable { .. }));
    }

    #[test]
    fn rules_for_our_agent_win() {
        let body = b"User-agent: *\nDisallow: /\n\nUser-agent: dyad\nDisallow: /private\nCrawl-delay: 2.5\n";
        let e = Entry::from_fetch(Fetch::Body(body.to_vec()), "dyad");
        assert!(matches!(
            e.decide(&url("https://n.example/public")),
            RobotsDecision::Allowed { crawl_delay: Some(d) } if d == Duration::from_millis(2500)
        ));
        assert!(matches!(
            e.decide(&url("https://n.example/private/x")),
            RobotsDecision::Disallowed
        ));
        let other = Entry::from_fetch(Fetch::Body(body.to_vec()), "otherbot");
        assert!(matches!(
            other.decide(&url("https://n.example/public")),
            RobotsDecision::Disallowed
        ));
    }

    #[test]
    fn absurd_crawl_delays_are_capped_or_ignored() {
        for (text, want) in [
            ("Crawl-delay: 100000000000", Some(MAX_DELAY)),
            ("Crawl-delay: -3", None),
            ("Crawl-delay: 0", None),
            ("Crawl-delay: NaN", None),
            ("Crawl-delay: inf", None),
        ] {
            let body = format!("User-agent: *\n{text}\nDisallow: /x\n");
            let e = Entry::from_fetch(Fetch::Body(body.into_bytes()), "dyad");
            match e.status {
                RobotsStatus::Rules { crawl_delay } => assert_eq!(crawl_delay, want, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let inputs: [&[u8]; 5] = [
            b"\xff\xfe\x00\x00garbage",
            b"Disallow: /*$*$*[[[(\n",
            b"User-agent:\nAllow:\nDisallow:\n",
            &[0u8; 64],
            b"",
        ];
        for body in inputs {
            let e = Entry::from_fetch(Fetch::Body(body.to_vec()), "dyad");
            let _ = e.decide(&url("https://n.example/a"));
        }
    }
}
