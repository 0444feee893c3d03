//! Generated inputs shared by the benchmarks.

use paraat::model::{Channel, Choice, Decision, Inject, Scenario, Text};

/// A valid scenario of `n` injects for the built-in plan, every fifth with a decision, as RON.
pub fn generated_scenario_text(n: usize) -> String {
    let scenario = generated_scenario(n);
    ron::ser::to_string_pretty(
        &scenario,
        ron::ser::PrettyConfig::default().struct_names(true),
    )
    .expect("serialises")
}

/// A valid scenario of `n` injects for the built-in plan.
pub fn generated_scenario(n: usize) -> Scenario {
    let roles = ["burgemeester", "politiechef", "ovj", "nctv"];
    let injects = (0..n)
        .map(|i| {
            let role = roles[i % roles.len()];
            let decisions = if i % 5 == 0 {
                vec![Decision {
                    id: format!("d{i}").as_str().into(),
                    role: role.into(),
                    prompt: Text::new(format!("Besluit {i}?"), format!("Decision {i}?")),
                    due_min: 10,
                    options: vec![
                        Choice {
                            id: "a".into(),
                            label: Text::new("Ja", "Yes"),
                            actions: vec!["convene_triangle".into()],
                            effects: vec![],
                            then: vec![],
                            violates: vec![],
                            debrief: None,
                            partly: vec![],
                            against: vec![],
                        },
                        Choice {
                            id: "b".into(),
                            label: Text::new("Nee", "No"),
                            actions: vec![],
                            effects: vec![],
                            then: vec![],
                            violates: vec![],
                            debrief: None,
                            partly: vec![],
                            against: vec![],
                        },
                    ],
                    default: Some("b".into()),
                    fixed_order: false,
                    with: vec![],
                    any_of: vec![],
                }]
            } else {
                vec![]
            };
            Inject {
                id: format!("i{i}").as_str().into(),
                at_min: Some((i % 200) as u32),
                delay_min: 0,
                from: None,
                to: vec![role.into()],
                channel: Channel::Phone,
                title: Text::new(format!("Melding {i}"), format!("Report {i}")),
                body: Text::new("Er is iets gebeurd.", "Something happened."),
                when: None,
                effects: vec![],
                decisions,
                expect: vec![],
                attachments: vec![],
            }
        })
        .collect();
    Scenario {
        format: 1,
        id: "generated".into(),
        plan: "lcp-egt".into(),
        title: Text::new("Gegenereerd", "Generated"),
        summary: Text::new("Benchmark", "Benchmark"),
        start: "2026-03-18T10:45:00+01:00".into(),
        duration_min: 240,
        roles: roles.iter().map(|r| (*r).into()).collect(),
        local_roles: vec![],
        simulated: vec![],
        local_actions: vec![],
        local_procedures: vec![],
        vars: vec![],
        init: std::collections::BTreeMap::default(),
        injects,
        random: vec![],
        objectives: vec![],
        per_occurrence: vec![],
    }
}

/// A session on a generated 1,000-inject scenario whose journal holds at least `entries`
/// entries (random decisions, then observations), written to a temporary folder.
pub fn big_session(
    entries: usize,
) -> (
    paraat::library::Exercise,
    tempfile::TempDir,
    paraat::journal::Session,
) {
    use paraat::engine::Command;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("gen.ron");
    std::fs::write(&path, generated_scenario_text(1000)).expect("write");
    let ex = paraat::library::load_exercise(&path).expect("generated scenario validates");
    let mut s = paraat::journal::Session::create(
        &ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    s.apply(Command::Start).expect("start");
    let mut minute = 0;
    while s.entries().len() < entries {
        minute += 1;
        if minute < 235 {
            let _ = s.apply(Command::AdvanceTo { t: minute * 60 });
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
    (ex, dir, s)
}
