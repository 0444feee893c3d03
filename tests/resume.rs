//! Kill mid-exercise: a journal cut anywhere resumes to the state it recorded, and the resumed
//! journal still replays identically.

use std::path::PathBuf;

use paraat::engine::Command;
use paraat::journal::{self, Session};
use paraat::library::Library;
use paraat::play::{self, Policy};

#[test]
fn a_journal_cut_at_every_line_or_mid_line_resumes_and_replays() {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("hostage-town-hall").expect("scenario").clone();
    let dir = tempfile::tempdir().expect("tmp");
    let full = dir.path().join("full.jsonl");
    let mut s = Session::create(&ex, 11, ex.scenario.value.roles.clone(), &full).expect("create");
    play::play(&mut s, &Policy::Random).expect("play");
    let bytes = std::fs::read(&full).expect("read");
    let line_ends: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    // Cut at every line end after the header, and mid-line after it (a torn write).
    assert!(line_ends.len() > 100, "{} lines", line_ends.len());
    for (k, &end) in line_ends.iter().enumerate().skip(1) {
        for cut in [end, end + 9] {
            let cut = cut.min(bytes.len());
            let path = dir.path().join(format!("cut-{k}-{cut}.jsonl"));
            std::fs::write(&path, &bytes[..cut]).expect("write");
            let before = journal::read_file(&path).expect("read cut");
            let find = |_: &journal::Header| Some(ex.clone());
            let (mut resumed, _) = Session::resume(&path, find).expect("resume");
            // Everything complete before the cut is still there.
            assert!(resumed.entries().len() >= before.entries.len());
            assert_eq!(
                resumed.entries()[..before.entries.len()],
                before.entries[..]
            );
            // Play on to the end, then the whole journal must replay.
            if resumed.sim().state().status != paraat::engine::Status::Ended {
                let end_t = resumed.sim().end_time();
                resumed
                    .apply(Command::AdvanceTo { t: end_t })
                    .expect("finish");
            }
            let read = journal::read_file(&path).expect("read resumed");
            assert!(read.broken.is_none() && read.torn.is_none(), "{k}");
            let out = journal::replay(&read, &ex.plan.value, &ex.scenario.value).expect("replays");
            assert!(out.tail.is_empty());
        }
    }
}

#[test]
fn the_clock_is_journaled_so_a_crash_loses_less_than_a_minute() {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("school-threat").expect("scenario").clone();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("live.jsonl");
    let mut s = Session::create(&ex, 2, ex.scenario.value.roles.clone(), &path).expect("create");
    s.apply(Command::Start).expect("start");
    s.apply(Command::SetSpeed { speed: 60 }).expect("speed");
    // 40 seconds of frames at 60 fps: 40 simulated minutes.
    for _ in 0..2400 {
        s.advance(std::time::Duration::from_micros(16_667))
            .expect("advance");
    }
    let shown = s.sim().state().now;
    assert!(shown > 39 * 60, "{shown}");
    drop(s); // kill -9: nothing more is written
    let find = |_: &journal::Header| Some(ex.clone());
    let (resumed, _) = Session::resume(&path, find).expect("resume");
    assert!(
        shown - resumed.sim().state().now < 60,
        "resumed at {} of {shown}",
        resumed.sim().state().now
    );
    let read = journal::read_file(&path).expect("read");
    journal::replay(&read, &ex.plan.value, &ex.scenario.value).expect("replays");
}

