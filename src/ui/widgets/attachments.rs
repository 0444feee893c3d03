//! The files an inject carries (format 2): pictures shown inline, PDF documents named with
//! their file. Each file is read once per session through the model's checked reader (inside the
//! scenario's folder, a regular file, within the size limit, PNG/JPEG/PDF by content) and handed
//! to egui's image loader as bytes; a file that went missing or changed into something else since
//! validation shows why instead of a picture.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::i18n::tr;
use crate::model::{AttachmentKind, Inject, Lang, authoring};

/// What reading one attachment gave, kept in egui's memory for the session.
#[derive(Clone)]
enum Loaded {
    /// Bytes handed to egui under this URI; `path` is where the checked file is (to open a
    /// document with the desktop's program).
    Ready {
        kind: AttachmentKind,
        uri: Arc<str>,
        path: Arc<Path>,
    },
    /// Why it cannot be shown.
    Failed(Arc<str>),
}

fn load(ctx: &egui::Context, scenario_path: &Path, file: &str) -> Loaded {
    let id = egui::Id::unique(("paraat-attachment", scenario_path, file));
    if let Some(found) = ctx.data(|d| d.get_temp::<Loaded>(id)) {
        return found;
    }
    let loaded = match authoring::read_attachment(scenario_path, file) {
        Ok((kind, bytes)) => {
            let ext = match kind {
                AttachmentKind::Png => "png",
                AttachmentKind::Jpeg => "jpg",
                AttachmentKind::Pdf => "pdf",
            };
            // The extension tells egui's loader the format; the name of the file does not.
            let uri: Arc<str> = format!("bytes://paraat-attachment/{}.{ext}", id.value()).into();
            if kind.is_image() {
                egui_extras::install_image_loaders(ctx);
                ctx.include_bytes(uri.to_string(), bytes);
            }
            // `read_attachment` checked that the file, links followed, lies in the folder.
            let path = authoring::attachment_path(scenario_path, file)
                .ok()
                .and_then(|p| p.canonicalize().ok());
            match path {
                Some(path) => Loaded::Ready {
                    kind,
                    uri,
                    path: path.into(),
                },
                None => Loaded::Failed(authoring::AttachmentError::Escapes.to_string().into()),
            }
        }
        Err(e) => Loaded::Failed(e.to_string().into()),
    };
    ctx.data_mut(|d| d.insert_temp(id, loaded.clone()));
    loaded
}

/// Draws the attachments of `inject` (nothing when it has none), pictures at most `max_height`
/// points high, captions at `text_size` (or the style's size) in `colour` (or the style's).
/// A document gets an "Open document" button when `open_documents` (desks, not the projector);
/// returns the document to open when it was clicked.
pub fn attachments_ui(
    ui: &mut egui::Ui,
    scenario_path: &Path,
    inject: &Inject,
    lang: Lang,
    max_height: f32,
    style: Option<(f32, egui::Color32)>,
    open_documents: bool,
) -> Option<PathBuf> {
    let mut open = None;
    for a in &inject.attachments {
        let caption = a.caption.get(lang);
        let text = |s: String| match style {
            Some((size, colour)) => egui::RichText::new(s).size(size).color(colour),
            None => egui::RichText::new(s),
        };
        match load(ui.ctx(), scenario_path, &a.file) {
            Loaded::Ready { kind, uri, .. } if kind.is_image() => {
                ui.add(
                    egui::Image::new(uri.to_string())
                        // From the picture's own size, within the limits below: the default
                        // (a fraction of the space left) is nothing in a scroll area whose
                        // visible part is used up, as in the editor's form.
                        .fit_to_original_size(1.0)
                        .max_height(max_height)
                        .max_width(ui.available_width())
                        .alt_text(caption),
                );
                ui.add(
                    egui::Label::new(
                        text(format!(
                            "{} ({}): {caption}",
                            tr(lang, "Bijlage", "Attachment"),
                            crate::describe::attachment_kind(kind, lang)
                        ))
                        .italics(),
                    )
                    .wrap(),
                );
            }
            Loaded::Ready { kind, path, .. } => {
                ui.add(
                    egui::Label::new(text(format!(
                        "{} ({}): {caption} — {}",
                        tr(lang, "Bijlage", "Attachment"),
                        crate::describe::attachment_kind(kind, lang),
                        a.file
                    )))
                    .wrap(),
                )
                .on_hover_text(tr(
                    lang,
                    "Het document staat in de map van het scenario.",
                    "The document is in the scenario's folder.",
                ));
                if open_documents
                    && ui
                        .button(tr(lang, "Document openen", "Open document"))
                        .on_hover_text(caption)
                        .clicked()
                {
                    open = Some(path.to_path_buf());
                }
            }
            Loaded::Failed(why) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!(
                        "{} {} ({}): {why}",
                        tr(
                            lang,
                            "Bijlage niet te tonen:",
                            "Attachment cannot be shown:"
                        ),
                        caption,
                        a.file
                    ),
                );
            }
        }
    }
    open
}
