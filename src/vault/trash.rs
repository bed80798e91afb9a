//! The trash: deleting a session moves it there (it leaves the lists and can no longer
//! be downloaded, converted or shared), restoring brings it back, and after
//! `trash_retention_days` it is purged for good — rows, prepared files and originals.

use std::fs::{File, TryLockError};

use super::rights::{Caller, Right};
use super::{Vault, VaultError};
use crate::blobstore::BlobId;
use crate::db::sessions::{self, SessionRow};
use crate::db::{downloads, intents, search};
use crate::jobs::prepared_path;
use crate::timestamp::{MICROS_PER_DAY, Timestamp};

/// Sessions purged per transaction.
const PURGE_BATCH: i64 = 100;

impl Vault {
    pub fn trash_session(&self, caller: &Caller, id: i64) -> Result<(), VaultError> {
        self.session_with(caller, Right::SessionDelete, id)?;
        let moved = self
            .db
            .write(|tx| sessions::set_removed(tx, id, true).map_err(VaultError::from))?;
        if !moved {
            return Err(VaultError::Conflict(format!(
                "session {id} is already in the trash"
            )));
        }
        Ok(())
    }

    pub fn restore_session(&self, caller: &Caller, id: i64) -> Result<SessionRow, VaultError> {
        self.session_with(caller, Right::SessionDelete, id)?;
        let moved = self
            .db
            .write(|tx| sessions::set_removed(tx, id, false).map_err(VaultError::from))?;
        if !moved {
            return Err(VaultError::Conflict(format!("session {id} is not in the trash")));
        }
        self.session(caller, id)
    }

    /// 404 for a session in the trash: it can be read and restored, nothing more.
    pub fn refuse_trashed(session: &SessionRow) -> Result<(), VaultError> {
        if session.removed {
            return Err(VaultError::NotFound(format!(
                "session {} is in the trash; restore it first",
                session.id
            )));
        }
        Ok(())
    }

    /// The lock that keeps purges and backups apart: a backup must find every original
    /// its snapshot of the database names. With `wait` false, `None` when it is taken.
    pub(crate) fn purge_lock(&self, wait: bool) -> Result<Option<File>, VaultError> {
        let path = &self.paths.purge_lock;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| VaultError::Internal(format!("cannot open {}: {e}", path.display())))?;
        if wait {
            file.lock()?;
        } else if let Err(e) = file.try_lock() {
            return match e {
                TryLockError::WouldBlock => Ok(None),
                TryLockError::Error(e) => Err(e.into()),
            };
        }
        Ok(Some(file))
    }

    /// Purges sessions trashed longer than the retention; returns how many. Nothing is
    /// purged while a backup runs: the next round does it.
    pub fn purge_trash(&self) -> Result<usize, VaultError> {
        let Some(_purging) = self.purge_lock(false)? else {
            tracing::info!("a backup is running; purging the trash waits for the next round");
            return Ok(0);
        };
        let retention = self.settings.trash_retention_days as i64 * MICROS_PER_DAY;
        let before = Timestamp::from_micros(Timestamp::now().micros() - retention);
        let mut purged = 0;
        loop {
            let batch = self
                .db
                .read(|c| sessions::trashed_before(c, before, PURGE_BATCH).map_err(VaultError::from))?;
            if batch.is_empty() {
                return Ok(purged);
            }
            for id in batch {
                self.purge_session(id)?;
                purged += 1;
            }
        }
    }

    /// Deletes a session for good. The rows go in one transaction that also records an
    /// intent for each blob; the files go after it. A crash in between leaves intents
    /// that the next start completes.
    fn purge_session(&self, id: i64) -> Result<(), VaultError> {
        let pid = std::process::id();
        let (blobs, prepared) = self.db.write(|tx| -> Result<_, VaultError> {
            let blobs = sessions::blobs_of(tx, id)?;
            for blob in &blobs {
                intents::add(tx, blob, pid)?;
            }
            let prepared = downloads::delete_for_session(tx, id)?;
            search::delete_session(tx, id)?;
            sessions::delete(tx, id)?;
            Ok((blobs, prepared))
        })?;
        for download in prepared {
            match std::fs::remove_file(prepared_path(self, download)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        for blob in blobs {
            if let Some(blob_id) = BlobId::parse(&blob) {
                self.blobs.remove(&blob_id)?;
            }
            self.db
                .write(|tx| intents::remove(tx, &blob).map_err(VaultError::from))?;
        }
        tracing::info!(session = id, "purged from the trash");
        Ok(())
    }
}
