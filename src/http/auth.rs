//! Who is calling the API: an API key in `Authorization` (raw, or `Bearer <key>`) or in
//! the `access_token` query parameter.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::AppState;
use super::error::{ApiError, blocking};
use crate::vault::Caller;

/// The authenticated caller of an API request.
pub struct ApiCaller(pub Caller);

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
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()?
        .into_iter()
        .find(|(name, _)| name == "access_token")
        .map(|(_, value)| value)
}

impl FromRequest for ApiCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = presented_key(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no state"))?;
            let Some(key) = key.filter(|k| !k.is_empty()) else {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "no API key: send it in the Authorization header or the access_token parameter",
                ));
            };
            let vault = state.vault.clone();
            let caller = blocking(move || vault.authenticate_key(&key)).await?;
            Ok(ApiCaller(caller))
        })
    }
}
