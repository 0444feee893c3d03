// Points are sums of whole weights here: exact comparisons are right.
#![allow(clippy::float_cmp)]

use std::path::PathBuf;

use super::*;
use crate::journal::Session;
use crate::library::Library;
use crate::play::{self, Policy};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Plays a shipped script with seed 1 into a journal; returns the compiled scenario, the header
/// and the entries.
fn played(script: &str) -> (Arc<Compiled>, Header, Vec<Entry>) {
    let lib = Library::load(&[root().join("scenarios")]);
    let script = play::load_script(&root().join("tests/scripts").join(script)).expect("script");
    let ex = lib.find(&script.scenario).expect("scenario");
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = Session::create(
        ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    play::play(&mut s, &Policy::Script(script)).expect("plays");
    (
        s.sim().ctx().clone(),
        s.header().clone(),
        s.entries().to_vec(),
    )
}

fn spec(decision: &str, choice: &str) -> Spec {
    Spec {
        decision: DecisionId::from(decision),
        choice: ChoiceId::from(choice),
        then: ThenSpec::Default,
    }
}

/// The decisions a journal's team took, with their choices.
fn taken(entries: &[Entry]) -> Vec<(String, String)> {
    entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Event(Event {
                kind:
                    EventKind::DecisionMade {
                        decision, choice, ..
                    },
                ..
            }) => Some((decision.to_string(), choice.to_string())),
            _ => None,
        })
        .collect()
}

fn same(a: &[Entry], b: &[Entry]) {
    assert_eq!(a.len(), b.len(), "as many entries");
    for (x, y) in a.iter().zip(b) {
        assert_eq!(
            (x.seq, x.t, &x.actor, &x.body),
            (y.seq, y.t, &y.actor, &y.body),
            "entry {}",
            x.seq
        );
    }
}

#[test]
fn the_journals_own_choice_reproduces_it_exactly() {
    for script in [
        "01-station-shooting-poor.ron",
        "01-station-shooting-good.ron",
        "03-hostage-town-hall-poor.ron",
    ] {
        let (ctx, h, e) = played(script);
        let decisions = taken(&e);
        assert!(decisions.len() > 5, "{script}: the team decides");
        for (d, c) in decisions {
            let o = what_if(&ctx, &h, &e, &spec(&d, &c), &Then::First).expect("plays");
            assert!(o.identical(), "{script} {d}: {:?}", o.first_difference);
            same(&e, &o.entries);
            assert_eq!(o.card_before, o.card_after);
            assert!(o.dropped.is_empty() && o.added.is_empty() && o.injects.is_empty());
        }
    }
}

