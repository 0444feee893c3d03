//! Scoring: a pure function of plan, scenario and journal. Every point names the journal
//! entries it came from, so a reviewer can check each one.
//!
//! Rules (documented for users in the README):
//! - A procedure's clock starts when its trigger first holds.
//! - Done by the responsible role within `within_min` (or before the trigger): full weight.
//! - Late: credit falls linearly from full at the allowed time to zero at three times it.
//! - Done only by another role: half of the time-based credit, flagged.
//! - Never done: missed, no credit.
//! - Not triggered, or its role not at the table: not scored.
//! - A choice (taken or applied as a default) that violates a procedure: minus the procedure's
//!   weight, charged to the deciding role.
//! - Objective ratings from the share of their procedures' points: P ≥ 90 %, S ≥ 70 %,
//!   M ≥ 40 %, else U; an observation with a rating for the objective overrides it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::engine::cond::View;
use crate::engine::{Compiled, EventKind, Rating, SimTime};
use crate::journal::{Body, Entry, Header};
use crate::model::{
    ActionId, ObjectiveId, Phase, Plan, ProcedureId, RoleId, Scenario, Text, Value,
};

/// Rating thresholds, as shares of the possible points: P, S, M (below M: U).
pub const THRESHOLDS: [f64; 3] = [0.9, 0.7, 0.4];

/// How a procedure went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    /// Done by the responsible role in time.
    InTime,
    /// Done by the responsible role, late.
    Late,
    /// Done only by another role.
    OtherRole,
    /// Never done.
    Missed,
    /// Its trigger never held.
    NotTriggered,
    /// Its role is not in play or not at the table.
    NotInPlay,
    /// Triggered, not done yet, and the exercise is still running with time left to earn
    /// points (live scorecards only; a finished journal has no open procedures).
    Open,
}

impl Status {
    /// Whether the procedure counts towards the score.
    pub fn scored(self) -> bool {
        !matches!(
            self,
            Status::NotTriggered | Status::NotInPlay | Status::Open
        )
    }

    /// Display label.
    pub fn label(self, lang: crate::model::Lang) -> &'static str {
        use crate::model::Lang::{En, Nl};
        match (self, lang) {
            (Status::InTime, Nl) => "op tijd",
            (Status::InTime, En) => "in time",
            (Status::Late, Nl) => "te laat",
            (Status::Late, En) => "late",
            (Status::OtherRole, Nl) => "door andere rol",
            (Status::OtherRole, En) => "by another role",
            (Status::Missed, Nl) => "gemist",
            (Status::Missed, En) => "missed",
            (Status::NotTriggered, Nl) => "niet aan de orde",
            (Status::NotTriggered, En) => "not triggered",
            (Status::NotInPlay, Nl) => "rol niet in spel",
            (Status::NotInPlay, En) => "role not in play",
            (Status::Open, Nl) => "loopt nog",
            (Status::Open, En) => "open",
        }
    }
}

/// A choice that went against a procedure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The decision.
    pub decision: String,
    /// The choice.
    pub choice: String,
    /// The deciding role (charged).
    pub role: RoleId,
    /// When.
    pub t: SimTime,
    /// Whether it was a default applied at expiry.
    pub by_default: bool,
    /// Points (negative).
    pub points: f64,
    /// Journal entry.
    pub entry: u64,
}

/// Why a procedure scored what it did: the facts, with their values. Words come from
/// [`crate::describe::why`], in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason")]
pub enum Reason {
    /// Its role is not at the table: not scored.
    NotAtTable {
        /// The role.
        role: RoleId,
    },
    /// Its trigger never held: not scored.
    NotTriggered,
    /// Done by its role before the trigger held: full points.
    Early {
        /// When it was done.
        at: SimTime,
    },
    /// Done by its role in time: full points.
    InTime {
        /// Seconds from the trigger to the action.
        took_secs: u64,
        /// Seconds allowed (`None`: no time limit).
        allowed_secs: Option<u64>,
    },
    /// Done by its role, late: credit falls linearly to zero at three times the limit.
    Late {
        /// Seconds from the trigger to the action.
        took_secs: u64,
        /// Seconds allowed.
        allowed_secs: u64,
        /// The share of the points earned, 0..1.
        credit: f64,
    },
    /// Done only by another role: half the (time-weighted) points.
    OtherRole {
        /// Who did it.
        by: RoleId,
        /// Whose procedure it is.
        owner: RoleId,
        /// Seconds from the trigger to the action.
        took_secs: u64,
    },
    /// Triggered, not done yet, and time is left (live scorecards only).
    Open {
        /// When the trigger held.
        since: SimTime,
        /// Seconds allowed (`None`: no time limit).
        allowed_secs: Option<u64>,
    },
    /// Triggered and never done: no points.
    Missed {
        /// When the trigger held.
        triggered: SimTime,
        /// The action that was never taken.
        action: ActionId,
    },
}

