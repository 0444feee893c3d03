//! The headless command-line interface: `paraat <subcommand>`.

mod compare;
mod handbook;
mod whatif;

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
use crate::text::TerminalSafe;

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
        /// The team or organisation that plays, kept in the journal for `paraat compare`
        /// (a team's name, never a person's).
        #[arg(long)]
        team: Option<String>,
    },
    /// Run an exercise headless with a room: participants join from their own devices, and a
    /// facilitator page on a secret address runs the clock. Runs until stopped (Ctrl-C); every
    /// entry is on disk as it happens.
    Serve {
        /// A scenario file, or the id of a scenario in the built-in library.
        #[arg(required_unless_present = "resume")]
        scenario: Option<String>,
        /// Continue an unfinished journal (after a crash or a stop) instead of starting one:
        /// the room takes back the seats kept beside it, so participants need not join again
        /// (give the same --bind address).
        #[arg(long, value_name = "JOURNAL", conflicts_with_all = ["scenario", "seed", "journal"])]
        resume: Option<PathBuf>,
        /// Seed of the random chances (default: random, printed).
        #[arg(long)]
        seed: Option<u64>,
        /// The address to listen on: this machine's address on the exercise network, and a port
        /// (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Speak HTTPS only, with this certificate (PEM; the chain, the room's certificate
        /// first). Needs --tls-key.
        #[arg(long, value_name = "CERT.pem", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM). Needs --tls-cert.
        #[arg(long, value_name = "KEY.pem", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Where to write the journal (default: a new file under journals/; never overwrites).
        #[arg(long)]
        journal: Option<PathBuf>,
    },
    /// Check a journal's hash chain and replay it; exit 1 at the first difference.
    Replay {
        /// The journal (.jsonl).
        journal: PathBuf,
    },
    /// Print the scorecard of a journal (after checking its chain, seal and replay).
    Score {
        /// The journal (.jsonl).
        journal: PathBuf,
        /// Language of the output (default: Dutch, as the app and `report`).
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
        /// Score a journal that fails verification anyway, marked NOT VERIFIED with the reason.
        #[arg(long)]
        unverified: bool,
    },
    /// Explore a scenario's decision paths: coverage, dead ends, best and worst score.
    Explore {
        /// A scenario file, or the id of a built-in scenario.
        scenario: String,
        /// Paths to sample when the exact search does not fit in --max-states.
        #[arg(long, default_value_t = 20_000)]
        max_paths: u64,
        /// Most merged states the exact search may hold (0: sample at once).
        #[arg(long, default_value_t = 50_000)]
        max_states: u64,
        /// Threads for sampling (default: one per core); the result does not depend on it.
        #[arg(long)]
        threads: Option<usize>,
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
        /// Language of the report (default: Dutch, as the app and `score`).
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
        /// Report on a journal that fails verification anyway, marked NOT VERIFIED with the
        /// reason in every format.
        #[arg(long)]
        unverified: bool,
    },
    /// What if the team had decided otherwise: replay the journal up to a decision, take
    /// another option there, play on, and compare the two scores (the journal is not changed).
    Whatif {
        /// The journal (.jsonl).
        journal: PathBuf,
        /// The decision (its id, as in the journal's decision log).
        #[arg(long)]
        decision: String,
        /// The other option (its id).
        #[arg(long = "choose")]
        choice: String,
        /// How decisions that arise anew are taken: `default` (they expire into their
        /// defaults), `first` (their first option), or `script FILE` (as a decision script says).
        #[arg(long, num_args = 1..=2, value_names = ["POLICY", "FILE"])]
        then: Vec<String>,
        /// Print the comparison as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the text (default: Dutch).
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
    },
    /// Compare journals of one scenario version: per procedure the time to action and the
    /// share met, per objective the ratings, per role the decision latency, and each team's
    /// total over time. Every journal is verified first.
    Compare {
        /// The journals (.jsonl).
        #[arg(required = true)]
        journals: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CompareFormatArg::Html)]
        format: CompareFormatArg,
        /// Output file (default: standard output). Written atomically.
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
        /// Compare journals of different scenarios or scenario versions, each version on its
        /// own, instead of refusing them.
        #[arg(long)]
        group_by_scenario: bool,
        /// Language of the output (default: Dutch).
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
    },
    /// Write the plan catalogue as a reference for reviewers: roles, procedures (trigger,
    /// action, time, kind of rule, source), key decisions, signals, variables and actions.
    Plan {
        /// A plan file, a folder with a plan and its scenarios, or the id of a built-in plan
        /// (default: the built-in plan).
        plan: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PlanFormatArg::Html)]
        format: PlanFormatArg,
        /// Output file (default: standard output). Written atomically.
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
        /// Language of the reference.
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
    },
    /// Write the situation manual of a scenario: for participants (purpose, objectives, roles,
    /// ground rules, the opening situation; nothing of later injects) or for exercise control
    /// and evaluators (MSEL, expected actions, decisions, procedures, evaluation guides).
    Handbook(handbook::HandbookArgs),
}

