//! Conditions compiled to indices, evaluated against any view of an exercise's state.

use crate::model::{Cond, Op, Value};

/// A condition with every id resolved to an index.
#[derive(Debug, Clone, PartialEq)]
pub enum CCond {
    /// Always true.
    Always,
    /// All hold.
    All(Vec<CCond>),
    /// Any holds.
    Any(Vec<CCond>),
    /// Does not hold.
    Not(Box<CCond>),
    /// Variable compared with a value.
    Var(usize, Op, Value),
    /// Signal raised.
    Signal(usize),
    /// Decision resolved into a choice.
    Chosen(usize, usize),
    /// Inject released.
    Released(usize),
    /// Action taken by some role.
    Done(usize),
    /// Refers to something that does not exist here (a plan trigger naming no variable of this
    /// scenario): never holds.
    Never,
    /// From this simulated second on.
    After(u64),
    /// Inject released less than this many seconds ago.
    ReleasedWithin(usize, u64),
    /// Decision settled less than this many seconds ago.
    DecidedWithin(usize, u64),
}

/// What a condition can ask about a state.
pub trait View {
    /// The current value of a variable.
    fn var(&self, var: usize) -> Value;
    /// Whether a signal has been raised.
    fn signal(&self, signal: usize) -> bool;
    /// The choice a decision was resolved into, if any.
    fn chosen(&self, decision: usize) -> Option<usize>;
    /// Whether an inject has been released.
    fn released(&self, inject: usize) -> bool;
    /// Whether some role has taken an action.
    fn done(&self, action: usize) -> bool;
    /// The simulated time now, in seconds.
    fn now(&self) -> u64;
    /// When an inject was released, if it was.
    fn released_at(&self, inject: usize) -> Option<u64>;
    /// When a decision was settled (answered or expired), if it was.
    fn settled_at(&self, decision: usize) -> Option<u64>;
}

impl CCond {
    /// Evaluates the condition.
    pub fn holds(&self, v: &impl View) -> bool {
        match self {
            CCond::Always => true,
            CCond::Never => false,
            CCond::All(cs) => cs.iter().all(|c| c.holds(v)),
            CCond::Any(cs) => cs.iter().any(|c| c.holds(v)),
            CCond::Not(c) => !c.holds(v),
            CCond::Var(i, op, value) => op.apply(v.var(*i), *value),
            CCond::Signal(s) => v.signal(*s),
            CCond::Chosen(d, c) => v.chosen(*d) == Some(*c),
            CCond::Released(i) => v.released(*i),
            CCond::Done(a) => v.done(*a),
            CCond::After(t) => v.now() >= *t,
            CCond::ReleasedWithin(i, w) => v
                .released_at(*i)
                .is_some_and(|r| v.now() < r.saturating_add(*w)),
            CCond::DecidedWithin(d, w) => v
                .settled_at(*d)
                .is_some_and(|r| v.now() < r.saturating_add(*w)),
        }
    }

    /// The earliest time after `v.now()` at which the passing of time alone can change whether
    /// the condition holds (a minute in `After`, the end of a `..Within` window); `None` when
    /// only a change of state can.
    pub fn next_change(&self, v: &impl View) -> Option<u64> {
        let now = v.now();
        match self {
            CCond::All(cs) | CCond::Any(cs) => cs.iter().filter_map(|c| c.next_change(v)).min(),
            CCond::Not(c) => c.next_change(v),
            CCond::After(t) => (now < *t).then_some(*t),
            CCond::ReleasedWithin(i, w) => v
                .released_at(*i)
                .map(|r| r.saturating_add(*w))
                .filter(|&t| t > now),
            CCond::DecidedWithin(d, w) => v
                .settled_at(*d)
                .map(|r| r.saturating_add(*w))
                .filter(|&t| t > now),
            _ => None,
        }
    }

    /// Whether the condition reads the clock (so that it can change while nothing happens).
    pub fn is_timed(&self) -> bool {
        match self {
            CCond::All(cs) | CCond::Any(cs) => cs.iter().any(CCond::is_timed),
            CCond::Not(c) => c.is_timed(),
            CCond::After(_) | CCond::ReleasedWithin(..) | CCond::DecidedWithin(..) => true,
            _ => false,
        }
    }
}

