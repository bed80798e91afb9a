//! Blob intents: blob files that may exist without a row pointing at them (an upload in
//! progress, or a blob whose row is gone). See the migration for the table.

use rusqlite::{Connection, params};

use crate::timestamp::Timestamp;

pub fn add(conn: &Connection, blob: &str, pid: u32) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO blob_intents (blob, pid, created_at) VALUES (?1, ?2, ?3)",
        params![blob, pid, Timestamp::now()],
    )?;
    Ok(())
}

pub fn remove(conn: &Connection, blob: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM blob_intents WHERE blob = ?1", [blob])?;
    Ok(())
}

/// Every intent, as (blob, pid).
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare("SELECT blob, pid FROM blob_intents")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}
