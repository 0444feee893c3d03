//! `paraat whatif`: another option at one decision of a journal, played on and compared.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::Lang;
use crate::whatif::{self, Spec, ThenSpec};

/// Parses `--then default|first|script FILE`.
fn then_spec(words: &[String]) -> Result<ThenSpec, String> {
    match words {
        [] => Ok(ThenSpec::Default),
        [w] if w == "default" => Ok(ThenSpec::Default),
        [w] if w == "first" => Ok(ThenSpec::First),
        [w, file] if w == "script" => Ok(ThenSpec::Script(PathBuf::from(file))),
        [w] if w == "script" => Err("--then script needs a file: --then script FILE".into()),
        other => Err(format!(
            "--then {}: expected default, first, or script FILE",
            other.join(" ")
        )),
    }
}

/// Runs `paraat whatif`; returns the exit code (0 done, 1 refused, 2 usage error).
#[allow(clippy::too_many_arguments)]
pub fn whatif_cmd(
    path: &Path,
    decision: &str,
    choice: &str,
    then: &[String],
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let then = match then_spec(then) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let policy = match then.load() {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 1;
        }
    };
    // Only a journal that verifies: a what-if replays it, and replay is what verification checks.
    let Some(c) = super::verified_journal(path, false, err) else {
        return 1;
    };
    let ctx = std::sync::Arc::new(crate::engine::Compiled::new(
        &c.exercise.plan.value,
        &c.exercise.scenario.value,
    ));
    let spec = Spec {
        decision: decision.into(),
        choice: choice.into(),
        then,
    };
    match whatif::what_if(&ctx, &c.read.header, &c.read.entries, &spec, &policy) {
        Ok(o) => {
            if json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&o).unwrap_or_default()
                );
            } else {
                let _ = write!(out, "{}", whatif::text(&o, &ctx, lang));
            }
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {}: {e}", path.display());
            1
        }
    }
}
