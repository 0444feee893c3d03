//! User-interface language: every string the app shows exists in Dutch and English.

use crate::model::Lang;

/// Picks the Dutch or English form.
pub fn tr(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// Names of situation levels, for the situation picture.
pub fn level_name(var: &str, value: i64, lang: Lang) -> Option<&'static str> {
    Some(match (var, value) {
        ("dtn", 1) => tr(lang, "1 minimaal", "1 minimal"),
        ("dtn", 2) => tr(lang, "2 beperkt", "2 limited"),
        ("dtn", 3) => tr(lang, "3 aanzienlijk", "3 significant"),
        ("dtn", 4) => tr(lang, "4 substantieel", "4 substantial"),
        ("dtn", 5) => tr(lang, "5 kritiek", "5 critical"),
        ("atb", 0) => tr(lang, "basis", "basic"),
        ("atb", 1) => tr(lang, "lichte dreiging", "light threat"),
        ("atb", 2) => tr(lang, "matige dreiging", "moderate threat"),
        ("atb", 3) => tr(lang, "hoge dreiging", "high threat"),
        ("grip", 0) => tr(lang, "routine (geen GRIP)", "routine (no GRIP)"),
        ("public_advice", 0) => tr(lang, "geen", "none"),
        ("public_advice", 1) => tr(
            lang,
            "alert zijn / gebied mijden",
            "be alert / avoid the area",
        ),
        ("public_advice", 2) => tr(
            lang,
            "binnenblijven (beperkt gebied)",
            "stay indoors (limited area)",
        ),
        ("public_advice", 3) => tr(
            lang,
            "binnenblijven (groot gebied)",
            "stay indoors (wide area)",
        ),
        _ => return None,
    })
}
