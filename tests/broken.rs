//! The corpus of broken files: each names, on its first line, the finding it must produce —
//! `// expect: error unknown-role 14:21` — and the validator must report exactly that
//! severity, code, line and column.

use std::path::PathBuf;

use paraat::library::Library;
use paraat::model::diag::Severity;

#[test]
fn every_broken_file_reports_what_it_expects() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/broken")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "{} broken files", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        let first = String::from_utf8_lossy(&bytes)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let parts: Vec<&str> = first
            .trim_start_matches("// expect:")
            .split_whitespace()
            .collect();
        let [sev, code, at] = parts[..] else {
            failures.push(format!("{}: bad expectation line {first:?}", f.display()));
            continue;
        };
        let severity = if sev == "error" {
            Severity::Error
        } else {
            Severity::Warning
        };
        let lib = Library::load(std::slice::from_ref(f));
        let found = lib.diagnostics.iter().any(|d| {
            d.severity == severity
                && d.problem.code() == code
                && format!("{}:{}", d.pos.line, d.pos.col) == at
        });
        if !found {
            let got: Vec<String> = lib.diagnostics.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}: expected {sev} {code} at {at}; got:\n  {}",
                f.display(),
                got.join("\n  ")
            ));
        }
        // The parser's own advice about its limits is never passed on.
        for d in &lib.diagnostics {
            let text = d.to_string();
            if text.contains("recursion_limit") || text.contains("serde_stacker") {
                failures.push(format!("{}: parser advice leaked: {text}", f.display()));
            }
        }
        // An error file must not also be playable.
        if severity == Severity::Error {
            assert!(lib.errors() > 0, "{}", f.display());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
