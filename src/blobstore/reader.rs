//! Reading a blob: the footer and sealed index first, then only the chunks a request
//! needs. Any altered byte makes the read fail instead of returning wrong data.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ring::aead::LessSafeKey;
use ring::digest;

use super::codec::{Codec, Decompressor};
use super::format::{self, Index};
use super::{BlobError, BlobId};

/// Buffers and decompression contexts reused across chunk reads by one thread.
#[derive(Default)]
pub struct Scratch {
    stored: Vec<u8>,
    decompressor: Decompressor,
}

pub struct BlobReader {
    id: BlobId,
    file: File,
    key: LessSafeKey,
    codec: Codec,
    index: Index,
    chunks_opened: AtomicU64,
}

impl BlobReader {
    pub(super) fn open(
        id: BlobId,
        file: File,
        key_for_salt: impl FnOnce(&[u8]) -> LessSafeKey,
    ) -> Result<BlobReader, BlobError> {
        let corrupt = |what: &str| BlobError::Corrupt(format!("blob {id}: {what}"));
        let len = file.metadata()?.len();
        if len < format::HEADER_LEN + format::FOOTER_LEN {
            return Err(corrupt("file too short"));
        }
        let mut header = [0u8; format::HEADER_LEN as usize];
        file.read_exact_at(&mut header, 0)?;
        let header = format::parse_header(&header).ok_or_else(|| corrupt("bad header"))?;
        let mut footer = [0u8; format::FOOTER_LEN as usize];
        file.read_exact_at(&mut footer, len - format::FOOTER_LEN)?;
        let (index_offset, index_len) = format::parse_footer(&footer).ok_or_else(|| corrupt("bad footer"))?;
        if index_offset.checked_add(index_len as u64 + format::FOOTER_LEN) != Some(len) {
            return Err(corrupt("footer does not match the file length"));
        }
        let mut sealed = vec![0u8; index_len as usize];
        file.read_exact_at(&mut sealed, index_offset)?;
        let key = key_for_salt(&header.salt);
        let index = format::open_index(&key, sealed).ok_or_else(|| corrupt("index failed authentication"))?;
        let chunks_end = index
            .chunks
            .last()
            .map_or(format::HEADER_LEN, |c| c.offset + c.stored_len as u64);
        if chunks_end != index_offset {
            return Err(corrupt("index does not match the chunks"));
        }
        Ok(BlobReader {
            id,
            file,
            key,
            codec: header.codec,
            index,
            chunks_opened: AtomicU64::new(0),
        })
    }

    pub fn size(&self) -> u64 {
        self.index.total_size
    }

    pub fn sha256(&self) -> [u8; 32] {
        self.index.sha256
    }

    pub fn chunk_size(&self) -> u64 {
        self.index.chunk_size as u64
    }

    /// Bytes a buffer needs to read any chunk of this blob into without growing.
    pub fn chunk_buffer_len(&self) -> usize {
        self.index.chunk_size as usize + format::TAG_LEN
    }

    pub fn chunk_count(&self) -> usize {
        self.index.chunks.len()
    }

    /// How many chunks have been decrypted through this reader.
    pub fn chunks_opened(&self) -> u64 {
        self.chunks_opened.load(Ordering::Relaxed)
    }

    /// The plaintext of chunk `i`. To read many chunks, [`BlobReader::read_chunk_into`]
    /// reuses its buffers.
    pub fn read_chunk(&self, i: usize) -> Result<Vec<u8>, BlobError> {
        let mut out = Vec::new();
        self.read_chunk_into(i, &mut Scratch::default(), &mut out)?;
        Ok(out)
    }

