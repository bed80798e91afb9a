//! The job engine behind session_file and session_movie: a persistent queue (the
//! `jobs` table) worked by a pool of threads.
//!
//! A worker claims the oldest queued job with one atomic UPDATE, writes its output to
//! `prepared/tmp/`, reports progress (which is also its heartbeat and its cancel check)
//! at least every 1% or every second, verifies the output against the SHA-256 recorded
//! at ingest, and only then renames it into `prepared/` and marks it ready. At start,
//! jobs left running by a dead process go back to the queue and half-written outputs
//! are removed, so a restart never loses a job.

mod convert;
mod output;
mod prepare_file;
mod progress;
mod purger;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::db::downloads::{self, DownloadKind};
use crate::db::jobs::{self, JobRow};
use crate::vault::{Vault, VaultError};

pub use output::{prepared_path, prepared_tmp_dir};
pub use progress::{JobError, Progress};
pub use purger::Purger;

/// Job kinds, as stored in `jobs.kind`.
pub const PREPARE_FILE: &str = "prepare_file";
pub const CONVERT: &str = "convert";

/// Wakes idle workers when a job is queued. Workers also poll every second, so a
/// missed wake-up (another process queued the job) costs at most that.
#[derive(Clone, Default)]
pub struct Signal(Arc<(Mutex<u64>, Condvar)>);

impl Signal {
    pub fn notify(&self) {
        let (count, condvar) = &*self.0;
        if let Ok(mut count) = count.lock() {
            *count += 1;
        }
        condvar.notify_all();
    }

    fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        let (count, condvar) = &*self.0;
        let Ok(guard) = count.lock() else {
            return seen;
        };
        match condvar.wait_timeout_while(guard, timeout, |c| *c == seen) {
            Ok((guard, _)) => *guard,
            Err(_) => seen,
        }
    }

    fn current(&self) -> u64 {
        self.0.0.lock().map(|c| *c).unwrap_or(0)
    }
}

pub struct Engine {
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
    signal: Signal,
}

impl Engine {
    /// Recovers what a previous process left, then starts `count` workers.
    pub fn start(vault: &Vault, count: usize) -> Result<Engine, VaultError> {
        recover(vault)?;
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::with_capacity(count);
        for n in 0..count {
            let vault = vault.clone();
            let stop = stop.clone();
            let handle = std::thread::Builder::new()
                .name(format!("job-worker-{n}"))
                .spawn(move || work(vault, stop))
                .map_err(|e| VaultError::Internal(format!("cannot start a job worker: {e}")))?;
            workers.push(handle);
        }
        tracing::info!(workers = count, "job engine started");
        Ok(Engine {
            stop,
            workers,
            signal: vault.jobs.clone(),
        })
    }

    /// Stops the workers; a job in progress goes back to the queue.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        self.signal.notify();
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

/// Requeues jobs a dead process was running and removes outputs nobody will finish or
/// nobody owns any more.
fn recover(vault: &Vault) -> Result<(), VaultError> {
    let node = vault.node.id.clone();
    let requeued = vault
        .db
        .write(|tx| jobs::recover(tx, &node).map_err(VaultError::from))?;
    if requeued > 0 {
        tracing::info!(requeued, "jobs interrupted by the last stop are queued again");
    }
    let tmp = prepared_tmp_dir(vault);
    std::fs::create_dir_all(&tmp)?;
    for entry in std::fs::read_dir(&tmp)? {
        std::fs::remove_file(entry?.path())?;
    }
    let ready = vault
        .db
        .read(|c| downloads::ready_ids(c).map_err(VaultError::from))?;
    for entry in std::fs::read_dir(&vault.paths.prepared)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let owned = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<i64>().ok())
            .is_some_and(|id| ready.contains(&id));
        if !owned {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn work(vault: Vault, stop: Arc<AtomicBool>) {
    let mut seen = vault.jobs.current();
    while !stop.load(Ordering::SeqCst) {
        let node = vault.node.id.clone();
        match vault
            .db
            .write(|tx| jobs::claim(tx, &node).map_err(VaultError::from))
        {
            Ok(Some(job)) => run(&vault, &job, &stop),
            Ok(None) => seen = vault.jobs.wait(seen, Duration::from_secs(1)),
            Err(e) => {
                tracing::error!(error = %e, "claiming a job failed");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}

fn run(vault: &Vault, job: &JobRow, stop: &AtomicBool) {
    tracing::info!(job = job.id, kind = %job.kind, target = job.target, "job started");
    let mut progress = Progress::new(vault, job.id, stop);
    let result = match job.kind.as_str() {
        PREPARE_FILE | CONVERT => run_download(vault, job, &mut progress),
        other => Err(JobError::Failed(format!("unknown job kind {other}"))),
    };
    let outcome = vault.db.write(|tx| -> Result<(), VaultError> {
        match &result {
            Ok(()) => jobs::finish(tx, job.id)?,
            Err(JobError::Stopped) => jobs::requeue(tx, job.id)?,
            Err(JobError::Cancelled) => jobs::fail(tx, job.id, "cancelled")?,
            Err(JobError::Failed(message)) => jobs::fail(tx, job.id, message)?,
        }
        Ok(())
    });
    if let Err(e) = outcome {
        tracing::error!(job = job.id, error = %e, "recording the end of a job failed");
    }
    match result {
        Ok(()) => tracing::info!(job = job.id, "job done"),
        Err(e) => tracing::warn!(job = job.id, error = %e, "job did not finish"),
    }
}

fn run_download(vault: &Vault, job: &JobRow, progress: &mut Progress) -> Result<(), JobError> {
    let download = vault
        .db
        .read(|c| downloads::get(c, job.target).map_err(VaultError::from))
        .map_err(|e| JobError::Failed(e.to_string()))?
        .ok_or_else(|| JobError::Failed(format!("download {} is gone", job.target)))?;
    if download.removed {
        return Err(JobError::Cancelled);
    }
    match download.kind {
        DownloadKind::SessionFile => prepare_file::run(vault, &download, progress),
        DownloadKind::SessionMovie => convert::run(vault, &download, progress),
    }
}
