//! The one due model (issue 11, item 15): every duty of every workflow — with its owner, due day, days left
//! or overdue, and whether the day is provisional — in one list, filterable by department, handler, kind and
//! lateness. The work queue, the reminders and the reports read it; `liaison due` and `GET /api/v1/due`
//! serve it.

use chrono::NaiveDate;
use liaison_core::access::Action;
use liaison_core::ids::DepartmentId;
use liaison_core::suggestion::*;
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::runner::json_err;
use crate::suggestion::{DueItem, MEASURE, SUGGESTION, parse_suggestion, provisional, visible_to};
use crate::{App, AppError, Principal};

/// The kinds a due list may be filtered by: the workflows, then the duties.
const KINDS: &[&str] = &[
    "suggestion",
    "measure",
    "inspection",
    "appointment",
    "notice",
    "assignment",
    "answer",
    "co_opinion",
    "progress_notice",
    "feedback",
    "follow_up",
    "escalation",
    "extension_decision",
    "extension_notice",
    "petition_outcome",
    "petition_notice",
    "rectification",
    "appointment_acknowledge",
    "appointment_meet",
    "notice_acknowledgement",
];

const KINDS_TEXT: &str = "suggestion/measure/inspection/appointment/notice, or a duty: assignment/answer/co_opinion/\
     progress_notice/feedback/follow_up/escalation/extension_decision/extension_notice/petition_outcome/\
     petition_notice/rectification/appointment_acknowledge/appointment_meet/notice_acknowledgement";

/// Which duties to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DueFilter {
    /// Only this department's (name or id).
    #[serde(default)]
    pub department: Option<String>,
    /// Only this handler's (login): suggestions' duties.
    #[serde(default)]
    pub handler: Option<String>,
    /// Only this kind: a workflow (`suggestion`, `measure`, `inspection`, `appointment`, `notice`) or a
    /// duty (`answer`, `co_opinion`, `rectification`, `appointment_meet` …).
    #[serde(default)]
    pub kind: Option<String>,
    /// Only the overdue.
    #[serde(default)]
    pub overdue_only: bool,
    /// Due within this many days (default: the policy's `due_soon_days`).
    #[serde(default)]
    pub within_days: Option<u32>,
}

/// Working days left within which a duty is amber on the work queue (more is green, past due is red).
pub const AMBER_WORKING_DAYS: u32 = 5;

/// A duty's traffic light on the work queue (issue 16): the rule is here, the pages only draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// More than [`AMBER_WORKING_DAYS`] working days left.
    Green,
    /// Due within [`AMBER_WORKING_DAYS`] working days (today included).
    Amber,
    /// Overdue.
    Red,
}

impl Light {
    /// The stable code (`green`, `amber`, `red`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
        }
    }

    /// Its label in Chinese (the pages never show a colour alone).
    pub fn zh(self) -> &'static str {
        match self {
            Self::Green => "正常",
            Self::Amber => "临期",
            Self::Red => "逾期",
        }
    }
}

/// Whether a duty is the leadership's escalation (督办) of a suggestion: the work queue marks it.
pub fn escalated(d: &DueItem) -> bool {
    d.owed == "escalation"
}

impl App {
    /// The suggestions' and measures' due list for a department and/or a handler (kept for the callers
    /// of the R1 list): the same as [`App::due`] with those filters.
    pub fn due_list(
        &self,
        p: &Principal,
        department: Option<&str>,
        handler: Option<&str>,
        overdue_only: bool,
    ) -> Result<Vec<DueItem>, AppError> {
        self.due(
            p,
            &DueFilter {
                department: department.map(str::to_owned),
                handler: handler.map(str::to_owned),
                overdue_only,
                ..DueFilter::default()
            },
        )
    }

    /// A duty's traffic light today, counted in working days on the calendar in use: red when overdue,
    /// amber when due within [`AMBER_WORKING_DAYS`] working days, green otherwise.
    pub fn light(&self, p: &Principal, d: &DueItem) -> Light {
        self.light_of(p, d.due)
    }

    /// The traffic light of a due day (as [`App::light`]), for a list that shows an item's next due day.
    pub fn light_of(&self, p: &Principal, due: chrono::NaiveDate) -> Light {
        let today = self.meta(p, None).today();
        if due < today {
            Light::Red
        } else if self.calendar.working_days_between(today, due) <= AMBER_WORKING_DAYS {
            Light::Amber
        } else {
            Light::Green
        }
    }

