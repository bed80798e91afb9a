//! The link page and its recording, inside and outside the window (acceptance 2).

use super::*;

// --------------------------------------------- 2. the link, inside and outside ----

#[test]
fn a_link_works_without_credentials_inside_its_window() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let key = share(&f.server, &session, window(-60, 3600))["key"]
        .as_str()
        .unwrap()
        .to_string();
    let page = expect_page(
        &visit(&f.server, &format!("/sessions/{session}/?key={key}"), "t"),
        200,
    );
    for fact in [
        "alice",
        "db-1",
        "ssh",
        "2025-03-10 10:00:00 UTC",
        "5m 00s",
        "read-only",
    ] {
        assert!(page.contains(fact), "{fact} missing: {page}");
    }
    let without_slash = visit(&f.server, &format!("/sessions/{session}?key={key}"), "t");
    assert_eq!(expect_page(&without_slash, 200), page);
    let recording_url = format!("/sessions/{session}/recording?key={key}");
    assert!(page.contains(&format!("data-src=\"{recording_url}\"")), "{page}");
    assert!(page.contains("/static/player.js"));

    let recording = visit(&f.server, &recording_url, "t");
    assert_eq!(recording.status, 200);
    assert_eq!(recording.body, sample_cast(10));
    expect_security_headers(&recording);
    let range = f.server.get_with(&recording_url, None, &[("Range", "bytes=0-9")]);
    assert_eq!(range.status, 206);
    assert_eq!(range.body, &sample_cast(10)[..10]);

    let script = f.server.anonymous_get("/static/player.js");
    assert_eq!(script.status, 200);
    assert!(script.text().contains("asciicast"));
}

#[test]
fn a_link_before_its_window_says_when_it_opens() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let created = share(&f.server, &session, window(3600, 7200));
    let link = created["link"].as_str().unwrap();
    let page = expect_page(&visit(&f.server, link, "t"), 403);
    assert!(page.contains("not yet valid"), "{page}");
    let opens = &created["valid_since"].as_str().unwrap()[..19];
    assert!(page.contains(&format!("{opens} UTC")), "{opens}: {page}");
    let recording = visit(&f.server, &link.replace("/?key=", "/recording?key="), "t");
    assert_eq!(recording.status, 403);
    assert!(recording.text().contains("not yet valid"));
}

#[test]
fn a_link_after_its_window_has_expired() {
    let f = fixture();
    let session = recorded_session(&f.server);
    let link = share(&f.server, &session, window(-7200, -3600))["link"]
        .as_str()
        .unwrap()
        .to_string();
    let page = expect_page(&visit(&f.server, &link, "t"), 403);
    assert!(page.contains("expired"), "{page}");
    let seed = post_raw(&f.server, &session, SEED_BODY).json();
    let page = expect_page(
        &visit(&f.server, seed["session_share"]["link"].as_str().unwrap(), "t"),
        403,
    );
    assert!(
        page.contains("expired") && page.contains("2025-05-15 21:07:00 UTC"),
        "{page}"
    );
}

#[test]
fn a_link_without_its_key_asks_for_it() {
    let f = fixture();
    for path in [
        format!("/sessions/{}/", f.session),
        format!("/sessions/{}/?key=", f.session),
        format!("/sessions/{}/recording", f.session),
    ] {
        let page = expect_page(&f.server.anonymous_get(&path), 403);
        assert!(page.contains("needs its key"), "{path}: {page}");
    }
}

