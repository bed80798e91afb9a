//! The on-disk layout of one blob.
//!
//! ```text
//! header  32 bytes   magic "SVBLOB\0\x01" | salt (16) | chunk size u32 | codec u32
//! chunk*             AES-256-GCM( codec(plaintext) or plaintext ), nonce = chunk number,
//!                    additional data = whether and how the chunk is compressed
//! index              AES-256-GCM( version | chunk size | total size | sha256 | count |
//!                                 stored length of each chunk, high bit = compressed )
//! footer  16 bytes   index offset u64 | index length u32 | magic "SVIX"
//! ```
//!
//! Every chunk is sealed on its own, so a byte range opens only the chunks it touches.
//! The index is sealed too: chunk order, chunk count, total size and the plaintext
//! SHA-256 cannot be altered without the read failing. The key of each blob is derived
//! from the master key and the blob's salt, so the chunk number is a safe nonce.

use ring::aead::{Aad, LessSafeKey, Nonce};

use super::codec::{Codec, Compressor, Decompressor, chunk_aad};

pub const MAGIC: &[u8; 8] = b"SVBLOB\0\x01";
pub const FOOTER_MAGIC: &[u8; 4] = b"SVIX";
pub const HEADER_LEN: u64 = 32;
pub const FOOTER_LEN: u64 = 16;
pub const SALT_LEN: usize = 16;
pub const TAG_LEN: usize = 16;
const INDEX_VERSION: u8 = 1;
const COMPRESSED_FLAG: u32 = 1 << 31;
/// Fixed part of the index plaintext: version, chunk size, total size, sha256, count.
const INDEX_FIXED_LEN: usize = 1 + 4 + 8 + 32 + 8;

pub fn header(salt: &[u8; SALT_LEN], chunk_size: u32, codec: Codec) -> [u8; HEADER_LEN as usize] {
    let mut h = [0u8; HEADER_LEN as usize];
    h[..8].copy_from_slice(MAGIC);
    h[8..24].copy_from_slice(salt);
    h[24..28].copy_from_slice(&chunk_size.to_le_bytes());
    h[28..32].copy_from_slice(&codec.id().to_le_bytes());
    h
}

pub struct Header {
    pub salt: [u8; SALT_LEN],
    pub codec: Codec,
}

pub fn parse_header(bytes: &[u8; HEADER_LEN as usize]) -> Option<Header> {
    if &bytes[..8] != MAGIC {
        return None;
    }
    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&bytes[8..24]);
    let codec = Codec::from_id(u32::from_le_bytes(bytes[28..32].try_into().ok()?))?;
    Some(Header { salt, codec })
}

fn chunk_nonce(chunk: u64) -> Nonce {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(&chunk.to_le_bytes());
    Nonce::assume_unique_for_key(n)
}

fn index_nonce() -> Nonce {
    Nonce::assume_unique_for_key([0xff; 12])
}

/// Compresses (when there is a compressor and it pays) and seals one chunk. Returns the
/// stored bytes and whether they are compressed.
pub fn seal_chunk(
    key: &LessSafeKey,
    chunk: u64,
    plaintext: &[u8],
    compressor: Option<&mut Compressor>,
) -> std::io::Result<(Vec<u8>, bool)> {
    let mut stored = Vec::new();
    let mut compressed_with = None;
    if let Some(compressor) = compressor {
        stored.reserve(compressor.bound(plaintext.len())? + TAG_LEN);
        compressor.compress(plaintext, &mut stored)?;
        if stored.len() < plaintext.len() {
            compressed_with = Some(compressor.codec());
        }
    }
    if compressed_with.is_none() {
        stored.clear();
        stored.reserve(plaintext.len() + TAG_LEN);
        stored.extend_from_slice(plaintext);
    }
    key.seal_in_place_append_tag(
        chunk_nonce(chunk),
        Aad::from(chunk_aad(compressed_with)),
        &mut stored,
    )
    .map_err(|_| std::io::Error::other("sealing a chunk failed"))?;
    Ok((stored, compressed_with.is_some()))
}

/// Opens, in place, a chunk stored as it is: `sealed` is left holding its plaintext.
/// `false` if it was altered.
pub fn open_plain_chunk(key: &LessSafeKey, chunk: u64, sealed: &mut Vec<u8>, plaintext_len: usize) -> bool {
    let Ok(plain) = key.open_in_place(chunk_nonce(chunk), Aad::from(chunk_aad(None)), sealed) else {
        return false;
    };
    let len = plain.len();
    sealed.truncate(len);
    len == plaintext_len
}

