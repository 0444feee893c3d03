use super::*;
use crate::engine::tests_support::{plan_and_scenario, sim};
use crate::engine::{Command, Simulation};

fn header() -> Header {
    Header {
        format: FORMAT_VERSION,
        app_version: "test".into(),
        scenario_id: "s".into(),
        scenario_path: "s.ron".into(),
        plan_id: "p".into(),
        source_hash: "x".into(),
        seed: 3,
        present: vec!["mayor".into()],
        wall_start: "2026-01-01T00:00:00+00:00".into(),
        team: None,
    }
}

/// Plays a short exercise into a journal file and returns its bytes.
fn play(path: &Path) -> Vec<u8> {
    let mut w = Writer::create(path, &header()).expect("create");
    let mut s: Simulation = sim(3);
    let cmds = [
        Command::Start,
        Command::AdvanceTo { t: 60 },
        Command::Decide {
            role: "mayor".into(),
            decision: "d1".into(),
            choice: "convene".into(),
            rationale: "motive \"unclear\",\nso convene".into(),
        },
        Command::Observe {
            text: "fast".into(),
            role: None,
            rating: Some(crate::engine::Rating::P),
            objective: None,
        },
        Command::AdvanceTo { t: 3600 },
    ];
    for c in cmds {
        let t = s.state().now;
        let ev = s.apply(c.clone()).expect("apply");
        let items = std::iter::once((t, c.actor(), Body::Command(c))).chain(
            ev.into_iter()
                .map(|e| (e.t, "engine".to_owned(), Body::Event(e))),
        );
        w.append_all(items).expect("append");
    }
    std::fs::read(path).expect("read back")
}

#[test]
fn a_written_journal_reads_back_and_replays() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let bytes = play(&path);
    let read = read_bytes(&bytes).expect("read");
    assert!(read.broken.is_none());
    assert!(read.torn.is_none());
    assert!(read.finished());
    let (plan, scenario) = plan_and_scenario();
    let out = replay(&read, &plan, &scenario).expect("replay");
    assert_eq!(out.commands, 5);
    assert_eq!(out.events, read.events().count());
}

#[test]
fn creating_over_an_existing_journal_fails_and_leaves_its_bytes_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let before = play(&path);
    let err = Writer::create(&path, &header()).expect_err("exists");
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

fn exercise() -> crate::library::Exercise {
    use crate::model::load::{parse_plan, parse_scenario};
    use std::sync::Arc;
    crate::library::Exercise {
        plan: Arc::new(
            parse_plan(
                Path::new("p.ron"),
                crate::engine::tests_support::PLAN.into(),
            )
            .expect("plan"),
        ),
        scenario: Arc::new(
            parse_scenario(
                Path::new("s.ron"),
                crate::engine::tests_support::SCENARIO.into(),
            )
            .expect("scenario"),
        ),
    }
}

#[test]
fn a_journal_write_that_fails_changes_neither_state_nor_entries_nor_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let ex = exercise();
    let mut s = Session::create(&ex, 3, ex.scenario.value.roles.clone(), &path).expect("create");
    s.apply(Command::Start).expect("start");
    s.apply(Command::AdvanceTo { t: 60 }).expect("advance");
    s.apply(Command::SetSpeed { speed: 60 }).expect("speed");
    let (state, entries) = (s.sim().state().clone(), s.entries().to_vec());
    let bytes = std::fs::read(&path).expect("read");
    // From here every write fails as on a full disk.
    s.writer.file = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let decide = Command::Decide {
        role: "mayor".into(),
        decision: "d1".into(),
        choice: "convene".into(),
        rationale: String::new(),
    };
    // The engine accepts these (checked on a clone), so only the journal can refuse them.
    let mut probe = s.sim().clone();
    assert!(!probe.apply(decide.clone()).expect("valid").is_empty());
    assert!(
        !probe
            .apply(Command::AdvanceTo { t: 1800 })
            .expect("valid")
            .is_empty()
    );
    for cmd in [decide, Command::AdvanceTo { t: 1800 }] {
        let err = s.apply(cmd).expect_err("the write fails");
        assert!(matches!(err, SessionError::Io(_)), "{err}");
        assert_eq!(*s.sim().state(), state, "state unchanged");
        assert_eq!(s.entries(), &entries[..], "entries unchanged");
    }
    // A wall-clock minute at ×60 with events falling due: nothing kept either.
    let mut probe = s.sim().clone();
    assert!(!probe.advance(std::time::Duration::from_mins(1)).is_empty());
    let err = s
        .advance(std::time::Duration::from_mins(1))
        .expect_err("the write fails");
    assert!(matches!(err, SessionError::Io(_)), "{err}");
    assert_eq!(*s.sim().state(), state, "state unchanged after advance");
    assert_eq!(s.entries(), &entries[..]);
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "file unchanged");
    // What is on disk is exactly what the session holds.
    let read = read_file(&path).expect("read");
    assert!(read.broken.is_none() && read.torn.is_none());
    assert_eq!(read.entries, s.entries());
}

