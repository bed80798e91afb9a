//! `/api/v2/user`: list, get, create (admin).

use actix_web::{HttpRequest, HttpResponse, web};

use serde_json::json;

use super::params::Params;
use super::spec::{Attrs, Id, Input, attrs, models::USER};
use super::{json_body, path_id, success, success_list};
use crate::db::users::{UserFilter, UserRow};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::vault::model::Role;
use crate::vault::users::NewUser;

pub fn user_json(user: &UserRow) -> Attrs {
    attrs! {
        "id" => Id(user.id),
        "name" => json!(user.name),
        "role" => json!(user.role),
        "blocked" => json!(user.blocked),
        "created_at" => user.created_at,
        "modified_at" => user.modified_at,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut p = Params::parse(req.query_string())?;
    let fields = p.fields(&USER)?;
    let page = p.page()?;
    let filter = UserFilter {
        role: p.parse_as("role")?,
        name: p.take("name"),
        blocked: p.bool("blocked")?,
    };
    p.finish()?;
    let vault = state.vault.clone();
    let listing = blocking(move || vault.list_users(&caller.0, &filter, &page)).await?;
    Ok(success_list("user", listing, |u| {
        USER.render(user_json(&u), &fields, false)
    }))
}

pub async fn get(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &USER)?;
    let vault = state.vault.clone();
    let user = blocking(move || vault.user(&caller.0, id)).await?;
    Ok(success("user", USER.render(user_json(&user), &fields, false)))
}

pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    Params::parse(req.query_string())?.finish()?;
    caller.0.require(crate::vault::Right::Manage)?;
    let input = Input::new(
        &USER,
        json_body(&req, payload).await?,
        &["name", "role", "password"],
    )?;
    let new = NewUser {
        name: input.required_string("name")?,
        role: input.parsed::<Role>("role")?.unwrap_or(Role::User),
        password: input.string("password")?,
    };
    let vault = state.vault.clone();
    let user = blocking(move || vault.create_user(Some(&caller.0), new)).await?;
    Ok(success(
        "user",
        USER.render(user_json(&user), &Default::default(), false),
    ))
}
