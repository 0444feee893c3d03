//! What-if and compare, run by hand: `cargo bench --no-default-features --bench whatif`.
//! Targets (issue 15): a what-if on a 10,000-entry journal under 1 s from the click to the
//! side-by-side view (replay, re-score, diff); comparing 100 journals under 5 s (read, verify
//! every chain and replay, score, aggregate, render HTML). Figures go in the notes, never into
//! tests.
#![allow(clippy::disallowed_methods)] // Benchmarks time things: they read the clock.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use paraat::engine::{Command, Compiled, EventKind};
use paraat::journal::{Body, Session};
use paraat::library::Library;
use paraat::play::{self, Policy};
use paraat::whatif::{self, Spec, Then, ThenSpec};

#[allow(dead_code)] // Shared with the other benchmarks; this one uses a part of it.
mod common;

/// A journal of about `n` entries on the generated 1,000-inject scenario: every minute the clock
/// moves, every open decision of one role is taken, four plan actions and an observation.
fn big_journal(n: usize) -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("gen.ron");
    std::fs::write(&path, common::generated_scenario_text(1000)).expect("write");
    let ex = paraat::library::load_exercise(&path).expect("generated scenario validates");
    let mut s = Session::create(
        &ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    s.apply(Command::Start).expect("start");
    let mut minute = 0;
    while s.entries().len() < n {
        minute += 1;
        if minute < 235 {
            let _ = s.apply(Command::AdvanceTo { t: minute * 60 });
        }
        // The mayor decides, the others let their decisions expire.
        let open: Vec<_> = s
            .sim()
            .pending_decisions(&"burgemeester".into())
            .map(|p| p.decision.id.clone())
            .collect();
        for d in open {
            let _ = s.apply(Command::Decide {
                role: "burgemeester".into(),
                decision: d,
                choice: "a".into(),
                rationale: "bench".into(),
            });
        }
        for role in ["burgemeester", "politiechef", "ovj", "nctv"] {
            let _ = s.apply(Command::TakeAction {
                role: role.into(),
                action: "convene_triangle".into(),
                note: "bench".into(),
            });
        }
        let _ = s.apply(Command::Observe {
            text: format!("note {minute}"),
            role: None,
            rating: None,
            objective: None,
        });
    }
    (dir, s)
}

fn what_if_10k(c: &mut Criterion) {
    let (_dir, s) = big_journal(10_000);
    let entries = s.entries().to_vec();
    let header = s.header().clone();
    let ctx: &Compiled = s.sim().ctx();
    // The first decision taken and the first that expired.
    let first = |expired: bool| {
        entries
            .iter()
            .find_map(|e| match &e.body {
                Body::Event(ev) => match &ev.kind {
                    EventKind::DecisionMade { decision, .. } if !expired => Some(decision.clone()),
                    EventKind::DecisionExpired { decision, .. } if expired => {
                        Some(decision.clone())
                    }
                    _ => None,
                },
                Body::Command(_) => None,
            })
            .expect("a decision")
    };
    let cases = [
        (
            "taken → other option, then default",
            first(false),
            "b",
            Then::Default,
        ),
        (
            "expired → other option, then first",
            first(true),
            "a",
            Then::First,
        ),
    ];
    println!("what-if benchmark journal: {} entries", entries.len());
    let mut g = c.benchmark_group("what-if on a 10,000-entry journal");
    g.sample_size(10);
    for (name, decision, choice, then) in cases {
        let spec = Spec {
            decision,
            choice: choice.into(),
            then: ThenSpec::Default,
        };
        // One timed run, as the app does it on a click: the scenario shared with the branch,
        // then replay, branch, two scorecards and the diff.
        let t0 = Instant::now();
        let o = whatif::what_if(&Arc::new(ctx.clone()), &header, &entries, &spec, &then)
            .expect("plays");
        println!(
            "{name}: {:.1} ms once ({} branch entries, {} dropped, first difference at {:?})",
            t0.elapsed().as_secs_f64() * 1000.0,
            o.entries.len(),
            o.dropped.len(),
            o.first_difference.as_ref().map(|f| f.t)
        );
        g.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    whatif::what_if(&Arc::new(ctx.clone()), &header, &entries, &spec, &then)
                        .expect("plays"),
                )
            });
        });
    }
    g.finish();
}

fn compare_100(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&[root.join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    let dir = tempfile::tempdir().expect("tmp");
    let scripts = [
        Policy::Script(
            play::load_script(&root.join("tests/scripts/01-station-shooting-good.ron"))
                .expect("script"),
        ),
        Policy::Script(
            play::load_script(&root.join("tests/scripts/01-station-shooting-poor.ron"))
                .expect("script"),
        ),
        Policy::Random,
        Policy::First,
    ];
    let teams = ["Noord", "Zuid", "Oost", "West", "Midden"];
    let paths: Vec<PathBuf> = (0..100u64)
        .map(|i| {
            let path = dir.path().join(format!("j{i:03}.jsonl"));
            let mut s = Session::create_for_team(
                ex,
                i,
                ex.scenario.value.roles.clone(),
                Some(teams[i as usize % teams.len()]),
                &path,
            )
            .expect("session");
            play::play(&mut s, &scripts[i as usize % scripts.len()]).expect("plays");
            path
        })
        .collect();
    let entries: usize = paths
        .iter()
        .map(|p| paraat::journal::read_file(p).expect("reads").entries.len())
        .sum();
    println!("compare benchmark: 100 journals, {entries} entries in all");
    let run = || {
        let loaded = paraat::compare::load(
            &paths,
            |h, p| paraat::library::exercise_for_journal(h, Some(p), Some(&lib)),
            None,
        )
        .expect("all verify");
        let c = paraat::compare::compare(&loaded, false).expect("one version");
        paraat::compare::render(&c, paraat::compare::Format::Html, paraat::model::Lang::En)
    };
    let t0 = Instant::now();
    let html = run();
    println!(
        "compare 100 journals: {:.0} ms once ({} bytes of HTML)",
        t0.elapsed().as_secs_f64() * 1000.0,
        html.len()
    );
    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    g.bench_function("100 journals: verify, score, aggregate, HTML", |b| {
        b.iter(|| black_box(run()));
    });
    g.finish();
}

criterion_group!(benches, what_if_10k, compare_100);
criterion_main!(benches);