/// A journal as the app writes it: wall time in frames of uneven length, heartbeats, a pause,
/// a speed change, decisions between frames. The branch runner moves time in other steps; the
/// engine must give the same events.
#[test]
fn an_app_journal_with_its_own_choice_reproduces_it_exactly() {
    use std::time::Duration;
    let lib = Library::load(&[root().join("scenarios")]);
    let ex = lib.find("station-shooting").expect("scenario");
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = Session::create(
        ex,
        7,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    s.apply(Command::Start).expect("start");
    s.apply(Command::SetSpeed { speed: 60 }).expect("speed");
    let mut frame = 0u64;
    while s.sim().status() != crate::engine::Status::Ended && frame < 20_000 {
        frame += 1;
        s.advance(Duration::from_micros(16_667 + (frame % 7) * 1_000))
            .expect("advance");
        if frame == 900 {
            s.apply(Command::Pause).expect("pause");
            s.apply(Command::Resume).expect("resume");
        }
        // Every tenth frame, the first pending decision of any role takes its first option.
        if frame.is_multiple_of(10) {
            let open: Vec<(RoleId, DecisionId, ChoiceId)> = ex
                .scenario
                .value
                .roles
                .iter()
                .flat_map(|r| {
                    s.sim()
                        .pending_decisions(r)
                        .map(|p| {
                            (
                                r.clone(),
                                p.decision.id.clone(),
                                p.decision.options[0].id.clone(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .take(1)
                .collect();
            for (role, decision, choice) in open {
                s.apply(Command::Decide {
                    role,
                    decision,
                    choice,
                    rationale: "r".into(),
                })
                .expect("decide");
            }
        }
    }
    let (ctx, h, e) = (
        s.sim().ctx().clone(),
        s.header().clone(),
        s.entries().to_vec(),
    );
    assert!(
        e.iter().any(|x| x.actor == "clock"),
        "heartbeats in the journal"
    );
    let decisions = taken(&e);
    assert!(decisions.len() > 3);
    for (d, c) in decisions {
        let o = what_if(&ctx, &h, &e, &spec(&d, &c), &Then::Default).expect("plays");
        assert!(o.identical(), "{d}: {:?}", o.first_difference);
        same(&e, &o.entries);
    }
}

/// The poor team of the station shooting lets the police chief publish casualty figures before
/// the relatives are told (`d-families` = `nu-publiceren`, at 2:05); the good team informs the
/// families first (`families-eerst`). By hand, from the scenario and the plan:
/// - `nu-publiceren` violates `P-families-first` (weight 3): −3 charged to the police chief;
///   the procedure's action `inform_relatives_first` is never taken, so it is missed: 0.
///   Net −3.
/// - `families-eerst` takes the action `inform_relatives_first` as the police chief, the
///   procedure's own role; the procedure has no time limit, so it is in time: +3, and there is no
///   violation. Net +3.
/// - Nothing else depends on it: the only other effects of `nu-publiceren` are media pressure −1
///   (no procedure triggers on it) and the follow-up inject `i-familie-via-media`, which no
///   longer comes.
///
/// So the total rises by exactly 3 − (−3) = 6 points, out of the same 107 possible.
#[test]
fn a_better_choice_on_the_poor_script_raises_the_score_by_the_hand_checked_amount() {
    let (ctx, h, e) = played("01-station-shooting-poor.ron");
    let o = what_if(
        &ctx,
        &h,
        &e,
        &spec("d-families", "families-eerst"),
        &Then::Default,
    )
    .expect("plays");
    assert_eq!(
        o.original.choice.as_ref().map(ChoiceId::as_str),
        Some("nu-publiceren")
    );
    assert!(!o.original.expired);
    assert_eq!(o.at, 125 * 60, "taken when the team took it");
    assert!(
        (o.total_after.earned - o.total_before.earned - 6.0).abs() < 1e-9,
        "{:?} → {:?}",
        o.total_before,
        o.total_after
    );
    assert!((o.total_after.possible - o.total_before.possible).abs() < 1e-9);
    let changed: Vec<&ProcedureDiff> = o
        .procedures
        .iter()
        .filter(|p| (p.net_before - p.net_after).abs() > 1e-9 || p.status_before != p.status_after)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    let p = changed[0];
    assert_eq!(p.id.as_str(), "P-families-first");
    assert_eq!((p.status_before, p.net_before), (Status::Missed, -3.0));
    assert_eq!((p.status_after, p.net_after), (Status::InTime, 3.0));
    let no_longer: Vec<&str> = o.no_longer().map(|c| c.inject.as_str()).collect();
    assert_eq!(no_longer, ["i-familie-via-media"]);
    assert_eq!(o.now_come().count(), 0);
    let first = o.first_difference.as_ref().expect("differs");
    assert_eq!(first.t, 125 * 60);
    assert!(
        matches!(&first.branch, Some(Event { kind: EventKind::DecisionMade { choice, .. }, .. }) if choice.as_str() == "families-eerst")
    );
    // The objective that holds the procedure moves with it; the journal is untouched.
    assert!(
        o.objectives
            .iter()
            .any(|x| x.after.earned > x.before.earned)
    );
}

#[test]
fn an_expired_decision_is_taken_a_second_before_its_deadline() {
    let (ctx, h, e) = played("01-station-shooting-poor.ron");
    let o = what_if(&ctx, &h, &e, &spec("d-sgbo", "sgbo"), &Then::Default).expect("plays");
    assert!(o.original.expired);
    assert_eq!(o.at, o.original.t - 1);
    let made = o.entries.iter().find_map(|x| match &x.body {
        Body::Event(Event {
            t,
            kind: EventKind::DecisionMade { decision, .. },
        }) if decision.as_str() == "d-sgbo" => Some(*t),
        _ => None,
    });
    assert_eq!(made, Some(o.original.t - 1));
    assert!(!o.entries.iter().any(|x| matches!(&x.body, Body::Event(Event { kind: EventKind::DecisionExpired { decision, .. }, .. }) if decision.as_str() == "d-sgbo")));
}

/// Asking NL-Alert puts a decision the poor journal never had (`d-nlalert-verzenden`): by
/// default it expires; with `first` its first option is taken the moment it is put; with the
/// good team's script, when that script takes it.
#[test]
fn new_decisions_follow_the_reviewers_policy() {
    let (ctx, h, e) = played("01-station-shooting-poor.ron");
    let s = spec("d-nlalert", "aanvragen");
    let by_default = what_if(&ctx, &h, &e, &s, &Then::Default).expect("plays");
    assert!(by_default.added.is_empty());
    let expired = |o: &Outcome| {
        o.entries.iter().any(|x| matches!(&x.body, Body::Event(Event { kind: EventKind::DecisionExpired { decision, .. }, .. }) if decision.as_str() == "d-nlalert-verzenden"))
    };
    assert!(expired(&by_default));
    let first = what_if(&ctx, &h, &e, &s, &Then::First).expect("plays");
    let opened = first
        .entries
        .iter()
        .find_map(|x| match &x.body {
            Body::Event(Event {
                t,
                kind: EventKind::DecisionOpened { decision, .. },
            }) if decision.as_str() == "d-nlalert-verzenden" => Some(*t),
            _ => None,
        })
        .expect("put on the branch");
    assert_eq!(first.added.len(), 1);
    assert_eq!(
        (
            first.added[0].decision.as_str(),
            first.added[0].t,
            first.added[0].taken
        ),
        ("d-nlalert-verzenden", opened, true)
    );
    assert!(!expired(&first));
    let good = play::load_script(&root().join("tests/scripts/01-station-shooting-good.ron"))
        .expect("script");
    let scripted = what_if(&ctx, &h, &e, &s, &Then::Script(good)).expect("plays");
    assert_eq!(scripted.added.len(), 1);
    // The good script sends at 0:36, but on this branch the decision is only put at 0:39
    // (the request comes later than the good team's): it is taken the moment it is put.
    assert_eq!(
        (scripted.added[0].choice.as_str(), scripted.added[0].t),
        ("verzenden", opened)
    );
    assert_eq!(opened, 39 * 60);
    // Later journal commands for decisions that no longer arise are dropped, with the reason.
    let d = what_if(
        &ctx,
        &h,
        &e,
        &spec("d-driehoek", "driehoek-en-grip3"),
        &Then::Default,
    )
    .expect("plays");
    assert!(d.dropped.iter().any(|x| matches!(&x.command, Command::Decide { decision, .. } if decision.as_str() == "d-grip3-laat") && matches!(x.error, SimError::DecisionNotOpen(_))));
}

#[test]
fn bad_requests_are_refused_with_what_there_is() {
    let (ctx, h, e) = played("01-station-shooting-poor.ron");
    let err = what_if(&ctx, &h, &e, &spec("d-nope", "x"), &Then::Default).expect_err("unknown");
    assert!(err.to_string().contains("d-families"), "{err}");
    let err =
        what_if(&ctx, &h, &e, &spec("d-families", "nope"), &Then::Default).expect_err("unknown");
    assert!(err.to_string().contains("families-eerst"), "{err}");
    // Put only on another path: never settled in this journal.
    let err = what_if(
        &ctx,
        &h,
        &e,
        &spec("d-nlalert-verzenden", "verzenden"),
        &Then::Default,
    )
    .expect_err("never put");
    assert!(matches!(err, WhatIfError::NotSettled(_)), "{err}");
}

#[test]
fn kept_what_ifs_live_beside_the_journal() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = dir.path().join("x.jsonl");
    std::fs::write(&j, b"journal").expect("write");
    assert!(load_kept(&j).is_empty());
    let specs = vec![
        spec("d-a", "b"),
        Spec {
            then: ThenSpec::Script("s.ron".into()),
            ..spec("d-c", "e")
        },
    ];
    save_kept(&j, &specs).expect("save");
    assert_eq!(load_kept(&j), specs);
    assert_eq!(std::fs::read(&j).expect("read"), b"journal");
    assert_eq!(store_path(&j), dir.path().join("x.jsonl.whatif.json"));
}