#[test]
fn a_follow_up_without_delay_replays_after_live_ticks() {
    // The app's session decides, then lets frames pass: what the decision released must be in
    // the decision's own events, or replay would meet an event it cannot produce.
    let dir = tempfile::tempdir().expect("tmp");
    let src = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/01-station-shooting.ron"),
    )
    .expect("scenario")
    .replacen(
        "id: \"i-burgemeester-via-nieuws\",\n            delay_min: 8,",
        "id: \"i-burgemeester-via-nieuws\",",
        1,
    );
    assert!(
        !src.contains("delay_min: 8,\n            from: Some((nl: \"Burgemeester Hoekstra\""),
        "the edit applied"
    );
    let file = dir.path().join("s.ron");
    std::fs::write(&file, src).expect("write");
    let ex = paraat::library::load_exercise(&file).expect("valid");
    let path = dir.path().join("j.jsonl");
    let mut s = Session::create(&ex, 1, ex.scenario.value.roles.clone(), &path).expect("create");
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 4 * 60 }).expect("advance");
    let d = ex
        .scenario
        .value
        .decisions()
        .find(|(_, d)| {
            d.options.iter().any(|c| {
                c.then
                    .iter()
                    .any(|t| t.as_str() == "i-burgemeester-via-nieuws")
            })
        })
        .expect("decision")
        .1
        .clone();
    let choice = d
        .options
        .iter()
        .find(|c| {
            c.then
                .iter()
                .any(|t| t.as_str() == "i-burgemeester-via-nieuws")
        })
        .expect("choice")
        .id
        .clone();
    s.apply(Command::Decide {
        role: d.role.clone(),
        decision: d.id.clone(),
        choice,
        rationale: String::new(),
    })
    .expect("decide");
    for _ in 0..120 {
        s.advance(std::time::Duration::from_millis(16))
            .expect("tick");
    }
    let read = journal::read_file(&path).expect("read");
    journal::replay(&read, &ex.plan.value, &ex.scenario.value).expect("replays");
}

fn library_exercise(id: &str) -> paraat::library::Exercise {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    lib.find(id).expect("scenario").clone()
}

#[test]
fn the_journal_header_records_scenario_plan_hashes_seed_and_roles_present() {
    let ex = library_exercise("hostage-town-hall");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let present: Vec<paraat::model::RoleId> = ex.scenario.value.roles[..3].to_vec();
    Session::create(&ex, 42, present.clone(), &path).expect("create");
    let text = std::fs::read_to_string(&path).expect("read");
    let first = text.lines().next().expect("header line");
    let h: serde_json::Value = serde_json::from_str(first).expect("JSON");
    assert_eq!(h["format"], journal::FORMAT_VERSION);
    assert_eq!(h["app_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(h["scenario_id"], "hostage-town-hall");
    assert_eq!(h["plan_id"], "lcp-egt");
    assert_eq!(h["seed"], 42);
    let ids: Vec<&str> = present.iter().map(paraat::model::RoleId::as_str).collect();
    assert_eq!(h["present"], serde_json::json!(ids));
    assert_eq!(
        h["scenario_path"],
        ex.scenario.path.display().to_string().as_str()
    );
    assert!(
        chrono::DateTime::parse_from_rfc3339(h["wall_start"].as_str().expect("wall_start")).is_ok(),
        "{h}"
    );
    // The hash covers the scenario file and the plan file as they are on disk, computed here
    // independently: SHA-256 of scenario text, a zero byte, plan text.
    let mut bytes = std::fs::read(&ex.scenario.path).expect("scenario file");
    bytes.push(0);
    bytes.extend(std::fs::read(&ex.plan.path).expect("plan file"));
    let want =
        <sha2::Sha256 as sha2::Digest>::digest(&bytes)
            .iter()
            .fold(String::new(), |mut s, b| {
                use std::fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            });
    assert_eq!(h["source_hash"], want.as_str());
    // The header is what the session and the reader hold.
    let read = journal::read_file(&path).expect("read");
    assert_eq!(
        serde_json::to_value(&read.header).expect("json"),
        h,
        "reader and file agree"
    );
}

#[test]
fn resuming_after_a_kill_opens_paused_and_journals_the_pause() {
    let ex = library_exercise("school-threat");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("live.jsonl");
    let mut s = Session::create(&ex, 2, ex.scenario.value.roles.clone(), &path).expect("create");
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 25 * 60 }).expect("advance");
    assert_eq!(s.sim().state().status, paraat::engine::Status::Running);
    let (state, n) = (s.sim().state().clone(), s.entries().len());
    let read_before = s.entries().to_vec();
    drop(s); // kill -9
    let find = |_: &journal::Header| Some(ex.clone());
    let (resumed, _) = Session::resume(&path, find).expect("resume");
    assert_eq!(resumed.sim().state().status, paraat::engine::Status::Paused);
    assert_eq!(resumed.sim().state().now, state.now);
    // Two entries more than before the kill: the pause command and its event.
    assert_eq!(resumed.entries()[..n], read_before[..]);
    let added: Vec<&journal::Body> = resumed.entries()[n..].iter().map(|e| &e.body).collect();
    assert!(
        matches!(
            added[..],
            [
                journal::Body::Command(Command::Pause),
                journal::Body::Event(paraat::engine::Event {
                    kind: paraat::engine::EventKind::Paused,
                    ..
                })
            ]
        ),
        "{added:?}"
    );
    // On disk, and it replays to the paused state.
    let read = journal::read_file(&path).expect("read");
    assert_eq!(read.entries, resumed.entries());
    let out = journal::replay(&read, &ex.plan.value, &ex.scenario.value).expect("replays");
    assert_eq!(out.sim.state(), resumed.sim().state());
}

