//! The report's tables of records: the SPP annex (every suggestion and deliberation opinion with its
//! proposers by name, level, delegation, department, class, outcome and measures), reviews, inspections,
//! commendations and notices — each a row per record of the period, people by name.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use liaison_core::commendation::Nomination;
use liaison_core::deliberation::Route;
use liaison_core::inspection::InspectionStatus;
use liaison_core::registry::DeputyLevel;
use liaison_core::review::Review;
use liaison_core::suggestion::{Suggestion, SuggestionFacts};

use super::compute::Register;
use super::labels::{Lang, level_label, level_name};
use super::line::{AnnexRef, Text};
use super::*;
use crate::{DeliberationView, InspectionView, MeasureView, NoticeView, People};

pub(super) fn joined<I: IntoIterator<Item = String>>(xs: I) -> String {
    let mut v: Vec<String> = xs.into_iter().filter(|s| !s.is_empty()).collect();
    v.dedup();
    v.join("、")
}

fn unique(mut v: Vec<String>) -> String {
    v.sort();
    v.dedup();
    joined(v)
}

fn levels_of(signers: &[(Text<'_>, Text<'_>, DeputyLevel)]) -> Cow<'static, str> {
    if let [(_, _, level)] = signers {
        return Cow::Borrowed(level_name(*level, Lang::Zh));
    }
    let mut l: Vec<DeputyLevel> = signers.iter().map(|s| s.2).collect();
    l.sort_unstable();
    l.dedup();
    Cow::Owned(joined(l.into_iter().map(|l| level_label(l, Lang::Zh))))
}

fn delegations(signers: &[(Text<'_>, Text<'_>, DeputyLevel)], register: &Register<'_>) -> String {
    let of = |s: &(Text<'_>, Text<'_>, DeputyLevel)| register.get(&*s.0).and_then(|d| d.delegation.clone());
    match signers {
        [one] => of(one).unwrap_or_default(),
        _ => unique(signers.iter().filter_map(of).collect()),
    }
}

/// Where an item stands, in words: its status, the deputies' verdict, and the resolution.
pub(super) fn outcome(s: &Suggestion) -> String {
    let mut parts = vec![s.status.zh().to_owned()];
    if let Some(o) = s.rounds.iter().rev().find_map(|r| r.outcome.as_ref()) {
        parts.push(format!("代表评价：{}", o.verdict.zh()));
    }
    if s.rounds.len() > 1 {
        parts.push("经再次办理".into());
    }
    if let Some(f) = &s.follow_up {
        parts.push(match &f.solved {
            Some(d) => format!("承诺事项已于 {} 解决", d.on),
            None => format!("承诺于 {} 前解决", f.promised_on),
        });
    }
    if let Some(r) = &s.reroute {
        parts.push(format!("转信访办理（{}）", r.ground.zh()));
    }
    parts.join("；")
}

/// The annex's row of a suggestion, from its report line, whose strings it takes over (a national year's
/// million rows: copying them was a fifth of the model's time).
pub(super) fn suggestion(
    f: &SuggestionFacts,
    s: AnnexRef<'_>,
    measures: &BTreeMap<String, &MeasureView>,
    register: &Register<'_>,
) -> AnnexRow {
    AnnexRow {
        kind: Cow::Borrowed("建议"),
        number: s.number.map_or_else(|| "（未编号）".into(), Text::owned),
        received_on: f.received_on,
        title: s.title.owned(),
        levels: levels_of(&s.proposers),
        delegations: delegations(&s.proposers, register),
        proposers: match <[_; 1]>::try_from(s.proposers) {
            Ok([(_, name, _)]) => name.owned(),
            Err(all) => joined(all.into_iter().map(|x| x.1.owned())),
        },
        department: s.department.owned(),
        class: Cow::Borrowed(s.class.map_or("", |c| c.zh())),
        outcome: s.outcome.owned(),
        measures: joined(
            s.measures
                .iter()
                .filter_map(|id| measures.get(&**id))
                .map(|m| format!("{}（{}）", m.measure.title, m.status_zh)),
        ),
    }
}

