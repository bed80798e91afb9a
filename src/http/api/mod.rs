//! /api/v2: one module per model, the routes here.

mod audit;
pub(crate) mod download;
mod healthcheck;
mod objspec;
pub mod params;
pub mod prepared;
pub(crate) mod recording;
mod server;
mod session;
mod share;
mod signed;
pub mod spec;
mod transfer;
mod upload;
mod user;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, Resource, ResponseError, web};
use futures_util::StreamExt;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::error::ApiError;
use crate::db::downloads::DownloadKind;
use crate::vault::listing::Listing;
use spec::Rendered;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v2")
            .wrap(actix_web::middleware::from_fn(envelope_errors))
            .service(resource("/healthcheck").route(web::get().to(healthcheck::get)))
            .service(resource("/objspec/{model}").route(web::get().to(objspec::get)))
            .service(
                resource("/user")
                    .route(web::get().to(user::list))
                    .route(web::post().to(user::create)),
            )
            .service(resource("/user/{id}").route(web::get().to(user::get)))
            .service(
                resource("/server")
                    .route(web::get().to(server::list))
                    .route(web::post().to(server::create)),
            )
            .service(resource("/server/{id}").route(web::get().to(server::get)))
            .service(
                resource("/session")
                    .route(web::get().to(session::list))
                    .route(web::post().to(session::create)),
            )
            .service(
                resource("/session/{id}")
                    .route(web::get().to(session::get))
                    .route(web::delete().to(session::delete)),
            )
            .service(resource("/session/{id}/restore").route(web::post().to(session::restore)))
            .service(resource("/session/{id}/recording/url").route(web::get().to(signed::recording)))
            .service(resource("/session/{id}/transfer/{handle}/url").route(web::get().to(signed::transfer)))
            .service(
                resource("/session/{id}/recording")
                    .route(web::get().to(recording::download))
                    .route(web::head().to(recording::download))
                    .route(web::put().to(recording::upload)),
            )
            .service(
                resource("/session/{id}/transfer")
                    .route(web::get().to(transfer::list))
                    .route(web::post().to(transfer::upload)),
            )
            .service(resource("/session/{id}/transfer/{handle}").route(web::get().to(transfer::get)))
            .service(
                resource("/session/{id}/transfer/{handle}/download")
                    .route(web::get().to(transfer::download))
                    .route(web::head().to(transfer::download)),
            )
            .configure(|cfg| prepared_routes(cfg, DownloadKind::SessionFile))
            .configure(|cfg| prepared_routes(cfg, DownloadKind::SessionMovie))
            .service(
                resource("/session/{id}/share")
                    .route(web::get().to(share::list))
                    .route(web::post().to(share::create)),
            )
            .service(
                resource("/session/{id}/share/{share_id}")
                    .route(web::get().to(share::get))
                    .route(web::delete().to(share::revoke))
                    .route(web::patch().to(share::patch)),
            )
            .service(resource("/audit").route(web::get().to(audit::list)))
            .default_service(web::to(no_such_endpoint)),
    );
}

/// The routes of session_file or session_movie.
fn prepared_routes(cfg: &mut web::ServiceConfig, kind: DownloadKind) {
    let name = kind.as_str();
    cfg.service(
        resource(&format!("/{name}"))
            .route(web::get().to(move |s, c, r| prepared::list(kind, s, c, r)))
            .route(web::post().to(move |s, c, r, p| prepared::create(kind, s, c, r, p))),
    )
    .service(
        resource(&format!("/{name}/{{id}}"))
            .route(web::get().to(move |s, c, r, i| prepared::get(kind, s, c, r, i)))
            .route(web::delete().to(move |s, c, r, i| prepared::delete(kind, s, c, r, i))),
    )
    .service(
        resource(&format!("/download/{name}/{{id}}"))
            .route(web::get().to(move |s, c, r, i| prepared::download(kind, s, c, r, i)))
            .route(web::head().to(move |s, c, r, i| prepared::download(kind, s, c, r, i))),
    )
    .service(
        resource(&format!("/download/{name}/{{id}}/url"))
            .route(web::get().to(move |s, c, r, i| signed::prepared(kind, s, c, r, i))),
    );
}

/// A resource that answers 405 in the envelope for methods it does not route.
fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {}", req.method(), req.path()),
    ))
}

async fn no_such_endpoint(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no endpoint {} {}", req.method(), req.path()),
    ))
}

