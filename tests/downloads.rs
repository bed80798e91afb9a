//! Downloads: the 50 MiB rule, session_file and session_movie jobs, prepared files.

mod common;

use std::time::{Duration, Instant};

use common::{Server, files_under, noise, sample_cast, sha256_hex};
use serde_json::{Value, json};

const MIB: usize = 1024 * 1024;

/// Polls a download until it is converted (or failed); returns the progress values seen.
fn wait_converted(server: &Server, model: &str, id: &str) -> (Value, Vec<i64>) {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let reply = server.get(
            &format!("/api/v2/{model}/{id}?fields=progress,is_converted"),
            &server.admin_key,
        );
        reply.expect(200);
        let object = reply.json()[model].clone();
        seen.push(object["progress"].as_i64().unwrap());
        if object["is_converted"] == true || !object["error"].is_null() {
            return (object, seen);
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "job did not finish: {object}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn transfer_session(server: &Server, file: &[u8]) -> String {
    let id = server.create_session("alice", "sftp-1", "sftp");
    server
        .post_transfer(&id, "/srv/export/data.bin", file)
        .expect(200);
    id
}

#[test]
fn small_transfer_downloads_directly_without_a_job() {
    let server = Server::start();
    let file = noise(3 * MIB, 1);
    let id = transfer_session(&server, &file);
    let reply = server.get(
        &format!("/api/v2/session/{id}/transfer/1/download"),
        &server.admin_key,
    );
    reply.expect(200);
    assert_eq!(reply.body, file);
    assert_eq!(reply.header("content-length").unwrap(), file.len().to_string());
    assert!(reply.header("content-disposition").unwrap().contains("data.bin"));
    assert_eq!(
        reply.header("etag").unwrap(),
        format!("\"{}\"", sha256_hex(&file))
    );
    let jobs = server.get("/api/v2/session_file", &server.admin_key).json();
    assert!(jobs["session_file"].as_array().unwrap().is_empty(), "{jobs}");
}

#[test]
fn large_transfer_is_prepared_by_a_job() {
    let server = Server::start();
    let file = noise(60 * MIB, 2);
    let id = transfer_session(&server, &file);
    let path = format!("/api/v2/session/{id}/transfer/1/download");
    let first = server.get(&path, &server.admin_key);
    first.expect(202);
    let job = first.json()["session_file"].clone();
    assert_eq!(job["handle"], 1);
    assert_eq!(job["size"], file.len());
    assert_eq!(job["is_converted"], false);
    let job_id = job["id"].as_str().unwrap().to_string();

    // Asking again while it exists returns the same job.
    let again = server.get(&path, &server.admin_key);
    again.expect(202);
    assert_eq!(again.json()["session_file"]["id"], job_id.as_str());
    let explicit = server.post_json(
        "/api/v2/session_file",
        &server.admin_key,
        &json!({"session_id": id, "handle": 1}),
    );
    explicit.expect(200);
    assert_eq!(explicit.json()["session_file"]["id"], job_id.as_str());

    let (done, seen) = wait_converted(&server, "session_file", &job_id);
    assert_eq!(done["is_converted"], true, "{done}");
    assert_eq!(done["progress"], 100);
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress went back: {seen:?}"
    );

    let download = format!("/api/v2/download/session_file/{job_id}");
    let whole = server.get(&download, &server.admin_key);
    whole.expect(200);
    assert_eq!(whole.body.len(), file.len());
    assert!(whole.body == file, "prepared file differs");
    assert_eq!(
        whole.header("etag").unwrap(),
        format!("\"{}\"", sha256_hex(&file))
    );
    assert!(whole.header("content-disposition").unwrap().contains("data.bin"));

    let part = server.get_with(
        &download,
        Some(&server.admin_key),
        &[("Range", "bytes=1000-1999")],
    );
    part.expect(206);
    assert_eq!(part.body, &file[1000..2000]);
    // Ranges that start and end inside the server's read pieces, across several of them.
    for (range, expected) in [
        ("bytes=65000-200000", &file[65000..200001]),
        ("bytes=-70000", &file[file.len() - 70000..]),
    ] {
        let part = server.get_with(&download, Some(&server.admin_key), &[("Range", range)]);
        part.expect(206);
        assert!(part.body == expected, "{range} served other bytes");
    }
    let head = server.send("HEAD", &download, Some(&server.admin_key), None, b"");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length").unwrap(), file.len().to_string());
    assert!(head.body.is_empty());

    // Delete drops the prepared copy and the job, never the original.
    server
        .delete(&format!("/api/v2/session_file/{job_id}"), &server.admin_key)
        .expect(200);
    server.get(&download, &server.admin_key).expect(404);
    assert!(files_under(&server.data_dir().join("prepared")).is_empty());
    let transfers = server
        .get(&format!("/api/v2/session/{id}/transfer"), &server.admin_key)
        .json();
    assert_eq!(transfers["transfer"][0]["sha256"], sha256_hex(&file));
    // A new request makes a new job.
    let fresh = server.get(&path, &server.admin_key);
    fresh.expect(202);
    assert_ne!(fresh.json()["session_file"]["id"], job_id.as_str());
}

