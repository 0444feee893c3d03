//! The headless command-line interface: `paraat <subcommand>`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::fmt_elapsed;
use crate::journal::{self, Session};
use crate::library::{self, Exercise, Library};
use crate::model::Lang;
use crate::model::load;
use crate::play::{self, Policy};
use crate::scoring;

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
    /// Run an exercise headless to its end and write its journal.
    Play {
        /// A scenario file, or the id of a scenario in the built-in library.
        scenario: String,
        /// Seed of the random chances (default: random, printed).
        #[arg(long)]
        seed: Option<u64>,
        /// How decisions are taken without a script.
        #[arg(long, value_enum, default_value_t = PolicyArg::Default)]
        policy: PolicyArg,
        /// A decision script (RON); see scenarios/README.md.
        #[arg(long)]
        script: Option<PathBuf>,
        /// Where to write the journal (default: a new file under journals/; never overwrites).
        #[arg(long)]
        journal: Option<PathBuf>,
    },
    /// Run an exercise headless with a room: participants join from their own devices, and a
    /// facilitator page on a secret address runs the clock. Runs until stopped (Ctrl-C); every
    /// entry is on disk as it happens.
    Serve {
        /// A scenario file, or the id of a scenario in the built-in library.
        scenario: String,
        /// Seed of the random chances (default: random, printed).
        #[arg(long)]
        seed: Option<u64>,
        /// The address to listen on: this machine's address on the exercise network, and a port
        /// (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Where to write the journal (default: a new file under journals/; never overwrites).
        #[arg(long)]
        journal: Option<PathBuf>,
    },
    /// Check a journal's hash chain and replay it; exit 1 at the first difference.
    Replay {
        /// The journal (.jsonl).
        journal: PathBuf,
    },
    /// Print the scorecard of a journal.
    Score {
        /// The journal (.jsonl).
        journal: PathBuf,
        /// Language of the output.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// Explore a scenario's decision paths: coverage, dead ends, best and worst score.
    Explore {
        /// A scenario file, or the id of a built-in scenario.
        scenario: String,
        /// Explore exhaustively up to this many paths; beyond it, sample this many.
        #[arg(long, default_value_t = 20_000)]
        max_paths: u64,
        /// Seed of the random chances (and of the sampling).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export or import a scenario's MSEL as CSV (for spreadsheets).
    #[command(subcommand)]
    Msel(MselCommand),
    /// Write the after-action report (AAR/IP) of a journal.
    Report {
        /// The journal (.jsonl).
        journal: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Html)]
        format: FormatArg,
        /// Output file (default: standard output). Written atomically.
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
        /// Language of the report.
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
    },
}

/// `paraat msel` subcommands.
#[derive(Debug, Subcommand)]
pub enum MselCommand {
    /// Write a scenario's MSEL as CSV.
    Export {
        /// A scenario file, or the id of a built-in scenario.
        scenario: String,
        /// The CSV file to write (atomically); default: standard output.
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
    },
    /// Turn a MSEL CSV into a scenario file.
    Import {
        /// The CSV file.
        csv: PathBuf,
        /// The scenario file to write (atomically; never over an existing file).
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
}

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Self-contained printable HTML.
    Html,
    /// Markdown.
    Md,
    /// CSV (decisions and procedure results).
    Csv,
    /// JSON (everything).
    Json,
}

/// Decision policy for `paraat play`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PolicyArg {
    /// Each decision's first choice, at once.
    First,
    /// Let every deadline expire into its default.
    Default,
    /// Seeded random choices at random moments before the deadline.
    Random,
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Nederlands.
    Nl,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }
    }
}

