//! PDF reports and the situation manual, checked with poppler's tools (`pdfinfo`, `pdffonts`,
//! `pdftotext`, `pdftohtml`, `pdfimages`; Debian's `poppler-utils`, installed by `.ci/run`): the report is A4,
//! tagged, has its font embedded, its headings as the outline, and its objectives and decision
//! log as text; hostile text makes a valid file; the participants' handbook gives away no later
//! inject.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use paraat::library::{Library, load_exercise};
use paraat::model::Lang;
use paraat::report::handbook::{self, Part, is_opening};
use paraat::report::{self, Aar, Format, doc, pdf};

const SEAL_KEY: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/pdf-tests-seal.key");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn paraat(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .current_dir(root())
        .env("PARAAT_SEAL_KEY", SEAL_KEY)
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "paraat {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Runs a poppler tool on a file and returns its standard output.
fn poppler(tool: &str, args: &[&str], file: &Path) -> String {
    let o = Command::new(tool)
        .args(args)
        .arg(file)
        // pdftotext writes to standard output only when told so.
        .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{tool} is needed by this test ({e}); install Debian's poppler-utils (.ci/run does)"
            )
        });
    assert!(
        o.status.success(),
        "{tool} {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Text without any white space: a PDF's text breaks lines (and words too wide for a column)
/// where the page needs it.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of a PDF in content order (`-raw`: a table cell's lines stay together), squashed.
fn pdf_text(file: &Path) -> String {
    squash(&poppler("pdftotext", &["-raw", "-enc", "UTF-8"], file).replace("-\n", "-"))
}

/// Checks what every PDF of ours must be: A4, tagged, one embedded and subset font with a
/// Unicode map (so text can be selected and searched).
fn check_pdf_shape(file: &Path) {
    let bytes = std::fs::read(file).expect("read");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let info = poppler("pdfinfo", &[], file);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("595.28 x 841.89 pts (A4)"), "{info}");
    let fonts = poppler("pdffonts", &[], file);
    let lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!lines.is_empty(), "no fonts: {fonts}");
    for l in lines {
        assert!(l.contains("DejaVuSans"), "another font: {l}");
        assert!(
            l.contains("yes yes yes"),
            "not embedded, subset and mapped: {l}"
        );
    }
}

/// The station shooting played by the poor team's script with seed 7.
fn played_poor(dir: &Path) -> PathBuf {
    let j = dir.join("poor.jsonl");
    let script = root().join("tests/scripts/01-station-shooting-poor.ron");
    paraat(&[
        "play",
        "station-shooting",
        "--seed",
        "7",
        "--script",
        script.to_str().expect("utf8"),
        "--journal",
        j.to_str().expect("utf8"),
    ]);
    j
}

#[test]
fn the_report_pdf_is_a4_tagged_embeds_its_font_and_holds_the_objectives_and_the_decision_log() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    let j = j.to_str().expect("utf8");
    for lang in ["en", "nl"] {
        let file = dir.path().join(format!("r-{lang}.pdf"));
        let o = paraat(&[
            "report",
            j,
            "--format",
            "pdf",
            "-o",
            file.to_str().expect("utf8"),
            "--lang",
            lang,
        ]);
        assert!(String::from_utf8_lossy(&o.stdout).contains("wrote"));
        check_pdf_shape(&file);
        let text = pdf_text(&file);
        // What the report says, taken from its JSON twin.
        let json: serde_json::Value = serde_json::from_slice(
            &paraat(&["report", j, "--format", "json", "--lang", lang]).stdout,
        )
        .expect("json");
        let objectives = json["scorecard"]["objectives"]
            .as_array()
            .expect("objectives");
        assert!(!objectives.is_empty());
        for o in objectives {
            let title = o["title"][lang].as_str().expect("title");
            assert!(text.contains(&squash(title)), "objective {title:?} missing");
        }
        let decisions = json["decisions"].as_array().expect("decisions");
        assert!(decisions.len() > 3, "a decision log to look for");
        for d in decisions {
            for field in ["prompt", "label"] {
                let s = d[field].as_str().expect("text");
                assert!(text.contains(&squash(s)), "decision {field} {s:?} missing");
            }
            let rationale = d["rationale"].as_str().expect("rationale");
            assert!(
                text.contains(&squash(rationale)),
                "rationale {rationale:?} missing"
            );
        }
        let (log, objectives_heading) = if lang == "en" {
            ("8. Decision log", "3. Objectives")
        } else {
            ("8. Besluitenlog", "3. Doelstellingen")
        };
        assert!(text.contains(&squash(log)) && text.contains(&squash(objectives_heading)));
        // The headings are the outline, in order.
        let xml = poppler("pdftohtml", &["-xml", "-stdout", "-i", "-q"], &file);
        let outline = &xml[xml.find("<outline>").expect("an outline")..];
        let at = |h: &str| outline.find(&format!(">{h}</item>"));
        assert!(
            at(objectives_heading).is_some() && at(objectives_heading) < at(log),
            "outline: {}",
            &outline[..outline.len().min(2000)]
        );
        // The structure tree has the parts an assistive reader needs.
        let tree = poppler("pdfinfo", &["-struct"], &file);
        for tag in ["H1", "H2", "Table", "TH", "TD", "Figure", "L", "LI"] {
            assert!(
                tree.lines().any(|l| l.trim_start().starts_with(tag)),
                "no {tag} in the structure tree"
            );
        }
    }
}

