//! The share API: the seed's example (acceptance 1), validation, list parameters,
//! PATCH and DELETE.

use super::*;

// ------------------------------------------- 1. the seed's curl example works ----

#[test]
fn seed_example_returns_a_64_char_key_and_the_list_shows_it() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let reply = post_raw(&f.server, &session, SEED_BODY);
    reply.expect(200);
    let body = reply.json();
    assert_eq!(body["result"], "success");
    let key = body["session_share"]["key"].as_str().unwrap().to_string();
    assert!(is_share_key(&key), "{key}");
    let id = body["session_share"]["id"].as_str().unwrap().to_string();

    let list = f
        .server
        .get(&format!("/api/v2/session/{session}/share"), &f.server.admin_key);
    list.expect(200);
    let list = list.json();
    assert_eq!(list["result"], "success");
    let shares = list["session_share"].as_array().unwrap();
    assert_eq!(shares.len(), 1);
    let listed = &shares[0];
    assert_eq!(listed["id"], id.as_str());
    assert_eq!(listed["session_id"], session.as_str());
    assert_eq!(listed["key"], key.as_str());
    assert_eq!(listed["link"], format!("/sessions/{session}/?key={key}"));
    assert_eq!(listed["valid_since"], "2025-05-15 13:07:00.000000+00:00");
    assert_eq!(listed["valid_to"], "2025-05-15 21:07:00.000000+00:00");
    assert_eq!(listed["readonly"], true);
    assert_eq!(listed["removed"], false);
    for stamp in ["created_at", "modified_at"] {
        let text = listed[stamp].as_str().unwrap();
        assert!(text.ends_with("+00:00") && text.len() == 32, "{stamp}: {text}");
    }
    assert!(listed.get("user_id").is_none(), "hidden and expensive: {listed}");

    let one = f.server.get(
        &format!("/api/v2/session/{session}/share/{id}"),
        &f.server.admin_key,
    );
    one.expect(200);
    assert_eq!(&one.json()["session_share"], listed);
}

#[test]
fn every_key_is_new() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let keys: std::collections::HashSet<String> = (0..20)
        .map(|_| {
            share(&f.server, &session, window(0, 60))["key"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(keys.len(), 20);
    assert!(keys.iter().all(|k| is_share_key(k)));
}

#[test]
fn the_sharer_is_shown_to_admins_who_ask_for_it_only() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let reply = create_share(&f.server, &f.operator, &session, &window(0, 60), true);
    reply.expect(200);
    let olga = f.server.get("/api/v2/user?name=olga", &f.server.admin_key).json()["user"][0]["id"].clone();
    let path = format!("/api/v2/session/{session}/share?fields=user_id");
    let by_admin = f.server.get(&path, &f.server.admin_key).json();
    assert_eq!(by_admin["session_share"][0]["user_id"], olga);
    let by_operator = f.server.get(&path, &f.operator).json();
    assert!(by_operator["session_share"][0].get("user_id").is_none());
    let plain = f
        .server
        .get(&format!("/api/v2/session/{session}/share"), &f.server.admin_key)
        .json();
    assert!(plain["session_share"][0].get("user_id").is_none());
}

#[test]
fn objspec_describes_session_share_and_audit() {
    let f = fixture();
    let admin = f.server.get("/api/v2/objspec/session_share", &f.server.admin_key);
    admin.expect(200);
    let spec = &admin.json()["session_share"];
    assert_eq!(
        spec["key"],
        json!({"type": "string", "readonly": true, "unique": true})
    );
    assert_eq!(spec["valid_to"]["immutable"], true);
    assert_eq!(spec["valid_to"]["type"], "datetime");
    assert_eq!(spec["readonly"]["required"], true);
    assert_eq!(spec["user_id"]["hidden"], true);
    assert_eq!(spec["user_id"]["expensive"], true);
    assert!(spec["link"].get("expensive").is_none(), "link is cheap: {spec}");
    let operator = f.server.get("/api/v2/objspec/session_share", &f.operator).json();
    assert!(operator["session_share"].get("user_id").is_none());
    assert!(operator["session_share"].get("key").is_some());

    let audit = f.server.get("/api/v2/objspec/audit", &f.server.admin_key);
    audit.expect(200);
    let outcomes = audit.json()["audit"]["outcome"]["enum"].clone();
    for outcome in ["allowed", "not_yet_valid", "expired", "revoked", "bad_key"] {
        assert!(
            outcomes.as_array().unwrap().contains(&json!(outcome)),
            "{outcomes}"
        );
    }
}

// ---------------------------------------------------------------- validation ----

#[test]
fn valid_to_must_come_after_valid_since() {
    let f = fixture();
    let session = recorded_session(&f.server);
    for w in [window(60, 60), window(60, 0)] {
        let reply = create_share(&f.server, &f.server.admin_key, &session, &w, true);
        reply.expect(400);
        assert!(message(&reply).starts_with("valid_to:"), "{}", message(&reply));
    }
}

#[test]
fn a_window_longer_than_max_share_days_is_refused() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let day = 86_400;
    let exact = create_share(
        &f.server,
        &f.server.admin_key,
        &session,
        &window(0, 30 * day),
        true,
    );
    exact.expect(200);
    let longer = create_share(
        &f.server,
        &f.server.admin_key,
        &session,
        &window(0, 30 * day + 1),
        true,
    );
    longer.expect(400);
    assert!(message(&longer).starts_with("valid_to:"), "{}", message(&longer));
    assert!(message(&longer).contains("max_share_days"));
}