/// Runs a subcommand, writing to the given streams; returns the process exit code
/// (0 success, 1 problems found, 2 usage error).
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match command {
        Command::Validate { paths, quiet } => validate(paths, quiet, out, err),
        Command::Play {
            scenario,
            seed,
            policy,
            script,
            journal,
        } => play_cmd(
            &scenario,
            seed,
            policy,
            script.as_deref(),
            journal,
            out,
            err,
        ),
        Command::Serve {
            scenario,
            seed,
            bind,
            journal,
        } => serve_cmd(&scenario, seed, &bind, journal, out, err),
        Command::Replay { journal } => replay_cmd(&journal, out, err),
        Command::Score { journal, lang } => score_cmd(&journal, lang.into(), out, err),
        Command::Explore {
            scenario,
            max_paths,
            seed,
            json,
        } => explore_cmd(&scenario, max_paths, seed, json, out, err),
        Command::Msel(MselCommand::Export {
            scenario,
            out: file,
        }) => msel_export(&scenario, file.as_deref(), out, err),
        Command::Msel(MselCommand::Import { csv, out: file }) => msel_import(&csv, &file, out, err),
        Command::Report {
            journal,
            format,
            out: file,
            lang,
        } => report_cmd(&journal, format, file.as_deref(), lang.into(), out, err),
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

/// Finds a scenario by path or by id in the built-in library.
pub fn find_exercise(key: &str, err: &mut dyn Write) -> Option<Exercise> {
    let path = Path::new(key);
    if path.exists() {
        return match library::load_exercise(path) {
            Ok(e) => Some(e),
            Err(diags) => {
                for d in diags {
                    let _ = writeln!(err, "{d}");
                }
                None
            }
        };
    }
    let lib = Library::load(&[load::builtin_dir()]);
    if let Some(e) = lib.find(key) {
        return Some(e.clone());
    }
    let ids: Vec<&str> = lib
        .exercises
        .iter()
        .map(|e| e.scenario.value.id.as_str())
        .collect();
    let _ = writeln!(
        err,
        "error: no scenario file or built-in scenario \"{key}\"; built-in: {}",
        ids.join(", ")
    );
    None
}

/// Finds the exercise a journal was written for: its recorded path if it still has the same
/// text, else the built-in scenario with its id.
pub fn exercise_for(header: &journal::Header) -> Option<Exercise> {
    let recorded = Path::new(&header.scenario_path);
    if recorded.exists()
        && let Ok(e) = library::load_exercise(recorded)
        && e.scenario.value.id == header.scenario_id
    {
        return Some(e);
    }
    Library::load(&[load::builtin_dir()])
        .find(&header.scenario_id)
        .cloned()
}

#[allow(clippy::too_many_arguments)]
fn play_cmd(
    key: &str,
    seed: Option<u64>,
    policy: PolicyArg,
    script: Option<&Path>,
    journal_path: Option<PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some(exercise) = find_exercise(key, err) else {
        return 1;
    };
    let policy = match script {
        Some(p) => match play::load_script(p) {
            Ok(s) => {
                if s.scenario != exercise.scenario.value.id {
                    let _ = writeln!(
                        err,
                        "error: {}: the script is for scenario \"{}\", not \"{}\"",
                        p.display(),
                        s.scenario,
                        exercise.scenario.value.id
                    );
                    return 1;
                }
                Policy::Script(s)
            }
            Err(d) => {
                let _ = writeln!(err, "{d}");
                return 1;
            }
        },
        None => match policy {
            PolicyArg::First => Policy::First,
            PolicyArg::Default => Policy::Default,
            PolicyArg::Random => Policy::Random,
        },
    };
    let seed = seed.unwrap_or_else(random_seed);
    let path = journal_path
        .unwrap_or_else(|| journal::new_path(Path::new("journals"), &exercise.scenario.value.id));
    let mut session = match Session::create(
        &exercise,
        seed,
        exercise.scenario.value.roles.clone(),
        &path,
    ) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "error: {}: {e}", path.display());
            return 1;
        }
    };
    let report = match play::play(&mut session, &policy) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 1;
        }
    };
    for r in &report.refused {
        let _ = writeln!(err, "warning: refused: {r}");
    }
    for s in &report.skipped {
        let _ = writeln!(err, "warning: never applied: {s}");
    }
    let card = scoring::score_compiled(session.sim().ctx(), session.header(), session.entries());
    let _ = writeln!(
        out,
        "{} — seed {seed}\njournal: {}\n{} injects released, {} decisions taken, {} expired, {} journal entries, ended at {}\nscore: {} ({:.1} of {:.1} points)",
        exercise.scenario.value.title.en,
        session.path().display(),
        report.released,
        report.decided,
        report.expired,
        session.entries().len(),
        fmt_elapsed(session.sim().state().now),
        card.total.percent(),
        card.total.earned,
        card.total.possible
    );
    0
}

