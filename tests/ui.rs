//! The desktop app, clicked through as a facilitator would with `egui_kittest`: pick a scenario,
//! start, advance, open a desk, decide with a rationale, pause, record an action and an
//! observation, end, write the report — asserting what the screen shows and what the journal
//! holds.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
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
        // A picture shown by the editor or a desk is decoded on a loader thread and asks for
        // repaints when it is ready: on a loaded machine that can come a few frames later.
        .with_max_steps(16)
        .build_ui_state(
            |ui, app: &mut App| {
                app.logic(ui.ctx());
                app.ui(ui);
            },
            app,
        )
}

fn events(h: &Harness<'_, App>) -> Vec<EventKind> {
    match &h.state().screen {
        Screen::Exercise(v) => v
            .host
            .view()
            .entries()
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
            .host
            .view()
            .entries()
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
        Screen::Exercise(v) => v.host.view().sim().state().status,
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
            let view = v.host.view();
            let d = view
                .sim()
                .ctx()
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
    // The desk confirms the decision, the question is no longer pending (its choices are
    // gone), and it is listed once among the decisions taken, with the rationale.
    h.get_by_label_contains("Besluit vastgelegd:");
    assert!(
        h.query_by_label(&first_choice).is_none(),
        "the decided question left the pending decisions"
    );
    assert_eq!(
        h.get_all_by_label(&prompt).count(),
        1,
        "listed once, as taken"
    );
    h.get_by_label("Genomen besluiten");
    h.get_by_label("Motivering: Motief onduidelijk, dus meteen opschalen.");

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
            .host
            .view()
            .sim()
            .ctx()
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
    h.get_by_label("■ Beëindigen…").click();
    h.run();
    h.get_by_label("Oefening beëindigen?");
    h.get_by_label("■ Ja, beëindigen").click();
    h.run();
    assert_eq!(sim_status(&h), Status::Ended);
    h.get_by_label("Hot wash — nabespreking");
    // Ended within a minute, most objectives had nothing come up: after the end they say so,
    // not "not scored yet".
    assert!(
        h.query_all_by_label_contains("nog niet gescoord")
            .next()
            .is_none()
    );
    assert!(
        h.query_all_by_label_contains(
            "niet gescoord: geen van de procedures kwam in deze oefening aan de orde"
        )
        .next()
        .is_some()
    );
    h.get_by_label("Evaluatierapport (HTML)").click();
    h.run();
    let (journal_path, cmds) = match &h.state().screen {
        Screen::Exercise(v) => {
            let path = v.host.view().path().to_owned();
            (path, commands(&h))
        }
        _ => unreachable!(),
    };
    let html =
        std::fs::read_to_string(journal_path.with_extension("html")).expect("report written");
    assert!(html.contains("Driehoek snel bijeen") && html.contains("Motief onduidelijk"));
    assert!(cmds.contains(&Command::End));
    // And the PDF, one click away too.
    h.get_by_label("PDF").click();
    h.run();
    let pdf = std::fs::read(journal_path.with_extension("pdf")).expect("PDF written");
    assert!(pdf.starts_with(b"%PDF-"));

    // What the screen showed is on disk, and replays.
    let read = journal::read_file(&journal_path).expect("journal");
    assert!(read.finished() && read.broken.is_none() && read.torn.is_none());
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    journal::replay(&read, &ex.plan.value, &ex.scenario.value).expect("replays");
}

#[test]
fn keyboard_shortcuts_drive_the_clock_the_language_switches_and_an_unfinished_exercise_resumes() {
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
        Screen::Exercise(v) => {
            let view = v.host.view();
            (view.sim().now(), view.sim().speed())
        }
        _ => unreachable!(),
    };
    assert_eq!(before.1, 5);
    h.key_press(egui::Key::N);
    h.run();
    let after = match &h.state().screen {
        Screen::Exercise(v) => v.host.view().sim().state().now,
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
        Screen::Exercise(v) => assert_eq!(v.host.view().sim().state().now, after),
        _ => panic!("resume opened no exercise"),
    }
}

#[test]
fn the_projector_shows_no_scores_and_no_role_addressed_message() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_all_by_label("Set up ▶").next().expect("card").click();
    h.run();
    h.get_by_label("Open exercise").click();
    h.run();
    h.get_by_label("▶ Start").click();
    h.run_steps(2);
    // Well into the exercise: messages to particular roles and public ones have been released.
    if let Screen::Exercise(v) = &h.state().screen {
        v.host
            .submit(
                &paraat::host::Source::Console,
                Command::AdvanceTo { t: 90 * 60 },
            )
            .expect("advance");
        v.host
            .submit(
                &paraat::host::Source::Console,
                Command::AdHocInject {
                    to: vec!["burgemeester".into(), "politiechef".into()],
                    channel: paraat::model::Channel::Phone,
                    title: "Only for the mayor and the police chief".into(),
                    body: "secret".into(),
                },
            )
            .expect("ad hoc");
    }
    h.get_by_label("Projector view").click();
    h.run_steps(2);
    h.get_by_label("Situation picture");
    // Level names come from the plan catalogue (threat level 4 at the start).
    h.get_by_label("4 substantial");
    h.get_by_label("News and social media");
    let (public, private, var_labels) = match &h.state().screen {
        Screen::Exercise(v) => {
            let view = v.host.view();
            let ctx = view.sim().ctx();
            // The situation picture's labels are on the projector by design; a message title
            // that happens to equal one cannot be told apart by text.
            let var_labels: Vec<String> = ctx
                .var_ids
                .iter()
                .map(|id| paraat::describe::var(ctx, id.as_str(), Lang::En).to_owned())
                .collect();
            let all: Vec<(String, bool)> = paraat::projection::messages(
                view.entries(),
                ctx,
                paraat::projection::Audience::Control,
                Lang::En,
            )
            .map(|m| (m.title.to_owned(), paraat::projection::is_public(m.channel)))
            .collect();
            let public: Vec<String> = all.iter().filter(|m| m.1).map(|m| m.0.clone()).collect();
            let private: Vec<String> = all.iter().filter(|m| !m.1).map(|m| m.0.clone()).collect();
            (public, private, var_labels)
        }
        _ => unreachable!(),
    };
    assert!(
        !public.is_empty(),
        "the first 90 minutes have news or social media"
    );
    assert!(private.len() > 5, "and messages to particular roles");
    // The newest public message is on the projector; no role-addressed message is.
    h.get_by_label(public.last().expect("public"));
    for title in private.iter().filter(|t| !var_labels.contains(t)) {
        assert!(
            h.query_by_label_contains(title).is_none(),
            "role-addressed message on the projector: {title}"
        );
    }
    for word in ["score", "Score", "points", "%"] {
        assert!(
            h.query_by_label_contains(word).is_none(),
            "no score on the projector ({word})"
        );
    }
}

