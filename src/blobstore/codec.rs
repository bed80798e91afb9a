//! How the chunks of a blob are compressed.
//!
//! New blobs use the `compression` setting; a stored blob names its codec in its header
//! and keeps it, so changing the setting never touches what is already stored.
//!
//! LZ4 is the default because originals are read far more often than they are written
//! and every direct download decompresses them on the fly: LZ4 decompresses about three
//! times faster than zstd, which is what lets a direct download keep up with a plain
//! file server. zstd keeps about 1.6 times less on disk for the same text; choose it
//! where disk matters more than download speed.

use std::io;
use std::str::FromStr;

/// The compression of new blobs (the `compression` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Chunks stored as they are: the most disk, the least CPU.
    None,
    Lz4,
    Zstd,
}

impl FromStr for Compression {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Compression::None),
            "lz4" => Ok(Compression::Lz4),
            "zstd" => Ok(Compression::Zstd),
            _ => Err("expected `lz4`, `zstd` or `none`".into()),
        }
    }
}

/// The codec of a blob's compressed chunks, as named in its header. The numbers are on
/// disk: never renumber them. Blobs written before codecs were named have 0: zstd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Zstd = 0,
    Lz4 = 1,
}

impl Codec {
    pub fn from_id(id: u32) -> Option<Codec> {
        match id {
            0 => Some(Codec::Zstd),
            1 => Some(Codec::Lz4),
            _ => None,
        }
    }

    pub fn id(self) -> u32 {
        self as u32
    }
}

/// The additional data sealed with each chunk: how it is compressed (`None`: stored as
/// it is). A changed index flag or header codec makes the chunk fail to open, never
/// decompress into wrong bytes.
pub fn chunk_aad(compressed_with: Option<Codec>) -> [u8; 1] {
    match compressed_with {
        None => [0],
        Some(Codec::Zstd) => [1],
        Some(Codec::Lz4) => [2],
    }
}

/// Compresses the chunks of one blob being written.
pub enum Compressor {
    Zstd(Box<zstd::bulk::Compressor<'static>>),
    Lz4,
}

impl Compressor {
    /// The compressor for `compression`, or none when chunks are stored as they are.
    /// `zstd_level` applies to zstd only.
    pub fn new(compression: Compression, zstd_level: i32) -> io::Result<Option<Compressor>> {
        Ok(match compression {
            Compression::None => None,
            Compression::Lz4 => Some(Compressor::Lz4),
            Compression::Zstd => Some(Compressor::Zstd(Box::new(zstd::bulk::Compressor::new(
                zstd_level,
            )?))),
        })
    }

    pub fn codec(&self) -> Codec {
        match self {
            Compressor::Zstd(_) => Codec::Zstd,
            Compressor::Lz4 => Codec::Lz4,
        }
    }

    /// The most bytes `compress` may write for `len` bytes of input.
    pub fn bound(&self, len: usize) -> io::Result<usize> {
        match self {
            Compressor::Zstd(_) => Ok(zstd::zstd_safe::compress_bound(len)),
            Compressor::Lz4 => lz4::block::compress_bound(len),
        }
    }

    /// Appends the compressed form of `plaintext` to `out`, which has room for
    /// [`Compressor::bound`] more bytes.
    pub fn compress(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
        match self {
            Compressor::Zstd(zstd) => {
                zstd.compress_to_buffer(plaintext, out)?;
            }
            Compressor::Lz4 => {
                let start = out.len();
                out.resize(start + self.bound(plaintext.len())?, 0);
                let written = lz4::block::compress_to_buffer(plaintext, None, false, &mut out[start..])?;
                out.truncate(start + written);
            }
        }
        Ok(())
    }
}

/// Decompresses chunks; one per reading thread, so that its context is reused. The
/// zstd context is made on first use: LZ4 needs none.
#[derive(Default)]
pub struct Decompressor {
    zstd: Option<zstd::bulk::Decompressor<'static>>,
}

impl Decompressor {
    /// Replaces `out` with the decompressed `input`; `false` unless that is exactly
    /// `plaintext_len` bytes.
    pub fn decompress(
        &mut self,
        codec: Codec,
        input: &[u8],
        out: &mut Vec<u8>,
        plaintext_len: usize,
    ) -> bool {
        match codec {
            Codec::Zstd => {
                out.clear();
                let zstd = match &mut self.zstd {
                    Some(zstd) => zstd,
                    empty => match zstd::bulk::Decompressor::new() {
                        Ok(zstd) => empty.insert(zstd),
                        Err(_) => return false,
                    },
                };
                out.reserve(plaintext_len);
                if zstd.decompress_to_buffer(input, out).is_err() {
                    return false;
                }
            }
            Codec::Lz4 => {
                let Ok(size) = i32::try_from(plaintext_len) else {
                    return false;
                };
                // Written over whatever `out` held: a recycled buffer is not zeroed first.
                out.resize(plaintext_len, 0);
                match lz4::block::decompress_to_buffer(input, Some(size), out) {
                    Ok(written) => out.truncate(written),
                    Err(_) => return false,
                }
            }
        }
        out.len() == plaintext_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        (0..200_000u32)
            .flat_map(|i| format!("line {} of the log\n", i % 977).into_bytes())
            .collect()
    }

    #[test]
    fn both_codecs_round_trip_and_shrink_text() {
        let plain = sample();
        for compression in [Compression::Lz4, Compression::Zstd] {
            let mut compressor = Compressor::new(compression, 1).unwrap().unwrap();
            let mut packed = Vec::with_capacity(compressor.bound(plain.len()).unwrap());
            compressor.compress(&plain, &mut packed).unwrap();
            assert!(
                packed.len() * 4 < plain.len(),
                "{compression:?} barely compressed"
            );
            let mut out = Vec::new();
            assert!(Decompressor::default().decompress(compressor.codec(), &packed, &mut out, plain.len()));
            assert!(out == plain, "{compression:?} changed the bytes");
        }
    }

    #[test]
    fn the_wrong_codec_or_length_is_refused() {
        let plain = sample();
        let mut lz4 = Compressor::new(Compression::Lz4, 1).unwrap().unwrap();
        let mut packed = Vec::new();
        lz4.compress(&plain, &mut packed).unwrap();
        let mut decompressor = Decompressor::default();
        let mut out = Vec::new();
        assert!(!decompressor.decompress(Codec::Zstd, &packed, &mut out, plain.len()));
        assert!(!decompressor.decompress(Codec::Lz4, &packed, &mut out, plain.len() + 1));
        assert!(!decompressor.decompress(Codec::Lz4, &packed[..packed.len() / 2], &mut out, plain.len()));
    }

    #[test]
    fn codec_ids_are_stable_and_aads_distinct() {
        assert_eq!(Codec::from_id(0), Some(Codec::Zstd));
        assert_eq!(Codec::from_id(1), Some(Codec::Lz4));
        assert_eq!(Codec::from_id(2), None);
        let aads = [
            chunk_aad(None),
            chunk_aad(Some(Codec::Zstd)),
            chunk_aad(Some(Codec::Lz4)),
        ];
        assert_eq!(
            aads,
            [[0], [1], [2]],
            "zstd's must stay those of blobs written before codecs"
        );
    }

    #[test]
    fn the_setting_reads_its_three_names() {
        assert_eq!("lz4".parse(), Ok(Compression::Lz4));
        assert_eq!("zstd".parse(), Ok(Compression::Zstd));
        assert_eq!("none".parse(), Ok(Compression::None));
        assert!("gzip".parse::<Compression>().is_err());
    }
}
