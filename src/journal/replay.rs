//! Replay: the seed and the journal's commands must reproduce the journal's events exactly.

use std::collections::VecDeque;

use super::{Body, Read};
use crate::engine::{Event, SimError, Simulation};
use crate::model::{Plan, Scenario};

/// Where replay departed from the journal.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReplayError {
    /// An event differs.
    #[error("line {line}: the journal says {journal}, replay gives {replay}")]
    Mismatch {
        /// The 1-based journal line.
        line: usize,
        /// What the journal holds.
        journal: String,
        /// What replay produced.
        replay: String,
    },
    /// The journal holds an event that replay does not produce.
    #[error("line {line}: the journal has an event that replay does not produce: {journal}")]
    Extra {
        /// The 1-based journal line.
        line: usize,
        /// The event.
        journal: String,
    },
    /// Replay produced events the journal lacks.
    #[error("line {line}: replay produces {replay}, which the journal lacks")]
    Missing {
        /// The line before which it was expected.
        line: usize,
        /// The event.
        replay: String,
    },
    /// A journaled command is refused on replay.
    #[error("line {line}: the command was refused on replay: {error}")]
    Refused {
        /// The 1-based journal line.
        line: usize,
        /// The engine's error.
        error: SimError,
    },
}

impl ReplayError {
    /// The 1-based journal line where replay departed.
    pub fn line(&self) -> usize {
        match self {
            ReplayError::Mismatch { line, .. }
            | ReplayError::Extra { line, .. }
            | ReplayError::Missing { line, .. }
            | ReplayError::Refused { line, .. } => *line,
        }
    }

    /// What went wrong, without the line (for `file:line:col:` messages).
    pub fn message(&self) -> String {
        let full = self.to_string();
        let prefix = format!("line {}: ", self.line());
        full.strip_prefix(&prefix)
            .map_or(full.clone(), str::to_owned)
    }
}

/// A successful replay.
#[derive(Debug, Clone)]
pub struct ReplayOutcome {
    /// The simulation in the state the journal ends in.
    pub sim: Simulation,
    /// Commands replayed.
    pub commands: usize,
    /// Events matched.
    pub events: usize,
    /// Events that follow from the journal's last command but are not in the journal: the
    /// program stopped while writing them (a crash). Resuming writes them.
    pub tail: Vec<Event>,
}

fn show(e: &Event) -> String {
    serde_json::to_string(e).unwrap_or_else(|_| format!("{e:?}"))
}

/// Replays a journal against its scenario and plan, comparing every event.
pub fn replay(read: &Read, plan: &Plan, scenario: &Scenario) -> Result<ReplayOutcome, ReplayError> {
    let mut sim = Simulation::new(plan, scenario, read.header.seed);
    let mut pending: VecDeque<Event> = VecDeque::new();
    let (mut commands, mut events) = (0, 0);
    for entry in &read.entries {
        let line = entry.seq as usize + 1;
        match &entry.body {
            Body::Command(cmd) => {
                pending.extend(sim.sync_to(entry.t));
                if let Some(e) = pending.front() {
                    return Err(ReplayError::Missing {
                        line,
                        replay: show(e),
                    });
                }
                let evs = sim
                    .apply(cmd.clone())
                    .map_err(|error| ReplayError::Refused { line, error })?;
                pending.extend(evs);
                commands += 1;
            }
            Body::Event(ev) => {
                if pending.is_empty() {
                    pending.extend(sim.sync_to(ev.t));
                }
                match pending.pop_front() {
                    Some(e) if e == *ev => events += 1,
                    Some(e) => {
                        return Err(ReplayError::Mismatch {
                            line,
                            journal: show(ev),
                            replay: show(&e),
                        });
                    }
                    None => {
                        return Err(ReplayError::Extra {
                            line,
                            journal: show(ev),
                        });
                    }
                }
            }
        }
    }
    Ok(ReplayOutcome {
        sim,
        commands,
        events,
        tail: pending.into_iter().collect(),
    })
}
