//! The other institutional rules at the command line (R2–R6): notices, the work plan, meetings, visits,
//! inspections, commendation and reviews of major cases.

use liaison_app::{App, Principal};

use crate::args::*;
use crate::draw::print_prepared;
use crate::input::{text_arg, year_range};
use crate::output::{self, Format};

pub(crate) fn notice(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &NoticeCmd,
) -> anyhow::Result<()> {
    use liaison_app::NoticeAction as N;
    let (id, action) = match cmd {
        NoticeCmd::Draft { title, content, scope, values, deputies, channel } => {
            let input = liaison_app::NoticeInput {
                title: title.clone(),
                content: text_arg(content)?,
                scope: scope.clone(),
                values: values.clone(),
                deputies: deputies.clone(),
                channel: channel.clone(),
            };
            let v = rt.block_on(app.draft_notice(p, &input))?;
            if fmt == Format::Table {
                println!("已草拟通报 {}（{}）。", v.notice.id, v.notice.title);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        NoticeCmd::List { year } => return output::list(fmt, &app.notices(p, *year)?),
        NoticeCmd::Show { id } => return output::notice(fmt, &app.notice(p, id)?),
        NoticeCmd::Approve { id } => (id, N::Approve {}),
        NoticeCmd::Send { id } => (id, N::Send {}),
        NoticeCmd::Delivery { id, deputy, delivered, note } => {
            (id, N::Delivery { deputy: deputy.clone(), delivered: *delivered, note: note.clone() })
        }
        NoticeCmd::Ack { id, deputy } => (id, N::Acknowledge { deputy: deputy.clone() }),
        NoticeCmd::Respond { id, deputy, text, open_suggestion } => (
            id,
            N::Respond { deputy: deputy.clone(), text: text_arg(text)?, open_suggestion: *open_suggestion },
        ),
    };
    let v = rt.block_on(app.notice_action(p, id, None, action))?;
    if fmt == Format::Table {
        println!(
            "通报 {}（{}）：对象 {} 人，送达 {}，未送达 {}，已确认 {}，已反馈 {}。",
            v.notice.title, v.status_zh, v.recipients, v.delivered, v.failed, v.acknowledged, v.responded
        );
        return Ok(());
    }
    output::object(fmt, &v)
}

/// The liaison work plan (R3).
pub(crate) fn plan(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &PlanCmd,
) -> anyhow::Result<()> {
    let v = match cmd {
        PlanCmd::Set { period, meetings, reached_percent, notices, activities, notes } => {
            let input = liaison_app::PlanInput {
                period: period.clone(),
                meetings: *meetings,
                reached_percent: *reached_percent,
                notices: *notices,
                activities: *activities,
                notes: notes.clone(),
            };
            rt.block_on(app.set_plan(p, &input, None))?
        }
        PlanCmd::Adopt { period } => rt.block_on(app.adopt_plan(p, period, None))?,
        PlanCmd::Show { period } => app.plan(p, period)?,
    };
    output::plan(fmt, &v)
}

/// Meetings (R3).
pub(crate) fn meeting(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &MeetingCmd,
) -> anyhow::Result<()> {
    use liaison_app::MeetingAction as M;
    let (id, action) = match cmd {
        MeetingCmd::Plan { title, on, place, agenda, invite } => {
            let input = liaison_app::MeetingInput {
                title: title.clone(),
                on: on.clone(),
                place: place.clone(),
                agenda: agenda.clone(),
                invite: invite.clone(),
            };
            let m = rt.block_on(app.plan_meeting(p, &input))?;
            if fmt == Format::Table {
                println!("已计划座谈会 {}（{}，{}）。", m.id, m.title, m.on);
                return Ok(());
            }
            return output::object(fmt, &m);
        }
        MeetingCmd::Show { id } => return output::object(fmt, &app.meeting(p, id)?),
        MeetingCmd::Invite { id, deputies } => (id, M::Invite { deputies: deputies.clone() }),
        MeetingCmd::Hold { id, attended, minutes } => {
            (id, M::Hold { attended: attended.clone(), minutes: text_arg(minutes)? })
        }
        MeetingCmd::Cancel { id, why } => (id, M::Cancel { reason: why.clone() }),
        MeetingCmd::Opinion { id, deputy, text, to, owner, deadline } => (
            id,
            M::Opinion {
                opinion: liaison_app::OpinionInput {
                    deputy: deputy.clone(),
                    text: text_arg(text)?,
                    to: to.clone(),
                    owner: owner.clone(),
                    deadline: deadline.clone(),
                },
            },
        ),
    };
    output::object(fmt, &rt.block_on(app.meeting_action(p, id, None, action))?)
}

/// Inspections and evaluations (R5).
pub(crate) fn inspection(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &InspectionCmd,
) -> anyhow::Result<()> {
    use liaison_app::InspectionAction as I;
    let (id, action) = match cmd {
        InspectionCmd::Plan { kind, title, organiser_ref, from, to, participants, materials, items } => {
            let input = liaison_app::InspectionInput {
                kind: kind.clone(),
                title: title.clone(),
                organiser_ref: organiser_ref.clone(),
                from: from.clone(),
                to: to.clone(),
                participants: participants.clone(),
                materials: materials.clone(),
                items: items.clone(),
            };
            let v = rt.block_on(app.plan_inspection(p, &input))?;
            if fmt == Format::Table {
                println!("已计划{} {}（{}）。", v.inspection.kind.zh(), v.inspection.id, v.inspection.title);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        InspectionCmd::List => return output::list(fmt, &app.inspections(p)?),
        InspectionCmd::Show { id } => return output::object(fmt, &app.inspection(p, id)?),
        InspectionCmd::Hold { id } => (id, I::Hold {}),
        InspectionCmd::Score { id, deputy, item, score } => {
            (id, I::Score { deputy: deputy.clone(), item: *item, score: *score })
        }
        InspectionCmd::Opinion { id, deputy, text } => {
            (id, I::Opinion { deputy: deputy.clone(), text: text_arg(text)? })
        }
        InspectionCmd::Rectify { id, title, owner, deadline } => {
            (id, I::Rectify { title: title.clone(), owner: owner.clone(), deadline: deadline.clone() })
        }
        InspectionCmd::Done { id, n, result } => (id, I::Done { n: *n, result: text_arg(result)? }),
        InspectionCmd::Report { id, text } => (id, I::Report { text: text_arg(text)? }),
    };
    let v = rt.block_on(app.inspection_action(p, id, None, action))?;
    if fmt == Format::Table {
        let open = v.inspection.rectifications.iter().filter(|r| r.done.is_none()).count();
        println!(
            "{}（{}）：评分 {} 项，意见 {} 条，整改 {} 项（未完成 {}）。",
            v.inspection.title,
            v.inspection.status.zh(),
            v.inspection.scores.len(),
            v.inspection.opinions.len(),
            v.inspection.rectifications.len(),
            open
        );
        return Ok(());
    }
    output::object(fmt, &v)
}

/// Reviews of major cases (R4).
pub(crate) fn review(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &ReviewCmd,
) -> anyhow::Result<()> {
    use liaison_app::ReviewAction as R;
    let (id, action) = match cmd {
        ReviewCmd::Register { case_ref, kind, summary } => {
            let input = liaison_app::ReviewInput {
                case_ref: case_ref.clone(),
                kind: kind.clone(),
                summary: text_arg(summary)?,
            };
            let v = rt.block_on(app.register_review(p, &input))?;
            if fmt == Format::Table {
                println!("已登记案件评议 {}（{}）。", v.review.id, v.review.case_ref);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        ReviewCmd::List => return output::list(fmt, &app.reviews(p)?),
        ReviewCmd::Show { id } => return output::review(fmt, &app.review_view(p, id)?),
        ReviewCmd::Recuse { id, deputy, why } => {
            (id, R::Recuse { deputy: deputy.clone(), reason: why.clone() })
        }
        ReviewCmd::Prepare { id, count, public } => (
            id,
            R::Prepare {
                count: *count,
                public_source: public.public_source.clone(),
                published_on: public.published_on.clone(),
                secret_seed_reason: public.secret_seed_reason.clone(),
            },
        ),
        ReviewCmd::Draw { id, revealed } => {
            (id, R::Draw { seed: revealed.seed.clone(), public_value: revealed.public_value.clone() })
        }
        ReviewCmd::Vote { id, deputy, agree, opinion } => {
            (id, R::Vote { deputy: deputy.clone(), agree: *agree, opinion: opinion.clone() })
        }
        ReviewCmd::Chief { id, agree, text } => (id, R::Chief { agree: *agree, text: text.clone() }),
        ReviewCmd::Committee { id, agree, text, explanation } => {
            (id, R::Committee { agree: *agree, text: text.clone(), explanation: explanation.clone() })
        }
        ReviewCmd::Escalate { id, reference } => (id, R::Escalate { reference: reference.clone() }),
        ReviewCmd::Notify { id, text } => (id, R::Notify { text: text_arg(text)? }),
        ReviewCmd::ApproveReplan { id, why } => (id, R::ApproveReplan { reason: why.clone() }),
    };
    let prepared = matches!(action, R::Prepare { .. });
    let v = rt.block_on(app.review_action(p, id, None, action))?;
    if fmt == Format::Table {
        if prepared {
            print_prepared(v.review.draw.as_ref(), v.seed.as_deref());
            return Ok(());
        }
        let names: Vec<String> =
            v.review.participants.iter().map(|d| liaison_app::shown(&v.people, &d.to_string())).collect();
        println!("案件评议 {}：{}；参加人员 {}", v.review.case_ref, v.review.status.zh(), names.join("、"));
        return Ok(());
    }
    output::object(fmt, &v)
}

/// Commendation (R6).
pub(crate) fn commendation(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &CommendationCmd,
) -> anyhow::Result<()> {
    use liaison_app::NominationAction as N;
    let (id, action) = match cmd {
        CommendationCmd::Weights { set } => {
            let w = if set.is_empty() {
                app.commendation_weights(p)?
            } else {
                rt.block_on(app.set_commendation_weights(p, set))?
            };
            return output::object(fmt, &w);
        }
        CommendationCmd::Contributions { from, to, top } => {
            let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
            let mut list = app.contributions(p, from, to)?;
            list.truncate(*top);
            return output::contributions(fmt, &list);
        }
        CommendationCmd::Nominate { deputy, reasons, from, to } => {
            let input = liaison_app::NominationInput {
                deputy: deputy.clone(),
                reasons: text_arg(reasons)?,
                from: from.clone(),
                to: to.clone(),
            };
            return output::nominations(fmt, &[rt.block_on(app.nominate(p, &input))?]);
        }
        CommendationCmd::List => return output::nominations(fmt, &app.nominations(p)?),
        CommendationCmd::Approve { id } => (id, N::Approve {}),
        CommendationCmd::Submit { id, reference } => (id, N::Submit { reference: reference.clone() }),
        CommendationCmd::Accept { id } => (id, N::Accept {}),
        CommendationCmd::Decline { id, note } => (id, N::Decline { note: note.clone() }),
    };
    output::nominations(fmt, &[rt.block_on(app.nomination_action(p, id, None, action))?])
}

/// A visit to a deputy (R3).
pub(crate) fn visit(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    v: &VisitArgs,
) -> anyhow::Result<()> {
    let to = v.issues_as_suggestions.then(|| "suggestion".to_owned());
    let input = liaison_app::VisitInput {
        deputy: v.deputy.clone(),
        on: v.on.clone(),
        place: v.place.clone(),
        staff: v.staff.clone(),
        notes: text_arg(&v.notes)?,
        issues: v
            .issues
            .iter()
            .map(|t| liaison_app::OpinionInput {
                deputy: v.deputy.clone(),
                text: t.clone(),
                to: to.clone(),
                ..Default::default()
            })
            .collect(),
    };
    output::object(fmt, &rt.block_on(app.record_visit(p, &input))?)
}
