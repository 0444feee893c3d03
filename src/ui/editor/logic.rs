//! Structured editors for conditions and effects: every kind of the format, the time conditions
//! (`After`, `ReleasedWithin`, `DecidedWithin`) and format 2's `Clear`, `Then`, `If` and
//! `Chance` included. Nested effects and conditions are edited in place down to [`MAX_DEPTH`];
//! deeper than that (rare, and hard to read in any form) they are edited as RON, with the parse
//! error shown at once.

use std::collections::BTreeMap;

use super::forms::ron_field_ui;
use crate::i18n::tr;
use crate::model::{Cond, Effect, Lang, Op, Value, VarKind};

/// How deep the forms nest `If`/`Chance` inside each other, and conditions inside `All`, `Any`
/// and `Not`, before the rest is edited as RON.
pub(super) const MAX_DEPTH: usize = 4;

/// The ids an author picks from in the forms, with what a person reads for each: the plan's and
/// the scenario's own, gathered once per frame before the scenario is borrowed for editing.
#[derive(Default)]
pub(super) struct Known {
    /// Situation variables (the plan's and the scenario's), with their type.
    pub vars: Vec<(String, VarKind)>,
    /// Signals of the plan.
    pub signals: Vec<String>,
    /// Injects of the scenario.
    pub injects: Vec<String>,
    /// Decisions of the scenario, with their choices.
    pub decisions: Vec<(String, Vec<String>)>,
    /// Actions (the plan's and the scenario's), with their label.
    pub actions: Vec<(String, String)>,
    /// Procedures (the plan's and the scenario's), with their title.
    pub procedures: Vec<(String, String)>,
    /// Roles (the plan's and the scenario's), with their name.
    pub roles: Vec<(String, String)>,
    /// Exercise length, the largest sensible minute.
    pub duration_min: u32,
}

impl Known {
    /// Gathers the ids of `plan` (with the scenario's own roles, actions and procedures merged
    /// in) and `s`.
    pub fn new(plan: &crate::model::Plan, s: &crate::model::Scenario, lang: Lang) -> Self {
        Self {
            vars: plan
                .vars
                .iter()
                .chain(&s.vars)
                .map(|v| (v.id.to_string(), v.init.kind()))
                .collect(),
            signals: plan.signals.iter().map(|x| x.id.to_string()).collect(),
            injects: s.injects.iter().map(|i| i.id.to_string()).collect(),
            decisions: s
                .decisions()
                .map(|(_, d)| {
                    (
                        d.id.to_string(),
                        d.options.iter().map(|c| c.id.to_string()).collect(),
                    )
                })
                .collect(),
            actions: plan
                .actions
                .iter()
                .map(|a| (a.id.to_string(), a.label.get(lang).to_owned()))
                .collect(),
            procedures: plan
                .procedures
                .iter()
                .map(|p| (p.id.to_string(), p.title.get(lang).to_owned()))
                .collect(),
            roles: plan
                .roles
                .iter()
                .map(|r| (r.id.to_string(), r.name.get(lang).to_owned()))
                .collect(),
            duration_min: s.duration_min,
        }
    }

    fn var_kind(&self, id: &str) -> Option<VarKind> {
        self.vars.iter().find(|(v, _)| v == id).map(|(_, k)| *k)
    }
}

/// RON fields in the forms, by key, with the text typed so far and its parse error.
pub(super) type RonFields = BTreeMap<String, (String, Option<String>)>;

/// Forgets the RON text of `key` and of everything nested under it, so that those fields show
/// the model again after a structured edit (a removed effect shifts the places of the others).
pub(super) fn forget(ron: &mut RonFields, key: &str) {
    let nested = format!("{key}/");
    ron.retain(|k, _| k != key && !k.starts_with(&nested));
}

