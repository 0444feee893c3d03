use std::path::Path;

use super::*;
use crate::engine::{Command, Simulation};
use crate::journal::{Body, Entry, Header};
use crate::model::load::{parse_plan, parse_scenario};

const PLAN: &str = r#"Plan(
    id: "p", title: (nl: "P", en: "P"),
    roles: [
        Role(id: "mayor", name: (nl: "B", en: "M"), team: "T", duty: (nl: "", en: "")),
        Role(id: "police", name: (nl: "P", en: "P"), team: "T", duty: (nl: "", en: "")),
        Role(id: "absent", name: (nl: "A", en: "A"), team: "T", duty: (nl: "", en: "")),
    ],
    actions: [
        Action(id: "triangle", label: (nl: "", en: "")),
        Action(id: "grip3", label: (nl: "", en: "")),
        Action(id: "alert", label: (nl: "", en: "")),
        Action(id: "nothing", label: (nl: "", en: "")),
    ],
    signals: [ Signal(id: "attack", label: (nl: "", en: "")) ],
    vars: [ Var(id: "grip", label: (nl: "", en: ""), init: Int(0), min: Some(0), max: Some(5)) ],
    procedures: [
        Procedure(id: "P-tri", title: (nl: "", en: ""), role: "mayor", phase: Alarmering,
            trigger: Signal("attack"), action: "triangle", within_min: Some(15), weight: 4,
            source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-grip", title: (nl: "", en: ""), role: "mayor", phase: Respons,
            trigger: Signal("attack"), action: "grip3", within_min: Some(10), weight: 2,
            source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-alert", title: (nl: "", en: ""), role: "police", phase: Respons,
            trigger: Signal("attack"), action: "alert", within_min: Some(10), weight: 2,
            source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-miss", title: (nl: "", en: ""), role: "police", phase: Respons,
            trigger: Signal("attack"), action: "nothing", within_min: Some(30), weight: 3,
            source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-never", title: (nl: "", en: ""), role: "mayor", phase: Nazorg,
            trigger: Var("grip", Ge, Int(5)), action: "nothing", weight: 1,
            source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-absent", title: (nl: "", en: ""), role: "absent", phase: Respons,
            trigger: Signal("attack"), action: "nothing", weight: 5,
            source: Source(kind: Lesson, cite: "t")),
    ],
)"#;

const SCENARIO: &str = r#"Scenario(
    id: "s", plan: "p", title: (nl: "", en: ""), summary: (nl: "", en: ""),
    start: "2026-03-18T10:45:00+01:00", duration_min: 120, roles: ["mayor", "police"],
    injects: [
        Inject(id: "shots", at_min: Some(5), to: ["police"], channel: Phone,
            title: (nl: "", en: ""), body: (nl: "", en: ""), effects: [Signal("attack")],
            decisions: [
                Decision(id: "d", role: "mayor", prompt: (nl: "", en: ""), due_min: 30,
                    options: [
                        Choice(id: "hush", label: (nl: "", en: ""), violates: ["P-tri"]),
                        Choice(id: "ok", label: (nl: "", en: "")),
                    ]),
            ]),
    ],
    objectives: [
        Objective(id: "O1", title: (nl: "", en: ""), procedures: ["P-tri", "P-grip"]),
        Objective(id: "O2", title: (nl: "", en: ""), procedures: ["P-never"]),
    ],
)"#;

fn header() -> Header {
    Header {
        format: 1,
        app_version: "t".into(),
        scenario_id: "s".into(),
        scenario_path: String::new(),
        plan_id: "p".into(),
        source_hash: String::new(),
        seed: 1,
        present: Vec::new(),
        wall_start: String::new(),
        team: None,
    }
}

