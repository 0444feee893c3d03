//! A scenario and its plan with every id resolved to an index, built once per exercise and
//! shared by every clone of the simulation.

use std::collections::{HashMap, HashSet};

use super::cond::{self, CCond, Read, Resolver};
use crate::model::{ChoiceId, DecisionId, Plan, RoleId, Scenario, Value, VarId};

/// Index by id: hashed (ids are looked up for every event scored), with a fixed seed, so that
/// nothing depends on the process; never iterated.
pub type IdIndex = HashMap<String, usize, foldhash::fast::FixedState>;

/// One decision, flattened out of its inject.
#[derive(Debug, Clone)]
pub struct DecisionInfo {
    /// Its id.
    pub id: DecisionId,
    /// Its role.
    pub role: RoleId,
    /// The inject index that carries it.
    pub inject: usize,
    /// Its index within that inject's decisions.
    pub local: usize,
    /// Minutes from release to deadline.
    pub due_min: u32,
    /// Choice ids, by index.
    pub choices: Vec<ChoiceId>,
    /// The default choice index.
    pub default: Option<usize>,
}

/// One inject's compiled parts.
#[derive(Debug, Clone)]
pub struct InjectInfo {
    /// Its release condition.
    pub when: CCond,
    /// Its decisions (indices into [`Compiled::decisions`]).
    pub decisions: Vec<usize>,
}

/// A scenario and plan with ids resolved.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The plan.
    pub plan: Plan,
    /// The scenario.
    pub scenario: Scenario,
    /// Plan roles.
    pub plan_roles: HashSet<String, foldhash::fast::FixedState>,
    /// Variable ids by index (plan's first, then the scenario's).
    pub var_ids: Vec<VarId>,
    /// Variable index by id.
    pub var_index: IdIndex,
    /// Integer bounds by index.
    pub var_bounds: Vec<(i64, i64)>,
    /// Hidden flags by index.
    pub var_hidden: Vec<bool>,
    /// Start values by index.
    pub initial_vars: Vec<Value>,
    /// Signal index by id.
    pub signal_index: IdIndex,
    /// Action index by id.
    pub action_index: IdIndex,
    /// Inject index by id.
    pub inject_index: IdIndex,
    /// Decision index by id.
    pub decision_index: IdIndex,
    /// Decisions, flattened.
    pub decisions: Vec<DecisionInfo>,
    /// Injects' compiled parts, by index.
    pub injects: Vec<InjectInfo>,
    /// For each random chance, its inject index.
    pub chance_injects: Vec<Option<usize>>,
    /// Plan procedure triggers, by procedure index.
    pub triggers: Vec<CCond>,
    /// Whether each plan procedure is scored per occurrence of its trigger (its own
    /// `per_occurrence`, or the scenario's list), by procedure index.
    pub per_occurrence: Vec<bool>,
    /// Which procedures' triggers read what, so that scoring checks again only the triggers
    /// an event can change.
    pub trigger_readers: TriggerReaders,
}

/// For each thing a plan trigger can read, the procedures (indices, ascending) whose trigger
/// reads it (see [`CCond::reads`]).
#[derive(Debug, Clone, Default)]
pub struct TriggerReaders {
    /// By variable.
    pub var: Vec<Vec<usize>>,
    /// By signal.
    pub signal: Vec<Vec<usize>>,
    /// By inject: whether or when it was released.
    pub inject: Vec<Vec<usize>>,
    /// By decision: the choice it resolved into or when it was settled.
    pub decision: Vec<Vec<usize>>,
    /// By action: whether it was done.
    pub action: Vec<Vec<usize>>,
    /// The procedures whose trigger reads the clock.
    pub timed: Vec<usize>,
}

impl TriggerReaders {
    fn new(c: &Compiled) -> Self {
        let mut r = TriggerReaders {
            var: vec![Vec::new(); c.var_ids.len()],
            signal: vec![Vec::new(); c.plan.signals.len()],
            inject: vec![Vec::new(); c.scenario.injects.len()],
            decision: vec![Vec::new(); c.decisions.len()],
            action: vec![Vec::new(); c.plan.actions.len()],
            timed: Vec::new(),
        };
        for (p, t) in c.triggers.iter().enumerate() {
            t.reads(&mut |read| {
                let list = match read {
                    Read::Var(x) => r.var.get_mut(x),
                    Read::Signal(x) => r.signal.get_mut(x),
                    Read::Chosen(x) | Read::SettledAt(x) => r.decision.get_mut(x),
                    Read::Released(x) | Read::ReleasedAt(x) => r.inject.get_mut(x),
                    Read::Done(x) => r.action.get_mut(x),
                    Read::Clock => Some(&mut r.timed),
                };
                // Procedures come in order: a procedure already last need not be added again.
                if let Some(list) = list
                    && list.last() != Some(&p)
                {
                    list.push(p);
                }
            });
        }
        r
    }
}

