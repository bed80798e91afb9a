//! `/api/v2/session/<id>/transfer`: upload (POST, recorder), list, get.

use actix_web::{HttpRequest, HttpResponse, web};

use serde_json::json;

use super::download::{Presentation, base_name, serve_blob};
use super::params::Params;
use super::prepared::accepted;
use super::spec::{Attrs, Id, attrs, models::TRANSFER};
use super::upload::stream_into;
use super::{content_length, content_type, path_id, success, success_list};
use crate::db::transfers::TransferRow;
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::vault::downloads::Delivery;
use crate::vault::ingest::{TransferInput, Uploaded};
use crate::vault::listing::Listing;
use crate::vault::{Right, VaultError};

pub fn transfer_json(t: &TransferRow) -> Attrs {
    attrs! {
        "session_id" => Id(t.session_id),
        "handle" => json!(t.handle),
        "path" => json!(t.path),
        "size" => json!(t.size),
        "from_server" => json!(t.from_server),
        "delta" => json!(t.delta),
        "sha256" => json!(t.sha256),
        "created_at" => t.created_at,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &TRANSFER)?;
    let vault = state.vault.clone();
    let rows = blocking(move || vault.list_transfers(&caller.0, id)).await?;
    let listing = Listing {
        items: rows,
        total_count: None,
        next_page_token: None,
    };
    Ok(success_list("transfer", listing, |t| {
        TRANSFER.render(transfer_json(&t), &fields, false)
    }))
}

pub async fn get(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, handle) = path.into_inner();
    let (id, handle) = (path_id("id", &id)?, path_id("handle", &handle)?);
    let fields = Params::fields_only(req.query_string(), &TRANSFER)?;
    let vault = state.vault.clone();
    let row = blocking(move || vault.transfer(&caller.0, Right::SessionRead, id, handle)).await?;
    Ok(success(
        "transfer",
        TRANSFER.render(transfer_json(&row), &fields, false),
    ))
}

pub async fn upload(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let session_id = path_id("id", &id)?;
    let mut p = Params::parse(req.query_string())?;
    let input = TransferInput {
        session_id,
        path: p.take("path").unwrap_or_default(),
        from_server: p.bool("from_server")?.unwrap_or(false),
        delta: p.parse_as("delta")?.unwrap_or(0),
    };
    p.finish()?;
    let (ct, declared) = (content_type(&req), content_length(&req));
    let vault = state.vault.clone();
    let upload =
        blocking(move || vault.begin_transfer_upload(&caller.0, input, ct.as_deref(), declared)).await?;
    match stream_into(upload, payload).await? {
        Uploaded::Transfer(row) => Ok(success(
            "transfer",
            TRANSFER.render(transfer_json(&row), &Default::default(), false),
        )),
        Uploaded::Recording(_) => {
            Err(VaultError::Internal("a transfer upload stored a recording".into()).into())
        }
    }
}

/// `GET .../transfer/<handle>/download`: below the direct-download limit the bytes at
/// once; at or above it 202 and the session_file that prepares them.
pub async fn download(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, handle) = path.into_inner();
    let (id, handle) = (path_id("id", &id)?, path_id("handle", &handle)?);
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    match blocking(move || vault.deliver_transfer(&caller.0, id, handle)).await? {
        Delivery::Direct(transfer, blob) => {
            let presentation = Presentation {
                file_name: base_name(&transfer.path),
                content_type: "application/octet-stream",
            };
            Ok(serve_blob(&req, blob, &presentation))
        }
        Delivery::Queued(download) => Ok(accepted(&download, &state.vault.node)),
    }
}
