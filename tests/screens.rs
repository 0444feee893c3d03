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
    snapshot_after(name, sizes, make, |_, _| {});
}

/// As [`snapshot_at`], with `prepare` clicking through the screen before the picture is taken.
fn snapshot_after(
    name: &str,
    sizes: &[(f32, f32)],
    make: impl Fn(&std::path::Path, Lang) -> App,
    prepare: impl Fn(&mut Harness<'_, App>, Lang),
) {
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
            prepare(&mut harness, lang);
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

/// The editor's format-2 forms on the flower-parade ramming (its own role decides; an
/// attachment beside the file), with a time condition, a fixed order and a chance with a nested
/// `Set` and `Clear` added to the text: the decision of the parade organisers open, scrolled to
/// the chance in its second choice.
#[test]
fn editor_format_2_screen() {
    use egui_kittest::kittest::Queryable;
    snapshot_after(
        "editor-v2",
        &SIZES[1..],
        |d, l| {
            let mut a = app(d, l);
            let plan = std::sync::Arc::clone(&a.library.plans[0]);
            // A path relative to the crate (tests run there), so that the attachment is found
            // and the title bar shows no machine's folder.
            let path = PathBuf::from("scenarios/02-event-ramming.ron");
            let text = std::fs::read_to_string(&path)
                .expect("scenario")
                .replacen(
                    "            expect: [\"stop_parade\"],\n",
                    "            when: Some(Any([After(1), ReleasedWithin(\"i-112-ramming\", 5)])),\n            expect: [\"stop_parade\"],\n",
                    1,
                )
                .replacen(
                    "                    default: Some(\"wait-police\"),\n",
                    "                    default: Some(\"wait-police\"),\n                    fixed_order: true,\n",
                    1,
                )
                .replacen(
                    "                            effects: [Add(\"media_pressure\", 1)],\n                            debrief: Some((\n                                nl: \"Doorrijden",
                    "                            effects: [Add(\"media_pressure\", 1), Chance(0.3, [Set(\"injured\", Int(12))], [Clear(\"rumours\")])],\n                            debrief: Some((\n                                nl: \"Doorrijden",
                    1,
                );
            let mut ed = paraat::ui::editor::EditorView::new(text, Some(path), plan);
            assert!(
                ed.diagnostics.iter().all(|d| !d.is_error()),
                "{:#?}",
                ed.diagnostics
            );
            let scenario = ed.parsed.as_ref().expect("parses");
            let inject = scenario.inject("i-corso-post").expect("inject");
            assert!(inject.when.is_some(), "the time condition was added");
            assert!(inject.decisions[0].fixed_order, "the fixed order was added");
            assert_eq!(
                inject.decisions[0].options[1].effects.len(),
                2,
                "the chance was added"
            );
            ed.selected = scenario
                .injects
                .iter()
                .position(|i| i.id.as_str() == "i-corso-post");
            a.screen = Screen::Editor(Box::new(ed));
            a
        },
        |h, lang| {
            let nl = lang == Lang::Nl;
            let header = if nl {
                "d-corso-stop — Wat doet de evenementenpost nu?"
            } else {
                "d-corso-stop — What does the event post do now?"
            };
            let effects = if nl { "Effecten (2)" } else { "Effects (2)" };
            let chance = if nl { "kans (%)" } else { "chance (%)" };
            h.get_by_label(header).scroll_to_me();
            h.run();
            h.get_by_label(header).click();
            h.run();
            h.get_by_label(effects).scroll_to_me();
            h.run();
            h.get_by_label(effects).click();
            h.run();
            h.get_by_label(chance).scroll_to_me();
            h.run();
            // Back up to the decision's own format-2 fields: the view runs from there to the
            // chance.
            let fixed = if nl {
                "Vaste volgorde van de keuzes (fixed_order)"
            } else {
                "Fixed order of the choices (fixed_order)"
            };
            h.get_by_label(fixed).scroll_to_me();
            h.run();
        },
    );
}

/// The editor on the flower-parade ramming at 1280 × 720: the inject with its attachment open,
/// the picture small under its path and caption.
#[test]
fn editor_attachment_screen() {
    snapshot_after(
        "editor-v2-attachment",
        &SIZES[..1],
        |d, l| {
            let mut a = app(d, l);
            let plan = std::sync::Arc::clone(&a.library.plans[0]);
            let path = PathBuf::from("scenarios/02-event-ramming.ron");
            let mut ed = paraat::ui::editor::EditorView::open(&path, plan).expect("opens");
            ed.selected = ed.parsed.as_ref().and_then(|s| {
                s.injects
                    .iter()
                    .position(|i| i.id.as_str() == "i-social-videos")
            });
            a.screen = Screen::Editor(Box::new(ed));
            a
        },
        |h, lang| {
            use egui_kittest::kittest::Queryable;
            let nl = lang == Lang::Nl;
            let attachments = if nl {
                "Bijlagen (1)"
            } else {
                "Attachments (1)"
            };
            h.get_by_label(attachments).scroll_to_me();
            h.run();
            h.get_by_label(attachments).click();
            h.run();
            let caption = if nl { "Onderschrift EN" } else { "Caption EN" };
            h.get_by_label(caption).scroll_to_me();
            h.run();
            // The picture is decoded on a background thread: wait until it has its size.
            for _ in 0..250 {
                let shown = h
                    .query_all_by_role(egui::accesskit::Role::Image)
                    .any(|n| n.rect().height() > 1.0);
                if shown {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
                h.run();
            }
        },
    );
}

/// The station shooting (seed 1) played by `script` for `team`, written into `dir`.
fn played_journal(
    dir: &std::path::Path,
    lib: &Library,
    name: &str,
    team: Option<&str>,
    script: &str,
) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ex = lib.find("station-shooting").expect("scenario");
    let path = dir.join(name);
    let mut s = paraat::journal::Session::create_for_team(
        ex,
        1,
        ex.scenario.value.roles.clone(),
        team,
        &path,
    )
    .expect("session");
    let script =
        paraat::play::load_script(&root.join("tests/scripts").join(script)).expect("script");
    paraat::play::play(&mut s, &paraat::play::Policy::Script(script)).expect("play");
    path
}

#[test]
fn what_if_screen() {
    snapshot("what-if", |d, l| {
        let mut a = app(d, l);
        let j = played_journal(
            d,
            &a.library,
            "poor.jsonl",
            None,
            "01-station-shooting-poor.ron",
        );
        let mut view = paraat::ui::review::ReviewView::open(&a.library, &j).expect("opens");
        // The kept what-if is played when the tab is first drawn.
        paraat::whatif::save_kept(
            &j,
            &[paraat::whatif::Spec {
                decision: "d-families".into(),
                choice: "families-eerst".into(),
                then: paraat::whatif::ThenSpec::Default,
            }],
        )
        .expect("keep");
        view.state.whatif = paraat::ui::review::whatif::WhatIfState::new(&j);
        view.state.whatif.selected = Some(0);
        view.state.tab = paraat::ui::review::ReviewTab::WhatIf;
        // No path or wall time on screen.
        view.warning = None;
        view.path = PathBuf::from("poor.jsonl");
        a.screen = Screen::Review(Box::new(view));
        a
    });
}

#[test]
fn compare_screen() {
    snapshot("compare", |d, l| {
        let mut a = app(d, l);
        let paths = vec![
            played_journal(
                d,
                &a.library,
                "a.jsonl",
                Some("Regio Noord"),
                "01-station-shooting-poor.ron",
            ),
            played_journal(
                d,
                &a.library,
                "b.jsonl",
                Some("Regio Zuid"),
                "01-station-shooting-poor.ron",
            ),
            played_journal(
                d,
                &a.library,
                "c.jsonl",
                Some("Regio Noord"),
                "01-station-shooting-good.ron",
            ),
        ];
        let mut view =
            paraat::ui::compare::CompareView::open(&a.library, &paths, false).expect("compares");
        // Fixed dates instead of the wall clock, so the image is stable (in the order the
        // journals were written, which is the order the view lists them).
        let dates = [
            "2026-03-02T10:00:00+01:00",
            "2026-05-11T10:00:00+02:00",
            "2026-09-14T10:00:00+02:00",
        ];
        for g in &mut view.comparison.groups {
            for (j, d) in g.journals.iter_mut().zip(dates) {
                j.wall_start = d.to_owned();
            }
            for t in &mut g.trend {
                let team = t.team.clone();
                t.points = g
                    .journals
                    .iter()
                    .filter(|j| j.team == team)
                    .map(|j| (j.wall_start.clone(), j.total.share().unwrap_or(0.0)))
                    .collect();
            }
        }
        a.screen = Screen::Compare(Box::new(view));
        a
    });
}
