//! Server-rendered pages and the embedded static assets.

mod share;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use rust_embed::RustEmbed;

use crate::vault::VaultError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/static/{file:.*}", web::get().to(asset));
    share::configure(cfg);
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    version: &'static str,
}

async fn home() -> HttpResponse {
    html(
        StatusCode::OK,
        &Home {
            version: env!("CARGO_PKG_VERSION"),
        },
    )
}

/// A page with a heading and one paragraph: refusals and failures.
#[derive(Template)]
#[template(path = "notice.html")]
struct Notice {
    heading: &'static str,
    message: String,
}

/// Renders `page` as the answer, or a bare 500 if the template fails.
fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("page failed to render")
        }
    }
}

fn notice(status: StatusCode, heading: &'static str, message: impl Into<String>) -> HttpResponse {
    html(
        status,
        &Notice {
            heading,
            message: message.into(),
        },
    )
}

/// Runs blocking vault work off the async runtime; a failure becomes an HTML page
/// (internal details go to the log, never to the page).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
) -> Result<T, HttpResponse> {
    match web::block(work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(VaultError::NotFound(message))) => Err(notice(StatusCode::NOT_FOUND, "Not found", message)),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "page failed");
            Err(notice(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The server could not answer this request; the details are in its log.",
            ))
        }
        Err(_) => Err(notice(
            StatusCode::SERVICE_UNAVAILABLE,
            "Busy",
            "The server is shutting down or overloaded; try again shortly.",
        )),
    }
}

async fn asset(path: web::Path<String>) -> HttpResponse {
    match Assets::get(&path) {
        Some(file) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, file.metadata.mimetype()))
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(file.data.into_owned()),
        None => HttpResponse::NotFound()
            .content_type("text/plain")
            .body("no such file"),
    }
}
