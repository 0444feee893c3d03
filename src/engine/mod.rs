//! The simulation engine: a pure state machine changed only by [`Command`]s and by
//! [`Simulation::advance`] with a duration the caller gives. No clock, no global random
//! generator: randomness comes from a `ChaCha` generator seeded from the exercise seed.

mod compiled;
pub mod cond;
mod order;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::model::{
    ActionId, Channel, ChoiceId, DecisionId, Effect, InjectId, ObjectiveId, Plan, RoleId, Scenario,
    SignalId, Value, VarId,
};
pub use compiled::{Compiled, TriggerReaders};
use cond::View;

/// Simulated time: whole seconds since the scenario's start.
pub type SimTime = u64;

/// Elapsed simulated time as `H:MM:SS`.
pub fn fmt_elapsed(t: SimTime) -> String {
    format!("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// Speeds the facilitator can choose.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

/// An observer's rating (HSEEP): performed without challenges, with some, with major
/// challenges, or unable to be performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl Rating {
    /// All ratings, best first.
    pub const ALL: [Rating; 4] = [Rating::P, Rating::S, Rating::M, Rating::U];
}

/// What the front ends ask of the simulation. Every command goes to the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd")]
pub enum Command {
    /// Start the clock.
    Start,
    /// Stop simulated time.
    Pause,
    /// Let simulated time run again (nothing that fell due is fired at once: nothing fell due).
    Resume,
    /// Simulated seconds per wall second.
    SetSpeed {
        /// One of [`SPEEDS`].
        speed: u32,
    },
    /// Move simulated time forward to `t`, processing everything that falls due, in order.
    AdvanceTo {
        /// Target time.
        t: SimTime,
    },
    /// Move to the next scheduled inject and release it.
    JumpToNextInject,
    /// Release an inject now, whatever its time or condition.
    ReleaseNow {
        /// The inject.
        inject: InjectId,
    },
    /// Keep an inject back until released or retimed.
    Hold {
        /// The inject.
        inject: InjectId,
    },
    /// Give an inject a new time.
    Retime {
        /// The inject.
        inject: InjectId,
        /// New time.
        at: SimTime,
    },
    /// A message the facilitator writes during play.
    AdHocInject {
        /// Recipient roles.
        to: Vec<RoleId>,
        /// Channel.
        channel: Channel,
        /// Headline.
        title: String,
        /// Body.
        body: String,
    },
    /// A role answers a decision.
    Decide {
        /// The deciding role.
        role: RoleId,
        /// The decision.
        decision: DecisionId,
        /// The choice.
        choice: ChoiceId,
        /// Why.
        rationale: String,
    },
    /// A role takes a plan action (recorded by the facilitator from the discussion).
    TakeAction {
        /// The role.
        role: RoleId,
        /// The action.
        action: ActionId,
        /// A note.
        note: String,
    },
    /// An observation, optionally about a role and with a rating.
    Observe {
        /// The text.
        text: String,
        /// The role it concerns.
        role: Option<RoleId>,
        /// A P/S/M/U rating.
        rating: Option<Rating>,
        /// The objective it rates: with a rating, it overrides the objective's computed rating,
        /// and the text is the reason.
        #[serde(default)]
        objective: Option<ObjectiveId>,
    },
    /// End the exercise.
    End,
}

impl Command {
    /// Who issues the command, for the journal: the role for decisions and actions, else the
    /// facilitator.
    pub fn actor(&self) -> String {
        match self {
            Command::Decide { role, .. } | Command::TakeAction { role, .. } => role.to_string(),
            _ => "facilitator".to_owned(),
        }
    }
}

/// Where an action came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionSource {
    /// A choice of this decision.
    Decision(DecisionId),
    /// Recorded by the facilitator.
    Palette,
}

/// Why the exercise ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// The facilitator ended it.
    Facilitator,
    /// The scenario's time ran out.
    TimeUp,
}

/// What happened. Events are journaled after the command that caused them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ev")]
pub enum EventKind {
    /// The clock started; the random chances were drawn (facilitator-only knowledge).
    Started {
        /// Each chance: the inject and the minute it will come, if it hit.
        chances: Vec<(InjectId, Option<u32>)>,
    },
    /// Simulated time stopped.
    Paused,
    /// Simulated time runs again.
    Resumed,
    /// The speed changed.
    SpeedChanged {
        /// New speed.
        speed: u32,
    },
    /// An inject reached its recipients.
    InjectReleased {
        /// The inject.
        inject: InjectId,
        /// Its recipients.
        to: Vec<RoleId>,
        /// Released by the facilitator ahead of or against its schedule.
        forced: bool,
    },
    /// An inject is due but its condition does not hold yet.
    InjectWaiting {
        /// The inject.
        inject: InjectId,
    },
    /// An inject is held back.
    InjectHeld {
        /// The inject.
        inject: InjectId,
    },
    /// An inject got a new time.
    InjectRetimed {
        /// The inject.
        inject: InjectId,
        /// New time.
        at: SimTime,
    },
    /// A follow-up inject was scheduled by a choice.
    InjectScheduled {
        /// The inject.
        inject: InjectId,
        /// When it comes.
        at: SimTime,
    },
    /// An ad-hoc inject from the facilitator.
    AdHocReleased {
        /// Sequence number among ad-hoc injects (from 1).
        n: u32,
        /// Recipients.
        to: Vec<RoleId>,
        /// Channel.
        channel: Channel,
        /// Headline.
        title: String,
        /// Body.
        body: String,
    },
    /// A decision is put to its role.
    DecisionOpened {
        /// The decision.
        decision: DecisionId,
        /// Its role.
        role: RoleId,
        /// Deadline.
        due: SimTime,
    },
    /// A role decided.
    DecisionMade {
        /// The decision.
        decision: DecisionId,
        /// The role.
        role: RoleId,
        /// The choice.
        choice: ChoiceId,
        /// Why.
        rationale: String,
        /// Seconds from opening to deciding.
        latency_secs: u64,
    },
    /// The deadline passed; the default (if any) applies.
    DecisionExpired {
        /// The decision.
        decision: DecisionId,
        /// The role.
        role: RoleId,
        /// The default applied, if any.
        choice: Option<ChoiceId>,
    },
    /// A role took a plan action.
    ActionTaken {
        /// The role.
        role: RoleId,
        /// The action.
        action: ActionId,
        /// Where it came from.
        source: ActionSource,
        /// A note.
        note: String,
    },
    /// A variable changed.
    VarChanged {
        /// The variable.
        var: VarId,
        /// Its new value.
        value: Value,
    },
    /// A signal was raised (only when it was not raised already).
    SignalRaised {
        /// The signal.
        signal: SignalId,
    },
    /// An observation.
    Observed {
        /// The text.
        text: String,
        /// The role it concerns.
        role: Option<RoleId>,
        /// The rating.
        rating: Option<Rating>,
        /// The objective it rates.
        #[serde(default)]
        objective: Option<ObjectiveId>,
    },
    /// The exercise ended.
    Ended {
        /// Why.
        reason: EndReason,
    },
    /// A raised signal was cleared (by a [`Effect::Clear`]).
    SignalCleared {
        /// The signal.
        signal: SignalId,
    },
    /// One role's choice in a joint decision, before all its roles agree (then the decision
    /// is made, as [`EventKind::DecisionMade`] for its `role`).
    DecisionVoted {
        /// The decision.
        decision: DecisionId,
        /// The role that chose.
        role: RoleId,
        /// Its choice.
        choice: ChoiceId,
        /// Why.
        rationale: String,
    },
    /// A chance effect ([`Effect::Chance`]) was drawn (facilitator-only knowledge).
    ChanceDrawn {
        /// Its probability.
        p: f64,
        /// Whether it hit (the first effects apply) or not (the second).
        hit: bool,
    },
}

