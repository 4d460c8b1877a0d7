//! How each workflow record is rebuilt from its events, with the core's own constructors and `apply`, and
//! which row the use cases would write for the rebuilt state (their own row functions): the organisation,
//! the event-sourced workflows, and the records whose events carry their whole state (snapshots).

use chrono::{DateTime, Utc};
use liaison_core::Aggregate;
use liaison_core::account::TokenPolicy;
use liaison_core::activity::{Activity, ActivityEvent};
use liaison_core::appointment::{Appointment, AppointmentEvent};
use liaison_core::budget::{Budget, BudgetEvent};
use liaison_core::calendar::WorkCalendar;
use liaison_core::channels::{HotlineCall, LiaisonCard, Service, Solicitation};
use liaison_core::commendation::{Nomination, NominationEvent, Weights};
use liaison_core::deliberation::{Deliberation, DeliberationEvent};
use liaison_core::ids::{DraftId, MeasureId, SuggestionId};
use liaison_core::inspection::{Inspection, InspectionEvent};
use liaison_core::meeting::{Meeting, MeetingEvent, Plan, PlanEvent, Visit};
use liaison_core::notice::{Notice, NoticeEvent};
use liaison_core::organisation::{OrgEvent, Organisation};
use liaison_core::review::{Review, ReviewEvent};
use liaison_core::suggestion::draft::{Draft, DraftEvent};
use liaison_core::suggestion::{Measure, MeasureEvent, Suggestion, SuggestionEvent, SuggestionPolicy};
use liaison_core::supervisor::SupervisorAppointment;
use liaison_store::RecordRow;
use liaison_store::state::{AggregateState, Stored};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ABSENT, Found, compare_row, diff};
use crate::AppError;

/// The organisation's aggregate type (one per tenant, its id the tenant's).
pub(crate) const ORGANISATION: &str = "organisation";

/// Every record kind the state check replays.
pub(crate) const RECORD_KINDS: [&str; 20] = [
    "activity",
    "appointment",
    "budget",
    "call",
    "card",
    "deliberation",
    "draft",
    "inspection",
    "measure",
    "meeting",
    "nomination",
    "notice",
    "plan",
    "review",
    "service",
    "settings",
    "solicitation",
    "suggestion",
    "supervisor",
    "visit",
];

/// What rows need beyond the state.
pub(crate) struct Cx<'a> {
    pub(crate) calendar: &'a WorkCalendar,
}

/// The time a recomputed row says it was written (not compared).
fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// The row the runner writes for a state (the suggestion policy's defaults: the next deadline, which
/// depends on the policy in force when it was saved, is not compared).
fn stored<A: crate::runner::Stored>(s: &A, cx: &Cx<'_>) -> Result<RecordRow, AppError> {
    let policy = SuggestionPolicy::default();
    crate::runner::row_of(s, &crate::runner::RowEnv { calendar: cx.calendar, policy: &policy }, epoch())
}

/// The row of a snapshot record at its `n`-th event (older snapshots did not all hold their version).
fn stored_at<A: crate::runner::Stored>(s: &A, cx: &Cx<'_>, n: u64) -> Result<RecordRow, AppError> {
    Ok(RecordRow { version: n, ..stored(s, cx)? })
}

/// A workflow record rebuilt from its events.
trait Replay: Sized + Serialize + DeserializeOwned {
    /// What its audit records hold.
    type Event: DeserializeOwned;
    /// Audit records of its aggregate type that are not its events.
    const NOT_EVENTS: &'static [&'static str] = &[];
    /// Row columns that do not follow from the state.
    const SKIP: &'static [&'static str] = &[];
    /// Whether an audit record of this kind holds this event.
    fn holds(e: &Self::Event, kind: &str) -> bool;
    /// The state after its first event; `None` when that event does not open one.
    fn open(id: &str, first: &Self::Event) -> Option<Self>;
    /// Fold a later event.
    fn fold(&mut self, e: &Self::Event);
    /// The row the use cases write for this state, the `n`-th event's (versions of snapshots count events).
    fn row(&self, cx: &Cx<'_>, n: u64) -> Result<RecordRow, AppError>;
}

/// An event-sourced workflow: the core's event, opening constructor and `apply`.
macro_rules! sourced {
    ($t:ty, $e:ty, |$id:ident, $first:ident| $open:expr, |$s:ident, $cx:ident| $row:expr $(, skip = $skip:expr)? $(, not_events = $ne:expr)?) => {
        impl Replay for $t {
            type Event = $e;
            $(const SKIP: &'static [&'static str] = $skip;)?
            $(const NOT_EVENTS: &'static [&'static str] = $ne;)?
            fn holds(e: &$e, kind: &str) -> bool {
                e.kind() == kind
            }
            fn open($id: &str, $first: &$e) -> Option<Self> {
                $open
            }
            fn fold(&mut self, e: &$e) {
                self.apply(e)
            }
            fn row(&self, $cx: &Cx<'_>, _: u64) -> Result<RecordRow, AppError> {
                let $s = self;
                $row
            }
        }
    };
}

