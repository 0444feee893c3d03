//! Headless play: run an exercise to its end with a decision policy or a decision script.

use std::collections::BTreeMap;
use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::engine::{Command, EventKind, Rating, SimTime, Status};
use crate::journal::{Session, SessionError};
use crate::model::diag::Diagnostic;
use crate::model::load::read_limited;
use crate::model::locate::Pos;
use crate::model::{ActionId, ChoiceId, DecisionId, InjectId, ObjectiveId, RoleId};

/// A decision script: timed decisions, actions and observations, per role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// The scenario it is written for.
    pub scenario: String,
    /// What happens, in any order (they are sorted by time).
    pub steps: Vec<Step>,
}

/// One step of a script. `at_min` counts from the start, or from the release of the `after`
/// inject when given (a step after an inject that is never released is skipped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Step {
    /// A role decides.
    Decide {
        /// Minute.
        at_min: u32,
        /// Count from this inject's release instead of the start.
        #[serde(default)]
        after: Option<InjectId>,
        /// Role.
        role: RoleId,
        /// Decision.
        decision: DecisionId,
        /// Choice.
        choice: ChoiceId,
        /// Why.
        #[serde(default)]
        rationale: String,
    },
    /// A role takes a plan action.
    Act {
        /// Minute.
        at_min: u32,
        /// Count from this inject's release instead of the start.
        #[serde(default)]
        after: Option<InjectId>,
        /// Role.
        role: RoleId,
        /// Action.
        action: ActionId,
        /// Note.
        #[serde(default)]
        note: String,
    },
    /// An observation.
    Observe {
        /// Minute.
        at_min: u32,
        /// Count from this inject's release instead of the start.
        #[serde(default)]
        after: Option<InjectId>,
        /// Text.
        text: String,
        /// The role it concerns.
        #[serde(default)]
        role: Option<RoleId>,
        /// Rating.
        #[serde(default)]
        rating: Option<Rating>,
        /// The objective it rates (overrides the computed rating).
        #[serde(default)]
        objective: Option<ObjectiveId>,
    },
}

impl Step {
    fn timing(&self) -> (u32, Option<&InjectId>) {
        match self {
            Step::Decide { at_min, after, .. }
            | Step::Act { at_min, after, .. }
            | Step::Observe { at_min, after, .. } => (*at_min, after.as_ref()),
        }
    }

    fn command(&self) -> Command {
        match self.clone() {
            Step::Decide {
                role,
                decision,
                choice,
                rationale,
                ..
            } => Command::Decide {
                role,
                decision,
                choice,
                rationale,
            },
            Step::Act {
                role, action, note, ..
            } => Command::TakeAction { role, action, note },
            Step::Observe {
                text,
                role,
                rating,
                objective,
                ..
            } => Command::Observe {
                text,
                role,
                rating,
                objective,
            },
        }
    }
}

/// Reads a decision script.
pub fn load_script(path: &Path) -> Result<Script, Diagnostic> {
    let text = read_limited(path)?;
    ron::Options::default()
        .with_recursion_limit(64)
        .from_str::<Script>(&text)
        .map_err(|e| {
            Diagnostic::error(
                path,
                Pos {
                    line: e.span.start.line.max(1),
                    col: e.span.start.col.max(1),
                },
                crate::model::diag::Problem::Syntax {
                    message: e.code.to_string(),
                },
            )
            .with_help("see \"Decision scripts\" in scenarios/README.md")
        })
}

/// How decisions are taken in headless play.
#[derive(Debug, Clone)]
pub enum Policy {
    /// Each decision's first choice, at once.
    First,
    /// No decisions: every deadline expires into its default.
    Default,
    /// A seeded random choice at a random moment before the deadline.
    Random,
    /// A decision script.
    Script(Script),
}

/// What headless play did.
#[derive(Debug, Clone, Default)]
pub struct PlayReport {
    /// Script steps (or policy decisions) the engine refused, with the reason.
    pub refused: Vec<String>,
    /// Script steps never applied (their `after` inject was never released).
    pub skipped: Vec<String>,
    /// Decisions taken.
    pub decided: usize,
    /// Decisions that expired.
    pub expired: usize,
    /// Injects released.
    pub released: usize,
}