/// `paraat serve`: the room without the desktop app. A ticking thread moves wall time.
#[allow(clippy::disallowed_methods)] // The front end owns the wall clock and passes it to the host.
fn serve_cmd(
    key: &str,
    seed: Option<u64>,
    bind: &str,
    journal_path: Option<PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some(exercise) = find_exercise(key, err) else {
        return 1;
    };
    let seed = seed.unwrap_or_else(random_seed);
    let path = journal_path
        .unwrap_or_else(|| journal::new_path(Path::new("journals"), &exercise.scenario.value.id));
    let session = match Session::create(
        &exercise,
        seed,
        exercise.scenario.value.roles.clone(),
        &path,
    ) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "error: {}: {e}", path.display());
            return 1;
        }
    };
    let host = crate::host::Host::new(session);
    let room = match crate::room::Room::open(host.clone(), bind) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                err,
                "error: {e}\nhelp: give --bind ADDRESS:PORT with an address of this machine and a free port"
            );
            return 1;
        }
    };
    let addr = room.addr();
    let _ = writeln!(out, "Join:        {}", room.join_url());
    let _ = writeln!(out, "Code:        {}", room.code());
    let _ = writeln!(
        out,
        "Facilitator: http://{addr}{}  (keep this address to yourself)",
        room.facilitator_path()
    );
    let _ = writeln!(out, "Journal:     {}  (seed {seed})", path.display());
    if addr.ip().is_unspecified() {
        let _ = writeln!(
            out,
            "note: listening on every interface; give participants this machine's address on the exercise network"
        );
    }
    let _ = out.flush();
    let mut last = std::time::Instant::now();
    let mut ended = false;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let now = std::time::Instant::now();
        if let Err(e) = host.tick(now - last) {
            let _ = writeln!(err, "error: {}", e.message(crate::model::Lang::En));
        }
        last = now;
        let status = host.view().sim().status();
        if status == crate::engine::Status::Ended && !ended {
            ended = true;
            let _ = writeln!(
                out,
                "The exercise has ended; the room stays open until stopped."
            );
            let _ = out.flush();
        }
    }
}

/// A seed for when none is given; the front ends may read entropy, the engine never does.
#[allow(clippy::disallowed_methods)]
pub fn random_seed() -> u64 {
    use rand::RngExt;
    rand::rng().random_range(0..1_000_000_000)
}

fn read_journal(path: &Path, err: &mut dyn Write) -> Option<journal::Read> {
    match journal::read_file(path) {
        Ok(r) => {
            if let Some((line, bytes)) = r.torn {
                let _ = writeln!(
                    err,
                    "warning: {}:{line}: the last line is torn ({bytes} bytes; the program stopped while writing it) and was left out",
                    path.display()
                );
            }
            Some(r)
        }
        Err(e) => {
            let _ = writeln!(err, "error: {}: {e}", path.display());
            None
        }
    }
}

