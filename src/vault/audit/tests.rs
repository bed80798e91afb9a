use super::*;

#[test]
fn origin_keeps_user_agents_short_and_printable() {
    let origin = Origin::new(Some("10.0.0.1".into()), Some(&format!("a\nb{}", "x".repeat(900))));
    let ua = origin.user_agent.unwrap();
    assert_eq!(ua.chars().count(), MAX_USER_AGENT);
    assert!(ua.starts_with("abx"));
    assert!(Origin::new(None, Some("\r\n")).user_agent.is_none());
}