/// Opens a compressed chunk (in `sealed`, which is overwritten) into `out`; `false` if
/// it was altered.
pub fn open_compressed_chunk(
    key: &LessSafeKey,
    chunk: u64,
    codec: Codec,
    sealed: &mut [u8],
    plaintext_len: usize,
    decompressor: &mut Decompressor,
    out: &mut Vec<u8>,
) -> bool {
    match key.open_in_place(chunk_nonce(chunk), Aad::from(chunk_aad(Some(codec))), sealed) {
        Ok(compressed) => decompressor.decompress(codec, compressed, out, plaintext_len),
        Err(_) => false,
    }
}

/// What the sealed index says about a blob.
#[derive(Debug, Clone)]
pub struct Index {
    pub chunk_size: u32,
    pub total_size: u64,
    pub sha256: [u8; 32],
    /// (offset in file, stored length, compressed) of every chunk.
    pub chunks: Vec<ChunkEntry>,
}

#[derive(Debug, Clone, Copy)]
pub struct ChunkEntry {
    pub offset: u64,
    pub stored_len: u32,
    pub compressed: bool,
}

impl Index {
    /// Plaintext length of chunk `i`.
    pub fn plaintext_len(&self, i: usize) -> usize {
        let start = i as u64 * self.chunk_size as u64;
        (self.total_size - start).min(self.chunk_size as u64) as usize
    }
}

pub fn seal_index(
    key: &LessSafeKey,
    chunk_size: u32,
    total_size: u64,
    sha256: &[u8; 32],
    entries: &[(u32, bool)],
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(INDEX_FIXED_LEN + entries.len() * 4 + TAG_LEN);
    buf.push(INDEX_VERSION);
    buf.extend_from_slice(&chunk_size.to_le_bytes());
    buf.extend_from_slice(&total_size.to_le_bytes());
    buf.extend_from_slice(sha256);
    buf.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for &(len, compressed) in entries {
        let word = len | if compressed { COMPRESSED_FLAG } else { 0 };
        buf.extend_from_slice(&word.to_le_bytes());
    }
    key.seal_in_place_append_tag(index_nonce(), Aad::from(b"index"), &mut buf)
        .map_err(|_| std::io::Error::other("sealing the index failed"))?;
    Ok(buf)
}

pub fn open_index(key: &LessSafeKey, mut sealed: Vec<u8>) -> Option<Index> {
    let plain = key
        .open_in_place(index_nonce(), Aad::from(b"index"), &mut sealed)
        .ok()?;
    if plain.len() < INDEX_FIXED_LEN || plain[0] != INDEX_VERSION {
        return None;
    }
    let u32_at = |at: usize| u32::from_le_bytes(plain[at..at + 4].try_into().expect("4 bytes"));
    let u64_at = |at: usize| u64::from_le_bytes(plain[at..at + 8].try_into().expect("8 bytes"));
    let chunk_size = u32_at(1);
    let total_size = u64_at(5);
    let mut sha256 = [0u8; 32];
    sha256.copy_from_slice(&plain[13..45]);
    let count = u64_at(45) as usize;
    if chunk_size == 0 || plain.len() != INDEX_FIXED_LEN + count * 4 {
        return None;
    }
    if total_size.div_ceil(chunk_size as u64) != count as u64 {
        return None;
    }
    let mut chunks = Vec::with_capacity(count);
    let mut offset = HEADER_LEN;
    for i in 0..count {
        let word = u32_at(INDEX_FIXED_LEN + i * 4);
        let stored_len = word & !COMPRESSED_FLAG;
        chunks.push(ChunkEntry {
            offset,
            stored_len,
            compressed: word & COMPRESSED_FLAG != 0,
        });
        offset += stored_len as u64;
    }
    Some(Index {
        chunk_size,
        total_size,
        sha256,
        chunks,
    })
}

pub fn footer(index_offset: u64, index_len: u32) -> [u8; FOOTER_LEN as usize] {
    let mut f = [0u8; FOOTER_LEN as usize];
    f[..8].copy_from_slice(&index_offset.to_le_bytes());
    f[8..12].copy_from_slice(&index_len.to_le_bytes());
    f[12..].copy_from_slice(FOOTER_MAGIC);
    f
}

pub fn parse_footer(f: &[u8; FOOTER_LEN as usize]) -> Option<(u64, u32)> {
    if &f[12..] != FOOTER_MAGIC {
        return None;
    }
    let offset = u64::from_le_bytes(f[..8].try_into().expect("8 bytes"));
    let len = u32::from_le_bytes(f[8..12].try_into().expect("4 bytes"));
    Some((offset, len))
}