/// Runs commands through the engine and journals them in memory.
fn journal(cmds: Vec<Command>) -> (Plan, Scenario, Vec<Entry>) {
    let plan = parse_plan(Path::new("p"), PLAN.into()).expect("plan").value;
    let scenario = parse_scenario(Path::new("s"), SCENARIO.into())
        .expect("s")
        .value;
    let mut sim = Simulation::new(&plan, &scenario, 1);
    let mut entries = Vec::new();
    let mut push = |t, body| {
        entries.push(Entry {
            seq: entries.len() as u64 + 1,
            t,
            wall: String::new(),
            actor: String::new(),
            prev: String::new(),
            body,
        });
    };
    for c in cmds {
        let t = sim.state().now;
        let ev = sim.apply(c.clone()).expect("command");
        push(t, Body::Command(c));
        for e in ev {
            push(e.t, Body::Event(e));
        }
    }
    (plan, scenario, entries)
}

fn act(role: &str, action: &str) -> Command {
    Command::TakeAction {
        role: role.into(),
        action: action.into(),
        note: String::new(),
    }
}

fn at(min: u64) -> Command {
    Command::AdvanceTo { t: min * 60 }
}

#[test]
fn hand_computed_scorecard_covers_every_status_role_and_phase() {
    let (plan, scenario, entries) = journal(vec![
        Command::Start,
        at(5),
        Command::Decide {
            role: "mayor".into(),
            decision: "d".into(),
            choice: "hush".into(),
            rationale: String::new(),
        },
        at(10),
        act("mayor", "alert"), // police's job, done by the mayor after 5 min
        at(15),
        act("mayor", "triangle"), // after 10 of 15 min: in time
        at(25),
        act("mayor", "grip3"), // after 20 of 10 min: halfway to 3x: 50 %
        at(120),
    ]);
    let card = score(&plan, &scenario, &header(), &entries);
    let get = |id: &str| {
        card.procedures
            .iter()
            .find(|p| p.id.as_str() == id)
            .expect(id)
    };
    assert_eq!(get("P-tri").status, Status::InTime);
    assert!((get("P-tri").points - 4.0).abs() < 1e-9);
    assert_eq!(get("P-tri").violations.len(), 1);
    assert!((get("P-tri").net() - 0.0).abs() < 1e-9);
    assert_eq!(get("P-grip").status, Status::Late);
    assert!((get("P-grip").points - 1.0).abs() < 1e-9);
    assert_eq!(get("P-alert").status, Status::OtherRole);
    assert!((get("P-alert").points - 1.0).abs() < 1e-9);
    assert_eq!(get("P-miss").status, Status::Missed);
    assert!(get("P-miss").points.abs() < 1e-9);
    assert_eq!(get("P-never").status, Status::NotTriggered);
    assert!(get("P-never").possible.abs() < 1e-9);
    assert_eq!(get("P-absent").status, Status::NotInPlay);
    // 4 + 1 + 1 + 0 - 4 = 2 of 4 + 2 + 2 + 3 = 11.
    assert!((card.total.earned - 2.0).abs() < 1e-9, "{:?}", card.total);
    assert!((card.total.possible - 11.0).abs() < 1e-9);
    // Every scored point names the entries it came from: trigger, action, violation.
    assert_eq!(get("P-tri").entries.len(), 3);
    // O1: (4 - 4 + 1) / 6 = 17 % → U; O2 has nothing scored.
    assert_eq!(card.objectives[0].computed, Some(Rating::U));
    assert_eq!(card.objectives[1].computed, None);
    // The mayor is charged for the violation; the police get credit for nothing of their own.
    let mayor = card
        .roles
        .iter()
        .find(|r| r.0.as_str() == "mayor")
        .expect("mayor")
        .1;
    assert!((mayor.earned - 1.0).abs() < 1e-9 && (mayor.possible - 6.0).abs() < 1e-9);
    let lat = card
        .latency
        .iter()
        .find(|l| l.role.as_str() == "mayor")
        .expect("lat");
    assert_eq!((lat.decided, lat.median_secs), (1, Some(0)));
    // Phase totals: Alarmering has P-tri (4 - 4 of 4); Respons has P-grip, P-alert and P-miss
    // (1 + 1 + 0 of 2 + 2 + 3; P-absent is not scored); Nazorg has nothing scored. They add up
    // to the total.
    let phase = |ph: Phase| card.phases.iter().find(|p| p.0 == ph).expect("phase").1;
    let close =
        |t: Tally, e: f64, p: f64| (t.earned - e).abs() < 1e-9 && (t.possible - p).abs() < 1e-9;
    assert!(
        close(phase(Phase::Alarmering), 0.0, 4.0),
        "{:?}",
        card.phases
    );
    assert!(close(phase(Phase::Respons), 2.0, 7.0), "{:?}", card.phases);
    assert!(close(phase(Phase::Nazorg), 0.0, 0.0), "{:?}", card.phases);
    assert!(
        close(phase(Phase::Preparatie), 0.0, 0.0),
        "{:?}",
        card.phases
    );
    // The reasons are data with their values; the words (names, not ids: mayor is "M", police
    // "P" in English) come from the describer.
    assert_eq!(
        get("P-alert").reason,
        Reason::OtherRole {
            by: "mayor".into(),
            owner: "police".into(),
            took_secs: get("P-alert").done_at.expect("done")
                - get("P-alert").triggered_at.expect("t")
        }
    );
    let why = |id: &str| crate::describe::why(get(id), &plan, &scenario, crate::model::Lang::En);
    assert!(
        why("P-alert").contains("Done by \"M\" instead of \"P\""),
        "{}",
        why("P-alert")
    );
    assert!(!why("P-tri").contains("\"hush\""), "{}", why("P-tri"));
    assert!(matches!(get("P-miss").reason, Reason::Missed { .. }));
    assert_eq!(get("P-never").reason, Reason::NotTriggered);
    assert!(matches!(get("P-absent").reason, Reason::NotAtTable { .. }));
}