/// A pick from a list of ids, shown with what a person reads beside each id; a text field when
/// the list is empty. An id that is not in the list (a typo in the text) stays as it is, shown
/// as selected, so that the validator's finding names it.
pub(super) fn pick_ui(
    ui: &mut egui::Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    label: &str,
    value: &mut String,
    options: &[(String, String)],
) -> bool {
    let mut changed = false;
    if options.is_empty() {
        ui.horizontal(|ui| {
            let l = ui.label(label);
            changed = ui
                .add(egui::TextEdit::singleline(value).desired_width(160.0))
                .labelled_by(l.id)
                .changed();
        });
        return changed;
    }
    let shown = if value.is_empty() {
        "—".to_owned()
    } else {
        value.clone()
    };
    // The label first, as in a sentence: "Set variable [grip] value [3]".
    ui.horizontal(|ui| {
        let l = ui.label(label);
        egui::ComboBox::from_id_salt(salt)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (id, what) in options {
                    let text = if what.is_empty() || what == id {
                        id.clone()
                    } else {
                        format!("{id} — {what}")
                    };
                    if ui.selectable_label(value == id, text).clicked() && value != id {
                        value.clone_from(id);
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    changed
}

fn plain(ids: &[String]) -> Vec<(String, String)> {
    ids.iter().map(|i| (i.clone(), String::new())).collect()
}

/// [`pick_ui`] for an id field of any id type: whether it changed.
fn pick_id_ui<T>(
    ui: &mut egui::Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    label: &str,
    id: &mut T,
    options: &[(String, String)],
) -> bool
where
    T: std::fmt::Display + for<'a> From<&'a str>,
{
    let mut text = id.to_string();
    let changed = pick_ui(ui, salt, label, &mut text, options);
    if changed {
        *id = text.as_str().into();
    }
    changed
}

/// A whole number with a label.
fn number_ui<N: egui::emath::Numeric>(
    ui: &mut egui::Ui,
    label: &str,
    n: &mut N,
    range: std::ops::RangeInclusive<N>,
) -> bool {
    let l = ui.label(label);
    ui.add(egui::DragValue::new(n).range(range))
        .labelled_by(l.id)
        .changed()
}

/// A value for a variable of `kind`: a number or a yes/no box.
fn value_ui(ui: &mut egui::Ui, lang: Lang, kind: Option<VarKind>, v: &mut Value) -> bool {
    // Follow the variable's type when it is known, so that `Set("flag", Int(0))` cannot be
    // made by picking a yes/no variable.
    match (kind, *v) {
        (Some(VarKind::Bool), Value::Int(_)) => *v = Value::Bool(false),
        (Some(VarKind::Int), Value::Bool(_)) => *v = Value::Int(0),
        _ => {}
    }
    match v {
        Value::Int(x) => number_ui(ui, tr(lang, "waarde", "value"), x, i64::MIN..=i64::MAX),
        Value::Bool(b) => ui.checkbox(b, tr(lang, "ja", "yes")).changed(),
    }
}

fn var_pick_ui(
    ui: &mut egui::Ui,
    salt: &str,
    lang: Lang,
    known: &Known,
    var: &mut crate::model::VarId,
    only_int: bool,
) -> bool {
    let options: Vec<(String, String)> = known
        .vars
        .iter()
        .filter(|(_, k)| !only_int || *k == VarKind::Int)
        .map(|(v, _)| (v.clone(), String::new()))
        .collect();
    pick_id_ui(
        ui,
        (salt, "var"),
        tr(lang, "variabele", "variable"),
        var,
        &options,
    )
}

/// The kinds of effect, in the order the "+ Effect" menu offers them.
const EFFECT_KINDS: [&str; 8] = [
    "Set", "Add", "Raise", "Signal", "Clear", "Then", "If", "Chance",
];

fn effect_kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "Set" => tr(lang, "Zet variabele (Set)", "Set a variable (Set)"),
        "Add" => tr(
            lang,
            "Tel op bij variabele (Add)",
            "Add to a variable (Add)",
        ),
        "Raise" => tr(
            lang,
            "Verhoog tot minstens (Raise)",
            "Raise to at least (Raise)",
        ),
        "Signal" => tr(lang, "Signaal geven (Signal)", "Raise a signal (Signal)"),
        "Clear" => tr(lang, "Signaal wissen (Clear)", "Clear a signal (Clear)"),
        "Then" => tr(lang, "Vervolginject (Then)", "Follow-up inject (Then)"),
        "If" => tr(lang, "Als … dan … anders (If)", "If … then … else (If)"),
        _ => tr(
            lang,
            "Kans … dan … anders (Chance)",
            "Chance … then … else (Chance)",
        ),
    }
}

fn new_effect(kind: &str, known: &Known) -> Effect {
    let first_var = |int: bool| {
        known
            .vars
            .iter()
            .find(|(_, k)| !int || *k == VarKind::Int)
            .map_or_else(|| ("grip".to_owned(), VarKind::Int), Clone::clone)
    };
    let signal = || -> crate::model::SignalId {
        known
            .signals
            .first()
            .map_or("attack", String::as_str)
            .into()
    };
    match kind {
        "Set" => {
            let (v, k) = first_var(false);
            let value = match k {
                VarKind::Int => Value::Int(0),
                VarKind::Bool => Value::Bool(true),
            };
            Effect::Set(v.as_str().into(), value)
        }
        "Add" => Effect::Add(first_var(true).0.as_str().into(), 1),
        "Raise" => Effect::Raise(first_var(true).0.as_str().into(), 1),
        "Signal" => Effect::Signal(signal()),
        "Clear" => Effect::Clear(signal()),
        "Then" => Effect::Then(known.injects.first().map_or("", String::as_str).into()),
        "If" => Effect::If(Cond::After(0), Vec::new(), Vec::new()),
        _ => Effect::Chance(0.5, Vec::new(), Vec::new()),
    }
}

/// Edits a list of effects, nested `If` and `Chance` included. `key` names the list (and the
/// RON field that edits it past [`MAX_DEPTH`]). Returns whether anything changed.
pub(super) fn effects_ui(
    ui: &mut egui::Ui,
    key: &str,
    lang: Lang,
    known: &Known,
    ron: &mut RonFields,
    effects: &mut Vec<Effect>,
    depth: usize,
) -> bool {
    if depth >= MAX_DEPTH {
        let mut new = None;
        let changed = ron_field_ui(
            ui,
            tr(
                lang,
                "Dieper geneste effecten (RON)",
                "More deeply nested effects (RON)",
            ),
            ron,
            key,
            &effects.clone(),
            &mut |v: Vec<Effect>| new = Some(v),
        );
        if let Some(v) = new {
            *effects = v;
        }
        return changed;
    }
    let mut changed = false;
    let mut remove = None;
    for (n, e) in effects.iter_mut().enumerate() {
        let key = format!("{key}/{n}");
        ui.push_id(&key, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .small_button("✕")
                    .on_hover_text(tr(lang, "Effect verwijderen", "Remove effect"))
                    .clicked()
                {
                    remove = Some(n);
                }
                changed |= effect_ui(ui, &key, lang, known, ron, e, depth);
            });
        });
    }
    if let Some(n) = remove {
        effects.remove(n);
        forget(ron, key);
        changed = true;
    }
    ui.push_id((key, "add"), |ui| {
        ui.menu_button(tr(lang, "+ Effect", "+ Effect"), |ui| {
            for kind in EFFECT_KINDS {
                if ui.button(effect_kind_label(kind, lang)).clicked() {
                    effects.push(new_effect(kind, known));
                    changed = true;
                    ui.close();
                }
            }
        });
    });
    changed
}

