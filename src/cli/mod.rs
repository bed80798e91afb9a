//! The command line: `serve`, `user`, `apikey`, `import`, `backup`, `check`. Exit codes: 0 ok,
//! 1 failure, 2 usage (clap's own).

mod apikey;
mod backup;
mod check;
mod import;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::vault::Vault;

#[derive(Parser)]
#[command(
    name = "sessionvault",
    version,
    about = "The recordings vault of a bastion host"
)]
struct Cli {
    /// Data folder [default: ./sessionvault-data; env SESSIONVAULT_DATA_DIR]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// TOML file of settings (see README: Settings)
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web pages
    Serve(serve::ServeArgs),
    /// Manage users
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage API keys
    #[command(subcommand)]
    Apikey(apikey::ApikeyCommand),
    /// Import asciicast v2 recordings (.cast files)
    Import(import::ImportArgs),
    /// Copy the database, the stored originals and the keys to a new folder, while serving
    Backup(backup::BackupArgs),
    /// Verify every stored original against its SHA-256; exit 1 on damage
    Check,
}

/// Settings from every layer, with the global flags and `extra` flags applied last.
fn settings(
    cli_data_dir: &Option<PathBuf>,
    config: &Option<PathBuf>,
    extra: Vec<(&str, String)>,
) -> Result<Settings, String> {
    let mut flags = extra;
    if let Some(dir) = cli_data_dir {
        flags.push(("data_dir", dir.display().to_string()));
    }
    Settings::load(config.as_deref(), &flags).map_err(|e| e.to_string())
}

fn open_vault(settings: Settings) -> Result<Vault, String> {
    Vault::open(settings).map_err(|e| e.to_string())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SESSIONVAULT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Serve(args) => serve::run(&cli.data_dir, &cli.config, args),
        Command::User(cmd) => user::run(&cli.data_dir, &cli.config, cmd),
        Command::Apikey(cmd) => apikey::run(&cli.data_dir, &cli.config, cmd),
        Command::Import(args) => import::run(&cli.data_dir, &cli.config, args),
        Command::Backup(args) => backup::run(&cli.data_dir, &cli.config, args),
        Command::Check => check::run(&cli.data_dir, &cli.config),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
