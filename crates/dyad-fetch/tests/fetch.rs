//! Behaviour of `Fetcher` against tiny HTTP/1.1 servers on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use dyad_fetch::{FetchConfig, FetchError, Fetcher, RobotsStatus};

/// A request as the test server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
enum Reply {
    /// Status line, extra headers and a body sent with Content-Length.
    Full(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// A 200 whose body is ended by closing the connection (no Content-Length).
    CloseDelimited(Vec<u8>),
    /// Accept, read the request and answer nothing for this long.
    Hang(Duration),
}

fn ok(body: &str) -> Reply {
    Reply::Full(200, vec![], body.as_bytes().to_vec())
}

fn status(code: u16) -> Reply {
    Reply::Full(code, vec![], format!("status {code}").into_bytes())
}

fn redirect(code: u16, location: &str) -> Reply {
    Reply::Full(code, vec![("Location", location.to_owned())], Vec::new())
}

type Route = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A loopback HTTP/1.1 server that records every request it sees.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let route: Arc<Route> = Arc::new(route);
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let route = Arc::clone(&route);
                let log = Arc::clone(&log);
                thread::spawn(move || handle(stream, &*route, &log));
            }
        });
        Server { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn paths(&self) -> Vec<String> {
        self.seen
            .lock()
            .expect("log lock")
            .iter()
            .map(|s| s.path.clone())
            .collect()
    }

    fn count(&self, path: &str) -> usize {
        self.paths().iter().filter(|p| *p == path).count()
    }

    fn last(&self, path: &str) -> Option<Seen> {
        self.seen
            .lock()
            .expect("log lock")
            .iter()
            .rev()
            .find(|s| s.path == path)
            .cloned()
    }
}

fn handle(mut stream: TcpStream, route: &Route, log: &Mutex<Vec<Seen>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let path = request_line.split(' ').nth(1).unwrap_or("/").to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let seen = Seen { path, headers };
    log.lock().expect("log lock").push(seen.clone());
    let out = match route(&seen) {
        Reply::Full(code, headers, body) => {
            let mut out = format!("HTTP/1.1 {code} Test\r\nContent-Length: {}\r\n", body.len());
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("Connection: close\r\n\r\n");
            let mut out = out.into_bytes();
            out.extend_from_slice(&body);
            out
        }
        Reply::CloseDelimited(body) => {
            let mut out =
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                    .to_vec();
            out.extend_from_slice(&body);
            out
        }
        Reply::Hang(how_long) => {
            thread::sleep(how_long);
            return;
        }
    };
    let _ = stream.write_all(&out);
    let _ = stream.flush();
}

/// A fast configuration for tests: no host delay, short timeouts.
fn config() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        host_delay: Duration::ZERO,
        ..FetchConfig::default()
    }
}

fn fetcher(config: FetchConfig) -> Fetcher {
    Fetcher::new(config).expect("valid config")
}

#[test]
fn plain_get_returns_body_and_headers() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(404),
        "/article" => Reply::Full(
            200,
            vec![
                ("Content-Type", "text/html; charset=utf-8".into()),
                ("ETag", "\"v1\"".into()),
                ("Last-Modified", "Tue, 01 Jul 2025 10:00:00 GMT".into()),
            ],
            b"<p>Talks resumed.</p>".to_vec(),
        ),
        _ => status(404),
    });
    let f = fetcher(config());
    let got = f.get(&server.url("/article")).expect("200");
    assert_eq!(got.status, 200);
    assert_eq!(got.url, server.url("/article"));
    assert_eq!(got.body, b"<p>Talks resumed.</p>");
    assert_eq!(
        got.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(got.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        got.last_modified.as_deref(),
        Some("Tue, 01 Jul 2025 10:00:00 GMT")
    );
    let req = server.last("/article").expect("server saw the request");
    let ua = req.header("user-agent").unwrap_or_default();
    assert!(ua.starts_with("dyad/"), "user agent {ua:?}");
}

#[test]
fn redirect_chain_gives_final_url() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(404),
        "/old" => redirect(301, "/moved"),
        // A relative location, resolved against the current URL.
        "/moved" => redirect(302, "news/final?id=7"),
        "/news/final?id=7" => ok("final"),
        _ => status(404),
    });
    let f = fetcher(config());
    let got = f.get(&server.url("/old")).expect("followed");
    assert_eq!(got.url, server.url("/news/final?id=7"));
    assert_eq!(got.body, b"final");
}