/// Format of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormatArg {
    /// Self-contained HTML with inline SVG charts.
    Html,
    /// Markdown.
    Md,
    /// JSON (the same data).
    Json,
}

/// Format of the plan reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormatArg {
    /// Self-contained printable HTML.
    Html,
    /// Markdown.
    Md,
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
    /// PDF (A4, tagged for accessibility; binary: give -o or redirect standard output).
    Pdf,
}

/// Decision policy for `paraat play`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PolicyArg {
    /// Each decision's first choice as a desk shows it (format 2 shuffles choices per seed), at
    /// once.
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
/// (0 success, 1 problems found, 2 usage error). Everything written for a person to read passes
/// through [`TerminalSafe`], so text from a scenario or a journal (a title, a rationale, an id in
/// an error) cannot send control sequences to a terminal; a report or an export written to
/// standard output is data and goes out as rendered.
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut safe_err = TerminalSafe::new(&mut *err);
    match command {
        Command::Report {
            journal,
            format,
            out: file,
            lang,
            unverified,
        } => report_cmd(
            &journal,
            format,
            file.as_deref(),
            lang.into(),
            unverified,
            out,
            &mut safe_err,
        ),
        Command::Msel(MselCommand::Export {
            scenario,
            out: file,
        }) => msel_export(&scenario, file.as_deref(), out, &mut safe_err),
        Command::Compare {
            journals,
            format,
            out: file,
            group_by_scenario,
            lang,
        } => compare::compare_cmd(
            &journals,
            match format {
                CompareFormatArg::Html => crate::compare::Format::Html,
                CompareFormatArg::Md => crate::compare::Format::Markdown,
                CompareFormatArg::Json => crate::compare::Format::Json,
            },
            file.as_deref(),
            group_by_scenario,
            lang.into(),
            out,
            &mut safe_err,
        ),
        // A document (possibly a binary PDF) goes to standard output as rendered.
        Command::Handbook(args) => handbook::run(&args, out, &mut safe_err),
        Command::Explore {
            scenario,
            max_paths,
            max_states,
            threads,
            seed,
            json,
        } => {
            drop(safe_err);
            let mut opts = crate::explore::Options {
                seed,
                max_paths,
                max_states,
                ..crate::explore::Options::default()
            };
            if let Some(t) = threads {
                opts.threads = t.max(1);
            }
            // The progress bar on standard error is Paraat's own text, with carriage returns.
            explore_cmd(&scenario, &opts, json, &mut TerminalSafe::new(out), err)
        }
        other => run_text(other, &mut TerminalSafe::new(out), &mut safe_err),
    }
}

