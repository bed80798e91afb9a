//! Preparing an original as a plain file: a large transfer (session_file), or a
//! recording in its own format (session_movie as asciicast, webm, mp4).

use std::io::Write;

use ring::digest;

use super::output::{Output, prepared_path};
use super::progress::{JobError, Progress};
use crate::blobstore::Scratch;
use crate::crypto;
use crate::db::downloads::{self, DownloadRow};
use crate::db::transfers;
use crate::vault::{Vault, VaultError};

pub fn run(vault: &Vault, download: &DownloadRow, progress: &mut Progress) -> Result<(), JobError> {
    let handle = download
        .handle
        .ok_or_else(|| JobError::Failed("session_file without a handle".into()))?;
    let transfer = vault
        .db
        .read(|c| transfers::get(c, download.session_id, handle).map_err(VaultError::from))?
        .ok_or_else(|| {
            JobError::Failed(format!(
                "source missing: session {} has no transfer {handle}",
                download.session_id
            ))
        })?;
    copy_original(vault, download, &transfer.blob, &transfer.sha256, progress)
}

/// Decrypts the original chunk by chunk into the output, checks it against the SHA-256
/// recorded at ingest, and puts it in place.
pub fn copy_original(
    vault: &Vault,
    download: &DownloadRow,
    blob: &str,
    expected_sha256: &str,
    progress: &mut Progress,
) -> Result<(), JobError> {
    let reader = vault.open_blob(blob)?;
    progress.set_total(reader.size());
    let mut output = Output::create(vault, download.id)?;
    let mut sha256 = digest::Context::new(&digest::SHA256);
    let (mut scratch, mut plain) = (Scratch::default(), Vec::new());
    for chunk in 0..reader.chunk_count() {
        reader.read_chunk_into(chunk, &mut scratch, &mut plain)?;
        sha256.update(&plain);
        output.write_all(&plain)?;
        progress.advance(plain.len() as u64)?;
    }
    verify(&sha256, expected_sha256)?;
    publish(vault, download, output)
}

/// Compares what was read with what ingest recorded.
pub fn verify(read: &digest::Context, expected_sha256: &str) -> Result<(), JobError> {
    if crypto::hex(read.clone().finish().as_ref()) != expected_sha256 {
        return Err(JobError::Failed(
            "integrity check failed: the stored original does not match the SHA-256 recorded at ingest"
                .into(),
        ));
    }
    Ok(())
}

/// Commits the output and marks the download ready; a download deleted meanwhile gets
/// its file removed instead.
pub fn publish(vault: &Vault, download: &DownloadRow, output: Output) -> Result<(), JobError> {
    let (size, sha256) = output.commit()?;
    let id = download.id;
    let kept = vault
        .db
        .write(|tx| downloads::mark_ready(tx, id, size as i64, &sha256).map_err(VaultError::from))?;
    if !kept {
        let _ = std::fs::remove_file(prepared_path(vault, id));
        return Err(JobError::Cancelled);
    }
    Ok(())
}