/// A record whose every event carries its whole state: the last one is the state, each one a version.
macro_rules! snapshot {
    ($t:ty, [$($kind:literal),+], |$s:ident, $cx:ident, $n:ident| $row:expr $(, skip = $skip:expr)?) => {
        impl Replay for $t {
            type Event = $t;
            $(const SKIP: &'static [&'static str] = $skip;)?
            fn holds(_: &$t, kind: &str) -> bool {
                [$($kind),+].contains(&kind)
            }
            fn open(_: &str, first: &$t) -> Option<Self> {
                Some(first.clone())
            }
            fn fold(&mut self, e: &$t) {
                *self = e.clone();
            }
            fn row(&self, $cx: &Cx<'_>, $n: u64) -> Result<RecordRow, AppError> {
                let $s = self;
                $row
            }
        }
    };
}

sourced!(
    Suggestion,
    SuggestionEvent,
    |id, e| SuggestionId::parse(id).ok().and_then(|id| Suggestion::from_received(id, e)),
    // The next deadline depends on the policy and the calendar in force when the record was saved.
    |s, cx| stored(s, cx),
    skip = &["due_on"],
    not_events = &[
        "suggestion.feedback_links_issued",
        "suggestion.feedback_links_resent",
        "suggestion.feedback_link_sent",
        "suggestion.body_links_issued",
        "suggestion.body_links_queued",
        "suggestion.body_link_sent"
    ]
);
sourced!(
    Measure,
    MeasureEvent,
    |id, e| MeasureId::parse(id).ok().and_then(|id| Measure::from_opened(id, e)),
    |s, cx| stored(s, cx)
);
sourced!(
    Notice,
    NoticeEvent,
    |id, e| Notice::from_drafted(liaison_core::ids::NoticeId::parse(id).ok()?, e),
    |s, cx| stored(s, cx),
    not_events = &["notice.ack_link_sent"]
);
sourced!(
    Deliberation,
    DeliberationEvent,
    |id, e| Deliberation::from_opened(liaison_core::ids::DeliberationId::parse(id).ok()?, e),
    |s, cx| stored(s, cx)
);
sourced!(
    Meeting,
    MeetingEvent,
    |id, e| Meeting::from_planned(liaison_core::ids::MeetingId::parse(id).ok()?, e),
    |s, cx| stored(s, cx)
);
sourced!(
    Plan,
    PlanEvent,
    |_id, e| match e {
        PlanEvent::TargetsSet { period, .. } => {
            let mut p = Plan::new(*period);
            p.apply(e);
            Some(p)
        }
        PlanEvent::Adopted { .. } => None,
    },
    |s, cx| stored(s, cx)
);
sourced!(
    Budget,
    BudgetEvent,
    |id, e| id.parse().ok().map(|year| {
        let mut b = Budget::new(year);
        b.apply(e);
        b
    }),
    |s, cx| stored(s, cx)
);
sourced!(
    Draft,
    DraftEvent,
    |id, e| DraftId::parse(id).ok().and_then(|id| Draft::created(&id, e)),
    |s, cx| stored(s, cx)
);
sourced!(
    Inspection,
    InspectionEvent,
    |_id, e| match e {
        InspectionEvent::Planned { plan } => Some((**plan).clone()),
        _ => None,
    },
    |s, cx| stored(s, cx)
);
sourced!(
    Activity,
    ActivityEvent,
    |_id, e| match e {
        ActivityEvent::Planned { activity } => Some((**activity).clone()),
        _ => None,
    },
    |s, cx| stored(s, cx)
);
sourced!(
    Appointment,
    AppointmentEvent,
    |_id, e| match e {
        AppointmentEvent::Requested { appointment } => Some((**appointment).clone()),
        _ => None,
    },
    |s, cx| stored(s, cx)
);
sourced!(
    Nomination,
    NominationEvent,
    |_id, e| match e {
        NominationEvent::Nominated { nomination } => Some((**nomination).clone()),
        _ => None,
    },
    |s, cx| stored(s, cx)
);
sourced!(
    Review,
    ReviewEvent,
    |id, e| <Review as liaison_core::Aggregate>::created(&liaison_core::ids::ReviewId::parse(id).ok()?, e),
    |s, cx| stored(s, cx)
);

