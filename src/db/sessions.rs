//! The `sessions` table: one row per recorded connection, joined with its user and
//! server names when read.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::parsed;
use super::query::{Direction, Select};
use super::search;
use crate::timestamp::Timestamp;
use crate::vault::model::{Protocol, RecordingFormat, SessionStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub server_id: i64,
    pub server_name: String,
    pub protocol: Protocol,
    pub started: Timestamp,
    pub ended: Option<Timestamp>,
    pub recording_format: RecordingFormat,
    pub recording_blob: Option<String>,
    pub recording_size: Option<i64>,
    pub recording_sha256: Option<String>,
    pub transfer_count: i64,
    pub transfer_bytes: i64,
    pub removed: bool,
    pub removed_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    /// With a search: seconds into the recording of the first match, if the match is
    /// in its text.
    pub match_time: Option<f64>,
}

impl SessionRow {
    pub fn status(&self) -> SessionStatus {
        if self.ended.is_some() {
            SessionStatus::Finished
        } else {
            SessionStatus::Live
        }
    }

    /// Whole seconds between start and end; up to now while live.
    pub fn duration_seconds(&self) -> i64 {
        let end = self.ended.unwrap_or_else(Timestamp::now);
        self.started.seconds_until(end).max(0)
    }
}

const COLUMNS: &str = "s.id, s.user_id, u.name, s.server_id, v.name, s.protocol, s.started, s.ended, \
     s.recording_format, s.recording_blob, s.recording_size, s.recording_sha256, s.transfer_count, \
     s.transfer_bytes, s.removed, s.removed_at, s.created_at, s.modified_at, NULL";
/// The same with the time of the first match, for searches (see `search::SEARCH_FROM`).
const SEARCH_COLUMNS: &str = "s.id, s.user_id, u.name, s.server_id, v.name, s.protocol, s.started, s.ended, \
     s.recording_format, s.recording_blob, s.recording_size, s.recording_sha256, s.transfer_count, \
     s.transfer_bytes, s.removed, s.removed_at, s.created_at, s.modified_at, m.first_t";
const FROM: &str = "sessions s JOIN users u ON u.id = s.user_id JOIN servers v ON v.id = s.server_id";
/// For lists that do not show user and server names: no joins at all.
const COLUMNS_WITHOUT_NAMES: &str = "s.id, s.user_id, NULL, s.server_id, NULL, s.protocol, s.started, s.ended, \
     s.recording_format, s.recording_blob, s.recording_size, s.recording_sha256, s.transfer_count, \
     s.transfer_bytes, s.removed, s.removed_at, s.created_at, s.modified_at, NULL";
const FROM_WITHOUT_NAMES: &str = "sessions s";

pub fn map(row: &Row) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: row.get(0)?,
        user_id: row.get(1)?,
        user_name: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
        server_id: row.get(3)?,
        server_name: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
        protocol: parsed(row, 5)?,
        started: row.get(6)?,
        ended: row.get(7)?,
        recording_format: parsed(row, 8)?,
        recording_blob: row.get(9)?,
        recording_size: row.get(10)?,
        recording_sha256: row.get(11)?,
        transfer_count: row.get(12)?,
        transfer_bytes: row.get(13)?,
        removed: row.get(14)?,
        removed_at: row.get(15)?,
        created_at: row.get(16)?,
        modified_at: row.get(17)?,
        match_time: row.get(18)?,
    })
}

pub struct NewSession {
    pub user_id: i64,
    pub server_id: i64,
    pub protocol: Protocol,
    pub started: Timestamp,
    pub ended: Option<Timestamp>,
}

pub fn insert(conn: &Connection, new: &NewSession) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO sessions (user_id, server_id, protocol, started, ended, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            new.user_id,
            new.server_id,
            new.protocol.as_str(),
            new.started,
            new.ended,
            Timestamp::now()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<SessionRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE s.id = ?1"))?
        .query_row([id], map)
        .optional()
}

pub struct StoredRecording<'a> {
    pub format: RecordingFormat,
    pub blob: &'a str,
    pub size: i64,
    pub sha256: &'a str,
}

/// Attaches a recording to a session that has none yet; false if it already has one.
pub fn set_recording(conn: &Connection, id: i64, rec: &StoredRecording) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE sessions SET recording_format = ?2, recording_blob = ?3, recording_size = ?4,
             recording_sha256 = ?5, modified_at = ?6
         WHERE id = ?1 AND recording_blob IS NULL",
        params![
            id,
            rec.format.as_str(),
            rec.blob,
            rec.size,
            rec.sha256,
            Timestamp::now()
        ],
    )?;
    Ok(changed == 1)
}

pub fn count_transfer(conn: &Connection, id: i64, size: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sessions SET transfer_count = transfer_count + 1, transfer_bytes = transfer_bytes + ?2,
             modified_at = ?3 WHERE id = ?1",
        params![id, size, Timestamp::now()],
    )?;
    Ok(())
}

#[derive(Debug, Default, Clone)]
pub struct SessionFilter {
    pub user_id: Option<i64>,
    pub server_id: Option<i64>,
    pub protocol: Option<Protocol>,
    pub status: Option<SessionStatus>,
    /// Inclusive bounds on `started`.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Lists the trash instead of live sessions.
    pub removed: bool,
    /// FTS5 terms that must all appear in the session's text, names or file paths.
    pub text: Option<Vec<search::Term>>,
    /// Whether user and server names are wanted (they cost a join per row).
    pub with_names: bool,
}

