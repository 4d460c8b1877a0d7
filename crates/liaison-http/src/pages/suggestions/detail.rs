//! 一件建议: `GET /suggestions/{key}` — its text, the co-signers by name with each one's rating, the
//! assignment, contacts, answers, deadlines and history (`suggestion`, `suggestion_history`), and the
//! actions the session's role may take now, each a small POST form with the CSRF token and the version
//! seen (`act`). What a role may do, and when, the app decides; the page only leaves out the forms that
//! cannot apply, and draws the answer form locked — with the sentence why — until a contact of this round
//! is logged (`Suggestion::contacted_this_round`, the core's own test).

mod act;
mod more;

pub(crate) use act::act;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::login::StaffSession;
use liaison_app::views::HistoryEntry;
use liaison_app::{ANSWER_TEMPLATES, AnswerTemplate, AppError, ErrorKind, Handler, SuggestionView};
use liaison_core::access::{Action, Role};
use liaison_core::suggestion::{
    AnswerClass, ContactMeans, ContactPhase, RatingChannel, Suggestion, SuggestionStatus,
};

use super::{FormData, day, department_names, handlers_of, refusal_zh, today};
use crate::AppState;
use crate::pages::{Chrome, Cookies, failed, i18n, render, staff};

/// A co-signer and where their rating stands.
pub(crate) struct Proposer {
    label: String,
    rating: String,
    rated: bool,
}

/// A co-handler and its opinion.
pub(crate) struct CoRow {
    name: String,
    state: String,
}

/// One line of the record (a contact, an answer, an extension …).
pub(crate) struct Line {
    when: String,
    what: String,
    text: String,
}

/// One entry of the history.
pub(crate) struct HistoryRow {
    at: String,
    actor: String,
    what: String,
    detail: String,
}

/// What the forms were filled with when a POST was refused (shown again, not lost).
#[derive(Default)]
pub(crate) struct Draft {
    pub(crate) action: String,
    pub(crate) class: String,
    pub(crate) text: String,
    pub(crate) promised_on: String,
    pub(crate) until: String,
    pub(crate) reason: String,
    pub(crate) summary: String,
    pub(crate) deputy: String,
    pub(crate) form_ref: String,
    pub(crate) values: String,
    /// The procuratorate chosen for a transfer.
    pub(crate) to: String,
}

/// Which forms the page shows.
#[derive(Default)]
pub(crate) struct Forms {
    assign: bool,
    reassign: bool,
    contact: bool,
    contact_phases: Vec<(&'static str, &'static str)>,
    answer: bool,
    /// Why the answer form is locked, when it is.
    answer_locked: Option<String>,
    co_opinion: Option<String>,
    request_extension: bool,
    decide_extension: bool,
    return_: bool,
    merge: bool,
    /// The forms beside the handling itself (`more`).
    more: more::More,
}

impl Forms {
    fn any(&self) -> bool {
        self.assign
            || self.reassign
            || self.contact
            || self.answer
            || self.co_opinion.is_some()
            || self.request_extension
            || self.decide_extension
            || self.return_
            || self.merge
            || self.more.any()
    }
}

/// One message of the suggestion as its delivery shows (issue 17): never its text.
pub(crate) struct DeliveryRow {
    at: String,
    kind: String,
    channel: &'static str,
    to: String,
    state: String,
    reason: String,
}