/// The items deliberation opinions were turned into (ids): the annex names their department and class.
pub(super) fn routed(sessions: &[DeliberationView]) -> std::collections::BTreeSet<String> {
    sessions
        .iter()
        .flat_map(|v| &v.deliberation.opinions)
        .filter_map(|o| match &o.route {
            Some(Route::Suggestion { id, .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// Of an item an opinion was turned into: its lead department's name and its latest answer's class.
pub(super) type Handled = BTreeMap<String, (Option<String>, Option<liaison_core::suggestion::AnswerClass>)>;

/// The annex's rows of the deliberation opinions voiced in the period (in a level's or region's report,
/// only those of its deputies).
pub(super) fn opinions(
    sessions: &[DeliberationView],
    handled: &Handled,
    from: NaiveDate,
    to: NaiveDate,
    scope: &Scope,
    register: &Register<'_>,
) -> Vec<AnnexRow> {
    let mut out = Vec::new();
    for v in sessions {
        let d = &v.deliberation;
        for o in d.opinions.iter().filter(|o| o.on >= from && o.on <= to) {
            let inside = match scope {
                Scope::Level { code } => o.deputy.level.code() == code,
                Scope::Region { name } => {
                    register.get(&o.deputy.deputy.to_string()).is_some_and(|r| r.region == *name)
                }
                _ => true,
            };
            if !inside {
                continue;
            }
            let (department, class, handled) = match &o.route {
                Some(Route::Suggestion { id, number }) => {
                    let s = handled.get(&id.to_string());
                    let n = number.map(|n| n.to_string()).unwrap_or_default();
                    (
                        s.and_then(|(lead, _)| lead.clone()).unwrap_or_default(),
                        s.and_then(|(_, class)| *class).map_or("", |c| c.zh()),
                        format!("作为建议 {n} 办理"),
                    )
                }
                Some(Route::Measure { .. }) => (String::new(), "", "作为改进措施办理".into()),
                None => (String::new(), "", String::new()),
            };
            let told = o.told.as_ref().map(|(on, t)| format!("{on} 已告知代表：{t}")).unwrap_or_default();
            out.push(AnnexRow {
                kind: Cow::Borrowed("审议意见"),
                number: format!("{}-{}", d.session, o.n),
                received_on: o.on,
                title: o.text.to_string(),
                proposers: o.deputy.name.to_string(),
                levels: Cow::Borrowed(level_name(o.deputy.level, Lang::Zh)),
                delegations: register
                    .get(&o.deputy.deputy.to_string())
                    .and_then(|r| r.delegation.clone())
                    .unwrap_or_else(|| o.group.to_string()),
                department,
                class: Cow::Borrowed(class),
                outcome: joined([o.status.zh().to_owned(), handled, told]),
                measures: String::new(),
            });
        }
    }
    out
}

/// The reviews registered in the period.
pub(super) fn reviews(all: &[Review], from: NaiveDate, to: NaiveDate, people: &People) -> Vec<ReviewRow> {
    all.iter()
        .filter(|r| r.opened_on >= from && r.opened_on <= to)
        .map(|r| {
            let agree = |b: bool| if b { "同意拟处理意见" } else { "不同意拟处理意见" };
            let mut result = Vec::new();
            if let Some(m) = r.majority_agrees {
                result.push(format!("多数意见：{}", agree(m)));
            }
            if let Some((a, _)) = &r.chief {
                result.push(format!("检察长：{}", agree(*a)));
            }
            if let Some((a, _, _)) = &r.committee {
                result.push(format!("检察委员会：{}", agree(*a)));
            }
            ReviewRow {
                case_ref: r.case_ref.to_string(),
                kind: r.kind.zh().into(),
                opened_on: r.opened_on,
                participants: joined(
                    r.participants
                        .iter()
                        .map(|d| people.get(&d.to_string()).map(|x| x.name.clone()).unwrap_or_default()),
                ),
                votes_for: r.votes.values().filter(|v| v.agree).count() as u32,
                votes_against: r.votes.values().filter(|v| !v.agree).count() as u32,
                result: result.join("；"),
                status: r.status.zh().into(),
            }
        })
        .collect()
}

/// The inspections held in the period; in a department's report, only its rectification items count.
pub(super) fn inspections(
    all: &[InspectionView],
    from: NaiveDate,
    to: NaiveDate,
    scope: &Scope,
    today: NaiveDate,
) -> Vec<InspectionRow> {
    all.iter()
        .map(|v| &v.inspection)
        .filter(|i| i.from >= from && i.from <= to)
        .map(|i| {
            let items: Vec<_> = i
                .rectifications
                .iter()
                .filter(|r| match scope {
                    Scope::Department { id, .. } => r.owner.id.to_string() == *id,
                    _ => true,
                })
                .collect();
            InspectionRow {
                title: i.title.to_string(),
                kind: i.kind.zh().into(),
                from: i.from,
                participants: i.participants.len() as u32,
                opinions: i.opinions.len() as u32,
                rectifications: items.len() as u32,
                done: items.iter().filter(|r| r.done.is_some()).count() as u32,
                overdue: items.iter().filter(|r| r.done.is_none() && r.deadline < today).count() as u32,
                status: if i.status == InspectionStatus::Reported {
                    "已报告".into()
                } else {
                    i.status.zh().into()
                },
            }
        })
        .collect()
}

/// The nominations whose period overlaps the report's.
pub(super) fn commendations(all: &[Nomination], from: NaiveDate, to: NaiveDate) -> Vec<CommendationRow> {
    all.iter()
        .filter(|n| n.period.0 <= to && n.period.1 >= from)
        .map(|n| CommendationRow {
            deputy: n.contribution.deputy.name.to_string(),
            level: level_label(n.contribution.deputy.level, Lang::Zh),
            points: n.contribution.total,
            evidence: n.contribution.evidence.len() as u32,
            status: n.status.zh().into(),
        })
        .collect()
}

/// The notices sent (or drafted, when not sent) in the period.
pub(super) fn notices(all: &[NoticeView], from: NaiveDate, to: NaiveDate) -> Vec<NoticeRow> {
    all.iter()
        .filter(|v| {
            let on = v.notice.sent_on.unwrap_or(v.notice.drafted_on);
            on >= from && on <= to
        })
        .map(|v| NoticeRow {
            title: v.notice.title.to_string(),
            sent_on: v.notice.sent_on,
            recipients: v.recipients,
            acknowledged: v.acknowledged,
            status: v.status_zh.clone(),
        })
        .collect()
}
