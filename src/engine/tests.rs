use super::*;
use crate::model::load::parse_plan;
use crate::model::load::parse_scenario;
use std::path::Path;

pub(crate) const PLAN: &str = r#"Plan(
    id: "p", title: (nl: "P", en: "P"),
    roles: [
        Role(id: "mayor", name: (nl: "B", en: "M"), team: "T", duty: (nl: "", en: "")),
        Role(id: "police", name: (nl: "P", en: "P"), team: "T", duty: (nl: "", en: "")),
        Role(id: "absent", name: (nl: "A", en: "A"), team: "T", duty: (nl: "", en: "")),
    ],
    actions: [
        Action(id: "triangle", label: (nl: "D", en: "T"), roles: ["mayor"]),
        Action(id: "grip3", label: (nl: "G", en: "G"), roles: ["mayor"]),
    ],
    signals: [ Signal(id: "attack", label: (nl: "A", en: "A")) ],
    vars: [
        Var(id: "grip", label: (nl: "GRIP", en: "GRIP"), init: Int(0), min: Some(0), max: Some(5)),
        Var(id: "dead", label: (nl: "Doden", en: "Dead"), init: Int(0), min: Some(0)),
    ],
    procedures: [
        Procedure(id: "P-tri", title: (nl: "", en: ""), role: "mayor", phase: Alarmering,
            trigger: Signal("attack"), action: "triangle", within_min: Some(15), weight: 3,
            source: Source(kind: Lesson, cite: "test")),
    ],
)"#;

pub(crate) const SCENARIO: &str = r#"Scenario(
    id: "s", plan: "p", title: (nl: "S", en: "S"), summary: (nl: "", en: ""),
    start: "2026-03-18T10:45:00+01:00", duration_min: 60,
    roles: ["mayor", "police"],
    injects: [
        Inject(id: "call", at_min: Some(0), to: ["police"], channel: Phone,
            title: (nl: "112", en: "112"), body: (nl: "", en: ""),
            effects: [Signal("attack"), Add("dead", 2)],
            decisions: [
                Decision(id: "d1", role: "mayor", prompt: (nl: "?", en: "?"), due_min: 10,
                    options: [
                        Choice(id: "convene", label: (nl: "", en: ""), actions: ["triangle"],
                               effects: [Set("grip", Int(3)), Raise("grip", 1)], then: ["followup"]),
                        Choice(id: "wait", label: (nl: "", en: "")),
                    ],
                    default: Some("wait")),
            ]),
        Inject(id: "followup", delay_min: 5, to: ["mayor"], channel: Email,
            title: (nl: "F", en: "F"), body: (nl: "", en: "")),
        Inject(id: "if-grip", at_min: Some(20), to: ["mayor"], channel: Email,
            title: (nl: "G", en: "G"), body: (nl: "", en: ""),
            when: Some(Var("grip", Ge, Int(3)))),
        Inject(id: "late", at_min: Some(30), to: ["police"], channel: Radio,
            title: (nl: "L", en: "L"), body: (nl: "", en: "")),
        Inject(id: "maybe", to: ["police"], channel: Social,
            title: (nl: "R", en: "R"), body: (nl: "", en: "")),
    ],
    random: [ Chance(inject: "maybe", p: 0.5, window_min: (10, 40)) ],
)"#;

pub(crate) fn sim(seed: u64) -> Simulation {
    let plan = parse_plan(Path::new("p.ron"), PLAN.into()).expect("plan");
    let s = parse_scenario(Path::new("s.ron"), SCENARIO.into()).expect("scenario");
    Simulation::new(&plan.value, &s.value, seed)
}

fn released(ev: &[Event]) -> Vec<(SimTime, String)> {
    ev.iter()
        .filter_map(|e| match &e.kind {
            EventKind::InjectReleased { inject, .. } => Some((e.t, inject.to_string())),
            _ => None,
        })
        .collect()
}

