//! Validation of what format version 2 adds (see `model/authoring.rs`): the version gate,
//! scenario-local roles, actions and procedures, simulated roles, attachments, and the warning
//! for choices whose best one is always listed first.

use std::collections::BTreeSet;

use super::{Ctx, HashMap, Names, check_cond};
use crate::model::authoring::{self, read_attachment};
use crate::model::diag::{IdKind, Problem};
use crate::model::locate::Range;
use crate::model::{Plan, Scenario};

/// The first version with the fields checked here.
const V2: u32 = 2;

/// Reports every format-2 field in a file of an older version.
pub(super) fn check_format_gate(ctx: &mut Ctx, s: &Scenario) {
    if s.format >= V2 {
        return;
    }
    let all = ctx.loc.all();
    let top = ctx.loc.fields(all);
    let mut fields: Vec<(&str, crate::model::locate::Pos)> = Vec::new();
    for (name, used) in [
        ("local_roles", !s.local_roles.is_empty()),
        ("simulated", !s.simulated.is_empty()),
        ("local_actions", !s.local_actions.is_empty()),
        ("local_procedures", !s.local_procedures.is_empty()),
    ] {
        if used {
            fields.push((name, top.pos(name)));
        }
    }
    if !s.per_occurrence.is_empty() {
        fields.push(("per_occurrence", top.pos("per_occurrence")));
    }
    let v2_effects = crate::model::authoring::format_2_effect;
    for i in &s.injects {
        let obj = ctx
            .loc
            .object(all, "Inject", i.id.as_str(), 0)
            .unwrap_or(all);
        if !i.attachments.is_empty() {
            fields.push(("attachments", ctx.at_field(obj, "attachments")));
        }
        if let Some(cond) = i.when.as_ref().and_then(crate::model::Cond::time_condition) {
            fields.push((cond, ctx.at_field(obj, "when")));
        }
        if let Some(effect) = v2_effects(&i.effects) {
            fields.push((effect, ctx.at_field(obj, "effects")));
        }
        for d in &i.decisions {
            let dobj = ctx
                .loc
                .object(obj, "Decision", d.id.as_str(), 0)
                .unwrap_or(obj);
            for (name, used) in [
                ("fixed_order", d.fixed_order),
                ("with", !d.with.is_empty()),
                ("any_of", !d.any_of.is_empty()),
            ] {
                if used {
                    fields.push((name, ctx.at_field(dobj, name)));
                }
            }
            for c in &d.options {
                let cobj = ctx
                    .loc
                    .object(dobj, "Choice", c.id.as_str(), 0)
                    .unwrap_or(dobj);
                for (name, used) in [
                    ("partly", !c.partly.is_empty()),
                    ("against", !c.against.is_empty()),
                ] {
                    if used {
                        fields.push((name, ctx.at_field(cobj, name)));
                    }
                }
                if let Some(effect) = v2_effects(&c.effects) {
                    fields.push((effect, ctx.at_field(cobj, "effects")));
                }
            }
        }
    }
    for (field, pos) in fields {
        ctx.error(
            pos,
            Problem::NeedsFormat {
                field: field.to_owned(),
                version: V2,
                found: s.format,
            },
            "add `format: 2,` as the scenario's first field (scenarios/README.md, section 3.12, says what else changes)",
        );
    }
}

