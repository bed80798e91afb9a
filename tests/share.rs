//! Session sharing, black-box against the real binary: the share API (list, create,
//! get, revoke, PATCH), the link page and its recording, the audit trail, and a real
//! browser playing a shared recording. This file holds the shared server and helpers;
//! the tests are in `tests/share/`, one module per concern.

#[macro_use]
mod common;

#[path = "share/api.rs"]
mod api;
#[path = "share/audit.rs"]
mod audit;
#[path = "share/browser.rs"]
mod browser;
#[path = "share/link.rs"]
mod link;
#[path = "share/rights.rs"]
mod rights;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::shared::{die_with_parent, shared};
use common::{Reply, Server, sample_cast};
use serde_json::{Value, json};

/// The request body of reference 001's curl example, verbatim.
const SEED_BODY: &str =
    r#"{"valid_since": "2025-05-15T13:07:00.000Z","valid_to": "2025-05-15T21:07:00.000Z","readonly": true}"#;

struct Fixture {
    server: Server,
    operator: String,
    auditor: String,
    /// Role user, owner of the sessions made with `session_of_alice`.
    alice: String,
    /// Role user, owns nothing.
    mallory: String,
    /// A session of alice's with a recording and one live share, for the denials.
    session: String,
    share_id: String,
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
    let share = create_share(&server, &server.admin_key, &session, &window(-3600, 3600), true);
    share.expect(200);
    let share_id = share.json()["session_share"]["id"].as_str().unwrap().to_string();
    Fixture {
        server,
        operator,
        auditor,
        alice,
        mallory,
        session,
        share_id,
    }
}

fn fixture() -> &'static Fixture {
    shared(&FIXTURE, build)
}

// ------------------------------------------------------------------ helpers ----

/// ISO 8601 (RFC 3339) for now + `seconds`.
fn iso(seconds: i64) -> String {
    iso_from(time::OffsetDateTime::now_utc(), seconds)
}

fn iso_from(base: time::OffsetDateTime, seconds: i64) -> String {
    let at = base + time::Duration::seconds(seconds);
    at.format(&time::format_description::well_known::Rfc3339).unwrap()
}

/// A window from now + `from` to now + `to` seconds, both from the same "now".
fn window(from: i64, to: i64) -> (String, String) {
    let now = time::OffsetDateTime::now_utc();
    (iso_from(now, from), iso_from(now, to))
}

fn create_share(
    server: &Server,
    key: &str,
    session: &str,
    window: &(String, String),
    readonly: bool,
) -> Reply {
    server.post_json(
        &format!("/api/v2/session/{session}/share"),
        key,
        &json!({"valid_since": window.0, "valid_to": window.1, "readonly": readonly}),
    )
}

/// Shares `session` as the admin; the share object.
fn share(server: &Server, session: &str, window: (String, String)) -> Value {
    let reply = create_share(server, &server.admin_key, session, &window, true);
    reply.expect(200);
    reply.json()["session_share"].clone()
}

fn post_raw(server: &Server, session: &str, body: &str) -> Reply {
    server.send(
        "POST",
        &format!("/api/v2/session/{session}/share"),
        Some(&server.admin_key),
        Some("application/json"),
        body.as_bytes(),
    )
}

/// A recorded session of alice's with a terminal recording.
fn recorded_session(server: &Server) -> String {
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &sample_cast(10)).expect(200);
    id
}

/// Opens a link as a stranger would: no credentials, a user agent of our choosing.
fn visit(server: &Server, path: &str, user_agent: &str) -> Reply {
    server.get_with(path, None, &[("User-Agent", user_agent)])
}

/// Checks an HTML answer of the share pages: status, type and the security headers.
#[track_caller]
fn expect_page(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert!(
        reply
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "{:?}",
        reply.headers
    );
    expect_security_headers(reply);
    reply.text()
}

#[track_caller]
fn expect_security_headers(reply: &Reply) {
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let csp = reply.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

fn message(reply: &Reply) -> String {
    reply.json()["error"]["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn audit_entries(server: &Server, query: &str) -> Vec<Value> {
    let reply = server.get(&format!("/api/v2/audit?{query}"), &server.admin_key);
    reply.expect(200);
    reply.json()["audit"].as_array().unwrap().clone()
}

fn is_share_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| b.is_ascii_alphanumeric())
}
