//! Session sharing: time-bounded links (`/sessions/<id>/?key=<key>`) that open one
//! session's player page for anyone holding the key, without an account.
//!
//! The key is 64 characters of `[A-Za-z0-9]` from the OS CSPRNG. It is stored twice,
//! never in the clear: as a keyed digest (the UNIQUE lookup column, so a lookup compares
//! values no caller can steer and no key is ever handed out twice) and sealed with
//! AES-256-GCM (so that GET can show it again, as Fudo does).
//!
//! A link is let in only while `valid_since <= now <= valid_to`, the share is not
//! revoked and its session is not in the trash. Every use is audited, let in or not. A
//! wrong key looks exactly the same whatever it is: random, another session's, or for a
//! session that does not exist.

use super::audit::{self, AuditAction, AuditOutcome, Entry, Origin, SharedResource};
use super::listing::{self, Listing, Page, Sorting};
use super::rights::{Caller, Right};
use super::{Vault, VaultError, parse_id};
use crate::crypto::{self, Purpose};
use crate::db::sessions::{self, SessionRow};
use crate::db::shares::{self, NewShare, ShareFilter, ShareRow};
use crate::db::{DbError, query::Select};
use crate::timestamp::{MICROS_PER_DAY, Timestamp};

const SORTING: Sorting = Sorting {
    model: "session_share",
    columns: shares::SORTABLE,
    id_column: "id",
    default: "created_at",
};

/// Draws of a fresh key before giving up. A repeat among 62^64 keys does not happen;
/// the loop exists so that the UNIQUE column, not luck, is what guarantees it.
const KEY_ATTEMPTS: usize = 3;

#[derive(Debug, Clone)]
pub struct ShareInput {
    pub valid_since: Timestamp,
    pub valid_to: Timestamp,
    pub readonly: bool,
}

/// A share with its key opened.
#[derive(Clone)]
pub struct Share {
    pub row: ShareRow,
    pub key: String,
}

impl Share {
    /// The page the share opens, without the host: `/sessions/<session_id>/?key=<key>`.
    pub fn link(&self) -> String {
        link(self.row.session_id, &self.key)
    }
}

pub fn link(session_id: i64, key: &str) -> String {
    format!("/sessions/{session_id}/?key={key}")
}

/// Never prints the key.
impl std::fmt::Debug for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Share")
            .field("row", &self.row)
            .field("key", &"REDACTED")
            .finish()
    }
}

/// Why a link was not let in.
#[derive(Debug, Clone, PartialEq)]
pub enum Denial {
    /// The request carried no key at all.
    NoKey,
    /// Unknown key, another session's key, or a session that does not exist: one
    /// answer for all, so that the answer tells nothing.
    BadKey,
    NotYetValid {
        valid_since: Timestamp,
    },
    Expired {
        valid_to: Timestamp,
    },
    Revoked,
    SessionRemoved,
}

/// What a link that was let in opens.
#[derive(Debug)]
pub struct Admission {
    pub share: ShareRow,
    pub session: SessionRow,
}

#[derive(Debug)]
pub enum ShareAccess {
    Allowed(Box<Admission>),
    Denied(Denial),
}

/// Refuses a window that is empty, backwards, or longer than `max_days`.
pub fn check_window(input: &ShareInput, max_days: u32) -> Result<(), VaultError> {
    if input.valid_to <= input.valid_since {
        return Err(VaultError::bad("valid_to", "must be after valid_since"));
    }
    // Saturating: the setting is a u32, and u32::MAX days do not fit in microseconds.
    let longest = i64::from(max_days).saturating_mul(MICROS_PER_DAY);
    if input.valid_to.micros() - input.valid_since.micros() > longest {
        return Err(VaultError::bad(
            "valid_to",
            format!(
                "the window from valid_since to valid_to is longer than {max_days} days (setting max_share_days)"
            ),
        ));
    }
    Ok(())
}

fn trashed(session_id: i64) -> VaultError {
    VaultError::NotFound(format!("session {session_id} is in the trash"))
}