/// An event at a simulated time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub t: SimTime,
    /// What.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Why a command was refused. A refused command changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SimError {
    /// The exercise has not started.
    #[error("the exercise has not started")]
    NotStarted,
    /// Started twice.
    #[error("the exercise has already started")]
    AlreadyStarted,
    /// After the end.
    #[error("the exercise has ended")]
    Ended,
    /// Pause while paused.
    #[error("the clock is not running")]
    NotRunning,
    /// Resume while running.
    #[error("the clock is not paused")]
    NotPaused,
    /// Speed not offered.
    #[error("speed ×{0} is not one of ×1 ×2 ×5 ×10 ×30 ×60")]
    BadSpeed(u32),
    /// Time cannot go back.
    #[error("time {target} is before the current time {now}")]
    TimeInPast {
        /// Asked for.
        target: SimTime,
        /// Now.
        now: SimTime,
    },
    /// No inject is scheduled.
    #[error("no inject is scheduled")]
    NothingScheduled,
    /// Unknown role.
    #[error("unknown role \"{0}\"")]
    UnknownRole(String),
    /// Role not in this exercise.
    #[error("role \"{0}\" is not in play")]
    RoleNotInPlay(String),
    /// Unknown inject.
    #[error("unknown inject \"{0}\"")]
    UnknownInject(String),
    /// Already released.
    #[error("inject \"{0}\" has already been released")]
    AlreadyReleased(String),
    /// Unknown decision.
    #[error("unknown decision \"{0}\"")]
    UnknownDecision(String),
    /// Decision for another role.
    #[error("decision \"{decision}\" is for role \"{expected}\", not \"{role}\"")]
    WrongRole {
        /// The decision.
        decision: String,
        /// Its role.
        expected: String,
        /// The role that tried.
        role: String,
    },
    /// Decision not put yet.
    #[error("decision \"{0}\" has not been put to its role yet")]
    DecisionNotOpen(String),
    /// Decided twice.
    #[error("decision \"{0}\" has already been taken")]
    AlreadyDecided(String),
    /// Past the deadline.
    #[error("decision \"{0}\" has expired")]
    DecisionExpired(String),
    /// Unknown choice.
    #[error("decision \"{decision}\" has no choice \"{choice}\"")]
    UnknownChoice {
        /// The decision.
        decision: String,
        /// The choice asked for.
        choice: String,
    },
    /// Unknown action.
    #[error("unknown action \"{0}\"")]
    UnknownAction(String),
    /// Unknown objective.
    #[error("unknown objective \"{0}\"")]
    UnknownObjective(String),
    /// Empty text.
    #[error("{0} is empty")]
    Empty(&'static str),
}

/// Where the exercise is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Not started.
    Setup,
    /// The clock runs.
    Running,
    /// The clock is stopped.
    Paused,
    /// Over.
    Ended,
}

/// Where an inject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectStatus {
    /// Not due yet (or a follow-up not triggered: `at` is `None`).
    Pending,
    /// Due, but its condition does not hold yet.
    Waiting,
    /// Held back by the facilitator.
    Held,
    /// Released at this time.
    Released(SimTime),
}

/// The state of one inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectState {
    /// Where it is.
    pub status: InjectStatus,
    /// When it is due, if scheduled.
    pub at: Option<SimTime>,
}

/// Where a decision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionStatus {
    /// Its inject has not been released.
    Closed,
    /// Put to its role.
    Open {
        /// Since.
        opened: SimTime,
        /// Deadline.
        due: SimTime,
    },
    /// Decided.
    Made {
        /// The choice index.
        choice: usize,
        /// When.
        at: SimTime,
    },
    /// Expired; the default (if any) applied.
    Expired {
        /// The default choice index.
        choice: Option<usize>,
        /// When.
        at: SimTime,
    },
}

/// The whole mutable state; cloning it is how exploration branches. Equality is structural,
/// the generator included (`ChaCha` compares its seed, stream and position), so tests can
/// compare states rather than their `Debug` text, which hides the generator's position.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Simulated time.
    pub now: SimTime,
    /// Microseconds of simulated time not yet turned into whole seconds.
    pub carry_us: u64,
    /// Clock status.
    pub status: Status,
    /// Speed.
    pub speed: u32,
    /// Variable values, by index.
    pub vars: Vec<Value>,
    /// Raised signals, by index.
    pub signals: Vec<bool>,
    /// Actions taken by any role, by index.
    pub done: Vec<bool>,
    /// Injects, by index.
    pub injects: Vec<InjectState>,
    /// Decisions, by index.
    pub decisions: Vec<DecisionStatus>,
    /// Ad-hoc injects released so far.
    pub adhoc: u32,
    /// The seeded generator (drawn from for the random chances at creation).
    pub rng: ChaCha8Rng,
    /// The choices made so far in open joint decisions: (decision, the role's place — 0 for
    /// its `role`, k for `with[k - 1]` —, choice), sorted. Empty without joint decisions.
    pub votes: Vec<(usize, usize, usize)>,
}