#[test]
fn start_releases_time_zero_and_opens_decisions() {
    let mut s = sim(1);
    let ev = s.apply(Command::Start).expect("start");
    assert_eq!(released(&ev), vec![(0, "call".to_owned())]);
    assert!(
        ev.iter()
            .any(|e| matches!(&e.kind, EventKind::DecisionOpened { due: 600, .. }))
    );
    assert!(
        ev.iter()
            .any(|e| matches!(&e.kind, EventKind::SignalRaised { .. }))
    );
    assert_eq!(s.state.vars[1], Value::Int(2));
}

#[test]
fn decision_applies_effects_and_follow_ups() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 120 }).expect("advance");
    let ev = s
        .apply(Command::Decide {
            role: "mayor".into(),
            decision: "d1".into(),
            choice: "convene".into(),
            rationale: "motive unclear".into(),
        })
        .expect("decide");
    assert!(ev.iter().any(|e| matches!(
        &e.kind,
        EventKind::DecisionMade {
            latency_secs: 120,
            ..
        }
    )));
    assert!(
        ev.iter()
            .any(|e| matches!(&e.kind, EventKind::InjectScheduled { at: 420, .. }))
    );
    // Raise("grip", 1) after Set("grip", Int(3)) leaves 3.
    assert_eq!(s.state.vars[0], Value::Int(3));
    let ev = s.apply(Command::AdvanceTo { t: 20 * 60 }).expect("advance");
    let r = released(&ev);
    assert!(r.contains(&(420, "followup".to_owned())));
    assert!(r.contains(&(1200, "if-grip".to_owned())));
}

#[test]
fn expiry_takes_default_and_condition_waits() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    let ev = s.apply(Command::AdvanceTo { t: 25 * 60 }).expect("advance");
    assert!(ev.iter().any(|e| matches!(&e.kind,
        EventKind::DecisionExpired { choice: Some(c), .. } if c.as_str() == "wait")));
    assert!(
        ev.iter()
            .any(|e| e.t == 1200 && matches!(&e.kind, EventKind::InjectWaiting { .. }))
    );
    assert!(!released(&ev).iter().any(|(_, i)| i == "if-grip"));
    // Deciding after expiry is refused and changes nothing.
    let before = format!("{:?}", s.state);
    let err = s
        .apply(Command::Decide {
            role: "mayor".into(),
            decision: "d1".into(),
            choice: "convene".into(),
            rationale: String::new(),
        })
        .expect_err("expired");
    assert_eq!(err, SimError::DecisionExpired("d1".into()));
    assert_eq!(before, format!("{:?}", s.state));
}

#[test]
fn invalid_commands_are_refused() {
    let mut s = sim(1);
    assert_eq!(s.apply(Command::Pause), Err(SimError::NotRunning));
    assert_eq!(
        s.apply(Command::AdvanceTo { t: 5 }),
        Err(SimError::NotStarted)
    );
    s.apply(Command::Start).expect("start");
    assert_eq!(s.apply(Command::Start), Err(SimError::AlreadyStarted));
    assert_eq!(
        s.apply(Command::SetSpeed { speed: 3 }),
        Err(SimError::BadSpeed(3))
    );
    let decide = |role: &str, d: &str, c: &str| Command::Decide {
        role: role.into(),
        decision: d.into(),
        choice: c.into(),
        rationale: String::new(),
    };
    assert!(matches!(
        s.apply(decide("police", "d1", "convene")),
        Err(SimError::WrongRole { .. })
    ));
    assert!(matches!(
        s.apply(decide("mayor", "d1", "nope")),
        Err(SimError::UnknownChoice { .. })
    ));
    assert!(matches!(
        s.apply(decide("absent", "d1", "convene")),
        Err(SimError::RoleNotInPlay(_))
    ));
    assert!(matches!(
        s.apply(decide("ghost", "d1", "convene")),
        Err(SimError::UnknownRole(_))
    ));
    s.apply(decide("mayor", "d1", "convene")).expect("decide");
    assert!(matches!(
        s.apply(decide("mayor", "d1", "wait")),
        Err(SimError::AlreadyDecided(_))
    ));
    s.apply(Command::AdvanceTo { t: 100 }).expect("advance");
    assert!(matches!(
        s.apply(Command::AdvanceTo { t: 50 }),
        Err(SimError::TimeInPast { .. })
    ));
    s.apply(Command::End).expect("end");
    assert_eq!(s.apply(Command::Resume), Err(SimError::Ended));
}

