//! `GET /api/v2/audit`: the trail of share creations, revocations and link uses
//! (admins only).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Map, Value, json};

use super::params::Params;
use super::spec::{into_map, models::AUDIT};
use super::success_list;
use crate::db::audit::{AuditFilter, AuditRow};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};

pub fn audit_json(entry: &AuditRow) -> Map<String, Value> {
    let id = |v: Option<i64>| v.map(|v| v.to_string());
    into_map(json!({
        "id": entry.id.to_string(),
        "time": entry.at,
        "action": entry.action,
        "outcome": entry.outcome,
        "session_id": id(entry.session_id),
        "share_id": id(entry.share_id),
        "user_id": id(entry.user_id),
        "resource": entry.resource,
        "remote_address": entry.remote_address,
        "user_agent": entry.user_agent,
        "user_name": entry.user_name,
    }))
}

pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut p = Params::parse(req.query_string())?;
    let fields = p.fields(&AUDIT)?;
    let page = p.page()?;
    let filter = AuditFilter {
        session_id: p.id("session_id")?,
        share_id: p.id("share_id")?,
        action: p.parse_as("action")?,
        outcome: p.parse_as("outcome")?,
        from: p.time_bound("from", false)?,
        to: p.time_bound("to", true)?,
    };
    p.finish()?;
    let vault = state.vault.clone();
    let listing = blocking(move || vault.list_audit(&caller.0, &filter, &page)).await?;
    Ok(success_list("audit", listing, |entry| {
        AUDIT.render(audit_json(&entry), &fields, false)
    }))
}
