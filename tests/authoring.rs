//! Format version 2 for authors: choice order shuffled per seed (display only), scenario-local
//! roles and procedures scored like the plan's, attachments read safely, and the MSEL keeping
//! them. The broken corpus (`tests/broken/2xx-*.ron`) covers every new error and warning.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use paraat::journal::Session;
use paraat::library::Library;
use paraat::play::{self, Policy};
use paraat::scoring::{self, Status};

/// The seal key the tests' installation uses (never the user's own).
const SEAL_KEY: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/authoring-tests-seal.key");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn paraat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .current_dir(dir)
        .env("PARAAT_SEAL_KEY", SEAL_KEY)
        .env("PARAAT_SCENARIOS", root().join("scenarios"))
        .output()
        .expect("runs")
}

/// The score line of `paraat play FILE --policy first --seed SEED`, as a percentage.
fn first_policy_score(dir: &Path, file: &Path, seed: &str) -> u32 {
    let journal = dir.join(format!("first-{seed}-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&journal);
    let o = paraat(
        dir,
        &[
            "play",
            file.to_str().expect("utf8"),
            "--policy",
            "first",
            "--seed",
            seed,
            "--journal",
            journal.to_str().expect("utf8"),
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}{:?}", o.stderr);
    let line = out
        .lines()
        .find(|l| l.starts_with("score:"))
        .unwrap_or_else(|| panic!("no score line in {out}"));
    line.trim_start_matches("score:")
        .split('%')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no percentage in {line}"))
}

#[test]
fn policy_first_takes_the_first_shown_choice_so_a_best_first_file_no_longer_scores_full() {
    // The hostage scenario lists its best choice first in every decision (the validator says so
    // for a copy that fixes the file's order). Shown in file order (`fixed_order`, as version 1
    // files always were), `--policy first` scores 100 %. As shipped (format 2) the order is
    // shuffled per seed: far less. (The shipped file uses format-2 effects, so the copy fixes
    // the order per decision rather than dropping to version 1.)
    let dir = tempfile::tempdir().expect("tmp");
    let shipped = root().join("scenarios/03-hostage-town-hall.ron");
    let text = std::fs::read_to_string(&shipped).expect("read");
    assert!(text.contains("\n    format: 2,\n"), "shipped as format 2");
    assert!(
        !text.contains("fixed_order"),
        "the shipped file fixes no order"
    );
    let fixed = dir.path().join("hostage-fixed.ron");
    std::fs::write(
        &fixed,
        text.replace(
            "Decision(\n",
            "Decision(\n                    fixed_order: true,\n",
        ),
    )
    .expect("write");
    let o = paraat(dir.path(), &["validate", fixed.to_str().expect("utf8")]);
    let err = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(err.contains("warning[first-choice-best]"), "{err}");
    assert!(!err.contains("error["), "{err}");
    assert_eq!(first_policy_score(dir.path(), &fixed, "1"), 100);
    for seed in ["1", "2", "3"] {
        let score = first_policy_score(dir.path(), &shipped, seed);
        assert!(score < 60, "seed {seed}: {score} %");
    }
}

#[test]
fn the_shown_order_is_a_function_of_the_seed_and_never_changes_the_journal_s_meaning() {
    let lib = Library::load(&[root().join("scenarios")]);
    let ex = lib.find("hostage-town-hall").expect("scenario");
    let dir = tempfile::tempdir().expect("tmp");
    let n = std::cell::Cell::new(0);
    let orders = |seed: u64| -> Vec<Vec<usize>> {
        n.set(n.get() + 1);
        let path = dir.path().join(format!("{seed}-{}.jsonl", n.get()));
        let session =
            Session::create(ex, seed, ex.scenario.value.roles.clone(), &path).expect("session");
        ex.scenario
            .value
            .decisions()
            .map(|(_, d)| session.sim().choice_order(d))
            .collect()
    };
    let (a, b) = (orders(1), orders(2));
    assert_ne!(a, b, "another seed shows choices in another order");
    assert!(
        a.iter().any(|o| o.first() != Some(&0)),
        "the first in the file is not always shown first"
    );
    // The same seed in another session: the same order.
    assert_eq!(a, orders(1));
}

#[test]
fn a_local_role_s_procedure_is_scored_like_the_plan_s() {
    let lib = Library::load(&[root().join("scenarios")]);
    let ex = lib.find("event-ramming").expect("scenario");
    assert!(ex.plan.value.role("corso_organisator").is_some());
    assert!(ex.plan.value.procedure("LP-corso-stop").is_some());
    // The plan file itself does not have them: they come from the scenario.
    let plan_file = Library::load(&[root().join("scenarios/plan")]);
    assert!(plan_file.plans[0].value.role("corso_organisator").is_none());
    let status = |script: &str| {
        let dir = tempfile::tempdir().expect("tmp");
        let mut session = Session::create(
            ex,
            1,
            ex.scenario.value.roles.clone(),
            &dir.path().join("j.jsonl"),
        )
        .expect("session");
        let script = play::load_script(&root().join("tests/scripts").join(script)).expect("script");
        play::play(&mut session, &Policy::Script(script)).expect("plays");
        let card =
            scoring::score_compiled(session.sim().ctx(), session.header(), session.entries());
        card.procedures
            .iter()
            .find(|p| p.id.as_str() == "LP-corso-stop")
            .map(|p| p.status)
            .expect("scored")
    };
    assert_eq!(status("02-event-ramming-good.ron"), Status::InTime);
    assert_eq!(status("02-event-ramming-poor.ron"), Status::Missed);
}

#[test]
fn a_local_role_simulated_by_exercise_control_is_not_at_the_table_and_not_scored() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(root().join("scenarios/02-event-ramming.ron"))
        .expect("read")
        .replacen(
            "    local_roles: [",
            "    simulated: [\"corso_organisator\"],\n    local_roles: [",
            1,
        );
    std::fs::create_dir(dir.path().join("bijlagen")).expect("mkdir");
    std::fs::copy(
        root().join("scenarios/bijlagen/02-lingecorso-video.jpg"),
        dir.path().join("bijlagen/02-lingecorso-video.jpg"),
    )
    .expect("copy");
    let file = dir.path().join("ramming.ron");
    std::fs::write(&file, text).expect("write");
    let ex = paraat::library::load_exercise(&file).expect("valid");
    assert_eq!(
        ex.scenario.value.simulated,
        vec!["corso_organisator".into()]
    );
    // What setup offers: every role but the simulated one at the table.
    let present: Vec<_> = ex
        .scenario
        .value
        .roles
        .iter()
        .filter(|r| !ex.scenario.value.simulated.contains(r))
        .cloned()
        .collect();
    let mut session =
        Session::create(&ex, 1, present, &dir.path().join("j.jsonl")).expect("session");
    let script =
        play::load_script(&root().join("tests/scripts/02-event-ramming-good.ron")).expect("script");
    play::play(&mut session, &Policy::Script(script)).expect("plays");
    let card = scoring::score_compiled(session.sim().ctx(), session.header(), session.entries());
    let p = card
        .procedures
        .iter()
        .find(|p| p.id.as_str() == "LP-corso-stop")
        .expect("listed");
    assert_eq!(p.status, Status::NotInPlay);
    let note = paraat::describe::role_note(
        &session.sim().ctx().scenario,
        "corso_organisator",
        paraat::model::Lang::En,
    );
    assert_eq!(
        note.as_deref(),
        Some("a role of this scenario, played by exercise control")
    );
}

#[test]
fn an_attachment_behind_a_link_out_of_the_scenario_folder_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let outside = tempfile::tempdir().expect("tmp");
    let secret = outside.path().join("photo.png");
    std::fs::copy(root().join("tests/broken/files/photo.png"), &secret).expect("copy");
    let scenario = dir.path().join("s.ron");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, dir.path().join("link.png")).expect("symlink");
        assert_eq!(
            paraat::model::authoring::read_attachment(&scenario, "link.png").map(|(k, _)| k),
            Err(paraat::model::authoring::AttachmentError::LinkOutside)
        );
    }
    std::fs::copy(&secret, dir.path().join("inside.png")).expect("copy");
    assert_eq!(
        paraat::model::authoring::read_attachment(&scenario, "inside.png").map(|(k, _)| k),
        Ok(paraat::model::AttachmentKind::Png)
    );
    // Over the size limit (a sparse file: nothing is written to disk).
    let big = std::fs::File::create(dir.path().join("big.png")).expect("create");
    big.set_len(paraat::model::authoring::MAX_ATTACHMENT_BYTES + 1)
        .expect("set_len");
    assert!(matches!(
        paraat::model::authoring::read_attachment(&scenario, "big.png"),
        Err(paraat::model::authoring::AttachmentError::TooLarge(_))
    ));
}

