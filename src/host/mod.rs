//! The exercise host: the one owner of a running exercise (the journaled [`Session`], and through
//! it the engine), which takes commands from any front end — the desktop console, a seat in the
//! room, a test — and publishes what happened as journal entries.
//!
//! A [`Host`] is a cheap handle (clone it for each front end or thread). Front ends never change
//! the exercise except through [`Host::submit`] (or [`Host::submit_once`] for a request that may be
//! retried) and [`Host::tick`]; they read it through [`Host::view`], which holds the host's lock
//! for as long as the view lives, so keep a view for one frame or one request at most. Whoever
//! waits for news (a pushed stream to a seat) blocks in [`Host::wait_beyond`] until the journal
//! grows.
//!
//! The host knows nothing of egui or HTTP; it is core code, with no clock of its own: wall time is
//! passed in by the front end that owns the clock.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::engine::{Command, Event, SimError, Status};
use crate::journal::{Entry, Session, SessionError};
use crate::model::Lang;

/// Who sends a command. It decides the actor written in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The facilitator's console (or the CLI, or a test acting as facilitator). Decisions and
    /// actions are journaled with the role as actor, as the facilitator enters them for the table.
    Console,
    /// A seat in the room: a participant's or observer's own device, by its seat label.
    Seat(String),
}

impl Source {
    /// The journal's actor for `cmd` from this source.
    pub fn actor(&self, cmd: &Command) -> String {
        match self {
            Source::Console => cmd.actor(),
            Source::Seat(label) => format!("seat:{label}"),
        }
    }
}

/// What a command caused, once it is on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    /// The journal sequence number of the command's entry (entries count from 1).
    pub seq: u64,
    /// The events it caused, in order.
    pub events: Vec<Event>,
}

/// Why the host did not carry out a command. Nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The session refused it (the engine said no, or the journal could not be written).
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The exercise is closed: its front ends have let it go.
    #[error("the exercise is closed")]
    Closed,
}

impl HostError {
    /// The error in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            HostError::Session(e) => crate::describe::session_error(e, lang),
            HostError::Closed => {
                crate::i18n::tr(lang, "De oefening is gesloten.", "The exercise is closed.")
                    .to_owned()
            }
        }
    }

    /// The engine's refusal, if that is what it was.
    pub fn sim(&self) -> Option<&SimError> {
        match self {
            HostError::Session(SessionError::Sim(e)) => Some(e),
            _ => None,
        }
    }
}

/// How many answered request keys [`Host::submit_once`] remembers.
const KEYS_KEPT: usize = 4096;

struct Core {
    session: Session,
    closed: bool,
    /// Request keys already carried out, with their receipts (oldest first, for eviction).
    answered: BTreeMap<String, Receipt>,
    answered_order: VecDeque<String>,
}

struct Shared {
    core: Mutex<Core>,
    grew: Condvar,
}

/// A handle on the running exercise. Clones share the same exercise.
#[derive(Clone)]
pub struct Host {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").finish_non_exhaustive()
    }
}

/// A read-only look at the exercise, holding the host's lock while it lives.
pub struct View<'a> {
    core: MutexGuard<'a, Core>,
}

impl std::ops::Deref for View<'_> {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.core.session
    }
}

impl View<'_> {
    /// Whether the exercise has been closed.
    pub fn closed(&self) -> bool {
        self.core.closed
    }
}

