use super::*;

#[test]
fn base_names() {
    assert_eq!(base_name("/etc/hosts"), "hosts");
    assert_eq!(base_name("C:\\Users\\a\\report.pdf"), "report.pdf");
    assert_eq!(base_name("dir/"), "dir");
    assert_eq!(base_name(""), "file");
}

#[test]
fn file_names_outside_ascii_get_a_utf8_parameter_and_an_ascii_fallback() {
    assert_eq!(attachment("hosts").to_string(), "attachment; filename=\"hosts\"");
    assert_eq!(
        attachment("raport końcowy.pdf").to_string(),
        "attachment; filename=\"raport ko_cowy.pdf\"; filename*=UTF-8''raport%20ko%C5%84cowy.pdf"
    );
    assert_eq!(
        attachment("say \"hi\".txt").to_string(),
        "attachment; filename=\"say \\\"hi\\\".txt\""
    );
}
