//! The `api_keys` table: keyed digests of API keys, never the keys.

use rusqlite::{Connection, OptionalExtension, params};

use crate::timestamp::Timestamp;

pub fn insert(conn: &Connection, user_id: i64, name: &str, digest: &[u8; 32]) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO api_keys (user_id, name, digest, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, name, &digest[..], Timestamp::now()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The user owning the key with this digest, with the stored digest for a final
/// constant-time comparison.
pub fn owner_by_digest(conn: &Connection, digest: &[u8; 32]) -> rusqlite::Result<Option<(i64, Vec<u8>)>> {
    conn.prepare_cached("SELECT user_id, digest FROM api_keys WHERE digest = ?1")?
        .query_row([&digest[..]], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}
