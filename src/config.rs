//! Settings: built-in defaults, then a TOML file, then `SESSIONVAULT_*` environment
//! variables, then command-line flags — each layer overrides the one before.
//!
//! Every setting is parsed from text with `FromStr`, whatever layer it comes from, so a
//! value means the same thing in the file, in the environment and on the command line.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use crate::blobstore::Compression;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is not valid TOML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("unknown setting `{0}`")]
    Unknown(String),
    #[error("setting `{key}` = `{value}`: {message}")]
    Value {
        key: String,
        value: String,
        message: String,
    },
}

/// `on` serves HTTPS (self-signed certificate unless `tls_cert`/`tls_key` are given),
/// `off` serves plain HTTP (for a reverse proxy or tests on loopback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    On,
    Off,
}

impl FromStr for TlsMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "on" | "true" => Ok(TlsMode::On),
            "off" | "false" => Ok(TlsMode::Off),
            _ => Err("expected `on` or `off`".into()),
        }
    }
}

/// Declares the settings once: the struct, its defaults, and the by-name setter that
/// every layer goes through.
macro_rules! settings {
    ($( $(#[doc = $doc:literal])* $name:ident : $ty:ty = $default:expr ),* $(,)?) => {
        #[derive(Debug, Clone)]
        pub struct Settings {
            $( $(#[doc = $doc])* pub $name: $ty, )*
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings { $( $name: $default, )* }
            }
        }

        impl Settings {
            /// Names of every setting, for documentation and error messages.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// Sets one setting from its text form.
            pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
                match key {
                    $( stringify!($name) => {
                        self.$name = parse_value(key, value)?;
                        Ok(())
                    } )*
                    _ => Err(ConfigError::Unknown(key.to_string())),
                }
            }
        }
    };
}

fn parse_value<T: FromOptional>(key: &str, value: &str) -> Result<T, ConfigError> {
    T::from_text(value).map_err(|message| ConfigError::Value {
        key: key.to_string(),
        value: value.to_string(),
        message,
    })
}

/// `FromStr` with one twist: `Option<T>` reads an empty string as `None`.
trait FromOptional: Sized {
    fn from_text(s: &str) -> Result<Self, String>;
}

macro_rules! from_str_setting {
    ($($ty:ty),*) => {$(
        impl FromOptional for $ty {
            fn from_text(s: &str) -> Result<Self, String> {
                <$ty as FromStr>::from_str(s.trim()).map_err(|e| e.to_string())
            }
        }
    )*};
}
from_str_setting!(u32, u64, i32, usize, bool, String, PathBuf, TlsMode, Compression);

impl<T: FromOptional> FromOptional for Option<T> {
    fn from_text(s: &str) -> Result<Self, String> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            T::from_text(s).map(Some)
        }
    }
}

settings! {
    /// Folder holding the database, blobs, prepared outputs, keys and TLS material.
    data_dir: PathBuf = PathBuf::from("./sessionvault-data"),
    /// Address to listen on; port 0 picks a free port (printed at start).
    listen: String = "127.0.0.1:8443".to_string(),
    /// `on` (HTTPS) or `off` (plain HTTP).
    tls: TlsMode = TlsMode::On,
    /// PEM certificate chain; with `tls_key`, replaces the self-signed certificate.
    tls_cert: Option<PathBuf> = None,
    /// PEM private key for `tls_cert`.
    tls_key: Option<PathBuf> = None,
    /// PBKDF2-HMAC-SHA256 iterations for new password hashes.
    pbkdf2_iterations: u32 = 600_000,
    /// Transfers and recordings smaller than this many bytes download at once; larger
    /// ones are prepared by a job.
    direct_download_limit: u64 = 50 * 1024 * 1024,
    /// Largest accepted upload (recording or transfer), in bytes.
    max_upload_size: u64 = 1 << 40,
    /// Job worker threads; 0 means one per CPU core.
    workers: usize = 0,
    /// Name of this node, shown as `encode_on_name`; empty means the host name.
    node_name: String = String::new(),
    /// Longest allowed share window, in days.
    max_share_days: u32 = 30,
    /// Lifetime of signed download URLs, in minutes.
    signed_url_minutes: u32 = 30,
    /// Days a trashed session stays before it is purged for good.
    trash_retention_days: u32 = 30,
    /// Seconds between two looks for trashed sessions due to be purged.
    trash_purge_interval: u64 = 3600,
    /// How new originals are compressed: `lz4` (fast to read back), `zstd` (smaller),
    /// or `none` (the fastest reads, the most disk).
    compression: Compression = Compression::Lz4,
    /// zstd level, when `compression` is `zstd` (1 favours ingest speed).
    compression_level: i32 = 1,
    /// Plaintext bytes per stored chunk: the unit of random access.
    chunk_size: u32 = 1024 * 1024,
    /// Failed logins in a row before an account is locked for a while.
    login_max_failures: u32 = 5,
    /// Worker threads of the HTTP server; 0 means one per CPU core.
    http_workers: usize = 0,
    /// Threads per HTTP worker for its database work. One keeps two cores from
    /// thrashing under load; more help when single queries are slow (huge `count=true`).
    blocking_threads: usize = 1,
}

