//! Diagnostics: what is wrong with a file, where, and how to fix it.

use std::path::{Path, PathBuf};

use super::locate::Pos;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// The file works, but probably not as the author meant.
    Warning,
}

/// The kinds of object an id can name, for messages about unknown or duplicate ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum IdKind {
    /// A plan role.
    Role,
    /// A plan action.
    Action,
    /// A plan procedure.
    Procedure,
    /// A plan signal.
    Signal,
    /// A situation variable.
    Var,
    /// A scenario inject.
    Inject,
    /// A scenario decision.
    Decision,
    /// A choice of a decision.
    Choice,
    /// An exercise objective.
    Objective,
    /// A plan catalogue.
    Plan,
    /// A scenario.
    Scenario,
    /// A key decision of the plan.
    KeyDecision,
}

impl IdKind {
    /// The word as used in error codes: [`IdKind::word`] with hyphens for spaces.
    pub fn code_word(self) -> String {
        self.word().replace(' ', "-")
    }

    /// The word used in messages and error codes.
    pub fn word(self) -> &'static str {
        match self {
            IdKind::Role => "role",
            IdKind::Action => "action",
            IdKind::Procedure => "procedure",
            IdKind::Signal => "signal",
            IdKind::Var => "variable",
            IdKind::Inject => "inject",
            IdKind::Decision => "decision",
            IdKind::Choice => "choice",
            IdKind::Objective => "objective",
            IdKind::Plan => "plan",
            IdKind::Scenario => "scenario",
            IdKind::KeyDecision => "key decision",
        }
    }
}

