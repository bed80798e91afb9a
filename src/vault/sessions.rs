//! Sessions: creating them (recorder side), reading and listing them (everyone with the
//! right, role `user` for its own only).

use rusqlite::Connection;

use super::listing::{self, Listing, Page, Sorting};
use super::model::Protocol;
use super::rights::{Caller, Right};
use super::search::first_matching_line;
use super::users::check_name;
use super::{Vault, VaultError};
use crate::db::search::{self, Term, TextRow};
use crate::db::sessions::{self, NewSession, SessionFilter, SessionRow};
use crate::db::{servers, users};
use crate::timestamp::Timestamp;

const SORTING: Sorting = Sorting {
    model: "session",
    columns: sessions::SORTABLE,
    id_column: "s.id",
    default: "started",
};

const SEARCH_SORTING: Sorting = Sorting {
    model: "session",
    columns: sessions::SEARCH_SORTABLE,
    id_column: "s.id",
    default: "relevance",
};

pub struct SessionInput {
    pub user: String,
    pub server: String,
    pub protocol: Protocol,
    pub started: Timestamp,
    pub ended: Option<Timestamp>,
}

impl Vault {
    /// Records a new session; its user and server are created on first sight.
    pub fn create_session(&self, caller: &Caller, input: &SessionInput) -> Result<SessionRow, VaultError> {
        caller.require(Right::Ingest)?;
        check_name("user", &input.user)?;
        check_name("server", &input.server)?;
        if let Some(ended) = input.ended
            && ended < input.started
        {
            return Err(VaultError::bad("ended", "is before started"));
        }
        self.db.write(|tx| {
            let user = users::get_or_create(tx, &input.user)?;
            let server = servers::get_or_create(tx, &input.server, input.protocol.as_str())?;
            let id = sessions::insert(
                tx,
                &NewSession {
                    user_id: user.id,
                    server_id: server.id,
                    protocol: input.protocol,
                    started: input.started,
                    ended: input.ended,
                },
            )?;
            let names = format!("{} {}", user.name, server.name);
            search::insert(
                tx,
                &TextRow {
                    session_id: id,
                    kind: "names",
                    time: None,
                    body: &names,
                    line_times: None,
                },
            )?;
            sessions::get(tx, id)?.ok_or_else(|| VaultError::Internal(format!("session {id} vanished")))
        })
    }

    /// A session the caller holds `right` on; 404 if there is none, 403 if it is not
    /// the caller's to see.
    pub fn session_with(&self, caller: &Caller, right: Right, id: i64) -> Result<SessionRow, VaultError> {
        caller.require(right)?;
        let session = self
            .db
            .read(|c| sessions::get(c, id).map_err(VaultError::from))?
            .ok_or_else(|| VaultError::NotFound(format!("session {id} not found")))?;
        caller.require_on(right, id, session.user_id)?;
        Ok(session)
    }

    pub fn session(&self, caller: &Caller, id: i64) -> Result<SessionRow, VaultError> {
        self.session_with(caller, Right::SessionRead, id)
    }

    pub fn list_sessions(
        &self,
        caller: &Caller,
        filter: &SessionFilter,
        page: &Page,
    ) -> Result<Listing<SessionRow>, VaultError> {
        let mut filter = filter.clone();
        if let Some(own) = caller.own_filter(Right::SessionRead)? {
            if filter.user_id.is_some_and(|u| u != own) {
                return Err(VaultError::Forbidden(format!(
                    "role {} may only list its own sessions",
                    caller.role
                )));
            }
            filter.user_id = Some(own);
        }
        let query = sessions::select(&filter);
        let sorting = if filter.text.is_some() {
            &SEARCH_SORTING
        } else {
            &SORTING
        };
        self.db.read(|c| {
            let mut listing = listing::run(c, &self.keys, query, sorting, page, sessions::map)?;
            if let Some(terms) = &filter.text {
                time_first_matches(c, &mut listing.items, terms)?;
            }
            Ok(listing)
        })
    }
}

/// Narrows each found session's `match_time` from the passage that holds its first
/// match to the line that does.
fn time_first_matches(conn: &Connection, found: &mut [SessionRow], terms: &[Term]) -> Result<(), VaultError> {
    let timed: Vec<i64> = found
        .iter()
        .filter(|s| s.match_time.is_some())
        .map(|s| s.id)
        .collect();
    if timed.is_empty() {
        return Ok(());
    }
    for (session_id, passage) in search::first_passages(conn, &timed, &search::any_of(terms))? {
        let line = passage
            .line_times
            .as_deref()
            .and_then(|times| first_matching_line(&passage.body, times, terms));
        if let Some(session) = found.iter_mut().find(|s| s.id == session_id) {
            session.match_time = Some(line.unwrap_or(passage.time));
        }
    }
    Ok(())
}