#[test]
fn max_share_days_is_a_setting() {
    let server = Server::start_with(&[("SESSIONVAULT_MAX_SHARE_DAYS", "1")]);
    let session = server.create_session("alice", "db-1", "ssh");
    create_share(&server, &server.admin_key, &session, &window(0, 86_400), true).expect(200);
    let reply = create_share(&server, &server.admin_key, &session, &window(0, 86_401), true);
    reply.expect(400);
    assert!(message(&reply).contains("1 days"), "{}", message(&reply));
}

#[test]
fn times_are_parsed_strictly_and_named_when_bad() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let good = iso(0);
    for bad in [
        json!("yesterday"),
        json!("2025-05-15T13:07:00"),
        json!("2025-05-15"),
        json!("2025-13-15T13:07:00Z"),
        json!(1747314420),
    ] {
        for (field, body) in [
            (
                "valid_since",
                json!({"valid_since": bad, "valid_to": good, "readonly": true}),
            ),
            (
                "valid_to",
                json!({"valid_since": good, "valid_to": bad, "readonly": true}),
            ),
        ] {
            let reply = post_raw(&f.server, &session, &body.to_string());
            reply.expect(400);
            assert!(
                message(&reply).starts_with(&format!("{field}:")),
                "{bad}: {}",
                message(&reply)
            );
        }
    }
}

#[test]
fn all_three_fields_are_required() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let full = json!({"valid_since": iso(0), "valid_to": iso(60), "readonly": true});
    for field in ["valid_since", "valid_to", "readonly"] {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(field);
        let reply = post_raw(&f.server, &session, &body.to_string());
        reply.expect(400);
        assert_eq!(message(&reply), format!("{field}: is required"));
    }
    let mut body = full.clone();
    body["readonly"] = json!("yes");
    let reply = post_raw(&f.server, &session, &body.to_string());
    reply.expect(400);
    assert!(message(&reply).starts_with("readonly:"));
}

