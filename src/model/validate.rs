//! Validation: every reference checked, every finding placed at a line and column.

mod authoring;

use std::collections::{BTreeMap, BTreeSet};

/// Hash maps with a fast fixed hasher: validation keys them by the ids of files up to 8 MiB,
/// and iterates none of them where order could reach the output.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
use std::fmt::Write as _;
use std::path::Path;

use super::diag::{Diagnostic, IdKind, Problem, SUGGEST_BUDGET, Suggester};
use super::load::Loaded;
use super::locate::{Locator, Pos, Range};
use super::{Cond, Effect, Plan, Scenario, Value, Var, VarKind};

/// Longest scenario the engine accepts: one week of simulated time.
pub const MAX_DURATION_MIN: u32 = 7 * 24 * 60;

/// Longest id, in characters. Ids are short names (`"i-melding"`); the shipped library's
/// longest has 27 characters.
pub const MAX_ID_CHARS: usize = 64;

/// Longest text (a title, a body, a prompt, a citation), in characters. The shipped library's
/// longest has under 1,000.
pub const MAX_TEXT_CHARS: usize = 20_000;

struct Ctx<'a> {
    path: &'a Path,
    loc: &'a Locator,
    out: Vec<Diagnostic>,
    suggester: Suggester,
}

impl Ctx<'_> {
    fn error(&mut self, pos: Pos, problem: Problem, help: impl Into<String>) {
        let help: String = help.into();
        let d = Diagnostic::error(self.path, pos, problem);
        self.out.push(if help.is_empty() {
            d
        } else {
            d.with_help(help)
        });
    }

    fn warning(&mut self, pos: Pos, problem: Problem, help: impl Into<String>) {
        let help: String = help.into();
        let d = Diagnostic::warning(self.path, pos, problem);
        self.out.push(if help.is_empty() {
            d
        } else {
            d.with_help(help)
        });
    }

    /// Where a string value sits inside an object, or the object itself.
    fn at_str(&self, obj: Range, value: &str) -> Pos {
        self.loc
            .string(obj, value, 0)
            .unwrap_or_else(|| self.loc.pos(obj))
    }

    fn at_field(&self, obj: Range, field: &str) -> Pos {
        self.loc
            .field(obj, field)
            .unwrap_or_else(|| self.loc.pos(obj))
    }

    /// Checks that `id` is one of `known`; reports an unknown id with a suggestion otherwise.
    fn check_ref(&mut self, kind: IdKind, id: &str, known: &BTreeSet<&str>, obj: Range) -> bool {
        if known.contains(id) {
            return true;
        }
        // The choices of each decision differ; every other kind has one set per file.
        let suggestion = if kind == IdKind::Choice {
            self.suggester.suggest(id, known.iter().copied())
        } else {
            self.suggester
                .suggest_in(kind.word(), id, known.iter().copied())
        };
        let help = match &suggestion {
            Some(s) => format!("replace \"{}\" with \"{s}\"", super::diag::clip(id)),
            None => format!(
                "use one of the {} ids: {}",
                kind.word(),
                preview(known.iter().copied())
            ),
        };
        let pos = self.at_str(obj, id);
        self.error(
            pos,
            Problem::Unknown {
                kind,
                id: id.to_owned(),
                suggestion,
            },
            help,
        );
        false
    }

    /// Reports empty and duplicate ids in a list; returns the set of ids. Each item comes with
    /// its object in the source when known (from the list's elements), so that every duplicate
    /// is placed without searching the file again.
    fn unique_ids<'v>(
        &mut self,
        kind: IdKind,
        struct_name: &str,
        within: Range,
        items: impl Iterator<Item = (&'v str, Option<Range>)>,
    ) -> BTreeSet<&'v str> {
        /// Per id: how often seen, the first one's object, and its `id`'s position (found when
        /// first needed).
        struct Seen {
            count: usize,
            first_obj: Option<Range>,
            first_pos: Option<Pos>,
            located: bool,
        }
        let mut seen: HashMap<&str, Seen> = HashMap::default();
        for (id, obj) in items {
            let entry = seen.entry(id).or_insert(Seen {
                count: 0,
                first_obj: obj,
                first_pos: None,
                located: false,
            });
            let n = entry.count;
            entry.count += 1;
            if !id.trim().is_empty() && n == 0 {
                continue;
            }
            let pos = self
                .id_pos(obj, within, struct_name, id, n)
                .unwrap_or_else(|| self.loc.pos(within));
            if id.trim().is_empty() {
                self.error(pos, Problem::EmptyId { kind }, "give it a short, unique id");
                continue;
            }
            if !entry.located {
                entry.first_pos = self.id_pos(entry.first_obj, within, struct_name, id, 0);
                entry.located = true;
            }
            let first = entry.first_pos;
            self.error(
                pos,
                Problem::Duplicate {
                    kind,
                    id: id.to_owned(),
                    first_line: first.map(|p| p.line),
                },
                format!("rename one of the two {}s", kind.word()),
            );
        }
        seen.into_keys().collect()
    }

    /// Where the `id` of an object is: from the object when known, else the `n`-th object with
    /// that id (searched only for the first few, to keep duplicates linear).
    fn id_pos(
        &self,
        obj: Option<Range>,
        within: Range,
        struct_name: &str,
        id: &str,
        n: usize,
    ) -> Option<Pos> {
        match obj {
            Some(o) => self.loc.field(o, "id"),
            None if n < 100 => self.loc.id_pos(within, struct_name, id, n),
            None => None,
        }
    }

    /// The objects of the elements of list field `field` of `parent`, one per parsed item, when
    /// the source has as many elements as were parsed; `None` each otherwise.
    fn list_objects(&self, parent: Range, field: &str, n: usize) -> Vec<Option<Range>> {
        self.list_objects_in(self.loc.field_range(parent, field), n)
    }

    /// As [`Ctx::list_objects`], for a list whose range is known.
    fn list_objects_in(&self, list: Option<Range>, n: usize) -> Vec<Option<Range>> {
        if n == 0 {
            return Vec::new();
        }
        let elements = list.map(|r| self.loc.elements(r)).unwrap_or_default();
        if elements.len() == n {
            elements
                .into_iter()
                .map(|e| self.loc.element_object(e))
                .collect()
        } else {
            vec![None; n]
        }
    }

    /// Ids and texts over the length limits, reported where they are.
    fn check_lengths(&mut self) {
        let ids = self.loc.long_ids(MAX_ID_CHARS);
        let at_ids: BTreeSet<Pos> = ids.iter().map(|(p, _)| *p).collect();
        for (pos, chars) in ids {
            self.error(
                pos,
                Problem::TooLong {
                    what: "id".into(),
                    chars,
                    limit: MAX_ID_CHARS,
                },
                "an id is a short name such as \"i-melding\"; put longer words in the title",
            );
        }
        for (pos, chars) in self.loc.long_strings(MAX_TEXT_CHARS) {
            if at_ids.contains(&pos) {
                continue;
            }
            self.error(
                pos,
                Problem::TooLong {
                    what: "text".into(),
                    chars,
                    limit: MAX_TEXT_CHARS,
                },
                "shorten the text, or split it over several injects",
            );
        }
        for (pos, lang) in self.loc.half_translated() {
            let (missing, written) = if lang == "en" {
                ("English", "Dutch")
            } else {
                ("Dutch", "English")
            };
            self.warning(
                pos,
                Problem::MissingTranslation {
                    lang: missing.into(),
                },
                format!(
                    "write the {missing} text here; players and reports in {missing} would see \
                     nothing (copy the {written} text if there is no translation yet)"
                ),
            );
        }
    }
}

fn preview<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> String {
    let len = ids.len();
    let mut s = ids
        .take(8)
        .map(|s| format!("\"{}\"", super::diag::clip(s)))
        .collect::<Vec<_>>()
        .join(", ");
    if len > 8 {
        let _ = write!(s, ", … ({len} in all)");
    }
    if len == 0 {
        s.push_str("(none defined)");
    }
    s
}

/// What conditions and effects may name, and the types of variables.
struct Names<'a> {
    vars: BTreeMap<&'a str, &'a Var>,
    /// The keys of `vars`, for "did you mean".
    var_ids: BTreeSet<&'a str>,
    signals: BTreeSet<&'a str>,
    actions: BTreeSet<&'a str>,
    injects: BTreeSet<&'a str>,
    /// Decision id → its choice ids.
    decisions: BTreeMap<&'a str, BTreeSet<&'a str>>,
    /// The keys of `decisions`.
    decision_ids: BTreeSet<&'a str>,
    /// Whether Chosen/Released may be used (scenarios) or not (plan triggers).
    scenario: bool,
    /// Injects with an `at_min` (a `Then(..)` effect cannot release them), by id with the
    /// minute of the first.
    scheduled: BTreeMap<&'a str, u32>,
    /// The scenario's length (`None` in the plan): an `After(..)` at or past it never holds.
    duration_min: Option<u32>,
}