snapshot!(Visit, ["visit.recorded"], |s, cx, n| stored_at(s, cx, n));
snapshot!(HotlineCall, ["hotline.call_logged"], |s, cx, n| stored_at(s, cx, n));
snapshot!(LiaisonCard, ["card.issued", "card.revoked"], |s, cx, n| stored_at(s, cx, n));
snapshot!(Service, ["service.opened", "service.resolved", "service.delivered"], |s, cx, n| {
    stored_at(s, cx, n)
});
snapshot!(SupervisorAppointment, ["supervisor.appointed", "supervisor.ended"], |s, cx, n| {
    stored_at(s, cx, n)
});
// A settings record is dated the day it was last written, which its state does not hold.
snapshot!(
    SuggestionPolicy,
    ["settings.suggestion_policy_set"],
    |s, _cx, n| Ok(crate::runner::settings_row(
        crate::suggestion::POLICY_ID,
        n,
        serde_json::to_string(s).map_err(crate::runner::json_err)?,
        epoch().date_naive(),
        epoch(),
    )),
    skip = &["opened_on"]
);
snapshot!(
    Weights,
    ["settings.commendation_weights_set"],
    |s, _cx, n| Ok(crate::runner::settings_row(
        crate::commendation::WEIGHTS_ID,
        n,
        serde_json::to_string(s).map_err(crate::runner::json_err)?,
        epoch().date_naive(),
        epoch(),
    )),
    skip = &["opened_on"]
);

snapshot!(
    liaison_core::scorecard::ScoreWeights,
    ["settings.scorecard_weights_set"],
    |s, _cx, n| Ok(crate::runner::settings_row(
        crate::report::scorecard::WEIGHTS_ID,
        n,
        serde_json::to_string(s).map_err(crate::runner::json_err)?,
        epoch().date_naive(),
        epoch(),
    )),
    skip = &["opened_on"]
);

/// Replay a workflow record and compare it with its row.
fn run<T: Replay>(f: &mut Found<'_>, cx: &Cx<'_>, a: &AggregateState) {
    let mut state: Option<T> = None;
    let mut n = 0;
    for r in &a.events {
        if T::NOT_EVENTS.contains(&r.kind.as_str()) {
            continue;
        }
        let e: T::Event = match serde_json::from_str(&r.payload) {
            Ok(e) => e,
            Err(err) => {
                f.bad_event(r, &format!("not a {} event: {err}", a.kind));
                continue;
            }
        };
        if !T::holds(&e, &r.kind) {
            f.bad_event(r, "its payload is an event of another kind");
            continue;
        }
        match &mut state {
            Some(s) => s.fold(&e),
            None => match T::open(&a.id, &e) {
                Some(s) => state = Some(s),
                None => {
                    f.bad_event(r, "the first event does not open this record");
                    continue;
                }
            },
        }
        n += 1;
    }
    let Some(state) = state else {
        if a.stored.is_some() {
            f.differs("events", "stored", "no opening event");
        }
        return;
    };
    let expected = match state.row(cx, n) {
        Ok(r) => r,
        Err(e) => return f.differs("state", ABSENT, format!("cannot be written: {e}")),
    };
    match &a.stored {
        Some(Stored::Record(r)) => {
            let stored = serde_json::from_str::<T>(&r.data)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::to_value(&t).map_err(|e| e.to_string()));
            compare_row(f, r, &a.parties, &expected, stored, T::SKIP);
        }
        _ => f.differs("row", ABSENT, format!("{} version {}", a.kind, expected.version)),
    }
}

/// The organisation: `Organisation::default()` folded over its events, against `organisations`.
fn organisation(f: &mut Found<'_>, a: &AggregateState) {
    let mut org = Organisation::default();
    for r in &a.events {
        match serde_json::from_str::<OrgEvent>(&r.payload) {
            Ok(e) if e.kind() == r.kind => org.apply(&e),
            Ok(_) => f.bad_event(r, "its payload is an event of another kind"),
            Err(err) => f.bad_event(r, &format!("not an organisation event: {err}")),
        }
    }
    let Some(Stored::Organisation { version, data }) = &a.stored else {
        return f.differs("row", ABSENT, format!("organisation version {}", org.version));
    };
    f.column("version", version, &(org.version as i64));
    let replayed = serde_json::to_value(&org).unwrap_or_default();
    match serde_json::from_str::<Organisation>(data) {
        Ok(mut stored) => {
            stored.version = u64::try_from(*version).unwrap_or_default();
            diff::values(f, "state", &serde_json::to_value(&stored).unwrap_or_default(), &replayed);
        }
        Err(e) => f.differs("state", format!("unreadable: {e}"), diff::clip(&replayed.to_string())),
    }
}

