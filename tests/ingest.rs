//! Ingest and read-back through the real binary: sessions, recordings, transfers.

mod common;

use common::{Server, noise, sample_cast, sha256_hex};
use serde_json::json;

#[test]
fn recording_round_trips_byte_identical_with_size_and_hash() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let cast = sample_cast(5000);
    let reply = server.put_recording(&id, &cast);
    reply.expect(200);
    let session = &reply.json()["session"];
    assert_eq!(session["recording_format"], "asciicast");
    assert_eq!(session["recording_size"], cast.len());
    assert_eq!(session["recording_sha256"], sha256_hex(&cast));

    let back = server.get(&format!("/api/v2/session/{id}/recording"), &server.admin_key);
    back.expect(200);
    assert_eq!(back.body, cast);
    assert_eq!(back.header("content-length").unwrap(), cast.len().to_string());
    assert_eq!(back.header("etag").unwrap(), format!("\"{}\"", sha256_hex(&cast)));

    let listed = server.get("/api/v2/session", &server.admin_key);
    assert_eq!(listed.json()["session"][0]["recording_sha256"], sha256_hex(&cast));
}

#[test]
fn second_recording_is_a_conflict_and_keeps_the_first() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let first = sample_cast(10);
    server.put_recording(&id, &first).expect(200);
    server.put_recording(&id, &sample_cast(20)).expect(409);
    let back = server.get(&format!("/api/v2/session/{id}/recording"), &server.admin_key);
    assert_eq!(back.body, first);
}

#[test]
fn malformed_cast_is_refused_naming_the_line_and_nothing_is_stored() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let mut cast = sample_cast(100);
    cast.extend_from_slice(b"[1.0, \"o\" \"missing comma\"]\n");
    cast.extend_from_slice(&sample_cast(10)[60..]);
    let reply = server.put_recording(&id, &cast);
    reply.expect(400);
    let message = reply.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("line 102"), "{message}");

    let session = server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .json();
    assert_eq!(session["session"]["recording_format"], "none");
    assert!(session["session"]["recording_size"].is_null());
    server
        .get(&format!("/api/v2/session/{id}/recording"), &server.admin_key)
        .expect(404);
    let stored: Vec<_> = common::files_under(&server.data_dir().join("blobs"));
    assert!(stored.is_empty(), "left behind: {stored:?}");
}

#[test]
fn wrong_kind_of_recording_is_unsupported_media() {
    let server = Server::start();
    let ssh = server.create_session("alice", "db-1", "ssh");
    let mut webm = vec![0x1a, 0x45, 0xdf, 0xa3];
    webm.extend(noise(1000, 1));
    server.put_recording(&ssh, &webm).expect(415);
    server.put_recording(&ssh, b"").expect(400);
    let rdp = server.create_session("bob", "win-1", "rdp");
    let reply = server.put_recording(&rdp, &webm);
    reply.expect(200);
    assert_eq!(reply.json()["session"]["recording_format"], "webm");
}

#[test]
fn transfers_get_handles_sizes_and_hashes() {
    let server = Server::start();
    let id = server.create_session("alice", "sftp-1", "sftp");
    let files = [noise(3 * 1024 * 1024 + 17, 1), Vec::new(), noise(1000, 3)];
    for (i, file) in files.iter().enumerate() {
        let reply = server.post_transfer(&id, &format!("/home/alice/f{i}.bin"), file);
        reply.expect(200);
        let t = &reply.json()["transfer"];
        assert_eq!(t["handle"], i + 1);
        assert_eq!(t["size"], file.len());
        assert_eq!(t["sha256"], sha256_hex(file));
        assert_eq!(t["from_server"], true);
        assert_eq!(t["delta"], 1500);
    }
    let list = server.get(&format!("/api/v2/session/{id}/transfer"), &server.admin_key);
    list.expect(200);
    let list = list.json();
    let transfers = list["transfer"].as_array().unwrap();
    assert_eq!(transfers.len(), 3);
    assert_eq!(transfers[2]["path"], "/home/alice/f2.bin");

    let session = server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .json();
    assert_eq!(session["session"]["transfer_count"], 3);
    assert_eq!(
        session["session"]["transfer_size"],
        files.iter().map(Vec::len).sum::<usize>()
    );
    server.post_transfer(&id, "", b"x").expect(400);
}

