//! The corpus of broken files: each names, in the `// expect:` lines at its top, every finding
//! it must produce — `// expect: error unknown-role 14:21` (text after the position is a
//! comment) — and the validator must report exactly those: the same severity, code, line and
//! column, nothing missing and nothing more. A `// help: text` line among them says that some
//! finding's help line must contain that text (the help leads to the fix).

use std::path::PathBuf;

use paraat::library::Library;
use paraat::model::diag::Severity;

/// The number of files in `tests/broken/`: the test fails if files go missing.
const FILES: usize = 138;

#[test]
fn every_broken_file_reports_exactly_the_findings_it_expects() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/broken")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= FILES, "{} broken files", files.len());
    let mut failures = Vec::new();
    let mut errors = 0;
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let mut expected: Vec<String> = Vec::new();
        let header = || {
            text.lines()
                .take_while(|l| l.starts_with("// expect:") || l.starts_with("// help:"))
        };
        let helps: Vec<&str> = header()
            .filter_map(|l| l.strip_prefix("// help:"))
            .map(str::trim)
            .collect();
        for line in header().filter(|l| l.starts_with("// expect:")) {
            let parts: Vec<&str> = line
                .trim_start_matches("// expect:")
                .split_whitespace()
                .take(3)
                .collect();
            match parts[..] {
                [sev @ ("error" | "warning"), code, at] if at.contains(':') => {
                    expected.push(format!("{sev} {code} {at}"));
                }
                _ => failures.push(format!("{}: bad expectation line {line:?}", f.display())),
            }
        }
        if expected.is_empty() {
            failures.push(format!("{}: no `// expect:` line", f.display()));
            continue;
        }
        let lib = Library::load(std::slice::from_ref(f));
        let mut found: Vec<String> = lib
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {} {}:{}{}",
                    if d.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    },
                    d.problem.code(),
                    d.pos.line,
                    d.pos.col,
                    if d.file == *f {
                        String::new()
                    } else {
                        format!(" in {}", d.file.display())
                    }
                )
            })
            .collect();
        expected.sort();
        found.sort();
        if expected != found {
            let got: Vec<String> = lib.diagnostics.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}: expected {expected:?}, found {found:?}:\n  {}",
                f.display(),
                got.join("\n  ")
            ));
        }
        for want in &helps {
            if !lib
                .diagnostics
                .iter()
                .any(|d| d.help.as_deref().is_some_and(|h| h.contains(want)))
            {
                let got: Vec<String> = lib.diagnostics.iter().map(ToString::to_string).collect();
                failures.push(format!(
                    "{}: no help line contains {want:?}:\n  {}",
                    f.display(),
                    got.join("\n  ")
                ));
            }
        }
        // The parser's own advice about its limits is never passed on.
        for d in &lib.diagnostics {
            let text = d.to_string();
            if text.contains("recursion_limit") || text.contains("serde_stacker") {
                failures.push(format!("{}: parser advice leaked: {text}", f.display()));
            }
        }
        // A file with an error must not be playable; one with only warnings must be.
        if expected.iter().any(|e| e.starts_with("error")) {
            errors += 1;
            assert!(lib.errors() > 0, "{}", f.display());
        } else {
            assert_eq!(lib.errors(), 0, "{}", f.display());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(
        errors > 0 && errors < files.len(),
        "errors and warnings both covered"
    );
}
