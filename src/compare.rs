//! Compare exercises: many journals of the same scenario version, side by side — per procedure
//! the distribution of time-to-action and the share met, per objective the ratings, per role the
//! decision latency, and each team's total over the dates it played.
//!
//! Every journal is verified first (chain, seal, replay); one that fails is refused, with its
//! line and the reason. Journals of different scenarios, or of different versions of one
//! scenario (the scenario-and-plan hash in their headers differs), are refused together unless
//! the caller asks to group them by scenario: then each version is a group of its own.

mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::{Compiled, EventKind, Rating, SimTime};
use crate::journal::verify::{Verdict, check_file};
use crate::journal::{Body, Entry, Header};
use crate::library::Exercise;
use crate::model::{Lang, ObjectiveId, ProcedureId, RoleId, Text};
use crate::scoring::{self, Scorecard, Status, Tally};

pub use render::{Format, date, render};

/// One journal, read, verified and scored.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it is.
    pub path: PathBuf,
    /// Its header.
    pub header: Header,
    /// Its entries.
    pub entries: Vec<Entry>,
    /// Its exercise.
    pub exercise: Exercise,
    /// What verification found (always verified: others are refused).
    pub verdict: Verdict,
}

/// Why journals cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// Nothing to compare.
    #[error("no journals to compare")]
    Empty,
    /// A journal cannot be read or its scenario found.
    #[error("{0}")]
    Unreadable(String),
    /// A journal fails verification.
    #[error(
        "{path}:{line}:1: error: {reason}\n  help: only journals that verify (chain, seal, replay) are compared; `paraat replay` says more"
    )]
    NotVerified {
        /// The journal.
        path: String,
        /// Its line.
        line: usize,
        /// Why.
        reason: String,
    },
    /// Journals of different scenarios or versions.
    #[error(
        "{other}:1:1: error: {what}: it cannot be compared with {first}\n  help: compare journals of one scenario version, or give --group-by-scenario to compare each version on its own"
    )]
    Mixed {
        /// The first journal.
        first: String,
        /// The one that differs.
        other: String,
        /// How it differs.
        what: String,
    },
}

/// Reads and verifies every journal; `find` finds a journal's exercise. A journal that cannot be
/// read, or does not verify, stops the comparison with its reason. Exercises are looked up once
/// per scenario version.
pub fn load(
    paths: &[PathBuf],
    find: impl Fn(&Header, &Path) -> Option<Exercise>,
    trusted: Option<&str>,
) -> Result<Vec<Loaded>, CompareError> {
    if paths.is_empty() {
        return Err(CompareError::Empty);
    }
    // Exercises found so far, with their source hash (hashing the texts is the costly part).
    let mut found: Vec<(Exercise, String)> = Vec::new();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let cached = |h: &Header| {
            found
                .iter()
                .find(|(e, hash)| e.scenario.value.id == h.scenario_id && *hash == h.source_hash)
                .map(|(e, _)| e.clone())
        };
        let checked = check_file(path, |h| cached(h).or_else(|| find(h, path)), trusted)
            .map_err(|e| CompareError::Unreadable(e.located(path)))?;
        if let Some((line, reason)) = checked.verdict.failure() {
            return Err(CompareError::NotVerified {
                path: path.display().to_string(),
                line: line.unwrap_or(1),
                reason: reason.to_owned(),
            });
        }
        if cached(&checked.read.header).is_none() {
            let hash = checked.exercise.source_hash();
            if hash == checked.read.header.source_hash {
                found.push((checked.exercise.clone(), hash));
            }
        }
        out.push(Loaded {
            path: path.clone(),
            header: checked.read.header,
            entries: checked.read.entries,
            exercise: checked.exercise,
            verdict: checked.verdict,
        });
    }
    Ok(out)
}

/// One journal in the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalRow {
    /// Its file name (not the whole path: a comparison may be shared).
    pub file: String,
    /// The team, as entered at setup.
    pub team: Option<String>,
    /// When it was played (RFC 3339, as written).
    pub wall_start: String,
    /// Its total.
    pub total: Tally,
    /// How far it can be trusted (`sealed`, `finished-unsealed`, `unfinished`).
    pub verdict: String,
}

/// Summary of a set of durations, in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// Every value, sorted.
    pub values: Vec<u64>,
    /// Smallest.
    pub min: Option<u64>,
    /// First quartile.
    pub q1: Option<u64>,
    /// Median.
    pub median: Option<u64>,
    /// Third quartile.
    pub q3: Option<u64>,
    /// Largest.
    pub max: Option<u64>,
}

