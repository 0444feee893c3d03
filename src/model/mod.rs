//! The scenario format: the plan catalogue ([`Plan`]) and exercise scripts ([`Scenario`]).
//!
//! These types are the RON format itself (see `scenarios/README.md`). They are plain serde data;
//! [`load`] turns text into them and [`validate`] checks every reference, so the engine and the
//! scoring can rely on ids that resolve.

pub mod authoring;
pub mod diag;
pub mod ids;
pub mod load;
pub mod locate;
pub mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use authoring::{Attachment, AttachmentKind, CURRENT_FORMAT};
pub use ids::{
    ActionId, ChoiceId, DecisionId, InjectId, ObjectiveId, ProcedureId, RoleId, SignalId, VarId,
};

/// Bilingual text: every string a player sees exists in Dutch and English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Builds a text from its Dutch and English forms.
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            nl: nl.into(),
            en: en.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// A user-interface and report language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Nederlands.
    #[default]
    Nl,
    /// English.
    En,
}

// ---------------------------------------------------------------------------------------------
// The plan catalogue
// ---------------------------------------------------------------------------------------------

/// The plan catalogue: the partner roles, the actions they can take, the signals that scenarios
/// raise, the standard situation variables, and the procedures that exercises are scored against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Format version of the file (`format: 2`); 1 when absent. See [`authoring`].
    #[serde(
        default = "authoring::format_v1",
        skip_serializing_if = "authoring::is_format_v1"
    )]
    pub format: u32,
    /// Identifier that scenarios name in their `plan` field.
    pub id: String,
    /// Full title.
    pub title: Text,
    /// Version or date of the catalogue.
    #[serde(default)]
    pub version: String,
    /// Partner roles.
    pub roles: Vec<Role>,
    /// Plan actions a role can take (in a decision or recorded by the facilitator).
    pub actions: Vec<Action>,
    /// Named situations that scenarios raise with `Signal(..)` and procedures are triggered by.
    pub signals: Vec<Signal>,
    /// Standard situation variables every scenario has (GRIP, threat level, casualties, ...).
    #[serde(default)]
    pub vars: Vec<Var>,
    /// The procedures that exercises are scored against.
    pub procedures: Vec<Procedure>,
    /// The plan's key decisions (sleutelbesluiten) and the procedures that carry them, so that
    /// objectives and reports can say which key decision an exercise trains. Optional: older
    /// catalogues without it load unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_decisions: Vec<KeyDecision>,
}

/// A key decision (sleutelbesluit) of the plan: a decision the plan expects those in authority
/// to take in this kind of crisis, with its dilemma and the procedures that carry it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDecision {
    /// Identifier, e.g. `"KB-motief"`.
    pub id: String,
    /// The decision, as a short title.
    pub title: Text,
    /// The dilemma that makes it hard.
    pub dilemma: Text,
    /// The procedures through which the decision is taken and scored.
    pub procedures: Vec<ProcedureId>,
    /// Where the key decision comes from.
    pub source: Source,
}

/// A partner role in the crisis organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Identifier, e.g. `"burgemeester"`.
    pub id: RoleId,
    /// Display name.
    pub name: Text,
    /// The team or structure the role sits in (`Driehoek`, `GBT`, `ROT`, `Rijk`, ...).
    pub team: String,
    /// What the role is responsible for.
    pub duty: Text,
}

/// Something a role does that the plan cares about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Identifier, e.g. `"convene_triangle"`.
    pub id: ActionId,
    /// Display label.
    pub label: Text,
    /// The roles that normally take this action (for the facilitator's action palette).
    #[serde(default)]
    pub roles: Vec<RoleId>,
}

/// A named situation, raised by scenario effects, that can start a procedure's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Identifier, e.g. `"terror_motive_possible"`.
    pub id: SignalId,
    /// Display label.
    pub label: Text,
}

/// A phase of crisis management, as used in the guidance for mayors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Phase {
    /// Preparatie: before the incident.
    Preparatie,
    /// Alarmering: alerting and scaling up.
    Alarmering,
    /// Respons: the response.
    Respons,
    /// Nazorg: aftercare and recovery.
    Nazorg,
}

impl Phase {
    /// All phases in order.
    pub const ALL: [Phase; 4] = [
        Phase::Preparatie,
        Phase::Alarmering,
        Phase::Respons,
        Phase::Nazorg,
    ];

