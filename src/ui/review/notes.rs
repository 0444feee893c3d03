//! The review's observations and reviewer notes (kept beside the journal), and its exports.

use super::{
    AppCommand, Body, Compiled, Entry, EventKind, Format, Lang, Notice, ReviewState, fmt_elapsed,
    tr,
};

pub(super) fn notes_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    entries: &[Entry],
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    ui.strong(tr(
        lang,
        "Waarnemingen tijdens de oefening",
        "Observations during the exercise",
    ));
    let mut any = false;
    for e in entries {
        if let Body::Event(ev) = &e.body
            && matches!(ev.kind, EventKind::Observed { .. })
        {
            any = true;
            ui.label(format!(
                "#{} {} {}",
                e.seq,
                fmt_elapsed(ev.t),
                crate::describe::event(&ev.kind, ctx, lang)
            ));
        }
    }
    if !any {
        ui.weak("—");
    }
    ui.separator();
    let label = ui.label(tr(
        lang,
        "Notities van de beoordelaar (apart bestand; het logboek blijft onveranderd):",
        "Reviewer notes (a separate file; the journal is never changed):",
    ));
    ui.add(
        egui::TextEdit::multiline(&mut st.notes)
            .desired_rows(10)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(tr(lang, "Notities opslaan", "Save notes"))
            .clicked()
        {
            out.push(AppCommand::Notify(
                match crate::files::write_atomic(&st.notes_path, st.notes.as_bytes()) {
                    Ok(()) => Notice::info(format!(
                        "{} {}",
                        tr(lang, "Opgeslagen:", "Saved:"),
                        st.notes_path.display()
                    )),
                    Err(e) => Notice::error(format!("{}: {e}", st.notes_path.display())),
                },
            ));
        }
        ui.weak(st.notes_path.display().to_string());
    });
}

pub(super) fn export_ui(
    ui: &mut egui::Ui,
    st: &ReviewState,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    ui.label(tr(
        lang,
        "Het evaluatierapport en verbeterplan (AAR/IP) in elk formaat.",
        "The after-action report and improvement plan (AAR/IP) in every format.",
    ));
    egui::Grid::new("exports").show(ui, |ui| {
        for (format, name) in [
            (Format::Html, "HTML"),
            (Format::Markdown, "Markdown"),
            (Format::Csv, "CSV"),
            (Format::Json, "JSON"),
            (Format::Pdf, "PDF"),
        ] {
            ui.label(name);
            if ui
                .button(tr(
                    lang,
                    "Naast het logboek opslaan",
                    "Save beside the journal",
                ))
                .clicked()
            {
                out.push(AppCommand::WriteReport { format });
            }
            if ui.button(tr(lang, "Opslaan als…", "Save as…")).clicked() {
                out.push(AppCommand::SaveReportAs { format });
            }
            ui.end_row();
        }
    });
    for w in &st.written {
        ui.horizontal_wrapped(|ui| {
            ui.monospace(w.display().to_string());
            if ui.button(tr(lang, "Openen", "Open")).clicked() {
                out.push(AppCommand::Open(w.clone()));
            }
        });
    }
}