#[test]
fn a_pdf_on_standard_output_is_the_same_document() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    let o = paraat(&["report", j.to_str().expect("utf8"), "--format", "pdf"]);
    assert!(o.stdout.starts_with(b"%PDF-"), "stdout is not a PDF");
    let file = dir.path().join("stdout.pdf");
    std::fs::write(&file, &o.stdout).expect("write");
    check_pdf_shape(&file);
    // Byte for byte the file `-o` writes: the PDF carries no date or random id.
    let written = dir.path().join("written.pdf");
    let j = j.to_str().expect("utf8");
    paraat(&[
        "report",
        j,
        "--format",
        "pdf",
        "-o",
        written.to_str().expect("utf8"),
    ]);
    assert!(std::fs::read(&written).expect("read") == o.stdout);
}

#[test]
fn a_pdf_is_not_written_to_a_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    // `script` (util-linux, essential in Debian) gives the command a terminal.
    let o = Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "'{}' report '{}' --format pdf",
            env!("CARGO_BIN_EXE_paraat"),
            j.display()
        ))
        .arg("/dev/null")
        .env("PARAAT_SEAL_KEY", SEAL_KEY)
        .output()
        .expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains("standard output is a terminal"), "{shown}");
    assert!(!shown.contains("%PDF"));
    assert_eq!(o.status.code(), Some(2), "{shown}");
}

#[test]
fn a_journal_that_fails_verification_gets_a_pdf_only_when_asked_and_then_with_the_banner_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = played_poor(dir.path());
    let text = std::fs::read_to_string(&j).expect("read");
    let edited = text.replacen("\"seed\":7", "\"seed\":8", 1);
    assert_ne!(edited, text, "the header names the seed");
    std::fs::write(&j, edited).expect("write");
    let file = dir.path().join("r.pdf");
    let args = [
        "report",
        j.to_str().expect("utf8"),
        "--format",
        "pdf",
        "--lang",
        "en",
        "-o",
    ];
    let refused = Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .arg(&file)
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        !file.exists(),
        "a PDF from an edited journal without --unverified"
    );
    let mut with = args.to_vec();
    with.push(file.to_str().expect("utf8"));
    with.push("--unverified");
    paraat(&with);
    check_pdf_shape(&file);
    let text = pdf_text(&file);
    let banner = text.find("NOTVERIFIED").expect("the banner");
    assert!(banner < text.find("1.Exerciseoverview").expect("overview"));
}

/// A scenario whose every text is hostile: markup, a right-to-left override, an escape,
/// characters the font lacks (CJK, a recent emoji, private use), a byte-order mark, a word far wider
/// than any column, and a rationale longer than a page.
fn hostile_scenario(h: &str) -> String {
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
                        Choice(id: "c", label: (nl: "{h}", en: "{h}"), actions: ["convene_triangle"],
                            debrief: Some((nl: "{h}", en: "{h}"))),
                        Choice(id: "w", label: (nl: "Wachten", en: "Wait")),
                    ], default: Some("w")),
            ]),
        Inject(id: "later", at_min: Some(30), to: ["politiechef"], channel: Radio,
            title: (nl: "Later {h}", en: "Later {h}"), body: (nl: "b", en: "b")),
    ],
    objectives: [ Objective(id: "O1", title: (nl: "{h}", en: "{h}"), procedures: ["P-driehoek"]) ],
)"#
    )
}