/// The result for one procedure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureResult {
    /// The procedure.
    pub id: ProcedureId,
    /// Its title.
    pub title: Text,
    /// The responsible role.
    pub role: RoleId,
    /// Its phase.
    pub phase: Phase,
    /// The required action.
    pub action: ActionId,
    /// Its weight.
    pub weight: u32,
    /// How it went.
    pub status: Status,
    /// When the trigger first held.
    pub triggered_at: Option<SimTime>,
    /// Time allowed, seconds.
    pub allowed_secs: Option<u64>,
    /// When the action was done (by the responsible role, else by another).
    pub done_at: Option<SimTime>,
    /// Who did it.
    pub done_by: Option<RoleId>,
    /// Points earned for doing it (0..=weight).
    pub points: f64,
    /// Points possible (the weight if scored, else 0).
    pub possible: f64,
    /// Choices that violated it.
    pub violations: Vec<Violation>,
    /// Why it scored what it did, as data (rendered in the reader's language by
    /// [`crate::describe::why`]); the violations are in [`ProcedureResult::violations`].
    pub reason: Reason,
    /// Journal entries (sequence numbers) the result rests on.
    pub entries: Vec<u64>,
}

impl ProcedureResult {
    /// Points including violations.
    pub fn net(&self) -> f64 {
        self.points + self.violations.iter().map(|v| v.points).sum::<f64>()
    }
}

/// Points earned against points possible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Earned (may be negative with violations).
    pub earned: f64,
    /// Possible.
    pub possible: f64,
}

impl Tally {
    /// The share earned, 0.0..=1.0 (negative totals count as zero); `None` when nothing is
    /// possible.
    pub fn share(self) -> Option<f64> {
        (self.possible > 0.0).then(|| (self.earned / self.possible).clamp(0.0, 1.0))
    }

    /// As a percentage for display (the clamped [`share`](Self::share)).
    pub fn percent(self) -> String {
        self.share()
            .map_or_else(|| "—".to_owned(), |s| format!("{:.0} %", s * 100.0))
    }

    /// The one way a total is shown to a person, in every front end: the clamped share, then
    /// the raw points (which may be negative) — `0 % (-6.6 / 88.0 points)`.
    pub fn summary(self, lang: crate::model::Lang) -> String {
        format!(
            "{} ({:.1} / {:.1} {})",
            self.percent(),
            self.earned,
            self.possible,
            crate::i18n::tr(lang, "punten", "points")
        )
    }
}

/// The result for one objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveResult {
    /// The objective.
    pub id: ObjectiveId,
    /// Its title.
    pub title: Text,
    /// Its procedures' points.
    pub tally: Tally,
    /// The computed rating (`None` when none of its procedures was scored).
    pub computed: Option<Rating>,
    /// An observer's override: rating, reason and journal entry.
    pub overridden: Option<(Rating, String, u64)>,
}

impl ObjectiveResult {
    /// The rating that stands.
    pub fn rating(&self) -> Option<Rating> {
        self.overridden.as_ref().map(|o| o.0).or(self.computed)
    }
}

/// Decision latency of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Latency {
    /// The role.
    pub role: RoleId,
    /// Decisions taken.
    pub decided: usize,
    /// Decisions that expired.
    pub expired: usize,
    /// Median seconds from opening to deciding.
    pub median_secs: Option<u64>,
    /// Longest.
    pub max_secs: Option<u64>,
}

