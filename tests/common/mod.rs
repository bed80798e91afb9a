//! Test fixture: the real `sessionvault` binary serving a temporary data folder on a
//! free loopback port, and a small HTTP client for it.
#![allow(dead_code)]

pub mod shared;

/// One test per denial: `name: "METHOD" "path" by Who => status;`. The test file defines
/// `check(method, path, who, status)` and its `Who` enum.
#[allow(unused_macros)]
macro_rules! denials {
    ($($name:ident: $method:literal $path:literal by $who:ident => $status:literal;)*) => {$(
        #[test]
        fn $name() {
            check($method, $path, Who::$who, $status);
        }
    )*};
}

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_sessionvault");

/// A command of the binary on `data_dir`, with test-friendly settings.
pub fn command(data_dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env("SESSIONVAULT_PBKDF2_ITERATIONS", "1000")
        .env("SESSIONVAULT_LOG", "warn");
    cmd
}

pub struct Server {
    child: Option<Child>,
    pub dir: tempfile::TempDir,
    pub base: String,
    pub admin_key: String,
    extra_env: Vec<(String, String)>,
    tls: bool,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the status and, for errors, the SPEC's envelope.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Reply {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        if status >= 400 {
            let body = self.json();
            assert_eq!(body["result"], "error", "{body}");
            assert_eq!(body["error"]["code"], status, "{body}");
            assert!(
                body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{body}"
            );
        }
        self
    }
}

fn agent() -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder().disable_verification(true).build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

impl Server {
    /// Serves plain HTTP on a free port.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Serves with extra `SESSIONVAULT_*` settings.
    pub fn start_with(env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut server = Server {
            child: None,
            dir,
            base: String::new(),
            admin_key: String::new(),
            extra_env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            tls: env.iter().any(|(k, v)| *k == "SESSIONVAULT_TLS" && *v == "on"),
            agent: agent(),
        };
        server.launch();
        let admin =
            std::fs::read_to_string(server.data_dir().join("initial-admin.txt")).expect("initial-admin.txt");
        server.admin_key = admin
            .lines()
            .find_map(|l| l.strip_prefix("api_key: "))
            .expect("api_key line")
            .to_string();
        server
    }

    /// Serves the data folder already in `dir/data` (a backup, say) over plain HTTP;
    /// `admin_key` is a key that folder knows.
    pub fn start_existing(dir: tempfile::TempDir, admin_key: &str) -> Server {
        let mut server = Server {
            child: None,
            dir,
            base: String::new(),
            admin_key: admin_key.to_string(),
            extra_env: Vec::new(),
            tls: false,
            agent: agent(),
        };
        server.launch();
        server
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn launch(&mut self) {
        let mut cmd = command(&self.data_dir());
        cmd.arg("serve").arg("--listen").arg("127.0.0.1:0");
        if !self.tls {
            cmd.arg("--tls").arg("off");
        }
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("log file");
        shared::die_with_parent(&mut cmd);
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start sessionvault");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("sessionvault listening on ") {
                    let _ = tx.send(url.to_string());
                }
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
            panic!("server did not start; log:\n{log}")
        });
        self.base = url;
        self.child = Some(child);
    }

    /// Stops the server with SIGKILL: no chance to clean up.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the server with SIGTERM and returns its exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let pid = child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        child.wait().expect("wait")
    }

    pub fn restart(&mut self) {
        self.kill9();
        self.launch();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn finish(&self, result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = result.expect("request failed");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .read_to_end(&mut body)
            .expect("read body");
        Reply {
            status,
            body,
            headers,
        }
    }

    /// GET with an optional key and extra headers.
    pub fn get_with(&self, path: &str, key: Option<&str>, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(self.url(path));
        if let Some(key) = key {
            req = req.header("Authorization", key);
        }
        for (n, v) in headers {
            req = req.header(*n, *v);
        }
        self.finish(req.call())
    }

    /// The body of a GET, or the error that cut it short.
    pub fn try_get_body(&self, path: &str, key: &str) -> Result<Vec<u8>, String> {
        let mut response = self
            .agent
            .get(self.url(path))
            .header("Authorization", key)
            .call()
            .map_err(|e| e.to_string())?;
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .read_to_end(&mut body)
            .map_err(|e| e.to_string())?;
        Ok(body)
    }

    pub fn get(&self, path: &str, key: &str) -> Reply {
        self.get_with(path, Some(key), &[])
    }

    pub fn anonymous_get(&self, path: &str) -> Reply {
        self.get_with(path, None, &[])
    }

    /// Any method with a body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Reply {
        let mut req = ureq::http::Request::builder().method(method).uri(self.url(path));
        if let Some(key) = key {
            req = req.header("Authorization", key);
        }
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let request = req.body(body.to_vec()).expect("request");
        self.finish(self.agent.run(request))
    }

    pub fn post_json(&self, path: &str, key: &str, body: &Value) -> Reply {
        self.send(
            "POST",
            path,
            Some(key),
            Some("application/json"),
            body.to_string().as_bytes(),
        )
    }

    pub fn delete(&self, path: &str, key: &str) -> Reply {
        self.send("DELETE", path, Some(key), None, b"")
    }

    /// Creates a session as the admin and returns its id.
    pub fn create_session(&self, user: &str, server: &str, protocol: &str) -> String {
        let reply = self.post_json(
            "/api/v2/session",
            &self.admin_key,
            &serde_json::json!({
                "user": user, "server": server, "protocol": protocol,
                "started": "2025-03-10T10:00:00Z", "ended": "2025-03-10T10:05:00Z"
            }),
        );
        reply.expect(200);
        reply.json()["session"]["id"].as_str().expect("id").to_string()
    }

    pub fn put_recording(&self, session: &str, body: &[u8]) -> Reply {
        self.send(
            "PUT",
            &format!("/api/v2/session/{session}/recording"),
            Some(&self.admin_key),
            Some("application/octet-stream"),
            body,
        )
    }

    pub fn post_transfer(&self, session: &str, path: &str, body: &[u8]) -> Reply {
        self.send(
            "POST",
            &format!("/api/v2/session/{session}/transfer?path={path}&from_server=true&delta=1500"),
            Some(&self.admin_key),
            Some("application/octet-stream"),
            body,
        )
    }

    /// Adds a user with `role` through the CLI and returns a fresh API key for it.
    pub fn user_key(&self, name: &str, role: &str) -> String {
        let out = command(&self.data_dir())
            .args(["user", "add", name, "--role", role])
            .output()
            .expect("user add");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        self.new_key(name)
    }

    /// A new API key for an existing user.
    pub fn new_key(&self, name: &str) -> String {
        let out = command(&self.data_dir())
            .args(["apikey", "create", name])
            .output()
            .expect("apikey create");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8").trim().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A small but real terminal recording.
pub fn sample_cast(lines: usize) -> Vec<u8> {
    let mut cast =
        String::from("{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1741600800}\n");
    for i in 0..lines {
        cast.push_str(&format!(
            "[{}.{:03}, \"o\", \"line {i}: \\u001b[32mok\\u001b[0m\\r\\n\"]\n",
            i / 10,
            (i % 10) * 100
        ));
    }
    cast.into_bytes()
}

/// Deterministic bytes that do not compress much.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    use std::fmt::Write;
    let digest = ring_digest(data);
    let mut s = String::new();
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn ring_digest(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

/// Files under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}
