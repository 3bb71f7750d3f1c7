//! dyad's web app, embedded: the pages the server answers under `/` and `/assets/…`.
//!
//! The app is plain HTML, CSS and one script (`assets/`), with no build step of its own. The
//! libraries it draws with come from the npm registry at build time (see `build.rs` and
//! `package-lock.json`) and are embedded too, so a running server needs no network at all.

include!(concat!(env!("OUT_DIR"), "/vendor.rs"));

/// One file the app is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

/// The app's own files: (path under `/assets/`, bytes).
const OWN: &[(&str, &[u8])] = &[
    ("app.js", include_bytes!("../assets/app.js")),
    ("app.css", include_bytes!("../assets/app.css")),
    // The example article of the README's first command, for the "load the example" button.
    (
        "example.txt",
        include_bytes!("../../../examples/black-sea-grain-2023-07-18.txt"),
    ),
];

/// The page every view is drawn in.
pub fn index() -> Asset {
    Asset {
        bytes: include_bytes!("../assets/index.html"),
        content_type: "text/html; charset=utf-8",
    }
}

/// The file served at `/assets/{path}`, if there is one.
pub fn asset(path: &str) -> Option<Asset> {
    let bytes = match path.strip_prefix("vendor/") {
        Some(name) => VENDOR.iter().find(|(n, _)| *n == name)?.1,
        None => OWN.iter().find(|(n, _)| *n == path)?.1,
    };
    Some(Asset {
        bytes,
        content_type: content_type(path),
    })
}

/// Whether this build carries the chart, network and map libraries, and if not, why.
pub fn libraries_missing() -> Option<&'static str> {
    VENDOR_MISSING
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_files_are_served_with_their_types() {
        assert_eq!(
            asset("app.js").map(|a| a.content_type),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            asset("app.css").map(|a| a.content_type),
            Some("text/css; charset=utf-8")
        );
        let page = std::str::from_utf8(index().bytes).expect("utf-8");
        assert!(page.contains("/assets/app.js") && page.contains("/assets/app.css"));
    }

    #[test]
    fn unknown_and_escaping_paths_are_not_found() {
        for p in [
            "",
            "nope.js",
            "../Cargo.toml",
            "vendor/",
            "vendor/../app.js",
            "/etc/passwd",
        ] {
            assert_eq!(asset(p), None, "{p}");
        }
    }

    #[test]
    fn every_library_the_page_loads_is_embedded() {
        // A build without npm leaves them out on purpose, and says why.
        if let Some(why) = libraries_missing() {
            assert!(VENDOR.is_empty() && !why.is_empty());
            return;
        }
        let page = std::str::from_utf8(index().bytes).expect("utf-8");
        for (name, bytes) in VENDOR {
            assert!(bytes.len() > 1000, "{name} is too small to be the library");
            if name.ends_with(".js") {
                assert!(
                    page.contains(&format!("/assets/vendor/{name}")),
                    "{name} is not loaded by index.html"
                );
            }
        }
        let atlas = asset("vendor/countries-110m.json").expect("world atlas");
        assert!(std::str::from_utf8(atlas.bytes).is_ok_and(|t| t.contains("\"Topology\"")));
    }
}