#[test]
fn too_many_redirects_is_an_error_naming_the_url() {
    let server = Server::start(|req| {
        if let Some(n) = req.path.strip_prefix("/loop/") {
            let n: u32 = n.parse().unwrap_or(0);
            redirect(302, &format!("/loop/{}", n + 1))
        } else {
            status(404)
        }
    });
    let f = fetcher(FetchConfig {
        max_redirects: 3,
        respect_robots: false,
        ..config()
    });
    let start = server.url("/loop/0");
    let err = f.get(&start).expect_err("redirect loop");
    assert!(
        matches!(&err, FetchError::TooManyRedirects { url, max: 3 } if *url == start),
        "{err:?}"
    );
    assert!(err.to_string().starts_with(&start), "{err}");
    assert!(err.to_string().contains("more than 3 redirects"), "{err}");
    // The first request plus the three redirects allowed.
    assert_eq!(server.paths().len(), 4, "{:?}", server.paths());

    // Exactly max_redirects hops is fine.
    let server = Server::start(|req| match req.path.as_str() {
        "/a" => redirect(307, "/b"),
        "/b" => redirect(308, "/c"),
        "/c" => redirect(303, "/d"),
        "/d" => ok("d"),
        _ => status(404),
    });
    let got = f.get(&server.url("/a")).expect("three redirects allowed");
    assert_eq!(got.url, server.url("/d"));
}

#[test]
fn conditional_get_gets_304_as_none() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(404),
        "/feed.xml" => {
            if req.header("if-none-match") == Some("\"abc\"") {
                Reply::Full(304, vec![("ETag", "\"abc\"".into())], Vec::new())
            } else {
                Reply::Full(200, vec![("ETag", "\"abc\"".into())], b"<rss/>".to_vec())
            }
        }
        _ => status(404),
    });
    let f = fetcher(config());
    let url = server.url("/feed.xml");
    let first = f
        .get_conditional(&url, None, None)
        .expect("200")
        .expect("a body the first time");
    assert_eq!(first.etag.as_deref(), Some("\"abc\""));
    let again = f
        .get_conditional(
            &url,
            first.etag.as_deref(),
            Some("Tue, 01 Jul 2025 10:00:00 GMT"),
        )
        .expect("304 is not an error");
    assert!(again.is_none());
    let req = server.last("/feed.xml").expect("seen");
    assert_eq!(req.header("if-none-match"), Some("\"abc\""));
    assert_eq!(
        req.header("if-modified-since"),
        Some("Tue, 01 Jul 2025 10:00:00 GMT")
    );
    // A changed ETag gets the document.
    let changed = f
        .get_conditional(&url, Some("\"old\""), None)
        .expect("200")
        .expect("body");
    assert_eq!(changed.body, b"<rss/>");
    // A 304 to a plain GET is an error, not an empty success.
    let server304 = Server::start(|_| status(304));
    let f = fetcher(FetchConfig {
        respect_robots: false,
        ..config()
    });
    let err = f
        .get(&server304.url("/x"))
        .expect_err("304 without condition");
    assert_eq!(err.status(), Some(304));
}

#[test]
fn body_over_max_bytes_is_an_error() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(404),
        "/big" => Reply::Full(200, vec![], vec![b'x'; 5000]),
        "/big-unsized" => Reply::CloseDelimited(vec![b'y'; 5000]),
        "/exact" => Reply::Full(200, vec![], vec![b'z'; 1000]),
        "/exact-unsized" => Reply::CloseDelimited(vec![b'z'; 1000]),
        _ => status(404),
    });
    let f = fetcher(FetchConfig {
        max_bytes: 1000,
        ..config()
    });
    for path in ["/big", "/big-unsized"] {
        let url = server.url(path);
        let err = f.get(&url).expect_err("too large");
        assert!(
            matches!(&err, FetchError::TooLarge { url: u, limit: 1000 } if *u == url),
            "{path}: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{url}: body larger than 1000 bytes")
        );
    }
    for path in ["/exact", "/exact-unsized"] {
        let got = f.get(&server.url(path)).expect("exactly the limit is fine");
        assert_eq!(got.body.len(), 1000, "{path}");
    }
}

