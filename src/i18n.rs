//! User-interface language: every string the app shows exists in Dutch and English.

use crate::model::Lang;

/// Picks the Dutch or English form.
pub fn tr(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}
