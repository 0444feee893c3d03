//! The headless command-line interface: `paraat <subcommand>`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::library::Library;
use crate::model::load;

/// Paraat — tabletop exercises of the Dutch national crisis plan for extreme violence and
/// terrorism (LCP EGT). Without a subcommand, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "paraat", version, about, long_about = None)]
pub struct Cli {
    /// What to do; none opens the desktop app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plan and scenario files and report every problem with `file:line:column`.
    Validate {
        /// Files or folders (default: the built-in scenarios/ library).
        paths: Vec<PathBuf>,
        /// Do not print warnings.
        #[arg(long)]
        quiet: bool,
    },
}

/// Runs a subcommand, writing to the given streams; returns the process exit code
/// (0 success, 1 problems found, 2 usage error).
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match command {
        Command::Validate { paths, quiet } => validate(paths, quiet, out, err),
    }
}

fn validate(paths: Vec<PathBuf>, quiet: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let paths = if paths.is_empty() {
        vec![load::builtin_dir()]
    } else {
        paths
    };
    for p in &paths {
        if !p.exists() {
            let _ = writeln!(err, "error: {}: no such file or folder", p.display());
            return 2;
        }
    }
    let lib = Library::load(&paths);
    for d in &lib.diagnostics {
        if quiet && !d.is_error() {
            continue;
        }
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(
        out,
        "{} file(s) checked: {} plan(s), {} playable scenario(s); {} error(s), {} warning(s)",
        lib.files,
        lib.plans.len(),
        lib.exercises.len(),
        lib.errors(),
        lib.warnings()
    );
    u8::from(lib.errors() > 0)
}

/// Parses the process arguments; `None` means "open the app".
pub fn main_exit(cli: Cli) -> Option<ExitCode> {
    let command = cli.command?;
    let code = run(command, &mut std::io::stdout(), &mut std::io::stderr());
    Some(ExitCode::from(code))
}