#[test]
fn pause_stops_time_and_resume_fires_no_backlog() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::Pause).expect("pause");
    let ev = s.advance(std::time::Duration::from_hours(1));
    assert!(ev.is_empty());
    assert_eq!(s.state.now, 0);
    s.apply(Command::Resume).expect("resume");
    let ev = s.advance(std::time::Duration::from_millis(500));
    assert!(ev.is_empty());
    assert_eq!(s.state.now, 0);
    let _ = s.advance(std::time::Duration::from_millis(600));
    assert_eq!(s.state.now, 1);
}

#[test]
fn speed_scales_time() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::SetSpeed { speed: 60 }).expect("speed");
    let ev = s.advance(std::time::Duration::from_secs(30));
    assert_eq!(s.state.now, 1800);
    assert!(released(&ev).iter().any(|(t, i)| *t == 1800 && i == "late"));
}

#[test]
fn hold_retime_and_release_now() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::Hold {
        inject: "late".into(),
    })
    .expect("hold");
    let ev = s.apply(Command::AdvanceTo { t: 40 * 60 }).expect("advance");
    assert!(!released(&ev).iter().any(|(_, i)| i == "late"));
    s.apply(Command::Retime {
        inject: "late".into(),
        at: 45 * 60,
    })
    .expect("retime");
    let ev = s.apply(Command::JumpToNextInject).expect("jump");
    assert_eq!(released(&ev), vec![(2700, "late".to_owned())]);
    let ev = s
        .apply(Command::ReleaseNow {
            inject: "if-grip".into(),
        })
        .expect("release");
    assert!(
        ev.iter()
            .any(|e| matches!(&e.kind, EventKind::InjectReleased { forced: true, .. }))
    );
}

#[test]
fn time_up_ends_the_exercise() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    let ev = s.apply(Command::AdvanceTo { t: 10_000 }).expect("advance");
    assert!(matches!(
        ev.last().map(|e| &e.kind),
        Some(EventKind::Ended {
            reason: EndReason::TimeUp
        })
    ));
    assert_eq!(s.state.now, 3600);
    assert_eq!(s.state.status, Status::Ended);
}

