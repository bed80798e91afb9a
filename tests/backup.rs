//! `sessionvault backup DEST`: a consistent copy made while the server serves, which is
//! a working vault of its own.

mod common;

use std::fs::File;
use std::time::{Duration, Instant};

use common::{Server, command, files_under, noise, sample_cast};
use serde_json::json;

#[test]
fn a_backup_made_while_serving_is_a_vault_of_its_own() {
    let server = Server::start();
    let recording = sample_cast(200);
    let transferred = noise(3 * 1024 * 1024, 7);
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &recording).expect(200);
    server
        .post_transfer(&id, "/srv/export.bin", &transferred)
        .expect(200);
    let trashed = server.create_session("bob", "db-2", "ssh");
    server.put_recording(&trashed, &sample_cast(5)).expect(200);
    server
        .delete(&format!("/api/v2/session/{trashed}"), &server.admin_key)
        .expect(200);
    let movie = server.post_json(
        "/api/v2/session_movie",
        &server.admin_key,
        &json!({"session_id": id, "video_format": "text"}),
    );
    movie.expect(200);

    let backup = tempfile::tempdir().unwrap();
    let dest = backup.path().join("data");
    let out = command(&server.data_dir())
        .arg("backup")
        .arg(&dest)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("3 stored originals"), "{said}");
    server.anonymous_get("/api/v2/healthcheck").expect(200);
    assert!(!dest.join("sessionvault.db.partial").exists());
    assert!(files_under(&dest.join("prepared")).is_empty());

    let check = command(&dest).arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("checked 3 stored originals"));

    // The copy serves the same sessions, byte for byte, to the same API key.
    let copy = Server::start_existing(backup, &server.admin_key);
    let body = copy.get(&format!("/api/v2/session/{id}/recording"), &copy.admin_key);
    body.expect(200);
    assert!(body.body == recording, "recording differs in the backup");
    let file = copy.get(
        &format!("/api/v2/session/{id}/transfer/1/download"),
        &copy.admin_key,
    );
    file.expect(200);
    assert!(file.body == transferred, "transfer differs in the backup");
    let trash = copy.get("/api/v2/session?trash=true", &copy.admin_key).json();
    assert_eq!(trash["session"][0]["id"], trashed.as_str());
    // Prepared downloads are caches: the copy starts without them and makes them again.
    let movies = copy.get("/api/v2/session_movie", &copy.admin_key).json();
    assert!(movies["session_movie"].as_array().unwrap().is_empty(), "{movies}");
    copy.post_json(
        "/api/v2/session_movie",
        &copy.admin_key,
        &json!({"session_id": id, "video_format": "text"}),
    )
    .expect(200);
}

#[test]
fn a_backup_never_writes_over_a_used_folder() {
    let server = Server::start();
    let dest = tempfile::tempdir().unwrap();
    std::fs::write(dest.path().join("notes.txt"), "keep me").unwrap();
    let out = command(&server.data_dir())
        .arg("backup")
        .arg(dest.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().last().unwrap_or_default().starts_with("error: ") && stderr.contains("is not empty"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dest.path().join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(dest.path()).unwrap().count(), 1);
}

#[test]
fn the_trash_is_not_purged_while_a_backup_holds_the_purge_lock() {
    let server = Server::start_with(&[
        ("SESSIONVAULT_TRASH_RETENTION_DAYS", "0"),
        ("SESSIONVAULT_TRASH_PURGE_INTERVAL", "1"),
    ]);
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &sample_cast(10)).expect(200);
    // What a running backup holds.
    let lock = File::create(server.data_dir().join("purge.lock")).unwrap();
    lock.lock().unwrap();
    server
        .delete(&format!("/api/v2/session/{id}"), &server.admin_key)
        .expect(200);
    std::thread::sleep(Duration::from_secs(3));
    server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .expect(200);
    assert_eq!(files_under(&server.data_dir().join("blobs")).len(), 1);

    drop(lock);
    let start = Instant::now();
    while server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .status
        != 404
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not purged after the backup"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(files_under(&server.data_dir().join("blobs")).is_empty());
}
