//! `GET /api/v2/healthcheck`: no key needed; answers ok when the database answers.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::http::AppState;
use crate::http::error::{ApiError, blocking};
use crate::vault::VaultError;

pub async fn get(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let vault = state.vault.clone();
    blocking(move || {
        vault
            .db
            .read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(VaultError::from))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the database does not answer"))?;
    Ok(HttpResponse::Ok().json(json!({"result": "success", "status": "ok"})))
}
