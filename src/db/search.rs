//! The `session_text` full-text index (SQLite FTS5).

use rusqlite::{Connection, params};

/// One searchable piece of a session.
pub struct TextRow<'a> {
    pub session_id: i64,
    pub kind: &'static str,
    /// Seconds from the session's start; `None` for names.
    pub time: Option<f64>,
    pub body: &'a str,
}

pub fn insert(conn: &Connection, row: &TextRow) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO session_text (body, session_id, kind, t) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![row.body, row.session_id, row.kind, row.time])?;
    Ok(())
}

pub fn delete_session(conn: &Connection, session_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM session_text WHERE session_id = ?1", [session_id])?;
    Ok(())
}

/// The FROM part of a session search: sessions joined with their best match (`m.score`,
/// lower is better) and the time of their first match in the recording (`m.first_t`).
/// Its one `?` is [`any_of`] the search's terms.
pub const SEARCH_FROM: &str = "sessions s JOIN users u ON u.id = s.user_id \
     JOIN servers v ON v.id = s.server_id \
     JOIN (SELECT session_id AS mid, MIN(rank) AS score, \
                  MIN(CASE WHEN kind IN ('output', 'input') THEN t END) AS first_t \
           FROM (SELECT session_id, kind, t, rank FROM session_text WHERE session_text MATCH ? LIMIT -1) \
           GROUP BY session_id) m ON m.mid = s.id";

/// A session filter, one per term of a search of several: the term appears somewhere in
/// the session. FTS5 joins the terms of one query per row, and a session's text is kept
/// in many rows (passages of its recording, its names, its files), so "every word must
/// appear" is asked of the session, term by term.
pub const HOLDS_TERM: &str = "s.id IN (SELECT session_id FROM session_text WHERE session_text MATCH ?)";

/// Most words one search may name.
pub const MAX_TERMS: usize = 16;

/// Turns what a person typed into FTS5 terms, one per word: a trailing `*` keeps its
/// prefix meaning; quotes and operators are taken literally.
pub fn match_terms(text: &str) -> Option<Vec<String>> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter_map(|word| {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            let word = word.replace('"', "\"\"");
            if word.trim().is_empty() {
                return None;
            }
            Some(if prefix {
                format!("\"{word}\"*")
            } else {
                format!("\"{word}\"")
            })
        })
        .collect();
    (!terms.is_empty()).then_some(terms)
}

/// The FTS5 query for rows holding any of `terms`: the rows that rank a session and
/// time its first match.
pub fn any_of(terms: &[String]) -> String {
    terms.join(" OR ")
}

#[cfg(test)]
mod tests;