#[test]
fn ratings_change_exactly_at_40_70_and_90_percent_and_totals_below_zero_count_as_zero() {
    let rating = |earned: f64| {
        Tally {
            earned,
            possible: 100.0,
        }
        .share()
        .map(rating_for)
    };
    assert_eq!(rating(39.9), Some(Rating::U));
    assert_eq!(rating(40.0), Some(Rating::M));
    assert_eq!(rating(69.9), Some(Rating::M));
    assert_eq!(rating(70.0), Some(Rating::S));
    assert_eq!(rating(89.9), Some(Rating::S));
    assert_eq!(rating(90.0), Some(Rating::P));
    assert_eq!(rating(100.0), Some(Rating::P));
    // Below zero: the share is 0, the rating U, and the raw points stay visible.
    let below = Tally {
        earned: -6.6,
        possible: 88.0,
    };
    assert_eq!(below.share(), Some(0.0));
    assert_eq!(below.share().map(rating_for), Some(Rating::U));
    assert_eq!(
        below.summary(crate::model::Lang::En),
        "0 % (-6.6 / 88.0 points)"
    );
    assert_eq!(
        below.summary(crate::model::Lang::Nl),
        "0 % (-6.6 / 88.0 punten)"
    );
    assert_eq!(Tally::default().share(), None);
    assert_eq!(Tally::default().percent(), "—");
}

/// P-grip: triggered at minute 5, 10 minutes allowed, weight 2.
fn grip_done(role: &str, at_min: u64) -> ProcedureResult {
    let (plan, scenario, entries) = journal(vec![
        Command::Start,
        at(at_min),
        act(role, "grip3"),
        at(120),
    ]);
    let card = score(&plan, &scenario, &header(), &entries);
    card.procedures
        .into_iter()
        .find(|p| p.id.as_str() == "P-grip")
        .expect("P-grip")
}

#[test]
fn late_credit_is_full_at_exactly_the_limit_half_at_twice_and_zero_at_three_times() {
    let exactly = grip_done("mayor", 15);
    assert_eq!(exactly.status, Status::InTime);
    assert!((exactly.points - 2.0).abs() < 1e-9, "{exactly:?}");
    let one_minute_more = grip_done("mayor", 16);
    assert_eq!(one_minute_more.status, Status::Late);
    // 1 of the 20 minutes between 1x and 3x: 95 %.
    assert!(
        (one_minute_more.points - 1.9).abs() < 1e-9,
        "{one_minute_more:?}"
    );
    let twice = grip_done("mayor", 25);
    assert!((twice.points - 1.0).abs() < 1e-9, "{twice:?}");
    let three_times = grip_done("mayor", 35);
    assert_eq!(three_times.status, Status::Late);
    assert!(three_times.points.abs() < 1e-9, "{three_times:?}");
}