/// Plays a short exercise headless and returns its journal.
fn played_journal(dir: &std::path::Path) -> PathBuf {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("hostage-town-hall").expect("scenario");
    let path = dir.join("played.jsonl");
    let mut s = paraat::journal::Session::create(ex, 4, ex.scenario.value.roles.clone(), &path)
        .expect("session");
    paraat::play::play(&mut s, &paraat::play::Policy::Random).expect("play");
    s.apply(Command::Observe {
        text: "never written in the journal twice".into(),
        role: None,
        rating: None,
        objective: None,
    })
    .expect_err("the exercise has ended");
    path
}

#[test]
fn review_screen_filters_the_journal_keeps_notes_aside_and_exports() {
    let dir = tempfile::tempdir().expect("tmp");
    let journal_path = played_journal(dir.path());
    let before = std::fs::read(&journal_path).expect("journal");
    let mut a = app(dir.path(), Lang::En);
    let view = paraat::ui::review::ReviewView::open(&a.library, &journal_path).expect("opens");
    a.screen = Screen::Review(Box::new(view));
    let mut h = harness(a);
    h.run();
    h.get_by_label("Timeline");
    assert!(h.get_all_by_label("Moment (min):").next().is_some());
    h.get_by_label("Journal table").click();
    h.run();
    // What the filter must keep, from the journal itself: the decisions made.
    let read = journal::read_file(&journal_path).expect("journal");
    let total = read.entries.len();
    let decided: Vec<u64> = read
        .entries
        .iter()
        .filter(|e| {
            matches!(&e.body, Body::Event(ev) if matches!(ev.kind, EventKind::DecisionMade { .. }))
        })
        .map(|e| e.seq)
        .collect();
    assert!(
        !decided.is_empty() && decided.len() < total,
        "{} of {total}",
        decided.len()
    );
    h.get_by_label(&format!("{total} / {total} entries"));
    // Unfiltered, the first row (the Start command, entry 1) is on screen, as a sentence.
    let first_row = "▶ Start";
    h.get_by_label(first_row);
    h.get_by_label("Text:").focus();
    h.run();
    // The table shows sentences: a decision made reads "<role> decides: …" (a Decide command
    // reads "<role> chooses: …"), so the word picks exactly the decisions made.
    h.get_by_label("Text:").type_text("decides");
    h.run();
    // Exactly the decisions made are counted, and the rows shown are theirs.
    h.get_by_label(&format!("{} / {total} entries", decided.len()));
    h.get_by_label(&decided[0].to_string());
    assert!(
        h.query_by_label(first_row).is_none(),
        "a row the filter leaves out is still shown"
    );
    // Notes go to a sidecar file; the journal is unchanged.
    h.get_by_label("Observations and notes").click();
    h.run();
    h.get_by_label("Reviewer notes (a separate file; the journal is never changed):")
        .focus();
    h.run();
    h.get_by_label("Reviewer notes (a separate file; the journal is never changed):")
        .type_text("Triangle met late.");
    h.run();
    h.get_by_label("Save notes").click();
    h.run();
    let notes =
        std::fs::read_to_string(paraat::ui::review::notes_path(&journal_path)).expect("notes file");
    assert_eq!(notes, "Triangle met late.");
    assert_eq!(
        std::fs::read(&journal_path).expect("journal"),
        before,
        "the journal is never altered"
    );
    // Export beside the journal.
    h.get_by_label("Export").click();
    h.run();
    h.get_all_by_label("Save beside the journal")
        .next()
        .expect("HTML row")
        .click();
    h.run();
    assert!(journal_path.with_extension("html").exists());
    // The last row is the PDF.
    h.get_all_by_label("Save beside the journal")
        .last()
        .expect("PDF row")
        .click();
    h.run();
    let pdf = std::fs::read(journal_path.with_extension("pdf")).expect("PDF written");
    assert!(pdf.starts_with(b"%PDF-"));
    h.get_by_label("Scorecard").click();
    h.run();
    h.get_by_label("Where every point comes from (journal entries)");
}

