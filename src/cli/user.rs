//! `sessionvault user add NAME --role ROLE [--password-stdin]`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{open_vault, settings};
use crate::vault::model::Role;
use crate::vault::users::NewUser;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user
    Add {
        /// User name
        name: String,
        /// admin, operator, auditor or user
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub fn run(
    data_dir: &Option<PathBuf>,
    config: &Option<PathBuf>,
    cmd: UserCommand,
) -> Result<ExitCode, String> {
    let UserCommand::Add {
        name,
        role,
        password_stdin,
    } = cmd;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        Some(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        None
    };
    let vault = open_vault(settings(data_dir, config, Vec::new())?)?;
    let user = vault
        .create_user(None, NewUser { name, role, password })
        .map_err(|e| e.to_string())?;
    println!("created user {} (role {}, id {})", user.name, user.role, user.id);
    Ok(ExitCode::SUCCESS)
}