impl View for State {
    fn var(&self, var: usize) -> Value {
        self.vars[var]
    }
    fn signal(&self, signal: usize) -> bool {
        self.signals[signal]
    }
    fn chosen(&self, decision: usize) -> Option<usize> {
        match self.decisions[decision] {
            DecisionStatus::Made { choice, .. } => Some(choice),
            DecisionStatus::Expired { choice, .. } => choice,
            _ => None,
        }
    }
    fn released(&self, inject: usize) -> bool {
        matches!(self.injects[inject].status, InjectStatus::Released(_))
    }
    fn done(&self, action: usize) -> bool {
        self.done[action]
    }
    fn now(&self) -> SimTime {
        self.now
    }
    fn released_at(&self, inject: usize) -> Option<SimTime> {
        match self.injects[inject].status {
            InjectStatus::Released(t) => Some(t),
            _ => None,
        }
    }
    fn settled_at(&self, decision: usize) -> Option<SimTime> {
        match self.decisions[decision] {
            DecisionStatus::Made { at, .. } | DecisionStatus::Expired { at, .. } => Some(at),
            _ => None,
        }
    }
}

/// An open decision, as a desk shows it.
#[derive(Debug, Clone, Copy)]
pub struct Pending<'a> {
    /// Its index among the scenario's decisions.
    pub index: usize,
    /// The decision as authored.
    pub decision: &'a crate::model::Decision,
    /// When it was put.
    pub opened: SimTime,
    /// Its deadline.
    pub due: SimTime,
}

/// A running exercise.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The scenario and plan with ids resolved (shared between clones).
    ctx: Arc<Compiled>,
    /// The mutable state: changed only by [`Simulation::apply`] and [`Simulation::advance`].
    state: State,
    /// The seed.
    seed: u64,
    /// What the random chances drew (shared between clones: it never changes).
    chances: Arc<[(InjectId, Option<u32>)]>,
    /// Derived from `state`, to find what falls due next without scanning every inject and
    /// decision: each time a pending inject was scheduled for (`0`) and each open decision's
    /// deadline (`1`), as (time, kind, index), earliest first. An entry that no longer matches
    /// the state (released, held, retimed, decided) is dropped when it comes up ([`Due::live`]).
    due: BinaryHeap<Reverse<Due>>,
    /// Derived from `state`: the injects waiting for their condition, in scenario order.
    waiting: Vec<usize>,
}

/// Something that falls due: (time, 0 for an inject's release or 1 for a decision's deadline,
/// index). Ordered as the engine takes them: by time, injects before deadlines, each in
/// scenario order.
type Due = (SimTime, u8, usize);

impl Simulation {
    /// A new exercise of `scenario`, scored against `plan`, with random chances drawn from
    /// `seed`. The scenario should have validated without errors.
    pub fn new(plan: &Plan, scenario: &Scenario, seed: u64) -> Self {
        Self::with_compiled(Arc::new(Compiled::new(plan, scenario)), seed)
    }