/// Checks the scenario's own roles, actions and procedures and its simulated roles. `plan` is
/// the plan file alone; `names` are the scenario's names with the local ones included.
pub(super) fn check_local_catalogue(ctx: &mut Ctx, s: &Scenario, plan: &Plan, names: &Names) {
    let all = ctx.loc.all();
    let top = ctx.loc.fields(all);
    let role_objs = ctx.list_objects_in(top.range("local_roles"), s.local_roles.len());
    let action_objs = ctx.list_objects_in(top.range("local_actions"), s.local_actions.len());
    let proc_objs = ctx.list_objects_in(top.range("local_procedures"), s.local_procedures.len());
    let obj_or = |ctx: &Ctx, obj: Option<Range>, name: &str, id: &str| {
        obj.or_else(|| ctx.loc.object(all, name, id, 0))
            .unwrap_or(all)
    };

    // Ids: unique among themselves, and not the plan's.
    ctx.unique_ids(
        IdKind::Role,
        "Role",
        all,
        s.local_roles
            .iter()
            .map(|r| r.id.as_str())
            .zip(role_objs.iter().copied()),
    );
    ctx.unique_ids(
        IdKind::Action,
        "Action",
        all,
        s.local_actions
            .iter()
            .map(|a| a.id.as_str())
            .zip(action_objs.iter().copied()),
    );
    ctx.unique_ids(
        IdKind::Procedure,
        "Procedure",
        all,
        s.local_procedures
            .iter()
            .map(|p| p.id.as_str())
            .zip(proc_objs.iter().copied()),
    );
    let clash = |ctx: &mut Ctx, kind: IdKind, id: &str, obj: Range| {
        let pos = ctx.at_field(obj, "id");
        ctx.error(
            pos,
            Problem::Duplicate {
                kind,
                id: id.to_owned(),
                first_line: None,
            },
            format!(
                "the plan already has this {0}: use the plan's (name \"{id}\" where you need it), or give the scenario's own {0} another id",
                kind.word()
            ),
        );
    };
    for (r, obj) in s.local_roles.iter().zip(&role_objs) {
        let obj = obj_or(ctx, *obj, "Role", r.id.as_str());
        if plan.role(r.id.as_str()).is_some() {
            clash(ctx, IdKind::Role, r.id.as_str(), obj);
        }
        if !s.roles.contains(&r.id) && !r.id.as_str().trim().is_empty() {
            let pos = ctx.at_field(obj, "id");
            ctx.warning(
                pos,
                Problem::BadValue {
                    field: "local_roles".into(),
                    message: format!(
                        "role \"{}\" is defined here but not in play: it is not in `roles`",
                        r.id
                    ),
                },
                format!("add \"{}\" to `roles`, or remove it", r.id),
            );
        }
    }
    let all_roles: BTreeSet<&str> = plan
        .roles
        .iter()
        .chain(&s.local_roles)
        .map(|r| r.id.as_str())
        .collect();
    for (a, obj) in s.local_actions.iter().zip(&action_objs) {
        let obj = obj_or(ctx, *obj, "Action", a.id.as_str());
        if plan.action(a.id.as_str()).is_some() {
            clash(ctx, IdKind::Action, a.id.as_str(), obj);
        }
        let rr = ctx.loc.field_range(obj, "roles").unwrap_or(obj);
        for r in &a.roles {
            ctx.check_ref(IdKind::Role, r.as_str(), &all_roles, rr);
        }
    }
    for (p, obj) in s.local_procedures.iter().zip(&proc_objs) {
        let obj = obj_or(ctx, *obj, "Procedure", p.id.as_str());
        if plan.procedure(p.id.as_str()).is_some() {
            clash(ctx, IdKind::Procedure, p.id.as_str(), obj);
        }
        let rr = ctx.loc.field_range(obj, "role").unwrap_or(obj);
        if ctx.check_ref(IdKind::Role, p.role.as_str(), &all_roles, rr)
            && !s.roles.contains(&p.role)
        {
            let pos = ctx.at_str(rr, p.role.as_str());
            ctx.warning(
                pos,
                Problem::RoleNotInPlay {
                    what: format!("procedure \"{}\"", p.id),
                    role: p.role.to_string(),
                },
                "add the role to `roles`, or the procedure will not be scored",
            );
        }
        let ar = ctx.loc.field_range(obj, "action").unwrap_or(obj);
        ctx.check_ref(IdKind::Action, p.action.as_str(), &names.actions, ar);
        let tr = ctx.loc.field_range(obj, "trigger").unwrap_or(obj);
        check_cond(ctx, names, &p.trigger, tr);
        super::check_procedure_values(
            ctx,
            p,
            obj,
            "say where the rule comes from: the regional norm, the organiser's plan, the agreement",
        );
    }

    // Simulated roles: in play, each once.
    let sr = top.range_or_all("simulated");
    let mut seen: HashMap<&str, usize> = HashMap::default();
    for r in &s.simulated {
        let n = seen.entry(r.as_str()).or_default();
        let pos = ctx
            .loc
            .string(sr, r.as_str(), *n)
            .unwrap_or_else(|| ctx.loc.pos(sr));
        *n += 1;
        if !s.roles.contains(r) {
            ctx.error(
                pos,
                Problem::RoleNotInPlay {
                    what: "`simulated`".into(),
                    role: r.to_string(),
                },
                format!(
                    "list \"{r}\" in `roles` too (exercise control plays it), or remove it here"
                ),
            );
        } else if seen.get(r.as_str()).copied().unwrap_or(0) > 1 {
            ctx.error(
                pos,
                Problem::Duplicate {
                    kind: IdKind::Role,
                    id: r.to_string(),
                    first_line: ctx.loc.string(sr, r.as_str(), 0).map(|p| p.line),
                },
                "list each role once",
            );
        }
    }
    if !s.roles.is_empty() && s.roles.iter().all(|r| s.simulated.contains(r)) {
        let pos = top.pos("simulated");
        ctx.warning(
            pos,
            Problem::BadValue {
                field: "simulated".into(),
                message: "every role in play is simulated: nobody at the table plays".into(),
            },
            "take the roles the players take out of `simulated`",
        );
    }
}

