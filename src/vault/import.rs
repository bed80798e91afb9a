//! Importing asciicast files from disk (`sessionvault import`): each file is checked
//! whole before anything is created, then stored like an uploaded recording.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::asciicast::{Summary, Validator};
use super::ingest::{Uploaded, started_from_header};
use super::model::Protocol;
use super::rights::Caller;
use super::sessions::SessionInput;
use super::{Vault, VaultError};
use crate::db::sessions::{self, SessionRow};
use crate::timestamp::Timestamp;

const READ_SIZE: usize = 1024 * 1024;

pub struct ImportOptions {
    pub user: String,
    pub server: String,
    pub protocol: Protocol,
}

fn io_error(path: &Path, e: std::io::Error) -> VaultError {
    VaultError::bad("file", format!("cannot read {}: {e}", path.display()))
}

/// Reads the whole file through the validator, reporting bytes read.
fn validate(path: &Path, progress: &dyn Fn(u64)) -> Result<Summary, VaultError> {
    let mut file = BufReader::with_capacity(READ_SIZE, File::open(path).map_err(|e| io_error(path, e))?);
    let mut validator = Validator::new();
    let mut buffer = vec![0u8; READ_SIZE];
    loop {
        let n = file.read(&mut buffer).map_err(|e| io_error(path, e))?;
        if n == 0 {
            break;
        }
        validator
            .feed(&buffer[..n])
            .map_err(|e| VaultError::bad("recording", e.to_string()))?;
        progress(n as u64);
    }
    validator
        .finish()
        .map_err(|e| VaultError::bad("recording", e.to_string()))
}

impl Vault {
    /// Imports one cast file as a new session. `progress` is told of bytes as they are
    /// read (each byte twice: once to check, once to store).
    pub fn import_cast(
        &self,
        path: &Path,
        options: &ImportOptions,
        progress: &dyn Fn(u64),
    ) -> Result<SessionRow, VaultError> {
        let summary = validate(path, progress)?;
        let started = match started_from_header(&summary.header) {
            Some(t) => t,
            None => file_time(path)?,
        };
        let duration = summary.header.duration.unwrap_or(summary.last_time);
        let caller = Caller::local_admin();
        let session = self.create_session(
            &caller,
            &SessionInput {
                user: options.user.clone(),
                server: options.server.clone(),
                protocol: options.protocol,
                started,
                ended: Some(started.plus_seconds_f64(duration)),
            },
        )?;
        let stored = self.store_file_as_recording(&caller, session.id, path, progress);
        if stored.is_err() {
            let id = session.id;
            self.db
                .write(|tx| sessions::delete_bare(tx, id).map_err(VaultError::from))?;
        }
        stored
    }

    fn store_file_as_recording(
        &self,
        caller: &Caller,
        session_id: i64,
        path: &Path,
        progress: &dyn Fn(u64),
    ) -> Result<SessionRow, VaultError> {
        let mut file = File::open(path).map_err(|e| io_error(path, e))?;
        let mut upload = self.begin_recording_upload(caller, session_id, None, None)?;
        let mut buffer = vec![0u8; READ_SIZE];
        loop {
            let n = file.read(&mut buffer).map_err(|e| io_error(path, e))?;
            if n == 0 {
                break;
            }
            upload.write(&buffer[..n])?;
            progress(n as u64);
        }
        match upload.finish()? {
            Uploaded::Recording(row) => Ok(row),
            Uploaded::Transfer(_) => Err(VaultError::Internal("import stored a transfer".into())),
        }
    }
}

fn file_time(path: &Path) -> Result<Timestamp, VaultError> {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| io_error(path, e))?;
    let micros = modified
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0);
    Ok(Timestamp::from_micros(micros))
}
