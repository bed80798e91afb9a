//! `sessionvault serve`: open the vault, make the first admin if new, and serve until
//! SIGTERM/SIGINT (graceful: requests in flight get 10 seconds to finish).

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use tokio::signal::unix::{SignalKind, signal};

use super::{open_vault, settings};
use crate::http;
use crate::jobs::{Engine, Purger};

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8443; env SESSIONVAULT_LISTEN]
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// Serve HTTPS (`on`, default) or plain HTTP (`off`)
    #[arg(long, value_name = "on|off")]
    tls: Option<String>,
    /// PEM certificate chain to use instead of the self-signed one
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

pub fn run(
    data_dir: &Option<PathBuf>,
    config: &Option<PathBuf>,
    args: ServeArgs,
) -> Result<ExitCode, String> {
    let mut flags = Vec::new();
    if let Some(listen) = args.listen {
        flags.push(("listen", listen));
    }
    if let Some(tls) = args.tls {
        flags.push(("tls", tls));
    }
    if let Some(cert) = args.tls_cert {
        flags.push(("tls_cert", cert.display().to_string()));
    }
    if let Some(key) = args.tls_key {
        flags.push(("tls_key", key.display().to_string()));
    }
    let settings = settings(data_dir, config, flags)?;
    let vault = open_vault(settings)?;
    let _lock = lock_data_dir(&vault.paths.root)?;
    if let Some(path) = vault.ensure_initial_admin().map_err(|e| e.to_string())? {
        tracing::info!(file = %path.display(), "first start: the admin's password and API key are in this file");
    }
    tracing::info!(data_dir = %vault.paths.root.display(), node = %vault.node.id, "vault open");
    let engine = Engine::start(&vault, vault.settings.worker_count()).map_err(|e| e.to_string())?;
    let purger = Purger::start(&vault).map_err(|e| format!("cannot start the trash purger: {e}"))?;

    actix_web::rt::System::new().block_on(async move {
        let mut terminate = signal(SignalKind::terminate()).map_err(|e| format!("signal handler: {e}"))?;
        let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| format!("signal handler: {e}"))?;
        let bound = http::bind(vault)?;
        let handle = bound.server.handle();
        actix_web::rt::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            tracing::info!("stopping: finishing requests in flight");
            handle.stop(true).await;
        });
        for addr in &bound.addrs {
            // Tests and scripts read this line to learn the port.
            println!("sessionvault listening on {}://{addr}", bound.scheme);
        }
        let _ = std::io::stdout().flush();
        bound.server.await.map_err(|e| format!("server failed: {e}"))?;
        Ok::<_, String>(())
    })?;
    purger.stop();
    engine.stop();
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// One server per data folder: a second one would race the first on every write.
fn lock_data_dir(root: &std::path::Path) -> Result<File, String> {
    let path = root.join("serve.lock");
    let file = File::create(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.try_lock()
        .map_err(|_| format!("another sessionvault serve is using {}", root.display()))?;
    Ok(file)
}
