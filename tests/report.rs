//! The after-action report: hostile text comes out escaped in HTML, quoted in CSV and intact in
//! JSON; the Markdown report of a scripted exercise is kept as a snapshot.

use std::path::PathBuf;

use paraat::engine::Command;
use paraat::journal::Session;
use paraat::library::{Library, load_exercise};
use paraat::model::Lang;
use paraat::play::{self, Policy};
use paraat::report::{self, Aar, Format};

/// A text format's rendering, as text.
fn text(a: &Aar, format: Format) -> String {
    String::from_utf8(report::render(a, format).expect("rendered")).expect("UTF-8")
}

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
    let aar = Aar::build(&ex, s.header(), s.entries(), Lang::En);

    let html = text(&aar, Format::Html);
    assert!(!html.contains("<script>"), "raw script tag in HTML");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, &#39;quoted&#39; &amp; &quot;double&quot;"));
    // Nothing is loaded from elsewhere: the only URL is the SVG namespace (an identifier that
    // is never fetched); no link, script source, stylesheet import or CSS url().
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        without_ns.len() < html.len(),
        "the inline SVG timeline is there"
    );
    for remote in [
        "http:", "https:", "//", "<link", "src=", "url(", "@import", "<iframe", "<object",
    ] {
        assert!(
            !without_ns.contains(remote),
            "HTML must load nothing from elsewhere, found {remote:?}"
        );
    }

    let csv_text = text(&aar, Format::Csv);
    let body = csv_text
        .strip_prefix('\u{feff}')
        .expect("the CSV starts with a byte-order mark");
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().expect("valid CSV");
    let decision = rows
        .iter()
        .find(|r| &r[0] == "decision")
        .expect("decision row");
    assert_eq!(&decision[4], HOSTILE, "prompt survives a CSV round trip");
    assert_eq!(&decision[8], HOSTILE, "rationale survives a CSV round trip");

    let json: serde_json::Value =
        serde_json::from_str(&text(&aar, Format::Json)).expect("valid JSON");
    assert_eq!(json["schema_version"], 2);
    // Version 2: each procedure's reason is data with its values; the sentence is in `why`.
    let procs = json["scorecard"]["procedures"]
        .as_array()
        .expect("procedures");
    assert!(
        procs.iter().all(|p| p["reason"]["reason"].is_string()),
        "reasons as data"
    );
    assert!(
        procs
            .iter()
            .all(|p| json["why"][p["id"].as_str().expect("id")].is_string())
    );
    assert_eq!(json["decisions"][0]["rationale"], HOSTILE);
    assert_eq!(json["title"], HOSTILE);

    // In a Markdown table cell the text stays on one line, pipes escaped: one cell holds the
    // text before and after the newline together.
    let md = text(&aar, Format::Markdown);
    // (Markdown escaping turns the markup into text: raw HTML never reaches a Markdown reader.)
    let folded =
        "\\<script\\>alert(\"x\")\\</script\\>, 'quoted' \\& \"double\", new line \\| pipe";
    assert!(
        md.lines()
            .any(|l| l.starts_with('|') && l.contains(&format!("| {folded} |"))),
        "pipes escaped and newlines folded in table cells:\n{md}"
    );
}

