//! Users: people who log in or hold API keys, and the accounts sessions were made as.

use super::listing::{self, Listing, Page, Sorting};
use super::model::Role;
use super::rights::{Caller, Right, Scope};
use super::{Vault, VaultError};
use crate::crypto;
use crate::db::users::{self, UserFilter, UserRow};
use crate::db::{DbError, query::Select};

const SORTING: Sorting = Sorting {
    model: "user",
    columns: users::SORTABLE,
    id_column: "id",
    default: "id",
};

pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub password: Option<String>,
}

/// Names of users and servers: printable, no surrounding space, at most 255 bytes.
pub fn check_name(field: &str, name: &str) -> Result<(), VaultError> {
    if name.is_empty() {
        return Err(VaultError::bad(field, "must not be empty"));
    }
    if name.len() > 255 {
        return Err(VaultError::bad(field, "longer than 255 bytes"));
    }
    if name.trim() != name || name.chars().any(char::is_control) {
        return Err(VaultError::bad(
            field,
            "has surrounding spaces or control characters",
        ));
    }
    Ok(())
}

impl Vault {
    pub fn create_user(&self, caller: Option<&Caller>, new: NewUser) -> Result<UserRow, VaultError> {
        if let Some(caller) = caller {
            caller.require(Right::Manage)?;
        }
        check_name("name", &new.name)?;
        if let Some(password) = &new.password
            && password.len() < 8
        {
            return Err(VaultError::bad("password", "must be at least 8 characters"));
        }
        let hash = new
            .password
            .as_deref()
            .map(|p| crypto::hash_password(p, self.settings.pbkdf2_iterations));
        self.db.write(|tx| {
            users::insert(tx, &new.name, new.role, hash.as_deref()).map_err(|e| {
                let e = DbError::from(e);
                if e.is_unique_violation() {
                    VaultError::Conflict(format!("user {} already exists", new.name))
                } else {
                    e.into()
                }
            })
        })
    }

    pub fn user(&self, caller: &Caller, id: i64) -> Result<UserRow, VaultError> {
        if caller.require(Right::SessionRead)? == Scope::Own && id != caller.user_id {
            return Err(VaultError::Forbidden(format!(
                "role {} may only see its own user",
                caller.role
            )));
        }
        self.db
            .read(|c| users::get(c, id).map_err(VaultError::from))?
            .ok_or_else(|| VaultError::NotFound(format!("user {id} not found")))
    }

    /// Users visible to the caller: everyone for staff, oneself for role `user`.
    pub fn list_users(
        &self,
        caller: &Caller,
        filter: &UserFilter,
        page: &Page,
    ) -> Result<Listing<UserRow>, VaultError> {
        let own = caller.own_filter(Right::SessionRead)?;
        let mut query: Select = users::select(filter);
        if let Some(user_id) = own {
            query.filter_one("id = ?", user_id);
        }
        self.db
            .read(|c| listing::run(c, &self.keys, query, &SORTING, page, users::map))
    }
}
