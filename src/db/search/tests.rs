use super::*;

#[test]
fn queries_are_quoted() {
    assert_eq!(match_terms("foo bar").unwrap(), ["\"foo\"", "\"bar\""]);
    assert_eq!(match_terms("pass*").unwrap(), ["\"pass\"*"]);
    let taken_literally = match_terms("a\"b OR c").unwrap();
    assert_eq!(taken_literally, ["\"a\"\"b\"", "\"OR\"", "\"c\""]);
    assert_eq!(any_of(&taken_literally), "\"a\"\"b\" OR \"OR\" OR \"c\"");
    assert!(match_terms("  ").is_none());
    assert!(match_terms("*").is_none());
}

#[test]
fn ranking_and_first_time_work_in_sqlite() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(include_str!("../migrations/0001_foundation.sql"))
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