#[test]
fn another_sessions_key_looks_exactly_like_a_random_key() {
    let f = fixture();
    let a = recorded_session(&f.server);
    let b = recorded_session(&f.server);
    let key_of_a = share(&f.server, &a, window(-60, 3600))["key"]
        .as_str()
        .unwrap()
        .to_string();
    let random = "Zz9".repeat(21) + "Q";
    let answers: Vec<Reply> = [
        format!("/sessions/{b}/?key={key_of_a}"),
        format!("/sessions/{b}/?key={random}"),
        format!("/sessions/{b}/?key=short"),
        format!("/sessions/987654321/?key={key_of_a}"),
        format!("/sessions/not-a-number/?key={random}"),
    ]
    .iter()
    .map(|path| f.server.anonymous_get(path))
    .collect();
    let first = &answers[0];
    let page = expect_page(first, 403);
    assert!(page.contains("not valid"), "{page}");
    let headers = |r: &Reply| {
        let mut h: Vec<(String, String)> = r.headers.iter().filter(|(n, _)| n != "date").cloned().collect();
        h.sort();
        h
    };
    for answer in &answers[1..] {
        assert_eq!(answer.status, first.status);
        assert_eq!(answer.body, first.body);
        assert_eq!(headers(answer), headers(first));
    }
    let recording_a = f
        .server
        .anonymous_get(&format!("/sessions/{b}/recording?key={key_of_a}"));
    let recording_random = f
        .server
        .anonymous_get(&format!("/sessions/{b}/recording?key={random}"));
    assert_eq!(recording_a.status, 403);
    assert_eq!(recording_a.body, recording_random.body);
    assert_eq!(recording_a.body, first.body);
}

#[test]
fn a_graphical_recording_plays_in_a_video_element() {
    let f = fixture();
    let session = f.server.create_session("bob", "win-1", "rdp");
    let mut webm = vec![0x1a, 0x45, 0xdf, 0xa3];
    webm.extend(common::noise(5000, 7));
    f.server.put_recording(&session, &webm).expect(200);
    let key = share(&f.server, &session, window(-60, 3600))["key"]
        .as_str()
        .unwrap()
        .to_string();
    let page = expect_page(
        &f.server.anonymous_get(&format!("/sessions/{session}/?key={key}")),
        200,
    );
    let src = format!("/sessions/{session}/recording?key={key}");
    assert!(
        page.contains(&format!("<video controls preload=\"metadata\" src=\"{src}\"")),
        "{page}"
    );
    assert!(!page.contains("player.js"), "no terminal player for a video");
    let video = f.server.anonymous_get(&src);
    assert_eq!(video.status, 200);
    assert_eq!(video.header("content-type"), Some("video/webm"));
    assert_eq!(video.body, webm);
}

#[test]
fn a_session_without_recording_shows_its_facts_and_says_so() {
    let f = fixture();
    let session = f.server.create_session("alice", "db-2", "ssh");
    let key = share(&f.server, &session, window(-60, 3600))["key"]
        .as_str()
        .unwrap()
        .to_string();
    let page = expect_page(
        &f.server.anonymous_get(&format!("/sessions/{session}/?key={key}")),
        200,
    );
    assert!(page.contains("db-2") && page.contains("no recording"), "{page}");
    let recording = f
        .server
        .anonymous_get(&format!("/sessions/{session}/recording?key={key}"));
    assert_eq!(recording.status, 404);
    expect_security_headers(&recording);
}

#[test]
fn a_live_session_shows_what_is_recorded_so_far() {
    let f = fixture();
    let reply = f.server.post_json(
        "/api/v2/session",
        &f.server.admin_key,
        &json!({"user": "alice", "server": "db-1", "protocol": "ssh", "started": iso(-120)}),
    );
    reply.expect(200);
    let session = reply.json()["session"]["id"].as_str().unwrap().to_string();
    f.server.put_recording(&session, &sample_cast(3)).expect(200);
    let readonly = share(&f.server, &session, window(-60, 3600));
    let page = expect_page(&visit(&f.server, readonly["link"].as_str().unwrap(), "t"), 200);
    assert!(
        page.contains("still going on") && page.contains("recorded so far"),
        "{page}"
    );
    assert!(!page.contains("cannot join"), "{page}");
    let taking_part = create_share(
        &f.server,
        &f.server.admin_key,
        &session,
        &window(-60, 3600),
        false,
    );
    let link = taking_part.json()["session_share"]["link"]
        .as_str()
        .unwrap()
        .to_string();
    let page = expect_page(&visit(&f.server, &link, "t"), 200);
    assert!(page.contains("cannot join"), "{page}");
}