/// The subcommands whose output is all text for a person.
fn run_text(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match command {
        Command::Validate { paths, quiet } => validate(paths, quiet, out, err),
        Command::Play {
            scenario,
            seed,
            policy,
            script,
            journal,
            team,
        } => play_cmd(
            &scenario,
            seed,
            policy,
            script.as_deref(),
            (journal, team.as_deref()),
            out,
            err,
        ),
        Command::Serve {
            scenario,
            resume,
            seed,
            bind,
            tls_cert,
            tls_key,
            journal,
        } => {
            let tls = tls_cert.zip(tls_key);
            serve_cmd(
                scenario.as_deref(),
                resume,
                seed,
                (&bind, tls.as_ref()),
                journal,
                out,
                err,
            )
        }
        Command::Replay { journal } => replay_cmd(&journal, out, err),
        Command::Plan {
            plan,
            format,
            out: file,
            lang,
        } => plan_cmd(
            plan.as_deref(),
            format,
            file.as_deref(),
            lang.into(),
            out,
            err,
        ),
        Command::Score {
            journal,
            lang,
            unverified,
        } => score_cmd(&journal, lang.into(), unverified, out, err),
        Command::Msel(MselCommand::Import { csv, out: file }) => msel_import(&csv, &file, out, err),
        Command::Whatif {
            journal,
            decision,
            choice,
            then,
            json,
            lang,
        } => whatif::whatif_cmd(
            &journal,
            &decision,
            &choice,
            &then,
            json,
            lang.into(),
            out,
            err,
        ),
        Command::Report { .. }
        | Command::Compare { .. }
        | Command::Handbook(_)
        | Command::Msel(MselCommand::Export { .. })
        | Command::Explore { .. } => run(command, out, err),
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
    use std::io::IsTerminal as _;
    let command = cli.command?;
    // On a terminal even data (a report printed rather than written to a file) is made safe.
    let mut stdout: Box<dyn Write> = if std::io::stdout().is_terminal() {
        Box::new(TerminalSafe::new(std::io::stdout()))
    } else {
        Box::new(std::io::stdout())
    };
    let code = run(command, &mut stdout, &mut std::io::stderr());
    drop(stdout);
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

/// Finds the exercise a journal was written for: see [`library::exercise_for_journal`].
pub fn exercise_for(header: &journal::Header, journal: &Path) -> Option<Exercise> {
    library::exercise_for_journal(header, Some(journal), None)
}

#[allow(clippy::too_many_arguments)]
fn play_cmd(
    key: &str,
    seed: Option<u64>,
    policy: PolicyArg,
    script: Option<&Path>,
    (journal_path, team): (Option<PathBuf>, Option<&str>),
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
    if let Err(e) = journal::seal::use_installation_key() {
        let _ = writeln!(err, "warning: the journal will not be sealed: {e}");
    }
    let path = journal_path
        .unwrap_or_else(|| journal::new_path(Path::new("journals"), &exercise.scenario.value.id));
    let mut session = match Session::create_for_team(
        &exercise,
        seed,
        exercise.scenario.value.roles.clone(),
        team,
        &path,
    ) {
        Ok(s) => s,
        Err(e @ journal::SessionError::Exists(_)) => {
            let _ = writeln!(err, "error: {e}");
            return 1;
        }
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
        "{} — seed {seed}\njournal: {}\n{} injects released, {} decisions taken, {} expired, {} journal entries, ended at {}\nscore: {}",
        exercise.scenario.value.title.en,
        session.path().display(),
        report.released,
        report.decided,
        report.expired,
        session.entries().len(),
        fmt_elapsed(session.sim().state().now),
        card.total.summary(Lang::En)
    );
    match session.sealed() {
        Some(Ok(s)) => {
            let _ = writeln!(out, "sealed with key {}", s.fingerprint);
        }
        Some(Err(e)) => {
            let _ = writeln!(err, "warning: the journal could not be sealed: {e}");
        }
        None => {}
    }
    0
}

/// `paraat serve`: the room without the desktop app. A ticking thread moves wall time.
#[allow(clippy::disallowed_methods)] // The front end owns the wall clock and passes it to the host.
fn serve_cmd(
    key: Option<&str>,
    resume: Option<PathBuf>,
    seed: Option<u64>,
    (bind, tls): (&str, Option<&(PathBuf, PathBuf)>),
    journal_path: Option<PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    // The certificate first, so that a bad one starts no journal.
    let tls = match tls.map(|(c, k)| crate::room::Tls::load(c, k)).transpose() {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 1;
        }
    };
    let (session, path) = if let Some(path) = resume {
        match Session::resume(&path, |h| exercise_for(h, &path)) {
            Ok((s, _)) => (s, path),
            Err(e) => {
                let _ = writeln!(err, "error: {}: {e}", path.display());
                return 1;
            }
        }
    } else {
        let Some(exercise) = key.and_then(|k| find_exercise(k, err)) else {
            return 1;
        };
        let seed = seed.unwrap_or_else(random_seed);
        let path = journal_path.unwrap_or_else(|| {
            journal::new_path(Path::new("journals"), &exercise.scenario.value.id)
        });
        match Session::create(
            &exercise,
            seed,
            exercise.scenario.value.roles.clone(),
            &path,
        ) {
            Ok(s) => (s, path),
            Err(e) => {
                let _ = writeln!(err, "error: {}: {e}", path.display());
                return 1;
            }
        }
    };
    let seed = session.header().seed;
    let host = crate::host::Host::new(session);
    let room = match crate::room::Room::open_with(host.clone(), bind, tls) {
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
        "Facilitator: {}://{addr}{}  (keep this address to yourself)",
        room.scheme(),
        room.facilitator_path()
    );
    let _ = writeln!(out, "Journal:     {}  (seed {seed})", path.display());
    let back = room.seats().len();
    if back > 0 {
        let _ = writeln!(
            out,
            "Seats:       {back} taken back from {} (no need to join again)",
            crate::room::seats_path(&path).display()
        );
    }
    if let Some(w) = room.warning() {
        let _ = writeln!(err, "warning: {w}");
    }
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

/// Reads a journal, finds its exercise and verifies it; prints a torn last line as a warning
/// and anything that stops the check as an error.
fn check_journal(path: &Path, err: &mut dyn Write) -> Option<journal::verify::Checked> {
    let trusted = journal::seal::installation_fingerprint();
    match journal::verify::check_file(path, |h| exercise_for(h, path), trusted.as_deref()) {
        Ok(c) => {
            if let Some((line, bytes)) = c.read.torn
                && c.read.seal.is_none()
            {
                let _ = writeln!(
                    err,
                    "{}:{line}:1: warning: the last line is torn ({bytes} bytes; the program stopped while writing it) and was left out",
                    path.display()
                );
            }
            Some(c)
        }
        Err(e) => {
            let _ = writeln!(err, "{}", e.located(path));
            None
        }
    }
}

fn replay_cmd(path: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let Some(c) = check_journal(path, err) else {
        return 1;
    };
    if let Some(at) = failure_at(path, &c.verdict, "error") {
        let _ = writeln!(err, "{at}");
        return 1;
    }
    let read = &c.read;
    match journal::replay(read, &c.exercise.plan.value, &c.exercise.scenario.value) {
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
                "{}: hash chain intact over {} entries; replayed {} commands, {} events identical\n{}",
                path.display(),
                read.entries.len(),
                o.commands,
                o.events,
                c.verdict.summary(Lang::En)
            );
            0
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "{}:{}:1: error: {}",
                path.display(),
                e.line(),
                e.message()
            );
            1
        }
    }
}