#[test]
fn a_late_action_by_another_role_earns_half_of_the_late_credit() {
    // The police do the mayor's GRIP 3 after 20 of 10 minutes: 50 % late credit, halved.
    let other = grip_done("police", 25);
    assert_eq!(other.status, Status::OtherRole);
    assert_eq!(other.done_by.as_ref().map(RoleId::as_str), Some("police"));
    assert!((other.points - 0.5).abs() < 1e-9, "{other:?}");
    let in_time = grip_done("police", 15);
    assert!((in_time.points - 1.0).abs() < 1e-9, "{in_time:?}");
}

#[test]
fn too_late_earns_nothing_and_early_counts() {
    let (plan, scenario, entries) = journal(vec![
        Command::Start,
        act("mayor", "triangle"), // before the trigger at minute 5
        at(40),
        act("mayor", "grip3"), // after 35 of 10 min: past 3x
        at(120),
    ]);
    let card = score(&plan, &scenario, &header(), &entries);
    let get = |id: &str| {
        card.procedures
            .iter()
            .find(|p| p.id.as_str() == id)
            .expect(id)
    };
    assert_eq!(get("P-tri").status, Status::InTime);
    assert_eq!(get("P-grip").status, Status::Late);
    assert!(get("P-grip").points.abs() < 1e-9);
    // The default expired without a choice: no violation.
    assert!(get("P-tri").violations.is_empty());
}

#[test]
fn an_observation_overrides_an_objective_rating() {
    let (plan, scenario, entries) = journal(vec![
        Command::Start,
        at(20),
        Command::Observe {
            text: "Team discussed it thoroughly".into(),
            role: None,
            rating: Some(Rating::S),
            objective: Some("O1".into()),
        },
        at(120),
    ]);
    let card = score(&plan, &scenario, &header(), &entries);
    assert_eq!(card.objectives[0].computed, Some(Rating::U));
    assert_eq!(card.objectives[0].rating(), Some(Rating::S));
    assert_eq!(
        card.objectives[0].overridden.as_ref().map(|o| o.1.as_str()),
        Some("Team discussed it thoroughly")
    );
}

#[test]
fn roles_not_at_the_table_are_not_scored() {
    let (plan, scenario, entries) = journal(vec![Command::Start, at(120)]);
    let mut h = header();
    h.present = vec!["mayor".into()];
    let card = score(&plan, &scenario, &h, &entries);
    let alert = card
        .procedures
        .iter()
        .find(|p| p.id.as_str() == "P-alert")
        .expect("p");
    assert_eq!(alert.status, Status::NotInPlay);
}

#[test]
fn live_scorecards_keep_open_procedures_out_of_the_total() {
    let (plan, scenario, entries) = journal(vec![Command::Start, at(10), act("mayor", "triangle")]);
    let card = score(&plan, &scenario, &header(), &entries);
    let get = |id: &str| {
        card.procedures
            .iter()
            .find(|p| p.id.as_str() == id)
            .expect(id)
    };
    // Triggered at 5, allowed 10 min: still open at minute 10.
    assert_eq!(get("P-grip").status, Status::Open);
    assert!(get("P-grip").possible.abs() < 1e-9);
    assert_eq!(get("P-tri").status, Status::InTime);
    assert!((card.total.possible - 4.0).abs() < 1e-9, "{:?}", card.total);
}

// ---------------------------------------------------------------------------------------------
// Format 2 semantics: signals that clear, procedures per occurrence, partial and reasoned
// violations.
// ---------------------------------------------------------------------------------------------

