use super::*;

#[test]
fn builds_bound_sql() {
    let mut q = Select::new("id", "t");
    q.filter_one("a = ?", 1)
        .filter("b IN (?, ?)", [Value::Integer(2), Value::Integer(3)])
        .order_by("started", "id", Direction::Desc)
        .after(After {
            value: Value::Integer(9),
            id: 4,
        })
        .limit(10, 0);
    let (sql, params) = q.statement();
    assert_eq!(
        sql,
        "SELECT id, started, id FROM t WHERE (a = ?) AND (b IN (?, ?)) AND ((started, id) < (?, ?)) \
         ORDER BY started DESC, id DESC LIMIT ? OFFSET ?"
    );
    assert_eq!(params.len(), 7);
}

#[test]
fn count_ignores_the_cursor() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t (v) VALUES (1),(2),(3),(4);",
    )
    .unwrap();
    let mut q = Select::new("id", "t");
    q.filter_one("v > ?", 1)
        .order_by("v", "id", Direction::Asc)
        .after(After {
            value: Value::Integer(3),
            id: 3,
        })
        .limit(10, 0);
    let ids = q.fetch(&conn, |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(ids, vec![4]);
    assert_eq!(q.count(&conn).unwrap(), 3);
}
