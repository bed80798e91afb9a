use super::models::*;
use super::*;

#[test]
fn expensive_only_when_asked() {
    let full: Attrs = attrs! {"user_name" => json!("alice"), "id" => Id(1)};
    let plain = SESSION.render(full.clone(), &FieldSet::default(), false);
    assert!(plain.get("user_name").is_none());
    assert_eq!(serde_json::to_string(&plain).unwrap(), r#"{"id":"1"}"#);
    let asked = FieldSet::parse(&SESSION, "user_name").unwrap();
    assert_eq!(
        SESSION
            .render(full.clone(), &asked, false)
            .get("user_name")
            .unwrap(),
        "alice"
    );
    assert_eq!(
        SESSION
            .render(full, &FieldSet::all(), false)
            .get("user_name")
            .unwrap(),
        "alice"
    );
}

#[test]
fn unknown_fields_are_named() {
    let err = FieldSet::parse(&SESSION, "user_name,colour").unwrap_err();
    assert!(err.message.contains("colour"), "{}", err.message);
    assert!(FieldSet::parse(&USER, "password").is_err());
}

#[test]
fn readonly_members_are_refused() {
    let err = Input::new(&SESSION, json!({"recording_size": 1}), &["user"])
        .err()
        .unwrap();
    assert!(
        err.message.contains("recording_size: is read-only"),
        "{}",
        err.message
    );
    let err = Input::new(&SESSION, json!({"colour": 1}), &["user"])
        .err()
        .unwrap();
    assert!(err.message.contains("colour"));
}

#[test]
fn objspec_lists_flags() {
    let doc = SESSION.describe(false);
    assert_eq!(
        doc["id"],
        json!({"type": "string", "readonly": true, "unique": true})
    );
    assert_eq!(doc["user_name"]["expensive"], true);
    assert!(
        doc["protocol"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("ssh"))
    );
}