/// Checks every attachment: a path inside the scenario's folder, a regular file within the
/// size limit, a PNG, JPEG or PDF by its content.
pub(super) fn check_attachments(ctx: &mut Ctx, s: &Scenario) {
    let all = ctx.loc.all();
    for i in s.injects.iter().filter(|i| !i.attachments.is_empty()) {
        let obj = ctx
            .loc
            .object(all, "Inject", i.id.as_str(), 0)
            .unwrap_or(all);
        let ar = ctx.loc.field_range(obj, "attachments").unwrap_or(obj);
        let mut files = BTreeSet::new();
        for a in &i.attachments {
            let pos = ctx.at_str(ar, &a.file);
            if !files.insert(a.file.as_str()) {
                ctx.warning(
                    pos,
                    Problem::BadAttachment {
                        file: a.file.clone(),
                        why: format!("inject \"{}\" carries it twice", i.id),
                    },
                    "attach each file once",
                );
                continue;
            }
            let Err(e) = read_attachment(ctx.path, &a.file) else {
                continue;
            };
            let help = match e {
                authoring::AttachmentError::Escapes | authoring::AttachmentError::LinkOutside => {
                    "put the file in the scenario's folder (or a folder under it) and write its path relative to the scenario, e.g. \"bijlagen/foto.png\"".to_owned()
                }
                authoring::AttachmentError::Unreadable(_) => format!(
                    "check the name and the folder: the path is relative to {}",
                    ctx.path
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                        .map_or_else(|| ".".to_owned(), |p| p.display().to_string())
                ),
                authoring::AttachmentError::NotRegular(_) => {
                    "attach a file, not a folder or a device".to_owned()
                }
                authoring::AttachmentError::TooLarge(_) => {
                    "make it smaller: scale a photo down, or split a long document".to_owned()
                }
                authoring::AttachmentError::UnknownType => {
                    "save it as PNG, JPEG or PDF (the name's extension does not decide; the content does)".to_owned()
                }
            };
            ctx.error(
                pos,
                Problem::BadAttachment {
                    file: a.file.clone(),
                    why: e.to_string(),
                },
                help,
            );
        }
    }
}

/// Warns when, in every decision shown in file order that has one best choice (two or more such
/// decisions), that best choice is listed first. "Best" is by the scoring: a choice is worth the
/// weights of the procedures it satisfies (its decision's role is the procedure's role, one of
/// its actions is the procedure's action, and the scenario can trigger the procedure), minus the
/// weights of the procedures it violates.
pub(super) fn warn_first_choice_best(ctx: &mut Ctx, s: &Scenario, plan: &Plan) {
    let triggerable = super::triggerable_procedures(s, plan);
    let weights: HashMap<&str, i64> = plan
        .procedures
        .iter()
        .map(|p| (p.id.as_str(), i64::from(p.weight)))
        .collect();
    let mut first_best = 0usize;
    let mut judged = 0usize;
    let mut first_at: Option<(&str, &str)> = None;
    for (inject, d) in s.decisions() {
        if !authoring::keeps_file_order(s.format, d) || d.options.len() < 2 {
            continue;
        }
        let value = |c: &crate::model::Choice| -> i64 {
            let gained: i64 = triggerable
                .iter()
                .filter(|p| p.role == d.role && c.actions.contains(&p.action))
                .map(|p| i64::from(p.weight))
                .sum();
            let lost: i64 = c
                .violates
                .iter()
                .filter_map(|v| weights.get(v.as_str()))
                .sum();
            gained - lost
        };
        let values: Vec<i64> = d.options.iter().map(value).collect();
        let Some(&best) = values.iter().max() else {
            continue;
        };
        if values.iter().filter(|&&v| v == best).count() != 1 {
            continue;
        }
        judged += 1;
        if values[0] == best {
            first_best += 1;
            first_at.get_or_insert((inject.id.as_str(), d.id.as_str()));
        }
    }
    if judged < 2 || first_best < judged {
        return;
    }
    let Some((inject, decision)) = first_at else {
        return;
    };
    let all = ctx.loc.all();
    let obj = ctx.loc.object(all, "Inject", inject, 0).unwrap_or(all);
    let dobj = ctx.loc.object(obj, "Decision", decision, 0).unwrap_or(obj);
    let pos = ctx.at_field(dobj, "options");
    let help = if s.format < V2 {
        "add `format: 2,` so choices are shuffled per exercise seed, or list the best choice elsewhere"
    } else {
        "list the best choice elsewhere in some decisions, or drop `fixed_order` where the order means nothing"
    };
    ctx.warning(pos, Problem::FirstChoiceBest { decisions: judged }, help);
}