/// A plan with a rumour that comes in waves and a public-information rule.
const WAVES_PLAN: &str = r#"Plan(
    id: "p", title: (nl: "P", en: "P"),
    roles: [
        Role(id: "mayor", name: (nl: "Burgemeester", en: "Mayor"), team: "T", duty: (nl: "", en: "")),
        Role(id: "police", name: (nl: "Politie", en: "Police"), team: "T", duty: (nl: "", en: "")),
    ],
    actions: [
        Action(id: "counter", label: (nl: "Ontkrachten", en: "Counter")),
        Action(id: "inform", label: (nl: "Informeren", en: "Inform")),
        Action(id: "calm", label: (nl: "Kalm", en: "Calm")),
    ],
    signals: [
        Signal(id: "rumour", label: (nl: "Gerucht", en: "Rumour")),
        Signal(id: "attack", label: (nl: "Aanslag", en: "Attack")),
    ],
    procedures: [
        Procedure(id: "P-counter", title: (nl: "Gerucht ontkrachten", en: "Counter the rumour"),
            role: "mayor", phase: Respons, trigger: Signal("rumour"), action: "counter",
            within_min: Some(10), weight: 4, source: Source(kind: Lesson, cite: "t")PER),
        Procedure(id: "P-inform", title: (nl: "Informeren", en: "Inform"), role: "mayor",
            phase: Respons, trigger: Signal("attack"), action: "inform", within_min: Some(15),
            weight: 4, source: Source(kind: Lesson, cite: "t")),
        Procedure(id: "P-restraint", title: (nl: "Terughoudend", en: "Restraint"), role: "mayor",
            phase: Respons, trigger: Signal("attack"), action: "calm", weight: 2,
            source: Source(kind: Lesson, cite: "t")),
    ],
)"#;

const WAVES: &str = r#"Scenario(
    id: "s", plan: "p", title: (nl: "", en: ""), summary: (nl: "", en: ""),
    start: "2026-03-18T10:45:00+01:00", duration_min: 90, roles: ["mayor", "police"],
    injects: [
        Inject(id: "wave1", at_min: Some(0), to: ["mayor"], channel: Social,
            title: (nl: "", en: ""), body: (nl: "", en: ""),
            effects: [Signal("rumour"), Signal("attack")],
            decisions: [
                Decision(id: "d1", role: "mayor", prompt: (nl: "", en: ""), due_min: 15,
                    options: [
                        Choice(id: "counter", label: (nl: "Ontkrachten", en: "Counter"),
                            actions: ["counter"], effects: [Clear("rumour")]),
                        Choice(id: "ignore", label: (nl: "Negeren", en: "Ignore")),
                    ]),
                Decision(id: "say", role: "mayor", prompt: (nl: "", en: ""), due_min: 15,
                    options: [
                        Choice(id: "terror", label: (nl: "Dit is terreur", en: "This is terror"),
                            actions: ["inform"],
                            partly: [Partly(procedure: "P-inform", share: 0.5,
                                why: (nl: "speculeert over het motief", en: "speculates about the motive"))],
                            against: [Against(procedure: "P-restraint", share: 0.5,
                                why: (nl: "voedt de angst", en: "feeds the fear"))]),
                        Choice(id: "facts", label: (nl: "Feiten", en: "Facts"), actions: ["inform"]),
                    ]),
            ]),
        Inject(id: "lull", at_min: Some(20), to: ["mayor"], channel: Social,
            title: (nl: "", en: ""), body: (nl: "", en: ""), effects: [Clear("rumour")]),
        Inject(id: "wave2", at_min: Some(30), to: ["mayor"], channel: Social,
            title: (nl: "", en: ""), body: (nl: "", en: ""), effects: [Signal("rumour")]),
    ],SCENARIO_EXTRA
)"#;

/// Runs `cmds` on the waves scenario; `per` is the procedure's own `per_occurrence`, `extra`
/// more scenario fields.
fn waves(per: bool, extra: &str, cmds: Vec<Command>) -> (Plan, Scenario, Scorecard) {
    let plan_text = WAVES_PLAN.replace("PER", if per { ", per_occurrence: true" } else { "" });
    let plan = parse_plan(Path::new("p"), plan_text).expect("plan").value;
    let scenario = parse_scenario(Path::new("s"), WAVES.replace("SCENARIO_EXTRA", extra))
        .expect("scenario")
        .value;
    let mut sim = Simulation::new(&plan, &scenario, 1);
    let mut events = Vec::new();
    for c in cmds {
        events.extend(sim.apply(c).expect("command"));
    }
    let ctx = Compiled::new(&plan, &scenario);
    let card = score_events(
        &ctx,
        &[],
        events.iter().enumerate().map(|(i, e)| (i as u64 + 1, e)),
        sim.now(),
    );
    (plan, scenario, card)
}

