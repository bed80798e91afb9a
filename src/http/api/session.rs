//! `/api/v2/session`: create (recorder), list, get.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::params::Params;
use super::spec::{Attrs, Id, Input, attrs, models::SESSION};
use super::{json_body, path_id, success, success_empty, success_list};
use crate::db::search::{MAX_TERMS, Term, match_terms};
use crate::db::sessions::{SessionFilter, SessionRow};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::timestamp::Timestamp;
use crate::vault::model::Protocol;
use crate::vault::sessions::SessionInput;

/// Every attribute of a session; takes the row to move its strings, not copy them.
pub fn session_json(s: SessionRow) -> Attrs {
    let mut map = attrs! {
        "id" => Id(s.id),
        "user_id" => Id(s.user_id),
        "server_id" => Id(s.server_id),
        "protocol" => s.protocol.as_str(),
        "started" => s.started,
        "ended" => s.ended,
        "status" => s.status().as_str(),
        "duration" => json!(s.duration_seconds()),
        "recording_format" => s.recording_format.as_str(),
        "recording_size" => json!(s.recording_size),
        "recording_sha256" => s.recording_sha256,
        "transfer_count" => json!(s.transfer_count),
        "transfer_size" => json!(s.transfer_bytes),
        "removed" => json!(s.removed),
        "removed_at" => s.removed_at,
        "created_at" => s.created_at,
        "modified_at" => s.modified_at,
        "user_name" => s.user_name,
        "server_name" => s.server_name,
    };
    if let Some(t) = s.match_time {
        map.push(("match_time", json!(t).into()));
    }
    map
}

/// The terms of `q=`, refused when it has no words or too many.
fn search_terms(q: &str) -> Result<Vec<Term>, ApiError> {
    let terms = match_terms(q).ok_or_else(|| ApiError::bad("q", "has no words to search for"))?;
    if terms.len() > MAX_TERMS {
        return Err(ApiError::bad(
            "q",
            format!("names {} words; a search takes at most {MAX_TERMS}", terms.len()),
        ));
    }
    Ok(terms)
}

pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut p = Params::parse(req.query_string())?;
    let fields = p.fields(&SESSION)?;
    let page = p.page()?;
    let filter = SessionFilter {
        user_id: p.id("user_id")?,
        server_id: p.id("server_id")?,
        protocol: p.parse_as("protocol")?,
        status: p.parse_as("status")?,
        from: p.time_bound("from", false)?,
        to: p.time_bound("to", true)?,
        removed: p.bool("trash")?.unwrap_or(false),
        with_names: fields.wants("user_name") || fields.wants("server_name"),
        text: match p.take("q") {
            Some(q) => Some(search_terms(&q)?),
            None => None,
        },
    };
    p.finish()?;
    let vault = state.vault.clone();
    let listing = blocking(move || vault.list_sessions(&caller.0, &filter, &page)).await?;
    Ok(success_list("session", listing, |s| {
        SESSION.render(session_json(s), &fields, false)
    }))
}

pub async fn get(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &SESSION)?;
    let vault = state.vault.clone();
    let session = blocking(move || vault.session(&caller.0, id)).await?;
    Ok(success(
        "session",
        SESSION.render(session_json(session), &fields, false),
    ))
}

fn time(input: &Input, key: &str) -> Result<Option<Timestamp>, ApiError> {
    input
        .string(key)?
        .map(|text| Timestamp::parse(&text).map_err(|e| ApiError::bad(key, e)))
        .transpose()
}

pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let fields = Params::fields_only(req.query_string(), &SESSION)?;
    caller.0.require(crate::vault::Right::Ingest)?;
    let input = Input::new(
        &SESSION,
        json_body(&req, payload).await?,
        &["user", "server", "protocol", "started", "ended"],
    )?;
    let session = SessionInput {
        user: input.required_string("user")?,
        server: input.required_string("server")?,
        protocol: input
            .parsed::<Protocol>("protocol")?
            .ok_or_else(|| ApiError::bad("protocol", "is required"))?,
        started: time(&input, "started")?.ok_or_else(|| ApiError::bad("started", "is required"))?,
        ended: time(&input, "ended")?,
    };
    let vault = state.vault.clone();
    let row = blocking(move || vault.create_session(&caller.0, &session)).await?;
    Ok(success(
        "session",
        SESSION.render(session_json(row), &fields, false),
    ))
}

/// `DELETE /api/v2/session/<id>`: moves the session to the trash.
pub async fn delete(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    blocking(move || vault.trash_session(&caller.0, id)).await?;
    Ok(success_empty())
}

/// `POST /api/v2/session/<id>/restore`: brings a session back from the trash.
pub async fn restore(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &SESSION)?;
    let vault = state.vault.clone();
    let session = blocking(move || vault.restore_session(&caller.0, id)).await?;
    Ok(success(
        "session",
        SESSION.render(session_json(session), &fields, false),
    ))
}
