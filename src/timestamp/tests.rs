use super::*;

#[test]
fn formats_edges() {
    assert_eq!(
        Timestamp::from_micros(0).to_string(),
        "1970-01-01 00:00:00.000000+00:00"
    );
    assert_eq!(
        Timestamp::from_micros(253_402_300_799_999_999).to_string(),
        "9999-12-31 23:59:59.999999+00:00"
    );
    assert_eq!(
        serde_json::to_string(&Timestamp::from_micros(1)).unwrap(),
        "\"1970-01-01 00:00:00.000001+00:00\""
    );
}

#[test]
fn formats_with_micros_and_utc_offset() {
    let t = Timestamp::parse("2025-05-15T13:07:00.5Z").unwrap();
    assert_eq!(t.to_string(), "2025-05-15 13:07:00.500000+00:00");
    assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
}

#[test]
fn offsets_are_applied() {
    let t = Timestamp::parse("2025-05-15T15:07:00+02:00").unwrap();
    assert_eq!(t.to_string(), "2025-05-15 13:07:00.000000+00:00");
}

#[test]
fn refuses_ambiguous_and_garbage() {
    assert!(
        Timestamp::parse("2025-05-15T13:07:00")
            .unwrap_err()
            .contains("offset")
    );
    assert!(Timestamp::parse("yesterday").is_err());
    assert!(Timestamp::parse("2025-13-15T13:07:00Z").is_err());
}

#[test]
fn dates() {
    let d = Timestamp::parse_date("2025-03-10").unwrap();
    assert_eq!(d.to_string(), "2025-03-10 00:00:00.000000+00:00");
    assert!(Timestamp::parse_date("2025-3-10x").is_none());
}
