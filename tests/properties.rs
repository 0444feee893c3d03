//! Property tests of the engine and the journal.
//!
//! Two generators drive the engine. `any_steps` throws every kind of command at it, most of
//! them refused: no sequence panics, a refused command changes nothing, simulated time never
//! goes back and stands still while not running. `playing_steps` plays as a team would — it
//! starts first, then decides decisions that are open with the role they belong to, advances,
//! pauses and resumes, takes actions and observes — and every one of its commands must be
//! accepted until the exercise ends, so an engine that refuses what it should take fails.
//! Both feed the determinism and replay properties, which compare states structurally
//! (`State: PartialEq`, the `ChaCha` generator's seed and position included).
//!
//! The journal property edits, inserts or deletes any line of a journal written by a real
//! `Session`, the last line included, and checks that the reader names the right line.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use paraat::engine::{
    Command, Compiled, DecisionStatus, Event, Rating, SPEEDS, Simulation, Status,
};
use paraat::journal::{self, Body, Entry, Header, Read};
use paraat::model::Channel;
use proptest::prelude::*;
use proptest::sample::{Index, select};

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

/// A step: a command, wall time passing, or a command chosen from the state at that moment.
#[derive(Debug, Clone)]
enum Step {
    Cmd(Command),
    Wall(u64),
    /// Decide one of the decisions open now (the index picks it, and its choice), with the
    /// role it belongs to.
    DecideOpen(Index, Index),
    /// Pause when running, resume when paused.
    TogglePause,
    /// Move the clock on by this many seconds (at most to the end).
    AdvanceBy(u64),
}

/// Anything at all: most of it refused.
fn any_step() -> impl Strategy<Value = Step> {
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
    let inj = select(injects);
    let dec = select(decisions);
    let role = select(roles);
    let action = select(actions);
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
        8 => (dec, any::<Index>(), any::<bool>()).prop_map(|((d, r, cs), i, right_role)| {
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

fn any_steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(any_step(), 0..60)
}

/// What a team at the table does: every command valid at the moment it is given.
fn playing_step() -> impl Strategy<Value = Step> {
    let c = compiled();
    let roles: Vec<String> = c.scenario.roles.iter().map(ToString::to_string).collect();
    let actions: Vec<String> = c.plan.actions.iter().map(|a| a.id.to_string()).collect();
    let role = select(roles);
    prop_oneof![
        8 => (any::<Index>(), any::<Index>()).prop_map(|(d, ch)| Step::DecideOpen(d, ch)),
        4 => (30u64..1200).prop_map(Step::AdvanceBy),
        2 => Just(Step::TogglePause),
        2 => select(SPEEDS.to_vec()).prop_map(|speed| Step::Cmd(Command::SetSpeed { speed })),
        3 => (role.clone(), select(actions)).prop_map(|(r, a)| Step::Cmd(Command::TakeAction { role: r.as_str().into(), action: a.as_str().into(), note: "n".into() })),
        1 => role.prop_map(|r| Step::Cmd(Command::Observe { text: "obs".into(), role: Some(r.as_str().into()), rating: Some(Rating::P), objective: None })),
        4 => (0u64..120_000).prop_map(Step::Wall),
    ]
}

/// Start first, then play.
fn playing_steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(playing_step(), 1..60).prop_map(|mut v| {
        v.insert(0, Step::Cmd(Command::Start));
        v
    })
}

/// A run: the simulation, its journal entries (accepted commands and all events), and how many
/// commands were given and accepted while the exercise had not ended.
struct Run {
    sim: Simulation,
    entries: Vec<Entry>,
    given: usize,
    accepted: usize,
    decided: usize,
}

/// Resolves a step against the state now: the command to give, if any.
fn command_for(sim: &Simulation, step: &Step) -> Option<Command> {
    match step {
        Step::Cmd(c) => Some(c.clone()),
        Step::Wall(_) => None,
        Step::DecideOpen(d, ch) => {
            let open: Vec<usize> = sim
                .state()
                .decisions
                .iter()
                .enumerate()
                .filter(|(_, s)| matches!(s, DecisionStatus::Open { .. }))
                .map(|(i, _)| i)
                .collect();
            if open.is_empty() {
                return None;
            }
            let info = &sim.ctx().decisions[*d.get(&open)];
            Some(Command::Decide {
                role: info.role.clone(),
                decision: info.id.clone(),
                choice: ch.get(&info.choices).clone(),
                rationale: "why".into(),
            })
        }
        Step::TogglePause => match sim.state().status {
            Status::Running => Some(Command::Pause),
            Status::Paused => Some(Command::Resume),
            Status::Setup | Status::Ended => None,
        },
        Step::AdvanceBy(s) => Some(Command::AdvanceTo {
            t: (sim.state().now + s).min(sim.end_time()),
        }),
    }
}

/// Runs the steps, checking the per-step invariants on the way.
fn run(seed: u64, steps: &[Step]) -> Run {
    let mut sim = Simulation::with_compiled(compiled(), seed);
    let mut r = Run {
        sim: sim.clone(),
        entries: Vec::new(),
        given: 0,
        accepted: 0,
        decided: 0,
    };
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
        let before = sim.state().clone();
        let events: Vec<Event> = if let Step::Wall(ms) = s {
            let ev = sim.advance(Duration::from_millis(*ms));
            if before.status != Status::Running {
                assert_eq!(sim.state().now, before.now, "time moved while not running");
                assert!(ev.is_empty());
            }
            ev
        } else {
            let Some(c) = command_for(&sim, s) else {
                continue;
            };
            if before.status != Status::Ended {
                r.given += 1;
            }
            let Ok(ev) = sim.apply(c.clone()) else {
                assert_eq!(&before, sim.state(), "a refused command changed the state");
                continue;
            };
            r.accepted += 1;
            if matches!(c, Command::Decide { .. }) {
                r.decided += 1;
            }
            push(&mut r.entries, before.now, Body::Command(c));
            ev
        };
        assert!(sim.state().now >= before.now, "time went back");
        assert!(sim.state().now <= sim.end_time());
        for e in events {
            assert!(e.t >= last_t, "events out of order");
            last_t = e.t;
            push(&mut r.entries, e.t, Body::Event(e));
        }
    }
    r.sim = sim;
    r
}