/// The scorecard of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// Everything.
    pub total: Tally,
    /// Per procedure, in plan order.
    pub procedures: Vec<ProcedureResult>,
    /// Per role, in scenario order.
    pub roles: Vec<(RoleId, Tally)>,
    /// Per phase.
    pub phases: Vec<(Phase, Tally)>,
    /// Per objective.
    pub objectives: Vec<ObjectiveResult>,
    /// Decision latency per role.
    pub latency: Vec<Latency>,
    /// Simulated time the journal reaches.
    pub end_t: SimTime,
}

/// Rating for a share.
pub fn rating_for(share: f64) -> Rating {
    if share >= THRESHOLDS[0] {
        Rating::P
    } else if share >= THRESHOLDS[1] {
        Rating::S
    } else if share >= THRESHOLDS[2] {
        Rating::M
    } else {
        Rating::U
    }
}

/// State rebuilt from events, for evaluating triggers.
#[derive(Clone)]
struct Tracker<'a> {
    ctx: &'a Compiled,
    vars: Vec<Value>,
    signals: Vec<bool>,
    chosen: Vec<Option<usize>>,
    released: Vec<bool>,
    done: Vec<bool>,
}

impl View for Tracker<'_> {
    fn var(&self, var: usize) -> Value {
        self.vars[var]
    }
    fn signal(&self, signal: usize) -> bool {
        self.signals[signal]
    }
    fn chosen(&self, decision: usize) -> Option<usize> {
        self.chosen[decision]
    }
    fn released(&self, inject: usize) -> bool {
        self.released[inject]
    }
    fn done(&self, action: usize) -> bool {
        self.done[action]
    }
}

impl Tracker<'_> {
    fn apply(&mut self, kind: &EventKind) -> bool {
        let c = self.ctx;
        match kind {
            EventKind::VarChanged { var, value } => {
                if let Some(&i) = c.var_index.get(var.as_str()) {
                    self.vars[i] = *value;
                }
            }
            EventKind::SignalRaised { signal } => {
                if let Some(&i) = c.signal_index.get(signal.as_str()) {
                    self.signals[i] = true;
                }
            }
            EventKind::InjectReleased { inject, .. } => {
                if let Some(&i) = c.inject_index.get(inject.as_str()) {
                    self.released[i] = true;
                }
            }
            EventKind::DecisionMade {
                decision, choice, ..
            }
            | EventKind::DecisionExpired {
                decision,
                choice: Some(choice),
                ..
            } => {
                if let Some(&d) = c.decision_index.get(decision.as_str()) {
                    self.chosen[d] = c.decisions[d].choices.iter().position(|x| x == choice);
                }
            }
            EventKind::ActionTaken { action, .. } => {
                if let Some(&a) = c.action_index.get(action.as_str()) {
                    self.done[a] = true;
                }
            }
            _ => return false,
        }
        true
    }
}

#[derive(Clone)]
struct Done {
    t: SimTime,
    role: RoleId,
    entry: u64,
}

/// Scores a journal's entries against the plan and scenario.
pub fn score(plan: &Plan, scenario: &Scenario, header: &Header, entries: &[Entry]) -> Scorecard {
    score_compiled(&Arc::new(Compiled::new(plan, scenario)), header, entries)
}

/// Scores with an already compiled scenario (the live scorecard recomputes often).
pub fn score_compiled(ctx: &Compiled, header: &Header, entries: &[Entry]) -> Scorecard {
    let end_t = entries.iter().map(|e| e.t).max().unwrap_or(0);
    let events = entries.iter().filter_map(|e| match &e.body {
        Body::Event(ev) => Some((e.seq, ev)),
        Body::Command(_) => None,
    });
    score_events(ctx, &header.present, events, end_t)
}

/// Scores a stream of events, each with the journal sequence number it is cited by; `present`
/// are the roles at the table (empty: all), `end_t` the time the record reaches.
pub fn score_events<'e>(
    ctx: &Compiled,
    present: &[RoleId],
    events: impl Iterator<Item = (u64, &'e crate::engine::Event)>,
    end_t: SimTime,
) -> Scorecard {
    let mut scorer = Scorer::new(ctx, present, end_t);
    for (seq, ev) in events {
        scorer.push(seq, ev);
    }
    scorer.finish()
}

