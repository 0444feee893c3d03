//! What if: replay a journal up to one of its decisions, take another option there, and play
//! on. The journal itself is never changed; the branch is a journal of its own, held in memory,
//! scored with the same scorer and compared with the original.
//!
//! How the branch is played (documented for users in the README):
//! - Everything before the decision is replayed exactly (the engine and the journal are
//!   deterministic: the same seed and commands give the same events).
//! - A decision the team **took** is taken again at the same moment by the same role, with the
//!   other choice. A decision the team **let expire** is taken one simulated second before its
//!   deadline (the latest moment it could still be taken).
//! - Every later command of the journal is given again at its own simulated time, in its order;
//!   a command the engine now refuses (a decision that is no longer put, an inject already
//!   released, …) is dropped and listed with the reason.
//! - A decision put on the branch that the journal has no command for (it never came, or the
//!   team's command for it no longer fits) follows the reviewer's policy ([`Then`]): it expires
//!   into its default, is answered with its first option the moment it is put, or as a decision
//!   script says. A decision the team let expire in the journal expires again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::Rating;
use crate::engine::{
    Command, Compiled, DecisionStatus, Event, EventKind, SimError, SimTime, Simulation,
};
use crate::journal::{Body, Entry, Header};
use crate::model::{ChoiceId, DecisionId, InjectId, Lang, ObjectiveId, ProcedureId, RoleId, Text};
use crate::play::{Script, Step};
use crate::scoring::{self, Scorecard, Status, Tally};

/// How decisions that arise anew on the branch are taken.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    /// They expire into their defaults.
    Default,
    /// Their first option, the moment they are put.
    First,
    /// As a decision script says (its `Decide` steps; a decision it does not answer expires).
    Script(Script),
}

/// The policy as kept in a saved what-if: a script by its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "policy", content = "file")]
pub enum ThenSpec {
    /// See [`Then::Default`].
    Default,
    /// See [`Then::First`].
    First,
    /// See [`Then::Script`].
    Script(PathBuf),
}

impl ThenSpec {
    /// Short words for the policy, in the reader's language.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            ThenSpec::Default => crate::i18n::tr(lang, "standaard", "default").to_owned(),
            ThenSpec::First => crate::i18n::tr(lang, "eerste optie", "first option").to_owned(),
            ThenSpec::Script(p) => format!("script {}", p.display()),
        }
    }

    /// The policy, with a script read from disk.
    pub fn load(&self) -> Result<Then, String> {
        Ok(match self {
            ThenSpec::Default => Then::Default,
            ThenSpec::First => Then::First,
            ThenSpec::Script(p) => {
                Then::Script(crate::play::load_script(p).map_err(|d| d.to_string())?)
            }
        })
    }
}

/// One what-if as the reviewer asked it: what is saved beside the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// The decision.
    pub decision: DecisionId,
    /// The other option.
    pub choice: ChoiceId,
    /// How new decisions are taken.
    pub then: ThenSpec,
}

/// Why a what-if cannot be played.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WhatIfError {
    /// No such decision in the scenario.
    #[error("the scenario has no decision \"{decision}\" (its decisions: {known})")]
    UnknownDecision {
        /// Asked for.
        decision: String,
        /// What there is.
        known: String,
    },
    /// No such option.
    #[error("decision \"{decision}\" has no option \"{choice}\" (its options: {known})")]
    UnknownChoice {
        /// The decision.
        decision: String,
        /// Asked for.
        choice: String,
        /// What there is.
        known: String,
    },
    /// The journal never settled the decision.
    #[error(
        "decision \"{0}\" was not taken and did not expire in this journal, so there is nothing to decide differently (pick a decision from the journal's decision log)"
    )]
    NotSettled(String),
    /// An expired decision whose deadline is the moment it was put.
    #[error("decision \"{0}\" expired the moment it was put: there was no moment to take it")]
    NoMoment(String),
    /// A script for another scenario.
    #[error("the script is for scenario \"{script}\", not \"{scenario}\"")]
    WrongScript {
        /// The script's scenario.
        script: String,
        /// The journal's.
        scenario: String,
    },
}