fn replay_cmd(path: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let Some(read) = read_journal(path, err) else {
        return 1;
    };
    if let Some(b) = &read.broken {
        let _ = writeln!(err, "error: {}:{}: {}", path.display(), b.line, b.why);
        return 1;
    }
    let Some(exercise) = exercise_for(&read.header) else {
        let _ = writeln!(
            err,
            "error: {}: scenario \"{}\" (from {}) cannot be found",
            path.display(),
            read.header.scenario_id,
            read.header.scenario_path
        );
        return 1;
    };
    if exercise.source_hash() != read.header.source_hash {
        let _ = writeln!(
            err,
            "warning: the scenario or plan text has changed since this journal was written; replay may differ"
        );
    }
    match journal::replay(&read, &exercise.plan.value, &exercise.scenario.value) {
        Ok(o) => {
            if !o.tail.is_empty() {
                let _ = writeln!(
                    err,
                    "warning: the journal ends {} event(s) short of what its last command caused (the program stopped while writing); `paraat` writes them when the exercise is resumed",
                    o.tail.len()
                );
            }
            let _ = writeln!(
                out,
                "{}: hash chain intact over {} entries; replayed {} commands, {} events identical{}",
                path.display(),
                read.entries.len(),
                o.commands,
                o.events,
                if read.finished() {
                    ""
                } else {
                    " (exercise unfinished)"
                }
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {}:{e}", path.display());
            1
        }
    }
}

/// Reads a journal for scoring or reporting: a broken chain is a warning (the entries before it
/// are used), a missing scenario an error.
fn journal_with_exercise(
    path: &Path,
    on_break: &str,
    err: &mut dyn Write,
) -> Option<(journal::Read, Exercise)> {
    let read = read_journal(path, err)?;
    if let Some(b) = &read.broken {
        let _ = writeln!(
            err,
            "warning: {}:{}: {}; {on_break}",
            path.display(),
            b.line,
            b.why
        );
    }
    let Some(exercise) = exercise_for(&read.header) else {
        let _ = writeln!(
            err,
            "error: scenario \"{}\" cannot be found",
            read.header.scenario_id
        );
        return None;
    };
    Some((read, exercise))
}

fn score_cmd(path: &Path, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let Some((read, exercise)) = journal_with_exercise(path, "scoring the entries before it", err)
    else {
        return 1;
    };
    let card = scoring::score(
        &exercise.plan.value,
        &exercise.scenario.value,
        &read.header,
        &read.entries,
    );
    let _ = write!(
        out,
        "{}",
        crate::report::scorecard_text(&card, &exercise, lang)
    );
    0
}

fn report_cmd(
    path: &Path,
    format: FormatArg,
    file: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some((read, exercise)) =
        journal_with_exercise(path, "the report covers the entries before it", err)
    else {
        return 1;
    };
    let aar = crate::report::Aar::build(&exercise, &read.header, &read.entries, lang);
    let format = match format {
        FormatArg::Html => crate::report::Format::Html,
        FormatArg::Md => crate::report::Format::Markdown,
        FormatArg::Csv => crate::report::Format::Csv,
        FormatArg::Json => crate::report::Format::Json,
    };
    let text = crate::report::render(&aar, format);
    match file {
        Some(f) => {
            if let Err(e) = crate::report::write_atomic(f, text.as_bytes()) {
                let _ = writeln!(err, "error: {}: {e}", f.display());
                return 1;
            }
            let _ = writeln!(out, "wrote {}", f.display());
        }
        None => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    0
}

fn explore_cmd(
    key: &str,
    max_paths: u64,
    seed: u64,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some(ex) = find_exercise(key, err) else {
        return 1;
    };
    let ctx = std::sync::Arc::new(crate::engine::Compiled::new(
        &ex.plan.value,
        &ex.scenario.value,
    ));
    let mut last = 0u64;
    let mut progress = |done: u64, total: u64| {
        // A plain progress bar on standard error, updated every few percent.
        let pct = done.saturating_mul(100) / total.max(1);
        if pct >= last + 5 || done >= total {
            last = pct;
            let bar = "#".repeat((pct / 5) as usize);
            let _ = write!(err, "\r[{bar:<20}] {pct:>3} % ({done}/{total} paths)");
            if done >= total {
                let _ = writeln!(err);
            }
        }
    };
    let r = crate::explore::explore(&ctx, seed, max_paths, &mut progress);
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&r).unwrap_or_default()
        );
        return 0;
    }
    let s = &ex.scenario.value;
    let _ = writeln!(
        out,
        "{} ({}), seed {seed}\n{}: {} paths, {} decisions applied",
        s.title.en,
        s.id,
        match r.mode {
            crate::explore::Mode::Exhaustive => "exhaustive",
            crate::explore::Mode::Sampled => "sampled (more paths than --max-paths)",
        },
        r.paths,
        r.decisions_applied
    );
    let _ = writeln!(
        out,
        "inject coverage: {}/{} ({:.0} %)",
        r.reached,
        r.injects,
        100.0 * r.reached as f64 / r.injects.max(1) as f64
    );
    let joined = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(
        out,
        "unreachable injects: {}",
        joined(r.unreachable.iter().map(ToString::to_string).collect())
    );
    let _ = writeln!(
        out,
        "decisions never put: {}",
        joined(r.never_put.iter().map(ToString::to_string).collect())
    );
    let _ = writeln!(
        out,
        "dead ends (deadline after the end): {}",
        joined(
            r.deadline_after_end
                .iter()
                .map(ToString::to_string)
                .collect()
        )
    );
    let _ = writeln!(
        out,
        "procedures never satisfied: {}",
        joined(r.never_satisfied.iter().map(ToString::to_string).collect())
    );
    for (name, p) in [("best", &r.best), ("worst", &r.worst)] {
        if let Some(p) = p {
            let steps: Vec<String> = p
                .steps
                .iter()
                .map(|s| {
                    format!(
                        "{}={}",
                        s.decision,
                        s.choice.as_ref().map_or("(expire)", |c| c.as_str())
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "{name} score: {:.0} % ({:.1}/{:.1}) via {}",
                p.share * 100.0,
                p.earned,
                p.possible,
                steps.join(" ")
            );
        }
    }
    0
}

fn msel_export(key: &str, file: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let Some(ex) = find_exercise(key, err) else {
        return 1;
    };
    let text = crate::msel::export(&ex.scenario.value, &ex.plan.value);
    let Some(f) = file else {
        let _ = out.write_all(text.as_bytes());
        return 0;
    };
    if let Err(e) = crate::report::write_atomic(f, text.as_bytes()) {
        let _ = writeln!(err, "error: {}: {e}", f.display());
        return 1;
    }
    let _ = writeln!(
        out,
        "wrote {} ({} injects)",
        f.display(),
        ex.scenario.value.injects.len()
    );
    0
}

fn msel_import(csv_path: &Path, file: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = match load::read_limited(csv_path) {
        Ok(t) => t,
        Err(d) => {
            let _ = writeln!(err, "{d}");
            return 1;
        }
    };
    if file.exists() {
        let _ = writeln!(
            err,
            "error: {}: exists; choose another name (import never overwrites)",
            file.display()
        );
        return 1;
    }
    let lib = Library::load(&[load::builtin_dir().join("plan")]);
    let Some(plan) = lib
        .plans
        .iter()
        .find(|p| p.value.id == "lcp-egt")
        .or_else(|| lib.plans.first())
    else {
        let _ = writeln!(
            err,
            "error: no plan catalogue found under {}",
            load::builtin_dir().display()
        );
        return 1;
    };
    let stem = file.file_stem().map_or_else(
        || "imported".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let fallback = crate::model::Scenario {
        id: stem.clone(),
        plan: plan.value.id.clone(),
        title: crate::model::Text::new(stem.clone(), stem),
        summary: crate::model::Text::default(),
        start: "2026-01-01T09:00:00+01:00".into(),
        duration_min: 120,
        roles: Vec::new(),
        vars: Vec::new(),
        init: std::collections::BTreeMap::new(),
        injects: Vec::new(),
        random: Vec::new(),
        objectives: Vec::new(),
    };
    let scenario = match crate::msel::import(&text, &plan.value, &fallback) {
        Ok(s) => s,
        Err(rows) => {
            for r in &rows {
                let _ = writeln!(err, "{}:{r}", csv_path.display());
            }
            let _ = writeln!(err, "{} problem(s); nothing written", rows.len());
            return 1;
        }
    };
    let ron_text = crate::msel::to_ron(&scenario);
    // Check the result as the validator would see the written file.
    let diags = match load::parse_scenario(file, ron_text.clone()) {
        Ok(loaded) => {
            let ids: std::collections::BTreeSet<&str> =
                std::iter::once(plan.value.id.as_str()).collect();
            crate::model::validate::validate_scenario(&loaded, Some(&plan.value), &ids)
        }
        Err(d) => vec![d],
    };
    for d in &diags {
        let _ = writeln!(err, "{d}");
    }
    if diags.iter().any(crate::model::diag::Diagnostic::is_error) {
        let _ = writeln!(err, "the imported scenario has errors; nothing written");
        return 1;
    }
    if let Err(e) = crate::report::write_atomic(file, ron_text.as_bytes()) {
        let _ = writeln!(err, "error: {}: {e}", file.display());
        return 1;
    }
    let _ = writeln!(
        out,
        "wrote {} ({} injects)",
        file.display(),
        scenario.injects.len()
    );
    0
}
