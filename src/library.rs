//! The scenario library: plan catalogues and scenarios loaded from folders, validated together.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::diag::{Diagnostic, IdKind, Problem};
use crate::model::load::{self, AnyFile, Loaded};
use crate::model::locate::Pos;
use crate::model::validate;
use crate::model::{Plan, Scenario};

/// A scenario that validated without errors, with the plan it is scored against.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The scenario.
    pub scenario: Arc<Loaded<Scenario>>,
    /// Its plan.
    pub plan: Arc<Loaded<Plan>>,
}

impl Exercise {
    /// A scenario with the plan it is played with: the plan file's catalogue with the
    /// scenario's own roles, actions and procedures added (format 2), so that the engine, the
    /// scoring, the desks and the reports know them as they know the plan's. The plan's source
    /// (and so [`Exercise::source_hash`]) is the plan file's.
    pub fn new(scenario: Arc<Loaded<Scenario>>, plan: Arc<Loaded<Plan>>) -> Self {
        let plan = match crate::model::authoring::plan_for(&plan.value, &scenario.value) {
            std::borrow::Cow::Borrowed(_) => plan,
            std::borrow::Cow::Owned(value) => Arc::new(Loaded {
                path: plan.path.clone(),
                source: plan.source.clone(),
                value,
                locator: plan.locator.clone(),
            }),
        };
        Self { scenario, plan }
    }

    /// SHA-256 over the scenario text and the plan text, recorded in journals.
    pub fn source_hash(&self) -> String {
        let mut bytes = self.scenario.source.clone().into_bytes();
        bytes.push(0);
        bytes.extend_from_slice(self.plan.source.as_bytes());
        load::sha256_hex(&bytes)
    }
}

/// Everything loaded from some paths.
#[derive(Debug, Default)]
pub struct Library {
    /// Plans that parsed.
    pub plans: Vec<Arc<Loaded<Plan>>>,
    /// Scenarios that parsed and validated without errors.
    pub exercises: Vec<Exercise>,
    /// All findings, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub files: usize,
    /// Ids of plans that failed validation.
    pub broken_plans: Vec<String>,
}

fn duplicate_file_id<T>(file: &Loaded<T>, kind: IdKind, id: &str, first: &Path) -> Diagnostic {
    let pos = file
        .locator
        .field(file.locator.all(), "id")
        .unwrap_or(Pos { line: 1, col: 1 });
    Diagnostic::error(
        &file.path,
        pos,
        Problem::DuplicateFile {
            kind,
            id: id.to_owned(),
            first_file: first.display().to_string(),
        },
    )
    .with_help(format!(
        "{} has the same id; give each {} its own id",
        first.display(),
        kind.word()
    ))
}

impl Library {
    /// Loads and validates every `.ron` file under `paths`. Scenarios find their plan among the
    /// loaded plans, else in the built-in `scenarios/plan/` folder.
    pub fn load(paths: &[PathBuf]) -> Self {
        let mut lib = Library::default();
        let mut scenarios = Vec::new();
        for root in paths {
            let files = match load::ron_files(root) {
                Ok(f) => f,
                Err(e) => {
                    lib.diagnostics.push(Diagnostic::error(
                        root,
                        Pos { line: 1, col: 1 },
                        Problem::Io {
                            reason: e.to_string(),
                        },
                    ));
                    continue;
                }
            };
            for file in files {
                lib.files += 1;
                match load::load_file(&file) {
                    Ok(AnyFile::Plan(p)) => {
                        let found = validate::validate_plan(&p);
                        let ok = !found.iter().any(Diagnostic::is_error);
                        lib.diagnostics.extend(found);
                        if let Some(first) = lib.plans.iter().find(|q| q.value.id == p.value.id) {
                            lib.diagnostics.push(duplicate_file_id(
                                &p,
                                IdKind::Plan,
                                &p.value.id,
                                &first.path,
                            ));
                        } else if ok {
                            lib.plans.push(Arc::new(*p));
                        } else {
                            // A plan with errors cannot score anything; its scenarios report
                            // an unknown plan until it is fixed.
                            lib.broken_plans.push(p.value.id.clone());
                        }
                    }
                    Ok(AnyFile::Scenario(s)) => scenarios.push(*s),
                    Err(d) => lib.diagnostics.push(d),
                }
            }
        }
        if scenarios
            .iter()
            .any(|s| !lib.plans.iter().any(|p| p.value.id == s.value.plan))
        {
            lib.load_builtin_plans();
        }
        for s in scenarios {
            lib.add_scenario(s);
        }
        lib.diagnostics
            .sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
        lib
    }

