//! `/api/v2/session/<id>/recording`: upload (PUT, recorder) and download (GET/HEAD).

use actix_web::{HttpRequest, HttpResponse, web};

use super::download::{Presentation, serve_blob};
use super::params::Params;
use super::prepared::accepted;
use super::session::session_json;
use super::spec::models::SESSION;
use super::upload::stream_into;
use super::{content_length, content_type, path_id, success};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::vault::VaultError;
use crate::vault::downloads::Delivery;
use crate::vault::ingest::Uploaded;
use crate::vault::model::RecordingFormat;

pub async fn upload(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &SESSION)?;
    let (ct, declared) = (content_type(&req), content_length(&req));
    let vault = state.vault.clone();
    let upload =
        blocking(move || vault.begin_recording_upload(&caller.0, id, ct.as_deref(), declared)).await?;
    match stream_into(upload, payload).await? {
        Uploaded::Recording(session) => Ok(success(
            "session",
            SESSION.render(session_json(session), &fields, false),
        )),
        Uploaded::Transfer(_) => {
            Err(VaultError::Internal("a recording upload stored a transfer".into()).into())
        }
    }
}

pub fn presentation(session_id: i64, format: RecordingFormat) -> Presentation {
    let (extension, content_type) = match format {
        RecordingFormat::Asciicast => ("cast", "application/x-asciicast"),
        RecordingFormat::Webm => ("webm", "video/webm"),
        RecordingFormat::Mp4 => ("mp4", "video/mp4"),
        RecordingFormat::None => ("bin", "application/octet-stream"),
    };
    Presentation {
        file_name: format!("session-{session_id}.{extension}"),
        content_type,
    }
}

pub async fn download(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    Params::parse(req.query_string())?.finish()?;
    let vault = state.vault.clone();
    match blocking(move || vault.deliver_recording(&caller.0, id)).await? {
        Delivery::Direct(session, blob) => {
            let presentation = presentation(session.id, session.recording_format);
            Ok(serve_blob(&req, blob, &presentation))
        }
        Delivery::Queued(download) => Ok(accepted(&download, &state.vault.node)),
    }
}
