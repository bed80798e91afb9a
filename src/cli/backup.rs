//! `sessionvault backup DEST`: a consistent copy of the vault made while it serves.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{open_vault, settings};

#[derive(Args)]
pub struct BackupArgs {
    /// A new or empty folder; it becomes a data folder of its own
    #[arg(value_name = "DEST")]
    dest: PathBuf,
}

pub fn run(
    data_dir: &Option<PathBuf>,
    config: &Option<PathBuf>,
    args: BackupArgs,
) -> Result<ExitCode, String> {
    let vault = open_vault(settings(data_dir, config, Vec::new())?)?;
    let report = vault.backup(&args.dest).map_err(|e| e.to_string())?;
    println!(
        "backed up the database and {} stored original{} ({} bytes) to {}",
        report.originals,
        if report.originals == 1 { "" } else { "s" },
        report.stored_bytes,
        args.dest.display()
    );
    Ok(ExitCode::SUCCESS)
}
