//! The command line: first start, users, keys, import, exit codes.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{Server, command, sample_cast};

#[test]
fn serve_first_start_writes_private_admin_file_and_reuses_it() {
    let mut server = Server::start();
    let path = server.data_dir().join("initial-admin.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "username: admin");
    assert!(lines[1].starts_with("password: ") && lines[1].len() > 20);
    let key = lines[2].strip_prefix("api_key: ").unwrap();
    assert_eq!(key.len(), 64);
    assert!(key.bytes().all(|b| b.is_ascii_alphanumeric()));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!server.log().contains(key), "the key reached the log");
    assert!(!server.log().contains(lines[1].trim_start_matches("password: ")));

    server.restart();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "later starts reuse everything"
    );
    server.get("/api/v2/session", key).expect(200);
}

#[test]
fn sigterm_stops_gracefully() {
    let mut server = Server::start();
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
}

#[test]
fn second_server_on_same_data_dir_is_refused() {
    let server = Server::start();
    let out = command(&server.data_dir())
        .args(["serve", "--listen", "127.0.0.1:0", "--tls", "off"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another sessionvault serve"));
}

#[test]
fn tls_is_on_by_default_with_a_self_signed_certificate() {
    let server = Server::start_with(&[("SESSIONVAULT_TLS", "on")]);
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let reply = server.anonymous_get("/api/v2/healthcheck");
    reply.expect(200);
    assert!(server.data_dir().join("tls/cert.pem").exists());
}

#[test]
fn a_given_certificate_is_served_and_verifies() {
    let pair = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let pems = tempfile::tempdir().unwrap();
    let cert_path = pems.path().join("cert.pem");
    let key_path = pems.path().join("key.pem");
    std::fs::write(&cert_path, pair.cert.pem()).unwrap();
    std::fs::write(&key_path, pair.signing_key.serialize_pem()).unwrap();
    let server = Server::start_with(&[
        ("SESSIONVAULT_TLS", "on"),
        ("SESSIONVAULT_TLS_CERT", cert_path.to_str().unwrap()),
        ("SESSIONVAULT_TLS_KEY", key_path.to_str().unwrap()),
    ]);

    // A client that trusts only the given certificate, with verification on.
    let trusted = ureq::tls::Certificate::from_der(pair.cert.der()).to_owned();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![trusted])))
        .build();
    let strict: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).build().into();
    let body = strict
        .get(format!("{}/api/v2/healthcheck", server.base))
        .call()
        .expect("the given certificate verifies")
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(body, r#"{"result":"success","status":"ok"}"#);
    assert!(
        !server.data_dir().join("tls/cert.pem").exists(),
        "no self-signed certificate is made when one is given"
    );
}

#[test]
fn a_missing_certificate_file_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--tls", "on"])
        .args([
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: ") && last.contains("/nonexistent/cert.pem"),
        "{stderr}"
    );
}

#[test]
fn apikey_create_prints_only_the_key_and_it_works() {
    let server = Server::start();
    let key = server.user_key("olga", "operator");
    assert_eq!(key.len(), 64);
    server.get("/api/v2/session", &key).expect(200);
    let out = command(&server.data_dir())
        .args(["apikey", "create", "nobody"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
}

#[test]
fn user_add_with_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = command(dir.path())
        .args(["user", "add", "dora", "--role", "auditor", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("created user dora (role auditor"));
    let again = command(dir.path())
        .args(["user", "add", "dora", "--role", "user"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path())
        .args(["user", "add", "x", "--role", "king"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = command(dir.path()).arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_three_casts_one_malformed() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let good_a = dir.path().join("a.cast");
    let good_b = dir.path().join("b.cast");
    let bad = dir.path().join("bad.cast");
    std::fs::write(&good_a, sample_cast(100)).unwrap();
    std::fs::write(&good_b, sample_cast(3000)).unwrap();
    let mut broken = sample_cast(40);
    broken.extend_from_slice(b"[1.5, \"o\", unterminated\n");
    std::fs::write(&bad, broken).unwrap();

    let out = command(&server.data_dir())
        .args(["import", "--user", "root", "--server", "bastion-1"])
        .args([&good_a, &bad, &good_b])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("{stdout}{stderr}");
    assert!(stdout.contains("imported 2 of 3 recordings"), "{all}");
    assert!(
        all.contains(&format!("error: {}: recording: line 42:", bad.display())),
        "{all}"
    );

    let sessions = server
        .get("/api/v2/session?fields=user_name,server_name", &server.admin_key)
        .json();
    let sessions = sessions["session"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    for s in sessions {
        assert_eq!(s["user_name"], "root");
        assert_eq!(s["server_name"], "bastion-1");
        assert_eq!(s["recording_format"], "asciicast");
        // The cast header's timestamp is the start.
        assert_eq!(s["started"], "2025-03-10 10:00:00.000000+00:00");
    }
    let b = sessions
        .iter()
        .find(|s| s["recording_size"] == sample_cast(3000).len())
        .unwrap();
    assert_eq!(b["duration"], 299);
}
