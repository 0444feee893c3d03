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
fn the_builtin_library_validates_without_errors_or_warnings() {
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
fn a_scripted_play_scores_replays_identically_and_never_overwrites() {
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
    // Never overwrites: refused, and the existing journal's bytes are untouched.
    let before = std::fs::read(&j).expect("journal");
    let again = paraat(&["play", "station-shooting", "--journal", js]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains(js), "{:?}", text(&again));
    assert_eq!(std::fs::read(&j).expect("journal"), before);

    let o = paraat(&["replay", js]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("identical"), "{out}");

    let o = paraat(&["score", js, "--lang", "nl"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    // The procedure by its Dutch title, not its id.
    assert!(
        out.contains("Doelstellingen")
            && out.contains("Driehoek bijeen bij mogelijk terroristisch motief — op tijd")
            && !out.contains("P-driehoek"),
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
    assert!(
        err.contains(":12:1: error: the hash chain is broken"),
        "{err}"
    );
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
fn every_policy_plays_a_journal_that_replays_and_an_unknown_scenario_lists_the_builtin_ones() {
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
    let o = paraat(&["msel", "export", "event-ramming", "-o", &arg(&csv1)]);
    assert_eq!(o.status.code(), Some(0));
    // The shipped scenario explains itself in comments; the export says they do not travel.
    assert!(
        text(&o)
            .1
            .contains("comment line(s); the CSV does not carry comments"),
        "{:?}",
        text(&o)
    );
    let o = paraat(&["msel", "import", &arg(&csv1), "-o", &arg(&ron)]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    // The scenario's attachment is a file beside it: import says so, validation wants it there.
    assert!(
        text(&o).1.contains("warning[bad-attachment]"),
        "{:?}",
        text(&o)
    );
    assert_eq!(paraat(&["validate", &arg(&ron)]).status.code(), Some(1));
    std::fs::create_dir(dir.path().join("bijlagen")).expect("mkdir");
    std::fs::copy(
        root().join("scenarios/bijlagen/02-lingecorso-video.jpg"),
        dir.path().join("bijlagen/02-lingecorso-video.jpg"),
    )
    .expect("copy");
    assert_eq!(paraat(&["validate", &arg(&ron)]).status.code(), Some(0));
    let o = paraat(&["msel", "export", &arg(&ron), "-o", &arg(&csv2)]);
    assert_eq!(o.status.code(), Some(0));
    // The imported file has only its header comment.
    assert!(
        text(&o).1.contains("has 1 comment line(s)"),
        "{:?}",
        text(&o)
    );
    assert_eq!(
        std::fs::read(&csv1).expect("a"),
        std::fs::read(&csv2).expect("b")
    );
    // Never overwrites: refused, and the existing scenario's bytes are untouched.
    let before = std::fs::read(&ron).expect("ron");
    let o = paraat(&["msel", "import", &arg(&csv1), "-o", &arg(&ron)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("never overwrites"), "{:?}", text(&o));
    assert_eq!(std::fs::read(&ron).expect("ron"), before);
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
        err.contains("bad.csv:3:2: error: column `to`: unknown role \"nobody\""),
        "{err}"
    );
    assert!(err.contains("bad.csv:4:1: error: column `time`"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn explore_reports_coverage_and_bounds() {
    let o = paraat(&[
        "explore",
        "school-threat",
        "--max-paths",
        "300",
        "--max-states",
        "1000",
        "--seed",
        "2",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("sampled (more than --max-states 1000 merged states): 300 paths"),
        "{out}"
    );
    assert!(
        err.contains("exact search: more than 1000 merged states; sampling 300 paths"),
        "{err}"
    );
    assert!(
        out.contains("inject coverage:")
            && out.contains("best score:")
            && out.contains("worst score:"),
        "{out}"
    );
    assert!(err.contains("100 %"), "progress bar: {err}");
}

fn paraat_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .current_dir(dir)
        .env("PARAAT_SEAL_KEY", SEAL_KEY)
        .output()
        .expect("runs")
}

/// The station shooting played by the poor team's script with seed 7: a known scorecard.
fn played_poor(dir: &Path) -> PathBuf {
    let j = dir.join("poor.jsonl");
    let script = root().join("tests/scripts/01-station-shooting-poor.ron");
    let o = paraat(&[
        "play",
        "station-shooting",
        "--seed",
        "7",
        "--script",
        script.to_str().expect("utf8"),
        "--journal",
        j.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(
        text(&o).0.contains("score: 14 % (15.0 / 107.0 points)"),
        "{:?}",
        text(&o)
    );
    j
}

/// A journal with the wall-clock fields (and the hashes and the seal's digest and signature,
/// which cover them) taken out.
fn without_wall_times(journal: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(journal)
        .expect("journal")
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("json line");
            if let Some(o) = v.as_object_mut() {
                for k in ["wall", "wall_start", "prev", "scenario_path"] {
                    o.remove(k);
                }
                if let Some(seal) = o.get_mut("seal").and_then(|s| s.as_object_mut()) {
                    seal.remove("sha256");
                    seal.remove("signature");
                }
            }
            v
        })
        .collect()
}

#[test]
fn two_processes_with_the_same_seed_write_the_same_journal_but_for_wall_times() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut journals = Vec::new();
    for (i, seed) in [11, 11, 12].into_iter().enumerate() {
        let j = dir.path().join(format!("{i}.jsonl"));
        let o = paraat(&[
            "play",
            "coordinated-attacks",
            "--policy",
            "random",
            "--seed",
            &seed.to_string(),
            "--journal",
            j.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
        journals.push(without_wall_times(&j));
    }
    assert!(journals[0].len() > 100, "{} lines", journals[0].len());
    assert_eq!(journals[0], journals[1], "same seed, same journal");
    assert_ne!(journals[0], journals[2], "another seed plays otherwise");
}

#[test]
fn play_a_scenario_file_writes_a_new_journal_under_journals_in_the_working_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = root().join("scenarios/04-school-threat.ron");
    let args = [
        "play",
        file.to_str().expect("utf8"),
        "--seed",
        "5",
        "--policy",
        "first",
    ];
    let o = paraat_in(dir.path(), &args);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    let listed = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .expect("journals/ created")
            .map(|e| e.expect("entry").path())
            .collect();
        v.sort();
        v
    };
    let first = listed(&dir.path().join("journals"));
    assert_eq!(first.len(), 1, "{first:?}");
    let name = first[0].file_name().and_then(|n| n.to_str()).expect("name");
    assert!(
        name.starts_with("school-threat-")
            && Path::new(name).extension().is_some_and(|e| e == "jsonl"),
        "{name}"
    );
    assert!(out.contains(&format!("journal: journals/{name}")), "{out}");
    let bytes = std::fs::read(&first[0]).expect("journal");
    // Again, within the same second: a second file, the first one untouched.
    let o = paraat_in(dir.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let second = listed(&dir.path().join("journals"));
    assert_eq!(second.len(), 2, "{second:?}");
    assert_eq!(std::fs::read(&first[0]).expect("journal"), bytes);
}

#[test]
fn score_shows_status_time_against_allowed_and_reason_in_either_language() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    let js = j.to_str().expect("utf8");
    let o = paraat(&["score", js, "--lang", "en"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("total: 14 % (15.0 / 107.0 points)"), "{out}");
    // Procedures are named by their title in the reader's language, not by id.
    let lib = paraat::library::Library::load(&[root().join("scenarios")]);
    let plan = &lib.plans[0].value;
    let line = |out: &str, id: &str, lang: paraat::model::Lang| -> String {
        let title = plan.procedure(id).expect("procedure").title.get(lang);
        assert!(!out.contains(id), "raw id {id} in:\n{out}");
        out.lines()
            .find(|l| l.trim_start().starts_with(&format!("{title} — ")))
            .unwrap_or_else(|| panic!("no line for {title} in:\n{out}"))
            .to_owned()
    };
    let tri = line(&out, "P-driehoek", paraat::model::Lang::En);
    for want in [
        " late ",
        "33 min / 15 min",
        "· 2.0/5 ·",
        "Done after 33 min (15 min allowed): 40 % of the points",
    ] {
        assert!(tri.contains(want), "{want:?} not in {tri}");
    }
    let missed = line(&out, "P-sgbo", paraat::model::Lang::En);
    assert!(
        missed.contains(" missed ")
            && missed.contains("— / 30 min")
            && missed.contains("was never done"),
        "{missed}"
    );
    // A role whose violations outweigh its points: 0 %, the raw points beside it.
    let chief = out
        .lines()
        .find(|l| l.trim_start().starts_with("Police chief"))
        .expect("police chief");
    assert!(chief.contains("0 % (-3.0 / 10.0 points)"), "{chief}");

    let o = paraat(&["score", js, "--lang", "nl"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(out.contains("totaal: 14 % (15.0 / 107.0 punten)"), "{out}");
    let tri = line(&out, "P-driehoek", paraat::model::Lang::Nl);
    assert!(
        tri.contains(" te laat ") && tri.contains("Gedaan na 33 min (15 min toegestaan)"),
        "{tri}"
    );
}

#[test]
fn report_writes_every_format_whole_in_either_language() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    let js = j.to_str().expect("utf8");
    for (format, ext) in [
        ("html", "html"),
        ("md", "md"),
        ("csv", "csv"),
        ("json", "json"),
    ] {
        for lang in ["nl", "en"] {
            let out_file = dir.path().join(format!("r-{lang}.{ext}"));
            // An older file at the target is replaced whole.
            std::fs::write(&out_file, "an older report ".repeat(50_000)).expect("old");
            let of = out_file.to_str().expect("utf8");
            let o = paraat(&["report", js, "--format", format, "-o", of, "--lang", lang]);
            let (out, err) = text(&o);
            assert_eq!(o.status.code(), Some(0), "{format} {lang}: {out}{err}");
            assert!(out.contains(&format!("wrote {of}")), "{out}");
            let written = std::fs::read(&out_file).expect("written");
            let stdout = paraat(&["report", js, "--format", format, "--lang", lang]);
            assert_eq!(stdout.status.code(), Some(0));
            assert_eq!(
                written, stdout.stdout,
                "{format} {lang}: -o writes what stdout shows"
            );
            let body = String::from_utf8(written).expect("UTF-8");
            match (format, lang) {
                ("html", "nl") => assert!(
                    body.contains("<html lang=\"nl\">")
                        && body.contains("<td>Totaalscore</td><td>14 % (15.0 / 107.0 punten)</td>")
                        && body.contains("<td>Burgemeester</td><td class=\"M\">te laat</td>")
                ),
                ("html", "en") => assert!(
                    body.contains("<html lang=\"en\">")
                        && body.contains("<td>Mayor</td><td class=\"M\">late</td>")
                        && body.ends_with("</html>\n")
                ),
                ("md", "en") => {
                    assert!(body.contains("| Total score | 14 % (15.0 / 107.0 points) |"));
                }
                ("md", "nl") => assert!(body.contains("## 7. Procedures")),
                ("csv", _) => check_csv(&body, lang),
                ("json", _) => {
                    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
                    assert_eq!(v["schema_version"], 2);
                    assert_eq!(v["lang"], if lang == "nl" { "Nl" } else { "En" });
                    assert_eq!(v["scorecard"]["total"]["earned"], 15.0);
                    assert_eq!(
                        v["scorecard"]["procedures"][2]["role"], "burgemeester",
                        "ids stay in JSON"
                    );
                }
                _ => unreachable!(),
            }
        }
    }
    // No temporary file is left behind.
    for e in std::fs::read_dir(dir.path()).expect("dir") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(!name.contains(".tmp"), "left behind: {name}");
    }
    // A report that cannot be written: exit 1, nothing created.
    let bad = dir.path().join("no-such-folder/r.html");
    let o = paraat(&["report", js, "-o", bad.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("error:"), "{:?}", text(&o));
    assert!(!bad.exists());
}

/// The CSV: a byte-order mark, the header in the report's language, every decision (in time
/// order) before every procedure (in plan order), roles by name.
fn check_csv(body: &str, lang: &str) {
    let data = body.strip_prefix('\u{feff}').expect("byte-order mark");
    let mut rdr = csv::Reader::from_reader(data.as_bytes());
    let header = rdr.headers().expect("header").clone();
    assert_eq!(&header[0], if lang == "nl" { "soort" } else { "kind" });
    let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().expect("CSV");
    let kinds: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let first_procedure = kinds
        .iter()
        .position(|k| *k == "procedure")
        .expect("procedures");
    assert!(first_procedure > 0, "decisions first");
    assert!(
        kinds[..first_procedure]
            .iter()
            .all(|k| k.starts_with("decision"))
    );
    assert!(kinds[first_procedure..].iter().all(|k| *k == "procedure"));
    let secs = |t: &str| -> u64 {
        t.split(':')
            .fold(0, |acc, p| acc * 60 + p.parse::<u64>().expect("h:mm:ss"))
    };
    let times: Vec<u64> = rows[..first_procedure]
        .iter()
        .map(|r| secs(&r[1]))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "decisions in time order"
    );
    let lib = paraat::library::Library::load(&[root().join("scenarios")]);
    let plan = &lib.plans[0].value;
    let ids: Vec<&str> = rows[first_procedure..].iter().map(|r| &r[3]).collect();
    let plan_ids: Vec<&str> = plan.procedures.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, plan_ids, "procedures in plan order");
    let mayor = plan.role("burgemeester").expect("mayor");
    let name = if lang == "nl" {
        &mayor.name.nl
    } else {
        &mayor.name.en
    };
    let driehoek = rows
        .iter()
        .find(|r| &r[3] == "P-driehoek")
        .expect("P-driehoek");
    assert_eq!(&driehoek[2], name.as_str());
    for r in &rows {
        assert!(
            plan.role(&r[2]).is_none(),
            "a role id instead of a name: {r:?}"
        );
    }
}

#[test]
fn replay_names_the_line_of_an_event_that_differs_under_an_intact_chain() {
    use paraat::journal::{Body, Entry, line_hash};
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let text_in = std::fs::read_to_string(&j).expect("read");
    let mut out = Vec::new();
    let mut prev = String::new();
    let mut forged_line = None;
    // The seal (the last line) would catch any change to the bytes before it: leave it out, so
    // that what is tested is the replay's own check under an intact chain.
    let lines: Vec<&str> = text_in.lines().collect();
    assert!(lines[lines.len() - 1].contains("\"seal\""));
    for (n, line) in lines[..lines.len() - 1].iter().enumerate() {
        let line = if n == 0 {
            (*line).to_owned()
        } else {
            let mut e: Entry = serde_json::from_str(line).expect("entry");
            e.prev = prev.clone();
            if forged_line.is_none()
                && let Body::Event(ev) = &mut e.body
                && let paraat::engine::EventKind::VarChanged { value, .. } = &mut ev.kind
            {
                *value = paraat::model::Value::Int(77);
                forged_line = Some(n + 1);
            }
            serde_json::to_string(&e).expect("json")
        };
        prev = line_hash(&line);
        out.push(line);
    }
    let forged_line = forged_line.expect("a variable changed somewhere");
    std::fs::write(&j, out.join("\n") + "\n").expect("write");
    let o = paraat(&["replay", j.to_str().expect("utf8")]);
    let (stdout, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}{err}");
    assert!(!err.contains("hash chain"), "the chain is intact: {err}");
    assert!(
        err.contains(&format!(
            "{}:{forged_line}:1: error: replay differs: the journal says",
            j.display()
        )),
        "{err}"
    );
}

#[test]
fn explore_json_gives_clamped_shares_with_raw_points() {
    let args = [
        "explore",
        "school-threat",
        "--max-paths",
        "200",
        "--max-states",
        "0",
        "--seed",
        "2",
    ];
    let o = paraat(&[&args[..], &["--json"]].concat());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["mode"], "Sampled");
    assert_eq!(v["paths"], 200);
    for key in [
        "injects",
        "reached",
        "unreachable",
        "never_put",
        "deadline_after_end",
        "never_satisfied",
        "never_in_time",
        "procedures",
        "states",
        "all_paths",
    ] {
        assert!(!v[key].is_null(), "{key} missing");
    }
    // Per procedure in play: whether some path triggers it and meets it in time.
    let procs = v["procedures"].as_array().expect("procedures");
    assert!(
        procs
            .iter()
            .any(|p| p["in_time"] == true && p["triggered"] == true),
        "{procs:?}"
    );
    assert!(
        v["best"]["steps"][0]["timing"].is_string(),
        "each step says when: {}",
        v["best"]["steps"][0]
    );
    for which in ["best", "worst"] {
        let p = &v[which];
        let (share, earned, possible) = (
            p["share"].as_f64().expect("share"),
            p["earned"].as_f64().expect("earned"),
            p["possible"].as_f64().expect("possible"),
        );
        assert!((0.0..=1.0).contains(&share), "{which}: {share}");
        assert!(
            (share - (earned / possible).clamp(0.0, 1.0)).abs() < 1e-9,
            "{which}: {p}"
        );
        assert!(p["steps"].as_array().is_some_and(|s| !s.is_empty()));
    }
    // This sample's worst path ends below zero: 0 in `share`, the minus points in `earned`,
    // and the text shows the same figures.
    let worst = &v["worst"];
    let earned = worst["earned"].as_f64().expect("earned");
    assert!(earned < 0.0, "{worst}");
    assert_eq!(worst["share"], 0.0);
    let o = paraat(&args);
    let (out, _) = text(&o);
    let want = format!(
        "worst score: 0 % ({earned:.1} / {:.1} points)",
        worst["possible"].as_f64().expect("possible")
    );
    assert!(out.contains(&want), "{want} not in:\n{out}");
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
        assert!(
            err.contains(":12:1: error: the hash chain is broken"),
            "{err}"
        );
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
    let o = paraat(&["score", js, "--lang", "en"]);
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
    assert!(
        err.contains(&format!(":{}:1: error: bad seal", n - 3)),
        "{err}"
    );
}

#[test]
fn unverified_output_carries_the_banner_in_every_format() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let js = j.to_str().expect("utf8");
    let mut lines = lines_of(&j);
    lines[10] = lines[10].replace("\"t\":", "\"t\": ");
    std::fs::write(&j, lines.join("\n") + "\n").expect("write");
    let o = paraat(&["score", js, "--unverified", "--lang", "en"]);
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
        out.contains("Mayor \\| x") && out.contains("A \\| B \\<i\\>"),
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

#[test]
fn score_and_report_share_one_default_language_dutch_stated_in_help() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played(dir.path());
    let js = j.to_str().expect("utf8");
    let (score, _) = text(&paraat(&["score", js]));
    assert!(
        score.contains("totaal:") && !score.contains("total:"),
        "{score}"
    );
    let (report, _) = text(&paraat(&["report", js, "--format", "md"]));
    assert!(
        report.contains("Evaluatierapport") || report.contains("Totaalscore"),
        "{report}"
    );
    for cmd in ["score", "report"] {
        let (help, _) = text(&paraat(&[cmd, "--help"]));
        assert!(help.contains("default: Dutch"), "{cmd} --help: {help}");
    }
}

#[test]
fn a_scenarios_folder_without_a_plan_falls_back_to_the_shipped_plan() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("mine.ron");
    std::fs::copy(root().join("scenarios/04-school-threat.ron"), &file).expect("copy");
    let o = Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(["validate", dir.path().to_str().expect("utf8")])
        .env("PARAAT_SCENARIOS", dir.path())
        .env("PARAAT_SEAL_KEY", SEAL_KEY)
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(!out.contains("unknown plan"), "{out}");
    assert!(out.contains("1 playable scenario(s); 0 error(s)"), "{out}");
}

#[test]
fn two_scenario_files_with_one_id_name_the_other_file_not_the_plan() {
    let dir = tempfile::tempdir().expect("tmp");
    for name in ["a.ron", "b.ron"] {
        std::fs::copy(
            root().join("scenarios/04-school-threat.ron"),
            dir.path().join(name),
        )
        .expect("copy");
    }
    let o = paraat(&["validate", dir.path().to_str().expect("utf8")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(!out.contains("already defined in the plan"), "{out}");
    assert!(
        out.contains("duplicate scenario id \"school-threat\" (already defined in ")
            && out.contains("a.ron)"),
        "{out}"
    );
}

#[test]
fn whatif_plays_another_option_and_leaves_the_journal_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    let before = std::fs::read(&j).expect("journal");
    let js = j.to_str().expect("utf8");
    let o = paraat(&[
        "whatif",
        js,
        "--decision",
        "d-families",
        "--choose",
        "families-eerst",
        "--lang",
        "en",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    // The hand-checked difference (see src/whatif/tests.rs): six points, one procedure.
    assert!(
        out.contains(
            "Total: 14 % (15.0 / 107.0 points) → 20 % (21.0 / 107.0 points) (+6.0 points)"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Inform families before numbers are published (Police chief): missed -3.0 → in time 3.0"
        ),
        "{out}"
    );
    assert!(
        out.contains("Injects that no longer come: T+2:20:00"),
        "{out}"
    );
    // As data.
    let o = paraat(&[
        "whatif",
        js,
        "--decision",
        "d-nlalert",
        "--choose",
        "aanvragen",
        "--then",
        "first",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["spec"]["then"]["policy"], "first");
    assert_eq!(v["added"][0]["decision"], "d-nlalert-verzenden");
    // Its own choice reproduces the journal.
    let o = paraat(&[
        "whatif",
        js,
        "--decision",
        "d-families",
        "--choose",
        "nu-publiceren",
        "--lang",
        "en",
    ]);
    assert!(
        text(&o).0.contains("The journal is reproduced exactly"),
        "{:?}",
        text(&o)
    );
    // Refusals: an unknown option lists the options; a bad policy is a usage error.
    let o = paraat(&["whatif", js, "--decision", "d-families", "--choose", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("families-eerst"), "{:?}", text(&o));
    let o = paraat(&[
        "whatif",
        js,
        "--decision",
        "d-families",
        "--choose",
        "families-eerst",
        "--then",
        "sometimes",
    ]);
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    assert_eq!(
        std::fs::read(&j).expect("journal"),
        before,
        "the journal is never changed"
    );
    assert!(
        !paraat::whatif::store_path(&j).exists(),
        "the command line keeps nothing"
    );
}

#[test]
fn compare_writes_html_md_json_and_refuses_another_scenario() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut journals = Vec::new();
    for (i, (script, team)) in [
        ("poor", "Noord <b>"),
        ("good", "Noord <b>"),
        ("good", "Zuid"),
    ]
    .iter()
    .enumerate()
    {
        let j = dir.path().join(format!("j{i}.jsonl"));
        let s = root().join(format!("tests/scripts/01-station-shooting-{script}.ron"));
        let o = paraat(&[
            "play",
            "station-shooting",
            "--seed",
            "3",
            "--script",
            s.to_str().expect("utf8"),
            "--journal",
            j.to_str().expect("utf8"),
            "--team",
            team,
        ]);
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
        journals.push(j.to_str().expect("utf8").to_owned());
    }
    let html = dir.path().join("c.html");
    let mut args = vec!["compare"];
    args.extend(journals.iter().map(String::as_str));
    args.extend(["-o", html.to_str().expect("utf8"), "--lang", "en"]);
    let o = paraat(&args);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let h = std::fs::read_to_string(&html).expect("html");
    assert!(h.contains("<svg") && h.contains("Noord &lt;b&gt;") && !h.contains("Noord <b>"));
    let mut args = vec!["compare", "--format", "json"];
    args.extend(journals.iter().map(String::as_str));
    let o = paraat(&args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["groups"][0]["journals"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["groups"][0]["trend"].as_array().map(Vec::len), Some(2));
    // Another scenario is refused, naming both files; grouped, each has its own group.
    let other = dir.path().join("other.jsonl");
    let o = paraat(&[
        "play",
        "event-ramming",
        "--seed",
        "1",
        "--journal",
        other.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = paraat(&[
        "compare",
        &journals[0],
        other.to_str().expect("utf8"),
        "--format",
        "md",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o).1;
    assert!(
        err.contains("other.jsonl:1:1: error")
            && err.contains("j0.jsonl")
            && err.contains("--group-by-scenario"),
        "{err}"
    );
    let o = paraat(&[
        "compare",
        &journals[0],
        other.to_str().expect("utf8"),
        "--format",
        "json",
        "--group-by-scenario",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(2));
    // Never over a journal.
    let o = paraat(&["compare", &journals[0], &journals[1], "-o", &journals[2]]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
}
