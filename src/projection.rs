//! The one projection of the journal: what the entries mean for a reader — the messages a role
//! has received, what the room may see, the decisions a role has taken, and the situation at any
//! moment. The console, the desks, the projector, the review, the reports and the seats in the
//! room all read the journal through here.

use crate::engine::{Compiled, EventKind, SimTime};
use crate::journal::{Body, Entry};
use crate::model::{Channel, Lang, RoleId, Value};

/// Who may see a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience<'a> {
    /// Exercise control: everything.
    Control,
    /// One role's desk or seat: what is addressed to it.
    Role(&'a RoleId),
    /// The room (the projector): public messages only, on the news and social media channels.
    Room,
}

/// A message that reached one or more roles (an inject, or an ad-hoc message from exercise
/// control), in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Message<'a> {
    /// The journal sequence number of its release: a cursor for streams.
    pub seq: u64,
    /// When it was released.
    pub t: SimTime,
    /// Recipients.
    pub to: &'a [RoleId],
    /// How it arrived.
    pub channel: Channel,
    /// Headline.
    pub title: &'a str,
    /// Body.
    pub body: &'a str,
    /// Who sends it in the story, if anyone is named.
    pub from: Option<&'a str>,
    /// The scenario's inject id, or `None` for an ad-hoc message.
    pub inject: Option<&'a str>,
}

impl Message<'_> {
    /// Whether `audience` may see this message.
    pub fn visible_to(&self, audience: Audience<'_>) -> bool {
        match audience {
            Audience::Control => true,
            Audience::Role(r) => self.to.contains(r),
            Audience::Room => is_public(self.channel),
        }
    }
}

/// Whether a channel is public, so the whole room may see what comes over it.
pub fn is_public(channel: Channel) -> bool {
    matches!(channel, Channel::Media | Channel::Social)
}

/// The message an entry released, if it released one.
pub fn message<'a>(e: &'a Entry, ctx: &'a Compiled, lang: Lang) -> Option<Message<'a>> {
    let Body::Event(ev) = &e.body else {
        return None;
    };
    match &ev.kind {
        EventKind::InjectReleased { inject, to, .. } => {
            let i = ctx.scenario.inject(inject.as_str())?;
            Some(Message {
                seq: e.seq,
                t: ev.t,
                to,
                channel: i.channel,
                title: i.title.get(lang),
                body: i.body.get(lang),
                from: i.from.as_ref().map(|f| f.get(lang)),
                inject: Some(inject.as_str()),
            })
        }
        EventKind::AdHocReleased {
            to,
            channel,
            title,
            body,
            ..
        } => Some(Message {
            seq: e.seq,
            t: ev.t,
            to,
            channel: *channel,
            title,
            body,
            from: Some(crate::i18n::tr(lang, "Oefenleiding", "Exercise control")),
            inject: None,
        }),
        _ => None,
    }
}

/// The messages `audience` may see, oldest first.
pub fn messages<'a>(
    entries: &'a [Entry],
    ctx: &'a Compiled,
    audience: Audience<'a>,
    lang: Lang,
) -> impl DoubleEndedIterator<Item = Message<'a>> + 'a {
    entries
        .iter()
        .filter_map(move |e| message(e, ctx, lang))
        .filter(move |m| m.visible_to(audience))
}

/// A decision a role settled: taken with a choice, or let expire.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled<'a> {
    /// The journal sequence number of the event.
    pub seq: u64,
    /// When.
    pub t: SimTime,
    /// The deciding role.
    pub role: &'a RoleId,
    /// The decision id.
    pub decision: &'a str,
    /// The question.
    pub prompt: &'a str,
    /// The choice id taken (or applied by default on expiry).
    pub choice: Option<&'a str>,
    /// The choice's label.
    pub label: Option<&'a str>,
    /// The rationale given (empty on expiry).
    pub rationale: &'a str,
    /// Whether the deadline passed instead.
    pub expired: bool,
    /// What the author wrote for the debrief about this choice, if anything.
    pub debrief: Option<&'a str>,
}

/// The decisions settled so far, oldest first; only `role`'s when given.
pub fn settled<'a>(
    entries: &'a [Entry],
    ctx: &'a Compiled,
    role: Option<&'a RoleId>,
    lang: Lang,
) -> impl DoubleEndedIterator<Item = Settled<'a>> + 'a {
    entries.iter().filter_map(move |e| {
        let Body::Event(ev) = &e.body else {
            return None;
        };
        let (r, d, c, rationale, expired) = match &ev.kind {
            EventKind::DecisionMade {
                decision,
                role,
                choice,
                rationale,
                ..
            } => (role, decision, Some(choice), rationale.as_str(), false),
            EventKind::DecisionExpired {
                decision,
                role,
                choice,
            } => (role, decision, choice.as_ref(), "", true),
            _ => return None,
        };
        if role.is_some_and(|want| want != r) {
            return None;
        }
        let dec = ctx
            .scenario
            .decisions()
            .find(|(_, x)| x.id == *d)
            .map(|(_, x)| x);
        let ch = c.and_then(|c| dec.and_then(|x| x.options.iter().find(|o| o.id == *c)));
        Some(Settled {
            seq: e.seq,
            t: ev.t,
            role: r,
            decision: d.as_str(),
            prompt: dec.map_or(d.as_str(), |x| x.prompt.get(lang)),
            choice: c.map(crate::model::ChoiceId::as_str),
            label: ch.map(|o| o.label.get(lang)),
            rationale,
            expired,
            debrief: ch.and_then(|o| o.debrief.as_ref()).map(|t| t.get(lang)),
        })
    })
}