fn replays(seed: u64, steps: &[Step]) -> Result<(), TestCaseError> {
    let r = run(seed, steps);
    let c = compiled();
    let read = Read {
        header: Header {
            format: journal::FORMAT_VERSION,
            app_version: String::new(),
            scenario_id: c.scenario.id.clone(),
            scenario_path: String::new(),
            plan_id: c.plan.id.clone(),
            source_hash: String::new(),
            seed,
            present: Vec::new(),
            wall_start: String::new(),
            team: None,
        },
        entries: r.entries,
        torn: None,
        broken: None,
        valid_bytes: 0,
        last_hash: String::new(),
        seal: None,
    };
    let out = journal::replay(&read, &c.plan, &c.scenario)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(out.tail.is_empty());
    // The replayed state, brought to the same time, is the recorded one (time that passed
    // without events is not journaled; the wall-clock remainder aside).
    let mut live = r.sim.state().clone();
    live.carry_us = 0;
    let mut resumed = out.sim.clone();
    let extra = resumed.sync_to(live.now);
    prop_assert!(
        extra.is_empty(),
        "events after the journal's end: {:?}",
        extra
    );
    let mut replayed = resumed.state().clone();
    replayed.carry_us = 0;
    prop_assert_eq!(live, replayed);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_commands_keep_the_invariants_and_the_same_seed_gives_the_same_run(seed in 0u64..1000, steps in any_steps()) {
        let (a, b) = (run(seed, &steps), run(seed, &steps));
        prop_assert_eq!(&a.entries, &b.entries);
        prop_assert_eq!(&a.sim.state(), &b.sim.state());
    }

    #[test]
    fn any_commands_replay_from_their_journal(seed in 0u64..1000, steps in any_steps()) {
        replays(seed, &steps)?;
    }

    #[test]
    fn a_team_playing_has_every_command_accepted_and_replays(seed in 0u64..1000, steps in playing_steps()) {
        let a = run(seed, &steps);
        // Start always counts, so a broken engine that refuses everything fails here.
        prop_assert!(a.given >= 1);
        prop_assert_eq!(a.accepted, a.given, "commands refused in play: {:?}", steps);
        // Every `DecideOpen` with a decision open was taken (Start opens the first ones).
        let b = run(seed, &steps);
        prop_assert_eq!(&a.entries, &b.entries);
        prop_assert_eq!(&a.sim.state(), &b.sim.state());
        prop_assert_eq!(a.decided, b.decided);
        replays(seed, &steps)?;
    }
}

/// Across many playing runs, decisions are really taken (not skipped for want of an open one).
#[test]
fn playing_runs_take_decisions() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut decided, mut accepted) = (0, 0);
    for seed in 0..64 {
        let steps = playing_steps()
            .new_tree(&mut runner)
            .expect("steps")
            .current();
        let r = run(seed, &steps);
        decided += r.decided;
        accepted += r.accepted;
    }
    // With this deterministic runner: 358 decisions and 1240 commands accepted; the floors
    // are about half, so that only an engine refusing what it should take fails them.
    assert!(decided >= 160, "{decided} decisions in 64 runs");
    assert!(accepted >= 600, "{accepted} commands accepted in 64 runs");
}

/// The lines of a journal written by a real session: the school threat with random play.
fn journal_lines() -> &'static Vec<String> {
    static L: OnceLock<Vec<String>> = OnceLock::new();
    L.get_or_init(|| {
        let lib = paraat::library::Library::load(&[
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
        ]);
        let ex = lib.find("school-threat").expect("scenario");
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("j.jsonl");
        let mut s = journal::Session::create(ex, 5, ex.scenario.value.roles.clone(), &path)
            .expect("session");
        paraat::play::play(&mut s, &paraat::play::Policy::Random).expect("play");
        let text = std::fs::read_to_string(&path).expect("read");
        text.lines().map(str::to_owned).collect()
    })
}