/// Checks a journal for scoring or reporting: one that fails verification is refused, unless
/// `unverified` asks for the output anyway (then marked NOT VERIFIED with the reason).
fn verified_journal(
    path: &Path,
    unverified: bool,
    err: &mut dyn Write,
) -> Option<journal::verify::Checked> {
    let c = check_journal(path, err)?;
    if failure_at(path, &c.verdict, "error").is_some() {
        if unverified {
            let at = failure_at(path, &c.verdict, "warning").unwrap_or_default();
            let _ = writeln!(err, "{at}\nwarning: the output is marked NOT VERIFIED");
        } else {
            let at = failure_at(path, &c.verdict, "error").unwrap_or_default();
            let _ = writeln!(
                err,
                "{at}\n  help: the journal was changed after it was written, or does not replay against its scenario; nothing is scored from it. `--unverified` makes the output anyway, marked NOT VERIFIED"
            );
            return None;
        }
    }
    Some(c)
}

/// `path:line:col: severity: reason` of a failed verification.
fn failure_at(path: &Path, verdict: &journal::verify::Verdict, severity: &str) -> Option<String> {
    verdict.failure().map(|(line, reason)| {
        format!(
            "{}:{}:1: {severity}: {reason}",
            path.display(),
            line.unwrap_or(1)
        )
    })
}