#[test]
fn editor_validates_live_saves_with_a_backup_reloads_and_plays() {
    use paraat::ui::editor::{EditorView, TEMPLATE};
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app(dir.path(), Lang::En);
    let plan = std::sync::Arc::clone(&a.library.plans[0]);
    let file = dir.path().join("mine.ron");
    std::fs::write(&file, TEMPLATE).expect("write");
    a.screen = Screen::Editor(Box::new(EditorView::open(&file, plan).expect("opens")));
    let mut h = harness(a);
    h.run();
    h.get_by_label("RON text");
    h.get_by_label_contains("0 errors");
    // A form edit rewrites the text and is validated at once.
    h.get_by_label("+ Inject").click();
    h.run();
    let text = match &h.state().screen {
        Screen::Editor(e) => e.text.clone(),
        _ => unreachable!(),
    };
    assert!(text.contains("i-new-3"), "{text}");
    // A typo in the text: the finding appears with its line and column, and is clickable.
    if let Screen::Editor(e) = &mut h.state_mut().screen {
        e.text = e.text.replacen("\"politiechef\"", "\"politiechf\"", 1);
        e.check();
    }
    h.run();
    let label = h
        .get_by_label_contains("unknown role \"politiechf\"")
        .accesskit_node()
        .label()
        .unwrap_or_default()
        .clone();
    assert!(
        label.starts_with(|c: char| c.is_ascii_digit()),
        "line:col first: {label}"
    );
    h.get_by_label_contains("unknown role \"politiechf\"")
        .click();
    h.run();
    // The click put the cursor in the RON text at the finding's line and column, with focus.
    let (line, col) = {
        let mut it = label
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty());
        let mut num = || {
            it.next()
                .and_then(|n| n.parse::<usize>().ok())
                .expect("line:col")
        };
        (num(), num())
    };
    let text = match &h.state().screen {
        Screen::Editor(e) => e.text.clone(),
        _ => unreachable!(),
    };
    let want: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(|l| l.chars().count())
        .sum::<usize>()
        + col
        - 1;
    let at: String = text.chars().skip(want).take(12).collect();
    assert_eq!(at, "\"politiechf\"", "the finding points at the typo");
    let id = egui::Id::unique("paraat-ron-text");
    assert_eq!(
        h.ctx.memory(egui::Memory::focused),
        Some(id),
        "the RON text has focus"
    );
    let cursor = egui::text_edit::TextEditState::load(&h.ctx, id)
        .and_then(|s| s.cursor.char_range())
        .expect("a cursor in the RON text");
    assert_eq!(
        cursor.primary.index,
        egui::text::CharIndex(want),
        "the cursor is at {line}:{col}"
    );
    // Save: atomic, with the previous version kept as .bak.
    h.get_by_label("Save").click();
    h.run();
    assert!(
        std::fs::read_to_string(&file)
            .expect("saved")
            .contains("politiechf")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine.ron.bak")).expect("backup"),
        TEMPLATE
    );
    // Changed on disk with no unsaved edits: reloaded. The new modification time is set
    // explicitly, seconds after the saved one, so that coarse file-system clocks cannot hide it.
    let saved_at = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&file, TEMPLATE).expect("external edit");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(saved_at + std::time::Duration::from_secs(5)))
        .expect("set mtime");
    if let Screen::Editor(e) = &mut h.state_mut().screen {
        assert_eq!(e.reload_if_changed(), Ok(true));
        assert_eq!(e.text, TEMPLATE);
        assert!(e.diagnostics.iter().all(|d| !d.is_error()));
    }
    h.run();
    // Play in one click: the setup screen for this scenario.
    h.get_by_label("▶ Play").click();
    h.run();
    match &h.state().screen {
        Screen::Setup(s) => assert_eq!(s.exercise.scenario.value.id, "new-scenario"),
        _ => panic!("Play did not open the setup"),
    }
}

#[test]
fn the_library_offers_no_resume_for_a_journal_in_use() {
    let dir = tempfile::tempdir().expect("tmp");
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("hostage-town-hall").expect("scenario").clone();
    let path = dir.path().join("busy.jsonl");
    // Another window (here: a session in this process) is writing the journal.
    let mut other =
        paraat::journal::Session::create(&ex, 4, ex.scenario.value.roles.clone(), &path)
            .expect("session");
    other.apply(Command::Start).expect("start");
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_by_label("Unfinished exercises");
    assert!(
        h.query_by_label("Resume").is_none(),
        "a journal in use is not offered for resuming"
    );
    h.get_by_label_contains("in use by process");
    h.get_by_label("Review");
    drop(other);
    // Closed by the other: now it can be resumed.
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_by_label("Resume");
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_journals_does_not_freeze_the_start() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("trap.jsonl");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // Opening the FIFO would wait for a writer forever; the scan must not open it at all.
    let a = app(dir.path(), Lang::En);
    assert!(a.journals.is_empty());
}

#[test]
fn the_editor_never_saves_over_a_journal() {
    use paraat::ui::editor::{EditorView, TEMPLATE};
    let dir = tempfile::tempdir().expect("tmp");
    let journal = played_journal(dir.path());
    let before = std::fs::read(&journal).expect("journal");
    let a = app(dir.path(), Lang::En);
    let plan = std::sync::Arc::clone(&a.library.plans[0]);
    let mut ed = EditorView::new(TEMPLATE.to_owned(), None, plan);
    let err = ed.save_to(&journal).expect_err("refused");
    assert!(err.to_string().contains("journal"), "{err}");
    assert_eq!(std::fs::read(&journal).expect("journal"), before);
    // A scenario file is what the editor saves over.
    let file = dir.path().join("mine.ron");
    ed.save_to(&file).expect("new file");
    ed.save_to(&file).expect("over a scenario");
}

#[test]
fn the_review_refuses_an_edited_journal_and_names_the_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let journal_path = played_journal(dir.path());
    let a = app(dir.path(), Lang::En);
    let view = paraat::ui::review::ReviewView::open(&a.library, &journal_path).expect("opens");
    // Intact, finished, written without a seal key (tests never use the user's key).
    assert!(
        view.warning
            .as_deref()
            .is_some_and(|w| w.contains("NOT SEALED")),
        "{:?}",
        view.warning
    );
    let text = std::fs::read_to_string(&journal_path).expect("journal");
    let mut lines: Vec<&str> = text.lines().collect();
    let edited = lines[6].replace("\"t\":", "\"t\": ");
    lines[6] = &edited;
    std::fs::write(&journal_path, lines.join("\n") + "\n").expect("write");
    let Err(e) = paraat::ui::review::ReviewView::open(&a.library, &journal_path) else {
        panic!("an edited journal opened for review");
    };
    // The next line no longer carries the edited line's hash.
    assert!(
        e.contains("NOT VERIFIED: line 8: the hash chain is broken"),
        "{e}"
    );
}

