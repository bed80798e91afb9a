//! Downloads: the 50 MiB rule, and the prepared downloads behind it — session_file (a
//! transfer prepared as a plain file) and session_movie (a recording converted to a
//! format) — each driven by one job.

use std::path::PathBuf;
use std::sync::Arc;

use rusqlite::Transaction;

use super::listing::{self, Listing, Page, Sorting};
use super::model::RecordingFormat;
use super::rights::{Caller, Right};
use super::{Vault, VaultError};
use crate::blobstore::BlobReader;
use crate::db::downloads::{self, DownloadFilter, DownloadKind, DownloadRow, NewDownload};
use crate::db::jobs::{self, JobState};
use crate::db::sessions::SessionRow;
use crate::db::transfers::TransferRow;
use crate::jobs::{CONVERT, PREPARE_FILE, prepared_path};

/// Formats a session_movie may ask for.
pub const VIDEO_FORMATS: &[&str] = &["asciicast", "text", "gif", "webm", "mp4"];
pub const VIDEO_RESOLUTIONS: &[&str] = &["auto", "hd480", "hd720", "hd1080"];

const SORTING: Sorting = Sorting {
    model: "download",
    columns: downloads::SORTABLE,
    id_column: "d.id",
    default: "id",
};

/// How a download request is served.
pub enum Delivery<T> {
    /// Small enough: stream the original now.
    Direct(T, Arc<BlobReader>),
    /// At or above the limit: prepared by a job.
    Queued(Box<DownloadRow>),
}

/// A prepared file ready to send.
pub struct Prepared {
    pub download: DownloadRow,
    pub path: PathBuf,
}

/// Formats a recording of `format` can be converted to today.
pub fn formats_for(format: RecordingFormat) -> &'static [&'static str] {
    match format {
        RecordingFormat::Asciicast => &["asciicast", "text"],
        RecordingFormat::Webm => &["webm"],
        RecordingFormat::Mp4 => &["mp4"],
        RecordingFormat::None => &[],
    }
}

impl Vault {
    fn direct_limit(&self) -> i64 {
        self.settings.direct_download_limit as i64
    }

    /// `GET .../transfer/<handle>/download`: the bytes at once below the limit, the
    /// session_file job (new or existing) at or above it.
    pub fn deliver_transfer(
        &self,
        caller: &Caller,
        session_id: i64,
        handle: i64,
    ) -> Result<Delivery<TransferRow>, VaultError> {
        let transfer = self.transfer(caller, Right::SessionDownload, session_id, handle)?;
        Vault::refuse_trashed(&self.session(caller, session_id)?)?;
        if transfer.size < self.direct_limit() {
            let blob = self.open_blob(&transfer.blob)?;
            return Ok(Delivery::Direct(transfer, blob));
        }
        let job = self.request_session_file(caller, session_id, handle)?;
        Ok(Delivery::Queued(Box::new(job)))
    }

    /// `GET .../recording`: the same rule for the original recording.
    pub fn deliver_recording(
        &self,
        caller: &Caller,
        session_id: i64,
    ) -> Result<Delivery<SessionRow>, VaultError> {
        let session = self.session_with(caller, Right::SessionDownload, session_id)?;
        Vault::refuse_trashed(&session)?;
        let (Some(blob), Some(size)) = (&session.recording_blob, session.recording_size) else {
            return Err(VaultError::NotFound(format!(
                "session {session_id} has no recording"
            )));
        };
        if size < self.direct_limit() {
            let blob = self.open_blob(blob)?;
            return Ok(Delivery::Direct(session, blob));
        }
        let format = session.recording_format.as_str();
        Ok(Delivery::Queued(Box::new(
            self.queue_movie(session_id, format, "auto")?,
        )))
    }

    /// Prepares a transfer as a plain file; the same request returns the same job
    /// while it exists, and retries it if it failed.
    pub fn request_session_file(
        &self,
        caller: &Caller,
        session_id: i64,
        handle: i64,
    ) -> Result<DownloadRow, VaultError> {
        self.transfer(caller, Right::SessionDownload, session_id, handle)?;
        let node = self.node.id.clone();
        let row = self.db.write(|tx| {
            if let Some(existing) = downloads::live_file(tx, session_id, handle)? {
                return retry_if_failed(tx, existing);
            }
            let job = jobs::enqueue(tx, PREPARE_FILE, 0, &node)?;
            let id = downloads::insert(
                tx,
                &NewDownload {
                    kind: DownloadKind::SessionFile,
                    session_id,
                    handle: Some(handle),
                    video_format: None,
                    video_resolution: None,
                    job_id: job,
                },
            )?;
            point_job_at(tx, job, id)
        })?;
        self.jobs.notify();
        Ok(row)
    }

