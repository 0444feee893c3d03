//! Benchmarks of the core, run by hand: `cargo bench --bench core`.
//! Figures are reported in the issue notes, never asserted in tests.
#![allow(clippy::disallowed_methods)] // Benchmarks time things: they read the clock.
#![allow(clippy::many_single_char_names)]

use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paraat::engine::{Command, Compiled, DecisionStatus, Simulation};
use paraat::journal::{Body, Writer};
use paraat::library::Library;
use paraat::model::load;
use paraat::model::validate;
use paraat::play::{self, Policy};

mod common;
#[path = "common/hostile.rs"]
mod hostile;

fn plan() -> load::Loaded<paraat::model::Plan> {
    let plan_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/plan/lcp-egt.ron");
    let plan_src = std::fs::read_to_string(&plan_path).expect("plan");
    load::parse_plan(&plan_path, plan_src).expect("plan parses")
}

fn load_and_validate(c: &mut Criterion) {
    let plan = plan();
    let text = common::generated_scenario_text(1000);
    let ids: BTreeSet<&str> = std::iter::once("lcp-egt").collect();
    c.bench_function("load+validate 1000-inject scenario", |b| {
        b.iter(|| {
            let s = load::parse_scenario(Path::new("gen.ron"), black_box(text.clone()))
                .expect("parses");
            let d = validate::validate_scenario(&s, Some(&plan.value), &ids);
            assert!(d.iter().all(|d| !d.is_error()), "{:?}", d.first());
            black_box(d);
        });
    });
}

/// Parsing and validating the hostile shapes of issue 12 (target: under 1 s each; `paraat
/// validate` on the files of `examples/hostile_scenarios.rs` measures the same plus reading).
fn validate_hostile(c: &mut Criterion) {
    let plan = plan();
    let ids: BTreeSet<&str> = std::iter::once("lcp-egt").collect();
    let mut g = c.benchmark_group("validate hostile");
    g.sample_size(10);
    for (name, text) in hostile::full_size() {
        assert!(text.len() as u64 <= load::MAX_FILE_BYTES, "{name}");
        g.bench_function(name, |b| {
            b.iter(|| {
                let s =
                    load::parse_scenario(Path::new(name), black_box(text.clone())).expect("parses");
                black_box(validate::validate_scenario(&s, Some(&plan.value), &ids));
            });
        });
    }
    g.finish();
}

/// Cloning a state with an open decision and applying one choice, as exploration does.
fn decisions_per_second(c: &mut Criterion) {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    let ctx = Arc::new(Compiled::new(&ex.plan.value, &ex.scenario.value));
    let mut sim = Simulation::with_compiled(Arc::clone(&ctx), 1);
    sim.apply(Command::Start).expect("start");
    let d = sim
        .state()
        .decisions
        .iter()
        .position(|s| matches!(s, DecisionStatus::Open { .. }))
        .expect("an open decision at the start");
    let info = &ctx.decisions[d];
    let cmds: Vec<Command> = info
        .choices
        .iter()
        .map(|c| Command::Decide {
            role: info.role.clone(),
            decision: info.id.clone(),
            choice: c.clone(),
            rationale: String::new(),
        })
        .collect();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    g.bench_function("clone state + apply one decision", |b| {
        b.iter(|| {
            let mut s = sim.clone();
            i = (i + 1) % cmds.len();
            black_box(s.apply(cmds[i].clone()).expect("decides"));
        });
    });
    g.finish();
}

/// Scoring a journal of about 10,000 entries.
fn scoring_10k(c: &mut Criterion) {
    let (ex, _dir, session) = common::big_session(10_000);
    let _ = ex;
    let entries = session.entries().to_vec();
    let header = session.header().clone();
    let ctx = Arc::clone(session.sim().ctx());
    println!("scoring benchmark journal: {} entries", entries.len());
    c.bench_function("score a 10,000-entry journal", |b| {
        b.iter(|| {
            black_box(paraat::scoring::score_compiled(
                &ctx,
                &header,
                black_box(&entries),
            ))
        });
    });
}

/// Exploration throughput on a shipped scenario (paths per second, sampled).
fn exploration(c: &mut Criterion) {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("school-threat").expect("scenario");
    let ctx = Arc::new(Compiled::new(&ex.plan.value, &ex.scenario.value));
    let mut g = c.benchmark_group("explore");
    g.sample_size(10);
    g.throughput(Throughput::Elements(200));
    g.bench_function("200 sampled paths of school-threat", |b| {
        b.iter(|| black_box(paraat::explore::explore(&ctx, 1, 200, &mut |_, _| {})));
    });
    g.finish();
}

/// Journal append with sync: p50 and p99 over 2,000 appends (printed, not a criterion group:
/// the median is what the goal names).
fn journal_append(_c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    let header = paraat::journal::Header {
        format: paraat::journal::FORMAT_VERSION,
        app_version: "bench".into(),
        scenario_id: ex.scenario.value.id.clone(),
        scenario_path: String::new(),
        plan_id: "lcp-egt".into(),
        source_hash: ex.source_hash(),
        seed: 1,
        present: Vec::new(),
        wall_start: String::new(),
        team: None,
    };
    let mut w = Writer::create(&dir.path().join("bench.jsonl"), &header).expect("create");
    let mut times = Vec::with_capacity(2000);
    for i in 0..2000u64 {
        let body = Body::Command(Command::Observe {
            text: format!("observation {i}"),
            role: None,
            rating: None,
            objective: None,
        });
        let t0 = Instant::now();
        w.append(i, "facilitator", body).expect("append");
        times.push(t0.elapsed());
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    println!(
        "journal append with fsync (2,000 appends in {}): p50 {:?}, p99 {:?}, max {:?}",
        dir.path().display(),
        p(0.5),
        p(0.99),
        times.last().copied().unwrap_or(Duration::ZERO)
    );
}

fn headless_play(c: &mut Criterion) {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario").clone();
    let script = play::load_script(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scripts/01-station-shooting-good.ron"),
    )
    .expect("script");
    let mut g = c.benchmark_group("play");
    g.sample_size(10);
    g.bench_function(
        "play station-shooting with its good script (journal synced)",
        |b| {
            b.iter(|| {
                let dir = tempfile::tempdir().expect("tmp");
                let mut s = paraat::journal::Session::create(
                    &ex,
                    1,
                    ex.scenario.value.roles.clone(),
                    &dir.path().join("j.jsonl"),
                )
                .expect("session");
                black_box(play::play(&mut s, &Policy::Script(script.clone())).expect("plays"));
            });
        },
    );
    g.finish();
}

criterion_group!(
    benches,
    load_and_validate,
    validate_hostile,
    decisions_per_second,
    scoring_10k,
    exploration,
    journal_append,
    headless_play
);
criterion_main!(benches);
