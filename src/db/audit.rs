//! The `audit` table: share creations, revocations and every use of a share link.
//! Rows are only ever added.

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use super::parsed;
use super::query::{Direction, Select};
use crate::timestamp::Timestamp;
use crate::vault::audit::{AuditAction, AuditOutcome, SharedResource};

#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: Timestamp,
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    pub session_id: Option<i64>,
    pub share_id: Option<i64>,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub resource: Option<SharedResource>,
    pub remote_address: Option<String>,
    pub user_agent: Option<String>,
}

const COLUMNS: &str = "a.id, a.at, a.action, a.outcome, a.session_id, a.share_id, a.user_id, u.name, \
     a.resource, a.remote_address, a.user_agent";
const FROM: &str = "audit a LEFT JOIN users u ON u.id = a.user_id";

pub fn map(row: &Row) -> rusqlite::Result<AuditRow> {
    let resource: Option<String> = row.get(8)?;
    Ok(AuditRow {
        id: row.get(0)?,
        at: row.get(1)?,
        action: parsed(row, 2)?,
        outcome: parsed(row, 3)?,
        session_id: row.get(4)?,
        share_id: row.get(5)?,
        user_id: row.get(6)?,
        user_name: row.get(7)?,
        resource: match resource {
            Some(_) => Some(parsed(row, 8)?),
            None => None,
        },
        remote_address: row.get(9)?,
        user_agent: row.get(10)?,
    })
}

pub struct NewAudit<'a> {
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    pub session_id: Option<i64>,
    pub share_id: Option<i64>,
    pub user_id: Option<i64>,
    pub resource: Option<SharedResource>,
    pub remote_address: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert(conn: &Connection, new: &NewAudit) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO audit (at, action, outcome, session_id, share_id, user_id, resource, remote_address,
             user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            Timestamp::now(),
            new.action.as_str(),
            new.outcome.as_str(),
            new.session_id,
            new.share_id,
            new.user_id,
            new.resource.map(|r| r.as_str()),
            new.remote_address,
            new.user_agent
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub session_id: Option<i64>,
    pub share_id: Option<i64>,
    pub action: Option<AuditAction>,
    pub outcome: Option<AuditOutcome>,
    /// Inclusive bounds on `time`.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// Sortable attributes and the SQL column behind each.
pub const SORTABLE: &[(&str, &str)] = &[("time", "a.at"), ("id", "a.id")];

pub fn select(filter: &AuditFilter) -> Select {
    let mut q = Select::new(COLUMNS, FROM);
    if let Some(session_id) = filter.session_id {
        q.filter_one("a.session_id = ?", session_id);
    }
    if let Some(share_id) = filter.share_id {
        q.filter_one("a.share_id = ?", share_id);
    }
    if let Some(action) = filter.action {
        q.filter_one("a.action = ?", action.as_str().to_string());
    }
    if let Some(outcome) = filter.outcome {
        q.filter_one("a.outcome = ?", outcome.as_str().to_string());
    }
    if let Some(from) = filter.from {
        q.filter_one("a.at >= ?", Value::Integer(from.micros()));
    }
    if let Some(to) = filter.to {
        q.filter_one("a.at <= ?", Value::Integer(to.micros()));
    }
    q.order_by("a.at", "a.id", Direction::Desc);
    q
}

pub fn fetch(conn: &Connection, q: &Select) -> rusqlite::Result<Vec<AuditRow>> {
    q.fetch(conn, map)
}