#[test]
fn chances_depend_on_the_seed_only() {
    let draws = |seed| {
        let mut s = sim(seed);
        match s
            .apply(Command::Start)
            .expect("start")
            .first()
            .map(|e| e.kind.clone())
        {
            Some(EventKind::Started { chances }) => chances,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(draws(7), draws(7));
    let hits = (0..64).filter(|&seed| draws(seed)[0].1.is_some()).count();
    assert!((16..=48).contains(&hits), "p=0.5 hit {hits}/64 times");
}

#[test]
fn a_follow_up_without_delay_comes_with_the_decision() {
    let src = SCENARIO.replace(
        "Inject(id: \"followup\", delay_min: 5,",
        "Inject(id: \"followup\",",
    );
    let plan = parse_plan(Path::new("p.ron"), PLAN.into()).expect("plan");
    let s = parse_scenario(Path::new("s.ron"), src).expect("scenario");
    let mut sim = Simulation::new(&plan.value, &s.value, 1);
    sim.apply(Command::Start).expect("start");
    let ev = sim
        .apply(Command::Decide {
            role: "mayor".into(),
            decision: "d1".into(),
            choice: "convene".into(),
            rationale: String::new(),
        })
        .expect("decide");
    assert!(
        released(&ev).contains(&(0, "followup".to_owned())),
        "{ev:?}"
    );
    assert!(sim.next_due().is_none_or(|t| t > sim.state().now));
}

#[test]
fn next_inject_never_jumps_past_the_end() {
    let mut s = sim(1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::Retime {
        inject: "late".into(),
        at: 10_000,
    })
    .expect("retime");
    s.apply(Command::Hold {
        inject: "if-grip".into(),
    })
    .expect("hold");
    s.apply(Command::AdvanceTo { t: 3000 }).expect("advance");
    // Only "late" is left, due after the end (the chance inject's window closed at 40 min).
    assert!(
        s.state
            .injects
            .iter()
            .filter(|i| i.status == InjectStatus::Pending)
            .all(|i| i.at.is_none_or(|a| a >= 3600))
    );
    assert_eq!(
        s.apply(Command::JumpToNextInject),
        Err(SimError::NothingScheduled)
    );
    assert_eq!(s.state.status, Status::Running);
}

// ---------------------------------------------------------------------------------------------
// Format 2 semantics.
// ---------------------------------------------------------------------------------------------

/// A scenario for the newer effects and conditions, on the test plan. `EXTRA_INJECTS` and
/// `EXTRA_CHOICES` are replaced by each test.
const SEMANTICS: &str = r#"Scenario(
    id: "s2", plan: "p", title: (nl: "S", en: "S"), summary: (nl: "", en: ""),
    start: "2026-03-18T10:45:00+01:00", duration_min: 120,
    roles: ["mayor", "police"],
    injects: [
        Inject(id: "call", at_min: Some(0), to: ["police"], channel: Phone,
            title: (nl: "112", en: "112"), body: (nl: "", en: ""),
            effects: [Signal("attack")],
            decisions: [
                Decision(id: "d1", role: "mayor", prompt: (nl: "?", en: "?"), due_min: 30,
                    options: [
                        Choice(id: "arrest", label: (nl: "", en: ""), EXTRA_CHOICES),
                        Choice(id: "wait", label: (nl: "", en: "")),
                    ]),
            ]),
        Inject(id: "arrested", to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: "")),
        Inject(id: "escaped", to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: "")),
        EXTRA_INJECTS
    ],
)"#;

fn semantics(choices: &str, injects: &str, seed: u64) -> Simulation {
    let plan = parse_plan(Path::new("p.ron"), PLAN.into()).expect("plan");
    let text = SEMANTICS
        .replace("EXTRA_CHOICES", choices)
        .replace("EXTRA_INJECTS", injects);
    let s = parse_scenario(Path::new("s.ron"), text).expect("scenario");
    Simulation::new(&plan.value, &s.value, seed)
}

fn decide(sim: &mut Simulation, role: &str, decision: &str, choice: &str) -> Vec<Event> {
    sim.apply(Command::Decide {
        role: role.into(),
        decision: decision.into(),
        choice: choice.into(),
        rationale: String::new(),
    })
    .expect("decide")
}

#[test]
fn a_cleared_signal_stops_holding_and_can_be_raised_again() {
    let mut s = semantics(
        r#"effects: [Clear("attack")]"#,
        r#"Inject(id: "again", at_min: Some(40), to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: ""), effects: [Signal("attack")]),
        Inject(id: "while-clear", at_min: Some(20), to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: ""), when: Some(Not(Signal("attack")))),"#,
        1,
    );
    s.apply(Command::Start).expect("start");
    assert!(s.state.signals[0]);
    let ev = decide(&mut s, "mayor", "d1", "arrest");
    assert!(ev.iter().any(
        |e| matches!(&e.kind, EventKind::SignalCleared { signal } if signal.as_str() == "attack")
    ));
    assert!(!s.state.signals[0]);
    // Clearing what is not raised does nothing and says nothing.
    let ev = s.apply(Command::AdvanceTo { t: 40 * 60 }).expect("advance");
    assert_eq!(
        released(&ev),
        vec![(1200, "while-clear".to_owned()), (2400, "again".to_owned())]
    );
    assert!(
        ev.iter()
            .any(|e| matches!(&e.kind, EventKind::SignalRaised { .. }))
    );
    assert!(s.state.signals[0]);
}

