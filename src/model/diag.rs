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
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// An id or a text longer than the format allows.
    #[error("this {what} is {chars} characters long; the limit is {limit}")]
    TooLong {
        /// `id` or `text`.
        what: String,
        /// Its length in characters.
        chars: usize,
        /// The limit.
        limit: usize,
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
    /// A file written in a format version this build does not read.
    #[error(
        "this file is written in format version {found}; this Paraat reads versions 1 to {newest}"
    )]
    UnsupportedFormat {
        /// The version the file declares.
        found: String,
        /// The newest version this build reads.
        newest: u32,
    },
    /// A field that an older format version does not have.
    #[error("`{field}` needs format version {version} or later; this file is version {found}")]
    NeedsFormat {
        /// The field.
        field: String,
        /// The version that introduced it.
        version: u32,
        /// The file's version.
        found: u32,
    },
    /// An attachment that cannot be shown.
    #[error("attachment \"{}\": {why}", clip(file))]
    BadAttachment {
        /// The file as written.
        file: String,
        /// What is wrong with it.
        why: String,
    },
    /// Choices shown in file order whose best choice always comes first.
    #[error(
        "the best choice is listed first in all {decisions} decisions shown in file order: players learn to pick the first"
    )]
    FirstChoiceBest {
        /// How many decisions are shown in file order with one best choice.
        decisions: usize,
    },
    /// A reference to an id that does not exist.
    #[error("unknown {} \"{}\"{}", kind.word(), clip(id), suggestion.as_ref().map(|s| format!(" — did you mean \"{s}\"?")).unwrap_or_default())]
    Unknown {
        /// The kind of id.
        kind: IdKind,
        /// The id as written.
        id: String,
        /// The closest existing id, if one is close.
        suggestion: Option<String>,
    },
    /// The same plan or scenario id in two files.
    #[error("duplicate {} id \"{}\" (already defined in {})", kind.word(), clip(id), first_file)]
    DuplicateFile {
        /// The kind of id.
        kind: IdKind,
        /// The id.
        id: String,
        /// The file that defines it first.
        first_file: String,
    },
    /// An id defined twice.
    #[error("duplicate {} id \"{}\" ({})", kind.word(), clip(id), first_line.map_or_else(|| "already defined in the plan".to_owned(), |l| format!("first defined at line {l}")))]
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
    #[error("variable \"{var}\" is {expected:?} but gets a value of type {found:?}")]
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
    /// A text written in one language, empty in the other.
    #[error("this text is empty in {lang} but written in the other language")]
    MissingTranslation {
        /// The language it is missing in.
        lang: String,
    },
}

