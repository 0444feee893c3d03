//! Verification before use: scoring, reports and the review trust a journal only after its
//! hash chain, its seal and its replay check out. One place, so that every front end refuses
//! (or marks) the same journals for the same reasons.

use std::path::Path;

use serde::Serialize;

use super::{Header, Read, ReadError, ReplayError, read_file, replay};
use crate::i18n::tr;
use crate::library::Exercise;
use crate::model::Lang;

/// How far a journal can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Verdict {
    /// Chain intact, replay identical, and sealed with a valid signature.
    Sealed {
        /// The fingerprint of the key that sealed it.
        fingerprint: String,
        /// Whether that is this installation's key (`None`: this installation has no key to
        /// compare with).
        this_installation: Option<bool>,
        /// The scenario or plan text changed since, but the journal still replays.
        source_changed: bool,
    },
    /// Chain intact and replay identical, and the journal records the exercise's end, but has
    /// no seal: written without a key or by an older Paraat, stopped before sealing, or the
    /// seal was removed. These cannot be told apart.
    FinishedUnsealed {
        /// The scenario or plan text changed since, but the journal still replays.
        source_changed: bool,
    },
    /// Chain intact and replay identical, but the journal stops before the exercise's end:
    /// Paraat stopped (a crash, a kill) or the last lines were removed. These cannot be told
    /// apart.
    Unfinished {
        /// The scenario or plan text changed since, but the journal still replays.
        source_changed: bool,
    },
    /// The chain is broken, the seal does not check, or replay differs: the journal was
    /// changed, or belongs to other scenario text.
    NotVerified {
        /// The 1-based journal line where it fails, when there is one.
        line: Option<usize>,
        /// Why, in English (the engine's and reader's words).
        reason: String,
    },
}

impl Verdict {
    /// Whether the journal may be scored and reported without a "not verified" banner.
    pub fn verified(&self) -> bool {
        !matches!(self, Verdict::NotVerified { .. })
    }

    /// The reason it failed, with its line (`line 12: ...`).
    pub fn reason(&self) -> Option<String> {
        match self {
            Verdict::NotVerified {
                line: Some(l),
                reason,
            } => Some(format!("line {l}: {reason}")),
            Verdict::NotVerified { line: None, reason } => Some(reason.clone()),
            _ => None,
        }
    }

    /// For error messages in the `file:line: message` form: the line (if any) and the reason.
    pub fn failure(&self) -> Option<(Option<usize>, &str)> {
        match self {
            Verdict::NotVerified { line, reason } => Some((*line, reason.as_str())),
            _ => None,
        }
    }

    /// The banner a report made anyway carries: `NOT VERIFIED` and the reason.
    pub fn banner(&self, lang: Lang) -> Option<String> {
        self.reason().map(|r| {
            format!(
                "{}: {r}",
                tr(lang, "NIET GEVERIFIEERD (NOT VERIFIED)", "NOT VERIFIED")
            )
        })
    }

    /// One sentence on what was checked and what it means, in the reader's language.
    pub fn summary(&self, lang: Lang) -> String {
        let changed = |c: bool| {
            if c {
                tr(
                    lang,
                    " De scenario- of plantekst is sindsdien gewijzigd, maar het logboek speelt nog identiek na.",
                    " The scenario or plan text has changed since, but the journal still replays identically.",
                )
            } else {
                ""
            }
        };
        match self {
            Verdict::Sealed {
                fingerprint,
                this_installation,
                source_changed,
            } => format!(
                "{} {fingerprint} {}.{}",
                tr(
                    lang,
                    "Geverifieerd: hashketen intact, naspelen identiek, verzegeld met sleutel",
                    "Verified: hash chain intact, replay identical, sealed with key",
                ),
                match this_installation {
                    Some(true) => tr(
                        lang,
                        "(de sleutel van deze installatie)",
                        "(this installation's key)"
                    ),
                    Some(false) => tr(
                        lang,
                        "(NIET de sleutel van deze installatie: vergelijk de vingerafdruk met die van de facilitator)",
                        "(NOT this installation's key: compare the fingerprint with the facilitator's)",
                    ),
                    None => tr(
                        lang,
                        "(vergelijk de vingerafdruk met die van de facilitator)",
                        "(compare the fingerprint with the facilitator's)",
                    ),
                },
                changed(*source_changed)
            ),
            Verdict::FinishedUnsealed { source_changed } => format!(
                "{}{}",
                tr(
                    lang,
                    "Hashketen intact en naspelen identiek, maar NIET VERZEGELD: het logboek bevat het einde van de oefening maar geen zegel. Het is zonder sleutel of door een oudere Paraat geschreven, Paraat stopte vóór het verzegelen, of het zegel is verwijderd; dat is niet te onderscheiden.",
                    "Hash chain intact and replay identical, but NOT SEALED: the journal records the exercise's end but has no seal. It was written without a key or by an older Paraat, Paraat stopped before sealing, or the seal was removed; these cannot be told apart.",
                ),
                changed(*source_changed)
            ),
            Verdict::Unfinished { source_changed } => format!(
                "{}{}",
                tr(
                    lang,
                    "Hashketen intact en naspelen identiek, maar ONVOLTOOID: het logboek stopt vóór het einde van de oefening. Paraat is gestopt (crash of afgebroken) of de laatste regels zijn verwijderd; dat is niet te onderscheiden.",
                    "Hash chain intact and replay identical, but UNFINISHED: the journal stops before the exercise's end. Paraat stopped (a crash or a kill) or its last lines were removed; these cannot be told apart.",
                ),
                changed(*source_changed)
            ),
            Verdict::NotVerified { .. } => self.banner(lang).unwrap_or_default(),
        }
    }
}

