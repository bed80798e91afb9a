use super::*;

#[test]
fn migrations_apply_once() {
    let (dir, db) = open_temp();
    let version: u32 = db
        .read(|c| {
            c.pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(DbError::from)
        })
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as u32);
    drop(db);
    Db::open(&dir.path().join("test.db")).unwrap();
}

#[test]
fn a_cached_list_statement_is_not_planned_again_for_new_values() {
    use rusqlite::StatementStatus;
    let (_dir, db) = open_temp();
    let conn = db.conn().unwrap();
    let sql = "SELECT id FROM sessions WHERE removed = ? AND started >= ? ORDER BY started DESC, id DESC LIMIT ? OFFSET ?";
    for (limit, from) in [(10, 0), (50, 1_000), (20, 2_000)] {
        let mut stmt = conn.prepare_cached(sql).unwrap();
        let rows: Vec<i64> = stmt
            .query_map(rusqlite::params![0, from, limit, 0], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(rows.is_empty());
        // Re-planning at every new LIMIT or bound would parse the statement on every request.
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0, "limit {limit}");
    }
}
