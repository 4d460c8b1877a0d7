//! A participant's answer to an activity they were drawn for (issue 17, item 7): the deputy confirms or
//! declines on the portal or through the API, as themselves; a liaison office or officer account records a
//! deputy's answer given by telephone or in person (`ManageLiaison`), with a note saying so. A decline
//! frees the seat and tells the liaison office's accounts. The deputy's own reads: the activities they were
//! chosen for, and the public record of a draw whose pool they were in.

use chrono::NaiveDate;
use liaison_core::access::{Action, Role};
use liaison_core::activity::{
    Activity, ActivityAnswer, ActivityCommand, ActivityEvent, ActivityReply, ActivityStatus, Selection,
};
use liaison_core::ids::DeputyId;
use liaison_core::lottery::DrawRecord;
use liaison_core::message::{MessageKind, Recipient};
use liaison_core::{FieldError, ValueError};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::draw::DrawVerification;
use crate::input::deputy_id;
use crate::runner::json_err;
use crate::{ActivityView, App, AppError, Principal};

const KIND: &str = "activity";

/// Where a deputy answers on the portal (carried by the message that tells them they were chosen).
pub const PORTAL_PATH: &str = "/deputy/activities";

/// A participant's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityAnswerInput {
    /// `confirm` (确认参加) or `decline` (不能参加).
    pub answer: String,
    /// Why not: required to decline (1–5000 characters).
    #[serde(default)]
    pub reason: String,
    /// Staff only: the deputy (id) whose answer is recorded; a deputy's own account leaves it empty.
    #[serde(default)]
    pub deputy: String,
    /// Staff only, required: how the deputy gave the answer (e.g. “11月28日电话告知”), kept in the audit.
    #[serde(default)]
    pub note: String,
}

/// An activity a deputy was chosen for, as the deputy sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyActivity {
    /// The activity's id.
    pub id: String,
    /// Its version (the answer form names it).
    pub version: u64,
    /// Title.
    pub title: String,
    /// Kind (Chinese).
    pub kind_zh: String,
    /// The day.
    pub on: NaiveDate,
    /// Where.
    pub place: String,
    /// Status code (`selected`, `held`, `cancelled`).
    pub status: String,
    /// Status (Chinese).
    pub status_zh: String,
    /// Drawn by lot (true) or chosen in rotation (false).
    pub by_lot: bool,
    /// The last day to answer or change the answer.
    pub answer_by: NaiveDate,
    /// Whether an answer can be given or changed today.
    pub open: bool,
    /// My answer, if any.
    pub reply: Option<ActivityReply>,
}

/// The public record of a draw as a deputy of its pool reads it, and its verification from the record alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyDraw {
    /// The activity's title.
    pub title: String,
    /// The day.
    pub on: NaiveDate,
    /// The record (pool, promise, seed, the drawn in order).
    #[schema(value_type = Object)]
    pub draw: DrawRecord,
    /// Its verification.
    #[schema(value_type = Object)]
    pub verification: DrawVerification,
    /// My place in the drawn order (1-based), if drawn.
    pub my_place: Option<usize>,
}

fn parse_answer(input: &ActivityAnswerInput) -> Result<ActivityAnswer, AppError> {
    match input.answer.trim() {
        "confirm" | "confirmed" | "确认参加" => Ok(ActivityAnswer::Confirmed),
        "decline" | "declined" | "不能参加" => liaison_core::registry::LongText::parse(&input.reason)
            .map(|reason| ActivityAnswer::Declined { reason })
            .map_err(|e| AppError::invalid("reason", &e)),
        _ => Err(AppError::Invalid(vec![FieldError::new("answer", &ValueError::OneOf("confirm/decline"))])),
    }
}

/// The deputy of a deputy's own account (the portal's and a deputy token's calls).
fn own_deputy(p: &Principal) -> Option<DeputyId> {
    p.deputy.filter(|_| p.roles == [Role::Deputy])
}

impl App {
    /// Record a participant's answer: a deputy's own account answers for itself (`AnswerActivity`, and only
    /// for an activity it was chosen for: any other is not found for it); staff with `ManageLiaison` record
    /// a deputy's answer with a note of how it was given. A decline needs its reason, and tells the liaison
    /// office's accounts that the seat is free.
    pub async fn answer_activity(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        input: &ActivityAnswerInput,
    ) -> Result<ActivityView, AppError> {
        let own = own_deputy(p);
        let (deputy, recorded_by, note) = match own {
            Some(d) => {
                p.require(Action::AnswerActivity)?;
                // A deputy answers for their own seat only: naming another deputy is refused, not ignored.
                if !input.deputy.trim().is_empty() && DeputyId::parse(&input.deputy).ok() != Some(d) {
                    return Err(AppError::Forbidden { action: Action::AnswerActivity.code() });
                }
                (d, None, None)
            }
            None => {
                p.require(Action::ManageLiaison)?;
                let mut errors = Vec::new();
                let d =
                    deputy_id("deputy", &input.deputy).map_err(|e| errors.extend(e.field_errors().to_vec()));
                let note = liaison_core::registry::LongText::parse(&input.note)
                    .map_err(|e| errors.push(FieldError::new("note", &e)));
                if !errors.is_empty() {
                    return Err(AppError::Invalid(errors));
                }
                match (d, note) {
                    (Ok(d), Ok(note)) => (d, Some(p.name.clone()), Some(note.to_string())),
                    _ => return Err(AppError::Contract("the deputy and the note were checked")),
                }
            }
        };
        let answer = parse_answer(input)?;
        let why = note.or_else(|| match &answer {
            ActivityAnswer::Declined { reason } => Some(reason.to_string()),
            _ => None,
        });
        let id = id.trim().to_owned();
        let v = self
            .change(p, why, move |run| {
                let a: Activity = run.load(&id)?;
                if own.is_some() && !a.participants.contains(&deputy) {
                    return Err(AppError::NotFound { what: KIND, id: id.clone() });
                }
                let a: Activity = run.load_seen(&id, expected)?;
                let today = run.today();
                let command = ActivityCommand::Answer { deputy, answer, recorded_by };
                let (a, events) = run.execute_events(a, None, command, today)?;
                queue_for_decline(run, &a, &events)?;
                Ok(a)
            })
            .await?;
        let people = self.people(p, v.participants.iter().chain(&v.attended).copied())?;
        let mut view = ActivityView::of(v, None);
        if own.is_none() {
            view.people = people;
        }
        Ok(view)
    }

