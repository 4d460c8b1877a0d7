//! Suggestions (R1), improvement measures (P1.3) and the deliberation of the work report at the command
//! line.

use liaison_app::{App, AppError, Principal};

use crate::args::*;
use crate::input::{text_arg, year_range};
use crate::output::{self, Format};

pub(crate) fn suggestion(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &SuggestionCmd,
) -> anyhow::Result<()> {
    use liaison_app::SuggestionAction as A;
    let (t, action) = match cmd {
        SuggestionCmd::File { title, content, source, received_on, deputies } => {
            let input = liaison_app::SuggestionInput {
                title: title.clone(),
                content: text_arg(content)?,
                source: source.clone(),
                received_on: received_on.clone(),
                deputies: deputies.clone(),
            };
            let v = rt.block_on(app.file_suggestion(p, &input, None))?;
            if fmt == Format::Table {
                println!(
                    "已登记建议 {}（id {}，版本 {}）。",
                    v.suggestion.number.map(|n| n.to_string()).unwrap_or_default(),
                    v.suggestion.id,
                    v.suggestion.version
                );
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        SuggestionCmd::List { status, department, handler, deputy, from, to, limit, cursor } => {
            let f = liaison_app::SuggestionFilter {
                status: status.clone(),
                department: department.clone(),
                handler: handler.clone(),
                deputy: deputy.clone(),
                from: from.clone(),
                to: to.clone(),
                overdue: None,
            };
            let page = app.suggestions(p, &f, cursor.as_deref(), *limit)?;
            output::list(fmt, &page.items)?;
            if let Some(c) = page.next_cursor
                && fmt == Format::Table
            {
                eprintln!("下一页：--cursor {c}");
            }
            return Ok(());
        }
        SuggestionCmd::Show { suggestion } => {
            return output::suggestion(fmt, &app.suggestion(p, suggestion)?);
        }
        SuggestionCmd::History { suggestion } => {
            return output::list(fmt, &app.suggestion_history(p, suggestion)?);
        }
        SuggestionCmd::Links { suggestion, reason } => {
            // Issue 17: the links go to each deputy in their own message; staff never see one.
            let sent = rt.block_on(app.resend_feedback_links(p, suggestion, reason.clone()))?;
            if fmt == Format::Table {
                eprintln!("已重新发送评价链接（经短信或电子邮件直接发给代表本人，工作人员不可见）：");
                for r in &sent {
                    println!(
                        "{}	{}",
                        r.name,
                        if r.queued { "已排队发送" } else { "未发送（答复消息已关闭）" }
                    );
                }
                return Ok(());
            }
            return output::object(fmt, &sent);
        }
        SuggestionCmd::Publication { suggestion } => {
            return output::object(fmt, &rt.block_on(app.publication(p, suggestion))?);
        }
        SuggestionCmd::Publications => return output::list(fmt, &app.publications(p)?),
        SuggestionCmd::BodyLinks { suggestion, reason } => {
            let q = rt.block_on(app.send_body_links(p, suggestion, reason.clone()))?;
            if fmt == Format::Table {
                println!(
                    "已为公开范围内尚未评议的 {} 位代表中的 {} 位排入发送队列：短信 {}，电子邮件 {}，仅站内消息 {}。\
                     评议链接由发送程序在发出时生成，只发给代表本人，此处不显示。",
                    q.audience, q.queued, q.sms, q.email, q.inbox_only
                );
                return Ok(());
            }
            return output::object(fmt, &q);
        }
        SuggestionCmd::Publish { t, scope, values } => {
            let a = A::Publish { scope: scope.clone(), values: values.clone() };
            let v =
                rt.block_on(app.suggestion_action(p, &t.suggestion, t.expect_version, a, t.reason.clone()))?;
            return output::suggestion(fmt, &v);
        }
        SuggestionCmd::Anonymity { t, deputy, anonymous } => {
            let a = A::Anonymity { deputy: deputy.clone(), anonymous: *anonymous };
            let v =
                rt.block_on(app.suggestion_action(p, &t.suggestion, t.expect_version, a, t.reason.clone()))?;
            return output::suggestion(fmt, &v);
        }
        SuggestionCmd::Due { department, handler, overdue } => {
            return output::list(fmt, &app.due_list(p, department.as_deref(), handler.as_deref(), *overdue)?);
        }
        SuggestionCmd::Figures { from, to, by } => {
            let (from, to) = year_range(app, from.as_deref(), to.as_deref())?;
            let by = liaison_core::suggestion::GroupBy::parse(by)
                .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new("by", &e)]))?;
            return output::figures(fmt, &app.suggestion_figures(p, from, to, by)?);
        }
        SuggestionCmd::Policy(PolicyCmd::Show) => {
            return output::object(fmt, &app.suggestion_policy(p)?);
        }
        SuggestionCmd::Policy(PolicyCmd::Set {
            answer,
            extension_max,
            rehandling,
            feedback,
            return_window,
            co_handler,
            progress_interval,
            due_soon_days,
            assign_within,
            appointment_acknowledge,
            appointment_meet,
            escalation,
            satisfaction,
            body_counts,
            reason,
        }) => {
            let input = liaison_app::PolicyInput {
                answer: answer.clone(),
                extension_max: extension_max.clone(),
                rehandling: rehandling.clone(),
                feedback: feedback.clone(),
                return_window: return_window.clone(),
                co_handler: co_handler.clone(),
                progress_interval: progress_interval.clone(),
                due_soon_days: *due_soon_days,
                assign_within: assign_within.clone(),
                appointment_acknowledge: appointment_acknowledge.clone(),
                appointment_meet: appointment_meet.clone(),
                escalation: escalation.clone(),
                body_counts: *body_counts,
                satisfaction: satisfaction.clone(),
            };
            let (policy, _) = rt.block_on(app.set_suggestion_policy(p, &input, None, reason.clone()))?;
            return output::object(fmt, &policy);
        }
        SuggestionCmd::Assign { t, lead, co_handlers, handler } => {
            (t, A::Assign { lead: lead.clone(), co_handlers: co_handlers.clone(), handler: handler.clone() })
        }
        SuggestionCmd::Reassign { t, lead, co_handlers, handler, why } => (
            t,
            A::Reassign {
                lead: lead.clone(),
                co_handlers: co_handlers.clone(),
                handler: handler.clone(),
                reason: why.clone(),
            },
        ),
        SuggestionCmd::RequestExtension { t, until, why } => {
            (t, A::RequestExtension { until: until.clone(), reason: why.clone() })
        }
        SuggestionCmd::DeclineExtension { t, why } => (t, A::DeclineExtension { reason: why.clone() }),
        SuggestionCmd::RerouteOutcome { t, outcome } => {
            (t, A::RerouteOutcome { outcome: text_arg(outcome)? })
        }
        SuggestionCmd::RerouteTold { t, notice } => (t, A::RerouteTold { notice: text_arg(notice)? }),
        SuggestionCmd::Return { t, why } => (t, A::Return { reason: why.clone() }),
        SuggestionCmd::Start { t } => (t, A::Start {}),
        SuggestionCmd::Contact { t, phase, means, summary, deputies } => (
            t,
            A::Contact {
                phase: phase.clone(),
                means: means.clone(),
                deputies: deputies.clone(),
                summary: text_arg(summary)?,
            },
        ),
        SuggestionCmd::Notify { t, text } => (t, A::Notify { text: text_arg(text)? }),
        SuggestionCmd::CoOpinion { t, department, text } => {
            (t, A::CoOpinion { department: department.clone(), text: text_arg(text)? })
        }
        SuggestionCmd::CoOverdue { t, department } => (t, A::CoOverdue { department: department.clone() }),
        SuggestionCmd::Extend { t, until, why } => {
            (t, A::Extend { until: until.clone(), reason: why.clone() })
        }
        SuggestionCmd::Answer { t, class, text, promised_on } => {
            (t, A::Answer { class: class.clone(), text: text_arg(text)?, promised_on: promised_on.clone() })
        }
        SuggestionCmd::Rate { t, rating, comment, deputy, form_ref } => (
            t,
            A::Rate {
                rating: rating.clone(),
                comment: comment.clone(),
                deputy: deputy.clone(),
                form_ref: form_ref.clone(),
            },
        ),
        SuggestionCmd::Lapse { t } => (t, A::Lapse {}),
        SuggestionCmd::Escalation { t, means, note } => {
            (t, A::Escalation { means: means.clone(), note: text_arg(note)? })
        }
        SuggestionCmd::Solved { t, text } => (t, A::Solved { text: text_arg(text)? }),
        SuggestionCmd::Merge { t, into } => (t, A::Merge { into: into.clone() }),
        SuggestionCmd::Withdraw { t, deputy, why } => {
            (t, A::Withdraw { deputy: deputy.clone(), reason: why.clone() })
        }
        SuggestionCmd::Reroute { t, ground, notice } => {
            (t, A::Reroute { ground: ground.clone(), notice: text_arg(notice)? })
        }
        SuggestionCmd::Transfer { t, to, why, notice } => {
            (t, A::Transfer { to: to.clone(), reason: why.clone(), notice: text_arg(notice)? })
        }
        SuggestionCmd::Panel { t, deputies } => (t, A::Panel { deputies: deputies.clone() }),
    };
    let v =
        rt.block_on(app.suggestion_action(p, &t.suggestion, t.expect_version, action, t.reason.clone()))?;
    output::suggestion(fmt, &v)
}

