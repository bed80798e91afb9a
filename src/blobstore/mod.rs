//! The store of originals: chunked, compressed, encrypted files under `DATA/blobs/`.
//!
//! A blob is written to `blobs/tmp/<id>.part`, made durable, then renamed to
//! `blobs/<ab>/<cdef…>`; only then may the database point at it. The vault records an
//! intent for every blob before writing it, so that whatever a crash leaves behind is
//! found and removed at the next start.

mod format;
mod reader;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    level: i32,
}

const TMP_DIR: &str = "tmp";

impl BlobStore {
    pub fn open(root: &Path, keys: Arc<Keys>, chunk_size: u32, level: i32) -> std::io::Result<BlobStore> {
        std::fs::create_dir_all(root.join(TMP_DIR))?;
        Ok(BlobStore {
            inner: Arc::new(Inner {
                root: root.to_path_buf(),
                keys,
                chunk_size,
                level,
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
            level: self.inner.level,
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
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn store(dir: &Path, chunk: u32) -> BlobStore {
        BlobStore::open(dir, Arc::new(Keys::for_tests()), chunk, 1).unwrap()
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| ((i * 31) ^ (i >> 7)) as u8).collect()
    }

    fn put(store: &BlobStore, data: &[u8]) -> StoredBlob {
        let mut w = store.writer(store.new_id(), u64::MAX).unwrap();
        for piece in data.chunks(1000) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn round_trip_and_hash() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let data = sample(50_000);
        let blob = put(&s, &data);
        assert_eq!(blob.size, 50_000);
        assert_eq!(blob.sha256_hex(), crypto::sha256_hex(&data));
        let reader = Arc::new(s.open_blob(&blob.id).unwrap());
        reader.verify().unwrap();
        let mut back = Vec::new();
        reader.clone().range(0, u64::MAX).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        assert_eq!(s.list().unwrap(), vec![blob.id.clone()]);
    }

    #[test]
    fn reading_into_scratch_matches() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let data = sample(20_000);
        let blob = put(&s, &data);
        let reader = s.open_blob(&blob.id).unwrap();
        let mut scratch = Scratch::new().unwrap();
        let mut out = Vec::new();
        for i in 0..reader.chunk_count() {
            reader.read_chunk_into(i, &mut scratch, &mut out).unwrap();
            assert_eq!(out, reader.read_chunk(i).unwrap());
        }
    }

    #[test]
    fn level_zero_stores_chunks_raw() {
        let dir = tempfile::tempdir().unwrap();
        let s = BlobStore::open(dir.path(), Arc::new(Keys::for_tests()), 4096, 0).unwrap();
        let data = vec![b'a'; 20_000];
        let blob = put(&s, &data);
        let on_disk = std::fs::metadata(s.path_of(&blob.id)).unwrap().len();
        assert!(on_disk > 20_000, "{on_disk}");
        s.open_blob(&blob.id).unwrap().verify().unwrap();
    }

    #[test]
    fn empty_blob() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let blob = put(&s, &[]);
        let reader = s.open_blob(&blob.id).unwrap();
        assert_eq!(reader.size(), 0);
        reader.verify().unwrap();
    }

    #[test]
    fn range_opens_only_the_chunks_it_needs() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let data = sample(100 * 4096 + 17);
        let blob = put(&s, &data);
        let reader = Arc::new(s.open_blob(&blob.id).unwrap());
        // Bytes 5000..9000 lie in chunks 1 and 2 of 101.
        let mut range = reader.clone().range(5000, 9000);
        let mut got = Vec::new();
        loop {
            let piece = range.next_piece().unwrap();
            if piece.is_empty() {
                break;
            }
            got.extend_from_slice(&piece);
        }
        assert_eq!(got, &data[5000..9000]);
        assert_eq!(reader.chunks_opened(), 2);
        assert_eq!(reader.chunk_count(), 101);

        let mut tail = Vec::new();
        reader
            .clone()
            .range(data.len() as u64 - 10, u64::MAX)
            .read_to_end(&mut tail)
            .unwrap();
        assert_eq!(tail, &data[data.len() - 10..]);
        assert_eq!(reader.chunks_opened(), 3);
    }

    #[test]
    fn flipped_byte_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let data = sample(20_000);
        let blob = put(&s, &data);
        let path = s.path_of(&blob.id);
        let mut bytes = std::fs::read(&path).unwrap();
        // Inside chunk 1's stored bytes, well past the header.
        let at = format::HEADER_LEN as usize + 5000;
        bytes[at] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
        let reader = s.open_blob(&blob.id).unwrap();
        let err = reader.verify().unwrap_err();
        assert!(matches!(err, BlobError::Corrupt(_)), "{err}");
        // The chunks before the damage still read.
        assert_eq!(reader.read_chunk(0).unwrap(), &data[..4096]);
    }

    #[test]
    fn altered_index_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let blob = put(&s, &sample(10_000));
        let path = s.path_of(&blob.id);
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - format::FOOTER_LEN as usize - 3] ^= 0x80;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(s.open_blob(&blob.id), Err(BlobError::Corrupt(_))));
    }

    #[test]
    fn dropped_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let mut w = s.writer(s.new_id(), u64::MAX).unwrap();
        w.write_all(&sample(30_000)).unwrap();
        drop(w);
        assert!(s.list().unwrap().is_empty());
        assert_eq!(std::fs::read_dir(dir.path().join(TMP_DIR)).unwrap().count(), 0);
    }

    #[test]
    fn limit_is_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let mut w = s.writer(s.new_id(), 10_000).unwrap();
        w.write_all(&sample(9_000)).unwrap();
        let err = w.write_all(&sample(2_000)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn incompressible_chunks_are_stored_raw() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path(), 4096);
        let noise: Vec<u8> = (0..3).flat_map(|_| crypto::random_bytes::<4096>()).collect();
        let blob = put(&s, &noise);
        let reader = s.open_blob(&blob.id).unwrap();
        reader.verify().unwrap();
        assert_eq!(reader.read_chunk(2).unwrap(), &noise[8192..]);
    }
}
