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
            EventKind::SignalCleared { signal } => {
                if let Some(&i) = c.signal_index.get(signal.as_str()) {
                    self.signals[i] = false;
                }
            }
            EventKind::InjectReleased { inject, .. } => {
                if let Some(&i) = c.inject_index.get(inject.as_str()) {
                    self.released[i] = true;
                    self.released_at[i].get_or_insert(self.now);
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
                    self.settled_at[d].get_or_insert(self.now);
                }
            }
            EventKind::DecisionExpired {
                decision,
                choice: None,
                ..
            } => {
                if let Some(&d) = c.decision_index.get(decision.as_str()) {
                    self.settled_at[d].get_or_insert(self.now);
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
/// are the roles at the table (empty: all), `end_t` the time the record reaches. Exploration
/// scores its paths with this, without writing journals.
pub fn score_events<'e>(
    ctx: &Compiled,
    present: &[RoleId],
    events: impl Iterator<Item = (u64, &'e crate::engine::Event)>,
    end_t: SimTime,
) -> Scorecard {
    let plan = &ctx.plan;
    let scenario = &ctx.scenario;
    let mut tr = Tracker {
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
    // Triggers that read the clock are checked again whenever time alone may change them.
    let timed = ctx.triggers.iter().any(CCond::is_timed);
    let n = plan.procedures.len();
    let mut triggered: Vec<Option<(SimTime, u64)>> = vec![None; n];
    // Procedures scored per occurrence: whether the trigger holds, and every moment it started
    // to hold (the first is `triggered`).
    let mut holding: Vec<bool> = vec![false; n];
    let mut occurrences: Vec<Vec<(SimTime, u64)>> = vec![Vec::new(); n];
    for (i, t) in ctx.triggers.iter().enumerate() {
        if t.holds(&tr) {
            triggered[i] = Some((0, 0));
            holding[i] = true;
            occurrences[i].push((0, 0));
        }
    }
    // Actions by action id: every time it was done, by whom.
    let mut done: BTreeMap<&str, Vec<Done>> = BTreeMap::new();
    let mut violations: BTreeMap<&str, Vec<Violation>> = BTreeMap::new();
    let mut overrides: BTreeMap<&str, (Rating, String, u64)> = BTreeMap::new();
    let mut latencies: BTreeMap<&str, (Vec<u64>, usize)> = BTreeMap::new();
    let mut end_t = end_t;
    let mut finished = false;
    let mut check_triggers =
        |tr: &Tracker, t: SimTime, seq: u64, triggered: &mut Vec<Option<(SimTime, u64)>>| {
            for (i, c) in ctx.triggers.iter().enumerate() {
                if ctx.per_occurrence.get(i).copied().unwrap_or(false) {
                    let now = c.holds(tr);
                    if now && !holding[i] {
                        occurrences[i].push((t, seq));
                        triggered[i].get_or_insert((t, seq));
                    }
                    holding[i] = now;
                } else if triggered[i].is_none() && c.holds(tr) {
                    triggered[i] = Some((t, seq));
                }
            }
        };
    for (seq, ev) in events {
        if timed {
            // Moments between events at which a trigger that reads the clock may change.
            while let Some(w) = ctx
                .triggers
                .iter()
                .filter_map(|c| c.next_change(&tr))
                .filter(|&w| w <= ev.t)
                .min()
            {
                tr.now = w;
                check_triggers(&tr, w, 0, &mut triggered);
            }
        }
        tr.now = ev.t;
        end_t = end_t.max(ev.t);
        let kind = &ev.kind;
        if matches!(kind, EventKind::Ended { .. }) {
            finished = true;
        }
        match kind {
            EventKind::ActionTaken {
                role,
                action,
                source,
                ..
            } => {
                if let Some(a) = plan.action(action.as_str()) {
                    // The choice that took it (its decision was settled by an earlier event).
                    let from = match source {
                        ActionSource::Decision(d) => ctx
                            .decision_index
                            .get(d.as_str())
                            .and_then(|&d| tr.chosen[d].map(|c| (d, c))),
                        ActionSource::Palette => None,
                    };
                    done.entry(a.id.as_str()).or_default().push(Done {
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
                let l = latencies.entry(role_key(ctx, role)).or_default();
                l.0.push(*latency_secs);
                record_violations(
                    ctx,
                    decision.as_str(),
                    choice.as_str(),
                    role,
                    ev.t,
                    false,
                    seq,
                    &mut violations,
                );
            }
            EventKind::DecisionExpired {
                decision,
                role,
                choice,
            } => {
                latencies.entry(role_key(ctx, role)).or_default().1 += 1;
                if let Some(c) = choice {
                    record_violations(
                        ctx,
                        decision.as_str(),
                        c.as_str(),
                        role,
                        ev.t,
                        true,
                        seq,
                        &mut violations,
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
                    overrides.insert(obj.id.as_str(), (*r, text.clone(), seq));
                }
            }
            _ => {}
        }
        if tr.apply(kind) {
            check_triggers(&tr, ev.t, seq, &mut triggered);
        }
    }
    if timed {
        while let Some(w) = ctx
            .triggers
            .iter()
            .filter_map(|c| c.next_change(&tr))
            .filter(|&w| w <= end_t)
            .min()
        {
            tr.now = w;
            check_triggers(&tr, w, 0, &mut triggered);
        }
    }

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
        let weight = f64::from(p.weight);
        if let Some((t0, _)) = trig {
            r.possible = weight;
            let time_share = |d: &Done| -> (f64, u64) {
                let took = d.t.saturating_sub(t0);
                let share = match allowed {
                    None => 1.0,
                    Some(a) if took <= a => 1.0,
                    Some(a) => (1.0 - (took - a) as f64 / (2 * a) as f64).max(0.0),
                };
                (share, took)
            };
            // The record that earns most (the earliest of equals): without partial choices
            // that is the first, as credit only falls with time.
            let best = |own: bool| -> Option<(&Done, f64, f64, u64)> {
                let mut best: Option<(&Done, f64, f64, u64)> = None;
                for d in self.done.get(p.action.as_str()).into_iter().flatten() {
                    if (d.role == p.role) != own || !window.contains(d.t) {
                        continue;
                    }
                    let (ts, took) = time_share(d);
                    let cs = self.choice_share(d.from, p);
                    if best.is_none_or(|b| ts * cs > b.1 * b.2) {
                        best = Some((d, ts, cs, took));
                    }
                }
                best
            };
            let own = best(true);
            let pick = own.or_else(|| best(false));
            if let Some((d, ts, cs, took)) = pick {
                let is_own = own.is_some();
                let role_share = if is_own { 1.0 } else { 0.5 };
                r.done_at = Some(d.t);
                r.done_by = Some(d.role.clone());
                r.entries.push(d.entry);
                r.points = weight * ts * cs * role_share;
                r.status = if !is_own {
                    Status::OtherRole
                } else if cs < 1.0 {
                    Status::Partly
                } else if ts >= 1.0 {
                    Status::InTime
                } else {
                    Status::Late
                };
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
            } else if !self.finished
                && window.until.is_none()
                && allowed.is_none_or(|a| self.end_t < t0 + 3 * a)
            {
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
        r
    }
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
