//! The MSEL (master scenario events list) as CSV, for facilitators who write in a spreadsheet.
//!
//! One row per inject with the HSEEP columns — number, time, from, to, channel, inject,
//! expected actions, procedures, objectives — then the columns needed to come back: the inject
//! id, its timing, the English texts and the inject's condition, effects and decisions as RON.
//! A first row of kind `scenario` carries the scenario's other fields as RON, so export, import
//! and export again give the same file. `procedures` and `objectives` are derived (from the
//! actions the inject expects or its choices take) and ignored on import.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{
    ActionId, Channel, Cond, Decision, Effect, Inject, InjectId, Plan, RoleId, Scenario, Text,
};

/// The header row.
pub const COLUMNS: [&str; 21] = [
    "number",
    "time",
    "from",
    "to",
    "channel",
    "inject",
    "expected actions",
    "procedures",
    "objectives",
    "id",
    "at_min",
    "delay_min",
    "inject_en",
    "body",
    "body_en",
    "from_en",
    "when",
    "effects",
    "decisions",
    "scenario",
    "attachments",
];

/// RON as an author writes it: strings unescaped (`'` stays `'`, not `\'`; a text with `"` or
/// `\` becomes a raw string `r#"…"#`, a line break stays a line break).
fn ron_pretty<T: serde::Serialize>(v: &T) -> String {
    ron::ser::to_string_pretty(
        v,
        ron::ser::PrettyConfig::default()
            .struct_names(true)
            .escape_strings(false)
            .new_line("\n"),
    )
    .unwrap_or_default()
}

fn ron_compact<T: serde::Serialize>(v: &T) -> String {
    ron::Options::default()
        .to_string_pretty(
            v,
            ron::ser::PrettyConfig::default()
                .struct_names(true)
                .compact_arrays(true)
                .new_line(" ")
                .indentor(""),
        )
        .unwrap_or_default()
}

/// A cell as written: it cannot start a spreadsheet formula (see [`crate::text::csv_cell_guard`];
/// import undoes this, so export → import → export is exact).
fn guard(cell: &str) -> String {
    crate::text::csv_cell_guard(cell).into_owned()
}

/// Exports a scenario's MSEL as CSV text. A cell that would start with `=`, `+`, `-`, `@`, a
/// tab, a carriage return or a single quote gets a leading single quote, so a spreadsheet shows
/// it as text instead of running it as a formula.
pub fn export(s: &Scenario, plan: &Plan) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    let mut meta = s.clone();
    meta.injects.clear();
    let mut row: Vec<String> = vec![String::new(); COLUMNS.len()];
    row[0] = "scenario".into();
    row[5].clone_from(&s.title.nl);
    row[12].clone_from(&s.title.en);
    row[19] = ron_compact(&meta);
    let _ = w.write_record(row.iter().map(|c| guard(c)));
    for (n, i) in s.injects.iter().enumerate() {
        let mut actions: BTreeSet<&ActionId> = i.expect.iter().collect();
        for d in &i.decisions {
            for c in &d.options {
                actions.extend(c.actions.iter());
            }
        }
        let procedures: BTreeSet<&str> = plan
            .procedures
            .iter()
            .filter(|p| actions.contains(&p.action))
            .map(|p| p.id.as_str())
            .collect();
        let objectives: Vec<&str> = s
            .objectives
            .iter()
            .filter(|o| o.procedures.iter().any(|p| procedures.contains(p.as_str())))
            .map(|o| o.id.as_str())
            .collect();
        let join = |v: Vec<&str>| v.join("; ");
        let row = [
            (n + 1).to_string(),
            i.at_min.map_or_else(
                || format!("+{}", i.delay_min),
                |m| format!("{}:{:02}", m / 60, m % 60),
            ),
            i.from.as_ref().map(|f| f.nl.clone()).unwrap_or_default(),
            join(i.to.iter().map(RoleId::as_str).collect()),
            format!("{:?}", i.channel),
            i.title.nl.clone(),
            join(i.expect.iter().map(ActionId::as_str).collect()),
            join(procedures.into_iter().collect()),
            join(objectives),
            i.id.to_string(),
            i.at_min.map(|m| m.to_string()).unwrap_or_default(),
            i.delay_min.to_string(),
            i.title.en.clone(),
            i.body.nl.clone(),
            i.body.en.clone(),
            i.from.as_ref().map(|f| f.en.clone()).unwrap_or_default(),
            i.when.as_ref().map(ron_compact).unwrap_or_default(),
            if i.effects.is_empty() {
                String::new()
            } else {
                ron_compact(&i.effects)
            },
            if i.decisions.is_empty() {
                String::new()
            } else {
                ron_compact(&i.decisions)
            },
            String::new(),
            if i.attachments.is_empty() {
                String::new()
            } else {
                ron_compact(&i.attachments)
            },
        ];
        let _ = w.write_record(row.iter().map(|c| guard(c)));
    }
    // A byte-order mark tells spreadsheets the text is UTF-8 (import ignores it).
    format!(
        "\u{feff}{}",
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    )
}

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based line of the CSV file (the header is line 1).
    pub line: u64,
    /// The 1-based field number of the column (1 when the problem is with the whole row).
    pub field: usize,
    /// The column.
    pub column: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Shown as `LINE:FIELD: error: column `NAME`: ...`, to follow `file:` in the usual
