//! Command-line inputs to a list of files and URLs: directories (recursive), globs, files.

use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Url(String),
}

/// Extensions read when walking a directory (a file named on the command line is read
/// whatever its name).
const KNOWN: &[&str] = &[
    "jsonl", "ndjson", "json", "txt", "text", "html", "htm", "xhtml", "xml", "rss", "atom",
];

fn known_extension(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.starts_with('.') || name.starts_with("readme") {
        return false;
    }
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| KNOWN.contains(&ext))
}

/// Expands command-line arguments into inputs, in a stable order (each directory's files
/// sorted by path). Returns the inputs and one error per argument that names nothing.
pub fn expand_inputs(args: &[String]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg.starts_with("http://") || arg.starts_with("https://") {
            inputs.push(Input::Url(arg.clone()));
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| match e {
                    Ok(e) => Some(e),
                    Err(err) => {
                        errors.push(format!("{arg}: {err}"));
                        None
                    }
                })
                .filter(|e| e.file_type().is_file() && known_extension(e.path()))
                .map(|e| e.into_path())
                .collect();
            if files.is_empty() {
                errors.push(format!(
                    "{arg}: no files to read here (looked for {})",
                    KNOWN
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            files.sort();
            inputs.extend(files.into_iter().map(Input::File));
        } else if path.is_file() {
            inputs.push(Input::File(path.to_path_buf()));
        } else if arg.contains(['*', '?', '[']) {
            // Like a shell: `*` does not match a leading dot.
            let options = glob::MatchOptions {
                require_literal_leading_dot: true,
                ..glob::MatchOptions::new()
            };
            match glob::glob_with(arg, options) {
                Ok(paths) => {
                    let mut files: Vec<PathBuf> = paths
                        .filter_map(Result::ok)
                        .filter(|p| p.is_file())
                        .collect();
                    if files.is_empty() {
                        errors.push(format!("{arg}: no file matches this pattern"));
                    }
                    files.sort();
                    inputs.extend(files.into_iter().map(Input::File));
                }
                Err(e) => errors.push(format!("{arg}: bad pattern: {e}")),
            }
        } else {
            errors.push(format!("{arg}: no such file or directory"));
        }
    }
    (inputs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_dirs_globs_files_urls() {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).expect("mkdir");
        for f in [
            "b.jsonl",
            "a.txt",
            "sub/c.html",
            "sub/d.jsonl.gz",
            "README.md",
            ".hidden.txt",
            "x.png",
        ] {
            std::fs::write(d.join(f), "x").expect("write");
        }
        std::fs::create_dir_all(d.join("empty")).expect("mkdir");
        let root = d.display().to_string();
        let (inputs, errors) = expand_inputs(&[
            root.clone(),
            format!("{root}/*.txt"),
            format!("{root}/x.png"),
            "https://example.invalid/feed.rss".into(),
            format!("{root}/missing.txt"),
            format!("{root}/*.nothing"),
            format!("{root}/empty"),
        ]);
        let names: Vec<String> = inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p
                    .strip_prefix(d)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                Input::Url(u) => u.clone(),
            })
            .collect();
        assert_eq!(
            names,
            [
                "a.txt",
                "b.jsonl",
                "sub/c.html",
                "sub/d.jsonl.gz",
                "a.txt",
                "x.png",
                "https://example.invalid/feed.rss"
            ]
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("missing.txt") && errors[1].contains("no file matches"));
        assert!(errors[2].contains("empty: no files to read"), "{errors:?}");
    }
}