    /// A new exercise from an already compiled scenario (cheap: shares it).
    pub fn with_compiled(ctx: Arc<Compiled>, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut injects: Vec<InjectState> = ctx
            .scenario
            .injects
            .iter()
            .map(|i| InjectState {
                status: InjectStatus::Pending,
                at: i.at_min.map(|m| u64::from(m) * 60),
            })
            .collect();
        let mut chances = Vec::new();
        for (c, &idx) in ctx.scenario.random.iter().zip(&ctx.chance_injects) {
            let hit = rng.random_bool(c.p.clamp(0.0, 1.0));
            let (lo, hi) = (
                c.window_min.0.min(c.window_min.1),
                c.window_min.1.max(c.window_min.0),
            );
            let minute = rng.random_range(lo..=hi);
            if hit {
                if let Some(i) = idx {
                    let at = u64::from(minute) * 60;
                    let slot = &mut injects[i].at;
                    *slot = Some(slot.map_or(at, |old| old.min(at)));
                }
                chances.push((c.inject.clone(), Some(minute)));
            } else {
                chances.push((c.inject.clone(), None));
            }
        }
        let state = State {
            now: 0,
            carry_us: 0,
            status: Status::Setup,
            speed: 1,
            vars: ctx.initial_vars.clone(),
            signals: vec![false; ctx.plan.signals.len()],
            done: vec![false; ctx.plan.actions.len()],
            injects,
            decisions: vec![DecisionStatus::Closed; ctx.decisions.len()],
            adhoc: 0,
            rng,
            votes: Vec::new(),
        };
        let due = state
            .injects
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.at.map(|at| Reverse((at, 0, i))))
            .collect();
        Self {
            ctx,
            state,
            seed,
            chances: chances.into(),
            due,
            waiting: Vec::new(),
        }
    }

    /// Whether an entry of [`Simulation::due`] still stands for the state.
    fn live(&self, (t, kind, i): Due) -> bool {
        if kind == 0 {
            let s = self.state.injects[i];
            s.status == InjectStatus::Pending && s.at == Some(t)
        } else {
            matches!(self.state.decisions[i], DecisionStatus::Open { due, .. } if due == t)
        }
    }

    /// Drops the entries of `due` that no longer stand until the earliest one does, and returns
    /// that.
    fn next_live(&mut self) -> Option<Due> {
        while let Some(&Reverse(top)) = self.due.peek() {
            if self.live(top) {
                return Some(top);
            }
            self.due.pop();
        }
        None
    }

    /// Sets inject `i`'s status, keeping [`Simulation::waiting`] in step.
    fn set_inject_status(&mut self, i: usize, status: InjectStatus) {
        let was = self.state.injects[i].status == InjectStatus::Waiting;
        let is = status == InjectStatus::Waiting;
        self.state.injects[i].status = status;
        if was != is {
            match self.waiting.binary_search(&i) {
                Ok(k) if !is => {
                    self.waiting.remove(k);
                }
                Err(k) if is => self.waiting.insert(k, i),
                _ => {}
            }
        }
    }

    /// The scenario and plan with ids resolved.
    pub fn ctx(&self) -> &Arc<Compiled> {
        &self.ctx
    }

    /// The state, to read. It changes only through [`Simulation::apply`] and
    /// [`Simulation::advance`], so that everything that changes it is journaled.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The seed the random chances were drawn from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Where the exercise is.
    pub fn status(&self) -> Status {
        self.state.status
    }

    /// Simulated time.
    pub fn now(&self) -> SimTime {
        self.state.now
    }

    /// Simulated seconds per wall second.
    pub fn speed(&self) -> u32 {
        self.state.speed
    }

    /// The decisions put to `role` that are still open, in scenario order, with their deadline.
    pub fn pending_decisions<'a>(
        &'a self,
        role: &'a RoleId,
    ) -> impl Iterator<Item = Pending<'a>> + 'a {
        self.ctx
            .decisions
            .iter()
            .enumerate()
            .filter(move |(_, info)| {
                info.role == *role
                    || self.ctx.scenario.injects[info.inject].decisions[info.local].is_for(role)
            })
            .filter_map(move |(d, info)| match self.state.decisions[d] {
                DecisionStatus::Open { opened, due } => Some(Pending {
                    index: d,
                    decision: &self.ctx.scenario.injects[info.inject].decisions[info.local],
                    opened,
                    due,
                }),
                _ => None,
            })
    }

    /// How many decisions are open for `role`.
    pub fn pending_count(&self, role: &RoleId) -> usize {
        self.pending_decisions(role).count()
    }

    /// The decisions `role` has settled (taken, or let expire), in scenario order.
    pub fn settled_decisions<'a>(
        &'a self,
        role: &'a RoleId,
    ) -> impl Iterator<Item = (&'a crate::model::Decision, DecisionStatus)> + 'a {
        self.ctx
            .decisions
            .iter()
            .enumerate()
            .filter(move |(_, info)| {
                info.role == *role
                    || self.ctx.scenario.injects[info.inject].decisions[info.local].is_for(role)
            })
            .filter_map(move |(d, info)| {
                let st = self.state.decisions[d];
                matches!(
                    st,
                    DecisionStatus::Made { .. } | DecisionStatus::Expired { .. }
                )
                .then(|| {
                    (
                        &self.ctx.scenario.injects[info.inject].decisions[info.local],
                        st,
                    )
                })
            })
    }

    /// Whether `role` is in play in this scenario.
    pub fn in_play(&self, role: &RoleId) -> bool {
        self.ctx.scenario.roles.contains(role)
    }

    /// Whether `action` has been taken by any role.
    pub fn action_done(&self, action: &str) -> bool {
        self.ctx
            .action_index
            .get(action)
            .is_some_and(|&i| self.state.done[i])
    }

    /// Where inject number `i` (scenario order) stands.
    pub fn inject_state(&self, i: usize) -> Option<InjectState> {
        self.state.injects.get(i).copied()
    }

    /// The current value of a situation variable.
    pub fn var(&self, id: &str) -> Option<Value> {
        self.ctx.var_index.get(id).map(|&i| self.state.vars[i])
    }

    /// The scenario's end, in simulated seconds.
    pub fn end_time(&self) -> SimTime {
        u64::from(self.ctx.scenario.duration_min) * 60
    }

    /// Applies a command. On error nothing has changed.
    pub fn apply(&mut self, cmd: Command) -> Result<Vec<Event>, SimError> {
        let mut ev = Vec::new();
        self.apply_into(cmd, &mut ev)?;
        Ok(ev)
    }

    /// [`Simulation::apply`], appending the events to `ev` (a buffer the caller reuses). On
    /// error nothing has changed and nothing is appended.
    pub fn apply_into(&mut self, cmd: Command, ev: &mut Vec<Event>) -> Result<(), SimError> {
        let r = self.apply_command(cmd, ev);
        self.tidy();
        r
    }

    /// `role` takes choice `c` of decision `d` (indices into [`Compiled::decisions`] and its
    /// choices), appending the events to `ev`: the same as [`Command::Decide`] with the ids,
    /// no rationale, without looking the ids up. Exploration plays paths through this.
    pub fn decide(
        &mut self,
        d: usize,
        c: usize,
        role: &RoleId,
        ev: &mut Vec<Event>,
    ) -> Result<(), SimError> {
        self.require_started()?;
        self.check_role(role)?;
        let ctx = Arc::clone(&self.ctx);
        let info = ctx
            .decisions
            .get(d)
            .ok_or_else(|| SimError::UnknownDecision(d.to_string()))?;
        let def = &ctx.scenario.injects[info.inject].decisions[info.local];
        if !def.is_for(role) {
            return Err(SimError::WrongRole {
                decision: info.id.to_string(),
                expected: info.role.to_string(),
                role: role.to_string(),
            });
        }
        let choice = info.choices.get(c).ok_or_else(|| SimError::UnknownChoice {
            decision: info.id.to_string(),
            choice: c.to_string(),
        })?;
        let r = self.decide_checked(
            d,
            c,
            role.clone(),
            info.id.clone(),
            choice.clone(),
            String::new(),
            ev,
        );
        self.tidy();
        r
    }

    /// [`Command::AdvanceTo`], appending the events to `ev`.
    pub fn advance_to(&mut self, t: SimTime, ev: &mut Vec<Event>) -> Result<(), SimError> {
        self.require_started()?;
        if t < self.state.now {
            return Err(SimError::TimeInPast {
                target: t,
                now: self.state.now,
            });
        }
        self.run_until(t, ev);
        self.tidy();
        Ok(())
    }

    /// Drops stale entries from the top of [`Simulation::due`], so that its top is what falls
    /// due next (see [`Simulation::next_due`]).
    fn tidy(&mut self) {
        self.next_live();
    }

    fn apply_command(&mut self, cmd: Command, ev: &mut Vec<Event>) -> Result<(), SimError> {
        let st = self.state.status;
        if st == Status::Ended {
            return Err(SimError::Ended);
        }
        match cmd {
            Command::Start => {
                if st != Status::Setup {
                    return Err(SimError::AlreadyStarted);
                }
                self.state.status = Status::Running;
                self.push(
                    ev,
                    EventKind::Started {
                        chances: self.chances.to_vec(),
                    },
                );
                self.run_until(0, ev);
            }
            Command::Pause => {
                if st != Status::Running {
                    return Err(SimError::NotRunning);
                }
                self.state.status = Status::Paused;
                self.state.carry_us = 0;
                self.push(ev, EventKind::Paused);
            }
            Command::Resume => {
                if st != Status::Paused {
                    return Err(SimError::NotPaused);
                }
                self.state.status = Status::Running;
                self.state.carry_us = 0;
                self.push(ev, EventKind::Resumed);
            }
            Command::SetSpeed { speed } => {
                if !SPEEDS.contains(&speed) {
                    return Err(SimError::BadSpeed(speed));
                }
                self.state.speed = speed;
                self.push(ev, EventKind::SpeedChanged { speed });
            }
            Command::AdvanceTo { t } => {
                self.require_started()?;
                if t < self.state.now {
                    return Err(SimError::TimeInPast {
                        target: t,
                        now: self.state.now,
                    });
                }
                self.run_until(t, ev);
            }
            Command::JumpToNextInject => {
                self.require_started()?;
                // An inject due after the end is not "next": jumping there would end the
                // exercise.
                let end = self.end_time();
                let next = self
                    .state
                    .injects
                    .iter()
                    .filter(|i| i.status == InjectStatus::Pending)
                    .filter_map(|i| i.at)
                    .filter(|&at| at < end)
                    .min()
                    .ok_or(SimError::NothingScheduled)?;
                let t = next.max(self.state.now);
                self.run_until(t, ev);
            }
            Command::ReleaseNow { inject } => {
                self.require_started()?;
                let i = self.inject_index(&inject)?;
                if matches!(self.state.injects[i].status, InjectStatus::Released(_)) {
                    return Err(SimError::AlreadyReleased(inject.to_string()));
                }
                self.release(i, true, ev);
                self.settle(ev);
            }
            Command::Hold { inject } => {
                let i = self.inject_index(&inject)?;
                if matches!(self.state.injects[i].status, InjectStatus::Released(_)) {
                    return Err(SimError::AlreadyReleased(inject.to_string()));
                }
                self.set_inject_status(i, InjectStatus::Held);
                self.push(ev, EventKind::InjectHeld { inject });
            }
            Command::Retime { inject, at } => {
                let i = self.inject_index(&inject)?;
                if matches!(self.state.injects[i].status, InjectStatus::Released(_)) {
                    return Err(SimError::AlreadyReleased(inject.to_string()));
                }
                if at < self.state.now {
                    return Err(SimError::TimeInPast {
                        target: at,
                        now: self.state.now,
                    });
                }
                self.set_inject_status(i, InjectStatus::Pending);
                self.state.injects[i].at = Some(at);
                self.due.push(Reverse((at, 0, i)));
                self.push(ev, EventKind::InjectRetimed { inject, at });
                if st != Status::Setup {
                    self.run_until(self.state.now, ev);
                }
            }
            Command::AdHocInject {
                to,
                channel,
                title,
                body,
            } => {
                self.require_started()?;
                if title.trim().is_empty() {
                    return Err(SimError::Empty("the title"));
                }
                if to.is_empty() {
                    return Err(SimError::Empty("the list of recipients"));
                }
                for r in &to {
                    self.check_role(r)?;
                }
                self.state.adhoc += 1;
                let n = self.state.adhoc;
                self.push(
                    ev,
                    EventKind::AdHocReleased {
                        n,
                        to,
                        channel,
                        title,
                        body,
                    },
                );
            }
            Command::Decide {
                role,
                decision,
                choice,
                rationale,
            } => {
                self.require_started()?;
                self.check_role(&role)?;
                let d = *self
                    .ctx
                    .decision_index
                    .get(decision.as_str())
                    .ok_or_else(|| SimError::UnknownDecision(decision.to_string()))?;
                let info = &self.ctx.decisions[d];
                let def = &self.ctx.scenario.injects[info.inject].decisions[info.local];
                if !def.is_for(&role) {
                    return Err(SimError::WrongRole {
                        decision: decision.to_string(),
                        expected: info.role.to_string(),
                        role: role.to_string(),
                    });
                }
                let c = info
                    .choices
                    .iter()
                    .position(|x| *x == choice)
                    .ok_or_else(|| SimError::UnknownChoice {
                        decision: decision.to_string(),
                        choice: choice.to_string(),
                    })?;
                self.decide_checked(d, c, role, decision, choice, rationale, ev)?;
            }
            Command::TakeAction { role, action, note } => {
                self.require_started()?;
                self.check_role(&role)?;
                let a = *self
                    .ctx
                    .action_index
                    .get(action.as_str())
                    .ok_or_else(|| SimError::UnknownAction(action.to_string()))?;
                self.state.done[a] = true;
                self.push(
                    ev,
                    EventKind::ActionTaken {
                        role,
                        action,
                        source: ActionSource::Palette,
                        note,
                    },
                );
                self.settle(ev);
            }
            Command::Observe {
                text,
                role,
                rating,
                objective,
            } => {
                if text.trim().is_empty() {
                    return Err(SimError::Empty("the observation"));
                }
                if let Some(r) = &role {
                    self.check_role(r)?;
                }
                if let Some(o) = &objective
                    && !self.ctx.scenario.objectives.iter().any(|x| x.id == *o)
                {
                    return Err(SimError::UnknownObjective(o.to_string()));
                }
                self.push(
                    ev,
                    EventKind::Observed {
                        text,
                        role,
                        rating,
                        objective,
                    },
                );
            }
            Command::End => {
                self.state.status = Status::Ended;
                self.push(
                    ev,
                    EventKind::Ended {
                        reason: EndReason::Facilitator,
                    },
                );
            }
        }
        Ok(())
    }

    /// The rest of [`Command::Decide`] once the role, decision `d` and choice `c` are known
    /// and the role may take the decision: it must be open; a joint decision's choice is a
    /// vote until all its roles agree.
    #[allow(clippy::too_many_arguments)]
    fn decide_checked(
        &mut self,
        d: usize,
        c: usize,
        role: RoleId,
        decision: DecisionId,
        choice: ChoiceId,
        rationale: String,
        ev: &mut Vec<Event>,
    ) -> Result<(), SimError> {
        let opened = match self.state.decisions[d] {
            DecisionStatus::Closed => {
                return Err(SimError::DecisionNotOpen(decision.to_string()));
            }
            DecisionStatus::Made { .. } => {
                return Err(SimError::AlreadyDecided(decision.to_string()));
            }
            DecisionStatus::Expired { .. } => {
                return Err(SimError::DecisionExpired(decision.to_string()));
            }
            DecisionStatus::Open { opened, .. } => opened,
        };
        let now = self.state.now;
        let ctx = Arc::clone(&self.ctx);
        let def = &ctx.scenario.injects[ctx.decisions[d].inject].decisions[ctx.decisions[d].local];
        // A joint decision is made when all its roles chose the same option; until then each
        // choice is a vote.
        let role = if def.with.is_empty() {
            role
        } else if let Some(lead) = self.vote(d, def, &role, c) {
            lead
        } else {
            self.push(
                ev,
                EventKind::DecisionVoted {
                    decision,
                    role,
                    choice,
                    rationale,
                },
            );
            return Ok(());
        };
        self.state.decisions[d] = DecisionStatus::Made { choice: c, at: now };
        self.push(
            ev,
            EventKind::DecisionMade {
                decision,
                role: role.clone(),
                choice,
                rationale,
                latency_secs: now - opened,
            },
        );
        self.apply_choice_by(d, c, &role, ev);
        // Follow-ups with no delay fall due now: release them with the decision, so that
        // nothing due is left for the next tick (which replay could not tell).
        self.run_until(self.state.now, ev);
        Ok(())
    }

    /// Lets `wall` of real time pass: when the clock runs, simulated time moves `wall × speed`,
    /// and everything that falls due happens in order. Paused, nothing moves.
    pub fn advance(&mut self, wall: std::time::Duration) -> Vec<Event> {
        let mut ev = Vec::new();
        if self.state.status != Status::Running {
            return ev;
        }
        // Microseconds, not milliseconds: a 60 Hz frame is 16.667 ms, and truncating it to
        // 16 ms would run the clock 4 % slow.
        let us = wall
            .as_micros()
            .saturating_mul(u128::from(self.state.speed))
            .min(u128::from(u64::MAX / 2)) as u64;
        let total = self.state.carry_us + us;
        self.state.carry_us = total % 1_000_000;
        let target = self.state.now + total / 1_000_000;
        if target > self.state.now {
            self.run_until(target, &mut ev);
            self.tidy();
        }
        ev
    }

    /// Brings simulated time to `t` (never backwards), processing what falls due. Used by
    /// replay to reach the time of the next journaled command.
    pub fn sync_to(&mut self, t: SimTime) -> Vec<Event> {
        let mut ev = Vec::new();
        if matches!(self.state.status, Status::Running | Status::Paused) && t >= self.state.now {
            self.run_until(t, &mut ev);
            self.tidy();
        }
        ev
    }

    /// The earliest pending inject time or decision deadline, if any.
    pub fn next_due(&self) -> Option<SimTime> {
        // Every public method that changes the state leaves a live entry on top of `due`
        // (`tidy`); should one not, scan.
        match self.due.peek() {
            None => return None,
            Some(&Reverse(top)) if self.live(top) => return Some(top.0),
            Some(_) => {}
        }
        let inj = self
            .state
            .injects
            .iter()
            .filter(|i| i.status == InjectStatus::Pending)
            .filter_map(|i| i.at);
        let dec = self.state.decisions.iter().filter_map(|d| match d {
            DecisionStatus::Open { due, .. } => Some(*due),
            _ => None,
        });
        inj.chain(dec).min()
    }

    fn require_started(&self) -> Result<(), SimError> {
        match self.state.status {
            Status::Setup => Err(SimError::NotStarted),
            Status::Ended => Err(SimError::Ended),
            _ => Ok(()),
        }
    }

    fn check_role(&self, role: &RoleId) -> Result<(), SimError> {
        if !self.ctx.plan_roles.contains(role.as_str()) {
            return Err(SimError::UnknownRole(role.to_string()));
        }
        if !self.ctx.scenario.roles.contains(role) {
            return Err(SimError::RoleNotInPlay(role.to_string()));
        }
        Ok(())
    }

    fn inject_index(&self, id: &InjectId) -> Result<usize, SimError> {
        self.ctx
            .inject_index
            .get(id.as_str())
            .copied()
            .ok_or_else(|| SimError::UnknownInject(id.to_string()))
    }

    fn push(&self, ev: &mut Vec<Event>, kind: EventKind) {
        ev.push(Event {
            t: self.state.now,
            kind,
        });
    }

    /// Processes everything due up to and including `target`, in time order, then sets the
    /// clock to `target` (or to the end, which ends the exercise).
    fn run_until(&mut self, target: SimTime, ev: &mut Vec<Event>) {
        let end = self.end_time();
        let target = target.min(end);
        loop {
            self.settle(ev);
            // The earliest due item: injects first at equal times, then deadlines, each in
            // scenario order.
            let mut best = self.next_live().filter(|b| b.0 <= target);
            // A waiting inject whose condition reads the clock may come due by time alone
            // (`After`, the end of a `..Within` window): stop there to check it.
            for &i in &self.waiting {
                if let Some(w) = self.ctx.injects[i].when.next_change(&self.state)
                    && w <= target
                    && best.is_none_or(|b| (w, 2, i) < b)
                {
                    best = Some((w, 2, i));
                }
            }
            let Some((t, kind, idx)) = best else { break };
            if kind != 2 {
                // The top of `due`, which `next_live` left there.
                self.due.pop();
            }
            self.state.now = self.state.now.max(t);
            if kind == 2 {
                // Only time passed; the loop's settle releases what now holds.
                continue;
            }
            if kind == 0 {
                if self.ctx.injects[idx].when.holds(&self.state) {
                    self.release(idx, false, ev);
                } else {
                    self.set_inject_status(idx, InjectStatus::Waiting);
                    let inject = self.ctx.scenario.injects[idx].id.clone();
                    self.push(ev, EventKind::InjectWaiting { inject });
                }
            } else {
                self.expire(idx, ev);
            }
        }
        self.state.now = self.state.now.max(target);
        self.settle(ev);
        if self.state.now >= end && self.state.status != Status::Ended {
            self.state.status = Status::Ended;
            self.push(
                ev,
                EventKind::Ended {
                    reason: EndReason::TimeUp,
                },
            );
        }
    }

    /// Releases waiting injects whose condition now holds, until nothing changes.
    fn settle(&mut self, ev: &mut Vec<Event>) {
        loop {
            let ready = self
                .waiting
                .iter()
                .copied()
                .find(|&i| self.ctx.injects[i].when.holds(&self.state));
            match ready {
                Some(i) => self.release(i, false, ev),
                None => return,
            }
        }
    }

    fn release(&mut self, i: usize, forced: bool, ev: &mut Vec<Event>) {
        let now = self.state.now;
        self.set_inject_status(i, InjectStatus::Released(now));
        let inject = &self.ctx.scenario.injects[i];
        self.push(
            ev,
            EventKind::InjectReleased {
                inject: inject.id.clone(),
                to: inject.to.clone(),
                forced,
            },
        );
        let ctx = Arc::clone(&self.ctx);
        self.apply_effects_of(&ctx.scenario.injects[i].effects, site_of_inject(i), ev);
        for &d in &ctx.injects[i].decisions {
            let info = &ctx.decisions[d];
            let due = now + u64::from(info.due_min) * 60;
            self.state.decisions[d] = DecisionStatus::Open { opened: now, due };
            self.due.push(Reverse((due, 1, d)));
            self.push(
                ev,
                EventKind::DecisionOpened {
                    decision: info.id.clone(),
                    role: info.role.clone(),
                    due,
                },
            );
        }
    }

    fn expire(&mut self, d: usize, ev: &mut Vec<Event>) {
        let ctx = Arc::clone(&self.ctx);
        let info = &ctx.decisions[d];
        let now = self.state.now;
        self.state.votes.retain(|v| v.0 != d);
        self.state.decisions[d] = DecisionStatus::Expired {
            choice: info.default,
            at: now,
        };
        self.push(
            ev,
            EventKind::DecisionExpired {
                decision: info.id.clone(),
                role: info.role.clone(),
                choice: info.default.map(|c| info.choices[c].clone()),
            },
        );
        if let Some(c) = info.default {
            self.apply_choice(d, c, ev);
        }
    }

    fn apply_choice(&mut self, d: usize, c: usize, ev: &mut Vec<Event>) {
        let role = self.ctx.decisions[d].role.clone();
        self.apply_choice_by(d, c, &role, ev);
    }

    /// Records `role`'s vote `c` in joint decision `d`; when every role of the decision has
    /// voted for the same choice, clears the votes and returns the decision's own role (the
    /// decision is made in its name).
    fn vote(
        &mut self,
        d: usize,
        def: &crate::model::Decision,
        role: &RoleId,
        c: usize,
    ) -> Option<RoleId> {
        let slot = if def.role == *role {
            0
        } else {
            def.with.iter().position(|r| r == role)? + 1
        };
        let votes = &mut self.state.votes;
        match votes.binary_search_by(|v| (v.0, v.1).cmp(&(d, slot))) {
            Ok(k) => votes[k].2 = c,
            Err(k) => votes.insert(k, (d, slot, c)),
        }
        let agreed =
            (0..=def.with.len()).all(|s| votes.iter().any(|v| v.0 == d && v.1 == s && v.2 == c));
        if agreed {
            votes.retain(|v| v.0 != d);
            Some(def.role.clone())
        } else {
            None
        }
    }

    /// The roles that must agree with a decision's own role (empty unless it is joint).
    pub fn joint_roles(&self, decision: &str) -> &[RoleId] {
        self.ctx.decision_index.get(decision).map_or(&[], |&d| {
            let info = &self.ctx.decisions[d];
            &self.ctx.scenario.injects[info.inject].decisions[info.local].with
        })
    }

    /// What `role` has chosen so far in an open joint decision, if anything.
    pub fn vote_of(&self, decision: usize, role: &RoleId) -> Option<usize> {
        let info = self.ctx.decisions.get(decision)?;
        let def = &self.ctx.scenario.injects[info.inject].decisions[info.local];
        let slot = if def.role == *role {
            0
        } else {
            def.with.iter().position(|r| r == role)? + 1
        };
        self.state
            .votes
            .iter()
            .find(|v| v.0 == decision && v.1 == slot)
            .map(|v| v.2)
    }

    fn apply_choice_by(&mut self, d: usize, c: usize, role: &RoleId, ev: &mut Vec<Event>) {
        let ctx = Arc::clone(&self.ctx);
        let info = &ctx.decisions[d];
        let choice = &ctx.scenario.injects[info.inject].decisions[info.local].options[c];
        for a in &choice.actions {
            if let Some(&ai) = ctx.action_index.get(a.as_str()) {
                self.state.done[ai] = true;
            }
            self.push(
                ev,
                EventKind::ActionTaken {
                    role: role.clone(),
                    action: a.clone(),
                    source: ActionSource::Decision(info.id.clone()),
                    note: String::new(),
                },
            );
        }
        self.apply_effects_of(&choice.effects, site_of_choice(d, c), ev);
        for t in &choice.then {
            self.schedule_follow_up(t, ev);
        }
    }

    /// Schedules a follow-up inject at now + its `delay_min`, unless it already has a time,
    /// is held or released (the first release wins).
    fn schedule_follow_up(&mut self, t: &InjectId, ev: &mut Vec<Event>) {
        let now = self.state.now;
        if let Some(&i) = self.ctx.inject_index.get(t.as_str()) {
            let delay = self.ctx.scenario.injects[i].delay_min;
            let s = &mut self.state.injects[i];
            if s.status == InjectStatus::Pending && s.at.is_none() {
                let at = now + u64::from(delay) * 60;
                s.at = Some(at);
                self.due.push(Reverse((at, 0, i)));
                self.push(
                    ev,
                    EventKind::InjectScheduled {
                        inject: t.clone(),
                        at,
                    },
                );
            }
        }
    }

    /// Applies the effects of one place in the scenario (`site`: an inject's or a choice's
    /// effects), numbering its `Chance` effects in file order, both branches included, so
    /// that each draws from its own stream of the seed whatever happened before.
    fn apply_effects_of(&mut self, effects: &[Effect], site: u64, ev: &mut Vec<Event>) {
        if effects
            .iter()
            .all(|e| !matches!(e, Effect::Then(_) | Effect::If(..) | Effect::Chance(..)))
        {
            self.apply_effects(effects, ev);
            return;
        }
        let mut next = 0;
        self.apply_nested(effects, site, &mut next, ev);
    }

    /// Effects that may nest: plain ones through [`Simulation::apply_effects`], `Then`, `If`
    /// and `Chance` here. `next` is the number of the next `Chance` in file order.
    fn apply_nested(&mut self, effects: &[Effect], site: u64, next: &mut u64, ev: &mut Vec<Event>) {
        for e in effects {
            match e {
                Effect::Then(t) => self.schedule_follow_up(t, ev),
                Effect::If(c, yes, no) => {
                    let holds = cond::compile(c, &*self.ctx).holds(&self.state);
                    // The branch not taken is numbered too, so later chances keep their
                    // streams.
                    if holds {
                        self.apply_nested(yes, site, next, ev);
                        *next += count_chances(no);
                    } else {
                        *next += count_chances(yes);
                        self.apply_nested(no, site, next, ev);
                    }
                }
                Effect::Chance(p, yes, no) => {
                    let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
                    rng.set_stream(site | (*next & 0xFFFF));
                    *next += 1;
                    let hit = rng.random_bool(p.clamp(0.0, 1.0));
                    self.push(ev, EventKind::ChanceDrawn { p: *p, hit });
                    if hit {
                        self.apply_nested(yes, site, next, ev);
                        *next += count_chances(no);
                    } else {
                        *next += count_chances(yes);
                        self.apply_nested(no, site, next, ev);
                    }
                }
                plain => self.apply_effects(std::slice::from_ref(plain), ev),
            }
        }
    }

    fn apply_effects(&mut self, effects: &[Effect], ev: &mut Vec<Event>) {
        for e in effects {
            match e {
                // Nested effects and follow-ups need their place in the scenario:
                // `apply_effects_of` handles them before they reach here.
                Effect::Then(_) | Effect::If(..) | Effect::Chance(..) => {}
                Effect::Set(v, value) => {
                    if let Some(&i) = self.ctx.var_index.get(v.as_str()) {
                        self.set_var(i, *value, ev);
                    }
                }
                Effect::Add(v, delta) => {
                    if let Some(&i) = self.ctx.var_index.get(v.as_str())
                        && let Value::Int(old) = self.state.vars[i]
                    {
                        let (lo, hi) = self.ctx.var_bounds[i];
                        let new = old.saturating_add(*delta).clamp(lo, hi);
                        self.set_var(i, Value::Int(new), ev);
                    }
                }
                Effect::Raise(v, floor) => {
                    if let Some(&i) = self.ctx.var_index.get(v.as_str())
                        && let Value::Int(old) = self.state.vars[i]
                        && *floor > old
                    {
                        self.set_var(i, Value::Int(*floor), ev);
                    }
                }
                Effect::Signal(s) => {
                    if let Some(&i) = self.ctx.signal_index.get(s.as_str())
                        && !self.state.signals[i]
                    {
                        self.state.signals[i] = true;
                        self.push(ev, EventKind::SignalRaised { signal: s.clone() });
                    }
                }
                Effect::Clear(s) => {
                    if let Some(&i) = self.ctx.signal_index.get(s.as_str())
                        && self.state.signals[i]
                    {
                        self.state.signals[i] = false;
                        self.push(ev, EventKind::SignalCleared { signal: s.clone() });
                    }
                }
            }
        }
    }

    fn set_var(&mut self, i: usize, value: Value, ev: &mut Vec<Event>) {
        if self.state.vars[i] != value && self.state.vars[i].kind() == value.kind() {
            self.state.vars[i] = value;
            let var = self.ctx.var_ids[i].clone();
            self.push(ev, EventKind::VarChanged { var, value });
        }
    }
}

