//! Interrupted uploads leave nothing behind; acknowledged ones survive SIGKILL.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Server, command, files_under, noise, sample_cast};

/// Starts an upload by hand and sends only `sent` of `total` body bytes.
fn partial_upload(server: &Server, method: &str, path: &str, total: usize, body: &[u8]) -> TcpStream {
    let addr = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {total}\r\n\r\n",
        server.admin_key
    )
    .unwrap();
    stream.write_all(body).unwrap();
    stream.flush().unwrap();
    stream
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn blob_files(data: &Path) -> Vec<std::path::PathBuf> {
    files_under(&data.join("blobs"))
}

fn tmp_files(data: &Path) -> usize {
    files_under(&data.join("blobs").join("tmp")).len()
}

#[test]
fn client_disconnect_mid_upload_leaves_nothing() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let cast = sample_cast(200_000);
    let half = &cast[..cast.len() / 2];
    let stream = partial_upload(
        &server,
        "PUT",
        &format!("/api/v2/session/{id}/recording"),
        cast.len(),
        half,
    );
    wait_until("the upload to start writing", || {
        tmp_files(&server.data_dir()) == 1
    });
    drop(stream);
    wait_until("the partial upload to be removed", || {
        blob_files(&server.data_dir()).is_empty()
    });
    let session = server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .json();
    assert!(session["session"]["recording_size"].is_null());
    // The session still takes a complete recording afterwards.
    server.put_recording(&id, &cast).expect(200);
}

#[test]
fn sigkill_mid_upload_leaves_nothing_after_restart() {
    let mut server = Server::start();
    let id = server.create_session("alice", "sftp-1", "sftp");
    let file = noise(8 * 1024 * 1024, 5);
    let stream = partial_upload(
        &server,
        "POST",
        &format!("/api/v2/session/{id}/transfer?path=/big.bin"),
        file.len(),
        &file[..5 * 1024 * 1024],
    );
    wait_until("the upload to start writing", || {
        tmp_files(&server.data_dir()) == 1
    });
    server.kill9();
    drop(stream);
    assert!(
        !blob_files(&server.data_dir()).is_empty(),
        "the crash left a partial file to clean"
    );

    server.restart();
    assert!(
        blob_files(&server.data_dir()).is_empty(),
        "orphans: {:?}",
        blob_files(&server.data_dir())
    );
    let transfers = server
        .get(&format!("/api/v2/session/{id}/transfer"), &server.admin_key)
        .json();
    assert!(transfers["transfer"].as_array().unwrap().is_empty());
    let session = server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .json();
    assert_eq!(session["session"]["transfer_count"], 0);

    // The next transfer of the session is handle 1: nothing half-counted.
    let reply = server.post_transfer(&id, "/small.bin", b"hello");
    reply.expect(200);
    assert_eq!(reply.json()["transfer"]["handle"], 1);
}

#[test]
fn acknowledged_uploads_survive_sigkill() {
    let mut server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let cast = sample_cast(50_000);
    server.put_recording(&id, &cast).expect(200);
    let file = noise(2 * 1024 * 1024 + 3, 8);
    server.post_transfer(&id, "/f.bin", &file).expect(200);
    server.kill9();
    server.restart();
    let recording = server.get(&format!("/api/v2/session/{id}/recording"), &server.admin_key);
    recording.expect(200);
    assert_eq!(recording.body, cast);
    let transfer = server
        .get(&format!("/api/v2/session/{id}/transfer"), &server.admin_key)
        .json();
    assert_eq!(transfer["transfer"][0]["size"], file.len());

    let check = command(&server.data_dir()).arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("checked 2 stored originals"));
}

#[test]
fn check_reports_damage() {
    let mut server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &sample_cast(50_000)).expect(200);
    server.kill9();
    let blob = blob_files(&server.data_dir()).pop().unwrap();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[100] ^= 0x40;
    std::fs::write(&blob, bytes).unwrap();
    let check = command(&server.data_dir()).arg("check").output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(out.contains(&format!("damaged: session {id} recording")), "{out}");
}