fn scheduled(ev: &[Event]) -> Vec<String> {
    ev.iter()
        .filter_map(|e| match &e.kind {
            EventKind::InjectScheduled { inject, .. } => Some(inject.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_conditional_effect_depends_on_the_state_when_the_choice_is_made() {
    let choice = r#"effects: [If(Done("grip3"), [Then("arrested")], [Then("escaped")])]"#;
    let mut s = semantics(choice, "", 1);
    s.apply(Command::Start).expect("start");
    assert_eq!(
        scheduled(&decide(&mut s, "mayor", "d1", "arrest")),
        ["escaped"]
    );

    let mut s = semantics(choice, "", 1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::TakeAction {
        role: "mayor".into(),
        action: "grip3".into(),
        note: String::new(),
    })
    .expect("act");
    assert_eq!(
        scheduled(&decide(&mut s, "mayor", "d1", "arrest")),
        ["arrested"]
    );
}

/// The outcome of the arrest's chance for a seed, with an unrelated chance on the first
/// inject or without it.
fn arrest_outcome(seed: u64, other_chance: bool) -> (bool, Vec<String>) {
    let choice = r#"effects: [Chance(0.3, [Then("arrested")], [Then("escaped")])]"#;
    let mut s = semantics(choice, "", seed);
    if other_chance {
        let plan = parse_plan(Path::new("p.ron"), PLAN.into()).expect("plan");
        let text = SEMANTICS
            .replace("EXTRA_CHOICES", choice)
            .replace("EXTRA_INJECTS", "")
            .replace(
                r#"effects: [Signal("attack")],"#,
                r#"effects: [Signal("attack"), Chance(0.5, [Add("dead", 1)], [])],"#,
            );
        let sc = parse_scenario(Path::new("s.ron"), text).expect("scenario");
        s = Simulation::new(&plan.value, &sc.value, seed);
    }
    s.apply(Command::Start).expect("start");
    let ev = decide(&mut s, "mayor", "d1", "arrest");
    let hit = ev
        .iter()
        .find_map(|e| match e.kind {
            EventKind::ChanceDrawn { p, hit } => {
                assert!((p - 0.3).abs() < 1e-12);
                Some(hit)
            }
            _ => None,
        })
        .expect("the chance is journaled");
    (hit, scheduled(&ev))
}

#[test]
fn a_chance_effect_is_deterministic_per_seed_and_independent_of_other_draws() {
    let mut hits = 0;
    for seed in 0..200 {
        let (hit, follow) = arrest_outcome(seed, false);
        assert_eq!(follow, [if hit { "arrested" } else { "escaped" }]);
        // Same seed, same outcome; another chance drawn before it changes nothing.
        assert_eq!(arrest_outcome(seed, false), (hit, follow.clone()));
        assert_eq!(arrest_outcome(seed, true), (hit, follow));
        hits += usize::from(hit);
    }
    // p = 0.3 over 200 seeds: about 60 hits (far outside 30..90 would be a broken draw).
    assert!((30..90).contains(&hits), "{hits} hits");
}

#[test]
fn chance_effects_leave_the_creation_draws_alone() {
    // The random chances drawn at creation are the same with or without chance effects, so
    // journals recorded before chance effects existed replay the same.
    let choice = r#"effects: [Chance(0.3, [Then("arrested")], [Then("escaped")])]"#;
    let mut a = semantics("", "", 7);
    a.apply(Command::Start).expect("start");
    decide(&mut a, "mayor", "d1", "arrest");
    let mut b = semantics(choice, "", 7);
    b.apply(Command::Start).expect("start");
    decide(&mut b, "mayor", "d1", "arrest");
    assert_eq!(
        a.state.rng, b.state.rng,
        "a chance effect does not draw from the main stream"
    );
}

fn released_by(s: &mut Simulation, min: u64) -> Vec<(SimTime, String)> {
    released(
        &s.apply(Command::AdvanceTo { t: min * 60 })
            .expect("advance"),
    )
}

#[test]
fn an_inject_after_a_minute_comes_at_that_minute_with_nothing_else_happening() {
    let mut s = semantics(
        "",
        r#"Inject(id: "late-news", at_min: Some(10), to: ["police"], channel: Media,
            title: (nl: "", en: ""), body: (nl: "", en: ""), when: Some(After(50))),"#,
        1,
    );
    s.apply(Command::Start).expect("start");
    assert_eq!(released_by(&mut s, 49), vec![]);
    assert_eq!(s.state.injects[3].status, InjectStatus::Waiting);
    // Advancing far beyond releases it at minute 50 itself, not at the end of the step.
    let mut t = semantics(
        "",
        r#"Inject(id: "late-news", at_min: Some(10), to: ["police"], channel: Media,
            title: (nl: "", en: ""), body: (nl: "", en: ""), when: Some(After(50))),"#,
        1,
    );
    t.apply(Command::Start).expect("start");
    assert_eq!(
        released_by(&mut t, 100),
        vec![(3000, "late-news".to_owned())]
    );
}

#[test]
fn windows_after_an_inject_or_a_decision_open_and_close_on_time() {
    let injects = r#"Inject(id: "quiet", at_min: Some(5), to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: ""), when: Some(Not(ReleasedWithin("call", 20)))),
        Inject(id: "echo", at_min: Some(0), to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: ""), when: Some(DecidedWithin("d1", 10))),
        Inject(id: "too-late", at_min: Some(30), to: ["police"], channel: Radio,
            title: (nl: "", en: ""), body: (nl: "", en: ""), when: Some(DecidedWithin("d1", 10))),"#;
    let mut s = semantics("", injects, 1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 3 * 60 }).expect("advance");
    // The decision at minute 3 opens the 10-minute window: "echo" (waiting since 0) comes now.
    assert_eq!(
        released(&decide(&mut s, "mayor", "d1", "wait")),
        vec![(180, "echo".to_owned())]
    );
    // "quiet" waits until 20 minutes after the call; "too-late" finds the window (3..13) shut.
    assert_eq!(released_by(&mut s, 120), vec![(1200, "quiet".to_owned())]);
    assert_eq!(s.state.injects[5].status, InjectStatus::Waiting);
}

