//! The HTTP face of the vault: the /api/v2 JSON API and the web pages, served by
//! actix-web over rustls (or plain HTTP with `--tls off`).

pub mod api;
pub mod auth;
pub mod error;
mod logging;
pub mod origin;
pub mod tls;
pub mod web;

use std::net::SocketAddr;

use actix_web::{App, HttpServer, web as aweb};

use crate::config::TlsMode;
use crate::vault::Vault;

/// What every handler can reach.
pub struct AppState {
    pub vault: Vault,
}

/// Mounts every route; shared by the server and the tests.
pub fn configure_app(cfg: &mut aweb::ServiceConfig, state: aweb::Data<AppState>) {
    cfg.app_data(state);
    api::configure(cfg);
    web::configure(cfg);
}

/// A server bound to its addresses, ready to run.
pub struct Bound {
    pub server: actix_web::dev::Server,
    pub addrs: Vec<SocketAddr>,
    pub scheme: &'static str,
}

/// Binds the listening socket (TLS or not) and builds the server.
pub fn bind(vault: Vault) -> Result<Bound, String> {
    let settings = vault.settings.clone();
    let state = aweb::Data::new(AppState { vault: vault.clone() });
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(logging::access_log))
            .configure(|cfg| configure_app(cfg, state.clone()))
    })
    .shutdown_timeout(10)
    // Blocking threads run short database work only (uploads and downloads have their
    // own threads): a few per worker keep requests from thrashing two cores.
    .worker_max_blocking_threads(settings.blocking_threads.max(1))
    // The caller installs the signal handlers before announcing the address, so that a
    // SIGTERM arriving right after start-up is never lost.
    .disable_signals();
    if settings.http_workers > 0 {
        server = server.workers(settings.http_workers);
    }
    let (server, scheme) = match settings.tls {
        TlsMode::On => {
            let config = tls::server_config(&settings, &vault.paths)?;
            let server = server
                .bind_rustls_0_23(&settings.listen, config)
                .map_err(|e| format!("cannot listen on {}: {e}", settings.listen))?;
            (server, "https")
        }
        TlsMode::Off => {
            let server = server
                .bind(&settings.listen)
                .map_err(|e| format!("cannot listen on {}: {e}", settings.listen))?;
            (server, "http")
        }
    };
    let addrs = server.addrs();
    Ok(Bound {
        server: server.run(),
        addrs,
        scheme,
    })
}
