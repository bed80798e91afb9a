//! The share link: `/sessions/<id>/?key=<key>` opens the session's player page, read-only
//! and without an account, while the share is valid; `/sessions/<id>/recording?key=<key>`
//! is the recording the player plays. Both check the key, and both are audited, on
//! every request.
//!
//! Every answer here (let in or not) carries `Referrer-Policy: no-referrer` (the URL
//! holds the key), `Cache-Control: no-store` (a revoked link must not live on in a
//! cache) and a self-only Content-Security-Policy.

use actix_web::http::StatusCode;
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{blocking, html, notice};
use crate::db::sessions::SessionRow;
use crate::db::shares::ShareRow;
use crate::http::AppState;
use crate::http::api::download::serve_blob;
use crate::http::api::recording::presentation;
use crate::http::origin::origin;
use crate::timestamp::Timestamp;
use crate::vault::audit::SharedResource;
use crate::vault::model::RecordingFormat;
use crate::vault::shares::{Denial, ShareAccess};

/// Scripts, styles, media and fetches from this origin only; no plugins, no framing,
/// no `<base>` tricks.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Referrer-Policy", "no-referrer"))
        .add(("Cache-Control", "no-store"))
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("X-Robots-Tag", "noindex, nofollow"))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    for path in ["/sessions/{id}/", "/sessions/{id}"] {
        cfg.service(
            web::resource(path)
                .wrap(security_headers())
                .route(web::get().to(page)),
        );
    }
    cfg.service(
        web::resource("/sessions/{id}/recording")
            .wrap(security_headers())
            .route(web::get().to(recording))
            .route(web::head().to(recording)),
    );
}

/// The `key` query parameter, if any. Other parameters are ignored: this is a page, and
/// a link pasted with tracking parameters should still open.
fn presented_key(req: &HttpRequest) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()?
        .into_iter()
        .find(|(name, _)| name == "key")
        .map(|(_, value)| value)
}

/// A link that was let in: its share, its session, and the key it presented.
struct Admitted {
    share: ShareRow,
    session: SessionRow,
    key: String,
}

/// Checks the link and audits its use; what it opens, or the refusal page.
async fn admit(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    session_text: String,
    resource: SharedResource,
) -> Result<Admitted, HttpResponse> {
    let key = presented_key(req);
    let origin = origin(req);
    let vault = state.vault.clone();
    let presented = key.clone();
    let access =
        blocking(move || vault.use_share(&session_text, presented.as_deref(), resource, &origin)).await?;
    match (access, key) {
        (ShareAccess::Allowed(admission), Some(key)) => Ok(Admitted {
            share: admission.share,
            session: admission.session,
            key,
        }),
        (ShareAccess::Denied(denial), _) => Err(refusal(&denial)),
        (ShareAccess::Allowed(_), None) => Err(refusal(&Denial::NoKey)),
    }
}

/// The 403 page of a refused link. A bad key gets one fixed page whatever the key or
/// session was, so that it tells nothing about either.
fn refusal(denial: &Denial) -> HttpResponse {
    let (heading, message) = match denial {
        Denial::NoKey => (
            "This link needs its key",
            "A shared session link ends with ?key= and 64 letters and digits. Open the whole \
             link you were given, or ask its sender for it again."
                .to_string(),
        ),
        Denial::BadKey => (
            "This link is not valid",
            "The link is wrong or incomplete. Check that you opened the whole link you were \
             given, or ask its sender for a new one."
                .to_string(),
        ),
        Denial::NotYetValid { valid_since } => (
            "This link is not yet valid",
            format!("This link opens at {}. Come back then.", human_time(*valid_since)),
        ),
        Denial::Expired { valid_to } => (
            "This link has expired",
            format!(
                "This link was valid until {}. Ask its sender for a new one.",
                human_time(*valid_to)
            ),
        ),
        Denial::Revoked => (
            "This link was revoked",
            "The person who shared this session has withdrawn the link.".to_string(),
        ),
        Denial::SessionRemoved => (
            "This session is no longer available",
            "The shared session has been removed, so its link no longer opens.".to_string(),
        ),
    };
    notice(StatusCode::FORBIDDEN, heading, message)
}

/// `2025-05-15 13:07:00 UTC`: the API's format without the microseconds.
fn human_time(t: Timestamp) -> String {
    let text = t.to_string();
    match text.get(..19) {
        Some(seconds) => format!("{seconds} UTC"),
        None => text,
    }
}

/// `1h 02m 03s`, `4m 05s`, `7s`.
fn human_duration(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s:02}s"),
        _ => format!("{h}h {m:02}m {s:02}s"),
    }
}

#[derive(Template)]
#[template(path = "share.html")]
struct SharePage {
    session_id: i64,
    user: String,
    server: String,
    protocol: &'static str,
    started: String,
    ended: Option<String>,
    duration: String,
    readonly: bool,
    valid_to: String,
    /// `terminal`, `video` or `none`.
    player: &'static str,
    recording_url: String,
}

async fn page(state: web::Data<AppState>, req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    let Admitted { share, session, key } =
        match admit(&state, &req, id.into_inner(), SharedResource::Page).await {
            Ok(admitted) => admitted,
            Err(page) => return page,
        };
    let player = match (session.recording_blob.is_some(), session.recording_format) {
        (false, _) | (_, RecordingFormat::None) => "none",
        (true, RecordingFormat::Asciicast) => "terminal",
        (true, RecordingFormat::Webm | RecordingFormat::Mp4) => "video",
    };
    let page = SharePage {
        session_id: session.id,
        user: session.user_name.clone(),
        server: session.server_name.clone(),
        protocol: session.protocol.as_str(),
        started: human_time(session.started),
        ended: session.ended.map(human_time),
        duration: human_duration(session.duration_seconds()),
        readonly: share.readonly,
        valid_to: human_time(share.valid_to),
        player,
        recording_url: format!("/sessions/{}/recording?key={key}", session.id),
    };
    html(StatusCode::OK, &page)
}

async fn recording(state: web::Data<AppState>, req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    let session = match admit(&state, &req, id.into_inner(), SharedResource::Recording).await {
        Ok(admitted) => admitted.session,
        Err(page) => return page,
    };
    let Some(blob) = session.recording_blob.clone() else {
        return notice(
            StatusCode::NOT_FOUND,
            "No recording",
            format!("Session {} has no recording.", session.id),
        );
    };
    let vault = state.vault.clone();
    match blocking(move || vault.open_blob(&blob)).await {
        Ok(reader) => serve_blob(&req, reader, &presentation(session.id, session.recording_format)),
        Err(page) => page,
    }
}

#[cfg(test)]
mod tests;
