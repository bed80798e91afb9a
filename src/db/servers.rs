//! The `servers` table: the machines sessions were made to.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::query::{Direction, Select};
use crate::timestamp::Timestamp;

#[derive(Debug, Clone, PartialEq)]
pub struct ServerRow {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub port: Option<i64>,
    pub protocol: Option<String>,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
}

const COLUMNS: &str = "id, name, address, port, protocol, created_at, modified_at";

pub fn map(row: &Row) -> rusqlite::Result<ServerRow> {
    Ok(ServerRow {
        id: row.get(0)?,
        name: row.get(1)?,
        address: row.get(2)?,
        port: row.get(3)?,
        protocol: row.get(4)?,
        created_at: row.get(5)?,
        modified_at: row.get(6)?,
    })
}

pub struct NewServer<'a> {
    pub name: &'a str,
    pub address: Option<&'a str>,
    pub port: Option<i64>,
    pub protocol: Option<&'a str>,
}

pub fn insert(conn: &Connection, new: &NewServer) -> rusqlite::Result<ServerRow> {
    let now = Timestamp::now();
    conn.execute(
        "INSERT INTO servers (name, address, port, protocol, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![new.name, new.address, new.port, new.protocol, now],
    )?;
    Ok(ServerRow {
        id: conn.last_insert_rowid(),
        name: new.name.to_string(),
        address: new.address.map(str::to_string),
        port: new.port,
        protocol: new.protocol.map(str::to_string),
        created_at: now,
        modified_at: now,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ServerRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM servers WHERE id = ?1"))?
        .query_row([id], map)
        .optional()
}

pub fn by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<ServerRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM servers WHERE name = ?1"))?
        .query_row([name], map)
        .optional()
}

/// The server called `name`, created (with the session's protocol) if there is none.
pub fn get_or_create(conn: &Connection, name: &str, protocol: &str) -> rusqlite::Result<ServerRow> {
    match by_name(conn, name)? {
        Some(server) => Ok(server),
        None => insert(
            conn,
            &NewServer {
                name,
                address: None,
                port: None,
                protocol: Some(protocol),
            },
        ),
    }
}

#[derive(Debug, Default, Clone)]
pub struct ServerFilter {
    pub name: Option<String>,
    pub protocol: Option<String>,
}

pub const SORTABLE: &[(&str, &str)] = &[("id", "id"), ("name", "name"), ("created_at", "created_at")];

pub fn select(filter: &ServerFilter) -> Select {
    let mut q = Select::new(COLUMNS, "servers");
    if let Some(name) = &filter.name {
        q.filter_one("name = ?", name.clone());
    }
    if let Some(protocol) = &filter.protocol {
        q.filter_one("protocol = ?", protocol.clone());
    }
    q.order_by("id", "id", Direction::Asc);
    q
}

pub fn fetch(conn: &Connection, q: &Select) -> rusqlite::Result<Vec<ServerRow>> {
    q.fetch(conn, map)
}
