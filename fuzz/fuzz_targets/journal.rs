//! Any bytes as a journal: reading (with its seal), replaying what was read against a shipped
//! scenario, verifying and scoring never panic.
#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use paraat::library::Exercise;
use paraat::model::load;

fn exercise() -> &'static Exercise {
    static EX: OnceLock<Exercise> = OnceLock::new();
    EX.get_or_init(|| {
        let plan = load::parse_plan(Path::new("p.ron"), include_str!("../../scenarios/plan/lcp-egt.ron").to_owned())
            .expect("plan");
        let scenario = load::parse_scenario(Path::new("s.ron"), include_str!("../../scenarios/03-hostage-town-hall.ron").to_owned())
            .expect("scenario");
        Exercise { scenario: Arc::new(scenario), plan: Arc::new(plan) }
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(read) = paraat::journal::read_bytes(data) {
        let ex = exercise();
        let (plan, s) = (&ex.plan.value, &ex.scenario.value);
        let _ = paraat::journal::replay(&read, plan, s);
        let verdict = paraat::journal::verify::verify(&read, ex, Some("0000"));
        let _ = verdict.summary(paraat::model::Lang::En);
        let _ = paraat::scoring::score(plan, s, &read.header, &read.entries);
    }
});