pub(crate) fn deliberation(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &DeliberationCmd,
) -> anyhow::Result<()> {
    use liaison_app::DeliberationAction as D;
    let (id, action) = match cmd {
        DeliberationCmd::Open { session, opens_on } => {
            let input =
                liaison_app::DeliberationInput { session: session.clone(), opens_on: opens_on.clone() };
            let v = rt.block_on(app.open_deliberation(p, &input))?;
            if fmt == Format::Table {
                println!("已建立列席审议记录 {}（{}）。", v.deliberation.id, v.deliberation.session);
                return Ok(());
            }
            return output::object(fmt, &v);
        }
        DeliberationCmd::List => {
            let all = app.deliberations(p)?;
            return output::object(fmt, &all);
        }
        DeliberationCmd::Show { id } => return output::deliberation(fmt, &app.deliberation(p, id)?),
        DeliberationCmd::Attend { id, group, on, staff } => {
            (id, D::Attend { group: group.clone(), on: on.clone(), staff: staff.clone() })
        }
        DeliberationCmd::Opinion { id, group, deputy, text } => {
            (id, D::Opinion { group: group.clone(), deputy: deputy.clone(), text: text_arg(text)? })
        }
        DeliberationCmd::Route { id, n, to, owner, deadline, title } => (
            id,
            D::Route {
                n: *n,
                to: to.clone(),
                owner: owner.clone(),
                deadline: deadline.clone(),
                title: title.clone(),
            },
        ),
        DeliberationCmd::Tell { id, n, text } => (id, D::Tell { n: *n, text: text_arg(text)? }),
        DeliberationCmd::Close { id } => (id, D::Close {}),
    };
    output::deliberation(fmt, &rt.block_on(app.deliberation_action(p, id, None, action))?)
}