fn check_value(ctx: &mut Ctx, names: &Names, var: &str, value: Value, obj: Range) {
    let Some(decl) = names.vars.get(var) else {
        ctx.check_ref(IdKind::Var, var, &names.var_ids, obj);
        return;
    };
    let expected = decl.init.kind();
    if value.kind() != expected {
        let pos = ctx.at_str(obj, var);
        ctx.error(
            pos,
            Problem::WrongType {
                var: var.to_owned(),
                expected,
                found: value.kind(),
            },
            match expected {
                VarKind::Int => format!("write a number: Int(...) for \"{var}\""),
                VarKind::Bool => format!("write Bool(true) or Bool(false) for \"{var}\""),
            },
        );
    } else if let Value::Int(v) = value {
        let (min, max) = (decl.min.unwrap_or(i64::MIN), decl.max.unwrap_or(i64::MAX));
        if v < min || v > max {
            let pos = ctx.at_str(obj, var);
            ctx.error(
                pos,
                Problem::OutOfBounds {
                    var: var.to_owned(),
                    value: v,
                    min,
                    max,
                },
                "use a value within the variable's min and max",
            );
        }
    }
}

/// The ranges of a condition's children (`All([a, b])`, `Not(a)`), or the whole range when the
/// source does not match the parsed shape.
fn child_ranges(ctx: &Ctx, obj: Range, n: usize, list: bool) -> Vec<Range> {
    let args = ctx.loc.elements(obj);
    let inner = if list {
        args.first()
            .map(|a| ctx.loc.elements(*a))
            .unwrap_or_default()
    } else {
        args
    };
    if inner.len() == n {
        inner
    } else {
        vec![obj; n]
    }
}

fn check_cond(ctx: &mut Ctx, names: &Names, cond: &Cond, obj: Range) {
    // `when: Some(X)` and field values arrive as the field's range; step into `Some(..)`.
    let obj = match ctx.loc.elements(obj).as_slice() {
        [inner] if ctx.loc.starts_with_ident(obj, "Some") => *inner,
        _ => obj,
    };
    match cond {
        Cond::After(m) if names.duration_min.is_some_and(|d| *m >= d) => {
            let pos = ctx
                .loc
                .ident(obj, "After")
                .unwrap_or_else(|| ctx.loc.pos(obj));
            ctx.error(
                pos,
                Problem::TimeOutsideScenario {
                    what: "After(..)".into(),
                    minute: u64::from(*m),
                    duration: names.duration_min.unwrap_or_default(),
                },
                "the condition would never hold: use a minute before duration_min",
            );
        }
        Cond::Always | Cond::After(_) => {}
        Cond::All(cs) | Cond::Any(cs) => {
            let ranges = child_ranges(ctx, obj, cs.len(), true);
            for (c, r) in cs.iter().zip(ranges) {
                check_cond(ctx, names, c, r);
            }
        }
        Cond::Not(c) => {
            let r = child_ranges(ctx, obj, 1, false)[0];
            check_cond(ctx, names, c, r);
        }
        Cond::Var(v, _, value) => {
            // Comparisons may name any value of the right type, in bounds or not.
            if let Some(decl) = names.vars.get(v.as_str()) {
                if decl.init.kind() != value.kind() {
                    check_value(ctx, names, v.as_str(), *value, obj);
                }
            } else {
                ctx.check_ref(IdKind::Var, v.as_str(), &names.var_ids, obj);
            }
        }
        Cond::Signal(s) => {
            ctx.check_ref(IdKind::Signal, s.as_str(), &names.signals, obj);
        }
        Cond::Done(a) => {
            ctx.check_ref(IdKind::Action, a.as_str(), &names.actions, obj);
        }
        Cond::Chosen(..)
        | Cond::Released(_)
        | Cond::ReleasedWithin(..)
        | Cond::DecidedWithin(..)
            if !names.scenario =>
        {
            let pos = ctx
                .loc
                .ident(obj, "Chosen")
                .or_else(|| ctx.loc.ident(obj, "Released"))
                .or_else(|| ctx.loc.ident(obj, "ReleasedWithin"))
                .or_else(|| ctx.loc.ident(obj, "DecidedWithin"));
            ctx.error(
                pos.unwrap_or_else(|| ctx.loc.pos(obj)),
                Problem::BadValue {
                    field: "trigger".into(),
                    message: "a plan trigger cannot refer to a scenario's decisions or injects"
                        .into(),
                },
                "use Signal(..), Var(..), Done(..) or After(..) in plan triggers",
            );
        }
        Cond::Chosen(d, c) => {
            if ctx.check_ref(IdKind::Decision, d.as_str(), &names.decision_ids, obj)
                && let Some(choices) = names.decisions.get(d.as_str())
            {
                ctx.check_ref(IdKind::Choice, c.as_str(), choices, obj);
            }
        }
        Cond::Released(i) | Cond::ReleasedWithin(i, _) => {
            ctx.check_ref(IdKind::Inject, i.as_str(), &names.injects, obj);
        }
        Cond::DecidedWithin(d, _) => {
            ctx.check_ref(IdKind::Decision, d.as_str(), &names.decision_ids, obj);
        }
    }
    if let Cond::ReleasedWithin(_, 0) | Cond::DecidedWithin(_, 0) = cond {
        let pos = ctx
            .loc
            .ident(obj, "ReleasedWithin")
            .or_else(|| ctx.loc.ident(obj, "DecidedWithin"))
            .unwrap_or_else(|| ctx.loc.pos(obj));
        ctx.error(
            pos,
            Problem::BadValue {
                field: "minutes".into(),
                message: "a window of 0 minutes never holds".into(),
            },
            "give the window in whole minutes, at least 1: ReleasedWithin(\"i-x\", 20)",
        );
    }
}

fn check_effects(ctx: &mut Ctx, names: &Names, effects: &[Effect], list: Range) {
    if effects.is_empty() {
        return;
    }
    let ranges = ctx.loc.elements(list);
    let ranges = if ranges.len() == effects.len() {
        ranges
    } else {
        vec![list; effects.len()]
    };
    for (e, obj) in effects.iter().zip(ranges) {
        match e {
            Effect::Set(v, value) => check_value(ctx, names, v.as_str(), *value, obj),
            Effect::Raise(v, n) => {
                if !int_only(ctx, names, "Raise", v.as_str(), obj) {
                    check_value(ctx, names, v.as_str(), Value::Int(*n), obj);
                }
            }
            Effect::Add(v, _) => {
                if !int_only(ctx, names, "Add", v.as_str(), obj) {
                    ctx.check_ref(IdKind::Var, v.as_str(), &names.var_ids, obj);
                }
            }
            Effect::Signal(s) | Effect::Clear(s) => {
                ctx.check_ref(IdKind::Signal, s.as_str(), &names.signals, obj);
            }
            Effect::Then(_) | Effect::If(..) | Effect::Chance(..) => {
                check_nested_effect(ctx, names, e, obj);
            }
        }
    }
}

/// `Raise` and `Add` count up a number: on a yes/no variable the fix is `Set`, not another value.
/// Returns whether it reported that.
fn int_only(ctx: &mut Ctx, names: &Names, effect: &str, var: &str, obj: Range) -> bool {
    let Some(decl) = names.vars.get(var) else {
        return false;
    };
    if decl.init.kind() == VarKind::Int {
        return false;
    }
    let pos = ctx.at_str(obj, var);
    ctx.error(
        pos,
        Problem::WrongType {
            var: var.to_owned(),
            expected: decl.init.kind(),
            found: VarKind::Int,
        },
        format!(
            "{effect} works on numbers only; for the yes/no variable \"{var}\" write \
             Set(\"{var}\", Bool(true)) or Set(\"{var}\", Bool(false))"
        ),
    );
    true
}

/// `Then(..)`, `If(..)` and `Chance(..)`: the inject is a follow-up, the condition and both
/// lists of effects check like any other, the probability is one.
fn check_nested_effect(ctx: &mut Ctx, names: &Names, e: &Effect, obj: Range) {
    let args = ctx.loc.elements(obj);
    let arg = |k: usize| if args.len() == 3 { args[k] } else { obj };
    match e {
        Effect::Then(i) => {
            if !names.scenario {
                return;
            }
            if ctx.check_ref(IdKind::Inject, i.as_str(), &names.injects, obj)
                && let Some(at) = names.scheduled.get(i.as_str())
            {
                let pos = ctx.at_str(obj, i.as_str());
                ctx.error(
                    pos,
                    Problem::BadValue {
                        field: "Then".into(),
                        message: format!(
                            "Then(\"{i}\") releases an inject that is scheduled at minute {at}; follow-ups have no at_min"
                        ),
                    },
                    format!("remove at_min from \"{i}\" (use delay_min), or use a `when` condition instead"),
                );
            }
        }
        Effect::If(c, yes, no) => {
            check_cond(ctx, names, c, arg(0));
            check_effects(ctx, names, yes, arg(1));
            check_effects(ctx, names, no, arg(2));
        }
        Effect::Chance(p, yes, no) => {
            if !(0.0..=1.0).contains(p) {
                let pos = ctx.loc.pos(arg(0));
                ctx.error(
                    pos,
                    Problem::BadValue {
                        field: "Chance".into(),
                        message: format!("probability {p} is outside 0.0..=1.0"),
                    },
                    "write the probability of the first effects, such as 0.3: Chance(0.3, [hit], [miss])",
                );
            }
            check_effects(ctx, names, yes, arg(1));
            check_effects(ctx, names, no, arg(2));
        }
        _ => {}
    }
}

