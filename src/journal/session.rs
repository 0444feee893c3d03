//! A running exercise bound to its journal: nothing changes on screen before it is on disk.

use std::path::Path;
use std::sync::Arc;

use super::seal::{SealInfo, SealKey};

use super::{Body, Entry, Header, Read, ReadError, Writer, replay};
use crate::engine::{Command, Event, SimError, Simulation};
use crate::library::Exercise;
use crate::model::RoleId;

/// Why a session operation failed. On any error the simulation is as it was before.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The engine refused the command.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// The journal could not be written: the command did not happen.
    #[error("the journal could not be written, so the step was not taken: {0}")]
    Io(#[from] std::io::Error),
    /// The journal could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The journal does not replay.
    #[error(transparent)]
    Replay(#[from] super::ReplayError),
    /// The scenario or plan text changed since the journal was written, and it no longer
    /// replays.
    #[error(
        "the scenario or plan has changed since this journal was written, and the journal no longer replays against it ({0})"
    )]
    SourceChanged(super::ReplayError),
    /// The journal to create exists already.
    #[error(
        "{0} exists; a journal is never overwritten (choose another name, or leave out --journal for a new one)"
    )]
    Exists(std::path::PathBuf),
    /// The journal is for another scenario.
    #[error("the journal is for scenario \"{0}\", which is not in the library")]
    UnknownScenario(String),
}

/// An exercise in progress with its journal.
#[derive(Debug)]
pub struct Session {
    /// The simulation.
    sim: Simulation,
    /// The exercise being played.
    exercise: Exercise,
    /// The journal header.
    header: Header,
    /// Every entry so far (for the journal feed and live scoring).
    entries: Vec<Entry>,
    /// The seal written when the exercise ended, or why none could be written.
    sealed: Option<Result<SealInfo, String>>,
    pub(super) writer: Writer,
    seal_key: Option<Arc<SealKey>>,
}

impl Session {
    /// Starts a new journal at `path` (which must not exist) for a fresh exercise.
    pub fn create(
        exercise: &Exercise,
        seed: u64,
        present: Vec<RoleId>,
        path: &Path,
    ) -> Result<Self, SessionError> {
        Self::create_for_team(exercise, seed, present, None, path)
    }