pub(crate) fn measure(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &MeasureCmd,
) -> anyhow::Result<()> {
    use liaison_app::MeasureAction as M;
    let (id, action) = match cmd {
        MeasureCmd::Open { title, description, owner, deadline, suggestion, opinion, deputies } => {
            let input = liaison_app::MeasureInput {
                title: title.clone(),
                description: text_arg(description)?,
                owner: owner.clone(),
                deadline: deadline.clone(),
                suggestion: suggestion.clone(),
                opinion: opinion.clone(),
                deputies: deputies.clone(),
            };
            return output::object(fmt, &rt.block_on(app.open_measure(p, &input))?);
        }
        MeasureCmd::List { department, status } => {
            return output::list(fmt, &app.measures(p, department.as_deref(), status.as_deref())?);
        }
        MeasureCmd::Show { id } => return output::object(fmt, &app.measure(p, id)?),
        MeasureCmd::Progress { id, text } => (id, M::Progress { text: text_arg(text)? }),
        MeasureCmd::Complete { id, text } => (id, M::Complete { text: text_arg(text)? }),
        MeasureCmd::Report { id, text } => (id, M::ReportBack { text: text_arg(text)? }),
    };
    output::object(fmt, &rt.block_on(app.measure_action(p, id, None, action))?)
}