#[test]
fn the_editor_asks_before_leaving_with_unsaved_changes_and_lists_injects_in_time_order() {
    use paraat::ui::editor::{EditorView, TEMPLATE};
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app(dir.path(), Lang::En);
    let plan = std::sync::Arc::clone(&a.library.plans[0]);
    // A scenario whose file lists a later inject first.
    let file = dir.path().join("mine.ron");
    let template = TEMPLATE.replacen("at_min: Some(0)", "at_min: Some(30)", 1);
    assert!(template.find("i-first-report") < template.find("i-update"));
    std::fs::write(&file, &template).expect("write");
    a.screen = Screen::Editor(Box::new(EditorView::open(&file, plan).expect("opens")));
    let mut h = harness(a);
    h.run();
    // The list shows injects by their minute: gather the labels of the list in screen order.
    let minutes: Vec<u32> = h
        .query_all_by_label_contains(" min  ")
        .filter_map(|n| {
            let l = n.accesskit_node().label().unwrap_or_default().clone();
            l.trim_start().split(' ').next()?.parse().ok()
        })
        .collect();
    assert_eq!(minutes, [20, 30], "in time order, not file order");
    // With unsaved changes, leaving asks first.
    if let Screen::Editor(e) = &mut h.state_mut().screen {
        e.text.push_str("\n// a note");
        e.check();
    }
    h.run();
    h.get_by_label("◀ Library").click();
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Keep editing").click();
    h.run();
    assert!(
        matches!(h.state().screen, Screen::Editor(_)),
        "still editing"
    );
    h.get_by_label("◀ Library").click();
    h.run();
    h.get_by_label("Discard changes").click();
    h.run();
    assert!(
        matches!(h.state().screen, Screen::Library),
        "left after the answer"
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("file"),
        template,
        "nothing saved"
    );
}

/// The console at 1280 × 720 pixels with text scale 2.0, which is a screen of 640 × 360 points
/// (what layout works in; kittest's size is in points): every tab reachable, the MSEL, the centre
/// and the situation picture all on screen.
#[test]
fn the_console_fits_1280_by_720_at_text_scale_two() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app(dir.path(), Lang::En);
    let ex = a
        .library
        .find("station-shooting")
        .expect("scenario")
        .clone();
    let setup = paraat::ui::Setup {
        present: ex
            .scenario
            .value
            .roles
            .iter()
            .map(|r| (r.clone(), true))
            .collect(),
        exercise: ex,
        seed: 1,
        speed: 1,
        team: String::new(),
    };
    a.start(&setup).expect("start");
    let mut h = Harness::builder().with_size([640.0, 360.0]).build_ui_state(
        |ui, app: &mut App| {
            app.logic(ui.ctx());
            app.ui(ui);
        },
        a,
    );
    h.run();
    h.run();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(640.0, 360.0));
    let mut missing = Vec::new();
    for label in [
        "▶ Start",
        "■ End exercise…",
        "Facilitator",
        "Role desks",
        "Projector view",
        "Review",
        "Actions",
        "Observations",
        "Ad-hoc inject",
        "Journal",
        "Scorecard",
        "Situation",
        "Scenario events (MSEL)",
    ] {
        match h.query_by_label(label) {
            Some(node) => {
                let r = node.rect();
                if !(screen.contains_rect(r) && r.width() > 1.0) {
                    missing.push(format!("{label}: {r:?}"));
                }
            }
            None => missing.push(format!("{label}: not shown")),
        }
    }
    assert!(missing.is_empty(), "not wholly on screen: {missing:#?}");
    // On this narrow screen the situation picture is a tab of the centre.
    h.get_by_label("Situation").click();
    h.run();
    let r = h.get_by_label("Situation picture").rect();
    assert!(screen.contains_rect(r), "situation picture at {r:?}");
}

#[test]
fn the_console_opens_a_room_shows_its_code_and_closes_it() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_all_by_label("Set up ▶")
        .next()
        .expect("a card")
        .click();
    h.run();
    h.get_by_label("Open exercise").click();
    h.run();
    // Nothing listens before the room is opened.
    let Screen::Exercise(v) = &mut h.state_mut().screen else {
        panic!("not in an exercise")
    };
    assert!(v.room.is_none());
    v.room_bind = "127.0.0.1:0".to_owned();
    h.get_by_label("Open room").click();
    h.run();
    let (addr, code) = match &h.state().screen {
        Screen::Exercise(v) => {
            let r = v.room.as_ref().expect("room open");
            (r.addr(), r.code().to_owned())
        }
        _ => panic!("not in an exercise"),
    };
    h.get_by_label(&code);
    h.get_by_label(&format!("http://{addr}/"));
    h.get_by_label("Manage seats…");
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    h.get_by_label("Close room").click();
    h.run();
    if let Screen::Exercise(v) = &h.state().screen {
        assert!(v.room.is_none());
    }
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening"
    );
}

