//! The journal feed: every entry as a sentence, newest first, filterable.

use crate::engine::fmt_elapsed;
use crate::host::View;
use crate::i18n::tr;
use crate::model::Lang;

/// The feed's filter and its formatted lines.
#[derive(Debug, Default)]
pub struct FeedState {
    /// Filter text.
    pub filter: String,
    /// The lines, newest first, for (entries, filter, language): formatting 10,000 entries every
    /// frame costs milliseconds.
    cache: Option<((usize, String, Lang), Vec<String>)>,
}

/// Draws the feed.
pub fn feed_ui(ui: &mut egui::Ui, v: &View<'_>, st: &mut FeedState, lang: Lang) {
    let ctx = v.sim().ctx();
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "Filter:", "Filter:"));
        ui.add(egui::TextEdit::singleline(&mut st.filter))
            .labelled_by(label.id);
        ui.label(format!(
            "{} {}",
            v.entries().len(),
            tr(
                lang,
                "regels, elk gesynchroniseerd naar schijf",
                "entries, each synced to disk"
            )
        ));
    });
    ui.weak(v.path().display().to_string());
    let filter = st.filter.to_lowercase();
    let key = (v.entries().len(), filter.clone(), lang);
    if st.cache.as_ref().is_none_or(|(k, _)| *k != key) {
        let lines: Vec<String> = v
            .entries()
            .iter()
            .rev()
            .map(|e| {
                format!(
                    "#{} {} {} — {}",
                    e.seq,
                    fmt_elapsed(e.t),
                    crate::describe::actor(&e.actor, ctx, lang),
                    crate::describe::entry(e, ctx, lang)
                )
            })
            .filter(|l| filter.is_empty() || l.to_lowercase().contains(&filter))
            .collect();
        st.cache = Some((key, lines));
    }
    let lines: &[String] = st.cache.as_ref().map_or(&[], |c| &c.1);
    let row_h = ui.text_style_height(&egui::TextStyle::Body);
    egui::ScrollArea::vertical()
        .id_salt("journal-feed")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, lines.len(), |ui, range| {
            for l in &lines[range] {
                ui.add(egui::Label::new(l.as_str()).truncate());
            }
        });
}
