use std::path::{Path, PathBuf};

use super::*;
use crate::journal::Session;
use crate::library::Library;
use crate::play::{self, Policy};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Plays a script (or the default policy) into `dir/name` for `team`.
fn play_into(
    lib: &Library,
    dir: &Path,
    name: &str,
    script: Option<&str>,
    seed: u64,
    team: Option<&str>,
) -> PathBuf {
    let ex = lib.find("station-shooting").expect("scenario");
    let path = dir.join(name);
    let mut s = Session::create_for_team(ex, seed, ex.scenario.value.roles.clone(), team, &path)
        .expect("session");
    let policy = match script {
        Some(f) => Policy::Script(
            play::load_script(&root().join("tests/scripts").join(f)).expect("script"),
        ),
        None => Policy::Default,
    };
    play::play(&mut s, &policy).expect("plays");
    path
}

fn find(lib: &Library) -> impl Fn(&Header, &Path) -> Option<Exercise> + '_ {
    move |h, p| crate::library::exercise_for_journal(h, Some(p), Some(lib))
}

const HOSTILE: &str =
    "<script>alert('x')</script> \"onmouseover=x ]]> | *bold* [l](javascript:x) \u{202E}evil";

#[test]
fn journals_of_one_version_are_compared_per_procedure_objective_role_and_team() {
    let lib = Library::load(&[root().join("scenarios")]);
    let dir = tempfile::tempdir().expect("tmp");
    let paths = vec![
        play_into(
            &lib,
            dir.path(),
            "a.jsonl",
            Some("01-station-shooting-poor.ron"),
            1,
            Some("Noord"),
        ),
        play_into(
            &lib,
            dir.path(),
            "b.jsonl",
            Some("01-station-shooting-good.ron"),
            1,
            Some("Noord"),
        ),
        play_into(
            &lib,
            dir.path(),
            "c.jsonl",
            Some("01-station-shooting-good.ron"),
            2,
            Some(HOSTILE),
        ),
        play_into(&lib, dir.path(), "d.jsonl", None, 3, None),
    ];
    let loaded = load(&paths, find(&lib), None).expect("all verify");
    let c = compare(&loaded, false).expect("one version");
    assert_eq!(c.groups.len(), 1);
    let g = &c.groups[0];
    assert_eq!(g.journals.len(), 4);
    // P-families-first: the poor team violates it (missed), both good teams meet it, and with
    // no decisions at all its trigger still holds and it is missed: 2 of 4 met, done twice.
    let p = g
        .procedures
        .iter()
        .find(|p| p.id.as_str() == "P-families-first")
        .expect("scored");
    assert_eq!((p.scored, p.met), (4, 2));
    assert_eq!(p.share_met, Some(0.5));
    assert_eq!(p.time_to_action.values.len(), 2);
    // Ratings: each objective rated once per journal.
    for o in &g.objectives {
        assert_eq!(o.ratings.iter().sum::<usize>() + o.unrated, 4, "{}", o.id);
    }
    // Latency: every decision taken or expired is counted, per role.
    let decided: usize = g.latency.iter().map(|r| r.decided).sum();
    let made = loaded.iter().flat_map(|l| &l.entries).filter(|e| matches!(&e.body, Body::Event(ev) if matches!(ev.kind, EventKind::DecisionMade { .. }))).count();
    assert_eq!(decided, made);
    // The trend: one line per team (and one for journals without a team), in date order.
    assert_eq!(g.trend.len(), 3);
    let noord = g
        .trend
        .iter()
        .find(|t| t.team.as_deref() == Some("Noord"))
        .expect("team");
    assert_eq!(noord.points.len(), 2);
    assert!(noord.points[0].0 <= noord.points[1].0);
    assert!(
        noord.points[0].1 < 0.4 && noord.points[1].1 > 0.9,
        "{:?}",
        noord.points
    );
}

