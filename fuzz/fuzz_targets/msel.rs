//! Any bytes as a MSEL CSV: importing never panics; what imports becomes a scenario file that
//! parses; a scenario that then validates exports and imports back to the same CSV.
#![no_main]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use paraat::model::{Plan, Scenario, Text, load, validate};

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let text = include_str!("../../scenarios/plan/lcp-egt.ron");
        load::parse_plan(Path::new("lcp-egt.ron"), text.to_owned()).expect("the shipped plan parses").value
    })
}

fn fallback() -> Scenario {
    Scenario {
        id: "fuzz".into(),
        plan: "lcp-egt".into(),
        title: Text::new("fuzz", "fuzz"),
        summary: Text::default(),
        start: "2026-01-01T09:00:00+01:00".into(),
        duration_min: 120,
        roles: Vec::new(),
        vars: Vec::new(),
        init: std::collections::BTreeMap::new(),
        injects: Vec::new(),
        random: Vec::new(),
        objectives: Vec::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = paraat::msel::import(text, plan(), &fallback()) else { return };
    // The import writes this text; it must be a scenario file.
    let ron_text = paraat::msel::to_ron(&scenario);
    let loaded = load::parse_scenario(Path::new("imported.ron"), ron_text)
        .unwrap_or_else(|d| panic!("the imported scenario does not parse: {d}"));
    let ids: BTreeSet<&str> = std::iter::once("lcp-egt").collect();
    let found = validate::validate_scenario(&loaded, Some(plan()), &ids);
    if found.iter().any(|d| d.is_error()) {
        return;
    }
    // A valid scenario survives export → import → export unchanged.
    let csv1 = paraat::msel::export(&loaded.value, plan());
    let again = paraat::msel::import(&csv1, plan(), &fallback())
        .unwrap_or_else(|e| panic!("its own export does not import: {:?}", e.first()));
    let csv2 = paraat::msel::export(&again, plan());
    assert_eq!(csv1, csv2, "export → import → export changed the MSEL");
});
