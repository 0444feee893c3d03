//! The after-action report and improvement plan (AAR/IP) in the HSEEP structure, built once
//! from a journal and rendered as HTML, Markdown, CSV or JSON.

use serde::Serialize;

use crate::engine::{EventKind, Rating, SimTime, fmt_elapsed};
use crate::journal::verify::Verdict;
use crate::journal::{Body, Entry, Header};
use crate::library::Exercise;
use crate::model::{Lang, Text};
use crate::scoring::{self, Scorecard, Status};

/// Version of the JSON report's shape (2: procedure reasons are data, their sentences in `why`).
pub const SCHEMA_VERSION: u32 = 2;

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineItem {
    /// Simulated time.
    pub t: SimTime,
    /// `inject`, `adhoc`, `decision`, `expired`, `action`, `observation`.
    pub kind: &'static str,
    /// The role concerned, if any.
    pub role: Option<String>,
    /// What happened.
    pub text: String,
}

impl TimelineItem {
    /// The kind, in the report's language.
    pub fn kind_label(&self, lang: Lang) -> &'static str {
        let tr = crate::i18n::tr;
        match self.kind {
            "inject" => tr(lang, "inject", "inject"),
            "adhoc" => tr(lang, "ad-hoc inject", "ad-hoc inject"),
            "decision" => tr(lang, "besluit", "decision"),
            "expired" => tr(lang, "termijn verlopen", "deadline passed"),
            "action" => tr(lang, "actie", "action"),
            "observation" => tr(lang, "waarneming", "observation"),
            _ => "",
        }
    }
}

/// A table of the report, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// A row of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cells, one per header.
    pub cells: Vec<String>,
    /// A cell to colour by rating (`P`, `S`, `M`, `U`): its column and the rating.
    pub mark: Option<(usize, &'static str)>,
}

impl Row {
    fn plain(cells: Vec<String>) -> Self {
        Self { cells, mark: None }
    }
}

/// A decision in the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionLine {
    /// When.
    pub t: SimTime,
    /// The role.
    pub role: String,
    /// The decision id.
    pub decision: String,
    /// The question.
    pub prompt: String,
    /// The choice id.
    pub choice: Option<String>,
    /// The choice's label.
    pub label: String,
    /// Decided or expired.
    pub expired: bool,
    /// The rationale.
    pub rationale: String,
    /// Seconds taken.
    pub latency_secs: Option<u64>,
    /// What the scenario's author wrote for the debrief about this choice (empty if nothing).
    pub debrief: String,
}

/// An observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservationLine {
    /// When.
    pub t: SimTime,
    /// About which role.
    pub role: Option<String>,
    /// Rating.
    pub rating: Option<Rating>,
    /// Which objective it rates.
    pub objective: Option<String>,
    /// The text.
    pub text: String,
}

/// A strength or an area for improvement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The responsible role.
    pub role: String,
    /// What went well or not.
    pub text: String,
    /// The procedure, if it comes from one.
    pub procedure: Option<String>,
}

