use super::*;

#[test]
fn durations_read_naturally() {
    assert_eq!(human_duration(7), "7s");
    assert_eq!(human_duration(245), "4m 05s");
    assert_eq!(human_duration(3723), "1h 02m 03s");
}

#[test]
fn times_drop_the_microseconds() {
    let t = Timestamp::parse("2025-05-15T13:07:00.123456Z").unwrap();
    assert_eq!(human_time(t), "2025-05-15 13:07:00 UTC");
}