#[test]
fn the_poor_hostage_report_matches_its_snapshot_shows_the_total_rule_and_names_not_ids() {
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
            Aar::build(ex, s.header(), s.entries(), lang).with_verification(Some(s.verdict()));
        aar.played = "(wall time)".into();
        let md = text(&aar, Format::Markdown);
        insta::assert_snapshot!(format!("aar-hostage-poor-{lang:?}"), &md);
        // Every format renders the same exercise: the HTML overview has the same total cell,
        // clamped share and raw points (the poor team is below zero).
        let html = text(&aar, Format::Html);
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
        // The author's debrief of every choice made (or applied at expiry) is in the decision
        // log of every format, next to its decision.
        let mut debriefs = 0;
        let csv = text(&aar, Format::Csv);
        // The CSV's decision rows, by decision id, with their debrief column.
        let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let debrief_col = rows
            .headers()
            .expect("header")
            .iter()
            .position(|h| h == "debrief" || h == "nabespreking")
            .expect("a debrief column");
        let csv_debriefs: Vec<(String, String)> = rows
            .records()
            .map(|r| r.expect("row"))
            .filter(|r| r[0].starts_with("decision"))
            .map(|r| (r[3].to_owned(), r[debrief_col].to_owned()))
            .collect();
        for d in &aar.decisions {
            let (_, authored) = ex
                .scenario
                .value
                .decisions()
                .find(|(_, x)| x.id.as_str() == d.decision)
                .expect("decision");
            let want = authored
                .options
                .iter()
                .find(|o| d.choice.as_deref() == Some(o.id.as_str()))
                .and_then(|o| o.debrief.as_ref())
                .map(|t| t.get(lang).to_owned())
                .unwrap_or_default();
            assert_eq!(d.debrief, want, "{}", d.decision);
            assert!(
                // As a spreadsheet cell: a text that starts with a quote gets a second one.
                csv_debriefs.contains(&(
                    d.decision.clone(),
                    paraat::text::csv_cell_guard(&paraat::text::report_safe(&want)).into_owned()
                )),
                "CSV row of {} has its debrief",
                d.decision
            );
            if !want.is_empty() {
                debriefs += 1;
                assert!(html.contains(&paraat::report::html::esc(&want)), "{want}");
            }
        }
        assert!(
            debriefs >= 5,
            "the poor team's choices have debriefs: {debriefs}"
        );
        let total = aar.scorecard.total;
        assert!(
            total.earned < 0.0,
            "the poor script ends below zero: {total:?}"
        );
        let want = match lang {
            Lang::Nl => format!(
                "<td>0 % ({:.1} / {:.1} punten)</td>",
                total.earned, total.possible
            ),
            Lang::En => format!(
                "<td>0 % ({:.1} / {:.1} points)</td>",
                total.earned, total.possible
            ),
        };
        assert!(html.contains(&want), "{want} not in the HTML overview");
        assert!(
            md.contains(&format!("| {} |", &want[4..want.len() - 5])),
            "Markdown total"
        );
        assert_names_not_ids(ex, &aar, &html);
    }
}

/// Every table cell a person reads names roles and choices, not their ids: no cell is a
/// role id, and no explanation quotes a decision or choice id; the HTML procedures table has
/// the responsible role's name.
fn assert_names_not_ids(ex: &paraat::library::Exercise, aar: &Aar, html: &str) {
    let role_ids: Vec<&str> = ex.plan.value.roles.iter().map(|r| r.id.as_str()).collect();
    let mut quoted_ids: Vec<String> = Vec::new();
    for (_, d) in ex.scenario.value.decisions() {
        quoted_ids.push(format!("\"{}\"", d.id));
        quoted_ids.extend(d.options.iter().map(|c| format!("\"{}\"", c.id)));
    }
    for table in aar.tables() {
        for row in &table.rows {
            for cell in &row.cells {
                assert!(
                    !role_ids.contains(&cell.as_str()),
                    "raw role id in a cell: {cell}"
                );
                for q in &quoted_ids {
                    assert!(!cell.contains(q.as_str()), "raw id {q} in: {cell}");
                }
            }
        }
    }
    for f in aar.strengths.iter().chain(&aar.improvements) {
        for q in &quoted_ids {
            assert!(!f.text.contains(q.as_str()), "raw id {q} in: {}", f.text);
        }
    }
    let copi = ex
        .plan
        .value
        .role("copi_leider")
        .expect("role")
        .name
        .get(aar.lang);
    assert!(
        html.contains(&format!(
            "<td>{}</td><td>{copi}</td>",
            paraat::report::html::esc(
                ex.plan
                    .value
                    .procedures
                    .iter()
                    .find(|p| p.id.as_str() == "P-copi")
                    .expect("P-copi")
                    .title
                    .get(aar.lang)
            )
        )),
        "the procedures table names the role"
    );
}

