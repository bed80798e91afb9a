use super::*;

#[test]
fn layers_override_in_order() {
    let mut s = Settings::default();
    s.apply_toml("listen = \"0.0.0.0:1\"\nworkers = 3\ntls = \"off\"")
        .unwrap();
    assert_eq!(s.listen, "0.0.0.0:1");
    assert_eq!(s.workers, 3);
    assert_eq!(s.tls, TlsMode::Off);
    s.apply_env(
        [
            ("SESSIONVAULT_WORKERS".to_string(), "5".to_string()),
            ("SESSIONVAULT_UNRELATED".to_string(), "x".to_string()),
            ("HOME".to_string(), "/root".to_string()),
        ]
        .into_iter(),
    )
    .unwrap();
    assert_eq!(s.workers, 5);
    s.set("workers", "7").unwrap();
    assert_eq!(s.workers, 7);
}

#[test]
fn bad_values_name_the_setting() {
    let mut s = Settings::default();
    let err = s.set("workers", "many").unwrap_err().to_string();
    assert!(err.contains("workers"), "{err}");
    let err = s.apply_toml("colour = 1").unwrap_err().to_string();
    assert!(err.contains("colour"), "{err}");
    let err = s.apply_toml("listen = [1]").unwrap_err().to_string();
    assert!(err.contains("listen"), "{err}");
}

#[test]
fn optional_paths_accept_empty() {
    let mut s = Settings::default();
    s.set("tls_cert", "/a.pem").unwrap();
    assert_eq!(s.tls_cert, Some(PathBuf::from("/a.pem")));
    s.set("tls_cert", "").unwrap();
    assert_eq!(s.tls_cert, None);
}
