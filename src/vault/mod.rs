//! The domain: what sessions, transfers, users and servers are, who may touch them, and
//! the rules of ingest. Plain blocking functions; the http layer calls them on blocking
//! threads and maps [`VaultError`] to its answers.

pub mod asciicast;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod check;
pub mod downloads;
pub mod import;
pub mod ingest;
pub mod listing;
pub mod model;
pub mod rights;
pub mod search;
pub mod servers;
pub mod sessions;
pub mod shares;
pub mod signed;
pub mod transfers;
pub mod trash;
pub mod users;

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::blobstore::{BlobError, BlobId, BlobStore};
use crate::config::Settings;
use crate::crypto::Keys;
use crate::db::downloads::DownloadRow;
use crate::db::{self, Db, DbError};
use crate::jobs;

pub use rights::{Caller, Right, Scope};

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// Bad input; `field` names the parameter or attribute at fault.
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    StorageFull(String),
    /// A prepared download asked for before its job finished (409 with the job).
    #[error("{} {} is not ready yet ({}% done)", .0.kind.as_str(), .0.id, .0.progress)]
    NotReady(Box<DownloadRow>),
    /// Something went wrong inside; the message is logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl VaultError {
    pub fn bad(field: impl Into<String>, message: impl Into<String>) -> VaultError {
        VaultError::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<DbError> for VaultError {
    fn from(e: DbError) -> Self {
        VaultError::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        VaultError::Internal(format!("database: {e}"))
    }
}

impl From<std::io::Error> for VaultError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull => VaultError::StorageFull("the data folder is full".into()),
            _ => VaultError::Internal(format!("i/o: {e}")),
        }
    }
}

impl From<BlobError> for VaultError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::Io(io) => io.into(),
            other => VaultError::Internal(other.to_string()),
        }
    }
}

/// Everything a request needs, cheap to clone.
#[derive(Clone)]
pub struct Vault {
    pub db: Db,
    pub blobs: BlobStore,
    pub keys: Arc<Keys>,
    pub settings: Arc<Settings>,
    pub paths: Arc<DataPaths>,
    pub node: Arc<Node>,
    /// Wakes the job workers.
    pub jobs: jobs::Signal,
    pub auth_cache: Arc<auth::AuthCache>,
}

/// This server as a job node: `encode_on` and `encode_on_name`.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub name: String,
}

/// The layout of the data folder.
#[derive(Debug, Clone)]
pub struct DataPaths {
    pub root: PathBuf,
    pub database: PathBuf,
    pub blobs: PathBuf,
    pub prepared: PathBuf,
    pub keys: PathBuf,
    pub tls: PathBuf,
    pub initial_admin: PathBuf,
    /// Held while originals are deleted for good, and by a backup while it copies.
    pub purge_lock: PathBuf,
}

impl DataPaths {
    pub fn new(root: &Path) -> DataPaths {
        DataPaths {
            root: root.to_path_buf(),
            database: root.join("sessionvault.db"),
            blobs: root.join("blobs"),
            prepared: root.join("prepared"),
            keys: root.join("keys"),
            tls: root.join("tls"),
            initial_admin: root.join("initial-admin.txt"),
            purge_lock: root.join("purge.lock"),
        }
    }
}

/// Creates `dir` (and parents) readable by the owner only.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

impl Vault {
    /// Opens the data folder, creating what is missing, and cleans up after any process
    /// that died mid-upload.
    pub fn open(settings: Settings) -> Result<Vault, VaultError> {
        let paths = DataPaths::new(&settings.data_dir);
        let io_context = |what: &str, path: &Path, e: std::io::Error| {
            VaultError::Internal(format!("cannot {what} {}: {e}", path.display()))
        };
        for dir in [
            &paths.root,
            &paths.keys,
            &paths.blobs,
            &paths.prepared,
            &paths.tls,
        ] {
            create_private_dir(dir).map_err(|e| io_context("create", dir, e))?;
        }
        let keys = Arc::new(
            Keys::load_or_create(&paths.keys).map_err(|e| io_context("load keys from", &paths.keys, e))?,
        );
        let db = Db::open(&paths.database).map_err(|e| VaultError::Internal(e.to_string()))?;
        let blobs = BlobStore::open(
            &paths.blobs,
            keys.clone(),
            settings.chunk_size,
            settings.compression,
            settings.compression_level,
        )
        .map_err(|e| io_context("open", &paths.blobs, e))?;
        let node = Arc::new(Node {
            id: node_id(&db)?,
            name: settings.node_display_name(),
        });
        let vault = Vault {
            db,
            blobs,
            keys,
            settings: Arc::new(settings),
            paths: Arc::new(paths),
            node,
            jobs: jobs::Signal::default(),
            auth_cache: Arc::default(),
        };
        vault.remove_abandoned_blobs()?;
        Ok(vault)
    }

    /// Removes blobs whose intent belongs to a process that is gone: uploads cut short
    /// by a crash, or deletions that did not get to remove the file.
    fn remove_abandoned_blobs(&self) -> Result<usize, VaultError> {
        let intents = self.db.read(|c| db::intents::all(c).map_err(VaultError::from))?;
        let mut removed = 0;
        for (blob, pid) in intents {
            if process_alive(pid) {
                continue;
            }
            if let Some(id) = BlobId::parse(&blob) {
                self.blobs.remove_unfinished_upload(&id)?;
                self.blobs.remove(&id)?;
            }
            self.db
                .write(|tx| db::intents::remove(tx, &blob).map_err(VaultError::from))?;
            removed += 1;
        }
        if removed > 0 {
            tracing::info!(removed, "removed blobs left behind by an interrupted process");
        }
        Ok(removed)
    }
}

/// The id of this installation as a job node, made once.
fn node_id(db: &Db) -> Result<String, VaultError> {
    db.write(|tx| {
        if let Some(id) = db::meta::get(tx, "node_id")? {
            return Ok(id);
        }
        let id = (u32::from_le_bytes(crate::crypto::random_bytes()) & 0x7fff_ffff).to_string();
        db::meta::set(tx, "node_id", &id)?;
        Ok(id)
    })
}

/// Whether process `pid` still runs. Our own pid counts as alive only through its live
/// uploads, which never reach the sweep (it runs before serving).
fn process_alive(pid: u32) -> bool {
    pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
}

/// Parses an id given as text, naming `field` if it is not a positive integer.
pub fn parse_id(field: &str, text: &str) -> Result<i64, VaultError> {
    match text.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(VaultError::bad(
            field,
            format!("`{text}` is not an id (a positive integer)"),
        )),
    }
}

#[cfg(test)]
pub(crate) fn test_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        data_dir: dir.path().join("data"),
        pbkdf2_iterations: 1000,
        chunk_size: 4096,
        ..Settings::default()
    };
    let vault = Vault::open(settings).expect("open vault");
    (dir, vault)
}
