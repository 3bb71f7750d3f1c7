//! `dyad query`: filter stored events, or aggregate them (time series, top actors, top dyads).

use super::store::{open_existing, DbArg, Filters};
use anyhow::Result;
use clap::ValueEnum;
use dyad_store::{Bucket, StoredEvent};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    Day,
    Week,
    Month,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub filters: Filters,
    /// Counts and Goldstein sums per day, week or month instead of events.
    #[arg(long, value_enum, conflicts_with_all = ["top_actors", "top_dyads"])]
    pub series: Option<Period>,
    /// The N actors in most events instead of events.
    #[arg(long, value_name = "N", conflicts_with = "top_dyads")]
    pub top_actors: Option<usize>,
    /// The N source→target pairs with most events instead of events.
    #[arg(long, value_name = "N")]
    pub top_dyads: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// At most this many events.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Skip this many events first (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let store = open_existing(&a.db)?;
    let mut q = a.filters.to_query()?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if let Some(p) = a.series {
        let bucket = match p {
            Period::Day => Bucket::Day,
            Period::Week => Bucket::Week,
            Period::Month => Bucket::Month,
        };
        let rows = store.series(&q, bucket)?;
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.period.to_string(),
                    r.events.to_string(),
                    r.mentions.to_string(),
                    format!("{:.1}", r.goldstein_sum),
                ]
            })
            .collect();
        emit(
            &mut out,
            a.format,
            &["period", "events", "mentions", "goldstein_sum"],
            &table,
            &rows,
        )?;
    } else if let Some(n) = a.top_actors {
        let rows = store.top_actors(&q, n)?;
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.code.clone(),
                    r.events.to_string(),
                    r.as_source.to_string(),
                    r.as_target.to_string(),
                    format!("{:.1}", r.goldstein_sum),
                ]
            })
            .collect();
        emit(
            &mut out,
            a.format,
            &["actor", "events", "as_source", "as_target", "goldstein_sum"],
            &table,
            &rows,
        )?;
    } else if let Some(n) = a.top_dyads {
        let rows = store.top_dyads(&q, n)?;
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.source_code.clone(),
                    r.target_code.clone(),
                    r.events.to_string(),
                    r.mentions.to_string(),
                    format!("{:.1}", r.goldstein_sum),
                ]
            })
            .collect();
        emit(
            &mut out,
            a.format,
            &["source", "target", "events", "mentions", "goldstein_sum"],
            &table,
            &rows,
        )?;
    } else {
        q.limit = Some(a.limit);
        q.offset = a.offset;
        let events = store.query(&q)?;
        match a.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut out, &events)?;
                writeln!(out)?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(dyad_export::FLAT_COLUMNS.iter().map(|c| c.0))?;
                for e in &events {
                    w.write_record(
                        dyad_export::flat_values(e)
                            .into_iter()
                            .map(|c| c.into_text()),
                    )?;
                }
                w.flush()?;
            }
            Format::Table => {
                let table: Vec<Vec<String>> = events.iter().map(table_row).collect();
                write_table(
                    &mut out,
                    &[
                        "id", "date", "source", "target", "cameo", "event", "gold", "ment", "art",
                        "src", "evidence",
                    ],
                    &table,
                )?;
                let total = store.count(&q)?;
                if total as usize > events.len() + a.offset {
                    writeln!(
                        out,
                        "({} of {total} events; --limit/--offset for more)",
                        events.len()
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn table_row(e: &StoredEvent) -> Vec<String> {
    let actor = |a: &Option<dyad_store::ActorOut>| {
        a.as_ref()
            .map(|a| a.code.clone())
            .unwrap_or_else(|| "-".into())
    };
    vec![
        e.event_id.to_string(),
        e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        actor(&e.source),
        actor(&e.target),
        e.cameo.clone(),
        shorten(e.cameo_name.as_deref().unwrap_or(""), 28),
        e.goldstein.map(|g| format!("{g:.1}")).unwrap_or_default(),
        e.num_mentions.to_string(),
        e.num_articles.to_string(),
        e.num_sources.to_string(),
        shorten(
            e.mention
                .as_ref()
                .map(|m| m.evidence.text.as_str())
                .unwrap_or(""),
            60,
        ),
    ]
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn emit<T: Serialize>(
    out: &mut impl Write,
    format: Format,
    header: &[&str],
    table: &[Vec<String>],
    rows: &[T],
) -> Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(header)?;
            for r in table {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        Format::Table => write_table(out, header, table)?,
    }
    Ok(())
}

fn write_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