    /// Converts a recording to `format` (idempotent for the same triple).
    pub fn request_session_movie(
        &self,
        caller: &Caller,
        session_id: i64,
        format: &str,
        resolution: &str,
    ) -> Result<DownloadRow, VaultError> {
        let session = self.session_with(caller, Right::SessionEncode, session_id)?;
        Vault::refuse_trashed(&session)?;
        if !VIDEO_FORMATS.contains(&format) {
            return Err(VaultError::bad(
                "video_format",
                format!("`{format}` is not one of {}", VIDEO_FORMATS.join(", ")),
            ));
        }
        if !VIDEO_RESOLUTIONS.contains(&resolution) {
            return Err(VaultError::bad(
                "video_resolution",
                format!("`{resolution}` is not one of {}", VIDEO_RESOLUTIONS.join(", ")),
            ));
        }
        if session.recording_blob.is_none() {
            return Err(VaultError::Unprocessable(format!(
                "session {session_id} has no recording to convert"
            )));
        }
        let supported = formats_for(session.recording_format);
        if !supported.contains(&format) {
            return Err(VaultError::Unprocessable(format!(
                "video_format {format} cannot be made from this {} recording; supported: {}",
                session.recording_format,
                supported.join(", ")
            )));
        }
        self.queue_movie(session_id, format, resolution)
    }

    fn queue_movie(
        &self,
        session_id: i64,
        format: &str,
        resolution: &str,
    ) -> Result<DownloadRow, VaultError> {
        let node = self.node.id.clone();
        let row = self.db.write(|tx| {
            if let Some(existing) = downloads::live_movie(tx, session_id, format, resolution)? {
                return retry_if_failed(tx, existing);
            }
            let job = jobs::enqueue(tx, CONVERT, 0, &node)?;
            let id = downloads::insert(
                tx,
                &NewDownload {
                    kind: DownloadKind::SessionMovie,
                    session_id,
                    handle: None,
                    video_format: Some(format),
                    video_resolution: Some(resolution),
                    job_id: job,
                },
            )?;
            point_job_at(tx, job, id)
        })?;
        self.jobs.notify();
        Ok(row)
    }

    /// A download the caller may see: 404 if it does not exist (or is of the other
    /// kind, or deleted), 403 if it is not the caller's.
    pub fn download(&self, caller: &Caller, kind: DownloadKind, id: i64) -> Result<DownloadRow, VaultError> {
        caller.require(Right::SessionDownload)?;
        let row = self
            .db
            .read(|c| downloads::get(c, id).map_err(VaultError::from))?
            .filter(|d| d.kind == kind && !d.removed)
            .ok_or_else(|| VaultError::NotFound(format!("{} {id} not found", kind.as_str())))?;
        caller.require_on(Right::SessionDownload, row.session_id, row.user_id)?;
        Ok(row)
    }

    pub fn list_downloads(
        &self,
        caller: &Caller,
        kind: DownloadKind,
        filter: &DownloadFilter,
        page: &Page,
    ) -> Result<Listing<DownloadRow>, VaultError> {
        let mut filter = filter.clone();
        filter.user_id = caller.own_filter(Right::SessionDownload)?;
        let query = downloads::select(kind, &filter);
        self.db
            .read(|c| listing::run(c, &self.keys, query, &SORTING, page, downloads::map))
    }

    /// Deletes a download: cancels its job and drops the prepared copy, never the
    /// stored original.
    pub fn delete_download(&self, caller: &Caller, kind: DownloadKind, id: i64) -> Result<(), VaultError> {
        let row = self.download(caller, kind, id)?;
        self.db.write(|tx| {
            downloads::mark_removed(tx, id)?;
            jobs::cancel(tx, row.job_id)?;
            Ok::<_, VaultError>(())
        })?;
        match std::fs::remove_file(prepared_path(self, id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// The prepared file of a download: 409 with the download while its job runs.
    pub fn open_prepared(
        &self,
        caller: &Caller,
        kind: DownloadKind,
        id: i64,
    ) -> Result<Prepared, VaultError> {
        let download = self.download(caller, kind, id)?;
        if download.session_removed {
            return Err(VaultError::NotFound(format!(
                "session {} is in the trash; restore it first",
                download.session_id
            )));
        }
        if !download.ready {
            return Err(VaultError::NotReady(Box::new(download)));
        }
        Ok(Prepared {
            path: prepared_path(self, id),
            download,
        })
    }
}

/// Re-queues a failed job (a retry is asking again) and returns the row as it is now.
fn retry_if_failed(tx: &Transaction, existing: DownloadRow) -> Result<DownloadRow, VaultError> {
    if existing.job_state != JobState::Failed {
        return Ok(existing);
    }
    jobs::requeue(tx, existing.job_id)?;
    downloads::mark_unready(tx, existing.id)?;
    reload(tx, existing.id)
}

/// Jobs are inserted before their download exists; this ties them together.
fn point_job_at(tx: &Transaction, job: i64, download: i64) -> Result<DownloadRow, VaultError> {
    jobs::set_target(tx, job, download)?;
    reload(tx, download)
}

fn reload(tx: &Transaction, id: i64) -> Result<DownloadRow, VaultError> {
    downloads::get(tx, id)?.ok_or_else(|| VaultError::Internal(format!("download {id} vanished")))
}
