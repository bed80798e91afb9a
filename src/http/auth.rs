//! Who is calling the API: an API key in `Authorization` (raw, or `Bearer <key>`) or in
//! the `access_token` query parameter, or a signed download URL's `token`.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::AppState;
use super::error::{ApiError, blocking};
use crate::vault::Caller;

/// The authenticated caller of an API request.
pub struct ApiCaller(pub Caller);

/// A query parameter's value.
fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value)
}

/// The key a request presents, if any.
pub fn presented_key(req: &HttpRequest) -> Option<String> {
    if let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) {
        let value = value.to_str().ok()?.trim();
        let key = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => value,
        };
        return Some(key.to_string());
    }
    query_value(req, "access_token")
}

impl FromRequest for ApiCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = presented_key(req);
        let signed = query_value(req, "token").map(|token| (token, req.path().to_string()));
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no state"))?;
            if let (None, Some((token, path))) = (&key, signed) {
                // A signed download URL: valid for its own path only.
                let vault = state.vault.clone();
                let caller = blocking(move || vault.authenticate_signed(&token, &path)).await?;
                return Ok(ApiCaller(caller));
            }
            let Some(key) = key.filter(|k| !k.is_empty()) else {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "no API key: send it in the Authorization header or the access_token parameter",
                ));
            };
            if let Some(caller) = state.vault.recently_authenticated(&key) {
                return Ok(ApiCaller(caller));
            }
            let vault = state.vault.clone();
            let caller = blocking(move || vault.authenticate_key(&key)).await?;
            Ok(ApiCaller(caller))
        })
    }
}
