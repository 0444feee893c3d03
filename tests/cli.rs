//! The CLI, tested on the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The seal key the tests' installation uses (never the user's own).
const SEAL_KEY: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/cli-tests-seal.key");

fn paraat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PARAAT_SEAL_KEY", SEAL_KEY)
        .output()
        .expect("runs")
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

#[test]
fn validate_the_builtin_library() {
    let o = paraat(&["validate"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn validate_reports_file_line_column_and_exits_1() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("bad.ron");
    std::fs::write(
        &f,
        r#"Scenario(
    id: "x", plan: "lcp-egt", title: (nl: "", en: ""), summary: (nl: "", en: ""),
    start: "2026-03-18T10:45:00+01:00", duration_min: 120,
    roles: ["burgemeester", "politiechef"],
    injects: [
        Inject(id: "a", at_min: Some(0), to: ["burgemeestr"], channel: Phone,
               title: (nl: "", en: ""), body: (nl: "", en: "")),
    ],
)"#,
    )
    .expect("write");
    let o = paraat(&["validate", f.to_str().expect("utf8")]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains(&format!(
            "{}:6:47: error[unknown-role]: unknown role \"burgemeestr\" — did you mean \"burgemeester\"?",
            f.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("help: replace \"burgemeestr\" with \"burgemeester\""),
        "{out}"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        paraat(&["validate", "/no/such/file.ron"]).status.code(),
        Some(2)
    );
    assert_eq!(paraat(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        paraat(&["play", "x", "--policy", "sometimes"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn play_replay_and_score_a_scripted_exercise() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = dir.path().join("run.jsonl");
    let js = j.to_str().expect("utf8");
    let script = root().join("tests/scripts/01-station-shooting-good.ron");
    let o = paraat(&[
        "play",
        "station-shooting",
        "--seed",
        "7",
        "--script",
        script.to_str().expect("utf8"),
        "--journal",
        js,
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("seed 7") && out.contains("score: 100 %"),
        "{out}"
    );
    // Never overwrites.
    let again = paraat(&["play", "station-shooting", "--journal", js]);
    assert_eq!(again.status.code(), Some(1));

    let o = paraat(&["replay", js]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("identical"), "{out}");

    let o = paraat(&["score", js, "--lang", "nl"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out.contains("Doelstellingen") && out.contains("P-driehoek"),
        "{out}"
    );
}

fn played(dir: &Path) -> PathBuf {
    let j = dir.join("run.jsonl");
    let o = paraat(&[
        "play",
        "station-shooting",
        "--policy",
        "random",
        "--seed",
        "3",
        "--journal",
        j.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    j
}

#[test]
fn replay_names_the_tampered_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let body = std::fs::read_to_string(&j).expect("read");
    let mut lines: Vec<&str> = body.lines().collect();
    let edited = lines[10].replace("\"t\":", "\"t\": ");
    lines[10] = &edited;
    std::fs::write(&j, lines.join("\n") + "\n").expect("write");
    let o = paraat(&["replay", j.to_str().expect("utf8")]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains(":12: the hash chain is broken"), "{err}");
}

#[test]
fn replay_cuts_a_torn_tail_with_a_warning() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let body = std::fs::read(&j).expect("read");
    // Cut into the last entry before the seal: a crash mid-write, before the end.
    let lines: Vec<&[u8]> = body.split_inclusive(|&b| b == b'\n').collect();
    let keep = lines.len() - 2;
    let mut cut: Vec<u8> = lines[..keep].concat();
    cut.extend_from_slice(&lines[keep][..lines[keep].len() - 15]);
    std::fs::write(&j, &cut).expect("write");
    let o = paraat(&["replay", j.to_str().expect("utf8")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(err.contains("torn"), "{err}");
    assert!(out.contains("UNFINISHED"), "{out}");
}

#[test]
fn play_policies_and_unknown_scenario() {
    let dir = tempfile::tempdir().expect("tmp");
    for policy in ["first", "default", "random"] {
        let j = dir.path().join(format!("{policy}.jsonl"));
        let o = paraat(&[
            "play",
            "hostage-town-hall",
            "--policy",
            policy,
            "--seed",
            "1",
            "--journal",
            j.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{policy}: {:?}", text(&o));
        assert_eq!(
            paraat(&["replay", j.to_str().expect("utf8")]).status.code(),
            Some(0)
        );
    }
    let o = paraat(&["play", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("station-shooting"));
}

#[test]
fn msel_export_import_export_round_trips() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv1 = dir.path().join("a.csv");
    let ron = dir.path().join("s.ron");
    let csv2 = dir.path().join("b.csv");
    let arg = |p: &Path| p.to_str().expect("utf8").to_owned();
    assert_eq!(
        paraat(&["msel", "export", "event-ramming", "-o", &arg(&csv1)])
            .status
            .code(),
        Some(0)
    );
    let o = paraat(&["msel", "import", &arg(&csv1), "-o", &arg(&ron)]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert_eq!(paraat(&["validate", &arg(&ron)]).status.code(), Some(0));
    assert_eq!(
        paraat(&["msel", "export", &arg(&ron), "-o", &arg(&csv2)])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read(&csv1).expect("a"),
        std::fs::read(&csv2).expect("b")
    );
    // Never overwrites.
    assert_eq!(
        paraat(&["msel", "import", &arg(&csv1), "-o", &arg(&ron)])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn msel_import_reports_each_bad_row() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "time,to,channel,inject\n0:05,burgemeester,Phone,OK\n0:07,nobody,Phone,Bad role\nsoon,ovj,Phone,Bad time\n").expect("write");
    let out = dir.path().join("out.ron");
    let o = paraat(&[
        "msel",
        "import",
        csv.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("bad.csv:line 3, column `to`: unknown role \"nobody\""),
        "{err}"
    );
    assert!(err.contains("bad.csv:line 4, column `time`"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn explore_reports_coverage_and_bounds() {
    let o = paraat(&[
        "explore",
        "school-threat",
        "--max-paths",
        "300",
        "--seed",
        "2",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("sampled (more paths than --max-paths): 300 paths"),
        "{out}"
    );
    assert!(
        out.contains("inject coverage:")
            && out.contains("best score:")
            && out.contains("worst score:"),
        "{out}"
    );
    assert!(err.contains("100 %"), "progress bar: {err}");
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Writes `lines` with every `prev` recomputed, as someone who edits a journal would.
fn write_rechained(path: &Path, lines: &[String]) {
    let mut out = vec![lines[0].clone()];
    for l in &lines[1..] {
        let mut v: serde_json::Value = serde_json::from_str(l).expect("json");
        v["prev"] =
            serde_json::Value::String(paraat::journal::line_hash(out.last().expect("a line")));
        out.push(v.to_string());
    }
    std::fs::write(path, out.join("\n") + "\n").expect("write");
}

#[test]
fn a_played_journal_is_sealed_with_the_installation_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let last = lines_of(&j).pop().expect("lines");
    assert!(last.contains("\"seal\":"), "{last}");
    let o = paraat(&["replay", j.to_str().expect("utf8")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    let fp = paraat::journal::seal::SealKey::load(Path::new(SEAL_KEY))
        .expect("the tests' key")
        .fingerprint();
    assert!(
        out.contains(&format!("sealed with key {fp} (this installation's key)")),
        "{out}"
    );
    let o = paraat(&[
        "report",
        j.to_str().expect("utf8"),
        "--format",
        "md",
        "--lang",
        "en",
    ]);
    let (out, _) = text(&o);
    assert!(out.contains(&format!("sealed with key {fp}")), "{out}");
    assert!(!out.contains("NOT VERIFIED"), "{out}");
}

#[test]
fn score_and_report_refuse_an_edited_journal() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let js = j.to_str().expect("utf8");
    let mut lines = lines_of(&j);
    lines[10] = lines[10].replace("\"t\":", "\"t\": ");
    std::fs::write(&j, lines.join("\n") + "\n").expect("write");
    for args in [vec!["score", js], vec!["report", js, "--format", "html"]] {
        let o = paraat(&args);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {out}{err}");
        assert!(err.contains(":12: the hash chain is broken"), "{err}");
        assert!(err.contains("--unverified"), "{err}");
        assert!(out.is_empty(), "nothing is scored: {out}");
    }
}

#[test]
fn an_edit_with_a_recomputed_chain_is_refused() {
    // The chain alone is unkeyed: recomputing it hides an edit from the chain, not from the
    // seal, and not from replay.
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let js = j.to_str().expect("utf8");
    let mut lines = lines_of(&j);
    let edited = lines
        .iter()
        .position(|l| l.contains("\"DecisionMade\""))
        .unwrap_or(5);
    lines[edited] = lines[edited].replace("\"wall\":\"", "\"wall\":\"1");
    write_rechained(&j, &lines);
    let o = paraat(&["score", js]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("bad seal"), "{err}");
    // Without the seal, the edit of a wall time is invisible (the README says so); an edited
    // event is not: replay differs.
    lines.pop();
    let last_event = lines
        .iter()
        .rposition(|l| l.contains("\"event\"") && l.contains("\"t\":"))
        .expect("an event");
    let v: serde_json::Value = serde_json::from_str(&lines[last_event]).expect("json");
    let mut forged = v.clone();
    forged["event"]["t"] = serde_json::json!(v["event"]["t"].as_u64().unwrap_or(0) + 1);
    lines[last_event] = forged.to_string();
    write_rechained(&j, &lines);
    let o = paraat(&["report", js, "--format", "json"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("replay differs"), "{err}");
}

#[test]
fn a_removed_seal_or_tail_is_reported_and_not_passed_as_sealed() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let js = j.to_str().expect("utf8");
    let lines = lines_of(&j);
    let n = lines.len();
    // The seal removed: the end is there, the seal is not.
    std::fs::write(&j, lines[..n - 1].join("\n") + "\n").expect("write");
    let o = paraat(&["replay", js]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("NOT SEALED"), "{out}");
    // The seal and the Ended event removed: unfinished (a crash or a removed tail).
    assert!(lines[n - 2].contains("\"Ended\""), "{}", lines[n - 2]);
    std::fs::write(&j, lines[..n - 2].join("\n") + "\n").expect("write");
    let o = paraat(&["score", js]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("UNFINISHED") && out.contains("cannot be told apart"),
        "{out}"
    );
    // The last lines removed, the seal kept: broken at the seal.
    let mut gap = lines[..n - 4].to_vec();
    gap.push(lines[n - 1].clone());
    std::fs::write(&j, gap.join("\n") + "\n").expect("write");
    let o = paraat(&["score", js]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!(":{}: bad seal", n - 3)), "{err}");
}

#[test]
fn unverified_output_carries_the_banner_in_every_format() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let js = j.to_str().expect("utf8");
    let mut lines = lines_of(&j);
    lines[10] = lines[10].replace("\"t\":", "\"t\": ");
    std::fs::write(&j, lines.join("\n") + "\n").expect("write");
    let o = paraat(&["score", js, "--unverified"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.starts_with("*** NOT VERIFIED: line 12:"), "{out}");
    assert!(err.contains("NOT VERIFIED"), "{err}");
    for (format, first) in [
        (
            "html",
            "<div class=\"not-verified\" role=\"alert\">NOT VERIFIED: line 12:",
        ),
        ("md", "> **NOT VERIFIED: line 12:"),
        ("csv", "\u{feff}\"NOT VERIFIED: line 12:"),
        ("json", "\"banner\": \"NOT VERIFIED: line 12:"),
    ] {
        let o = paraat(&[
            "report",
            js,
            "--format",
            format,
            "--lang",
            "en",
            "--unverified",
        ]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{format}: {err}");
        assert!(out.contains(first), "{format}: {out}");
    }
    let o = paraat(&[
        "report",
        js,
        "--format",
        "md",
        "--lang",
        "nl",
        "--unverified",
    ]);
    assert!(text(&o).0.contains("NIET GEVERIFIEERD (NOT VERIFIED)"));
}

#[test]
fn a_journal_from_before_sealing_reads_as_finished_but_unsealed() {
    let o = paraat(&["replay", "fuzz/seeds/journal/poor.jsonl"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("NOT SEALED"), "{out}");
    let o = paraat(&["score", "fuzz/seeds/journal/poor.jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
}
