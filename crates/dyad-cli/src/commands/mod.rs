//! One module per subcommand, plus the shared bits: loading dictionaries and reading inputs.

pub mod code;
pub mod dict;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod merge;
pub mod petrarch;
pub mod query;
pub mod queue;
pub mod serve;
pub mod store;

use anyhow::{Context, Result};
use dyad_coder::Coder;
use dyad_dict::Dictionaries;
use std::path::{Path, PathBuf};

/// Reads every `*.toml` under `dir` as `(path relative to dir, contents)`.
pub fn read_dict_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("reading dictionary folder {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out)?;
            } else if p.extension().is_some_and(|e| e == "toml") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading {}", p.display()))?;
                out.push((rel, text));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// The dictionaries: a user's folder, or the embedded defaults.
pub fn load_dictionaries(dir: Option<&Path>) -> Result<Dictionaries> {
    match dir {
        Some(dir) => {
            let files = read_dict_dir(dir)?;
            Ok(Dictionaries::from_files(
                files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            )?)
        }
        None => Ok(Dictionaries::embedded()?),
    }
}

pub fn load_coder(dir: Option<&Path>, options: dyad_coder::Options) -> Result<Coder> {
    let d = load_dictionaries(dir)?;
    Ok(Coder::new(&d)?.with_options(options))
}
