//! Shared by the commands that touch the store: `--db` and the event filters.

use anyhow::{Context, Result};
use dyad_coder::input::parse_date;
use dyad_store::EventQuery;
use dyad_stores::StoreLocation;

/// Where the store is when `--db` is not given and `DYAD_DB` is not set.
pub const DEFAULT_DB: &str = "dyad.db";

#[derive(clap::Args, Clone)]
pub struct DbArg {
    /// The event database: a SQLite file (created by `dyad ingest`), or a PostgreSQL URL
    /// (`postgres://user@host/db`) shared by several writers.
    #[arg(long, env = "DYAD_DB", default_value = DEFAULT_DB)]
    pub db: String,
}

impl DbArg {
    pub fn location(&self) -> StoreLocation {
        StoreLocation::parse(&self.db)
    }
}

/// Which events: every filter of `dyad query` and `dyad export`.
#[derive(clap::Args, Clone, Default)]
pub struct Filters {
    /// Actor on either side: a code prefix (RUS, RUSGOV, IGOUNO) or a name fragment (Putin).
    #[arg(long)]
    pub actor: Option<String>,
    /// Source actor (code prefix or name fragment).
    #[arg(long)]
    pub source: Option<String>,
    /// Target actor (code prefix or name fragment).
    #[arg(long)]
    pub target: Option<String>,
    /// With --source and --target: both directions.
    #[arg(long)]
    pub either: bool,
    /// Country (ISO 3166 alpha-3) of either actor.
    #[arg(long)]
    pub country: Option<String>,
    /// Sector of either actor (GOV, MIL, REB, OPP, …).
    #[arg(long)]
    pub sector: Option<String>,
    /// CAMEO code or prefix: 19 (a root), 190, 0871.
    #[arg(long, alias = "code", alias = "root")]
    pub cameo: Option<String>,
    /// PLOVER event type (ACCUSE, ASSAULT, …).
    #[arg(long)]
    pub plover: Option<String>,
    /// Quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    #[arg(long)]
    pub quad: Option<u8>,
    /// First event date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last event date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Place: a name fragment, or the ISO alpha-3 of its country.
    #[arg(long)]
    pub place: Option<String>,
    /// Full-text search over the events' sentences: words (letters and digits; punctuation
    /// separates, so RUS:GOV is `rus gov`), all required; "quoted phrases"; prefix*; `a OR b`;
    /// `-word` or `NOT word` to exclude (at least one word to search for). Case and Latin
    /// diacritics are ignored. At most 1,000 bytes, 32 words, 100 characters a word. May start
    /// with `-` (`--text -war` is a query).
    #[arg(long, allow_hyphen_values = true)]
    pub text: Option<String>,
    /// Leave out negated and hypothetical events.
    #[arg(long)]
    pub factual: bool,
}

impl Filters {
    pub fn to_query(&self) -> Result<EventQuery> {
        let date = |flag: &str, v: &Option<String>| -> Result<_> {
            match v {
                Some(d) => Ok(Some(parse_date(d).with_context(|| {
                    format!("--{flag} {d}: expected a date as YYYY-MM-DD")
                })?)),
                None => Ok(None),
            }
        };
        Ok(EventQuery {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            either_direction: self.either,
            country: self.country.clone(),
            sector: self.sector.clone(),
            cameo: self.cameo.clone(),
            plover: self.plover.clone(),
            quad_class: self.quad,
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            place: self.place.clone(),
            text: self.text.clone(),
            factual_only: self.factual,
            limit: None,
            offset: 0,
        })
    }
}

/// Opens an existing store for reading, with an error that says how to make one.
pub fn open_existing(db: &DbArg) -> Result<Box<dyn dyad_store::EventStore + Send>> {
    let location = db.location();
    location
        .open_existing()
        .with_context(|| format!("opening {location}"))
}