fn score_cmd(
    path: &Path,
    lang: Lang,
    unverified: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some(c) = verified_journal(path, unverified, err) else {
        return 1;
    };
    let card = scoring::score(
        &c.exercise.plan.value,
        &c.exercise.scenario.value,
        &c.read.header,
        &c.read.entries,
    );
    if let Some(banner) = c.verdict.banner(lang) {
        let _ = writeln!(out, "*** {banner} ***\n");
    }
    let _ = write!(
        out,
        "{}",
        crate::report::scorecard_text(&card, &c.exercise, lang)
    );
    let _ = writeln!(out, "\n{}", c.verdict.summary(lang));
    0
}

fn report_cmd(
    path: &Path,
    format: FormatArg,
    file: Option<&Path>,
    lang: Lang,
    unverified: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some(c) = verified_journal(path, unverified, err) else {
        return 1;
    };
    let aar = crate::report::Aar::build(&c.exercise, &c.read.header, &c.read.entries, lang)
        .with_verification(Some(c.verdict));
    let format = match format {
        FormatArg::Html => crate::report::Format::Html,
        FormatArg::Md => crate::report::Format::Markdown,
        FormatArg::Csv => crate::report::Format::Csv,
        FormatArg::Json => crate::report::Format::Json,
        FormatArg::Pdf => crate::report::Format::Pdf,
    };
    if format == crate::report::Format::Pdf && refuse_binary_to_terminal(file, err) {
        return 2;
    }
    match crate::report::render(&aar, format) {
        Ok(bytes) => emit(&bytes, file, &[path, &c.exercise.scenario.path], out, err),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            1
        }
    }
}

/// A PDF to standard output on a terminal would be noise: refused with a hint (true).
pub(crate) fn refuse_binary_to_terminal(file: Option<&Path>, err: &mut dyn Write) -> bool {
    use std::io::IsTerminal as _;
    if file.is_none() && std::io::stdout().is_terminal() {
        let _ = writeln!(
            err,
            "error: a PDF is binary and standard output is a terminal\n  help: give -o FILE.pdf, or redirect standard output to a file"
        );
        return true;
    }
    false
}

/// Writes a rendered document to `file` (atomically, never over any of `inputs`) and says so,
/// or to standard output when no file is given; returns the exit code.
pub(crate) fn emit(
    text: &[u8],
    file: Option<&Path>,
    inputs: &[&Path],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match file {
        Some(f) => {
            if let Err(e) = crate::report::write_file(f, inputs, text) {
                let _ = writeln!(err, "error: {}: {e}", f.display());
                return 1;
            }
            let _ = writeln!(out, "wrote {}", f.display());
        }
        None => {
            let _ = out.write_all(text);
        }
    }
    0
}

