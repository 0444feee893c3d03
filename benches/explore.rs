//! Exploration speed, before and after, side by side in one run: `cargo bench --bench explore`.
//!
//! For each shipped scenario it times, in this process, sampling (`--max-states 0`) on one
//! thread and on every core, and the exact search; and, when the environment variable
//! `PARAAT_BEFORE` names an older `paraat` binary (default `/tmp/paraat-before`, if it exists),
//! the same sampling command run by that binary, so that the two can be compared on the same
//! machine at the same moment. `PATHS` sets the number of sampled paths (default 5000).
//! Figures are reported in the issue notes, never asserted in tests.
#![allow(clippy::disallowed_methods)] // Benchmarks time things: they read the clock.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use paraat::engine::Compiled;
use paraat::explore::{self, Mode, Options, Progress};
use paraat::library::Library;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&[root.join("scenarios")]);
    let paths: u64 = std::env::var("PATHS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(5000);
    let before = std::env::var_os("PARAAT_BEFORE")
        .map_or_else(|| PathBuf::from("/tmp/paraat-before"), PathBuf::from);
    let before = before.exists().then_some(before);
    // A binary with the exact search samples only with `--max-states 0`; an older one has no
    // such flag and samples at once.
    let before_args = |paths: u64| {
        let mut args = vec!["--max-paths".to_owned(), paths.to_string()];
        args.extend(["--seed".to_owned(), "1".to_owned()]);
        let help = before
            .as_ref()
            .and_then(|b| Command::new(b).args(["explore", "--help"]).output().ok());
        if help.is_some_and(|h| String::from_utf8_lossy(&h.stdout).contains("--max-states")) {
            args.extend(["--max-states".to_owned(), "0".to_owned()]);
        }
        args
    };
    // `None` (shown as "-", with the reason) when the older binary cannot read the scenario
    // (an older scenario format).
    let run_before = |b: &Path, id: &str, paths: u64| -> Option<f64> {
        let t = Instant::now();
        let o = Command::new(b)
            .arg("explore")
            .arg(id)
            .args(before_args(paths))
            .output()
            .expect("the before binary runs");
        if o.status.success() {
            Some(t.elapsed().as_secs_f64())
        } else {
            eprintln!(
                "before binary on {id}: {}",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            );
            None
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "{paths} sampled paths per scenario; {cores} cores; before: {}",
        before
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |b| b.display().to_string())
    );
    println!(
        "{:<26} {:>12} {:>12} {:>12} {:>8} | {:>10} {:>10} {:>6}",
        "scenario",
        "before p/s",
        "after 1t p/s",
        &format!("after {cores}t p/s"),
        "speedup",
        "exact s",
        "states",
        "mode"
    );
    let mut largest: Option<(usize, Arc<Compiled>, String)> = None;
    for ex in &lib.exercises {
        let id = ex.scenario.value.id.clone();
        let ctx = Arc::new(Compiled::new(&ex.plan.value, &ex.scenario.value));
        let sample = |threads: usize| {
            let opts = Options {
                seed: 1,
                max_paths: paths,
                max_states: 0,
                threads,
            };
            let t = Instant::now();
            let r = explore::explore_with(&ctx, &opts, &Progress::default(), &mut |_, _| {});
            assert_eq!(r.paths, paths);
            paths as f64 / t.elapsed().as_secs_f64()
        };
        let one = sample(1);
        let many = sample(cores);
        let old = before
            .as_ref()
            .and_then(|b| run_before(b, &id, paths))
            .map(|s| paths as f64 / s);
        let t = Instant::now();
        let exact = explore::explore_with(
            &ctx,
            &Options {
                seed: 1,
                max_paths: 1,
                ..Options::default()
            },
            &Progress::default(),
            &mut |_, _| {},
        );
        let exact_s = t.elapsed().as_secs_f64();
        println!(
            "{:<26} {:>12} {:>12.0} {:>12.0} {:>8} | {:>10.2} {:>10} {:>6}",
            id,
            old.map_or_else(|| "-".to_owned(), |o| format!("{o:.0}")),
            one,
            many,
            old.map_or_else(|| "-".to_owned(), |o| format!("{:.1}x", many / o)),
            exact_s,
            exact.states,
            match exact.mode {
                Mode::Exact => "exact",
                Mode::Sampled => "too big",
            }
        );
        let size = ex.scenario.value.injects.len();
        if largest.as_ref().is_none_or(|l| size > l.0) {
            largest = Some((size, ctx, id));
        }
    }
    if let Some((_, ctx, id)) = largest {
        let opts = Options {
            seed: 1,
            max_paths: 20_000,
            max_states: 0,
            threads: cores,
        };
        let t = Instant::now();
        explore::explore_with(&ctx, &opts, &Progress::default(), &mut |_, _| {});
        let after = t.elapsed().as_secs_f64();
        let old = before.as_ref().and_then(|b| run_before(b, &id, 20_000));
        println!(
            "20000 paths of the largest scenario ({id}): after {after:.2} s on {cores} threads; before {}",
            old.map_or_else(|| "-".to_owned(), |o| format!("{o:.2} s"))
        );
    }
}
