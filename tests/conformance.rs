//! Conformance: each shipped scenario played with its decision scripts gives the expected event
//! transcript (a text snapshot) and scorecard. Good scripts score above 90 %, poor ones below
//! 40 %. The snapshots were written by an earlier process, so they also show that a script
//! plays the same across processes (`tests/cli.rs` checks the same for the random policy).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use paraat::engine::fmt_elapsed;
use paraat::journal::{Body, Session};
use paraat::library::Library;
use paraat::play::{self, Policy};
use paraat::scoring;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Plays `script` on its scenario with seed 1; returns the transcript and the score share.
fn run(script_path: &Path) -> (String, f64) {
    let lib = Library::load(&[root().join("scenarios")]);
    let script = play::load_script(script_path).expect("script parses");
    let ex = lib.find(&script.scenario).expect("scenario in the library");
    let dir = tempfile::tempdir().expect("tmp");
    let mut session = Session::create(
        ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    let report = play::play(&mut session, &Policy::Script(script)).expect("plays");
    assert!(
        report.refused.is_empty(),
        "{}: refused steps:\n{}",
        script_path.display(),
        report.refused.join("\n")
    );
    let card = scoring::score_compiled(session.sim().ctx(), session.header(), session.entries());
    let mut t = String::new();
    for e in session.entries() {
        let body = match &e.body {
            Body::Command(c) => format!("> {}", serde_json::to_string(c).expect("json")),
            Body::Event(ev) => serde_json::to_string(&ev.kind).expect("json"),
        };
        let _ = writeln!(t, "{} {} {body}", fmt_elapsed(e.t), e.actor);
    }
    // The total as every front end shows it: the share clamped at 0 %, the raw points beside it.
    let _ = writeln!(t, "\nscore {}", card.total.summary(paraat::model::Lang::En));
    for p in card
        .procedures
        .iter()
        .filter(|p| p.status.scored() || !p.violations.is_empty())
    {
        let _ = writeln!(t, "{} {:?} {:.2}", p.id, p.status, p.net());
    }
    (t, card.total.share().unwrap_or(0.0))
}

#[test]
fn scripts_reproduce_their_transcripts_and_scores() {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(root().join("tests/scripts"))
        .expect("scripts folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 10, "two scripts per scenario");
    for path in scripts {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let (transcript, share) = run(&path);
        if name.ends_with("-good") {
            assert!(share > 0.9, "{name}: {:.0} %", share * 100.0);
        } else if name.ends_with("-poor") {
            assert!(share < 0.4, "{name}: {:.0} %", share * 100.0);
        }
        insta::assert_snapshot!(name, transcript);
    }
}