#[test]
fn hostile_text_makes_a_valid_pdf_with_codes_for_what_the_font_cannot_show() {
    let odd =
        "<b>x</b> & \u{202e}desrever\u{202c} \u{1b}[31m 中文 😀 🦩 \u{e000} \u{feff}bom \\ \" end";
    let escaped = odd.replace('\\', "\\\\").replace('"', "\\\"");
    let long_word = "Ж".repeat(3000);
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("hostile.ron");
    std::fs::write(&f, hostile_scenario(&escaped)).expect("write");
    let ex = load_exercise(&f).unwrap_or_else(|e| panic!("{e:?}"));
    let mut s = paraat::journal::Session::create(
        &ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("j.jsonl"),
    )
    .expect("session");
    s.apply(paraat::engine::Command::Start).expect("start");
    // A rationale of about three pages, with one enormous word in it.
    let rationale = format!("{odd} {long_word} {}", "lange motivering ".repeat(2500));
    s.apply(paraat::engine::Command::Decide {
        role: "burgemeester".into(),
        decision: "d".into(),
        choice: "c".into(),
        rationale: rationale.clone(),
    })
    .expect("decide");
    s.apply(paraat::engine::Command::Observe {
        text: odd.into(),
        role: None,
        rating: Some(paraat::engine::Rating::U),
        objective: None,
    })
    .expect("observe");
    s.apply(paraat::engine::Command::End).expect("end");
    for lang in [Lang::En, Lang::Nl] {
        let aar = Aar::build(&ex, s.header(), s.entries(), lang);
        // `render` writes PDF/UA-1 and fails if krilla's checks fail (a .notdef glyph, a
        // character without Unicode, a forbidden code point).
        let bytes = report::render(&aar, Format::Pdf).expect("a PDF from hostile text");
        let file = dir.path().join(format!("hostile-{lang:?}.pdf"));
        std::fs::write(&file, &bytes).expect("write");
        check_pdf_shape(&file);
        let text = pdf_text(&file);
        for shown in [
            "<b>x</b>&",
            "[U+202E]desrever[U+202C]",
            "[U+4E2D][U+6587]",
            "😀[U+1F9A9]",
            "[U+E000]",
            "[U+FEFF]bom",
            "\\\"end",
        ] {
            assert!(text.contains(shown), "{shown:?} not in the text");
        }
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
        // The long word and the long rationale come out whole, over several pages (counted:
        // the footer and the repeated table header come between the pages' parts).
        assert_eq!(text.matches('Ж').count(), 3000, "the long word is cut");
        assert_eq!(
            text.matches("motivering").count(),
            2500,
            "the rationale is cut"
        );
        let pages: usize = poppler("pdfinfo", &[], &file)
            .lines()
            .find_map(|l| {
                l.strip_prefix("Pages:")
                    .map(|n| n.trim().parse().expect("pages"))
            })
            .expect("page count");
        assert!(pages >= 4, "{pages} pages");
    }
    // The handbook of the same scenario, both parts, too.
    for part in [Part::Participants, Part::Control] {
        let d = handbook::handbook(&ex.plan.value, &ex.scenario.value, part, Lang::En);
        let bytes = pdf::render(&d).expect("a handbook PDF from hostile text");
        let file = dir.path().join("hostile-handbook.pdf");
        std::fs::write(&file, &bytes).expect("write");
        check_pdf_shape(&file);
        assert!(pdf_text(&file).contains("[U+1F9A9]"));
        let html = doc::to_html(&d);
        assert!(!html.contains("<b>x</b>") && html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!html.contains('\u{202e}') && html.contains("[U+202E]"));
    }
}

/// Every text of an inject that a participant must not see before it comes.
fn secrets(i: &paraat::model::Inject, lang: Lang) -> Vec<String> {
    let mut v = vec![i.title.get(lang).to_owned(), i.body.get(lang).to_owned()];
    for d in &i.decisions {
        v.push(d.prompt.get(lang).to_owned());
    }
    v
}