/// The values of a procedure, the plan's or a scenario's own: weight 1–10, a time limit of at
/// least a minute, a citation. `cite_help` says where such a rule comes from.
fn check_procedure_values(ctx: &mut Ctx, p: &super::Procedure, obj: Range, cite_help: &str) {
    if !(1..=10).contains(&p.weight) {
        let pos = ctx.at_field(obj, "weight");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "weight".into(),
                message: format!("weight {} is outside 1..=10", p.weight),
            },
            "use 1 (minor) to 5 (critical); at most 10",
        );
    }
    if p.within_min == Some(0) {
        let pos = ctx.at_field(obj, "within_min");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "within_min".into(),
                message: "0 minutes leaves no time to act".into(),
            },
            "give at least 1 minute, or None for no time limit",
        );
    }
    if p.source.cite.trim().is_empty() {
        let pos = ctx.at_field(obj, "source");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "source".into(),
                message: "the source citation is empty".into(),
            },
            cite_help,
        );
    }
}

fn check_var_decl(ctx: &mut Ctx, var: &Var, obj: Range) {
    match var.init {
        Value::Bool(_) => {
            if var.min.is_some() || var.max.is_some() {
                let pos = ctx.at_field(obj, if var.min.is_some() { "min" } else { "max" });
                ctx.error(
                    pos,
                    Problem::BadValue {
                        field: "min/max".into(),
                        message: format!("\"{}\" is a yes/no variable and has no bounds", var.id),
                    },
                    "remove min and max, or make init an Int(..)",
                );
            }
        }
        Value::Int(v) => {
            let (min, max) = (var.min.unwrap_or(i64::MIN), var.max.unwrap_or(i64::MAX));
            if min > max {
                let pos = ctx.at_field(obj, "min");
                ctx.error(
                    pos,
                    Problem::BadValue {
                        field: "min".into(),
                        message: format!("min {min} is greater than max {max}"),
                    },
                    "swap min and max",
                );
            } else if v < min || v > max {
                let pos = ctx.at_field(obj, "init");
                ctx.error(
                    pos,
                    Problem::OutOfBounds {
                        var: var.id.to_string(),
                        value: v,
                        min,
                        max,
                    },
                    "make init lie within min and max",
                );
            }
        }
    }
    check_levels(ctx, var, obj);
}

/// Level names: only for whole-number variables, each value once, within the bounds.
fn check_levels(ctx: &mut Ctx, var: &Var, obj: Range) {
    if var.levels.is_empty() {
        return;
    }
    let pos = ctx.at_field(obj, "levels");
    if matches!(var.init, Value::Bool(_)) {
        ctx.error(
            pos,
            Problem::BadValue {
                field: "levels".into(),
                message: format!(
                    "\"{}\" is a yes/no variable; only numbers have levels",
                    var.id
                ),
            },
            "remove `levels`, or make init an Int(..)",
        );
        return;
    }
    let (min, max) = (var.min.unwrap_or(i64::MIN), var.max.unwrap_or(i64::MAX));
    let mut seen = BTreeSet::new();
    for l in &var.levels {
        if !seen.insert(l.value) {
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "levels".into(),
                    message: format!("level {} of \"{}\" is named twice", l.value, var.id),
                },
                "name each value once",
            );
        } else if l.value < min || l.value > max {
            ctx.error(
                pos,
                Problem::OutOfBounds {
                    var: var.id.to_string(),
                    value: l.value,
                    min,
                    max,
                },
                "name only values within min and max",
            );
        }
    }
}

/// Validates a plan catalogue on its own.
pub fn validate_plan(plan: &Loaded<Plan>) -> Vec<Diagnostic> {
    let mut ctx = Ctx {
        path: &plan.path,
        loc: &plan.locator,
        out: Vec::new(),
        suggester: Suggester::new(SUGGEST_BUDGET),
    };
    let p = &plan.value;
    let all = ctx.loc.all();
    let loc = ctx.loc;
    let top = loc.fields(all);
    ctx.check_lengths();
    let role_objs = ctx.list_objects_in(top.range("roles"), p.roles.len());
    let action_objs = ctx.list_objects_in(top.range("actions"), p.actions.len());
    let signal_objs = ctx.list_objects_in(top.range("signals"), p.signals.len());
    let var_objs = ctx.list_objects_in(top.range("vars"), p.vars.len());
    let procedure_objs = ctx.list_objects_in(top.range("procedures"), p.procedures.len());
    if p.id.trim().is_empty() {
        let pos = top.pos("id");
        ctx.error(
            pos,
            Problem::EmptyId { kind: IdKind::Plan },
            "give the plan an id, e.g. \"lcp-egt\"",
        );
    }
    let roles = ctx.unique_ids(
        IdKind::Role,
        "Role",
        all,
        p.roles.iter().map(|r| r.id.as_str()).zip(role_objs),
    );
    let actions = ctx.unique_ids(
        IdKind::Action,
        "Action",
        all,
        p.actions
            .iter()
            .map(|a| a.id.as_str())
            .zip(action_objs.iter().copied()),
    );
    let signals = ctx.unique_ids(
        IdKind::Signal,
        "Signal",
        all,
        p.signals.iter().map(|s| s.id.as_str()).zip(signal_objs),
    );
    ctx.unique_ids(
        IdKind::Var,
        "Var",
        all,
        p.vars
            .iter()
            .map(|v| v.id.as_str())
            .zip(var_objs.iter().copied()),
    );
    ctx.unique_ids(
        IdKind::Procedure,
        "Procedure",
        all,
        p.procedures
            .iter()
            .map(|x| x.id.as_str())
            .zip(procedure_objs.iter().copied()),
    );
    for (a, obj) in p.actions.iter().zip(&action_objs) {
        let obj = obj
            .or_else(|| ctx.loc.object(all, "Action", a.id.as_str(), 0))
            .unwrap_or(all);
        for r in &a.roles {
            ctx.check_ref(IdKind::Role, r.as_str(), &roles, obj);
        }
    }
    for (v, obj) in p.vars.iter().zip(&var_objs) {
        let obj = obj
            .or_else(|| ctx.loc.object(all, "Var", v.id.as_str(), 0))
            .unwrap_or(all);
        check_var_decl(&mut ctx, v, obj);
    }
    let vars: BTreeMap<&str, &Var> = p.vars.iter().map(|v| (v.id.as_str(), v)).collect();
    let names = Names {
        var_ids: vars.keys().copied().collect(),
        vars,
        signals: signals.clone(),
        actions: actions.clone(),
        injects: BTreeSet::new(),
        decisions: BTreeMap::new(),
        decision_ids: BTreeSet::new(),
        scenario: false,
        scheduled: BTreeMap::new(),
        duration_min: None,
    };
    // The first action with each id, as `Plan::action` finds it, without a scan per procedure.
    let mut action_by_id: HashMap<&str, &super::Action> = HashMap::default();
    for a in &p.actions {
        action_by_id.entry(a.id.as_str()).or_insert(a);
    }
    for (proc, obj) in p.procedures.iter().zip(&procedure_objs) {
        let obj = obj
            .or_else(|| ctx.loc.object(all, "Procedure", proc.id.as_str(), 0))
            .unwrap_or(all);
        let role_ok = ctx.check_ref(IdKind::Role, proc.role.as_str(), &roles, obj);
        let action_ok = ctx.check_ref(IdKind::Action, proc.action.as_str(), &actions, obj);
        let trigger = ctx.loc.field_range(obj, "trigger").unwrap_or(obj);
        check_cond(&mut ctx, &names, &proc.trigger, trigger);
        check_procedure_values(
            &mut ctx,
            proc,
            obj,
            "say where the rule comes from: the law article, handbook or evaluation",
        );
        if action_ok
            && role_ok
            && let Some(action) = action_by_id.get(proc.action.as_str())
            && !action.roles.is_empty()
            && !action.roles.contains(&proc.role)
        {
            let pos = ctx.at_field(obj, "action");
            ctx.warning(
                pos,
                Problem::UnsatisfiableProcedure {
                    procedure: proc.id.to_string(),
                    why: format!(
                        "action \"{}\" is not offered to role \"{}\" in the action palette",
                        proc.action, proc.role
                    ),
                },
                format!(
                    "add \"{}\" to the roles of action \"{}\"",
                    proc.role, proc.action
                ),
            );
        }
    }
    let procedures: BTreeSet<&str> = p.procedures.iter().map(|x| x.id.as_str()).collect();
    ctx.unique_ids(
        IdKind::KeyDecision,
        "KeyDecision",
        all,
        p.key_decisions.iter().map(|k| (k.id.as_str(), None)),
    );
    for k in &p.key_decisions {
        let obj = ctx
            .loc
            .object(all, "KeyDecision", k.id.as_str(), 0)
            .unwrap_or(all);
        let pr = ctx.loc.field_range(obj, "procedures").unwrap_or(obj);
        for id in &k.procedures {
            ctx.check_ref(IdKind::Procedure, id.as_str(), &procedures, pr);
        }
        if k.source.cite.trim().is_empty() {
            let pos = ctx.at_field(obj, "source");
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "source".into(),
                    message: "the source citation is empty".into(),
                },
                "say where the key decision comes from",
            );
        }
    }
    ctx.out
}