/// Turns any error answer that is not already JSON (a payload error, a panic caught by
/// actix) into the envelope, so that API clients always get one shape.
async fn envelope_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let res = next.call(req).await?;
    let is_json = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !res.status().is_client_error() && !res.status().is_server_error() || is_json {
        return Ok(res.map_into_boxed_body());
    }
    let status = res.status();
    let message = match res.response().error() {
        Some(e) if !status.is_server_error() => e.to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::new(
        req,
        ApiError::new(status, message).error_response(),
    ))
}

/// `{"result":"success","<model>":<object>}`.
pub fn success(model: &str, object: impl Serialize) -> HttpResponse {
    json_response(
        &Envelope {
            model,
            object,
            total_count: None,
            next_page_token: None,
        },
        1024,
    )
}

/// `{"result":"success"}`, the answer to a DELETE.
pub fn success_empty() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"result": "success"}))
}

/// A list answer, with `total_count` when counted and `next_page_token` when more
/// rows follow: the envelope of [`success`], each row written as it is rendered.
pub fn success_list<T>(model: &str, listing: Listing<T>, render: impl FnMut(T) -> Rendered) -> HttpResponse {
    let size_hint = 256 + listing.items.len() * 640;
    written_json_response(size_hint, |out| write_list(out, model, listing, render))
}

fn write_list<T>(
    out: &mut Vec<u8>,
    model: &str,
    listing: Listing<T>,
    mut render: impl FnMut(T) -> Rendered,
) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"result\":\"success\",");
    serde_json::to_writer(&mut *out, model)?;
    out.extend_from_slice(b":[");
    for (i, item) in listing.items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        render(item).write_json(out)?;
    }
    out.push(b']');
    if let Some(total) = listing.total_count {
        out.extend_from_slice(b",\"total_count\":");
        serde_json::to_writer(&mut *out, &total)?;
    }
    if let Some(token) = &listing.next_page_token {
        out.extend_from_slice(b",\"next_page_token\":");
        serde_json::to_writer(&mut *out, token)?;
    }
    out.push(b'}');
    Ok(())
}

/// 200 with `body` as JSON, written into a buffer sized up front.
fn json_response(body: &impl Serialize, size_hint: usize) -> HttpResponse {
    written_json_response(size_hint, |out| serde_json::to_writer(out, body))
}

/// 200 with the JSON that `write` puts into a buffer sized up front.
fn written_json_response(
    size_hint: usize,
    write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
) -> HttpResponse {
    let mut buffer = Vec::with_capacity(size_hint);
    match write(&mut buffer) {
        Ok(()) => HttpResponse::Ok().content_type("application/json").body(buffer),
        Err(e) => ApiError::from(crate::vault::VaultError::Internal(format!("JSON: {e}"))).error_response(),
    }
}

/// The success envelope, written straight to the response without an intermediate
/// JSON tree.
struct Envelope<'a, T> {
    model: &'a str,
    object: T,
    total_count: Option<i64>,
    next_page_token: Option<String>,
}

impl<T: Serialize> Serialize for Envelope<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("result", "success")?;
        map.serialize_entry(self.model, &self.object)?;
        if let Some(total) = self.total_count {
            map.serialize_entry("total_count", &total)?;
        }
        if let Some(token) = &self.next_page_token {
            map.serialize_entry("next_page_token", token)?;
        }
        map.end()
    }
}

/// The id in a path segment.
pub fn path_id(field: &str, text: &str) -> Result<i64, ApiError> {
    crate::vault::parse_id(field, text).map_err(ApiError::from)
}

/// Largest JSON request body.
const MAX_JSON_BODY: usize = 64 * 1024;

/// Reads a JSON request body: `Content-Type` JSON (or absent), at most 64 KiB.
pub async fn json_body(req: &HttpRequest, mut payload: web::Payload) -> Result<Value, ApiError> {
    if let Some(ct) = req.headers().get(CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("expected Content-Type: application/json, got {essence}"),
            ));
        }
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad("body", e))?;
        if body.len() + chunk.len() > MAX_JSON_BODY {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("JSON bodies are limited to {MAX_JSON_BODY} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Err(ApiError::bad("body", "is empty; expected a JSON object"));
    }
    serde_json::from_slice(&body).map_err(|e| ApiError::bad("body", format!("not valid JSON: {e}")))
}

/// The request's declared body length, if any.
pub fn content_length(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

pub fn content_type(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[cfg(test)]
mod tests;
