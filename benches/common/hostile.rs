//! Hostile but well-formed scenario shapes, each under the loader's 8 MiB limit, that once made
//! validation take minutes (issue 12): a follow-up chain listed in reverse, ids hundreds of
//! thousands of characters long, and tens of thousands of duplicate ids. Used by the `core`
//! benchmark, `examples/hostile_scenarios.rs` (to time `paraat validate` by hand) and
//! `tests/hostile.rs` (at smaller sizes, for what validation must report).

const HEAD: &str = r#"Scenario(id:"hostile",plan:"lcp-egt",title:(nl:"t",en:"t"),summary:(nl:"",en:""),start:"2026-03-18T10:45:00+01:00",duration_min:240,roles:["ovj"],injects:["#;

fn chain_inject(k: usize, n: usize) -> String {
    let at = if k == 0 { "at_min:Some(0)," } else { "" };
    let then = if k + 1 < n {
        format!("\"i{}\"", k + 1)
    } else {
        String::new()
    };
    format!(
        r#"(id:"i{k}",{at}to:["ovj"],channel:Phone,title:(nl:"",en:""),body:(nl:"",en:""),decisions:[(id:"d{k}",role:"ovj",prompt:(nl:"",en:""),due_min:5,options:[(id:"c",label:(nl:"",en:""),then:[{then}])])]),"#
    )
}

/// A chain of `n` follow-ups (inject `k` releases `k + 1`), listed last first, so that a
/// reachability pass in file order learns one inject per pass. Valid: no errors, no warnings.
/// (Struct names are left out, as RON allows, to fit 40,000 injects under 8 MiB.)
pub fn reverse_chain(n: usize) -> String {
    let mut s = String::from(HEAD);
    for k in (0..n).rev() {
        s.push_str(&chain_inject(k, n));
    }
    s.push_str("])");
    s
}

/// An inject whose id is `chars` characters long, and a choice that releases an id of the same
/// length that differs in its last character (so "did you mean" has two huge ids to compare).
pub fn long_ids(chars: usize) -> String {
    let id = "a".repeat(chars);
    let near = format!("{}b", "a".repeat(chars.saturating_sub(1)));
    format!(
        r#"{HEAD}Inject(id:"{id}",to:["ovj"],channel:Phone,title:(nl:"t",en:"t"),body:(nl:"",en:"")),Inject(id:"start",at_min:Some(0),to:["ovj"],channel:Phone,title:(nl:"t",en:"t"),body:(nl:"",en:""),decisions:[Decision(id:"d",role:"ovj",prompt:(nl:"",en:""),due_min:5,options:[Choice(id:"c",label:(nl:"",en:""),then:["{near}"])])])])"#
    )
}

/// `n` injects with the same id, each with a decision of the same id.
pub fn duplicate_ids(n: usize) -> String {
    let mut s = String::from(HEAD);
    for _ in 0..n {
        s.push_str(r#"(id:"dup",at_min:Some(0),to:["ovj"],channel:Phone,title:(nl:"",en:""),body:(nl:"",en:""),decisions:[(id:"d",role:"ovj",prompt:(nl:"",en:""),due_min:5,options:[(id:"c",label:(nl:"",en:""))])]),"#);
    }
    s.push_str("])");
    s
}

/// The shapes at the sizes of the issue, with file names.
pub fn full_size() -> Vec<(&'static str, String)> {
    vec![
        ("reverse-chain-40000.ron", reverse_chain(40_000)),
        ("two-200000-char-ids.ron", long_ids(200_000)),
        ("two-1000000-char-ids.ron", long_ids(1_000_000)),
        ("duplicate-ids-40000.ron", duplicate_ids(40_000)),
    ]
}