#[test]
fn the_participants_handbook_gives_away_no_later_inject_and_the_control_handbook_has_them_all() {
    let lib = Library::load(&[paraat::model::load::builtin_dir()]);
    assert!(lib.exercises.len() >= 5);
    let dir = tempfile::tempdir().expect("tmp");
    let mut openings = 0;
    for ex in &lib.exercises {
        let (plan, s) = (&ex.plan.value, &ex.scenario.value);
        let later: Vec<_> = s.injects.iter().filter(|i| !is_opening(i)).collect();
        assert!(!later.is_empty(), "{}: nothing to keep hidden", s.id);
        for lang in [Lang::Nl, Lang::En] {
            // The public situation picture (the app shows it to everyone from the start) may
            // name a variable as a later inject's title does ("Suspect identified": no).
            let public: Vec<String> = plan
                .vars
                .iter()
                .chain(&s.vars)
                .filter(|v| !v.hidden)
                .map(|v| v.label.get(lang).to_owned())
                .collect();
            let d = handbook::handbook(plan, s, Part::Participants, lang);
            let md = squash(&doc::to_markdown(&d));
            let html = squash(&doc::to_html(&d));
            for i in s.injects.iter().filter(|i| is_opening(i)) {
                openings += 1;
                // The opening situation is there (Markdown escapes some punctuation).
                let title = squash(&paraat::report::html::esc(i.title.get(lang)));
                assert!(
                    html.contains(&title),
                    "{}: opening {:?} missing",
                    s.id,
                    i.id
                );
            }
            for o in &s.objectives {
                let t = squash(&paraat::report::html::esc(o.title.get(lang)));
                assert!(html.contains(&t), "{}: objective {} missing", s.id, o.id);
            }
            for i in &later {
                for secret in secrets(i, lang).iter().filter(|t| !public.contains(t)) {
                    let as_text = squash(secret);
                    let as_html = squash(&paraat::report::html::esc(secret));
                    assert!(
                        !html.contains(&as_html) && !md.contains(&as_text),
                        "{}: the participants' handbook shows later inject {} ({secret:?})",
                        s.id,
                        i.id
                    );
                }
            }
            // The PDF of the participants' part, checked the same way.
            let file = dir.path().join(format!("{}-{lang:?}.pdf", s.id));
            std::fs::write(&file, pdf::render(&d).expect("pdf")).expect("write");
            check_pdf_shape(&file);
            let text = pdf_text(&file);
            for i in &later {
                for secret in secrets(i, lang).iter().filter(|t| !public.contains(t)) {
                    assert!(
                        !text.contains(&squash(secret)),
                        "{}: the participants' PDF shows later inject {} ({secret:?})",
                        s.id,
                        i.id
                    );
                }
            }
            // The control part has every inject, every decision and every objective.
            let c = squash(&doc::to_html(&handbook::handbook(
                plan,
                s,
                Part::Control,
                lang,
            )));
            for i in &s.injects {
                for secret in secrets(i, lang) {
                    assert!(
                        c.contains(&squash(&paraat::report::html::esc(&secret))),
                        "{}: control part lacks {}",
                        s.id,
                        i.id
                    );
                }
            }
        }
    }
    assert!(openings > 0, "no scenario has an opening situation to show");
}

#[test]
fn handbook_command_writes_each_part_and_format() {
    let dir = tempfile::tempdir().expect("tmp");
    for (part, format) in [
        ("participants", "pdf"),
        ("control", "pdf"),
        ("all", "md"),
        ("control", "html"),
    ] {
        let file = dir.path().join(format!("h-{part}.{format}"));
        let o = paraat(&[
            "handbook",
            "station-shooting",
            "--part",
            part,
            "--format",
            format,
            "--lang",
            "en",
            "-o",
            file.to_str().expect("utf8"),
        ]);
        assert!(String::from_utf8_lossy(&o.stdout).contains("wrote"));
        let text = if format == "pdf" {
            check_pdf_shape(&file);
            pdf_text(&file)
        } else {
            squash(&std::fs::read_to_string(&file).expect("read"))
        };
        let control = text.contains("Evaluationguidesperobjective");
        let participants = text.contains("Groundrules");
        assert_eq!(
            (participants, control),
            match part {
                "participants" => (true, false),
                "control" => (false, true),
                _ => (true, true),
            },
            "{part}"
        );
        if control {
            for rating in ["performedwithoutchallenges", "unabletobeperformed", "MSEL"] {
                assert!(text.contains(rating), "{part}.{format}: {rating} missing");
            }
        }
    }
    // Never over the scenario it reads.
    let scenario = root().join("scenarios/01-station-shooting.ron");
    let before = std::fs::read(&scenario).expect("read");
    let o = Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(["handbook", "station-shooting", "--format", "md", "-o"])
        .arg(&scenario)
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&scenario).expect("read"), before);
}

/// The images in a PDF, as `pdfimages -list` counts them: (width, height, encoding) each.
fn images(file: &Path) -> Vec<(u32, u32, String)> {
    poppler("pdfimages", &["-list"], file)
        .lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (
                cols[3].parse().expect("width"),
                cols[4].parse().expect("height"),
                cols[8].to_owned(),
            )
        })
        .collect()
}