/// Scoring one event at a time: [`score_events`] is `new`, `push` for each event, `finish`.
/// Exploration keeps one per path, clones it where paths branch, and merges paths whose
/// scorers agree on everything the score still depends on ([`Scorer::merge_key`]).
#[derive(Clone)]
pub struct Scorer<'a> {
    ctx: &'a Compiled,
    present: &'a [RoleId],
    tr: Tracker<'a>,
    /// Per procedure: when its trigger first held, and the entry that made it hold.
    triggered: Vec<Option<(SimTime, u64)>>,
    /// Actions by action id: every time it was done, by whom.
    done: BTreeMap<&'a str, Vec<Done>>,
    violations: BTreeMap<&'a str, Vec<Violation>>,
    overrides: BTreeMap<&'a str, (Rating, String, u64)>,
    latencies: BTreeMap<&'a str, (Vec<u64>, usize)>,
    end_t: SimTime,
    finished: bool,
}

impl<'a> Scorer<'a> {
    /// A scorer before the first event; `present` and `end_t` as for [`score_events`].
    pub fn new(ctx: &'a Compiled, present: &'a [RoleId], end_t: SimTime) -> Self {
        let plan = &ctx.plan;
        let scenario = &ctx.scenario;
        let tr = Tracker {
            ctx,
            vars: ctx.initial_vars.clone(),
            signals: vec![false; plan.signals.len()],
            chosen: vec![None; ctx.decisions.len()],
            released: vec![false; scenario.injects.len()],
            done: vec![false; plan.actions.len()],
        };
        let n = plan.procedures.len();
        let mut triggered: Vec<Option<(SimTime, u64)>> = vec![None; n];
        for (i, t) in ctx.triggers.iter().enumerate() {
            if t.holds(&tr) {
                triggered[i] = Some((0, 0));
            }
        }
        Self {
            ctx,
            present,
            tr,
            triggered,
            done: BTreeMap::new(),
            violations: BTreeMap::new(),
            overrides: BTreeMap::new(),
            latencies: BTreeMap::new(),
            end_t,
            finished: false,
        }
    }

    /// Takes in the next event, cited by journal entry `seq`.
    pub fn push(&mut self, seq: u64, ev: &crate::engine::Event) {
        let ctx = self.ctx;
        let plan = &ctx.plan;
        let scenario = &ctx.scenario;
        self.end_t = self.end_t.max(ev.t);
        let kind = &ev.kind;
        if matches!(kind, EventKind::Ended { .. }) {
            self.finished = true;
        }
        match kind {
            EventKind::ActionTaken { role, action, .. } => {
                // The compiled index finds the same (first) action as `Plan::action`, without
                // comparing the id with every action's.
                if let Some(a) = ctx
                    .action_index
                    .get(action.as_str())
                    .map(|&i| &plan.actions[i])
                {
                    self.done.entry(a.id.as_str()).or_default().push(Done {
                        t: ev.t,
                        role: role.clone(),
                        entry: seq,
                    });
                }
            }
            EventKind::DecisionMade {
                decision,
                role,
                choice,
                latency_secs,
                ..
            } => {
                let l = self.latencies.entry(role_key(ctx, role)).or_default();
                l.0.push(*latency_secs);
                record_violations(
                    ctx,
                    decision.as_str(),
                    choice.as_str(),
                    role,
                    ev.t,
                    false,
                    seq,
                    &mut self.violations,
                );
            }
            EventKind::DecisionExpired {
                decision,
                role,
                choice,
            } => {
                self.latencies.entry(role_key(ctx, role)).or_default().1 += 1;
                if let Some(c) = choice {
                    record_violations(
                        ctx,
                        decision.as_str(),
                        c.as_str(),
                        role,
                        ev.t,
                        true,
                        seq,
                        &mut self.violations,
                    );
                }
            }
            EventKind::Observed {
                text,
                rating: Some(r),
                objective: Some(o),
                ..
            } => {
                if let Some(obj) = scenario.objectives.iter().find(|x| x.id == *o) {
                    self.overrides
                        .insert(obj.id.as_str(), (*r, text.clone(), seq));
                }
            }
            _ => {}
        }
        if self.tr.apply(kind) {
            for (i, t) in ctx.triggers.iter().enumerate() {
                if self.triggered[i].is_none() && t.holds(&self.tr) {
                    self.triggered[i] = Some((ev.t, seq));
                }
            }
        }
    }

