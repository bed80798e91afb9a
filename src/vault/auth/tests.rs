use super::*;
use crate::vault::test_vault;

#[test]
fn initial_admin_once_with_working_secrets() {
    let (_dir, vault) = test_vault();
    let path = vault.ensure_initial_admin().unwrap().expect("first time writes");
    assert!(vault.ensure_initial_admin().unwrap().is_none());
    let text = std::fs::read_to_string(&path).unwrap();
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap()
            .to_string()
    };
    assert_eq!(value("username"), "admin");
    let caller = vault.authenticate_key(&value("api_key")).unwrap();
    assert_eq!(caller.role, Role::Admin);
    assert_eq!(
        vault.authenticate_password("admin", &value("password")).unwrap(),
        caller
    );
    assert!(vault.authenticate_password("admin", "nope").is_err());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn unknown_keys_are_unauthorized() {
    let (_dir, vault) = test_vault();
    for key in ["", "short", &crypto::new_secret_key()] {
        assert!(matches!(
            vault.authenticate_key(key),
            Err(VaultError::Unauthorized(_))
        ));
    }
}