#[test]
fn the_same_choice_works_early_and_goes_wrong_late() {
    let choice = r#"effects: [If(After(10), [Then("escaped")], [Then("arrested")])]"#;
    let mut s = semantics(choice, "", 1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 2 * 60 }).expect("advance");
    assert_eq!(
        scheduled(&decide(&mut s, "mayor", "d1", "arrest")),
        ["arrested"]
    );
    let mut s = semantics(choice, "", 1);
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 20 * 60 }).expect("advance");
    assert_eq!(
        scheduled(&decide(&mut s, "mayor", "d1", "arrest")),
        ["escaped"]
    );
}

/// The semantics scenario with `fields` added to decision d1 (and "arrest" taking the
/// triangle action).
fn shared(fields: &str) -> Simulation {
    let plan = parse_plan(Path::new("p.ron"), PLAN.into()).expect("plan");
    let text = SEMANTICS
        .replace("EXTRA_CHOICES", r#"actions: ["triangle"]"#)
        .replace("EXTRA_INJECTS", "")
        .replace("due_min: 30,", &format!("due_min: 30, {fields}"));
    let s = parse_scenario(Path::new("s.ron"), text).expect("scenario");
    let mut sim = Simulation::new(&plan.value, &s.value, 1);
    sim.apply(Command::Start).expect("start");
    sim
}

fn try_decide(sim: &mut Simulation, role: &str, choice: &str) -> Result<Vec<Event>, SimError> {
    sim.apply(Command::Decide {
        role: role.into(),
        decision: "d1".into(),
        choice: choice.into(),
        rationale: String::new(),
    })
}

#[test]
fn a_joint_decision_is_made_only_when_all_its_roles_agree() {
    let mut s = shared(r#"with: ["police"],"#);
    assert_eq!(
        s.pending_count(&"police".into()),
        1,
        "the decision is on both desks"
    );
    let ev = decide(&mut s, "mayor", "d1", "arrest");
    assert!(matches!(
        &ev[..],
        [Event {
            kind: EventKind::DecisionVoted { .. },
            ..
        }]
    ));
    assert_eq!(s.vote_of(0, &"mayor".into()), Some(0));
    let ev = decide(&mut s, "police", "d1", "wait");
    assert!(matches!(
        &ev[..],
        [Event {
            kind: EventKind::DecisionVoted { .. },
            ..
        }]
    ));
    assert!(matches!(s.state.decisions[0], DecisionStatus::Open { .. }));
    assert!(!s.state.done[0], "no action before agreement");
    // The police change their mind: now both chose "arrest".
    s.apply(Command::AdvanceTo { t: 240 }).expect("advance");
    let ev = decide(&mut s, "police", "d1", "arrest");
    assert!(ev.iter().any(|e| matches!(
        &e.kind,
        EventKind::DecisionMade { role, latency_secs: 240, .. } if role.as_str() == "mayor"
    )));
    assert!(matches!(
        s.state.decisions[0],
        DecisionStatus::Made { choice: 0, .. }
    ));
    assert!(s.state.done[0]);
    assert!(s.state.votes.is_empty());
    assert!(matches!(
        try_decide(&mut s, "mayor", "wait"),
        Err(SimError::AlreadyDecided(_))
    ));
}

#[test]
fn a_joint_decision_without_agreement_expires() {
    let mut s = shared(r#"with: ["police"],"#);
    decide(&mut s, "mayor", "d1", "arrest");
    let ev = s.apply(Command::AdvanceTo { t: 31 * 60 }).expect("advance");
    assert!(
        ev.iter()
            .any(|e| matches!(&e.kind, EventKind::DecisionExpired { choice: None, .. }))
    );
    assert!(s.state.votes.is_empty());
    assert!(!s.state.done[0]);
}

#[test]
fn an_any_of_decision_is_taken_by_whichever_role_acts_first() {
    let mut s = shared(r#"any_of: ["police"],"#);
    let ev = decide(&mut s, "police", "d1", "arrest");
    assert!(ev.iter().any(|e| matches!(
        &e.kind,
        EventKind::DecisionMade { role, .. } if role.as_str() == "police"
    )));
    // The action is the police's, who took it.
    assert!(ev.iter().any(|e| matches!(
        &e.kind,
        EventKind::ActionTaken { role, .. } if role.as_str() == "police"
    )));
    assert!(matches!(
        try_decide(&mut s, "mayor", "wait"),
        Err(SimError::AlreadyDecided(_))
    ));
    // Without any_of, the police may not answer the mayor's decision.
    let mut s = shared("");
    assert!(matches!(
        try_decide(&mut s, "police", "arrest"),
        Err(SimError::WrongRole { .. })
    ));
}

/// The shipped scenarios, compiled.
pub(crate) fn shipped() -> Vec<Arc<Compiled>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = crate::library::Library::load(&[root.join("scenarios")]);
    assert!(lib.exercises.len() >= 5, "the shipped scenarios load");
    lib.exercises
        .iter()
        .map(|ex| Arc::new(Compiled::new(&ex.plan.value, &ex.scenario.value)))
        .collect()
}

/// What falls due next and what waits, found by looking at every inject and decision.
fn scanned(s: &State) -> (Option<SimTime>, Vec<usize>) {
    let inj = s
        .injects
        .iter()
        .filter(|i| i.status == InjectStatus::Pending)
        .filter_map(|i| i.at);
    let dec = s.decisions.iter().filter_map(|d| match d {
        DecisionStatus::Open { due, .. } => Some(*due),
        _ => None,
    });
    let waiting = (0..s.injects.len())
        .filter(|&i| s.injects[i].status == InjectStatus::Waiting)
        .collect();
    (inj.chain(dec).min(), waiting)
}

/// Random commands of every kind that touches the schedule, on every shipped scenario: what
/// the engine keeps to find the next due item without scanning (`due`, `waiting`) always
/// agrees with a scan of the state, and deciding by index (as exploration does) gives the same
/// events and state as the command with ids.
#[test]
fn the_due_index_and_deciding_by_index_agree_with_the_state_and_the_commands() {
    use rand::{RngExt, SeedableRng};
    for ctx in shipped() {
        for seed in 1..4u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let mut cmd_sim = Simulation::with_compiled(Arc::clone(&ctx), seed);
            let mut index_sim = cmd_sim.clone();
            let mut by_index = Vec::new();
            let both = |x: &mut Simulation, y: &mut Simulation, cmd: Command| {
                let by_cmd = x.apply(cmd.clone());
                assert_eq!(by_cmd, y.apply(cmd));
            };
            both(&mut cmd_sim, &mut index_sim, Command::Start);
            for _ in 0..400 {
                if cmd_sim.status() == Status::Ended {
                    break;
                }
                let inject = ctx.scenario.injects[rng.random_range(0..ctx.scenario.injects.len())]
                    .id
                    .clone();
                match rng.random_range(0..10) {
                    0 => both(&mut cmd_sim, &mut index_sim, Command::Hold { inject }),
                    1 => {
                        let at = cmd_sim.now() + rng.random_range(0..1200);
                        both(&mut cmd_sim, &mut index_sim, Command::Retime { inject, at });
                    }
                    2 => both(&mut cmd_sim, &mut index_sim, Command::ReleaseNow { inject }),
                    3 => both(&mut cmd_sim, &mut index_sim, Command::JumpToNextInject),
                    4..=6 => {
                        let t = cmd_sim.now() + rng.random_range(0..900);
                        both(&mut cmd_sim, &mut index_sim, Command::AdvanceTo { t });
                    }
                    _ => {
                        let open: Vec<usize> = (0..ctx.decisions.len())
                            .filter(|&d| {
                                matches!(cmd_sim.state().decisions[d], DecisionStatus::Open { .. })
                            })
                            .collect();
                        if open.is_empty() {
                            continue;
                        }
                        let d = open[rng.random_range(0..open.len())];
                        let info = &ctx.decisions[d];
                        let c = rng.random_range(0..info.choices.len());
                        let def = &ctx.scenario.injects[info.inject].decisions[info.local];
                        for role in std::iter::once(&info.role).chain(&def.with) {
                            let by_cmd = cmd_sim.apply(Command::Decide {
                                role: role.clone(),
                                decision: info.id.clone(),
                                choice: info.choices[c].clone(),
                                rationale: String::new(),
                            });
                            by_index.clear();
                            let r = index_sim.decide(d, c, role, &mut by_index);
                            assert_eq!(by_cmd, r.map(|()| by_index.clone()));
                        }
                    }
                }
                assert_eq!(cmd_sim.state(), index_sim.state());
                for s in [&cmd_sim, &index_sim] {
                    let (next, waiting) = scanned(s.state());
                    assert_eq!(s.next_due(), next);
                    assert_eq!(s.waiting, waiting);
                }
            }
        }
    }
}
