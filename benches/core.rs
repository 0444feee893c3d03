//! Benchmarks of the core, run by hand: `cargo bench --bench core`.
//! Figures are reported in the issue notes, never asserted in tests.

use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use paraat::model::load;
use paraat::model::validate;

mod common;

fn load_and_validate(c: &mut Criterion) {
    let plan_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/plan/lcp-egt.ron");
    let plan_src = std::fs::read_to_string(&plan_path).expect("plan");
    let plan = load::parse_plan(&plan_path, plan_src).expect("plan parses");
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

criterion_group!(benches, load_and_validate);
criterion_main!(benches);