/// Sortable attributes and the SQL expression behind each. Nullable ones sort as a
/// value (a live session as ending last, no recording as smallest), so that cursor
/// paging can compare them.
pub const SORTABLE: &[(&str, &str)] = &[
    ("started", "s.started"),
    ("ended", "COALESCE(s.ended, 9223372036854775807)"),
    ("id", "s.id"),
    ("created_at", "s.created_at"),
    ("modified_at", "s.modified_at"),
    ("recording_size", "COALESCE(s.recording_size, -1)"),
    ("transfer_count", "s.transfer_count"),
    ("transfer_size", "s.transfer_bytes"),
    ("duration", "(COALESCE(s.ended, s.started) - s.started)"),
];

/// For searches, also by relevance (best first when descending).
pub const SEARCH_SORTABLE: &[(&str, &str)] = &[
    ("relevance", "(-m.score)"),
    ("started", "s.started"),
    ("ended", "COALESCE(s.ended, 9223372036854775807)"),
    ("id", "s.id"),
    ("created_at", "s.created_at"),
    ("modified_at", "s.modified_at"),
    ("recording_size", "COALESCE(s.recording_size, -1)"),
    ("transfer_count", "s.transfer_count"),
    ("transfer_size", "s.transfer_bytes"),
    ("duration", "(COALESCE(s.ended, s.started) - s.started)"),
];

pub fn select(filter: &SessionFilter) -> Select {
    let mut q = match &filter.text {
        Some(terms) => {
            let mut q = Select::new(SEARCH_COLUMNS, FROM);
            q.from_with(search::SEARCH_FROM, [Value::Text(search::any_of(terms))]);
            if terms.len() > 1 {
                for term in terms {
                    q.filter_one(search::HOLDS_TERM, term.fts());
                }
            }
            q
        }
        None if filter.with_names => Select::new(COLUMNS, FROM),
        None => Select::new(COLUMNS_WITHOUT_NAMES, FROM_WITHOUT_NAMES),
    };
    q.filter_one("s.removed = ?", filter.removed as i64);
    if let Some(user_id) = filter.user_id {
        q.filter_one("s.user_id = ?", user_id);
    }
    if let Some(server_id) = filter.server_id {
        q.filter_one("s.server_id = ?", server_id);
    }
    if let Some(protocol) = filter.protocol {
        q.filter_one("s.protocol = ?", protocol.as_str().to_string());
    }
    match filter.status {
        Some(SessionStatus::Live) => {
            q.filter("s.ended IS NULL", []);
        }
        Some(SessionStatus::Finished) => {
            q.filter("s.ended IS NOT NULL", []);
        }
        None => {}
    }
    if let Some(from) = filter.from {
        q.filter_one("s.started >= ?", Value::Integer(from.micros()));
    }
    if let Some(to) = filter.to {
        q.filter_one("s.started <= ?", Value::Integer(to.micros()));
    }
    q.order_by("s.started", "s.id", Direction::Desc);
    q
}

pub fn fetch(conn: &Connection, q: &Select) -> rusqlite::Result<Vec<SessionRow>> {
    q.fetch(conn, map)
}

/// Deletes a session that never got a recording or transfer (an import that failed
/// half-way); does nothing to any other session.
pub fn delete_bare(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "DELETE FROM sessions WHERE id = ?1 AND recording_blob IS NULL AND transfer_count = 0",
        [id],
    )?;
    Ok(n == 1)
}

/// A stored original and what it belongs to.
pub struct StoredOriginal {
    pub describe: String,
    pub blob: String,
    pub sha256: String,
}

/// Every original the database points at: recordings and transfers.
pub fn stored_originals(conn: &Connection) -> rusqlite::Result<Vec<StoredOriginal>> {
    let mut stmt = conn.prepare(
        "SELECT 'session ' || id || ' recording', recording_blob, recording_sha256
           FROM sessions WHERE recording_blob IS NOT NULL
         UNION ALL
         SELECT 'session ' || session_id || ' transfer ' || handle, blob, sha256 FROM transfers",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredOriginal {
            describe: r.get(0)?,
            blob: r.get(1)?,
            sha256: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// Moves a session to the trash (`removed`) or out of it; false if it was already there.
pub fn set_removed(conn: &Connection, id: i64, removed: bool) -> rusqlite::Result<bool> {
    let now = Timestamp::now();
    let removed_at = removed.then_some(now);
    let n = conn.execute(
        "UPDATE sessions SET removed = ?2, removed_at = ?3, modified_at = ?4 WHERE id = ?1 AND removed != ?2",
        params![id, removed, removed_at, now],
    )?;
    Ok(n == 1)
}

/// Sessions trashed at or before `before`, oldest first.
pub fn trashed_before(conn: &Connection, before: Timestamp, limit: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM sessions WHERE removed = 1 AND removed_at <= ?1 ORDER BY removed_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![before, limit], |r| r.get(0))?;
    rows.collect()
}

/// The blobs a session owns: its recording and its transfers.
pub fn blobs_of(conn: &Connection, id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT recording_blob FROM sessions WHERE id = ?1 AND recording_blob IS NOT NULL
         UNION ALL SELECT blob FROM transfers WHERE session_id = ?1",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    rows.collect()
}

/// Deletes a session row; its transfers and shares go with it.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

#[cfg(test)]
mod tests;
