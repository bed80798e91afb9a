//! A consistent online copy of the vault: the database as of one moment, every original
//! it names, and the keys that open them, while the server goes on serving. The copy is
//! itself a data folder: `sessionvault serve --data-dir DEST` runs on it.
//!
//! Order matters. The database is snapshotted first (under a temporary name), then the
//! originals that snapshot names are copied (stored blobs are never changed once named,
//! and the purge lock keeps the trash purger from deleting one meanwhile), then the keys;
//! the snapshot gets its real name last, so a backup cut short is recognisably
//! incomplete: it has no `sessionvault.db`.

use std::path::Path;

use rusqlite::Connection;

use super::{DataPaths, Vault, VaultError, create_private_dir};
use crate::blobstore::{BlobId, sync_dir};
use crate::db::sessions;

pub struct BackupReport {
    /// Originals copied (recordings and transferred files).
    pub originals: u64,
    /// Bytes of them as stored (compressed and sealed).
    pub stored_bytes: u64,
}

/// The snapshot's name until the backup is complete.
const PARTIAL_DATABASE: &str = "sessionvault.db.partial";

impl Vault {
    pub fn backup(&self, dest: &Path) -> Result<BackupReport, VaultError> {
        refuse_used_destination(dest)?;
        let to = DataPaths::new(dest);
        for dir in [&to.root, &to.blobs, &to.keys, &to.tls] {
            create_private_dir(dir)
                .map_err(|e| VaultError::Internal(format!("cannot create {}: {e}", dir.display())))?;
        }
        let _no_purges = self.purge_lock(true)?;

        let partial = to.root.join(PARTIAL_DATABASE);
        self.db
            .snapshot_to(&partial)
            .map_err(|e| VaultError::Internal(format!("cannot copy the database: {e}")))?;
        let snapshot = Connection::open(&partial)?;
        let originals = sessions::stored_originals(&snapshot)?;
        // Prepared files and unfinished uploads are not copied: their rows go too, and
        // the copy prepares downloads again when they are asked for.
        snapshot.execute_batch("DELETE FROM downloads; DELETE FROM jobs; DELETE FROM blob_intents;")?;
        drop(snapshot);

        let mut report = BackupReport {
            originals: 0,
            stored_bytes: 0,
        };
        for original in &originals {
            let copied = BlobId::parse(&original.blob)
                .ok_or_else(|| std::io::Error::other("malformed blob id"))
                .and_then(|id| self.blobs.copy_to(&id, &to.blobs));
            match copied {
                Ok(bytes) => {
                    report.originals += 1;
                    report.stored_bytes += bytes;
                }
                Err(e) => {
                    return Err(VaultError::Internal(format!(
                        "cannot copy the original of {}: {e}",
                        original.describe
                    )));
                }
            }
        }
        copy_files(&self.paths.keys, &to.keys)?;
        copy_files(&self.paths.tls, &to.tls)?;
        std::fs::rename(&partial, &to.database)?;
        sync_dir(&to.root)?;
        Ok(report)
    }
}

/// A backup goes to a new folder or an empty one, never over another vault.
fn refuse_used_destination(dest: &Path) -> Result<(), VaultError> {
    match std::fs::read_dir(dest) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(VaultError::Conflict(format!(
                    "{} is not empty: back up to a new or empty folder",
                    dest.display()
                )));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::Internal(format!(
            "cannot use {}: {e}",
            dest.display()
        ))),
    }
}

/// Copies the plain files of `from` (keys, certificates) into `to`, owner-only, durably.
fn copy_files(from: &Path, to: &Path) -> Result<(), VaultError> {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target)?;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))?;
        std::fs::File::open(&target)?.sync_all()?;
    }
    sync_dir(to)?;
    Ok(())
}
