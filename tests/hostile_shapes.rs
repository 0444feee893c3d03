//! The hostile scenario shapes of issue 12, at sizes a debug test runs quickly: what validation
//! reports for them. (Their time at full size is measured by `cargo bench --bench core` and by
//! timing `paraat validate` on the files `examples/hostile_scenarios.rs` writes.)

use std::collections::BTreeSet;
use std::path::Path;

use paraat::model::diag::{Diagnostic, Problem};
use paraat::model::load;
use paraat::model::validate::{self, MAX_ID_CHARS, MAX_TEXT_CHARS};

#[path = "../benches/common/hostile.rs"]
mod hostile;

fn validate(text: String) -> Vec<Diagnostic> {
    let plan_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/plan/lcp-egt.ron");
    let plan = load::parse_plan(
        &plan_path,
        std::fs::read_to_string(&plan_path).expect("plan"),
    )
    .expect("plan parses");
    let ids: BTreeSet<&str> = std::iter::once("lcp-egt").collect();
    let s = load::parse_scenario(Path::new("h.ron"), text).expect("parses");
    validate::validate_scenario(&s, Some(&plan.value), &ids)
}

#[test]
fn the_full_size_shapes_fit_under_the_file_limit() {
    for (name, text) in hostile::full_size() {
        assert!(
            text.len() as u64 <= load::MAX_FILE_BYTES,
            "{name}: {}",
            text.len()
        );
    }
}

#[test]
fn a_chain_listed_in_reverse_is_reachable_to_its_end() {
    let d = validate(hostile::reverse_chain(3_000));
    assert!(d.is_empty(), "{:?}", d.iter().take(3).collect::<Vec<_>>());
    // Without the scheduled start, nothing in the chain can be released: every inject is
    // reported, at its own id.
    let d = validate(hostile::reverse_chain(3_000).replacen("at_min:Some(0),", "", 1));
    let unreachable: BTreeSet<_> = d
        .iter()
        .filter(|d| d.problem.code() == "unreachable-inject")
        .map(|d| d.pos)
        .collect();
    assert_eq!(unreachable.len(), 3_000);
}

#[test]
fn huge_ids_are_refused_as_too_long_without_a_suggestion() {
    let d = validate(hostile::long_ids(200_000));
    let too_long: Vec<&Diagnostic> = d
        .iter()
        .filter(|d| d.problem.code() == "too-long")
        .collect();
    // The inject's id, and the released id (a text over the text limit).
    assert_eq!(too_long.len(), 2, "{too_long:?}");
    assert!(matches!(
        &too_long[0].problem,
        Problem::TooLong { what, chars: 200_000, limit } if what == "id" && *limit == MAX_ID_CHARS
    ));
    assert!(matches!(
        &too_long[1].problem,
        Problem::TooLong { what, chars: 200_000, limit } if what == "text" && *limit == MAX_TEXT_CHARS
    ));
    let unknown = d
        .iter()
        .find(|d| d.problem.code() == "unknown-inject")
        .expect("the near miss is unknown");
    assert!(
        matches!(
            &unknown.problem,
            Problem::Unknown {
                suggestion: None,
                ..
            }
        ),
        "{unknown}"
    );
}

#[test]
fn every_duplicate_is_reported_at_its_own_place_with_the_first() {
    let n = 2_000;
    let d = validate(hostile::duplicate_ids(n));
    for (code, kind) in [
        ("duplicate-inject", "inject"),
        ("duplicate-decision", "decision"),
    ] {
        let found: Vec<&Diagnostic> = d.iter().filter(|d| d.problem.code() == code).collect();
        assert_eq!(found.len(), n - 1, "{kind}");
        let places: BTreeSet<_> = found.iter().map(|d| d.pos).collect();
        assert_eq!(places.len(), n - 1, "{kind}: each at its own place");
        assert!(
            found.iter().all(|d| matches!(
                d.problem,
                Problem::Duplicate {
                    first_line: Some(1),
                    ..
                }
            )),
            "{kind}"
        );
    }
}
