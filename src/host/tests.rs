use std::time::Duration;

use super::*;
use crate::engine::EventKind;
use crate::library::Library;
use crate::model::RoleId;

fn host(dir: &std::path::Path) -> Host {
    let lib = Library::load(&[crate::model::load::builtin_dir()]);
    let ex = lib.find("station-shooting").expect("scenario");
    let session = Session::create(ex, 3, Vec::new(), &dir.join("j.jsonl")).expect("session");
    Host::new(session)
}

/// The first decision that opens, with its role and a choice.
fn first_open(h: &Host) -> (RoleId, crate::model::DecisionId, crate::model::ChoiceId) {
    let v = h.view();
    let sim = v.sim();
    for role in &sim.ctx().scenario.roles {
        if let Some(p) = sim.pending_decisions(role).next() {
            return (
                role.clone(),
                p.decision.id.clone(),
                p.decision.options[0].id.clone(),
            );
        }
    }
    panic!("no decision open");
}

fn run_until_a_decision(h: &Host) {
    h.submit(&Source::Console, Command::Start).expect("start");
    let none_open = || {
        let v = h.view();
        v.sim()
            .ctx()
            .scenario
            .roles
            .iter()
            .all(|r| v.sim().pending_count(r) == 0)
    };
    while none_open() {
        h.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next inject");
    }
}

#[test]
#[allow(clippy::many_single_char_names)]
fn a_seat_decides_once_and_is_journaled_as_the_seat() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = host(dir.path());
    run_until_a_decision(&h);
    let (role, decision, choice) = first_open(&h);
    let seat = Source::Seat("burgemeester-1".into());
    let cmd = Command::Decide {
        role: role.clone(),
        decision: decision.clone(),
        choice,
        rationale: "why".into(),
    };
    let a = h.submit_once("req-1", &seat, cmd.clone()).expect("decide");
    // The same request again: the same receipt, nothing new in the journal.
    let len = h.len();
    let b = h.submit_once("req-1", &seat, cmd.clone()).expect("retry");
    assert_eq!(a, b);
    assert_eq!(h.len(), len);
    // A different request for the same decision is refused by the engine: first one counts.
    let err = h
        .submit_once("req-2", &seat, cmd)
        .expect_err("second decision");
    assert!(
        matches!(err.sim(), Some(SimError::AlreadyDecided(_))),
        "{err}"
    );
    let v = h.view();
    let entry = &v.entries()[(a.seq - 1) as usize];
    assert_eq!(entry.seq, a.seq);
    assert_eq!(entry.actor, "seat:burgemeester-1");
    assert!(
        a.events.iter().any(
            |e| matches!(&e.kind, EventKind::DecisionMade { decision: d, .. } if *d == decision)
        )
    );
    assert_eq!(
        v.sim()
            .pending_decisions(&role)
            .filter(|p| p.decision.id == decision)
            .count(),
        0
    );
    assert!(
        v.sim()
            .settled_decisions(&role)
            .any(|(d, _)| d.id == decision)
    );
}

#[test]
fn waiters_wake_when_the_journal_grows_and_when_closed() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = host(dir.path());
    let seen = h.len();
    let other = h.clone();
    let waiter = std::thread::spawn(move || other.wait_beyond(seen, Duration::from_secs(30)));
    h.submit(&Source::Console, Command::Start).expect("start");
    let now = waiter.join().expect("join");
    assert!(now > seen);
    assert_eq!(h.entries_after(seen).len(), now - seen);
    // Nothing new: the wait times out with the same count.
    assert_eq!(h.wait_beyond(now, Duration::from_millis(10)), now);
    let other = h.clone();
    let waiter = std::thread::spawn(move || other.wait_beyond(now, Duration::from_secs(30)));
    h.close();
    assert_eq!(waiter.join().expect("join"), now);
    assert!(matches!(
        h.submit(&Source::Console, Command::Pause),
        Err(HostError::Closed)
    ));
    assert_eq!(h.len(), now, "a closed host writes nothing");
}

#[test]
fn tick_moves_time_only_while_running_and_journals_what_falls_due() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = host(dir.path());
    assert!(h.tick(Duration::from_mins(1)).expect("tick").is_empty());
    assert_eq!(h.view().sim().now(), 0);
    h.submit(&Source::Console, Command::Start).expect("start");
    h.submit(&Source::Console, Command::SetSpeed { speed: 60 })
        .expect("speed");
    let before = h.len();
    let mut events = 0;
    for _ in 0..40 {
        events += h.tick(Duration::from_millis(250)).expect("tick").len();
    }
    assert_eq!(
        h.view().sim().now(),
        600,
        "40 × 0.25 s at ×60 is ten minutes"
    );
    assert!(events > 0);
    assert!(h.len() >= before + events);
    h.submit(&Source::Console, Command::Pause).expect("pause");
    h.tick(Duration::from_secs(5)).expect("tick");
    assert_eq!(h.view().sim().now(), 600);
}

#[test]
fn refused_commands_are_translated() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = host(dir.path());
    let err = h
        .submit(&Source::Console, Command::JumpToNextInject)
        .expect_err("next inject before start");
    assert_eq!(err.message(Lang::Nl), "De oefening is nog niet gestart.");
    assert_eq!(err.message(Lang::En), "the exercise has not started");
    assert_eq!(h.len(), 0);
}