/// A command of the journal that the branch could not take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    /// Its journal sequence number.
    pub seq: u64,
    /// When it was given.
    pub t: SimTime,
    /// The command.
    pub command: Command,
    /// Why the engine refused it on the branch.
    pub error: SimError,
}

/// A decision taken on the branch by the reviewer's policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Added {
    /// When.
    pub t: SimTime,
    /// The decision.
    pub decision: DecisionId,
    /// The option.
    pub choice: ChoiceId,
    /// Whether the engine took it (a script step may come too late).
    pub taken: bool,
}

/// How the journal settled the decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settled {
    /// The option taken or applied as default (`None`: expired without a default).
    pub choice: Option<ChoiceId>,
    /// Whether it expired.
    pub expired: bool,
    /// When.
    pub t: SimTime,
}

/// The branch: a journal of its own, in memory.
#[derive(Debug, Clone)]
pub struct Branch {
    /// Its entries (sequence numbers from 1; no hashes, no wall times for new entries).
    pub entries: Vec<Entry>,
    /// When the other option was taken.
    pub at: SimTime,
    /// Later journal commands taken again.
    pub kept: usize,
    /// Later journal commands refused on the branch.
    pub dropped: Vec<Dropped>,
    /// Decisions taken by the policy.
    pub added: Vec<Added>,
    /// How the journal settled the decision.
    pub original: Settled,
    /// Its role.
    pub role: RoleId,
}

fn decide(role: &RoleId, decision: &DecisionId, choice: ChoiceId, why: &str) -> Command {
    Command::Decide {
        role: role.clone(),
        decision: decision.clone(),
        choice,
        rationale: why.to_owned(),
    }
}

/// What the branch runner keeps while it plays.
struct Runner<'a> {
    ctx: &'a Compiled,
    sim: Simulation,
    out: Vec<Entry>,
    then: &'a Then,
    /// Policy decisions planned, by (time, order).
    queue: BTreeMap<(SimTime, usize), Command>,
    n: usize,
    /// Script steps waiting for an inject's release: (inject, minutes after, command).
    parked: Vec<(InjectId, u32, Command)>,
    /// Journal `Decide` commands still ahead, per decision index.
    ahead: Vec<usize>,
    /// Decisions the journal let expire.
    expired_in_journal: Vec<bool>,
    /// An expired decision to take before its deadline: (index, command).
    armed: Option<(usize, Command)>,
    target: usize,
    added: Vec<Added>,
    released: BTreeMap<InjectId, SimTime>,
}

