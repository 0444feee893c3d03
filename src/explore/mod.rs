//! Decision-path exploration: what can and cannot happen in a scenario, and the best and worst
//! score a team can reach.
//!
//! A path takes every decision in one of these ways: a choice as soon as the decision is put, a
//! choice at half its deadline, or letting the deadline pass (the default applies). Random
//! chances are fixed by the seed, as in play.
//!
//! Two ways to cover the paths:
//! - **Exact**: paths that reach the same situation are merged (the engine's state and the
//!   scorer's, reduced to what the rest of the exercise can still read: see
//!   [`fingerprint`]), and the merged graph is searched whole. Three things keep it small, each
//!   exact (argued where it is done, and checked against every path played one by one in the
//!   tests, with paths built to collide on each rule): the points a path has settled so far
//!   are kept beside the state rather than in it (`Exact`); when a decision is taken is
//!   settled as late as it can be (`lazy_options`); and a procedure's row is fixed once no
//!   record of its action can come ([`Scorer::merge_key`]). Coverage, the best and worst
//!   score and whether a procedure can be met in time are then facts about every path. This
//!   holds while the merged graph has at most [`Options::max_states`] states. Measured on the
//!   shipped scenarios, it has more than a million each: no single part of the state makes it
//!   explode, but many each multiply it by 1.2 to 1.5 (hidden variables, the procedures still
//!   open and when they were triggered, decisions still open, follow-ups' times).
//! - **Sampled**: otherwise, [`Options::max_paths`] seeded random paths are played, on every
//!   core; path `i` draws from its own stream of the seed, so the result does not depend on
//!   the number of threads.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::engine::cond::Read;
use crate::engine::{
    Command, Compiled, DecisionStatus, Event, EventKind, InjectStatus, SimTime, Simulation, State,
    Status,
};
use crate::model::{ChoiceId, DecisionId, InjectId, ProcedureId};
use crate::scoring::{self, Scorer, Status as ProcStatus};

/// How the paths were covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    /// Every path, through the merged graph: the bounds are exact.
    Exact,
    /// More merged states than [`Options::max_states`]: this many seeded random paths were
    /// played; the bounds are the best and worst of the sample.
    Sampled,
}

/// When a path takes a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Timing {
    /// As soon as it is put.
    AtOnce,
    /// At half its deadline.
    HalfDeadline,
    /// Not: the deadline passes and the default (if any) applies.
    Expired,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The decision.
    pub decision: DecisionId,
    /// The choice taken, or `None`: the deadline was let pass.
    pub choice: Option<ChoiceId>,
    /// When the decision was taken (or planned to be let expire).
    pub timing: Timing,
    /// Simulated time at which the choice was taken (for an expired decision: when it was put).
    pub at: SimTime,
}

/// A path with its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredPath {
    /// The share of the possible points, 0.0..=1.0: a total below zero counts as 0, as
    /// everywhere (see [`scoring::Tally::share`]); `earned` keeps the raw points.
    pub share: f64,
    /// Points earned (below zero when violations outweigh what was earned).
    pub earned: f64,
    /// Points possible.
    pub possible: f64,
    /// The steps.
    pub steps: Vec<Step>,
}

/// Whether any path meets a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureReach {
    /// The procedure.
    pub id: ProcedureId,
    /// Triggered on some path (with its role in play).
    pub triggered: bool,
    /// Done by its role in time on some path.
    pub in_time: bool,
    /// Done by its role, in time or late, on some path.
    pub satisfied: bool,
}

/// What exploration found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Exact or sampled.
    pub mode: Mode,
    /// Paths played (sampled), or whole paths scored at a distinct end state (exact).
    pub paths: u64,
    /// Exact: the number of distinct paths the merged graph stands for (a float: it can exceed
    /// any integer type). Sampled: the paths played.
    pub all_paths: f64,
    /// Merged states the exact search visited (when it gave up: how many it had when it did).
    pub states: u64,
    /// Decisions applied (including letting a deadline pass).
    pub decisions_applied: u64,
    /// Injects in the scenario.
    pub injects: usize,
    /// Injects released on some path.
    pub reached: usize,
    /// Injects released on no explored path.
    pub unreachable: Vec<InjectId>,
    /// Decisions never put to their role on any explored path.
    pub never_put: Vec<DecisionId>,
    /// Decisions put on some path with a deadline after the end of the scenario.
    pub deadline_after_end: Vec<DecisionId>,
    /// Procedures triggered on some path but done by their role on none.
    pub never_satisfied: Vec<ProcedureId>,
    /// Procedures triggered on some path but done by their role in time on none.
    pub never_in_time: Vec<ProcedureId>,
    /// Per procedure of the plan whose role is in play: whether some path triggers and meets it.
    pub procedures: Vec<ProcedureReach>,
    /// The best path.
    pub best: Option<ScoredPath>,
    /// The worst path.
    pub worst: Option<ScoredPath>,
    /// Stopped early on request: the figures cover what was done until then.
    pub cancelled: bool,
}

/// How to explore.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Seed of the random chances and of the sampling.
    pub seed: u64,
    /// Paths to sample when the exact search does not fit.
    pub max_paths: u64,
    /// Most merged states the exact search may keep (0: sample at once).
    pub max_states: u64,
    /// Threads for sampling (at least 1); the result does not depend on it.
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 1,
            max_paths: 20_000,
            max_states: 50_000,
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        }
    }
}

/// Progress of a running exploration, shared with whoever shows it; `cancel` asks it to stop.
#[derive(Debug, Default)]
pub struct Progress {
    /// States (exact search) or paths (sampling) done.
    pub done: AtomicU64,
    /// The limit `done` runs up to.
    pub total: AtomicU64,
    /// Sampling has begun (the exact search did not fit).
    pub sampling: AtomicBool,
    /// Set to stop as soon as possible.
    pub cancel: AtomicBool,
}