/// A line of the improvement plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImprovementItem {
    /// The issue.
    pub issue: String,
    /// The responsible role.
    pub role: String,
    /// The corrective action proposed.
    pub corrective_action: String,
    /// To be filled in by the organisation.
    pub owner: String,
    /// To be filled in by the organisation.
    pub due: String,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Aar {
    /// Shape version.
    pub schema_version: u32,
    /// Language.
    pub lang: Lang,
    /// Scenario title.
    pub title: String,
    /// Scenario summary.
    pub summary: String,
    /// Scenario id.
    pub scenario_id: String,
    /// Simulated start.
    pub scenario_start: String,
    /// When it was played.
    pub played: String,
    /// The seed.
    pub seed: u64,
    /// Roles present, by name.
    pub roles_present: Vec<String>,
    /// Scenario length, minutes.
    pub duration_min: u32,
    /// Simulated time reached.
    pub reached: SimTime,
    /// Whether the exercise ran to its end.
    pub finished: bool,
    /// The journal's source hash.
    pub source_hash: String,
    /// Timeline.
    pub timeline: Vec<TimelineItem>,
    /// The scorecard.
    pub scorecard: Scorecard,
    /// Strengths.
    pub strengths: Vec<Finding>,
    /// Areas for improvement.
    pub improvements: Vec<Finding>,
    /// The improvement plan.
    pub plan: Vec<ImprovementItem>,
    /// Decision log.
    pub decisions: Vec<DecisionLine>,
    /// Observations.
    pub observations: Vec<ObservationLine>,
    /// Role names in the report's language, by id, for the tables a person reads (the JSON
    /// keeps the ids in the scorecard).
    #[serde(skip)]
    role_names: std::collections::BTreeMap<String, String>,
    /// Per procedure id (with `#k` for occurrence `k` of a procedure scored per occurrence:
    /// [`crate::scoring::ProcedureResult::key`]), why it scored what it did, in the report's
    /// language (the scorecard keeps the reason as data).
    pub why: std::collections::BTreeMap<String, String>,
    /// What verifying the journal found (chain, seal, replay), when it was verified.
    pub verification: Option<Verdict>,
    /// `NOT VERIFIED: <reason>` when the report was made from a journal that failed
    /// verification (on explicit request); every format shows it first.
    pub banner: Option<String>,
    /// The files released injects carried, in the order released, read from beside the
    /// scenario when the report was built (a file that could not be read says why). Shown by
    /// the HTML (embedded), PDF (drawn) and Markdown (linked) reports; the timeline of every
    /// format names them too.
    #[serde(skip)]
    pub attachments: Vec<super::doc::Attached>,
}

fn text(t: &Text, lang: Lang) -> String {
    t.get(lang).to_owned()
}

