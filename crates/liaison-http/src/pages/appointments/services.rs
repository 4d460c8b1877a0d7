//! 服务保障 (G3) and 征求意见 (C4) on one page (`/services`): the services to deputies (`App::services`)
//! with the form to open one and, on each, its step (`App::service_step`: the result of a problem helped
//! with, or a delivery of a subscription); the solicitations of opinions (`App::solicitations`) with the
//! form to send one to an audience and, on each, the form to record a recipient's response
//! (`App::respond_solicitation`), which may be filed as a suggestion at once.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{ErrorKind, Principal, ServiceInput, SolicitationInput};
use liaison_core::access::Action;
use liaison_core::channels::{ChannelError, Service, ServiceKind, Solicitation};
use liaison_core::ids::DeputyId;

use super::{AT, not_allowed, picked_deputy, refusal_of};
use crate::AppState;
use crate::pages::meetings::{Fields, resolve_all};
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

const KINDS: &[ServiceKind] = &[
    ServiceKind::HomeVisit,
    ServiceKind::WorkVisit,
    ServiceKind::PracticalHelp,
    ServiceKind::Difficulty,
    ServiceKind::Subscription,
];
const SCOPES: &[(&str, &str)] = &[
    ("all", "全体代表"),
    ("level", "按代表级别"),
    ("region", "按区域"),
    ("delegation", "按代表团"),
    ("chosen", "指定代表"),
];

/// A service in the list.
pub(crate) struct ServiceRow {
    id: String,
    version: u64,
    deputy: String,
    kind: &'static str,
    subscription: bool,
    description: String,
    opened: String,
    resolved: Option<String>,
    deliveries: Vec<String>,
}

/// A solicitation in the list.
pub(crate) struct SolicitationRow {
    id: String,
    version: u64,
    title: String,
    content: String,
    how: &'static str,
    sent: String,
    recipients: usize,
    /// Each response: who, what, the suggestion it became (link).
    responses: Vec<(String, String, Option<String>)>,
}

/// The forms as typed (the deputy search's `q` shared by both).
#[derive(Debug, Default)]
pub(crate) struct Forms {
    q: String,
    kind: String,
    description: String,
    title: String,
    content: String,
    scope: String,
    values: String,
    names: String,
    by_forum: bool,
}

#[derive(Template)]
#[template(path = "staff/services.html")]
struct ServicesPage {
    chrome: Chrome,
    services: Vec<ServiceRow>,
    solicitations: Vec<SolicitationRow>,
    manages: bool,
    kinds: Vec<(&'static str, &'static str)>,
    scopes: &'static [(&'static str, &'static str)],
    form: Forms,
    error: Option<String>,
}

fn signer(d: &liaison_core::suggestion::Signer) -> String {
    format!("{}（{}级代表）", d.name, d.level.zh())
}

fn service_row(v: &Service) -> ServiceRow {
    ServiceRow {
        id: v.id.to_string(),
        version: v.version,
        deputy: signer(&v.deputy),
        kind: v.kind.zh(),
        subscription: v.kind == ServiceKind::Subscription,
        description: v.description.to_string(),
        opened: day(v.opened_on),
        resolved: v.resolved.as_ref().map(|(on, r)| format!("{} 办结：{r}", day(*on))),
        deliveries: v.deliveries.iter().map(|(on, item)| format!("{} 送达《{item}》", day(*on))).collect(),
    }
}

fn solicitation_row(app: &liaison_app::App, p: &Principal, v: &Solicitation) -> SolicitationRow {
    let name = |d: &DeputyId| {
        app.deputy(p, *d)
            .map(|x| crate::pages::i18n::aside(&x.name, &[&crate::pages::i18n::text(&x.level_zh), &x.region]))
            .unwrap_or_else(|_| "（已不在名册）".into())
    };
    SolicitationRow {
        id: v.id.to_string(),
        version: v.version,
        title: v.title.to_string(),
        content: v.content.to_string(),
        how: if v.by_forum { "座谈会" } else { "征求意见函" },
        sent: day(v.sent_on),
        recipients: v.recipients.len(),
        responses: v
            .responses
            .iter()
            .map(|(d, text, became)| {
                let link = became
                    .as_deref()
                    .and_then(|b| b.strip_prefix("suggestion:"))
                    .map(|id| format!("/suggestions/{id}"));
                (name(d), text.to_string(), link)
            })
            .collect(),
    }
}

async fn page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: Forms,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let got = crate::blocking(s, move |app| {
        let mut services = app.services(&who, false)?;
        services.sort_by_key(|v| std::cmp::Reverse(v.opened_on));
        let mut sols = app.solicitations(&who)?;
        sols.sort_by_key(|v| std::cmp::Reverse(v.sent_on));
        let sols = sols.iter().map(|v| solicitation_row(app, &who, v)).collect::<Vec<_>>();
        Ok((services.iter().map(service_row).collect::<Vec<_>>(), sols))
    })
    .await;
    let (services, solicitations) = match got {
        Ok(x) => x,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = ServicesPage {
        chrome,
        services,
        solicitations,
        manages: p.may(Action::ManageLiaison),
        kinds: KINDS.iter().map(|k| (k.code(), k.zh())).collect(),
        scopes: SCOPES,
        form,
        error,
    };
    render(status, &page)
}

