//! Paging and sorting shared by every list: limit/offset, sort field and direction,
//! and the optional total count.

use rusqlite::Connection;

use super::VaultError;
use crate::db::query::{Direction, Select};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

#[derive(Debug, Clone)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
    pub sort_field: Option<String>,
    pub direction: Direction,
    pub count: bool,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: DEFAULT_LIMIT,
            offset: 0,
            sort_field: None,
            direction: Direction::Desc,
            count: false,
        }
    }
}

/// How a model sorts: the attributes it may sort by (name, SQL expression), its id
/// column for ties, and its default attribute.
pub struct Sorting {
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
}

/// Runs a list query with the page's order, window and count.
pub fn run<T>(
    conn: &Connection,
    mut query: Select,
    sorting: &Sorting,
    page: &Page,
    fetch: impl Fn(&Connection, &Select) -> rusqlite::Result<Vec<T>>,
) -> Result<Listing<T>, VaultError> {
    let field = page.sort_field.as_deref().unwrap_or(sorting.default);
    query.order_by(sorting.column(field)?, sorting.id_column, page.direction);
    let total_count = if page.count {
        Some(query.count(conn)?)
    } else {
        None
    };
    query.limit(page.limit, page.offset);
    Ok(Listing {
        items: fetch(conn, &query)?,
        total_count,
    })
}