/// One effect, beside its remove button; `If` and `Chance` open their branches below.
fn effect_ui(
    ui: &mut egui::Ui,
    key: &str,
    lang: Lang,
    known: &Known,
    ron: &mut RonFields,
    e: &mut Effect,
    depth: usize,
) -> bool {
    let mut changed = false;
    let head = match e {
        Effect::Set(..) => tr(lang, "Zet", "Set"),
        Effect::Add(..) => tr(lang, "Tel op", "Add"),
        Effect::Raise(..) => tr(lang, "Verhoog tot", "Raise to"),
        Effect::Signal(_) => tr(lang, "Signaal", "Signal"),
        Effect::Clear(_) => tr(lang, "Wis signaal", "Clear signal"),
        Effect::Then(_) => tr(lang, "Vervolginject", "Follow-up inject"),
        Effect::If(..) => tr(lang, "Als", "If"),
        Effect::Chance(..) => tr(lang, "Kans", "Chance"),
    };
    match e {
        Effect::Set(var, value) => {
            ui.label(head);
            changed |= var_pick_ui(ui, key, lang, known, var, false);
            changed |= value_ui(ui, lang, known.var_kind(var.as_str()), value);
        }
        Effect::Add(var, n) | Effect::Raise(var, n) => {
            ui.label(head);
            changed |= var_pick_ui(ui, key, lang, known, var, true);
            changed |= number_ui(ui, tr(lang, "getal", "amount"), n, -1000..=1000);
        }
        Effect::Signal(sig) | Effect::Clear(sig) => {
            ui.label(head);
            changed |= pick_id_ui(
                ui,
                (key, "signal"),
                tr(lang, "signaal", "signal"),
                sig,
                &plain(&known.signals),
            );
        }
        Effect::Then(inject) => {
            ui.label(head);
            changed |= pick_id_ui(ui, (key, "then"), "inject", inject, &plain(&known.injects));
        }
        Effect::If(cond, then, otherwise) => {
            ui.vertical(|ui| {
                ui.strong(head);
                ui.indent((key, "if"), |ui| {
                    changed |= cond_ui(ui, &format!("{key}/if"), lang, known, ron, cond, depth + 1);
                });
                changed |= branches_ui(ui, key, lang, known, ron, then, otherwise, depth);
            });
        }
        Effect::Chance(p, then, otherwise) => {
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.strong(head);
                    // Percent for a person; the file keeps the probability 0.0–1.0.
                    let mut pct = (*p * 100.0).round().clamp(0.0, 100.0) as u32;
                    if number_ui(ui, tr(lang, "kans (%)", "chance (%)"), &mut pct, 0..=100) {
                        *p = f64::from(pct) / 100.0;
                        changed = true;
                    }
                });
                changed |= branches_ui(ui, key, lang, known, ron, then, otherwise, depth);
            });
        }
    }
    changed
}

