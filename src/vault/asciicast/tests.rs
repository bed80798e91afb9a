use super::*;

const CAST: &str = "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1700000000}\n\
                    [0.5, \"o\", \"hello\\r\\n\"]\n\
                    \n\
                    [1.25, \"i\", \"ls\\r\"]\n";

#[test]
fn validates_in_any_split() {
    for split in 1..CAST.len() {
        let mut v = Validator::new();
        v.feed(&CAST.as_bytes()[..split]).unwrap();
        v.feed(&CAST.as_bytes()[split..]).unwrap();
        let summary = v.finish().unwrap();
        assert_eq!(summary.events, 2);
        assert_eq!(summary.last_time, 1.25);
        assert_eq!(summary.header.timestamp, Some(1_700_000_000));
    }
}

#[test]
fn names_the_bad_line() {
    let bad = "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"o\", \"ok\"]\n[0.7, \"o\"\n";
    let mut v = Validator::new();
    let err = v.feed(bad.as_bytes()).unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.to_string().starts_with("line 3:"), "{err}");
}

#[test]
fn refuses_other_versions_and_empty() {
    let mut v = Validator::new();
    let err = v
        .feed(b"{\"version\": 1, \"width\": 80, \"height\": 24}\n")
        .unwrap_err();
    assert!(err.message.contains("version 1"), "{err}");
    assert!(Validator::new().finish().is_err());
    let mut v = Validator::new();
    assert!(v.feed(b"[1, \"o\", \"x\"]\n").is_err());
}

#[test]
fn last_line_without_newline_counts() {
    let mut v = Validator::new();
    v.feed(b"{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"o\", \"x\"]")
        .unwrap();
    assert_eq!(v.finish().unwrap().events, 1);
    let mut v = Validator::new();
    v.feed(b"{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"o\"")
        .unwrap();
    assert_eq!(v.finish().unwrap_err().line, 2);
}

#[test]
fn event_reader_reads_back() {
    let mut r = EventReader::new(CAST.as_bytes()).unwrap();
    assert_eq!(r.header.width, 80);
    assert_eq!(r.next_event().unwrap().unwrap().data, "hello\r\n");
    assert_eq!(r.next_event().unwrap().unwrap().code, "i");
    assert!(r.next_event().unwrap().is_none());
}