#[test]
fn read_only_and_unknown_attributes_are_refused_by_name() {
    let f = fixture();
    let session = recorded_session(&f.server);
    for (field, value) in [
        ("key", json!("a".repeat(64))),
        ("link", json!("/x")),
        ("id", json!("5")),
        ("removed", json!(true)),
        ("user_id", json!("1")),
        ("colour", json!("red")),
    ] {
        let mut body = json!({"valid_since": iso(0), "valid_to": iso(60), "readonly": true});
        body[field] = value;
        let reply = post_raw(&f.server, &session, &body.to_string());
        reply.expect(400);
        assert!(
            message(&reply).starts_with(&format!("{field}:")),
            "{}",
            message(&reply)
        );
    }
    let mut body = json!({"valid_since": iso(0), "valid_to": iso(60), "readonly": false});
    body["session_id"] = json!("999999");
    post_raw(&f.server, &session, &body.to_string()).expect(400);
    body["session_id"] = json!(session.parse::<i64>().unwrap());
    let reply = post_raw(&f.server, &session, &body.to_string());
    reply.expect(200);
    assert_eq!(reply.json()["session_share"]["readonly"], false);
}

#[test]
fn bodies_must_be_json() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let path = format!("/api/v2/session/{session}/share");
    let key = Some(f.server.admin_key.as_str());
    f.server
        .send("POST", &path, key, Some("text/plain"), SEED_BODY.as_bytes())
        .expect(415);
    post_raw(&f.server, &session, "{not json").expect(400);
    post_raw(&f.server, &session, "[]").expect(400);
    post_raw(&f.server, &session, "").expect(400);
}

#[test]
fn unknown_and_trashed_sessions_cannot_be_shared() {
    let f = fixture();
    let reply = post_raw(&f.server, "987654321", SEED_BODY);
    reply.expect(404);
    post_raw(&f.server, "abc", SEED_BODY).expect(400);

    let session = recorded_session(&f.server);
    let link = share(&f.server, &session, window(-60, 3600))["link"]
        .as_str()
        .unwrap()
        .to_string();
    move_to_trash(&f.server, &session);
    let reply = post_raw(&f.server, &session, SEED_BODY);
    reply.expect(404);
    assert_eq!(message(&reply), format!("session {session} is in the trash"));

    let page = expect_page(&visit(&f.server, &link, "trash-test"), 403);
    assert!(page.contains("no longer available"), "{page}");
    let entries = audit_entries(&f.server, &format!("session_id={session}&action=share_use"));
    assert_eq!(entries[0]["outcome"], "session_removed");
}

