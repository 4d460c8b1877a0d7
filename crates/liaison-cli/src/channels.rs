//! The channels and guarantees at the command line (C1, C3, C4, G1–G3): the rights check, the hotline,
//! liaison cards, services, solicitations, supervisors, appointments, the budget and the activity platform.

use liaison_app::{App, Principal};

use crate::args::*;
use crate::draw::print_prepared;
use crate::input::text_arg;
use crate::output::{self, Format};

/// The rights check (G1).
pub(crate) fn rights(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    a: &RightsArgs,
) -> anyhow::Result<()> {
    let id_number =
        crate::secrets::personal_opt("--id-number", "身份证号", "LIAISON_ID_NUMBER", a.id_number.as_ref())?;
    let q = liaison_app::RightsQuery {
        deputy: a.deputy.clone(),
        id_number,
        name: a.name.clone(),
        reason: a.why.clone(),
    };
    let r = rt.block_on(app.rights_check(p, &q))?;
    if fmt != Format::Table {
        return output::object(fmt, &r);
    }
    if r.name_mismatch {
        println!("姓名与登记簿不一致，请核对后重新查询（本次查询已记录，审计序号 {}）。", r.audit_seq);
    } else if !r.is_deputy {
        println!("登记簿中没有此人的在任代表记录（本次查询已记录，审计序号 {}）。", r.audit_seq);
    } else {
        for d in &r.deputyships {
            println!("{}：第{}届{}人大代表（{}）", d.name, d.term, d.level_zh, d.status_zh);
            println!("  {}", d.requirement_zh);
        }
        println!("（本次查询已记录，审计序号 {}）", r.audit_seq);
    }
    Ok(())
}

/// The hotline log (C1).
pub(crate) fn hotline(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &HotlineCmd,
) -> anyhow::Result<()> {
    match cmd {
        HotlineCmd::Log { deputy, caller, topic, route } => {
            let input = liaison_app::CallInput {
                deputy: deputy.clone(),
                caller: caller.clone(),
                topic: text_arg(topic)?,
                route: route.clone(),
            };
            output::object(fmt, &rt.block_on(app.log_call(p, &input))?)
        }
        HotlineCmd::List => output::list(fmt, &app.calls(p)?),
    }
}

/// Liaison cards (C1).
pub(crate) fn card(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &CardCmd,
) -> anyhow::Result<()> {
    match cmd {
        CardCmd::Issue { deputy, officer, telephone } => {
            let input = liaison_app::CardInput {
                deputy: deputy.clone(),
                officer: officer.clone(),
                telephone: telephone.clone(),
            };
            let c = rt.block_on(app.issue_card(p, &input))?;
            if fmt == Format::Table {
                println!("已发放联络卡 {}（{}）。", c.number, c.deputy.name);
                return Ok(());
            }
            output::object(fmt, &c)
        }
        CardCmd::Revoke { number, why } => {
            output::object(fmt, &rt.block_on(app.revoke_card(p, number, None, why))?)
        }
        CardCmd::List => output::list(fmt, &app.cards(p)?),
        CardCmd::Print { number, out } => {
            std::fs::write(out, app.card_page(p, number)?)?;
            println!("已写入 {}，可用浏览器打印。", out.display());
            Ok(())
        }
    }
}

/// Services to deputies (G3).
pub(crate) fn service(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &ServiceCmd,
) -> anyhow::Result<()> {
    match cmd {
        ServiceCmd::Open { deputy, kind, description } => {
            let input = liaison_app::ServiceInput {
                deputy: deputy.clone(),
                kind: kind.clone(),
                description: text_arg(description)?,
            };
            output::object(fmt, &rt.block_on(app.open_service(p, &input))?)
        }
        ServiceCmd::Resolve { id, result } => {
            output::object(fmt, &rt.block_on(app.service_step(p, id, None, result, false))?)
        }
        ServiceCmd::Deliver { id, item } => {
            output::object(fmt, &rt.block_on(app.service_step(p, id, None, item, true))?)
        }
        ServiceCmd::List { open } => output::list(fmt, &app.services(p, *open)?),
    }
}

