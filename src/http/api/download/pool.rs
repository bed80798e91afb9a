//! The readers behind every download: a few threads (two per core) that read file
//! pieces and decrypt and decompress blob chunks, into buffers recycled through a
//! shared pool. A fixed set of threads and buffers keeps CPU use and memory flat however
//! many clients download at once, and keeps file I/O off the async runtime.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::web::Bytes;
use tokio::sync::oneshot;

use super::budget::{Lease, leased_bytes};
use crate::blobstore::{BlobReader, Scratch};

/// Buffers are kept by size class, so that a small file read never takes a chunk-sized
/// buffer nor a chunk read grows a small one: mixing them fragmented the heap (peak RSS
/// 124 MB instead of 49 MB under 8 + 8 concurrent downloads).
const SMALL_BUFFER: usize = 256 * 1024;
/// Idle buffers kept for reuse in each class; more are freed.
const POOLED_SMALL: usize = 128;
const POOLED_LARGE: usize = 32;

static SMALL: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
static LARGE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

fn class(capacity: usize) -> (&'static Mutex<Vec<Vec<u8>>>, usize) {
    if capacity <= SMALL_BUFFER {
        (&SMALL, POOLED_SMALL)
    } else {
        (&LARGE, POOLED_LARGE)
    }
}

/// A buffer of at least `capacity` bytes. It keeps what it last held, so that filling
/// it again does not first zero it; whoever takes it writes it whole.
fn take_buffer(capacity: usize) -> Vec<u8> {
    let pooled = class(capacity).0.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let mut buffer = pooled.unwrap_or_default();
    buffer.reserve(capacity.saturating_sub(buffer.len()));
    buffer
}

fn recycle(buffer: Vec<u8>) {
    let (pool, keep) = class(buffer.capacity());
    let mut pool = pool.lock().unwrap_or_else(|e| e.into_inner());
    if pool.len() < keep && buffer.capacity() > 0 {
        pool.push(buffer);
    }
}

/// One unit of reading.
pub enum Read {
    /// The plaintext of one chunk of a stored original.
    Chunk { blob: Arc<BlobReader>, chunk: usize },
    /// `len` bytes of a plain file from `offset`.
    File {
        file: Arc<File>,
        offset: u64,
        len: usize,
    },
}

pub type Answer = oneshot::Receiver<std::io::Result<Bytes>>;

struct Task {
    read: Read,
    lease: Lease,
    reply: oneshot::Sender<std::io::Result<Bytes>>,
}

fn queue() -> &'static Mutex<SyncSender<Task>> {
    static QUEUE: OnceLock<Mutex<SyncSender<Task>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let threads = 2 * std::thread::available_parallelism().map_or(2, |n| n.get());
        let (sender, receiver) = sync_channel::<Task>(threads * 8);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("download-reader-{n}"))
                .spawn(move || serve_forever(&receiver));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a download reader");
            }
        }
        Mutex::new(sender)
    })
}

fn serve_forever(receiver: &Mutex<Receiver<Task>>) {
    let mut scratch = Scratch::default();
    loop {
        let task = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(task) = task else {
            return;
        };
        if task.reply.is_closed() {
            continue;
        }
        let result = perform(task.read, &mut scratch).map(|buffer| leased_bytes(buffer, task.lease, recycle));
        let _ = task.reply.send(result);
    }
}

fn perform(read: Read, scratch: &mut Scratch) -> std::io::Result<Vec<u8>> {
    match read {
        Read::Chunk { blob, chunk } => {
            let mut buffer = take_buffer(blob.chunk_buffer_len());
            blob.read_chunk_into(chunk, scratch, &mut buffer)
                .map_err(std::io::Error::other)?;
            Ok(buffer)
        }
        Read::File { file, offset, len } => {
            let mut buffer = take_buffer(len);
            buffer.resize(len, 0);
            file.read_exact_at(&mut buffer, offset)?;
            Ok(buffer)
        }
    }
}

/// Queues a read; its bytes (or error) arrive on the answer.
pub fn submit(read: Read, lease: Lease) -> Answer {
    let (reply, answer) = oneshot::channel();
    let sender = queue().lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Err(failed) = sender.send(Task { read, lease, reply }) {
        let _ = failed
            .0
            .reply
            .send(Err(std::io::Error::other("the download readers are gone")));
    }
    answer
}