impl Progress {
    fn set(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Explores with the default options but `seed` and `max_paths` (the exact search first, then
/// sampling); `progress` is called now and then with work done and its limit.
pub fn explore(
    ctx: &Arc<Compiled>,
    seed: u64,
    max_paths: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    let opts = Options {
        seed,
        max_paths,
        ..Options::default()
    };
    explore_with(ctx, &opts, &Progress::default(), progress)
}

/// Explores with `opts`; `shared` shows progress to other threads and carries the cancel
/// request; `progress` is called on this thread now and then.
pub fn explore_with(
    ctx: &Arc<Compiled>,
    opts: &Options,
    shared: &Progress,
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    let root = root(ctx, opts.seed);
    if opts.max_states > 0 {
        let mut ex = Exact {
            ctx,
            memo: HashMap::with_hasher(foldhash::fast::FixedState::with_seed(0)),
            cap: opts.max_states,
            cov: root.cov.clone(),
            shared,
            applied: 0,
            terminals: 0,
            then: follow_ups(ctx),
        };
        let mut last = 0;
        let f = facts(&root.walker, &ex.then);
        let outcome = ex.visit(root.walker.clone(), root.first, f, &mut |n, cap| {
            if n >= last + 1024 {
                last = n;
                progress(n, cap);
            }
        });
        let states = ex.memo.len() as u64;
        match outcome {
            Ok(_) => {
                progress(states, states);
                let best = ex.path(&root, true);
                let worst = ex.path(&root, false);
                let paths = ex.bounds(&root).map_or(0.0, |b| b.2);
                let (cov, applied, terminals) = (ex.cov, ex.applied, ex.terminals);
                return cov.report(
                    ctx,
                    Mode::Exact,
                    terminals,
                    paths,
                    states,
                    applied,
                    best,
                    worst,
                    false,
                );
            }
            Err(Stop::Cancelled) => {
                let (cov, applied, terminals) = (ex.cov, ex.applied, ex.terminals);
                return cov.report(
                    ctx,
                    Mode::Exact,
                    terminals,
                    terminals as f64,
                    states,
                    applied,
                    None,
                    None,
                    true,
                );
            }
            Err(Stop::TooLarge) => {
                shared.sampling.store(true, Ordering::Relaxed);
                return sample(ctx, &root, opts, shared, states, progress);
            }
        }
    }
    shared.sampling.store(true, Ordering::Relaxed);
    sample(ctx, &root, opts, shared, 0, progress)
}

// ---------------------------------------------------------------------------------------------
// Walking a path
// ---------------------------------------------------------------------------------------------

/// What a path has planned for a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Plan {
    /// Nothing yet.
    Free,
    /// Take this choice at this time.
    At(SimTime, usize),
    /// Let it expire.
    Expire,
    /// Exact search: not at once; at half the deadline, take a choice or let it expire (see
    /// [`lazy_options`]).
    Defer,
}

/// A path in progress: the exercise, its score so far, and what it plans for open decisions.
#[derive(Clone)]
struct Walker<'a> {
    sim: Simulation,
    scorer: Scorer<'a>,
    plan: Vec<Plan>,
    /// Reused for the events of each step (empty between steps).
    buf: Vec<Event>,
}

/// The start of every path: the exercise started, run to its first decision.
struct Root<'a> {
    walker: Walker<'a>,
    first: Option<usize>,
    /// What covering the root's events gives.
    cov: Coverage,
}

fn root(ctx: &Arc<Compiled>, seed: u64) -> Root<'_> {
    let mut sim = Simulation::with_compiled(Arc::clone(ctx), seed);
    let ev = sim.apply(Command::Start).unwrap_or_default();
    let mut walker = Walker {
        sim,
        scorer: Scorer::new(ctx, &[], 0),
        plan: vec![Plan::Free; ctx.decisions.len()],
        buf: Vec::new(),
    };
    let mut cov = Coverage::new(ctx);
    let end = walker.sim.end_time();
    let mut sink = |e: &Event| cov.event(ctx, end, e);
    walker.take(&ev, &mut sink);
    let first = walker.run(&mut sink);
    Root { walker, first, cov }
}

/// The ways to take decision `d` from the state of `w`: each choice at once, each choice at half
/// the deadline (when that is later than now), letting it expire.
fn options(ctx: &Compiled, w: &Walker, d: usize) -> Vec<(Plan, Timing)> {
    let now = w.sim.state().now;
    let n = ctx.decisions[d].choices.len();
    let mut out = Vec::with_capacity(2 * n + 1);
    out.extend((0..n).map(|c| (Plan::At(now, c), Timing::AtOnce)));
    if let DecisionStatus::Open { opened, due } = w.sim.state().decisions[d] {
        let half = half_time(opened, due);
        if half > now {
            out.extend((0..n).map(|c| (Plan::At(half, c), Timing::HalfDeadline)));
        }
    }
    out.push((Plan::Expire, Timing::Expired));
    out
}

/// Half the deadline of a decision put at `opened` and due at `due`.
fn half_time(opened: SimTime, due: SimTime) -> SimTime {
    opened + (due.saturating_sub(opened)) / 2
}

/// What an option of [`lazy_options`] stands for among those of [`options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    /// Option `k` of [`options`] (taken when the decision is put).
    Old(usize),
    /// Options `n..=2n` (a choice at half the deadline, or letting it expire): decided then.
    Defer,
}

/// The exact search's options for decision `d`: the same paths as [`options`], with the
/// timing decided as late as it can be. When the decision is put: each choice at once, or
/// `Defer` (when half the deadline is later than now; else let it expire). At half the
/// deadline, a deferred decision: each choice now, or let it expire. Until then the path has
/// planned nothing for it, so paths that will take it at half the deadline with different
/// choices or let it expire are one state until that moment (an exact merge: they have
/// played the same commands so far). A choice at half the deadline is taken at the same
/// moment, in the same order among decisions due then, as [`Walker::run`] takes a planned one
/// (see there); a decision still deferred at the end stands for its `n + 1` paths
/// ([`deferred_at_end`]).
fn lazy_options(ctx: &Compiled, w: &Walker, d: usize) -> Vec<(Plan, Move)> {
    let now = w.sim.state().now;
    let n = ctx.decisions[d].choices.len();
    let mut out = Vec::with_capacity(n + 1);
    if w.plan[d] == Plan::Defer {
        out.extend((0..n).map(|c| (Plan::At(now, c), Move::Old(n + c))));
        out.push((Plan::Expire, Move::Old(2 * n)));
        return out;
    }
    out.extend((0..n).map(|c| (Plan::At(now, c), Move::Old(c))));
    let later = match w.sim.state().decisions[d] {
        DecisionStatus::Open { opened, due } => half_time(opened, due) > now,
        _ => false,
    };
    if later {
        out.push((Plan::Defer, Move::Defer));
    } else {
        out.push((Plan::Expire, Move::Old(n)));
    }
    out
}