/// Validates a scenario against its plan. `plans` are the plan ids that exist (to report an
/// unknown plan); `plan` is the matching plan if found.
pub fn validate_scenario(
    scenario: &Loaded<Scenario>,
    plan: Option<&Plan>,
    plans: &BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let mut ctx = Ctx {
        path: &scenario.path,
        loc: &scenario.locator,
        out: Vec::new(),
        suggester: Suggester::new(SUGGEST_BUDGET),
    };
    let s = &scenario.value;
    let all = ctx.loc.all();
    // The scenario's own fields, found in one pass over the file (each lookup of a missing
    // field would otherwise scan the whole file again).
    let loc = ctx.loc;
    let top = loc.fields(all);
    ctx.check_lengths();
    if s.id.trim().is_empty() {
        let pos = top.pos("id");
        ctx.error(
            pos,
            Problem::EmptyId {
                kind: IdKind::Scenario,
            },
            "give the scenario a short id",
        );
    }
    let Some(plan) = plan else {
        ctx.check_ref(IdKind::Plan, &s.plan, plans, all);
        return ctx.out;
    };
    // Format 2: the scenario's own roles, actions and procedures count as the plan's.
    authoring::check_format_gate(&mut ctx, s);
    let file_plan = plan;
    let merged = super::authoring::plan_for(plan, s);
    let plan: &Plan = &merged;
    if chrono::DateTime::parse_from_rfc3339(&s.start).is_err() {
        let pos = top.pos("start");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "start".into(),
                message: format!("\"{}\" is not an RFC 3339 date-time", s.start),
            },
            "write it like \"2026-03-18T10:45:00+01:00\"",
        );
    }
    if s.duration_min == 0 || s.duration_min > MAX_DURATION_MIN {
        let pos = top.pos("duration_min");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "duration_min".into(),
                message: format!(
                    "{} minutes is outside 1..={MAX_DURATION_MIN}",
                    s.duration_min
                ),
            },
            "tabletop exercises run 120–240 minutes",
        );
    }
    let plan_roles: BTreeSet<&str> = plan.roles.iter().map(|r| r.id.as_str()).collect();
    let roles_range = top.range_or_all("roles");
    let role_elements = Some(ctx.loc.elements(roles_range)).filter(|e| e.len() == s.roles.len());
    let mut in_play = BTreeSet::new();
    let mut first_role: HashMap<&str, usize> = HashMap::default();
    for (k, r) in s.roles.iter().enumerate() {
        let first = *first_role.entry(r.as_str()).or_insert(k);
        if ctx.check_ref(IdKind::Role, r.as_str(), &plan_roles, roles_range)
            && !in_play.insert(r.as_str())
        {
            let at = |k: usize| {
                role_elements.as_ref().map_or_else(
                    || {
                        ctx.loc
                            .string(roles_range, r.as_str(), usize::from(k > first))
                    },
                    |e| Some(ctx.loc.pos(e[k])),
                )
            };
            let pos = at(k).unwrap_or_else(|| ctx.loc.pos(roles_range));
            let first_line = at(first).map(|p| p.line);
            ctx.error(
                pos,
                Problem::Duplicate {
                    kind: IdKind::Role,
                    id: r.to_string(),
                    first_line,
                },
                "list each role once",
            );
        }
    }
    if s.roles.is_empty() {
        let pos = top.pos("roles");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "roles".into(),
                message: "no roles in play".into(),
            },
            "list the plan roles that take part",
        );
    }

    // Variables: the plan's, then the scenario's own.
    let mut vars: BTreeMap<&str, &Var> = plan.vars.iter().map(|v| (v.id.as_str(), v)).collect();
    let vars_range = top.range_or_all("vars");
    let var_objs = ctx.list_objects_in(top.range("vars"), s.vars.len());
    // Per id: how many came before, and the first one's object.
    let mut earlier_vars: HashMap<&str, (usize, Option<Range>)> = HashMap::default();
    for (v, var_obj) in s.vars.iter().zip(&var_objs) {
        let seen = earlier_vars.entry(v.id.as_str()).or_insert((0, *var_obj));
        let (earlier, first_obj) = *seen;
        seen.0 += 1;
        let obj = var_obj
            .or_else(|| {
                (earlier < 100)
                    .then(|| ctx.loc.object(vars_range, "Var", v.id.as_str(), earlier))
                    .flatten()
            })
            .unwrap_or(all);
        if v.id.as_str().trim().is_empty() {
            let pos = ctx.at_field(obj, "id");
            ctx.error(
                pos,
                Problem::EmptyId { kind: IdKind::Var },
                "give the variable a short id, e.g. \"crowd_size\"",
            );
        } else if vars.contains_key(v.id.as_str()) {
            let pos = ctx.at_field(obj, "id");
            let first_line = if earlier > 0 {
                ctx.id_pos(first_obj, vars_range, "Var", v.id.as_str(), 0)
                    .map(|p| p.line)
            } else {
                None
            };
            let earlier = earlier > 0;
            ctx.error(
                pos,
                Problem::Duplicate {
                    kind: IdKind::Var,
                    id: v.id.to_string(),
                    first_line,
                },
                if earlier {
                    "rename one of the two variables".to_owned()
                } else {
                    format!(
                        "\"{}\" is a plan variable already; set its start value in `init`",
                        v.id
                    )
                },
            );
        } else {
            check_var_decl(&mut ctx, v, obj);
            vars.insert(v.id.as_str(), v);
        }
    }
    let signals: BTreeSet<&str> = plan.signals.iter().map(|x| x.id.as_str()).collect();
    let actions: BTreeSet<&str> = plan.actions.iter().map(|x| x.id.as_str()).collect();
    let procedures: BTreeSet<&str> = plan.procedures.iter().map(|x| x.id.as_str()).collect();
    // Each inject's and decision's object in the source, found once from the lists.
    let mut occurrence: HashMap<&str, usize> = HashMap::default();
    let inject_objs: Vec<Range> = s
        .injects
        .iter()
        .zip(ctx.list_objects_in(top.range("injects"), s.injects.len()))
        .map(|(inject, obj)| {
            let n = occurrence.entry(inject.id.as_str()).or_default();
            *n += 1;
            obj.or_else(|| {
                (*n <= 100)
                    .then(|| ctx.loc.object(all, "Inject", inject.id.as_str(), *n - 1))
                    .flatten()
            })
            .unwrap_or(all)
        })
        .collect();
    let decision_objs: Vec<Vec<Option<Range>>> = s
        .injects
        .iter()
        .zip(&inject_objs)
        .map(|(inject, obj)| ctx.list_objects(*obj, "decisions", inject.decisions.len()))
        .collect();
    let injects = ctx.unique_ids(
        IdKind::Inject,
        "Inject",
        all,
        s.injects
            .iter()
            .zip(&inject_objs)
            .map(|(i, obj)| (i.id.as_str(), Some(*obj).filter(|o| *o != all))),
    );
    let decision_ids = ctx.unique_ids(
        IdKind::Decision,
        "Decision",
        all,
        s.injects.iter().zip(&decision_objs).flat_map(|(i, objs)| {
            i.decisions
                .iter()
                .map(|d| d.id.as_str())
                .zip(objs.iter().copied())
        }),
    );
    let decisions: BTreeMap<&str, BTreeSet<&str>> = s
        .decisions()
        .map(|(_, d)| {
            (
                d.id.as_str(),
                d.options.iter().map(|c| c.id.as_str()).collect(),
            )
        })
        .collect();
    let names = Names {
        var_ids: vars.keys().copied().collect(),
        vars,
        signals,
        actions,
        injects,
        decisions,
        decision_ids,
        scenario: true,
        scheduled: {
            let mut m = BTreeMap::new();
            for i in &s.injects {
                if let Some(at) = i.at_min {
                    m.entry(i.id.as_str()).or_insert(at);
                }
            }
            m
        },
        duration_min: Some(s.duration_min),
    };
    authoring::check_local_catalogue(&mut ctx, s, file_plan, &names);
    authoring::check_attachments(&mut ctx, s);
    // When each inject is scheduled (the first with each id, as `Scenario::inject` finds it).
    let mut at_min_of: HashMap<&str, Option<u32>> = HashMap::default();
    for i in &s.injects {
        at_min_of.entry(i.id.as_str()).or_insert(i.at_min);
    }
    let init_range = top.range_or_all("init");
    // A map keeps the last of two equal keys without a word; say so.
    let keys = ctx.loc.map_keys(init_range);
    let mut first_key: HashMap<&str, Pos> = HashMap::default();
    for (k, pos) in &keys {
        let first = *first_key.entry(k.as_str()).or_insert(*pos);
        if first != *pos {
            let first_line = Some(first.line);
            ctx.error(
                *pos,
                Problem::Duplicate {
                    kind: IdKind::Var,
                    id: k.clone(),
                    first_line,
                },
                "give each variable one start value",
            );
        }
    }
    for (var, value) in &s.init {
        check_value(&mut ctx, &names, var.as_str(), *value, init_range);
    }

    let loc = ctx.loc;
    for ((inject, &obj), dec_objs) in s.injects.iter().zip(&inject_objs).zip(&decision_objs) {
        let f = loc.fields(obj);
        let to_range = f.range_or_all("to");
        if inject.to.is_empty() {
            let pos = f.pos("to");
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "to".into(),
                    message: format!("inject \"{}\" has no recipients", inject.id),
                },
                "name at least one role in `to`",
            );
        }
        for r in &inject.to {
            check_role_in_play(
                &mut ctx,
                &plan_roles,
                &in_play,
                r.as_str(),
                to_range,
                &format!("inject \"{}\"", inject.id),
            );
        }
        if let Some(at) = inject.at_min
            && inject.delay_min > 0
        {
            let pos = f.pos("delay_min");
            ctx.warning(
                pos,
                Problem::BadValue {
                    field: "delay_min".into(),
                    message: format!(
                        "inject \"{}\" is scheduled at minute {at}; delay_min only applies to follow-ups and chances, so it is ignored",
                        inject.id
                    ),
                },
                "remove delay_min, or remove at_min to make the inject a follow-up of a choice",
            );
        }
        if let Some(at) = inject.at_min
            && at >= s.duration_min
        {
            let pos = f.pos("at_min");
            ctx.error(
                pos,
                Problem::TimeOutsideScenario {
                    what: format!("inject \"{}\"", inject.id),
                    minute: u64::from(at),
                    duration: s.duration_min,
                },
                "move it earlier or lengthen duration_min",
            );
        }
        if let Some(when) = &inject.when {
            let r = f.range_or_all("when");
            check_cond(&mut ctx, &names, when, r);
        }
        let er = f.range_or_all("effects");
        check_effects(&mut ctx, &names, &inject.effects, er);
        let xr = f.range_or_all("expect");
        for a in &inject.expect {
            ctx.check_ref(IdKind::Action, a.as_str(), &names.actions, xr);
        }
        for (d, dobj) in inject.decisions.iter().zip(dec_objs) {
            let dobj = dobj
                .or_else(|| ctx.loc.object(obj, "Decision", d.id.as_str(), 0))
                .unwrap_or(obj);
            let df = loc.fields(dobj);
            let rr = df.range_or_all("role");
            check_role_in_play(
                &mut ctx,
                &plan_roles,
                &in_play,
                d.role.as_str(),
                rr,
                &format!("decision \"{}\"", d.id),
            );
            check_deciders(&mut ctx, &plan_roles, &in_play, d, &df);
            if d.options.is_empty() {
                let pos = df.pos("options");
                ctx.error(
                    pos,
                    Problem::NoChoices {
                        decision: d.id.to_string(),
                    },
                    "add two to four Choice(..) options",
                );
            }
            if d.due_min == 0 {
                let pos = df.pos("due_min");
                ctx.error(
                    pos,
                    Problem::BadValue {
                        field: "due_min".into(),
                        message: "a decision due at once can never be taken".into(),
                    },
                    "give the role at least a few minutes",
                );
            }
            if let Some(at) = inject.at_min {
                let due = u64::from(at) + u64::from(d.due_min);
                if due > u64::from(s.duration_min) && at < s.duration_min {
                    let pos = df.pos("due_min");
                    ctx.error(
                        pos,
                        Problem::TimeOutsideScenario {
                            what: format!("the deadline of decision \"{}\"", d.id),
                            minute: due,
                            duration: s.duration_min,
                        },
                        "shorten due_min or lengthen duration_min",
                    );
                }
            }
            let choice_objs = ctx.list_objects_in(df.range("options"), d.options.len());
            let choices = ctx.unique_ids(
                IdKind::Choice,
                "Choice",
                dobj,
                d.options
                    .iter()
                    .map(|c| c.id.as_str())
                    .zip(choice_objs.iter().copied()),
            );
            if let Some(def) = &d.default
                && !choices.contains(def.as_str())
            {
                let pos = df.pos("default");
                let suggestion = ctx.suggester.suggest(def.as_str(), choices.iter().copied());
                ctx.error(
                    pos,
                    Problem::DefaultNotAChoice {
                        decision: d.id.to_string(),
                        default: def.to_string(),
                        choices: preview(choices.iter().copied()),
                    },
                    suggestion.map_or_else(
                        || "name one of the decision's choices, or write None".to_owned(),
                        |s| format!("did you mean \"{s}\"?"),
                    ),
                );
            }
            for (c, cobj) in d.options.iter().zip(&choice_objs) {
                let cobj = cobj
                    .or_else(|| ctx.loc.object(dobj, "Choice", c.id.as_str(), 0))
                    .unwrap_or(dobj);
                let cf = loc.fields(cobj);
                let ar = cf.range_or_all("actions");
                for a in &c.actions {
                    ctx.check_ref(IdKind::Action, a.as_str(), &names.actions, ar);
                }
                let er = cf.range_or_all("effects");
                check_effects(&mut ctx, &names, &c.effects, er);
                let tr = cf.range_or_all("then");
                for t in &c.then {
                    if ctx.check_ref(IdKind::Inject, t.as_str(), &names.injects, tr) {
                        check_follow_up(
                            &mut ctx,
                            &at_min_of,
                            t.as_str(),
                            tr,
                            &format!("choice \"{}\"", c.id),
                            "then",
                        );
                    }
                }
                let vr = cf.range_or_all("violates");
                for v in &c.violates {
                    ctx.check_ref(IdKind::Procedure, v.as_str(), &procedures, vr);
                }
                check_choice_credit(&mut ctx, plan, &procedures, c, &cf);
            }
        }
    }

    let random_range = top.range_or_all("random");
    let chance_ranges = ctx.loc.elements(random_range);
    for (n, chance) in s.random.iter().enumerate() {
        let obj = chance_ranges.get(n).copied().unwrap_or(random_range);
        if ctx.check_ref(IdKind::Inject, chance.inject.as_str(), &names.injects, obj) {
            check_follow_up(
                &mut ctx,
                &at_min_of,
                chance.inject.as_str(),
                obj,
                "a random chance",
                "inject",
            );
        }
        let pos = ctx.at_field(obj, "p");
        if !(0.0..=1.0).contains(&chance.p) || chance.p.is_nan() {
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "p".into(),
                    message: format!("probability {} is outside 0.0..=1.0", chance.p),
                },
                "write a probability such as 0.5",
            );
        }
        let (from, to) = chance.window_min;
        let pos = ctx.at_field(obj, "window_min");
        if from > to {
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "window_min".into(),
                    message: format!("the window ({from}, {to}) ends before it starts"),
                },
                "write (earliest, latest)",
            );
        } else if to >= s.duration_min {
            ctx.error(
                pos,
                Problem::TimeOutsideScenario {
                    what: format!("the window of the chance for \"{}\"", chance.inject),
                    minute: u64::from(to),
                    duration: s.duration_min,
                },
                "end the window before the scenario ends",
            );
        }
    }

    let objective_objs = ctx.list_objects_in(top.range("objectives"), s.objectives.len());
    ctx.unique_ids(
        IdKind::Objective,
        "Objective",
        all,
        s.objectives
            .iter()
            .map(|o| o.id.as_str())
            .zip(objective_objs.iter().copied()),
    );
    for (o, obj) in s.objectives.iter().zip(&objective_objs) {
        let obj = obj
            .or_else(|| ctx.loc.object(all, "Objective", o.id.as_str(), 0))
            .unwrap_or(all);
        if o.procedures.is_empty() {
            let pos = ctx.at_field(obj, "procedures");
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "procedures".into(),
                    message: format!("objective \"{}\" names no procedures", o.id),
                },
                "tie the objective to the plan procedures that measure it",
            );
        }
        let pr = ctx.loc.field_range(obj, "procedures").unwrap_or(obj);
        for p in &o.procedures {
            if ctx.check_ref(IdKind::Procedure, p.as_str(), &procedures, pr)
                && let Some(proc) = plan.procedure(p.as_str())
                && !in_play.contains(proc.role.as_str())
            {
                let pos = ctx.at_str(pr, p.as_str());
                ctx.warning(
                    pos,
                    Problem::RoleNotInPlay {
                        what: format!("procedure \"{p}\" of objective \"{}\"", o.id),
                        role: proc.role.to_string(),
                    },
                    "add the role to `roles`, or the procedure will not be scored",
                );
            }
        }
    }

    let key_decisions: BTreeSet<&str> = plan.key_decisions.iter().map(|k| k.id.as_str()).collect();
    for o in &s.objectives {
        let obj = ctx
            .loc
            .object(all, "Objective", o.id.as_str(), 0)
            .unwrap_or(all);
        let kr = ctx.loc.field_range(obj, "key_decisions").unwrap_or(obj);
        for k in &o.key_decisions {
            ctx.check_ref(IdKind::KeyDecision, k.as_str(), &key_decisions, kr);
        }
    }

    check_per_occurrence(&mut ctx, s, plan, &procedures, top.range("per_occurrence"));
    check_cycles(&mut ctx, s);
    if !ctx.out.iter().any(Diagnostic::is_error) {
        warn_unreachable(&mut ctx, s);
        warn_unsatisfiable(&mut ctx, s, plan, &in_play, top.range("objectives"));
        warn_idle_roles(&mut ctx, s, roles_range);
        authoring::warn_first_choice_best(&mut ctx, s, plan);
    }
    ctx.out
}