fn decide(decision: &str, choice: &str) -> Command {
    Command::Decide {
        role: "mayor".into(),
        decision: decision.into(),
        choice: choice.into(),
        rationale: String::new(),
    }
}

fn rows<'a>(card: &'a Scorecard, id: &str) -> Vec<&'a ProcedureResult> {
    card.procedures
        .iter()
        .filter(|p| p.id.as_str() == id)
        .collect()
}

#[test]
fn a_procedure_per_occurrence_scores_each_wave_and_once_only_the_first() {
    // Wave one countered at minute 2; wave two (minute 30) ignored.
    let script = || {
        vec![
            Command::Start,
            at(2),
            decide("d1", "counter"),
            decide("say", "facts"),
            at(90),
        ]
    };
    let (_, _, once) = waves(false, "", script());
    let r = rows(&once, "P-counter");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].status, Status::InTime);
    assert_eq!(r[0].occurrence, None);
    assert!((r[0].points - 4.0).abs() < 1e-9);

    let (plan, scenario, each) = waves(true, "", script());
    let r = rows(&each, "P-counter");
    assert_eq!(r.len(), 2, "{r:#?}");
    assert_eq!(r[0].status, Status::InTime);
    assert_eq!(r[0].occurrence, Some((1, 2)));
    assert_eq!(r[0].triggered_at, Some(0));
    assert_eq!(r[1].status, Status::Missed);
    assert_eq!(r[1].occurrence, Some((2, 2)));
    assert_eq!(r[1].triggered_at, Some(30 * 60));
    assert_eq!(r[1].key(), "P-counter#2");
    assert_eq!(r[1].title.en, "Counter the rumour (occurrence 2 of 2)");
    assert!((r[0].points + r[1].points - 4.0).abs() < 1e-9);
    assert!((r[0].possible + r[1].possible - 8.0).abs() < 1e-9);
    // Both rows count towards the total: ignoring a wave costs its points.
    assert!(each.total.possible > once.total.possible);
    let why = crate::describe::why(r[1], &plan, &scenario, crate::model::Lang::En);
    assert!(why.contains("Occurrence 2 of 2"), "{why}");
    assert!(why.contains("0:30:00"), "{why}");

    // The scenario can ask the same of a plan procedure.
    let (_, _, listed) = waves(false, "\n    per_occurrence: [\"P-counter\"],", script());
    assert_eq!(listed, each);
}

#[test]
fn an_action_counts_for_the_occurrence_it_falls_in() {
    // Nothing in wave one; the mayor counters wave two at minute 35 from the palette.
    let (_, _, card) = waves(
        true,
        "",
        vec![Command::Start, at(35), act("mayor", "counter"), at(90)],
    );
    let r = rows(&card, "P-counter");
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].status, Status::Missed);
    assert_eq!(r[1].status, Status::InTime);
    assert_eq!(r[1].done_at, Some(35 * 60));
}

#[test]
fn a_procedure_per_occurrence_that_occurs_once_scores_as_before() {
    // Without the lull no wave ends: the rumour signal never clears, so it occurs once.
    let plan_text = WAVES_PLAN.replace("PER", ", per_occurrence: true");
    let plan = parse_plan(Path::new("p"), plan_text).expect("plan").value;
    let scenario_text = WAVES
        .replace("SCENARIO_EXTRA", "")
        .replace("effects: [Clear(\"rumour\")]),", "),")
        .replace("effects: [Clear(\"rumour\")]", "");
    let scenario = parse_scenario(Path::new("s"), scenario_text)
        .expect("scenario")
        .value;
    let mut sim = Simulation::new(&plan, &scenario, 1);
    let mut events = Vec::new();
    for c in [Command::Start, at(40), act("mayor", "counter"), at(90)] {
        events.extend(sim.apply(c).expect("command"));
    }
    let card = score_events(
        &Compiled::new(&plan, &scenario),
        &[],
        events.iter().map(|e| (0, e)),
        sim.now(),
    );
    let r = rows(&card, "P-counter");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].occurrence, None);
    assert_eq!(r[0].status, Status::Late);
}

