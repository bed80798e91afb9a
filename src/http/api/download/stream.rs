//! A download's body: asks the reader pool for the pieces of the range a few ahead,
//! within the process-wide read-ahead budget, and hands them to the network in order,
//! in small slices. Dropping it (the client went away) drops what was asked for.

use std::collections::VecDeque;
use std::fs::File;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::web::Bytes;
use futures_util::Stream;

use super::budget::{Budget, Lease};
use super::pool::{self, Answer, Read};
use crate::blobstore::BlobReader;

/// Bytes per piece handed to the network; actix copies each piece into the connection's
/// write buffer. Pieces of 64 KiB to 1 MiB measured alike (2026-12-02).
const NETWORK_PIECE: usize = 256 * 1024;
/// Bytes per read of a plain file. Small reads, many in flight, keep each piece in the CPU
/// cache from the page cache to the socket: 64 KiB × 16 served a prepared 1 GiB file
/// 1.2–1.4× faster than 1 MiB × 3 (benches/downloads.sh, 2026-12-02).
const FILE_READ: u64 = 64 * 1024;
const FILE_READS_AHEAD: usize = 16;
/// Chunks one download asks for ahead of the network. A chunk is opened whole (one
/// authentication tag), so its unit is the blob's chunk size.
const CHUNK_READS_AHEAD: usize = 3;
/// Bytes read ahead of the network, all downloads together. Each download may always
/// have one read in flight, so it always progresses; read-ahead beyond that is granted
/// only while the budget lasts, so memory stays bounded and a stalled client cannot
/// starve the others.
static READ_AHEAD_BUDGET: Budget = Budget::new(24 * 1024 * 1024);

pub enum Source {
    Blob(Arc<BlobReader>),
    File(Arc<File>),
}

impl Source {
    /// The unit of reading (a blob's chunk, or a fixed piece of a file) and how many
    /// units one download asks for ahead of the network.
    fn reading(&self) -> (u64, usize) {
        match self {
            Source::Blob(blob) => (blob.chunk_size(), CHUNK_READS_AHEAD),
            Source::File(_) => (FILE_READ, FILE_READS_AHEAD),
        }
    }
}

pub struct Body {
    source: Source,
    start: u64,
    end: u64,
    /// Start offset of the next unit to ask for.
    next: u64,
    /// Asked for, in order: the offset each unit begins at, and its answer.
    pending: VecDeque<(u64, Answer)>,
    /// What is left of the current unit.
    current: Bytes,
    failed: bool,
}

impl Body {
    pub fn new(source: Source, start: u64, end: u64) -> Body {
        let (unit, _) = source.reading();
        Body {
            next: start - start % unit,
            source,
            start,
            end,
            pending: VecDeque::new(),
            current: Bytes::new(),
            failed: false,
        }
    }

    fn ask_ahead(&mut self) {
        let (unit, reads_ahead) = self.source.reading();
        while self.next < self.end && self.pending.len() < reads_ahead {
            let lease = if self.pending.is_empty() {
                Lease::free()
            } else {
                match READ_AHEAD_BUDGET.try_acquire(unit as usize) {
                    Some(lease) => lease,
                    None => return,
                }
            };
            let read = match &self.source {
                Source::Blob(blob) => Read::Chunk {
                    blob: blob.clone(),
                    chunk: (self.next / unit) as usize,
                },
                Source::File(file) => Read::File {
                    file: file.clone(),
                    offset: self.next,
                    len: (self.end - self.next).min(unit) as usize,
                },
            };
            self.pending.push_back((self.next, pool::submit(read, lease)));
            self.next += unit;
        }
    }
}

impl Stream for Body {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if !this.current.is_empty() {
                let take = this.current.len().min(NETWORK_PIECE);
                return Poll::Ready(Some(Ok(this.current.split_to(take))));
            }
            if this.failed {
                return Poll::Ready(None);
            }
            this.ask_ahead();
            let Some((offset, answer)) = this.pending.front_mut() else {
                return Poll::Ready(None);
            };
            let offset = *offset;
            let result = match Pin::new(answer).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(result)) => result,
                Poll::Ready(Err(_)) => Err(std::io::Error::other("a download reader stopped")),
            };
            this.pending.pop_front();
            match result {
                Ok(bytes) => {
                    let from = this.start.saturating_sub(offset) as usize;
                    let to = ((this.end - offset) as usize).min(bytes.len());
                    this.current = bytes.slice(from.min(to)..to);
                }
                Err(e) => {
                    // A chunk that fails authentication ends the download with an error:
                    // the client sees a broken transfer, never wrong bytes.
                    tracing::error!(error = %e, "download stopped");
                    this.failed = true;
                    this.pending.clear();
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}
