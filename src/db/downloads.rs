//! The `downloads` table: session_file and session_movie objects, read joined with
//! their job, session, user, server and (for files) transfer.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::jobs::JobState;
use super::parsed;
use super::query::{Direction, Select};
use crate::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadKind {
    SessionFile,
    SessionMovie,
}

impl DownloadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DownloadKind::SessionFile => "session_file",
            DownloadKind::SessionMovie => "session_movie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DownloadRow {
    pub id: i64,
    pub kind: DownloadKind,
    pub session_id: i64,
    pub handle: Option<i64>,
    pub video_format: Option<String>,
    pub video_resolution: Option<String>,
    pub job_id: i64,
    /// Size and SHA-256 of the prepared file, once ready.
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub ready: bool,
    pub removed: bool,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    pub job_state: JobState,
    pub progress: i64,
    pub error: Option<String>,
    pub node: Option<String>,
    pub user_id: i64,
    pub user_name: String,
    pub server_id: i64,
    pub server_name: String,
    pub session_started: Timestamp,
    pub transfer_delta: Option<i64>,
    pub transfer_from_server: Option<bool>,
    pub transfer_size: Option<i64>,
    pub transfer_path: Option<String>,
    pub session_removed: bool,
}

const COLUMNS: &str = "d.id, d.kind, d.session_id, d.handle, d.video_format, d.video_resolution, d.job_id, \
     d.size, d.sha256, d.ready, d.removed, d.created_at, d.modified_at, j.state, j.progress, j.error, j.node, \
     s.user_id, u.name, s.server_id, v.name, s.started, t.delta, t.from_server, t.size, t.path, s.removed";
const FROM: &str = "downloads d JOIN jobs j ON j.id = d.job_id JOIN sessions s ON s.id = d.session_id \
     JOIN users u ON u.id = s.user_id JOIN servers v ON v.id = s.server_id \
     LEFT JOIN transfers t ON t.session_id = d.session_id AND t.handle = d.handle";

pub fn map(row: &Row) -> rusqlite::Result<DownloadRow> {
    let kind: String = row.get(1)?;
    Ok(DownloadRow {
        id: row.get(0)?,
        kind: if kind == "session_file" {
            DownloadKind::SessionFile
        } else {
            DownloadKind::SessionMovie
        },
        session_id: row.get(2)?,
        handle: row.get(3)?,
        video_format: row.get(4)?,
        video_resolution: row.get(5)?,
        job_id: row.get(6)?,
        size: row.get(7)?,
        sha256: row.get(8)?,
        ready: row.get(9)?,
        removed: row.get(10)?,
        created_at: row.get(11)?,
        modified_at: row.get(12)?,
        job_state: parsed(row, 13)?,
        progress: row.get(14)?,
        error: row.get(15)?,
        node: row.get(16)?,
        user_id: row.get(17)?,
        user_name: row.get(18)?,
        server_id: row.get(19)?,
        server_name: row.get(20)?,
        session_started: row.get(21)?,
        transfer_delta: row.get(22)?,
        transfer_from_server: row.get(23)?,
        transfer_size: row.get(24)?,
        transfer_path: row.get(25)?,
        session_removed: row.get(26)?,
    })
}

pub struct NewDownload<'a> {
    pub kind: DownloadKind,
    pub session_id: i64,
    pub handle: Option<i64>,
    pub video_format: Option<&'a str>,
    pub video_resolution: Option<&'a str>,
    pub job_id: i64,
}

pub fn insert(conn: &Connection, new: &NewDownload) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO downloads (kind, session_id, handle, video_format, video_resolution, job_id, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            new.kind.as_str(),
            new.session_id,
            new.handle,
            new.video_format,
            new.video_resolution,
            new.job_id,
            Timestamp::now()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<DownloadRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = ?1"))?
        .query_row([id], map)
        .optional()
}

/// The live (not removed) session_file of a transfer.
pub fn live_file(conn: &Connection, session_id: i64, handle: i64) -> rusqlite::Result<Option<DownloadRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM}
         WHERE d.kind = 'session_file' AND d.removed = 0 AND d.session_id = ?1 AND d.handle = ?2"
    ))?
    .query_row([session_id, handle], map)
    .optional()
}

/// The live session_movie of a recording in one format and resolution.
pub fn live_movie(
    conn: &Connection,
    session_id: i64,
    format: &str,
    resolution: &str,
) -> rusqlite::Result<Option<DownloadRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM}
         WHERE d.kind = 'session_movie' AND d.removed = 0 AND d.session_id = ?1
           AND d.video_format = ?2 AND d.video_resolution = ?3"
    ))?
    .query_row(params![session_id, format, resolution], map)
    .optional()
}

/// Records the prepared file; false if the download was removed meanwhile.
pub fn mark_ready(conn: &Connection, id: i64, size: i64, sha256: &str) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE downloads SET ready = 1, size = ?2, sha256 = ?3, modified_at = ?4 WHERE id = ?1 AND removed = 0",
        params![id, size, sha256, Timestamp::now()],
    )?;
    Ok(n == 1)
}

/// Forgets a prepared file that must be made again (a retry).
pub fn mark_unready(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE downloads SET ready = 0, size = NULL, sha256 = NULL, modified_at = ?2 WHERE id = ?1",
        params![id, Timestamp::now()],
    )?;
    Ok(())
}

pub fn mark_removed(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE downloads SET removed = 1, ready = 0, modified_at = ?2 WHERE id = ?1",
        params![id, Timestamp::now()],
    )?;
    Ok(())
}

/// Ids of downloads whose prepared file should exist.
pub fn ready_ids(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM downloads WHERE ready = 1 AND removed = 0")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

#[derive(Debug, Default, Clone)]
pub struct DownloadFilter {
    pub session_id: Option<i64>,
    pub user_id: Option<i64>,
    pub ready: Option<bool>,
    pub video_format: Option<String>,
}

pub const SORTABLE: &[(&str, &str)] = &[
    ("id", "d.id"),
    ("created_at", "d.created_at"),
    ("modified_at", "d.modified_at"),
    ("session_id", "d.session_id"),
    ("size", "COALESCE(d.size, -1)"),
];

pub fn select(kind: DownloadKind, filter: &DownloadFilter) -> Select {
    let mut q = Select::new(COLUMNS, FROM);
    q.filter_one("d.kind = ?", kind.as_str().to_string());
    q.filter("d.removed = 0", []);
    if let Some(session_id) = filter.session_id {
        q.filter_one("d.session_id = ?", session_id);
    }
    if let Some(user_id) = filter.user_id {
        q.filter_one("s.user_id = ?", user_id);
    }
    if let Some(ready) = filter.ready {
        q.filter_one("d.ready = ?", ready as i64);
    }
    if let Some(format) = &filter.video_format {
        q.filter_one("d.video_format = ?", format.clone());
    }
    q.order_by("d.id", "d.id", Direction::Desc);
    q
}

pub fn fetch(conn: &Connection, q: &Select) -> rusqlite::Result<Vec<DownloadRow>> {
    q.fetch(conn, map)
}

/// Deletes the downloads of a session and their jobs; returns their ids, whose prepared
/// files are to be removed.
pub fn delete_for_session(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id, job_id FROM downloads WHERE session_id = ?1")?;
    let rows: Vec<(i64, i64)> = stmt
        .query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    conn.execute("DELETE FROM downloads WHERE session_id = ?1", [session_id])?;
    for (_, job) in &rows {
        conn.execute("DELETE FROM jobs WHERE id = ?1", [job])?;
    }
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}