impl Spread {
    fn of(mut values: Vec<u64>) -> Self {
        values.sort_unstable();
        // Nearest-rank quantiles: always a value that occurred.
        let q = |p: f64| -> Option<u64> {
            if values.is_empty() {
                return None;
            }
            let rank = (p * values.len() as f64).ceil().max(1.0) as usize;
            values.get(rank.min(values.len()) - 1).copied()
        };
        Self {
            min: values.first().copied(),
            q1: q(0.25),
            median: q(0.5),
            q3: q(0.75),
            max: values.last().copied(),
            values,
        }
    }
}

/// One procedure over all journals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureStats {
    /// The procedure.
    pub id: ProcedureId,
    /// Its title.
    pub title: Text,
    /// Its role.
    pub role: RoleId,
    /// Time allowed, seconds.
    pub allowed_secs: Option<u64>,
    /// Journals in which it was scored.
    pub scored: usize,
    /// Journals in which it was met: done by its role in time.
    pub met: usize,
    /// `met / scored`.
    pub share_met: Option<f64>,
    /// Time from trigger to action, where it was done (by any role).
    pub time_to_action: Spread,
}

/// One objective over all journals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveStats {
    /// The objective.
    pub id: ObjectiveId,
    /// Its title.
    pub title: Text,
    /// How many journals rated it P, S, M, U (the rating that stands, overrides included).
    pub ratings: [usize; 4],
    /// Journals in which it was not rated (none of its procedures scored).
    pub unrated: usize,
}

/// Decision latency of one role over all journals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleLatency {
    /// The role.
    pub role: RoleId,
    /// Its name.
    pub name: Text,
    /// Decisions taken.
    pub decided: usize,
    /// Decisions that expired.
    pub expired: usize,
    /// Seconds from a decision being put to its being taken.
    pub latency: Spread,
}

/// One team's totals over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamTrend {
    /// The team (`None`: journals without one).
    pub team: Option<String>,
    /// Its journals by date: (wall start, total share 0..1).
    pub points: Vec<(String, f64)>,
}

/// Journals of one scenario version compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The scenario.
    pub scenario_id: String,
    /// Its title.
    pub title: Text,
    /// The scenario-and-plan hash the journals were played on.
    pub source_hash: String,
    /// The journals, by date.
    pub journals: Vec<JournalRow>,
    /// Per procedure, in plan order (those scored in at least one journal).
    pub procedures: Vec<ProcedureStats>,
    /// Per objective.
    pub objectives: Vec<ObjectiveStats>,
    /// Per role, in scenario order (those that had decisions).
    pub latency: Vec<RoleLatency>,
    /// Per team.
    pub trend: Vec<TeamTrend>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Format version of the JSON.
    pub format: u32,
    /// One group per scenario version (one, unless grouped by scenario).
    pub groups: Vec<Group>,
}

fn verdict_word(v: &Verdict) -> &'static str {
    match v {
        Verdict::Sealed { .. } => "sealed",
        Verdict::FinishedUnsealed { .. } => "finished-unsealed",
        Verdict::Unfinished { .. } => "unfinished",
        Verdict::NotVerified { .. } => "not-verified",
    }
}

/// Compares loaded journals. Without `group_by_scenario`, they must all be of one scenario
/// version; with it, each version is compared on its own.
pub fn compare(journals: &[Loaded], group_by_scenario: bool) -> Result<Comparison, CompareError> {
    let first = journals.first().ok_or(CompareError::Empty)?;
    let mut groups: BTreeMap<(String, String), Vec<&Loaded>> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for j in journals {
        let key = (j.header.scenario_id.clone(), j.header.source_hash.clone());
        if !group_by_scenario
            && (key.0 != first.header.scenario_id || key.1 != first.header.source_hash)
        {
            let what = if key.0 == first.header.scenario_id {
                format!(
                    "it was played on another version of scenario \"{}\" (scenario-and-plan hash {}… where {} has {}…)",
                    key.0,
                    &key.1.get(..12).unwrap_or(&key.1),
                    first.path.display(),
                    first
                        .header
                        .source_hash
                        .get(..12)
                        .unwrap_or(&first.header.source_hash)
                )
            } else {
                format!(
                    "it is a journal of scenario \"{}\", not \"{}\"",
                    key.0, first.header.scenario_id
                )
            };
            return Err(CompareError::Mixed {
                first: first.path.display().to_string(),
                other: j.path.display().to_string(),
                what,
            });
        }
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(j);
    }
    Ok(Comparison {
        format: 1,
        groups: order
            .iter()
            .filter_map(|k| groups.get(k))
            .map(|g| group(g))
            .collect(),
    })
}

