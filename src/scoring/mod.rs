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
//!   weight (times the share of an `against`), charged to the deciding role.
//! - A choice that satisfies a procedure only `partly`: that share of the (time-weighted)
//!   points, status Partly, with the author's reason.
//! - A procedure scored per occurrence: each time its trigger starts to hold again is a row of
//!   its own, counting the actions from that moment until the next occurrence.
//! - Objective ratings from the share of their procedures' points: P ≥ 90 %, S ≥ 70 %,
//!   M ≥ 40 %, else U; an observation with a rating for the objective overrides it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::engine::cond::{CCond, View};
use crate::engine::{ActionSource, Compiled, EventKind, Rating, SimTime};
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
    /// Done by the responsible role through a choice that satisfies it only in part
    /// (`Choice.partly`).
    Partly,
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
            (Status::Partly, Nl) => "deels",
            (Status::Partly, En) => "partly",
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
    /// Done through a choice that satisfies the procedure only in part (`Choice.partly`):
    /// the choice's share of the (time-weighted) points.
    Partly {
        /// Seconds from the trigger to the action (0 when done before it).
        took_secs: u64,
        /// Seconds allowed (`None`: no time limit).
        allowed_secs: Option<u64>,
        /// The share the choice can earn, 0..1.
        share: f64,
        /// The share of the points earned in all (time, role and the choice's share).
        credit: f64,
        /// The decision.
        decision: String,
        /// The choice.
        choice: String,
        /// Another role that did it instead of the procedure's own (half the points).
        by: Option<RoleId>,
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
    /// For a procedure scored per occurrence of its trigger that occurred more than once:
    /// which occurrence this row is (from 1) and of how many. The title names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<(u32, u32)>,
    /// The procedure's index in the plan (several rows share it when scored per occurrence).
    #[serde(skip)]
    pub index: usize,
}

impl ProcedureResult {
    /// A key unique in the scorecard: the procedure id, with `#k` for occurrence `k` of a
    /// procedure scored per occurrence.
    pub fn key(&self) -> String {
        match self.occurrence {
            Some((k, _)) => format!("{}#{k}", self.id),
            None => self.id.to_string(),
        }
    }

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
    /// For time conditions: the time of the event being applied, when each inject was
    /// released and each decision settled.
    now: SimTime,
    released_at: Vec<Option<SimTime>>,
    settled_at: Vec<Option<SimTime>>,
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
    fn now(&self) -> SimTime {
        self.now
    }
    fn released_at(&self, inject: usize) -> Option<SimTime> {
        self.released_at[inject]
    }
    fn settled_at(&self, decision: usize) -> Option<SimTime> {
        self.settled_at[decision]
    }
}

impl<'a> Tracker<'a> {
    /// Applies an event; returns `None` when it is of a kind that changes nothing a trigger
    /// reads, else the procedures whose trigger reads what it changed (see
    /// [`crate::engine::TriggerReaders`]; empty when its id resolves to nothing).
    fn apply(&mut self, kind: &EventKind) -> Option<&'a [usize]> {
        let c: &'a Compiled = self.ctx;
        let r = &c.trigger_readers;
        let readers = match kind {
            EventKind::VarChanged { var, value } => c.var_index.get(var.as_str()).map(|&i| {
                self.vars[i] = *value;
                &r.var[i]
            }),
            EventKind::SignalRaised { signal } => c.signal_index.get(signal.as_str()).map(|&i| {
                self.signals[i] = true;
                &r.signal[i]
            }),
            EventKind::SignalCleared { signal } => c.signal_index.get(signal.as_str()).map(|&i| {
                self.signals[i] = false;
                &r.signal[i]
            }),
            EventKind::InjectReleased { inject, .. } => {
                c.inject_index.get(inject.as_str()).map(|&i| {
                    self.released[i] = true;
                    self.released_at[i].get_or_insert(self.now);
                    &r.inject[i]
                })
            }
            EventKind::DecisionMade {
                decision, choice, ..
            }
            | EventKind::DecisionExpired {
                decision,
                choice: Some(choice),
                ..
            } => c.decision_index.get(decision.as_str()).map(|&d| {
                self.chosen[d] = c.decisions[d].choices.iter().position(|x| x == choice);
                self.settled_at[d].get_or_insert(self.now);
                &r.decision[d]
            }),
            EventKind::DecisionExpired {
                decision,
                choice: None,
                ..
            } => c.decision_index.get(decision.as_str()).map(|&d| {
                self.settled_at[d].get_or_insert(self.now);
                &r.decision[d]
            }),
            EventKind::ActionTaken { action, .. } => {
                c.action_index.get(action.as_str()).map(|&a| {
                    self.done[a] = true;
                    &r.action[a]
                })
            }
            _ => return None,
        };
        Some(readers.map_or(&[], Vec::as_slice))
    }
}