#[test]
fn hostile_team_names_are_escaped_in_html_and_markdown_and_intact_in_json() {
    let lib = Library::load(&[root().join("scenarios")]);
    let dir = tempfile::tempdir().expect("tmp");
    let paths = vec![
        play_into(
            &lib,
            dir.path(),
            "a.jsonl",
            Some("01-station-shooting-poor.ron"),
            1,
            Some(HOSTILE),
        ),
        play_into(
            &lib,
            dir.path(),
            "b.jsonl",
            Some("01-station-shooting-good.ron"),
            1,
            Some("B"),
        ),
    ];
    let c = compare(&load(&paths, find(&lib), None).expect("verify"), false).expect("compare");
    let html = render(&c, Format::Html, Lang::En);
    assert!(!html.contains("<script>"), "no raw script element");
    assert!(!html.contains("\"onmouseover"), "no attribute breaks out");
    assert!(!html.contains('\u{202E}'), "no bidi override");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "the name is shown, escaped"
    );
    assert!(html.contains("[U+202E]"));
    // Inside the SVG charts too (the legend and the tooltips).
    let svg_start = html.find("<svg").expect("charts");
    assert!(html[svg_start..].contains("&lt;script&gt;"));
    let md = render(&c, Format::Markdown, Lang::En);
    assert!(!md.contains("<script>") && !md.contains("| *bold*") && !md.contains('\u{202E}'));
    assert!(md.contains("\\<script\\>"));
    let json = render(&c, Format::Json, Lang::En);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        v["groups"][0]["journals"][0]["team"], HOSTILE,
        "JSON keeps the text exactly"
    );
}

#[test]
fn journals_of_two_scenario_versions_are_refused_unless_grouped() {
    let lib = Library::load(&[root().join("scenarios")]);
    let dir = tempfile::tempdir().expect("tmp");
    let a = play_into(
        &lib,
        dir.path(),
        "a.jsonl",
        Some("01-station-shooting-poor.ron"),
        1,
        None,
    );
    // Another version: the same scenario with one summary word changed, in a folder of its own.
    let v2 = dir.path().join("v2");
    std::fs::create_dir_all(&v2).expect("dir");
    let text =
        std::fs::read_to_string(root().join("scenarios/01-station-shooting.ron")).expect("read");
    let changed = text.replacen("Dommelstad", "Dommelstadt", 1);
    assert_ne!(text, changed);
    std::fs::write(v2.join("01-station-shooting.ron"), changed).expect("write");
    let lib2 = Library::load(std::slice::from_ref(&v2));
    let ex2 = lib2.find("station-shooting").expect("version 2 loads");
    assert_ne!(
        ex2.source_hash(),
        lib.find("station-shooting").expect("v1").source_hash()
    );
    let b = v2.join("b.jsonl");
    let mut s = Session::create(ex2, 1, ex2.scenario.value.roles.clone(), &b).expect("session");
    play::play(&mut s, &Policy::Default).expect("plays");
    drop(s);
    let loaded = load(&[a.clone(), b.clone()], find(&lib), None).expect("both verify");
    let err = compare(&loaded, false).expect_err("two versions");
    let msg = err.to_string();
    assert!(matches!(err, CompareError::Mixed { .. }), "{msg}");
    assert!(
        msg.contains("another version")
            && msg.contains("b.jsonl")
            && msg.contains("--group-by-scenario"),
        "{msg}"
    );
    let grouped = compare(&loaded, true).expect("grouped");
    assert_eq!(grouped.groups.len(), 2);
    assert_ne!(grouped.groups[0].source_hash, grouped.groups[1].source_hash);
}

#[test]
fn a_journal_that_does_not_verify_is_refused_with_its_line() {
    let lib = Library::load(&[root().join("scenarios")]);
    let dir = tempfile::tempdir().expect("tmp");
    let a = play_into(
        &lib,
        dir.path(),
        "a.jsonl",
        Some("01-station-shooting-poor.ron"),
        1,
        None,
    );
    let b = play_into(
        &lib,
        dir.path(),
        "b.jsonl",
        Some("01-station-shooting-good.ron"),
        1,
        None,
    );
    let text = std::fs::read_to_string(&b).expect("read");
    std::fs::write(&b, text.replacen("families-eerst", "nu-publiceren", 1)).expect("tamper");
    let err = load(&[a, b], find(&lib), None).expect_err("refused");
    let msg = err.to_string();
    assert!(msg.contains("b.jsonl:") && msg.contains("error"), "{msg}");
    assert!(
        matches!(
            err,
            CompareError::NotVerified { .. } | CompareError::Unreadable(_)
        ),
        "{msg}"
    );
}

#[test]
fn spreads_use_values_that_occurred() {
    let s = Spread::of(vec![50, 10, 40, 20, 30]);
    assert_eq!(
        (s.min, s.q1, s.median, s.q3, s.max),
        (Some(10), Some(20), Some(30), Some(40), Some(50))
    );
    let e = Spread::of(Vec::new());
    assert_eq!(e.median, None);
}
