//! Per-host rate limiting: the start of each request to a host is reserved
//! at least a delay after the previous reservation for that host.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use url::Url;

/// Longest delay the limiter honours (robots.txt `Crawl-delay` values are
/// capped to it before they get here; this is a second guard).
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(600);

/// Number of hosts remembered before old entries are pruned.
const PRUNE_AT: usize = 4096;

/// The key requests are spaced by: the host name (or IP literal), whatever
/// the scheme and port, since they usually reach the same servers.
pub(crate) fn host_key(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_ascii_lowercase()
}

/// Reservations of request start times, per host.
#[derive(Debug, Default)]
pub(crate) struct HostLimiter {
    /// Start time reserved by the latest request to each host.
    last_start: Mutex<HashMap<String, Instant>>,
}

impl HostLimiter {
    /// Reserves the next start time for `host` (no earlier than `delay` after
    /// the previous reservation) and sleeps until it. Callers are served in
    /// order of arrival; the lock is not held while sleeping.
    pub(crate) fn wait_turn(&self, host: &str, delay: Duration) {
        let delay = delay.min(MAX_DELAY);
        let slot = {
            let mut map = self
                .last_start
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            if map.len() >= PRUNE_AT {
                // Entries whose reservation is older than any delay can no
                // longer hold anyone back.
                map.retain(|_, last| now.saturating_duration_since(*last) < MAX_DELAY);
            }
            let slot = match map.get(host) {
                Some(last) => last.checked_add(delay).map_or(now, |next| next.max(now)),
                None => now,
            };
            map.insert(host.to_owned(), slot);
            slot
        };
        let wait = slot.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_requests_to_one_host_only() {
        let limiter = HostLimiter::default();
        let start = Instant::now();
        limiter.wait_turn("a.example", Duration::from_millis(100));
        limiter.wait_turn("b.example", Duration::from_millis(100));
        assert!(start.elapsed() < Duration::from_millis(100));
        limiter.wait_turn("a.example", Duration::from_millis(100));
        assert!(start.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn host_key_ignores_scheme_and_port() {
        let a = Url::parse("http://News.Example:8080/a").map(|u| host_key(&u));
        let b = Url::parse("https://news.example/b").map(|u| host_key(&u));
        assert_eq!(a, b);
    }
}