impl Aar {
    /// Builds the report from a journal.
    pub fn build(ex: &Exercise, header: &Header, entries: &[Entry], lang: Lang) -> Self {
        let plan = &ex.plan.value;
        let s = &ex.scenario.value;
        let card = scoring::score(plan, s, header, entries);
        let role_name = |id: &str| {
            plan.role(id)
                .map_or_else(|| id.to_owned(), |r| text(&r.name, lang))
        };
        let mut timeline = Vec::new();
        let mut decisions = Vec::new();
        let mut observations = Vec::new();
        let mut finished = false;
        let mut attachments = Vec::new();
        for e in entries {
            let Body::Event(ev) = &e.body else { continue };
            let t = ev.t;
            match &ev.kind {
                EventKind::InjectReleased { inject, to, .. } => {
                    let released = s.inject(inject.as_str());
                    for a in released.map_or(&[][..], |i| &i.attachments[..]) {
                        let lead = format!(
                            "{} · {}",
                            fmt_elapsed(t),
                            released.map_or("", |i| i.title.get(lang))
                        );
                        attachments.push(super::doc::Attached::read(
                            &ex.scenario.path,
                            a,
                            lang,
                            lead,
                        ));
                    }
                    let title = released
                        .map_or_else(|| inject.to_string(), |i| text(&i.title, lang))
                        + &crate::describe::attachments_suffix(s, inject.as_str(), lang);
                    timeline.push(TimelineItem {
                        t,
                        kind: "inject",
                        role: Some(
                            to.iter()
                                .map(|r| role_name(r.as_str()))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                        text: title,
                    });
                }
                EventKind::AdHocReleased { to, title, .. } => timeline.push(TimelineItem {
                    t,
                    kind: "adhoc",
                    role: Some(
                        to.iter()
                            .map(|r| role_name(r.as_str()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    text: title.clone(),
                }),
                EventKind::DecisionMade {
                    decision,
                    role,
                    choice,
                    rationale,
                    latency_secs,
                } => {
                    let (prompt, label, debrief) =
                        labels(ex, decision.as_str(), Some(choice.as_str()), lang);
                    timeline.push(TimelineItem {
                        t,
                        kind: "decision",
                        role: Some(role_name(role.as_str())),
                        text: format!("{prompt} → {label}"),
                    });
                    decisions.push(DecisionLine {
                        t,
                        role: role_name(role.as_str()),
                        decision: decision.to_string(),
                        prompt,
                        choice: Some(choice.to_string()),
                        label,
                        expired: false,
                        rationale: rationale.clone(),
                        latency_secs: Some(*latency_secs),
                        debrief,
                    });
                }
                EventKind::DecisionExpired {
                    decision,
                    role,
                    choice,
                } => {
                    let (prompt, label, debrief) = labels(
                        ex,
                        decision.as_str(),
                        choice.as_ref().map(crate::model::ChoiceId::as_str),
                        lang,
                    );
                    timeline.push(TimelineItem {
                        t,
                        kind: "expired",
                        role: Some(role_name(role.as_str())),
                        text: format!("{prompt} → {label}"),
                    });
                    decisions.push(DecisionLine {
                        t,
                        role: role_name(role.as_str()),
                        decision: decision.to_string(),
                        prompt,
                        choice: choice.as_ref().map(ToString::to_string),
                        label,
                        expired: true,
                        rationale: String::new(),
                        latency_secs: None,
                        debrief,
                    });
                }
                EventKind::ActionTaken {
                    role,
                    action,
                    source: crate::engine::ActionSource::Palette,
                    note,
                } => timeline.push(TimelineItem {
                    t,
                    kind: "action",
                    role: Some(role_name(role.as_str())),
                    text: format!(
                        "{}{}",
                        plan.action(action.as_str())
                            .map_or_else(|| action.to_string(), |a| text(&a.label, lang)),
                        if note.is_empty() {
                            String::new()
                        } else {
                            format!(" — {note}")
                        }
                    ),
                }),
                EventKind::Observed {
                    text: body,
                    role,
                    rating,
                    objective,
                } => {
                    timeline.push(TimelineItem {
                        t,
                        kind: "observation",
                        role: role.as_ref().map(|r| role_name(r.as_str())),
                        text: body.clone(),
                    });
                    observations.push(ObservationLine {
                        t,
                        role: role.as_ref().map(|r| role_name(r.as_str())),
                        rating: *rating,
                        objective: objective.as_ref().map(ToString::to_string),
                        text: body.clone(),
                    });
                }
                EventKind::Ended { .. } => finished = true,
                _ => {}
            }
        }
        let mut strengths = Vec::new();
        let mut improvements = Vec::new();
        let mut ip = Vec::new();
        // Every procedure's explanation, in the report's language, from the scorer's data.
        let why: std::collections::BTreeMap<String, String> = card
            .procedures
            .iter()
            .map(|p| {
                let why = crate::describe::why(p, plan, &ex.scenario.value, lang);
                // A procedure the scenario brings says so: it is not the plan's rule.
                let why = match crate::describe::procedure_note(s, p.id.as_str(), lang) {
                    Some(note) => format!("{why} ({note})"),
                    None => why,
                };
                (p.key(), why)
            })
            .collect();
        for p in &card.procedures {
            let title = text(&p.title, lang);
            let who = role_name(p.role.as_str());
            match p.status {
                Status::InTime if p.violations.is_empty() => strengths.push(Finding {
                    role: who,
                    text: format!("{title}: {}", why[p.key().as_str()]),
                    procedure: Some(p.id.to_string()),
                }),
                Status::Late
                | Status::Missed
                | Status::OtherRole
                | Status::InTime
                | Status::Partly => {
                    improvements.push(Finding {
                        role: who.clone(),
                        text: format!("{title}: {}", why[p.key().as_str()]),
                        procedure: Some(p.id.to_string()),
                    });
                    let action = plan
                        .action(p.action.as_str())
                        .map_or_else(|| p.action.to_string(), |a| text(&a.label, lang));
                    let within = p.allowed_secs.map(|a| a / 60);
                    ip.push(ImprovementItem {
                        issue: format!("{title} ({})", p.status.label(lang)),
                        role: who,
                        corrective_action: match (lang, within) {
                            (Lang::Nl, Some(m)) => format!("Borg in plan en training dat \"{action}\" binnen {m} min na de aanleiding gebeurt; oefen dit opnieuw."),
                            (Lang::Nl, None) => format!("Borg in plan en training dat \"{action}\" gebeurt zodra de aanleiding zich voordoet; oefen dit opnieuw."),
                            (Lang::En, Some(m)) => format!("Make sure in plans and training that \"{action}\" happens within {m} min of the trigger; exercise it again."),
                            (Lang::En, None) => format!("Make sure in plans and training that \"{action}\" happens as soon as the trigger occurs; exercise it again."),
                        },
                        owner: String::new(),
                        due: String::new(),
                    });
                }
                _ if !p.violations.is_empty() => improvements.push(Finding {
                    role: who,
                    text: format!("{title}: {}", why[p.key().as_str()]),
                    procedure: Some(p.id.to_string()),
                }),
                _ => {}
            }
        }
        for o in &observations {
            let f = Finding {
                role: o.role.clone().unwrap_or_default(),
                text: o.text.clone(),
                procedure: None,
            };
            match o.rating {
                Some(Rating::P | Rating::S) => strengths.push(f),
                Some(Rating::M | Rating::U) => improvements.push(f),
                None => {}
            }
        }
        Self {
            schema_version: SCHEMA_VERSION,
            lang,
            title: text(&s.title, lang),
            summary: text(&s.summary, lang),
            scenario_id: s.id.clone(),
            scenario_start: s.start.clone(),
            played: header.wall_start.clone(),
            seed: header.seed,
            roles_present: if header.present.is_empty() {
                &s.roles
            } else {
                &header.present
            }
            .iter()
            .map(|r| role_name(r.as_str()))
            .collect(),
            duration_min: s.duration_min,
            reached: card.end_t,
            finished,
            source_hash: header.source_hash.clone(),
            timeline,
            scorecard: card,
            strengths,
            improvements,
            plan: ip,
            decisions,
            observations,
            why,
            role_names: plan
                .roles
                .iter()
                .map(|r| (r.id.to_string(), text(&r.name, lang)))
                .collect(),
            verification: None,
            banner: None,
            attachments,
        }
    }

    /// Why a procedure scored what it did, in the report's language.
    pub fn why_of(&self, p: &crate::scoring::ProcedureResult) -> &str {
        self.why.get(p.key().as_str()).map_or("", String::as_str)
    }

    /// A role's name in the report's language (its id when the plan does not know it).
    pub fn role_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.role_names.get(id).map_or(id, String::as_str)
    }

    /// Records what verifying the journal found; a failed verification puts the
    /// `NOT VERIFIED` banner on the report.
    #[must_use]
    pub fn with_verification(mut self, verdict: Option<Verdict>) -> Self {
        self.banner = verdict.as_ref().and_then(|v| v.banner(self.lang));
        self.verification = verdict;
        self
    }

    /// The exercise overview as (label, value) rows, shared by the HTML and Markdown reports.
    pub fn overview(&self) -> Vec<(&'static str, String)> {
        let l = |nl, en| crate::i18n::tr(self.lang, nl, en);
        vec![
            (
                l("Scenario", "Scenario"),
                format!("{} ({})", self.title, self.scenario_id),
            ),
            (l("Samenvatting", "Summary"), self.summary.clone()),
            (l("Gespeeld op", "Played on"), self.played.clone()),
            (
                l("Start in het scenario", "Scenario start"),
                self.scenario_start.clone(),
            ),
            (
                l("Duur", "Duration"),
                format!(
                    "{} min; {} {}{}",
                    self.duration_min,
                    l("bereikt", "reached"),
                    fmt_elapsed(self.reached),
                    if self.finished {
                        ""
                    } else {
                        l(" (niet afgerond)", " (unfinished)")
                    }
                ),
            ),
            (
                l("Aanwezige rollen", "Roles present"),
                self.roles_present.join(", "),
            ),
            (l("Seed", "Seed"), self.seed.to_string()),
            (
                l("Totaalscore", "Total score"),
                self.scorecard.total.summary(self.lang),
            ),
            (l("Bronhash", "Source hash"), self.source_hash.clone()),
            (
                l("Integriteit van het logboek", "Journal integrity"),
                self.verification.as_ref().map_or_else(
                    || l("niet gecontroleerd", "not checked").to_owned(),
                    |v| v.summary(self.lang),
                ),
            ),
        ]
    }

    /// The tables both the HTML and the Markdown report show, in order: timeline, objectives,
    /// improvement plan, procedures, decision log. Cells are plain text; each renderer escapes
    /// them its own way.
    pub fn tables(&self) -> [Table; 5] {
        let lang = self.lang;
        let l = |nl, en| crate::i18n::tr(lang, nl, en);
        let timeline = Table {
            headers: vec![
                l("Tijd", "Time"),
                l("Soort", "Kind"),
                l("Rol", "Role"),
                l("Wat", "What"),
            ],
            rows: self
                .timeline
                .iter()
                .map(|t| {
                    Row::plain(vec![
                        fmt_elapsed(t.t),
                        t.kind_label(lang).to_owned(),
                        t.role.clone().unwrap_or_default(),
                        t.text.clone(),
                    ])
                })
                .collect(),
        };
        let objectives = Table {
            headers: vec![
                l("Doel", "Objective"),
                l("Score", "Score"),
                l("Oordeel", "Rating"),
                l("Toelichting", "Note"),
            ],
            rows: self
                .scorecard
                .objectives
                .iter()
                .map(|o| {
                    let rating = o
                        .rating()
                        .map_or_else(|| "—".to_owned(), |r| format!("{r:?}"));
                    let note = o
                        .overridden
                        .as_ref()
                        .map_or_else(String::new, |(rt, why, _)| {
                            format!(
                                "{} {rt:?}: {why}",
                                l("Oordeel waarnemer", "Observer's rating")
                            )
                        });
                    let class = match o.rating() {
                        Some(Rating::P) => "P",
                        Some(Rating::S) => "S",
                        Some(Rating::M) => "M",
                        Some(Rating::U) => "U",
                        None => "",
                    };
                    Row {
                        cells: vec![
                            format!("{} — {}", o.id, o.title.get(lang)),
                            o.tally.percent(),
                            rating,
                            note,
                        ],
                        mark: Some((2, class)),
                    }
                })
                .collect(),
        };
        let plan = Table {
            headers: vec![
                l("Punt", "Issue"),
                l("Verantwoordelijke rol", "Responsible role"),
                l("Verbeteractie", "Corrective action"),
                l("Eigenaar", "Owner"),
                l("Gereed op", "Due date"),
            ],
            rows: self
                .plan
                .iter()
                .map(|i| {
                    Row::plain(vec![
                        i.issue.clone(),
                        i.role.clone(),
                        i.corrective_action.clone(),
                        i.owner.clone(),
                        i.due.clone(),
                    ])
                })
                .collect(),
        };
        let procedures = Table {
            headers: vec![
                l("Procedure", "Procedure"),
                l("Rol", "Role"),
                l("Status", "Status"),
                l("Punten", "Points"),
                l("Waarom", "Why"),
            ],
            rows: self
                .scorecard
                .procedures
                .iter()
                .filter(|p| p.status.scored() || !p.violations.is_empty())
                .map(|p| Row {
                    cells: vec![
                        p.title.get(lang).to_owned(),
                        self.role_name(p.role.as_str()).to_owned(),
                        p.status.label(lang).to_owned(),
                        format!("{:.1} / {}", p.net(), p.weight),
                        self.why_of(p).to_owned(),
                    ],
                    mark: Some((
                        2,
                        match p.status {
                            Status::InTime => "P",
                            Status::Late | Status::OtherRole | Status::Partly => "M",
                            _ => "U",
                        },
                    )),
                })
                .collect(),
        };
        let decisions = Table {
            headers: vec![
                l("Tijd", "Time"),
                l("Rol", "Role"),
                l("Vraag", "Question"),
                l("Besluit", "Decision"),
                l("Motivering", "Rationale"),
                l("Nabespreking", "Debrief"),
            ],
            rows: self
                .decisions
                .iter()
                .map(|d| {
                    let expired = if d.expired {
                        l(" (termijn verlopen)", " (deadline passed)")
                    } else {
                        ""
                    };
                    Row::plain(vec![
                        fmt_elapsed(d.t),
                        d.role.clone(),
                        d.prompt.clone(),
                        format!("{}{expired}", d.label),
                        d.rationale.clone(),
                        d.debrief.clone(),
                    ])
                })
                .collect(),
        };
        [timeline, objectives, plan, procedures, decisions]
    }

    /// The report as pretty JSON, everything included, with its schema version.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Decisions and procedure results as CSV (RFC 4180; UTF-8 with a byte-order mark so that
    /// spreadsheets pick the encoding).
    pub fn to_csv(&self) -> String {
        let mut w = GuardedCsv(csv::WriterBuilder::new().from_writer(Vec::new()));
        let nl = self.lang == Lang::Nl;
        if let Some(b) = &self.banner {
            // First, before the header: nobody opens this without seeing it.
            let _ = w.write_record([b.as_str(), "", "", "", "", "", "", "", ""]);
        }
        let _ = w.write_record(if nl {
            [
                "soort",
                "tijd",
                "rol",
                "id",
                "omschrijving",
                "uitkomst",
                "punten",
                "mogelijk",
                "toelichting",
                "nabespreking",
            ]
        } else {
            [
                "kind",
                "time",
                "role",
                "id",
                "description",
                "outcome",
                "points",
                "possible",
                "explanation",
                "debrief",
            ]
        });
        for d in &self.decisions {
            let _ = w.write_record([
                if d.expired {
                    "decision-expired"
                } else {
                    "decision"
                },
                &fmt_elapsed(d.t),
                &d.role,
                &d.decision,
                &d.prompt,
                &d.label,
                "",
                "",
                &d.rationale,
                &d.debrief,
            ]);
        }
        for p in &self.scorecard.procedures {
            let _ = w.write_record([
                "procedure",
                &p.triggered_at.map(fmt_elapsed).unwrap_or_default(),
                self.role_name(p.role.as_str()),
                p.id.as_str(),
                p.title.get(self.lang),
                p.status.label(self.lang),
                &format!("{:.2}", p.net()),
                &format!("{:.0}", p.possible),
                self.why_of(p),
                "",
            ]);
        }
        let bytes = w.0.into_inner().unwrap_or_default();
        format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
    }
}

/// A CSV writer whose every cell is safe to open in a spreadsheet: bidirectional controls shown
/// as codes, and no cell can start a formula ([`crate::text::csv_cell_guard`]).
struct GuardedCsv(csv::Writer<Vec<u8>>);

impl GuardedCsv {
    fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0.write_record(record.into_iter().map(|c| {
            let safe = crate::text::report_safe(c.as_ref()).into_owned();
            crate::text::csv_cell_guard(&safe).into_owned()
        }))
    }
}

/// A decision's question, the label of the choice taken, and what the author wrote for the
/// debrief about that choice (empty when nothing, or no choice).
fn labels(
    ex: &Exercise,
    decision: &str,
    choice: Option<&str>,
    lang: Lang,
) -> (String, String, String) {
    let s = &ex.scenario.value;
    let d = s
        .decisions()
        .find(|(_, d)| d.id.as_str() == decision)
        .map(|(_, d)| d);
    let prompt = d.map_or_else(|| decision.to_owned(), |d| text(&d.prompt, lang));
    let option = d.and_then(|d| d.options.iter().find(|o| Some(o.id.as_str()) == choice));
    let label = match (option, choice) {
        (Some(o), _) => text(&o.label, lang),
        (None, Some(c)) => c.to_owned(),
        (None, None) => match lang {
            Lang::Nl => "(geen besluit)".to_owned(),
            Lang::En => "(no decision)".to_owned(),
        },
    };
    let debrief = option
        .and_then(|o| o.debrief.as_ref())
        .map(|t| text(t, lang))
        .unwrap_or_default();
    (prompt, label, debrief)
}
