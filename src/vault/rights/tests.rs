use super::*;

#[test]
fn table_matches_the_spec() {
    use Right::*;
    let yes = Some(Scope::All);
    let own = Some(Scope::Own);
    let rows = [
        (SessionRead, [yes, yes, yes, own]),
        (SessionDownload, [yes, yes, yes, own]),
        (SessionEncode, [yes, yes, None, own]),
        (SessionShare, [yes, yes, None, None]),
        (SessionDelete, [yes, None, None, None]),
        (Ingest, [yes, yes, None, None]),
        (Manage, [yes, None, None, None]),
    ];
    for (right, expected) in rows {
        for (role, want) in Role::ALL.iter().zip(expected) {
            assert_eq!(role.scope(right), want, "{role} {right:?}");
        }
    }
}
