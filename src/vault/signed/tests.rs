use super::*;
use crate::vault::test_vault;
use crate::vault::users::NewUser;

#[test]
fn a_token_opens_its_path_only() {
    let (_dir, vault) = test_vault();
    let user = vault
        .create_user(
            None,
            NewUser {
                name: "olga".into(),
                role: crate::vault::model::Role::Operator,
                password: None,
            },
        )
        .unwrap();
    let caller = Caller {
        user_id: user.id,
        name: user.name,
        role: user.role,
    };
    let (token, _) = vault
        .sign_download(&caller, "/api/v2/session/1/recording")
        .unwrap();
    assert_eq!(
        vault
            .authenticate_signed(&token, "/api/v2/session/1/recording")
            .unwrap(),
        caller
    );
    assert!(
        vault
            .authenticate_signed(&token, "/api/v2/session/2/recording")
            .is_err()
    );
    let mut bad = token.into_bytes();
    let last = bad.len() - 1;
    bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    assert!(
        vault
            .authenticate_signed(&bad, "/api/v2/session/1/recording")
            .is_err()
    );
}
