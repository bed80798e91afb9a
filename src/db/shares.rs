//! The `shares` table: time-bounded links to a session. The key itself is never stored
//! in the clear: `key_digest` finds a share, `key_sealed` lets the vault show the key
//! again.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::query::{Direction, Select};
use crate::timestamp::Timestamp;

#[derive(Clone, PartialEq)]
pub struct ShareRow {
    pub id: i64,
    pub session_id: i64,
    pub user_id: i64,
    pub key_digest: Vec<u8>,
    pub key_sealed: Vec<u8>,
    pub valid_since: Timestamp,
    pub valid_to: Timestamp,
    pub readonly: bool,
    pub removed: bool,
    pub removed_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
}

/// Leaves the key material out, so that a share printed while debugging reveals nothing.
impl std::fmt::Debug for ShareRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareRow")
            .field("id", &self.id)
            .field("session_id", &self.session_id)
            .field("valid_since", &self.valid_since)
            .field("valid_to", &self.valid_to)
            .field("removed", &self.removed)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, session_id, user_id, key_digest, key_sealed, valid_since, valid_to, readonly, \
     removed, removed_at, created_at, modified_at";

pub fn map(row: &Row) -> rusqlite::Result<ShareRow> {
    Ok(ShareRow {
        id: row.get(0)?,
        session_id: row.get(1)?,
        user_id: row.get(2)?,
        key_digest: row.get(3)?,
        key_sealed: row.get(4)?,
        valid_since: row.get(5)?,
        valid_to: row.get(6)?,
        readonly: row.get(7)?,
        removed: row.get(8)?,
        removed_at: row.get(9)?,
        created_at: row.get(10)?,
        modified_at: row.get(11)?,
    })
}

pub struct NewShare<'a> {
    pub session_id: i64,
    pub user_id: i64,
    pub key_digest: &'a [u8; 32],
    pub key_sealed: &'a [u8],
    pub valid_since: Timestamp,
    pub valid_to: Timestamp,
    pub readonly: bool,
}

/// Inserts a share; a UNIQUE violation on `key_digest` means the key was handed out
/// before (the caller draws another).
pub fn insert(conn: &Connection, new: &NewShare) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO shares (session_id, user_id, key_digest, key_sealed, valid_since, valid_to, readonly,
             created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            new.session_id,
            new.user_id,
            &new.key_digest[..],
            new.key_sealed,
            new.valid_since,
            new.valid_to,
            new.readonly,
            Timestamp::now()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Share `id` of session `session_id`.
pub fn get(conn: &Connection, session_id: i64, id: i64) -> rusqlite::Result<Option<ShareRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM shares WHERE id = ?1 AND session_id = ?2"
    ))?
    .query_row([id, session_id], map)
    .optional()
}

/// The share whose key has this digest, whatever its session or state.
pub fn by_digest(conn: &Connection, digest: &[u8; 32]) -> rusqlite::Result<Option<ShareRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM shares WHERE key_digest = ?1"))?
        .query_row([&digest[..]], map)
        .optional()
}

/// Marks a share removed; false if it already was (or does not exist).
pub fn revoke(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    let now = Timestamp::now();
    let changed = conn.execute(
        "UPDATE shares SET removed = 1, removed_at = ?2, modified_at = ?2 WHERE id = ?1 AND removed = 0",
        params![id, now],
    )?;
    Ok(changed == 1)
}

#[derive(Debug, Default, Clone)]
pub struct ShareFilter {
    pub session_id: i64,
    /// `Some(false)`: only live shares; `Some(true)`: only revoked ones; `None`: both.
    pub removed: Option<bool>,
}

/// Sortable attributes and the SQL column behind each.
pub const SORTABLE: &[(&str, &str)] = &[
    ("created_at", "created_at"),
    ("id", "id"),
    ("valid_since", "valid_since"),
    ("valid_to", "valid_to"),
    ("modified_at", "modified_at"),
];

pub fn select(filter: &ShareFilter) -> Select {
    let mut q = Select::new(COLUMNS, "shares");
    q.filter_one("session_id = ?", filter.session_id);
    if let Some(removed) = filter.removed {
        q.filter_one("removed = ?", removed as i64);
    }
    q.order_by("created_at", "id", Direction::Desc);
    q
}

pub fn fetch(conn: &Connection, q: &Select) -> rusqlite::Result<Vec<ShareRow>> {
    q.fetch(conn, map)
}