#[test]
fn resuming_against_a_changed_scenario_is_refused_with_its_message_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let original = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/01-station-shooting.ron"),
    )
    .expect("scenario");
    let file = dir.path().join("s.ron");
    std::fs::write(&file, &original).expect("write");
    let ex = paraat::library::load_exercise(&file).expect("valid");
    let path = dir.path().join("j.jsonl");
    let mut s = Session::create(&ex, 1, ex.scenario.value.roles.clone(), &path).expect("create");
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 10 * 60 }).expect("advance");
    drop(s);
    let bytes = std::fs::read(&path).expect("journal");
    // An inject released at minute 3 now comes at minute 2.
    let changed = original.replacen("at_min: Some(3),", "at_min: Some(2),", 1);
    assert_ne!(changed, original, "the edit applied");
    std::fs::write(&file, changed).expect("write");
    let changed_ex = paraat::library::load_exercise(&file).expect("still valid");
    let err = Session::resume(&path, |_| Some(changed_ex.clone())).expect_err("refused");
    assert!(
        matches!(err, journal::SessionError::SourceChanged(_)),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("the scenario or plan has changed since this journal was written"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).expect("journal"),
        bytes,
        "journal untouched"
    );
}

#[test]
fn one_writer_per_journal() {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("hostage-town-hall").expect("scenario").clone();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("shared.jsonl");
    let find = |_: &journal::Header| Some(ex.clone());
    {
        let mut s =
            Session::create(&ex, 3, ex.scenario.value.roles.clone(), &path).expect("create");
        s.apply(Command::Start).expect("start");
        // The writer that created it holds it: nobody else may resume it.
        let err = Session::resume(&path, find).expect_err("in use by its creator");
        assert!(matches!(
            err,
            journal::SessionError::Read(journal::ReadError::InUse(_))
        ));
        assert!(journal::in_use(&path).is_some());
    }
    assert!(journal::in_use(&path).is_none(), "released when closed");
    let len = std::fs::metadata(&path).expect("meta").len();
    let (mut first, _) = Session::resume(&path, find).expect("first writer");
    let err = Session::resume(&path, find).expect_err("second writer refused");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("process {}", std::process::id())),
        "names the holder: {msg}"
    );
    assert!(msg.contains("in use"), "{msg}");
    // The refused writer changed nothing; the first one writes on, and the chain holds.
    let after_refusal = std::fs::metadata(&path).expect("meta").len();
    assert!(after_refusal > len, "the first writer journaled its pause");
    first.apply(Command::End).expect("end");
    drop(first);
    let read = journal::read_file(&path).expect("read");
    assert!(read.broken.is_none() && read.finished());
    assert!(
        !journal::holder_path(&path).exists(),
        "the holder note goes with the writer"
    );
}