#[test]
fn not_found_is_an_error_with_status() {
    let server = Server::start(|_| status(404));
    let f = fetcher(config());
    let url = server.url("/missing");
    let err = f.get(&url).expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.to_string(), format!("{url}: HTTP 404 Not Found"));
    let err = f.get(&server.url("/also-missing")).expect_err("404");
    assert!(matches!(err, FetchError::Status { status: 404, .. }));
    // 5xx too.
    let server = Server::start(|_| status(503));
    let f = fetcher(config());
    let err = f.get(&server.url("/down")).expect_err("503");
    assert_eq!(err.status(), Some(503));
}

#[test]
fn silent_server_times_out() {
    let server = Server::start(|_| Reply::Hang(Duration::from_secs(4)));
    let f = fetcher(FetchConfig {
        timeout: Duration::from_millis(500),
        respect_robots: false,
        ..config()
    });
    let url = server.url("/slow");
    let started = Instant::now();
    let err = f.get(&url).expect_err("timeout");
    let took = started.elapsed();
    assert!(
        matches!(&err, FetchError::Timeout { url: u, after } if *u == url && *after == Duration::from_millis(500)),
        "{err:?}"
    );
    assert_eq!(err.to_string(), format!("{url}: timed out after 500 ms"));
    assert!(
        took >= Duration::from_millis(400),
        "gave up too early: {took:?}"
    );
    assert!(took < Duration::from_millis(2500), "took {took:?}");
}

#[test]
fn robots_disallow_is_obeyed_without_contacting_the_page() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::Full(
            200,
            vec![("Content-Type", "text/plain".into())],
            b"User-agent: *\nDisallow: /private\n".to_vec(),
        ),
        _ => ok("page"),
    });
    let f = fetcher(config());
    let url = server.url("/private/x");
    let err = f.get(&url).expect_err("disallowed");
    assert!(
        matches!(&err, FetchError::RobotsDisallowed { url: u } if *u == url),
        "{err:?}"
    );
    assert_eq!(err.to_string(), format!("{url}: refused by robots.txt"));
    assert_eq!(server.count("/private/x"), 0, "{:?}", server.paths());
    assert_eq!(
        f.get(&server.url("/public")).expect("allowed").body,
        b"page"
    );
    assert_eq!(server.count("/robots.txt"), 1);
    assert_eq!(
        f.robots_status(&server.url("/")),
        Some(RobotsStatus::Rules { crawl_delay: None })
    );

    // With respect_robots off, robots.txt is never asked for.
    let f = fetcher(FetchConfig {
        respect_robots: false,
        ..config()
    });
    f.get(&url).expect("robots ignored");
    assert_eq!(server.count("/robots.txt"), 1);
    assert_eq!(server.count("/private/x"), 1);
}

#[test]
fn robots_is_fetched_once_and_404_allows_all() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(404),
        _ => ok("page"),
    });
    let f = fetcher(config());
    for i in 0..4 {
        f.get(&server.url(&format!("/p{i}"))).expect("allowed");
    }
    assert_eq!(server.count("/robots.txt"), 1, "{:?}", server.paths());
    assert_eq!(server.paths().len(), 5);
    assert_eq!(
        f.robots_status(&server.url("/anything")),
        Some(RobotsStatus::Missing { status: 404 })
    );
}

#[test]
fn robots_forbidden_disallows_and_server_error_allows() {
    let forbidden = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(403),
        _ => ok("page"),
    });
    let broken = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => status(500),
        _ => ok("page"),
    });
    let f = fetcher(config());
    let err = f.get(&forbidden.url("/a")).expect_err("403 robots");
    assert!(
        matches!(err, FetchError::RobotsDisallowed { .. }),
        "{err:?}"
    );
    assert_eq!(forbidden.count("/a"), 0);
    assert_eq!(
        f.robots_status(&forbidden.url("/")),
        Some(RobotsStatus::Forbidden { status: 403 })
    );
    f.get(&broken.url("/a")).expect("5xx robots allows");
    assert!(matches!(
        f.robots_status(&broken.url("/")),
        Some(RobotsStatus::Unavailable { .. })
    ));
    // A port nobody listens on: the robots fetch fails, the page fetch fails
    // with a transport error naming the URL.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("http://{}/x", closed.local_addr().expect("addr"));
    drop(closed);
    let err = f.get(&dead).expect_err("nobody listens");
    assert!(err.to_string().starts_with(&dead), "{err}");
    assert!(matches!(
        f.robots_status(&dead),
        Some(RobotsStatus::Unavailable { .. })
    ));
}