impl Runner<'_> {
    fn record(&mut self, t: SimTime, actor: String, wall: String, body: Body) {
        let seq = self.out.len() as u64 + 1;
        self.out.push(Entry {
            seq,
            t,
            wall,
            actor,
            prev: String::new(),
            body,
        });
    }

    fn events(&mut self, events: Vec<Event>) {
        for e in events {
            match &e.kind {
                EventKind::DecisionOpened { decision, role, .. } => {
                    self.policy(e.t, decision, role);
                }
                EventKind::InjectReleased { inject, .. } => {
                    self.released.insert(inject.clone(), e.t);
                    let inject = inject.clone();
                    let (ready, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.parked)
                        .into_iter()
                        .partition(|p| p.0 == inject);
                    self.parked = rest;
                    for (_, m, cmd) in ready {
                        self.plan(e.t + u64::from(m) * 60, cmd);
                    }
                }
                _ => {}
            }
            self.record(e.t, "engine".to_owned(), String::new(), Body::Event(e));
        }
    }

    fn plan(&mut self, t: SimTime, cmd: Command) {
        self.queue.insert((t.max(self.sim.now()), self.n), cmd);
        self.n += 1;
    }

    /// A decision was put on the branch: does the policy answer it?
    fn policy(&mut self, t: SimTime, decision: &DecisionId, role: &RoleId) {
        let Some(&d) = self.ctx.decision_index.get(decision.as_str()) else {
            return;
        };
        if d == self.target || self.ahead[d] > 0 || self.expired_in_journal[d] {
            return;
        }
        match self.then {
            Then::Default => {}
            Then::First => {
                if let Some(first) = self.ctx.decisions[d].choices.first() {
                    self.plan(
                        t,
                        decide(role, decision, first.clone(), "what if: first option"),
                    );
                }
            }
            Then::Script(script) => {
                let step = script.steps.iter().find_map(|s| match s {
                    Step::Decide {
                        at_min,
                        after,
                        decision: sd,
                        choice,
                        rationale,
                        ..
                    } if sd == decision => {
                        Some((*at_min, after.clone(), choice.clone(), rationale.clone()))
                    }
                    _ => None,
                });
                if let Some((m, after, choice, why)) = step {
                    let cmd = decide(role, decision, choice, &why);
                    match after {
                        None => self.plan(u64::from(m) * 60, cmd),
                        Some(i) => match self.released.get(&i) {
                            Some(&r) => self.plan(r + u64::from(m) * 60, cmd),
                            None => self.parked.push((i, m, cmd)),
                        },
                    }
                }
            }
        }
    }

    fn apply(&mut self, cmd: Command, actor: String, wall: String) -> Result<(), SimError> {
        let t = self.sim.now();
        let events = self.sim.apply(cmd.clone())?;
        self.record(t, actor, wall, Body::Command(cmd));
        self.events(events);
        Ok(())
    }

    fn ended(&self) -> bool {
        self.sim.status() == crate::engine::Status::Ended
    }

    /// The deadline of the armed decision, while it is open.
    fn armed_due(&self) -> Option<SimTime> {
        let (d, _) = self.armed.as_ref()?;
        match self.sim.state().decisions[*d] {
            DecisionStatus::Open { due, .. } => Some(due),
            _ => None,
        }
    }

    fn fire_armed(&mut self) {
        if let Some((_, cmd)) = self.armed.take() {
            let actor = cmd.actor();
            // Checked open with a second to spare: the engine takes it.
            let _ = self.apply(cmd, actor, String::new());
        }
    }

    /// Brings the branch to `target`, stopping at every moment something falls due so that
    /// the policy answers decisions when they are put, and the armed decision is taken before
    /// its deadline.
    fn run_to(&mut self, target: SimTime) {
        loop {
            while let Some((&key, _)) = self.queue.iter().next()
                && key.0 <= self.sim.now()
            {
                if let Some(cmd) = self.queue.remove(&key) {
                    self.policy_apply(cmd);
                }
            }
            if let Some(due) = self.armed_due()
                && self.sim.now() + 1 >= due
            {
                self.fire_armed();
                continue;
            }
            let now = self.sim.now();
            if self.ended()
                || now >= target
                || !matches!(
                    self.sim.status(),
                    crate::engine::Status::Running | crate::engine::Status::Paused
                )
            {
                return;
            }
            let mut next = target;
            if let Some((&(t, _), _)) = self.queue.iter().next() {
                next = next.min(t);
            }
            if let Some(d) = self.sim.next_due().filter(|&d| d > now) {
                next = next.min(d);
            }
            if let Some(due) = self.armed_due() {
                next = next.min(due - 1);
            }
            let next = next.max(now);
            if next == now {
                // Not reachable (everything due now was handled above); never loop on it.
                let evs = self.sim.sync_to(target);
                self.events(evs);
                return;
            }
            let evs = self.sim.sync_to(next);
            self.events(evs);
        }
    }

    fn policy_apply(&mut self, cmd: Command) {
        let Command::Decide {
            decision, choice, ..
        } = &cmd
        else {
            return;
        };
        let (decision, choice) = (decision.clone(), choice.clone());
        let t = self.sim.now();
        let actor = cmd.actor();
        let taken = self.apply(cmd, actor, String::new()).is_ok();
        self.added.push(Added {
            t,
            decision,
            choice,
            taken,
        });
    }

    /// Whether time must move in steps (so that the policy answers decisions the moment they
    /// are put, and the armed decision is taken before its deadline): not when every new
    /// decision simply expires, so the branch then moves time exactly as the journal did.
    fn stepping(&self) -> bool {
        !matches!(self.then, Then::Default) || self.armed.is_some() || !self.queue.is_empty()
    }
}