/// How many paths of [`options`] a finished path of [`lazy_options`] stands for: each
/// decision still deferred when the exercise ended (half its deadline after the end) would
/// have planned any of its choices at half the deadline or to let it expire, and nothing of
/// that happened.
fn deferred_at_end(ctx: &Compiled, w: &Walker) -> f64 {
    w.plan
        .iter()
        .enumerate()
        .filter(|(_, p)| **p == Plan::Defer)
        .map(|(d, _)| (ctx.decisions[d].choices.len() + 1) as f64)
        .product()
}

impl Walker<'_> {
    fn take(&mut self, events: &[Event], sink: &mut impl FnMut(&Event)) {
        for e in events {
            sink(e);
            self.scorer.push(0, e);
        }
    }

    /// Plans decision `d` and runs to the next decision the path has not planned; returns it,
    /// or `None` at the end.
    fn choose(&mut self, d: usize, plan: Plan, sink: &mut impl FnMut(&Event)) -> Option<usize> {
        self.plan[d] = plan;
        self.run(sink)
    }

    /// Runs to the next open decision with nothing planned (returned), taking planned
    /// decisions when their time comes; `None` at the end.
    fn run(&mut self, sink: &mut impl FnMut(&Event)) -> Option<usize> {
        let mut buf = std::mem::take(&mut self.buf);
        let next = self.run_with(&mut buf, sink);
        buf.clear();
        self.buf = buf;
        next
    }

    /// [`Walker::run`] with `buf` for the events of each step.
    fn run_with(&mut self, buf: &mut Vec<Event>, sink: &mut impl FnMut(&Event)) -> Option<usize> {
        let ctx = Arc::clone(self.sim.ctx());
        loop {
            let now = self.sim.state().now;
            let mut next_planned = None::<SimTime>;
            // The first open decision with nothing planned, as long as nothing was decided in
            // this pass (deciding may put new ones: then look again).
            let mut first_free = None;
            let mut decided = false;
            let mut deferred = None::<usize>;
            for d in 0..self.plan.len() {
                if !matches!(self.sim.state().decisions[d], DecisionStatus::Open { .. }) {
                    continue;
                }
                match self.plan[d] {
                    Plan::At(t, c) if t <= now => {
                        decided = true;
                        let info = &ctx.decisions[d];
                        // The decision's own role, then (a joint decision) every other role of
                        // it agrees to the same choice.
                        let with = &ctx.scenario.injects[info.inject].decisions[info.local].with;
                        for role in std::iter::once(&info.role).chain(with) {
                            buf.clear();
                            if self.sim.decide(d, c, role, buf).is_ok() {
                                self.take(buf, sink);
                            }
                        }
                    }
                    Plan::At(t, _) => {
                        next_planned = Some(next_planned.map_or(t, |x| x.min(t)));
                    }
                    Plan::Free => {
                        first_free = first_free.or(Some(d));
                    }
                    Plan::Defer => {
                        if let DecisionStatus::Open { opened, due } = self.sim.state().decisions[d]
                        {
                            let half = half_time(opened, due);
                            if half <= now {
                                deferred.get_or_insert(d);
                            } else {
                                next_planned = Some(next_planned.map_or(half, |x| x.min(half)));
                            }
                        }
                    }
                    Plan::Expire => {}
                }
            }
            // A deferred decision at half its deadline comes first, as a choice planned for
            // then would be taken before the decisions put meanwhile are planned.
            if deferred.is_some() {
                return deferred;
            }
            let state = self.sim.state();
            if decided {
                first_free = (0..self.plan.len()).find(|&d| {
                    self.plan[d] == Plan::Free
                        && matches!(state.decisions[d], DecisionStatus::Open { .. })
                });
            }
            if first_free.is_some() {
                return first_free;
            }
            if state.status == Status::Ended {
                return None;
            }
            let end = self.sim.end_time();
            let mut next = self.sim.next_due().unwrap_or(end).min(end);
            if let Some(t) = next_planned {
                next = next.min(t);
            }
            buf.clear();
            match self.sim.advance_to(next.max(now + 1), buf) {
                Ok(()) => self.take(buf, sink),
                Err(_) => return None,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What was covered
// ---------------------------------------------------------------------------------------------

/// Flags gathered over paths; merging is a logical or, so the order paths come in does not
/// matter.
#[derive(Clone)]
struct Coverage {
    released: Vec<bool>,
    put: Vec<bool>,
    late: Vec<bool>,
    triggered: Vec<bool>,
    satisfied: Vec<bool>,
    in_time: Vec<bool>,
}

impl Coverage {
    fn new(ctx: &Compiled) -> Self {
        let (i, d, p) = (
            ctx.scenario.injects.len(),
            ctx.decisions.len(),
            ctx.plan.procedures.len(),
        );
        Self {
            released: vec![false; i],
            put: vec![false; d],
            late: vec![false; d],
            triggered: vec![false; p],
            satisfied: vec![false; p],
            in_time: vec![false; p],
        }
    }

    fn event(&mut self, ctx: &Compiled, end: SimTime, e: &Event) {
        match &e.kind {
            EventKind::InjectReleased { inject, .. } => {
                if let Some(&i) = ctx.inject_index.get(inject.as_str()) {
                    self.released[i] = true;
                }
            }
            EventKind::DecisionOpened { decision, due, .. } => {
                if let Some(&d) = ctx.decision_index.get(decision.as_str()) {
                    self.put[d] = true;
                    if *due > end {
                        self.late[d] = true;
                    }
                }
            }
            _ => {}
        }
    }

    /// Procedures a path has triggered or settled so far (exact search: merged states keep
    /// only the sums of settled points, so each edge tells what it settled).
    fn scorer(&mut self, scorer: &Scorer) {
        for i in 0..self.triggered.len() {
            if self.in_time[i] {
                continue;
            }
            if let Some(st) = scorer.standing(i) {
                self.triggered[i] = true;
                match st {
                    Some(ProcStatus::InTime) => {
                        self.in_time[i] = true;
                        self.satisfied[i] = true;
                    }
                    Some(ProcStatus::Late | ProcStatus::Partly) => self.satisfied[i] = true,
                    _ => {}
                }
            }
        }
    }

    /// What a path's final state shows was released and put: the same as its events would
    /// (a decision is put when its inject is released, with its deadline `due_min` later),
    /// without looking up each event's ids.
    fn state(&mut self, ctx: &Compiled, end: SimTime, s: &State) {
        for (i, st) in s.injects.iter().enumerate() {
            if let InjectStatus::Released(t) = st.status {
                self.released[i] = true;
                for &d in &ctx.injects[i].decisions {
                    self.put[d] = true;
                    if t + u64::from(ctx.decisions[d].due_min) * 60 > end {
                        self.late[d] = true;
                    }
                }
            }
        }
    }

    fn card(&mut self, card: &scoring::Scorecard) {
        for p in &card.procedures {
            let i = p.index;
            if p.triggered_at.is_some() {
                self.triggered[i] = true;
            }
            if matches!(
                p.status,
                ProcStatus::InTime | ProcStatus::Late | ProcStatus::Partly
            ) {
                self.satisfied[i] = true;
            }
            if p.status == ProcStatus::InTime {
                self.in_time[i] = true;
            }
        }
    }

    /// [`Coverage::card`] from [`Scorer::finish_summary`]'s rows.
    fn rows(&mut self, rows: &[(usize, bool, ProcStatus)]) {
        for &(i, triggered, status) in rows {
            if triggered {
                self.triggered[i] = true;
            }
            if matches!(
                status,
                ProcStatus::InTime | ProcStatus::Late | ProcStatus::Partly
            ) {
                self.satisfied[i] = true;
            }
            if status == ProcStatus::InTime {
                self.in_time[i] = true;
            }
        }
    }

    fn merge(&mut self, o: &Coverage) {
        for (a, b) in [
            (&mut self.released, &o.released),
            (&mut self.put, &o.put),
            (&mut self.late, &o.late),
            (&mut self.triggered, &o.triggered),
            (&mut self.satisfied, &o.satisfied),
            (&mut self.in_time, &o.in_time),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x |= *y;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        self,
        ctx: &Compiled,
        mode: Mode,
        paths: u64,
        all_paths: f64,
        states: u64,
        applied: u64,
        best: Option<ScoredPath>,
        worst: Option<ScoredPath>,
        cancelled: bool,
    ) -> Report {
        let in_play = |role: &crate::model::RoleId| ctx.scenario.roles.contains(role);
        let procs = || {
            ctx.plan
                .procedures
                .iter()
                .enumerate()
                .filter(|(_, p)| in_play(&p.role))
        };
        Report {
            mode,
            paths,
            all_paths,
            states,
            decisions_applied: applied,
            injects: ctx.scenario.injects.len(),
            reached: self.released.iter().filter(|r| **r).count(),
            unreachable: ctx
                .scenario
                .injects
                .iter()
                .zip(&self.released)
                .filter(|(_, r)| !**r)
                .map(|(i, _)| i.id.clone())
                .collect(),
            never_put: ctx
                .decisions
                .iter()
                .zip(&self.put)
                .filter(|(_, p)| !**p)
                .map(|(d, _)| d.id.clone())
                .collect(),
            deadline_after_end: ctx
                .decisions
                .iter()
                .zip(&self.late)
                .filter(|(_, l)| **l)
                .map(|(d, _)| d.id.clone())
                .collect(),
            never_satisfied: procs()
                .filter(|(i, _)| self.triggered[*i] && !self.satisfied[*i])
                .map(|(_, p)| p.id.clone())
                .collect(),
            never_in_time: procs()
                .filter(|(i, _)| self.triggered[*i] && !self.in_time[*i])
                .map(|(_, p)| p.id.clone())
                .collect(),
            procedures: procs()
                .map(|(i, p)| ProcedureReach {
                    id: p.id.clone(),
                    triggered: self.triggered[i],
                    in_time: self.in_time[i],
                    satisfied: self.satisfied[i],
                })
                .collect(),
            best,
            worst,
            cancelled,
        }
    }
}

/// Earned over possible points, unclamped: paths are ranked by it, so that of two paths below
/// zero the worse one is worst; what is shown is the clamped share with the raw points beside it.
fn raw(t: &scoring::Tally) -> f64 {
    if t.possible > 0.0 {
        t.earned / t.possible
    } else {
        0.0
    }
}

/// Plays the decisions `moves` (option indices) from the root and scores the path.
fn replay(ctx: &Compiled, root: &Root, moves: &[usize]) -> ScoredPath {
    let mut w = root.walker.clone();
    let mut at = root.first;
    let mut steps = Vec::with_capacity(moves.len());
    for &k in moves {
        let Some(d) = at else { break };
        let opts = options(ctx, &w, d);
        let Some(&(plan, timing)) = opts.get(k) else {
            break;
        };
        let info = &ctx.decisions[d];
        steps.push(Step {
            decision: info.id.clone(),
            choice: match plan {
                Plan::At(_, c) => Some(info.choices[c].clone()),
                Plan::Free | Plan::Expire | Plan::Defer => None,
            },
            timing,
            at: match plan {
                Plan::At(t, _) => t,
                Plan::Free | Plan::Expire | Plan::Defer => w.sim.state().now,
            },
        });
        at = w.choose(d, plan, &mut |_| {});
    }
    let card = w.scorer.finish();
    ScoredPath {
        share: card.total.share().unwrap_or(0.0),
        earned: card.total.earned,
        possible: card.total.possible,
        steps,
    }
}

// ---------------------------------------------------------------------------------------------
// Exact search over merged states
// ---------------------------------------------------------------------------------------------

/// One way a path can go on from a state, by the points it will still make possible: the most
/// and the least it will still earn with that many possible, and the option that leads there.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    /// Points the rest of the path makes possible.
    possible: u64,
    best: f64,
    worst: f64,
    best_k: u16,
    worst_k: u16,
}

/// What the merged graph holds for one state: per number of points the rest of a path can make
/// possible, the most and least it can earn (see [`Exact`]), and how many paths it stands for.
#[derive(Debug, Clone)]
struct Entry {
    /// By `possible`, ascending.
    outcomes: Box<[Outcome]>,
    paths: f64,
}

enum Stop {
    TooLarge,
    Cancelled,
}

/// The exact search. The score of a path is earned / possible points. Both are sums over the
/// path: what [`Scorer::accrued`] has settled so far plus what the rest of the path adds, and
/// the rest depends only on the state's fingerprint. So the fingerprint leaves the sums so far
/// out, and a state keeps, for each number of points the rest of a path can still make
/// possible, the most and least the rest can earn: the best score from the root is then
/// `max over p of (earned_so_far + best[p]) / (possible_so_far + p)` (for a given `p` the
/// ratio grows with what is earned), the worst likewise with the least. Points possible are
/// whole weights, so there are few distinct `p` per state.
struct Exact<'a, 'p> {
    ctx: &'a Compiled,
    memo: HashMap<u128, Entry, foldhash::fast::FixedState>,
    cap: u64,
    cov: Coverage,
    shared: &'p Progress,
    applied: u64,
    terminals: u64,
    /// Per decision: the injects its choices can schedule.
    then: Follow,
}

/// Adds what one option leads to (`c`, reached after settling `earned` more and making
/// `possible` more possible) to what a state can reach.
fn absorb(into: &mut Vec<Outcome>, c: &[Outcome], k: u16, earned: f64, possible: u64) {
    for o in c {
        let p = o.possible + possible;
        let (best, worst) = (o.best + earned, o.worst + earned);
        match into.iter_mut().find(|x| x.possible == p) {
            Some(x) => {
                if best > x.best {
                    x.best = best;
                    x.best_k = k;
                }
                if worst < x.worst {
                    x.worst = worst;
                    x.worst_k = k;
                }
            }
            None => into.push(Outcome {
                possible: p,
                best,
                worst,
                best_k: k,
                worst_k: k,
            }),
        }
    }
}

/// The score of a path that ends with `earned` of `possible` points (unclamped, as [`raw`]).
fn ratio(earned: f64, possible: u64) -> f64 {
    if possible > 0 {
        earned / possible as f64
    } else {
        0.0
    }
}

impl<'a> Exact<'a, '_> {
    /// Searches the merged graph from `w` (at decision `at`, or the end); returns its key in
    /// the memo.
    fn visit(
        &mut self,
        w: Walker<'a>,
        at: Option<usize>,
        f: Facts,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u128, Stop> {
        let key = f.key;
        if self.memo.contains_key(&key) {
            return Ok(key);
        }
        if self.memo.len() as u64 >= self.cap {
            return Err(Stop::TooLarge);
        }
        if self.shared.cancelled() {
            return Err(Stop::Cancelled);
        }
        let entry = match at {
            None => {
                // What the rest of the path (here: nothing more) adds to the sums so far: the
                // rows still open at the end.
                let (earned, possible) = (f.earned, f.possible);
                let paths = deferred_at_end(self.ctx, &w);
                let card = w.scorer.finish();
                self.cov.card(&card);
                self.terminals += 1;
                let possible = (card.total.possible.round() as u64).saturating_sub(possible);
                let rest = card.total.earned - earned;
                Entry {
                    outcomes: Box::new([Outcome {
                        possible,
                        best: rest,
                        worst: rest,
                        best_k: 0,
                        worst_k: 0,
                    }]),
                    paths,
                }
            }
            Some(d) => {
                let mut outcomes = Vec::new();
                let mut paths = 0.0;
                let end = w.sim.end_time();
                let (e0, p0) = (f.earned, f.possible);
                for (k, (plan, _)) in lazy_options(self.ctx, &w, d).into_iter().enumerate() {
                    let mut child = w.clone();
                    let ctx = self.ctx;
                    let cov = &mut self.cov;
                    let next = child.choose(d, plan, &mut |ev| cov.event(ctx, end, ev));
                    cov.scorer(&child.scorer);
                    if plan != Plan::Defer {
                        self.applied += 1;
                    }
                    let cf = facts(&child, &self.then);
                    let (e1, p1) = (cf.earned, cf.possible);
                    let ck = self.visit(child, next, cf, progress)?;
                    let Some(c) = self.memo.get(&ck) else {
                        continue;
                    };
                    // Points possible only grow along a path (triggers and occurrences).
                    debug_assert!(p1 >= p0);
                    absorb(
                        &mut outcomes,
                        &c.outcomes,
                        k as u16,
                        e1 - e0,
                        p1.saturating_sub(p0),
                    );
                    paths += c.paths;
                }
                outcomes.sort_unstable_by_key(|o| o.possible);
                Entry {
                    outcomes: outcomes.into_boxed_slice(),
                    paths,
                }
            }
        };
        self.memo.insert(key, entry);
        let n = self.memo.len() as u64;
        self.shared.set(n, self.cap);
        progress(n, self.cap);
        Ok(key)
    }

    /// The best (`best`) or worst path from the root through the memo.
    fn path(&self, root: &Root, best: bool) -> Option<ScoredPath> {
        let mut walker = root.walker.clone();
        let mut at = root.first;
        let first = facts(&walker, &self.then);
        let (earned, possible) = (first.earned, first.possible);
        let start = self.memo.get(&first.key)?;
        let score = |o: &Outcome| {
            ratio(
                earned + if best { o.best } else { o.worst },
                possible + o.possible,
            )
        };
        // The target: how many points the rest of the path makes possible. Ties go to the
        // fewest.
        let mut target = start.outcomes.first()?;
        for o in &start.outcomes {
            if (best && score(o) > score(target)) || (!best && score(o) < score(target)) {
                target = o;
            }
        }
        let mut want = target.possible;
        let w = &mut walker;
        // The path as options of [`options`], in the order the decisions were put: a deferred
        // decision's slot is filled when it is taken at half its deadline or let expire.
        let mut moves: Vec<usize> = Vec::new();
        let mut slot: Vec<Option<usize>> = vec![None; self.ctx.decisions.len()];
        while let Some(d) = at {
            let entry = self.memo.get(&fingerprint(w, &self.then))?;
            let o = entry.outcomes.iter().find(|o| o.possible == want)?;
            let k = usize::from(if best { o.best_k } else { o.worst_k });
            let (plan, mv) = *lazy_options(self.ctx, w, d).get(k)?;
            match (mv, slot[d]) {
                (Move::Defer, _) => {
                    slot[d] = Some(moves.len());
                    moves.push(0);
                }
                (Move::Old(k), Some(i)) => moves[i] = k,
                (Move::Old(k), None) => moves.push(k),
            }
            let before = facts(w, &self.then).possible;
            at = w.choose(d, plan, &mut |_| {});
            let after = facts(w, &self.then).possible;
            want = want.checked_sub(after.checked_sub(before)?)?;
        }
        // Decisions still deferred at the end: whatever they planned never happened; the
        // last option of each (let expire) stands for them.
        for (d, i) in slot.iter().enumerate() {
            if let Some(i) = *i
                && w.plan[d] == Plan::Defer
            {
                moves[i] = 2 * self.ctx.decisions[d].choices.len();
            }
        }
        Some(replay(self.ctx, root, &moves))
    }

    /// The best and worst score from the root, and how many paths there are.
    fn bounds(&self, root: &Root) -> Option<(f64, f64, f64)> {
        let f = facts(&root.walker, &self.then);
        let (e0, p0) = (f.earned, f.possible);
        let e = self.memo.get(&f.key)?;
        let best = e
            .outcomes
            .iter()
            .map(|o| ratio(e0 + o.best, p0 + o.possible));
        let worst = e
            .outcomes
            .iter()
            .map(|o| ratio(e0 + o.worst, p0 + o.possible));
        Some((
            best.fold(f64::NEG_INFINITY, f64::max),
            worst.fold(f64::INFINITY, f64::min),
            e.paths,
        ))
    }
}

/// What a decision's choices and an inject's effects can still do to the rest of a path.
struct Follow {
    /// Per decision: the injects its choices can schedule (`then`, and `Then` effects in any
    /// branch).
    decision_then: Vec<Vec<usize>>,
    /// Per inject: the injects its effects can schedule (`Then` in any branch).
    inject_then: Vec<Vec<usize>>,
    /// Per decision: what the conditions of `If` effects of its choices read.
    decision_reads: Vec<Vec<Read>>,
    /// Per inject: what the conditions of its `If` effects read.
    inject_reads: Vec<Vec<Read>>,
    /// Per decision: the procedures of the plan whose action one of its choices takes.
    decision_procs: Vec<Vec<usize>>,
    /// Procedures in the plan.
    procedures: usize,
}

/// What `If` conditions in `effects` read, and the injects `Then` effects schedule.
fn effect_facts(ctx: &Compiled, effects: &[crate::model::Effect]) -> (Vec<usize>, Vec<Read>) {
    let mut then = Vec::new();
    let mut reads = Vec::new();
    for e in effects {
        e.walk(&mut |e| match e {
            crate::model::Effect::Then(t) => then.extend(ctx.inject_index.get(t.as_str())),
            crate::model::Effect::If(c, _, _) => {
                crate::engine::cond::compile(c, ctx).reads(&mut |r| reads.push(r));
            }
            _ => {}
        });
    }
    (then, reads)
}

fn follow_ups(ctx: &Compiled) -> Follow {
    let mut f = Follow {
        decision_then: Vec::new(),
        inject_then: Vec::new(),
        decision_reads: Vec::new(),
        inject_reads: Vec::new(),
        decision_procs: Vec::new(),
        procedures: ctx.plan.procedures.len(),
    };
    for info in &ctx.decisions {
        let mut then = Vec::new();
        let mut reads = Vec::new();
        for c in &ctx.scenario.injects[info.inject].decisions[info.local].options {
            then.extend(
                c.then
                    .iter()
                    .filter_map(|t| ctx.inject_index.get(t.as_str()).copied()),
            );
            let (t, r) = effect_facts(ctx, &c.effects);
            then.extend(t);
            reads.extend(r);
        }
        then.sort_unstable();
        then.dedup();
        f.decision_then.push(then);
        f.decision_reads.push(reads);
        let options = &ctx.scenario.injects[info.inject].decisions[info.local].options;
        f.decision_procs.push(
            ctx.plan
                .procedures
                .iter()
                .enumerate()
                .filter(|(_, p)| options.iter().any(|c| c.actions.contains(&p.action)))
                .map(|(i, _)| i)
                .collect(),
        );
    }
    for inject in &ctx.scenario.injects {
        let (mut then, reads) = effect_facts(ctx, &inject.effects);
        then.sort_unstable();
        then.dedup();
        f.inject_then.push(then);
        f.inject_reads.push(reads);
    }
    f
}

/// A 128-bit fingerprint of everything the rest of a path can depend on: the engine's state and
/// the scorer's, each reduced to what is still read (see [`hash_state`] and
/// [`Scorer::merge_key`]), and what the path plans for decisions still open. Two paths with the
/// same fingerprint add the same points earned and possible to what they have settled so far
/// ([`Scorer::accrued`]: not in the fingerprint, see [`Exact`]) whatever they do next; with 128 bits the chance that
/// two different states share one among a million is about 10⁻²⁷.
fn fingerprint(w: &Walker, then: &Follow) -> u128 {
    facts(w, then).key
}

/// A state's fingerprint and what its path has settled so far.
#[derive(Debug, Clone, Copy)]
struct Facts {
    key: u128,
    /// [`Scorer::accrued`].
    earned: f64,
    possible: u64,
}

/// The [`fingerprint`] and [`Scorer::accrued`] of a state, reading once what can still happen.
fn facts(w: &Walker, then: &Follow) -> Facts {
    let (s, ctx) = (w.sim.state(), w.sim.ctx());
    let live = live_injects(s, ctx, then);
    let open = open_procedures(s, ctx, then, &live);
    let mut h = Fingerprint::default();
    hash_state(s, ctx, then, &live, &mut h);
    w.scorer.merge_key(&open, &mut h);
    for (d, p) in w.plan.iter().enumerate() {
        if matches!(s.decisions[d], DecisionStatus::Open { .. }) {
            p.hash(&mut h);
        }
    }
    let (earned, possible) = w.scorer.accrued(&open);
    Facts {
        key: h.finish128(),
        earned,
        possible,
    }
}

/// Two 64-bit hashes with independent seeds side by side.
struct Fingerprint {
    a: foldhash::quality::FoldHasher<'static>,
    b: foldhash::quality::FoldHasher<'static>,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self {
            a: foldhash::quality::FixedState::with_seed(0x243F_6A88_85A3_08D3).build_hasher(),
            b: foldhash::quality::FixedState::with_seed(0x5EED_F00D_CAFE_D00D).build_hasher(),
        }
    }
}

impl Fingerprint {
    fn finish128(&self) -> u128 {
        (u128::from(self.a.finish()) << 64) | u128::from(self.b.finish())
    }
}

impl Hasher for Fingerprint {
    fn finish(&self) -> u64 {
        self.a.finish() ^ self.b.finish()
    }
    fn write(&mut self, bytes: &[u8]) {
        self.a.write(bytes);
        self.b.write(bytes);
    }
    fn write_u64(&mut self, i: u64) {
        self.a.write_u64(i);
        self.b.write_u64(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.a.write_usize(i);
        self.b.write_usize(i);
    }
}

/// Per inject, whether it can still be released (see [`hash_state`]).
fn live_injects(s: &State, ctx: &Compiled, then: &Follow) -> Vec<bool> {
    let injects = &s.injects;
    let mut live: Vec<bool> = injects
        .iter()
        .map(|st| match st.status {
            InjectStatus::Pending => st.at.is_some(),
            InjectStatus::Waiting | InjectStatus::Held => true,
            InjectStatus::Released(_) => false,
        })
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        let scheduled = then
            .decision_then
            .iter()
            .enumerate()
            .filter(|(d, _)| still_open(s, ctx, *d, &live))
            .flat_map(|(_, f)| f)
            .chain(
                then.inject_then
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| live[*i])
                    .flat_map(|(_, f)| f),
            )
            .copied()
            .collect::<Vec<_>>();
        for i in scheduled {
            if !live[i] && injects[i].status == InjectStatus::Pending {
                live[i] = true;
                changed = true;
            }
        }
    }
    live
}