    /// Hashes everything the total and the procedures' statuses can still depend on, so that
    /// exploration can merge paths that agree on it: two scorers with the same key, given the
    /// same further events, finish with the same total and the same status for every
    /// procedure. The destructuring names every field: a field added to the scorer does not
    /// compile here until it is hashed or said not to matter. Keep this in step with
    /// [`Scorer::push`] and [`Scorer::finish`] (the brute-force test in `explore` checks it):
    /// - the tracker only serves triggers that have not held yet: only what those read;
    /// - per procedure whose role is in play, what `finish` will read: before its trigger, only
    ///   whether its role and another role did the action (credit counts from the trigger, so
    ///   earlier is full); after it, done by its role: settled, and only the sums of the
    ///   settled procedures' points and weights count (exploration reads each procedure's
    ///   status from [`Scorer::standing`] as paths settle it); not yet:
    ///   when it was triggered (while a later record could still earn partial credit) and the
    ///   credit another role's first record would give;
    /// - violations: only the sum of their points (they change the total, not the statuses);
    /// - latencies and observations' rating overrides feed neither the total nor the
    ///   procedures' statuses (the latency table and the objectives' ratings only).
    pub fn merge_key(&self, h: &mut impl std::hash::Hasher) {
        use crate::engine::cond::Read;
        use std::hash::Hash;
        let Scorer {
            ctx,
            present,
            tr,
            triggered,
            done,
            violations,
            overrides: _,
            latencies: _,
            end_t,
            finished,
        } = self;
        let Tracker {
            ctx: _,
            vars,
            signals,
            chosen,
            released,
            done: acted,
        } = tr;
        present.hash(h);
        end_t.hash(h);
        finished.hash(h);
        let mut reads = Vec::new();
        let (mut settled_earned, mut settled_possible) = (0.0f64, 0u64);
        let scenario = &ctx.scenario;
        let in_play =
            |r: &RoleId| scenario.roles.contains(r) && (present.is_empty() || present.contains(r));
        for (i, p) in ctx.plan.procedures.iter().enumerate() {
            let records = done.get(p.action.as_str());
            let own = records.and_then(|v| v.iter().find(|d| d.role == p.role));
            let other = records.and_then(|v| v.iter().find(|d| d.role != p.role));
            match triggered[i] {
                None => {
                    ctx.triggers[i].reads(&mut |r| reads.push(r));
                    if in_play(&p.role) {
                        (0u8, own.is_some(), other.is_some()).hash(h);
                    }
                }
                Some((t0, _entry)) if in_play(&p.role) => {
                    let allowed = p.within_min.map(|m| u64::from(m) * 60);
                    if let Some(d) = own {
                        let (share, _) = credit(allowed, t0, d.t);
                        settled_earned += f64::from(p.weight) * share;
                        settled_possible += u64::from(p.weight);
                        1u8.hash(h);
                    } else {
                        let other = other.map(|d| credit(allowed, t0, d.t).0.to_bits());
                        // Later records come at `end_t` or after: with no limit, or once three
                        // times the limit has passed, when it was triggered no longer matters.
                        let since = allowed.filter(|a| *end_t < t0 + 3 * a).map(|_| t0);
                        (2u8, since, other).hash(h);
                    }
                }
                Some(_) => 3u8.hash(h),
            }
        }
        reads.sort_unstable_by_key(|r| match *r {
            Read::Var(x) => (0, x),
            Read::Signal(x) => (1, x),
            Read::Chosen(x) => (2, x),
            Read::Released(x) => (3, x),
            Read::Done(x) => (4, x),
        });
        reads.dedup();
        for r in reads {
            match r {
                Read::Var(x) => (0u8, x, vars[x]).hash(h),
                Read::Signal(x) => (1u8, x, signals[x]).hash(h),
                Read::Chosen(x) => (2u8, x, chosen[x]).hash(h),
                Read::Released(x) => (3u8, x, released[x]).hash(h),
                Read::Done(x) => (4u8, x, acted[x]).hash(h),
            }
        }
        let charged: f64 = violations.values().flatten().map(|v| v.points).sum();
        (
            charged.to_bits(),
            settled_earned.to_bits(),
            settled_possible,
        )
            .hash(h);
    }