/// How the journal settled decision `d`, and the index of the `Decide` command that took it.
fn settled_in(entries: &[Entry], id: &DecisionId) -> Option<(Settled, Option<usize>)> {
    let mut last_decide = None;
    for (i, e) in entries.iter().enumerate() {
        match &e.body {
            Body::Command(Command::Decide { decision, .. }) if decision == id => {
                last_decide = Some(i);
            }
            Body::Event(ev) => match &ev.kind {
                EventKind::DecisionMade {
                    decision, choice, ..
                } if decision == id => {
                    return Some((
                        Settled {
                            choice: Some(choice.clone()),
                            expired: false,
                            t: ev.t,
                        },
                        last_decide,
                    ));
                }
                EventKind::DecisionExpired {
                    decision, choice, ..
                } if decision == id => {
                    return Some((
                        Settled {
                            choice: choice.clone(),
                            expired: true,
                            t: ev.t,
                        },
                        None,
                    ));
                }
                _ => {}
            },
            Body::Command(_) => {}
        }
    }
    None
}

/// Plays the branch: the journal's entries up to the decision, the other option there, and the
/// journal's later commands after it (see the module documentation).
pub fn branch(
    ctx: &Arc<Compiled>,
    header: &Header,
    entries: &[Entry],
    decision: &str,
    choice: &str,
    then: &Then,
) -> Result<Branch, WhatIfError> {
    let d = *ctx
        .decision_index
        .get(decision)
        .ok_or_else(|| WhatIfError::UnknownDecision {
            decision: decision.to_owned(),
            known: ctx
                .decisions
                .iter()
                .map(|x| x.id.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let info = &ctx.decisions[d];
    let Some(choice) = info.choices.iter().find(|c| c.as_str() == choice).cloned() else {
        return Err(WhatIfError::UnknownChoice {
            decision: decision.to_owned(),
            choice: choice.to_owned(),
            known: info
                .choices
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    if let Then::Script(s) = then
        && s.scenario != ctx.scenario.id
    {
        return Err(WhatIfError::WrongScript {
            script: s.scenario.clone(),
            scenario: ctx.scenario.id.clone(),
        });
    }
    let (original, decide_at) = settled_in(entries, &info.id)
        .ok_or_else(|| WhatIfError::NotSettled(decision.to_owned()))?;
    // Which decisions the journal decides, and which it let expire.
    let mut decides: Vec<Vec<usize>> = vec![Vec::new(); ctx.decisions.len()];
    let mut expired_in_journal = vec![false; ctx.decisions.len()];
    for (i, e) in entries.iter().enumerate() {
        match &e.body {
            Body::Command(Command::Decide { decision, .. }) => {
                if let Some(&x) = ctx.decision_index.get(decision.as_str()) {
                    decides[x].push(i);
                }
            }
            Body::Event(Event {
                kind: EventKind::DecisionExpired { decision, .. },
                ..
            }) => {
                if let Some(&x) = ctx.decision_index.get(decision.as_str()) {
                    expired_in_journal[x] = true;
                }
            }
            _ => {}
        }
    }
    let mut r = Runner {
        ctx,
        sim: Simulation::with_compiled(ctx.clone(), header.seed),
        out: Vec::with_capacity(entries.len() + 16),
        then,
        queue: BTreeMap::new(),
        n: 0,
        parked: Vec::new(),
        ahead: decides.iter().map(Vec::len).collect(),
        expired_in_journal,
        armed: None,
        target: d,
        added: Vec::new(),
        released: BTreeMap::new(),
    };
    let role = info.role.clone();
    let mut at = original.t;
    if original.expired {
        // Taken at the last second before the deadline; the decision must have been open a
        // second before it.
        let opened = entries.iter().find_map(|e| match &e.body {
            Body::Event(Event {
                t,
                kind: EventKind::DecisionOpened { decision, .. },
            }) if *decision == info.id => Some(*t),
            _ => None,
        });
        if opened.is_none_or(|o| o >= original.t) {
            return Err(WhatIfError::NoMoment(decision.to_owned()));
        }
        at = original.t - 1;
        r.armed = Some((d, decide(&role, &info.id, choice.clone(), "what if")));
    }
    let mut kept = 0usize;
    let mut dropped = Vec::new();
    let last_t = entries.last().map_or(0, |e| e.t);
    for (i, e) in entries.iter().enumerate() {
        let Body::Command(cmd) = &e.body else {
            continue;
        };
        let mut cmd = cmd.clone();
        if let Command::Decide { decision: x, .. } = &cmd
            && let Some(&xd) = ctx.decision_index.get(x.as_str())
        {
            r.ahead[xd] = r.ahead[xd].saturating_sub(1);
        }
        let is_branch_point = decide_at == Some(i);
        if is_branch_point
            && let Command::Decide {
                choice: c,
                rationale,
                ..
            } = &mut cmd
            && *c != choice
        {
            *c = choice.clone();
            rationale.clear();
        }
        r.run_to(e.t);
        let past_branch =
            decide_at.is_some_and(|b| i > b) || (original.expired && r.armed.is_none());
        let moves_time = matches!(cmd, Command::AdvanceTo { .. } | Command::JumpToNextInject);
        let result = if moves_time && r.stepping() {
            // Where the command takes the clock, then there in steps; the command is recorded
            // first, as the journal has it.
            let mut probe = r.sim.clone();
            probe.apply(cmd.clone()).map(|_| {
                let t = r.sim.now();
                r.record(
                    t,
                    e.actor.clone(),
                    e.wall.clone(),
                    Body::Command(cmd.clone()),
                );
                r.run_to(probe.now());
            })
        } else {
            r.apply(cmd.clone(), e.actor.clone(), e.wall.clone())
        };
        match result {
            Ok(()) => {
                if past_branch {
                    kept += 1;
                }
            }
            Err(error) => dropped.push(Dropped {
                seq: e.seq,
                t: r.sim.now(),
                command: cmd,
                error,
            }),
        }
    }
    r.run_to(last_t);
    // An expired decision after the journal's last command: the clock reached its deadline.
    if r.armed.is_some() {
        r.fire_armed();
        r.run_to(last_t);
    }
    Ok(Branch {
        entries: r.out,
        at,
        kept,
        dropped,
        added: r.added,
        original,
        role,
    })
}

/// A score before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveDiff {
    /// The objective.
    pub id: ObjectiveId,
    /// Its title.
    pub title: Text,
    /// In the journal.
    pub before: Tally,
    /// On the branch.
    pub after: Tally,
    /// The rating that stands in the journal.
    pub rating_before: Option<Rating>,
    /// On the branch.
    pub rating_after: Option<Rating>,
}

/// A procedure before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureDiff {
    /// The procedure.
    pub id: ProcedureId,
    /// Its title.
    pub title: Text,
    /// Its role.
    pub role: RoleId,
    /// In the journal.
    pub status_before: Status,
    /// On the branch.
    pub status_after: Status,
    /// Net points in the journal (violations included).
    pub net_before: f64,
    /// On the branch.
    pub net_after: f64,
    /// Possible in the journal.
    pub possible_before: f64,
    /// On the branch.
    pub possible_after: f64,
}

/// The first event where the branch departs from the journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstDifference {
    /// When.
    pub t: SimTime,
    /// The journal's event there (`None`: the journal has no more events).
    pub journal: Option<Event>,
    /// The branch's event there (`None`: the branch has no more events).
    pub branch: Option<Event>,
}

/// An inject that comes on one side only, or at another time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InjectChange {
    /// The inject.
    pub inject: InjectId,
    /// When it comes in the journal.
    pub journal: Option<SimTime>,
    /// When it comes on the branch.
    pub branch: Option<SimTime>,
}

/// A what-if played and compared: everything the side-by-side view and `paraat whatif` show.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// What was asked.
    pub spec: Spec,
    /// The decision's role.
    pub role: RoleId,
    /// How the journal settled it.
    pub original: Settled,
    /// When the other option was taken.
    pub at: SimTime,
    /// The total before and after.
    pub total_before: Tally,
    /// After.
    pub total_after: Tally,
    /// Per objective.
    pub objectives: Vec<ObjectiveDiff>,
    /// Per procedure, every scored one on either side.
    pub procedures: Vec<ProcedureDiff>,
    /// The first event that differs (`None`: the branch is the journal).
    pub first_difference: Option<FirstDifference>,
    /// Injects that come now (not in the journal), no longer, or at another time.
    pub injects: Vec<InjectChange>,
    /// Later journal commands taken again on the branch.
    pub kept: usize,
    /// Later journal commands refused on the branch.
    pub dropped: Vec<Dropped>,
    /// Decisions taken by the policy.
    pub added: Vec<Added>,
    /// The journal's scorecard.
    #[serde(skip)]
    pub card_before: Scorecard,
    /// The branch's scorecard.
    #[serde(skip)]
    pub card_after: Scorecard,
    /// The branch's entries, for the timeline.
    #[serde(skip)]
    pub entries: Vec<Entry>,
}

impl Outcome {
    /// Whether the branch reproduces the journal event for event.
    pub fn identical(&self) -> bool {
        self.first_difference.is_none()
    }

    /// Injects released on the branch and not in the journal.
    pub fn now_come(&self) -> impl Iterator<Item = &InjectChange> {
        self.injects.iter().filter(|c| c.journal.is_none())
    }

    /// Injects released in the journal and not on the branch.
    pub fn no_longer(&self) -> impl Iterator<Item = &InjectChange> {
        self.injects.iter().filter(|c| c.branch.is_none())
    }

    /// Injects released on both sides at different times.
    pub fn moved(&self) -> impl Iterator<Item = &InjectChange> {
        self.injects
            .iter()
            .filter(|c| c.journal.is_some() && c.branch.is_some())
    }
}

fn events(entries: &[Entry]) -> impl Iterator<Item = &Event> {
    entries.iter().filter_map(|e| match &e.body {
        Body::Event(ev) => Some(ev),
        Body::Command(_) => None,
    })
}

fn released(entries: &[Entry]) -> BTreeMap<&InjectId, SimTime> {
    let mut m = BTreeMap::new();
    for ev in events(entries) {
        if let EventKind::InjectReleased { inject, .. } = &ev.kind {
            m.entry(inject).or_insert(ev.t);
        }
    }
    m
}

/// The first event where two event streams differ.
pub fn first_difference(journal: &[Entry], branch: &[Entry]) -> Option<FirstDifference> {
    let (mut a, mut b) = (events(journal), events(branch));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return None,
            (x, y) if x == y => {}
            (x, y) => {
                return Some(FirstDifference {
                    t: match (x, y) {
                        (Some(x), Some(y)) => x.t.min(y.t),
                        (Some(x), None) => x.t,
                        (None, Some(y)) => y.t,
                        (None, None) => 0,
                    },
                    journal: x.cloned(),
                    branch: y.cloned(),
                });
            }
        }
    }
}