/// Checks a journal as read against its exercise: the chain and the seal (as the reader found
/// them), then the replay. `trusted` is the fingerprint of this installation's key, if any.
pub fn verify(read: &Read, exercise: &Exercise, trusted: Option<&str>) -> Verdict {
    if let Some(b) = &read.broken {
        return Verdict::NotVerified {
            line: Some(b.line),
            reason: b.why.clone(),
        };
    }
    let source_changed = exercise.source_hash() != read.header.source_hash;
    if let Err(e) = replay(read, &exercise.plan.value, &exercise.scenario.value) {
        let line = match &e {
            ReplayError::Mismatch { line, .. }
            | ReplayError::Extra { line, .. }
            | ReplayError::Missing { line, .. }
            | ReplayError::Refused { line, .. } => *line,
        };
        let what = e.to_string();
        let what = what
            .strip_prefix(&format!("line {line}: "))
            .unwrap_or(&what)
            .to_owned();
        let reason = if source_changed {
            format!(
                "replay differs ({what}); the scenario or plan text has changed since the journal was written"
            )
        } else {
            format!("replay differs: {what}")
        };
        return Verdict::NotVerified {
            line: Some(line),
            reason,
        };
    }
    match &read.seal {
        Some(s) => Verdict::Sealed {
            fingerprint: s.fingerprint.clone(),
            this_installation: trusted.map(|t| t == s.fingerprint),
            source_changed,
        },
        None if read.finished() => Verdict::FinishedUnsealed { source_changed },
        None => Verdict::Unfinished { source_changed },
    }
}

/// Why a journal could not be checked at all (so nothing can be made from it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// The file is not a journal, or cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Its scenario cannot be found.
    #[error("scenario \"{id}\" (from {path}) cannot be found beside the journal or in the library")]
    ScenarioMissing {
        /// The scenario's id.
        id: String,
        /// Where it was loaded from when the journal was written.
        path: String,
    },
}

impl CheckError {
    /// The error as `FILE:LINE:COL: error: WHAT`, the form every located message takes.
    pub fn located(&self, journal: &std::path::Path) -> String {
        match self {
            CheckError::Read(e) => e.located(journal),
            CheckError::ScenarioMissing { .. } => {
                format!("{}:1:1: error: {self}", journal.display())
            }
        }
    }
}

/// A journal read, matched with its exercise, and verified.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The journal as read (entries before any break only).
    pub read: Read,
    /// Its exercise.
    pub exercise: Exercise,
    /// The verdict.
    pub verdict: Verdict,
}

/// Reads the journal at `path`, finds its exercise with `find`, and verifies it: what `score`,
/// `report`, `replay` and the review all start from.
pub fn check_file(
    path: &Path,
    find: impl Fn(&Header) -> Option<Exercise>,
    trusted: Option<&str>,
) -> Result<Checked, CheckError> {
    let read = read_file(path)?;
    let exercise = find(&read.header).ok_or_else(|| CheckError::ScenarioMissing {
        id: read.header.scenario_id.clone(),
        path: read.header.scenario_path.clone(),
    })?;
    let verdict = verify(&read, &exercise, trusted);
    Ok(Checked {
        read,
        exercise,
        verdict,
    })
}

/// The verdict on the journal at `path`, known to belong to `exercise` (a session's own
/// journal): what a reviewer opening it would be told. A journal that cannot be read is not
/// verified.
pub fn verdict_for(path: &Path, exercise: &Exercise, trusted: Option<&str>) -> Verdict {
    match check_file(path, |_| Some(exercise.clone()), trusted) {
        Ok(c) => c.verdict,
        Err(e) => Verdict::NotVerified {
            line: None,
            reason: e.to_string(),
        },
    }
}
