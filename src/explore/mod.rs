//! Decision-path exploration: play every path through a scenario's decisions (or a seeded
//! sample when there are too many) and report what can and cannot happen.
//!
//! At each decision a path either takes one of the choices as soon as the decision is put, or
//! lets the deadline pass (the default applies). Random chances are fixed by the seed, as in
//! play.

use std::collections::BTreeSet;
use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::engine::{Command, Compiled, DecisionStatus, Event, EventKind, Simulation, Status};
use crate::model::{ChoiceId, DecisionId, InjectId, ProcedureId};
use crate::scoring::{self, Status as ProcStatus};

/// How the tree was covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    /// Every path was played.
    Exhaustive,
    /// The tree has more paths than the limit: this many seeded random paths were played.
    Sampled,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The decision.
    pub decision: DecisionId,
    /// The choice taken at once, or `None`: the deadline was let pass.
    pub choice: Option<ChoiceId>,
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

impl ScoredPath {
    /// Earned over possible points, unclamped (for ranking paths only).
    fn raw(&self) -> f64 {
        if self.possible > 0.0 {
            self.earned / self.possible
        } else {
            0.0
        }
    }
}

/// What exploration found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Exhaustive or sampled.
    pub mode: Mode,
    /// Paths played.
    pub paths: u64,
    /// Decisions applied (commands, including letting a deadline pass).
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
    /// The best path.
    pub best: Option<ScoredPath>,
    /// The worst path.
    pub worst: Option<ScoredPath>,
}

/// Events of a path, shared between branches: each node holds the events since its parent.
struct Node {
    events: Vec<Event>,
    parent: Option<Arc<Node>>,
}

fn collect(node: &Arc<Node>) -> Vec<Event> {
    let mut chain = Vec::new();
    let mut cur = Some(node);
    while let Some(n) = cur {
        chain.push(n);
        cur = n.parent.as_ref();
    }
    chain
        .iter()
        .rev()
        .flat_map(|n| n.events.iter().cloned())
        .collect()
}

struct Branch {
    sim: Simulation,
    /// Decisions this path lets expire.
    expiring: Vec<bool>,
    steps: Vec<Step>,
    events: Arc<Node>,
}

struct Stats {
    released: Vec<bool>,
    put: Vec<bool>,
    late: Vec<bool>,
    triggered: Vec<bool>,
    satisfied: Vec<bool>,
    best: Option<ScoredPath>,
    worst: Option<ScoredPath>,
    paths: u64,
    applied: u64,
}

/// Runs a branch to its next open decision that it has not decided to let expire; returns that
/// decision's index, or `None` at the end.
fn run_to_decision(b: &mut Branch, fresh: &mut Vec<Event>) -> Option<usize> {
    loop {
        let open = b
            .sim
            .state()
            .decisions
            .iter()
            .enumerate()
            .find_map(|(d, s)| {
                (matches!(s, DecisionStatus::Open { .. }) && !b.expiring[d]).then_some(d)
            });
        if open.is_some() {
            return open;
        }
        if b.sim.state().status == Status::Ended {
            return None;
        }
        let end = b.sim.end_time();
        let next = b
            .sim
            .next_due()
            .unwrap_or(end)
            .min(end)
            .max(b.sim.state().now + 1);
        match b.sim.apply(Command::AdvanceTo { t: next }) {
            Ok(ev) => fresh.extend(ev),
            Err(_) => return None,
        }
    }
}

impl Stats {
    fn finish(&mut self, ctx: &Compiled, b: &Branch, fresh: Vec<Event>) {
        let node = Arc::new(Node {
            events: fresh,
            parent: Some(Arc::clone(&b.events)),
        });
        let events = collect(&node);
        for e in &events {
            match &e.kind {
                EventKind::InjectReleased { inject, .. } => {
                    if let Some(&i) = ctx.inject_index.get(inject.as_str()) {
                        self.released[i] = true;
                    }
                }
                EventKind::DecisionOpened { decision, due, .. } => {
                    if let Some(&d) = ctx.decision_index.get(decision.as_str()) {
                        self.put[d] = true;
                        if *due > b.sim.end_time() {
                            self.late[d] = true;
                        }
                    }
                }
                _ => {}
            }
        }
        let card =
            scoring::score_events(ctx, &[], events.iter().map(|e| (0, e)), b.sim.state().now);
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
        }
        let path = ScoredPath {
            share: card.total.share().unwrap_or(0.0),
            earned: card.total.earned,
            possible: card.total.possible,
            steps: b.steps.clone(),
        };
        // Rank by the unclamped ratio, so that of two paths below zero the worse one is worst;
        // what is shown is the clamped share with the raw points beside it.
        if self.best.as_ref().is_none_or(|x| path.raw() > x.raw()) {
            self.best = Some(path.clone());
        }
        if self.worst.as_ref().is_none_or(|x| path.raw() < x.raw()) {
            self.worst = Some(path);
        }
        self.paths += 1;
    }
}