/// Resolves ids to indices.
pub trait Resolver {
    /// Index of a variable.
    fn var(&self, id: &str) -> Option<usize>;
    /// Index of a signal.
    fn signal(&self, id: &str) -> Option<usize>;
    /// Index of a decision and of one of its choices.
    fn choice(&self, decision: &str, choice: &str) -> Option<(usize, usize)>;
    /// Index of an inject.
    fn inject(&self, id: &str) -> Option<usize>;
    /// Index of an action.
    fn action(&self, id: &str) -> Option<usize>;
    /// Index of a decision.
    fn decision(&self, id: &str) -> Option<usize>;
}

/// Compiles a condition; ids that do not resolve become [`CCond::Never`] (validation reports
/// them before anything plays).
pub fn compile(c: &Cond, r: &impl Resolver) -> CCond {
    match c {
        Cond::Always => CCond::Always,
        Cond::All(cs) => CCond::All(cs.iter().map(|c| compile(c, r)).collect()),
        Cond::Any(cs) => CCond::Any(cs.iter().map(|c| compile(c, r)).collect()),
        Cond::Not(c) => CCond::Not(Box::new(compile(c, r))),
        Cond::Var(v, op, value) => r
            .var(v.as_str())
            .map_or(CCond::Never, |i| CCond::Var(i, *op, *value)),
        Cond::Signal(s) => r.signal(s.as_str()).map_or(CCond::Never, CCond::Signal),
        Cond::Chosen(d, c) => r
            .choice(d.as_str(), c.as_str())
            .map_or(CCond::Never, |(d, c)| CCond::Chosen(d, c)),
        Cond::Released(i) => r.inject(i.as_str()).map_or(CCond::Never, CCond::Released),
        Cond::Done(a) => r.action(a.as_str()).map_or(CCond::Never, CCond::Done),
        Cond::After(m) => CCond::After(u64::from(*m) * 60),
        Cond::ReleasedWithin(i, m) => r.inject(i.as_str()).map_or(CCond::Never, |i| {
            CCond::ReleasedWithin(i, u64::from(*m) * 60)
        }),
        Cond::DecidedWithin(d, m) => r.decision(d.as_str()).map_or(CCond::Never, |d| {
            CCond::DecidedWithin(d, u64::from(*m) * 60)
        }),
    }
}

/// One thing a condition reads from a state (see [`CCond::reads`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// A variable's value.
    Var(usize),
    /// Whether a signal is raised.
    Signal(usize),
    /// The choice a decision was resolved into.
    Chosen(usize),
    /// Whether an inject is released.
    Released(usize),
    /// Whether an action is done.
    Done(usize),
    /// The simulated time (`After`, and the `..Within` windows).
    Clock,
    /// When an inject was released (`ReleasedWithin`).
    ReleasedAt(usize),
    /// When a decision was settled (`DecidedWithin`).
    SettledAt(usize),
}

impl CCond {
    /// Calls `f` with everything the condition reads. Exploration merges states that agree on
    /// everything still read; the match has no catch-all, so a new kind of condition does not
    /// compile until it says what it reads.
    pub fn reads(&self, f: &mut impl FnMut(Read)) {
        match self {
            CCond::Always | CCond::Never => {}
            CCond::All(cs) | CCond::Any(cs) => {
                for c in cs {
                    c.reads(f);
                }
            }
            CCond::Not(c) => c.reads(f),
            CCond::Var(i, _, _) => f(Read::Var(*i)),
            CCond::Signal(s) => f(Read::Signal(*s)),
            CCond::Chosen(d, _) => f(Read::Chosen(*d)),
            CCond::Released(i) => f(Read::Released(*i)),
            CCond::Done(a) => f(Read::Done(*a)),
            CCond::After(_) => f(Read::Clock),
            CCond::ReleasedWithin(i, _) => {
                f(Read::Clock);
                f(Read::ReleasedAt(*i));
            }
            CCond::DecidedWithin(d, _) => {
                f(Read::Clock);
                f(Read::SettledAt(*d));
            }
        }
    }
}