/// A scenario with every newer kind of event — a cleared signal, a chance and a conditional
/// outcome, a clock-reading condition, a joint decision — played at random by several seeds:
/// its journal verifies (chain and replay) and replays to the same events.
#[test]
fn journals_with_chances_time_conditions_and_joint_decisions_replay_identically() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("newer.ron");
    std::fs::write(
        &file,
        r#"Scenario(
    format: 2,
    id: "newer", plan: "lcp-egt", title: (nl: "Nieuw", en: "Newer"),
    summary: (nl: "Test.", en: "Test."), start: "2026-03-18T10:45:00+01:00", duration_min: 90,
    roles: ["burgemeester", "ovj", "communicatie"],
    per_occurrence: ["P-rumours"],
    injects: [
        Inject(id: "i-melding", at_min: Some(0), to: ["burgemeester", "ovj"], channel: Phone,
            title: (nl: "Melding", en: "Report"), body: (nl: "Schoten.", en: "Shots."),
            effects: [Signal("terror_motive_possible"), Signal("rumours")],
            decisions: [
                Decision(id: "d-samen", role: "burgemeester", with: ["ovj"],
                    prompt: (nl: "Motief?", en: "Motive?"), due_min: 20,
                    options: [
                        Choice(id: "ja", label: (nl: "Ja", en: "Yes"), actions: ["convene_triangle"],
                            effects: [Chance(0.5, [Then("i-goed")], [Then("i-fout")])]),
                        Choice(id: "nee", label: (nl: "Nee", en: "No"),
                            effects: [If(After(10), [Then("i-fout")], [])]),
                    ], default: Some("nee")),
                Decision(id: "d-gerucht", role: "communicatie", any_of: ["burgemeester"],
                    prompt: (nl: "Gerucht?", en: "Rumour?"), due_min: 15,
                    options: [
                        Choice(id: "rechtzetten", label: (nl: "Rechtzetten", en: "Correct"),
                            actions: ["counter_rumours"], effects: [Clear("rumours")]),
                        Choice(id: "zwijgen", label: (nl: "Zwijgen", en: "Silence")),
                    ]),
            ]),
        Inject(id: "i-goed", delay_min: 5, to: ["ovj"], channel: Radio,
            title: (nl: "Goed", en: "Good"), body: (nl: "", en: "")),
        Inject(id: "i-fout", delay_min: 5, to: ["ovj"], channel: Radio,
            title: (nl: "Fout", en: "Wrong"), body: (nl: "", en: "")),
        Inject(id: "i-golf", at_min: Some(30), to: ["communicatie"], channel: Social,
            title: (nl: "Nieuw gerucht", en: "New rumour"), body: (nl: "", en: ""),
            effects: [Clear("rumours"), Signal("rumours")],
            when: Some(Any([After(40), ReleasedWithin("i-melding", 35)]))),
    ],
)"#,
    )
    .expect("write");
    let lib = Library::load(&[
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        file,
    ]);
    assert!(
        lib.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        lib.diagnostics
    );
    let ex = lib.find("newer").expect("scenario").clone();
    let mut seen = String::new();
    for seed in 1..=8 {
        let path = dir.path().join(format!("j{seed}.jsonl"));
        let mut s =
            Session::create(&ex, seed, ex.scenario.value.roles.clone(), &path).expect("create");
        play::play(&mut s, &Policy::Random).expect("play");
        let v = journal::verify::verdict_for(&path, &ex, None);
        assert!(
            v.verified(),
            "seed {seed}: {}",
            v.summary(paraat::model::Lang::En)
        );
        seen.push_str(&std::fs::read_to_string(&path).expect("read"));
    }
    // The journals hold the newer events the test is about.
    for ev in [
        "\"ev\":\"ChanceDrawn\"",
        "\"ev\":\"SignalCleared\"",
        "\"ev\":\"DecisionVoted\"",
        "\"decision\":\"d-samen\",\"role\":\"burgemeester\",\"choice\":\"ja\"",
        "\"inject\":\"i-golf\"",
    ] {
        assert!(seen.contains(ev), "no {ev} in any journal");
    }
}