#[test]
fn the_msel_carries_attachments_and_local_roles_and_the_reports_list_the_attachment() {
    let lib = Library::load(&[root().join("scenarios")]);
    let ex = lib.find("event-ramming").expect("scenario");
    let csv = paraat::msel::export(&ex.scenario.value, &ex.plan.value);
    assert!(
        csv.contains("02-lingecorso-video.jpg"),
        "attachments column"
    );
    let plan_file = Library::load(&[root().join("scenarios/plan")]);
    let back =
        paraat::msel::import(&csv, &plan_file.plans[0].value, &ex.scenario.value).expect("imports");
    assert_eq!(back, ex.scenario.value, "field for field");
    // Every report format names the attachment beside its inject.
    let dir = tempfile::tempdir().expect("tmp");
    let mut session = Session::create(
        ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    let script =
        play::load_script(&root().join("tests/scripts/02-event-ramming-good.ron")).expect("script");
    play::play(&mut session, &Policy::Script(script)).expect("plays");
    for lang in [paraat::model::Lang::Nl, paraat::model::Lang::En] {
        let aar = paraat::report::Aar::build(ex, session.header(), session.entries(), lang);
        let md = paraat::report::markdown::render(&aar);
        let html = paraat::report::html::render(&aar);
        for text in [&md, &html] {
            assert!(
                text.contains("bijlagen/02-lingecorso-video.jpg"),
                "{lang:?}: the attachment is listed"
            );
        }
    }
}

/// The app, clicked through: a simulated role of the scenario starts unticked at setup and says
/// who plays it; the message with an attachment shows its caption on the recipient's desk.
#[cfg(feature = "gui")]
#[test]
fn setup_leaves_a_simulated_role_to_exercise_control_and_the_desk_shows_the_attachment() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use paraat::engine::Command;
    use paraat::host::Source;
    use paraat::model::Lang;
    use paraat::ui::{App, Prefs, Screen, Tab};

    let dir = tempfile::tempdir().expect("tmp");
    let lib_dir = dir.path().join("lib");
    std::fs::create_dir_all(lib_dir.join("bijlagen")).expect("mkdir");
    std::fs::copy(
        root().join("scenarios/bijlagen/02-lingecorso-video.jpg"),
        lib_dir.join("bijlagen/02-lingecorso-video.jpg"),
    )
    .expect("copy");
    let text = std::fs::read_to_string(root().join("scenarios/02-event-ramming.ron"))
        .expect("read")
        .replacen(
            "    local_roles: [",
            "    simulated: [\"corso_organisator\"],\n    local_roles: [",
            1,
        );
    // A document beside the picture: named, with a button that opens it.
    let text = text.replacen(
        "            attachments: [\n",
        "            attachments: [\n                Attachment(file: \"bijlagen/folder.pdf\", caption: (nl: \"Corsofolder\", en: \"Parade leaflet\")),\n",
        1,
    );
    std::fs::copy(
        root().join("tests/broken/files/leaflet.pdf"),
        lib_dir.join("bijlagen/folder.pdf"),
    )
    .expect("copy");
    std::fs::write(lib_dir.join("ramming.ron"), text).expect("write");
    let lib = Library::load(&[lib_dir]);
    assert_eq!(lib.errors(), 0, "{:?}", lib.diagnostics);
    let app = App::new(
        lib,
        Prefs {
            lang: Lang::En,
            ..Prefs::default()
        },
        dir.path().to_owned(),
    );
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(
            |ui, app: &mut App| {
                app.logic(ui.ctx());
                app.ui(ui);
            },
            app,
        );
    h.run();
    h.get_by_label("Set up ▶").click();
    h.run();
    h.get_by_label(
        "Parade organisers (Lingecorso foundation) (a role of this scenario, played by exercise control)",
    );
    match &h.state().screen {
        Screen::Setup(s) => {
            for (role, on) in &s.present {
                assert_eq!(*on, role.as_str() != "corso_organisator", "{role}");
            }
        }
        _ => panic!("not on the setup screen"),
    }
    h.get_by_label("Open exercise").click();
    h.run();
    if let Screen::Exercise(v) = &mut h.state_mut().screen {
        for c in [
            Command::Start,
            Command::AdvanceTo { t: 3 * 60 },
            Command::Pause,
        ] {
            v.host.submit(&Source::Console, c).expect("command");
        }
        v.tab = Tab::Desks;
        v.forms.desks.role = Some("communicatie".into());
    }
    h.run_steps(4);
    h.get_by_label(
        "Attachment (picture): Still from a video under #lingecorso: the white van between two floats, spectators on the street",
    );
    h.get_by_label("Attachment (PDF document): Parade leaflet — bijlagen/folder.pdf");
    h.get_by_label("Open document");
    // The organisers' desk says who plays them.
    if let Screen::Exercise(v) = &mut h.state_mut().screen {
        v.forms.desks.role = Some("corso_organisator".into());
    }
    h.run_steps(2);
    h.get_by_label("a role of this scenario, played by exercise control");
}