#[test]
fn a_partial_choice_earns_its_share_and_a_reasoned_violation_its_penalty() {
    let (plan, scenario, card) = waves(
        false,
        "",
        vec![Command::Start, at(3), decide("say", "terror"), at(90)],
    );
    let inform = rows(&card, "P-inform")[0];
    assert_eq!(inform.status, Status::Partly);
    assert!((inform.points - 2.0).abs() < 1e-9, "{inform:#?}");
    assert!(matches!(
        &inform.reason,
        Reason::Partly { share, credit, decision, choice, by: None, .. }
            if (*share - 0.5).abs() < 1e-9 && (*credit - 0.5).abs() < 1e-9
                && decision == "say" && choice == "terror"
    ));
    let why = crate::describe::why(inform, &plan, &scenario, crate::model::Lang::En);
    assert!(why.contains("\"This is terror\""), "{why}");
    assert!(why.contains("only in part (50 %)"), "{why}");
    assert!(why.contains("speculates about the motive"), "{why}");
    let nl = crate::describe::why(inform, &plan, &scenario, crate::model::Lang::Nl);
    assert!(nl.contains("speculeert over het motief"), "{nl}");

    let restraint = rows(&card, "P-restraint")[0];
    assert_eq!(restraint.violations.len(), 1);
    assert!((restraint.violations[0].points + 1.0).abs() < 1e-9);
    let why = crate::describe::why(restraint, &plan, &scenario, crate::model::Lang::En);
    assert!(
        why.contains("goes against this procedure: -1 points"),
        "{why}"
    );
    assert!(why.contains("Why: feeds the fear"), "{why}");

    // The factual statement earns everything and violates nothing.
    let (_, _, card) = waves(
        false,
        "",
        vec![Command::Start, at(3), decide("say", "facts"), at(90)],
    );
    let inform = rows(&card, "P-inform")[0];
    assert_eq!(inform.status, Status::InTime);
    assert!((inform.points - 4.0).abs() < 1e-9);
    assert!(rows(&card, "P-restraint")[0].violations.is_empty());
}

#[test]
fn a_full_action_later_beats_an_earlier_partial_one() {
    // "This is terror" at minute 3 (half), then the facts from the palette at minute 5.
    let (_, _, card) = waves(
        false,
        "",
        vec![
            Command::Start,
            at(3),
            decide("say", "terror"),
            at(5),
            act("mayor", "inform"),
            at(90),
        ],
    );
    let inform = rows(&card, "P-inform")[0];
    assert_eq!(inform.status, Status::InTime);
    assert_eq!(inform.done_at, Some(5 * 60));
    assert!((inform.points - 4.0).abs() < 1e-9);
}

#[test]
fn a_trigger_that_reads_the_clock_starts_at_its_minute_between_events() {
    // P-restraint from minute 40 of the attack on: nothing happens at minute 40 itself.
    let run = |cmds: Vec<Command>| {
        let plan_text = WAVES_PLAN.replace("PER", "").replace(
            r#"trigger: Signal("attack"), action: "calm""#,
            r#"trigger: All([Signal("attack"), After(40)]), action: "calm", within_min: Some(10)"#,
        );
        let plan = parse_plan(Path::new("p"), plan_text).expect("plan").value;
        let scenario = parse_scenario(Path::new("s"), WAVES.replace("SCENARIO_EXTRA", ""))
            .expect("scenario")
            .value;
        let mut sim = Simulation::new(&plan, &scenario, 1);
        let mut events = Vec::new();
        for c in cmds {
            events.extend(sim.apply(c).expect("command"));
        }
        let card = score_events(
            &Compiled::new(&plan, &scenario),
            &[],
            events.iter().enumerate().map(|(i, e)| (i as u64 + 1, e)),
            sim.now(),
        );
        rows(&card, "P-restraint")[0].clone()
    };
    let r = run(vec![Command::Start, at(45), act("mayor", "calm"), at(90)]);
    assert_eq!(r.triggered_at, Some(40 * 60));
    assert_eq!(r.status, Status::InTime);
    assert_eq!(
        r.reason,
        Reason::InTime {
            took_secs: 300,
            allowed_secs: Some(600)
        }
    );
    // Never done: missed from minute 40.
    let r = run(vec![Command::Start, at(90)]);
    assert_eq!(r.triggered_at, Some(40 * 60));
    assert_eq!(r.status, Status::Missed);
    // Before minute 40 the trigger does not hold: a journal that ends at 35 has not triggered.
    let r = run(vec![Command::Start, at(35)]);
    assert_eq!(r.triggered_at, None);
}

