//! 重大事项通报 (R2) on the pages (issue 16, item 4): the year's notices with their tallies; a draft form
//! (audience: everyone, levels, regions or delegations; channel); a notice's page with its text, approval
//! and — once sent — the delivery and acknowledgement table of every recipient by name, level and region.
//! The office drafts, records deliveries and acknowledgements and sends once a leader has approved; the
//! leader approves after proving a factor again. Each is `App::draft_notice` / `App::notice_action`, the
//! API's use cases under the same permissions, with the notice's version (a stale page is refused).

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, ErrorKind, NoticeAction, NoticeInput, NoticeView, Principal};
use liaison_core::access::Action;
use liaison_core::dates::china_year;
use liaison_core::login::LoginError;
use liaison_core::notice::{NoticeAudience, NoticeStatus};
use serde::Deserialize;

use super::{Chrome, Cookies, failed, reauth_to, render, see_other, staff, staff_post};
use crate::AppState;

const SCOPES: &[(&str, &str)] =
    &[("all", "全体代表"), ("level", "按代表级别"), ("region", "按区域"), ("delegation", "按代表团")];
const CHANNELS: &[(&str, &str)] =
    &[("letter", "书面"), ("sms", "短信"), ("meeting", "会议"), ("email", "电子邮件")];

/// A notice in the list.
pub(crate) struct Item {
    id: String,
    title: String,
    status: String,
    channel: String,
    audience: String,
    when: String,
    tally: String,
}

fn audience_zh(a: &NoticeAudience) -> String {
    match a {
        NoticeAudience::Register { audience } => audience.zh(),
        NoticeAudience::Chosen { deputies } => format!("指定的 {} 位代表", deputies.len()),
    }
}

fn item(v: &NoticeView) -> Item {
    let n = &v.notice;
    let when = match n.sent_on {
        Some(d) => format!("{} 通报", super::day(d)),
        None => format!("{} 草拟", super::day(n.drafted_on)),
    };
    let tally = if n.status == NoticeStatus::Sent {
        format!("{} 人 · 送达 {} · 未送达 {} · 回执 {}", v.recipients, v.delivered, v.failed, v.acknowledged)
    } else {
        String::new()
    };
    Item {
        id: n.id.to_string(),
        title: n.title.to_string(),
        status: v.status_zh.clone(),
        channel: n.channel.zh().to_owned(),
        audience: audience_zh(&n.audience),
        when,
        tally,
    }
}

#[derive(Template)]
#[template(path = "staff/notices.html")]
struct ListPage {
    chrome: Chrome,
    year: i32,
    items: Vec<Item>,
    drafts: bool,
    scopes: &'static [(&'static str, &'static str)],
    channels: &'static [(&'static str, &'static str)],
    form: DraftForm,
    error: Option<String>,
}

/// The draft form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    scope: String,
    /// Levels, regions or delegations, separated by commas or 、.
    #[serde(default)]
    values: String,
    #[serde(default)]
    channel: String,
}

/// The list's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    year: i32,
    form: DraftForm,
    error: Option<String>,
) -> Response {
    let who = p.clone();
    let notices = match crate::blocking(s, move |app| app.notices(&who, Some(year))).await {
        Ok(n) => n,
        Err(e) => return failed(&e),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ListPage {
        chrome,
        year,
        items: notices.iter().map(item).collect(),
        drafts: p.may(Action::ManageNotices),
        scopes: SCOPES,
        channels: CHANNELS,
        form,
        error,
    };
    render(status, &page)
}

/// `GET /notices?year=`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let year = q.year.unwrap_or_else(|| china_year(s.app.now()));
    let chrome = Chrome::of(&session, "notices");
    list_page(
        &s,
        chrome,
        &session.principal,
        year,
        DraftForm { scope: "all".into(), ..DraftForm::default() },
        None,
    )
    .await
}

/// `POST /notices`: a new draft; its page next, or the form again with the refusal.
pub(crate) async fn draft(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<DraftForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let input = NoticeInput {
        title: f.title.clone(),
        content: f.content.clone(),
        scope: f.scope.clone(),
        values: f
            .values
            .split([',', '，', '、'])
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect(),
        deputies: Vec::new(),
        channel: f.channel.clone(),
    };
    match s.app.draft_notice(&session.principal, &input).await {
        Ok(v) => see_other(&format!("/notices/{}", v.notice.id)),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Forbidden | ErrorKind::NotFound) => {
            let chrome = Chrome::of(&session, "notices");
            let year = china_year(s.app.now());
            list_page(&s, chrome, &session.principal, year, f, Some(field_errors(&e))).await
        }
        Err(e) => failed(&e),
    }
}

/// A refusal as a sentence, naming the form's fields in Chinese.
fn field_errors(e: &AppError) -> String {
    let name = |f: &str| match f {
        "title" => "标题",
        "content" => "内容",
        "scope" => "通报范围",
        "values" => "范围取值",
        "channel" => "通报方式",
        "deputy" => "代表",
        "note" => "说明",
        _ => "",
    };
    super::refusal_text(e, name)
}

/// One recipient in the table.
pub(crate) struct Recipient {
    deputy: String,
    who: String,
    delivered: &'static str,
    note: String,
    acknowledged: String,
    response: String,
    /// The outbox's messages to the deputy about the notice (issue 17 item 2).
    messages: Vec<liaison_app::NoticeMessage>,
}