    /// Every duty of every workflow that is due soon or overdue, earliest first: what suggestions owe
    /// (assignment, answers, co-handlers' opinions, progress notices, extensions to decide and to tell,
    /// feedback, escalations, follow-ups, rerouted items' outcomes), improvement measures, inspections'
    /// rectification items, appointments to acknowledge or hold, and sent notices not yet acknowledged —
    /// filtered by department, handler, kind and lateness. One query model for the work queue, the
    /// reminders and the reports.
    pub fn due(&self, p: &Principal, f: &DueFilter) -> Result<Vec<DueItem>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let (department, handler, overdue_only) =
            (f.department.as_deref(), f.handler.as_deref(), f.overdue_only);
        let today = self.meta(p, None).today();
        let policy = self.suggestion_policy(p)?;
        let org = self.read(|q| q.organisation(&p.tenant))?;
        let dept = department
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|d| crate::organisation::find_department(&org, d))
            .transpose()?;
        let user = match handler.map(str::trim).filter(|s| !s.is_empty()) {
            Some(h) => Some(
                self.read(|q| q.user_by_login(&p.tenant, h))?
                    .ok_or_else(|| AppError::NotFound { what: "user", id: h.into() })?
                    .id,
            ),
            None => None,
        };
        let horizon =
            today + chrono::Duration::days(i64::from(f.within_days.unwrap_or(policy.due_soon_days)));
        if let Some(k) = f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty())
            && !KINDS.contains(&k)
        {
            return Err(AppError::invalid("kind", &liaison_core::ValueError::OneOf(KINDS_TEXT)));
        }
        let wants = |kind: &str, owed: &str| {
            f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()).is_none_or(|k| k == kind || k == owed)
        };
        // A department account sees its own department's duties only.
        let dept = dept.or(p.department);
        // Open items, and rerouted ones (followed until their outcome is told: issue 11, item 8).
        let open: Vec<String> = SuggestionStatus::ALL
            .iter()
            .filter(|s| !s.is_final() || **s == SuggestionStatus::Rerouted)
            .map(|s| s.code().to_owned())
            .collect();
        let q = RecordQuery {
            statuses: open,
            department: dept.map(|d| d.to_string()),
            due_by: Some(horizon.to_string()),
            ..RecordQuery::default()
        };
        let closed_with_follow_up = RecordQuery {
            statuses: vec!["closed".into()],
            department: dept.map(|d| d.to_string()),
            due_by: Some(horizon.to_string()),
            ..RecordQuery::default()
        };
        let mut rows = self.read(|s| s.records(&p.tenant, SUGGESTION, &q))?;
        rows.extend(self.read(|s| s.records(&p.tenant, SUGGESTION, &closed_with_follow_up))?);
        let dept_name =
            |id: Option<DepartmentId>| id.and_then(|d| org.departments.get(&d)).map(|d| d.name.to_string());
        let mut out = Vec::new();
        for r in &rows {
            let s = match parse_suggestion(r) {
                Ok(s) => s,
                Err(e) => {
                    crate::Unreadable::of(SUGGESTION, &r.id, &e);
                    continue;
                }
            };
            if !visible_to(p, &s) {
                continue;
            }
            for o in s.obligations(&policy, &self.calendar) {
                if o.due > horizon || (overdue_only && o.due >= today) {
                    continue;
                }
                if dept.is_some() && o.department != dept {
                    continue;
                }
                if user.is_some() && o.handler != user {
                    continue;
                }
                if !wants(SUGGESTION, o.kind.code()) {
                    continue;
                }
                out.push(DueItem {
                    kind: SUGGESTION.into(),
                    id: s.id.0,
                    number: s.number.map(|n| n.to_string()),
                    title: s.title.to_string(),
                    owed: o.kind.code().into(),
                    owed_zh: o.kind.zh().into(),
                    due: o.due,
                    days_left: (o.due - today).num_days(),
                    provisional: provisional(&self.calendar, o.due),
                    department: dept_name(o.department).or_else(|| Some("联络室".into())),
                    handler: s.assignment.as_ref().map(|a| a.handler.name.clone()),
                });
            }
        }
        if user.is_none() {
            let mq = RecordQuery {
                statuses: vec![MeasureStatus::Open.code().into()],
                department: dept.map(|d| d.to_string()),
                due_by: Some(horizon.to_string()),
                ..RecordQuery::default()
            };
            for r in self.read(|s| s.records(&p.tenant, MEASURE, &mq))? {
                let m: Measure = serde_json::from_str(&r.data).map_err(json_err)?;
                if (overdue_only && !m.overdue(today)) || !wants(MEASURE, "measure") {
                    continue;
                }
                out.push(DueItem {
                    kind: MEASURE.into(),
                    id: m.id.0,
                    number: None,
                    title: m.title.to_string(),
                    owed: "measure".into(),
                    owed_zh: "整改措施".into(),
                    due: m.deadline,
                    days_left: (m.deadline - today).num_days(),
                    provisional: provisional(&self.calendar, m.deadline),
                    department: Some(m.owner.name.to_string()),
                    handler: None,
                });
            }
        }
        if user.is_none() {
            self.other_duties(p, dept, today, horizon, overdue_only, &wants, &mut out)?;
        }
        out.sort_by(|a, b| (a.due, &a.number).cmp(&(b.due, &b.number)));
        Ok(out)
    }

    /// The duties of the workflows beyond R1: inspections' rectification items (their departments),
    /// appointments (the office acknowledges, the official meets), sent notices not yet acknowledged (the
    /// office follows them up).
    #[allow(clippy::too_many_arguments)]
    fn other_duties(
        &self,
        p: &Principal,
        dept: Option<DepartmentId>,
        today: NaiveDate,
        horizon: NaiveDate,
        overdue_only: bool,
        wants: &dyn Fn(&str, &str) -> bool,
        out: &mut Vec<DueItem>,
    ) -> Result<(), AppError> {
        let policy = self.suggestion_policy(p)?;
        let keep = |due: NaiveDate| due <= horizon && !(overdue_only && due >= today);
        let mut push = |kind: &str,
                        id: &str,
                        number: Option<String>,
                        title: String,
                        owed: &str,
                        owed_zh: &str,
                        due: NaiveDate,
                        department: Option<String>,
                        handler: Option<String>| {
            let Ok(id) = uuid::Uuid::parse_str(id) else { return };
            out.push(DueItem {
                kind: kind.into(),
                id,
                number,
                title,
                owed: owed.into(),
                owed_zh: owed_zh.into(),
                due,
                days_left: (due - today).num_days(),
                provisional: provisional(&self.calendar, due),
                department,
                handler,
            });
        };
        let open_by = |statuses: &[&str], due_by: bool| RecordQuery {
            statuses: statuses.iter().map(|s| (*s).to_owned()).collect(),
            due_by: due_by.then(|| horizon.to_string()),
            ..RecordQuery::default()
        };
        if wants("inspection", "rectification") {
            let q = open_by(&["held", "planned"], true);
            for r in self.read(|s| s.records(&p.tenant, "inspection", &q))? {
                let Ok(i) = serde_json::from_str::<liaison_core::inspection::Inspection>(&r.data) else {
                    crate::Unreadable::of(
                        "inspection",
                        &r.id,
                        &AppError::NotFound { what: "inspection", id: r.id.clone() },
                    );
                    continue;
                };
                for item in i.rectifications.iter().filter(|x| x.done.is_none() && keep(x.deadline)) {
                    if dept.is_some_and(|d| d != item.owner.id) {
                        continue;
                    }
                    push(
                        "inspection",
                        &i.id.to_string(),
                        None,
                        format!("{}：{}", i.title, item.title),
                        "rectification",
                        "整改事项",
                        item.deadline,
                        Some(item.owner.name.to_string()),
                        None,
                    );
                }
            }
        }
        // Appointments and notices are the office's to follow: not on a department's list.
        if dept.is_some() {
            return Ok(());
        }
        {
            let q = open_by(&["requested", "acknowledged", "scheduled"], true);
            for r in self.read(|s| s.records(&p.tenant, "appointment", &q))? {
                let Ok(a) = serde_json::from_str::<liaison_core::appointment::Appointment>(&r.data) else {
                    continue;
                };
                let Some(due) = a.next_due().filter(|d| keep(*d)) else { continue };
                let (owed, owed_zh) = if a.status == liaison_core::appointment::AppointmentStatus::Requested {
                    ("appointment_acknowledge", "答复约见请求")
                } else {
                    ("appointment_meet", "安排约见")
                };
                if !wants("appointment", owed) {
                    continue;
                }
                let title = format!("{}（{}）约见{}", a.deputy.name, a.deputy.level.zh(), a.official);
                push(
                    "appointment",
                    &a.id.to_string(),
                    None,
                    title,
                    owed,
                    owed_zh,
                    due,
                    Some("联络室".into()),
                    Some(a.official.to_string()),
                );
            }
        }
        if wants("notice", "notice_acknowledgement") {
            for r in self.read(|s| s.records(&p.tenant, "notice", &open_by(&["sent"], false)))? {
                let Ok(n) = serde_json::from_str::<liaison_core::notice::Notice>(&r.data) else { continue };
                let waiting = n.recipients.values().filter(|d| d.acknowledged_on.is_none()).count();
                let Some(sent) = n.sent_on.filter(|_| waiting > 0) else { continue };
                let due = self.calendar.deadline(sent, policy.decision_within).due;
                if !keep(due) {
                    continue;
                }
                let title = format!("{}（{waiting} 位代表未回执）", n.title);
                push(
                    "notice",
                    &n.id.to_string(),
                    None,
                    title,
                    "notice_acknowledgement",
                    "催收知悉回执",
                    due,
                    Some("联络室".into()),
                    None,
                );
            }
        }
        Ok(())
    }
}
