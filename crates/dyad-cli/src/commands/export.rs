//! `dyad export`: stored events as GDELT 2.0, ICEWS, PLOVER, CSV, Parquet or JSON Lines.

use super::store::{open_existing, DbArg, Filters};
use anyhow::{Context, Result};
use dyad_export::ExportFormat;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub filters: Filters,
    /// gdelt, icews, plover, csv, parquet or jsonl (see docs/export.md for the columns).
    #[arg(long, value_parser = |s: &str| s.parse::<ExportFormat>())]
    pub format: ExportFormat,
    /// Where to write; `-` for standard output.
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let store = open_existing(&a.db)?;
    let q = a.filters.to_query()?;
    let to_stdout = a.output.as_os_str() == "-";
    if to_stdout
        && a.format == ExportFormat::Parquet
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        anyhow::bail!("refusing to write Parquet to a terminal; give --output FILE or redirect");
    }
    // Write to a temporary file beside the target, then rename: a failed export never leaves
    // a half-written file under the real name.
    let (out, tmp): (Box<dyn std::io::Write + Send>, Option<PathBuf>) = if to_stdout {
        (Box::new(std::io::stdout()), None)
    } else {
        let mut tmp = a.output.clone().into_os_string();
        tmp.push(".partial");
        let tmp = PathBuf::from(tmp);
        let f = std::fs::File::create(&tmp)
            .with_context(|| format!("{}: cannot create", tmp.display()))?;
        (Box::new(f), Some(tmp))
    };
    let result = dyad_export::export(store.as_ref(), &q, a.format, out);
    match (result, tmp) {
        (Ok(n), Some(tmp)) => {
            std::fs::rename(&tmp, &a.output)
                .with_context(|| format!("{}: cannot write", a.output.display()))?;
            eprintln!("dyad: {n} events written to {}", a.output.display());
        }
        (Ok(n), None) => eprintln!("dyad: {n} events written"),
        (Err(e), tmp) => {
            if let Some(tmp) = tmp {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(e.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}