#[test]
fn expensive_attributes_only_when_named() {
    let server = Server::start_with(&[("SESSIONVAULT_DIRECT_DOWNLOAD_LIMIT", "1000")]);
    let id = transfer_session(&server, &noise(5000, 3));
    let job = server.get(
        &format!("/api/v2/session/{id}/transfer/1/download"),
        &server.admin_key,
    );
    job.expect(202);
    let job_id = job.json()["session_file"]["id"].as_str().unwrap().to_string();
    wait_converted(&server, "session_file", &job_id);
    let expensive = [
        "session_user",
        "session_user_id",
        "session_server",
        "session_server_id",
        "session_started",
        "is_converted",
        "progress",
        "encode_on_name",
    ];
    let plain = server.get("/api/v2/session_file", &server.admin_key).json();
    let item = &plain["session_file"][0];
    for name in expensive {
        assert!(item.get(name).is_none(), "{name} without fields=: {item}");
    }
    for name in [
        "id",
        "session_id",
        "encode_on",
        "handle",
        "delta",
        "from_server",
        "size",
    ] {
        assert!(item.get(name).is_some(), "{name} missing: {item}");
    }
    let one = server
        .get(
            "/api/v2/session_file?fields=session_user,progress",
            &server.admin_key,
        )
        .json();
    assert_eq!(one["session_file"][0]["session_user"], "alice");
    assert_eq!(one["session_file"][0]["progress"], 100);
    assert!(one["session_file"][0].get("session_server").is_none());
    let all = server
        .get("/api/v2/session_file?fields=*", &server.admin_key)
        .json();
    for name in expensive {
        assert!(
            all["session_file"][0].get(name).is_some(),
            "{name} missing with fields=*"
        );
    }
    let host = all["session_file"][0]["encode_on_name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!host.is_empty());
    let filtered = server
        .get(
            &format!("/api/v2/session_file?session_id={id}&is_converted=true"),
            &server.admin_key,
        )
        .json();
    assert_eq!(filtered["session_file"].as_array().unwrap().len(), 1);
    let none = server
        .get("/api/v2/session_file?is_converted=false", &server.admin_key)
        .json();
    assert!(none["session_file"].as_array().unwrap().is_empty());
}

#[test]
fn sigkill_during_a_job_then_it_finishes_after_restart() {
    let mut server = Server::start_with(&[("SESSIONVAULT_WORKERS", "1")]);
    let block = noise(MIB, 4);
    let file = block.repeat(500);
    let id = transfer_session(&server, &file);
    let reply = server.post_json(
        "/api/v2/session_file",
        &server.admin_key,
        &json!({"session_id": id, "handle": 1}),
    );
    reply.expect(200);
    let job_id = reply.json()["session_file"]["id"].as_str().unwrap().to_string();
    let start = Instant::now();
    loop {
        let job = server
            .get(
                &format!("/api/v2/session_file/{job_id}?fields=progress,is_converted"),
                &server.admin_key,
            )
            .json();
        let progress = job["session_file"]["progress"].as_i64().unwrap();
        assert_ne!(
            job["session_file"]["is_converted"], true,
            "finished before it could be interrupted"
        );
        if progress > 0 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
    server.kill9();
    assert!(
        !files_under(&server.data_dir().join("prepared/tmp")).is_empty(),
        "a partial output to clean"
    );
    server.restart();
    let (done, _) = wait_converted(&server, "session_file", &job_id);
    assert_eq!(done["is_converted"], true, "{done}");
    let download = server.get(
        &format!("/api/v2/download/session_file/{job_id}"),
        &server.admin_key,
    );
    download.expect(200);
    assert_eq!(sha256_hex(&download.body), sha256_hex(&file));
    assert!(files_under(&server.data_dir().join("prepared/tmp")).is_empty());
    assert_eq!(files_under(&server.data_dir().join("prepared")).len(), 1);
}

#[test]
fn a_corrupt_chunk_fails_the_job_and_nothing_is_served() {
    let server = Server::start();
    let file = noise(60 * MIB, 5);
    let id = transfer_session(&server, &file);
    let blob = files_under(&server.data_dir().join("blobs")).pop().unwrap();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[30 * MIB] ^= 0x08;
    std::fs::write(&blob, bytes).unwrap();

    let job = server.get(
        &format!("/api/v2/session/{id}/transfer/1/download"),
        &server.admin_key,
    );
    job.expect(202);
    let job_id = job.json()["session_file"]["id"].as_str().unwrap().to_string();
    let (failed, _) = wait_converted(&server, "session_file", &job_id);
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("integrity check failed"), "{failed}");
    assert_eq!(failed["is_converted"], false);
    let refused = server.get(
        &format!("/api/v2/download/session_file/{job_id}"),
        &server.admin_key,
    );
    refused.expect(409);
    assert_eq!(refused.json()["session_file"]["id"], job_id.as_str());
    assert!(files_under(&server.data_dir().join("prepared")).is_empty());
}

#[test]
fn a_corrupt_chunk_breaks_a_direct_download() {
    let server = Server::start();
    let file = noise(3 * MIB, 6);
    let id = transfer_session(&server, &file);
    let blob = files_under(&server.data_dir().join("blobs")).pop().unwrap();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[2 * MIB] ^= 0x08;
    std::fs::write(&blob, bytes).unwrap();
    let body = server.try_get_body(
        &format!("/api/v2/session/{id}/transfer/1/download"),
        &server.admin_key,
    );
    match body {
        Ok(bytes) => panic!("a damaged file was served whole ({} bytes)", bytes.len()),
        Err(e) => assert!(!e.is_empty()),
    }
}

#[test]
fn session_movie_formats_idempotence_and_refusals() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let cast = sample_cast(300);
    server.put_recording(&id, &cast).expect(200);
    let ask = |format: &str| {
        server.post_json(
            "/api/v2/session_movie",
            &server.admin_key,
            &json!({"session_id": id, "video_format": format, "video_resolution": "hd720"}),
        )
    };
    let first = ask("asciicast");
    first.expect(200);
    let movie = first.json()["session_movie"].clone();
    assert_eq!(movie["video_format"], "asciicast");
    assert_eq!(movie["video_resolution"], "hd720");
    let movie_id = movie["id"].as_str().unwrap().to_string();
    assert_eq!(ask("asciicast").json()["session_movie"]["id"], movie_id.as_str());
    let (done, _) = wait_converted(&server, "session_movie", &movie_id);
    assert_eq!(done["size"], cast.len());
    let body = server.get(
        &format!("/api/v2/download/session_movie/{movie_id}"),
        &server.admin_key,
    );
    body.expect(200);
    assert_eq!(body.body, cast);

    let refused = ask("gif");
    refused.expect(422);
    let message = refused.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("asciicast") && message.contains("text"),
        "{message}"
    );
    ask("divx5").expect(400);
    let bad_resolution = server.post_json(
        "/api/v2/session_movie",
        &server.admin_key,
        &json!({"session_id": id, "video_format": "text", "video_resolution": "4k"}),
    );
    bad_resolution.expect(400);
    let listed = server
        .get("/api/v2/session_movie?video_format=asciicast", &server.admin_key)
        .json();
    assert_eq!(listed["session_movie"].as_array().unwrap().len(), 1);
}

