use super::*;
use crate::db::query::Direction;

#[test]
fn a_users_list_reads_only_the_covering_index() {
    let (_dir, db) = crate::db::open_temp();
    let conn = db.conn().unwrap();
    let mut q = select(&SessionFilter {
        user_id: Some(5),
        ..SessionFilter::default()
    });
    q.order_by("s.started", "s.id", Direction::Desc).limit(51, 0);
    let plan = q.plan(&conn).join("\n");
    assert!(plan.contains("COVERING INDEX sessions_by_user"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

#[test]
fn recent_lists_walk_an_index_in_order() {
    let (_dir, db) = crate::db::open_temp();
    let conn = db.conn().unwrap();
    let mut q = select(&SessionFilter {
        protocol: Some(Protocol::Ssh),
        from: Some(Timestamp::from_micros(0)),
        ..SessionFilter::default()
    });
    q.order_by("s.started", "s.id", Direction::Desc).limit(51, 0);
    let plan = q.plan(&conn).join("\n");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}
