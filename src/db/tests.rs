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
