//! `dyad`: the command line. Thin glue: reads files, parses arguments, prints results; all the
//! work is in the library crates (see ARCHITECTURE.md).

mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Turn news text into political event data: who did what to whom, when and where"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code articles into CAMEO/PLOVER events, actors and quotes.
    Code(commands::code::Args),
    /// Score the coder against gold JSONL files (L1/L2/L3 events, quotes).
    Eval(commands::eval::Args),
    /// Code files, directories, globs and URLs into the event database.
    Ingest(commands::ingest::Args),
    /// Keep polling a list of RSS/Atom feeds and ingest what is new.
    Follow(commands::ingest::FollowArgs),
    /// Filter stored events, or aggregate them (time series, top actors, dyads).
    Query(commands::query::Args),
    /// Export stored events: GDELT 2.0, ICEWS, PLOVER, CSV, Parquet, JSON Lines.
    Export(commands::export::Args),
    /// Serve the event database over HTTP: the web app and the JSON API.
    Serve(commands::serve::Args),
    /// Merge stores (e.g. `ingest --shard` slices) into one, applying its dedup rule.
    Merge(commands::merge::Args),
    /// Queue articles on NATS JetStream for `dyad worker`s (same inputs as `ingest`).
    Submit(commands::queue::SubmitArgs),
    /// Pull articles from the queue, code them, store them, acknowledge them.
    Worker(commands::queue::WorkerArgs),
    /// Show the queue's depth and the workers' rates.
    Status(commands::queue::StatusArgs),
    /// Check dictionaries and print what they hold.
    Dict(commands::dict::Args),
    /// Load PETRARCH2/TABARI dictionaries; run PETRARCH's validation suite.
    Petrarch(commands::petrarch::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => commands::code::run(a),
        Command::Eval(a) => commands::eval::run(a),
        Command::Dict(a) => commands::dict::run(a),
        Command::Ingest(a) => commands::ingest::run(a),
        Command::Follow(a) => commands::ingest::follow(a),
        Command::Query(a) => commands::query::run(a),
        Command::Merge(a) => commands::merge::run(a),
        Command::Submit(a) => commands::queue::submit(a),
        Command::Worker(a) => commands::queue::worker(a),
        Command::Status(a) => commands::queue::status(a),
        Command::Export(a) => commands::export::run(a),
        Command::Serve(a) => commands::serve::run(a),
        Command::Petrarch(a) => commands::petrarch::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
