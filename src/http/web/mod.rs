//! Server-rendered pages and the embedded static assets.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/static/{file:.*}", web::get().to(asset));
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    version: &'static str,
}

async fn home() -> HttpResponse {
    let page = Home {
        version: env!("CARGO_PKG_VERSION"),
    };
    match page.render() {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            HttpResponse::InternalServerError().body("page failed to render")
        }
    }
}

async fn asset(path: web::Path<String>) -> HttpResponse {
    match Assets::get(&path) {
        Some(file) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, file.metadata.mimetype()))
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .body(file.data.into_owned()),
        None => HttpResponse::NotFound()
            .content_type("text/plain")
            .body("no such file"),
    }
}
