use super::*;

static TEST_BUDGET: Budget = Budget::new(100);

#[test]
fn leases_return_when_the_last_slice_drops() {
    let lease = TEST_BUDGET.try_acquire(60).unwrap();
    assert!(TEST_BUDGET.try_acquire(60).is_none());
    let bytes = leased_bytes(vec![1, 2, 3], lease, drop);
    let slice = bytes.slice(1..);
    drop(bytes);
    assert_eq!(TEST_BUDGET.available(), 40, "a slice still holds the lease");
    drop(slice);
    assert_eq!(TEST_BUDGET.available(), 100);
    drop(Lease::free());
    assert_eq!(TEST_BUDGET.available(), 100);
}
