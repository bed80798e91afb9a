//! The audit trail of sharing: who created or revoked a share, and every use of a link
//! (allowed or not), with where it came from. Visible to admins only.

// `text_enum!` names these unqualified.
use std::fmt;
use std::str::FromStr;

use rusqlite::Connection;

use super::listing::{self, Listing, Page, Sorting};
use super::model::text_enum;
use super::rights::{Caller, Right};
use super::{Vault, VaultError};
use crate::db::audit::{self, AuditFilter, AuditRow, NewAudit};

text_enum!(
    /// What an audit entry records.
    AuditAction { ShareCreate = "share_create", ShareRevoke = "share_revoke", ShareUse = "share_use" }
);

text_enum!(
    /// How it ended: `success` for creations and revocations; for a use of a link,
    /// whether it was let in and, if not, why.
    AuditOutcome {
        Success = "success",
        Allowed = "allowed",
        NotYetValid = "not_yet_valid",
        Expired = "expired",
        Revoked = "revoked",
        SessionRemoved = "session_removed",
        BadKey = "bad_key",
    }
);

text_enum!(
    /// What a link was used to fetch.
    SharedResource { Page = "page", Recording = "recording" }
);

/// Longest user agent kept; the rest is cut off so that a client cannot bloat the trail.
const MAX_USER_AGENT: usize = 512;

/// Where a request came from, as the audit trail keeps it.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The connecting peer's IP address (never a forwarded-for header: it is the
    /// client's word).
    pub remote_address: Option<String>,
    pub user_agent: Option<String>,
}

impl Origin {
    pub fn new(remote_address: Option<String>, user_agent: Option<&str>) -> Origin {
        let user_agent = user_agent.map(|ua| {
            ua.chars()
                .filter(|c| !c.is_control())
                .take(MAX_USER_AGENT)
                .collect::<String>()
        });
        Origin {
            remote_address,
            user_agent: user_agent.filter(|ua| !ua.is_empty()),
        }
    }
}

/// One entry to write, with the origin filled in by [`record`].
pub struct Entry {
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    pub session_id: Option<i64>,
    pub share_id: Option<i64>,
    pub user_id: Option<i64>,
    pub resource: Option<SharedResource>,
}

/// Writes an entry; call it inside the transaction of the change it records, so that
/// the change and its trail are committed together.
pub fn record(conn: &Connection, entry: Entry, origin: &Origin) -> Result<(), VaultError> {
    audit::insert(
        conn,
        &NewAudit {
            action: entry.action,
            outcome: entry.outcome,
            session_id: entry.session_id,
            share_id: entry.share_id,
            user_id: entry.user_id,
            resource: entry.resource,
            remote_address: origin.remote_address.as_deref(),
            user_agent: origin.user_agent.as_deref(),
        },
    )?;
    Ok(())
}

const SORTING: Sorting = Sorting {
    model: "audit",
    columns: audit::SORTABLE,
    id_column: "a.id",
    default: "time",
};

impl Vault {
    /// The audit trail, newest first by default; admins only.
    pub fn list_audit(
        &self,
        caller: &Caller,
        filter: &AuditFilter,
        page: &Page,
    ) -> Result<Listing<AuditRow>, VaultError> {
        caller.require(Right::Manage)?;
        let query = audit::select(filter);
        self.db
            .read(|c| listing::run(c, &self.keys, query, &SORTING, page, audit::map))
    }
}

#[cfg(test)]
mod tests;
