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

#[test]
fn rendering_follows_the_models_order_and_drops_what_is_not_shown() {
    // Built in another order than the model's, with a protected attribute among them.
    let user: Attrs = attrs! {
        "modified_at" => Timestamp::from_micros(2_000_000),
        "password" => json!("never shown"),
        "name" => json!("alice"),
        "id" => Id(7),
        "role" => json!("auditor"),
    };
    let rendered = USER.render(user, &FieldSet::all(), true);
    assert_eq!(
        serde_json::to_string(&rendered).unwrap(),
        r#"{"id":"7","name":"alice","role":"auditor","modified_at":"1970-01-01 00:00:02.000000+00:00"}"#
    );

    let share: Attrs = attrs! {"user_id" => Id(3), "id" => Id(1), "readonly" => json!(true)};
    let hidden = SESSION_SHARE.render(share.clone(), &FieldSet::all(), false);
    assert_eq!(
        serde_json::to_string(&hidden).unwrap(),
        r#"{"id":"1","readonly":true}"#
    );
    let shown = SESSION_SHARE.render(share, &FieldSet::all(), true);
    assert_eq!(
        serde_json::to_string(&shown).unwrap(),
        r#"{"id":"1","user_id":"3","readonly":true}"#
    );
}

#[test]
fn every_attribute_name_is_written_without_escaping() {
    for model in ALL {
        for attr in model.attrs {
            assert!(is_plain(attr.name), "{}.{}", model.name, attr.name);
        }
    }
    assert!(!is_plain("a\"b") && !is_plain("a\\b") && !is_plain("a\nb") && !is_plain("ë"));
}

#[test]
fn writing_an_object_gives_the_bytes_serializing_it_gives() {
    let strange = "quote \" backslash \\ newline \n control \u{7} unicode ë 日本";
    let share: Attrs = attrs! {
        "id" => Id(i64::MAX),
        "session_id" => Id(1),
        "user_id" => Id(-5),
        "key" => serde_json::json!(strange),
        "valid_since" => Timestamp::from_micros(1_741_600_800_123_456),
        "valid_to" => AttrValue::Null,
        "readonly" => serde_json::json!(true),
        "link" => "/sessions/1/?key=\"x\"",
        "created_at" => Timestamp::from_micros(0),
    };
    let rendered = SESSION_SHARE.render(share, &FieldSet::all(), true);
    let mut written = Vec::new();
    rendered.write_json(&mut written).unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        serde_json::to_string(&rendered).unwrap()
    );
}
