//! CPU time of one frame of the facilitator console, a role desk and the review journal table,
//! headless (no GPU), with a 1,000-inject scenario and a journal of 10,000 entries:
//! `cargo bench --bench gui`. Prints p50/p99/max; nothing is asserted.
#![allow(clippy::disallowed_methods)] // Benchmarks time things: they read the clock.

use std::time::{Duration, Instant};

use paraat::library::Library;
use paraat::model::Lang;
use paraat::ui::{App, Prefs, Screen};

mod common;

fn frames(app: &mut App, n: usize) -> Vec<Duration> {
    let ctx = egui::Context::default();
    paraat::ui::install_fonts(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        ..Default::default()
    };
    // Warm up: fonts, layout caches.
    for _ in 0..5 {
        let _ = ctx.run_ui(input(), |ui| app.ui(ui));
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t0 = Instant::now();
        let out = ctx.run_ui(input(), |ui| app.ui(ui));
        // Tessellation is part of a frame's CPU cost too.
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
        times.push(t0.elapsed());
    }
    times.sort();
    times
}

fn report(name: &str, t: &[Duration]) {
    let p = |q: f64| t[((t.len() as f64 - 1.0) * q) as usize];
    println!(
        "{name}: p50 {:?}, p99 {:?}, max {:?} over {} frames",
        p(0.5),
        p(0.99),
        t[t.len() - 1],
        t.len()
    );
}

fn main() {
    let (_ex, dir, session) = common::big_session(10_000);
    println!(
        "journal: {} entries, scenario: 1,000 injects",
        session.entries().len()
    );
    let mut app = App::new(
        Library::default(),
        Prefs {
            lang: Lang::Nl,
            ..Prefs::default()
        },
        dir.path().to_owned(),
    );
    let view = paraat::ui::ExerciseView::new(session);
    let _ = view.host.submit(
        &paraat::host::Source::Console,
        paraat::engine::Command::Pause,
    );
    app.screen = Screen::Exercise(Box::new(view));
    report("facilitator console (actions tab)", &frames(&mut app, 300));
    if let Screen::Exercise(v) = &mut app.screen {
        v.forms.console_tab = paraat::ui::exercise::ConsoleTab::Journal;
    }
    report("facilitator console (journal feed)", &frames(&mut app, 300));
    if let Screen::Exercise(v) = &mut app.screen {
        v.tab = paraat::ui::Tab::Desks;
    }
    report("role desk", &frames(&mut app, 300));
    if let Screen::Exercise(v) = &mut app.screen {
        v.tab = paraat::ui::Tab::Projector;
    }
    report("projector", &frames(&mut app, 300));
    if let Screen::Exercise(v) = &mut app.screen {
        v.tab = paraat::ui::Tab::Review;
        v.review.tab = paraat::ui::review::ReviewTab::Journal;
    }
    report("review: journal table", &frames(&mut app, 300));
    if let Screen::Exercise(v) = &mut app.screen {
        v.review.tab = paraat::ui::review::ReviewTab::Timeline;
    }
    report("review: timeline", &frames(&mut app, 100));
}
