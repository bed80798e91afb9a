//! SQLite through an r2d2 pool: WAL, foreign keys, FULL sync (an acknowledged write is on
//! disk), numbered migrations tracked in `PRAGMA user_version`. One module per table;
//! nothing here knows about HTTP.

pub mod apikeys;
pub mod audit;
pub mod downloads;
pub mod intents;
pub mod jobs;
pub mod meta;
pub mod query;
pub mod search;
pub mod servers;
pub mod sessions;
pub mod shares;
pub mod transfers;
pub mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub type Conn = r2d2::PooledConnection<SqliteConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error(
        "the database has schema version {found}, newer than this binary ({known}); upgrade sessionvault"
    )]
    TooNew { found: u32, known: u32 },
}

impl DbError {
    /// True when a UNIQUE constraint refused the write.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        )
    }
}

/// Applied in order; a database records how many it has seen in `user_version`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_foundation.sql"),
    include_str!("migrations/0002_downloads.sql"),
    include_str!("migrations/0003_sharing.sql"),
    include_str!("migrations/0004_search.sql"),
    include_str!("migrations/0005_line_times.sql"),
];

#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<SqliteConnectionManager>,
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(15))?;
    // Plans must not depend on the values bound to a statement: otherwise SQLite marks a
    // cached statement whose planner looked at a bound value (a list's LIMIT, say) as
    // expired at every new binding, and parses and plans it again on every request.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // Reads through a shared memory map cost no system call per page, and the pages
    // are shared by every connection instead of cached once per connection.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768;")
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        {
            let conn = Connection::open(path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        let manager = SqliteConnectionManager::file(path).with_init(configure);
        let pool = r2d2::Pool::builder()
            .max_size(16)
            // A local file does not go stale the way a network connection does; checking
            // each connection on the way out would cost a statement per request.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(30))
            .build(manager)?;
        let db = Db { pool };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.conn()?;
        let known = MIGRATIONS.len() as u32;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        let found: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > known {
            return Err(DbError::TooNew { found, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as u32 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn conn(&self) -> Result<Conn, DbError> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` in an IMMEDIATE transaction (the write lock is taken up front, so two
    /// writers never deadlock upgrading), committing if it returns `Ok`.
    pub fn write<T, E: From<DbError>>(&self, f: impl FnOnce(&Transaction) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(DbError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(DbError::from)?;
        Ok(out)
    }

    /// Runs `f` on a pooled connection, for reads.
    pub fn read<T, E: From<DbError>>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let conn = self.conn()?;
        f(&conn)
    }

    /// Writes a consistent copy of the database, as of one moment, to a new file at
    /// `path`, while others go on reading and writing (SQLite's online backup).
    pub fn snapshot_to(&self, path: &Path) -> Result<(), DbError> {
        let source = self.conn()?;
        let mut copy = Connection::open(path)?;
        {
            use rusqlite::backup::{Backup, StepResult};
            let backup = Backup::new(&source, &mut copy)?;
            // All pages in one step (-1): the copy is read in one read transaction, so
            // writes made meanwhile (WAL) neither restart it nor end up in it.
            while backup.step(-1)? != StepResult::Done {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        copy.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }
}

/// Reads a text column into a type with `FromStr`, as a column conversion error if the
/// text is not one it knows.
pub(crate) fn parsed<T: FromStr<Err = String>>(row: &rusqlite::Row, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
    })
}

#[cfg(test)]
pub(crate) fn open_temp() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("test.db")).expect("open db");
    (dir, db)
}

#[cfg(test)]
mod tests;
