use super::*;
use crate::vault::model::{Protocol, Role};
use crate::vault::sessions::SessionInput;
use crate::vault::test_vault;
use crate::vault::users::NewUser;

const HOUR: i64 = 3600 * 1_000_000;

fn admin(vault: &Vault) -> Caller {
    let user = vault
        .create_user(
            None,
            NewUser {
                name: "root".into(),
                role: Role::Admin,
                password: None,
            },
        )
        .unwrap();
    Caller {
        user_id: user.id,
        name: user.name,
        role: user.role,
    }
}

fn session(vault: &Vault, caller: &Caller) -> i64 {
    let input = SessionInput {
        user: "alice".into(),
        server: "db-1".into(),
        protocol: Protocol::Ssh,
        started: Timestamp::now(),
        ended: None,
    };
    vault.create_session(caller, &input).unwrap().id
}

/// A window from `start` to `end` hours from now.
fn window(start: i64, end: i64) -> ShareInput {
    let now = Timestamp::now();
    ShareInput {
        valid_since: now.plus_micros(start * HOUR),
        valid_to: now.plus_micros(end * HOUR),
        readonly: true,
    }
}

fn open(vault: &Vault, session_id: i64, key: &str) -> ShareAccess {
    vault
        .use_share(
            &session_id.to_string(),
            Some(key),
            SharedResource::Page,
            &Origin::default(),
        )
        .unwrap()
}

#[test]
fn windows_must_run_forward_and_fit_the_limit() {
    let at = Timestamp::now();
    let input = |micros: i64| ShareInput {
        valid_since: at,
        valid_to: at.plus_micros(micros),
        readonly: true,
    };
    let refused = |micros: i64| check_window(&input(micros), 30).unwrap_err().to_string();
    assert!(
        refused(0).starts_with("valid_to: must be after"),
        "{}",
        refused(0)
    );
    assert!(refused(-1).starts_with("valid_to:"));
    assert!(
        check_window(&input(30 * MICROS_PER_DAY), 30).is_ok(),
        "exactly 30 days"
    );
    assert!(refused(30 * MICROS_PER_DAY + 1).contains("max_share_days"));
    assert!(check_window(&input(400 * 365 * MICROS_PER_DAY), u32::MAX).is_ok());
}

#[test]
fn a_link_opens_only_inside_its_window_and_until_revoked() {
    let (_dir, vault) = test_vault();
    let caller = admin(&vault);
    let id = session(&vault, &caller);
    let origin = Origin::default();
    let current = vault.create_share(&caller, id, &window(-1, 1), &origin).unwrap();
    let future = vault.create_share(&caller, id, &window(1, 2), &origin).unwrap();
    let past = vault.create_share(&caller, id, &window(-2, -1), &origin).unwrap();

    assert!(matches!(open(&vault, id, &current.key), ShareAccess::Allowed(_)));
    assert_eq!(
        open_denial(&vault, id, &future.key),
        Denial::NotYetValid {
            valid_since: future.row.valid_since
        }
    );
    assert_eq!(
        open_denial(&vault, id, &past.key),
        Denial::Expired {
            valid_to: past.row.valid_to
        }
    );
    vault.revoke_share(&caller, id, current.row.id, &origin).unwrap();
    assert_eq!(open_denial(&vault, id, &current.key), Denial::Revoked);
    vault.revoke_share(&caller, id, current.row.id, &origin).unwrap();
}

fn open_denial(vault: &Vault, session_id: i64, key: &str) -> Denial {
    match open(vault, session_id, key) {
        ShareAccess::Denied(denial) => denial,
        ShareAccess::Allowed(_) => panic!("let in"),
    }
}

#[test]
fn a_key_opens_its_own_session_only() {
    let (_dir, vault) = test_vault();
    let caller = admin(&vault);
    let (a, b) = (session(&vault, &caller), session(&vault, &caller));
    let share = vault
        .create_share(&caller, a, &window(-1, 1), &Origin::default())
        .unwrap();
    assert_eq!(open_denial(&vault, b, &share.key), Denial::BadKey);
    assert_eq!(open_denial(&vault, 999, &share.key), Denial::BadKey);
    assert_eq!(open_denial(&vault, a, &crypto::new_secret_key()), Denial::BadKey);
    assert_eq!(open_denial(&vault, a, "short"), Denial::BadKey);
    let none = vault
        .use_share(&a.to_string(), None, SharedResource::Page, &Origin::default())
        .unwrap();
    assert!(matches!(none, ShareAccess::Denied(Denial::NoKey)));
}

#[test]
fn keys_are_sealed_at_rest_and_shown_again() {
    let (_dir, vault) = test_vault();
    let caller = admin(&vault);
    let id = session(&vault, &caller);
    let share = vault
        .create_share(&caller, id, &window(0, 1), &Origin::default())
        .unwrap();
    assert!(crypto::is_secret_key_shaped(&share.key));
    assert!(!format!("{share:?}").contains(&share.key), "Debug leaks the key");
    let stored = vault
        .db
        .read(|c| shares::get(c, id, share.row.id).map_err(VaultError::from))
        .unwrap()
        .unwrap();
    let key = share.key.as_bytes();
    assert!(!stored.key_sealed.windows(key.len()).any(|w| w == key));
    let again = vault
        .share(&caller, Right::SessionRead, id, share.row.id)
        .unwrap();
    assert_eq!(again.key, share.key);
    assert_eq!(again.link(), format!("/sessions/{id}/?key={}", share.key));
}