    /// The plaintext of chunk `i` into `out`, reusing the buffers of `scratch`: the way
    /// to read many chunks without an allocation each.
    pub fn read_chunk_into(
        &self,
        i: usize,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<(), BlobError> {
        let entry = *self
            .index
            .chunks
            .get(i)
            .ok_or_else(|| BlobError::Corrupt(format!("blob {}: no chunk {i}", self.id)))?;
        let expected = self.index.plaintext_len(i);
        // A chunk stored as it is is opened where it is read: one copy fewer.
        let sealed = if entry.compressed {
            &mut scratch.stored
        } else {
            &mut *out
        };
        sealed.resize(entry.stored_len as usize, 0);
        self.file.read_exact_at(sealed, entry.offset)?;
        self.chunks_opened.fetch_add(1, Ordering::Relaxed);
        let opened = if entry.compressed {
            format::open_compressed_chunk(
                &self.key,
                i as u64,
                self.codec,
                &mut scratch.stored,
                expected,
                &mut scratch.decompressor,
                out,
            )
        } else {
            format::open_plain_chunk(&self.key, i as u64, out, expected)
        };
        if opened {
            Ok(())
        } else {
            Err(BlobError::Corrupt(format!(
                "blob {}: chunk {i} failed authentication",
                self.id
            )))
        }
    }

    /// A reader of bytes `start..end` that opens chunks one at a time as it goes.
    pub fn range(self: Arc<Self>, start: u64, end: u64) -> RangeReader {
        let end = end.min(self.size());
        RangeReader {
            blob: self,
            position: start.min(end),
            end,
            current: Vec::new(),
            current_offset: 0,
            scratch: Scratch::default(),
        }
    }

    /// Reads every chunk and checks the plaintext against the recorded SHA-256.
    pub fn verify(&self) -> Result<(), BlobError> {
        let mut ctx = digest::Context::new(&digest::SHA256);
        let (mut scratch, mut plain) = (Scratch::default(), Vec::new());
        for i in 0..self.chunk_count() {
            self.read_chunk_into(i, &mut scratch, &mut plain)?;
            ctx.update(&plain);
        }
        if ctx.finish().as_ref() != self.index.sha256 {
            return Err(BlobError::Corrupt(format!("blob {}: SHA-256 mismatch", self.id)));
        }
        Ok(())
    }
}

/// Streams a byte range of a blob; see [`BlobReader::range`].
pub struct RangeReader {
    blob: Arc<BlobReader>,
    position: u64,
    end: u64,
    /// The chunk covering `position` and the blob offset where it begins.
    current: Vec<u8>,
    current_offset: u64,
    scratch: Scratch,
}

impl RangeReader {
    pub fn remaining(&self) -> u64 {
        self.end - self.position
    }

    /// The next slice of the range, one chunk at most; empty at the end.
    pub fn next_piece(&mut self) -> Result<Vec<u8>, BlobError> {
        if self.position >= self.end {
            return Ok(Vec::new());
        }
        let chunk_size = self.blob.chunk_size();
        let chunk = self.position / chunk_size;
        let chunk_start = chunk * chunk_size;
        let mut plain = self.blob.read_chunk(chunk as usize)?;
        let from = (self.position - chunk_start) as usize;
        let to = ((self.end - chunk_start) as usize).min(plain.len());
        self.position = chunk_start + to as u64;
        plain.truncate(to);
        if from > 0 {
            plain.drain(..from);
        }
        Ok(plain)
    }
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.position >= self.end || buf.is_empty() {
            return Ok(0);
        }
        let chunk_size = self.blob.chunk_size();
        let chunk_start = (self.position / chunk_size) * chunk_size;
        if self.current.is_empty() || self.current_offset != chunk_start {
            let chunk = (chunk_start / chunk_size) as usize;
            if let Err(e) = self
                .blob
                .read_chunk_into(chunk, &mut self.scratch, &mut self.current)
            {
                // What a failed read left behind must never be served by a later call.
                self.current.clear();
                return Err(io::Error::other(e));
            }
            self.current_offset = chunk_start;
        }
        let from = (self.position - chunk_start) as usize;
        let to = ((self.end - chunk_start) as usize).min(self.current.len());
        let n = (to - from).min(buf.len());
        buf[..n].copy_from_slice(&self.current[from..from + n]);
        self.position += n as u64;
        Ok(n)
    }
}