fn plan_cmd(
    key: Option<&str>,
    format: PlanFormatArg,
    file: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let from_path = key.map(Path::new).filter(|p| p.exists());
    let lib = Library::load(&[from_path.map_or_else(load::builtin_dir, Path::to_path_buf)]);
    let errors: Vec<_> = lib.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        for d in errors {
            let _ = writeln!(err, "{d}");
        }
        let _ = writeln!(err, "error: fix the errors above first (`paraat validate`)");
        return 1;
    }
    let wanted = key.filter(|_| from_path.is_none());
    let candidates: Vec<_> = lib
        .plans
        .iter()
        .filter(|p| wanted.is_none_or(|id| p.value.id == id))
        .collect();
    let plan = match candidates.as_slice() {
        [one] => &one.value,
        [] => {
            let ids: Vec<&str> = lib.plans.iter().map(|p| p.value.id.as_str()).collect();
            let _ = writeln!(
                err,
                "error: no plan file or built-in plan \"{}\"; plans found: {}",
                key.unwrap_or(""),
                if ids.is_empty() {
                    "none".to_owned()
                } else {
                    ids.join(", ")
                }
            );
            return 1;
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|p| p.value.id.as_str()).collect();
            let _ = writeln!(
                err,
                "error: several plans found ({}); name one: `paraat plan ID`",
                ids.join(", ")
            );
            return 2;
        }
    };
    let scenarios: Vec<&crate::model::Scenario> = lib
        .exercises
        .iter()
        .filter(|e| e.plan.value.id == plan.id)
        .map(|e| &e.scenario.value)
        .collect();
    let format = match format {
        PlanFormatArg::Html => crate::report::PlanFormat::Html,
        PlanFormatArg::Md => crate::report::PlanFormat::Markdown,
    };
    let text = crate::report::render_plan(plan, &scenarios, lang, format);
    emit(text.as_bytes(), file, &[], out, err)
}

