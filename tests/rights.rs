//! Every endpoint refuses a missing key (401) and a role without the right (403), in the
//! error envelope. One test per denial, all against one shared server.

#[macro_use]
mod common;

use std::sync::OnceLock;

use common::shared::shared;
use common::{Server, sample_cast};

struct Fixture {
    server: Server,
    operator: String,
    auditor: String,
    /// Role user, owner of `session`.
    alice: String,
    /// Role user, owns nothing.
    mallory: String,
    session: String,
    alice_id: String,
    server_id: String,
    file_id: String,
    movie_id: String,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

fn build() -> Fixture {
    let server = Server::start();
    let alice = server.user_key("alice", "user");
    let mallory = server.user_key("mallory", "user");
    let operator = server.user_key("olga", "operator");
    let auditor = server.user_key("audrey", "auditor");
    let session = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&session, &sample_cast(10)).expect(200);
    server
        .post_transfer(&session, "/etc/hosts", b"127.0.0.1 localhost\n")
        .expect(200);
    let users = server.get("/api/v2/user?name=alice", &server.admin_key).json();
    let alice_id = users["user"][0]["id"].as_str().unwrap().to_string();
    let servers = server.get("/api/v2/server?name=db-1", &server.admin_key).json();
    let server_id = servers["server"][0]["id"].as_str().unwrap().to_string();
    let file = server.post_json(
        "/api/v2/session_file",
        &server.admin_key,
        &serde_json::json!({"session_id": session, "handle": 1}),
    );
    let file_id = file.json()["session_file"]["id"].as_str().unwrap().to_string();
    let movie = server.post_json(
        "/api/v2/session_movie",
        &server.admin_key,
        &serde_json::json!({"session_id": session, "video_format": "text"}),
    );
    let movie_id = movie.json()["session_movie"]["id"].as_str().unwrap().to_string();
    Fixture {
        server,
        operator,
        auditor,
        alice,
        mallory,
        session,
        alice_id,
        server_id,
        file_id,
        movie_id,
    }
}

fn fixture() -> &'static Fixture {
    shared(&FIXTURE, build)
}

enum Who {
    Nobody,
    Garbage,
    Operator,
    Auditor,
    Mallory,
}