impl Vault {
    /// Shares a session: needs the share right on it; the session must exist and not be
    /// in the trash. The creation is audited in the same transaction.
    pub fn create_share(
        &self,
        caller: &Caller,
        session_id: i64,
        input: &ShareInput,
        origin: &Origin,
    ) -> Result<Share, VaultError> {
        let session = self.session_with(caller, Right::SessionShare, session_id)?;
        if session.removed {
            return Err(trashed(session_id));
        }
        check_window(input, self.settings.max_share_days)?;
        for _ in 0..KEY_ATTEMPTS {
            let key = crypto::new_secret_key();
            let digest = self.keys.secret_digest(Purpose::ShareKey, &key);
            let sealed = self.keys.seal_secret(Purpose::ShareKey, key.as_bytes());
            let new = NewShare {
                session_id,
                user_id: caller.user_id,
                key_digest: &digest,
                key_sealed: &sealed,
                valid_since: input.valid_since,
                valid_to: input.valid_to,
                readonly: input.readonly,
            };
            let created = self.db.write(|tx| {
                // Checked again under the write lock: the session may have been trashed
                // since it was read.
                match sessions::get(tx, session_id)? {
                    Some(s) if !s.removed => {}
                    Some(_) => return Err(trashed(session_id)),
                    None => return Err(VaultError::NotFound(format!("session {session_id} not found"))),
                }
                let id = match shares::insert(tx, &new).map_err(DbError::from) {
                    Ok(id) => id,
                    Err(e) if e.is_unique_violation() => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
                let entry = Entry {
                    action: AuditAction::ShareCreate,
                    outcome: AuditOutcome::Success,
                    session_id: Some(session_id),
                    share_id: Some(id),
                    user_id: Some(caller.user_id),
                    resource: None,
                };
                audit::record(tx, entry, origin)?;
                shares::get(tx, session_id, id).map_err(VaultError::from)
            })?;
            if let Some(row) = created {
                return Ok(Share { row, key });
            }
        }
        Err(VaultError::Internal(
            "could not draw an unused share key; is the random number generator broken?".into(),
        ))
    }

    /// The shares of a session, revoked ones included unless filtered out; needs the
    /// right to read the session.
    pub fn list_shares(
        &self,
        caller: &Caller,
        filter: &ShareFilter,
        page: &Page,
    ) -> Result<Listing<Share>, VaultError> {
        self.session_with(caller, Right::SessionRead, filter.session_id)?;
        let query: Select = shares::select(filter);
        let listing = self
            .db
            .read(|c| listing::run(c, &self.keys, query, &SORTING, page, shares::map))?;
        let items = listing
            .items
            .into_iter()
            .map(|row| self.open_share(row))
            .collect::<Result<_, _>>()?;
        Ok(Listing {
            items,
            total_count: listing.total_count,
            next_page_token: listing.next_page_token,
        })
    }

    /// One share of a session, checking `right` on the session.
    pub fn share(
        &self,
        caller: &Caller,
        right: Right,
        session_id: i64,
        id: i64,
    ) -> Result<Share, VaultError> {
        self.session_with(caller, right, session_id)?;
        let row = self
            .db
            .read(|c| shares::get(c, session_id, id).map_err(VaultError::from))?
            .ok_or_else(|| no_such_share(session_id, id))?;
        self.open_share(row)
    }

    /// Revokes a share: from now on its link is refused. Revoking a revoked share
    /// changes nothing and is not audited again.
    pub fn revoke_share(
        &self,
        caller: &Caller,
        session_id: i64,
        id: i64,
        origin: &Origin,
    ) -> Result<(), VaultError> {
        self.session_with(caller, Right::SessionShare, session_id)?;
        self.db.write(|tx| {
            shares::get(tx, session_id, id)?.ok_or_else(|| no_such_share(session_id, id))?;
            if shares::revoke(tx, id)? {
                let entry = Entry {
                    action: AuditAction::ShareRevoke,
                    outcome: AuditOutcome::Success,
                    session_id: Some(session_id),
                    share_id: Some(id),
                    user_id: Some(caller.user_id),
                    resource: None,
                };
                audit::record(tx, entry, origin)?;
            }
            Ok(())
        })
    }

    /// Decides whether a link (session id as it appears in the path, and key) opens
    /// `resource`, and audits the use whatever the answer. A request without a key is
    /// not a use of any link and is not audited.
    pub fn use_share(
        &self,
        session_text: &str,
        key: Option<&str>,
        resource: SharedResource,
        origin: &Origin,
    ) -> Result<ShareAccess, VaultError> {
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            return Ok(ShareAccess::Denied(Denial::NoKey));
        };
        let session_id = parse_id("id", session_text).ok();
        let digest = self.keys.secret_digest(Purpose::ShareKey, key);
        let well_formed = crypto::is_secret_key_shaped(key);
        self.db.write(|tx| {
            let session = match session_id {
                Some(id) => sessions::get(tx, id)?,
                None => None,
            };
            let share = match well_formed {
                true => shares::by_digest(tx, &digest)?,
                false => None,
            };
            // The lookup matched on the digest already; compare once more in constant
            // time so that no path compares secrets byte by byte.
            let share = share.filter(|s| crypto::constant_time_eq(&digest, &s.key_digest));
            let (share, session) = match (share, session) {
                (Some(share), Some(session)) if share.session_id == session.id => (share, session),
                (_, session) => {
                    let entry = use_entry(AuditOutcome::BadKey, session.map(|s| s.id), None, resource);
                    audit::record(tx, entry, origin)?;
                    return Ok(ShareAccess::Denied(Denial::BadKey));
                }
            };
            let now = Timestamp::now();
            let (outcome, denial) = if share.removed {
                (AuditOutcome::Revoked, Some(Denial::Revoked))
            } else if session.removed {
                (AuditOutcome::SessionRemoved, Some(Denial::SessionRemoved))
            } else if now < share.valid_since {
                let valid_since = share.valid_since;
                (
                    AuditOutcome::NotYetValid,
                    Some(Denial::NotYetValid { valid_since }),
                )
            } else if now > share.valid_to {
                let valid_to = share.valid_to;
                (AuditOutcome::Expired, Some(Denial::Expired { valid_to }))
            } else {
                (AuditOutcome::Allowed, None)
            };
            let entry = use_entry(outcome, Some(session.id), Some(share.id), resource);
            audit::record(tx, entry, origin)?;
            Ok(match denial {
                Some(denial) => ShareAccess::Denied(denial),
                None => ShareAccess::Allowed(Box::new(Admission { share, session })),
            })
        })
    }

    fn open_share(&self, row: ShareRow) -> Result<Share, VaultError> {
        let key = self
            .keys
            .open_secret(Purpose::ShareKey, &row.key_sealed)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                VaultError::Internal(format!(
                    "share {}: its sealed key does not open (altered, or keys/ was replaced)",
                    row.id
                ))
            })?;
        Ok(Share { row, key })
    }
}

fn use_entry(
    outcome: AuditOutcome,
    session_id: Option<i64>,
    share_id: Option<i64>,
    resource: SharedResource,
) -> Entry {
    Entry {
        action: AuditAction::ShareUse,
        outcome,
        session_id,
        share_id,
        user_id: None,
        resource: Some(resource),
    }
}

fn no_such_share(session_id: i64, id: i64) -> VaultError {
    VaultError::NotFound(format!("session {session_id} has no share {id}"))
}

#[cfg(test)]
mod tests;
