use std::path::PathBuf;

use super::*;
use crate::library::Library;

fn lib() -> Library {
    Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")])
}

#[test]
fn export_import_export_is_identical_for_every_shipped_scenario() {
    let lib = lib();
    for ex in &lib.exercises {
        let (s, plan) = (&ex.scenario.value, &ex.plan.value);
        let csv1 = export(s, plan);
        let back = import(&csv1, plan, s).unwrap_or_else(|e| panic!("{}: {}", s.id, e[0]));
        assert_eq!(
            &back, s,
            "{}: the imported scenario equals the original",
            s.id
        );
        let csv2 = export(&back, plan);
        assert_eq!(csv1, csv2, "{}", s.id);
        // And the RON written from it parses back to the same scenario.
        let text = to_ron(&back);
        let again = crate::model::load::parse_scenario(std::path::Path::new("x.ron"), text)
            .expect("RON parses");
        assert_eq!(&again.value, s);
    }
}

#[test]
fn a_spreadsheet_msel_imports_with_defaults() {
    let lib = lib();
    let ex = &lib.exercises[0];
    let csv = "time,to,channel,inject,body,expected actions\n0:05,burgemeester; politiechef,Telefoon,Schoten gemeld,Er wordt geschoten.,convene_triangle\n0:20,ovj,email,Verzoek TGO,,\n";
    let s = import(csv, &ex.plan.value, &ex.scenario.value).expect("imports");
    assert_eq!(s.injects.len(), 2);
    assert_eq!(s.injects[0].at_min, Some(5));
    assert_eq!(
        s.injects[0].title.en, "Schoten gemeld",
        "English falls back to Dutch"
    );
    assert_eq!(s.injects[1].channel, Channel::Email);
    assert_eq!(
        s.roles,
        vec![
            RoleId::from("burgemeester"),
            RoleId::from("politiechef"),
            RoleId::from("ovj")
        ]
    );
}

#[test]
fn bad_rows_are_reported_one_by_one() {
    let lib = lib();
    let ex = &lib.exercises[0];
    let csv = "time,to,channel,inject,expected actions,when\n0:05,burgemeestr,Phone,A,,\nlater,ovj,Pigeon,B,convene_trangle,\n0:10,ovj,Phone,,,All([\n";
    let errs = import(csv, &ex.plan.value, &ex.scenario.value).expect_err("bad");
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(
        shown.contains(
            &"2:2: error: column `to`: unknown role \"burgemeestr\" — did you mean \"burgemeester\"?"
                .to_owned()
        ),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|e| e.starts_with("3:1: error: column `time`")),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|e| e.starts_with("3:3: error: column `channel`: unknown channel \"Pigeon\"")),
        "{shown:#?}"
    );
    assert!(shown.iter().any(|e| e.starts_with("3:5: error: column `expected actions`: unknown action \"convene_trangle\" — did you mean \"convene_triangle\"")), "{shown:#?}");
    assert!(
        shown
            .iter()
            .any(|e| e.starts_with("4:4: error: column `inject`")),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|e| e.starts_with("4:6: error: column `when`: not a condition")),
        "{shown:#?}"
    );
}

#[test]
fn formula_cells_are_guarded_and_the_round_trip_stays_exact() {
    let lib = lib();
    let ex = &lib.exercises[0];
    let mut s = ex.scenario.value.clone();
    let hostile = [
        "=HYPERLINK(\"http://x\",\"klik\")",
        "+31 6 1234",
        "-2",
        "@SUM(A1:A9)",
        "\tindented",
        "'quoted by a person",
        "''=",
    ];
    for (i, h) in hostile.iter().enumerate() {
        s.injects[i].title.nl = (*h).to_owned();
        s.injects[i].body.en = (*h).to_owned();
    }
    let csv1 = export(&s, &ex.plan.value);
    let mut rdr = csv::Reader::from_reader(csv1.trim_start_matches('\u{feff}').as_bytes());
    for rec in rdr.records() {
        for cell in &rec.expect("row") {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded cell {cell:?}"
            );
        }
    }
    let back = import(&csv1, &ex.plan.value, &s).expect("imports");
    assert_eq!(back, s);
    assert_eq!(export(&back, &ex.plan.value), csv1);
}

#[test]
fn imported_ron_keeps_text_as_an_author_writes_it() {
    let lib = lib();
    let ex = &lib.exercises[0];
    let csv = "time,to,channel,inject,body\n\
               0:05,burgemeester,Telefoon,Burgemeester's besluit,\"Zeg \"\"nu\"\" of C:\\map\\n\nregel twee\"\n";
    let s = import(csv, &ex.plan.value, &ex.scenario.value).expect("imports");
    let text = to_ron(&s);
    assert!(
        text.contains("Burgemeester's besluit"),
        "an apostrophe is written as it is:\n{text}"
    );
    assert!(!text.contains("\\'"), "no escaped apostrophe:\n{text}");
    let again = crate::model::load::parse_scenario(std::path::Path::new("x.ron"), text)
        .expect("RON parses");
    assert_eq!(
        again.value, s,
        "quotes, backslashes and line breaks survive"
    );
    assert_eq!(
        again.value.injects[0].body.nl,
        "Zeg \"nu\" of C:\\map\\n\nregel twee"
    );
}