/// The token policy's events each carry the whole policy (`security.token_policy_set`): the stored one is
/// the last, at the version that counts them.
fn token_policy(f: &mut Found<'_>, a: &AggregateState) {
    let mut last = None;
    for r in &a.events {
        match (r.kind.as_str(), serde_json::from_str::<TokenPolicy>(&r.payload)) {
            ("security.token_policy_set", Ok(p)) => last = Some(p),
            _ => f.bad_event(r, "not a token policy set"),
        }
    }
    let n = a.events.len() as i64;
    let Some(replayed) = last else {
        return f.differs("events", "stored", "no security.token_policy_set");
    };
    let Some(Stored::Record(r)) = &a.stored else {
        return f.differs("row", ABSENT, format!("token policy version {n}"));
    };
    f.column("version", &r.version, &n);
    match serde_json::from_str::<TokenPolicy>(&r.data) {
        Ok(stored) => {
            f.column("state.lifetime_days", &stored.lifetime_days, &replayed.lifetime_days);
            f.column("state.idle_days", &stored.idle_days, &replayed.idle_days);
        }
        Err(e) => f.differs("state", format!("unreadable: {e}"), super::shown(&replayed)),
    }
}

/// A solicitation's events hold its title, how many it went to and who responded (not what): those, its
/// version and the row its stored state makes are compared.
fn solicitation(f: &mut Found<'_>, cx: &Cx<'_>, a: &AggregateState) {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Event {
        Sent { title: String, recipients: usize },
        Responded { deputy: liaison_core::ids::DeputyId },
    }
    let mut sent = None;
    let mut responders = Vec::new();
    for r in &a.events {
        match (r.kind.as_str(), serde_json::from_str::<Event>(&r.payload)) {
            ("solicitation.sent", Ok(Event::Sent { title, recipients })) if sent.is_none() => {
                sent = Some((title, recipients))
            }
            ("solicitation.responded", Ok(Event::Responded { deputy })) if sent.is_some() => {
                responders.push(deputy.to_string())
            }
            _ => f.bad_event(r, "not the solicitation's next event"),
        }
    }
    let Some((title, recipients)) = sent else {
        return f.differs("events", "stored", "no solicitation.sent");
    };
    let Some(Stored::Record(r)) = &a.stored else {
        return f.differs("row", ABSENT, format!("solicitation “{title}”"));
    };
    let s = match serde_json::from_str::<Solicitation>(&r.data) {
        Ok(s) => s,
        Err(e) => return f.differs("state", format!("unreadable: {e}"), format!("solicitation “{title}”")),
    };
    let n = 1 + responders.len() as u64;
    f.column("state.version", &s.version, &n);
    f.column("state.title", &s.title.to_string(), &title);
    f.column("state.recipients (count)", &s.recipients.len(), &recipients);
    let stored_responders: Vec<String> = s.responses.iter().map(|r| r.0.to_string()).collect();
    f.column("state.responses (deputies)", &stored_responders.join(", "), &responders.join(", "));
    match stored_at(&s, cx, n) {
        Ok(expected) => {
            let state = serde_json::to_value(&s).map_err(|e| e.to_string());
            compare_row(f, r, &a.parties, &expected, state, &[]);
        }
        Err(e) => f.differs("state", ABSENT, format!("cannot be written: {e}")),
    }
}

/// Replay one aggregate of a record kind (or the organisation) and name what differs.
pub(crate) fn check(f: &mut Found<'_>, cx: &Cx<'_>, a: &AggregateState) {
    match a.kind.as_str() {
        ORGANISATION => organisation(f, a),
        "activity" => run::<Activity>(f, cx, a),
        "appointment" => run::<Appointment>(f, cx, a),
        "budget" => run::<Budget>(f, cx, a),
        "call" => run::<HotlineCall>(f, cx, a),
        "card" => run::<LiaisonCard>(f, cx, a),
        "deliberation" => run::<Deliberation>(f, cx, a),
        "draft" => run::<Draft>(f, cx, a),
        "inspection" => run::<Inspection>(f, cx, a),
        "measure" => run::<Measure>(f, cx, a),
        "meeting" => run::<Meeting>(f, cx, a),
        "nomination" => run::<Nomination>(f, cx, a),
        "notice" => run::<Notice>(f, cx, a),
        "plan" => run::<Plan>(f, cx, a),
        "review" => run::<Review>(f, cx, a),
        "service" => run::<Service>(f, cx, a),
        "settings" if a.id == crate::suggestion::POLICY_ID => run::<SuggestionPolicy>(f, cx, a),
        "settings" if a.id == crate::commendation::WEIGHTS_ID => run::<Weights>(f, cx, a),
        "settings" if a.id == crate::identity::TOKEN_POLICY_ID => token_policy(f, a),
        "settings" if a.id == crate::report::scorecard::WEIGHTS_ID => {
            run::<liaison_core::scorecard::ScoreWeights>(f, cx, a)
        }
        "solicitation" => solicitation(f, cx, a),
        "suggestion" => run::<Suggestion>(f, cx, a),
        "supervisor" => run::<SupervisorAppointment>(f, cx, a),
        "visit" => run::<Visit>(f, cx, a),
        other => f.differs("kind", other.to_owned(), "a kind the state check knows"),
    }
}
