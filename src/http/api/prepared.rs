//! `/api/v2/session_file` and `/api/v2/session_movie` (reference 000, "Downloads"):
//! list, get, create, delete, and download of the prepared file. The two models share
//! everything but their attributes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::download::{Presentation, Source, base_name, serve};
use super::params::Params;
use super::spec::{Attrs, Id, Input, ModelSpec, attrs, models};
use super::{json_body, path_id, success, success_empty, success_list};
use crate::db::downloads::{DownloadFilter, DownloadKind, DownloadRow};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::vault::{Node, VaultError};

fn spec(kind: DownloadKind) -> &'static ModelSpec {
    match kind {
        DownloadKind::SessionFile => &models::SESSION_FILE,
        DownloadKind::SessionMovie => &models::SESSION_MOVIE,
    }
}

/// Every attribute of a download; the model spec picks what a caller gets.
pub fn download_json(d: &DownloadRow, node: &Node) -> Attrs {
    let encode_on = d.node.clone().unwrap_or_else(|| node.id.clone());
    let mut map = attrs! {
        "id" => Id(d.id),
        "session_id" => Id(d.session_id),
        "encode_on" => json!(encode_on),
        "error" => json!(d.error),
        "session_user" => json!(d.user_name),
        "session_user_id" => Id(d.user_id),
        "session_server" => json!(d.server_name),
        "session_server_id" => Id(d.server_id),
        "session_started" => d.session_started,
        "is_converted" => json!(d.ready),
        "progress" => json!(if d.ready { 100 } else { d.progress }),
        "encode_on_name" => json!(node.name),
        "created_at" => d.created_at,
        "modified_at" => d.modified_at,
        "removed" => json!(d.removed),
    };
    match d.kind {
        DownloadKind::SessionFile => {
            map.push(("handle", json!(d.handle).into()));
            map.push(("delta", json!(d.transfer_delta).into()));
            map.push(("from_server", json!(d.transfer_from_server).into()));
            map.push(("size", json!(d.transfer_size).into()));
        }
        DownloadKind::SessionMovie => {
            map.push(("video_format", json!(d.video_format).into()));
            map.push(("video_resolution", json!(d.video_resolution).into()));
            map.push(("size", json!(d.size).into()));
        }
    }
    map
}

/// The download as its model, with every attribute (used in 202 and 409 answers,
/// where a client polls for progress).
pub fn full(d: &DownloadRow, node: &Node) -> Value {
    spec(d.kind)
        .render(download_json(d, node), &super::spec::FieldSet::all(), false)
        .into_value()
}

/// 202 Accepted with the job that will prepare the download.
pub fn accepted(d: &DownloadRow, node: &Node) -> HttpResponse {
    HttpResponse::Accepted().json(json!({"result": "success", d.kind.as_str(): full(d, node)}))
}

pub async fn list(
    kind: DownloadKind,
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let model = spec(kind);
    let mut p = Params::parse(req.query_string())?;
    let fields = p.fields(model)?;
    let page = p.page()?;
    let filter = DownloadFilter {
        session_id: p.id("session_id")?,
        user_id: None,
        ready: p.bool("is_converted")?,
        video_format: match kind {
            DownloadKind::SessionMovie => p.take("video_format"),
            DownloadKind::SessionFile => None,
        },
    };
    p.finish()?;
    let vault = state.vault.clone();
    let listing = blocking(move || vault.list_downloads(&caller.0, kind, &filter, &page)).await?;
    let node = &state.vault.node;
    Ok(success_list(kind.as_str(), listing, |d| {
        model.render(download_json(&d, node), &fields, false)
    }))
}

pub async fn get(
    kind: DownloadKind,
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), spec(kind))?;
    let vault = state.vault.clone();
    let row = blocking(move || vault.download(&caller.0, kind, id)).await?;
    Ok(success(
        kind.as_str(),
        spec(kind).render(download_json(&row, &state.vault.node), &fields, false),
    ))
}

pub async fn create(
    kind: DownloadKind,
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    Params::parse(req.query_string())?.finish()?;
    let model = spec(kind);
    let accepted_members: &[&str] = match kind {
        DownloadKind::SessionFile => &["session_id", "handle"],
        DownloadKind::SessionMovie => &["session_id", "video_format", "video_resolution"],
    };
    let input = Input::new(model, json_body(&req, payload).await?, accepted_members)?;
    let session_id = input
        .id("session_id")?
        .ok_or_else(|| ApiError::bad("session_id", "is required"))?;
    let vault = state.vault.clone();
    let row = match kind {
        DownloadKind::SessionFile => {
            let handle = input
                .id("handle")?
                .ok_or_else(|| ApiError::bad("handle", "is required"))?;
            blocking(move || vault.request_session_file(&caller.0, session_id, handle)).await?
        }
        DownloadKind::SessionMovie => {
            let format = input.required_string("video_format")?;
            let resolution = input.string("video_resolution")?.unwrap_or_else(|| "auto".into());
            blocking(move || vault.request_session_movie(&caller.0, session_id, &format, &resolution)).await?
        }
    };
    Ok(success(kind.as_str(), full(&row, &state.vault.node)))
}

pub async fn delete(
    kind: DownloadKind,
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    blocking(move || vault.delete_download(&caller.0, kind, id)).await?;
    Ok(success_empty())
}

/// File name and type of a prepared download.
fn presentation(d: &DownloadRow) -> Presentation {
    match d.kind {
        DownloadKind::SessionFile => Presentation {
            file_name: base_name(d.transfer_path.as_deref().unwrap_or("file")),
            content_type: "application/octet-stream",
        },
        DownloadKind::SessionMovie => {
            let (extension, content_type) = match d.video_format.as_deref() {
                Some("asciicast") => ("cast", "application/x-asciicast"),
                Some("text") => ("txt", "text/plain; charset=utf-8"),
                Some("gif") => ("gif", "image/gif"),
                Some("webm") => ("webm", "video/webm"),
                Some("mp4") => ("mp4", "video/mp4"),
                _ => ("bin", "application/octet-stream"),
            };
            Presentation {
                file_name: format!("session-{}.{extension}", d.session_id),
                content_type,
            }
        }
    }
}

pub async fn download(
    kind: DownloadKind,
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    let (prepared, file) = blocking(move || {
        let prepared = vault.open_prepared(&caller.0, kind, id)?;
        let file = std::fs::File::open(&prepared.path).map_err(|e| {
            VaultError::Internal(format!("prepared file of {} {id} is missing: {e}", kind.as_str()))
        })?;
        Ok((prepared, file))
    })
    .await?;
    let d = &prepared.download;
    let (Some(size), Some(sha256)) = (d.size, d.sha256.as_deref()) else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "the prepared file has no size yet",
        ));
    };
    Ok(serve(
        &req,
        Source::File(std::sync::Arc::new(file)),
        size as u64,
        sha256,
        &presentation(d),
    ))
}
