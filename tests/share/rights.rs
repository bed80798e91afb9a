//! Who may share, revoke, list and read the audit (acceptance 3): one test per denial.

use super::*;

// ---------------------------------------------------- 3. rights and denials ----

#[test]
fn an_auditor_cannot_share() {
    let f = fixture();
    let reply = post_with(&f.auditor, &f.session);
    reply.expect(403);
    assert!(message(&reply).contains("share"), "{}", message(&reply));
}

#[test]
fn a_user_cannot_share_a_session_that_is_not_theirs() {
    let f = fixture();
    post_with(&f.mallory, &f.session).expect(403);
}

#[test]
fn a_user_cannot_share_even_their_own_session() {
    let f = fixture();
    post_with(&f.alice, &f.session).expect(403);
}

#[test]
fn staff_with_the_right_can_share_and_revoke_and_readers_can_list() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let reply = post_with(&f.operator, &session);
    reply.expect(200);
    let id = reply.json()["session_share"]["id"].as_str().unwrap().to_string();
    for reader in [&f.auditor, &f.alice, &f.operator] {
        let list = f.server.get(&format!("/api/v2/session/{session}/share"), reader);
        list.expect(200);
        assert_eq!(list.json()["session_share"][0]["id"], id.as_str());
    }
    f.server
        .delete(&format!("/api/v2/session/{session}/share/{id}"), &f.operator)
        .expect(200);
}

fn post_with(key: &str, session: &str) -> Reply {
    fixture().server.send(
        "POST",
        &format!("/api/v2/session/{session}/share"),
        Some(key),
        Some("application/json"),
        SEED_BODY.as_bytes(),
    )
}

enum Who {
    Nobody,
    Operator,
    Auditor,
    Alice,
    Mallory,
}

/// Sends the request as `who` and checks the status and the error envelope.
fn check(method: &str, path: &str, who: Who, status: u16) {
    let f = fixture();
    let path = path
        .replace("{session}", &f.session)
        .replace("{share}", &f.share_id);
    let key = match who {
        Who::Nobody => None,
        Who::Operator => Some(f.operator.as_str()),
        Who::Auditor => Some(f.auditor.as_str()),
        Who::Alice => Some(f.alice.as_str()),
        Who::Mallory => Some(f.mallory.as_str()),
    };
    let body: &[u8] = match method {
        "POST" => SEED_BODY.as_bytes(),
        "PATCH" => br#"{"valid_to": "2030-01-01T00:00:00Z"}"#,
        _ => b"",
    };
    let content_type = (!body.is_empty()).then_some("application/json");
    f.server
        .send(method, &path, key, content_type, body)
        .expect(status);
}

denials! {
    share_list_without_key: "GET" "/api/v2/session/{session}/share" by Nobody => 401;
    share_list_of_other_users_session_by_user: "GET" "/api/v2/session/{session}/share" by Mallory => 403;
    share_get_without_key: "GET" "/api/v2/session/{session}/share/{share}" by Nobody => 401;
    share_get_of_other_users_session_by_user: "GET" "/api/v2/session/{session}/share/{share}" by Mallory => 403;
    share_create_without_key: "POST" "/api/v2/session/{session}/share" by Nobody => 401;
    share_create_by_auditor: "POST" "/api/v2/session/{session}/share" by Auditor => 403;
    share_create_by_user_owner: "POST" "/api/v2/session/{session}/share" by Alice => 403;
    share_create_by_user_stranger: "POST" "/api/v2/session/{session}/share" by Mallory => 403;
    share_revoke_without_key: "DELETE" "/api/v2/session/{session}/share/{share}" by Nobody => 401;
    share_revoke_by_auditor: "DELETE" "/api/v2/session/{session}/share/{share}" by Auditor => 403;
    share_revoke_by_user_owner: "DELETE" "/api/v2/session/{session}/share/{share}" by Alice => 403;
    share_revoke_by_user_stranger: "DELETE" "/api/v2/session/{session}/share/{share}" by Mallory => 403;
    share_patch_without_key: "PATCH" "/api/v2/session/{session}/share/{share}" by Nobody => 401;
    share_patch_by_auditor: "PATCH" "/api/v2/session/{session}/share/{share}" by Auditor => 403;
    share_patch_by_user_owner: "PATCH" "/api/v2/session/{session}/share/{share}" by Alice => 403;
    share_put_is_not_allowed: "PUT" "/api/v2/session/{session}/share/{share}" by Operator => 405;
    audit_without_key: "GET" "/api/v2/audit" by Nobody => 401;
    audit_by_operator: "GET" "/api/v2/audit" by Operator => 403;
    audit_by_auditor: "GET" "/api/v2/audit" by Auditor => 403;
    audit_by_user: "GET" "/api/v2/audit" by Alice => 403;
    objspec_session_share_without_key: "GET" "/api/v2/objspec/session_share" by Nobody => 401;
    objspec_audit_without_key: "GET" "/api/v2/objspec/audit" by Nobody => 401;
}

#[test]
fn denied_attempts_change_nothing() {
    let f = fixture();
    let path = format!("/api/v2/session/{}/share/{}", f.session, f.share_id);
    let before = f.server.get(&path, &f.server.admin_key).json();
    for key in [&f.auditor, &f.alice, &f.mallory] {
        f.server.delete(&path, key).expect(403);
    }
    assert_eq!(f.server.get(&path, &f.server.admin_key).json(), before);
    assert_eq!(before["session_share"]["removed"], false);
}
