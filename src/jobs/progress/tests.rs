use super::*;
use crate::vault::test_vault;

#[test]
fn a_running_job_learns_of_its_cancellation_at_its_next_report() {
    let (_dir, vault) = test_vault();
    let node = vault.node.id.clone();
    let job = vault
        .db
        .write(|tx| -> Result<i64, VaultError> {
            let id = jobs::enqueue(tx, "prepare_file", 1, &node)?;
            jobs::claim(tx, &node)?;
            Ok(id)
        })
        .unwrap();
    let stop = AtomicBool::new(false);
    let mut progress = Progress::new(&vault, job, &stop);
    progress.set_total(100);
    progress.advance(10).unwrap();
    vault
        .db
        .write(|tx| jobs::cancel(tx, job).map_err(VaultError::from))
        .unwrap();
    assert!(matches!(progress.advance(10), Err(JobError::Cancelled)));
}

#[test]
fn a_stopping_engine_stops_the_job() {
    let (_dir, vault) = test_vault();
    let stop = AtomicBool::new(true);
    let mut progress = Progress::new(&vault, 1, &stop);
    assert!(matches!(progress.advance(1), Err(JobError::Stopped)));
}
