//! "提出建议": the deputy drafts a joint suggestion, invites co-signers found by name, each co-signer
//! confirms (the edition shown) or declines, and the lead submits it — filed as a suggestion. Every read
//! and change is the app's draft use cases (`App::drafts`, `draft`, `open_draft`, `draft_action`), which
//! narrow a deputy's account to the drafts it leads or was invited to; people are shown by name, level and
//! region, never by id.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::login::StaffSession;
use liaison_app::{AppError, Candidate, DraftAction, DraftInput, DraftView, ErrorKind};
use serde::Deserialize;

use super::{Portal, deputy, deputy_post, failed};
use crate::AppState;
use crate::pages::{Cookies, refusal_text, render, say, see_other};

/// A posted form: every pair, repeated keys kept (the co-signers chosen).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn of(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }
    fn get(&self, key: &str) -> String {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    fn all(&self, key: &str) -> Vec<String> {
        self.0.iter().filter(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
    }
}

/// The search of co-signers.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Search {
    #[serde(default)]
    q: String,
}

/// The words of the draft's fields, for refusals.
fn field_name(f: &str) -> &'static str {
    match f {
        "title" => "标题",
        "content" => "内容",
        "co_signers" => "联名代表",
        "edition" => "版本",
        "reason" => "理由",
        _ => "",
    }
}

/// A refusal to show on the page (`None`: a failure page instead).
fn shown(e: &AppError) -> Option<(StatusCode, String)> {
    let status = match e.kind() {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Stale => StatusCode::PRECONDITION_FAILED,
        _ => return None,
    };
    let text = if e.kind() == ErrorKind::Stale {
        "该草稿已被他人更新，请查看最新内容后重试。".to_owned()
    } else if e.field_errors().is_empty() {
        say(e)
    } else {
        refusal_text(e, field_name)
    };
    Some((status, text))
}

/// A draft in the list.
pub(crate) struct Item {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) state: String,
    pub(crate) detail: String,
}

#[derive(Template)]
#[template(path = "deputy/drafts.html")]
struct List {
    portal: Portal,
    leading: Vec<Item>,
    invited: Vec<Item>,
}

/// `GET /deputy/drafts`: the drafts I lead, and those I was invited to.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let all = match s.app.drafts(&session.principal) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let (mut leading, mut invited) = (Vec::new(), Vec::new());
    for d in all {
        if d.you_lead {
            let confirmed = d.co_signers.iter().filter(|c| c.answer == "confirmed").count();
            let detail =
                format!("{} 起草 · 邀请 {} 人，{} 人已确认", d.opened_on, d.co_signers.len(), confirmed);
            leading.push(Item { id: d.id, title: d.title, state: d.status_zh, detail });
        } else {
            let mine = d.co_signers.iter().find(|c| c.you).map(|c| c.answer_zh.clone()).unwrap_or_default();
            let detail = format!("{}（{}）领衔 · 我的答复：{}", d.lead.name, d.lead.level_zh, mine);
            invited.push(Item { id: d.id, title: d.title, state: d.status_zh, detail });
        }
    }
    render(StatusCode::OK, &List { portal: Portal::of(&session, "drafts"), leading, invited })
}

#[derive(Template)]
#[template(path = "deputy/draft_new.html")]
struct New {
    portal: Portal,
    title: String,
    content: String,
    q: String,
    /// (candidate, chosen): those chosen first, then the search's.
    candidates: Vec<(Candidate, bool)>,
    searched: bool,
    error: Option<String>,
}

fn new_page(
    s: &AppState,
    session: &StaffSession,
    f: &Fields,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let chosen = f.all("co_signers");
    let q = f.get("q").trim().to_owned();
    let found = match s.app.draft_candidates(&session.principal, &q, &chosen) {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let candidates = found
        .into_iter()
        .map(|c| {
            let on = chosen.contains(&c.id);
            (c, on)
        })
        .collect();
    let page = New {
        portal: Portal::of(session, "drafts"),
        title: f.get("title"),
        content: f.get("content"),
        searched: !q.is_empty(),
        q,
        candidates,
        error,
    };
    render(status, &page)
}

/// `GET /deputy/drafts/new?q=`: the form; `q` searches co-signers by name.
pub(crate) async fn new_form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(search): Query<Search>,
) -> Response {
    match deputy(&s, cookies, &headers).await {
        Ok((session, _)) => {
            let f = Fields(vec![("q".into(), search.q)]);
            new_page(&s, &session, &f, StatusCode::OK, None)
        }
        Err(r) => r,
    }
}

/// `POST /deputy/drafts/new`: `step=search` finds co-signers (what was typed kept); otherwise the draft is
/// opened with the co-signers chosen invited, and the draft's page follows.
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::of(&body);
    let session = match deputy_post(&s, cookies, &headers, &f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if f.get("step") == "search" {
        return new_page(&s, &session, &f, StatusCode::OK, None);
    }
    let input =
        DraftInput { title: f.get("title"), content: f.get("content"), co_signers: f.all("co_signers") };
    match s.app.open_draft(&session.principal, &input, None).await {
        Ok(v) => see_other(&format!("/deputy/drafts/{}?done=open", v.id)),
        Err(e) => match shown(&e) {
            Some((status, text)) => new_page(&s, &session, &f, status, Some(text)),
            None => failed(&e),
        },
    }
}

