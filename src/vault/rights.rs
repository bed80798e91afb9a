//! Who may do what: the rights table of the specification, and the caller a request
//! acts for.

use super::VaultError;
use super::model::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    SessionRead,
    SessionDownload,
    SessionEncode,
    SessionShare,
    SessionDelete,
    Ingest,
    Manage,
}

/// How far a right reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Only sessions whose user is the caller.
    Own,
}

impl Role {
    /// The rights table of SPEC §3; `None` means no right at all.
    pub fn scope(self, right: Right) -> Option<Scope> {
        use Right::*;
        use Role::*;
        match (self, right) {
            (Admin, _) => Some(Scope::All),
            (Operator, SessionRead | SessionDownload | SessionEncode | SessionShare | Ingest) => {
                Some(Scope::All)
            }
            (Auditor, SessionRead | SessionDownload) => Some(Scope::All),
            (User, SessionRead | SessionDownload | SessionEncode) => Some(Scope::Own),
            _ => None,
        }
    }
}

impl Right {
    pub fn describe(self) -> &'static str {
        match self {
            Right::SessionRead => "read sessions",
            Right::SessionDownload => "download sessions",
            Right::SessionEncode => "convert sessions",
            Right::SessionShare => "share sessions",
            Right::SessionDelete => "delete or restore sessions",
            Right::Ingest => "ingest sessions",
            Right::Manage => "manage users and servers",
        }
    }
}

/// The authenticated person or tool a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
}

impl Caller {
    /// The operator at the console (`sessionvault import`): acts with every right.
    pub fn local_admin() -> Caller {
        Caller {
            user_id: 0,
            name: "console".into(),
            role: Role::Admin,
        }
    }

    /// The scope of `right`, or 403 naming what is missing.
    pub fn require(&self, right: Right) -> Result<Scope, VaultError> {
        self.role
            .scope(right)
            .ok_or_else(|| VaultError::Forbidden(format!("role {} may not {}", self.role, right.describe())))
    }

    /// Checks `right` on a session owned by `owner_id`.
    pub fn require_on(&self, right: Right, session_id: i64, owner_id: i64) -> Result<(), VaultError> {
        match self.require(right)? {
            Scope::All => Ok(()),
            Scope::Own if owner_id == self.user_id => Ok(()),
            Scope::Own => Err(VaultError::Forbidden(format!(
                "session {session_id} belongs to another user; role {} may only {} of its own",
                self.role,
                right.describe()
            ))),
        }
    }

    /// The user id a listing must be limited to, if any.
    pub fn own_filter(&self, right: Right) -> Result<Option<i64>, VaultError> {
        Ok(match self.require(right)? {
            Scope::All => None,
            Scope::Own => Some(self.user_id),
        })
    }
}

#[cfg(test)]
mod tests;
