//! `paraat handbook SCENARIO`: the situation manual, for participants or for exercise control.

use std::io::Write;
use std::path::PathBuf;

use super::LangArg;
use crate::report::doc;
use crate::report::handbook::{self, Part};

/// Arguments of `paraat handbook`.
#[derive(Debug, clap::Args)]
pub struct HandbookArgs {
    /// A scenario file, or the id of a built-in scenario.
    pub scenario: String,
    /// Which part: `participants` (safe to hand out: nothing of later injects), `control`
    /// (exercise control and evaluators: the whole script), or `all` (both in one document).
    #[arg(long, value_enum, default_value_t = PartArg::Participants)]
    pub part: PartArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HandbookFormat::Html)]
    pub format: HandbookFormat,
    /// Output file (default: standard output). Written atomically, never over a scenario.
    #[arg(short = 'o', long)]
    pub out: Option<PathBuf>,
    /// Language of the handbook.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
}

/// The part of the handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PartArg {
    /// For the players.
    Participants,
    /// For exercise control and evaluators.
    Control,
    /// Both, in one document.
    All,
}

/// The format of the handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HandbookFormat {
    /// Self-contained printable HTML.
    Html,
    /// Markdown.
    Md,
    /// PDF (A4, tagged for accessibility; binary).
    Pdf,
}

/// Runs `paraat handbook`; returns the exit code.
pub fn run(args: &HandbookArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.format == HandbookFormat::Pdf
        && super::refuse_binary_to_terminal(args.out.as_deref(), err)
    {
        return 2;
    }
    let Some(ex) = super::find_exercise(&args.scenario, err) else {
        return 1;
    };
    let part = match args.part {
        PartArg::Participants => Part::Participants,
        PartArg::Control => Part::Control,
        PartArg::All => Part::All,
    };
    let d = handbook::handbook_at(
        &ex.plan.value,
        &ex.scenario.value,
        Some(&ex.scenario.path),
        part,
        args.lang.into(),
    );
    let bytes = match args.format {
        HandbookFormat::Html => doc::to_html(&d).into_bytes(),
        HandbookFormat::Md => doc::to_markdown(&d).into_bytes(),
        HandbookFormat::Pdf => match crate::report::pdf::render(&d) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return 1;
            }
        },
    };
    super::emit(
        &bytes,
        args.out.as_deref(),
        &[&ex.scenario.path, &ex.plan.path],
        out,
        err,
    )
}
