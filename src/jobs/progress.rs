//! How a running job reports: progress 0–99 while it works (100 is written by the
//! engine when the output is in place), at least every 1% or every second. Each report
//! is also the heartbeat, and tells the worker whether to stop.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::blobstore::BlobError;
use crate::db::jobs;
use crate::vault::{Vault, VaultError};

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The job cannot succeed; the message is the `error` users see.
    #[error("{0}")]
    Failed(String),
    /// Its download was deleted.
    #[error("cancelled")]
    Cancelled,
    /// The server is stopping; the job goes back to the queue.
    #[error("stopped by shutdown")]
    Stopped,
}

impl From<std::io::Error> for JobError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull => JobError::Failed("disk full".into()),
            _ => JobError::Failed(format!("i/o error: {e}")),
        }
    }
}

impl From<BlobError> for JobError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::Missing(id) => {
                JobError::Failed(format!("source missing: stored original {id} is gone"))
            }
            BlobError::Corrupt(what) => JobError::Failed(format!("integrity check failed: {what}")),
            BlobError::Io(io) => io.into(),
        }
    }
}

impl From<VaultError> for JobError {
    fn from(e: VaultError) -> Self {
        JobError::Failed(e.to_string())
    }
}

const REPORT_EVERY: Duration = Duration::from_secs(1);

pub struct Progress<'a> {
    vault: &'a Vault,
    job_id: i64,
    stop: &'a AtomicBool,
    total: u64,
    done: u64,
    reported: i64,
    reported_at: Instant,
}

impl<'a> Progress<'a> {
    pub fn new(vault: &'a Vault, job_id: i64, stop: &'a AtomicBool) -> Progress<'a> {
        Progress {
            vault,
            job_id,
            stop,
            total: 0,
            done: 0,
            reported: 0,
            reported_at: Instant::now(),
        }
    }

    /// The amount of work (bytes of input) the job will do.
    pub fn set_total(&mut self, total: u64) {
        self.total = total;
    }

    /// Counts `amount` more units done; reports when due.
    pub fn advance(&mut self, amount: u64) -> Result<(), JobError> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(JobError::Stopped);
        }
        self.done += amount;
        let percent = (self.done.saturating_mul(100) / self.total.max(1)).min(99) as i64;
        if percent > self.reported || self.reported_at.elapsed() >= REPORT_EVERY {
            self.report(percent)?;
        }
        Ok(())
    }

    fn report(&mut self, percent: i64) -> Result<(), JobError> {
        let id = self.job_id;
        let cancelled = self
            .vault
            .db
            .write(|tx| jobs::report(tx, id, percent).map_err(VaultError::from))?;
        self.reported = percent;
        self.reported_at = Instant::now();
        if cancelled {
            return Err(JobError::Cancelled);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