/// The branches of a decision: each choice at once, then letting the deadline pass.
fn branches(
    ctx: &Compiled,
    b: &Branch,
    d: usize,
    fresh: Vec<Event>,
    applied: &mut u64,
) -> Vec<Branch> {
    let info = &ctx.decisions[d];
    let node = Arc::new(Node {
        events: fresh,
        parent: Some(Arc::clone(&b.events)),
    });
    let mut out = Vec::with_capacity(info.choices.len() + 1);
    for c in &info.choices {
        let mut sim = b.sim.clone();
        let cmd = Command::Decide {
            role: info.role.clone(),
            decision: info.id.clone(),
            choice: c.clone(),
            rationale: String::new(),
        };
        let Ok(mut ev) = sim.apply(cmd) else {
            continue;
        };
        // A joint decision: every other role of it agrees to the same choice.
        for r in b.sim.joint_roles(info.id.as_str()) {
            if let Ok(more) = sim.apply(Command::Decide {
                role: r.clone(),
                decision: info.id.clone(),
                choice: c.clone(),
                rationale: String::new(),
            }) {
                ev.extend(more);
            }
        }
        *applied += 1;
        let mut steps = b.steps.clone();
        steps.push(Step {
            decision: info.id.clone(),
            choice: Some(c.clone()),
        });
        out.push(Branch {
            sim,
            expiring: b.expiring.clone(),
            steps,
            events: Arc::new(Node {
                events: ev,
                parent: Some(Arc::clone(&node)),
            }),
        });
    }
    let mut expiring = b.expiring.clone();
    expiring[d] = true;
    *applied += 1;
    let mut steps = b.steps.clone();
    steps.push(Step {
        decision: info.id.clone(),
        choice: None,
    });
    out.push(Branch {
        sim: b.sim.clone(),
        expiring,
        steps,
        events: node,
    });
    out
}

/// Explores the scenario with random chances drawn from `seed`: exhaustively when it has at
/// most `max_paths` paths, else `max_paths` seeded random paths. `progress` is called now and
/// then with the paths done and the limit.
pub fn explore(
    ctx: &Arc<Compiled>,
    seed: u64,
    max_paths: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    let n_inj = ctx.scenario.injects.len();
    let n_dec = ctx.decisions.len();
    let n_proc = ctx.plan.procedures.len();
    let new_stats = || Stats {
        released: vec![false; n_inj],
        put: vec![false; n_dec],
        late: vec![false; n_dec],
        triggered: vec![false; n_proc],
        satisfied: vec![false; n_proc],
        best: None,
        worst: None,
        paths: 0,
        applied: 0,
    };
    let root = || {
        let mut sim = Simulation::with_compiled(Arc::clone(ctx), seed);
        let ev = sim.apply(Command::Start).unwrap_or_default();
        Branch {
            sim,
            expiring: vec![false; n_dec],
            steps: Vec::new(),
            events: Arc::new(Node {
                events: ev,
                parent: None,
            }),
        }
    };
    let max_paths = max_paths.max(1);
    // Exhaustive depth-first search, abandoned once the tree proves too large.
    let mut stats = new_stats();
    let mut stack = vec![root()];
    let mut exhaustive = true;
    while let Some(mut b) = stack.pop() {
        let mut fresh = Vec::new();
        match run_to_decision(&mut b, &mut fresh) {
            None => {
                stats.finish(ctx, &b, fresh);
                if stats.paths % 256 == 0 {
                    progress(stats.paths, max_paths);
                }
            }
            Some(d) => {
                let mut kids = branches(ctx, &b, d, fresh, &mut stats.applied);
                kids.reverse();
                stack.extend(kids);
            }
        }
        if stats.paths + stack.len() as u64 > max_paths {
            exhaustive = false;
            break;
        }
    }
    if !exhaustive {
        let applied = stats.applied;
        stats = new_stats();
        stats.applied = applied;
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xE2B1_0E5E);
        for i in 0..max_paths {
            let mut b = root();
            loop {
                let mut fresh = Vec::new();
                match run_to_decision(&mut b, &mut fresh) {
                    None => {
                        stats.finish(ctx, &b, fresh);
                        break;
                    }
                    Some(d) => {
                        let mut kids = branches(ctx, &b, d, fresh, &mut stats.applied);
                        let k = rng.random_range(0..kids.len());
                        b = kids.swap_remove(k);
                    }
                }
            }
            if i % 256 == 0 {
                progress(i, max_paths);
            }
        }
    }
    progress(stats.paths, max_paths);
    let pick = |flags: &[bool], ids: &mut dyn Iterator<Item = String>| -> Vec<String> {
        ids.zip(flags)
            .filter(|(_, f)| !**f)
            .map(|(id, _)| id)
            .collect()
    };
    let unreachable = pick(
        &stats.released,
        &mut ctx.scenario.injects.iter().map(|i| i.id.to_string()),
    );
    let never_put = pick(
        &stats.put,
        &mut ctx.decisions.iter().map(|d| d.id.to_string()),
    );
    let late: BTreeSet<usize> = (0..n_dec).filter(|&d| stats.late[d]).collect();
    let present: BTreeSet<&str> = ctx
        .scenario
        .roles
        .iter()
        .map(crate::model::RoleId::as_str)
        .collect();
    Report {
        mode: if exhaustive {
            Mode::Exhaustive
        } else {
            Mode::Sampled
        },
        paths: stats.paths,
        decisions_applied: stats.applied,
        injects: n_inj,
        reached: stats.released.iter().filter(|r| **r).count(),
        unreachable: unreachable.into_iter().map(|s| s.as_str().into()).collect(),
        never_put: never_put.into_iter().map(|s| s.as_str().into()).collect(),
        deadline_after_end: late
            .into_iter()
            .map(|d| ctx.decisions[d].id.clone())
            .collect(),
        never_satisfied: ctx
            .plan
            .procedures
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                stats.triggered[*i] && !stats.satisfied[*i] && present.contains(p.role.as_str())
            })
            .map(|(_, p)| p.id.clone())
            .collect(),
        best: stats.best,
        worst: stats.worst,
    }
}

#[cfg(test)]
mod tests;
