//! A real browser (headless Chromium) opens a share link and plays the recording.

use super::*;

// ----------------------------------------------------------- a real browser ----

const CHROMIUM: &str = "/usr/bin/chromium";

/// A recording that exercises the player's terminal: text, a backspace fix, an erased
/// line, colours, a cleared screen, and timing (events up to 2.4 s in).
fn browser_cast() -> Vec<u8> {
    let before_the_clear = "before-the-clear, a line longer than any that comes after it\r\n".repeat(8);
    let events = [
        (0.1, before_the_clear.as_str()),
        (0.3, "\u{1b}[2J\u{1b}[H"),
        (0.5, "hello from the share test\r\n"),
        (0.8, "abc\u{8}\u{8}XY\r\n"),
        (1.2, "secret-typo\r\u{1b}[Kcorrected\r\n"),
        (1.6, "\u{1b}[32mgreen-text\u{1b}[0m plain-after\r\n"),
        (2.4, "the end\r\n"),
    ];
    let mut cast = String::from("{\"version\": 2, \"width\": 80, \"height\": 24}\n");
    for (time, data) in events {
        cast.push_str(&format!(
            "[{time}, \"o\", {}]\n",
            serde_json::to_string(data).unwrap()
        ));
    }
    cast.into_bytes()
}

/// Runs headless Chromium on `url` and returns the DOM after the page ran for
/// `budget_ms` of virtual time (timers run on it, so timing is exact and the test does
/// not wait in real time). It may connect to loopback only: every other host name
/// resolves to nothing.
fn chromium_dom(url: &str, budget_ms: u32) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--no-proxy-server",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--dump-dom",
    ])
    .arg(format!("--virtual-time-budget={budget_ms}"))
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(url)
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::null());
    die_with_parent(&mut cmd);
    let mut child = cmd.spawn().expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut dom = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut dom).map(|_| dom)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap().expect("chromium output")
}

/// The text of an HTML fragment: tags dropped, the few entities a `<pre>` needs decoded.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn have_chromium() -> bool {
    let present = std::path::Path::new(CHROMIUM).exists();
    // CI installs Chromium; there a missing browser is a broken set-up, not a skip.
    assert!(
        present || std::env::var_os("CI").is_none(),
        "{CHROMIUM} is missing under CI: .ci/run must install it"
    );
    if !present {
        eprintln!("SKIPPED: {CHROMIUM} is not installed (apt-get install chromium)");
    }
    present
}

#[test]
fn chromium_plays_a_shared_recording() {
    if !have_chromium() {
        return;
    }
    let f = fixture();
    let session = f.server.create_session("alice", "db-1", "ssh");
    f.server.put_recording(&session, &browser_cast()).expect(200);
    let link = share(&f.server, &session, window(-60, 3600))["link"]
        .as_str()
        .unwrap()
        .to_string();
    let dom = chromium_dom(&f.server.url(&link), 10_000);
    let start = dom
        .find("<pre class=\"terminal\"")
        .unwrap_or_else(|| panic!("no terminal: {dom}"));
    let end = start + dom[start..].find("</pre>").expect("terminal closes");
    let terminal = &dom[start..end];
    let screen: Vec<String> = text_of(terminal)
        .lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        screen,
        [
            "hello from the share test",
            "aXY",
            "corrected",
            "green-text plain-after",
            "the end"
        ],
        "the screen after the clear, with the backspaces and the erased line applied: {terminal}"
    );
    assert!(
        terminal.contains("<span class=\"fg-2\">green-text</span>"),
        "{terminal}"
    );
    assert!(
        dom.contains(">Replay</button>"),
        "the recording played to its end: {dom}"
    );
    assert!(dom.contains("0:02 / 0:02"), "clock at the end: {dom}");

    let uses = audit_entries(&f.server, &format!("session_id={session}&action=share_use"));
    let browser = uses
        .iter()
        .filter(|e| e["outcome"] == "allowed" && e["user_agent"].as_str().unwrap_or("").contains("Chrome"));
    let resources: Vec<&Value> = browser.map(|e| &e["resource"]).collect();
    assert!(
        resources.contains(&&json!("page")) && resources.contains(&&json!("recording")),
        "{uses:#?}"
    );
}

/// Shares a recording with output at 0.5 s, 3 s and 20 s; its link.
fn timed_link(f: &Fixture) -> String {
    let session = f.server.create_session("alice", "db-1", "ssh");
    let cast = "{\"version\": 2, \"width\": 80, \"height\": 24}\n\
                [0.5, \"o\", \"at-half-a-second\\r\\n\"]\n\
                [3.0, \"o\", \"at-three-seconds\\r\\n\"]\n\
                [20.0, \"o\", \"at-twenty-seconds\\r\\n\"]\n";
    f.server.put_recording(&session, cast.as_bytes()).expect(200);
    let link = share(&f.server, &session, window(-60, 3600))["link"].clone();
    f.server.url(link.as_str().unwrap())
}

// Each of these gives the page 1.5 s of (virtual) time, of which loading takes less
// than 0.5 s, so playback has run for between 1 and 1.5 s.

#[test]
fn chromium_replays_with_the_recordings_timing() {
    if !have_chromium() {
        return;
    }
    let dom = chromium_dom(&timed_link(fixture()), 1500);
    assert!(dom.contains("at-half-a-second"), "{dom}");
    assert!(
        !dom.contains("at-three-seconds"),
        "played ahead of its timing: {dom}"
    );
    assert!(dom.contains(">Pause</button>"), "still playing: {dom}");
    assert!(dom.contains(">0:01 / 0:20</span>"), "{dom}");
}

#[test]
fn chromium_plays_faster_at_4x() {
    if !have_chromium() {
        return;
    }
    let dom = chromium_dom(&format!("{}#speed=4", timed_link(fixture())), 1500);
    assert!(dom.contains("at-three-seconds"), "4 to 6 s in: {dom}");
    assert!(!dom.contains("at-twenty-seconds"), "{dom}");
    assert!(
        dom.contains("<button type=\"button\" data-speed=\"4\" class=\"active\">"),
        "{dom}"
    );
}

#[test]
fn chromium_seeks_to_a_start_time() {
    if !have_chromium() {
        return;
    }
    let dom = chromium_dom(&format!("{}#t=10", timed_link(fixture())), 1500);
    assert!(
        dom.contains("at-half-a-second") && dom.contains("at-three-seconds"),
        "{dom}"
    );
    assert!(!dom.contains("at-twenty-seconds"), "{dom}");
    assert!(dom.contains(">0:11 / 0:20</span>"), "11 to 11.5 s in: {dom}");
}
