//! The review's journal table: every entry as a sentence, filtered by role, kind and text.

use super::{
    Body, Column, Compiled, Entry, EventKind, KindFilter, Lang, ReviewState, RoleId, TableBuilder,
    fmt_elapsed, tr,
};

pub(super) fn entry_role(e: &Entry) -> Option<&RoleId> {
    match &e.body {
        Body::Event(ev) => match &ev.kind {
            EventKind::DecisionOpened { role, .. }
            | EventKind::DecisionMade { role, .. }
            | EventKind::DecisionExpired { role, .. }
            | EventKind::ActionTaken { role, .. } => Some(role),
            EventKind::Observed { role, .. } => role.as_ref(),
            _ => None,
        },
        Body::Command(_) => None,
    }
}

pub(super) fn journal_table_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    entries: &[Entry],
    lang: Lang,
) {
    ui.horizontal_wrapped(|ui| {
        let roles: Vec<(RoleId, String)> = ctx
            .scenario
            .roles
            .iter()
            .map(|r| {
                (
                    r.clone(),
                    ctx.plan
                        .role(r.as_str())
                        .map_or_else(|| r.to_string(), |x| x.name.get(lang).to_owned()),
                )
            })
            .collect();
        let sel = st
            .role_filter
            .as_ref()
            .and_then(|r| roles.iter().find(|x| x.0 == *r))
            .map_or_else(
                || tr(lang, "alle rollen", "all roles").to_owned(),
                |x| x.1.clone(),
            );
        let role_label = ui.label(tr(lang, "Rol:", "Role:"));
        egui::ComboBox::from_id_salt("review-role")
            .selected_text(sel)
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut st.role_filter,
                    None,
                    tr(lang, "alle rollen", "all roles"),
                );
                for (r, n) in &roles {
                    ui.selectable_value(&mut st.role_filter, Some(r.clone()), n);
                }
            })
            .response
            .labelled_by(role_label.id);
        ui.separator();
        let kind_label = ui.label(tr(lang, "Soort:", "Kind:"));
        egui::ComboBox::from_id_salt("review-kind")
            .selected_text(st.kind_filter.label(lang))
            .show_ui(ui, |ui| {
                for k in KindFilter::ALL {
                    ui.selectable_value(&mut st.kind_filter, k, k.label(lang));
                }
            })
            .response
            .labelled_by(kind_label.id);
        ui.separator();
        let label = ui.label(tr(lang, "Tekst:", "Text:"));
        ui.add(egui::TextEdit::singleline(&mut st.text_filter))
            .labelled_by(label.id);
    });
    let key = format!(
        "{:?}|{:?}|{}|{lang:?}",
        st.role_filter,
        st.kind_filter,
        st.text_filter.to_lowercase()
    );
    if st
        .filtered
        .as_ref()
        .is_none_or(|(k, n, _)| *k != key || *n != entries.len())
    {
        let text = st.text_filter.to_lowercase();
        let rows: Vec<usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| st.kind_filter.matches(e))
            .filter(|(_, e)| {
                st.role_filter
                    .as_ref()
                    .is_none_or(|r| e.actor == r.as_str() || entry_role(e) == Some(r))
            })
            .filter(|(_, e)| {
                text.is_empty()
                    || crate::describe::entry(e, ctx, lang)
                        .to_lowercase()
                        .contains(&text)
                    || crate::describe::actor(&e.actor, ctx, lang)
                        .to_lowercase()
                        .contains(&text)
            })
            .map(|(i, _)| i)
            .collect();
        st.filtered = Some((key, entries.len(), rows));
    }
    let rows = st
        .filtered
        .as_ref()
        .map(|f| f.2.clone())
        .unwrap_or_default();
    ui.label(format!(
        "{} / {} {}",
        rows.len(),
        entries.len(),
        tr(lang, "regels", "entries")
    ));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::remainder())
        .header(row_h, |mut h| {
            h.col(|ui| {
                ui.strong("#");
            });
            h.col(|ui| {
                ui.strong(tr(lang, "Tijd", "Time"));
            });
            h.col(|ui| {
                ui.strong(tr(lang, "Wie", "Who"));
            });
            h.col(|ui| {
                ui.strong(tr(lang, "Wat", "What"));
            });
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let e = &entries[rows[row.index()]];
                row.col(|ui| {
                    ui.monospace(e.seq.to_string());
                });
                row.col(|ui| {
                    ui.monospace(fmt_elapsed(e.t));
                });
                row.col(|ui| {
                    ui.label(crate::describe::actor(&e.actor, ctx, lang));
                });
                row.col(|ui| {
                    ui.label(crate::describe::entry(e, ctx, lang));
                });
            });
        });
}