#[test]
fn large_recording_answers_202_with_its_session_movie() {
    let server = Server::start_with(&[("SESSIONVAULT_DIRECT_DOWNLOAD_LIMIT", "10000")]);
    let id = server.create_session("alice", "db-1", "ssh");
    let cast = sample_cast(2000);
    server.put_recording(&id, &cast).expect(200);
    let reply = server.get(&format!("/api/v2/session/{id}/recording"), &server.admin_key);
    reply.expect(202);
    let movie = reply.json()["session_movie"].clone();
    assert_eq!(movie["video_format"], "asciicast");
    let movie_id = movie["id"].as_str().unwrap().to_string();
    let pending = server.get(
        &format!("/api/v2/download/session_movie/{movie_id}"),
        &server.admin_key,
    );
    assert!(pending.status == 409 || pending.status == 200);
    wait_converted(&server, "session_movie", &movie_id);
    let body = server.get(
        &format!("/api/v2/download/session_movie/{movie_id}"),
        &server.admin_key,
    );
    body.expect(200);
    assert_eq!(body.body, cast);
    assert!(
        body.header("content-disposition")
            .unwrap()
            .contains(&format!("session-{id}.cast"))
    );
}

/// A session a person watched: coloured prompt, a progress bar redrawn with CR, and
/// vim on the alternate screen.
fn watched_session() -> Vec<u8> {
    let events = [
        "\u{1b}[1;32malice@db-1\u{1b}[0m:~$ ",
        "wget https://example.test/big.iso\r\n",
        "big.iso   10%[=>          ]\r",
        "big.iso   50%[=====>      ]\r",
        "big.iso  100%[===========>] done\r\n",
        "\u{1b}[1;32malice@db-1\u{1b}[0m:~$ vim /etc/motd\r\n",
        "\u{1b}[?1049h\u{1b}[H\u{1b}[2JWelcome to db-1\r\n~\r\n~\r\n\"/etc/motd\" 1L, 16B",
        "\u{1b}[H\u{1b}[2JAuthorised access only\r\n~\r\n~\r\n\"/etc/motd\" 1L, 23B written",
        "\u{1b}[?1049l",
        "\u{1b}[1;32malice@db-1\u{1b}[0m:~$ \u{1b}[31mexit\u{1b}[0m\r\n",
    ];
    let mut cast = String::from("{\"version\": 2, \"width\": 60, \"height\": 10}\n");
    for (i, data) in events.iter().enumerate() {
        cast.push_str(&serde_json::to_string(&json!([i as f64 * 0.5, "o", data])).unwrap());
        cast.push('\n');
    }
    cast.into_bytes()
}

