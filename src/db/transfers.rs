//! The `transfers` table: files moved during a session, numbered 1, 2, 3… per session.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::timestamp::Timestamp;

#[derive(Debug, Clone, PartialEq)]
pub struct TransferRow {
    pub id: i64,
    pub session_id: i64,
    pub handle: i64,
    pub path: String,
    pub size: i64,
    pub from_server: bool,
    pub delta: i64,
    pub sha256: String,
    pub blob: String,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "id, session_id, handle, path, size, from_server, delta, sha256, blob, created_at";

fn map(row: &Row) -> rusqlite::Result<TransferRow> {
    Ok(TransferRow {
        id: row.get(0)?,
        session_id: row.get(1)?,
        handle: row.get(2)?,
        path: row.get(3)?,
        size: row.get(4)?,
        from_server: row.get(5)?,
        delta: row.get(6)?,
        sha256: row.get(7)?,
        blob: row.get(8)?,
        created_at: row.get(9)?,
    })
}

pub struct NewTransfer<'a> {
    pub session_id: i64,
    pub path: &'a str,
    pub size: i64,
    pub from_server: bool,
    pub delta: i64,
    pub sha256: &'a str,
    pub blob: &'a str,
}

/// Inserts a transfer with the next free handle of its session. Call inside a write
/// transaction so that two uploads never get the same handle.
pub fn insert(conn: &Connection, new: &NewTransfer) -> rusqlite::Result<TransferRow> {
    let handle: i64 = conn.query_row(
        "SELECT COALESCE(MAX(handle), 0) + 1 FROM transfers WHERE session_id = ?1",
        [new.session_id],
        |r| r.get(0),
    )?;
    let now = Timestamp::now();
    conn.execute(
        "INSERT INTO transfers (session_id, handle, path, size, from_server, delta, sha256, blob, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            new.session_id,
            handle,
            new.path,
            new.size,
            new.from_server,
            new.delta,
            new.sha256,
            new.blob,
            now
        ],
    )?;
    Ok(TransferRow {
        id: conn.last_insert_rowid(),
        session_id: new.session_id,
        handle,
        path: new.path.to_string(),
        size: new.size,
        from_server: new.from_server,
        delta: new.delta,
        sha256: new.sha256.to_string(),
        blob: new.blob.to_string(),
        created_at: now,
    })
}

pub fn for_session(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<TransferRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM transfers WHERE session_id = ?1 ORDER BY handle"
    ))?;
    let rows = stmt.query_map([session_id], map)?;
    rows.collect()
}

pub fn get(conn: &Connection, session_id: i64, handle: i64) -> rusqlite::Result<Option<TransferRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM transfers WHERE session_id = ?1 AND handle = ?2"
    ))?
    .query_row([session_id, handle], map)
    .optional()
}