/// Plays the session's exercise to its end.
pub fn play(session: &mut Session, policy: &Policy) -> Result<PlayReport, SessionError> {
    let mut report = PlayReport::default();
    let mut rng = ChaCha8Rng::seed_from_u64(session.sim().seed() ^ 0x5EED_DEC1_5104);
    // Planned commands by (time, order of planning).
    let mut queue: BTreeMap<(SimTime, usize), (Command, String)> = BTreeMap::new();
    let mut n = 0usize;
    let mut parked: Vec<&Step> = Vec::new();
    if let Policy::Script(script) = policy {
        for step in &script.steps {
            match step.timing() {
                (m, None) => {
                    queue.insert((u64::from(m) * 60, n), (step.command(), describe(step)));
                    n += 1;
                }
                (_, Some(_)) => parked.push(step),
            }
        }
    }
    let end = session.sim().end_time();
    let events = session.apply(Command::Start)?;
    let mut pending_events = events;
    loop {
        // React to what happened.
        for e in std::mem::take(&mut pending_events) {
            match &e.kind {
                EventKind::DecisionOpened {
                    decision,
                    role,
                    due,
                } => match policy {
                    Policy::First => {
                        if let Some(first) = first_choice(session, decision) {
                            // A joint decision's other roles agree with it.
                            let roles = std::iter::once(role)
                                .chain(session.sim().joint_roles(decision.as_str()))
                                .cloned()
                                .collect::<Vec<_>>();
                            for r in &roles {
                                queue.insert(
                                    (e.t, n),
                                    (
                                        decide(r, decision, first.clone(), "policy: first"),
                                        String::new(),
                                    ),
                                );
                                n += 1;
                            }
                        }
                    }
                    Policy::Random => {
                        let choices = choices(session, decision);
                        if !choices.is_empty() && *due > e.t {
                            let at = rng.random_range(e.t..*due);
                            let c = choices[rng.random_range(0..choices.len())].clone();
                            let roles = std::iter::once(role)
                                .chain(session.sim().joint_roles(decision.as_str()))
                                .cloned()
                                .collect::<Vec<_>>();
                            for r in &roles {
                                queue.insert(
                                    (at, n),
                                    (
                                        decide(r, decision, c.clone(), "policy: random"),
                                        String::new(),
                                    ),
                                );
                                n += 1;
                            }
                        }
                    }
                    Policy::Default | Policy::Script(_) => {}
                },
                EventKind::InjectReleased { inject, .. } => {
                    parked.retain(|step| {
                        let (m, after) = step.timing();
                        if after == Some(inject) {
                            queue.insert(
                                (e.t + u64::from(m) * 60, n),
                                (step.command(), describe(step)),
                            );
                            n += 1;
                            false
                        } else {
                            true
                        }
                    });
                    report.released += 1;
                }
                EventKind::DecisionMade { .. } => report.decided += 1,
                EventKind::DecisionExpired { .. } => report.expired += 1,
                _ => {}
            }
        }
        if session.sim().state().status == Status::Ended {
            break;
        }
        let now = session.sim().state().now;
        // Apply everything planned for now or earlier.
        if let Some((&key, _)) = queue.iter().next()
            && key.0 <= now
        {
            if let Some((cmd, what)) = queue.remove(&key) {
                match session.apply(cmd) {
                    Ok(ev) => pending_events = ev,
                    Err(SessionError::Sim(e)) => report.refused.push(format!(
                        "{} {}: {e}",
                        crate::engine::fmt_elapsed(now),
                        if what.is_empty() { "policy" } else { &what }
                    )),
                    Err(e) => return Err(e),
                }
            }
            continue;
        }
        // Stop at the next planned step, or at the next thing the engine has due (so that
        // decisions opened and injects released on the way are reacted to in time).
        let planned = queue.keys().next().map_or(end, |k| k.0);
        let due = session.sim().next_due().unwrap_or(end);
        let next = planned.min(due).min(end).max(now + 1);
        pending_events = session.apply(Command::AdvanceTo { t: next })?;
    }
    report.skipped = parked
        .iter()
        .map(|s| format!("{} (its inject was never released)", describe(s)))
        .chain(
            queue
                .values()
                .filter(|(_, what)| !what.is_empty())
                .map(|(_, what)| format!("{what} (the exercise had ended)")),
        )
        .collect();
    Ok(report)
}

fn decide(role: &RoleId, decision: &DecisionId, choice: ChoiceId, why: &str) -> Command {
    Command::Decide {
        role: role.clone(),
        decision: decision.clone(),
        choice,
        rationale: why.to_owned(),
    }
}

fn choices(session: &Session, decision: &DecisionId) -> Vec<ChoiceId> {
    session
        .sim()
        .ctx()
        .decision_index
        .get(decision.as_str())
        .map(|&d| session.sim().ctx().decisions[d].choices.clone())
        .unwrap_or_default()
}

/// The first choice as a desk shows it (format 2 shuffles choices per seed, so a draft that
/// lists the right answer first does not score 100 % with `--policy first`).
fn first_choice(session: &Session, decision: &DecisionId) -> Option<ChoiceId> {
    let sim = session.sim();
    let d = sim
        .ctx()
        .scenario
        .decisions()
        .find(|(_, d)| d.id == *decision)?
        .1;
    sim.shown_choices(d).first().map(|c| c.id.clone())
}

fn describe(step: &Step) -> String {
    let (m, after) = step.timing();
    let when = match after {
        Some(i) => format!("{m} min after \"{i}\""),
        None => format!("minute {m}"),
    };
    match step {
        Step::Decide {
            role,
            decision,
            choice,
            ..
        } => format!("Decide {role}/{decision}/{choice} at {when}"),
        Step::Act { role, action, .. } => format!("Act {role}/{action} at {when}"),
        Step::Observe { text, .. } => format!("Observe \"{text}\" at {when}"),
    }
}