/// Steps frames (without waiting for repaints to settle) until `done` holds, for about `secs`
/// seconds at most; returns whether it held.
fn step_until(h: &mut Harness<'_, App>, secs: u64, done: impl Fn(&App) -> bool) -> bool {
    // Counted rather than timed: at least 20 ms a round, so at most `secs` seconds.
    for _ in 0..secs * 50 {
        h.step();
        if done(h.state()) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

fn editor(app: &App) -> &paraat::ui::editor::EditorView {
    match &app.screen {
        Screen::Editor(e) => e,
        _ => panic!("not in the editor"),
    }
}

#[test]
fn the_editor_explores_in_the_background_shows_progress_and_can_stop() {
    use paraat::ui::editor::{EditorView, TEMPLATE};
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app(dir.path(), Lang::En);
    let plan = std::sync::Arc::clone(&a.library.plans[0]);
    // A shipped scenario: far too many states for the exact search to end in a few frames.
    let big = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/01-station-shooting.ron"),
    )
    .expect("scenario");
    a.screen = Screen::Editor(Box::new(EditorView::new(big, None, plan.clone())));
    let mut h = harness(a);
    h.run();
    h.get_by_label("Explore paths").click();
    h.step();
    h.step();
    // The frames come back while it runs: progress and a stop button, no report yet.
    assert!(
        editor(h.state()).exploring.is_some(),
        "runs in the background"
    );
    assert!(editor(h.state()).explore.is_none());
    h.get_by_label_contains("Exploring");
    h.get_by_label("Stop exploring").click();
    assert!(
        step_until(&mut h, 60, |a| editor(a).exploring.is_none()),
        "stops on request"
    );
    let r = editor(h.state())
        .explore
        .as_ref()
        .expect("a partial report");
    assert!(r.cancelled, "says it was stopped");
    h.run();
    h.get_by_label_contains("(stopped, incomplete)");
    // A small scenario is explored to the end, exactly, and the report replaces the progress.
    if let Screen::Editor(e) = &mut h.state_mut().screen {
        **e = EditorView::new(TEMPLATE.into(), None, plan);
    }
    h.run();
    h.get_by_label("Explore paths").click();
    assert!(
        step_until(&mut h, 120, |a| editor(a).explore.is_some()),
        "the report arrives"
    );
    let r = editor(h.state()).explore.as_ref().expect("report");
    assert!(!r.cancelled);
    assert_eq!(r.mode, paraat::explore::Mode::Exact);
    h.run();
    h.get_by_label_contains("(exact)");
    h.get_by_label("Explore paths");
}

/// A plain HTTP/1.1 request to the room; returns the whole response.
fn room_request(addr: std::net::SocketAddr, head: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{head}\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn the_console_lists_the_seats_revokes_one_and_locks_the_room() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(app(dir.path(), Lang::En));
    h.run();
    h.get_all_by_label("Set up ▶")
        .next()
        .expect("a card")
        .click();
    h.run();
    h.get_by_label("Open exercise").click();
    h.run();
    let Screen::Exercise(v) = &mut h.state_mut().screen else {
        panic!("not in an exercise")
    };
    v.room_bind = "127.0.0.1:0".to_owned();
    h.get_by_label("Open room").click();
    h.run();
    let (addr, code, role) = match &h.state().screen {
        Screen::Exercise(v) => {
            let r = v.room.as_ref().expect("room open");
            let role = v.host.view().sim().ctx().scenario.roles[0].clone();
            (r.addr(), r.code().to_owned(), role)
        }
        _ => panic!("not in an exercise"),
    };
    let join = |name: &str, role: &str| {
        let out = room_request(
            addr,
            "POST /join HTTP/1.1",
            &format!("code={code}&name={name}&role={role}"),
        );
        assert!(out.starts_with("HTTP/1.1 303"), "{out}");
        out.lines()
            .find_map(|l| l.strip_prefix("Set-Cookie: "))
            .and_then(|c| c.split(';').next())
            .expect("cookie")
            .to_owned()
    };
    let anna = join("Anna", role.as_str());
    let _bob = join("Bob", "observer");
    h.run();
    h.get_by_label_contains("Seats (2, 0 connected)").click();
    h.run();
    h.get_by_label("Anna");
    h.get_by_label("Bob");
    h.get_by_label("observer");
    // Revoke the first seat (Anna's) from the console.
    let revokes: Vec<_> = h.get_all_by_label("Revoke").collect();
    assert_eq!(revokes.len(), 2);
    revokes[0].click();
    h.run();
    h.run();
    assert!(
        h.query_by_label("Anna").is_none(),
        "Anna's seat still listed"
    );
    h.get_by_label("Bob");
    let desk = room_request(addr, &format!("GET /desk HTTP/1.1\r\nCookie: {anna}"), "");
    assert!(
        desk.starts_with("HTTP/1.1 303"),
        "a revoked seat gets its desk: {desk}"
    );
    // Lock the room: no new seats.
    h.get_by_label("Room locked (no new seats)").click();
    h.run();
    let refused = room_request(
        addr,
        "POST /join HTTP/1.1",
        &format!("code={code}&role=observer"),
    );
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    match &h.state().screen {
        Screen::Exercise(v) => assert!(v.room.as_ref().expect("room").locked()),
        _ => panic!("not in an exercise"),
    }
}

/// The review's "what if": pick a decision the team took, another option, play it; the two
/// scores stand side by side, the what-if is kept beside the journal, and the journal is never
/// changed.
#[test]
fn a_what_if_opens_from_the_review_and_is_kept_beside_the_journal() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&[root.join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    let journal_path = dir.path().join("poor.jsonl");
    let mut s =
        paraat::journal::Session::create(ex, 1, ex.scenario.value.roles.clone(), &journal_path)
            .expect("session");
    let script =
        paraat::play::load_script(&root.join("tests/scripts/01-station-shooting-poor.ron"))
            .expect("script");
    paraat::play::play(&mut s, &paraat::play::Policy::Script(script)).expect("play");
    drop(s);
    let before = std::fs::read(&journal_path).expect("journal");
    let mut a = app(dir.path(), Lang::En);
    let view = paraat::ui::review::ReviewView::open(&a.library, &journal_path).expect("opens");
    a.screen = Screen::Review(Box::new(view));
    let mut h = harness(a);
    h.run();
    h.get_by_label("What if?").click();
    h.run();
    h.get_by_label("Decision").click();
    h.run();
    // The list scrolls: bring the decision into view, then pick it.
    h.get_by_label_contains("What comes first: the families or the figures?")
        .scroll_to_me();
    h.run();
    h.get_by_label_contains("What comes first: the families or the figures?")
        .click();
    h.run();
    // The team's own option is marked; the good team's is another.
    h.get_by_label_contains("(as the team chose)");
    h.get_by_label_contains("Family liaison officers first inform")
        .click();
    h.run();
    h.get_by_label("Play what if").click();
    h.run();
    // Side by side: the hand-checked six points more (see the whatif module's tests), the
    // procedure that changes, the inject that no longer comes.
    h.get_by_label("14 % (15.0 / 107.0 points)");
    h.get_by_label("20 % (21.0 / 107.0 points)");
    h.get_by_label("20 % (+6.0)");
    h.get_by_label_contains("Injects that no longer come: T+2:20:00");
    h.get_by_label_contains("First difference at T+2:05:00");
    let kept = paraat::whatif::load_kept(&journal_path);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].decision.as_str(), kept[0].choice.as_str()),
        ("d-families", "families-eerst")
    );
    assert_eq!(
        std::fs::read(&journal_path).expect("journal"),
        before,
        "the journal is never changed"
    );
    // Opened again, the review lists the kept what-if.
    let again =
        paraat::ui::review::ReviewView::open(&h.state().library, &journal_path).expect("opens");
    assert_eq!(again.state.whatif.kept, kept);
    // The hot wash's "What if…" (an app command) opens the tab on its decision.
    h.state_mut()
        .execute(paraat::ui::AppCommand::WhatIf("d-sgbo".into()));
    h.run();
    match &h.state().screen {
        Screen::Review(rv) => {
            assert_eq!(rv.state.tab, paraat::ui::review::ReviewTab::WhatIf);
            assert_eq!(
                rv.state
                    .whatif
                    .decision
                    .as_ref()
                    .map(paraat::model::DecisionId::as_str),
                Some("d-sgbo")
            );
        }
        _ => panic!("still the review"),
    }
}

