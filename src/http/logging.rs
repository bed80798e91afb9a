//! The access log: method, path, status and time of every request, with secrets in the
//! query string (API keys, share keys, signed tokens) replaced before anything is written.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

/// Query parameters whose values are secrets.
const SECRET_PARAMS: &[&str] = &["access_token", "token", "key", "page_token"];

pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let target = redacted_target(req.path(), req.query_string());
    let peer = req.connection_info().peer_addr().unwrap_or("-").to_string();
    let response = next.call(req).await;
    let status = match &response {
        Ok(res) => res.status().as_u16(),
        Err(e) => e.as_response_error().status_code().as_u16(),
    };
    tracing::info!(
        target: "access",
        %method,
        target = %target,
        status,
        ms = started.elapsed().as_millis() as u64,
        peer = %peer,
    );
    response
}

/// `path?query` with the value of every secret parameter replaced by `REDACTED`.
/// Names are compared decoded, as the handlers read them (`k%65y` is `key`); a pair
/// whose name does not decode is redacted whole.
pub fn redacted_target(path: &str, query: &str) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| {
            let raw_name = pair.split('=').next().unwrap_or("");
            match decoded_name(raw_name) {
                Some(name) if SECRET_PARAMS.contains(&name.as_str()) => format!("{raw_name}=REDACTED"),
                Some(_) => pair.to_string(),
                None => "REDACTED".to_string(),
            }
        })
        .collect();
    format!("{path}?{}", parts.join("&"))
}

fn decoded_name(raw: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .ok()
        .map(|pairs| pairs.into_iter().next().map(|(name, _)| name).unwrap_or_default())
}

#[cfg(test)]
mod tests;
