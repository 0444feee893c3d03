//! Image snapshots of every screen — library, facilitator console, role desk, projector, hot
//! wash, review and editor — at 1280 × 720 (a common projector) and 1920 × 1080, in Dutch and
//! English, rendered by wgpu on Mesa's software Vulkan (lavapipe; `.ci/run` installs it).
//!
//! The committed images under `tests/snapshots/screen-*.png` were looked at; after a deliberate
//! change to a screen run `UPDATE_SNAPSHOTS=1 cargo test --test screens` and look at every
//! changed image before committing it. Everything on these screens is deterministic: a fixed
//! seed, simulated time only, no paths or wall-clock times.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use egui_kittest::Harness;
use paraat::engine::Command;
use paraat::host::Source;
use paraat::library::Library;
use paraat::model::Lang;
use paraat::ui::{App, Prefs, Screen, Setup, Tab};

const SIZES: [(f32, f32); 2] = [(1280.0, 720.0), (1920.0, 1080.0)];

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

/// An exercise of the station shooting, 25 simulated minutes in, a decision taken and an action
/// recorded, on `tab`.
fn exercise(dir: &std::path::Path, lang: Lang, tab: Tab) -> App {
    let mut a = app(dir, lang);
    let ex = a
        .library
        .find("station-shooting")
        .expect("scenario")
        .clone();
    let setup = Setup {
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
    if let Screen::Exercise(v) = &mut a.screen {
        let console = Source::Console;
        for c in [
            Command::Start,
            Command::AdvanceTo { t: 20 * 60 },
            Command::Decide {
                role: "ovj".into(),
                decision: "d-tgo".into(),
                choice: "tgo-en-at".into(),
                rationale: "Motief onduidelijk: TGO nu.".into(),
            },
            Command::TakeAction {
                role: "burgemeester".into(),
                action: "convene_triangle".into(),
                note: String::new(),
            },
            Command::AdvanceTo { t: 25 * 60 },
            Command::Pause,
        ] {
            v.host.submit(&console, c).expect("command");
        }
        v.tab = tab;
        v.forms.desks.role = Some("ovj".into());
        if tab == Tab::HotWash {
            v.host.submit(&console, Command::End).expect("end");
        }
    }
    a
}

fn snapshot(name: &str, make: impl Fn(&std::path::Path, Lang) -> App) {
    snapshot_at(name, &SIZES, make);
}

fn snapshot_at(name: &str, sizes: &[(f32, f32)], make: impl Fn(&std::path::Path, Lang) -> App) {
    let mut results = egui_kittest::SnapshotResults::new();
    for lang in [Lang::Nl, Lang::En] {
        for &(w, h) in sizes {
            let dir = tempfile::tempdir().expect("tmp");
            let mut harness = Harness::builder().with_size([w, h]).wgpu().build_ui_state(
                |ui, app: &mut App| {
                    app.logic(ui.ctx());
                    app.ui(ui);
                },
                make(dir.path(), lang),
            );
            harness.run_steps(4);
            harness.snapshot(format!(
                "screen-{name}-{w}x{h}-{}",
                match lang {
                    Lang::Nl => "nl",
                    Lang::En => "en",
                }
            ));
            results.extend_harness(&mut harness);
        }
    }
    // Fails the test, naming every screen whose image differs (with a diff image beside it).
    results.unwrap();
}

/// The flower-parade ramming three simulated minutes in: the social-media message with its
/// attached video still has come in, on `tab` (the desk of communication).
fn ramming(dir: &std::path::Path, lang: Lang, tab: Tab) -> App {
    let mut a = app(dir, lang);
    let ex = a.library.find("event-ramming").expect("scenario").clone();
    let setup = Setup {
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
    if let Screen::Exercise(v) = &mut a.screen {
        let console = Source::Console;
        for c in [
            Command::Start,
            Command::AdvanceTo { t: 3 * 60 },
            Command::Pause,
        ] {
            v.host.submit(&console, c).expect("command");
        }
        v.tab = tab;
        v.forms.desks.role = Some("communicatie".into());
    }
    a
}

#[test]
fn desk_with_an_attachment_screen() {
    snapshot_at("desk-attachment", &SIZES[..1], |d, l| {
        ramming(d, l, Tab::Desks)
    });
}

#[test]
fn projector_with_an_attachment_screen() {
    snapshot_at("projector-attachment", &SIZES[..1], |d, l| {
        ramming(d, l, Tab::Projector)
    });
}

#[test]
fn library_screen() {
    snapshot("library", app);
}

#[test]
fn console_screen() {
    snapshot("console", |d, l| exercise(d, l, Tab::Console));
}

#[test]
fn desk_screen() {
    snapshot("desk", |d, l| exercise(d, l, Tab::Desks));
}

#[test]
fn projector_screen() {
    snapshot("projector", |d, l| exercise(d, l, Tab::Projector));
}

#[test]
fn hot_wash_screen() {
    snapshot("hot-wash", |d, l| exercise(d, l, Tab::HotWash));
}

#[test]
fn review_screen() {
    snapshot("review", |d, l| exercise(d, l, Tab::Review));
}

#[test]
fn editor_screen() {
    snapshot("editor", |d, l| {
        let mut a = app(d, l);
        let plan = std::sync::Arc::clone(&a.library.plans[0]);
        a.screen = Screen::Editor(Box::new(paraat::ui::editor::EditorView::new(
            paraat::ui::editor::TEMPLATE.to_owned(),
            None,
            plan,
        )));
        a
    });
}
