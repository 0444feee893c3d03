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
        }
    }
}