#[derive(Clone)]
struct Done {
    t: SimTime,
    role: RoleId,
    entry: u64,
    /// The decision and choice that took the action, if a choice did.
    from: Option<(usize, usize)>,
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
    /// Whether some trigger reads the clock: such triggers are checked again whenever time
    /// alone may change them.
    timed: bool,
    /// Per procedure: whether some choice satisfies it only `partly` (else credit only falls
    /// with time, and its role's first record is its best).
    partly: Arc<[bool]>,
    /// Per procedure: whether its role is in play (at the table).
    proc_in_play: Arc<[bool]>,
    /// Per procedure: when its trigger first held, and the entry that made it hold.
    triggered: Vec<Option<(SimTime, u64)>>,
    /// Procedures scored per occurrence: whether the trigger holds now, and every moment it
    /// started to hold (the first is `triggered`).
    holding: Vec<bool>,
    occurrences: Vec<Vec<(SimTime, u64)>>,
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
            now: 0,
            released_at: vec![None; scenario.injects.len()],
            settled_at: vec![None; ctx.decisions.len()],
        };
        let n = plan.procedures.len();
        let mut triggered: Vec<Option<(SimTime, u64)>> = vec![None; n];
        let mut holding = vec![false; n];
        let mut occurrences: Vec<Vec<(SimTime, u64)>> = vec![Vec::new(); n];
        for (i, t) in ctx.triggers.iter().enumerate() {
            if t.holds(&tr) {
                triggered[i] = Some((0, 0));
                holding[i] = true;
                occurrences[i].push((0, 0));
            }
        }
        Self {
            ctx,
            present,
            tr,
            timed: ctx.triggers.iter().any(CCond::is_timed),
            proc_in_play: plan
                .procedures
                .iter()
                .map(|p| {
                    scenario.roles.contains(&p.role)
                        && (present.is_empty() || present.contains(&p.role))
                })
                .collect(),
            partly: plan
                .procedures
                .iter()
                .map(|p| {
                    scenario.injects.iter().any(|inj| {
                        inj.decisions.iter().any(|d| {
                            d.options
                                .iter()
                                .any(|c| c.partly.iter().any(|x| x.procedure == p.id))
                        })
                    })
                })
                .collect(),
            triggered,
            holding,
            occurrences,
            done: BTreeMap::new(),
            violations: BTreeMap::new(),
            overrides: BTreeMap::new(),
            latencies: BTreeMap::new(),
            end_t,
            finished: false,
        }
    }

    /// Checks the triggers of procedures `procs` against the tracker at `t` (entry `seq`; 0
    /// when only time passed). A trigger need not be checked again until something it reads
    /// changes, or (reading the clock) a moment [`CCond::next_change`] names comes.
    fn check_triggers(&mut self, procs: &[usize], t: SimTime, seq: u64) {
        let ctx = self.ctx;
        for &i in procs {
            let c = &ctx.triggers[i];
            if ctx.per_occurrence.get(i).copied().unwrap_or(false) {
                let now = c.holds(&self.tr);
                if now && !self.holding[i] {
                    self.occurrences[i].push((t, seq));
                    self.triggered[i].get_or_insert((t, seq));
                }
                self.holding[i] = now;
            } else if self.triggered[i].is_none() && c.holds(&self.tr) {
                self.triggered[i] = Some((t, seq));
            }
        }
    }

    /// Checks the triggers that read the clock at every moment up to `until` at which time
    /// alone may change them.
    fn catch_up(&mut self, until: SimTime) {
        if !self.timed {
            return;
        }
        let ctx = self.ctx;
        let timed = &ctx.trigger_readers.timed;
        // A trigger that held once and is not scored per occurrence is not checked again.
        while let Some(w) = timed
            .iter()
            .filter(|&&i| self.triggered[i].is_none() || self.per_occurrence(i))
            .filter_map(|&i| ctx.triggers[i].next_change(&self.tr))
            .filter(|&w| w <= until)
            .min()
        {
            self.tr.now = w;
            self.check_triggers(timed, w, 0);
        }
    }

    /// Takes in the next event, cited by journal entry `seq`.
    pub fn push(&mut self, seq: u64, ev: &crate::engine::Event) {
        let ctx = self.ctx;
        let plan = &ctx.plan;
        let scenario = &ctx.scenario;
        // Moments between events at which a trigger that reads the clock may change.
        self.catch_up(ev.t);
        self.tr.now = ev.t;
        self.end_t = self.end_t.max(ev.t);
        let kind = &ev.kind;
        if matches!(kind, EventKind::Ended { .. }) {
            self.finished = true;
        }
        match kind {
            EventKind::ActionTaken {
                role,
                action,
                source,
                ..
            } => {
                // The compiled index finds the same (first) action as `Plan::action`, without
                // comparing the id with every action's.
                if let Some(a) = ctx
                    .action_index
                    .get(action.as_str())
                    .map(|&i| &plan.actions[i])
                {
                    // The choice that took it (its decision was settled by an earlier event).
                    let from = match source {
                        ActionSource::Decision(d) => ctx
                            .decision_index
                            .get(d.as_str())
                            .and_then(|&d| self.tr.chosen[d].map(|c| (d, c))),
                        ActionSource::Palette => None,
                    };
                    self.done.entry(a.id.as_str()).or_default().push(Done {
                        t: ev.t,
                        role: role.clone(),
                        entry: seq,
                        from,
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
        if let Some(procs) = self.tr.apply(kind) {
            self.check_triggers(procs, ev.t, seq);
        }
    }

    /// Whether procedure `i`'s role is in play.
    fn in_play(&self, i: usize) -> bool {
        self.proc_in_play.get(i).copied().unwrap_or(false)
    }

    fn scored(&self) -> Scored<'_> {
        Scored {
            ctx: self.ctx,
            done: &self.done,
            finished: self.finished,
            end_t: self.end_t,
        }
    }

    /// Whether procedure `i` is scored per occurrence of its trigger.
    fn per_occurrence(&self, i: usize) -> bool {
        self.ctx.per_occurrence.get(i).copied().unwrap_or(false)
    }

    /// The occurrence of procedure `i` whose window is still open (from its trigger, or from
    /// the start for the first), with the number of occurrences before it; `None` before its
    /// trigger held.
    fn current(&self, i: usize) -> Option<(SimTime, Window, usize)> {
        if self.per_occurrence(i) {
            let occ = &self.occurrences[i];
            let k = occ.len().checked_sub(1)?;
            let window = Window {
                from: (k > 0).then(|| occ[k].0),
                until: None,
            };
            Some((occ[k].0, window, k))
        } else {
            self.triggered[i].map(|(t0, _)| (t0, Window::default(), 0))
        }
    }

    /// Hashes everything that what the rest of a path adds to the total, and the procedures'
    /// statuses, can still depend on, so that exploration can merge paths that agree on it:
    /// two scorers with the same key, given the same further events, finish with totals that
    /// differ from their [`Scorer::accrued`] sums by the same points earned and possible, and
    /// with the same status for every procedure not settled yet. `open[i]`: the latest time
    /// a record of procedure `i`'s action can still come at, `None` when none can (exploration
    /// knows which decisions can still be taken, and by when). The destructuring names every field: a field added to the scorer does not
    /// compile here until it is hashed or said not to matter. Keep this in step with
    /// [`Scorer::push`], [`Scorer::finish`] and [`Scorer::accrued`] (the brute-force tests in
    /// `explore` check it, with paths built to collide on these rules):
    /// - the tracker only serves triggers that are still checked (not held yet, or scored per
    ///   occurrence): only what those read — the clock and when injects were released and
    ///   decisions settled included, for time conditions;
    /// - per procedure whose role is in play, what `finish` will read for its row that is still
    ///   open (a procedure scored per occurrence: the last occurrence's; the earlier ones are
    ///   closed: their points are in `accrued`). Before its trigger: the best share of the
    ///   points its role's records and another role's would give (credit counts from the
    ///   trigger, so earlier is on time; only a `partly` choice gives less). After it, done by
    ///   its role at the most it can earn (full, or any record when no choice satisfies it
    ///   `partly`: credit then only falls with time), or no record of its action can come any
    ///   more: settled, its points in `accrued` (exploration reads each procedure's status from
    ///   [`Scorer::standing`] as paths settle it). Otherwise: the best record of its role (its
    ///   credit, whether partly and whether in time), else the best of another role, and when
    ///   it was triggered (while a later record's credit could still depend on it: not once
    ///   three times the limit has passed, nor when every record still to come, by
    ///   `open[i]`, is in time). A procedure
    ///   scored per occurrence keeps every record of its open window instead (a new occurrence
    ///   at the same second moves them to the next window; with no record to come, only those
    ///   of this second), and whether its trigger holds;
    /// - violations (`violates` and `against`): nothing (they change the total, not the
    ///   statuses: their points are in `accrued`);
    /// - latencies and observations' rating overrides feed neither the total nor the
    ///   procedures' statuses (the latency table and the objectives' ratings only).
    pub fn merge_key(&self, open: &[Option<SimTime>], h: &mut impl std::hash::Hasher) {
        use crate::engine::cond::Read;
        use std::hash::Hash;
        let Scorer {
            ctx,
            present,
            tr,
            timed: _,
            partly: _,
            proc_in_play: _,
            triggered,
            holding,
            occurrences,
            done,
            violations: _,
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
            now,
            released_at,
            settled_at,
        } = tr;
        present.hash(h);
        // Not `end_t`: what `finish` scores reads it only as the time the record reaches,
        // which is the scenario's end for a finished path; below it is only a time before
        // every later record (each is at the engine's clock or after, and the clock is
        // hashed), used to drop what can no longer matter.
        finished.hash(h);
        let mut reads = Vec::new();
        let scored = self.scored();
        for (i, p) in ctx.plan.procedures.iter().enumerate() {
            let per_occurrence = self.per_occurrence(i);
            if triggered[i].is_none() || per_occurrence {
                ctx.triggers[i].reads(&mut |r| reads.push(r));
            }
            // Whether the trigger holds is always what it reads (hashed below) says: `push`
            // checks the triggers after every event that changes what they read, and at
            // every moment up to it at which time alone can change them. Hashed anyway.
            debug_assert!(!per_occurrence || holding[i] == ctx.triggers[i].holds(tr));
            if !self.in_play(i) {
                3u8.hash(h);
                continue;
            }
            let Some((t0, window, k)) = self.current(i) else {
                // Not triggered yet: every record so far is before the trigger (on time).
                let t0 = *end_t;
                let own = scored.pick(p, t0, Window::default(), true);
                let other = scored.pick(p, t0, Window::default(), false);
                (
                    0u8,
                    own.map(|x| x.2.to_bits()),
                    other.map(|x| x.2.to_bits()),
                )
                    .hash(h);
                if per_occurrence {
                    (holding[i], occurrences[i].len()).hash(h);
                }
                continue;
            };
            let frozen = open.get(i).is_some_and(Option::is_none);
            if per_occurrence && frozen {
                // No record can come any more: every occurrence, this one and any later
                // one, is fixed (`accrued` counts them); left are whether the trigger holds
                // (for when it holds again) and the records of this second, which a new
                // occurrence in the same second would move to its own window.
                (5u8, holding[i]).hash(h);
                for d in done.get(p.action.as_str()).into_iter().flatten() {
                    if window.contains(d.t) && d.t >= *end_t {
                        (
                            d.t,
                            d.role == p.role,
                            scored.choice_share(d.from, p).to_bits(),
                        )
                            .hash(h);
                    }
                }
                continue;
            }
            if per_occurrence {
                // The closed occurrences are fixed: in `accrued`. The open one: every record in it, and whether the trigger holds.
                (4u8, holding[i], k > 0, t0).hash(h);
                for d in done.get(p.action.as_str()).into_iter().flatten() {
                    if window.contains(d.t) {
                        (
                            d.t,
                            d.role == p.role,
                            scored.choice_share(d.from, p).to_bits(),
                        )
                            .hash(h);
                    }
                }
                continue;
            }
            let allowed = p.within_min.map(|m| u64::from(m) * 60);
            let has_partly = self.partly.get(i).copied().unwrap_or(true);
            match scored.pick(p, t0, window, true) {
                Some((_, ts, cs, _)) if ts * cs >= 1.0 || !has_partly => {
                    // Settled: its points are in `accrued`.
                    1u8.hash(h);
                }
                // No record can come any more: fixed as it is, in `accrued`.
                _ if frozen => 1u8.hash(h),
                own => {
                    let other = if own.is_none() {
                        scored
                            .pick(p, t0, window, false)
                            .map(|(_, ts, cs, _)| (ts * cs).to_bits())
                    } else {
                        None
                    };
                    let own = own.map(|(_, ts, cs, _)| ((ts * cs).to_bits(), cs < 1.0, ts >= 1.0));
                    // Later records come at `end_t` or after, and at `open[i]` at the latest:
                    // with no limit, once three times the limit has passed, or when every
                    // record still to come is in time, when it was triggered no longer
                    // matters.
                    let last = open
                        .get(i)
                        .copied()
                        .flatten()
                        .unwrap_or(u64::from(ctx.scenario.duration_min) * 60);
                    let since = allowed
                        .filter(|a| *end_t < t0 + 3 * a && t0 + a < last)
                        .map(|_| t0);
                    (2u8, since, own, other).hash(h);
                }
            }
        }
        reads.sort_unstable_by_key(|r| match *r {
            Read::Var(x) => (0, x),
            Read::Signal(x) => (1, x),
            Read::Chosen(x) => (2, x),
            Read::Released(x) => (3, x),
            Read::Done(x) => (4, x),
            Read::Clock => (5, 0),
            Read::ReleasedAt(x) => (6, x),
            Read::SettledAt(x) => (7, x),
        });
        reads.dedup();
        for r in reads {
            match r {
                Read::Var(x) => (0u8, x, vars[x]).hash(h),
                Read::Signal(x) => (1u8, x, signals[x]).hash(h),
                Read::Chosen(x) => (2u8, x, chosen[x]).hash(h),
                Read::Released(x) => (3u8, x, released[x]).hash(h),
                Read::Done(x) => (4u8, x, acted[x]).hash(h),
                Read::Clock => (5u8, now).hash(h),
                Read::ReleasedAt(x) => (6u8, x, released_at[x]).hash(h),
                Read::SettledAt(x) => (7u8, x, settled_at[x]).hash(h),
            }
        }
    }

    /// The points a path has settled so far, and the points it has made possible: every
    /// choice against a procedure, the points of every row that can no longer change (see
    /// [`Scorer::merge_key`]: a procedure done by its role at the most it can earn, the closed
    /// occurrences of one scored per occurrence), and the weight of every row whose trigger
    /// has held (its role in play). What a path adds to these from a state on depends only on
    /// the state's merge key and what happens next: exploration keeps the sums out of the key
    /// and adds what each step adds (`finish` counts exactly these rows, and each such row's
    /// points only once it is settled).
    pub fn accrued(&self, open: &[Option<SimTime>]) -> (f64, u64) {
        let mut earned: f64 = self.violations.values().flatten().map(|v| v.points).sum();
        let mut possible = 0u64;
        let scored = self.scored();
        for (i, p) in self.ctx.plan.procedures.iter().enumerate() {
            if !self.in_play(i) {
                continue;
            }
            let Some((t0, window, k)) = self.current(i) else {
                continue;
            };
            let weight = f64::from(p.weight);
            possible += u64::from(p.weight) * (k as u64 + 1);
            let frozen = open.get(i).is_some_and(Option::is_none);
            let row = |t0: SimTime, w: Window| {
                scored.best(p, t0, w).map_or(0.0, |(_, ts, cs, _, own)| {
                    weight * ts * cs * if own { 1.0 } else { 0.5 }
                })
            };
            if self.per_occurrence(i) {
                let occ = &self.occurrences[i];
                for j in 0..k {
                    let w = Window {
                        from: (j > 0).then(|| occ[j].0),
                        until: Some(occ[j + 1].0),
                    };
                    earned += row(occ[j].0, w);
                }
                if frozen {
                    earned += row(t0, window);
                }
                continue;
            }
            let has_partly = self.partly.get(i).copied().unwrap_or(true);
            match scored.pick(p, t0, window, true) {
                Some((_, ts, cs, _)) if ts * cs >= 1.0 || !has_partly => {
                    earned += weight * ts * cs;
                }
                _ if frozen => earned += row(t0, window),
                _ => {}
            }
        }
        (earned, possible)
    }

    /// How procedure `i` (plan order) stands: `None` while its trigger has not held (or its
    /// role is not in play); `Some(None)` triggered and not yet done by its role; else the
    /// status of its role's best record so far ([`Status::InTime`], [`Status::Late`] or
    /// [`Status::Partly`]; a later record can only turn a late or partial one into a better
    /// one). A procedure scored per occurrence: the best over its occurrences so far.
    pub fn standing(&self, i: usize) -> Option<Option<Status>> {
        let p = self.ctx.plan.procedures.get(i)?;
        if !self.in_play(i) {
            return None;
        }
        let (_, _, last) = self.current(i)?;
        let scored = self.scored();
        let status = |(_, ts, cs, _): (&Done, f64, f64, u64)| {
            if cs < 1.0 {
                Status::Partly
            } else if ts >= 1.0 {
                Status::InTime
            } else {
                Status::Late
            }
        };
        if !self.per_occurrence(i) {
            let (t0, window, _) = self.current(i)?;
            return Some(scored.pick(p, t0, window, true).map(status));
        }
        let occ = &self.occurrences[i];
        let mut best: Option<Status> = None;
        for j in 0..=last {
            let window = Window {
                from: (j > 0).then(|| occ[j].0),
                until: occ.get(j + 1).map(|o| o.0),
            };
            match scored.pick(p, occ[j].0, window, true).map(status) {
                Some(Status::InTime) => return Some(Some(Status::InTime)),
                Some(s) => best = best.or(Some(s)),
                None => {}
            }
        }
        Some(best)
    }

    /// What [`Scorer::finish`] gives for the total and, per row of the scorecard, the
    /// procedure's index, whether its trigger held and its status (into `rows`), without
    /// building the scorecard: exploration scores every path it plays this way.
    pub fn finish_summary(mut self, rows: &mut Vec<(usize, bool, Status)>) -> Tally {
        let end = self.end_t;
        self.catch_up(end);
        rows.clear();
        let Scorer {
            ctx,
            present,
            triggered,
            occurrences,
            done,
            mut violations,
            end_t,
            finished,
            ..
        } = self;
        let scenario = &ctx.scenario;
        let present =
            |r: &RoleId| scenario.roles.contains(r) && (present.is_empty() || present.contains(r));
        let scored = Scored {
            ctx,
            done: &done,
            finished,
            end_t,
        };
        let mut total = Tally::default();
        // The same rows, in the same order, as `finish`: the sums come out bit for bit the same.
        for (i, p) in ctx.plan.procedures.iter().enumerate() {
            let viol = violations.remove(p.id.as_str()).unwrap_or_default();
            let occ = &occurrences[i];
            if occ.len() > 1 && present(&p.role) {
                let mut split = vec![Vec::new(); occ.len()];
                for v in &viol {
                    let k = occ.iter().rposition(|o| o.0 <= v.t).unwrap_or(0);
                    split[k].push(v.points);
                }
                for (k, charged) in split.iter().enumerate() {
                    let window = Window {
                        from: (k > 0).then(|| occ[k].0),
                        until: occ.get(k + 1).map(|o| o.0),
                    };
                    let o = scored.outcome(p, occ[k].0, window);
                    total.earned += o.points + charged.iter().sum::<f64>();
                    total.possible += o.possible;
                    rows.push((i, true, o.status));
                }
            } else {
                let (status, points, possible) = match triggered[i] {
                    _ if !present(&p.role) => (Status::NotInPlay, 0.0, 0.0),
                    None => (Status::NotTriggered, 0.0, 0.0),
                    Some((t0, _)) => {
                        let o = scored.outcome(p, t0, Window::default());
                        (o.status, o.points, o.possible)
                    }
                };
                total.earned += points + viol.iter().map(|v| v.points).sum::<f64>();
                total.possible += possible;
                rows.push((i, triggered[i].is_some(), status));
            }
        }
        total
    }

    /// The scorecard of the events taken in.
    pub fn finish(mut self) -> Scorecard {
        let end = self.end_t;
        self.catch_up(end);
        let Scorer {
            ctx,
            present,
            tr: _,
            timed: _,
            partly: _,
            proc_in_play: _,
            triggered,
            holding: _,
            occurrences,
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
        let scored = Scored {
            ctx,
            done: &done,
            finished,
            end_t,
        };
        for (i, p) in plan.procedures.iter().enumerate() {
            let viol = violations.remove(p.id.as_str()).unwrap_or_default();
            let occ = &occurrences[i];
            if occ.len() > 1 && present(&p.role) {
                // One row per occurrence; each choice against it belongs to the occurrence it
                // was made in (before the first: the first).
                let mut split = vec![Vec::new(); occ.len()];
                for v in viol {
                    let k = occ.iter().rposition(|o| o.0 <= v.t).unwrap_or(0);
                    split[k].push(v);
                }
                let of = u32::try_from(occ.len()).unwrap_or(u32::MAX);
                for (k, viol) in split.into_iter().enumerate() {
                    let window = Window {
                        from: (k > 0).then(|| occ[k].0),
                        until: occ.get(k + 1).map(|o| o.0),
                    };
                    let mut r = scored.result(i, p, Some(occ[k]), window, viol);
                    let nth = u32::try_from(k + 1).unwrap_or(u32::MAX);
                    r.occurrence = Some((nth, of));
                    r.title = Text::new(
                        format!("{} (keer {nth} van {of})", p.title.nl),
                        format!("{} (occurrence {nth} of {of})", p.title.en),
                    );
                    procedures.push(r);
                }
            } else {
                let mut r = scored.result(i, p, triggered[i], Window::default(), viol);
                if !present(&p.role) {
                    r.status = Status::NotInPlay;
                    r.reason = Reason::NotAtTable {
                        role: p.role.clone(),
                    };
                    r.possible = 0.0;
                    r.points = 0.0;
                    r.done_at = None;
                    r.done_by = None;
                    r.entries = triggered[i]
                        .iter()
                        .map(|x| x.1)
                        .filter(|&s| s > 0)
                        .chain(r.violations.iter().map(|v| v.entry))
                        .collect();
                    r.entries.sort_unstable();
                    r.entries.dedup();
                }
                procedures.push(r);
            }
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

/// The part of the exercise in which actions count for one row of the scorecard: everything
/// for a procedure scored once; for an occurrence of a procedure scored per occurrence, from
/// its trigger (the first also takes what was done before) until the next occurrence.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    from: Option<SimTime>,
    until: Option<SimTime>,
}

impl Window {
    fn contains(self, t: SimTime) -> bool {
        self.from.is_none_or(|f| t >= f) && self.until.is_none_or(|u| t < u)
    }
}

/// A row's figures (see [`Scored::outcome`]).
struct Outcome<'a> {
    status: Status,
    points: f64,
    possible: f64,
    /// The record that counts, its time share, choice share, seconds taken, and whether its
    /// own role's.
    best: Option<(&'a Done, f64, f64, u64, bool)>,
}

/// What every row of the scorecard is computed from.
struct Scored<'a> {
    ctx: &'a Compiled,
    done: &'a BTreeMap<&'a str, Vec<Done>>,
    finished: bool,
    end_t: SimTime,
}

impl Scored<'_> {
    /// The share of its points a choice can earn for procedure `p` (1 unless `partly`).
    fn choice_share(&self, from: Option<(usize, usize)>, p: &crate::model::Procedure) -> f64 {
        let Some((d, c)) = from else { return 1.0 };
        let info = &self.ctx.decisions[d];
        self.ctx.scenario.injects[info.inject].decisions[info.local]
            .options
            .get(c)
            .and_then(|c| c.partly.iter().find(|x| x.procedure == p.id))
            .map_or(1.0, |x| x.share.clamp(0.0, 1.0))
    }

    /// The record of procedure `p` (triggered at `t0`) by its own role (`own`) or by others in
    /// `window` that earns most (the earliest of equals), with its time share, choice share
    /// and the seconds it took: without partial choices that is the first, as credit only
    /// falls with time.
    fn pick(
        &self,
        p: &crate::model::Procedure,
        t0: SimTime,
        window: Window,
        own: bool,
    ) -> Option<(&Done, f64, f64, u64)> {
        let allowed = p.within_min.map(|m| u64::from(m) * 60);
        let mut best: Option<(&Done, f64, f64, u64)> = None;
        for d in self.done.get(p.action.as_str()).into_iter().flatten() {
            if (d.role == p.role) != own || !window.contains(d.t) {
                continue;
            }
            let (ts, took) = credit(allowed, t0, d.t);
            let cs = self.choice_share(d.from, p);
            if best.is_none_or(|b| ts * cs > b.1 * b.2) {
                best = Some((d, ts, cs, took));
            }
        }
        best
    }

    /// The record that counts for procedure `p` in `window`: its own role's best, else
    /// another role's; the last field says whether it is its own role's.
    fn best(
        &self,
        p: &crate::model::Procedure,
        t0: SimTime,
        window: Window,
    ) -> Option<(&Done, f64, f64, u64, bool)> {
        if let Some((d, ts, cs, took)) = self.pick(p, t0, window, true) {
            return Some((d, ts, cs, took, true));
        }
        self.pick(p, t0, window, false)
            .map(|(d, ts, cs, took)| (d, ts, cs, took, false))
    }

    /// How procedure `p` (its role at the table) triggered at `t0` scores, counting the
    /// actions in `window`: the figures of [`Scored::result`] without the words and citations.
    fn outcome(&self, p: &crate::model::Procedure, t0: SimTime, window: Window) -> Outcome<'_> {
        let allowed = p.within_min.map(|m| u64::from(m) * 60);
        let weight = f64::from(p.weight);
        if let Some((d, ts, cs, took, is_own)) = self.best(p, t0, window) {
            let role_share = if is_own { 1.0 } else { 0.5 };
            let status = if !is_own {
                Status::OtherRole
            } else if cs < 1.0 {
                Status::Partly
            } else if ts >= 1.0 {
                Status::InTime
            } else {
                Status::Late
            };
            Outcome {
                status,
                points: weight * ts * cs * role_share,
                possible: weight,
                best: Some((d, ts, cs, took, is_own)),
            }
        } else if !self.finished
            && window.until.is_none()
            && allowed.is_none_or(|a| self.end_t < t0 + 3 * a)
        {
            Outcome {
                status: Status::Open,
                points: 0.0,
                possible: 0.0,
                best: None,
            }
        } else {
            Outcome {
                status: Status::Missed,
                points: 0.0,
                possible: weight,
                best: None,
            }
        }
    }

    /// The row for procedure `i` (its role at the table) triggered at `trig`, counting the
    /// actions in `window`.
    fn result(
        &self,
        i: usize,
        p: &crate::model::Procedure,
        trig: Option<(SimTime, u64)>,
        window: Window,
        violations: Vec<Violation>,
    ) -> ProcedureResult {
        let allowed = p.within_min.map(|m| u64::from(m) * 60);
        let mut r = ProcedureResult {
            id: p.id.clone(),
            title: p.title.clone(),
            role: p.role.clone(),
            phase: p.phase,
            action: p.action.clone(),
            weight: p.weight,
            status: Status::NotTriggered,
            triggered_at: trig.map(|x| x.0),
            allowed_secs: allowed,
            done_at: None,
            done_by: None,
            points: 0.0,
            possible: 0.0,
            violations,
            reason: Reason::NotTriggered,
            entries: trig.iter().map(|x| x.1).filter(|&s| s > 0).collect(),
            occurrence: None,
            index: i,
        };
        r.entries.extend(r.violations.iter().map(|v| v.entry));
        if let Some((t0, _)) = trig {
            let o = self.outcome(p, t0, window);
            r.status = o.status;
            r.points = o.points;
            r.possible = o.possible;
            if let Some((d, ts, cs, took, is_own)) = o.best {
                let role_share = if is_own { 1.0 } else { 0.5 };
                r.done_at = Some(d.t);
                r.done_by = Some(d.role.clone());
                r.entries.push(d.entry);
                r.reason = if cs < 1.0 {
                    let (dec, ch) = d.from.map_or((0, 0), |x| x);
                    let info = &self.ctx.decisions[dec];
                    Reason::Partly {
                        took_secs: took,
                        allowed_secs: allowed,
                        share: cs,
                        credit: ts * cs * role_share,
                        decision: info.id.to_string(),
                        choice: info
                            .choices
                            .get(ch)
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        by: (!is_own).then(|| d.role.clone()),
                    }
                } else if !is_own {
                    Reason::OtherRole {
                        by: d.role.clone(),
                        owner: p.role.clone(),
                        took_secs: took,
                    }
                } else if d.t < t0 {
                    Reason::Early { at: d.t }
                } else if ts >= 1.0 {
                    Reason::InTime {
                        took_secs: took,
                        allowed_secs: allowed,
                    }
                } else {
                    Reason::Late {
                        took_secs: took,
                        allowed_secs: allowed.unwrap_or(took),
                        credit: ts,
                    }
                };
            } else if o.status == Status::Open {
                r.reason = Reason::Open {
                    since: t0,
                    allowed_secs: allowed,
                };
            } else {
                r.reason = Reason::Missed {
                    triggered: t0,
                    action: p.action.clone(),
                };
            }
        }
        r.entries.sort_unstable();
        r.entries.dedup();
        r
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
    // `violates` charges the whole weight; `against` its share, with a reason.
    let charged = c.violates.iter().map(|v| (v, 1.0)).chain(
        c.against
            .iter()
            .map(|a| (&a.procedure, a.share.clamp(0.0, 1.0))),
    );
    for (v, share) in charged {
        if let Some(p) = ctx.plan.procedures.iter().find(|p| p.id == *v) {
            out.entry(p.id.as_str()).or_default().push(Violation {
                decision: decision.to_owned(),
                choice: choice.to_owned(),
                role: role.clone(),
                t,
                by_default,
                points: -f64::from(p.weight) * share,
                entry,
            });
        }
    }
}

#[cfg(test)]
mod tests;