/// The "then" and "else" effects of an `If` or `Chance`.
#[allow(clippy::too_many_arguments)] // the editing context, passed down as the other editors do
fn branches_ui(
    ui: &mut egui::Ui,
    key: &str,
    lang: Lang,
    known: &Known,
    ron: &mut RonFields,
    then: &mut Vec<Effect>,
    otherwise: &mut Vec<Effect>,
    depth: usize,
) -> bool {
    let mut changed = false;
    ui.strong(tr(lang, "dan", "then"));
    ui.indent((key, "then"), |ui| {
        changed |= effects_ui(
            ui,
            &format!("{key}/then"),
            lang,
            known,
            ron,
            then,
            depth + 1,
        );
    });
    ui.strong(tr(lang, "anders", "else"));
    ui.indent((key, "else"), |ui| {
        changed |= effects_ui(
            ui,
            &format!("{key}/else"),
            lang,
            known,
            ron,
            otherwise,
            depth + 1,
        );
    });
    changed
}

/// The kinds of condition, in the order the picker lists them.
const COND_KINDS: [&str; 12] = [
    "Always",
    "After",
    "ReleasedWithin",
    "DecidedWithin",
    "Var",
    "Signal",
    "Chosen",
    "Released",
    "Done",
    "All",
    "Any",
    "Not",
];

fn cond_kind(c: &Cond) -> &'static str {
    match c {
        Cond::Always => "Always",
        Cond::All(_) => "All",
        Cond::Any(_) => "Any",
        Cond::Not(_) => "Not",
        Cond::Var(..) => "Var",
        Cond::Signal(_) => "Signal",
        Cond::Chosen(..) => "Chosen",
        Cond::Released(_) => "Released",
        Cond::Done(_) => "Done",
        Cond::After(_) => "After",
        Cond::ReleasedWithin(..) => "ReleasedWithin",
        Cond::DecidedWithin(..) => "DecidedWithin",
    }
}

fn cond_kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "Always" => tr(lang, "Altijd", "Always"),
        "After" => tr(lang, "Vanaf minuut (After)", "From minute (After)"),
        "ReleasedWithin" => tr(
            lang,
            "Binnen … min na inject (ReleasedWithin)",
            "Within … min of an inject (ReleasedWithin)",
        ),
        "DecidedWithin" => tr(
            lang,
            "Binnen … min na besluit (DecidedWithin)",
            "Within … min of a decision (DecidedWithin)",
        ),
        "Var" => tr(
            lang,
            "Variabele vergelijken (Var)",
            "Compare a variable (Var)",
        ),
        "Signal" => tr(lang, "Signaal gegeven (Signal)", "Signal raised (Signal)"),
        "Chosen" => tr(lang, "Keuze gemaakt (Chosen)", "Choice made (Chosen)"),
        "Released" => tr(
            lang,
            "Inject vrijgegeven (Released)",
            "Inject released (Released)",
        ),
        "Done" => tr(lang, "Actie genomen (Done)", "Action taken (Done)"),
        "All" => tr(lang, "Alle (All)", "All of (All)"),
        "Any" => tr(lang, "Een van (Any)", "Any of (Any)"),
        _ => tr(lang, "Niet (Not)", "Not (Not)"),
    }
}

