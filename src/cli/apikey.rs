//! `sessionvault apikey create USER`: prints a new key and nothing else.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{open_vault, settings};

#[derive(Subcommand)]
pub enum ApikeyCommand {
    /// Create an API key for a user and print it (shown only this once)
    Create {
        /// The user the key acts for
        user: String,
        /// A label to recognise the key by
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

pub fn run(
    data_dir: &Option<PathBuf>,
    config: &Option<PathBuf>,
    cmd: ApikeyCommand,
) -> Result<ExitCode, String> {
    let ApikeyCommand::Create { user, label } = cmd;
    let vault = open_vault(settings(data_dir, config, Vec::new())?)?;
    let key = vault.create_api_key(&user, &label).map_err(|e| e.to_string())?;
    println!("{key}");
    Ok(ExitCode::SUCCESS)
}
