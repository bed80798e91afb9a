//! Servers: the machines sessions were made to.

use super::listing::{self, Listing, Page, Sorting};
use super::rights::{Caller, Right};
use super::users::check_name;
use super::{Vault, VaultError};
use crate::db::DbError;
use crate::db::servers::{self, NewServer, ServerFilter, ServerRow};

const SORTING: Sorting = Sorting {
    model: "server",
    columns: servers::SORTABLE,
    id_column: "id",
    default: "id",
};

impl Vault {
    pub fn create_server(&self, caller: &Caller, new: &NewServer) -> Result<ServerRow, VaultError> {
        caller.require(Right::Manage)?;
        check_name("name", new.name)?;
        if let Some(port) = new.port
            && !(1..=65535).contains(&port)
        {
            return Err(VaultError::bad("port", format!("{port} is not a TCP port")));
        }
        self.db.write(|tx| {
            servers::insert(tx, new).map_err(|e| {
                let e = DbError::from(e);
                if e.is_unique_violation() {
                    VaultError::Conflict(format!("server {} already exists", new.name))
                } else {
                    e.into()
                }
            })
        })
    }

    pub fn server(&self, caller: &Caller, id: i64) -> Result<ServerRow, VaultError> {
        let own = caller.own_filter(Right::SessionRead)?;
        let server = self
            .db
            .read(|c| servers::get(c, id).map_err(VaultError::from))?
            .ok_or_else(|| VaultError::NotFound(format!("server {id} not found")))?;
        if let Some(user_id) = own {
            let mut query = servers::select(&ServerFilter::default());
            query.filter_one("id = ?", id);
            restrict_to_user(&mut query, user_id);
            if self
                .db
                .read(|c| servers::fetch(c, &query).map_err(VaultError::from))?
                .is_empty()
            {
                return Err(VaultError::Forbidden(format!(
                    "role {} may only see servers of its own sessions",
                    caller.role
                )));
            }
        }
        Ok(server)
    }

    /// Servers visible to the caller: all for staff; for role `user`, those it has
    /// sessions on.
    pub fn list_servers(
        &self,
        caller: &Caller,
        filter: &ServerFilter,
        page: &Page,
    ) -> Result<Listing<ServerRow>, VaultError> {
        let own = caller.own_filter(Right::SessionRead)?;
        let mut query = servers::select(filter);
        if let Some(user_id) = own {
            restrict_to_user(&mut query, user_id);
        }
        self.db
            .read(|c| listing::run(c, &self.keys, query, &SORTING, page, servers::map))
    }
}

fn restrict_to_user(query: &mut crate::db::query::Select, user_id: i64) {
    query.filter_one(
        "id IN (SELECT server_id FROM sessions WHERE user_id = ?)",
        user_id,
    );
}