/// `file:line:col:` form (for a CSV file the column counts fields, as a spreadsheet does).
impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: error: ", self.line, self.field.max(1))?;
        if !self.column.is_empty() {
            write!(f, "column `{}`: ", self.column)?;
        }
        write!(f, "{}", self.message)
    }
}

fn parse_channel(s: &str) -> Option<Channel> {
    let t = s.trim().to_lowercase();
    Channel::ALL.into_iter().find(|c| {
        format!("{c:?}").to_lowercase() == t
            || c.label(crate::model::Lang::Nl).to_lowercase() == t
            || c.label(crate::model::Lang::En).to_lowercase() == t
    })
}

/// A `time` cell: a scheduled minute, or a follow-up (empty or `+N`).
enum TimeCell {
    At(u32),
    FollowUp,
}

fn parse_time(s: &str) -> Option<TimeCell> {
    let t = s.trim();
    if t.is_empty() || t.starts_with('+') {
        return Some(TimeCell::FollowUp);
    }
    if let Some((h, m)) = t.split_once(':') {
        let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
        return (m < 60).then_some(TimeCell::At(h * 60 + m));
    }
    t.parse().ok().map(TimeCell::At)
}

fn list(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Imports a MSEL CSV into a scenario. `fallback` gives the scenario's other fields when the
/// file has no `scenario` row (a spreadsheet made from scratch). Every bad row is reported.
pub fn import(text: &str, plan: &Plan, fallback: &Scenario) -> Result<Scenario, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                field: 1,
                column: String::new(),
                message: format!("not CSV: {e}"),
            }]);
        }
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    for required in ["to", "inject"] {
        if col(required).is_none() {
            errors.push(RowError {
                line: 1,
                field: 1,
                column: required.into(),
                message: format!(
                    "the header has no `{required}` column; expected columns: {}",
                    COLUMNS.join(", ")
                ),
            });
        }
    }
    if col("time").is_none() && col("at_min").is_none() {
        errors.push(RowError {
            line: 1,
            field: 1,
            column: "time".into(),
            message: "the header needs a `time` or an `at_min` column".into(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The plan's roles and actions, and the scenario's own once its row is read.
    let mut roles: BTreeSet<String> = plan.roles.iter().map(|r| r.id.to_string()).collect();
    let mut actions: BTreeSet<String> = plan.actions.iter().map(|a| a.id.to_string()).collect();
    let mut scenario: Option<Scenario> = None;
    let mut injects: Vec<Inject> = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(n as u64 + 2, csv::Position::line);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line,
                    field: 1,
                    column: String::new(),
                    message: format!("not a CSV row: {e}"),
                });
                continue;
            }
        };
        // The export's formula guard (a leading quote) is taken off again.
        let get = |name: &str| {
            col(name)
                .and_then(|i| rec.get(i))
                .map_or("", crate::text::csv_cell_unguard)
                .to_owned()
        };
        let mut err = |column: &str, message: String| {
            errors.push(RowError {
                line,
                field: col(column).map_or(1, |i| i + 1),
                column: column.into(),
                message,
            });
        };
        if get("number").trim() == "scenario" {
            let parsed = ron::from_str::<Scenario>(&get("scenario"));
            if let Err(e) = &parsed {
                err(
                    "scenario",
                    format!("not a valid scenario: {} at {}", e.code, e.span.start),
                );
            }
            if let Ok(s) = &parsed {
                roles.extend(s.local_roles.iter().map(|r| r.id.to_string()));
                actions.extend(s.local_actions.iter().map(|a| a.id.to_string()));
            }
            scenario = parsed.ok().or(scenario);
            continue;
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let id = get("id");
        let id = if id.trim().is_empty() {
            format!("inject-{}", injects.len() + 1)
        } else {
            id.trim().to_owned()
        };
        let at_min = if col("at_min").is_some() && !get("at_min").trim().is_empty() {
            let parsed = get("at_min").trim().parse::<u32>().ok();
            if parsed.is_none() {
                err(
                    "at_min",
                    format!("\"{}\" is not a whole number of minutes", get("at_min")),
                );
            }
            parsed
        } else {
            match parse_time(&get("time")) {
                Some(TimeCell::At(m)) => Some(m),
                Some(TimeCell::FollowUp) => None,
                None => {
                    err(
                        "time",
                        format!(
                            "\"{}\" is not a time; write H:MM (0:45), minutes (45), or +N for a follow-up",
                            get("time")
                        ),
                    );
                    None
                }
            }
        };
        let delay_min = match get("delay_min").trim() {
            "" => get("time")
                .trim()
                .strip_prefix('+')
                .and_then(|d| d.trim().parse().ok())
                .unwrap_or(0),
            d => d.parse().unwrap_or_else(|_| {
                err(
                    "delay_min",
                    format!("\"{d}\" is not a whole number of minutes"),
                );
                0
            }),
        };
        let to: Vec<RoleId> = list(&get("to")).into_iter().map(RoleId).collect();
        if to.is_empty() {
            err(
                "to",
                "no recipients; name plan roles separated by `;`".into(),
            );
        }
        for r in &to {
            if !roles.contains(r.as_str()) {
                let hint =
                    crate::model::diag::suggest(r.as_str(), roles.iter().map(String::as_str))
                        .map(|s| format!(" — did you mean \"{s}\"?"))
                        .unwrap_or_default();
                err("to", format!("unknown role \"{r}\"{hint}"));
            }
        }
        let channel_text = get("channel");
        let channel = if channel_text.trim().is_empty() {
            Channel::Phone
        } else {
            parse_channel(&channel_text).unwrap_or_else(|| {
                err(
                    "channel",
                    format!(
                        "unknown channel \"{channel_text}\"; use one of {}",
                        Channel::ALL.map(|c| format!("{c:?}")).join(", ")
                    ),
                );
                Channel::Phone
            })
        };
        let expect: Vec<ActionId> = list(&get("expected actions"))
            .into_iter()
            .map(ActionId)
            .collect();
        for a in &expect {
            if !actions.contains(a.as_str()) {
                let hint =
                    crate::model::diag::suggest(a.as_str(), actions.iter().map(String::as_str))
                        .map(|s| format!(" — did you mean \"{s}\"?"))
                        .unwrap_or_default();
                err("expected actions", format!("unknown action \"{a}\"{hint}"));
            }
        }
        let ron_field = |name: &str, err: &mut dyn FnMut(&str, String)| -> Option<String> {
            let t = get(name);
            (!t.trim().is_empty()).then_some(t).or_else(|| {
                let _ = err;
                None
            })
        };
        let when = ron_field("when", &mut err).and_then(|t| match ron::from_str::<Cond>(&t) {
            Ok(c) => Some(c),
            Err(e) => {
                err(
                    "when",
                    format!("not a condition: {} at {}", e.code, e.span.start),
                );
                None
            }
        });
        let effects =
            ron_field("effects", &mut err).map_or_else(Vec::new, |t| {
                match ron::from_str::<Vec<Effect>>(&t) {
                    Ok(v) => v,
                    Err(e) => {
                        err(
                            "effects",
                            format!("not a list of effects: {} at {}", e.code, e.span.start),
                        );
                        Vec::new()
                    }
                }
            });
        let decisions = ron_field("decisions", &mut err).map_or_else(Vec::new, |t| {
            match ron::from_str::<Vec<Decision>>(&t) {
                Ok(v) => v,
                Err(e) => {
                    err(
                        "decisions",
                        format!("not a list of decisions: {} at {}", e.code, e.span.start),
                    );
                    Vec::new()
                }
            }
        });
        let attachments = ron_field("attachments", &mut err).map_or_else(Vec::new, |t| {
            match ron::from_str::<Vec<crate::model::Attachment>>(&t) {
                Ok(v) => v,
                Err(e) => {
                    err(
                        "attachments",
                        format!(
                            "not a list of attachments: {} at {}; write [Attachment(file: \"photo.png\", caption: (nl: \"…\", en: \"…\"))]",
                            e.code, e.span.start
                        ),
                    );
                    Vec::new()
                }
            }
        });
        let title_nl = get("inject");
        if title_nl.trim().is_empty() {
            err("inject", "the inject has no title".into());
        }
        let en_or = |name: &str, nl: &str| {
            let v = get(name);
            if v.trim().is_empty() {
                nl.to_owned()
            } else {
                v
            }
        };
        let from_nl = get("from");
        let from = (!from_nl.trim().is_empty())
            .then(|| Text::new(from_nl.clone(), en_or("from_en", &from_nl)));
        let body_nl = get("body");
        injects.push(Inject {
            id: InjectId(id),
            at_min,
            delay_min,
            from,
            to,
            channel,
            title: Text::new(title_nl.clone(), en_or("inject_en", &title_nl)),
            body: Text::new(body_nl.clone(), en_or("body_en", &body_nl)),
            when,
            effects,
            decisions,
            expect,
            attachments,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut s = scenario.unwrap_or_else(|| {
        let mut s = fallback.clone();
        let mut roles: Vec<RoleId> = Vec::new();
        for i in &injects {
            for r in i.to.iter().chain(i.decisions.iter().map(|d| &d.role)) {
                if !roles.contains(r) {
                    roles.push(r.clone());
                }
            }
        }
        s.roles = roles;
        let last = injects.iter().filter_map(|i| i.at_min).max().unwrap_or(0);
        s.duration_min = s.duration_min.max(last + 30);
        s
    });
    s.injects = injects;
    Ok(s)
}

/// The scenario as RON text, with a header comment.
pub fn to_ron(s: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// {} — Paraat scenario (imported from a MSEL). Format: scenarios/README.md",
        s.title.en
    );
    out.push_str(&ron_pretty(s));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