/// `GET /services`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let form = Forms { scope: "all".into(), ..Forms::default() };
    page(&s, Chrome::of(&session, AT), &session.principal, form, None).await
}

fn forms(f: &Fields) -> Forms {
    Forms {
        q: f.get("q").to_owned(),
        kind: f.get("kind").to_owned(),
        description: f.get("description").to_owned(),
        title: f.get("title").to_owned(),
        content: f.get("content").to_owned(),
        scope: f.get("scope").to_owned(),
        values: f.get("values").to_owned(),
        names: f.get("names").to_owned(),
        by_forum: f.get("by_forum") == "yes",
    }
}

/// `POST /services`: open a service to a deputy.
pub(crate) async fn open(
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
    let form = forms(&f);
    let again = |e: (StatusCode, String), form: Forms| page(&s, Chrome::of(&session, AT), p, form, Some(e));
    let deputy = match picked_deputy(&s, p, &f).await {
        Ok(Ok(d)) => d.unwrap_or_default(),
        Ok(Err(why)) => return again((StatusCode::UNPROCESSABLE_ENTITY, format!("代表：{why}")), form).await,
        Err(e) => return failed(&e),
    };
    let input = ServiceInput { deputy, kind: form.kind.clone(), description: form.description.clone() };
    match s.app.open_service(p, &input).await {
        Ok(_) => see_other("/services"),
        Err(e) => match refusal_of(&e, "项服务") {
            Some(r) => again(r, form).await,
            None => failed(&e),
        },
    }
}

/// `POST /services/{id}`: `resolve` (the result) or `deliver` (the item), with the service's version.
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let again = |e: (StatusCode, String)| page(&s, Chrome::of(&session, AT), p, Forms::default(), Some(e));
    let Some(version) = f.version() else {
        return again((StatusCode::UNPROCESSABLE_ENTITY, "页面缺少版本号，请刷新页面后再操作。".into()))
            .await;
    };
    let delivery = f.get("action") == "deliver";
    match s.app.service_step(p, &id, Some(version), f.get("text"), delivery).await {
        Ok(_) => see_other("/services"),
        Err(e) => match refusal_of(&e, "项服务") {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}

/// `POST /solicitations`: send a solicitation to an audience (or to deputies named one by one).
pub(crate) async fn send(
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
    let form = forms(&f);
    let again = |e: (StatusCode, String), form: Forms| page(&s, Chrome::of(&session, AT), p, form, Some(e));
    let deputies = if form.scope == "chosen" {
        match resolve_all(&s, p, &form.names).await {
            Ok(Ok(ids)) => ids,
            Ok(Err(why)) => {
                return again((StatusCode::UNPROCESSABLE_ENTITY, format!("指定代表：{why}")), form).await;
            }
            Err(e) => return failed(&e),
        }
    } else {
        Vec::new()
    };
    let input = SolicitationInput {
        title: form.title.clone(),
        content: form.content.clone(),
        by_forum: form.by_forum,
        scope: form.scope.clone(),
        values: crate::pages::meetings::names(&form.values),
        deputies,
    };
    match s.app.send_solicitation(p, &input).await {
        Ok(_) => see_other("/services#solicitations"),
        Err(e) => match refusal_of(&e, "份征求意见") {
            Some(r) => again(r, form).await,
            None => failed(&e),
        },
    }
}

/// `POST /solicitations/{id}`: a recipient's response, filed as a suggestion too when asked.
pub(crate) async fn respond(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let again = |e: (StatusCode, String)| page(&s, Chrome::of(&session, AT), p, Forms::default(), Some(e));
    let Some(version) = f.version() else {
        return again((StatusCode::UNPROCESSABLE_ENTITY, "页面缺少版本号，请刷新页面后再操作。".into()))
            .await;
    };
    let deputy = match picked_deputy(&s, p, &f).await {
        Ok(Ok(d)) => d.unwrap_or_default(),
        Ok(Err(why)) => return again((StatusCode::UNPROCESSABLE_ENTITY, format!("代表：{why}"))).await,
        Err(e) => return failed(&e),
    };
    let filed = f.get("as_suggestion") == "yes";
    match s.app.respond_solicitation(p, &id, Some(version), &deputy, f.get("text"), filed).await {
        Ok(_) => see_other("/services#solicitations"),
        // The core's sentence names the deputy by id: the page says it without.
        Err(e) if matches!(e.rule_as::<ChannelError>(), Some(ChannelError::NotARecipient(_))) => {
            again((StatusCode::CONFLICT, "代表：该代表不是这次征求意见的对象。".into())).await
        }
        Err(e) => match refusal_of(&e, "份征求意见") {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