// ---------------------------------------------------------------------------------------------
// The editor's forms for format 2
// ---------------------------------------------------------------------------------------------

/// The template as a version-1 file (no `format: 2`), opened in the editor from `dir`.
fn editor_on_v1_template(dir: &std::path::Path) -> (Harness<'static, App>, PathBuf) {
    use paraat::ui::editor::{EditorView, TEMPLATE};
    let mut a = app(dir, Lang::En);
    let plan = std::sync::Arc::clone(&a.library.plans[0]);
    let file = dir.join("mine.ron");
    let v1 = TEMPLATE.replacen("    format: 2,\n", "", 1);
    assert_ne!(v1, TEMPLATE, "the template says format 2");
    std::fs::write(&file, &v1).expect("write");
    a.screen = Screen::Editor(Box::new(EditorView::open(&file, plan).expect("opens")));
    let mut h = harness(a);
    h.run();
    h.get_by_label_contains("0 errors");
    (h, file)
}

/// The file as saved: parsed and validated against the library's plan, without errors.
fn saved_scenario(h: &Harness<'_, App>, file: &std::path::Path) -> paraat::model::Scenario {
    use paraat::model::{load, validate};
    let plan = &h.state().library.plans[0].value;
    let text = std::fs::read_to_string(file).expect("saved");
    let s = load::parse_scenario(file, text).expect("the saved file parses");
    let ids = std::iter::once(plan.id.as_str()).collect();
    let errors: Vec<String> = validate::validate_scenario(&s, Some(plan), &ids)
        .into_iter()
        .filter(paraat::model::diag::Diagnostic::is_error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "the saved file validates: {errors:#?}");
    s.value
}

/// Clicks the `n`-th widget labelled `label`, scrolled into view first (the forms are taller
/// than the window).
fn press_nth(h: &mut Harness<'static, App>, label: &str, n: usize) {
    h.query_all_by_label(label)
        .nth(n)
        .unwrap_or_else(|| panic!("{label} #{n}"))
        .scroll_to_me();
    h.run();
    h.query_all_by_label(label)
        .nth(n)
        .unwrap_or_else(|| panic!("{label} #{n}"))
        .click();
    h.run();
}

fn press(h: &mut Harness<'static, App>, label: &str) {
    press_nth(h, label, 0);
}

fn save(h: &mut Harness<'_, App>) {
    h.get_by_label("Save").click();
    h.run();
    assert!(!editor(h.state()).dirty(), "saved");
}

/// Opens the inject `id` in the form and its first decision.
fn open_first_decision(h: &mut Harness<'static, App>, inject: &str, decision_header: &str) {
    h.get_by_label_contains(&format!("({inject})")).click();
    h.run();
    press(h, decision_header);
}

#[test]
fn the_editor_adds_a_local_role_and_makes_it_decide() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    press(&mut h, "Own roles (0)");
    press(&mut h, "+ Own role");
    // Give it a name of its own; the id stays what the form proposed.
    h.get_by_label("Name EN").focus();
    h.get_by_label("Name EN").type_text(" (rail)");
    h.run();
    // The version-1 file was moved to format 2, and the author is told.
    h.get_by_label_contains("so the editor set `format: 2`");
    open_first_decision(&mut h, "i-first-report", "d-first — What do you do?");
    h.get_by_role_and_label(Role::ComboBox, "Role")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Role").click();
    h.run();
    // The option in the list that opened (the recipients' checkboxes have the name too).
    h.get_by_role_and_label(Role::Button, "New role (rail)")
        .click();
    h.run();
    save(&mut h);
    let s = saved_scenario(&h, &file);
    assert_eq!(s.format, 2);
    assert_eq!(s.local_roles.len(), 1);
    let role = &s.local_roles[0];
    assert_eq!(role.name.en, "New role (rail)");
    assert!(s.roles.contains(&role.id), "a new role is in play");
    let (_, d) = s.decisions().next().expect("decision");
    assert_eq!(d.role, role.id, "the decision is the local role's");
}