#[derive(Template)]
#[template(path = "staff/notice_page.html")]
struct NoticePage {
    chrome: Chrome,
    id: String,
    version: u64,
    title: String,
    content: String,
    status: String,
    code: &'static str,
    channel: String,
    audience: String,
    drafted: String,
    approved: Option<String>,
    sent: Option<String>,
    tally: String,
    /// Recipients reached (recorded, or a message sent or delivered) and not (recorded, or every message
    /// failed).
    reached: (usize, usize),
    recipients: Vec<Recipient>,
    manages: bool,
    approves: bool,
    error: Option<String>,
}

async fn notice_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    error: Option<String>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let v = match crate::blocking(s, move |app| app.notice(&who, &key)).await {
        Ok(v) => v,
        Err(e) => return failed(&e),
    };
    let n = &v.notice;
    let recipients = n
        .recipients
        .iter()
        .map(|(d, r)| {
            let messages: Vec<liaison_app::NoticeMessage> = v
                .deliveries
                .iter()
                .find(|x| x.deputy == d.to_string())
                .map(|x| x.messages.clone())
                .unwrap_or_default();
            Recipient {
                deputy: d.to_string(),
                who: v
                    .people
                    .get(&d.to_string())
                    .map_or_else(|| "（已不在名册）".to_owned(), |l| l.display()),
                // What the office recorded by hand, else what the outbox says (issue 17 item 2).
                delivered: match (r.delivered, reached(&messages)) {
                    (Some(true), _) => "已送达",
                    (Some(false), _) => "未送达",
                    (None, Some(true)) => "已发出",
                    (None, Some(false)) => "发送失败",
                    (None, None) => "待确认",
                },
                note: r.note.as_ref().map(ToString::to_string).unwrap_or_default(),
                acknowledged: r.acknowledged_on.map(super::day).unwrap_or_default(),
                response: r.response.as_ref().map(|(t, _)| t.to_string()).unwrap_or_default(),
                messages,
            }
        })
        .collect::<Vec<_>>();
    let sent = recipients.iter().filter(|r| r.delivered == "已发出" || r.delivered == "已送达").count();
    let failed = recipients.iter().filter(|r| r.delivered == "发送失败" || r.delivered == "未送达").count();
    let page = NoticePage {
        chrome,
        id: n.id.to_string(),
        version: n.version,
        title: n.title.to_string(),
        content: n.content.to_string(),
        status: v.status_zh.clone(),
        code: n.status.code(),
        channel: n.channel.zh().to_owned(),
        audience: audience_zh(&n.audience),
        drafted: super::day(n.drafted_on),
        approved: n.approved.as_ref().map(|(by, d)| format!("{} 于 {}", by.name, super::day(*d))),
        sent: n.sent_on.map(super::day),
        tally: item(&v).tally,
        reached: (sent, failed),
        recipients,
        manages: p.may(Action::ManageNotices),
        approves: p.may(Action::ApproveLiaison),
        error: error.clone(),
    };
    render(if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, &page)
}

/// `GET /notices/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    notice_page(&s, Chrome::of(&session, "notices"), &session.principal, &id, None).await
}

/// An action on a notice.
#[derive(Debug, Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    deputy: String,
    #[serde(default)]
    delivered: String,
    #[serde(default)]
    note: String,
}

/// `POST /notices/{id}`: approve (a leader, after re-authentication), send, or record a recipient's
/// delivery or acknowledgement (the office).
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let back = format!("/notices/{id}");
    if f.version.is_none() {
        let chrome = Chrome::of(&session, "notices");
        let e = "页面缺少通报的版本号，请刷新页面后再操作。".to_owned();
        return notice_page(&s, chrome, &session.principal, &id, Some(e)).await;
    }
    let action = match f.action.as_str() {
        "approve" => {
            match s.app.require_recent_auth(&session) {
                Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to(&back),
                Err(e) => return failed(&e),
                Ok(()) => {}
            }
            NoticeAction::Approve {}
        }
        "send" => NoticeAction::Send {},
        "delivery" => NoticeAction::Delivery {
            deputy: f.deputy.clone(),
            delivered: f.delivered == "yes",
            note: Some(f.note.clone()).filter(|n| !n.trim().is_empty()),
        },
        "acknowledge" => NoticeAction::Acknowledge { deputy: Some(f.deputy.clone()) },
        _ => {
            let chrome = Chrome::of(&session, "notices");
            return notice_page(&s, chrome, &session.principal, &id, Some("不支持的操作。".into())).await;
        }
    };
    match s.app.notice_action(&session.principal, &id, f.version, action).await {
        Ok(_) => see_other(&back),
        Err(e)
            if matches!(e.kind(), ErrorKind::Internal | ErrorKind::Unavailable | ErrorKind::StorageFull) =>
        {
            failed(&e)
        }
        Err(e) => {
            let msg = match e.kind() {
                ErrorKind::Forbidden => {
                    "您的角色不能进行此操作（通报由联络室草拟、发送，由院领导审批）。".to_owned()
                }
                ErrorKind::Stale => "这份通报刚被其他人修改过，请查看最新内容后再操作。".to_owned(),
                _ => field_errors(&e),
            };
            let chrome = Chrome::of(&session, "notices");
            notice_page(&s, chrome, &session.principal, &id, Some(msg)).await
        }
    }
}

/// Whether the outbox reached the deputy: some message sent or delivered (true), every message failed
/// (false), or nothing known yet (none: no message, or still queued).
fn reached(messages: &[liaison_app::NoticeMessage]) -> Option<bool> {
    if messages.iter().any(|m| m.state == "sent" || m.state == "delivered") {
        Some(true)
    } else if !messages.is_empty() && messages.iter().all(|m| m.state == "failed") {
        Some(false)
    } else {
        None
    }
}
