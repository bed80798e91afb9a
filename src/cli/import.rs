//! `sessionvault import [--user U --server S --protocol P] FILE...` with a progress bar;
//! a bad file is reported on its own line and the others still import.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{open_vault, settings};
use crate::vault::import::ImportOptions;
use crate::vault::model::Protocol;

#[derive(Args)]
pub struct ImportArgs {
    /// User the sessions were made as [default: $USER, else "unknown"]
    #[arg(long)]
    user: Option<String>,
    /// Server the sessions were made to [default: "unknown"]
    #[arg(long)]
    server: Option<String>,
    /// Protocol of the sessions
    #[arg(long, default_value = "ssh", value_parser = parse_protocol)]
    protocol: Protocol,
    /// asciicast v2 files
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn parse_protocol(s: &str) -> Result<Protocol, String> {
    s.parse()
}

pub fn run(
    data_dir: &Option<PathBuf>,
    config: &Option<PathBuf>,
    args: ImportArgs,
) -> Result<ExitCode, String> {
    let vault = open_vault(settings(data_dir, config, Vec::new())?)?;
    let options = ImportOptions {
        user: args
            .user
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "unknown".into()),
        server: args.server.unwrap_or_else(|| "unknown".into()),
        protocol: args.protocol,
    };
    // Every byte is read twice: once to check the file, once to store it.
    let total: u64 = args
        .files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0) * 2)
        .sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:30!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
    );
    let mut imported = 0;
    for file in &args.files {
        bar.set_message(file.display().to_string());
        match vault.import_cast(file, &options, &|n| bar.inc(n)) {
            Ok(session) => {
                imported += 1;
                say(
                    &bar,
                    false,
                    format!("{}: imported as session {}", file.display(), session.id),
                );
            }
            Err(e) => say(&bar, true, format!("error: {}: {e}", file.display())),
        }
    }
    bar.finish_and_clear();
    let failed = args.files.len() - imported;
    println!("imported {imported} of {} recordings", args.files.len());
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints a line above the progress bar, or plainly when there is no bar (not a
/// terminal): errors to stderr, the rest to stdout.
fn say(bar: &ProgressBar, is_error: bool, line: String) {
    if !bar.is_hidden() {
        bar.println(line);
    } else if is_error {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}