    /// The activities my deputy account was chosen for (drawn or in rotation), the soonest first, with my
    /// answer and until when it can be given or changed.
    pub fn my_activities(&self, p: &Principal) -> Result<Vec<MyActivity>, AppError> {
        p.require(Action::AnswerActivity)?;
        let Some(me) = own_deputy(p) else {
            return Err(AppError::Forbidden { action: Action::AnswerActivity.code() });
        };
        let q = RecordQuery { deputy: Some(me.to_string()), ..RecordQuery::default() };
        let today = liaison_core::dates::china_date(self.now());
        let mut out: Vec<MyActivity> = self
            .decoded::<Activity>(p, KIND, &q)?
            .into_iter()
            .filter(|a| a.participants.contains(&me))
            .map(|a| MyActivity {
                id: a.id.to_string(),
                version: a.version,
                title: a.title.to_string(),
                kind_zh: a.kind.zh().to_owned(),
                on: a.on,
                place: a.place.to_string(),
                status: a.status.code().to_owned(),
                status_zh: a.status.zh().to_owned(),
                by_lot: a.selection != Selection::Rotation,
                answer_by: a.answer_by(),
                open: a.status == ActivityStatus::Selected && today <= a.answer_by(),
                reply: a.answer_of(me).cloned(),
            })
            .collect();
        // Those still to answer first, the soonest first; then the rest, the latest first.
        out.sort_by(|x, y| y.open.cmp(&x.open).then(if x.open { x.on.cmp(&y.on) } else { y.on.cmp(&x.on) }));
        Ok(out)
    }

    /// The public record of an activity's draw, for a deputy who was in its pool (drawn or not), verified
    /// from the record alone.
    pub fn my_activity_draw(&self, p: &Principal, id: &str) -> Result<MyDraw, AppError> {
        p.require(Action::AnswerActivity)?;
        let Some(me) = own_deputy(p) else {
            return Err(AppError::Forbidden { action: Action::AnswerActivity.code() });
        };
        let not_found = || AppError::NotFound { what: "draw", id: id.trim().to_owned() };
        let r = self.read(|q| q.record(&p.tenant, KIND, id.trim()))?.ok_or_else(not_found)?;
        let a: Activity = serde_json::from_str(&r.data).map_err(json_err)?;
        let mine = me.to_string();
        let Some(draw) =
            a.draw.filter(|d| d.seed.is_some() && d.strata.iter().any(|s| s.candidates.contains(&mine)))
        else {
            return Err(not_found());
        };
        let verification = crate::draw::verify_record(&draw);
        let my_place = draw.drawn.iter().position(|d| *d == mine).map(|i| i + 1);
        Ok(MyDraw { title: a.title.to_string(), on: a.on, draw, verification, my_place })
    }
}

/// On a decline, tell the liaison office's accounts (its inbox, and e-mail where they asked for it) that the
/// seat is free.
fn queue_for_decline(
    run: &mut crate::runner::Runner<'_>,
    a: &Activity,
    events: &[ActivityEvent],
) -> Result<(), AppError> {
    for e in events {
        let ActivityEvent::Answered { deputy, answer: ActivityAnswer::Declined { reason }, .. } = e else {
            continue;
        };
        let tenant = run.tenant().clone();
        let name = run.q().deputy_summary(&tenant, *deputy)?.map(|s| s.name).unwrap_or_default();
        let params = serde_json::json!({
            "title": a.title.as_str(), "on": a.on, "deputy": name, "reason": reason.as_str(),
            "free": a.free_seats(), "seats": a.seats,
        });
        let office: Vec<_> = run
            .q()
            .users(&tenant)?
            .into_iter()
            .filter(|u| u.active && u.roles.contains(&Role::Office))
            .map(|u| u.id)
            .collect();
        let (id, stage) = (a.id.to_string(), format!("v{}", a.version));
        for user in office {
            let m = crate::outgoing::Queued {
                kind: MessageKind::ActivityDeclined,
                recipient: Recipient::User(user),
                params: params.clone(),
            };
            run.queue_everywhere(("activity", &id), &stage, m)?;
        }
    }
    Ok(())
}