fn delivery_rows(list: Vec<liaison_app::MessageView>) -> Vec<DeliveryRow> {
    list.into_iter()
        .map(|m| DeliveryRow {
            at: at_zh(&m.created_at.to_rfc3339()),
            kind: liaison_core::message::MessageKind::parse(&m.kind)
                .map_or(m.kind.clone(), |k| k.zh().into()),
            channel: match m.channel.as_str() {
                "email" => "电子邮件",
                "sms" => "短信",
                _ => "站内消息",
            },
            to: m
                .recipient_name
                .unwrap_or_else(|| if m.recipient_kind == "deputy" { "代表".into() } else { "账户".into() }),
            state: m.state_zh,
            reason: m.last_error.unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/suggestion.html")]
pub(crate) struct SuggestionPage {
    chrome: Chrome,
    path: String,
    version: u64,
    number: String,
    title: String,
    content: String,
    status_zh: String,
    source_zh: String,
    received: String,
    proposers: Vec<Proposer>,
    withdrawn: Vec<String>,
    lead: String,
    handler: String,
    co: Vec<CoRow>,
    deadline: String,
    basis: String,
    obligations: Vec<Line>,
    contacts: Vec<Line>,
    answers: Vec<Line>,
    pending_extension: Option<Line>,
    /// The extension asked for, to prefill the leader's approval (`YYYY-MM-DD`, the reason).
    ext_until: String,
    ext_reason: String,
    extensions: Vec<Line>,
    /// Progress notices, follow-up, leadership's record, reroute, publications.
    others: Vec<Line>,
    history: Vec<HistoryRow>,
    /// The messages it caused and their delivery (the office's, who manage delivery).
    deliveries: Vec<DeliveryRow>,
    forms: Forms,
    departments: Vec<String>,
    handlers: Vec<Handler>,
    means: Vec<(&'static str, &'static str)>,
    classes: Vec<&'static str>,
    templates: &'static [AnswerTemplate],
    choices: more::Choices,
    template: String,
    draft: Draft,
    done: Option<&'static str>,
    error: Option<String>,
}

/// What a successful action says on the page it returns to.
fn done_zh(action: &str) -> Option<&'static str> {
    Some(match action {
        "filed" => "建议已登记。",
        "assign" => "已交办。",
        "reassign" => "已改派。",
        "contact" => "沟通已记录。",
        "answer" => "答复已提交，已送达全体联名代表。",
        "co_opinion" => "协办意见已提交。",
        "request_extension" => "延期申请已提交，等待院领导审批。",
        "extend" => "已批准延期。",
        "decline_extension" => "已驳回延期申请。",
        "return" => "已退回联络室。",
        "merge" => "已并案。",
        "transfer" => "已转办，已告知全体联名代表；本院不再办理，可在本页查看承办院的办理情况。",
        "notify" => "进展情况已告知全体联名代表。",
        "co_overdue" => "已记录协办意见逾期。",
        "rate" => "纸质征询意见表的评价已录入。",
        "lapse" => "已记录反馈期届满，本轮按已收到的评价作出结论。",
        "escalation" => "领导督办情况已记录，本件办结。",
        "solved" => "已记录落实情况，并告知全体联名代表。",
        "publish" => "答复已向代表公开。",
        "reroute" => "已转信访渠道办理，并告知代表。",
        "reroute_outcome" => "信访办理结果已记录。",
        "reroute_told" => "信访办理结果已告知代表。",
        "withdraw" => "已记录代表撤回联名。",
        _ => return None,
    })
}

/// The event kinds of a suggestion's history, in words.
const EVENTS: &[(&str, &str)] = &[
    ("suggestion.absorbed", "并入建议"),
    ("suggestion.anonymity_set", "代表匿名设定"),
    ("suggestion.answered", "答复"),
    ("suggestion.assigned", "交办"),
    ("suggestion.body_rated", "代表评议"),
    ("suggestion.closed", "办结"),
    ("suggestion.co_handler_overdue", "协办意见逾期"),
    ("suggestion.co_opinion_given", "协办意见"),
    ("suggestion.contact_logged", "沟通记录"),
    ("suggestion.deadline_recomputed", "期限重算"),
    ("suggestion.escalated", "提请领导督办"),
    ("suggestion.escalation_recorded", "领导督办记录"),
    ("suggestion.extended", "批准延期"),
    ("suggestion.extension_declined", "驳回延期申请"),
    ("suggestion.extension_requested", "申请延期"),
    ("suggestion.feedback_links_issued", "发出评价链接"),
    ("suggestion.feedback_links_resent", "重新发送评价链接"),
    ("suggestion.feedback_link_sent", "评价链接随消息发出"),
    ("suggestion.handling_started", "开始办理"),
    ("suggestion.measure_linked", "关联整改措施"),
    ("suggestion.merged", "并案"),
    ("suggestion.panel_set", "评议代表设定"),
    ("suggestion.progress_notified", "进展通报"),
    ("suggestion.published", "公开答复"),
    ("suggestion.rated", "代表评价"),
    ("suggestion.reassigned", "改派"),
    ("suggestion.received", "收到建议"),
    ("suggestion.registered", "登记编号"),
    ("suggestion.rehandling_began", "再次办理"),
    ("suggestion.reroute_outcome_recorded", "信访办理结果记录"),
    ("suggestion.reroute_outcome_told", "信访结果告知代表"),
    ("suggestion.rerouted", "转信访"),
    ("suggestion.returned", "退办"),
    ("suggestion.round_decided", "本轮评价结论"),
    ("suggestion.signature_withdrawn", "撤回联名"),
    ("suggestion.solved", "后续解决"),
    ("suggestion.transfer_received", "接收转办"),
    ("suggestion.transferred", "转办其他检察院"),
    ("suggestion.viewed", "代表阅读公开答复"),
    ("suggestion.withdrawn", "撤回建议"),
];

/// Whether a record's kind is one of the suggestion's own steps (not another record about it, such as the
/// links issued to the deputies rating a published answer as a body: the portal leaves those out).
pub(crate) fn is_step(kind: &str) -> bool {
    EVENTS.iter().any(|(k, _)| *k == kind)
}

pub(crate) fn event_zh(kind: &str) -> String {
    EVENTS.iter().find(|(k, _)| *k == kind).map_or_else(|| "其他记录".to_owned(), |(_, zh)| (*zh).to_owned())
}

/// An RFC 3339 instant as China time, to the minute.
pub(crate) fn at_zh(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at).map_or_else(
        |_| at.chars().take(16).collect(),
        |t| liaison_core::dates::china_time(t.to_utc()).format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn channel_zh(c: &RatingChannel) -> &'static str {
    match c {
        RatingChannel::OwnAccount => "本人账号",
        RatingChannel::FeedbackLink { .. } => "反馈链接",
        RatingChannel::PaperForm { .. } => "纸质征询意见表",
    }
}

/// Everything the page reads: the view, the history, and the co-signers' labels (name, level, region).
pub(crate) struct Read {
    view: SuggestionView,
    history: Vec<HistoryEntry>,
    labels: Vec<String>,
    deliveries: Vec<liaison_app::MessageView>,
}

/// Read the suggestion `key` as `session` may see it.
pub(crate) async fn read(s: &AppState, session: &StaffSession, key: &str) -> Result<Read, AppError> {
    let (p, key) = (session.principal.clone(), key.to_owned());
    crate::blocking(s, move |app| {
        let view = app.suggestion(&p, &key)?;
        let history = app.suggestion_history(&p, &key)?;
        let labels = view
            .suggestion
            .proposers
            .iter()
            .map(|x| match app.deputy(&p, x.deputy) {
                Ok(d) => i18n::aside(&d.name, &[&i18n::text(&d.level_zh), &d.region]),
                Err(_) => i18n::aside(&x.name.to_string(), &[&i18n::text(x.level.zh())]),
            })
            .collect();
        // The delivery of its messages, to those who manage delivery (the office).
        let deliveries = if p.may(liaison_core::access::Action::ManageDelivery) {
            let item = format!("suggestion:{}", view.suggestion.id);
            app.messages(&p, &liaison_app::MessageFilter { item: Some(item), ..Default::default() })?
        } else {
            Vec::new()
        };
        Ok(Read { view, history, labels, deliveries })
    })
    .await
}

/// The forms `session` may use on `s` now.
fn forms(session: &StaffSession, s: &Suggestion, today: chrono::NaiveDate) -> Forms {
    use SuggestionStatus as S;
    let p = &session.principal;
    let lead = s.assignment.as_ref().map(|a| a.lead.id);
    let handles = p.may(Action::HandleSuggestion)
        && (p.roles.contains(&Role::Office) || (p.department.is_some() && p.department == lead));
    let open = matches!(s.status, S::Assigned | S::InHandling);
    let answering = matches!(s.status, S::Assigned | S::InHandling | S::Rehandling);
    let mut contact_phases: Vec<(&'static str, &'static str)> = Vec::new();
    for ph in ContactPhase::ALL {
        let fits = match ph {
            ContactPhase::Before | ContactPhase::During => answering,
            ContactPhase::After => matches!(s.status, S::Answered | S::Rehandling | S::Escalated | S::Closed),
        };
        if fits {
            contact_phases.push((ph.code(), ph.zh()));
        }
    }
    let co_opinion = p.department.filter(|_| p.may(Action::HandleSuggestion) && open).and_then(|mine| {
        s.assignment.as_ref().and_then(|a| {
            a.co_handlers
                .iter()
                .find(|c| c.department.id == mine && c.opinion.is_none())
                .map(|c| c.department.name.to_string())
        })
    });
    let answer = handles && answering;
    Forms {
        assign: p.may(Action::AssignSuggestion) && matches!(s.status, S::Registered | S::Returned),
        reassign: p.may(Action::AssignSuggestion) && open,
        contact: handles && !contact_phases.is_empty(),
        contact_phases,
        answer,
        answer_locked: (answer && !s.contacted_this_round(today)).then(|| {
            "答复暂不可提交：本轮办理还没有记录与代表的沟通。请先在“记录沟通”中登记办前沟通（电话、走访或面谈均可），\
             记录后即可答复。"
                .to_owned()
        }),
        co_opinion,
        request_extension: handles && open && s.extension_request.is_none(),
        decide_extension: p.may(Action::ApproveSuggestion) && s.extension_request.is_some(),
        return_: handles && open && p.department.is_some() && p.department == lead,
        merge: p.may(Action::FileSuggestion) && s.status.before_answer(),
        more: more::more(p, s, handles, today),
    }
}

/// The page of `read`, with what the forms held and a message.
pub(crate) fn page(
    st: &AppState,
    session: &StaffSession,
    read: Read,
    draft: Draft,
    done: Option<&'static str>,
    error: Option<String>,
) -> SuggestionPage {
    let today = today(st);
    let Read { view, history, labels, deliveries } = read;
    let s = &view.suggestion;
    let answered = s.rounds.last().and_then(|r| r.answer.as_ref().map(|a| (r, a)));
    let proposers = s
        .proposers
        .iter()
        .zip(labels)
        .map(|(x, label)| {
            let (rating, rated) = match answered {
                None if s.status == liaison_core::suggestion::SuggestionStatus::Transferred => {
                    ("已转办，由承办院答复".to_owned(), false)
                }
                None => ("尚未答复".to_owned(), false),
                Some((r, a)) => match r.ratings.get(&x.deputy) {
                    Some(rt) => (
                        i18n::aside(
                            &i18n::text(rt.rating.zh()),
                            &[&i18n::text(channel_zh(&rt.channel)), &day(rt.on)],
                        ),
                        true,
                    ),
                    None => (format!("尚未评价（反馈期至{}）", day(a.feedback_due)), false),
                },
            };
            Proposer { label, rating, rated }
        })
        .collect();
    let name_of = |d: &liaison_core::ids::DeputyId| {
        s.proposers.iter().chain(&s.withdrawn).find(|x| x.deputy == *d).map_or("代表", |x| x.name.as_str())
    };
    let contacts = s
        .contacts
        .iter()
        .map(|c| Line {
            when: day(c.on),
            what: format!(
                "第{}轮 · {} · {} · {}",
                c.round,
                c.phase.zh(),
                c.means.zh(),
                i18n::join(c.deputies.iter().map(name_of), "、")
            ),
            text: c.summary.to_string(),
        })
        .collect();
    let answers = s
        .rounds
        .iter()
        .filter_map(|r| {
            r.answer.as_ref().map(|a| Line {
                when: day(a.on),
                what: format!(
                    "第{}轮答复 · {} 类{}",
                    r.n,
                    a.class.zh(),
                    a.promised_on.map(|d| format!(" · 承诺{}前解决", day(d))).unwrap_or_default()
                ),
                text: a.text.to_string(),
            })
        })
        .collect();
    let a = s.assignment.as_ref();
    let co = a
        .map(|a| {
            a.co_handlers
                .iter()
                .map(|c| CoRow {
                    name: c.department.name.to_string(),
                    state: match (&c.opinion, c.overdue_recorded) {
                        (Some(o), _) => format!("已提交意见（{}）：{}", day(o.on), o.value),
                        (None, Some(_)) => "逾期未提交（已记录）".into(),
                        (None, None) => format!("意见期限 {}", day(c.due)),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let history = history
        .into_iter()
        .map(|e| HistoryRow {
            at: at_zh(&e.at),
            // A transferred item's history before it came here: the other procuratorate's record.
            what: match &e.procuratorate {
                Some(t) => format!("{}（{t}）", event_zh(&e.kind)),
                None => event_zh(&e.kind),
            },
            detail: [e.concerns.clone(), e.reason.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            // The trail records `姓名 (login)`; the page names the person.
            actor: match e.actor.strip_suffix(')').and_then(|a| a.rsplit_once(" (")) {
                Some((name, _)) => name.to_owned(),
                None => e.actor,
            },
        })
        .collect();
    SuggestionPage {
        chrome: Chrome::of(session, "suggestions"),
        path: super::path_of(s.number.map(|n| n.to_string()).as_deref(), s.id.0),
        version: s.version,
        number: s.number.map_or_else(|| "未编号".into(), |n| n.to_string()),
        title: s.title.to_string(),
        content: s.content.to_string(),
        status_zh: view.status_zh.clone(),
        source_zh: s.source.zh().into(),
        received: day(s.received_on),
        proposers,
        withdrawn: s.withdrawn.iter().map(|x| x.name.to_string()).collect(),
        lead: a.map(|a| a.lead.name.to_string()).unwrap_or_default(),
        handler: a.map(|a| a.handler.name.clone()).unwrap_or_default(),
        co,
        deadline: a.map(|a| day(a.deadline)).unwrap_or_default(),
        basis: view.deadline_basis.clone().unwrap_or_default(),
        obligations: view
            .obligations
            .iter()
            .map(|o| Line {
                when: day(o.due),
                what: o.kind_zh.clone(),
                text: if o.overdue { "已逾期".into() } else { String::new() },
            })
            .collect(),
        contacts,
        answers,
        pending_extension: s.extension_request.as_ref().map(|r| Line {
            when: day(r.on),
            what: format!("申请延期至{}", day(r.until)),
            text: r.reason.to_string(),
        }),
        ext_until: s.extension_request.as_ref().map(|r| r.until.to_string()).unwrap_or_default(),
        ext_reason: s.extension_request.as_ref().map(|r| r.reason.to_string()).unwrap_or_default(),
        extensions: s
            .extensions
            .iter()
            .map(|e| Line {
                when: day(e.on),
                what: format!("{}批准延期至{}", e.approved_by.name, day(e.until)),
                text: e.reason.to_string(),
            })
            .collect(),
        others: transfer_line(view.transfer.as_ref()).into_iter().chain(more::record_lines(s)).collect(),
        history,
        deliveries: delivery_rows(deliveries),
        forms: {
            let mut f = forms(session, s, today);
            if f.more.reroute {
                // The same moment as a reroute (the office, before an answer): the province's other
                // procuratorates.
                f.more.transfer = st
                    .app
                    .transfer_targets(&session.principal)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| (t.id, format!("{}（{}）", t.name, t.level_name)))
                    .collect();
            }
            f
        },
        departments: department_names(st, &session.principal),
        handlers: handlers_of(st, &session.principal),
        means: ContactMeans::ALL.iter().map(|m| (m.code(), m.zh())).collect(),
        classes: AnswerClass::ALL.iter().map(|c| c.zh()).collect(),
        templates: ANSWER_TEMPLATES,
        choices: more::Choices::default(),
        template: String::new(),
        draft,
        done,
        error,
    }
}

/// The transfer (转办) the item took part in, as a line of its record: where it went and how it stands
/// there, or where it came from.
fn transfer_line(t: Option<&liaison_app::TransferState>) -> Option<Line> {
    let t = t?;
    let (to, state) = (&t.procuratorate, t.status_zh.as_deref().unwrap_or("未知"));
    let what = match (t.direction.as_str(), t.number.as_deref()) {
        ("out", Some(n)) => format!("已转{to}办理，该院编号 {n}，目前状态：{state}"),
        ("out", None) => format!("已转{to}办理，目前状态：{state}"),
        (_, Some(n)) => format!("由{to}转来，原编号 {n}"),
        (_, None) => format!("由{to}转来"),
    };
    Some(Line { when: day(t.on), what, text: t.reason.clone() })
}

/// The answer of a refusal: the page again, the reason in its alert, the forms as they were filled.
pub(crate) async fn refused_page(
    s: &AppState,
    session: &StaffSession,
    key: &str,
    draft: Draft,
    e: &AppError,
) -> Response {
    let status = match e.kind() {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict | ErrorKind::Stale => StatusCode::CONFLICT,
        _ => return failed(e),
    };
    match read(s, session, key).await {
        Ok(r) => render(status, &page(s, session, r, draft, None, Some(refusal_zh(e)))),
        Err(e2) => not_found_or_failed(&e2),
    }
}

/// A suggestion the session cannot read: a page that says so, never the key's id.
fn not_found_or_failed(e: &AppError) -> Response {
    match e.kind() {
        ErrorKind::NotFound | ErrorKind::Forbidden | ErrorKind::Invalid => {
            let status =
                if e.kind() == ErrorKind::Forbidden { StatusCode::FORBIDDEN } else { StatusCode::NOT_FOUND };
            render(
                status,
                &crate::pages::Notice {
                    title: "无法查看",
                    message: refusal_zh(e),
                    back: "/suggestions",
                    back_text: "返回建议列表",
                },
            )
        }
        _ => failed(e),
    }
}

/// `GET /suggestions/{key}` (`?done=…` after an action; `?template=…` fills the answer with a template).
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let q = FormData::parse(raw.unwrap_or_default().as_bytes());
    let mut draft = Draft::default();
    if let Some(t) = ANSWER_TEMPLATES.iter().find(|t| t.key == q.get("template")) {
        draft.action = "answer".into();
        draft.class = t.class.into();
        draft.text = t.text.into();
    }
    match read(&s, &session, &key).await {
        Ok(r) => {
            let mut p = page(&s, &session, r, draft, done_zh(q.get("done")), None);
            p.template = q.get("template").to_owned();
            render(StatusCode::OK, &p)
        }
        Err(e) => not_found_or_failed(&e),
    }
}