    /// Display name.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Phase::Preparatie, Lang::Nl) => "Preparatie",
            (Phase::Preparatie, Lang::En) => "Preparation",
            (Phase::Alarmering, Lang::Nl) => "Alarmering",
            (Phase::Alarmering, Lang::En) => "Alerting",
            (Phase::Respons, Lang::Nl) => "Respons",
            (Phase::Respons, Lang::En) => "Response",
            (Phase::Nazorg, Lang::Nl) => "Nazorg",
            (Phase::Nazorg, Lang::En) => "Aftercare",
        }
    }
}

/// What kind of rule a procedure rests on. Nothing invented is presented as law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceKind {
    /// A statute (Gemeentewet, Wet veiligheidsregio's, Politiewet, ...).
    Law,
    /// A national plan, handbook or regulation (LCP EGT, Nationaal Handboek Crisisbeheersing).
    NationalPlan,
    /// A regional norm or common practice of safety regions.
    RegionalNorm,
    /// A lesson drawn from the evaluation of a real incident.
    Lesson,
    /// Exercise practice chosen for this catalogue (HSEEP, good practice), not a rule.
    Practice,
    /// A local agreement a scenario brings (format 2): an event permit, an organiser's safety
    /// plan, a covenant between neighbouring municipalities.
    Local,
}

impl SourceKind {
    /// Display name.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SourceKind::Law, Lang::Nl) => "wet",
            (SourceKind::Law, Lang::En) => "law",
            (SourceKind::NationalPlan, Lang::Nl) => "landelijk plan/handboek",
            (SourceKind::NationalPlan, Lang::En) => "national plan/handbook",
            (SourceKind::RegionalNorm, Lang::Nl) => "regionale norm",
            (SourceKind::RegionalNorm, Lang::En) => "regional norm",
            (SourceKind::Lesson, Lang::Nl) => "les uit evaluatie",
            (SourceKind::Lesson, Lang::En) => "lesson from an evaluation",
            (SourceKind::Practice, Lang::Nl) => "goede praktijk",
            (SourceKind::Practice, Lang::En) => "good practice",
            (SourceKind::Local, Lang::Nl) => "lokale afspraak",
            (SourceKind::Local, Lang::En) => "local agreement",
        }
    }
}

/// Where a procedure's rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The kind of rule.
    pub kind: SourceKind,
    /// The citation: the law article, handbook or evaluation.
    pub cite: String,
}

/// A rule of the plan: when `trigger` first holds, `role` should take `action`, within
/// `within_min` minutes where a time is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Identifier, e.g. `"P-driehoek"`.
    pub id: ProcedureId,
    /// Short title.
    pub title: Text,
    /// The responsible role.
    pub role: RoleId,
    /// The phase the procedure belongs to.
    pub phase: Phase,
    /// When the clock starts: the first moment this condition holds.
    pub trigger: Cond,
    /// The action that satisfies the procedure.
    pub action: ActionId,
    /// Time allowed in minutes, if the rule sets one. Without it, any time before the end counts
    /// as in time.
    #[serde(default)]
    pub within_min: Option<u32>,
    /// Weight in the score (1–10).
    pub weight: u32,
    /// Where the rule comes from.
    pub source: Source,
    /// Why it matters, for the after-action report.
    #[serde(default)]
    pub rationale: Option<Text>,
    /// Scored once per occurrence of the trigger (each time it starts to hold again, e.g. a
    /// rumour in waves) instead of once from its first trigger. A scenario can also ask this
    /// of a plan procedure with its own `per_occurrence` list.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_occurrence: bool,
}

// ---------------------------------------------------------------------------------------------
// Variables, conditions and effects
// ---------------------------------------------------------------------------------------------

/// A value of a situation variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Value {
    /// A whole number (levels, counts).
    Int(i64),
    /// A yes/no flag.
    Bool(bool),
}

