//! `/api/v2/session/<id>/share`: list, create; `/api/v2/session/<id>/share/<share_id>`:
//! get, revoke (DELETE), and PATCH, which always refuses (every attribute is immutable
//! or read-only) but names the attribute at fault.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::params::Params;
use super::spec::{Attrs, Id, Input, attrs, models::SESSION_SHARE};
use super::{json_body, path_id, success, success_empty, success_list};
use crate::db::shares::ShareFilter;
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::http::origin::origin;
use crate::timestamp::Timestamp;
use crate::vault::shares::{Share, ShareInput};
use crate::vault::{Caller, Right};

pub fn share_json(share: &Share) -> Attrs {
    let row = &share.row;
    attrs! {
        "id" => Id(row.id),
        "session_id" => Id(row.session_id),
        "user_id" => Id(row.user_id),
        "key" => json!(share.key),
        "valid_since" => row.valid_since,
        "valid_to" => row.valid_to,
        "readonly" => json!(row.readonly),
        "link" => json!(share.link()),
        "created_at" => row.created_at,
        "modified_at" => row.modified_at,
        "removed" => json!(row.removed),
    }
}

/// The sharer (`user_id`, hidden) is shown to admins only.
fn shows_hidden(caller: &Caller) -> bool {
    caller.require(Right::Manage).is_ok()
}

fn ids(path: (String, String)) -> Result<(i64, i64), ApiError> {
    Ok((path_id("id", &path.0)?, path_id("share_id", &path.1)?))
}

pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let session_id = path_id("id", &id)?;
    let mut p = Params::parse(req.query_string())?;
    let fields = p.fields(&SESSION_SHARE)?;
    let page = p.page()?;
    let filter = ShareFilter {
        session_id,
        removed: p.bool("removed")?,
    };
    p.finish()?;
    let hidden = shows_hidden(&caller.0);
    let vault = state.vault.clone();
    let listing = blocking(move || vault.list_shares(&caller.0, &filter, &page)).await?;
    Ok(success_list("session_share", listing, |s| {
        SESSION_SHARE.render(share_json(&s), &fields, hidden)
    }))
}

pub async fn get(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (session_id, id) = ids(path.into_inner())?;
    let fields = Params::fields_only(req.query_string(), &SESSION_SHARE)?;
    let hidden = shows_hidden(&caller.0);
    let vault = state.vault.clone();
    let share = blocking(move || vault.share(&caller.0, Right::SessionRead, session_id, id)).await?;
    Ok(success(
        "session_share",
        SESSION_SHARE.render(share_json(&share), &fields, hidden),
    ))
}

/// A required ISO 8601 time, parsed strictly.
fn required_time(input: &Input, key: &str) -> Result<Timestamp, ApiError> {
    let text = input.required_string(key)?;
    Timestamp::parse(&text).map_err(|e| ApiError::bad(key, e))
}

pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let session_id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &SESSION_SHARE)?;
    caller.0.require(Right::SessionShare)?;
    let input = Input::new(
        &SESSION_SHARE,
        json_body(&req, payload).await?,
        &["session_id", "valid_since", "valid_to", "readonly"],
    )?;
    if input.id("session_id")?.is_some_and(|given| given != session_id) {
        return Err(ApiError::bad(
            "session_id",
            format!("does not match session {session_id} of the path"),
        ));
    }
    let share = ShareInput {
        valid_since: required_time(&input, "valid_since")?,
        valid_to: required_time(&input, "valid_to")?,
        readonly: input
            .bool("readonly")?
            .ok_or_else(|| ApiError::bad("readonly", "is required"))?,
    };
    let origin = origin(&req);
    let hidden = shows_hidden(&caller.0);
    let vault = state.vault.clone();
    let created = blocking(move || vault.create_share(&caller.0, session_id, &share, &origin)).await?;
    Ok(success(
        "session_share",
        SESSION_SHARE.render(share_json(&created), &fields, hidden),
    ))
}

pub async fn revoke(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (session_id, id) = ids(path.into_inner())?;
    Params::parse(req.query_string())?.finish()?;
    let origin = origin(&req);
    let vault = state.vault.clone();
    blocking(move || vault.revoke_share(&caller.0, session_id, id, &origin)).await?;
    Ok(success_empty())
}

/// Nothing about a share can change once it exists; the answer names the first
/// attribute the body tries to set, after the usual checks of key, right and share.
pub async fn patch(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (session_id, id) = ids(path.into_inner())?;
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    blocking(move || vault.share(&caller.0, Right::SessionShare, session_id, id)).await?;
    Input::new(&SESSION_SHARE, json_body(&req, payload).await?, &[])?;
    Err(ApiError::bad(
        "body",
        "sets no attribute; a session_share cannot be changed (revoke it and create another)",
    ))
}