    /// How procedure `i` (plan order) stands: `None` while its trigger has not held (or its
    /// role is not in play); `Some(None)` triggered and not yet done by its role; else its
    /// final status ([`Status::InTime`] or [`Status::Late`]: done by its role, which nothing
    /// later changes).
    pub fn standing(&self, i: usize) -> Option<Option<Status>> {
        let p = self.ctx.plan.procedures.get(i)?;
        let (t0, _) = self.triggered[i]?;
        let scenario = &self.ctx.scenario;
        if !scenario.roles.contains(&p.role)
            || !(self.present.is_empty() || self.present.contains(&p.role))
        {
            return None;
        }
        let own = self
            .done
            .get(p.action.as_str())
            .and_then(|v| v.iter().find(|d| d.role == p.role));
        Some(own.map(|d| {
            let allowed = p.within_min.map(|m| u64::from(m) * 60);
            if credit(allowed, t0, d.t).0 >= 1.0 {
                Status::InTime
            } else {
                Status::Late
            }
        }))
    }

    /// The scorecard of the events taken in.
    pub fn finish(self) -> Scorecard {
        let Scorer {
            ctx,
            present,
            tr: _,
            triggered,
            done,
            mut violations,
            mut overrides,
            mut latencies,
            end_t,
            finished,
        } = self;
        let plan = &ctx.plan;
        let scenario = &ctx.scenario;
        let n = plan.procedures.len();
        let present =
            |r: &RoleId| scenario.roles.contains(r) && (present.is_empty() || present.contains(r));
        let mut procedures = Vec::with_capacity(n);
        for (i, p) in plan.procedures.iter().enumerate() {
            let allowed = p.within_min.map(|m| u64::from(m) * 60);
            let viol = violations.remove(p.id.as_str()).unwrap_or_default();
            let mut r = ProcedureResult {
                id: p.id.clone(),
                title: p.title.clone(),
                role: p.role.clone(),
                phase: p.phase,
                action: p.action.clone(),
                weight: p.weight,
                status: Status::NotTriggered,
                triggered_at: triggered[i].map(|x| x.0),
                allowed_secs: allowed,
                done_at: None,
                done_by: None,
                points: 0.0,
                possible: 0.0,
                violations: viol,
                reason: Reason::NotTriggered,
                entries: triggered[i]
                    .iter()
                    .map(|x| x.1)
                    .filter(|&s| s > 0)
                    .collect(),
            };
            r.entries.extend(r.violations.iter().map(|v| v.entry));
            let weight = f64::from(p.weight);
            if !present(&p.role) {
                r.status = Status::NotInPlay;
                r.reason = Reason::NotAtTable {
                    role: p.role.clone(),
                };
            } else if let Some((t0, _)) = triggered[i] {
                r.possible = weight;
                let records = done.get(p.action.as_str());
                let own = records.and_then(|v| v.iter().find(|d| d.role == p.role));
                let other = records.and_then(|v| v.iter().find(|d| d.role != p.role));
                let credit = |d: &Done| credit(allowed, t0, d.t);
                if let Some(d) = own {
                    let (share, took) = credit(d);
                    r.done_at = Some(d.t);
                    r.done_by = Some(d.role.clone());
                    r.entries.push(d.entry);
                    r.points = weight * share;
                    r.status = if share >= 1.0 {
                        Status::InTime
                    } else {
                        Status::Late
                    };
                    r.reason = if d.t < t0 {
                        Reason::Early { at: d.t }
                    } else if share >= 1.0 {
                        Reason::InTime {
                            took_secs: took,
                            allowed_secs: allowed,
                        }
                    } else {
                        Reason::Late {
                            took_secs: took,
                            allowed_secs: allowed.unwrap_or(took),
                            credit: share,
                        }
                    };
                } else if let Some(d) = other {
                    let (share, took) = credit(d);
                    r.done_at = Some(d.t);
                    r.done_by = Some(d.role.clone());
                    r.entries.push(d.entry);
                    r.points = weight * share * 0.5;
                    r.status = Status::OtherRole;
                    r.reason = Reason::OtherRole {
                        by: d.role.clone(),
                        owner: p.role.clone(),
                        took_secs: took,
                    };
                } else if !finished && allowed.is_none_or(|a| end_t < t0 + 3 * a) {
                    r.possible = 0.0;
                    r.status = Status::Open;
                    r.reason = Reason::Open {
                        since: t0,
                        allowed_secs: allowed,
                    };
                } else {
                    r.status = Status::Missed;
                    r.reason = Reason::Missed {
                        triggered: t0,
                        action: p.action.clone(),
                    };
                }
            }
            r.entries.sort_unstable();
            r.entries.dedup();
            procedures.push(r);
        }

        let mut total = Tally::default();
        let mut roles: Vec<(RoleId, Tally)> = scenario
            .roles
            .iter()
            .map(|r| (r.clone(), Tally::default()))
            .collect();
        let mut phases: Vec<(Phase, Tally)> =
            Phase::ALL.iter().map(|p| (*p, Tally::default())).collect();
        for r in &procedures {
            total.earned += r.net();
            total.possible += r.possible;
            if let Some(t) = roles.iter_mut().find(|(id, _)| *id == r.role) {
                t.1.earned += r.points;
                t.1.possible += r.possible;
            }
            for v in &r.violations {
                if let Some(t) = roles.iter_mut().find(|(id, _)| *id == v.role) {
                    t.1.earned += v.points;
                }
            }
            if let Some(t) = phases.iter_mut().find(|(ph, _)| *ph == r.phase) {
                t.1.earned += r.net();
                t.1.possible += r.possible;
            }
        }
        let objectives = scenario
            .objectives
            .iter()
            .map(|o| {
                let mut tally = Tally::default();
                for r in procedures.iter().filter(|r| o.procedures.contains(&r.id)) {
                    tally.earned += r.net();
                    tally.possible += r.possible;
                }
                ObjectiveResult {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    tally,
                    computed: tally.share().map(rating_for),
                    overridden: overrides.remove(o.id.as_str()),
                }
            })
            .collect();
        let latency = scenario
            .roles
            .iter()
            .filter_map(|r| {
                let (mut l, expired) = latencies.remove(r.as_str())?;
                l.sort_unstable();
                Some(Latency {
                    role: r.clone(),
                    decided: l.len(),
                    expired,
                    median_secs: (!l.is_empty()).then(|| l[l.len() / 2]),
                    max_secs: l.last().copied(),
                })
            })
            .collect();
        Scorecard {
            total,
            procedures,
            roles,
            phases,
            objectives,
            latency,
            end_t,
        }
    }
}

