//! `GET /api/v2/objspec/<model>`: the attributes of a model and their properties.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::params::Params;
use super::spec::models;
use super::success;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiError;
use crate::vault::Right;

pub async fn get(
    caller: ApiCaller,
    req: HttpRequest,
    model: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Params::parse(req.query_string())?.finish()?;
    let spec = models::by_name(&model).ok_or_else(|| {
        let names: Vec<&str> = models::ALL.iter().map(|m| m.name).collect();
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no model `{model}`; models are {}", names.join(", ")),
        )
    })?;
    let show_hidden = caller.0.require(Right::Manage).is_ok();
    Ok(success(spec.name, spec.describe(show_hidden)))
}