/// Sends the request as `who` and checks the status and envelope.
fn check(method: &str, path: &str, who: Who, status: u16) {
    let f = fixture();
    let path = path
        .replace("{session}", &f.session)
        .replace("{alice}", &f.alice_id)
        .replace("{server}", &f.server_id)
        .replace("{file}", &f.file_id)
        .replace("{movie}", &f.movie_id)
        .replace("{sid}", &f.session);
    let key = match who {
        Who::Nobody => None,
        Who::Garbage => Some("x".repeat(64)),
        Who::Operator => Some(f.operator.clone()),
        Who::Auditor => Some(f.auditor.clone()),
        Who::Mallory => Some(f.mallory.clone()),
    };
    let (content_type, body): (Option<&str>, Vec<u8>) = match (method, path.as_str()) {
        ("POST", "/api/v2/session") => (
            Some("application/json"),
            br#"{"user":"x","server":"y","protocol":"ssh","started":"2025-01-01T00:00:00Z"}"#.to_vec(),
        ),
        ("POST", "/api/v2/user") => (
            Some("application/json"),
            br#"{"name":"newbie","role":"user"}"#.to_vec(),
        ),
        ("POST", "/api/v2/server") => (Some("application/json"), br#"{"name":"new-host"}"#.to_vec()),
        ("POST", "/api/v2/session_file") => (
            Some("application/json"),
            format!(r#"{{"session_id":"{}","handle":1}}"#, f.session).into_bytes(),
        ),
        ("POST", "/api/v2/session_movie") => (
            Some("application/json"),
            format!(r#"{{"session_id":"{}","video_format":"asciicast"}}"#, f.session).into_bytes(),
        ),
        ("PUT", _) => (Some("application/octet-stream"), sample_cast(3)),
        ("POST", _) => (Some("application/octet-stream"), b"data".to_vec()),
        _ => (None, Vec::new()),
    };
    let reply = f.server.send(method, &path, key.as_deref(), content_type, &body);
    reply.expect(status);
}

denials! {
    objspec_without_key: "GET" "/api/v2/objspec/session" by Nobody => 401;
    objspec_with_unknown_key: "GET" "/api/v2/objspec/session" by Garbage => 401;

    user_list_without_key: "GET" "/api/v2/user" by Nobody => 401;
    user_get_without_key: "GET" "/api/v2/user/{alice}" by Nobody => 401;
    user_get_other_by_user: "GET" "/api/v2/user/{alice}" by Mallory => 403;
    user_create_without_key: "POST" "/api/v2/user" by Nobody => 401;
    user_create_by_operator: "POST" "/api/v2/user" by Operator => 403;
    user_create_by_auditor: "POST" "/api/v2/user" by Auditor => 403;
    user_create_by_user: "POST" "/api/v2/user" by Mallory => 403;

    server_list_without_key: "GET" "/api/v2/server" by Nobody => 401;
    server_get_without_key: "GET" "/api/v2/server/{server}" by Nobody => 401;
    server_get_by_stranger: "GET" "/api/v2/server/{server}" by Mallory => 403;
    server_create_without_key: "POST" "/api/v2/server" by Nobody => 401;
    server_create_by_operator: "POST" "/api/v2/server" by Operator => 403;
    server_create_by_auditor: "POST" "/api/v2/server" by Auditor => 403;
    server_create_by_user: "POST" "/api/v2/server" by Mallory => 403;

    session_list_without_key: "GET" "/api/v2/session" by Nobody => 401;
    session_list_with_unknown_key: "GET" "/api/v2/session" by Garbage => 401;
    session_list_of_other_user_by_user: "GET" "/api/v2/session?user_id={alice}" by Mallory => 403;
    session_get_without_key: "GET" "/api/v2/session/{session}" by Nobody => 401;
    session_get_other_by_user: "GET" "/api/v2/session/{session}" by Mallory => 403;
    session_create_without_key: "POST" "/api/v2/session" by Nobody => 401;
    session_create_by_auditor: "POST" "/api/v2/session" by Auditor => 403;
    session_create_by_user: "POST" "/api/v2/session" by Mallory => 403;

    recording_put_without_key: "PUT" "/api/v2/session/{session}/recording" by Nobody => 401;
    recording_put_by_auditor: "PUT" "/api/v2/session/{session}/recording" by Auditor => 403;
    recording_put_by_user: "PUT" "/api/v2/session/{session}/recording" by Mallory => 403;
    recording_get_without_key: "GET" "/api/v2/session/{session}/recording" by Nobody => 401;
    recording_get_other_by_user: "GET" "/api/v2/session/{session}/recording" by Mallory => 403;

    transfer_post_without_key: "POST" "/api/v2/session/{session}/transfer?path=/x" by Nobody => 401;
    transfer_post_by_auditor: "POST" "/api/v2/session/{session}/transfer?path=/x" by Auditor => 403;
    transfer_post_by_user: "POST" "/api/v2/session/{session}/transfer?path=/x" by Mallory => 403;
    transfer_list_without_key: "GET" "/api/v2/session/{session}/transfer" by Nobody => 401;
    transfer_list_other_by_user: "GET" "/api/v2/session/{session}/transfer" by Mallory => 403;
    transfer_get_without_key: "GET" "/api/v2/session/{session}/transfer/1" by Nobody => 401;
    transfer_get_other_by_user: "GET" "/api/v2/session/{session}/transfer/1" by Mallory => 403;
    transfer_download_without_key: "GET" "/api/v2/session/{session}/transfer/1/download" by Nobody => 401;
    transfer_download_other_by_user: "GET" "/api/v2/session/{session}/transfer/1/download" by Mallory => 403;

    session_file_list_without_key: "GET" "/api/v2/session_file" by Nobody => 401;
    session_file_get_without_key: "GET" "/api/v2/session_file/{file}" by Nobody => 401;
    session_file_get_other_by_user: "GET" "/api/v2/session_file/{file}" by Mallory => 403;
    session_file_create_without_key: "POST" "/api/v2/session_file" by Nobody => 401;
    session_file_create_other_by_user: "POST" "/api/v2/session_file" by Mallory => 403;
    session_file_delete_without_key: "DELETE" "/api/v2/session_file/{file}" by Nobody => 401;
    session_file_delete_other_by_user: "DELETE" "/api/v2/session_file/{file}" by Mallory => 403;
    session_file_download_without_key: "GET" "/api/v2/download/session_file/{file}" by Nobody => 401;
    session_file_download_other_by_user: "GET" "/api/v2/download/session_file/{file}" by Mallory => 403;

    session_movie_list_without_key: "GET" "/api/v2/session_movie" by Nobody => 401;
    session_movie_get_without_key: "GET" "/api/v2/session_movie/{movie}" by Nobody => 401;
    session_movie_get_other_by_user: "GET" "/api/v2/session_movie/{movie}" by Mallory => 403;
    session_movie_create_without_key: "POST" "/api/v2/session_movie" by Nobody => 401;
    session_movie_create_by_auditor: "POST" "/api/v2/session_movie" by Auditor => 403;
    session_movie_create_other_by_user: "POST" "/api/v2/session_movie" by Mallory => 403;
    session_movie_delete_without_key: "DELETE" "/api/v2/session_movie/{movie}" by Nobody => 401;
    session_movie_delete_other_by_user: "DELETE" "/api/v2/session_movie/{movie}" by Mallory => 403;
    session_movie_download_without_key: "GET" "/api/v2/download/session_movie/{movie}" by Nobody => 401;
    session_movie_download_other_by_user: "GET" "/api/v2/download/session_movie/{movie}" by Mallory => 403;

    session_delete_without_key: "DELETE" "/api/v2/session/{session}" by Nobody => 401;
    session_delete_by_operator: "DELETE" "/api/v2/session/{session}" by Operator => 403;
    session_delete_by_auditor: "DELETE" "/api/v2/session/{session}" by Auditor => 403;
    session_delete_by_user: "DELETE" "/api/v2/session/{session}" by Mallory => 403;
    session_restore_without_key: "POST" "/api/v2/session/{session}/restore" by Nobody => 401;
    session_restore_by_operator: "POST" "/api/v2/session/{session}/restore" by Operator => 403;
    session_restore_by_auditor: "POST" "/api/v2/session/{session}/restore" by Auditor => 403;
    session_restore_by_user: "POST" "/api/v2/session/{session}/restore" by Mallory => 403;

    recording_url_without_key: "GET" "/api/v2/session/{session}/recording/url" by Nobody => 401;
    recording_url_other_by_user: "GET" "/api/v2/session/{session}/recording/url" by Mallory => 403;
    transfer_url_without_key: "GET" "/api/v2/session/{session}/transfer/1/url" by Nobody => 401;
    transfer_url_other_by_user: "GET" "/api/v2/session/{session}/transfer/1/url" by Mallory => 403;
    session_file_url_without_key: "GET" "/api/v2/download/session_file/{file}/url" by Nobody => 401;
    session_file_url_other_by_user: "GET" "/api/v2/download/session_file/{file}/url" by Mallory => 403;
    session_movie_url_without_key: "GET" "/api/v2/download/session_movie/{movie}/url" by Nobody => 401;
    session_movie_url_other_by_user: "GET" "/api/v2/download/session_movie/{movie}/url" by Mallory => 403;
    search_of_other_user_by_user: "GET" "/api/v2/session?q=alice&user_id={alice}" by Mallory => 403;
}

#[test]
fn a_user_searches_only_its_own_sessions() {
    let f = fixture();
    let own = f.server.get("/api/v2/session?q=alice", &f.alice).json();
    assert_eq!(own["session"].as_array().unwrap().len(), 1, "{own}");
    let other = f.server.get("/api/v2/session?q=alice", &f.mallory).json();
    assert!(other["session"].as_array().unwrap().is_empty(), "{other}");
}

#[test]
fn a_user_lists_only_jobs_of_its_own_sessions() {
    let f = fixture();
    for model in ["session_file", "session_movie"] {
        let own = f.server.get(&format!("/api/v2/{model}"), &f.alice).json();
        assert_eq!(own[model].as_array().unwrap().len(), 1, "{own}");
        let other = f.server.get(&format!("/api/v2/{model}"), &f.mallory).json();
        assert!(other[model].as_array().unwrap().is_empty(), "{other}");
    }
}

#[test]
fn healthcheck_needs_no_key() {
    let f = fixture();
    let reply = f.server.anonymous_get("/api/v2/healthcheck");
    reply.expect(200);
    assert_eq!(
        reply.json(),
        serde_json::json!({"result": "success", "status": "ok"})
    );
}

#[test]
fn key_works_as_bearer_and_access_token() {
    let f = fixture();
    let key = &f.server.admin_key;
    f.server
        .get_with(
            "/api/v2/session",
            None,
            &[("Authorization", &format!("Bearer {key}"))],
        )
        .expect(200);
    f.server
        .anonymous_get(&format!("/api/v2/session?access_token={key}"))
        .expect(200);
}

#[test]
fn a_user_sees_only_its_own_sessions() {
    let f = fixture();
    let own = f.server.get("/api/v2/session", &f.alice).json();
    let ids: Vec<&str> = own["session"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&f.session.as_str()));
    let other = f.server.get("/api/v2/session", &f.mallory).json();
    assert!(other["session"].as_array().unwrap().is_empty());
    f.server
        .get(&format!("/api/v2/session/{}/recording", f.session), &f.alice)
        .expect(200);
}

#[test]
fn staff_roles_read_everything() {
    let f = fixture();
    for key in [&f.operator, &f.auditor] {
        f.server
            .get(&format!("/api/v2/session/{}", f.session), key)
            .expect(200);
        f.server
            .get(&format!("/api/v2/session/{}/recording", f.session), key)
            .expect(200);
    }
}