impl Value {
    /// The type of the value.
    pub fn kind(self) -> VarKind {
        match self {
            Value::Int(_) => VarKind::Int,
            Value::Bool(_) => VarKind::Bool,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// The type of a situation variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VarKind {
    /// Whole numbers.
    Int,
    /// Yes/no.
    Bool,
}

/// A situation variable, shown in the situation picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Var {
    /// Identifier, e.g. `"grip"`.
    pub id: VarId,
    /// Display label.
    pub label: Text,
    /// Initial value; its type is the variable's type.
    pub init: Value,
    /// Lowest allowed value (integers only).
    #[serde(default)]
    pub min: Option<i64>,
    /// Highest allowed value (integers only).
    #[serde(default)]
    pub max: Option<i64>,
    /// Hidden variables are never shown to players or on the projector.
    #[serde(default)]
    pub hidden: bool,
    /// Names of the values of a level variable (GRIP or another scaling vocabulary, the threat
    /// level, the `ATb` level), shown in the situation picture. Optional: a value without a name
    /// shows as its number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
}

/// The name of one value of a level variable, e.g. GRIP 3 or threat level 4 "substantial".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The value.
    pub value: i64,
    /// Its name, e.g. `(nl: "4 substantieel", en: "4 substantial")`.
    pub label: Text,
}

impl Var {
    /// The name of an integer value of this variable, if the catalogue gives one.
    pub fn level_label(&self, value: i64, lang: Lang) -> Option<&str> {
        self.levels
            .iter()
            .find(|l| l.value == value)
            .map(|l| l.label.get(lang))
    }
}

/// A comparison operator in [`Cond::Var`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
}

impl Op {
    /// Applies the operator.
    pub fn apply(self, a: Value, b: Value) -> bool {
        match self {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        }
    }

    /// The operator as written in mathematics.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        }
    }
}

/// A condition on the state of an exercise. Typed RON, not a string language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cond {
    /// Always true.
    Always,
    /// All of these hold.
    All(Vec<Cond>),
    /// At least one of these holds.
    Any(Vec<Cond>),
    /// This does not hold.
    Not(Box<Cond>),
    /// A variable compared with a value.
    Var(VarId, Op, Value),
    /// The signal has been raised.
    Signal(SignalId),
    /// The decision was answered (or expired into) this choice.
    Chosen(DecisionId, ChoiceId),
    /// The inject has been released.
    Released(InjectId),
    /// Some role has taken the action.
    Done(ActionId),
    /// From this minute of the exercise on (`After(95)`: minute 95 and later).
    After(u32),
    /// The inject has been released, less than this many minutes ago (`ReleasedWithin("i-x",
    /// 20)`: from its release until 20 minutes after it, that minute excluded).
    ReleasedWithin(InjectId, u32),
    /// The decision has been settled (answered, or expired), less than this many minutes ago.
    DecidedWithin(DecisionId, u32),
}

/// A change to the state of an exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// Set a variable.
    Set(VarId, Value),
    /// Add to an integer variable (negative to subtract); clamped to its bounds.
    Add(VarId, i64),
    /// Raise an integer variable to at least this value; never lowers it (scaling up to GRIP 3
    /// after GRIP 4 was declared leaves GRIP 4).
    Raise(VarId, i64),
    /// Raise a signal (again, if it was cleared).
    Signal(SignalId),
    /// Clear a raised signal: the situation it names is over (a rumour debunked, a suspect
    /// arrested, an advice lifted). Conditions on the signal stop holding; raising it again
    /// later is a new occurrence (see [`Procedure::per_occurrence`]).
    Clear(SignalId),
    /// Releases a follow-up inject after its `delay_min`, as a choice's `then` does; inside
    /// `If` and `Chance` it makes an outcome an inject.
    Then(InjectId),
    /// The first effects if the condition holds at that moment, else the second: the same
    /// arrest works at minute 20 and goes wrong at minute 90.
    If(Cond, Vec<Effect>, Vec<Effect>),
    /// The first effects with probability `p` (0.0–1.0), else the second. Drawn from the
    /// exercise's seed for this place in the scenario, so the same seed gives the same outcome.
    Chance(f64, Vec<Effect>, Vec<Effect>),
}