/// A choice's `partly` and `against`: known procedures, shares in range, and a partial choice
/// that takes the procedure's action (else it earns nothing to share).
fn check_choice_credit(
    ctx: &mut Ctx,
    plan: &Plan,
    procedures: &BTreeSet<&str>,
    c: &super::Choice,
    cf: &super::locate::Fields<'_>,
) {
    let list = |ctx: &Ctx, field: &str, n: usize| -> Vec<Range> {
        let r = cf.range_or_all(field);
        let e = ctx.loc.elements(r);
        if e.len() == n { e } else { vec![r; n] }
    };
    for (x, obj) in c.partly.iter().zip(list(ctx, "partly", c.partly.len())) {
        if !ctx.check_ref(IdKind::Procedure, x.procedure.as_str(), procedures, obj) {
            continue;
        }
        if !(x.share > 0.0 && x.share < 1.0) {
            let pos = ctx.at_field(obj, "share");
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "share".into(),
                    message: format!(
                        "a partial share of {} is not between 0 and 1 (both excluded)",
                        x.share
                    ),
                },
                "write the share of the points the choice earns, e.g. 0.5; for the whole, remove the Partly(..)",
            );
        }
        if let Some(p) = plan.procedure(x.procedure.as_str())
            && !c.actions.contains(&p.action)
        {
            let pos = ctx.at_str(obj, x.procedure.as_str());
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "partly".into(),
                    message: format!(
                        "choice \"{}\" partly satisfies procedure \"{}\" but does not take its action \"{}\"",
                        c.id, p.id, p.action
                    ),
                },
                format!("add \"{}\" to the choice's actions", p.action),
            );
        }
    }
    for (x, obj) in c.against.iter().zip(list(ctx, "against", c.against.len())) {
        if !ctx.check_ref(IdKind::Procedure, x.procedure.as_str(), procedures, obj) {
            continue;
        }
        if !(x.share > 0.0 && x.share <= 1.0) {
            let pos = ctx.at_field(obj, "share");
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "share".into(),
                    message: format!("a penalty share of {} is not in 0..1 (0 excluded)", x.share),
                },
                "write the share of the weight charged, e.g. 0.5, or leave `share` out for the whole weight",
            );
        }
        if c.violates.contains(&x.procedure) {
            let pos = ctx.at_str(obj, x.procedure.as_str());
            ctx.error(
                pos,
                Problem::BadValue {
                    field: "against".into(),
                    message: format!(
                        "choice \"{}\" names procedure \"{}\" in both `violates` and `against`: it would be charged twice",
                        c.id, x.procedure
                    ),
                },
                format!("remove \"{}\" from `violates`", x.procedure),
            );
        }
    }
}

