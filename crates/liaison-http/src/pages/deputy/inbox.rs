//! The deputy's messages (站内消息, issue 17 item 2: the in-app inbox): what the office's system told the
//! deputy — answers, notices, invitations to co-sign, appointment and draw results — newest first, each with
//! a link to the portal page it is about, and marked read one by one (the existing inbox use cases, which
//! show an account only its own and its deputy's messages).

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_core::login::link::page_of;
use liaison_core::message::MessageKind;

use super::{CsrfOnly, Portal, deputy, deputy_post, failed};
use crate::AppState;
use crate::pages::suggestions::detail::at_zh;
use crate::pages::{Cookies, render, see_other};

/// A message in the list.
pub(crate) struct Line {
    pub(crate) id: String,
    pub(crate) subject: String,
    pub(crate) body: String,
    pub(crate) at: String,
    pub(crate) unread: bool,
    /// The portal page it is about, if it has one.
    pub(crate) page: Option<String>,
}

#[derive(Template)]
#[template(path = "deputy/messages.html")]
struct Messages {
    portal: Portal,
    items: Vec<Line>,
    unread: usize,
}

/// `GET /deputy/messages`: my messages, newest first.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let list = match s.app.inbox(&session.principal, false) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let items: Vec<Line> = list
        .into_iter()
        .map(|m| {
            // The item is `KIND:ID`; the page is the one a login link in the same message would open.
            let id = m.item.split_once(':').map_or(m.item.as_str(), |(_, id)| id);
            Line {
                page: MessageKind::parse(&m.kind).and_then(|k| page_of(k, id)),
                at: m.delivered_at.map(|t| at_zh(&t.to_rfc3339())).unwrap_or_default(),
                unread: m.read_at.is_none(),
                id: m.id,
                subject: m.subject,
                body: m.body,
            }
        })
        .collect();
    let unread = items.iter().filter(|m| m.unread).count();
    render(StatusCode::OK, &Messages { portal: Portal::of(&session, "messages"), items, unread })
}

/// `POST /deputy/messages/{id}`: mark one of my messages read (another's is not found).
pub(crate) async fn read(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let session = match deputy_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match s.app.mark_read(&session.principal, &id).await {
        Ok(()) => see_other("/deputy/messages"),
        Err(e) => failed(&e),
    }
}
