//! The API's error envelope: every non-2xx answer under /api/v2 is
//! `{"result":"error","error":{"code":N,"reason":"...","message":"..."}}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Map, Value, json};

use crate::vault::VaultError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Extra top-level members of the envelope, e.g. the job a 409 is about.
    pub extra: Map<String, Value>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.message)
    }
}

/// The `reason` word of each status.
pub fn reason(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        416 => "range_not_satisfiable",
        422 => "unprocessable_entity",
        503 => "service_unavailable",
        507 => "insufficient_storage",
        _ if status.is_server_error() => "internal_error",
        _ => "error",
    }
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            extra: Map::new(),
        }
    }

    pub fn bad(field: &str, message: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, format!("{field}: {message}"))
    }

    pub fn with(mut self, key: &str, value: Value) -> ApiError {
        self.extra.insert(key.to_string(), value);
        self
    }

    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("result".into(), json!("error"));
        body.insert(
            "error".into(),
            json!({
                "code": self.status.as_u16(),
                "reason": reason(self.status),
                "message": self.message,
            }),
        );
        body.extend(self.extra.clone());
        Value::Object(body)
    }
}

impl From<VaultError> for ApiError {
    fn from(e: VaultError) -> Self {
        let status = match &e {
            VaultError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            VaultError::Forbidden(_) => StatusCode::FORBIDDEN,
            VaultError::NotFound(_) => StatusCode::NOT_FOUND,
            VaultError::BadInput { .. } => StatusCode::BAD_REQUEST,
            VaultError::Conflict(_) => StatusCode::CONFLICT,
            VaultError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            VaultError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            VaultError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            VaultError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            VaultError::NotReady(download) => {
                let model = download.kind.as_str();
                let node = crate::vault::Node {
                    id: download.node.clone().unwrap_or_default(),
                    name: String::new(),
                };
                let object = super::api::prepared::full(download, &node);
                return ApiError::new(StatusCode::CONFLICT, e.to_string()).with(model, object);
            }
            VaultError::Internal(message) => {
                tracing::error!(error = %message, "internal error");
                return ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error; see the server log",
                );
            }
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down or overloaded",
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer realm=\"sessionvault\""));
        }
        response.json(self.body())
    }
}

/// Runs blocking vault work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
) -> Result<T, ApiError> {
    Ok(actix_web::web::block(work).await??)
}