impl Resolver for Compiled {
    fn var(&self, id: &str) -> Option<usize> {
        self.var_index.get(id).copied()
    }
    fn signal(&self, id: &str) -> Option<usize> {
        self.signal_index.get(id).copied()
    }
    fn choice(&self, decision: &str, choice: &str) -> Option<(usize, usize)> {
        let d = *self.decision_index.get(decision)?;
        let c = self.decisions[d]
            .choices
            .iter()
            .position(|c| c.as_str() == choice)?;
        Some((d, c))
    }
    fn inject(&self, id: &str) -> Option<usize> {
        self.inject_index.get(id).copied()
    }
    fn action(&self, id: &str) -> Option<usize> {
        self.action_index.get(id).copied()
    }
    fn decision(&self, id: &str) -> Option<usize> {
        self.decision_index.get(id).copied()
    }
}

impl Compiled {
    /// Resolves every id of `scenario` against `plan`. Unresolvable references (which
    /// validation reports) become conditions that never hold and effects that do nothing.
    pub fn new(plan: &Plan, scenario: &Scenario) -> Self {
        let vars: Vec<_> = plan.vars.iter().chain(&scenario.vars).collect();
        let mut var_index = IdIndex::default();
        for (i, v) in vars.iter().enumerate() {
            var_index.entry(v.id.to_string()).or_insert(i);
        }
        let initial_vars = vars
            .iter()
            .map(|v| match scenario.init.get(&v.id) {
                Some(x) if x.kind() == v.init.kind() => *x,
                _ => v.init,
            })
            .collect();
        let mut decisions = Vec::new();
        let mut decision_index = IdIndex::default();
        let mut injects = Vec::new();
        for (ii, inject) in scenario.injects.iter().enumerate() {
            let mut ds = Vec::new();
            for (local, d) in inject.decisions.iter().enumerate() {
                let choices: Vec<ChoiceId> = d.options.iter().map(|c| c.id.clone()).collect();
                let default = d
                    .default
                    .as_ref()
                    .and_then(|def| choices.iter().position(|c| c == def));
                decision_index
                    .entry(d.id.to_string())
                    .or_insert(decisions.len());
                ds.push(decisions.len());
                decisions.push(DecisionInfo {
                    id: d.id.clone(),
                    role: d.role.clone(),
                    inject: ii,
                    local,
                    due_min: d.due_min,
                    choices,
                    default,
                });
            }
            injects.push(InjectInfo {
                when: CCond::Always,
                decisions: ds,
            });
        }
        let index = |ids: Vec<String>| -> IdIndex {
            let mut m = IdIndex::default();
            for (i, id) in ids.into_iter().enumerate() {
                m.entry(id).or_insert(i);
            }
            m
        };
        let mut c = Compiled {
            plan: plan.clone(),
            scenario: scenario.clone(),
            plan_roles: plan.roles.iter().map(|r| r.id.to_string()).collect(),
            var_ids: vars.iter().map(|v| v.id.clone()).collect(),
            var_index,
            var_bounds: vars
                .iter()
                .map(|v| (v.min.unwrap_or(i64::MIN), v.max.unwrap_or(i64::MAX)))
                .collect(),
            var_hidden: vars.iter().map(|v| v.hidden).collect(),
            initial_vars,
            signal_index: index(plan.signals.iter().map(|s| s.id.to_string()).collect()),
            action_index: index(plan.actions.iter().map(|a| a.id.to_string()).collect()),
            inject_index: index(scenario.injects.iter().map(|i| i.id.to_string()).collect()),
            decision_index,
            decisions,
            injects,
            chance_injects: Vec::new(),
            triggers: Vec::new(),
            per_occurrence: plan
                .procedures
                .iter()
                .map(|p| p.per_occurrence || scenario.per_occurrence.contains(&p.id))
                .collect(),
            trigger_readers: TriggerReaders::default(),
        };
        for (i, inject) in scenario.injects.iter().enumerate() {
            c.injects[i].when = inject
                .when
                .as_ref()
                .map_or(CCond::Always, |w| cond::compile(w, &c));
        }
        c.chance_injects = scenario
            .random
            .iter()
            .map(|ch| c.inject_index.get(ch.inject.as_str()).copied())
            .collect();
        c.triggers = plan
            .procedures
            .iter()
            .map(|p| cond::compile(&p.trigger, &c))
            .collect();
        c.trigger_readers = TriggerReaders::new(&c);
        c
    }
}
