use super::*;

#[test]
fn passwords_round_trip_and_reject_others() {
    let stored = hash_password("correct horse", 1000);
    assert!(stored.starts_with("pbkdf2-sha256$1000$"));
    assert!(verify_password("correct horse", &stored));
    assert!(!verify_password("correct hors", &stored));
    assert!(!verify_password("correct horse", "garbage"));
    assert_ne!(stored, hash_password("correct horse", 1000), "salted");
}

#[test]
fn secret_keys_are_alnum_and_distinct() {
    let a = new_secret_key();
    assert!(is_secret_key_shaped(&a));
    assert_ne!(a, new_secret_key());
}

#[test]
fn tokens_detect_tampering() {
    let keys = Keys::for_tests();
    let token = keys.seal_token(Purpose::PageToken, b"hello");
    assert_eq!(keys.open_token(Purpose::PageToken, &token).unwrap(), b"hello");
    assert!(keys.open_token(Purpose::DownloadUrl, &token).is_none());
    let mut chars: Vec<char> = token.chars().collect();
    chars[0] = if chars[0] == 'A' { 'B' } else { 'A' };
    let forged: String = chars.into_iter().collect();
    assert!(keys.open_token(Purpose::PageToken, &forged).is_none());
    assert!(keys.open_token(Purpose::PageToken, "short").is_none());
}

#[test]
fn ten_thousand_share_keys_are_distinct_and_alnum() {
    let keys: std::collections::HashSet<String> = (0..10_000).map(|_| new_secret_key()).collect();
    assert_eq!(keys.len(), 10_000, "a key repeated");
    for key in &keys {
        assert_eq!(key.len(), 64, "{key}");
        assert!(key.bytes().all(|b| b.is_ascii_alphanumeric()), "{key}");
    }
    // Every one of the 62 characters turns up: the alphabet is really all of
    // [A-Za-z0-9], not a part of it.
    let used: std::collections::HashSet<u8> = keys.iter().flat_map(|k| k.bytes()).collect();
    assert_eq!(used.len(), 62);
}

#[test]
fn sealed_secrets_round_trip_and_detect_tampering() {
    let keys = Keys::for_tests();
    let secret = new_secret_key();
    let sealed = keys.seal_secret(Purpose::ShareKey, secret.as_bytes());
    assert!(
        !sealed
            .windows(8)
            .any(|w| secret.as_bytes().windows(8).any(|s| s == w))
    );
    assert_eq!(
        keys.open_secret(Purpose::ShareKey, &sealed).unwrap(),
        secret.as_bytes()
    );
    let again = keys.seal_secret(Purpose::ShareKey, secret.as_bytes());
    assert_ne!(sealed, again, "a fresh nonce each time");
    assert!(
        keys.open_secret(Purpose::ApiKey, &sealed).is_none(),
        "purpose is bound"
    );
    for at in [0, 12, sealed.len() - 1] {
        let mut altered = sealed.clone();
        altered[at] ^= 1;
        assert!(
            keys.open_secret(Purpose::ShareKey, &altered).is_none(),
            "byte {at}"
        );
    }
    assert!(keys.open_secret(Purpose::ShareKey, &sealed[..20]).is_none());
    let other = Keys::from_parts([8u8; 32], &[9u8; 32]);
    assert!(
        other.open_secret(Purpose::ShareKey, &sealed).is_none(),
        "key is bound"
    );
}

#[test]
fn keys_persist() {
    let dir = tempfile::tempdir().unwrap();
    let a = Keys::load_or_create(dir.path()).unwrap();
    let b = Keys::load_or_create(dir.path()).unwrap();
    assert_eq!(
        a.secret_digest(Purpose::ApiKey, "x"),
        b.secret_digest(Purpose::ApiKey, "x")
    );
    let mode = std::fs::metadata(dir.path().join(HMAC_KEY_FILE))
        .unwrap()
        .permissions();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(mode.mode() & 0o777, 0o600);
}
