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
/// Its one `?` is the FTS5 query.
pub const SEARCH_FROM: &str = "sessions s JOIN users u ON u.id = s.user_id \
     JOIN servers v ON v.id = s.server_id \
     JOIN (SELECT session_id AS mid, MIN(rank) AS score, \
                  MIN(CASE WHEN kind IN ('output', 'input') THEN t END) AS first_t \
           FROM (SELECT session_id, kind, t, rank FROM session_text WHERE session_text MATCH ? LIMIT -1) \
           GROUP BY session_id) m ON m.mid = s.id";

/// Turns what a person typed into an FTS5 query: every word must appear (a trailing
/// `*` keeps its prefix meaning); quotes and operators are taken literally.
pub fn match_expression(text: &str) -> Option<String> {
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
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted() {
        assert_eq!(match_expression("foo bar").unwrap(), "\"foo\" \"bar\"");
        assert_eq!(match_expression("pass*").unwrap(), "\"pass\"*");
        assert_eq!(match_expression("a\"b OR c").unwrap(), "\"a\"\"b\" \"OR\" \"c\"");
        assert!(match_expression("  ").is_none());
        assert!(match_expression("*").is_none());
    }

    #[test]
    fn ranking_and_first_time_work_in_sqlite() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("migrations/0001_foundation.sql"))
            .unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE session_text USING fts5(body, session_id UNINDEXED, kind UNINDEXED, t UNINDEXED);",
        )
        .unwrap();
        for (session, kind, t, body) in [
            (1, "output", Some(3.5), "the quick brown fox"),
            (1, "output", Some(9.0), "fox again fox fox"),
            (2, "names", None, "alice fox-server"),
            (2, "output", Some(1.0), "nothing here"),
        ] {
            insert(
                &conn,
                &TextRow {
                    session_id: session,
                    kind,
                    time: t,
                    body,
                },
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO users (id, name, role, created_at, modified_at) VALUES (1, 'alice', 'user', 0, 0);
             INSERT INTO servers (id, name, created_at, modified_at) VALUES (1, 'db', 0, 0);
             INSERT INTO sessions (id, user_id, server_id, protocol, started, created_at, modified_at)
                 VALUES (1, 1, 1, 'ssh', 0, 0, 0), (2, 1, 1, 'ssh', 0, 0, 0);",
        )
        .unwrap();
        let q = format!("SELECT s.id, m.score, m.first_t FROM {SEARCH_FROM} ORDER BY m.score");
        let rows: Vec<(i64, f64, Option<f64>)> = conn
            .prepare(&q)
            .unwrap()
            .query_map(["\"fox\""], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 1, "the session saying fox four times ranks first");
        assert_eq!(rows[0].2, Some(3.5));
        assert_eq!(rows[1].2, None, "a name match has no time");
    }
}