#[test]
fn text_transcript_reads_as_a_person_saw_it() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &watched_session()).expect(200);
    let reply = server.post_json(
        "/api/v2/session_movie",
        &server.admin_key,
        &json!({"session_id": id, "video_format": "text"}),
    );
    reply.expect(200);
    let movie_id = reply.json()["session_movie"]["id"].as_str().unwrap().to_string();
    let (done, _) = wait_converted(&server, "session_movie", &movie_id);
    assert_eq!(done["is_converted"], true, "{done}");
    let text = server.get(
        &format!("/api/v2/download/session_movie/{movie_id}"),
        &server.admin_key,
    );
    text.expect(200);
    assert!(text.header("content-type").unwrap().starts_with("text/plain"));
    let expected = "\
alice@db-1:~$ wget https://example.test/big.iso
big.iso  100%[===========>] done
alice@db-1:~$ vim /etc/motd
----- full-screen view -----
Authorised access only
~
~
\"/etc/motd\" 1L, 23B written
----- end of full-screen view -----
alice@db-1:~$ exit
";
    assert_eq!(text.text(), expected);
}

#[test]
fn a_failed_job_is_retried_by_asking_again() {
    let server = Server::start();
    let file = noise(60 * MIB, 7);
    let id = transfer_session(&server, &file);
    let blob = files_under(&server.data_dir().join("blobs")).pop().unwrap();
    let original = std::fs::read(&blob).unwrap();
    let mut damaged = original.clone();
    damaged[10 * MIB] ^= 1;
    std::fs::write(&blob, &damaged).unwrap();
    let body = json!({"session_id": id, "handle": 1});
    let job_id = server
        .post_json("/api/v2/session_file", &server.admin_key, &body)
        .json()["session_file"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (failed, _) = wait_converted(&server, "session_file", &job_id);
    assert!(!failed["error"].is_null());
    std::fs::write(&blob, &original).unwrap();
    let retry = server.post_json("/api/v2/session_file", &server.admin_key, &body);
    retry.expect(200);
    assert_eq!(retry.json()["session_file"]["id"], job_id.as_str());
    let (done, _) = wait_converted(&server, "session_file", &job_id);
    assert_eq!(done["is_converted"], true, "{done}");
    assert!(done["error"].is_null());
}

#[test]
fn deleting_a_queued_job_cancels_it() {
    let server = Server::start_with(&[("SESSIONVAULT_WORKERS", "1")]);
    let id = server.create_session("alice", "sftp-1", "sftp");
    // The one worker is busy with the first job while the second waits.
    server
        .post_transfer(&id, "/big.bin", &noise(MIB, 9).repeat(300))
        .expect(200);
    server
        .post_transfer(&id, "/small.bin", &noise(1000, 10))
        .expect(200);
    let ask = |handle: i64| {
        let reply = server.post_json(
            "/api/v2/session_file",
            &server.admin_key,
            &json!({"session_id": id, "handle": handle}),
        );
        reply.json()["session_file"]["id"].as_str().unwrap().to_string()
    };
    let first = ask(1);
    let queued = ask(2);
    server
        .delete(&format!("/api/v2/session_file/{queued}"), &server.admin_key)
        .expect(200);
    server
        .get(&format!("/api/v2/session_file/{queued}"), &server.admin_key)
        .expect(404);
    let (done, _) = wait_converted(&server, "session_file", &first);
    assert_eq!(done["is_converted"], true);
    // Only the first job's output exists; the cancelled one never ran.
    assert_eq!(files_under(&server.data_dir().join("prepared")).len(), 1);
    // A new request for the same transfer starts afresh.
    assert_ne!(ask(2), queued);
}