#[derive(Debug, Clone)]
enum LineEdit {
    /// Replace the byte at this position of the line with this printable character.
    Edit(Index, Index, char),
    /// Insert a copy of the line at the second index before the line at the first.
    Insert(Index, Index),
    /// Delete the line.
    Delete(Index),
}

fn line_edit() -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        (
            any::<Index>(),
            any::<Index>(),
            proptest::char::range(' ', '~')
        )
            .prop_map(|(l, p, c)| LineEdit::Edit(l, p, c)),
        (any::<Index>(), any::<Index>()).prop_map(|(at, from)| LineEdit::Insert(at, from)),
        any::<Index>().prop_map(LineEdit::Delete),
    ]
}

/// Whether a line is an entry carrying this sequence number and previous hash.
fn entry_with(line: &str, seq: u64, prev: &str) -> bool {
    serde_json::from_str::<Entry>(line).is_ok_and(|e| e.seq == seq && e.prev == prev)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Lines are numbered from 1; line 1 is the header, N the last line.
    #[test]
    fn an_edited_inserted_or_deleted_line_is_named_by_the_reader(edit in line_edit()) {
        let orig = journal_lines();
        let n = orig.len();
        let full = journal::read_bytes((orig.join("\n") + "\n").as_bytes()).expect("reads");
        prop_assert!(full.broken.is_none() && full.torn.is_none() && n > 50);
        let mut lines = orig.clone();
        // The line the reader must name (`None`: the journal reads as one that ends early),
        // and the first line changed.
        let expected: Option<usize>;
        let changed: usize;
        match &edit {
            LineEdit::Edit(l, p, c) => {
                let k = l.index(n) + 1;
                let line = &mut lines[k - 1];
                let at = p.index(line.len());
                let old = line.as_bytes()[at] as char;
                prop_assume!(old != *c);
                line.replace_range(at..=at, &c.to_string());
                let edited = line.clone();
                changed = k;
                if k == 1 {
                    // A header that no longer parses (or claims a newer format) is refused;
                    // one that still parses breaks the chain at line 2.
                    if !serde_json::from_str::<Header>(&edited)
                        .is_ok_and(|h| h.format <= journal::FORMAT_VERSION)
                    {
                        let r = journal::read_bytes((lines.join("\n") + "\n").as_bytes());
                        prop_assert!(
                            matches!(
                                r,
                                Err(journal::ReadError::BadHeader(_) | journal::ReadError::NewerFormat(_))
                            ),
                            "{:?}",
                            r.map(|r| r.broken)
                        );
                        return Ok(());
                    }
                    expected = Some(2);
                } else if !entry_with(&edited, (k - 1) as u64, &full.entries[k - 2].prev) {
                    expected = Some(k);
                } else if k < n {
                    expected = Some(k + 1);
                } else {
                    // A last line that is still a well-formed entry with the right sequence
                    // and hash: the chain cannot see it (nothing follows it). Only a seal
                    // over the whole file could; the lines before must be untouched.
                    let r = journal::read_bytes((lines.join("\n") + "\n").as_bytes()).expect("reads");
                    prop_assert_eq!(&r.entries[..n - 2], &full.entries[..n - 2]);
                    return Ok(());
                }
            }
            LineEdit::Insert(at, from) => {
                // Insert before line k (2..=N+1) a copy of line j (2..=N).
                let k = at.index(n) + 2;
                let j = from.index(n - 1) + 2;
                lines.insert(k - 1, orig[j - 1].clone());
                changed = k;
                // A copy of the very line it precedes still chains; the original after it not.
                expected = Some(if j == k { k + 1 } else { k });
            }
            LineEdit::Delete(l) => {
                let k = l.index(n) + 1;
                lines.remove(k - 1);
                changed = k;
                if k == 1 {
                    let r = journal::read_bytes((lines.join("\n") + "\n").as_bytes());
                    prop_assert!(matches!(r, Err(journal::ReadError::BadHeader(_))));
                    return Ok(());
                }
                expected = (k < n).then_some(k);
            }
        }
        let r = journal::read_bytes((lines.join("\n") + "\n").as_bytes()).expect("reads");
        prop_assert!(r.torn.is_none());
        if let Some(k) = expected {
                let broken = r.broken.as_ref().map(|b| b.line);
                prop_assert_eq!(broken, Some(k), "{:?}", edit);
                // Every line before the named one is read; those before the change are what
                // was written.
                prop_assert_eq!(r.entries.len(), k - 2);
                let same = changed.saturating_sub(2).min(k - 2);
                prop_assert_eq!(&r.entries[..same], &full.entries[..same]);
        } else {
                prop_assert_eq!(changed, n);
                // The last line deleted: the journal reads as a tail that ends one entry
                // early, every entry before it intact (as after a crash before that write).
                prop_assert!(r.broken.is_none());
                prop_assert_eq!(&r.entries[..], &full.entries[..n - 2]);
        }
    }
}
