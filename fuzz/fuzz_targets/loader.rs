//! Any bytes as a plan or scenario file: loading and validating never panics or hangs.
#![no_main]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use paraat::model::load::{self, AnyFile};
use paraat::model::validate;

fn plan() -> &'static paraat::model::Plan {
    static PLAN: OnceLock<paraat::model::Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let text = include_str!("../../scenarios/plan/lcp-egt.ron");
        load::parse_plan(Path::new("lcp-egt.ron"), text.to_owned()).expect("the shipped plan parses").value
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ids: BTreeSet<&str> = std::iter::once("lcp-egt").collect();
    match load::parse_any(Path::new("fuzz.ron"), text.to_owned()) {
        Ok(AnyFile::Scenario(s)) => {
            let found = validate::validate_scenario(&s, Some(plan()), &ids);
            // A scenario without errors must also play without panicking.
            if found.iter().all(|d| !d.is_error()) {
                let mut sim = paraat::engine::Simulation::new(plan(), &s.value, 1);
                let _ = sim.apply(paraat::engine::Command::Start);
                let _ = sim.apply(paraat::engine::Command::AdvanceTo { t: sim.end_time() });
            }
        }
        Ok(AnyFile::Plan(p)) => {
            let _ = validate::validate_plan(&p);
        }
        Err(_) => {}
    }
});