pub const ENV_PREFIX: &str = "SESSIONVAULT_";

impl Settings {
    /// Builds the settings from every layer. `flags` are `(name, value)` pairs from the
    /// command line, applied last.
    pub fn load(config_file: Option<&Path>, flags: &[(&str, String)]) -> Result<Self, ConfigError> {
        let mut settings = Settings::default();
        if let Some(path) = config_file {
            settings.apply_toml_file(path)?;
        }
        settings.apply_env(std::env::vars())?;
        for (key, value) in flags {
            settings.set(key, value)?;
        }
        settings.validate()?;
        Ok(settings)
    }

    pub fn apply_toml_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        self.apply_toml(&text).map_err(|e| match e {
            ConfigError::Syntax { message, .. } => ConfigError::Syntax {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    pub fn apply_toml(&mut self, text: &str) -> Result<(), ConfigError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError::Syntax {
            path: PathBuf::new(),
            message: e.message().to_string(),
        })?;
        for (key, value) in table {
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Float(f) => f.to_string(),
                other => {
                    return Err(ConfigError::Value {
                        key,
                        value: other.to_string(),
                        message: "expected a string, number or boolean".into(),
                    });
                }
            };
            self.set(&key, &text)?;
        }
        Ok(())
    }

    /// Applies `SESSIONVAULT_<NAME>` variables; variables naming no setting are ignored,
    /// so that the environment can carry other things for the same prefix.
    pub fn apply_env(&mut self, vars: impl Iterator<Item = (String, String)>) -> Result<(), ConfigError> {
        for (name, value) in vars {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            if Self::NAMES.contains(&key.as_str()) {
                self.set(&key, &value)?;
            }
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, value: &dyn Display, message: &str| ConfigError::Value {
            key: key.into(),
            value: value.to_string(),
            message: message.into(),
        };
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Err(invalid("tls_cert", &"", "tls_cert and tls_key go together"));
        }
        if !(4096..=64 * 1024 * 1024).contains(&self.chunk_size) {
            return Err(invalid(
                "chunk_size",
                &self.chunk_size,
                "must be between 4096 and 67108864",
            ));
        }
        if !(-7..=22).contains(&self.compression_level) {
            return Err(invalid(
                "compression_level",
                &self.compression_level,
                "must be between -7 and 22",
            ));
        }
        if self.pbkdf2_iterations == 0 {
            return Err(invalid("pbkdf2_iterations", &0, "must be at least 1"));
        }
        if self.max_share_days == 0 {
            return Err(invalid("max_share_days", &0, "must be at least 1"));
        }
        Ok(())
    }

    pub fn worker_count(&self) -> usize {
        if self.workers == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.workers
        }
    }

    pub fn node_display_name(&self) -> String {
        if self.node_name.is_empty() {
            gethostname::gethostname().to_string_lossy().into_owned()
        } else {
            self.node_name.clone()
        }
    }
}

#[cfg(test)]
mod tests;
