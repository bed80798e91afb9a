use super::*;

#[test]
fn secrets_never_reach_the_log() {
    let line = redacted_target("/sessions/1/", "key=abc&x=1&access_token=def&token=ghi");
    assert_eq!(
        line,
        "/sessions/1/?key=REDACTED&x=1&access_token=REDACTED&token=REDACTED"
    );
    assert_eq!(redacted_target("/a", ""), "/a");
    assert_eq!(
        redacted_target("/sessions/1/", "k%65y=abc&%6Bey=def&x=%65"),
        "/sessions/1/?k%65y=REDACTED&%6Bey=REDACTED&x=%65"
    );
    // Invalid UTF-8 decodes lossily, for the handlers too: never to a secret's name.
    assert_eq!(redacted_target("/a", "%FF%FE=abc"), "/a?%FF%FE=abc");
}