/// Whether decision `d` can still be taken: open, or not put yet and its inject `live`.
fn still_open(s: &State, ctx: &Compiled, d: usize, live: &[bool]) -> bool {
    match s.decisions[d] {
        DecisionStatus::Open { .. } => true,
        DecisionStatus::Closed => live[ctx.decisions[d].inject],
        DecisionStatus::Made { .. } | DecisionStatus::Expired { .. } => false,
    }
}

/// Per procedure of the plan: the latest time at which a record of its action can still come,
/// or `None` when none can. Records come only from decisions that can still be taken and have
/// a choice that takes the action (exploration plays no actions from the palette): an open one
/// by its deadline (at once, at half the deadline, or its default when it expires), one not put
/// yet by the scenario's end. A procedure none can come for is fixed as it stands
/// ([`Scorer::merge_key`], [`Scorer::accrued`]).
fn open_procedures(
    s: &State,
    ctx: &Compiled,
    then: &Follow,
    live: &[bool],
) -> Vec<Option<SimTime>> {
    let end = u64::from(ctx.scenario.duration_min) * 60;
    let mut open: Vec<Option<SimTime>> = vec![None; then.procedures];
    for (d, procs) in then.decision_procs.iter().enumerate() {
        if procs.is_empty() || !still_open(s, ctx, d, live) {
            continue;
        }
        let last = match s.decisions[d] {
            DecisionStatus::Open { due, .. } => due.min(end),
            _ => end,
        };
        for &i in procs {
            open[i] = Some(open[i].map_or(last, |x| x.max(last)));
        }
    }
    open
}

