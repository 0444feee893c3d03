//! Hostile files and paths against the real binary: nothing hangs, nothing is overwritten that
//! should not be, nothing printed can take over a terminal or a spreadsheet.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use paraat::journal::Session;
use paraat::library::{Exercise, Library};

/// Runs the binary in `dir`; fails the test if it has not ended after a minute (a hang).
fn paraat_in(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .current_dir(dir)
        .env("PARAAT_SCENARIOS", root().join("scenarios"))
        // Tests never touch the user's own seal key.
        .env(
            "PARAAT_SEAL_KEY",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/hostile-tests-seal.key"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // About a minute in steps of 20 ms (tests read no clock).
    let mut steps = 0;
    while child.try_wait().expect("wait").is_none() {
        steps += 1;
        if steps > 3000 {
            let _ = child.kill();
            let _ = child.wait();
            panic!("paraat {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn builtin(id: &str) -> Exercise {
    Library::load(&[root().join("scenarios")])
        .find(id)
        .expect("scenario")
        .clone()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// A finished journal of `ex` whose header records `scenario_path` as where the scenario was.
fn journal_naming(ex: &Exercise, scenario_path: &Path, journal: &Path) {
    let mut ex = ex.clone();
    let mut loaded = (*ex.scenario).clone();
    scenario_path.clone_into(&mut loaded.path);
    ex.scenario = Arc::new(loaded);
    let mut session =
        Session::create(&ex, 5, ex.scenario.value.roles.clone(), journal).expect("create");
    paraat::play::play(&mut session, &paraat::play::Policy::First).expect("play");
}

#[cfg(unix)]
#[test]
fn a_journal_naming_a_device_or_a_fifo_neither_hangs_nor_eats_memory() {
    let dir = tempfile::tempdir().expect("tmp");
    let ex = builtin("hostage-town-hall");
    let fifo = dir.path().join("scenario.ron");
    mkfifo(&fifo);
    for (name, target) in [("zero", PathBuf::from("/dev/zero")), ("fifo", fifo)] {
        let j = dir.path().join(format!("{name}.jsonl"));
        journal_naming(&ex, &target, &j);
        for cmd in ["replay", "score"] {
            let o = paraat_in(dir.path(), &[cmd, s(&j)]);
            let (out, err) = text(&o);
            // The header's path is refused; the scenario is found in the library by id and hash.
            assert_eq!(o.status.code(), Some(0), "{cmd} {name}: {out}{err}");
        }
    }
}

#[cfg(unix)]
#[test]
fn validate_and_the_library_skip_fifos_and_end_symlink_loops() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        root().join("scenarios/03-hostage-town-hall.ron"),
        dir.path().join("a.ron"),
    )
    .expect("copy");
    std::os::unix::fs::symlink(".", dir.path().join("loop")).expect("symlink");
    mkfifo(&dir.path().join("pipe.ron"));
    let o = paraat_in(dir.path(), &["validate", "."]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("1 file(s) checked"), "{out}");
    // A FIFO named explicitly is refused, not waited on.
    let o = paraat_in(dir.path(), &["validate", "pipe.ron"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("pipe.ron:1:1: error") && out.contains("FIFO"),
        "{out}"
    );
}

#[test]
fn a_journal_finds_its_scenario_beside_it() {
    let dir = tempfile::tempdir().expect("tmp");
    // A scenario outside the library, played from a folder that is later moved.
    let source = std::fs::read_to_string(root().join("scenarios/03-hostage-town-hall.ron"))
        .expect("read")
        .replace("\"hostage-town-hall\"", "\"elsewhere\"");
    let first = dir.path().join("first");
    std::fs::create_dir(&first).expect("mkdir");
    std::fs::write(first.join("elsewhere.ron"), &source).expect("write");
    let ex = paraat::library::load_exercise(&first.join("elsewhere.ron")).expect("valid");
    let moved = dir.path().join("moved");
    std::fs::create_dir_all(moved.join("journals")).expect("mkdir");
    let j = moved.join("journals/run.jsonl");
    journal_naming(&ex, Path::new("first/elsewhere.ron"), &j);
    std::fs::rename(first.join("elsewhere.ron"), moved.join("elsewhere.ron")).expect("move");
    let o = paraat_in(&moved, &["replay", "journals/run.jsonl"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("identical"), "{out}");
}

#[test]
fn a_report_never_replaces_its_journal_or_a_scenario() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = dir.path().join("run.jsonl");
    journal_naming(
        &builtin("hostage-town-hall"),
        &root().join("scenarios/03-hostage-town-hall.ron"),
        &j,
    );
    let before = std::fs::read(&j).expect("read");
    let o = paraat_in(
        dir.path(),
        &["report", s(&j), "--format", "html", "-o", s(&j)],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("input file itself"), "{err}");
    // Another journal is not a report either.
    let other = dir.path().join("other.jsonl");
    std::fs::copy(&j, &other).expect("copy");
    let o = paraat_in(
        dir.path(),
        &["report", s(&j), "--format", "md", "-o", s(&other)],
    );
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(text(&o).1.contains("is a journal"), "{:?}", text(&o));
    assert_eq!(std::fs::read(&j).expect("read"), before);
    assert_eq!(std::fs::read(&other).expect("read"), before);
    // A scenario is not replaced by a CSV export.
    let scenario = dir.path().join("s.ron");
    std::fs::copy(root().join("scenarios/03-hostage-town-hall.ron"), &scenario).expect("copy");
    let o = paraat_in(
        dir.path(),
        &["msel", "export", "station-shooting", "-o", s(&scenario)],
    );
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(text(&o).1.contains("is a scenario file"), "{:?}", text(&o));
    assert_eq!(
        std::fs::read(&scenario).expect("read"),
        std::fs::read(root().join("scenarios/03-hostage-town-hall.ron")).expect("read")
    );
    // An ordinary file is replaced, atomically, keeping its permissions.
    let out = dir.path().join("r.html");
    std::fs::write(&out, "old").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let o = paraat_in(dir.path(), &["report", s(&j), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn play_refuses_an_existing_journal_by_saying_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = dir.path().join("mine.jsonl");
    std::fs::write(&j, "keep me").expect("write");
    let o = paraat_in(
        dir.path(),
        &["play", "hostage-town-hall", "--journal", s(&j)],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("exists") && err.contains("never overwritten"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&j).expect("read"), "keep me");
}

/// The shipped hostage scenario under another id, with `edit` applied to its text.
fn variant(dir: &Path, name: &str, id: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let source = std::fs::read_to_string(root().join("scenarios/03-hostage-town-hall.ron"))
        .expect("read")
        .replacen("\"hostage-town-hall\"", &format!("\"{id}\""), 1);
    let p = dir.join(name);
    std::fs::write(&p, edit(source)).expect("write");
    p
}

#[test]
fn nothing_printed_can_drive_the_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let hostile = "Titel \u{1b}[2J\u{1b}]0;pwned\u{7} \u{202e}live\u{9b}31m";
    let f = variant(dir.path(), "esc.ron", "esc-test", |s| {
        let at = s.find("title: (").expect("title");
        let end = at + s[at..].find(')').expect("end");
        format!(
            "{}title: (nl: \"{hostile}\", en: \"{hostile}\"{}",
            &s[..at],
            &s[end..]
        )
    });
    let j = dir.path().join("esc.jsonl");
    let o = paraat_in(
        dir.path(),
        &["play", s(&f), "--seed", "1", "--journal", s(&j)],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("Title") || out.contains("Titel"), "{out}");
    // An id in an error message is text from the file too.
    let bad = variant(dir.path(), "bad.ron", "bad-test", |s| {
        s.replacen("plan: \"lcp-egt\"", "plan: \"lcp\u{1b}[2J\"", 1)
    });
    let v = paraat_in(dir.path(), &["validate", s(&bad)]);
    let (vout, verr) = text(&v);
    assert_eq!(v.status.code(), Some(1), "{vout}{verr}");
    for printed in [&out, &err, &vout, &verr] {
        assert!(
            !printed.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "control characters printed: {printed:?}"
        );
    }
    assert!(vout.contains("lcp[2J"), "{vout}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = variant(dir.path(), "bom.ron", "bom-test", |s| {
        format!("\u{feff}{s}")
    });
    let o = paraat_in(dir.path(), &["validate", s(&f)]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    // Positions on the first line are not shifted by the mark.
    let g = variant(dir.path(), "bom-bad.ron", "bom-bad", |s| {
        format!("\u{feff}Oops{s}")
    });
    let o = paraat_in(dir.path(), &["validate", s(&g)]);
    let (out, _) = text(&o);
    assert!(out.contains("bom-bad.ron:1:1: error"), "{out}");
    // A plan with a mark, and a MSEL CSV saved by a spreadsheet with one.
    let plan_dir = dir.path().join("plan");
    std::fs::create_dir(&plan_dir).expect("mkdir");
    let plan = std::fs::read_to_string(root().join("scenarios/plan/lcp-egt.ron")).expect("plan");
    std::fs::write(plan_dir.join("lcp-egt.ron"), format!("\u{feff}{plan}")).expect("write");
    let o = paraat_in(dir.path(), &["validate", s(&plan_dir)]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let csv = dir.path().join("m.csv");
    std::fs::write(
        &csv,
        "\u{feff}time,to,channel,inject\n0:05,burgemeester,Phone,Melding\n",
    )
    .expect("write");
    let out_ron = dir.path().join("m.ron");
    let o = paraat_in(dir.path(), &["msel", "import", s(&csv), "-o", s(&out_ron)]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
}

#[test]
fn replay_errors_are_file_line_col() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = variant(dir.path(), "x.ron", "replay-x", |s| s);
    let ex = paraat::library::load_exercise(&f).expect("valid");
    let j = dir.path().join("run.jsonl");
    journal_naming(&ex, &f, &j);
    // The scenario changes under the journal: replay departs from it at a line it names.
    variant(dir.path(), "x.ron", "replay-x", |s| {
        s.replacen("at_min: Some(0)", "at_min: Some(1)", 1)
    });
    let o = paraat_in(dir.path(), &["replay", s(&j)]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    let prefix = format!("{}:", j.display());
    let located = err
        .lines()
        .find(|l| l.starts_with(&prefix))
        .expect("a located error");
    let mut parts = located[prefix.len()..].splitn(3, ':');
    let (line, col) = (parts.next().expect("line"), parts.next().expect("col"));
    assert!(
        line.parse::<usize>().is_ok() && col == "1",
        "file:line:col: expected, got {located}"
    );
    assert!(located.contains(": error: "), "{located}");
    // A journal that is not one: the header's line and column.
    let not = dir.path().join("not.jsonl");
    std::fs::write(&not, "hello\n").expect("write");
    let o = paraat_in(dir.path(), &["replay", s(&not)]);
    let (_, err) = text(&o);
    assert!(
        err.starts_with(&format!("{}:1:1: error: ", not.display())),
        "{err}"
    );
}
