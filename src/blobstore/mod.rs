//! The store of originals: chunked, compressed, encrypted files under `DATA/blobs/`.
//!
//! A blob is written to `blobs/tmp/<id>.part`, made durable, then renamed to
//! `blobs/<ab>/<cdef…>`; only then may the database point at it. The vault records an
//! intent for every blob before writing it, so that whatever a crash leaves behind is
//! found and removed at the next start.

mod codec;
mod format;
mod reader;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use codec::Compression;
pub use reader::{BlobReader, RangeReader, Scratch};
pub use writer::{BlobWriter, TooLarge};

use crate::crypto::{self, Keys};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob {0} is missing")]
    Missing(BlobId),
    #[error("{0}")]
    Corrupt(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The name of a stored blob: 32 lowercase hex digits, random.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobId(String);

impl BlobId {
    fn new_random() -> BlobId {
        BlobId(crypto::hex(&crypto::random_bytes::<16>()))
    }

    /// Accepts only well-formed ids, so that an id read back can never name a path
    /// outside the store.
    pub fn parse(s: &str) -> Option<BlobId> {
        (s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| BlobId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A blob safely in place.
#[derive(Debug, Clone)]
pub struct StoredBlob {
    pub id: BlobId,
    pub size: u64,
    pub sha256: [u8; 32],
}

impl StoredBlob {
    pub fn sha256_hex(&self) -> String {
        crypto::hex(&self.sha256)
    }
}

#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<Inner>,
}

struct Inner {
    root: PathBuf,
    keys: Arc<Keys>,
    chunk_size: u32,
    compression: Compression,
    zstd_level: i32,
}

const TMP_DIR: &str = "tmp";

impl BlobStore {
    /// The store under `root`. New blobs are cut into chunks of `chunk_size` bytes,
    /// compressed as `compression` says (`zstd_level` for zstd).
    pub fn open(
        root: &Path,
        keys: Arc<Keys>,
        chunk_size: u32,
        compression: Compression,
        zstd_level: i32,
    ) -> std::io::Result<BlobStore> {
        std::fs::create_dir_all(root.join(TMP_DIR))?;
        Ok(BlobStore {
            inner: Arc::new(Inner {
                root: root.to_path_buf(),
                keys,
                chunk_size,
                compression,
                zstd_level,
            }),
        })
    }

    fn path_of(&self, id: &BlobId) -> PathBuf {
        let (fan, rest) = id.0.split_at(2);
        self.inner.root.join(fan).join(rest)
    }

    /// A fresh random blob id, to be recorded as an intent before [`BlobStore::writer`].
    pub fn new_id(&self) -> BlobId {
        BlobId::new_random()
    }

    /// Starts writing blob `id`, refusing to grow beyond `limit` bytes.
    pub fn writer(&self, id: BlobId, limit: u64) -> std::io::Result<BlobWriter> {
        let salt: [u8; 16] = crypto::random_bytes();
        let key = self.inner.keys.blob_key(&salt);
        let tmp = self.tmp_path_of(&id);
        let final_path = self.path_of(&id);
        let sealing = writer::Sealing {
            key,
            salt,
            chunk_size: self.inner.chunk_size,
            compression: self.inner.compression,
            zstd_level: self.inner.zstd_level,
        };
        BlobWriter::create(id, tmp, final_path, sealing, limit)
    }

    pub fn open_blob(&self, id: &BlobId) -> Result<BlobReader, BlobError> {
        let file = match std::fs::File::open(self.path_of(id)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(BlobError::Missing(id.clone())),
            Err(e) => return Err(e.into()),
        };
        let keys = self.inner.keys.clone();
        BlobReader::open(id.clone(), file, |salt| keys.blob_key(salt))
    }

    pub fn exists(&self, id: &BlobId) -> bool {
        self.path_of(id).exists()
    }

    pub fn remove(&self, id: &BlobId) -> std::io::Result<()> {
        match std::fs::remove_file(self.path_of(id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes the temporary file of an upload that never finished.
    pub fn remove_unfinished_upload(&self, id: &BlobId) -> std::io::Result<()> {
        match std::fs::remove_file(self.tmp_path_of(id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn tmp_path_of(&self, id: &BlobId) -> PathBuf {
        self.inner.root.join(TMP_DIR).join(format!("{id}.part"))
    }

    /// Every blob id on disk, for the orphan sweep and `check`.
    /// Copies the stored blob `id`, as it is on disk (still compressed and sealed), into
    /// the blob folder `dest_root` of another data folder: under a temporary name,
    /// fsynced, then renamed into place. Returns the bytes copied.
    pub fn copy_to(&self, id: &BlobId, dest_root: &Path) -> std::io::Result<u64> {
        let (fan, rest) = id.0.split_at(2);
        let fan_dir = dest_root.join(fan);
        let tmp_dir = dest_root.join(TMP_DIR);
        std::fs::create_dir_all(&fan_dir)?;
        std::fs::create_dir_all(&tmp_dir)?;
        let tmp = tmp_dir.join(id.as_str());
        let mut source = std::fs::File::open(self.path_of(id))?;
        let mut copy = std::fs::File::create(&tmp)?;
        let bytes = std::io::copy(&mut source, &mut copy)?;
        copy.sync_all()?;
        std::fs::rename(&tmp, fan_dir.join(rest))?;
        sync_dir(&fan_dir)?;
        Ok(bytes)
    }

    pub fn list(&self) -> std::io::Result<Vec<BlobId>> {
        let mut ids = Vec::new();
        for fan in std::fs::read_dir(&self.inner.root)? {
            let fan = fan?;
            let fan_name = fan.file_name().to_string_lossy().into_owned();
            if fan_name == TMP_DIR || !fan.file_type()?.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(fan.path())? {
                let name = format!("{fan_name}{}", entry?.file_name().to_string_lossy());
                if let Some(id) = BlobId::parse(&name) {
                    ids.push(id);
                }
            }
        }
        Ok(ids)
    }
}

pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests;