#[test]
fn cut_at_every_byte_reads_every_complete_entry() {
    let dir = tempfile::tempdir().expect("tmp");
    let bytes = play(&dir.path().join("j.jsonl"));
    let full = read_bytes(&bytes).expect("full");
    let header_len = bytes.iter().position(|&b| b == b'\n').expect("newline") + 1;
    for cut in 0..=bytes.len() {
        let part = &bytes[..cut];
        match read_bytes(part) {
            Ok(r) => {
                assert!(cut >= header_len, "header read from {cut} bytes");
                assert!(r.broken.is_none(), "cut {cut}: {:?}", r.broken);
                let complete = part.split(|&b| b == b'\n').count() - 2;
                assert_eq!(r.entries.len(), complete, "cut {cut}");
                assert_eq!(r.entries[..], full.entries[..complete]);
                assert_eq!(r.torn.is_some(), part.last().is_some_and(|&b| b != b'\n'));
                assert_eq!(
                    r.valid_bytes as usize,
                    part.iter().rposition(|&b| b == b'\n').expect("nl") + 1
                );
            }
            Err(ReadError::BadHeader(_)) => assert!(cut < header_len, "cut {cut}"),
            Err(e) => panic!("cut {cut}: {e}"),
        }
    }
}

#[test]
fn an_edited_or_removed_line_breaks_the_chain_at_the_line_the_reader_names() {
    let dir = tempfile::tempdir().expect("tmp");
    let bytes = play(&dir.path().join("j.jsonl"));
    let text = String::from_utf8(bytes).expect("utf8");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Change the rationale on line 4 (the Decide command) without fixing the chain.
    let i = lines
        .iter()
        .position(|l| l.contains("\"Decide\""))
        .expect("decide line");
    lines[i] = lines[i].replace("convene", "wait");
    let edited = lines.join("\n") + "\n";
    let read = read_bytes(edited.as_bytes()).expect("read");
    let broken = read.broken.expect("broken");
    assert_eq!(
        broken.line,
        i + 2,
        "the line after the edited one no longer chains"
    );
    // Removing a line is caught too.
    let mut removed = text.lines().map(str::to_owned).collect::<Vec<_>>();
    removed.remove(3);
    let read = read_bytes((removed.join("\n") + "\n").as_bytes()).expect("read");
    assert_eq!(read.broken.expect("broken").line, 4);
}

#[test]
fn replay_detects_a_consistently_forged_event() {
    // Forge an event and re-chain every hash: the chain is intact, replay still catches it.
    let dir = tempfile::tempdir().expect("tmp");
    let bytes = play(&dir.path().join("j.jsonl"));
    let text = String::from_utf8(bytes).expect("utf8");
    let mut out = Vec::new();
    let mut prev = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = if n == 0 {
            line.to_owned()
        } else {
            let mut e: Entry = serde_json::from_str(line).expect("entry");
            e.prev = prev.clone();
            if let Body::Event(ev) = &mut e.body
                && let crate::engine::EventKind::VarChanged { value, .. } = &mut ev.kind
            {
                *value = crate::model::Value::Int(5);
            }
            serde_json::to_string(&e).expect("json")
        };
        prev = line_hash(&line);
        out.push(line);
    }
    let read = read_bytes((out.join("\n") + "\n").as_bytes()).expect("read");
    assert!(read.broken.is_none());
    let (plan, scenario) = plan_and_scenario();
    let err = replay(&read, &plan, &scenario).expect_err("forged");
    assert!(matches!(err, ReplayError::Mismatch { .. }), "{err}");
}

#[test]
fn garbage_is_refused_as_a_bad_header_without_panicking() {
    for input in [
        &b""[..],
        b"\n",
        b"{}\n",
        b"{\"format\":1}\n{",
        b"\xff\xfe\n\n",
        b"null\nnull\n",
    ] {
        let r = read_bytes(input);
        assert!(
            matches!(r, Err(ReadError::BadHeader(_))),
            "{:?}: {:?}",
            String::from_utf8_lossy(input),
            r.map(|r| r.entries.len())
        );
    }
}

