//! Property tests of the engine: no command sequence panics; refused commands change nothing;
//! simulated time never goes back; paused time stands still; the same seed and commands give
//! the same events; a journal of any run replays to the same events and state.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use paraat::engine::{Command, Compiled, Event, Rating, Simulation, Status};
use paraat::journal::{self, Body, Entry, Header, Read};
use paraat::model::Channel;
use proptest::prelude::*;

fn compiled() -> Arc<Compiled> {
    static C: OnceLock<Arc<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        let lib = paraat::library::Library::load(&[
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
        ]);
        let ex = lib.find("station-shooting").expect("scenario");
        Arc::new(Compiled::new(&ex.plan.value, &ex.scenario.value))
    })
    .clone()
}

/// A step: a command, or wall time passing.
#[derive(Debug, Clone)]
enum Step {
    Cmd(Command),
    Wall(u64),
}

fn step() -> impl Strategy<Value = Step> {
    let c = compiled();
    let injects: Vec<String> = c
        .scenario
        .injects
        .iter()
        .map(|i| i.id.to_string())
        .collect();
    let decisions: Vec<(String, String, Vec<String>)> = c
        .decisions
        .iter()
        .map(|d| {
            (
                d.id.to_string(),
                d.role.to_string(),
                d.choices.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    let roles: Vec<String> = c.plan.roles.iter().map(|r| r.id.to_string()).collect();
    let actions: Vec<String> = c.plan.actions.iter().map(|a| a.id.to_string()).collect();
    let inj = proptest::sample::select(injects);
    let dec = proptest::sample::select(decisions);
    let role = proptest::sample::select(roles);
    let action = proptest::sample::select(actions);
    prop_oneof![
        3 => Just(Step::Cmd(Command::Start)),
        2 => Just(Step::Cmd(Command::Pause)),
        2 => Just(Step::Cmd(Command::Resume)),
        2 => prop_oneof![Just(1u32), Just(5), Just(60), Just(7)].prop_map(|speed| Step::Cmd(Command::SetSpeed { speed })),
        3 => (0u64..16_000).prop_map(|t| Step::Cmd(Command::AdvanceTo { t })),
        2 => Just(Step::Cmd(Command::JumpToNextInject)),
        2 => inj.clone().prop_map(|i| Step::Cmd(Command::ReleaseNow { inject: i.as_str().into() })),
        1 => inj.clone().prop_map(|i| Step::Cmd(Command::Hold { inject: i.as_str().into() })),
        1 => (inj, 0u64..16_000).prop_map(|(i, at)| Step::Cmd(Command::Retime { inject: i.as_str().into(), at })),
        1 => role.clone().prop_map(|r| Step::Cmd(Command::AdHocInject { to: vec![r.as_str().into()], channel: Channel::Phone, title: "t".into(), body: "b".into() })),
        8 => (dec, any::<prop::sample::Index>(), any::<bool>()).prop_map(|((d, r, cs), i, right_role)| {
            Step::Cmd(Command::Decide {
                role: if right_role { r.as_str().into() } else { "ovj".into() },
                decision: d.as_str().into(),
                choice: i.get(&cs).as_str().into(),
                rationale: "why".into(),
            })
        }),
        3 => (role.clone(), action).prop_map(|(r, a)| Step::Cmd(Command::TakeAction { role: r.as_str().into(), action: a.as_str().into(), note: String::new() })),
        1 => role.prop_map(|r| Step::Cmd(Command::Observe { text: "obs".into(), role: Some(r.as_str().into()), rating: Some(Rating::S), objective: None })),
        1 => Just(Step::Cmd(Command::End)),
        6 => (0u64..120_000).prop_map(Step::Wall),
    ]
}

/// Runs the steps; returns the journal entries (commands that succeeded and all events), and
/// checks the per-step invariants on the way.
fn run(seed: u64, steps: &[Step]) -> (Simulation, Vec<Entry>) {
    let mut sim = Simulation::with_compiled(compiled(), seed);
    let mut entries = Vec::new();
    let push = |entries: &mut Vec<Entry>, t, body| {
        entries.push(Entry {
            seq: entries.len() as u64 + 1,
            t,
            wall: String::new(),
            actor: String::new(),
            prev: String::new(),
            body,
        });
    };
    let mut last_t = 0;
    for s in steps {
        let before = sim.state.clone();
        let events: Vec<Event> = match s {
            Step::Cmd(c) => {
                let Ok(ev) = sim.apply(c.clone()) else {
                    assert_eq!(
                        format!("{before:?}"),
                        format!("{:?}", sim.state),
                        "a refused command changed the state"
                    );
                    continue;
                };
                push(&mut entries, before.now, Body::Command(c.clone()));
                ev
            }
            Step::Wall(ms) => {
                let ev = sim.advance(Duration::from_millis(*ms));
                if before.status != Status::Running {
                    assert_eq!(sim.state.now, before.now, "time moved while not running");
                    assert!(ev.is_empty());
                }
                ev
            }
        };
        assert!(sim.state.now >= before.now, "time went back");
        assert!(sim.state.now <= sim.end_time());
        for e in events {
            assert!(e.t >= last_t, "events out of order");
            last_t = e.t;
            push(&mut entries, e.t, Body::Event(e));
        }
    }
    (sim, entries)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_and_runs_are_deterministic(seed in 0u64..1000, steps in prop::collection::vec(step(), 0..60)) {
        let (a, ea) = run(seed, &steps);
        let (b, eb) = run(seed, &steps);
        prop_assert_eq!(&ea, &eb);
        prop_assert_eq!(format!("{:?}", a.state), format!("{:?}", b.state));
    }

    #[test]
    fn every_run_replays_from_its_journal(seed in 0u64..1000, steps in prop::collection::vec(step(), 0..60)) {
        let (sim, entries) = run(seed, &steps);
        let c = compiled();
        let read = Read {
            header: Header {
                format: journal::FORMAT_VERSION, app_version: String::new(), scenario_id: c.scenario.id.clone(),
                scenario_path: String::new(), plan_id: c.plan.id.clone(), source_hash: String::new(),
                seed, present: Vec::new(), wall_start: String::new(),
            },
            entries,
            torn: None,
            broken: None,
            valid_bytes: 0,
            last_hash: String::new(),
            seal: None,
        };
        let out = journal::replay(&read, &c.plan, &c.scenario).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(out.tail.is_empty());
        // The replayed state, brought to the same time, is the recorded one (time that passed
        // without events is not journaled; the wall-clock remainder aside).
        let mut live = sim.state.clone();
        live.carry_us = 0;
        let mut resumed = out.sim.clone();
        let extra = resumed.sync_to(live.now);
        prop_assert!(extra.is_empty(), "events after the journal's end: {:?}", extra);
        let mut replayed = resumed.state.clone();
        replayed.carry_us = 0;
        prop_assert_eq!(format!("{live:?}"), format!("{replayed:?}"));
    }
}