impl Effect {
    /// This effect and every effect nested in it (both branches of `If` and `Chance`), in
    /// file order.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Effect)) {
        f(self);
        if let Effect::If(_, a, b) | Effect::Chance(_, a, b) = self {
            for e in a.iter().chain(b) {
                e.walk(f);
            }
        }
    }

    /// The follow-up injects these effects can release (`Then` in any branch).
    pub fn follow_ups(effects: &[Effect]) -> Vec<&InjectId> {
        let mut out = Vec::new();
        for e in effects {
            e.walk(&mut |e| {
                if let Effect::Then(i) = e {
                    out.push(i);
                }
            });
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

/// How an inject reaches its recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// A phone call.
    Phone,
    /// E-mail.
    Email,
    /// Radio / C2000.
    Radio,
    /// A message in the crisis information system (LCMS).
    Lcms,
    /// Social media.
    Social,
    /// News media.
    Media,
    /// In person, in a meeting.
    Meeting,
    /// A written document or report.
    Document,
}

impl Channel {
    /// All channels in order.
    pub const ALL: [Channel; 8] = [
        Channel::Phone,
        Channel::Email,
        Channel::Radio,
        Channel::Lcms,
        Channel::Social,
        Channel::Media,
        Channel::Meeting,
        Channel::Document,
    ];

    /// Display name.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Channel::Phone, Lang::Nl) => "Telefoon",
            (Channel::Phone, Lang::En) => "Phone",
            (Channel::Email, _) => "E-mail",
            (Channel::Radio, _) => "C2000",
            (Channel::Lcms, _) => "LCMS",
            (Channel::Social, Lang::Nl) => "Sociale media",
            (Channel::Social, Lang::En) => "Social media",
            (Channel::Media, Lang::Nl) => "Nieuwsmedia",
            (Channel::Media, Lang::En) => "News media",
            (Channel::Meeting, Lang::Nl) => "Overleg",
            (Channel::Meeting, Lang::En) => "Meeting",
            (Channel::Document, _) => "Document",
        }
    }
}

/// An exercise script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version of the file (`format: 2`); 1 when absent. See [`authoring`].
    #[serde(
        default = "authoring::format_v1",
        skip_serializing_if = "authoring::is_format_v1"
    )]
    pub format: u32,
    /// Identifier.
    pub id: String,
    /// The plan catalogue this scenario is scored against (its `id`).
    pub plan: String,
    /// Title.
    pub title: Text,
    /// Summary for the library card.
    pub summary: Text,
    /// Simulated start date-time, RFC 3339 (`"2026-03-18T10:45:00+01:00"`).
    pub start: String,
    /// Length of the exercise in simulated minutes.
    pub duration_min: u32,
    /// Roles in play.
    pub roles: Vec<RoleId>,
    /// Roles of this scenario only (format 2), beside the plan's: a neighbouring mayor, a
    /// festival organiser, a rail operator. Listed in `roles` when in play.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_roles: Vec<Role>,
    /// Roles in play that exercise control plays by default (format 2): at setup they start as
    /// not at the table, so they are not scored and the facilitator answers their decisions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub simulated: Vec<RoleId>,
    /// Actions of this scenario only (format 2), beside the plan's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_actions: Vec<Action>,
    /// Procedures of this scenario only (format 2): a regional norm, an organiser's safety
    /// plan. Scored like the plan's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_procedures: Vec<Procedure>,
    /// Scenario-specific variables, in addition to the plan's.
    #[serde(default)]
    pub vars: Vec<Var>,
    /// Initial values that differ from the declared ones (e.g. the threat level at the start).
    #[serde(default)]
    pub init: BTreeMap<VarId, Value>,
    /// The scripted events (the MSEL).
    pub injects: Vec<Inject>,
    /// Injects that may or may not happen.
    #[serde(default)]
    pub random: Vec<Chance>,
    /// Exercise objectives, each tied to plan procedures.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Plan procedures this scenario scores once per occurrence of their trigger (each wave of
    /// a rumour), as if they had `per_occurrence: true`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_occurrence: Vec<ProcedureId>,
}

/// A scripted event delivered to one or more roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Identifier.
    pub id: InjectId,
    /// Scheduled minute after the start. `None`: released only as a follow-up of a choice or by
    /// a random chance.
    #[serde(default)]
    pub at_min: Option<u32>,
    /// For follow-ups: minutes after the choice or chance that releases it.
    #[serde(default)]
    pub delay_min: u32,
    /// Who sends it (a person or organisation in the story).
    #[serde(default)]
    pub from: Option<Text>,
    /// Recipient roles.
    pub to: Vec<RoleId>,
    /// How it arrives.
    pub channel: Channel,
    /// Headline.
    pub title: Text,
    /// Message body.
    pub body: Text,
    /// Released only when this holds; a scheduled inject whose condition is false waits until
    /// it holds.
    #[serde(default)]
    pub when: Option<Cond>,
    /// Effects when released.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Decisions this inject puts to roles.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Plan actions the players are expected to take in response (MSEL "expected actions").
    #[serde(default)]
    pub expect: Vec<ActionId>,
    /// Files shipped beside the scenario that come with the message (format 2): photos, maps,
    /// documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// A decision put to a role, with a deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Identifier, unique in the scenario.
    pub id: DecisionId,
    /// The role that decides.
    pub role: RoleId,
    /// The question.
    pub prompt: Text,
    /// Minutes after the inject's release before the decision expires.
    pub due_min: u32,
    /// The options (2–4 in good scenarios).
    pub options: Vec<Choice>,
    /// What happens when the deadline passes; `None`: nothing is decided.
    #[serde(default)]
    pub default: Option<ChoiceId>,
    /// Show the choices in the file's order (format 2 shuffles them per seed otherwise), for
    /// choices whose order means something (a scale, yes/no).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed_order: bool,
    /// A joint decision: `role` and every role here must choose the same option (each may
    /// change its choice until they agree); without agreement by the deadline it expires.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<RoleId>,
    /// Whichever acts first: `role` or any role here may decide, and the first to act does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<RoleId>,
}