/// The stream of the seed for the `Chance` effects of inject `i`.
fn site_of_inject(i: usize) -> u64 {
    (1 << 62) | ((i as u64 & 0x3F_FFFF_FFFF) << 16)
}

/// The stream of the seed for the `Chance` effects of choice `c` of decision `d`.
fn site_of_choice(d: usize, c: usize) -> u64 {
    (2 << 62) | ((d as u64 & 0x3F_FFFF) << 24) | ((c as u64 & 0xFF) << 16)
}

/// How many `Chance` effects a list holds, nested ones included.
fn count_chances(effects: &[Effect]) -> u64 {
    let mut n = 0;
    for e in effects {
        e.walk(&mut |e| {
            if matches!(e, Effect::Chance(..)) {
                n += 1;
            }
        });
    }
    n
}

#[cfg(test)]
mod tests;

/// A tiny plan and scenario for unit tests across modules.
#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) use super::tests::{PLAN, SCENARIO, shipped, sim};
    use crate::model::load::{parse_plan, parse_scenario};
    use crate::model::{Plan, Scenario};
    use std::path::Path;

    /// The test plan and scenario, parsed.
    pub(crate) fn plan_and_scenario() -> (Plan, Scenario) {
        let plan = parse_plan(Path::new("p.ron"), PLAN.into()).expect("plan");
        let s = parse_scenario(Path::new("s.ron"), SCENARIO.into()).expect("scenario");
        (plan.value, s.value)
    }
}
