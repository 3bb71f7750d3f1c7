//! Installs the web app's browser libraries from the npm registry (`npm ci` on the committed
//! lockfile, into `OUT_DIR`, so the source tree stays untouched) and writes `vendor.rs`, which
//! embeds their dist files into the library with `include_bytes!`.
//!
//! The Rust build must not depend on Node.js being present: without npm (or with the registry
//! out of reach) the crate still builds, says why in a cargo warning, and the app shows the
//! same reason in the views that need the libraries. `DYAD_WEB_NODE_MODULES` points the build at
//! an existing `node_modules` folder instead (offline builds, packagers), and
//! `DYAD_WEB_REQUIRE_LIBRARIES=1` turns the warning into a build failure (CI sets it).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (name served under `/assets/vendor/`, path inside `node_modules`).
const FILES: &[(&str, &str)] = &[
    ("echarts.min.js", "echarts/dist/echarts.min.js"),
    ("cytoscape.min.js", "cytoscape/dist/cytoscape.min.js"),
    (
        "topojson-client.min.js",
        "topojson-client/dist/topojson-client.min.js",
    ),
    ("countries-110m.json", "world-atlas/countries-110m.json"),
];

/// License texts shipped with the libraries, served together as `/assets/vendor/LICENSES.txt`.
const LICENSES: &[(&str, &str)] = &[
    ("echarts", "echarts/LICENSE"),
    ("echarts (NOTICE)", "echarts/NOTICE"),
    ("zrender", "zrender/LICENSE"),
    ("cytoscape", "cytoscape/LICENSE"),
    ("topojson-client", "topojson-client/LICENSE"),
    ("world-atlas", "world-atlas/LICENSE"),
];

fn main() {
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env("OUT_DIR"));
    println!("cargo:rerun-if-changed=package.json");
    println!("cargo:rerun-if-changed=package-lock.json");
    println!("cargo:rerun-if-env-changed=DYAD_WEB_NODE_MODULES");
    println!("cargo:rerun-if-env-changed=DYAD_WEB_REQUIRE_LIBRARIES");

    let modules = match std::env::var_os("DYAD_WEB_NODE_MODULES") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => npm_ci(&manifest, &out.join("npm")),
    };
    let code = match modules.and_then(|m| vendor_source(&m, &out)) {
        Ok(code) => code,
        Err(why) if std::env::var_os("DYAD_WEB_REQUIRE_LIBRARIES").is_some() => {
            panic!(
                "dyad-web: DYAD_WEB_REQUIRE_LIBRARIES is set and the libraries are missing: {why}"
            )
        }
        Err(why) => {
            println!("cargo:warning=dyad-web: the web app is built without its chart, network and map libraries: {why}");
            format!(
                "/// The browser libraries embedded in this build.\npub static VENDOR: &[(&str, &[u8])] = &[];\n\
                 /// Why the libraries are missing, when they are.\npub const VENDOR_MISSING: Option<&str> = Some({why:?});\n"
            )
        }
    };
    if let Err(e) = std::fs::write(out.join("vendor.rs"), code) {
        panic!(
            "dyad-web: cannot write vendor.rs into {}: {e}",
            out.display()
        );
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name}"))
}

/// Runs `npm ci` on a copy of the manifest and lockfile in `dir`, unless that lockfile was
/// installed there already. Returns the `node_modules` folder.
fn npm_ci(manifest: &Path, dir: &Path) -> Result<PathBuf, String> {
    let lock = std::fs::read(manifest.join("package-lock.json"))
        .map_err(|e| format!("cannot read package-lock.json: {e}"))?;
    let stamp = dir.join("installed.lock");
    let modules = dir.join("node_modules");
    if std::fs::read(&stamp).is_ok_and(|s| s == lock) && modules.is_dir() {
        return Ok(modules);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(manifest.join(f), dir.join(f))
            .map_err(|e| format!("cannot copy {f}: {e}"))?;
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    // --ignore-scripts: nothing from the registry runs on the build machine.
    // --prefer-offline: a warm npm cache is enough, no registry round trips.
    let result = Command::new(npm)
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--loglevel=error",
        ])
        .current_dir(dir)
        .output();
    match result {
        Err(e) => Err(format!(
            "npm could not be started ({e}); install Node.js and npm, then rebuild"
        )),
        Ok(o) if !o.status.success() => Err(format!(
            "`npm ci` failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no message")
        )),
        Ok(_) => {
            std::fs::write(&stamp, &lock).map_err(|e| format!("cannot write the stamp: {e}"))?;
            Ok(modules)
        }
    }
}

/// The `vendor.rs` that embeds the files of `modules`.
fn vendor_source(modules: &Path, out: &Path) -> Result<String, String> {
    let mut code = String::from(
        "/// The browser libraries embedded in this build: (file name, bytes).\npub static VENDOR: &[(&str, &[u8])] = &[\n",
    );
    for (name, rel) in FILES {
        let path = modules.join(rel);
        if !path.is_file() {
            return Err(format!("{} is missing", path.display()));
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    let mut licenses = String::new();
    for (what, rel) in LICENSES {
        let text = std::fs::read_to_string(modules.join(rel))
            .map_err(|e| format!("cannot read the license {rel}: {e}"))?;
        let _ = write!(licenses, "==== {what} ====\n\n{text}\n\n");
    }
    let licenses_path = out.join("LICENSES.txt");
    std::fs::write(&licenses_path, licenses)
        .map_err(|e| format!("cannot write LICENSES.txt: {e}"))?;
    let _ = writeln!(
        code,
        "    (\"LICENSES.txt\", include_bytes!({:?})),\n];",
        licenses_path.display().to_string()
    );
    code.push_str("/// Why the libraries are missing, when they are.\npub const VENDOR_MISSING: Option<&str> = None;\n");
    Ok(code)
}
