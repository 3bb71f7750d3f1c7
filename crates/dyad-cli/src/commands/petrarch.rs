//! `dyad petrarch`: bring PETRARCH2/TABARI dictionaries to dyad, and run PETRARCH's own
//! validation suite against dyad's coder.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use dyad_coder::Coder;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Subcommand)]
pub enum Cmd {
    /// Load PETRARCH dictionary files (actors, agents, verbs, discards) and report what converts.
    Load {
        /// Dictionary files (`*actors*.txt`, `*agents*.txt`, `*verbs*.txt` / `CAMEO*.txt`, `*discards*.txt`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run `PETR.UnitTest.records.xml` in a PETRARCH folder with the dictionaries it names.
    Validate {
        /// The folder holding the unit-test records and the validation dictionaries.
        dir: PathBuf,
        /// Print this many failing records.
        #[arg(long, default_value_t = 0)]
        failures: usize,
    },
}

fn read(p: &Path) -> Result<(String, String)> {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    Ok((name, text))
}

pub fn run(a: Args) -> Result<ExitCode> {
    match a.command {
        Cmd::Load { files } => {
            let texts = files.iter().map(|p| read(p)).collect::<Result<Vec<_>>>()?;
            let refs: Vec<(&str, &str)> = texts
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            let t0 = Instant::now();
            let (dicts, report) = dyad_petrarch::load(&refs)?;
            let loaded = t0.elapsed();
            let _coder = Coder::new(&dicts)?;
            println!("{report}");
            println!(
                "converted in {:.0} ms, coder built in {:.0} ms",
                loaded.as_secs_f64() * 1e3,
                (t0.elapsed() - loaded).as_secs_f64() * 1e3
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Validate { dir, failures } => {
            let xml_path = dir.join("PETR.UnitTest.records.xml");
            if !xml_path.exists() {
                bail!("{}: no PETR.UnitTest.records.xml here", dir.display());
            }
            let (_, xml) = read(&xml_path)?;
            let env = dyad_petrarch::parse_environment(&xml)?;
            let mut texts = Vec::new();
            for f in env.actors.iter().chain(&env.agents).chain(&env.verbs) {
                texts.push(read(&dir.join(f))?);
            }
            let refs: Vec<(&str, &str)> = texts
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            let (dicts, load_report) = dyad_petrarch::load(&refs)?;
            let coder = Coder::new(&dicts)?;
            let tests = dyad_petrarch::parse_unit_tests(&xml)?;
            let report = match env.discards.first() {
                Some(f) => {
                    let (name, text) = read(&dir.join(f))?;
                    let discards = dyad_petrarch::parse_discards(&name, &text)?;
                    dyad_petrarch::validate_with_discards(&tests, &coder, &discards)
                }
                None => dyad_petrarch::validate(&tests, &coder),
            };
            println!("{load_report}\n{report}");
            if failures > 0 {
                println!("{}", report.failures_text(failures));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