impl Problem {
    /// A stable, machine-readable code, e.g. `unknown-role`.
    pub fn code(&self) -> String {
        match self {
            Problem::Io { .. } => "io".into(),
            Problem::TooLarge { .. } => "too-large".into(),
            Problem::TooDeep { .. } => "too-deep".into(),
            Problem::TooLong { .. } => "too-long".into(),
            Problem::Syntax { .. } => "syntax".into(),
            Problem::UnknownFileKind { .. } => "unknown-file-kind".into(),
            Problem::UnsupportedFormat { .. } => "unsupported-format".into(),
            Problem::NeedsFormat { .. } => "needs-format".into(),
            Problem::BadAttachment { .. } => "bad-attachment".into(),
            Problem::FirstChoiceBest { .. } => "first-choice-best".into(),
            Problem::Unknown { kind, .. } => format!("unknown-{}", kind.code_word()),
            Problem::Duplicate { kind, .. } | Problem::DuplicateFile { kind, .. } => {
                format!("duplicate-{}", kind.code_word())
            }
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
            Problem::MissingTranslation { .. } => "missing-translation".into(),
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

/// An id as messages show it: whole up to 80 characters, else its start and its length (a
/// 1,000,000-character id would otherwise fill the terminal, twice per finding).
pub fn clip(id: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 60;
    if id.len() <= 80 || id.chars().count() <= 80 {
        return std::borrow::Cow::Borrowed(id);
    }
    let head: String = id.chars().take(SHOWN).collect();
    std::borrow::Cow::Owned(format!("{head}… ({} characters)", id.chars().count()))
}

/// Ids longer than this get no "did you mean": no real id is this long, and comparing two
/// strings costs the product of their lengths.
pub const SUGGEST_MAX_CHARS: usize = 64;

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
///
/// Only words and candidates of at most [`SUGGEST_MAX_CHARS`] characters and of similar length
/// are compared, and a cheap character count rules out most candidates before the
/// Jaro-Winkler comparison.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    Suggester::new(u64::MAX).suggest(word, candidates)
}

/// "Did you mean" over many lookups with a total budget of work, so that a file with thousands
/// of unknown ids against thousands of candidates still validates in bounded time. Answers
/// for the same word against the same kind of id are remembered; once the budget is spent no
/// more suggestions are made (the help then lists the valid ids instead). The budget is spent
/// in file order, so the output is deterministic.
#[derive(Debug)]
pub struct Suggester {
    budget: u64,
    memo: std::collections::HashMap<(&'static str, String), Option<String>>,
}

/// Work allowed for suggestions in one file, in character comparisons (about 0.1 s).
pub const SUGGEST_BUDGET: u64 = 30_000_000;

/// 64 buckets of character counts: two strings cannot share more characters than the sum of
/// the bucket minima, which bounds the Jaro matches from above.
fn char_buckets(s: &str) -> [u16; 64] {
    let mut b = [0u16; 64];
    for c in s.chars() {
        let k = (c as u32 % 64) as usize;
        b[k] = b[k].saturating_add(1);
    }
    b
}

impl Suggester {
    /// A suggester with `budget` units of work.
    pub fn new(budget: u64) -> Self {
        Self {
            budget,
            memo: std::collections::HashMap::new(),
        }
    }

    /// As [`Suggester::suggest`], remembering the answer for `word` among the candidates of
    /// `set`: callers pass the same `set` name only for the same candidates (`"role"` for the
    /// plan's roles).
    pub fn suggest_in<'a>(
        &mut self,
        set: &'static str,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let key = (set, word.to_owned());
        if let Some(known) = self.memo.get(&key) {
            return known.clone();
        }
        let found = self.suggest(word, candidates);
        self.memo.insert(key, found.clone());
        found
    }

    /// The closest candidate to `word`, as [`suggest`], within the remaining budget.
    pub fn suggest<'a>(
        &mut self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        if word.len() > 4 * SUGGEST_MAX_CHARS {
            return None;
        }
        let a = word.chars().count();
        if a == 0 || a > SUGGEST_MAX_CHARS {
            return None;
        }
        let wb = char_buckets(word);
        let mut best: Option<(f64, &str)> = None;
        for c in candidates {
            if c.len() > 4 * SUGGEST_MAX_CHARS {
                continue;
            }
            let b = c.chars().count();
            let (short, long) = (a.min(b), a.max(b));
            if b == 0 || b > SUGGEST_MAX_CHARS || long > 2 * short + 2 {
                continue;
            }
            let cost = (a + b) as u64;
            if self.budget < cost {
                return None;
            }
            self.budget -= cost;
            // Jaro-Winkler above 0.8 needs a Jaro similarity above 2/3, and that needs
            // m/a + m/b > 1 for the m matching characters.
            let cb = char_buckets(c);
            let m: usize = wb
                .iter()
                .zip(&cb)
                .map(|(x, y)| usize::from(*x.min(y)))
                .sum();
            if m * (a + b) <= a * b {
                continue;
            }
            let cost = (a * b) as u64;
            if self.budget < cost {
                return None;
            }
            self.budget -= cost;
            let score = strsim::jaro_winkler(word, c);
            if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        best.map(|(_, c)| c.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_are_clipped_in_messages() {
        let id = "a".repeat(100_000);
        let p = Problem::Unknown {
            kind: IdKind::Inject,
            id,
            suggestion: None,
        };
        let shown = p.to_string();
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.contains("… (100000 characters)"), "{shown}");
        assert_eq!(clip("i-melding"), "i-melding");
    }

    #[test]
    fn suggests_close_ids() {
        assert_eq!(
            suggest("burgemeestr", ["burgemeester", "ovj", "politie"]),
            Some("burgemeester".to_owned())
        );
        assert_eq!(suggest("xyz", ["burgemeester", "ovj"]), None);
    }

    #[test]
    fn the_pre_filter_never_drops_a_suggestion_strsim_would_make() {
        // Every pair the filter skips for its character counts scores at most 0.8.
        let words = [
            "politie",
            "poltie",
            "ilopite",
            "p",
            "po",
            "burgemeester",
            "meester",
            "i-melding",
            "i-meld",
            "gnidlem-i",
            "abcd",
            "abcdefghij",
            "dcba",
            "aaaa",
            "aaab",
        ];
        for w in words {
            for c in words {
                let a = w.chars().count();
                let b = c.chars().count();
                let m: usize = char_buckets(w)
                    .iter()
                    .zip(&char_buckets(c))
                    .map(|(x, y)| usize::from(*x.min(y)))
                    .sum();
                if m * (a + b) <= a * b {
                    assert!(strsim::jaro_winkler(w, c) <= 0.8, "{w} {c}");
                }
            }
        }
    }

    #[test]
    fn long_words_and_candidates_are_not_compared() {
        let long = "a".repeat(SUGGEST_MAX_CHARS + 1);
        let close = format!("{}b", "a".repeat(SUGGEST_MAX_CHARS));
        assert_eq!(suggest(&long, [close.as_str()]), None);
        assert_eq!(suggest("aaaa", [long.as_str()]), None);
        // Very different lengths are not suggested, although Jaro-Winkler would pass them.
        assert!(strsim::jaro_winkler("abcd", &format!("abcd{}", "x".repeat(20))) > 0.8);
        assert_eq!(
            suggest("abcd", [format!("abcd{}", "x".repeat(20)).as_str()]),
            None
        );
    }

    #[test]
    fn a_spent_budget_stops_suggesting_and_answers_are_remembered() {
        let mut s = Suggester::new(100);
        assert_eq!(
            s.suggest_in("role", "politi", ["politie"]),
            Some("politie".to_owned())
        );
        // Remembered: costs nothing more.
        assert_eq!(
            s.suggest_in("role", "politi", ["politie"]),
            Some("politie".to_owned())
        );
        assert_eq!(s.suggest("burgemeestr", ["burgemeester"; 10]), None);
        // Per set of candidates: the same word among other ids is looked up afresh.
        let mut s = Suggester::new(u64::MAX);
        assert_eq!(
            s.suggest_in("role", "ovj2", ["ovj"]),
            Some("ovj".to_owned())
        );
        assert_eq!(
            s.suggest_in("inject", "ovj2", ["ovj-1"]),
            Some("ovj-1".to_owned())
        );
    }
}
