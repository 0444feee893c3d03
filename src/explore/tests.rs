use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::model::load::{parse_plan, parse_scenario};

const PLAN: &str = r#"Plan(
    id: "p", title: (nl: "", en: ""),
    roles: [ Role(id: "mayor", name: (nl: "", en: ""), team: "T", duty: (nl: "", en: "")) ],
    actions: [ Action(id: "triangle", label: (nl: "", en: "")), Action(id: "grip3", label: (nl: "", en: "")) ],
    signals: [ Signal(id: "attack", label: (nl: "", en: "")) ],
    procedures: [
        Procedure(id: "P-tri", title: (nl: "", en: ""), role: "mayor", phase: Alarmering,
            trigger: Signal("attack"), action: "triangle", within_min: Some(10), weight: 3,
            source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-grip", title: (nl: "", en: ""), role: "mayor", phase: Alarmering,
            trigger: Signal("attack"), action: "grip3", within_min: Some(10), weight: 1,
            source: Source(kind: Lesson, cite: "t")),
    ],
)"#;

/// Two decisions: d1 (convene / wait, default wait) and, only after "convene", d2
/// (grip3 / nothing). Paths: d1 ∈ {convene, wait, expire}; after convene, d2 ∈ {grip3, no,
/// expire}: 3 + 2 = 5 paths. The inject "never" cannot be reached.
const SCENARIO: &str = r#"Scenario(
    id: "s", plan: "p", title: (nl: "", en: ""), summary: (nl: "", en: ""),
    start: "2026-03-18T10:45:00+01:00", duration_min: 60, roles: ["mayor"],
    injects: [
        Inject(id: "a", at_min: Some(0), to: ["mayor"], channel: Phone, title: (nl: "", en: ""),
            body: (nl: "", en: ""), effects: [Signal("attack")],
            decisions: [ Decision(id: "d1", role: "mayor", prompt: (nl: "", en: ""), due_min: 5,
                options: [
                    Choice(id: "convene", label: (nl: "", en: ""), actions: ["triangle"], then: ["b"]),
                    Choice(id: "wait", label: (nl: "", en: "")),
                ], default: Some("wait")) ]),
        Inject(id: "b", to: ["mayor"], channel: Phone, title: (nl: "", en: ""), body: (nl: "", en: ""),
            decisions: [ Decision(id: "d2", role: "mayor", prompt: (nl: "", en: ""), due_min: 5,
                options: [
                    Choice(id: "grip3", label: (nl: "", en: ""), actions: ["grip3"]),
                    Choice(id: "no", label: (nl: "", en: "")),
                ]) ]),
        Inject(id: "never", at_min: Some(10), to: ["mayor"], channel: Phone, title: (nl: "", en: ""),
            body: (nl: "", en: ""), when: Some(All([Chosen("d1", "wait"), Chosen("d1", "convene")]))),
    ],
)"#;

fn ctx() -> Arc<Compiled> {
    let plan = parse_plan(Path::new("p"), PLAN.into()).expect("plan").value;
    let s = parse_scenario(Path::new("s"), SCENARIO.into())
        .expect("s")
        .value;
    Arc::new(Compiled::new(&plan, &s))
}

#[test]
fn small_tree_is_explored_exhaustively_with_known_answers() {
    let r = explore(&ctx(), 1, 100, &mut |_, _| {});
    assert_eq!(r.mode, Mode::Exhaustive);
    assert_eq!(r.paths, 5);
    assert_eq!(r.unreachable, vec![InjectId::from("never")]);
    assert_eq!(r.reached, 2);
    assert!(r.never_put.is_empty());
    let best = r.best.expect("best");
    assert!((best.share - 1.0).abs() < 1e-9, "{best:?}");
    assert_eq!(best.steps[0].choice, Some(ChoiceId::from("convene")));
    assert_eq!(best.steps[1].choice, Some(ChoiceId::from("grip3")));
    let worst = r.worst.expect("worst");
    assert!(worst.share.abs() < 1e-9, "{worst:?}");
    assert!(r.never_satisfied.is_empty());
}

#[test]
fn a_large_tree_is_sampled_and_says_so() {
    let r = explore(&ctx(), 1, 2, &mut |_, _| {});
    assert_eq!(r.mode, Mode::Sampled);
    assert_eq!(r.paths, 2);
    // Sampling is seeded: the same seed gives the same report.
    let again = explore(&ctx(), 1, 2, &mut |_, _| {});
    assert_eq!(r.best, again.best);
}

#[test]
fn a_total_below_zero_is_shown_as_zero_share_with_its_raw_points() {
    // "wait" goes against P-tri (weight 3): waiting earns nothing and costs 3 of 4 possible.
    let plan = parse_plan(Path::new("p"), PLAN.into()).expect("plan").value;
    let src = SCENARIO.replace(
        r#"Choice(id: "wait", label: (nl: "", en: "")),"#,
        r#"Choice(id: "wait", label: (nl: "", en: ""), violates: ["P-tri"]),"#,
    );
    assert_ne!(src, SCENARIO, "the edit applied");
    let s = parse_scenario(Path::new("s"), src).expect("s").value;
    let r = explore(&Arc::new(Compiled::new(&plan, &s)), 1, 100, &mut |_, _| {});
    let worst = r.worst.expect("worst");
    assert!((worst.earned + 3.0).abs() < 1e-9, "{worst:?}");
    assert!((worst.possible - 4.0).abs() < 1e-9, "{worst:?}");
    assert!(
        worst.share.abs() < f64::EPSILON,
        "the share is clamped at 0, as in play and report: {worst:?}"
    );
    assert_ne!(worst.steps[0].choice, Some(ChoiceId::from("convene")));
    let json = serde_json::to_value(&worst).expect("json");
    assert_eq!(json["share"], 0.0);
    assert_eq!(json["earned"], -3.0);
}

#[test]
fn a_joint_decision_is_explored_with_all_its_roles_agreeing() {
    let plan = PLAN.replace(
        r#"roles: [ Role(id: "mayor", name: (nl: "", en: ""), team: "T", duty: (nl: "", en: "")) ],"#,
        r#"roles: [ Role(id: "mayor", name: (nl: "", en: ""), team: "T", duty: (nl: "", en: "")),
                Role(id: "ovj", name: (nl: "", en: ""), team: "T", duty: (nl: "", en: "")) ],"#,
    );
    let scenario = SCENARIO
        .replace(r#"roles: ["mayor"]"#, r#"roles: ["mayor", "ovj"]"#)
        .replace(
            r#"Decision(id: "d1", role: "mayor", prompt: (nl: "", en: ""), due_min: 5,"#,
            r#"Decision(id: "d1", role: "mayor", with: ["ovj"], prompt: (nl: "", en: ""), due_min: 5,"#,
        );
    let plan = parse_plan(Path::new("p"), plan).expect("plan").value;
    let s = parse_scenario(Path::new("s"), scenario).expect("s").value;
    let r = explore(&Arc::new(Compiled::new(&plan, &s)), 1, 100, &mut |_, _| {});
    // Convening takes both roles; it releases "b" and earns the triangle procedure.
    assert_eq!(r.paths, 5);
    assert_eq!(r.unreachable, vec![InjectId::from("never")]);
    assert!(r.never_put.is_empty());
    assert!(r.never_satisfied.is_empty());
    assert!((r.best.expect("best").share - 1.0).abs() < 1e-12);
}
