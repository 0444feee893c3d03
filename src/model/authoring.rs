//! What format version 2 adds for authors: the format version itself, scenario-local roles,
//! actions and procedures (merged into the plan a scenario is played with), attachments on
//! injects (images and PDF files shipped beside the scenario), and the order choices are shown
//! in (shuffled per seed unless the author fixes it).
//!
//! The types are part of the RON format (`scenarios/README.md`, section 3.12); the validator
//! checks them in `validate/authoring.rs`.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Decision, Plan, Scenario, Text};

/// The newest format version this build reads. Files say which version they are written in with
/// a top-level `format: N`; without it a file is version 1.
pub const CURRENT_FORMAT: u32 = 2;

/// The version of a file without a `format` field.
pub const fn format_v1() -> u32 {
    1
}

/// Whether `format` is the default (version 1), so it is not written out.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
pub fn is_format_v1(format: &u32) -> bool {
    *format == 1
}

/// A file shipped beside a scenario that an inject carries: a photo, a map, a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Path relative to the scenario file's folder, with `/` between folders
    /// (`"bijlagen/foto-perron.png"`). It must stay inside that folder.
    pub file: String,
    /// What it shows, for whoever cannot see it and for the report.
    pub caption: Text,
}

/// Largest attachment, in bytes: big enough for a photo or a few-page PDF, small enough that a
/// scenario folder stays easy to send around.
pub const MAX_ATTACHMENT_BYTES: u64 = 5 * 1024 * 1024;

/// The kinds of file an attachment may be, told by their first bytes (never by the name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttachmentKind {
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// A PDF document.
    Pdf,
}

impl AttachmentKind {
    /// The kind of file these first bytes begin, if it is one Paraat shows.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if head.starts_with(b"\xFF\xD8\xFF") {
            Some(Self::Jpeg)
        } else if head.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }

    /// Whether it is a picture (shown inline) rather than a document (opened).
    pub fn is_image(self) -> bool {
        matches!(self, Self::Png | Self::Jpeg)
    }

    /// The media type, for reports.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Pdf => "application/pdf",
        }
    }
}

/// Why an attachment cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// The path is empty, absolute, or climbs out of the scenario folder.
    #[error("the path must be relative to the scenario's folder and stay inside it")]
    Escapes,
    /// The file is not there or cannot be read.
    #[error("cannot read it: {0}")]
    Unreadable(String),
    /// A folder, device, pipe or socket.
    #[error("{0}")]
    NotRegular(String),
    /// Over [`MAX_ATTACHMENT_BYTES`].
    #[error("it is larger than the limit of {0} bytes")]
    TooLarge(u64),
    /// Not PNG, JPEG or PDF by its content.
    #[error("its content is not a PNG or JPEG image or a PDF document")]
    UnknownType,
    /// Through a symbolic link, the file lies outside the scenario folder.
    #[error("it is a link to a file outside the scenario's folder")]
    LinkOutside,
}

/// Where `file` of an attachment lies, for a scenario file at `scenario_path`: the path joined
/// to the scenario's folder, refused when it is empty, absolute, or has `..`, a root or a drive.
pub fn attachment_path(scenario_path: &Path, file: &str) -> Result<PathBuf, AttachmentError> {
    let rel = Path::new(file);
    if file.trim().is_empty()
        || file.contains('\\')
        || !rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(AttachmentError::Escapes);
    }
    Ok(scenario_folder(scenario_path).join(rel))
}

fn scenario_folder(scenario_path: &Path) -> &Path {
    match scenario_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Reads an attachment of the scenario at `scenario_path`: inside its folder (after following
/// links), a regular file, at most [`MAX_ATTACHMENT_BYTES`], PNG, JPEG or PDF by content.
pub fn read_attachment(
    scenario_path: &Path,
    file: &str,
) -> Result<(AttachmentKind, Vec<u8>), AttachmentError> {
    let path = attachment_path(scenario_path, file)?;
    let folder = scenario_folder(scenario_path)
        .canonicalize()
        .map_err(|e| AttachmentError::Unreadable(e.to_string()))?;
    let real = path
        .canonicalize()
        .map_err(|e| AttachmentError::Unreadable(e.to_string()))?;
    if !real.starts_with(&folder) {
        return Err(AttachmentError::LinkOutside);
    }
    let bytes = crate::files::read_regular(&real, MAX_ATTACHMENT_BYTES).map_err(|e| match e {
        crate::files::FileError::TooLarge(limit) => AttachmentError::TooLarge(limit),
        crate::files::FileError::NotRegular(kind) => {
            AttachmentError::NotRegular(format!("it is {kind}, not a regular file"))
        }
        crate::files::FileError::Io(reason) => AttachmentError::Unreadable(reason),
    })?;
    let kind = AttachmentKind::sniff(&bytes).ok_or(AttachmentError::UnknownType)?;
    Ok((kind, bytes))
}

// ---------------------------------------------------------------------------------------------
// Scenario-local roles, actions and procedures
// ---------------------------------------------------------------------------------------------

impl Scenario {
    /// Whether the scenario brings roles, actions or procedures of its own.
    pub fn has_local_catalogue(&self) -> bool {
        !(self.local_roles.is_empty()
            && self.local_actions.is_empty()
            && self.local_procedures.is_empty())
    }

    /// Whether `role` is one of the scenario's own roles.
    pub fn is_local_role(&self, role: &str) -> bool {
        self.local_roles.iter().any(|r| r.id.as_str() == role)
    }

    /// Whether `procedure` is one of the scenario's own procedures.
    pub fn is_local_procedure(&self, procedure: &str) -> bool {
        self.local_procedures
            .iter()
            .any(|p| p.id.as_str() == procedure)
    }
}

/// The plan a scenario is played and scored with: `plan` with the scenario's own roles, actions
/// and procedures appended (after the plan's, so every plan index stays what it was). Borrowed
/// unchanged when the scenario brings none.
pub fn plan_for<'p>(plan: &'p Plan, scenario: &Scenario) -> Cow<'p, Plan> {
    if !scenario.has_local_catalogue() {
        return Cow::Borrowed(plan);
    }
    let mut merged = plan.clone();
    merged.roles.extend(scenario.local_roles.iter().cloned());
    merged
        .actions
        .extend(scenario.local_actions.iter().cloned());
    merged
        .procedures
        .extend(scenario.local_procedures.iter().cloned());
    Cow::Owned(merged)
}

