//! The `jobs` table: a persistent queue. Workers claim with one atomic UPDATE, report
//! progress (which doubles as the heartbeat and the cancel check), and finish or fail.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::parsed;
use crate::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }
}

impl std::str::FromStr for JobState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "queued" => Ok(JobState::Queued),
            "running" => Ok(JobState::Running),
            "done" => Ok(JobState::Done),
            "failed" => Ok(JobState::Failed),
            other => Err(format!("unknown job state {other}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub target: i64,
    pub state: JobState,
    pub progress: i64,
    pub error: Option<String>,
    pub node: Option<String>,
    pub attempts: i64,
}

const COLUMNS: &str = "id, kind, target, state, progress, error, node, attempts";

fn map(row: &Row) -> rusqlite::Result<JobRow> {
    Ok(JobRow {
        id: row.get(0)?,
        kind: row.get(1)?,
        target: row.get(2)?,
        state: parsed(row, 3)?,
        progress: row.get(4)?,
        error: row.get(5)?,
        node: row.get(6)?,
        attempts: row.get(7)?,
    })
}

pub fn enqueue(conn: &Connection, kind: &str, target: i64, node: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO jobs (kind, target, state, node, created_at, modified_at) VALUES (?1, ?2, 'queued', ?3, ?4, ?4)",
        params![kind, target, node, Timestamp::now()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_target(conn: &Connection, id: i64, target: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE jobs SET target = ?2 WHERE id = ?1", [id, target])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<JobRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"))?
        .query_row([id], map)
        .optional()
}

/// Takes the oldest queued job for `node`, in one statement: two workers can never
/// claim the same job.
pub fn claim(conn: &Connection, node: &str) -> rusqlite::Result<Option<JobRow>> {
    let now = Timestamp::now();
    conn.prepare_cached(&format!(
        "UPDATE jobs SET state = 'running', node = ?1, attempts = attempts + 1, heartbeat = ?2, modified_at = ?2
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1)
         RETURNING {COLUMNS}"
    ))?
    .query_row(params![node, now], map)
    .optional()
}

/// Records progress and the heartbeat; returns whether the job was cancelled meanwhile.
pub fn report(conn: &Connection, id: i64, progress: i64) -> rusqlite::Result<bool> {
    let now = Timestamp::now();
    let cancelled: Option<bool> = conn
        .prepare_cached(
            "UPDATE jobs SET progress = ?2, heartbeat = ?3, modified_at = ?3 WHERE id = ?1 RETURNING cancelled",
        )?
        .query_row(params![id, progress, now], |r| r.get(0))
        .optional()?;
    Ok(cancelled.unwrap_or(true))
}

pub fn finish(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE jobs SET state = 'done', progress = 100, error = NULL, modified_at = ?2 WHERE id = ?1",
        params![id, Timestamp::now()],
    )?;
    Ok(())
}

pub fn fail(conn: &Connection, id: i64, error: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE jobs SET state = 'failed', error = ?2, modified_at = ?3 WHERE id = ?1",
        params![id, error, Timestamp::now()],
    )?;
    Ok(())
}

/// Puts a failed or interrupted job back in the queue from the start.
pub fn requeue(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE jobs SET state = 'queued', progress = 0, error = NULL, cancelled = 0, modified_at = ?2 WHERE id = ?1",
        params![id, Timestamp::now()],
    )?;
    Ok(())
}

/// Stops a job: a queued one fails at once, a running one is flagged and its worker
/// stops at its next progress report.
pub fn cancel(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    let now = Timestamp::now();
    conn.execute(
        "UPDATE jobs SET state = 'failed', error = 'cancelled', modified_at = ?2 WHERE id = ?1 AND state = 'queued'",
        params![id, now],
    )?;
    conn.execute(
        "UPDATE jobs SET cancelled = 1, modified_at = ?2 WHERE id = ?1 AND state = 'running'",
        params![id, now],
    )?;
    Ok(())
}

/// At start: jobs that were running belong to a process that is gone.
pub fn recover(conn: &Connection, node: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE jobs SET state = 'queued', progress = 0, modified_at = ?2 WHERE state = 'running' AND node = ?1",
        params![node, Timestamp::now()],
    )
}
