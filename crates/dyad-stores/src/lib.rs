//! Which store a `--db` value names, and opening it. Everything above the store (ingest,
//! query, export, serve, workers, merge) takes a `Box<dyn EventStore + Send>` from here and
//! does not care which one it got.
//!
//! - `postgres://…` or `postgresql://…`: the shared PostgreSQL store (`dyad-pgstore`), for
//!   several writers at once (`dyad worker`s on many machines).
//! - anything else: a path to the embedded SQLite store (`dyad-store`), one writer at a time.

use dyad_store::{EventStore, SqliteStore, StoreError, StoreOptions};
use std::fmt;
use std::path::PathBuf;

/// Where the events are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    Postgres(String),
}

impl StoreLocation {
    pub fn parse(db: &str) -> StoreLocation {
        if dyad_pgstore::is_postgres_url(db) {
            StoreLocation::Postgres(db.to_string())
        } else {
            StoreLocation::Sqlite(PathBuf::from(db))
        }
    }

    /// Opens the store for writing, creating it (and its schema) if needed. An existing store
    /// keeps the dedup window it was created with.
    pub fn open(&self, options: StoreOptions) -> Result<Box<dyn EventStore + Send>, StoreError> {
        Ok(match self {
            StoreLocation::Sqlite(p) => Box::new(SqliteStore::open(p, options)?),
            StoreLocation::Postgres(url) => Box::new(dyad_pgstore::PgStore::connect(url, options)?),
        })
    }

    /// Opens an existing store for reading. A missing SQLite file is an error that says how to
    /// make one.
    pub fn open_existing(&self) -> Result<Box<dyn EventStore + Send>, StoreError> {
        Ok(match self {
            StoreLocation::Sqlite(p) => {
                if !p.exists() {
                    return Err(StoreError::Missing(p.display().to_string()));
                }
                Box::new(SqliteStore::open_read_only(p)?)
            }
            StoreLocation::Postgres(url) => Box::new(dyad_pgstore::PgStore::connect(
                url,
                StoreOptions::default(),
            )?),
        })
    }
}

impl From<PathBuf> for StoreLocation {
    fn from(p: PathBuf) -> Self {
        StoreLocation::Sqlite(p)
    }
}

impl From<&std::path::Path> for StoreLocation {
    fn from(p: &std::path::Path) -> Self {
        StoreLocation::Sqlite(p.to_path_buf())
    }
}

/// Shows the location without a password: `postgres://user:***@host/db`.
impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Sqlite(p) => write!(f, "{}", p.display()),
            StoreLocation::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((auth, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths() {
        assert!(matches!(
            StoreLocation::parse("postgres://u@h/db"),
            StoreLocation::Postgres(_)
        ));
        assert!(matches!(
            StoreLocation::parse("postgresql://h/db"),
            StoreLocation::Postgres(_)
        ));
        assert_eq!(
            StoreLocation::parse("dyad.db"),
            StoreLocation::Sqlite("dyad.db".into())
        );
        assert_eq!(
            StoreLocation::parse("postgres://dyad:s3cret@db.internal:5432/events").to_string(),
            "postgres://dyad:***@db.internal:5432/events"
        );
        assert_eq!(
            StoreLocation::parse("postgres://dyad@db/events").to_string(),
            "postgres://dyad@db/events"
        );
    }

    #[test]
    fn a_missing_sqlite_file_says_how_to_make_one() {
        let Err(e) = StoreLocation::parse("/nonexistent/dir/x.db").open_existing() else {
            panic!("opened a missing store");
        };
        assert!(e.to_string().contains("dyad ingest --db"), "{e}");
    }
}