/// Solicitations (C4).
pub(crate) fn solicit(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &SolicitCmd,
) -> anyhow::Result<()> {
    match cmd {
        SolicitCmd::Send { title, content, forum, scope, values, deputies } => {
            let input = liaison_app::SolicitationInput {
                title: title.clone(),
                content: text_arg(content)?,
                by_forum: *forum,
                scope: scope.clone(),
                values: values.clone(),
                deputies: deputies.clone(),
            };
            output::object(fmt, &rt.block_on(app.send_solicitation(p, &input))?)
        }
        SolicitCmd::Respond { id, deputy, text, as_suggestion } => output::object(
            fmt,
            &rt.block_on(app.respond_solicitation(p, id, None, deputy, &text_arg(text)?, *as_suggestion))?,
        ),
        SolicitCmd::List => output::list(fmt, &app.solicitations(p)?),
    }
}

/// Supervisor appointments.
pub(crate) fn supervisor(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &SupervisorCmd,
) -> anyhow::Result<()> {
    match cmd {
        SupervisorCmd::Appoint { deputy, kind, from, to } => {
            let input = liaison_app::SupervisorInput {
                deputy: deputy.clone(),
                kind: kind.clone(),
                from: from.clone(),
                to: to.clone(),
            };
            output::object(fmt, &rt.block_on(app.appoint_supervisor(p, &input))?)
        }
        SupervisorCmd::End { id, why } => output::object(fmt, &rt.block_on(app.end_supervisor(p, id, why))?),
        SupervisorCmd::List => output::list(fmt, &app.supervisors(p)?),
    }
}

/// Appointments (C3).
pub(crate) fn appointment(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &AppointmentCmd,
) -> anyhow::Result<()> {
    use liaison_app::AppointmentAction as A;
    let (id, action) = match cmd {
        AppointmentCmd::Request { deputy, official, channel, topic } => {
            let input = liaison_app::AppointmentInput {
                deputy: deputy.clone(),
                official: official.clone(),
                channel: channel.clone(),
                topic: text_arg(topic)?,
            };
            let a = rt.block_on(app.request_appointment(p, &input))?;
            if fmt == Format::Table {
                println!("已登记约见 {}：{} 前答复，{} 前安排约见。", a.id, a.acknowledge_by, a.meet_by);
                return Ok(());
            }
            return output::object(fmt, &a);
        }
        AppointmentCmd::List { official } => {
            return output::list(fmt, &app.appointments(p, official.as_deref())?);
        }
        AppointmentCmd::Ack { id } => (id, A::Acknowledge {}),
        AppointmentCmd::Schedule { id, from, to, place, late_reason } => (
            id,
            A::Schedule {
                from: from.clone(),
                to: to.clone(),
                place: place.clone(),
                late_reason: late_reason.clone(),
            },
        ),
        AppointmentCmd::Hold { id, record } => (id, A::Hold { record: text_arg(record)? }),
        AppointmentCmd::Decline { id, why, alternative } => {
            (id, A::Decline { reason: why.clone(), alternative: alternative.clone() })
        }
    };
    let a = rt.block_on(app.appointment_action(p, id, None, action))?;
    if fmt == Format::Table {
        let late = match (&a.late_reason, a.late) {
            (Some(why), true) => format!("，逾期安排：{why}"),
            _ => String::new(),
        };
        println!("约见 {}：{}（{}{late}）", a.id, a.status.zh(), a.official);
        return Ok(());
    }
    output::object(fmt, &a)
}