/// The scenario's `per_occurrence` list names plan procedures; a procedure whose trigger
/// is only signals that nothing in the scenario clears can occur only once: say so.
fn check_per_occurrence(
    ctx: &mut Ctx,
    s: &Scenario,
    plan: &Plan,
    procedures: &BTreeSet<&str>,
    range: Option<Range>,
) {
    let Some(range) = range else { return };
    let cleared: BTreeSet<&str> = all_effects(s)
        .filter_map(|e| match e {
            Effect::Clear(x) => Some(x.as_str()),
            _ => None,
        })
        .collect();
    for p in &s.per_occurrence {
        if !ctx.check_ref(IdKind::Procedure, p.as_str(), procedures, range) {
            continue;
        }
        let Some(proc) = plan.procedure(p.as_str()) else {
            continue;
        };
        let mut signals = Vec::new();
        if only_signals(&proc.trigger, &mut signals)
            && !signals.is_empty()
            && signals.iter().all(|x| !cleared.contains(x))
        {
            let pos = ctx.at_str(range, p.as_str());
            ctx.warning(
                pos,
                Problem::BadValue {
                    field: "per_occurrence".into(),
                    message: format!(
                        "procedure \"{p}\" is scored per occurrence, but nothing in the scenario clears {}: it can occur only once",
                        signals
                            .iter()
                            .map(|x| format!("\"{x}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
                format!(
                    "clear the signal when the situation ends (Clear(\"{0}\")), or start a new wave with [Clear(\"{0}\"), Signal(\"{0}\")]",
                    signals[0]
                ),
            );
        }
    }
}

/// Whether a trigger is made only of signals (in `All`/`Any`), collecting them.
fn only_signals<'a>(c: &'a Cond, out: &mut Vec<&'a str>) -> bool {
    match c {
        Cond::Signal(x) => {
            out.push(x.as_str());
            true
        }
        Cond::All(cs) | Cond::Any(cs) => cs.iter().all(|c| only_signals(c, out)),
        _ => false,
    }
}

/// A joint decision's `with` and an any-of decision's `any_of`: roles in play, each once, not
/// the decision's own role, and not both lists on one decision.
fn check_deciders(
    ctx: &mut Ctx,
    plan_roles: &BTreeSet<&str>,
    in_play: &BTreeSet<&str>,
    d: &super::Decision,
    df: &super::locate::Fields<'_>,
) {
    for (field, roles) in [("with", &d.with), ("any_of", &d.any_of)] {
        let range = df.range_or_all(field);
        let mut seen = BTreeSet::new();
        for r in roles {
            check_role_in_play(
                ctx,
                plan_roles,
                in_play,
                r.as_str(),
                range,
                &format!("decision \"{}\"", d.id),
            );
            if *r == d.role || !seen.insert(r.as_str()) {
                let pos = ctx.at_str(range, r.as_str());
                ctx.error(
                    pos,
                    Problem::BadValue {
                        field: field.into(),
                        message: format!(
                            "role \"{r}\" is named twice among the roles of decision \"{}\"",
                            d.id
                        ),
                    },
                    "name each role once; the decision's `role` is one of them already",
                );
            }
        }
    }
    if !d.with.is_empty() && !d.any_of.is_empty() {
        let pos = df.pos("any_of");
        ctx.error(
            pos,
            Problem::BadValue {
                field: "any_of".into(),
                message: format!(
                    "decision \"{}\" is both joint (`with`) and whichever-acts-first (`any_of`)",
                    d.id
                ),
            },
            "choose one: `with` when all must agree, `any_of` when the first to act decides",
        );
    }
}

fn check_role_in_play(
    ctx: &mut Ctx,
    plan_roles: &BTreeSet<&str>,
    in_play: &BTreeSet<&str>,
    role: &str,
    range: Range,
    what: &str,
) {
    if ctx.check_ref(IdKind::Role, role, plan_roles, range) && !in_play.contains(role) {
        let pos = ctx.at_str(range, role);
        ctx.error(
            pos,
            Problem::RoleNotInPlay {
                what: what.to_owned(),
                role: role.to_owned(),
            },
            format!("add \"{role}\" to the scenario's `roles`"),
        );
    }
}

fn check_follow_up(
    ctx: &mut Ctx,
    at_min_of: &HashMap<&str, Option<u32>>,
    id: &str,
    range: Range,
    by: &str,
    field: &str,
) {
    if let Some(at) = at_min_of.get(id).copied().flatten() {
        let pos = ctx.at_str(range, id);
        ctx.error(
            pos,
            Problem::BadValue {
                field: field.into(),
                message: format!(
                    "{by} releases inject \"{id}\", which is scheduled at minute {at}; follow-ups have no at_min"
                ),
            },
            format!("remove at_min from \"{id}\" (use delay_min), or use a `when` condition instead"),
        );
    }
}

/// Follow-up edges: inject → the injects its choices release.
fn follow_ups(s: &Scenario) -> BTreeMap<&str, BTreeSet<&str>> {
    s.injects
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.decisions
                    .iter()
                    .flat_map(|d| d.options.iter())
                    .flat_map(|c| {
                        c.then
                            .iter()
                            .chain(Effect::follow_ups(&c.effects))
                            .map(super::InjectId::as_str)
                    })
                    .chain(
                        Effect::follow_ups(&i.effects)
                            .into_iter()
                            .map(super::InjectId::as_str),
                    )
                    .collect(),
            )
        })
        .collect()
}

/// The longest cycle listed whole in a `follow-up-cycle` error; longer ones are shortened
/// with "…" so that reporting stays linear.
const MAX_CYCLE_SHOWN: usize = 12;