#[test]
fn concurrent_transfers_get_distinct_handles() {
    let server = Server::start();
    let id = server.create_session("alice", "sftp-1", "sftp");
    std::thread::scope(|s| {
        for i in 0..6 {
            let server = &server;
            let id = &id;
            s.spawn(move || {
                server
                    .post_transfer(id, &format!("/f{i}"), &noise(200_000, i))
                    .expect(200)
                    .json()
            });
        }
    });
    let list = server
        .get(&format!("/api/v2/session/{id}/transfer"), &server.admin_key)
        .json();
    let mut handles: Vec<i64> = list["transfer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["handle"].as_i64().unwrap())
        .collect();
    handles.sort();
    assert_eq!(handles, vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn users_and_servers_are_created_on_first_sight() {
    let server = Server::start();
    server.create_session("carol", "web-7", "ssh");
    server.create_session("carol", "web-7", "ssh");
    let users = server.get("/api/v2/user?name=carol", &server.admin_key).json();
    assert_eq!(users["user"].as_array().unwrap().len(), 1);
    assert_eq!(users["user"][0]["role"], "user");
    let servers = server.get("/api/v2/server?name=web-7", &server.admin_key).json();
    assert_eq!(servers["server"].as_array().unwrap().len(), 1);
    assert_eq!(servers["server"][0]["protocol"], "ssh");
}

#[test]
fn session_list_filters_and_fields() {
    let server = Server::start();
    let a = server.create_session("alice", "db-1", "ssh");
    server.create_session("bob", "db-1", "rdp");
    server.create_session("bob", "db-2", "ssh");

    let alice = server.get("/api/v2/user?name=alice", &server.admin_key).json();
    let alice_id = alice["user"][0]["id"].as_str().unwrap().to_string();
    let only = server
        .get(&format!("/api/v2/session?user_id={alice_id}"), &server.admin_key)
        .json();
    assert_eq!(only["session"].as_array().unwrap().len(), 1);
    assert_eq!(only["session"][0]["id"], a.as_str());

    let rdp = server
        .get("/api/v2/session?protocol=rdp", &server.admin_key)
        .json();
    assert_eq!(rdp["session"].as_array().unwrap().len(), 1);

    let paged = server
        .get("/api/v2/session?limit=2&offset=2&count=true", &server.admin_key)
        .json();
    assert_eq!(paged["session"].as_array().unwrap().len(), 1);
    assert_eq!(paged["total_count"], 3);

    let plain = server
        .get(&format!("/api/v2/session/{a}"), &server.admin_key)
        .json();
    assert!(plain["session"].get("user_name").is_none());
    let rich = server
        .get(
            &format!("/api/v2/session/{a}?fields=user_name,server_name"),
            &server.admin_key,
        )
        .json();
    assert_eq!(rich["session"]["user_name"], "alice");
    assert_eq!(rich["session"]["server_name"], "db-1");
    assert_eq!(rich["session"]["started"], "2025-03-10 10:00:00.000000+00:00");
    assert_eq!(rich["session"]["duration"], 300);

    server
        .get("/api/v2/session?colour=red", &server.admin_key)
        .expect(400);
    server
        .get("/api/v2/session?protocol=gopher", &server.admin_key)
        .expect(400);
    server
        .get("/api/v2/session?fields=nope", &server.admin_key)
        .expect(400);
    server.get("/api/v2/session/abc", &server.admin_key).expect(400);
    server.get("/api/v2/session/999", &server.admin_key).expect(404);
}

#[test]
fn bad_session_bodies_name_the_field() {
    let server = Server::start();
    let key = server.admin_key.clone();
    let cases = [
        (
            json!({"server": "s", "protocol": "ssh", "started": "2025-03-10T10:00:00Z"}),
            "user",
        ),
        (
            json!({"user": "u", "server": "s", "protocol": "ssh", "started": "yesterday"}),
            "started",
        ),
        (
            json!({"user": "u", "server": "s", "protocol": "smtp", "started": "2025-03-10T10:00:00Z"}),
            "protocol",
        ),
        (
            json!({"user": "u", "server": "s", "protocol": "ssh", "started": "2025-03-10T10:00:00Z", "ended": "2025-03-10T09:00:00Z"}),
            "ended",
        ),
        (
            json!({"user": "u", "server": "s", "protocol": "ssh", "started": "2025-03-10T10:00:00Z", "recording_size": 5}),
            "recording_size",
        ),
    ];
    for (body, field) in cases {
        let reply = server.post_json("/api/v2/session", &key, &body);
        reply.expect(400);
        let message = reply.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.starts_with(field), "{field}: {message}");
    }
    let reply = server.send("POST", "/api/v2/session", Some(&key), Some("text/plain"), b"{}");
    reply.expect(415);
    let reply = server.send(
        "POST",
        "/api/v2/session",
        Some(&key),
        Some("application/json"),
        b"{not json",
    );
    reply.expect(400);
}

#[test]
fn objspec_describes_every_model() {
    let server = Server::start();
    for model in ["session", "transfer", "user", "server"] {
        let reply = server.get(&format!("/api/v2/objspec/{model}"), &server.admin_key);
        reply.expect(200);
        let spec = &reply.json()[model];
        assert!(spec.as_object().is_some_and(|o| !o.is_empty()), "{model}: {spec}");
    }
    let session = server.get("/api/v2/objspec/session", &server.admin_key).json();
    assert_eq!(session["session"]["user_name"]["expensive"], true);
    assert_eq!(session["session"]["id"]["readonly"], true);
    server
        .get("/api/v2/objspec/unicorn", &server.admin_key)
        .expect(404);
}

#[test]
fn ranges_and_conditional_requests() {
    let server = Server::start();
    let id = server.create_session("alice", "sftp-1", "sftp");
    let file = noise(3 * 1024 * 1024, 9);
    server.post_transfer(&id, "/f", &file).expect(200);
    let cast = sample_cast(20_000);
    let sid = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&sid, &cast).expect(200);
    let path = format!("/api/v2/session/{sid}/recording");
    let key = server.admin_key.clone();
    let part = server.get_with(&path, Some(&key), &[("Range", "bytes=1000-1999")]);
    part.expect(206);
    assert_eq!(part.body, &cast[1000..2000]);
    assert_eq!(
        part.header("content-range").unwrap(),
        format!("bytes 1000-1999/{}", cast.len())
    );
    let tail = server.get_with(&path, Some(&key), &[("Range", "bytes=-10")]);
    assert_eq!(tail.body, &cast[cast.len() - 10..]);
    let beyond = format!("bytes={}-", cast.len() + 10);
    server
        .get_with(&path, Some(&key), &[("Range", &beyond)])
        .expect(416);
    let etag = part.header("etag").unwrap().to_string();
    let same = server.get_with(&path, Some(&key), &[("If-None-Match", &etag)]);
    assert_eq!(same.status, 304);
    let stale = server.get_with(
        &path,
        Some(&key),
        &[("Range", "bytes=0-9"), ("If-Range", "\"other\"")],
    );
    stale.expect(200);
    assert_eq!(stale.body.len(), cast.len());
    // Several ranges: the whole file, never only the first range.
    let several = server.get_with(&path, Some(&key), &[("Range", "bytes=0-9,100-109")]);
    several.expect(200);
    assert!(several.body == cast, "several ranges served other bytes");
}

#[test]
fn api_errors_always_use_the_envelope() {
    let server = Server::start();
    server.get("/api/v2/no/such/thing", &server.admin_key).expect(404);
    server
        .send(
            "DELETE",
            "/api/v2/healthcheck",
            Some(&server.admin_key),
            None,
            b"",
        )
        .expect(405);
    let big = vec![b' '; 100 * 1024];
    server
        .send(
            "POST",
            "/api/v2/session",
            Some(&server.admin_key),
            Some("application/json"),
            &big,
        )
        .expect(413);
}