/// The share of a procedure's points for doing it at `t`, triggered at `t0` with `allowed`
/// seconds (`None`: no limit), and the seconds it took: full in time (or before the trigger),
/// then falling linearly to zero at three times the limit.
fn credit(allowed: Option<u64>, t0: SimTime, t: SimTime) -> (f64, u64) {
    let took = t.saturating_sub(t0);
    let share = match allowed {
        None => 1.0,
        Some(a) if took <= a => 1.0,
        Some(a) => (1.0 - (took - a) as f64 / (2 * a) as f64).max(0.0),
    };
    (share, took)
}

/// The role as the scenario lists it (empty when the scenario does not list it).
fn role_key<'a>(ctx: &'a Compiled, role: &RoleId) -> &'a str {
    ctx.scenario
        .roles
        .iter()
        .find(|r| *r == role)
        .map_or("", RoleId::as_str)
}

#[allow(clippy::too_many_arguments)]
fn record_violations<'a>(
    ctx: &'a Compiled,
    decision: &str,
    choice: &str,
    role: &RoleId,
    t: SimTime,
    by_default: bool,
    entry: u64,
    out: &mut BTreeMap<&'a str, Vec<Violation>>,
) {
    let Some(&d) = ctx.decision_index.get(decision) else {
        return;
    };
    let info = &ctx.decisions[d];
    let Some(c) = ctx.scenario.injects[info.inject].decisions[info.local]
        .options
        .iter()
        .find(|c| c.id.as_str() == choice)
    else {
        return;
    };
    for v in &c.violates {
        if let Some(p) = ctx.plan.procedures.iter().find(|p| p.id == *v) {
            out.entry(p.id.as_str()).or_default().push(Violation {
                decision: decision.to_owned(),
                choice: choice.to_owned(),
                role: role.clone(),
                t,
                by_default,
                points: -f64::from(p.weight),
                entry,
            });
        }
    }
}

#[cfg(test)]
mod tests;
