//! `sessionvault check`: reads every stored original back and compares it with the
//! SHA-256 recorded at ingest. Exit 1 if anything is damaged or missing.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{open_vault, settings};

pub fn run(data_dir: &Option<PathBuf>, config: &Option<PathBuf>) -> Result<ExitCode, String> {
    let vault = open_vault(settings(data_dir, config, Vec::new())?)?;
    let report = vault.check_blobs().map_err(|e| e.to_string())?;
    for problem in &report.problems {
        println!("damaged: {problem}");
    }
    println!(
        "checked {} stored originals ({} bytes): {} damaged",
        report.checked,
        report.bytes,
        report.problems.len()
    );
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
