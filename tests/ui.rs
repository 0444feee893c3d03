//! The desktop app, clicked through as a facilitator would with `egui_kittest`: pick a scenario,
//! start, advance, open a desk, decide with a rationale, pause, record an action and an
//! observation, end, write the report — asserting what the screen shows and what the journal
//! holds.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use paraat::engine::{Command, EventKind, Status};
use paraat::journal::{self, Body};
use paraat::library::Library;
use paraat::model::Lang;
use paraat::ui::{App, Prefs, Screen};

fn app(dir: &std::path::Path, lang: Lang) -> App {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    App::new(
        lib,
        Prefs {
            lang,
            ..Prefs::default()
        },
        dir.to_owned(),
    )
}

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app)
}

fn events(h: &Harness<'_, App>) -> Vec<EventKind> {
    match &h.state().screen {
        Screen::Exercise(v) => v
            .session
            .entries
            .iter()
            .filter_map(|e| match &e.body {
                Body::Event(ev) => Some(ev.kind.clone()),
                Body::Command(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn commands(h: &Harness<'_, App>) -> Vec<Command> {
    match &h.state().screen {
        Screen::Exercise(v) => v
            .session
            .entries
            .iter()
            .filter_map(|e| match &e.body {
                Body::Command(c) => Some(c.clone()),
                Body::Event(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn sim_status(h: &Harness<'_, App>) -> Status {
    match &h.state().screen {
        Screen::Exercise(v) => v.session.sim.state.status,
        _ => panic!("not in an exercise"),
    }
}

#[test]
fn a_whole_exercise_from_the_library_to_the_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(app(dir.path(), Lang::Nl));
    h.run();
    h.get_by_label("Scenariobibliotheek");
    // The first card is the station shooting.
    h.get_all_by_label("Voorbereiden ▶")
        .next()
        .expect("a card")
        .click();
    h.run();
    h.get_by_label("Aanwezige rollen");
    if let Screen::Setup(s) = &mut h.state_mut().screen {
        assert_eq!(s.exercise.scenario.value.id, "station-shooting");
        s.seed = 1;
    }
    h.get_by_label("Oefening openen").click();
    h.run();
    h.get_by_label("Draaiboek (MSEL)");
    h.get_by_label("▶ Start").click();
    h.run_steps(3);
    assert_eq!(sim_status(&h), Status::Running);
    assert!(
        events(&h)
            .iter()
            .any(|e| matches!(e, EventKind::InjectReleased { .. }))
    );

    // Advance to the next inject twice.
    h.get_by_label("▶▶ Volgende inject").click();
    h.run_steps(2);
    h.get_by_label("▶▶ Volgende inject").click();
    h.run_steps(2);
    let released = events(&h)
        .iter()
        .filter(|e| matches!(e, EventKind::InjectReleased { .. }))
        .count();
    assert!(released >= 3, "{released} injects released");

    // The police duty commander's desk has the first decision.
    h.get_by_label("Rolbureaus").click();
    h.run_steps(2);
    h.get_all_by_label_contains("Officier van Dienst Politie")
        .next()
        .expect("desk")
        .click();
    h.run_steps(2);
    h.get_by_label("Openstaande besluiten");
    let (first_choice, prompt) = match &h.state().screen {
        Screen::Exercise(v) => {
            let d = v
                .session
                .sim
                .ctx
                .scenario
                .decisions()
                .find(|(_, d)| d.id.as_str() == "d-ovd-opschaling")
                .expect("decision")
                .1;
            (d.options[0].label.nl.clone(), d.prompt.nl.clone())
        }
        _ => unreachable!(),
    };
    h.get_by_label(&prompt);
    h.get_by_label(&first_choice).click();
    h.run_steps(2);
    h.get_by_label("Motivering:").focus();
    h.run_steps(1);
    h.get_by_label("Motivering:")
        .type_text("Motief onduidelijk, dus meteen opschalen.");
    h.run_steps(2);
    h.get_by_label("Besluit nemen").click();
    h.run_steps(2);
    assert!(
        events(&h).iter().any(|e| matches!(e, EventKind::DecisionMade { decision, rationale, .. }
            if decision.as_str() == "d-ovd-opschaling" && rationale == "Motief onduidelijk, dus meteen opschalen.")),
        "decision with rationale journaled"
    );
    assert!(
        h.query_by_label(&prompt).is_none(),
        "the decided question left the desk"
    );

    // Pause.
    h.get_by_label("❚❚ Pauze").click();
    h.run();
    assert_eq!(sim_status(&h), Status::Paused);
    h.get_by_label("▶ Hervatten");

    // Record a plan action for the mayor from the palette.
    h.get_by_label("Facilitator").click();
    h.run();
    h.get_by_label("Acties").click();
    h.run();
    let label = match &h.state().screen {
        Screen::Exercise(v) => v
            .session
            .sim
            .ctx
            .plan
            .action("convene_triangle")
            .expect("action")
            .label
            .nl
            .clone(),
        _ => unreachable!(),
    };
    h.get_by_label(&label).click();
    h.run();
    assert!(events(&h).iter().any(|e| matches!(e, EventKind::ActionTaken { action, source: paraat::engine::ActionSource::Palette, .. }
        if action.as_str() == "convene_triangle")));

    // An observation with a rating.
    h.get_by_label("Waarnemingen").click();
    h.run();
    h.get_by_label("Waarneming:").focus();
    h.run();
    h.get_by_label("Waarneming:")
        .type_text("Driehoek snel bijeen");
    h.run();
    h.get_by_label("S").click();
    h.run();
    h.get_by_label("Waarneming vastleggen").click();
    h.run();
    assert!(events(&h).iter().any(|e| matches!(e, EventKind::Observed { text, rating: Some(paraat::engine::Rating::S), .. } if text == "Driehoek snel bijeen")));

    // End, and the hot wash writes the report.
    h.get_by_label("■ Beëindigen").click();
    h.run();
    assert_eq!(sim_status(&h), Status::Ended);
    h.get_by_label("Hot wash — nabespreking");
    h.get_by_label("Evaluatierapport (HTML)").click();
    h.run();
    let (journal_path, cmds) = match &h.state().screen {
        Screen::Exercise(v) => (v.session.path().to_owned(), commands(&h)),
        _ => unreachable!(),
    };
    let html =
        std::fs::read_to_string(journal_path.with_extension("html")).expect("report written");
    assert!(html.contains("Driehoek snel bijeen") && html.contains("Motief onduidelijk"));
    assert!(cmds.contains(&Command::End));

    // What the screen showed is on disk, and replays.
    let read = journal::read_file(&journal_path).expect("journal");
    assert!(read.finished() && read.broken.is_none() && read.torn.is_none());
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    journal::replay(&read, &ex.plan.value, &ex.scenario.value).expect("replays");
}

#[test]
fn keyboard_shortcuts_and_language() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_by_label("Scenario library");
    h.get_by_label("Nederlands").click();
    h.run();
    h.get_by_label("Scenariobibliotheek");
    assert_eq!(h.state().prefs.lang, Lang::Nl);
    h.get_all_by_label("Voorbereiden ▶")
        .nth(2)
        .expect("third card")
        .click();
    h.run();
    h.get_by_label("Oefening openen").click();
    h.run();
    h.key_press(egui::Key::Space);
    h.run_steps(2);
    assert_eq!(sim_status(&h), Status::Running);
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(sim_status(&h), Status::Paused);
    let before = match &h.state().screen {
        Screen::Exercise(v) => (v.session.sim.state.now, v.session.sim.state.speed),
        _ => unreachable!(),
    };
    assert_eq!(before.1, 5);
    h.key_press(egui::Key::N);
    h.run();
    let after = match &h.state().screen {
        Screen::Exercise(v) => v.session.sim.state.now,
        _ => unreachable!(),
    };
    assert!(after > before.0, "N jumped to the next inject");
    // Back to the library: the unfinished exercise is offered for resuming.
    h.get_by_label("◀ Bibliotheek").click();
    h.run();
    h.get_by_label("Onafgeronde oefeningen");
    h.get_by_label("Hervatten").click();
    h.run();
    match &h.state().screen {
        Screen::Exercise(v) => assert_eq!(v.session.sim.state.now, after),
        _ => panic!("resume opened no exercise"),
    }
}

#[test]
fn the_projector_shows_no_scores() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_all_by_label("Set up ▶").next().expect("card").click();
    h.run();
    h.get_by_label("Open exercise").click();
    h.run();
    h.get_by_label("▶ Start").click();
    h.run_steps(2);
    h.get_by_label("Projector view").click();
    h.run_steps(2);
    h.get_by_label("Situation picture");
    h.get_by_label("Latest messages");
    assert!(
        h.query_by_label_contains("score").is_none(),
        "no score on the projector"
    );
    assert!(
        h.query_by_label_contains("Score").is_none(),
        "no score on the projector"
    );
}
