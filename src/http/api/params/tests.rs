use super::*;

#[test]
fn unknown_and_duplicate_are_named() {
    let mut p = Params::parse("limit=5&colour=red").unwrap();
    assert_eq!(p.page().unwrap().limit, 5);
    assert!(p.finish().unwrap_err().message.starts_with("colour:"));
    assert!(Params::parse("a=1&a=2").err().unwrap().message.starts_with("a:"));
    assert!(Params::parse("access_token=x").unwrap().finish().is_ok());
}

#[test]
fn bad_values_are_named() {
    for (query, name) in [
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("offset=-1", "offset"),
        ("sort_type=up", "sort_type"),
        ("count=maybe", "count"),
        ("limit=1&page_size=2", "page_size"),
    ] {
        let err = Params::parse(query).unwrap().page().unwrap_err();
        assert!(err.message.starts_with(name), "{query}: {}", err.message);
    }
}

#[test]
fn date_bounds_cover_whole_days() {
    let mut p = Params::parse("from=2025-03-10&to=2025-03-14").unwrap();
    let from = p.time_bound("from", false).unwrap().unwrap();
    let to = p.time_bound("to", true).unwrap().unwrap();
    assert_eq!(from.to_string(), "2025-03-10 00:00:00.000000+00:00");
    assert_eq!(to.to_string(), "2025-03-14 23:59:59.999999+00:00");
}
