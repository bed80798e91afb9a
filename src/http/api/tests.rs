use super::*;
use crate::http::api::spec::models::USER;
use crate::http::api::spec::{FieldSet, Id, attrs};
use crate::timestamp::Timestamp;

fn user(id: i64, name: &str) -> spec::Attrs {
    attrs! {
        "id" => Id(id),
        "name" => serde_json::json!(name),
        "role" => "auditor",
        "blocked" => serde_json::json!(false),
        "created_at" => Timestamp::from_micros(1_741_600_800_123_456),
        "modified_at" => Timestamp::from_micros(0),
    }
}

#[test]
fn a_written_list_is_the_serialized_envelope() {
    let names = ["alice", "bob \"the\" builder\\\n", "zoë 日本 \u{1}"];
    for (total_count, next_page_token) in [(None, None), (Some(3), Some("a.b-c_\"".to_string()))] {
        let listing = Listing {
            items: names
                .iter()
                .enumerate()
                .map(|(i, n)| user(i as i64 + 1, n))
                .collect::<Vec<_>>(),
            total_count,
            next_page_token: next_page_token.clone(),
        };
        let render = |attrs| USER.render(attrs, &FieldSet::all(), true);
        let mut written = Vec::new();
        write_list(&mut written, "user", listing.clone(), render).unwrap();
        let serialized = serde_json::to_vec(&Envelope {
            model: "user",
            object: listing.items.into_iter().map(render).collect::<Vec<_>>(),
            total_count,
            next_page_token,
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(serialized).unwrap()
        );
    }
}

#[test]
fn an_empty_list_is_an_empty_array() {
    let listing: Listing<spec::Attrs> = Listing {
        items: Vec::new(),
        total_count: Some(0),
        next_page_token: None,
    };
    let mut written = Vec::new();
    write_list(&mut written, "user", listing, |a| {
        USER.render(a, &FieldSet::all(), false)
    })
    .unwrap();
    assert_eq!(written, br#"{"result":"success","user":[],"total_count":0}"#);
}