fn explore_cmd(
    key: &str,
    opts: &crate::explore::Options,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    use crate::explore::{Mode, Timing};
    let Some(ex) = find_exercise(key, err) else {
        return 1;
    };
    let ctx = std::sync::Arc::new(crate::engine::Compiled::new(
        &ex.plan.value,
        &ex.scenario.value,
    ));
    let shared = crate::explore::Progress::default();
    let mut last = 0u64;
    let mut sampling = false;
    let mut progress = |done: u64, total: u64| {
        // A plain progress bar on standard error, updated every few percent: first the exact
        // search's states against its cap, then (if it does not fit) the sampled paths.
        if !sampling && shared.sampling.load(std::sync::atomic::Ordering::Relaxed) {
            sampling = true;
            last = 0;
            let _ = writeln!(
                err,
                "\nexact search: more than {} merged states; sampling {} paths",
                opts.max_states, opts.max_paths
            );
        }
        let pct = done.saturating_mul(100) / total.max(1);
        if pct >= last + 5 || done >= total {
            last = pct;
            let bar = "#".repeat((pct / 5) as usize);
            let what = if sampling { "paths" } else { "states" };
            let _ = write!(err, "\r[{bar:<20}] {pct:>3} % ({done}/{total} {what})");
            if done >= total && sampling {
                let _ = writeln!(err);
            }
        }
    };
    let r = crate::explore::explore_with(&ctx, opts, &shared, &mut progress);
    if !sampling {
        let _ = writeln!(err);
    }
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&r).unwrap_or_default()
        );
        return 0;
    }
    let s = &ex.scenario.value;
    let _ = writeln!(out, "{} ({}), seed {}", s.title.en, s.id, opts.seed);
    let _ = match r.mode {
        Mode::Exact => writeln!(
            out,
            "exact: all {:.4e} paths, merged into {} states ({} end states scored), {} decisions applied",
            r.all_paths, r.states, r.paths, r.decisions_applied
        ),
        Mode::Sampled => writeln!(
            out,
            "sampled (more than --max-states {} merged states): {} paths, {} decisions applied; \
             best and worst are of the sample",
            opts.max_states, r.paths, r.decisions_applied
        ),
    };
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
    let title = |id: &crate::model::ProcedureId| {
        ex.plan
            .value
            .procedure(id.as_str())
            .map_or_else(|| id.to_string(), |p| p.title.en.clone())
    };
    let _ = writeln!(
        out,
        "procedures never satisfied: {}",
        joined(r.never_satisfied.iter().map(title).collect())
    );
    let _ = writeln!(
        out,
        "procedures no path meets in time: {}",
        joined(r.never_in_time.iter().map(title).collect())
    );
    let met = r.procedures.iter().filter(|p| p.in_time).count();
    let triggered = r.procedures.iter().filter(|p| p.triggered).count();
    let _ = writeln!(
        out,
        "procedures some path meets in time: {met} of {triggered} that can be triggered"
    );
    for (name, p) in [("best", &r.best), ("worst", &r.worst)] {
        if let Some(p) = p {
            let steps: Vec<String> = p
                .steps
                .iter()
                .map(|s| {
                    let when = if s.timing == Timing::HalfDeadline {
                        "@half"
                    } else {
                        ""
                    };
                    format!(
                        "{}={}{when}",
                        s.decision,
                        s.choice.as_ref().map_or("(expire)", |c| c.as_str())
                    )
                })
                .collect();
            let tally = scoring::Tally {
                earned: p.earned,
                possible: p.possible,
            };
            let _ = writeln!(
                out,
                "{name} score: {} via {}",
                tally.summary(Lang::En),
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
    let comments = load::comment_lines(&ex.scenario.source);
    if comments > 0 {
        let _ = writeln!(
            err,
            "note: {} has {comments} comment line(s); the CSV does not carry comments, so a \
             scenario imported from it has none (keep the .ron file as the master, or copy them \
             back by hand)",
            ex.scenario.path.display()
        );
    }
    let Some(f) = file else {
        let _ = out.write_all(text.as_bytes());
        return 0;
    };
    if let Err(e) = crate::report::write_file(f, &[&ex.scenario.path], &text) {
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
    let exists = |err: &mut dyn Write| {
        let _ = writeln!(
            err,
            "error: {}: exists; choose another name (import never overwrites)",
            file.display()
        );
    };
    // Checked here to save the work; `write_new` checks again at the moment of writing.
    if file.symlink_metadata().is_ok() {
        exists(err);
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
        // A scenario made from a spreadsheet is new: the current format (choices shuffled).
        format: crate::model::CURRENT_FORMAT,
        id: stem.clone(),
        plan: plan.value.id.clone(),
        title: crate::model::Text::new(stem.clone(), stem),
        summary: crate::model::Text::default(),
        start: "2026-01-01T09:00:00+01:00".into(),
        duration_min: 120,
        roles: Vec::new(),
        local_roles: Vec::new(),
        simulated: Vec::new(),
        local_actions: Vec::new(),
        local_procedures: Vec::new(),
        vars: Vec::new(),
        init: std::collections::BTreeMap::new(),
        injects: Vec::new(),
        random: Vec::new(),
        objectives: Vec::new(),
        per_occurrence: Vec::new(),
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
            let mut diags =
                crate::model::validate::validate_scenario(&loaded, Some(&plan.value), &ids);
            // Attachments are files beside the scenario: an import into another folder does
            // not have them yet. Say so, and write the scenario anyway.
            for d in &mut diags {
                if matches!(d.problem, crate::model::diag::Problem::BadAttachment { .. }) {
                    d.severity = crate::model::diag::Severity::Warning;
                    d.help = Some(format!(
                        "copy the attachment beside {} (its path is relative to the scenario) before playing",
                        file.display()
                    ));
                }
            }
            diags
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
    if let Err(e) = crate::files::write_new(file, ron_text.as_bytes()) {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(err);
        } else {
            let _ = writeln!(err, "error: {}: {e}", file.display());
        }
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
