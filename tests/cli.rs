//! The CLI, tested on the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn paraat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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
    let mut body = std::fs::read(&j).expect("read");
    body.truncate(body.len() - 15);
    std::fs::write(&j, &body).expect("write");
    let o = paraat(&["replay", j.to_str().expect("utf8")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(err.contains("torn"), "{err}");
    assert!(out.contains("unfinished"), "{out}");
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

#[test]
fn plan_reference_lists_every_role_and_procedure_with_its_source() {
    let o = paraat(&["plan", "--format", "md", "--lang", "en"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let lib = paraat::library::Library::load(&[root().join("scenarios")]);
    let plan = &lib.plans[0].value;
    for r in &plan.roles {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", r.id)))
            .unwrap_or_else(|| panic!("role {} missing", r.id));
        assert!(line.contains(&format!("| {} |", r.team)), "{line}");
        assert!(line.contains(r.name.en.as_str()), "{line}");
    }
    for p in &plan.procedures {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", p.id)))
            .unwrap_or_else(|| panic!("procedure {} missing", p.id));
        let within = p
            .within_min
            .map_or_else(|| "| — |".to_owned(), |m| format!("| {m} min |"));
        assert!(line.contains(&within), "{line}");
        assert!(
            line.contains(&format!(
                "| {} |",
                p.source.kind.label(paraat::model::Lang::En)
            )),
            "{line}"
        );
        assert!(line.contains(p.title.en.as_str()), "{line}");
    }
    // The one-hour rule of the regulation is a law, and its trigger reads as words.
    let one_hour = out
        .lines()
        .find(|l| l.starts_with("| P-removal-one-hour |"))
        .expect("P-removal-one-hour");
    assert!(
        one_hour.contains("| law |") && one_hour.contains("2021/784"),
        "{one_hour}"
    );
    assert!(
        one_hour.contains("done: Issue a removal order"),
        "{one_hour}"
    );
    // Key decisions name the objectives that train them.
    assert!(
        out.contains("station-shooting O7-vervolgaanslag"),
        "key decisions"
    );

    // Dutch by default, as HTML into a file.
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("plan.html");
    let o = paraat(&["plan", "-o", f.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let html = std::fs::read_to_string(&f).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"nl\">"));
    assert!(html.contains("Sleutelbesluiten") && html.contains("Verantwoordelijk voor"));
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("http"));
}

#[test]
fn plan_reference_escapes_hostile_text_and_reports_unknown_plans() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("hostile.ron");
    std::fs::write(
        &f,
        r#"Plan(
    id: "hostile",
    title: (nl: "<script>alert(1)</script>", en: "Plan | with pipes"),
    roles: [ Role(id: "burgemeester", name: (nl: "Burgemeester <b>", en: "Mayor | x"), team: "Drie&hoek", duty: (nl: "\"Gezag\"", en: "Authority")) ],
    actions: [ Action(id: "convene_triangle", label: (nl: "Driehoek", en: "Triangle"), roles: ["burgemeester"]) ],
    signals: [ Signal(id: "attack", label: (nl: "Aanslag <img src=x>", en: "Attack")) ],
    procedures: [
        Procedure(id: "P-x", title: (nl: "Titel", en: "Title"), role: "burgemeester", phase: Alarmering,
                  trigger: Signal("attack"), action: "convene_triangle", within_min: Some(15), weight: 5,
                  source: Source(kind: Lesson, cite: "A | B <i>")),
    ],
)"#,
    )
    .expect("write");
    let o = paraat(&["plan", f.to_str().expect("utf8"), "--format", "html"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!out.contains("<script>") && !out.contains("<img") && !out.contains("<b>"));
    assert!(
        out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{out}"
    );
    assert!(out.contains("Drie&amp;hoek") && out.contains("&quot;Gezag&quot;"));
    let o = paraat(&[
        "plan",
        f.to_str().expect("utf8"),
        "--format",
        "md",
        "--lang",
        "en",
    ]);
    let (out, _) = text(&o);
    assert!(
        out.contains("Mayor \\| x") && out.contains("A \\| B <i>"),
        "{out}"
    );

    let o = paraat(&["plan", "no-such-plan"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("no plan file or built-in plan \"no-such-plan\"") && err.contains("lcp-egt"),
        "{err}"
    );
}