fn check_cycles(ctx: &mut Ctx, s: &Scenario) {
    let edges = follow_ups(s);
    // Iterative DFS with colours; report each cycle once, at its first inject. `depth` holds
    // the stack position of every inject on the stack, so a cycle is cut out without a search.
    let mut colour: HashMap<&str, u8> = HashMap::default();
    let mut depth: HashMap<&str, usize> = HashMap::default();
    for &start in edges.keys() {
        if colour.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut stack: Vec<(&str, Vec<&str>)> =
            vec![(start, edges[start].iter().copied().collect())];
        colour.insert(start, 1);
        depth.insert(start, 0);
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(n) = next.pop() {
                match colour.get(n).copied().unwrap_or(0) {
                    0 => {
                        colour.insert(n, 1);
                        depth.insert(n, stack.len());
                        let succ = edges
                            .get(n)
                            .map(|e| e.iter().copied().collect())
                            .unwrap_or_default();
                        stack.push((n, succ));
                    }
                    1 => {
                        let from = depth.get(n).copied().unwrap_or(0);
                        let on_cycle = &stack[from.min(stack.len())..];
                        let mut cycle: Vec<String> = if on_cycle.len() > MAX_CYCLE_SHOWN {
                            let head = MAX_CYCLE_SHOWN / 2;
                            let tail = MAX_CYCLE_SHOWN - head - 1;
                            on_cycle[..head]
                                .iter()
                                .map(|(x, _)| (*x).to_owned())
                                .chain(std::iter::once(format!(
                                    "… ({} more)",
                                    on_cycle.len() - head - tail
                                )))
                                .chain(
                                    on_cycle[on_cycle.len() - tail..]
                                        .iter()
                                        .map(|(x, _)| (*x).to_owned()),
                                )
                                .collect()
                        } else {
                            on_cycle.iter().map(|(x, _)| (*x).to_owned()).collect()
                        };
                        cycle.push(n.to_owned());
                        let obj = ctx
                            .loc
                            .object(ctx.loc.all(), "Inject", node, 0)
                            .unwrap_or(ctx.loc.all());
                        let pos =
                            ctx.at_str(ctx.loc.field_range(obj, "decisions").unwrap_or(obj), n);
                        ctx.error(
                            pos,
                            Problem::FollowUpCycle { cycle },
                            "an inject cannot (indirectly) release itself; break the loop",
                        );
                    }
                    _ => {}
                }
            } else {
                colour.insert(node, 2);
                depth.remove(node);
                stack.pop();
            }
        }
    }
}

/// The injects that some path can release (an over-approximation): an inject is released when
/// it is scheduled, or released by a chance or by a choice on a released inject, and its `when`
/// can hold. Negations, variables, signals and actions are assumed to be able to hold;
/// `Released(i)` holds once `i` is released, `Chosen(d, _)` once the inject carrying `d` is.
///
/// One pass over a graph: every condition is flattened into nodes that count their children
/// still open, and each release wakes only the nodes and injects that wait for it, so the
/// work is linear in the size of the scenario whatever order the injects are listed in.
pub fn reachable_injects(s: &Scenario) -> BTreeSet<&str> {
    #[derive(Clone, Copy)]
    enum Gate {
        /// Holds when this many more children hold.
        All(usize),
        /// Holds when one child holds.
        Any,
        /// Holds when woken.
        Leaf,
    }
    struct Node {
        gate: Gate,
        /// The parent node, or the inject whose `when` this is.
        up: Result<usize, usize>,
        holds: bool,
    }
    enum Work {
        Node(usize),
        Inject(usize),
    }
    struct Graph<'a> {
        nodes: Vec<Node>,
        on_inject: HashMap<&'a str, Vec<usize>>,
        on_decision: HashMap<&'a str, Vec<usize>>,
        work: Vec<Work>,
    }
    fn flatten<'a>(g: &mut Graph<'a>, cond: &'a Cond, up: Result<usize, usize>) {
        let me = g.nodes.len();
        let gate = match cond {
            Cond::All(cs) => Gate::All(cs.len()),
            Cond::Any(_) => Gate::Any,
            _ => Gate::Leaf,
        };
        g.nodes.push(Node {
            gate,
            up,
            holds: false,
        });
        match cond {
            Cond::All(cs) | Cond::Any(cs) => {
                if cs.is_empty() && matches!(cond, Cond::All(_)) {
                    g.work.push(Work::Node(me));
                }
                for c in cs {
                    flatten(g, c, Ok(me));
                }
            }
            Cond::Released(i) | Cond::ReleasedWithin(i, _) => {
                g.on_inject.entry(i.as_str()).or_default().push(me);
            }
            Cond::Chosen(d, _) | Cond::DecidedWithin(d, _) => {
                g.on_decision.entry(d.as_str()).or_default().push(me);
            }
            Cond::Not(_)
            | Cond::Always
            | Cond::Var(..)
            | Cond::Signal(_)
            | Cond::Done(_)
            | Cond::After(_) => {
                g.work.push(Work::Node(me));
            }
        }
    }

    let mut g = Graph {
        nodes: Vec::new(),
        on_inject: HashMap::default(),
        on_decision: HashMap::default(),
        work: Vec::new(),
    };
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::default();
    let mut cond_ok = vec![false; s.injects.len()];
    let mut started = vec![false; s.injects.len()];
    for (k, i) in s.injects.iter().enumerate() {
        by_id.entry(i.id.as_str()).or_default().push(k);
        started[k] = i.at_min.is_some();
        match &i.when {
            Some(c) => flatten(&mut g, c, Err(k)),
            None => cond_ok[k] = true,
        }
        g.work.push(Work::Inject(k));
    }
    for c in &s.random {
        for &k in by_id.get(c.inject.as_str()).map_or(&[][..], Vec::as_slice) {
            started[k] = true;
        }
    }
    let mut released = vec![false; s.injects.len()];
    let mut reachable = BTreeSet::new();
    while let Some(w) = g.work.pop() {
        match w {
            Work::Node(n) => {
                if g.nodes[n].holds {
                    continue;
                }
                g.nodes[n].holds = true;
                match g.nodes[n].up {
                    Err(k) => {
                        cond_ok[k] = true;
                        g.work.push(Work::Inject(k));
                    }
                    Ok(p) => match &mut g.nodes[p].gate {
                        Gate::All(open) => {
                            *open = open.saturating_sub(1);
                            if *open == 0 {
                                g.work.push(Work::Node(p));
                            }
                        }
                        Gate::Any | Gate::Leaf => g.work.push(Work::Node(p)),
                    },
                }
            }
            Work::Inject(k) => {
                if released[k] || !started[k] || !cond_ok[k] {
                    continue;
                }
                released[k] = true;
                let inject = &s.injects[k];
                reachable.insert(inject.id.as_str());
                if let Some(waiting) = g.on_inject.remove(inject.id.as_str()) {
                    g.work.extend(waiting.into_iter().map(Work::Node));
                }
                for t in Effect::follow_ups(&inject.effects) {
                    for &j in by_id.get(t.as_str()).map_or(&[][..], Vec::as_slice) {
                        if !started[j] {
                            started[j] = true;
                            g.work.push(Work::Inject(j));
                        }
                    }
                }
                for d in &inject.decisions {
                    if let Some(waiting) = g.on_decision.remove(d.id.as_str()) {
                        g.work.extend(waiting.into_iter().map(Work::Node));
                    }
                    for t in d
                        .options
                        .iter()
                        .flat_map(|c| c.then.iter().chain(Effect::follow_ups(&c.effects)))
                    {
                        for &j in by_id.get(t.as_str()).map_or(&[][..], Vec::as_slice) {
                            if !started[j] {
                                started[j] = true;
                                g.work.push(Work::Inject(j));
                            }
                        }
                    }
                }
            }
        }
    }
    reachable
}

fn warn_unreachable(ctx: &mut Ctx, s: &Scenario) {
    let reachable = reachable_injects(s);
    let referenced: BTreeSet<&str> = follow_ups(s)
        .values()
        .flatten()
        .copied()
        .chain(s.random.iter().map(|c| c.inject.as_str()))
        .collect();
    for i in &s.injects {
        if reachable.contains(i.id.as_str()) {
            continue;
        }
        let why = if i.at_min.is_none() && !referenced.contains(i.id.as_str()) {
            "it has no at_min, and no choice or random chance releases it".to_owned()
        } else if i.at_min.is_none() {
            "the choices that release it sit on injects that can never be released".to_owned()
        } else {
            "its `when` condition needs an inject or decision that can never happen".to_owned()
        };
        let obj = ctx
            .loc
            .object(ctx.loc.all(), "Inject", i.id.as_str(), 0)
            .unwrap_or(ctx.loc.all());
        let pos = ctx.at_field(obj, "id");
        ctx.warning(
            pos,
            Problem::UnreachableInject {
                inject: i.id.to_string(),
                why,
            },
            "give it an at_min, release it from a choice's `then`, or remove it",
        );
    }
}

fn trigger_possible(
    cond: &Cond,
    raised: &BTreeSet<&str>,
    changed: &BTreeSet<&str>,
    s: &Scenario,
    plan: &Plan,
) -> bool {
    match cond {
        Cond::Always
        | Cond::Not(_)
        | Cond::Done(_)
        | Cond::Chosen(..)
        | Cond::Released(_)
        | Cond::After(_)
        | Cond::ReleasedWithin(..)
        | Cond::DecidedWithin(..) => true,
        Cond::All(cs) => cs
            .iter()
            .all(|c| trigger_possible(c, raised, changed, s, plan)),
        Cond::Any(cs) => cs
            .iter()
            .any(|c| trigger_possible(c, raised, changed, s, plan)),
        Cond::Signal(x) => raised.contains(x.as_str()),
        Cond::Var(v, op, value) => {
            changed.contains(v.as_str()) || {
                let init = s.init.get(v.as_str()).copied().or_else(|| {
                    plan.vars
                        .iter()
                        .chain(&s.vars)
                        .find(|d| d.id == *v)
                        .map(|d| d.init)
                });
                init.is_some_and(|i| op.apply(i, *value))
            }
        }
    }
}

