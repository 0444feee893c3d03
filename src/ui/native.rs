//! The desktop platform around the app: the eframe wrapper (preferences persisted, wall time
//! read here and passed in), start-up, the fonts the app ships, and opening files with the
//! desktop's own program.

use std::path::{Path, PathBuf};

use super::{App, Prefs};
use crate::library::Library;

/// Adds the `DejaVu` Sans font (shipped in `assets/fonts`) behind egui's own fonts, so that symbols such as
/// ▶ ◀ ✔ ≥ × − render everywhere instead of as empty boxes.
pub fn install_fonts(ctx: &egui::Context) {
    for (name, bytes, family) in [
        (
            "dejavu-sans",
            crate::report::pdf::DEJAVU_SANS,
            egui::FontFamily::Proportional,
        ),
        (
            "dejavu-sans-mono",
            &include_bytes!("../../assets/fonts/DejaVuSansMono.ttf")[..],
            egui::FontFamily::Monospace,
        ),
    ] {
        ctx.add_font(egui::FontInsert::new(
            name,
            egui::FontData::from_static(bytes),
            vec![egui::epaint::text::InsertFontFamily {
                family,
                priority: egui::FontPriority::Lowest,
            }],
        ));
    }
}

/// Opens a file or folder with the desktop's program for it.
#[allow(clippy::disallowed_methods)]
pub(super) fn open_with_system(path: &Path) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// The eframe wrapper: preferences persisted, wall time read here and nowhere in the core.
struct NativeApp {
    app: App,
    /// For measuring start-up: when the process began, and whether to close after the first
    /// frame (`PARAAT_EXIT_AFTER_FIRST_FRAME=1`).
    started: std::time::Instant,
    exit_after_first_frame: bool,
}

impl eframe::App for NativeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.app.logic(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.ui(ui);
        if self.exit_after_first_frame {
            eprintln!("first frame drawn {:?} after start", self.started.elapsed());
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            self.exit_after_first_frame = false;
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, "paraat-prefs", &self.app.prefs);
    }
}

/// Opens the desktop app on the built-in library.
#[allow(clippy::disallowed_methods)] // The front end may read the clock: start-up timing.
pub fn run() -> eframe::Result {
    let started = std::time::Instant::now();
    let exit_after_first_frame = std::env::var_os("PARAAT_EXIT_AFTER_FIRST_FRAME").is_some();
    let library = Library::load(&[crate::model::load::builtin_dir()]);
    // Journals written here are sealed with this installation's key when the exercise ends.
    if let Err(e) = crate::journal::seal::use_installation_key() {
        eprintln!("warning: journals will not be sealed: {e}");
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Paraat")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Paraat",
        options,
        Box::new(move |cc| {
            let prefs = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, "paraat-prefs"))
                .unwrap_or_default();
            let mut app = App::new(library, prefs, PathBuf::from("journals"));
            app.native_projector = true;
            Ok(Box::new(NativeApp {
                app,
                started,
                exit_after_first_frame,
            }))
        }),
    )
}
