//! Writing a blob: bytes in, SHA-256 on the way, chunks compressed and sealed on a
//! second thread, the file made durable and renamed into place only by `finish`.
//! Dropping an unfinished writer removes its temporary file.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use ring::aead::LessSafeKey;
use ring::digest;

use super::codec::{Codec, Compression, Compressor};
use super::format;
use super::{BlobId, StoredBlob, sync_dir};

/// Chunks waiting for the sealing thread; bounds the memory of one upload to a few chunks.
const PIPELINE_DEPTH: usize = 3;

pub struct BlobWriter {
    id: BlobId,
    tmp_path: PathBuf,
    final_path: PathBuf,
    chunk_size: usize,
    buffer: Vec<u8>,
    sha256: digest::Context,
    total: u64,
    sealer: Option<Sealer>,
    limit: u64,
}

struct Sealer {
    chunks: SyncSender<Vec<u8>>,
    thread: JoinHandle<io::Result<SealedFile>>,
}

struct SealedFile {
    file: File,
    offset: u64,
    entries: Vec<(u32, bool)>,
    key: LessSafeKey,
}

/// How a new blob's chunks are sealed.
pub(super) struct Sealing {
    pub key: LessSafeKey,
    pub salt: [u8; format::SALT_LEN],
    pub chunk_size: u32,
    pub compression: Compression,
    pub zstd_level: i32,
}

/// The upload went over the size limit.
#[derive(Debug)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("upload exceeds the size limit")
    }
}
impl std::error::Error for TooLarge {}

impl BlobWriter {
    pub(super) fn create(
        id: BlobId,
        tmp_path: PathBuf,
        final_path: PathBuf,
        sealing: Sealing,
        limit: u64,
    ) -> io::Result<BlobWriter> {
        let Sealing {
            key,
            salt,
            chunk_size,
            compression,
            zstd_level,
        } = sealing;
        let compressor = Compressor::new(compression, zstd_level)?;
        // Uncompressed blobs name zstd: no chunk of theirs is decompressed anyway.
        let codec = compressor.as_ref().map_or(Codec::Zstd, Compressor::codec);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp_path)?;
        file.write_all(&format::header(&salt, chunk_size, codec))?;
        let (chunks, received) = sync_channel(PIPELINE_DEPTH);
        let sealed = SealedFile {
            file,
            offset: format::HEADER_LEN,
            entries: Vec::new(),
            key,
        };
        let thread = std::thread::Builder::new()
            .name("blob-sealer".into())
            .spawn(move || seal_all(sealed, received, compressor))?;
        Ok(BlobWriter {
            id,
            tmp_path,
            final_path,
            chunk_size: chunk_size as usize,
            buffer: Vec::with_capacity(chunk_size as usize),
            sha256: digest::Context::new(&digest::SHA256),
            total: 0,
            sealer: Some(Sealer { chunks, thread }),
            limit,
        })
    }

    pub fn id(&self) -> &BlobId {
        &self.id
    }

    /// Bytes accepted so far.
    pub fn len(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn ship_chunk(&mut self) -> io::Result<()> {
        let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(self.chunk_size));
        self.sha256.update(&full);
        let sealer = self
            .sealer
            .as_ref()
            .ok_or_else(|| io::Error::other("writer closed"))?;
        if sealer.chunks.send(full).is_err() {
            // The sealing thread stopped early: its error is the real one.
            return Err(self
                .join_sealer()
                .err()
                .unwrap_or_else(|| io::Error::other("sealer stopped")));
        }
        Ok(())
    }

    fn join_sealer(&mut self) -> io::Result<SealedFile> {
        let sealer = self
            .sealer
            .take()
            .ok_or_else(|| io::Error::other("writer closed"))?;
        drop(sealer.chunks);
        sealer
            .thread
            .join()
            .map_err(|_| io::Error::other("the sealing thread panicked"))?
    }

    /// Seals the last chunk, writes the index, makes the file durable and moves it into
    /// place. Only after this returns may a database row point at the blob.
    pub fn finish(mut self) -> io::Result<StoredBlob> {
        if !self.buffer.is_empty() {
            self.ship_chunk()?;
        }
        let sha256: [u8; 32] = std::mem::replace(&mut self.sha256, digest::Context::new(&digest::SHA256))
            .finish()
            .as_ref()
            .try_into()
            .expect("SHA-256 is 32 bytes"); // ok: fixed length
        let SealedFile {
            mut file,
            offset,
            entries,
            key,
        } = self.join_sealer()?;
        let index = format::seal_index(&key, self.chunk_size as u32, self.total, &sha256, &entries)?;
        file.write_all(&index)?;
        file.write_all(&format::footer(offset, index.len() as u32))?;
        file.sync_all()?;
        drop(file);
        let dir = self.final_path.parent().expect("blob paths have a folder"); // ok: built by the store
        std::fs::create_dir_all(dir)?;
        std::fs::rename(&self.tmp_path, &self.final_path)?;
        sync_dir(dir)?;
        Ok(StoredBlob {
            id: self.id.clone(),
            size: self.total,
            sha256,
        })
    }
}

impl Write for BlobWriter {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let accepted = data.len();
        if self.total + data.len() as u64 > self.limit {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, TooLarge));
        }
        while !data.is_empty() {
            let room = self.chunk_size - self.buffer.len();
            let take = room.min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == self.chunk_size {
                self.ship_chunk()?;
            }
        }
        self.total += accepted as u64;
        Ok(accepted)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if self.sealer.is_some() {
            let _ = self.join_sealer();
        }
        // After a successful finish the temporary name no longer exists.
        let _ = std::fs::remove_file(&self.tmp_path);
    }
}

fn seal_all(
    mut out: SealedFile,
    chunks: Receiver<Vec<u8>>,
    mut compressor: Option<Compressor>,
) -> io::Result<SealedFile> {
    for plaintext in chunks {
        let number = out.entries.len() as u64;
        let (stored, compressed) = format::seal_chunk(&out.key, number, &plaintext, compressor.as_mut())?;
        out.file.write_all(&stored)?;
        out.offset += stored.len() as u64;
        out.entries.push((stored.len() as u32, compressed));
    }
    Ok(out)
}
