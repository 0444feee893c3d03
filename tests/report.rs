//! The after-action report: hostile text comes out escaped in HTML, quoted in CSV and intact in
//! JSON; the Markdown report of a scripted exercise is kept as a snapshot.

use std::path::PathBuf;

use paraat::engine::Command;
use paraat::journal::Session;
use paraat::library::{Library, load_exercise};
use paraat::model::Lang;
use paraat::play::{self, Policy};
use paraat::report::{self, Aar, Format};

const HOSTILE: &str = "<script>alert(\"x\")</script>, 'quoted' & \"double\",\nnew line | pipe";

fn hostile_scenario() -> String {
    let h = HOSTILE
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!(
        r#"Scenario(
    id: "hostile", plan: "lcp-egt",
    title: (nl: "{h}", en: "{h}"), summary: (nl: "{h}", en: "{h}"),
    start: "2026-03-18T10:45:00+01:00", duration_min: 120,
    roles: ["burgemeester", "politiechef"],
    injects: [
        Inject(id: "a", at_min: Some(0), to: ["burgemeester", "politiechef"], channel: Phone,
            title: (nl: "{h}", en: "{h}"), body: (nl: "{h}", en: "{h}"),
            effects: [Signal("terror_motive_possible")],
            decisions: [
                Decision(id: "d", role: "burgemeester", prompt: (nl: "{h}", en: "{h}"), due_min: 10,
                    options: [
                        Choice(id: "c", label: (nl: "{h}", en: "{h}"), actions: ["convene_triangle"]),
                        Choice(id: "w", label: (nl: "Wachten", en: "Wait")),
                    ], default: Some("w")),
            ]),
    ],
    objectives: [ Objective(id: "O1", title: (nl: "{h}", en: "{h}"), procedures: ["P-driehoek"]) ],
)"#
    )
}

#[test]
fn hostile_text_is_escaped_quoted_and_intact() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("hostile.ron");
    std::fs::write(&f, hostile_scenario()).expect("write");
    let ex = load_exercise(&f).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let mut s = Session::create(
        &ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    s.apply(Command::Start).expect("start");
    s.apply(Command::Decide {
        role: "burgemeester".into(),
        decision: "d".into(),
        choice: "c".into(),
        rationale: HOSTILE.into(),
    })
    .expect("decide");
    s.apply(Command::Observe {
        text: HOSTILE.into(),
        role: None,
        rating: Some(paraat::engine::Rating::M),
        objective: None,
    })
    .expect("observe");
    s.apply(Command::End).expect("end");
    let aar = Aar::build(&ex, &s.header, &s.entries, Lang::En);

    let html = report::render(&aar, Format::Html);
    assert!(!html.contains("<script>"), "raw script tag in HTML");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, &#39;quoted&#39; &amp; &quot;double&quot;"));
    assert!(
        !html.contains("http://")
            || html
                .matches("http://")
                .all(|_| html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    );
    assert!(
        !html.contains("<link") && !html.contains("src="),
        "HTML must load nothing from elsewhere"
    );

    let csv_text = report::render(&aar, Format::Csv);
    let mut rdr = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().expect("valid CSV");
    let decision = rows
        .iter()
        .find(|r| &r[0] == "decision")
        .expect("decision row");
    assert_eq!(&decision[4], HOSTILE, "prompt survives a CSV round trip");
    assert_eq!(&decision[8], HOSTILE, "rationale survives a CSV round trip");

    let json: serde_json::Value =
        serde_json::from_str(&report::render(&aar, Format::Json)).expect("valid JSON");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["decisions"][0]["rationale"], HOSTILE);
    assert_eq!(json["title"], HOSTILE);

    let md = report::render(&aar, Format::Markdown);
    assert!(
        md.contains("new line \\| pipe"),
        "pipes escaped and newlines folded in table cells"
    );
}

#[test]
fn markdown_report_snapshot() {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let script = play::load_script(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scripts/03-hostage-town-hall-poor.ron"),
    )
    .expect("script");
    let ex = lib.find(&script.scenario).expect("scenario");
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = Session::create(
        ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    play::play(&mut s, &Policy::Script(script)).expect("play");
    for lang in [Lang::Nl, Lang::En] {
        let mut aar =
            Aar::build(ex, &s.header, &s.entries, lang).with_verification(Some(s.verdict()));
        aar.played = "(wall time)".into();
        let md = report::render(&aar, Format::Markdown);
        insta::assert_snapshot!(format!("aar-hostage-poor-{lang:?}"), md);
        // Every format renders the same exercise.
        let html = report::render(&aar, Format::Html);
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
        assert!(html.contains(&aar.scorecard.total.percent()));
    }
}
