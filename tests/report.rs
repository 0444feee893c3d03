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

/// The `data:` URIs of the pictures an HTML text embeds, decoded: (media type, bytes, the
/// `alt` text of the image element).
fn embedded_pictures(html: &str) -> Vec<(String, Vec<u8>, String)> {
    use base64::Engine as _;
    html.split("<img src=\"data:")
        .skip(1)
        .map(|rest| {
            let (mime, rest) = rest.split_once(";base64,").expect("base64 data URI");
            let (data, rest) = rest.split_once('"').expect("end of the URI");
            let alt = rest
                .strip_prefix(" alt=\"")
                .and_then(|r| r.split_once('"'))
                .map(|(a, _)| a.to_owned())
                .expect("an alt text");
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .expect("valid base64");
            (mime.to_owned(), bytes, alt)
        })
        .collect()
}

/// A copy of the event-ramming scenario and its picture in a folder of its own, loaded.
fn ramming_copy(dir: &std::path::Path) -> paraat::library::Exercise {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    std::fs::create_dir(dir.join("bijlagen")).expect("mkdir");
    std::fs::copy(
        root.join("bijlagen/02-lingecorso-video.jpg"),
        dir.join("bijlagen/02-lingecorso-video.jpg"),
    )
    .expect("copy the picture");
    std::fs::copy(
        root.join("02-event-ramming.ron"),
        dir.join("02-event-ramming.ron"),
    )
    .expect("copy the scenario");
    load_exercise(&dir.join("02-event-ramming.ron")).expect("loads")
}

/// The HTML report embeds the picture of a released inject (the shipped bytes, its caption in
/// the report's language as alternate text) and nothing of an inject not released; the
/// Markdown links to the file; a picture gone missing after loading is named with the reason,
/// and the report is still made.
#[test]
fn the_html_report_embeds_the_pictures_of_released_injects_only() {
    let shipped = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/bijlagen/02-lingecorso-video.jpg"),
    )
    .expect("the shipped picture");
    let dir = tempfile::tempdir().expect("tmp");
    let ex = ramming_copy(dir.path());
    let mut s = Session::create(
        &ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    s.apply(Command::Start).expect("start");
    // Before minute 2 the video still has not been released.
    let before = Aar::build(&ex, s.header(), s.entries(), Lang::En);
    let html = text(&before, Format::Html);
    assert!(
        embedded_pictures(&html).is_empty() && !html.contains("data:"),
        "a picture of an inject not released"
    );
    assert!(!text(&before, Format::Markdown).contains("](bijlagen/"));
    s.apply(Command::AdvanceTo { t: 5 * 60 }).expect("advance");
    for (lang, alt) in [
        (
            Lang::En,
            "Still from a video under #lingecorso: the white van between two floats, spectators on the street",
        ),
        (
            Lang::Nl,
            "Stilstaand beeld uit een video onder #lingecorso: de witte bestelbus tussen twee praalwagens, publiek op straat",
        ),
    ] {
        let aar = Aar::build(&ex, s.header(), s.entries(), lang);
        let html = text(&aar, Format::Html);
        let pictures = embedded_pictures(&html);
        assert_eq!(pictures.len(), 1, "{lang:?}: one picture released");
        assert_eq!(pictures[0].0, "image/jpeg");
        assert!(pictures[0].1 == shipped, "{lang:?}: the shipped bytes");
        assert_eq!(pictures[0].2, alt, "{lang:?}: the caption as alt text");
        // Still self-contained: nothing but the picture's own data URI is a source.
        assert_eq!(html.matches("src=").count(), 1);
        for remote in ["http:", "https:", "<link", "url(", "@import"] {
            let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
            assert!(!without_ns.contains(remote), "{remote}");
        }
        let md = text(&aar, Format::Markdown);
        assert!(
            md.contains("](bijlagen/02-lingecorso-video.jpg)"),
            "{lang:?}: Markdown links the file beside the scenario"
        );
    }
    // The picture removed after loading: the report is made and says why it is not there.
    std::fs::remove_file(dir.path().join("bijlagen/02-lingecorso-video.jpg")).expect("rm");
    let aar = Aar::build(&ex, s.header(), s.entries(), Lang::En);
    for format in [Format::Html, Format::Markdown, Format::Pdf] {
        report::render(&aar, format).expect("the report is still made");
    }
    let html = text(&aar, Format::Html);
    assert!(embedded_pictures(&html).is_empty());
    assert!(
        html.contains("Attachment could not be read: Still from a video"),
        "the missing file is named"
    );
}

/// A scenario's caption and file name cannot inject markup into the HTML report: both are
/// escaped in the alternate text and the caption line.
#[test]
fn an_attachment_caption_and_file_name_are_escaped() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let name = "a\"><script>x.jpg";
    std::fs::copy(
        root.join("bijlagen/02-lingecorso-video.jpg"),
        dir.path().join(name),
    )
    .expect("copy");
    let h = HOSTILE
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    let src = format!(
        r#"Scenario(
    format: 2, id: "att", plan: "lcp-egt",
    title: (nl: "t", en: "t"), summary: (nl: "s", en: "s"),
    start: "2026-03-18T10:45:00+01:00", duration_min: 30,
    roles: ["burgemeester"],
    injects: [
        Inject(id: "a", at_min: Some(0), to: ["burgemeester"], channel: Social,
            title: (nl: "t", en: "t"), body: (nl: "b", en: "b"),
            expect: ["convene_triangle"],
            attachments: [Attachment(file: "{}", caption: (nl: "{h}", en: "{h}"))]),
    ],
    objectives: [ Objective(id: "O1", title: (nl: "o", en: "o"), procedures: ["P-driehoek"]) ],
)"#,
        name.replace('"', "\\\"")
    );
    let f = dir.path().join("att.ron");
    std::fs::write(&f, src).expect("write");
    let ex = load_exercise(&f).unwrap_or_else(|e| panic!("{}", e[0]));
    let mut s = Session::create(&ex, 1, Vec::new(), &dir.path().join("j.jsonl")).expect("session");
    s.apply(Command::Start).expect("start");
    s.apply(Command::End).expect("end");
    let aar = Aar::build(&ex, s.header(), s.entries(), Lang::En);
    let html = text(&aar, Format::Html);
    assert_eq!(embedded_pictures(&html).len(), 1, "the picture is there");
    assert!(!html.contains("<script>"), "raw markup from the scenario");
    assert!(
        html.contains("a&quot;&gt;&lt;script&gt;x.jpg"),
        "the file name escaped in the caption line"
    );
    assert!(
        !html.contains("alt=\"<") && html.contains("alt=\"&lt;script&gt;"),
        "the caption escaped in the alternate text"
    );
    let md = text(&aar, Format::Markdown);
    assert!(
        md.contains("](a%22%3E%3Cscript%3Ex.jpg)"),
        "the link target is percent-encoded: {md}"
    );
}