/// Hashes the engine state, reduced to what the rest of the exercise can read. The
/// destructuring names every field, so a field added to [`State`] does not compile here until
/// it is hashed or said to be irrelevant.
///
/// - An inject is *live* while it can still be released: due, waiting or held, or a follow-up
///   that a decision still to be taken (or still to be put, by a live inject) or a live
///   inject's `Then` effect can schedule. A live inject: its status and time. Any other:
///   nothing, unless something still read (below) reads whether or when it was released.
/// - A decision: open, its times; not put yet but its inject live, that; otherwise (taken,
///   expired, or never to be put) only the choice it resolved into, and when, as far as
///   something still read reads them.
/// - What is still read: the conditions of live injects, and of `If` effects of live injects
///   and of the choices of decisions still to be taken. Variables, signals and done actions:
///   only those these read. Time conditions read the clock, which is hashed anyway.
/// - The votes of open joint decisions: as they are.
///   (The scorer's own copy, which the plan's triggers read, is in [`Scorer::merge_key`].) An
///   unread variable still changes, but only through effects whose events nothing reads.
/// - The clock, its speed, the ad-hoc count and the generator: as they are.
fn hash_state(s: &State, ctx: &Compiled, then: &Follow, live: &[bool], h: &mut impl Hasher) {
    let State {
        now,
        carry_us,
        status,
        speed,
        vars,
        signals,
        done,
        injects,
        decisions,
        adhoc,
        rng,
        votes,
    } = s;
    // Which injects can still be released (`live`), and which decisions still be taken.
    let open = |d: usize, live: &[bool]| still_open(s, ctx, d, live);
    let mut var_read = vec![false; vars.len()];
    let mut signal_read = vec![false; signals.len()];
    let mut chosen_read = vec![false; decisions.len()];
    let mut released_read = vec![false; injects.len()];
    let mut done_read = vec![false; done.len()];
    let mut released_at_read = vec![false; injects.len()];
    let mut settled_at_read = vec![false; decisions.len()];
    let mut read = |r: Read| match r {
        Read::Var(x) => var_read[x] = true,
        Read::Signal(x) => signal_read[x] = true,
        Read::Chosen(x) => chosen_read[x] = true,
        Read::Released(x) => released_read[x] = true,
        Read::Done(x) => done_read[x] = true,
        // The clock is hashed as it is.
        Read::Clock => {}
        Read::ReleasedAt(x) => released_at_read[x] = true,
        Read::SettledAt(x) => settled_at_read[x] = true,
    };
    for (i, l) in live.iter().enumerate() {
        if *l {
            ctx.injects[i].when.reads(&mut read);
            then.inject_reads[i].iter().copied().for_each(&mut read);
        }
    }
    for (d, reads) in then.decision_reads.iter().enumerate() {
        if open(d, live) {
            reads.iter().copied().for_each(&mut read);
        }
    }
    now.hash(h);
    carry_us.hash(h);
    (*status as u8).hash(h);
    speed.hash(h);
    adhoc.hash(h);
    rng.get_seed().hash(h);
    rng.get_stream().hash(h);
    rng.get_word_pos().hash(h);
    votes.hash(h);
    for (v, r) in vars.iter().zip(&var_read) {
        if *r {
            v.hash(h);
        }
    }
    for (v, r) in signals.iter().zip(&signal_read) {
        if *r {
            v.hash(h);
        }
    }
    for (v, r) in done.iter().zip(&done_read) {
        if *r {
            v.hash(h);
        }
    }
    for (i, st) in injects.iter().enumerate() {
        if live[i] {
            match st.status {
                InjectStatus::Pending => (0u8, st.at).hash(h),
                InjectStatus::Waiting => (1u8, st.at).hash(h),
                InjectStatus::Held => (2u8, st.at).hash(h),
                InjectStatus::Released(_) => 3u8.hash(h),
            }
        } else if released_at_read[i] {
            let at = match st.status {
                InjectStatus::Released(t) => Some(t),
                _ => None,
            };
            (6u8, at).hash(h);
        } else if released_read[i] {
            (4u8, matches!(st.status, InjectStatus::Released(_))).hash(h);
        } else {
            5u8.hash(h);
        }
    }
    for (d, st) in decisions.iter().enumerate() {
        let chosen = match *st {
            DecisionStatus::Open { opened, due } => {
                (0u8, opened, due).hash(h);
                continue;
            }
            DecisionStatus::Closed if live[ctx.decisions[d].inject] => {
                1u8.hash(h);
                continue;
            }
            DecisionStatus::Closed => None,
            DecisionStatus::Made { choice, at } => {
                if settled_at_read[d] {
                    (4u8, at).hash(h);
                }
                Some(choice)
            }
            DecisionStatus::Expired { choice, at } => {
                if settled_at_read[d] {
                    (5u8, at).hash(h);
                }
                choice
            }
        };
        if chosen_read[d] {
            (2u8, chosen).hash(h);
        } else {
            3u8.hash(h);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sampling
// ---------------------------------------------------------------------------------------------

/// What one thread found over its paths.
struct Sampled {
    cov: Coverage,
    /// Raw score, path index, moves.
    best: Option<(f64, u64, Vec<usize>)>,
    worst: Option<(f64, u64, Vec<usize>)>,
    applied: u64,
    paths: u64,
}

/// The seed of sampled path `i`: its own stream of the exploration's seed.
fn path_rng(seed: u64, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xE2B1_0E5E);
    rng.set_stream(i);
    rng
}

fn sample_range(
    ctx: &Compiled,
    root: &Root,
    opts: &Options,
    range: std::ops::Range<u64>,
    shared: &Progress,
    counter: &AtomicU64,
) -> Sampled {
    let mut out = Sampled {
        cov: root.cov.clone(),
        best: None,
        worst: None,
        applied: 0,
        paths: 0,
    };
    let end = root.walker.sim.end_time();
    let mut rows = Vec::new();
    for i in range {
        if shared.cancelled() {
            break;
        }
        let mut rng = path_rng(opts.seed, i);
        let mut w = root.walker.clone();
        let mut at = root.first;
        let mut moves = Vec::new();
        let mut sink = |_: &Event| {};
        while let Some(d) = at {
            let opts = options(ctx, &w, d);
            let k = rng.random_range(0..opts.len());
            moves.push(k);
            out.applied += 1;
            at = w.choose(d, opts[k].0, &mut sink);
        }
        out.cov.state(ctx, end, w.sim.state());
        let total = w.scorer.finish_summary(&mut rows);
        out.cov.rows(&rows);
        let r = raw(&total);
        // Ties go to the lowest path index, whatever thread played it.
        if out.best.as_ref().is_none_or(|b| r > b.0) {
            out.best = Some((r, i, moves.clone()));
        }
        if out.worst.as_ref().is_none_or(|b| r < b.0) {
            out.worst = Some((r, i, moves));
        }
        out.paths += 1;
        counter.fetch_add(1, Ordering::Relaxed);
    }
    out
}

fn sample(
    ctx: &Compiled,
    root: &Root,
    opts: &Options,
    shared: &Progress,
    states: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    let n = opts.max_paths.max(1);
    let threads = (opts.threads.max(1) as u64).min(n);
    let counter = AtomicU64::new(0);
    let parts: Vec<Sampled> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = n * t / threads..n * (t + 1) / threads;
                let counter = &counter;
                s.spawn(move || sample_range(ctx, root, opts, range, shared, counter))
            })
            .collect();
        while handles.iter().any(|h| !h.is_finished()) {
            let done = counter.load(Ordering::Relaxed);
            shared.set(done, n);
            progress(done, n);
            std::thread::park_timeout(std::time::Duration::from_millis(20));
        }
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut cov = Coverage::new(ctx);
    let (mut best, mut worst) = (
        None::<(f64, u64, Vec<usize>)>,
        None::<(f64, u64, Vec<usize>)>,
    );
    let (mut applied, mut paths) = (0, 0);
    // Parts come in path order: a later part wins only by a strictly better score, as a later
    // path does within a part.
    for p in parts {
        cov.merge(&p.cov);
        if let Some(b) = p.best
            && best.as_ref().is_none_or(|x| b.0 > x.0)
        {
            best = Some(b);
        }
        if let Some(w) = p.worst
            && worst.as_ref().is_none_or(|x| w.0 < x.0)
        {
            worst = Some(w);
        }
        applied += p.applied;
        paths += p.paths;
    }
    shared.set(paths, n);
    progress(paths, n);
    let best = best.map(|b| replay(ctx, root, &b.2));
    let worst = worst.map(|w| replay(ctx, root, &w.2));
    cov.report(
        ctx,
        Mode::Sampled,
        paths,
        paths as f64,
        states,
        applied,
        best,
        worst,
        shared.cancelled(),
    )
}

#[cfg(test)]
mod tests;