/// A condition of `kind`, keeping what it can of `old`: `All`, `Any` and `Not` wrap it.
fn new_cond(kind: &str, old: &Cond, known: &Known) -> Cond {
    let inject =
        || -> crate::model::InjectId { known.injects.first().map_or("", String::as_str).into() };
    let decision = || known.decisions.first();
    let wrapped = || {
        if *old == Cond::Always {
            Vec::new()
        } else {
            vec![old.clone()]
        }
    };
    match kind {
        "Always" => Cond::Always,
        "After" => Cond::After(0),
        "ReleasedWithin" => Cond::ReleasedWithin(inject(), 10),
        "DecidedWithin" => Cond::DecidedWithin(decision().map_or("", |d| d.0.as_str()).into(), 10),
        "Var" => {
            let (v, k) = known
                .vars
                .first()
                .map_or_else(|| ("grip".to_owned(), VarKind::Int), Clone::clone);
            let value = match k {
                VarKind::Int => Value::Int(0),
                VarKind::Bool => Value::Bool(true),
            };
            Cond::Var(v.as_str().into(), Op::Ge, value)
        }
        "Signal" => Cond::Signal(
            known
                .signals
                .first()
                .map_or("attack", String::as_str)
                .into(),
        ),
        "Chosen" => {
            let (d, c) = decision().map_or(("", ""), |(d, cs)| {
                (d.as_str(), cs.first().map_or("", String::as_str))
            });
            Cond::Chosen(d.into(), c.into())
        }
        "Released" => Cond::Released(inject()),
        "Done" => Cond::Done(known.actions.first().map_or("", |a| a.0.as_str()).into()),
        "All" => Cond::All(wrapped()),
        "Any" => Cond::Any(wrapped()),
        _ => Cond::Not(Box::new(old.clone())),
    }
}

const OPS: [Op; 6] = [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge];