// ---------------------------------------------------------------------------------------------
// Which version a scenario needs
// ---------------------------------------------------------------------------------------------

impl super::Cond {
    /// The first time condition (format 2) in this condition or one nested in it, by name.
    pub fn time_condition(&self) -> Option<&'static str> {
        match self {
            Self::After(_) => Some("After"),
            Self::ReleasedWithin(..) => Some("ReleasedWithin"),
            Self::DecidedWithin(..) => Some("DecidedWithin"),
            Self::All(list) | Self::Any(list) => list.iter().find_map(Self::time_condition),
            Self::Not(c) => c.time_condition(),
            _ => None,
        }
    }

    /// Whether this condition, or one nested in it, is a time condition (format 2).
    pub fn uses_time(&self) -> bool {
        self.time_condition().is_some()
    }
}

/// The first effect in `effects` (nested ones included) that format version 2 added, by name.
pub fn format_2_effect(effects: &[super::Effect]) -> Option<&'static str> {
    use super::Effect;
    let mut found = None;
    for e in effects {
        e.walk(&mut |e| {
            let name = match e {
                Effect::Clear(_) => "Clear",
                Effect::Then(_) => "Then",
                Effect::If(..) => "If",
                Effect::Chance(..) => "Chance",
                _ => return,
            };
            found.get_or_insert(name);
        });
    }
    found
}

/// Whether `effects` (nested ones included) use an effect format version 2 added.
fn effects_use_format_2(effects: &[super::Effect]) -> bool {
    format_2_effect(effects).is_some()
}

