//! `/api/v2/server`: list, get, create (admin).

use actix_web::{HttpRequest, HttpResponse, web};

use serde_json::json;

use super::params::Params;
use super::spec::{Attrs, Id, Input, attrs, models::SERVER};
use super::{json_body, path_id, success, success_list};
use crate::db::servers::{NewServer, ServerFilter, ServerRow};
use crate::http::AppState;
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, blocking};
use crate::vault::model::Protocol;

pub fn server_json(server: &ServerRow) -> Attrs {
    attrs! {
        "id" => Id(server.id),
        "name" => json!(server.name),
        "address" => json!(server.address),
        "port" => json!(server.port),
        "protocol" => json!(server.protocol),
        "created_at" => server.created_at,
        "modified_at" => server.modified_at,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut p = Params::parse(req.query_string())?;
    let fields = p.fields(&SERVER)?;
    let page = p.page()?;
    let filter = ServerFilter {
        name: p.take("name"),
        protocol: p
            .parse_as::<Protocol>("protocol")?
            .map(|p| p.as_str().to_string()),
    };
    p.finish()?;
    let vault = state.vault.clone();
    let listing = blocking(move || vault.list_servers(&caller.0, &filter, &page)).await?;
    Ok(success_list("server", listing, |s| {
        SERVER.render(server_json(&s), &fields, false)
    }))
}

pub async fn get(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id("id", &id)?;
    let fields = Params::fields_only(req.query_string(), &SERVER)?;
    let vault = state.vault.clone();
    let server = blocking(move || vault.server(&caller.0, id)).await?;
    Ok(success(
        "server",
        SERVER.render(server_json(&server), &fields, false),
    ))
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
        &SERVER,
        json_body(&req, payload).await?,
        &["name", "address", "port", "protocol"],
    )?;
    let name = input.required_string("name")?;
    let address = input.string("address")?;
    let port = input.integer("port")?;
    let protocol = input.parsed::<Protocol>("protocol")?;
    let vault = state.vault.clone();
    let server = blocking(move || {
        vault.create_server(
            &caller.0,
            &NewServer {
                name: &name,
                address: address.as_deref(),
                port,
                protocol: protocol.map(|p| p.as_str()),
            },
        )
    })
    .await?;
    Ok(success(
        "server",
        SERVER.render(server_json(&server), &Default::default(), false),
    ))
}