/// Decision latencies and expiries per role in one journal.
fn latencies(entries: &[Entry], out: &mut BTreeMap<RoleId, (Vec<u64>, usize)>) {
    for e in entries {
        if let Body::Event(ev) = &e.body {
            match &ev.kind {
                EventKind::DecisionMade {
                    role, latency_secs, ..
                } => out.entry(role.clone()).or_default().0.push(*latency_secs),
                EventKind::DecisionExpired { role, .. } => {
                    out.entry(role.clone()).or_default().1 += 1;
                }
                _ => {}
            }
        }
    }
}

fn group(js: &[&Loaded]) -> Group {
    let mut js: Vec<&Loaded> = js.to_vec();
    js.sort_by(|a, b| {
        a.header
            .wall_start
            .cmp(&b.header.wall_start)
            .then(a.path.cmp(&b.path))
    });
    let ex = &js[0].exercise;
    let ctx = Compiled::new(&ex.plan.value, &ex.scenario.value);
    let cards: Vec<Scorecard> = js
        .iter()
        .map(|j| scoring::score_compiled(&ctx, &j.header, &j.entries))
        .collect();
    let journals = js
        .iter()
        .zip(&cards)
        .map(|(j, c)| JournalRow {
            file: j.path.file_name().map_or_else(
                || j.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            team: j.header.team.clone(),
            wall_start: j.header.wall_start.clone(),
            total: c.total,
            verdict: verdict_word(&j.verdict).to_owned(),
        })
        .collect();
    let procedures = ctx
        .plan
        .procedures
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let results: Vec<_> = cards
                .iter()
                .map(|c| &c.procedures[i])
                .filter(|r| r.status.scored())
                .collect();
            if results.is_empty() {
                return None;
            }
            let met = results
                .iter()
                .filter(|r| r.status == Status::InTime)
                .count();
            let times: Vec<SimTime> = results
                .iter()
                .filter_map(|r| Some(r.done_at?.saturating_sub(r.triggered_at?)))
                .collect();
            Some(ProcedureStats {
                id: p.id.clone(),
                title: p.title.clone(),
                role: p.role.clone(),
                allowed_secs: p.within_min.map(|m| u64::from(m) * 60),
                scored: results.len(),
                met,
                share_met: Some(met as f64 / results.len() as f64),
                time_to_action: Spread::of(times),
            })
        })
        .collect();
    let objectives = ctx
        .scenario
        .objectives
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut ratings = [0usize; 4];
            let mut unrated = 0;
            for c in &cards {
                match c
                    .objectives
                    .get(i)
                    .and_then(crate::scoring::ObjectiveResult::rating)
                {
                    Some(r) => ratings[Rating::ALL.iter().position(|x| *x == r).unwrap_or(3)] += 1,
                    None => unrated += 1,
                }
            }
            ObjectiveStats {
                id: o.id.clone(),
                title: o.title.clone(),
                ratings,
                unrated,
            }
        })
        .collect();
    let mut lat: BTreeMap<RoleId, (Vec<u64>, usize)> = BTreeMap::new();
    for j in &js {
        latencies(&j.entries, &mut lat);
    }
    let latency = ctx
        .scenario
        .roles
        .iter()
        .filter_map(|r| {
            let (v, expired) = lat.remove(r)?;
            Some(RoleLatency {
                role: r.clone(),
                name: ctx.plan.role(r.as_str()).map_or_else(
                    || Text::new(r.to_string(), r.to_string()),
                    |x| x.name.clone(),
                ),
                decided: v.len(),
                expired,
                latency: Spread::of(v),
            })
        })
        .collect();
    let mut teams: BTreeMap<Option<String>, Vec<(String, f64)>> = BTreeMap::new();
    for (j, c) in js.iter().zip(&cards) {
        teams
            .entry(j.header.team.clone())
            .or_default()
            .push((j.header.wall_start.clone(), c.total.share().unwrap_or(0.0)));
    }
    Group {
        scenario_id: ex.scenario.value.id.clone(),
        title: ex.scenario.value.title.clone(),
        source_hash: js[0].header.source_hash.clone(),
        journals,
        procedures,
        objectives,
        latency,
        trend: teams
            .into_iter()
            .map(|(team, points)| TeamTrend { team, points })
            .collect(),
    }
}

/// The team name to show: the team, or words for "none given".
pub fn team_label(team: Option<&str>, lang: Lang) -> String {
    team.map_or_else(
        || crate::i18n::tr(lang, "(geen team opgegeven)", "(no team given)").to_owned(),
        str::to_owned,
    )
}

#[cfg(test)]
mod tests;