#[test]
fn the_editor_adds_a_chance_with_a_nested_set_to_a_choice() {
    use paraat::model::{Effect, Value};
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    open_first_decision(&mut h, "i-first-report", "d-first — What do you do?");
    // The first choice's effects.
    press(&mut h, "Effects (0)");
    // The inject's own "+ Effect" comes first; the choice's is the second.
    press_nth(&mut h, "+ Effect", 1);
    h.get_by_label("Chance … then … else (Chance)").click();
    h.run();
    h.get_by_label("chance (%)").set_value_accesskit(30.0);
    h.run();
    // The chance's "then" list has its own "+ Effect", after the inject's.
    press_nth(&mut h, "+ Effect", 1);
    h.get_by_label("Set a variable (Set)").click();
    h.run();
    save(&mut h);
    let s = saved_scenario(&h, &file);
    assert_eq!(s.format, 2);
    let (_, d) = s.decisions().next().expect("decision");
    let choice = &d.options[0];
    assert_eq!(choice.id.as_str(), "act");
    let [Effect::Chance(p, then, otherwise)] = choice.effects.as_slice() else {
        panic!("one Chance effect: {:?}", choice.effects);
    };
    assert!((p - 0.3).abs() < 1e-9, "30 % is p = 0.3: {p}");
    assert!(otherwise.is_empty());
    let [Effect::Set(var, value)] = then.as_slice() else {
        panic!("one nested Set: {then:?}");
    };
    let plan = &h.state().library.plans[0].value;
    let declared = plan
        .vars
        .iter()
        .find(|v| v.id == *var)
        .expect("a plan variable");
    assert_eq!(
        value.kind(),
        declared.init.kind(),
        "the value has the variable's type"
    );
    assert!(matches!(value, Value::Int(_) | Value::Bool(_)));
    // The other choice is untouched.
    assert!(d.options[1].effects.is_empty());
}

#[test]
fn the_editor_fixes_the_order_of_a_decision() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    open_first_decision(&mut h, "i-first-report", "d-first — What do you do?");
    press(&mut h, "Fixed order of the choices (fixed_order)");
    h.get_by_label_contains("so the editor set `format: 2`");
    save(&mut h);
    let s = saved_scenario(&h, &file);
    assert_eq!(s.format, 2, "fixed_order needs format 2");
    let (_, d) = s.decisions().next().expect("decision");
    assert!(d.fixed_order);
}

#[test]
fn the_editor_gives_an_inject_a_time_condition() {
    use egui::accesskit::Role;
    use paraat::model::Cond;
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    h.get_by_label_contains("(i-update)").click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Condition")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Condition").click();
    h.run();
    h.get_by_label("From minute (After)").click();
    h.run();
    h.get_by_label("from minute").set_value_accesskit(95.0);
    h.run();
    save(&mut h);
    let s = saved_scenario(&h, &file);
    assert_eq!(s.format, 2, "a time condition needs format 2");
    let inj = s.inject("i-update").expect("inject");
    assert_eq!(inj.when, Some(Cond::After(95)));
    // The other inject is untouched.
    assert_eq!(s.inject("i-first-report").expect("inject").when, None);
}

/// The flower-parade ramming (local roles, actions and procedures, an attachment, `Clear`,
/// `partly`) through the forms: one version-2 field changed, saved, read back — the same
/// scenario but for that field, it validates (its attachment included), and the author's 50-odd
/// lines of comments are all still there.
#[test]
fn a_form_edit_of_the_ramming_keeps_everything_else() {
    use paraat::model::load;
    use paraat::ui::editor::EditorView;
    let dir = tempfile::tempdir().expect("tmp");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let file = dir.path().join("02-event-ramming.ron");
    std::fs::copy(root.join("02-event-ramming.ron"), &file).expect("copy");
    std::fs::create_dir(dir.path().join("bijlagen")).expect("folder");
    std::fs::copy(
        root.join("bijlagen/02-lingecorso-video.jpg"),
        dir.path().join("bijlagen/02-lingecorso-video.jpg"),
    )
    .expect("copy attachment");
    let before = load::parse_scenario(&file, std::fs::read_to_string(&file).expect("read"))
        .expect("parses")
        .value;
    assert!(before.simulated.is_empty());
    assert!(!before.local_procedures.is_empty());
    assert!(before.injects.iter().any(|i| !i.attachments.is_empty()));
    let mut a = app(dir.path(), Lang::En);
    let plan = std::sync::Arc::clone(&a.library.plans[0]);
    a.screen = Screen::Editor(Box::new(EditorView::open(&file, plan).expect("opens")));
    let mut h = harness(a);
    h.run();
    h.get_by_label_contains("0 errors");
    // The organisers become a role that exercise control plays.
    press(&mut h, "Own roles (1)");
    press(&mut h, "played by exercise control (simulated)");
    save(&mut h);
    let after = saved_scenario(&h, &file);
    let mut want = before.clone();
    want.simulated = vec!["corso_organisator".into()];
    assert_eq!(after, want, "only `simulated` changed");
    // The author's comments and layout are kept: the file is the original plus the new field.
    let original = std::fs::read_to_string(root.join("02-event-ramming.ron")).expect("read");
    let saved = std::fs::read_to_string(&file).expect("read");
    let comments = |t: &str| -> Vec<String> {
        t.lines()
            .map(str::trim)
            .filter(|l| l.starts_with("//"))
            .map(str::to_owned)
            .collect()
    };
    assert!(
        comments(&original).len() > 40,
        "the ramming explains itself"
    );
    assert_eq!(comments(&saved), comments(&original), "every comment kept");
    // Three lines more (`simulated: [`, the role, `],`); every line of the original is there,
    // in order.
    assert_eq!(saved.lines().count(), original.lines().count() + 3);
    let mut rest = saved.lines();
    for line in original.lines() {
        assert!(
            rest.any(|l| l == line),
            "the original's line {line:?} is kept, in order"
        );
    }
    assert!(saved.contains("    simulated: [\n        \"corso_organisator\",\n    ],\n"));
    // Opened again, the editor shows it with no error.
    let plan = std::sync::Arc::clone(&h.state().library.plans[0]);
    let again = EditorView::open(&file, plan).expect("opens");
    assert!(
        again.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        again.diagnostics
    );
    assert_eq!(again.parsed.as_ref(), Some(&want));
}