/// Text that would act if passed on raw: a spreadsheet formula, Markdown markup and raw HTML, a
/// right-to-left override and a terminal escape.
const ACTIVE: &str = "=HYPERLINK(\"http://evil.example\",\"klik\")";
const MARKUP: &str = "# Kop <img src=x onerror=alert(1)> *nadruk* [link](http://x) `code` &amp;";
const BIDI: &str = "betaal \u{202e}fdp.exe\u{1b}[2J";

#[test]
fn reports_are_safe_to_open() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("active.ron");
    std::fs::write(&f, hostile_scenario()).expect("write");
    let ex = load_exercise(&f).expect("valid");
    let mut ex = ex;
    let mut loaded = (*ex.scenario).clone();
    loaded.value.title.en = MARKUP.to_owned();
    loaded.value.title.nl = MARKUP.to_owned();
    ex.scenario = std::sync::Arc::new(loaded);
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
        rationale: format!("{ACTIVE} {BIDI}"),
    })
    .expect("decide");
    s.apply(Command::Observe {
        text: format!("{BIDI} {MARKUP}"),
        role: None,
        rating: None,
        objective: None,
    })
    .expect("observe");
    s.apply(Command::End).expect("end");
    let aar = Aar::build(&ex, s.header(), s.entries(), Lang::En);

    // CSV: no cell starts a formula; the text is all there behind the quote.
    let csv_text = text(&aar, Format::Csv);
    let mut rdr = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().expect("valid CSV");
    for r in &rows {
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    let decision = rows.iter().find(|r| &r[0] == "decision").expect("row");
    assert_eq!(&decision[8], format!("'{ACTIVE} betaal [U+202E]fdp.exe[2J"));

    // Markdown: no raw HTML, no heading or emphasis from the text.
    let md = text(&aar, Format::Markdown);
    assert!(
        md.match_indices('<').all(|(i, _)| md[..i].ends_with('\\')),
        "raw HTML in Markdown: {md}"
    );
    assert!(md.contains("\\<img"), "{md}");
    assert!(md.starts_with("# \\# Kop"), "{}", &md[..80]);
    assert!(
        md.contains("\\*nadruk\\*") && md.contains("\\[link\\]"),
        "{md}"
    );
    assert!(!md.contains("&amp;amp;") && md.contains("\\&amp;"));

    // Every report shows a bidirectional override as its code and drops escapes.
    for format in [Format::Html, Format::Markdown, Format::Csv] {
        let text = text(&aar, format);
        assert!(!text.contains('\u{202e}'), "{format:?} keeps an override");
        assert!(!text.contains('\u{1b}'), "{format:?} keeps an escape");
        assert!(
            text.contains("U+202E"),
            "{format:?} shows the override as its code"
        );
    }
}

/// Every report format shows each occurrence of a procedure scored per occurrence, and the
/// reason a choice earned only part of a procedure's points (the poor event-ramming team: two
/// rumours, and the mayor calling it terror at the press conference).
#[test]
fn reports_show_each_occurrence_and_why_a_choice_counted_only_in_part() {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let script = play::load_script(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/02-event-ramming-poor.ron"),
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
    for (lang, second, partly, because) in [
        (
            Lang::En,
            "Correct rumours and disinformation (occurrence 2 of 2)",
            "only in part (50 %)",
            "the prosecution service speaks on the motive",
        ),
        (
            Lang::Nl,
            "Geruchten en desinformatie rechtzetten (keer 2 van 2)",
            "maar deels vervult (50 %)",
            "over het motief spreekt het OM",
        ),
    ] {
        let aar = Aar::build(ex, s.header(), s.entries(), lang);
        for format in [Format::Html, Format::Markdown, Format::Csv, Format::Json] {
            let text = text(&aar, format);
            // JSON escapes nothing here; HTML escapes no character of these sentences.
            assert!(
                text.contains(second),
                "{format:?} {lang:?}: no second occurrence"
            );
            assert!(
                text.contains(partly),
                "{format:?} {lang:?}: no partial credit"
            );
            assert!(text.contains(because), "{format:?} {lang:?}: no reason");
        }
        let json: serde_json::Value =
            serde_json::from_str(&text(&aar, Format::Json)).expect("json");
        assert!(json["why"]["P-rumours#2"].is_string(), "{}", json["why"]);
    }
}
