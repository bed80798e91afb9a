//! Converting a session's recording (session_movie): the original format is prepared
//! as is; other formats are rendered from it.

mod text;

use super::prepare_file::copy_original;
use super::progress::{JobError, Progress};
use crate::db::downloads::DownloadRow;
use crate::db::sessions;
use crate::vault::{Vault, VaultError};

pub fn run(vault: &Vault, download: &DownloadRow, progress: &mut Progress) -> Result<(), JobError> {
    let session = vault
        .db
        .read(|c| sessions::get(c, download.session_id).map_err(VaultError::from))?
        .ok_or_else(|| {
            JobError::Failed(format!("source missing: session {} is gone", download.session_id))
        })?;
    let (Some(blob), Some(sha256)) = (&session.recording_blob, &session.recording_sha256) else {
        return Err(JobError::Failed(format!(
            "source missing: session {} has no recording",
            session.id
        )));
    };
    let format = download.video_format.as_deref().unwrap_or("");
    if format == session.recording_format.as_str() {
        return copy_original(vault, download, blob, sha256, progress);
    }
    match format {
        "text" => text::run(vault, download, blob, sha256, progress),
        other => Err(JobError::Failed(format!(
            "unsupported input: a {} recording cannot be converted to {other}",
            session.recording_format
        ))),
    }
}
