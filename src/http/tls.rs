//! TLS: the operator's certificate, or a self-signed one made on first start and kept
//! in `DATA/tls/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::Settings;
use crate::crypto::write_private_file;
use crate::vault::DataPaths;

pub const CERT_FILE: &str = "cert.pem";
pub const KEY_FILE: &str = "key.pem";

/// The rustls configuration for serving, creating the self-signed pair if needed.
pub fn server_config(settings: &Settings, paths: &DataPaths) -> Result<ServerConfig, String> {
    let (cert_path, key_path) = match (&settings.tls_cert, &settings.tls_key) {
        (Some(cert), Some(key)) => (cert.clone(), key.clone()),
        _ => ensure_self_signed(&paths.tls)?,
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
        .and_then(|it| it.collect())
        .map_err(|e| format!("cannot read certificate {}: {e}", cert_path.display()))?;
    if certs.is_empty() {
        return Err(format!("{} holds no certificate", cert_path.display()));
    }
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .map_err(|e| format!("cannot read private key {}: {e}", key_path.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("certificate and key do not fit: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Paths of the self-signed certificate and key, made on first use for localhost, the
/// loopback addresses and this host's name.
fn ensure_self_signed(dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let cert_path = dir.join(CERT_FILE);
    let key_path = dir.join(KEY_FILE);
    if cert_path.exists() && key_path.exists() {
        return Ok((cert_path, key_path));
    }
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    if !host.is_empty() && !names.contains(&host) {
        names.push(host);
    }
    let generated =
        rcgen::generate_simple_self_signed(names).map_err(|e| format!("cannot make a certificate: {e}"))?;
    let _ = std::fs::remove_file(&key_path);
    let _ = std::fs::remove_file(&cert_path);
    write_private_file(&key_path, generated.signing_key.serialize_pem().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", key_path.display()))?;
    write_private_file(&cert_path, generated.cert.pem().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", cert_path.display()))?;
    tracing::info!(certificate = %cert_path.display(), "created a self-signed TLS certificate");
    Ok((cert_path, key_path))
}
