use super::*;

#[test]
fn base_names() {
    assert_eq!(base_name("/etc/hosts"), "hosts");
    assert_eq!(base_name("C:\\Users\\a\\report.pdf"), "report.pdf");
    assert_eq!(base_name("dir/"), "dir");
    assert_eq!(base_name(""), "file");
}
