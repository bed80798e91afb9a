//! Finding and fetching: cursor paging, date ranges, sorting, trash, full-text search,
//! signed download URLs.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Server, files_under, noise, sha256_hex};
use serde_json::{Value, json};

fn session_at(server: &Server, user: &str, host: &str, started: &str) -> String {
    let reply = server.post_json(
        "/api/v2/session",
        &server.admin_key,
        &json!({"user": user, "server": host, "protocol": "ssh", "started": started}),
    );
    reply.expect(200);
    reply.json()["session"]["id"].as_str().unwrap().to_string()
}

fn ids(reply: &Value, model: &str) -> Vec<String> {
    reply[model]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn cursor_paging_visits_every_session_once() {
    let server = Server::start();
    let mut created = HashSet::new();
    for i in 0..25 {
        // Some share a start time, so ties must be broken by id.
        let started = format!("2025-03-{:02}T10:00:00Z", 1 + i / 3);
        created.insert(session_at(&server, "alice", "db-1", &started));
    }
    let mut seen = Vec::new();
    let mut path = "/api/v2/session?page_size=10".to_string();
    let mut pages = 0;
    loop {
        let reply = server.get(&path, &server.admin_key);
        reply.expect(200);
        let body = reply.json();
        pages += 1;
        seen.extend(ids(&body, "session"));
        match body["next_page_token"].as_str() {
            Some(token) => path = format!("/api/v2/session?page_size=10&page_token={token}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 25);
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), created);

    // Newest first by default.
    let first = server
        .get("/api/v2/session?page_size=1", &server.admin_key)
        .json();
    assert_eq!(first["session"][0]["started"], "2025-03-09 10:00:00.000000+00:00");
    let token = first["next_page_token"].as_str().unwrap().to_string();

    // The reference's spelling of the parameter works too.
    server
        .get(
            &format!("/api/v2/session?page_size=1&next_page_token={token}"),
            &server.admin_key,
        )
        .expect(200);
    // A forged token, one from another query, or one with an offset: 400 naming it.
    let mut forged: Vec<char> = token.chars().collect();
    forged[5] = if forged[5] == 'x' { 'y' } else { 'x' };
    let forged: String = forged.into_iter().collect();
    for (path, field) in [
        (
            format!("/api/v2/session?page_size=1&page_token={forged}"),
            "page_token",
        ),
        (
            "/api/v2/session?page_size=1&page_token=garbage".to_string(),
            "page_token",
        ),
        (
            format!("/api/v2/session?page_size=1&protocol=rdp&page_token={token}"),
            "page_token",
        ),
        (
            format!("/api/v2/session?page_size=1&sort_type=asc&page_token={token}"),
            "page_token",
        ),
        (
            format!("/api/v2/session?page_size=1&offset=3&page_token={token}"),
            "offset",
        ),
    ] {
        let reply = server.get(&path, &server.admin_key);
        reply.expect(400);
        let message = reply.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.starts_with(field), "{path}: {message}");
    }
}

#[test]
fn date_ranges_include_whole_days() {
    let server = Server::start();
    let inside = [
        session_at(&server, "a", "s", "2025-03-10T00:00:00Z"),
        session_at(&server, "a", "s", "2025-03-12T13:30:00Z"),
        session_at(&server, "a", "s", "2025-03-14T23:59:59.999Z"),
    ];
    session_at(&server, "a", "s", "2025-03-09T23:59:59.999Z");
    session_at(&server, "a", "s", "2025-03-15T00:00:00Z");
    let reply = server.get("/api/v2/session?from=2025-03-10&to=2025-03-14", &server.admin_key);
    reply.expect(200);
    let mut got = ids(&reply.json(), "session");
    got.sort();
    let mut want = inside.to_vec();
    want.sort();
    assert_eq!(got, want);
    let exact = server.get(
        "/api/v2/session?from=2025-03-12T13:30:00Z&to=2025-03-12T13:30:00Z",
        &server.admin_key,
    );
    assert_eq!(ids(&exact.json(), "session"), vec![inside[1].clone()]);
    server
        .get("/api/v2/session?from=10/03/2025", &server.admin_key)
        .expect(400);
}

#[test]
fn sorting_counting_and_status() {
    let server = Server::start();
    let a = session_at(&server, "a", "s", "2025-03-10T00:00:00Z");
    let b = session_at(&server, "b", "s", "2025-03-11T00:00:00Z");
    let c = server.post_json(
        "/api/v2/session",
        &server.admin_key,
        &json!({"user": "c", "server": "s", "protocol": "rdp",
                "started": "2025-03-12T00:00:00Z", "ended": "2025-03-12T02:00:00Z"}),
    );
    let c = c.json()["session"]["id"].as_str().unwrap().to_string();
    let asc = server
        .get(
            "/api/v2/session?sort_field=started&sort_type=asc",
            &server.admin_key,
        )
        .json();
    assert_eq!(ids(&asc, "session"), vec![a.clone(), b.clone(), c.clone()]);
    let by_duration = server
        .get(
            "/api/v2/session?sort_field=duration&sort_type=desc&limit=1",
            &server.admin_key,
        )
        .json();
    assert_eq!(ids(&by_duration, "session"), vec![c.clone()]);
    let live = server
        .get("/api/v2/session?status=live&count=true", &server.admin_key)
        .json();
    assert_eq!(live["total_count"], 2);
    let finished = server
        .get("/api/v2/session?status=finished", &server.admin_key)
        .json();
    assert_eq!(ids(&finished, "session"), vec![c]);
    server
        .get("/api/v2/session?sort_field=colour", &server.admin_key)
        .expect(400);
    server
        .get("/api/v2/session?status=sleeping", &server.admin_key)
        .expect(400);
    // Other lists page the same way.
    let users = server
        .get(
            "/api/v2/user?limit=2&sort_field=name&sort_type=asc",
            &server.admin_key,
        )
        .json();
    let token = users["next_page_token"].as_str().unwrap();
    let rest = server
        .get(
            &format!("/api/v2/user?limit=2&sort_field=name&sort_type=asc&page_token={token}"),
            &server.admin_key,
        )
        .json();
    let names: Vec<&str> = rest["user"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["b", "c"]);
}

fn cast_with(lines: &[(f64, &str)]) -> Vec<u8> {
    let mut cast = String::from("{\"version\": 2, \"width\": 80, \"height\": 24}\n");
    for (t, text) in lines {
        cast.push_str(&serde_json::to_string(&json!([t, "o", text])).unwrap());
        cast.push('\n');
    }
    cast.into_bytes()
}

#[test]
fn full_text_search_finds_what_was_shown_and_typed() {
    let server = Server::start();
    let needle = server.create_session("alice", "db-1", "ssh");
    let mut lines: Vec<(f64, String)> = (0..200)
        .map(|i| (i as f64, format!("routine line {i}\r\n")))
        .collect();
    lines[120] = (
        120.0,
        "\u{1b}[31mkernel: \u{1b}[1mxylophone\u{1b}[0m overheated\r\n".into(),
    );
    lines[10] = (10.0, "zeppelin landed\r\n".into());
    let refs: Vec<(f64, &str)> = lines.iter().map(|(t, s)| (*t, s.as_str())).collect();
    server.put_recording(&needle, &cast_with(&refs)).expect(200);
    let other = server.create_session("bob", "web-2", "ssh");
    server
        .put_recording(
            &other,
            &cast_with(&[(0.5, "nothing to see\r\n"), (1.0, "routine line\r\n")]),
        )
        .expect(200);

    let found = server.get("/api/v2/session?q=xylophone", &server.admin_key);
    found.expect(200);
    let found = found.json();
    assert_eq!(ids(&found, "session"), vec![needle.clone()]);
    assert_eq!(found["session"][0]["match_time"], 120.0);

    let nothing = server
        .get("/api/v2/session?q=saxophone", &server.admin_key)
        .json();
    assert!(nothing["session"].as_array().unwrap().is_empty());
    // Words must all appear; colours never split a word.
    let both = server
        .get("/api/v2/session?q=xylophone%20overheated", &server.admin_key)
        .json();
    assert_eq!(ids(&both, "session"), vec![needle.clone()]);
    let split = server
        .get("/api/v2/session?q=kernel%20saxophone", &server.admin_key)
        .json();
    assert!(split["session"].as_array().unwrap().is_empty());
    // ... anywhere in the session: two minutes apart, or one in the recording and one
    // in the names; the match time is the first of them.
    let apart = server
        .get("/api/v2/session?q=xylophone%20zeppelin", &server.admin_key)
        .json();
    assert_eq!(ids(&apart, "session"), vec![needle.clone()]);
    assert_eq!(apart["session"][0]["match_time"], 10.0, "{apart}");
    let named = server
        .get("/api/v2/session?q=alice%20xylophone", &server.admin_key)
        .json();
    assert_eq!(ids(&named, "session"), vec![needle.clone()]);
    let wrong_user = server
        .get("/api/v2/session?q=bob%20xylophone", &server.admin_key)
        .json();
    assert!(wrong_user["session"].as_array().unwrap().is_empty());
    // Ranked: the session saying "routine" 200 times comes first.
    let ranked = server.get("/api/v2/session?q=routine", &server.admin_key).json();
    assert_eq!(ids(&ranked, "session"), vec![needle.clone(), other.clone()]);
    // User and server names are searchable; prefixes too.
    let by_name = server.get("/api/v2/session?q=web-2", &server.admin_key).json();
    assert_eq!(ids(&by_name, "session"), vec![other.clone()]);
    let prefix = server.get("/api/v2/session?q=xyloph*", &server.admin_key).json();
    assert_eq!(ids(&prefix, "session"), vec![needle]);
    // Search combines with filters, and quotes or operators are just text.
    let combined = server
        .get(
            &format!(
                "/api/v2/session?q=routine&user_id={}",
                found["session"][0]["user_id"].as_str().unwrap()
            ),
            &server.admin_key,
        )
        .json();
    assert_eq!(combined["session"].as_array().unwrap().len(), 1);
    server
        .get("/api/v2/session?q=%22OR%20NEAR(", &server.admin_key)
        .expect(200);
    server
        .get("/api/v2/session?q=%20%20", &server.admin_key)
        .expect(400);
    let too_many = server.get(
        &format!("/api/v2/session?q={}", ["word"; 17].join("%20")),
        &server.admin_key,
    );
    too_many.expect(400);
    assert!(too_many.text().contains("at most 16"), "{}", too_many.text());
}

#[test]
fn typed_input_and_transfer_paths_are_searchable() {
    let server = Server::start();
    let id = server.create_session("carol", "jump-1", "ssh");
    let cast = "{\"version\": 2, \"width\": 80, \"height\": 24}\n\
                [1.0, \"i\", \"mysql -u root\\r\"]\n\
                [1.1, \"o\", \"Enter password: \"]\n";
    server.put_recording(&id, cast.as_bytes()).expect(200);
    let typed = server.get("/api/v2/session?q=mysql", &server.admin_key).json();
    assert_eq!(ids(&typed, "session"), vec![id.clone()]);
    let sftp = server.create_session("carol", "files-1", "sftp");
    server
        .post_transfer(&sftp, "/home/carol/quarterly-report.xlsx", b"data")
        .expect(200);
    let file = server
        .get("/api/v2/session?q=quarterly", &server.admin_key)
        .json();
    assert_eq!(ids(&file, "session"), vec![sftp]);
}

#[test]
fn trash_delete_list_restore() {
    let server = Server::start();
    let keep = server.create_session("alice", "db-1", "ssh");
    let gone = server.create_session("alice", "db-1", "ssh");
    server
        .delete(&format!("/api/v2/session/{gone}"), &server.admin_key)
        .expect(200);
    server
        .delete(&format!("/api/v2/session/{gone}"), &server.admin_key)
        .expect(409);
    let live = server.get("/api/v2/session", &server.admin_key).json();
    assert_eq!(ids(&live, "session"), vec![keep.clone()]);
    let trash = server.get("/api/v2/session?trash=true", &server.admin_key).json();
    assert_eq!(ids(&trash, "session"), vec![gone.clone()]);
    assert_eq!(trash["session"][0]["removed"], true);
    assert!(trash["session"][0]["removed_at"].is_string());
    // A trashed session cannot be downloaded or converted.
    server
        .get(&format!("/api/v2/session/{gone}/recording"), &server.admin_key)
        .expect(404);
    let restored = server.send(
        "POST",
        &format!("/api/v2/session/{gone}/restore"),
        Some(&server.admin_key),
        None,
        b"",
    );
    restored.expect(200);
    assert_eq!(restored.json()["session"]["removed"], false);
    let live = server
        .get("/api/v2/session?sort_type=asc&sort_field=id", &server.admin_key)
        .json();
    assert_eq!(ids(&live, "session"), vec![keep, gone.clone()]);
    server
        .send(
            "POST",
            &format!("/api/v2/session/{gone}/restore"),
            Some(&server.admin_key),
            None,
            b"",
        )
        .expect(409);
}

#[test]
fn purge_after_retention_removes_the_blobs() {
    let server = Server::start_with(&[
        ("SESSIONVAULT_TRASH_RETENTION_DAYS", "0"),
        ("SESSIONVAULT_TRASH_PURGE_INTERVAL", "1"),
    ]);
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &common::sample_cast(100)).expect(200);
    server.post_transfer(&id, "/f.bin", &noise(10_000, 1)).expect(200);
    let kept = server.create_session("bob", "db-1", "ssh");
    server.put_recording(&kept, &common::sample_cast(10)).expect(200);
    assert_eq!(files_under(&server.data_dir().join("blobs")).len(), 3);
    server
        .delete(&format!("/api/v2/session/{id}"), &server.admin_key)
        .expect(200);
    let start = Instant::now();
    while server
        .get(&format!("/api/v2/session/{id}"), &server.admin_key)
        .status
        != 404
    {
        assert!(start.elapsed() < Duration::from_secs(20), "not purged");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        files_under(&server.data_dir().join("blobs")).len(),
        1,
        "only the kept recording remains"
    );
    let trash = server.get("/api/v2/session?trash=true", &server.admin_key).json();
    assert!(trash["session"].as_array().unwrap().is_empty());
    server
        .get(&format!("/api/v2/session/{kept}/recording"), &server.admin_key)
        .expect(200);
}

