//! Any bytes as a journal: reading, and replaying what was read against a shipped scenario,
//! never panics.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use paraat::model::load;

fn exercise() -> &'static (paraat::model::Plan, paraat::model::Scenario) {
    static EX: OnceLock<(paraat::model::Plan, paraat::model::Scenario)> = OnceLock::new();
    EX.get_or_init(|| {
        let plan = load::parse_plan(Path::new("p.ron"), include_str!("../../scenarios/plan/lcp-egt.ron").to_owned())
            .expect("plan")
            .value;
        let s = load::parse_scenario(Path::new("s.ron"), include_str!("../../scenarios/03-hostage-town-hall.ron").to_owned())
            .expect("scenario")
            .value;
        (plan, s)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(read) = paraat::journal::read_bytes(data) {
        let (plan, s) = exercise();
        let _ = paraat::journal::replay(&read, plan, s);
        let _ = paraat::scoring::score(plan, s, &read.header, &read.entries);
    }
});