#[test]
fn the_sentence_for_a_released_message_names_its_attachment_in_both_languages() {
    let lib = Library::load(&[root().join("scenarios")]);
    let ex = lib.find("event-ramming").expect("scenario");
    let sim = paraat::engine::Simulation::new(&ex.plan.value, &ex.scenario.value, 1);
    let ev = paraat::engine::EventKind::InjectReleased {
        inject: "i-social-videos".into(),
        to: vec!["communicatie".into()],
        forced: false,
    };
    let en = paraat::describe::event(&ev, sim.ctx(), paraat::model::Lang::En);
    assert!(
        en.ends_with("[Attachment: Still from a video under #lingecorso: the white van between two floats, spectators on the street (bijlagen/02-lingecorso-video.jpg)]"),
        "{en}"
    );
    let nl = paraat::describe::event(&ev, sim.ctx(), paraat::model::Lang::Nl);
    assert!(nl.contains("[Bijlage: Stilstaand beeld"), "{nl}");
    // A message without attachments reads as before.
    let plain = paraat::engine::EventKind::InjectReleased {
        inject: "i-gemeente-call".into(),
        to: vec!["bevolkingszorg".into()],
        forced: false,
    };
    assert!(!paraat::describe::event(&plain, sim.ctx(), paraat::model::Lang::En).contains('['));
}