impl Host {
    /// Hosts a session.
    pub fn new(session: Session) -> Self {
        Self {
            shared: Arc::new(Shared {
                core: Mutex::new(Core {
                    session,
                    closed: false,
                    answered: BTreeMap::new(),
                    answered_order: VecDeque::new(),
                }),
                grew: Condvar::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic while holding the lock cannot leave the session half-changed: every change
        // goes through `Session::apply`, which keeps the old state until the journal is written.
        self.shared
            .core
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A read-only look at the exercise. Holds the lock: drop it before submitting.
    pub fn view(&self) -> View<'_> {
        View { core: self.lock() }
    }

    /// Carries out a command from `from`: the engine decides, the journal is written and synced,
    /// and only then does anyone see its effect.
    pub fn submit(&self, from: &Source, cmd: Command) -> Result<Receipt, HostError> {
        let mut core = self.lock();
        let r = Self::apply(&mut core, from, cmd);
        drop(core);
        if r.is_ok() {
            self.shared.grew.notify_all();
        }
        r
    }

    /// As [`Host::submit`], for a request that may arrive more than once (a form re-sent after a
    /// dropped connection): the first arrival of `key` is carried out, a later one gets the same
    /// receipt and changes nothing.
    pub fn submit_once(
        &self,
        key: &str,
        from: &Source,
        cmd: Command,
    ) -> Result<Receipt, HostError> {
        let mut core = self.lock();
        if let Some(r) = core.answered.get(key) {
            return Ok(r.clone());
        }
        let r = Self::apply(&mut core, from, cmd)?;
        core.answered.insert(key.to_owned(), r.clone());
        core.answered_order.push_back(key.to_owned());
        if core.answered_order.len() > KEYS_KEPT
            && let Some(old) = core.answered_order.pop_front()
        {
            core.answered.remove(&old);
        }
        drop(core);
        self.shared.grew.notify_all();
        Ok(r)
    }

    fn apply(core: &mut Core, from: &Source, cmd: Command) -> Result<Receipt, HostError> {
        if core.closed {
            return Err(HostError::Closed);
        }
        let actor = from.actor(&cmd);
        let seq = core.session.entries().len() as u64 + 1;
        let events = core.session.apply_as(cmd, actor)?;
        Ok(Receipt { seq, events })
    }

    /// Lets `wall` of real time pass (the front end that owns the clock calls this, outside
    /// drawing). What falls due is journaled before anyone sees it. If the journal cannot be
    /// written, the clock is paused so that nothing more happens unrecorded, and the error is
    /// returned.
    pub fn tick(&self, wall: Duration) -> Result<Vec<Event>, HostError> {
        let mut core = self.lock();
        if core.closed || core.session.sim().status() != Status::Running {
            return Ok(Vec::new());
        }
        let before = core.session.entries().len();
        let r = core.session.advance(wall);
        if r.is_err() {
            // Best effort: if even the pause cannot be written, the clock still stops with the
            // next failed write, as nothing unwritten is kept.
            let _ = core.session.apply(Command::Pause);
        }
        let grew = core.session.entries().len() > before;
        drop(core);
        if grew {
            self.shared.grew.notify_all();
        }
        r.map_err(HostError::from)
    }

    /// The number of journal entries so far: a cursor for [`Host::wait_beyond`].
    pub fn len(&self) -> usize {
        self.lock().session.entries().len()
    }

    /// Whether the journal has no entries yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Blocks until the journal has more than `seen` entries, the exercise is closed, or
    /// `timeout` passes; returns the number of entries then.
    pub fn wait_beyond(&self, seen: usize, timeout: Duration) -> usize {
        let core = self.lock();
        let (core, _) = self
            .shared
            .grew
            .wait_timeout_while(core, timeout, |c| {
                !c.closed && c.session.entries().len() <= seen
            })
            .unwrap_or_else(PoisonError::into_inner);
        core.session.entries().len()
    }

    /// The entries after the first `seen`, cloned (for a stream that sends them on).
    pub fn entries_after(&self, seen: usize) -> Vec<Entry> {
        let core = self.lock();
        core.session
            .entries()
            .get(seen..)
            .map(<[Entry]>::to_vec)
            .unwrap_or_default()
    }

    /// Closes the exercise for every front end: commands are refused from now on and waiters
    /// wake up. The journal stays as written.
    pub fn close(&self) {
        self.lock().closed = true;
        self.shared.grew.notify_all();
    }
}

#[cfg(test)]
mod tests;