/// Scoring checks a trigger again only when an event changes something it reads (or a moment
/// its clock condition names comes): on random plays of every shipped scenario the scorecard is
/// the same as when every trigger is checked after every event that changes anything.
#[test]
fn checking_only_the_triggers_an_event_can_change_scores_the_same() {
    use crate::engine::DecisionStatus;
    use rand::{RngExt, SeedableRng};
    for ctx in crate::engine::tests_support::shipped() {
        let mut every = (*ctx).clone();
        let all: Vec<usize> = (0..ctx.plan.procedures.len()).collect();
        let r = &mut every.trigger_readers;
        for list in r
            .var
            .iter_mut()
            .chain(&mut r.signal)
            .chain(&mut r.inject)
            .chain(&mut r.decision)
            .chain(&mut r.action)
        {
            list.clone_from(&all);
        }
        r.timed.clone_from(&all);
        for seed in 1..6u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let mut sim = Simulation::with_compiled(Arc::clone(&ctx), seed);
            let mut events = sim.apply(Command::Start).expect("starts");
            while sim.status() != crate::engine::Status::Ended {
                let open: Vec<usize> = (0..ctx.decisions.len())
                    .filter(|&d| matches!(sim.state().decisions[d], DecisionStatus::Open { .. }))
                    .collect();
                if !open.is_empty() && rng.random_bool(0.6) {
                    let d = open[rng.random_range(0..open.len())];
                    let info = &ctx.decisions[d];
                    let c = rng.random_range(0..info.choices.len());
                    let def = &ctx.scenario.injects[info.inject].decisions[info.local];
                    for role in std::iter::once(&info.role).chain(&def.with) {
                        let _ = sim.decide(d, c, role, &mut events);
                    }
                } else {
                    let t = sim.now() + rng.random_range(1..600);
                    events.extend(sim.apply(Command::AdvanceTo { t }).expect("advances"));
                }
            }
            let end = sim.now();
            let numbered = || events.iter().enumerate().map(|(i, e)| (i as u64 + 1, e));
            let fast = score_events(&ctx, &[], numbered(), end);
            let full = score_events(&every, &[], numbered(), end);
            assert_eq!(fast, full, "{} seed {seed}", ctx.scenario.id);
            assert!(fast.procedures.iter().any(|p| p.triggered_at.is_some()));
            // `finish_summary` (exploration) agrees with `finish`: all roles or one at the
            // table, the whole play or half of it (procedures still open).
            let one = [ctx.scenario.roles[0].clone()];
            for (present, upto) in [(&[][..], events.len()), (&one[..], events.len() / 2)] {
                let mut scorer = Scorer::new(&ctx, present, 0);
                for (seq, e) in numbered().take(upto) {
                    scorer.push(seq, e);
                }
                let mut rows = Vec::new();
                let total = scorer.clone().finish_summary(&mut rows);
                let card = scorer.finish();
                assert_eq!(total.earned.to_bits(), card.total.earned.to_bits());
                assert_eq!(total.possible.to_bits(), card.total.possible.to_bits());
                let expected: Vec<_> = card
                    .procedures
                    .iter()
                    .map(|p| (p.index, p.triggered_at.is_some(), p.status))
                    .collect();
                assert_eq!(rows, expected);
            }
        }
    }
}
