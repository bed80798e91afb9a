use std::process::ExitCode;

fn main() -> ExitCode {
    sessionvault::cli::run()
}
