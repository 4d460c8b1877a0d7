//! 联络卡 (C1): the cards issued (`App::cards`), the form to issue one (`App::issue_card`: a deputy from the
//! register, an active officer, the office's telephone), each card printable (`/cards/{number}/print`, the
//! card page of `App::card_page`) and revocable with its reason (`App::revoke_card`, with the card's
//! version).

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use liaison_app::{CardInput, ErrorKind, Principal};
use liaison_core::access::Action;
use liaison_core::channels::LiaisonCard;

use super::{AT, not_allowed, picked_deputy, refusal_of};
use crate::AppState;
use crate::pages::meetings::Fields;
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

/// A card in the list.
pub(crate) struct CardRow {
    number: String,
    version: u64,
    deputy: String,
    officer: String,
    telephone: String,
    issued: String,
    revoked: Option<String>,
}

/// The issue form as typed.
#[derive(Debug, Default)]
pub(crate) struct CardForm {
    q: String,
    officer: String,
    telephone: String,
}

#[derive(Template)]
#[template(path = "staff/cards.html")]
struct CardsPage {
    chrome: Chrome,
    cards: Vec<CardRow>,
    active: usize,
    manages: bool,
    officers: Vec<(String, String)>,
    form: CardForm,
    error: Option<String>,
}

fn card_row(c: &LiaisonCard) -> CardRow {
    CardRow {
        number: c.number.clone(),
        version: c.version,
        deputy: format!("{}（{}级代表）", c.deputy.name, c.deputy.level.zh()),
        officer: c.officer.to_string(),
        telephone: c.telephone.to_string(),
        issued: day(c.issued_on),
        revoked: c.revoked.as_ref().map(|(on, why)| format!("{} 注销：{why}", day(*on))),
    }
}

async fn page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: CardForm,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let mut cards = match crate::blocking(s, move |app| app.cards(&who)).await {
        Ok(c) => c,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    cards.sort_by(|a, b| b.number.cmp(&a.number));
    let officers = s
        .app
        .organisation(p)
        .map(|o| o.officers.into_iter().filter(|o| o.active).map(|o| (o.id.to_string(), o.name)).collect())
        .unwrap_or_default();
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = CardsPage {
        chrome,
        active: cards.iter().filter(|c| c.revoked.is_none()).count(),
        cards: cards.iter().map(card_row).collect(),
        manages: p.may(Action::ManageLiaison),
        officers,
        form,
        error,
    };
    render(status, &page)
}

/// `GET /cards`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    page(&s, Chrome::of(&session, AT), &session.principal, CardForm::default(), None).await
}

/// `POST /cards`: issue a card; the list again, or the form with what was wrong.
pub(crate) async fn issue(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let form = CardForm {
        q: f.get("q").to_owned(),
        officer: f.get("officer").to_owned(),
        telephone: f.get("telephone").to_owned(),
    };
    let again = |error: (StatusCode, String), form: CardForm| {
        page(&s, Chrome::of(&session, AT), p, form, Some(error))
    };
    let deputy = match picked_deputy(&s, p, &f).await {
        Ok(Ok(d)) => d.unwrap_or_default(),
        Ok(Err(why)) => return again((StatusCode::UNPROCESSABLE_ENTITY, format!("代表：{why}")), form).await,
        Err(e) => return failed(&e),
    };
    let input = CardInput { deputy, officer: form.officer.clone(), telephone: form.telephone.clone() };
    match s.app.issue_card(p, &input).await {
        Ok(_) => see_other("/cards"),
        Err(e) => match refusal_of(&e, "张联络卡") {
            Some(r) => again(r, form).await,
            None => failed(&e),
        },
    }
}

/// `POST /cards/{number}/revoke`: revoke a card with its reason.
pub(crate) async fn revoke(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let again =
        |error: (StatusCode, String)| page(&s, Chrome::of(&session, AT), p, CardForm::default(), Some(error));
    let Some(version) = f.version() else {
        let why = "页面缺少联络卡的版本号，请刷新页面后再操作。".to_owned();
        return again((StatusCode::UNPROCESSABLE_ENTITY, why)).await;
    };
    match s.app.revoke_card(p, &number, Some(version), f.get("reason")).await {
        Ok(_) => see_other("/cards"),
        Err(e) => match refusal_of(&e, "张联络卡") {
            Some((st, why)) => again((st, format!("联络卡 {number}：{why}"))).await,
            None => failed(&e),
        },
    }
}

/// `GET /cards/{number}/print`: the card at its size, to print (its own small page: the card's styles are
/// in the page, so it carries the server's general CSP rather than the staff pages').
pub(crate) async fn print(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let who = session.principal.clone();
    match crate::blocking(&s, move |app| app.card_page(&who, &number)).await {
        Ok(html) => {
            let mut r = Html(html).into_response();
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => not_allowed(),
        Err(e) => failed(&e),
    }
}