/// Edits a condition: pick its kind, then its parts; `All`, `Any` and `Not` nest down to
/// [`MAX_DEPTH`], past which the condition is edited as RON. Returns whether it changed.
pub(super) fn cond_ui(
    ui: &mut egui::Ui,
    key: &str,
    lang: Lang,
    known: &Known,
    ron: &mut RonFields,
    cond: &mut Cond,
    depth: usize,
) -> bool {
    if depth >= MAX_DEPTH {
        let mut new = None;
        let changed = ron_field_ui(
            ui,
            tr(
                lang,
                "Dieper geneste voorwaarde (RON)",
                "More deeply nested condition (RON)",
            ),
            ron,
            key,
            &cond.clone(),
            &mut |c: Cond| new = Some(c),
        );
        if let Some(c) = new {
            *cond = c;
        }
        return changed;
    }
    let mut changed = false;
    ui.push_id(key, |ui| {
        let kind = cond_kind(cond);
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, "Voorwaarde", "Condition"));
            egui::ComboBox::from_id_salt((key, "kind"))
                .selected_text(cond_kind_label(kind, lang))
                .show_ui(ui, |ui| {
                    for k in COND_KINDS {
                        if ui
                            .selectable_label(k == kind, cond_kind_label(k, lang))
                            .clicked()
                            && k != kind
                        {
                            *cond = new_cond(k, cond, known);
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if changed {
            // Another kind: what was nested under this one is gone or moved.
            forget(ron, key);
        }
        changed |= cond_parts_ui(ui, key, lang, known, ron, cond, depth);
    });
    changed
}

fn minutes_ui(ui: &mut egui::Ui, lang: Lang, known: &Known, label: &str, m: &mut u32) -> bool {
    let changed = number_ui(
        ui,
        label,
        m,
        0..=known.duration_min.max(1).saturating_mul(4),
    );
    ui.label(tr(lang, "min", "min"));
    changed
}

fn cond_parts_ui(
    ui: &mut egui::Ui,
    key: &str,
    lang: Lang,
    known: &Known,
    ron: &mut RonFields,
    cond: &mut Cond,
    depth: usize,
) -> bool {
    let mut changed = false;
    match cond {
        Cond::Always => {}
        Cond::After(m) => {
            ui.horizontal(|ui| {
                changed |= minutes_ui(ui, lang, known, tr(lang, "vanaf minuut", "from minute"), m);
            });
        }
        Cond::ReleasedWithin(inject, m) => {
            changed |= pick_id_ui(ui, (key, "inj"), "inject", inject, &plain(&known.injects));
            ui.horizontal(|ui| {
                changed |= minutes_ui(ui, lang, known, tr(lang, "binnen", "within"), m);
            });
        }
        Cond::DecidedWithin(decision, m) => {
            let ids: Vec<String> = known.decisions.iter().map(|d| d.0.clone()).collect();
            changed |= pick_id_ui(
                ui,
                (key, "dec"),
                tr(lang, "besluit", "decision"),
                decision,
                &plain(&ids),
            );
            ui.horizontal(|ui| {
                changed |= minutes_ui(ui, lang, known, tr(lang, "binnen", "within"), m);
            });
        }
        Cond::Var(var, op, value) => {
            ui.horizontal_wrapped(|ui| {
                changed |= var_pick_ui(ui, key, lang, known, var, false);
                let l = ui.label(tr(lang, "is", "is"));
                egui::ComboBox::from_id_salt((key, "op"))
                    .selected_text(op.symbol())
                    .show_ui(ui, |ui| {
                        for o in OPS {
                            changed |= ui.selectable_value(op, o, o.symbol()).changed();
                        }
                    })
                    .response
                    .labelled_by(l.id);
                changed |= value_ui(ui, lang, known.var_kind(var.as_str()), value);
            });
        }
        Cond::Signal(sig) => {
            changed |= pick_id_ui(
                ui,
                (key, "sig"),
                tr(lang, "signaal", "signal"),
                sig,
                &plain(&known.signals),
            );
        }
        Cond::Chosen(decision, choice) => {
            let ids: Vec<String> = known.decisions.iter().map(|d| d.0.clone()).collect();
            changed |= pick_id_ui(
                ui,
                (key, "dec"),
                tr(lang, "besluit", "decision"),
                decision,
                &plain(&ids),
            );
            let choices = known
                .decisions
                .iter()
                .find(|(x, _)| *x == decision.as_str())
                .map(|(_, c)| plain(c))
                .unwrap_or_default();
            changed |= pick_id_ui(
                ui,
                (key, "choice"),
                tr(lang, "keuze", "choice"),
                choice,
                &choices,
            );
        }
        Cond::Released(inject) => {
            changed |= pick_id_ui(ui, (key, "inj"), "inject", inject, &plain(&known.injects));
        }
        Cond::Done(action) => {
            changed |= pick_id_ui(
                ui,
                (key, "act"),
                tr(lang, "actie", "action"),
                action,
                &known.actions,
            );
        }
        Cond::Not(inner) => {
            ui.indent((key, "not"), |ui| {
                changed |= cond_ui(
                    ui,
                    &format!("{key}/not"),
                    lang,
                    known,
                    ron,
                    inner,
                    depth + 1,
                );
            });
        }
        Cond::All(list) | Cond::Any(list) => {
            let mut remove = None;
            ui.indent((key, "list"), |ui| {
                for (n, c) in list.iter_mut().enumerate() {
                    ui.horizontal_top(|ui| {
                        if ui
                            .small_button("✕")
                            .on_hover_text(tr(lang, "Voorwaarde verwijderen", "Remove condition"))
                            .clicked()
                        {
                            remove = Some(n);
                        }
                        ui.vertical(|ui| {
                            changed |=
                                cond_ui(ui, &format!("{key}/{n}"), lang, known, ron, c, depth + 1);
                        });
                    });
                }
                if ui
                    .small_button(tr(lang, "+ Voorwaarde", "+ Condition"))
                    .clicked()
                {
                    list.push(Cond::After(0));
                    changed = true;
                }
            });
            if let Some(n) = remove {
                list.remove(n);
                forget(ron, key);
                changed = true;
            }
        }
    }
    changed
}
