use super::*;

fn fts(text: &str) -> Vec<String> {
    match_terms(text).unwrap().iter().map(Term::fts).collect()
}

#[test]
fn queries_are_quoted() {
    assert_eq!(fts("foo bar"), ["\"foo\"", "\"bar\""]);
    assert_eq!(fts("pass*"), ["\"pass\"*"]);
    assert_eq!(fts("a\"b OR c"), ["\"a\"\"b\"", "\"OR\"", "\"c\""]);
    assert_eq!(
        any_of(&match_terms("a\"b OR c").unwrap()),
        "\"a\"\"b\" OR \"OR\" OR \"c\""
    );
    assert!(match_terms("  ").is_none());
    assert!(match_terms("*").is_none());
}

/// A database with every migration, two users' sessions and their indexed text.
fn indexed() -> (tempfile::TempDir, crate::db::Db) {
    let (dir, db) = crate::db::open_temp();
    let conn = db.conn().unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, name, role, created_at, modified_at) VALUES (1, 'alice', 'user', 0, 0);
         INSERT INTO servers (id, name, created_at, modified_at) VALUES (1, 'db', 0, 0);
         INSERT INTO sessions (id, user_id, server_id, protocol, started, created_at, modified_at)
             VALUES (1, 1, 1, 'ssh', 0, 0, 0), (2, 1, 1, 'ssh', 0, 0, 0);",
    )
    .unwrap();
    for (session, kind, t, body, lines) in [
        (1, "output", Some(3.5), "the quick\nbrown fox", Some("3.5 4.25")),
        (1, "output", Some(9.0), "fox again fox fox", Some("9")),
        (2, "names", None, "alice fox-server", None),
        (2, "output", Some(1.0), "nothing here", Some("1")),
    ] {
        insert(
            &conn,
            &TextRow {
                session_id: session,
                kind,
                time: t,
                body,
                line_times: lines,
            },
        )
        .unwrap();
    }
    drop(conn);
    (dir, db)
}

#[test]
fn ranking_and_first_time_work_in_sqlite() {
    let (_dir, db) = indexed();
    let conn = db.conn().unwrap();
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

#[test]
fn the_first_passages_come_with_their_line_times() {
    let (_dir, db) = indexed();
    let conn = db.conn().unwrap();
    let found = first_passages(&conn, &[1, 2], "\"fox\"").unwrap();
    assert_eq!(found.len(), 1, "names are not a passage of the recording");
    let (session, first) = &found[0];
    assert_eq!(*session, 1);
    assert_eq!(first.time, 3.5);
    assert_eq!(first.body, "the quick\nbrown fox");
    assert_eq!(first.line_times.as_deref(), Some("3.5 4.25"));
    let again = first_passages(&conn, &[1], "\"again\"").unwrap();
    assert_eq!(again[0].1.time, 9.0);
    assert!(first_passages(&conn, &[2], "\"again\"").unwrap().is_empty());
}
