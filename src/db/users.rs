//! The `users` table: people and recorded accounts alike (a session's user is a row
//! here, created on first sight with role `user`).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::parsed;
use super::query::{Direction, Select};
use crate::timestamp::Timestamp;
use crate::vault::model::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub blocked: bool,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
}

const COLUMNS: &str = "id, name, role, blocked, created_at, modified_at";

pub fn map(row: &Row) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: row.get(0)?,
        name: row.get(1)?,
        role: parsed(row, 2)?,
        blocked: row.get(3)?,
        created_at: row.get(4)?,
        modified_at: row.get(5)?,
    })
}

pub fn insert(
    conn: &Connection,
    name: &str,
    role: Role,
    password_hash: Option<&str>,
) -> rusqlite::Result<UserRow> {
    let now = Timestamp::now();
    conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![name, role.as_str(), password_hash, now],
    )?;
    Ok(UserRow {
        id: conn.last_insert_rowid(),
        name: name.to_string(),
        role,
        blocked: false,
        created_at: now,
        modified_at: now,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], map)
        .optional()
}

pub fn by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE name = ?1"))?
        .query_row([name], map)
        .optional()
}

/// The user called `name`, created with role `user` if there is none yet.
pub fn get_or_create(conn: &Connection, name: &str) -> rusqlite::Result<UserRow> {
    match by_name(conn, name)? {
        Some(user) => Ok(user),
        None => insert(conn, name, Role::User, None),
    }
}

pub fn password_hash(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}

pub fn set_password_hash(conn: &Connection, id: i64, hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, modified_at = ?3 WHERE id = ?1",
        params![id, hash, Timestamp::now()],
    )?;
    Ok(())
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub name: Option<String>,
    pub blocked: Option<bool>,
}

/// Sortable columns: (attribute name, SQL column).
pub const SORTABLE: &[(&str, &str)] = &[("id", "id"), ("name", "name"), ("created_at", "created_at")];

pub fn select(filter: &UserFilter) -> Select {
    let mut q = Select::new(COLUMNS, "users");
    if let Some(role) = filter.role {
        q.filter_one("role = ?", role.as_str().to_string());
    }
    if let Some(name) = &filter.name {
        q.filter_one("name = ?", name.clone());
    }
    if let Some(blocked) = filter.blocked {
        q.filter_one("blocked = ?", blocked as i64);
    }
    q.order_by("id", "id", Direction::Asc);
    q
}

pub fn fetch(conn: &Connection, q: &Select) -> rusqlite::Result<Vec<UserRow>> {
    q.fetch(conn, map)
}