/// Compares a branch with its journal.
pub fn compare(
    ctx: &Compiled,
    header: &Header,
    journal: &[Entry],
    spec: Spec,
    b: Branch,
) -> Outcome {
    let before = scoring::score_compiled(ctx, header, journal);
    let after = scoring::score_compiled(ctx, header, &b.entries);
    let objectives = before
        .objectives
        .iter()
        .zip(&after.objectives)
        .map(|(x, y)| ObjectiveDiff {
            id: x.id.clone(),
            title: x.title.clone(),
            before: x.tally,
            after: y.tally,
            rating_before: x.rating(),
            rating_after: y.rating(),
        })
        .collect();
    let procedures = before
        .procedures
        .iter()
        .zip(&after.procedures)
        .filter(|(x, y)| {
            x.status.scored()
                || y.status.scored()
                || !x.violations.is_empty()
                || !y.violations.is_empty()
        })
        .map(|(x, y)| ProcedureDiff {
            id: x.id.clone(),
            title: x.title.clone(),
            role: x.role.clone(),
            status_before: x.status,
            status_after: y.status,
            net_before: x.net(),
            net_after: y.net(),
            possible_before: x.possible,
            possible_after: y.possible,
        })
        .collect();
    let (ra, rb) = (released(journal), released(&b.entries));
    let keys: BTreeSet<&InjectId> = ra.keys().chain(rb.keys()).copied().collect();
    let mut injects: Vec<InjectChange> = keys
        .into_iter()
        .filter(|k| ra.get(k) != rb.get(k))
        .map(|k| InjectChange {
            inject: k.clone(),
            journal: ra.get(k).copied(),
            branch: rb.get(k).copied(),
        })
        .collect();
    injects.sort_by_key(|c| (c.branch.or(c.journal), c.inject.to_string()));
    Outcome {
        first_difference: first_difference(journal, &b.entries),
        spec,
        role: b.role,
        original: b.original,
        at: b.at,
        total_before: before.total,
        total_after: after.total,
        objectives,
        procedures,
        injects,
        kept: b.kept,
        dropped: b.dropped,
        added: b.added,
        card_before: before,
        card_after: after,
        entries: b.entries,
    }
}