/// An attachment added in the form: its path typed relative to the scenario's folder, the
/// validator's finding under the field until the file is there, then saved and read back.
#[test]
fn the_editor_attaches_a_file_and_shows_the_finding_beside_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    h.get_by_label_contains("(i-update)").click();
    h.run();
    press(&mut h, "Attachments (0)");
    press(&mut h, "+ Attachment");
    h.get_by_label("File (relative path)").focus();
    h.get_by_label("File (relative path)")
        .type_text("kaart.png");
    h.run();
    // Not there yet: the finding is beside the field (and in the list under the text).
    assert!(
        h.query_all_by_label_contains("bijlagen/kaart.png").count() >= 2,
        "the finding names the file beside the field and in the list"
    );
    std::fs::create_dir(dir.path().join("bijlagen")).expect("folder");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/broken/files/photo.png"),
        dir.path().join("bijlagen/kaart.png"),
    )
    .expect("copy");
    // Any edit checks again; the caption is one.
    h.get_by_label("Caption EN").focus();
    h.get_by_label("Caption EN").type_text(" A map.");
    h.run();
    assert_eq!(
        h.query_all_by_label_contains("bijlagen/kaart.png").count(),
        0,
        "no finding once the file is there"
    );
    save(&mut h);
    let s = saved_scenario(&h, &file);
    assert_eq!(s.format, 2, "attachments need format 2");
    let inj = s.inject("i-update").expect("inject");
    assert_eq!(inj.attachments.len(), 1);
    assert_eq!(inj.attachments[0].file, "bijlagen/kaart.png");
    assert!(inj.attachments[0].caption.en.ends_with("A map."));
}

/// A procedure of the scenario's own, added in the form: checked as the plan's are (an empty
/// citation is named beside its form) and saved once it has a source.
#[test]
fn the_editor_adds_an_own_procedure_checked_as_the_plans_are() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    press(&mut h, "Own procedures (0)");
    press(&mut h, "+ Own procedure");
    press(&mut h, "LP-nieuw-1 — New procedure");
    // The finding is beside the procedure's form and in the list under the text.
    assert_eq!(
        h.query_all_by_label_contains("citation is empty").count(),
        2,
        "beside the form and in the list"
    );
    h.get_by_label("Source (citation)").focus();
    h.get_by_label("Source (citation)")
        .type_text("Convenant buurgemeenten 2026, art. 3 (fictief)");
    h.run();
    assert_eq!(
        h.query_all_by_label_contains("citation is empty").count(),
        0
    );
    save(&mut h);
    let s = saved_scenario(&h, &file);
    assert_eq!(s.format, 2, "own procedures need format 2");
    let [p] = s.local_procedures.as_slice() else {
        panic!("one own procedure: {:?}", s.local_procedures);
    };
    assert_eq!(p.id.as_str(), "LP-nieuw-1");
    assert_eq!(p.source.kind, paraat::model::SourceKind::Local);
    assert!(p.source.cite.starts_with("Convenant"));
}

/// "Move to format 2", then an `If` on an inject's effects with a time condition inside it and
/// a nested `Raise`: the condition editor works inside the effect editor.
#[test]
fn the_editor_moves_to_format_2_and_nests_a_condition_in_an_if() {
    use paraat::model::{Cond, Effect};
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, file) = editor_on_v1_template(dir.path());
    h.get_by_label("Format version: 1");
    press(&mut h, "Move to format 2");
    h.get_by_label("Format version: 2");
    assert!(
        editor(h.state()).text.contains("format: 2,"),
        "the file says so"
    );
    h.get_by_label_contains("(i-first-report)").click();
    h.run();
    press(&mut h, "+ Effect");
    h.get_by_label("If … then … else (If)").click();
    h.run();
    h.get_by_label("from minute").set_value_accesskit(20.0);
    h.run();
    // The If's "then" list comes first, then its "else", then the inject's own list.
    press_nth(&mut h, "+ Effect", 0);
    h.get_by_label("Raise to at least (Raise)").click();
    h.run();
    save(&mut h);
    let s = saved_scenario(&h, &file);
    let inj = s.inject("i-first-report").expect("inject");
    let [Effect::Signal(sig), Effect::If(cond, then, otherwise)] = inj.effects.as_slice() else {
        panic!("the signal, then the If: {:?}", inj.effects);
    };
    assert_eq!(sig.as_str(), "attack");
    assert_eq!(*cond, Cond::After(20));
    assert!(matches!(then.as_slice(), [Effect::Raise(_, 1)]), "{then:?}");
    assert!(otherwise.is_empty());
}

/// While the text does not read as a scenario, the forms wait: a form edit would otherwise
/// write the last good version over what the author is typing.
#[test]
fn the_forms_wait_while_the_text_does_not_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, _file) = editor_on_v1_template(dir.path());
    h.get_by_label("+ Inject");
    let typing = {
        let Screen::Editor(e) = &mut h.state_mut().screen else {
            unreachable!()
        };
        e.text = e.text.replacen(
            "duration_min: 120,",
            "duration_min: 120,\n    // a note\n    roles: [",
            1,
        );
        e.check();
        e.text.clone()
    };
    h.run();
    assert!(h.query_by_label("+ Inject").is_none(), "no forms to click");
    h.get_by_label("The text is not a valid scenario yet; fix the error below first.");
    assert_eq!(
        editor(h.state()).text,
        typing,
        "the author's text is untouched"
    );
}
