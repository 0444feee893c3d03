//! `paraat`: the desktop app, or `paraat <subcommand>` for the headless CLI.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = paraat::cli::Cli::parse();
    if let Some(code) = paraat::cli::main_exit(cli) {
        return code;
    }
    eprintln!("paraat: the desktop app is not built yet; see `paraat --help` for the CLI");
    ExitCode::from(2)
}
