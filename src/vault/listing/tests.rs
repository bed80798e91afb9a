use super::*;

fn table() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);")
        .unwrap();
    for i in 0..25 {
        conn.execute("INSERT INTO t (v) VALUES (?1)", [i % 7]).unwrap();
    }
    conn
}

const SORTING: Sorting = Sorting {
    model: "t",
    columns: &[("v", "v"), ("id", "id")],
    id_column: "id",
    default: "v",
};

fn page_of(conn: &Connection, keys: &Keys, page: &Page) -> Listing<i64> {
    run(conn, keys, Select::new("id", "t"), &SORTING, page, |r| r.get(0)).unwrap()
}

#[test]
fn tokens_walk_every_row_once() {
    let conn = table();
    let keys = Keys::for_tests();
    let mut page = Page {
        limit: 10,
        ..Page::default()
    };
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let listing = page_of(&conn, &keys, &page);
        pages += 1;
        seen.extend(listing.items);
        match listing.next_page_token {
            Some(token) => page.token = Some(token),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    seen.sort();
    assert_eq!(seen, (1..=25).collect::<Vec<i64>>());
}

#[test]
fn foreign_tokens_are_refused() {
    let conn = table();
    let keys = Keys::for_tests();
    let first = page_of(
        &conn,
        &keys,
        &Page {
            limit: 5,
            ..Page::default()
        },
    );
    let token = first.next_page_token.unwrap();
    let other_query = Page {
        limit: 5,
        token: Some(token.clone()),
        fingerprint: "user_id=3".into(),
        ..Page::default()
    };
    let err = run(
        &conn,
        &keys,
        Select::new("id", "t"),
        &SORTING,
        &other_query,
        |r| r.get::<_, i64>(0),
    );
    assert!(matches!(err, Err(VaultError::BadInput { ref field, .. }) if field == "page_token"));
    let mut forged = token.into_bytes();
    forged[3] = if forged[3] == b'A' { b'B' } else { b'A' };
    let forged = Page {
        limit: 5,
        token: Some(String::from_utf8(forged).unwrap()),
        ..Page::default()
    };
    assert!(
        run(&conn, &keys, Select::new("id", "t"), &SORTING, &forged, |r| r
            .get::<_, i64>(0))
        .is_err()
    );
}

#[test]
fn expired_tokens_are_refused() {
    let keys = Keys::for_tests();
    let cursor = Cursor {
        model: "t".into(),
        fingerprint: String::new(),
        sort: "v".into(),
        descending: true,
        value: Key::Integer(3),
        id: 4,
        expires: 1,
    };
    let token = keys.seal_token(Purpose::PageToken, &serde_json::to_vec(&cursor).unwrap());
    let err = resume(&keys, &token, &cursor).unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
}