/// A finished journal sealed with a fixed key; returns its bytes.
fn sealed(path: &Path, key: &seal::SealKey) -> Vec<u8> {
    play(path);
    let (mut w, read) = Writer::resume(path).expect("resume");
    assert!(read.finished());
    w.seal(key).expect("seal");
    // Nothing more may be written.
    assert!(
        w.append(0, "facilitator", Body::Command(Command::Pause))
            .is_err()
    );
    std::fs::read(path).expect("read back")
}

#[test]
fn a_sealed_journal_reads_as_sealed_and_cannot_be_resumed() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let key = seal::SealKey::from_secret([1; 32]);
    let bytes = sealed(&path, &key);
    let read = read_bytes(&bytes).expect("read");
    assert!(read.broken.is_none(), "{:?}", read.broken);
    let s = read.seal.as_ref().expect("sealed");
    assert_eq!(s.fingerprint, key.fingerprint());
    assert_eq!(s.line, bytes.split(|&b| b == b'\n').count() - 1);
    assert!(matches!(Writer::resume(&path), Err(ReadError::Sealed)));
}

fn lines_of(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Recomputes every `prev` after the header, as someone who edits a journal would.
fn rechain(lines: &[String]) -> Vec<u8> {
    let mut out = vec![lines[0].clone()];
    for l in &lines[1..] {
        let mut v: serde_json::Value = serde_json::from_str(l).expect("json");
        v["prev"] = serde_json::Value::String(line_hash(out.last().expect("a line")));
        out.push(v.to_string());
    }
    (out.join("\n") + "\n").into_bytes()
}

#[test]
fn an_edit_with_a_recomputed_chain_breaks_the_seal() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let bytes = sealed(&path, &seal::SealKey::from_secret([1; 32]));
    let mut lines = lines_of(&bytes);
    let n = lines.len();
    lines[3] = lines[3].replace("\"t\":", "\"t\" :");
    let read = read_bytes(&rechain(&lines)).expect("read");
    let b = read.broken.expect("the seal no longer checks");
    assert_eq!(b.line, n);
    assert!(b.why.contains("changed after sealing"), "{}", b.why);
    assert!(read.seal.is_none());
}

#[test]
fn a_removed_tail_or_seal_is_told_from_a_sealed_end() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let bytes = sealed(&path, &seal::SealKey::from_secret([1; 32]));
    let lines = lines_of(&bytes);
    let n = lines.len();
    // The seal removed: finished, but unsealed.
    let no_seal = (lines[..n - 1].join("\n") + "\n").into_bytes();
    let read = read_bytes(&no_seal).expect("read");
    assert!(read.broken.is_none() && read.seal.is_none() && read.finished());
    // The seal and the end removed: unfinished.
    let no_end = (lines[..n - 2].join("\n") + "\n").into_bytes();
    let read = read_bytes(&no_end).expect("read");
    assert!(read.broken.is_none() && read.seal.is_none() && !read.finished());
    // The last lines removed but the seal kept: the seal no longer follows its line.
    let mut gap: Vec<String> = lines[..n - 3].to_vec();
    gap.push(lines[n - 1].clone());
    let read = read_bytes(&(gap.join("\n") + "\n").into_bytes()).expect("read");
    assert_eq!(read.broken.expect("broken").line, n - 2);
    // A line appended after the seal.
    let mut extra = lines.clone();
    extra.push(lines[n - 2].clone());
    let read = read_bytes(&(extra.join("\n") + "\n").into_bytes()).expect("read");
    assert!(read.broken.expect("broken").why.contains("after the seal"));
}

#[test]
fn a_header_without_a_team_reads_and_keeps_its_bytes() {
    // A header as journals were written before the team field existed.
    let old = serde_json::to_string(&header()).expect("json");
    assert!(
        !old.contains("team"),
        "no team written when there is none: {old}"
    );
    let back: Header = serde_json::from_str(&old).expect("reads");
    assert_eq!(back.team, None);
    let with = Header {
        team: clean_team("  Veiligheidsregio\u{7} Utrecht  "),
        ..header()
    };
    let text = serde_json::to_string(&with).expect("json");
    let back: Header = serde_json::from_str(&text).expect("reads");
    assert_eq!(back.team.as_deref(), Some("Veiligheidsregio Utrecht"));
    assert_eq!(clean_team(" \t "), None);
    assert_eq!(
        clean_team(&"x".repeat(500)).map(|s| s.chars().count()),
        Some(MAX_TEAM_CHARS)
    );
}
