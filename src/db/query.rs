//! A SELECT assembled from fixed SQL fragments and bound values. Fragments are
//! `&'static str` chosen by code (never text from a request); every value a caller
//! supplies travels as a bound parameter.

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

impl Direction {
    fn sql(self) -> &'static str {
        match self {
            Direction::Asc => " ASC",
            Direction::Desc => " DESC",
        }
    }
}

/// Where a page starts when paging by cursor: the sort value and id of the last row of
/// the previous page.
#[derive(Debug, Clone, PartialEq)]
pub struct After {
    pub value: Value,
    pub id: i64,
}

#[derive(Debug, Clone)]
pub struct Select {
    columns: &'static str,
    from: &'static str,
    /// Values of the `?` in `from` (a joined subquery), bound before all others.
    from_params: Vec<Value>,
    conditions: Vec<&'static str>,
    params: Vec<Value>,
    order: Option<(&'static str, &'static str, Direction)>,
    after: Option<After>,
    limit: Option<(i64, i64)>,
}

impl Select {
    /// `columns` and `from` are the fixed head: `SELECT <columns> FROM <from>`.
    pub fn new(columns: &'static str, from: &'static str) -> Select {
        Select {
            columns,
            from,
            from_params: Vec::new(),
            conditions: Vec::new(),
            params: Vec::new(),
            order: None,
            after: None,
            limit: None,
        }
    }

    /// Replaces the FROM part with one that holds `?` placeholders (a joined subquery).
    pub fn from_with(&mut self, from: &'static str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        self.from = from;
        self.from_params = values.into_iter().collect();
        self
    }

    pub fn has_order(&self) -> bool {
        self.order.is_some()
    }

    /// Adds `AND <clause>`; `clause` holds one `?` per value, in order.
    pub fn filter(&mut self, clause: &'static str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        self.conditions.push(clause);
        self.params.extend(values);
        self
    }

    pub fn filter_one(&mut self, clause: &'static str, value: impl Into<Value>) -> &mut Self {
        self.filter(clause, [value.into()])
    }

    /// Orders by `column`, ties broken by `id_column` in the same direction, so that
    /// every row has one place and cursor paging is exact.
    pub fn order_by(
        &mut self,
        column: &'static str,
        id_column: &'static str,
        direction: Direction,
    ) -> &mut Self {
        self.order = Some((column, id_column, direction));
        self
    }

    /// Keeps only rows after `after` in the order set by [`Select::order_by`].
    pub fn after(&mut self, after: After) -> &mut Self {
        self.after = Some(after);
        self
    }

    pub fn limit(&mut self, limit: i64, offset: i64) -> &mut Self {
        self.limit = Some((limit, offset));
        self
    }

    /// The WHERE clause and its values; the cursor condition only when `paged`.
    fn where_clause(&self, paged: bool) -> (String, Vec<Value>) {
        let mut parts: Vec<String> = self.conditions.iter().map(|c| format!("({c})")).collect();
        let mut params = self.from_params.clone();
        params.extend(self.params.iter().cloned());
        if let (true, Some(after), Some((column, id_column, direction))) = (paged, &self.after, self.order) {
            // A row-value comparison walks the (column, id) index directly.
            let op = if direction == Direction::Asc { ">" } else { "<" };
            parts.push(format!("(({column}, {id_column}) {op} (?, ?))"));
            params.push(after.value.clone());
            params.push(Value::Integer(after.id));
        }
        let sql = if parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", parts.join(" AND "))
        };
        (sql, params)
    }

    fn statement(&self) -> (String, Vec<Value>) {
        let (where_sql, mut params) = self.where_clause(true);
        // The sort key and id come last, so that a page can say where it ended.
        let keys = match self.order {
            Some((column, id_column, _)) => format!(", {column}, {id_column}"),
            None => String::new(),
        };
        let mut sql = format!("SELECT {}{keys} FROM {}{}", self.columns, self.from, where_sql);
        if let Some((column, id_column, direction)) = self.order {
            let dir = direction.sql();
            sql.push_str(&format!(" ORDER BY {column}{dir}, {id_column}{dir}"));
        }
        if let Some((limit, offset)) = self.limit {
            sql.push_str(" LIMIT ? OFFSET ?");
            params.push(Value::Integer(limit));
            params.push(Value::Integer(offset));
        }
        (sql, params)
    }

    pub fn fetch<T>(
        &self,
        conn: &Connection,
        map: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let (sql, params) = self.statement();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), map)?;
        rows.collect()
    }

    /// Like [`Select::fetch`], with each row's sort key and id (the query must be
    /// ordered): where a page ends, for the next one to start after.
    pub fn fetch_keyed<T>(
        &self,
        conn: &Connection,
        mut map: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<(T, After)>> {
        let (sql, params) = self.statement();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |row| {
            let n = row.as_ref().column_count();
            let after = After {
                value: row.get(n - 2)?,
                id: row.get(n - 1)?,
            };
            Ok((map(row)?, after))
        })?;
        rows.collect()
    }

    /// SQLite's plan for this query, one line per step.
    #[cfg(test)]
    pub fn plan(&self, conn: &Connection) -> Vec<String> {
        let (sql, params) = self.statement();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        stmt.query_map(params_from_iter(params), |r| r.get::<_, String>(3))
            .expect("plan rows")
            .collect::<Result<_, _>>()
            .expect("plan text")
    }

    /// How many rows match, ignoring order, cursor and limit.
    pub fn count(&self, conn: &Connection) -> rusqlite::Result<i64> {
        let (where_sql, params) = self.where_clause(false);
        let sql = format!("SELECT COUNT(*) FROM {}{}", self.from, where_sql);
        conn.prepare_cached(&sql)?
            .query_row(params_from_iter(params), |r| r.get(0))
    }
}

#[cfg(test)]
mod tests;