#[derive(Template)]
#[template(path = "deputy/draft.html")]
struct Page {
    portal: Portal,
    d: DraftView,
    /// The co-signer's own answer, when invited.
    mine: Option<String>,
    /// The lead's invite search.
    q: String,
    candidates: Vec<Candidate>,
    searched: bool,
    /// Words typed into the edit form, kept on a refusal.
    title: String,
    content: String,
    error: Option<String>,
    /// What was just done, in a sentence.
    done: Option<&'static str>,
}

impl Page {
    fn open(&self) -> bool {
        self.d.status == "open"
    }
}

#[allow(clippy::too_many_arguments)]
fn draft_page(
    s: &AppState,
    session: &StaffSession,
    id: &str,
    q: &str,
    typed: Option<(String, String)>,
    status: StatusCode,
    error: Option<String>,
    done: Option<&'static str>,
) -> Response {
    let d = match s.app.draft(&session.principal, id) {
        Ok(d) => d,
        Err(e) => return failed(&e),
    };
    let q = q.trim().to_owned();
    let candidates = if d.you_lead && d.status == "open" && !q.is_empty() {
        match s.app.draft_candidates(&session.principal, &q, &[]) {
            Ok(c) => c,
            Err(e) => return failed(&e),
        }
    } else {
        Vec::new()
    };
    let mine = d.co_signers.iter().find(|c| c.you).map(|c| c.answer.clone());
    let (title, content) = typed.unwrap_or_else(|| (d.title.clone(), d.content.clone()));
    let page = Page {
        portal: Portal::of(session, "drafts"),
        searched: !q.is_empty(),
        q,
        candidates,
        mine,
        title,
        content,
        d,
        error,
        done,
    };
    render(status, &page)
}

/// The page's query: a co-signer search (the lead), or the mark of a change just made.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    done: Option<String>,
}

/// `GET /deputy/drafts/{id}`.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pq): Query<PageQuery>,
) -> Response {
    match deputy(&s, cookies, &headers).await {
        Ok((session, _)) => {
            let done = pq.done.as_deref().and_then(done_sentence);
            draft_page(&s, &session, &id, &pq.q, None, StatusCode::OK, None, done)
        }
        Err(r) => r,
    }
}

/// The sentence of an action just done (`done` of the page's address).
fn done_sentence(action: &str) -> Option<&'static str> {
    Some(match action {
        "open" => "草稿已保存，邀请已发给所选的联名代表。",
        "invite" => "邀请已发出。",
        "edit" => "修改已保存，已确认的联名代表需重新确认。",
        "confirm" => "您已确认联名。",
        "decline" => "您已谢绝联名。",
        "submit" => "建议已提交。",
        "withdraw" => "草稿已撤回。",
        _ => return None,
    })
}

fn optional(s: String) -> Option<String> {
    if s.trim().is_empty() { None } else { Some(s) }
}

/// The action a form names, from its fields.
fn action_of(f: &Fields) -> Result<DraftAction, String> {
    Ok(match f.get("action").as_str() {
        "invite" => DraftAction::Invite { co_signers: f.all("co_signers") },
        "edit" => DraftAction::Edit { title: Some(f.get("title")), content: Some(f.get("content")) },
        "confirm" => DraftAction::Confirm {
            edition: f.get("edition").trim().parse().map_err(|_| "请刷新页面后再确认。".to_owned())?,
        },
        "decline" => DraftAction::Decline { reason: optional(f.get("reason")) },
        "submit" => DraftAction::Submit { leave_unanswered: f.get("leave_unanswered") == "1" },
        "withdraw" => DraftAction::Withdraw { reason: optional(f.get("reason")) },
        _ => return Err("无法识别的操作，请刷新页面后重试。".to_owned()),
    })
}

/// `POST /deputy/drafts/{id}`: one of the draft's actions (`action`), at the version the page showed.
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::of(&body);
    let session = match deputy_post(&s, cookies, &headers, &f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed = (f.get("action") == "edit").then(|| (f.get("title"), f.get("content")));
    let refuse =
        |status, text: String| draft_page(&s, &session, &id, "", typed.clone(), status, Some(text), None);
    // The edit form sends both words: one left blank is a mistake here, not "keep it" as in the API.
    if let Some((title, content)) = &typed {
        for (value, name) in [(title, "标题"), (content, "内容")] {
            if value.trim().is_empty() {
                return refuse(StatusCode::UNPROCESSABLE_ENTITY, format!("{name}：请填写{name}。"));
            }
        }
    }
    let Ok(version) = f.get("version").trim().parse::<u64>() else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "页面已过期，请刷新后重试。".to_owned());
    };
    let done = f.get("action");
    let action = match action_of(&f) {
        Ok(a) => a,
        Err(text) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, text),
    };
    match s.app.draft_action(&session.principal, &id, Some(version), action).await {
        Ok(v) => see_other(&format!("/deputy/drafts/{}?done={done}", v.id)),
        Err(e) => match shown(&e) {
            Some((status, text)) => refuse(status, text),
            None => failed(&e),
        },
    }
}
