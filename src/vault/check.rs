//! Verifying the store: every original read back and hashed.

use super::{Vault, VaultError};
use crate::blobstore::BlobId;
use crate::crypto;
use crate::db::sessions;

pub struct CheckReport {
    pub checked: u64,
    pub bytes: u64,
    /// One line per damaged or missing original.
    pub problems: Vec<String>,
}

impl Vault {
    pub fn check_blobs(&self) -> Result<CheckReport, VaultError> {
        let stored = self
            .db
            .read(|c| sessions::stored_originals(c).map_err(VaultError::from))?;
        let mut report = CheckReport {
            checked: 0,
            bytes: 0,
            problems: Vec::new(),
        };
        for original in stored {
            report.checked += 1;
            let verdict = BlobId::parse(&original.blob)
                .ok_or_else(|| "malformed blob id".to_string())
                .and_then(|id| self.blobs.open_blob(&id).map_err(|e| e.to_string()))
                .and_then(|reader| {
                    reader.verify().map_err(|e| e.to_string())?;
                    if crypto::hex(&reader.sha256()) != original.sha256 {
                        return Err("SHA-256 differs from the one recorded at ingest".into());
                    }
                    Ok(reader.size())
                });
            match verdict {
                Ok(size) => report.bytes += size,
                Err(why) => report.problems.push(format!("{}: {why}", original.describe)),
            }
        }
        Ok(report)
    }
}
