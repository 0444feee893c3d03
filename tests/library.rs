//! The shipped library: every plan and scenario validates clean, and each scenario meets the
//! bar the library promises (duration, size, roles, decisions, objectives, no dead injects).

use std::path::PathBuf;

use paraat::library::Library;

fn library() -> Library {
    Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")])
}

#[test]
fn every_shipped_file_validates_without_errors_or_warnings() {
    let lib = library();
    let shown: Vec<String> = lib.diagnostics.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
    assert_eq!(lib.plans.len(), 1);
    assert!(
        lib.exercises.len() >= 5,
        "{} scenarios",
        lib.exercises.len()
    );
}

#[test]
fn the_plan_catalogue_is_complete_enough() {
    let lib = library();
    let plan = &lib.plans[0].value;
    assert!(plan.roles.len() >= 16, "{} roles", plan.roles.len());
    assert!(plan.actions.len() >= 30, "{} actions", plan.actions.len());
    assert!(
        plan.procedures.len() >= 25,
        "{} procedures",
        plan.procedures.len()
    );
    for p in &plan.procedures {
        assert!(!p.source.cite.trim().is_empty(), "{} has no source", p.id);
        assert!(p.rationale.is_some(), "{} has no rationale", p.id);
    }
}

#[test]
fn every_scenario_meets_the_library_bar() {
    let lib = library();
    for ex in &lib.exercises {
        let s = &ex.scenario.value;
        let decisions: Vec<_> = s.decisions().collect();
        assert!(
            (120..=240).contains(&s.duration_min),
            "{}: {} min",
            s.id,
            s.duration_min
        );
        assert!(
            s.injects.len() >= 25,
            "{}: {} injects",
            s.id,
            s.injects.len()
        );
        assert!(
            decisions.len() >= 10,
            "{}: {} decisions",
            s.id,
            decisions.len()
        );
        for (_, d) in &decisions {
            assert!(
                (2..=4).contains(&d.options.len()),
                "{}: {} has {} choices",
                s.id,
                d.id,
                d.options.len()
            );
        }
        assert!(s.roles.len() >= 8, "{}: {} roles", s.id, s.roles.len());
        assert!(!s.objectives.is_empty(), "{}: no objectives", s.id);
        assert!(!s.random.is_empty(), "{}: no random chances", s.id);
        for text in s.injects.iter().flat_map(|i| [&i.title, &i.body]) {
            assert!(
                !text.nl.trim().is_empty() && !text.en.trim().is_empty(),
                "{}: untranslated text",
                s.id
            );
        }
        let reachable = paraat::model::validate::reachable_injects(s);
        assert_eq!(
            reachable.len(),
            s.injects.len(),
            "{}: unreachable injects",
            s.id
        );
    }
}

#[test]
fn the_plan_reference_copy_is_current() {
    let lib = library();
    let plan = &lib.plans[0].value;
    let scenarios: Vec<&paraat::model::Scenario> = lib
        .exercises
        .iter()
        .filter(|e| e.plan.value.id == plan.id)
        .map(|e| &e.scenario.value)
        .collect();
    let fresh = paraat::report::render_plan(
        plan,
        &scenarios,
        paraat::model::Lang::En,
        paraat::report::PlanFormat::Markdown,
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/plan/lcp-egt.md");
    let copy = std::fs::read_to_string(&path).expect("scenarios/plan/lcp-egt.md");
    assert!(
        copy == fresh,
        "scenarios/plan/lcp-egt.md is out of date: run `paraat plan --format md --lang en -o scenarios/plan/lcp-egt.md`"
    );
}

#[test]
fn the_scaling_threat_and_atb_levels_are_named_in_the_plan() {
    use paraat::model::Lang;
    let lib = library();
    let plan = &lib.plans[0].value;
    for id in ["grip", "dtn", "atb", "public_advice"] {
        let var = plan
            .vars
            .iter()
            .find(|v| v.id.as_str() == id)
            .expect("variable");
        let (min, max) = (var.min.expect("min"), var.max.expect("max"));
        for value in min..=max {
            for lang in [Lang::Nl, Lang::En] {
                assert!(
                    var.level_label(value, lang).is_some(),
                    "{id} {value} has no name"
                );
            }
        }
    }
    let dtn = plan
        .vars
        .iter()
        .find(|v| v.id.as_str() == "dtn")
        .expect("dtn");
    assert_eq!(
        dtn.init,
        paraat::model::Value::Int(4),
        "threat level 4 since December 2023"
    );
    assert_eq!(dtn.level_label(4, Lang::Nl), Some("4 substantieel"));
}

/// The library table in `scenarios/README.md` gives each scenario's duration, roles in play and
/// size; those figures must be the scenario's own (they drifted by hand before).
#[test]
fn the_readme_library_table_states_each_scenarios_true_size() {
    let lib = library();
    let readme = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/README.md"),
    )
    .expect("scenarios/README.md");
    for ex in &lib.exercises {
        let s = &ex.scenario.value;
        let row = readme
            .lines()
            .find(|l| l.starts_with("| `") && l.contains(&format!("· `{}` |", s.id)))
            .unwrap_or_else(|| panic!("no row for {} in the library table", s.id));
        let cells: Vec<&str> = row.split(" | ").collect();
        let size = cells.last().expect("size cell").trim_end_matches(" |");
        let scheduled = s.injects.iter().filter(|i| i.at_min.is_some()).count();
        let expected = format!(
            "{} injects ({scheduled} scheduled), {} decisions, {} chances",
            s.injects.len(),
            s.decisions().count(),
            s.random.len()
        );
        assert_eq!(size, expected, "{}: size in the README", s.id);
        let in_play: Vec<String> = s.roles.iter().map(ToString::to_string).collect();
        assert_eq!(
            cells[cells.len() - 2],
            format!("{} ({})", in_play.join(", "), in_play.len()),
            "{}: roles in play in the README",
            s.id
        );
        assert!(
            cells[cells.len() - 3].starts_with(&format!("{} min", s.duration_min)),
            "{}: duration cell {:?}",
            s.id,
            cells[cells.len() - 3]
        );
    }
}
