//! `paraat`: the desktop app, or `paraat <subcommand>` for the headless CLI.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = paraat::cli::Cli::parse();
    if let Some(code) = paraat::cli::main_exit(cli) {
        return code;
    }
    run_app()
}

#[cfg(feature = "gui")]
fn run_app() -> ExitCode {
    match paraat::ui::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paraat: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn run_app() -> ExitCode {
    eprintln!("paraat: built without the `gui` feature; see `paraat --help` for the CLI");
    ExitCode::from(2)
}