impl Decision {
    /// Whether `role` may answer this decision (its own role, a joint or an any-of role).
    pub fn is_for(&self, role: &RoleId) -> bool {
        self.role == *role || self.with.contains(role) || self.any_of.contains(role)
    }
}

/// One option of a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Identifier, unique in the decision.
    pub id: ChoiceId,
    /// Label shown to the role (consequences are not shown).
    pub label: Text,
    /// Plan actions this choice takes.
    #[serde(default)]
    pub actions: Vec<ActionId>,
    /// Effects on the situation.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Follow-up injects released by this choice (after their `delay_min`).
    #[serde(default)]
    pub then: Vec<InjectId>,
    /// Procedures this choice goes against.
    #[serde(default)]
    pub violates: Vec<ProcedureId>,
    /// Feedback for the hot wash: why this choice matters.
    #[serde(default)]
    pub debrief: Option<Text>,
    /// Procedures this choice satisfies only in part (through one of its `actions`), with
    /// the share of the points it earns and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partly: Vec<Partly>,
    /// Procedures this choice goes against, with the reason (and, optionally, less than the
    /// whole weight as the penalty). `violates` says the same without a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub against: Vec<Against>,
}

/// A procedure that a choice satisfies only in part: `Partly(procedure: "P-x", share: 0.5,
/// why: (nl: "...", en: "..."))`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partly {
    /// The procedure.
    pub procedure: ProcedureId,
    /// The share of the procedure's points the choice can earn, above 0 and below 1.
    pub share: f64,
    /// Why it falls short, shown with the score.
    pub why: Text,
}

/// A procedure that a choice goes against, with the reason: `Against(procedure: "P-x", why:
/// (nl: "...", en: "..."))`, optionally with `share: 0.5` to charge half the weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Against {
    /// The procedure.
    pub procedure: ProcedureId,
    /// Why the choice goes against it, shown with the score.
    pub why: Text,
    /// The share of the procedure's weight charged, above 0 and at most 1 (default 1).
    #[serde(default = "full_share")]
    pub share: f64,
}

fn full_share() -> f64 {
    1.0
}

/// An inject that happens with probability `p`, at a random minute in `window_min`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chance {
    /// The follow-up inject released when the chance hits.
    pub inject: InjectId,
    /// Probability, 0.0–1.0.
    pub p: f64,
    /// The window, in minutes after the start, in which it happens.
    pub window_min: (u32, u32),
}

/// An exercise objective, rated P/S/M/U from the procedures it is tied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Identifier.
    pub id: ObjectiveId,
    /// Title.
    pub title: Text,
    /// The plan procedures it is measured by.
    pub procedures: Vec<ProcedureId>,
    /// The plan's key decisions this objective trains (ids of [`KeyDecision`]s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_decisions: Vec<String>,
}

impl Scenario {
    /// Looks up an inject by id.
    pub fn inject(&self, id: &str) -> Option<&Inject> {
        self.injects.iter().find(|i| i.id.as_str() == id)
    }

    /// All decisions with the inject that carries them.
    pub fn decisions(&self) -> impl Iterator<Item = (&Inject, &Decision)> {
        self.injects
            .iter()
            .flat_map(|i| i.decisions.iter().map(move |d| (i, d)))
    }
}

impl Plan {
    /// Looks up a role by id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id.as_str() == id)
    }

    /// Looks up an action by id.
    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id.as_str() == id)
    }

    /// Looks up a procedure by id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id.as_str() == id)
    }
}