#[test]
fn redirect_target_is_checked_against_its_own_robots() {
    let target = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => ok("User-agent: dyad\nDisallow: /private\n"),
        _ => ok("target"),
    });
    let private = target.url("/private/story");
    let public = target.url("/public/story");
    let origin = Server::start(move |req| match req.path.as_str() {
        "/robots.txt" => status(404),
        "/to-private" => redirect(302, &private),
        "/to-public" => redirect(302, &public),
        _ => status(404),
    });
    let f = fetcher(config());
    let err = f
        .get(&origin.url("/to-private"))
        .expect_err("target disallows");
    assert!(
        matches!(err, FetchError::RobotsDisallowed { .. }),
        "{err:?}"
    );
    assert_eq!(target.count("/private/story"), 0);
    let got = f.get(&origin.url("/to-public")).expect("allowed");
    assert_eq!(got.url, target.url("/public/story"));
}

#[test]
fn host_delay_spaces_requests() {
    let server = Server::start(|_| ok("page"));
    let f = fetcher(FetchConfig {
        host_delay: Duration::from_millis(200),
        respect_robots: false,
        ..config()
    });
    let started = Instant::now();
    for i in 0..3 {
        f.get(&server.url(&format!("/{i}"))).expect("200");
    }
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(400), "took only {took:?}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[test]
fn host_delay_holds_across_threads() {
    let server = Server::start(|_| ok("page"));
    let f = Arc::new(fetcher(FetchConfig {
        host_delay: Duration::from_millis(150),
        respect_robots: false,
        ..config()
    }));
    let started = Instant::now();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let f = Arc::clone(&f);
            let url = server.url(&format!("/t{i}"));
            thread::spawn(move || f.get(&url).map(|r| r.status))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("thread").expect("200"), 200);
    }
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(450), "took only {took:?}");
}

#[test]
fn crawl_delay_larger_than_host_delay_wins() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => ok("User-agent: *\nCrawl-delay: 0.3\n"),
        _ => ok("page"),
    });
    let f = fetcher(FetchConfig {
        host_delay: Duration::from_millis(10),
        ..config()
    });
    f.get(&server.url("/a")).expect("200");
    let started = Instant::now();
    f.get(&server.url("/b")).expect("200");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(280), "took only {took:?}");
    assert_eq!(
        f.robots_status(&server.url("/")),
        Some(RobotsStatus::Rules {
            crawl_delay: Some(Duration::from_secs_f64(f64::from(0.3f32)))
        })
    );
}

#[test]
fn non_http_urls_are_refused() {
    let f = fetcher(config());
    for url in [
        "file:///etc/passwd",
        "ftp://ftp.example/pub/file.txt",
        "mailto:desk@news.example",
        "not a url",
        "",
        "http://",
    ] {
        let err = f.get(url).expect_err(url);
        assert!(
            matches!(&err, FetchError::UnsupportedUrl { url: u } if u == url),
            "{url}: {err:?}"
        );
        assert_eq!(err.to_string(), format!("{url}: not an http(s) URL"));
        assert!(f.get_conditional(url, Some("\"e\""), None).is_err());
    }
}

#[test]
fn redirect_to_non_http_location_is_an_error() {
    let server = Server::start(|req| match req.path.as_str() {
        "/to-file" => redirect(302, "file:///etc/passwd"),
        "/nowhere" => Reply::Full(301, vec![], Vec::new()),
        _ => status(404),
    });
    let f = fetcher(FetchConfig {
        respect_robots: false,
        ..config()
    });
    let err = f.get(&server.url("/to-file")).expect_err("file redirect");
    assert!(
        matches!(err, FetchError::BadRedirect { status: 302, .. }),
        "{err:?}"
    );
    let err = f.get(&server.url("/nowhere")).expect_err("no location");
    assert!(
        matches!(err, FetchError::BadRedirect { status: 301, .. }),
        "{err:?}"
    );
}