/// The budget (G2).
pub(crate) fn budget(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    b: &BudgetArgs,
) -> anyhow::Result<()> {
    use liaison_app::BudgetAction as B;
    let v = match &b.cmd {
        None => app.budget(p, b.year)?,
        Some(c) => {
            let action = match c {
                BudgetCmd::Line { category, amount } => {
                    B::Line { category: category.clone(), amount: amount.clone() }
                }
                BudgetCmd::Adopt => B::Adopt {},
                BudgetCmd::Spend { category, amount, purpose, reference, on } => B::Spend {
                    category: category.clone(),
                    amount: amount.clone(),
                    purpose: purpose.clone(),
                    reference: reference.clone(),
                    on: on.clone(),
                },
                BudgetCmd::Reverse { n, why, on } => {
                    B::Reverse { n: *n, reason: why.clone(), on: on.clone() }
                }
                BudgetCmd::Request { category, amount, why } => {
                    B::Request { category: category.clone(), amount: amount.clone(), reason: why.clone() }
                }
                BudgetCmd::Approve { n } => B::Approve { n: *n },
                BudgetCmd::Reject { n, why } => B::Reject { n: *n, reason: why.clone() },
            };
            rt.block_on(app.budget_action(p, b.year, None, action))?
        }
    };
    output::budget(fmt, &v)
}

/// The activity platform (C4).
pub(crate) fn activity(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &ActivityCmd,
) -> anyhow::Result<()> {
    use liaison_app::ActivityAction as A;
    let (id, action) = match cmd {
        ActivityCmd::Plan { kind, title, on, place, seats, levels, selection } => {
            let input = liaison_app::ActivityInput {
                kind: kind.clone(),
                title: title.clone(),
                on: on.clone(),
                place: place.clone(),
                seats: *seats,
                levels: levels.clone(),
                selection: selection.clone(),
            };
            let v = rt.block_on(app.plan_activity(p, &input))?;
            if fmt == Format::Table {
                println!(
                    "已计划活动 {}（{}，{} 个名额）。",
                    v.activity.id, v.activity.title, v.activity.seats
                );
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        ActivityCmd::List => return output::list(fmt, &app.activities(p)?),
        ActivityCmd::Show { id } => return output::activity(fmt, &app.activity_view(p, id)?),
        ActivityCmd::Prepare { id, public } => (
            id,
            A::Prepare {
                public_source: public.public_source.clone(),
                published_on: public.published_on.clone(),
                secret_seed_reason: public.secret_seed_reason.clone(),
            },
        ),
        ActivityCmd::Draw { id, revealed } => {
            (id, A::Draw { seed: revealed.seed.clone(), public_value: revealed.public_value.clone() })
        }
        ActivityCmd::Hold { id, attended } => (id, A::Hold { attended: attended.clone() }),
        ActivityCmd::Feedback { id, deputy, text } => {
            (id, A::Feedback { deputy: deputy.clone(), text: text_arg(text)? })
        }
        ActivityCmd::Cancel { id, why } => (id, A::Cancel { reason: why.clone() }),
        ActivityCmd::Answer { id, deputy, answer, reason, note } => {
            let input = liaison_app::ActivityAnswerInput {
                answer: answer.clone(),
                reason: reason.clone(),
                deputy: deputy.clone(),
                note: note.clone(),
            };
            let v = rt.block_on(app.answer_activity(p, id, None, &input))?;
            if fmt == Format::Table {
                let who = liaison_app::shown(&v.people, deputy.trim());
                let free = v.activity.free_seats();
                let word = liaison_core::ids::DeputyId::parse(deputy)
                    .ok()
                    .and_then(|d| v.activity.answer_of(d))
                    .map_or("", |r| r.answer.zh());
                println!("已记录 {who} 对活动 {} 的答复：{word}（空缺席位 {free} 个）。", v.activity.title);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        ActivityCmd::ApproveReplan { id, why } => (id, A::ApproveReplan { reason: why.clone() }),
    };
    let prepared = matches!(action, A::Prepare { .. });
    let v = rt.block_on(app.activity_action(p, id, None, action))?;
    if fmt == Format::Table {
        if prepared {
            print_prepared(v.activity.draw.as_ref(), v.seed.as_deref());
            return Ok(());
        }
        let names: Vec<String> =
            v.activity.participants.iter().map(|d| liaison_app::shown(&v.people, &d.to_string())).collect();
        if names.is_empty() {
            println!("活动 {}：{}", v.activity.title, v.activity.status.zh());
        } else {
            println!("活动 {}：{}；参加人员 {}", v.activity.title, v.activity.status.zh(), names.join("、"));
        }
        return Ok(());
    }
    output::object(fmt, &v)
}
