//! `paraat compare`: many journals of one scenario version, side by side.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::compare::{self, Format};
use crate::model::Lang;

/// Runs `paraat compare`; returns the exit code (0 written, 1 refused).
pub fn compare_cmd(
    journals: &[PathBuf],
    format: Format,
    file: Option<&Path>,
    group_by_scenario: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let trusted = crate::journal::seal::installation_fingerprint();
    let loaded = match compare::load(journals, super::exercise_for, trusted.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 1;
        }
    };
    let c = match compare::compare(&loaded, group_by_scenario) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 1;
        }
    };
    let text = compare::render(&c, format, lang);
    // Never over one of the journals compared, or their scenarios.
    let mut inputs: Vec<&Path> = journals.iter().map(PathBuf::as_path).collect();
    inputs.extend(loaded.iter().map(|l| l.exercise.scenario.path.as_path()));
    super::emit(text.as_bytes(), file, &inputs, out, err)
}
