//! Every use of a link is audited (acceptance 5); keys never reach the log.

use super::*;

// ----------------------------------------------- 5. every use is in the audit ----

#[test]
fn every_use_of_a_link_is_audited() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let current = share(&f.server, &session, window(-60, 3600));
    let future = share(&f.server, &session, window(3600, 7200));
    let past = share(&f.server, &session, window(-7200, -3600));
    let revoked = share(&f.server, &session, window(-60, 3600));
    let (revoked_id, current_id) = (revoked["id"].as_str().unwrap(), current["id"].as_str().unwrap());
    f.server
        .delete(
            &format!("/api/v2/session/{session}/share/{revoked_id}"),
            &f.server.admin_key,
        )
        .expect(200);
    let recording = |link: &str| link.replace("/?key=", "/recording?key=");
    let link = |s: &Value| s["link"].as_str().unwrap().to_string();
    let random = "R".repeat(64);
    let visits = [
        (link(&current), 200, "allowed", "page", Some(&current)),
        (
            recording(&link(&current)),
            200,
            "allowed",
            "recording",
            Some(&current),
        ),
        (link(&future), 403, "not_yet_valid", "page", Some(&future)),
        (
            recording(&link(&future)),
            403,
            "not_yet_valid",
            "recording",
            Some(&future),
        ),
        (link(&past), 403, "expired", "page", Some(&past)),
        (recording(&link(&past)), 403, "expired", "recording", Some(&past)),
        (link(&revoked), 403, "revoked", "page", Some(&revoked)),
        (
            recording(&link(&revoked)),
            403,
            "revoked",
            "recording",
            Some(&revoked),
        ),
        (
            format!("/sessions/{session}/?key={random}"),
            403,
            "bad_key",
            "page",
            None,
        ),
        (
            format!("/sessions/{session}/recording?key={random}"),
            403,
            "bad_key",
            "recording",
            None,
        ),
    ];
    for (i, (path, status, _, _, _)) in visits.iter().enumerate() {
        let reply = visit(&f.server, path, &format!("audit-agent/{i}"));
        assert_eq!(reply.status, *status, "{path}");
    }

    let entries = audit_entries(
        &f.server,
        &format!("session_id={session}&action=share_use&sort_type=asc&count=true"),
    );
    assert_eq!(entries.len(), visits.len(), "{entries:#?}");
    for (i, ((_, _, outcome, resource, share), entry)) in visits.iter().zip(&entries).enumerate() {
        assert_eq!(entry["outcome"], *outcome, "visit {i}: {entry}");
        assert_eq!(entry["resource"], *resource, "visit {i}: {entry}");
        assert_eq!(entry["session_id"], session.as_str());
        assert_eq!(
            entry["share_id"],
            share.map_or(Value::Null, |s| s["id"].clone()),
            "visit {i}"
        );
        assert_eq!(entry["remote_address"], "127.0.0.1");
        assert_eq!(entry["user_agent"], format!("audit-agent/{i}"));
        assert!(entry["user_id"].is_null());
        assert!(entry["time"].as_str().unwrap().ends_with("+00:00"));
    }

    let created = audit_entries(
        &f.server,
        &format!("session_id={session}&action=share_create&fields=user_name"),
    );
    assert_eq!(created.len(), 4);
    assert!(
        created
            .iter()
            .all(|e| e["outcome"] == "success" && e["user_name"] == "admin")
    );
    let revocations = audit_entries(&f.server, &format!("session_id={session}&action=share_revoke"));
    assert_eq!(revocations.len(), 1);
    assert_eq!(revocations[0]["share_id"], revoked_id);
    let allowed = audit_entries(&f.server, &format!("share_id={current_id}&outcome=allowed"));
    assert_eq!(allowed.len(), 2);
    assert!(allowed.iter().all(|e| e.get("user_name").is_none()), "expensive");
}

#[test]
fn a_bad_key_for_a_missing_session_is_audited_without_ids() {
    let f = fixture();
    let agent = "missing-session-agent";
    let reply = visit(
        &f.server,
        &format!("/sessions/987654321/?key={}", "M".repeat(64)),
        agent,
    );
    assert_eq!(reply.status, 403);
    let entry = audit_entries(&f.server, "outcome=bad_key&limit=1000")
        .into_iter()
        .find(|e| e["user_agent"] == agent)
        .expect("audited");
    assert!(
        entry["session_id"].is_null() && entry["share_id"].is_null(),
        "{entry}"
    );
}

#[test]
fn the_audit_list_takes_the_usual_parameters() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let link = share(&f.server, &session, window(-60, 3600))["link"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..3 {
        visit(&f.server, &link, "t");
    }
    let reply = f.server.get(
        &format!("/api/v2/audit?session_id={session}&limit=2&count=true"),
        &f.server.admin_key,
    );
    reply.expect(200);
    let body = reply.json();
    assert_eq!(body["total_count"], 4, "one creation, three uses");
    let page = body["audit"].as_array().unwrap();
    assert_eq!(page.len(), 2);
    assert!(
        page[0]["time"].as_str() >= page[1]["time"].as_str(),
        "newest first"
    );
    let oldest = audit_entries(
        &f.server,
        &format!("session_id={session}&sort_field=time&sort_type=asc&limit=1"),
    );
    assert_eq!(oldest[0]["action"], "share_create");
    let all_today = audit_entries(
        &f.server,
        &format!("session_id={session}&from={}", &iso(-3600)[..10]),
    );
    assert_eq!(all_today.len(), 4);
    for query in [
        "colour=1",
        "session_id=x",
        "outcome=fine",
        "sort_field=user_agent",
        "limit=5000",
    ] {
        let reply = f
            .server
            .get(&format!("/api/v2/audit?{query}"), &f.server.admin_key);
        reply.expect(400);
        let name = query.split('=').next().unwrap();
        assert!(message(&reply).starts_with(name), "{query}: {}", message(&reply));
    }
}

// ----------------------------------------------------------------- secrets ----

#[test]
fn share_keys_never_reach_the_log() {
    let server = Server::start_with(&[("SESSIONVAULT_LOG", "debug")]);
    let session = recorded_session(&server);
    let created = share(&server, &session, window(-60, 3600));
    let key = created["key"].as_str().unwrap();
    let link = created["link"].as_str().unwrap();
    visit(&server, link, "t");
    visit(&server, &link.replace("/?key=", "/recording?key="), "t");
    visit(&server, &format!("/sessions/{session}/?k%65y={key}"), "t");
    server
        .get(&format!("/api/v2/session/{session}/share"), &server.admin_key)
        .expect(200);
    post_raw(&server, &session, &format!(r#"{{"key": "{key}"}}"#)).expect(400);
    let log = server.log();
    assert!(log.contains("key=REDACTED"), "the access log ran: {log}");
    assert!(!log.contains(key), "a share key reached the log:\n{log}");
}