/// The plan actions each role has taken so far, as (role, action) pairs.
pub fn actions_taken(entries: &[Entry]) -> std::collections::BTreeSet<(&RoleId, &str)> {
    entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Event(ev) => match &ev.kind {
                EventKind::ActionTaken { role, action, .. } => Some((role, action.as_str())),
                _ => None,
            },
            Body::Command(_) => None,
        })
        .collect()
}

/// The situation variables as they stood at simulated time `t` (by index, as
/// [`Compiled::var_ids`]).
pub fn vars_at(entries: &[Entry], ctx: &Compiled, t: SimTime) -> Vec<Value> {
    let mut vars = ctx.initial_vars.clone();
    for e in entries {
        let Body::Event(ev) = &e.body else { continue };
        if ev.t > t {
            break;
        }
        if let EventKind::VarChanged { var, value } = &ev.kind
            && let Some(&i) = ctx.var_index.get(var.as_str())
        {
            vars[i] = *value;
        }
    }
    vars
}

/// The situation as label and value in words, hidden variables only for exercise control.
pub fn situation<'a>(
    ctx: &'a Compiled,
    vars: &'a [Value],
    audience: Audience<'_>,
    lang: Lang,
) -> Vec<(&'a str, String)> {
    let control = audience == Audience::Control;
    ctx.var_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| control || !ctx.var_hidden[*i])
        .map(|(i, id)| {
            (
                crate::describe::var(ctx, id.as_str(), lang),
                crate::describe::value(ctx, id.as_str(), vars[i], lang),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Command, Simulation};
    use crate::journal::{Body, Entry};

    /// Plays a scenario to its end, deciding nothing, and returns the journal entries.
    fn played(id: &str) -> (std::sync::Arc<Compiled>, Vec<Entry>) {
        let lib = crate::library::Library::load(&[crate::model::load::builtin_dir()]);
        let ex = lib.find(id).expect("scenario").clone();
        let mut sim = Simulation::new(&ex.plan.value, &ex.scenario.value, 7);
        let mut entries = Vec::new();
        let mut seq = 0;
        let mut push = |t, body| {
            entries.push(Entry {
                seq,
                t,
                wall: String::new(),
                actor: String::new(),
                prev: String::new(),
                body,
            });
            seq += 1;
        };
        push(0, Body::Command(Command::Start));
        for ev in sim.apply(Command::Start).expect("start") {
            push(ev.t, Body::Event(ev));
        }
        let end = sim.end_time();
        for ev in sim.apply(Command::AdvanceTo { t: end }).expect("advance") {
            push(ev.t, Body::Event(ev));
        }
        (sim.ctx().clone(), entries)
    }

    #[test]
    fn a_role_sees_exactly_the_messages_addressed_to_it() {
        let (ctx, entries) = played("station-shooting");
        for role in &ctx.scenario.roles {
            let mine: Vec<_> = messages(&entries, &ctx, Audience::Role(role), Lang::En).collect();
            let all_to_me = messages(&entries, &ctx, Audience::Control, Lang::En)
                .filter(|m| m.to.contains(role))
                .count();
            assert_eq!(mine.len(), all_to_me, "{role}");
            assert!(mine.iter().all(|m| m.to.contains(role)), "{role}");
        }
        let all = messages(&entries, &ctx, Audience::Control, Lang::En).count();
        assert!(all > 10, "the scenario released only {all} messages");
    }

    #[test]
    fn the_room_sees_only_news_and_social_media() {
        let (ctx, entries) = played("station-shooting");
        let room: Vec<_> = messages(&entries, &ctx, Audience::Room, Lang::Nl).collect();
        assert!(!room.is_empty(), "station shooting has public messages");
        assert!(room.iter().all(|m| is_public(m.channel)));
        let private = messages(&entries, &ctx, Audience::Control, Lang::Nl)
            .filter(|m| !is_public(m.channel))
            .count();
        assert!(private > 0);
    }

    #[test]
    fn expired_decisions_are_settled_with_their_default() {
        let (ctx, entries) = played("station-shooting");
        let settled: Vec<_> = settled(&entries, &ctx, None, Lang::En).collect();
        assert!(!settled.is_empty());
        assert!(settled.iter().all(|s| s.expired && s.rationale.is_empty()));
        for s in &settled {
            let d = ctx
                .scenario
                .decisions()
                .find(|(_, d)| d.id.as_str() == s.decision)
                .expect("decision")
                .1;
            assert_eq!(
                s.choice,
                d.default.as_ref().map(crate::model::ChoiceId::as_str)
            );
        }
    }

    #[test]
    fn situation_at_a_moment_folds_the_changes_before_it() {
        let (ctx, entries) = played("station-shooting");
        assert_eq!(vars_at(&entries, &ctx, 0).len(), ctx.var_ids.len());
        // The last value of each variable is what the journal said last.
        let end = vars_at(&entries, &ctx, u64::MAX);
        for (i, id) in ctx.var_ids.iter().enumerate() {
            let last = entries.iter().rev().find_map(|e| match &e.body {
                Body::Event(ev) => match &ev.kind {
                    EventKind::VarChanged { var, value } if var == id => Some(*value),
                    _ => None,
                },
                Body::Command(_) => None,
            });
            assert_eq!(end[i], last.unwrap_or(ctx.initial_vars[i]), "{id}");
        }
        let shown = situation(&ctx, &end, Audience::Room, Lang::Nl);
        let hidden = ctx.var_hidden.iter().filter(|h| **h).count();
        assert_eq!(shown.len(), ctx.var_ids.len() - hidden);
    }
}
