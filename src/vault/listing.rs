//! Paging and sorting shared by every list: limit/offset or cursor tokens, sort field
//! and direction, and the optional total count.
//!
//! A page that has more rows after it carries a `next_page_token`: the model, the sort,
//! where the page ended, a fingerprint of the query's filters and an expiry, sealed with
//! the server's HMAC key. Passed back, it continues right after the last row (keyset
//! paging: each page costs the same however deep it is), and only for the same query.

use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

use super::VaultError;
use crate::crypto::{Keys, Purpose};
use crate::db::query::{After, Direction, Select};
use crate::timestamp::Timestamp;

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;
/// How long a page token stays valid.
pub const TOKEN_SECONDS: i64 = 15 * 60;

#[derive(Debug, Clone)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
    pub sort_field: Option<String>,
    pub direction: Direction,
    pub count: bool,
    /// A `next_page_token` from the previous page.
    pub token: Option<String>,
    /// What the query asks for besides paging, so a token serves only the same query.
    pub fingerprint: String,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: DEFAULT_LIMIT,
            offset: 0,
            sort_field: None,
            direction: Direction::Desc,
            count: false,
            token: None,
            fingerprint: String::new(),
        }
    }
}

/// How a model sorts: its name (tokens are per model), the attributes it may sort by
/// (name, SQL expression), its id column for ties, and its default attribute.
pub struct Sorting {
    pub model: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
    pub id_column: &'static str,
    pub default: &'static str,
}

impl Sorting {
    fn column(&self, field: &str) -> Result<&'static str, VaultError> {
        self.columns
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, column)| *column)
            .ok_or_else(|| {
                let names: Vec<&str> = self.columns.iter().map(|(n, _)| *n).collect();
                VaultError::bad(
                    "sort_field",
                    format!("cannot sort by `{field}`; use one of {}", names.join(", ")),
                )
            })
    }
}

#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub total_count: Option<i64>,
    pub next_page_token: Option<String>,
}

impl<T> Listing<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing {
            items: self.items.into_iter().map(f).collect(),
            total_count: self.total_count,
            next_page_token: self.next_page_token,
        }
    }
}

/// What a page token says.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Cursor {
    #[serde(rename = "m")]
    model: String,
    #[serde(rename = "f")]
    fingerprint: String,
    #[serde(rename = "s")]
    sort: String,
    #[serde(rename = "d")]
    descending: bool,
    #[serde(rename = "v")]
    value: Key,
    #[serde(rename = "i")]
    id: i64,
    #[serde(rename = "e")]
    expires: i64,
}

/// A sort key as JSON can carry it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
enum Key {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl From<Value> for Key {
    fn from(v: Value) -> Self {
        match v {
            Value::Integer(i) => Key::Integer(i),
            Value::Real(r) => Key::Real(r),
            Value::Text(t) => Key::Text(t),
            Value::Null | Value::Blob(_) => Key::Null,
        }
    }
}

impl From<Key> for Value {
    fn from(k: Key) -> Self {
        match k {
            Key::Integer(i) => Value::Integer(i),
            Key::Real(r) => Value::Real(r),
            Key::Text(t) => Value::Text(t),
            Key::Null => Value::Null,
        }
    }
}

fn bad_token(why: &str) -> VaultError {
    VaultError::bad("page_token", why)
}

/// Opens a token for this query, or says why it does not fit.
fn resume(keys: &Keys, token: &str, expected: &Cursor) -> Result<After, VaultError> {
    let raw = keys
        .open_token(Purpose::PageToken, token)
        .ok_or_else(|| bad_token("is not a token this server issued"))?;
    let cursor: Cursor = serde_json::from_slice(&raw).map_err(|_| bad_token("is malformed"))?;
    if cursor.expires < Timestamp::now().micros() / 1_000_000 {
        return Err(bad_token(
            "has expired (tokens last 15 minutes); start again from the first page",
        ));
    }
    if cursor.model != expected.model
        || cursor.fingerprint != expected.fingerprint
        || cursor.sort != expected.sort
        || cursor.descending != expected.descending
    {
        return Err(bad_token(
            "belongs to another query; send the same filters and sort",
        ));
    }
    Ok(After {
        value: cursor.value.into(),
        id: cursor.id,
    })
}

/// Runs a list query with the page's order, window, cursor and count.
pub fn run<T>(
    conn: &Connection,
    keys: &Keys,
    mut query: Select,
    sorting: &Sorting,
    page: &Page,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Listing<T>, VaultError> {
    let field = page.sort_field.as_deref().unwrap_or(sorting.default);
    query.order_by(sorting.column(field)?, sorting.id_column, page.direction);
    let mut cursor = Cursor {
        model: sorting.model.to_string(),
        fingerprint: page.fingerprint.clone(),
        sort: field.to_string(),
        descending: page.direction == Direction::Desc,
        value: Key::Null,
        id: 0,
        expires: Timestamp::now().micros() / 1_000_000 + TOKEN_SECONDS,
    };
    let total_count = if page.count {
        Some(query.count(conn)?)
    } else {
        None
    };
    if let Some(token) = &page.token {
        if page.offset != 0 {
            return Err(VaultError::bad("offset", "cannot be combined with page_token"));
        }
        query.after(resume(keys, token, &cursor)?);
    }
    // One row more than asked tells whether another page follows.
    query.limit(page.limit + 1, page.offset);
    let mut rows = query.fetch_keyed(conn, map)?;
    let mut next_page_token = None;
    if rows.len() as i64 > page.limit {
        rows.truncate(page.limit as usize);
        if let Some((_, last)) = rows.last() {
            cursor.value = last.value.clone().into();
            cursor.id = last.id;
            let message = serde_json::to_vec(&cursor).map_err(|e| VaultError::Internal(e.to_string()))?;
            next_page_token = Some(keys.seal_token(Purpose::PageToken, &message));
        }
    }
    Ok(Listing {
        items: rows.into_iter().map(|(row, _)| row).collect(),
        total_count,
        next_page_token,
    })
}

#[cfg(test)]
mod tests;
