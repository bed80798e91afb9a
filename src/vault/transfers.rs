//! Transfers: the files moved during a session, and reading them back.

use std::sync::Arc;

use super::rights::{Caller, Right};
use super::{Vault, VaultError};
use crate::blobstore::{BlobId, BlobReader};
use crate::db::transfers::{self, TransferRow};

impl Vault {
    pub fn list_transfers(&self, caller: &Caller, session_id: i64) -> Result<Vec<TransferRow>, VaultError> {
        self.session(caller, session_id)?;
        self.db
            .read(|c| transfers::for_session(c, session_id).map_err(VaultError::from))
    }

    pub fn transfer(
        &self,
        caller: &Caller,
        right: Right,
        session_id: i64,
        handle: i64,
    ) -> Result<TransferRow, VaultError> {
        let session = self.session_with(caller, right, session_id)?;
        if right != Right::SessionRead {
            Vault::refuse_trashed(&session)?;
        }
        self.db
            .read(|c| transfers::get(c, session_id, handle).map_err(VaultError::from))?
            .ok_or_else(|| VaultError::NotFound(format!("session {session_id} has no transfer {handle}")))
    }

    /// Opens a stored original for reading.
    pub fn open_blob(&self, blob: &str) -> Result<Arc<BlobReader>, VaultError> {
        let id =
            BlobId::parse(blob).ok_or_else(|| VaultError::Internal(format!("malformed blob id {blob}")))?;
        Ok(Arc::new(self.blobs.open_blob(&id)?))
    }
}
