//! The reminder sweep (issue 17, item 3): run by the delivery worker, it reads every open suggestion's
//! duties from the one due model (`Suggestion::obligations`) and queues, in one transaction:
//!
//! - **due soon** (within the deployment's working days, `LIAISON_DUE_SOON_DAYS`), to the handler and the
//!   owing department's accounts;
//! - **overdue**, to the same, and **escalated** to the leadership (the accounts with the leader role);
//! - **approval waiting**, an extension to decide, to the leadership;
//! - **feedback reminder**, a feedback window closing, to each deputy who has not rated (with the deputy's
//!   own link, added by the worker; not to a deputy who opted out).
//!
//! Each reminder is queued once per item, duty, stage and due day: its dedup key names them, so a sweep
//! run again (every round, on every server) queues nothing new, and a due day moved by an extension
//! reminds afresh. The sweep is audited as `message.reminders_queued` when it queued anything.

use liaison_core::access::Role;
use liaison_core::ids::UserId;
use liaison_core::message::{MessageKind, Recipient};
use liaison_core::suggestion::{ObligationKind, Suggestion, SuggestionStatus};
use liaison_store::RecordQuery;

use crate::delivery::worker_meta;
use crate::messages::MESSAGE;
use crate::outgoing::{Queued, department_accounts};
use crate::runner::Runner;
use crate::suggestion::{SUGGESTION, parse_suggestion};
use crate::{App, AppError, record};

impl App {
    /// One sweep of the reminders of every procuratorate in the deployment as of now, each in its own
    /// transaction and audited in its own chain: how many messages it queued in all. A tenant whose sweep
    /// fails does not stop the others'; the first failure is returned once all were tried.
    pub async fn sweep_reminders(&self) -> Result<usize, AppError> {
        let tenants = self.read(|q| q.tenants())?;
        let (mut queued, mut failed) = (0, None);
        for t in tenants {
            let meta = worker_meta(self.now(), None);
            match self.change_as(t.tenant.id.clone(), meta, sweep).await {
                Ok(n) => queued += n,
                Err(e) => {
                    tracing::error!(tenant = %t.tenant.id, error = %e, "the reminder sweep of a tenant failed");
                    failed.get_or_insert(e);
                }
            }
        }
        failed.map_or(Ok(queued), Err)
    }
}

fn sweep(run: &mut Runner<'_>) -> Result<usize, AppError> {
    let tenant = run.tenant().clone();
    let open: Vec<String> =
        SuggestionStatus::ALL.iter().filter(|s| !s.is_final()).map(|s| s.code().to_owned()).collect();
    let rows =
        run.q().records(&tenant, SUGGESTION, &RecordQuery { statuses: open, ..RecordQuery::default() })?;
    let users = run.q().users(&tenant)?;
    let leaders: Vec<UserId> =
        users.iter().filter(|u| u.active && u.roles.contains(&Role::Leader)).map(|u| u.id).collect();
    let org = run.q().organisation(&tenant)?;
    let policy = run.policy()?.clone();
    let horizon = run.messaging().policy.due_soon_working_days;
    let today = run.today();
    let mut queued = Vec::new();
    for r in &rows {
        let s: Suggestion = match parse_suggestion(r) {
            Ok(s) => s,
            Err(e) => {
                crate::Unreadable::of(SUGGESTION, &r.id, &e);
                continue;
            }
        };
        for o in s.obligations(&policy, run.calendar()) {
            let overdue = o.due < today;
            if !overdue && run.calendar().working_days_between(today, o.due) > horizon {
                continue;
            }
            let department = o.department.and_then(|d| org.departments.get(&d)).map(|d| d.name.to_string());
            let params = serde_json::json!({
                "number": s.number.as_ref().map(ToString::to_string).unwrap_or_default(),
                "title": s.title.as_str(), "owed": o.kind.code(), "owed_zh": o.kind.zh(), "due": o.due,
                "days": (today - o.due).num_days().max(0), "department": department.unwrap_or_else(|| "联络室".into()),
            });
            let owed = o.kind.code();
            let mut to = |kind: MessageKind, who: Vec<Recipient>, stage: String| -> Result<(), AppError> {
                for recipient in who {
                    let m = Queued { kind, recipient, params: params.clone() };
                    if run.queue_everywhere(("suggestion", &s.id.to_string()), &stage, m)? {
                        queued.push(format!("{}:{}:{stage}", kind.code(), s.id));
                    }
                }
                Ok(())
            };
            let users_of = |ids: &[UserId]| ids.iter().map(|u| Recipient::User(*u)).collect::<Vec<_>>();
            match o.kind {
                ObligationKind::Feedback => {
                    let Some(round) = s.round() else { continue };
                    if overdue {
                        continue;
                    }
                    let pending: Vec<Recipient> = s
                        .proposers
                        .iter()
                        .chain(&s.panel)
                        .filter(|x| !round.ratings.contains_key(&x.deputy))
                        .map(|x| Recipient::Deputy(x.deputy))
                        .collect();
                    to(MessageKind::FeedbackReminder, pending, format!("feedback:r{}:{}", round.n, o.due))?;
                }
                ObligationKind::ExtensionDecision => {
                    to(
                        MessageKind::ApprovalWaiting,
                        users_of(&leaders),
                        format!("approval:{owed}:{}", o.due),
                    )?;
                }
                _ => {
                    let mut owners: Vec<UserId> = o.handler.into_iter().collect();
                    for u in o.department.map(|d| department_accounts(&users, d)).unwrap_or_default() {
                        if !owners.contains(&u) {
                            owners.push(u);
                        }
                    }
                    if overdue {
                        to(MessageKind::Overdue, users_of(&owners), format!("overdue:{owed}:{}", o.due))?;
                        to(
                            MessageKind::Escalated,
                            users_of(&leaders),
                            format!("escalated:{owed}:{}", o.due),
                        )?;
                    } else {
                        to(MessageKind::DueSoon, users_of(&owners), format!("due_soon:{owed}:{}", o.due))?;
                    }
                }
            }
        }
    }
    if !queued.is_empty() {
        let r = record(run.meta(), "message.reminders_queued", MESSAGE, "reminders", &queued);
        run.tx().append(&tenant, r)?;
    }
    Ok(queued.len())
}