/// What is wrong. Each variant has a stable [`Problem::code`] that tests and tools match on.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
pub enum Problem {
    /// The file could not be read.
    #[error("cannot read the file: {reason}")]
    Io {
        /// The operating system's reason.
        reason: String,
    },
    /// The file is larger than the loader accepts.
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// Actual size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Brackets nest deeper than the loader accepts.
    #[error("brackets nest more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The text is not valid RON, or does not have the shape of the format.
    #[error("{message}")]
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// The file is neither a plan nor a scenario.
    #[error("expected `Plan(...)` or `Scenario(...)`, found {found}")]
    UnknownFileKind {
        /// What was found instead.
        found: String,
    },
    /// A reference to an id that does not exist.
    #[error("unknown {} \"{id}\"{}", kind.word(), suggestion.as_ref().map(|s| format!(" — did you mean \"{s}\"?")).unwrap_or_default())]
    Unknown {
        /// The kind of id.
        kind: IdKind,
        /// The id as written.
        id: String,
        /// The closest existing id, if one is close.
        suggestion: Option<String>,
    },
    /// An id defined twice.
    #[error("duplicate {} id \"{id}\" ({})", kind.word(), first_line.map_or_else(|| "already defined in the plan".to_owned(), |l| format!("first defined at line {l}")))]
    Duplicate {
        /// The kind of id.
        kind: IdKind,
        /// The id.
        id: String,
        /// Where the first definition is (`None`: in the plan file).
        first_line: Option<usize>,
    },
    /// An empty id.
    #[error("empty {} id", kind.word())]
    EmptyId {
        /// The kind of id.
        kind: IdKind,
    },
    /// A decision whose default is not one of its choices.
    #[error(
        "default \"{default}\" of decision \"{decision}\" is not one of its choices ({choices})"
    )]
    DefaultNotAChoice {
        /// The decision.
        decision: String,
        /// The default as written.
        default: String,
        /// The choices it has.
        choices: String,
    },
    /// A decision with no choices.
    #[error("decision \"{decision}\" has no choices")]
    NoChoices {
        /// The decision.
        decision: String,
    },
    /// A time after the scenario's end.
    #[error(
        "{what} at minute {minute} is not before the end of the scenario (duration_min: {duration})"
    )]
    TimeOutsideScenario {
        /// What has the time.
        what: String,
        /// The minute.
        minute: u64,
        /// The scenario's duration.
        duration: u32,
    },
    /// Follow-up injects that release each other in a loop.
    #[error("follow-up injects form a cycle: {}", cycle.join(" → "))]
    FollowUpCycle {
        /// The injects in the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A variable set or compared with a value of another type.
    #[error("variable \"{var}\" is {expected:?} but gets a {found:?} value")]
    WrongType {
        /// The variable.
        var: String,
        /// Its declared type.
        expected: super::VarKind,
        /// The type of the value used.
        found: super::VarKind,
    },
    /// A value outside a variable's declared bounds.
    #[error("value {value} is outside the bounds of \"{var}\" ({min}..={max})")]
    OutOfBounds {
        /// The variable.
        var: String,
        /// The value.
        value: i64,
        /// Lowest allowed.
        min: i64,
        /// Highest allowed.
        max: i64,
    },
    /// A value that does not make sense for its field.
    #[error("{field}: {message}")]
    BadValue {
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An inject that no path can release.
    #[error("inject \"{inject}\" can never be released: {why}")]
    UnreachableInject {
        /// The inject.
        inject: String,
        /// Why.
        why: String,
    },
    /// A procedure that nothing in the plan or scenario can satisfy.
    #[error("procedure \"{procedure}\" can never be satisfied: {why}")]
    UnsatisfiableProcedure {
        /// The procedure.
        procedure: String,
        /// Why.
        why: String,
    },
    /// A role in play that never receives an inject or a decision.
    #[error("role \"{role}\" is in play but receives no inject and takes no decision")]
    IdleRole {
        /// The role.
        role: String,
    },
    /// A decision whose role is not in play.
    #[error("{what} is for role \"{role}\", which is not in the scenario's roles")]
    RoleNotInPlay {
        /// What names the role.
        what: String,
        /// The role.
        role: String,
    },
}

impl Problem {
    /// A stable, machine-readable code, e.g. `unknown-role`.
    pub fn code(&self) -> String {
        match self {
            Problem::Io { .. } => "io".into(),
            Problem::TooLarge { .. } => "too-large".into(),
            Problem::TooDeep { .. } => "too-deep".into(),
            Problem::Syntax { .. } => "syntax".into(),
            Problem::UnknownFileKind { .. } => "unknown-file-kind".into(),
            Problem::Unknown { kind, .. } => format!("unknown-{}", kind.code_word()),
            Problem::Duplicate { kind, .. } => format!("duplicate-{}", kind.code_word()),
            Problem::EmptyId { kind } => format!("empty-{}-id", kind.code_word()),
            Problem::DefaultNotAChoice { .. } => "default-not-a-choice".into(),
            Problem::NoChoices { .. } => "no-choices".into(),
            Problem::TimeOutsideScenario { .. } => "time-outside-scenario".into(),
            Problem::FollowUpCycle { .. } => "follow-up-cycle".into(),
            Problem::WrongType { .. } => "wrong-type".into(),
            Problem::OutOfBounds { .. } => "out-of-bounds".into(),
            Problem::BadValue { .. } => "bad-value".into(),
            Problem::UnreachableInject { .. } => "unreachable-inject".into(),
            Problem::UnsatisfiableProcedure { .. } => "unsatisfiable-procedure".into(),
            Problem::IdleRole { .. } => "idle-role".into(),
            Problem::RoleNotInPlay { .. } => "role-not-in-play".into(),
        }
    }
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file.
    pub file: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// What is wrong.
    pub problem: Problem,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `pos`.
    pub fn error(file: &Path, pos: Pos, problem: Problem) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            pos,
            problem,
            help: None,
        }
    }

    /// A warning at `pos`.
    pub fn warning(file: &Path, pos: Pos, problem: Problem) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, pos, problem)
        }
    }

    /// Adds advice on how to fix it.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    /// `path:line:col: error: message (help: ...)`, the form compilers and editors understand.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {sev}[{}]: {}",
            self.file.display(),
            self.pos,
            self.problem.code(),
            self.problem
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if score > 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_owned())
}
