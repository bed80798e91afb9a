//! `GET /api/v2/audit`: the trail of share creations, revocations and link uses
//! (admins only).

use actix_web::{HttpRequest, HttpResponse, web};

use serde_json::json;

use super::params::Params;
use super::spec::{Attrs, Id, attrs, models::AUDIT};
use super::success_list;
use crate::db::audit::{AuditFilter, AuditRow};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};

pub fn audit_json(entry: &AuditRow) -> Attrs {
    attrs! {
        "id" => Id(entry.id),
        "time" => entry.at,
        "action" => json!(entry.action),
        "outcome" => json!(entry.outcome),
        "session_id" => entry.session_id.map(Id),
        "share_id" => entry.share_id.map(Id),
        "user_id" => entry.user_id.map(Id),
        "resource" => json!(entry.resource),
        "remote_address" => json!(entry.remote_address),
        "user_agent" => json!(entry.user_agent),
        "user_name" => json!(entry.user_name),
    }
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