/// Puts a session in the trash the way the trash feature does: `removed` set. (The
/// trash endpoints are not part of this feature; the column is.)
fn move_to_trash(server: &Server, session: &str) {
    let db = rusqlite::Connection::open(server.data_dir().join("sessionvault.db")).unwrap();
    db.busy_timeout(Duration::from_secs(15)).unwrap();
    let changed = db
        .execute(
            "UPDATE sessions SET removed = 1, removed_at = 0 WHERE id = ?1",
            [session.parse::<i64>().unwrap()],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

// ------------------------------------------------------------ list parameters ----

#[test]
fn the_list_pages_counts_sorts_and_filters() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let early = share(&f.server, &session, window(-7200, -3600));
    let late = share(&f.server, &session, window(3600, 7200));
    let base = format!("/api/v2/session/{session}/share");
    let get = |query: &str| {
        let reply = f.server.get(&format!("{base}?{query}"), &f.server.admin_key);
        reply.expect(200);
        reply.json()
    };
    let page = get("limit=1&count=true");
    assert_eq!(page["total_count"], 2);
    assert_eq!(page["session_share"].as_array().unwrap().len(), 1);
    assert_eq!(page["session_share"][0]["id"], late["id"], "newest first");
    assert_eq!(get("limit=1&offset=1")["session_share"][0]["id"], early["id"]);
    let asc = get("sort_field=valid_since&sort_type=asc");
    assert_eq!(asc["session_share"][0]["id"], early["id"]);
    let only_key = get("fields=key");
    assert!(
        only_key["session_share"][0]["link"].is_string(),
        "cheap attributes stay"
    );

    f.server
        .delete(
            &format!("{base}/{}", early["id"].as_str().unwrap()),
            &f.server.admin_key,
        )
        .expect(200);
    let live = get("removed=false");
    assert_eq!(live["session_share"].as_array().unwrap().len(), 1);
    assert_eq!(live["session_share"][0]["id"], late["id"]);
    assert_eq!(get("removed=true")["session_share"][0]["id"], early["id"]);

    for query in [
        "colour=red",
        "limit=0",
        "sort_field=key",
        "fields=colour",
        "removed=maybe",
    ] {
        let reply = f.server.get(&format!("{base}?{query}"), &f.server.admin_key);
        reply.expect(400);
        let name = query.split('=').next().unwrap();
        assert!(message(&reply).starts_with(name), "{query}: {}", message(&reply));
    }
}

// ---------------------------------------------------------- PATCH and DELETE ----

#[test]
fn patch_always_refuses_naming_the_field() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let id = share(&f.server, &session, window(0, 60))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v2/session/{session}/share/{id}");
    let patch = |body: &str| {
        f.server.send(
            "PATCH",
            &path,
            Some(&f.server.admin_key),
            Some("application/json"),
            body.as_bytes(),
        )
    };
    for (body, expected) in [
        (
            r#"{"valid_to": "2030-01-01T00:00:00Z"}"#,
            "valid_to: is immutable",
        ),
        (
            r#"{"valid_since": "2030-01-01T00:00:00Z"}"#,
            "valid_since: is immutable",
        ),
        (r#"{"readonly": false}"#, "readonly: is immutable"),
        (r#"{"session_id": "1"}"#, "session_id: is immutable"),
        (r#"{"key": "x"}"#, "key: is read-only"),
        (r#"{"removed": true}"#, "removed: is read-only"),
        (r#"{"colour": 1}"#, "colour:"),
        ("{}", "body:"),
    ] {
        let reply = patch(body);
        reply.expect(400);
        assert!(
            message(&reply).starts_with(expected),
            "{body}: {}",
            message(&reply)
        );
    }
    f.server
        .send(
            "PATCH",
            &format!("/api/v2/session/{session}/share/999999"),
            Some(&f.server.admin_key),
            Some("application/json"),
            b"{}",
        )
        .expect(404);
}

#[test]
fn revoking_stops_the_link_at_once() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let created = share(&f.server, &session, window(-60, 3600));
    let (id, link) = (created["id"].as_str().unwrap(), created["link"].as_str().unwrap());
    expect_page(&visit(&f.server, link, "revoke-test"), 200);

    let path = format!("/api/v2/session/{session}/share/{id}");
    let reply = f.server.delete(&path, &f.server.admin_key);
    reply.expect(200);
    assert_eq!(reply.json(), json!({"result": "success"}));
    let page = expect_page(&visit(&f.server, link, "revoke-test"), 403);
    assert!(page.contains("revoked"), "{page}");
    let recording = link.replace("/?key=", "/recording?key=");
    assert_eq!(visit(&f.server, &recording, "revoke-test").status, 403);

    let after = f.server.get(&path, &f.server.admin_key).json();
    assert_eq!(after["session_share"]["removed"], true);
    assert_eq!(
        after["session_share"]["key"], created["key"],
        "the key is still shown"
    );
    assert_ne!(after["session_share"]["modified_at"], created["modified_at"]);
    f.server.delete(&path, &f.server.admin_key).expect(200);
    let revocations = audit_entries(&f.server, &format!("share_id={id}&action=share_revoke"));
    assert_eq!(revocations.len(), 1, "revoking twice is one revocation");

    let other = recorded_session(&f.server);
    f.server
        .delete(
            &format!("/api/v2/session/{other}/share/{id}"),
            &f.server.admin_key,
        )
        .expect(404);
    f.server
        .delete(
            &format!("/api/v2/session/{session}/share/999999"),
            &f.server.admin_key,
        )
        .expect(404);
}