fn all_effects(s: &Scenario) -> impl Iterator<Item = &Effect> {
    let mut all = Vec::new();
    for e in s.injects.iter().flat_map(|i| {
        i.effects.iter().chain(
            i.decisions
                .iter()
                .flat_map(|d| d.options.iter().flat_map(|c| c.effects.iter())),
        )
    }) {
        e.walk(&mut |x| all.push(x));
    }
    all.into_iter()
}

/// The plan procedures that can be triggered in this scenario.
pub fn triggerable_procedures<'p>(s: &Scenario, plan: &'p Plan) -> Vec<&'p super::Procedure> {
    let mut raised = BTreeSet::new();
    let mut changed = BTreeSet::new();
    for e in all_effects(s) {
        match e {
            Effect::Signal(x) => {
                raised.insert(x.as_str());
            }
            Effect::Set(v, _) | Effect::Add(v, _) | Effect::Raise(v, _) => {
                changed.insert(v.as_str());
            }
            Effect::Clear(_) | Effect::Then(_) | Effect::If(..) | Effect::Chance(..) => {}
        }
    }
    plan.procedures
        .iter()
        .filter(|p| trigger_possible(&p.trigger, &raised, &changed, s, plan))
        .collect()
}

fn warn_unsatisfiable(
    ctx: &mut Ctx,
    s: &Scenario,
    plan: &Plan,
    in_play: &BTreeSet<&str>,
    objectives_range: Option<Range>,
) {
    let taken: BTreeSet<(&str, &str)> = s
        .decisions()
        .flat_map(|(_, d)| {
            d.options
                .iter()
                .flat_map(move |c| c.actions.iter().map(move |a| (d.role.as_str(), a.as_str())))
        })
        .collect();
    for p in triggerable_procedures(s, plan) {
        if !in_play.contains(p.role.as_str()) {
            continue;
        }
        if taken.contains(&(p.role.as_str(), p.action.as_str())) {
            continue;
        }
        // Only procedures an objective measures need a decision; others the facilitator records.
        let measured = s.objectives.iter().any(|o| o.procedures.contains(&p.id));
        if !measured {
            continue;
        }
        let pos = objectives_range
            .and_then(|r| ctx.loc.string(r, p.id.as_str(), 0))
            .unwrap_or_else(|| ctx.loc.pos(ctx.loc.all()));
        ctx.warning(
            pos,
            Problem::UnsatisfiableProcedure {
                procedure: p.id.to_string(),
                why: format!(
                    "no choice of role \"{}\" takes action \"{}\"; only the facilitator's action palette can",
                    p.role, p.action
                ),
            },
            format!("give \"{}\" a decision with a choice whose actions include \"{}\"", p.role, p.action),
        );
    }
}

fn warn_idle_roles(ctx: &mut Ctx, s: &Scenario, roles_range: Range) {
    for r in &s.roles {
        let busy =
            s.injects.iter().any(|i| i.to.contains(r)) || s.decisions().any(|(_, d)| d.is_for(r));
        if !busy {
            let pos = ctx.at_str(roles_range, r.as_str());
            ctx.warning(
                pos,
                Problem::IdleRole {
                    role: r.to_string(),
                },
                "send the role an inject or put a decision to it, or take it out of `roles`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Write as _;
    use std::path::Path;

    use proptest::prelude::*;

    use super::reachable_injects;
    use crate::model::{Cond, Scenario};

    /// The fixpoint reachability used before issue 12 (one pass over all injects per step), kept
    /// as the reference the linear version must agree with.
    fn reference(s: &Scenario) -> BTreeSet<&str> {
        fn possible(cond: &Cond, s: &Scenario, reachable: &BTreeSet<&str>) -> bool {
            match cond {
                Cond::All(cs) => cs.iter().all(|c| possible(c, s, reachable)),
                Cond::Any(cs) => cs.iter().any(|c| possible(c, s, reachable)),
                Cond::Released(i) | Cond::ReleasedWithin(i, _) => reachable.contains(i.as_str()),
                Cond::Chosen(d, _) | Cond::DecidedWithin(d, _) => s
                    .decisions()
                    .any(|(i, dd)| dd.id == *d && reachable.contains(i.id.as_str())),
                Cond::Not(_)
                | Cond::Always
                | Cond::Var(..)
                | Cond::Signal(_)
                | Cond::Done(_)
                | Cond::After(_) => true,
            }
        }
        let edges = super::follow_ups(s);
        let mut reachable: BTreeSet<&str> = BTreeSet::new();
        let mut triggered: BTreeSet<&str> = s.random.iter().map(|c| c.inject.as_str()).collect();
        loop {
            let before = reachable.len();
            for i in &s.injects {
                let id = i.id.as_str();
                if reachable.contains(id) {
                    continue;
                }
                let started = i.at_min.is_some() || triggered.contains(id);
                if started && i.when.as_ref().is_none_or(|c| possible(c, s, &reachable)) {
                    reachable.insert(id);
                    if let Some(next) = edges.get(id) {
                        triggered.extend(next.iter().copied());
                    }
                }
            }
            if reachable.len() == before {
                return reachable;
            }
        }
    }

    #[derive(Debug, Clone)]
    enum C {
        Released(usize),
        Chosen(usize),
        Signal,
        All(Vec<C>),
        Any(Vec<C>),
        Not(Box<C>),
    }

    fn cond() -> impl Strategy<Value = C> {
        let leaf = prop_oneof![
            (0..12usize).prop_map(C::Released),
            (0..12usize).prop_map(C::Chosen),
            Just(C::Signal),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(C::All),
                prop::collection::vec(inner.clone(), 0..3).prop_map(C::Any),
                inner.prop_map(|c| C::Not(Box::new(c))),
            ]
        })
    }

    fn ron(c: &C) -> String {
        let list = |cs: &[C]| cs.iter().map(ron).collect::<Vec<_>>().join(",");
        match c {
            C::Released(i) => format!("Released(\"i{i}\")"),
            C::Chosen(i) => format!("Chosen(\"d{i}\",\"c\")"),
            C::Signal => "Signal(\"x\")".into(),
            C::All(cs) => format!("All([{}])", list(cs)),
            C::Any(cs) => format!("Any([{}])", list(cs)),
            C::Not(c) => format!("Not({})", ron(c)),
        }
    }

    type Shape = Vec<(bool, Vec<usize>, Option<C>)>;

    fn scenario_text(injects: &Shape, chances: &[usize]) -> String {
        let mut s = String::from(
            r#"Scenario(id:"p",plan:"lcp-egt",title:(nl:"",en:""),summary:(nl:"",en:""),start:"2026-03-18T10:45:00+01:00",duration_min:240,roles:["ovj"],injects:["#,
        );
        for (k, (scheduled, then, when)) in injects.iter().enumerate() {
            let at = if *scheduled { "at_min:Some(0)," } else { "" };
            let then: Vec<String> = then.iter().map(|t| format!("\"i{t}\"")).collect();
            let when = when
                .as_ref()
                .map_or_else(String::new, |c| format!("when:Some({}),", ron(c)));
            let _ = write!(
                s,
                r#"Inject(id:"i{k}",{at}{when}to:["ovj"],channel:Phone,title:(nl:"",en:""),body:(nl:"",en:""),decisions:[Decision(id:"d{k}",role:"ovj",prompt:(nl:"",en:""),due_min:5,options:[Choice(id:"c",label:(nl:"",en:""),then:[{}])])]),"#,
                then.join(",")
            );
        }
        s.push_str("],random:[");
        for c in chances {
            let _ = write!(s, "Chance(inject:\"i{c}\",p:0.5,window_min:(1,2)),");
        }
        s.push_str("])");
        s
    }

    proptest! {
        #[test]
        fn linear_reachability_agrees_with_the_fixpoint(
            injects in prop::collection::vec(
                (prop::bool::weighted(0.2), prop::collection::vec(0..12usize, 0..3), prop::option::weighted(0.5, cond())),
                1..12,
            ),
            chances in prop::collection::vec(0..12usize, 0..2),
        ) {
            let text = scenario_text(&injects, &chances);
            let s = crate::model::load::parse_scenario(Path::new("p.ron"), text)
                .map_err(|d| TestCaseError::fail(d.to_string()))?;
            prop_assert_eq!(reachable_injects(&s.value), reference(&s.value));
        }
    }

    #[test]
    fn a_long_chain_in_reverse_order_is_reachable() {
        // The last inject is scheduled and releases the one before it, and so on: a pass in
        // file order finds one more inject per pass.
        let n = 500;
        let injects: Shape = (0..n)
            .map(|p| (p == n - 1, if p > 0 { vec![p - 1] } else { vec![] }, None))
            .collect();
        let text = scenario_text(&injects, &[]);
        let s = crate::model::load::parse_scenario(Path::new("p.ron"), text).expect("parses");
        assert_eq!(reachable_injects(&s.value).len(), n);
        assert_eq!(reachable_injects(&s.value), reference(&s.value));
    }
}