    /// Loads the plans of the built-in library that are not loaded yet (their findings are not
    /// repeated here: `paraat validate scenarios/` reports them).
    fn load_builtin_plans(&mut self) {
        // The library's own `plan/` folder first; then the catalogue shipped with Paraat, so a
        // `PARAAT_SCENARIOS` folder of scenarios alone still finds the plan they name.
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join("plan");
        let files: Vec<PathBuf> = [load::builtin_dir().join("plan"), shipped]
            .iter()
            .filter_map(|dir| load::ron_files(dir).ok())
            .flatten()
            .collect();
        for file in files {
            if self.plans.iter().any(|p| same_file(&p.path, &file)) {
                continue;
            }
            // A plan that failed validation here is not replaced by a built-in one of the same
            // id, and a built-in plan with errors is not used either.
            if let Ok(AnyFile::Plan(p)) = load::load_file(&file)
                && !self.plans.iter().any(|q| q.value.id == p.value.id)
                && !self.broken_plans.contains(&p.value.id)
                && !validate::validate_plan(&p).iter().any(Diagnostic::is_error)
            {
                self.plans.push(Arc::new(*p));
            }
        }
    }

    /// Validates one parsed scenario against the loaded plans and adds it.
    pub fn add_scenario(&mut self, s: Loaded<Scenario>) {
        if let Some(first) = self
            .exercises
            .iter()
            .find(|e| e.scenario.value.id == s.value.id)
        {
            let d = duplicate_file_id(&s, IdKind::Scenario, &s.value.id, &first.scenario.path);
            self.diagnostics.push(d);
            return;
        }
        let plan = self
            .plans
            .iter()
            .find(|p| p.value.id == s.value.plan)
            .cloned();
        let ids: BTreeSet<&str> = self.plans.iter().map(|p| p.value.id.as_str()).collect();
        let found = validate::validate_scenario(&s, plan.as_ref().map(|p| &p.value), &ids);
        let ok = !found.iter().any(Diagnostic::is_error);
        self.diagnostics.extend(found);
        if let (true, Some(plan)) = (ok, plan) {
            self.exercises.push(Exercise::new(Arc::new(s), plan));
        }
    }

    /// Number of errors found.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings found.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Finds an exercise by scenario id or by file path.
    pub fn find(&self, key: &str) -> Option<&Exercise> {
        self.exercises
            .iter()
            .find(|e| e.scenario.value.id == key || same_file(&e.scenario.path, Path::new(key)))
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Loads one scenario file (plus the built-in plans) and returns it ready to play, or every
/// error found.
pub fn load_exercise(path: &Path) -> Result<Exercise, Vec<Diagnostic>> {
    let lib = Library::load(&[path.to_owned()]);
    match lib.exercises.into_iter().next() {
        Some(e) if lib.diagnostics.iter().all(|d| !d.is_error()) => Ok(e),
        _ => {
            let mut errors: Vec<Diagnostic> = lib
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            if errors.is_empty() {
                errors.push(Diagnostic::error(
                    path,
                    Pos { line: 1, col: 1 },
                    Problem::UnknownFileKind {
                        found: "a plan, not a scenario".into(),
                    },
                ));
            }
            Err(errors)
        }
    }
}

/// Finds the exercise a journal was written for, without trusting the path in its header
/// blindly. Candidates, in order: the file the header names (only if it is a regular file), the
/// scenario files beside the journal (its folder and the folder above), then the library (`lib`,
/// or the built-in one). The first candidate with the journal's scenario id and source hash wins;
/// failing that, the first with its id (replay then tells whether the changed text still fits).
pub fn exercise_for_journal(
    header: &crate::journal::Header,
    journal: Option<&Path>,
    lib: Option<&Library>,
) -> Option<Exercise> {
    let id = header.scenario_id.as_str();
    let mut by_id: Option<Exercise> = None;
    let mut consider = |e: Exercise| -> Option<Exercise> {
        if e.scenario.value.id != id {
            return None;
        }
        if e.source_hash() == header.source_hash {
            return Some(e);
        }
        by_id.get_or_insert(e);
        None
    };
    let recorded = Path::new(&header.scenario_path);
    if std::fs::metadata(recorded).is_ok_and(|m| m.is_file())
        && let Ok(e) = load_exercise(recorded)
        && let Some(found) = consider(e)
    {
        return Some(found);
    }
    if let Some(dir) = journal.map(|j| j.parent().unwrap_or(Path::new(""))) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        for d in [Some(dir), dir.parent()].into_iter().flatten() {
            let d = if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            };
            for file in scenario_files_in(d, id) {
                if same_file(&file, recorded) {
                    continue;
                }
                if let Ok(e) = load_exercise(&file)
                    && let Some(found) = consider(e)
                {
                    return Some(found);
                }
            }
        }
    }
    let builtin;
    let lib = if let Some(l) = lib {
        l
    } else {
        builtin = Library::load(&[load::builtin_dir()]);
        &builtin
    };
    for e in lib.exercises.iter().filter(|e| e.scenario.value.id == id) {
        if let Some(found) = consider(e.clone()) {
            return Some(found);
        }
    }
    by_id
}

/// The `.ron` regular files directly in `dir` whose text mentions `id` (a cheap filter before
/// parsing and validating them).
fn scenario_files_in(dir: &Path, id: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
        .filter(|p| load::read_limited(p).is_ok_and(|t| t.contains(id)))
        .collect();
    files.sort();
    files
}