impl Scenario {
    /// Whether the scenario uses anything format version 2 added (section 3.12 of
    /// `scenarios/README.md` and the additions after it): its own roles, actions and
    /// procedures, simulated roles, per-occurrence scoring, attachments, fixed choice order,
    /// joint and any-of decisions, partial and reasoned choices, `Clear`, `Then`, `If` and
    /// `Chance` effects, and time conditions. The editor sets `format: 2` when a form edit
    /// makes this true in a version-1 file.
    pub fn uses_format_2(&self) -> bool {
        self.has_local_catalogue()
            || !self.simulated.is_empty()
            || !self.per_occurrence.is_empty()
            || self.injects.iter().any(|i| {
                !i.attachments.is_empty()
                    || i.when.as_ref().is_some_and(super::Cond::uses_time)
                    || effects_use_format_2(&i.effects)
                    || i.decisions.iter().any(|d| {
                        d.fixed_order
                            || !d.with.is_empty()
                            || !d.any_of.is_empty()
                            || d.options.iter().any(|c| {
                                !c.partly.is_empty()
                                    || !c.against.is_empty()
                                    || effects_use_format_2(&c.effects)
                            })
                    })
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Choice order
// ---------------------------------------------------------------------------------------------

/// Whether a decision's choices keep the file's order: the author fixed it, or the file is
/// format version 1 (which always showed choices in file order).
pub fn keeps_file_order(scenario_format: u32, decision: &Decision) -> bool {
    decision.fixed_order || scenario_format < 2
}

/// The order in which a decision's choices are shown with `seed`: indices into
/// `decision.options`. File order where [`keeps_file_order`]; otherwise a shuffle that depends
/// only on the seed, the decision's id and the choices' ids (each choice is ranked by a hash of
/// those), so it is the same on every desk, seat and replay, and independent of the engine's
/// random draws (which it never touches).
pub fn choice_order(scenario_format: u32, decision: &Decision, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..decision.options.len()).collect();
    if keeps_file_order(scenario_format, decision) {
        return order;
    }
    let rank = |c: &super::Choice| -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(seed.to_le_bytes());
        h.update(decision.id.as_str().as_bytes());
        h.update([0]);
        h.update(c.id.as_str().as_bytes());
        h.finalize().into()
    };
    let ranks: Vec<[u8; 32]> = decision.options.iter().map(rank).collect();
    order.sort_by(|&a, &b| ranks[a].cmp(&ranks[b]).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(fixed: bool) -> Decision {
        let choice = |id: &str| super::super::Choice {
            id: id.into(),
            label: Text::new(id, id),
            actions: vec![],
            effects: vec![],
            then: vec![],
            violates: vec![],
            debrief: None,
            partly: vec![],
            against: vec![],
        };
        Decision {
            id: "d".into(),
            role: "r".into(),
            prompt: Text::default(),
            due_min: 5,
            options: vec![choice("a"), choice("b"), choice("c"), choice("d")],
            default: None,
            fixed_order: fixed,
            with: vec![],
            any_of: vec![],
        }
    }

    #[test]
    fn the_order_is_a_permutation_that_depends_on_the_seed_only_in_format_2() {
        let d = decision(false);
        let orders: std::collections::BTreeSet<Vec<usize>> =
            (0..50).map(|seed| choice_order(2, &d, seed)).collect();
        assert!(orders.len() > 10, "seeds give different orders: {orders:?}");
        for o in &orders {
            let mut sorted = o.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, vec![0, 1, 2, 3]);
        }
        assert_eq!(choice_order(2, &d, 7), choice_order(2, &d, 7));
        // Version 1 files and fixed decisions keep the file's order for every seed.
        for seed in 0..50 {
            assert_eq!(choice_order(1, &d, seed), vec![0, 1, 2, 3]);
            assert_eq!(choice_order(2, &decision(true), seed), vec![0, 1, 2, 3]);
        }
    }

    #[test]
    fn the_first_choice_is_shown_first_about_a_quarter_of_the_time() {
        let d = decision(false);
        let first = (0..4000u64)
            .filter(|&seed| choice_order(2, &d, seed)[0] == 0)
            .count();
        assert!((800..1200).contains(&first), "{first} of 4000");
    }

    #[test]
    fn a_scenario_uses_format_2_through_any_of_its_additions() {
        let text = r#"Scenario(id: "s", plan: "p", title: (nl: "", en: ""), summary: (nl: "", en: ""),
            start: "2026-03-18T10:00:00+01:00", duration_min: 60, roles: ["r"],
            injects: [Inject(id: "i", at_min: Some(0), to: ["r"], channel: Phone,
                title: (nl: "", en: ""), body: (nl: "", en: ""),
                decisions: [Decision(id: "d", role: "r", prompt: (nl: "", en: ""), due_min: 5,
                    options: [Choice(id: "a", label: (nl: "", en: ""))])])])"#;
        let base: Scenario = ron::from_str(text).expect("parses");
        assert!(!base.uses_format_2());
        let changed = |f: &dyn Fn(&mut Scenario)| {
            let mut s = base.clone();
            f(&mut s);
            s.uses_format_2()
        };
        assert!(changed(&|s| s.injects[0].decisions[0].fixed_order = true));
        assert!(changed(
            &|s| s.injects[0].decisions[0].any_of = vec!["x".into()]
        ));
        assert!(changed(&|s| s.injects[0].when = Some(
            super::super::Cond::Not(Box::new(super::super::Cond::After(95)))
        )));
        assert!(changed(&|s| s.injects[0].decisions[0].options[0].effects =
            vec![super::super::Effect::Chance(0.5, vec![], vec![])]));
        assert!(changed(&|s| s.simulated = vec!["r".into()]));
        // Version-1 conditions and effects do not.
        assert!(!changed(&|s| {
            s.injects[0].when = Some(super::super::Cond::Released("i".into()));
            s.injects[0].effects = vec![super::super::Effect::Signal("x".into())];
        }));
    }

    #[test]
    fn attachment_paths_stay_in_the_scenario_folder() {
        let s = Path::new("scenarios/x.ron");
        assert_eq!(
            attachment_path(s, "bijlagen/a.png").expect("inside"),
            Path::new("scenarios/bijlagen/a.png")
        );
        for bad in [
            "",
            "../a.png",
            "/etc/passwd",
            "a/../../b.png",
            "a\\..\\b.png",
        ] {
            assert_eq!(
                attachment_path(s, bad),
                Err(AttachmentError::Escapes),
                "{bad}"
            );
        }
    }

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(
            AttachmentKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(AttachmentKind::Png)
        );
        assert_eq!(
            AttachmentKind::sniff(b"\xFF\xD8\xFF\xE0"),
            Some(AttachmentKind::Jpeg)
        );
        assert_eq!(
            AttachmentKind::sniff(b"%PDF-1.7"),
            Some(AttachmentKind::Pdf)
        );
        assert_eq!(AttachmentKind::sniff(b"GIF89a"), None);
    }
}
