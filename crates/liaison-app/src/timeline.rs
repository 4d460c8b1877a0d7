//! 代表履职档案 (the register's deputy page, issue 16): one deputy's card with the people responsible for
//! them by name, and the timeline of everything that involves them — suggestions they proposed, co-signed or
//! evaluated, meetings they were invited to, visits, major-matter notices sent to them, activities and
//! case reviews they took part in, appointments (约见), supervisor appointments, solicitations of their
//! opinion, services, liaison cards and commendation nominations — newest first.
//!
//! Read from the stored records that name the deputy (`RecordQuery::deputy`, the column every workflow
//! indexes), in one read; no record is decoded twice and a record that cannot be read is left out (and
//! logged), like the lists do.

use chrono::NaiveDate;
use liaison_core::access::Action;
use liaison_core::activity::Activity;
use liaison_core::appointment::Appointment;
use liaison_core::channels::{LiaisonCard, Service, Solicitation};
use liaison_core::commendation::Nomination;
use liaison_core::ids::DeputyId;
use liaison_core::meeting::{Meeting, Visit};
use liaison_core::notice::Notice;
use liaison_core::registry::SpecialRole;
use liaison_core::review::Review;
use liaison_core::suggestion::Suggestion;
use liaison_core::supervisor::SupervisorAppointment;
use liaison_store::{RecordQuery, StoredRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::views::DeputyView;
use crate::{App, AppError, Principal, Unreadable};

/// The record kinds the timeline reads, with their names.
const KINDS: &[(&str, &str)] = &[
    ("suggestion", "代表建议"),
    ("meeting", "座谈会"),
    ("visit", "走访"),
    ("notice", "重大事项通报"),
    ("activity", "活动"),
    ("review", "案件评议"),
    ("appointment", "约见"),
    ("supervisor", "监督员聘任"),
    ("solicitation", "征求意见"),
    ("service", "服务保障"),
    ("card", "联络卡"),
    ("nomination", "表彰推荐"),
];

/// How long a title may be before it is cut (with `…`).
const TITLE_CHARS: usize = 40;

/// One entry of a deputy's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    /// The day it happened (received, held, sent, scheduled, begun).
    pub on: NaiveDate,
    /// The record's kind: `suggestion`, `meeting`, `visit`, `notice`, `activity`, `review`,
    /// `appointment`, `supervisor`.
    pub kind: String,
    /// The kind in Chinese.
    pub kind_zh: String,
    /// A short title.
    pub title: String,
    /// The record's number, when it has one (a suggestion's `2026-0001`).
    pub number: Option<String>,
    /// The deputy's part in it, in Chinese (领衔提出, 联名, 出席 …).
    pub role_zh: Option<String>,
    /// Where the record is, in Chinese.
    pub status_zh: String,
    /// The record's id (for a link to its page).
    pub id: String,
}

/// A deputy's card as the register's page shows it: the masked view, and the people and words a page
/// names instead of ids and codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeputyCard {
    /// The deputy, contact data masked.
    pub deputy: DeputyView,
    /// The status in Chinese.
    pub status_zh: String,
    /// The responsible liaison officer's name.
    pub officer: Option<String>,
    /// The paired department's name.
    pub department: Option<String>,
    /// The special roles in Chinese.
    pub special_roles_zh: Vec<String>,
}

fn short(s: &str) -> String {
    if s.chars().count() <= TITLE_CHARS {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(TITLE_CHARS - 1).collect();
        t.push('…');
        t
    }
}

fn entry(
    kind: &str,
    on: NaiveDate,
    title: &str,
    role: Option<&str>,
    status: &str,
    id: String,
) -> TimelineEntry {
    TimelineEntry {
        on,
        kind: kind.to_owned(),
        kind_zh: KINDS.iter().find(|(k, _)| *k == kind).map_or("记录", |(_, zh)| zh).to_owned(),
        title: short(title.trim()),
        number: None,
        role_zh: role.map(str::to_owned),
        status_zh: status.to_owned(),
        id,
    }
}