/// The event-ramming report draws the still that the released social-media inject carries
/// (the JPEG embedded as it is, as tagged PDF with the caption as the figure's alternate text:
/// krilla's PDF/UA checks pass or `render` fails); a run that ends before the inject is
/// released has no image; the control handbook shows it too.
#[test]
fn the_report_pdf_draws_the_picture_of_a_released_inject_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let j = dir.path().join("ramming.jsonl");
    let script = root().join("tests/scripts/02-event-ramming-good.ron");
    paraat(&[
        "play",
        "event-ramming",
        "--seed",
        "3",
        "--script",
        script.to_str().expect("utf8"),
        "--journal",
        j.to_str().expect("utf8"),
    ]);
    let shipped = image_size(&root().join("scenarios/bijlagen/02-lingecorso-video.jpg"));
    for lang in ["en", "nl"] {
        let file = dir.path().join(format!("ramming-{lang}.pdf"));
        paraat(&[
            "report",
            j.to_str().expect("utf8"),
            "--format",
            "pdf",
            "-o",
            file.to_str().expect("utf8"),
            "--lang",
            lang,
        ]);
        check_pdf_shape(&file);
        assert_eq!(
            images(&file),
            vec![(shipped.0, shipped.1, "jpeg".to_owned())],
            "{lang}: the still, once, as a JPEG"
        );
        // The figure's alternate text is the caption (krilla writes the structure tree
        // uncompressed; the caption is plain ASCII in English).
        if lang == "en" {
            let bytes = std::fs::read(&file).expect("read");
            let has = |alt: &[u8]| bytes.windows(alt.len()).any(|w| w == alt);
            let caption = "(Still from a video under #lingecorso: the white van";
            assert!(
                has(format!("/Alt{caption}").as_bytes())
                    || has(format!("/Alt {caption}").as_bytes()),
                "the caption as the figure's alternate text"
            );
        }
        assert!(pdf_text(&file).contains(&squash(if lang == "en" {
            "Attachment: Still from a video under #lingecorso"
        } else {
            "Bijlage: Stilstaand beeld uit een video onder #lingecorso"
        })));
    }
    // Not released: ended at minute 0.
    let lib = Library::load(&[root().join("scenarios")]);
    let ex = lib.find("event-ramming").expect("scenario");
    let mut s = paraat::journal::Session::create(
        ex,
        1,
        ex.scenario.value.roles.clone(),
        &dir.path().join("early.jsonl"),
    )
    .expect("session");
    s.apply(paraat::engine::Command::Start).expect("start");
    s.apply(paraat::engine::Command::End).expect("end");
    let aar = Aar::build(ex, s.header(), s.entries(), Lang::En);
    let file = dir.path().join("early.pdf");
    std::fs::write(&file, report::render(&aar, Format::Pdf).expect("pdf")).expect("write");
    check_pdf_shape(&file);
    assert!(
        images(&file).is_empty(),
        "a picture of an inject not released"
    );
    // The control handbook shows every inject's picture.
    let file = dir.path().join("control.pdf");
    paraat(&[
        "handbook",
        "event-ramming",
        "--part",
        "control",
        "--format",
        "pdf",
        "-o",
        file.to_str().expect("utf8"),
    ]);
    check_pdf_shape(&file);
    assert_eq!(images(&file).len(), 1, "the control handbook's picture");
    // In HTML the same helper as the report's embeds it; the participants' part has no
    // later inject, so no picture.
    for (part, pictures) in [("control", 1), ("participants", 0)] {
        let html = paraat(&[
            "handbook",
            "event-ramming",
            "--part",
            part,
            "--format",
            "html",
        ]);
        let html = String::from_utf8_lossy(&html.stdout);
        assert_eq!(
            html.matches("<img src=\"data:image/jpeg;base64,").count(),
            pictures,
            "{part}"
        );
    }
}

/// A JPEG's width and height, from its first start-of-frame marker.
fn image_size(file: &Path) -> (u32, u32) {
    let b = std::fs::read(file).expect("read");
    let mut i = 2;
    while i + 9 < b.len() {
        let marker = b[i + 1];
        let len = usize::from(b[i + 2]) << 8 | usize::from(b[i + 3]);
        if matches!(marker, 0xC0..=0xC3) {
            let h = u32::from(b[i + 5]) << 8 | u32::from(b[i + 6]);
            let w = u32::from(b[i + 7]) << 8 | u32::from(b[i + 8]);
            return (w, h);
        }
        i += 2 + len;
    }
    panic!("no frame header in {}", file.display());
}
