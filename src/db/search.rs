//! The `session_text` full-text index (SQLite FTS5).

use rusqlite::{Connection, params};

/// One searchable piece of a session.
pub struct TextRow<'a> {
    pub session_id: i64,
    pub kind: &'static str,
    /// Seconds from the session's start; `None` for names.
    pub time: Option<f64>,
    pub body: &'a str,
    /// For a passage of a recording: the time of each of its lines, space-separated.
    pub line_times: Option<&'a str>,
}

pub fn insert(conn: &Connection, row: &TextRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO session_text (body, session_id, kind, t, line_t) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        row.body,
        row.session_id,
        row.kind,
        row.time,
        row.line_times
    ])?;
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

/// One word of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub word: String,
    /// A trailing `*`: the word is a prefix.
    pub prefix: bool,
}

impl Term {
    /// The word as an FTS5 phrase: quoted, so quotes and operators in it are only text.
    pub fn fts(&self) -> String {
        let quoted = format!("\"{}\"", self.word.replace('"', "\"\""));
        if self.prefix { quoted + "*" } else { quoted }
    }
}

/// The words of what a person typed; `None` if there are none.
pub fn match_terms(text: &str) -> Option<Vec<Term>> {
    let terms: Vec<Term> = text
        .split_whitespace()
        .filter_map(|word| {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            (!word.is_empty()).then(|| Term {
                word: word.to_string(),
                prefix,
            })
        })
        .collect();
    (!terms.is_empty()).then_some(terms)
}

/// The FTS5 query for rows holding any of `terms`: the rows that rank a session and
/// time its first match.
pub fn any_of(terms: &[Term]) -> String {
    terms.iter().map(Term::fts).collect::<Vec<_>>().join(" OR ")
}

/// A passage of a recording's text, as indexed.
pub struct Passage {
    /// Seconds from the start of the session to its first line.
    pub time: f64,
    pub body: String,
    /// The time of each line of `body`, space-separated (absent for older passages).
    pub line_times: Option<String>,
}

/// For each of `session_ids` with a match in its recording's text, the earliest passage
/// matching the FTS5 query `query`. One pass over the query's matches serves the whole
/// page: FTS5 filters unindexed columns such as `session_id` only after matching, so a
/// query per session would pass over every session's matches again.
pub fn first_passages(
    conn: &Connection,
    session_ids: &[i64],
    query: &str,
) -> rusqlite::Result<Vec<(i64, Passage)>> {
    let ids = serde_json::Value::from(session_ids).to_string();
    // With a single min(), SQLite takes the bare `rowid` from the row holding the minimum.
    let firsts: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT session_id, MIN(t), rowid FROM session_text
             WHERE session_text MATCH ?1 AND kind IN ('output', 'input')
               AND session_id IN (SELECT value FROM json_each(?2))
             GROUP BY session_id",
        )?
        .query_map(params![query, ids], |r| Ok((r.get(0)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut passage = conn.prepare_cached("SELECT t, body, line_t FROM session_text WHERE rowid = ?1")?;
    firsts
        .into_iter()
        .map(|(session_id, rowid)| {
            passage
                .query_row([rowid], |r| {
                    Ok(Passage {
                        time: r.get(0)?,
                        body: r.get(1)?,
                        line_times: r.get(2)?,
                    })
                })
                .map(|p| (session_id, p))
        })
        .collect()
}

#[cfg(test)]
mod tests;