/// The entry of one stored record of `kind` for deputy `d`; `None` when the record does not (or no longer)
/// name the deputy, or the caller may not see it.
fn of_record(
    p: &Principal,
    d: DeputyId,
    kind: &str,
    r: &StoredRecord,
) -> Result<Option<TimelineEntry>, AppError> {
    fn decode<T: serde::de::DeserializeOwned>(r: &StoredRecord) -> Result<T, AppError> {
        crate::runner::decode(&r.data)
    }
    let id = r.id.clone();
    Ok(match kind {
        "suggestion" => {
            let s: Suggestion = decode(r)?;
            if !crate::suggestion::visible_to(p, &s) {
                return Ok(None);
            }
            let role = if s.proposers.first().is_some_and(|x| x.deputy == d) {
                "领衔提出"
            } else if s.proposers.iter().any(|x| x.deputy == d) {
                "联名提出"
            } else if s.withdrawn.iter().any(|x| x.deputy == d) {
                "已撤回联名"
            } else if s.panel.iter().any(|x| x.deputy == d) {
                "参与评价"
            } else {
                return Ok(None);
            };
            let mut e = entry(kind, s.received_on, s.title.as_str(), Some(role), s.status.zh(), id);
            e.number = s.number.map(|n| n.to_string());
            Some(e)
        }
        "meeting" => {
            let m: Meeting = decode(r)?;
            let role = if m.attended.contains(&d) { "出席" } else { "受邀" };
            Some(entry(kind, m.on, m.title.as_str(), Some(role), m.status.zh(), id))
        }
        "visit" => {
            let v: Visit = decode(r)?;
            let title = format!("走访（{}）", v.place.zh());
            Some(entry(kind, v.on, &title, None, "已记录", id))
        }
        "notice" => {
            let n: Notice = decode(r)?;
            let Some(delivery) = n.recipients.get(&d) else { return Ok(None) };
            let role = match (delivery.acknowledged_on, delivery.delivered) {
                (Some(_), _) => "已确认收悉",
                (None, Some(false)) => "送达未成功",
                _ => "已发送",
            };
            Some(entry(
                kind,
                n.sent_on.unwrap_or(n.drafted_on),
                n.title.as_str(),
                Some(role),
                n.status.zh(),
                id,
            ))
        }
        "activity" => {
            let a: Activity = decode(r)?;
            let role = if a.attended.contains(&d) { "出席" } else { "入选参加" };
            let title = format!("{}：{}", a.kind.zh(), a.title.as_str());
            Some(entry(kind, a.on, &title, Some(role), a.status.zh(), id))
        }
        "review" => {
            let v: Review = decode(r)?;
            let role = if v.votes.contains_key(&d) { "已发表意见" } else { "参加评议" };
            let title = format!("{}：{}", v.kind.zh(), v.case_ref.as_str());
            Some(entry(kind, v.opened_on, &title, Some(role), v.status.zh(), id))
        }
        "appointment" => {
            let a: Appointment = decode(r)?;
            let on = a.scheduled.as_ref().map_or(a.requested_on, |s| s.0.date());
            let title = format!("约见{}：{}", a.official.as_str(), a.topic.as_str());
            Some(entry(kind, on, &title, None, a.status.zh(), id))
        }
        "supervisor" => {
            let a: SupervisorAppointment = decode(r)?;
            let title = format!("聘任为{}（{} 至 {}）", a.kind.zh(), a.from, a.to);
            let status = if a.ended.is_some() { "已解聘" } else { "在聘" };
            Some(entry(kind, a.from, &title, None, status, id))
        }
        "solicitation" => {
            let x: Solicitation = decode(r)?;
            let role =
                if x.responses.iter().any(|(who, _, _)| *who == d) { "已反馈意见" } else { "已征求" };
            let status = if x.by_forum { "座谈征求" } else { "书面征求" };
            Some(entry(kind, x.sent_on, x.title.as_str(), Some(role), status, id))
        }
        "service" => {
            let x: Service = decode(r)?;
            let status = if x.resolved.is_some() { "已办结" } else { "办理中" };
            Some(entry(kind, x.opened_on, x.kind.zh(), None, status, id))
        }
        "card" => {
            let x: LiaisonCard = decode(r)?;
            let title = format!("发放联络卡（联络员{}）", x.officer.as_str());
            let status = if x.revoked.is_some() { "已收回" } else { "有效" };
            Some(entry(kind, x.issued_on, &title, None, status, id))
        }
        "nomination" => {
            let x: Nomination = decode(r)?;
            let title = format!("{} 至 {} 履职表彰推荐", x.period.0, x.period.1);
            Some(entry(kind, x.period.1, &title, None, x.status.zh(), id))
        }
        _ => None,
    })
}

impl App {
    /// One deputy's card: the masked view, the responsible officer and department by name, the status and
    /// special roles in Chinese (the permission of reading a deputy).
    pub fn deputy_card(&self, p: &Principal, id: DeputyId) -> Result<DeputyCard, AppError> {
        let deputy = self.deputy(p, id)?;
        let org = self.read(|q| q.organisation(&p.tenant))?;
        let officer = deputy
            .officer
            .and_then(|o| org.officers.values().find(|x| x.id.0 == o))
            .map(|x| x.name.to_string());
        let department = deputy
            .department
            .and_then(|o| org.departments.values().find(|x| x.id.0 == o))
            .map(|x| x.name.to_string());
        let status_zh = liaison_core::registry::DeputyStatus::from_code(&deputy.status)
            .map_or_else(|| deputy.status.clone(), |s| s.zh().to_owned());
        let special_roles_zh = deputy
            .special_roles
            .iter()
            .map(|r| SpecialRole::parse(r).map_or_else(|_| r.clone(), |r| r.zh().to_owned()))
            .collect();
        Ok(DeputyCard { deputy, status_zh, officer, department, special_roles_zh })
    }

    /// Everything that involves a deputy, newest first (on the same day, the later record first). The
    /// permission of reading a deputy and of the liaison records that name deputies; suggestions as
    /// `suggestions` shows them to the caller.
    pub fn deputy_timeline(&self, p: &Principal, id: DeputyId) -> Result<Vec<TimelineEntry>, AppError> {
        p.require(Action::ReadRegistry)?;
        p.require(Action::ReadCoverage)?;
        let q = RecordQuery { deputy: Some(id.to_string()), ..RecordQuery::default() };
        let (exists, rows) = self.read(|s| {
            let exists = s.deputy_summary(&p.tenant, id)?.is_some();
            let mut rows = Vec::new();
            for (kind, _) in KINDS {
                rows.push((*kind, s.records(&p.tenant, kind, &q)?));
            }
            Ok((exists, rows))
        })?;
        if !exists {
            return Err(AppError::NotFound { what: "deputy", id: id.to_string() });
        }
        let mut out = Vec::new();
        for (kind, records) in rows {
            for r in &records {
                match of_record(p, id, kind, r) {
                    Ok(Some(e)) => out.push(e),
                    Ok(None) => {}
                    Err(e) => {
                        Unreadable::of(kind, &r.id, &e);
                    }
                }
            }
        }
        // Ids are time-ordered (UUID v7): on the same day the record made later comes first.
        out.sort_by(|a, b| b.on.cmp(&a.on).then_with(|| b.id.cmp(&a.id)));
        Ok(out)
    }
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