    /// Starts a new journal as [`Session::create`] does, with the team or organisation that
    /// plays in its header (see [`super::clean_team`]).
    pub fn create_for_team(
        exercise: &Exercise,
        seed: u64,
        present: Vec<RoleId>,
        team: Option<&str>,
        path: &Path,
    ) -> Result<Self, SessionError> {
        let header = Header {
            format: super::FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario_id: exercise.scenario.value.id.clone(),
            scenario_path: exercise.scenario.path.display().to_string(),
            plan_id: exercise.plan.value.id.clone(),
            source_hash: exercise.source_hash(),
            seed,
            present,
            wall_start: super::wall_now(),
            team: team.and_then(super::clean_team),
        };
        let writer = Writer::create(path, &header).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                SessionError::Exists(path.to_owned())
            } else {
                SessionError::Io(e)
            }
        })?;
        Ok(Self {
            sim: Simulation::new(&exercise.plan.value, &exercise.scenario.value, seed),
            exercise: exercise.clone(),
            header,
            entries: Vec::new(),
            sealed: None,
            writer,
            seal_key: super::seal::installation_key(),
        })
    }

    /// Reopens an unfinished journal: locks it (a journal another program is writing is
    /// refused with [`ReadError::InUse`]), replays it to the state it recorded, cuts a torn
    /// tail, and continues writing after it. Returns the session and what was read (for
    /// warnings).
    pub fn resume(
        path: &Path,
        find: impl Fn(&Header) -> Option<Exercise>,
    ) -> Result<(Self, Read), SessionError> {
        // Lock before reading: what is read is then what the next append continues.
        let (mut writer, read) = Writer::resume(path)?;
        let exercise = find(&read.header)
            .ok_or_else(|| SessionError::UnknownScenario(read.header.scenario_id.clone()))?;
        let outcome =
            replay(&read, &exercise.plan.value, &exercise.scenario.value).map_err(|e| {
                if exercise.source_hash() == read.header.source_hash {
                    SessionError::Replay(e)
                } else {
                    SessionError::SourceChanged(e)
                }
            })?;
        let mut entries = read.entries.clone();
        // Events the last command caused that the crash kept from the disk: they follow from
        // the journaled command, so write them now.
        if !outcome.tail.is_empty() {
            entries.extend(
                writer.append_all(
                    outcome
                        .tail
                        .iter()
                        .map(|e| (e.t, "engine".to_owned(), Body::Event(e.clone()))),
                )?,
            );
        }
        let mut s = Self {
            sim: outcome.sim,
            exercise,
            header: read.header.clone(),
            entries,
            sealed: None,
            writer,
            seal_key: super::seal::installation_key(),
        };
        // Resume paused, with the pause journaled so that replay sees the same state: the room
        // decides when the clock runs again.
        if s.sim.status() == crate::engine::Status::Running {
            s.apply(Command::Pause)?;
        }
        // Ended before the crash but not sealed: seal now.
        if s.sim.status() == crate::engine::Status::Ended {
            s.seal();
        }
        Ok((s, read))
    }

    /// The simulation, to read.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The exercise being played.
    pub fn exercise(&self) -> &Exercise {
        &self.exercise
    }

    /// The journal header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Every entry written so far, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Applies a command: the engine decides, the command and its events are synced to the
    /// journal, and only then is the new state kept.
    pub fn apply(&mut self, cmd: Command) -> Result<Vec<Event>, SessionError> {
        let actor = cmd.actor();
        self.apply_as(cmd, actor)
    }

    /// Applies a command as [`Session::apply`] does, journaled with `actor` as who issued it
    /// (a seat in the room, say, rather than the role it plays).
    pub fn apply_as(&mut self, cmd: Command, actor: String) -> Result<Vec<Event>, SessionError> {
        let before = self.sim.clone();
        let t = self.sim.now();
        let events = self.sim.apply(cmd.clone())?;
        self.journal(before, Some((t, actor, Body::Command(cmd))), events)
    }

    /// Lets wall time pass; what falls due is journaled before it is returned. Once a simulated
    /// minute has passed since the last entry, the clock itself is journaled (as an `AdvanceTo`
    /// to the current time, which replays as a no-op), so that after a crash the exercise resumes
    /// less than a simulated minute before where the screen stood.
    pub fn advance(&mut self, wall: std::time::Duration) -> Result<Vec<Event>, SessionError> {
        let before = self.sim.clone();
        let events = self.sim.advance(wall);
        let now = self.sim.now();
        let last = self.entries.last().map_or(0, |e| e.t);
        let heartbeat = (now / 60 > last / 60
            && self.sim.status() == crate::engine::Status::Running)
            .then(|| {
                (
                    now,
                    "clock".to_owned(),
                    Body::Command(Command::AdvanceTo { t: now }),
                )
            });
        if events.is_empty() && heartbeat.is_none() {
            return Ok(events);
        }
        let written = self.journal(before, None, events)?;
        if let Some(beat) = heartbeat {
            // The beat changes no state; if it cannot be written, the next one will be.
            if let Ok(entries) = self.writer.append_all(std::iter::once(beat)) {
                self.entries.extend(entries);
            }
        }
        Ok(written)
    }

    /// Writes a step (a command, if any, then its events) to the journal in one synced write;
    /// if that fails, the simulation goes back to `before` so that nothing unjournaled is kept.
    fn journal(
        &mut self,
        before: Simulation,
        command: Option<(crate::engine::SimTime, String, Body)>,
        events: Vec<Event>,
    ) -> Result<Vec<Event>, SessionError> {
        let items = command.into_iter().chain(
            events
                .iter()
                .map(|e| (e.t, "engine".to_owned(), Body::Event(e.clone()))),
        );
        match self.writer.append_all(items) {
            Ok(entries) => {
                self.entries.extend(entries);
                if events
                    .iter()
                    .any(|e| matches!(e.kind, crate::engine::EventKind::Ended { .. }))
                {
                    self.seal();
                }
                Ok(events)
            }
            Err(e) => {
                self.sim = before;
                Err(e.into())
            }
        }
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        self.writer.path()
    }

    /// The seal written when the exercise ended (or why none could be written); `None` before
    /// the end or without a key.
    pub fn sealed(&self) -> Option<&Result<SealInfo, String>> {
        self.sealed.as_ref()
    }

    /// Verifies the journal as it is on disk (chain, seal, replay), as a reviewer would: what
    /// reports made from this session state about the journal's integrity.
    pub fn verdict(&self) -> super::verify::Verdict {
        let trusted = self
            .seal_key
            .as_ref()
            .map(|k| k.fingerprint())
            .or_else(super::seal::installation_fingerprint);
        super::verify::verdict_for(self.path(), &self.exercise, trusted.as_deref())
    }

    /// Sets the key the journal is sealed with when the exercise ends (`None`: no seal). New
    /// sessions start with the installation's key if a front end enabled it
    /// ([`super::seal::use_installation_key`]).
    pub fn seal_with(&mut self, key: Option<Arc<SealKey>>) {
        self.seal_key = key;
    }

    /// Seals the journal with the session's key, if it has one and has not sealed yet; the
    /// outcome is kept in [`Session::sealed`]. The exercise has ended either way: a seal that
    /// cannot be written leaves a finished, unsealed journal.
    fn seal(&mut self) {
        if self.writer.is_sealed() {
            return;
        }
        if let Some(key) = &self.seal_key {
            self.sealed = Some(self.writer.seal(key).map_err(|e| e.to_string()));
        }
    }
}
