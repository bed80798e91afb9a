//! `.../url`: signed download URLs (reference 002). The answer is
//! `{"result":"success","url":"https://HOST/api/v2/...?token=...","expires_at":"..."}`;
//! the URL works with no other credential until it expires, for that one object.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::params::Params;
use super::path_id;
use crate::db::downloads::DownloadKind;
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::vault::{Right, Vault, VaultError};

/// What a signed URL can open.
enum Target {
    Recording(i64),
    Transfer(i64, i64),
    Prepared(DownloadKind, i64),
}

impl Target {
    fn path(&self) -> String {
        match self {
            Target::Recording(id) => format!("/api/v2/session/{id}/recording"),
            Target::Transfer(id, handle) => format!("/api/v2/session/{id}/transfer/{handle}/download"),
            Target::Prepared(kind, id) => format!("/api/v2/download/{}/{id}", kind.as_str()),
        }
    }

    /// The caller must be able to download the object now.
    fn check(&self, vault: &Vault, caller: &crate::vault::Caller) -> Result<(), VaultError> {
        match *self {
            Target::Recording(id) => {
                let session = vault.session_with(caller, Right::SessionDownload, id)?;
                Vault::refuse_trashed(&session)?;
                if session.recording_blob.is_none() {
                    return Err(VaultError::NotFound(format!("session {id} has no recording")));
                }
            }
            Target::Transfer(id, handle) => {
                vault.transfer(caller, Right::SessionDownload, id, handle)?;
            }
            Target::Prepared(kind, id) => {
                vault.download(caller, kind, id)?;
            }
        }
        Ok(())
    }
}

async fn sign(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    target: Target,
) -> Result<HttpResponse, ApiError> {
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    let path = target.path();
    let (token, expires) = blocking(move || {
        target.check(&vault, &caller.0)?;
        vault.sign_download(&caller.0, &target.path())
    })
    .await?;
    let info = req.connection_info();
    let url = format!("{}://{}{path}?token={token}", info.scheme(), info.host());
    Ok(HttpResponse::Ok().json(json!({"result": "success", "url": url, "expires_at": expires})))
}

pub async fn recording(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    sign(state, caller, req, Target::Recording(id)).await
}

pub async fn transfer(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, handle) = path.into_inner();
    let target = Target::Transfer(path_id("id", &id)?, path_id("handle", &handle)?);
    sign(state, caller, req, target).await
}

pub async fn prepared(
    kind: DownloadKind,
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    sign(state, caller, req, Target::Prepared(kind, id)).await
}