/// Plays a what-if on a journal and compares it: [`branch`] then [`compare`].
pub fn what_if(
    ctx: &Arc<Compiled>,
    header: &Header,
    entries: &[Entry],
    spec: &Spec,
    then: &Then,
) -> Result<Outcome, WhatIfError> {
    let b = branch(
        ctx,
        header,
        entries,
        spec.decision.as_str(),
        spec.choice.as_str(),
        then,
    )?;
    Ok(compare(ctx, header, entries, spec.clone(), b))
}

/// The what-if as text for a person: what was decided instead, the two totals, each objective
/// and each procedure that changed, the first event that differs, the injects that now come or
/// no longer come, and the journal commands dropped or decisions added on the branch.
pub fn text(o: &Outcome, ctx: &Compiled, lang: Lang) -> String {
    use crate::describe;
    use crate::engine::fmt_elapsed;
    use crate::i18n::tr;
    use std::fmt::Write as _;
    let d = o.spec.decision.as_str();
    let choice = |c: &str| describe::choice(ctx, d, c, lang).to_owned();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} ({})",
        tr(lang, "Wat als", "What if"),
        describe::decision(ctx, d, lang),
        describe::role(ctx, o.role.as_str(), lang)
    );
    let was = match (&o.original.choice, o.original.expired) {
        (Some(c), false) => format!(
            "{} “{}”",
            tr(lang, "het team koos", "the team chose"),
            choice(c.as_str())
        ),
        (Some(c), true) => format!(
            "{} “{}”",
            tr(
                lang,
                "de termijn verliep; standaard",
                "the deadline passed; default"
            ),
            choice(c.as_str())
        ),
        (None, _) => tr(
            lang,
            "de termijn verliep zonder besluit",
            "the deadline passed with no decision",
        )
        .to_owned(),
    };
    let _ = writeln!(
        s,
        "  {} T+{}: {was}",
        tr(lang, "logboek", "journal"),
        fmt_elapsed(o.original.t)
    );
    let _ = writeln!(
        s,
        "  {} T+{}: “{}”; {}: {}",
        tr(lang, "wat als", "what if"),
        fmt_elapsed(o.at),
        choice(o.spec.choice.as_str()),
        tr(lang, "nieuwe besluiten", "new decisions"),
        o.spec.then.label(lang)
    );
    if o.identical() {
        let _ = writeln!(
            s,
            "\n{}",
            tr(
                lang,
                "Het logboek wordt exact gereproduceerd: geen verschil.",
                "The journal is reproduced exactly: no difference."
            )
        );
    }
    let _ = writeln!(
        s,
        "\n{}: {} → {} ({:+.1} {})",
        tr(lang, "Totaal", "Total"),
        o.total_before.summary(lang),
        o.total_after.summary(lang),
        o.total_after.earned - o.total_before.earned,
        tr(lang, "punten", "points")
    );
    let rating = |r: Option<Rating>| r.map_or_else(|| "—".to_owned(), |r| format!("{r:?}"));
    let _ = writeln!(s, "{}:", tr(lang, "Doelstellingen", "Objectives"));
    for x in &o.objectives {
        let _ = writeln!(
            s,
            "  {}: {} {} → {} {}",
            x.title.get(lang),
            rating(x.rating_before),
            x.before.percent(),
            rating(x.rating_after),
            x.after.percent()
        );
    }
    let changed: Vec<&ProcedureDiff> = o
        .procedures
        .iter()
        .filter(|p| p.status_before != p.status_after || (p.net_before - p.net_after).abs() > 1e-9)
        .collect();
    let _ = writeln!(
        s,
        "{}:",
        tr(lang, "Procedures die veranderen", "Procedures that change")
    );
    if changed.is_empty() {
        let _ = writeln!(s, "  {}", tr(lang, "geen", "none"));
    }
    for p in changed {
        let _ = writeln!(
            s,
            "  {} ({}): {} {:.1} → {} {:.1}",
            p.title.get(lang),
            describe::role(ctx, p.role.as_str(), lang),
            p.status_before.label(lang),
            p.net_before,
            p.status_after.label(lang),
            p.net_after
        );
    }
    if let Some(f) = &o.first_difference {
        let side = |e: &Option<Event>| {
            e.as_ref().map_or_else(
                || tr(lang, "(niets meer)", "(nothing more)").to_owned(),
                |e| describe::timed(e, ctx, lang),
            )
        };
        let _ = writeln!(
            s,
            "{} T+{}:\n  {}: {}\n  {}: {}",
            tr(lang, "Eerste verschil op", "First difference at"),
            fmt_elapsed(f.t),
            tr(lang, "logboek", "journal"),
            side(&f.journal),
            tr(lang, "wat als", "what if"),
            side(&f.branch)
        );
    }
    let list = |it: Vec<String>| {
        if it.is_empty() {
            tr(lang, "geen", "none").to_owned()
        } else {
            it.join("; ")
        }
    };
    let name = |c: &InjectChange| describe::inject(ctx, c.inject.as_str(), lang).to_owned();
    let _ = writeln!(
        s,
        "{}: {}",
        tr(lang, "Injects die nu komen", "Injects that now come"),
        list(
            o.now_come()
                .map(|c| format!("T+{} {}", fmt_elapsed(c.branch.unwrap_or(0)), name(c)))
                .collect()
        )
    );
    let _ = writeln!(
        s,
        "{}: {}",
        tr(
            lang,
            "Injects die niet meer komen",
            "Injects that no longer come"
        ),
        list(
            o.no_longer()
                .map(|c| format!("T+{} {}", fmt_elapsed(c.journal.unwrap_or(0)), name(c)))
                .collect()
        )
    );
    let _ = writeln!(
        s,
        "{}: {}",
        tr(
            lang,
            "Injects op een ander moment",
            "Injects at another time"
        ),
        list(
            o.moved()
                .map(|c| format!(
                    "{} T+{} → T+{}",
                    name(c),
                    fmt_elapsed(c.journal.unwrap_or(0)),
                    fmt_elapsed(c.branch.unwrap_or(0))
                ))
                .collect()
        )
    );
    let _ = writeln!(
        s,
        "{}: {}; {}: {}",
        tr(lang, "Latere opdrachten overgenomen", "Later commands kept"),
        o.kept,
        tr(lang, "vervallen", "dropped"),
        o.dropped.len()
    );
    for x in &o.dropped {
        let _ = writeln!(
            s,
            "  T+{} {} — {}",
            fmt_elapsed(x.t),
            describe::command(&x.command, ctx, lang),
            describe::sim_error(&x.error, lang)
        );
    }
    for a in &o.added {
        let _ = writeln!(
            s,
            "  + T+{} {}: “{}”{}",
            fmt_elapsed(a.t),
            describe::decision(ctx, a.decision.as_str(), lang),
            describe::choice(ctx, a.decision.as_str(), a.choice.as_str(), lang),
            if a.taken {
                ""
            } else {
                tr(lang, " (geweigerd)", " (refused)")
            }
        );
    }
    s
}

/// The file what-ifs are kept in beside a journal: `<journal>.whatif.json` (the journal itself
/// is never changed).
pub fn store_path(journal: &Path) -> PathBuf {
    let name = journal
        .file_name()
        .map_or_else(|| "journal".into(), |n| n.to_string_lossy().into_owned());
    journal.with_file_name(format!("{name}.whatif.json"))
}

/// The what-ifs kept beside a journal (none when there is no file, or it cannot be read: the
/// reviewer's own list, not evidence).
pub fn load_kept(journal: &Path) -> Vec<Spec> {
    crate::files::read_regular(&store_path(journal), crate::model::load::MAX_FILE_BYTES)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Keeps what-ifs beside a journal, atomically.
pub fn save_kept(journal: &Path, specs: &[Spec]) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(specs).map_err(std::io::Error::other)?;
    crate::files::write_atomic(&store_path(journal), text.as_bytes())
}

#[cfg(test)]
mod tests;