#[test]
fn retention_keeps_recent_trash() {
    let server = Server::start_with(&[("SESSIONVAULT_TRASH_PURGE_INTERVAL", "1")]);
    let id = server.create_session("alice", "db-1", "ssh");
    server
        .delete(&format!("/api/v2/session/{id}"), &server.admin_key)
        .expect(200);
    std::thread::sleep(Duration::from_millis(2500));
    let trash = server.get("/api/v2/session?trash=true", &server.admin_key).json();
    assert_eq!(ids(&trash, "session"), vec![id]);
}

fn signed_url(server: &Server, path: &str) -> String {
    let reply = server.get(path, &server.admin_key);
    reply.expect(200);
    let url = reply.json()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&server.base), "{url}");
    url.trim_start_matches(&server.base).to_string()
}

#[test]
fn signed_urls_work_alone_and_only_for_their_object() {
    let server = Server::start();
    let id = server.create_session("alice", "db-1", "ssh");
    let cast = common::sample_cast(500);
    server.put_recording(&id, &cast).expect(200);
    let file = noise(100_000, 2);
    server.post_transfer(&id, "/etc/f.bin", &file).expect(200);
    let other = server.create_session("bob", "db-2", "ssh");
    server.put_recording(&other, &common::sample_cast(5)).expect(200);

    let recording = signed_url(&server, &format!("/api/v2/session/{id}/recording/url"));
    let reply = server.anonymous_get(&recording);
    reply.expect(200);
    assert_eq!(reply.body, cast);
    let ranged = server.get_with(&recording, None, &[("Range", "bytes=10-19")]);
    ranged.expect(206);
    assert_eq!(ranged.body, &cast[10..20]);

    let transfer = signed_url(&server, &format!("/api/v2/session/{id}/transfer/1/url"));
    assert_eq!(
        sha256_hex(&server.anonymous_get(&transfer).body),
        sha256_hex(&file)
    );

    // One character changed in the token, or the path: refused.
    let (path, token) = recording.split_once("?token=").unwrap();
    let mut bad: Vec<char> = token.chars().collect();
    let at = bad.len() / 2;
    bad[at] = if bad[at] == 'Q' { 'R' } else { 'Q' };
    let bad: String = bad.into_iter().collect();
    server.anonymous_get(&format!("{path}?token={bad}")).expect(401);
    let other_path = path.replace(&format!("/session/{id}/"), &format!("/session/{other}/"));
    server
        .anonymous_get(&format!("{other_path}?token={token}"))
        .expect(401);
    server
        .anonymous_get(&format!("/api/v2/session?token={token}"))
        .expect(401);

    // A prepared download's URL.
    let movie = server.post_json(
        "/api/v2/session_movie",
        &server.admin_key,
        &json!({"session_id": id, "video_format": "text"}),
    );
    let movie_id = movie.json()["session_movie"]["id"].as_str().unwrap().to_string();
    let url = signed_url(&server, &format!("/api/v2/download/session_movie/{movie_id}/url"));
    let start = Instant::now();
    loop {
        let reply = server.anonymous_get(&url);
        if reply.status == 200 {
            assert!(reply.text().contains("line 499: ok"));
            break;
        }
        reply.expect(409);
        assert!(start.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(50));
    }
    server
        .get("/api/v2/download/session_movie/999/url", &server.admin_key)
        .expect(404);
}

#[test]
fn signed_urls_expire() {
    let server = Server::start_with(&[("SESSIONVAULT_SIGNED_URL_MINUTES", "0")]);
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &common::sample_cast(5)).expect(200);
    let url = signed_url(&server, &format!("/api/v2/session/{id}/recording/url"));
    std::thread::sleep(Duration::from_millis(1100));
    let reply = server.anonymous_get(&url);
    reply.expect(401);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[test]
fn tokens_never_reach_the_log() {
    let server = Server::start_with(&[("SESSIONVAULT_LOG", "info")]);
    let id = server.create_session("alice", "db-1", "ssh");
    server.put_recording(&id, &common::sample_cast(5)).expect(200);
    let url = signed_url(&server, &format!("/api/v2/session/{id}/recording/url"));
    server.anonymous_get(&url).expect(200);
    let token = url.split_once("?token=").unwrap().1;
    server
        .anonymous_get(&format!("/api/v2/session?access_token={}", server.admin_key))
        .expect(200);
    let log = server.log();
    assert!(
        log.contains("token=REDACTED"),
        "the access log should show the request"
    );
    assert!(!log.contains(token));
    assert!(!log.contains(&server.admin_key));
}
