//! `dyad dict`: load and check dictionaries, print what they hold and how long loading takes.

use super::load_dictionaries;
use anyhow::Result;
use dyad_coder::Coder;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// A dictionary folder to check instead of the embedded one.
    #[arg(long)]
    pub dict: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let t0 = Instant::now();
    let d = load_dictionaries(a.dict.as_deref())?;
    let parsed = t0.elapsed();
    let coder = Coder::new(&d)?;
    let total = t0.elapsed();
    let patterns: usize = d.verbs.iter().map(|v| v.patterns.len()).sum();
    println!(
        "dictionaries: {}",
        a.dict
            .as_ref()
            .map_or("embedded".to_string(), |p| p.display().to_string())
    );
    println!("  countries        {:>6}", d.countries.len());
    println!("  places           {:>6}", d.places.len());
    println!(
        "  people           {:>6}  ({} dated roles)",
        d.people.len(),
        d.people.iter().map(|p| p.roles.len()).sum::<usize>()
    );
    println!("  organizations    {:>6}", d.orgs.len());
    println!("  role nouns       {:>6}", d.roles.len());
    println!("  CAMEO codes      {:>6}", d.codebook.len());
    println!(
        "  verbs            {:>6}  ({} forms, {} patterns)",
        d.verbs.len(),
        coder.event_lexicon().form_count(),
        patterns
    );
    println!("  phrases          {:>6}", d.phrases.len());
    println!("  synsets          {:>6}", d.synsets.len());
    println!(
        "  actor phrases    {:>6}  (distinct folded names in the automaton)",
        coder.actor_lexicon().phrase_count()
    );
    println!(
        "load: parse {:.1} ms, compile {:.1} ms, total {:.1} ms",
        parsed.as_secs_f64() * 1e3,
        (total - parsed).as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}
