//! 登记新建议: the intake form (`GET/POST /suggestions/new`). The proposer and the joint co-signers are
//! picked from the register: a search field that htmx asks `GET /suggestions/deputies` for matching
//! deputies by name or pinyin (checkboxes of the form), or, without script, the names typed one a line
//! (`姓名` or `姓名（区域）` for a namesake), resolved here against the register with an error for an unknown
//! or ambiguous name. Earlier suggestions that look alike (`App::similar_suggestions`) are listed beside
//! the form (`GET /suggestions/similar`, asked by htmx when the title or text changes) or on the preview
//! step, with links. Bad input: the form again with each field's error, nothing filed.

use std::collections::BTreeMap;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, DeputyFilter, ErrorKind, Principal, Similar, SuggestionInput};
use liaison_core::access::Action;
use liaison_core::ids::DeputyId;
use liaison_core::suggestion::Source;

use super::{FormData, path_of, refusal_zh, today};
use crate::AppState;
use crate::pages::{Chrome, Cookies, failed, render, see_other, staff, staff_post};

/// How many deputies a search shows.
const SEARCH_MAX: u32 = 12;

/// A deputy offered in the picker: checked when already picked.
pub(crate) struct Pick {
    id: String,
    label: String,
    checked: bool,
}

/// An earlier suggestion that looks alike, as the page shows it.
pub(crate) struct SimilarRow {
    href: String,
    number: String,
    title: String,
    meta: String,
    shared: String,
}

#[derive(Template)]
#[template(path = "staff/suggestion_new.html")]
struct NewPage {
    chrome: Chrome,
    title: String,
    content: String,
    source: String,
    received_on: String,
    signers: String,
    q: String,
    sources: Vec<(&'static str, &'static str)>,
    picks: Vec<Pick>,
    note: Option<String>,
    similar: Vec<SimilarRow>,
    asked: bool,
    errors: BTreeMap<&'static str, String>,
    error: Option<String>,
    /// The role may file suggestions (else the page only says why not).
    allowed: bool,
}

impl NewPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

#[derive(Template)]
#[template(path = "staff/suggestion_picks.html")]
struct PicksFragment {
    picks: Vec<Pick>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/suggestion_similar.html")]
struct SimilarFragment {
    similar: Vec<SimilarRow>,
    asked: bool,
}

fn label(d: &liaison_app::views::DeputyView) -> String {
    let mut l = format!("{}（{}，{}）", d.name, d.level_zh, d.region); // zh: the form a name is typed in
    if d.status != "in_office" {
        l.push_str(" · 不在任");
    }
    l
}

/// The deputies already picked (by id), checked, then the matches of `q` not picked, unchecked.
fn picks(s: &AppState, p: &Principal, picked: &[String], q: &str) -> (Vec<Pick>, Option<String>) {
    let mut out: Vec<Pick> = picked
        .iter()
        .filter_map(|id| DeputyId::parse(id).ok())
        .filter_map(|id| s.app.deputy(p, id).ok())
        .map(|d| Pick { id: d.id.to_string(), label: label(&d), checked: true })
        .collect();
    let q = q.trim();
    if q.is_empty() {
        return (out, None);
    }
    let filter = DeputyFilter { q: Some(q.to_owned()), ..DeputyFilter::default() };
    match s.app.deputies(p, &filter, None, SEARCH_MAX) {
        Ok(found) => {
            let before = out.len();
            for d in found.items {
                if !out.iter().any(|x| x.id == d.id.to_string()) {
                    out.push(Pick { id: d.id.to_string(), label: label(&d), checked: false });
                }
            }
            let note = (out.len() == before).then(|| format!("名册中没有姓名或拼音以“{q}”开头的代表。"));
            (out, note)
        }
        Err(e) => (out, Some(refusal_zh(&e))),
    }
}

/// The names typed (one a line, or separated by 、，,;；), each `姓名` or `姓名（区域）`, resolved against
/// the register: the ids in order, or one sentence per name that is unknown or ambiguous.
fn resolve(s: &AppState, p: &Principal, text: &str) -> Result<Vec<String>, Vec<String>> {
    let (mut ids, mut errors) = (Vec::new(), Vec::new());
    let names = text.split(['\n', '\r', ',', '，', '、', ';', '；']).map(str::trim).filter(|n| !n.is_empty());
    for typed in names {
        let (name, region) = match typed.trim_end_matches([')', '）']).split_once(['(', '（']) {
            Some((n, r)) => (n.trim(), Some(r.trim())),
            None => (typed, None),
        };
        let filter = DeputyFilter { q: Some(name.to_owned()), ..DeputyFilter::default() };
        let found = match s.app.deputies(p, &filter, None, 200) {
            Ok(f) => f.items,
            Err(e) => {
                errors.push(refusal_zh(&e));
                continue;
            }
        };
        let mut same: Vec<_> =
            found.into_iter().filter(|d| d.name == name && region.is_none_or(|r| d.region == r)).collect();
        if same.len() > 1 && same.iter().filter(|d| d.status == "in_office").count() == 1 {
            same.retain(|d| d.status == "in_office");
        }
        match same.as_slice() {
            [d] => ids.push(d.id.to_string()),
            [] => errors.push(format!("名册中找不到代表“{typed}”：请核对姓名，或用上方的搜索勾选。")),
            many => errors.push(format!(
                "“{typed}”有 {} 位同名代表（{}）：请写成“姓名（区域）”，或用上方的搜索勾选。",
                many.len(),
                many.iter().map(|d| format!("{}，{}", d.level_zh, d.region)).collect::<Vec<_>>().join("；") // zh: typed form
            )),
        }
    }
    if errors.is_empty() { Ok(ids) } else { Err(errors) }
}

fn similar_rows(found: Vec<Similar>) -> Vec<SimilarRow> {
    found
        .into_iter()
        .map(|x| SimilarRow {
            href: path_of(x.number.as_deref(), x.id),
            number: x.number.unwrap_or_else(|| "未编号".into()),
            title: x.title,
            meta: format!(
                "{} · {}{} · 代表：{} · 相似度 {}%",
                super::day(x.received_on),
                x.status_zh,
                x.lead.map(|l| format!(" · 承办：{l}")).unwrap_or_default(),
                crate::pages::i18n::join(&x.deputies, "、"),
                x.score_permille / 10
            ),
            shared: crate::pages::i18n::join(&x.shared, "、"),
        })
        .collect()
}

fn blank(chrome: Chrome) -> NewPage {
    NewPage {
        chrome,
        title: String::new(),
        content: String::new(),
        source: "between_sessions".into(),
        received_on: String::new(),
        signers: String::new(),
        q: String::new(),
        sources: Source::ALL.iter().filter(|s| **s != Source::Online).map(|s| (s.code(), s.zh())).collect(),
        picks: Vec::new(),
        note: None,
        similar: Vec::new(),
        asked: false,
        errors: BTreeMap::new(),
        error: None,
        allowed: true,
    }
}

/// `GET /suggestions/new`: the empty form.
pub(crate) async fn form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut page = blank(Chrome::of(&session, "suggestions"));
    page.received_on = today(&s).to_string();
    if let Err(e) = session.principal.require(Action::FileSuggestion) {
        page.error = Some(crate::pages::say(&e));
        page.allowed = false;
        return render(StatusCode::FORBIDDEN, &page);
    }
    render(StatusCode::OK, &page)
}

/// `POST /suggestions/new`: `step=search` shows the register's matches, `step=preview` the similar earlier
/// suggestions, and `step=file` (the default) files it; any error brings the form back with it.
pub(crate) async fn file(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = FormData::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = session.principal.clone();
    let mut page = blank(Chrome::of(&session, "suggestions"));
    page.title = f.get("title").to_owned();
    page.content = f.get("content").to_owned();
    page.source = f.get("source").to_owned();
    page.received_on = f.get("received_on").to_owned();
    page.signers = f.get("signers").to_owned();
    page.q = f.get("q").to_owned();
    let picked = f.all("picked");
    if let Err(e) = p.require(Action::FileSuggestion) {
        page.error = Some(crate::pages::say(&e));
        page.allowed = false;
        return render(StatusCode::FORBIDDEN, &page);
    }
    let step = f.get("step");
    let q = if step == "search" { page.q.clone() } else { String::new() };
    (page.picks, page.note) = picks(&s, &p, &picked, &q);
    if step == "search" || step == "preview" {
        match s.app.similar_suggestions(&p, &page.title, &page.content) {
            Ok(found) => page.similar = similar_rows(found),
            Err(e) => return failed(&e),
        }
        page.asked = !(page.title.trim().is_empty() && page.content.trim().is_empty());
        return render(StatusCode::OK, &page);
    }
    // The names typed, then the deputies ticked in the search, each once.
    let mut deputies = match resolve(&s, &p, &page.signers) {
        Ok(ids) => ids,
        Err(errors) => {
            page.errors.insert("deputies", errors.join(" "));
            Vec::new()
        }
    };
    for id in picked {
        if !deputies.contains(&id) {
            deputies.push(id);
        }
    }
    let input = SuggestionInput {
        title: page.title.clone(),
        content: page.content.clone(),
        source: page.source.clone(),
        received_on: Some(page.received_on.clone()).filter(|d| !d.trim().is_empty()),
        deputies,
    };
    // A name left unresolved files nothing: without deputies the use case refuses before any write, and
    // still names every other field's error, so they all show at once.
    let input =
        if page.errors.is_empty() { input } else { SuggestionInput { deputies: Vec::new(), ..input } };
    let result = s.app.file_suggestion(&p, &input, None).await;
    match result {
        Ok(v) => {
            let to = path_of(v.suggestion.number.map(|n| n.to_string()).as_deref(), v.suggestion.id.0);
            see_other(&format!("{to}?done=filed"))
        }
        Err(AppError::Invalid(errs)) => {
            for e in errs {
                let field = match e.field.as_str() {
                    "title" => "title",
                    "content" => "content",
                    "source" => "source",
                    "received_on" => "received_on",
                    _ => "deputies",
                };
                page.errors.entry(field).or_insert(e.message_zh.clone());
            }
            page.error = Some("有需要更正的内容，见各栏下方的说明；建议尚未登记。".into());
            if let Ok(found) = s.app.similar_suggestions(&p, &page.title, &page.content) {
                page.similar = similar_rows(found);
                page.asked = true;
            }
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::NotFound) => {
            match &e {
                AppError::NotFound { what: "deputy", .. } | AppError::Rule(_) => {
                    page.errors.insert("deputies", refusal_zh(&e));
                }
                _ => {}
            }
            page.error = Some(format!("未能登记：{}", refusal_zh(&e)));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::FORBIDDEN, &page)
        }
        Err(e) => failed(&e),
    }
}

/// `GET /suggestions/deputies?q=…&picked=…`: the picker's fragment (htmx), the picked ones kept.
pub(crate) async fn deputies(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let q = FormData::parse(raw.unwrap_or_default().as_bytes());
    let (picks, note) = picks(&s, &session.principal, &q.all("picked"), q.get("q"));
    render(StatusCode::OK, &PicksFragment { picks, note })
}

/// `GET /suggestions/similar?title=…&content=…`: the similar earlier suggestions' fragment (htmx).
pub(crate) async fn similar(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let q = FormData::parse(raw.unwrap_or_default().as_bytes());
    let (title, content) = (q.get("title"), q.get("content"));
    match s.app.similar_suggestions(&session.principal, title, content) {
        Ok(found) => render(
            StatusCode::OK,
            &SimilarFragment {
                similar: similar_rows(found),
                asked: !(title.trim().is_empty() && content.trim().is_empty()),
            },
        ),
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            render(StatusCode::FORBIDDEN, &SimilarFragment { similar: Vec::new(), asked: false })
        }
        Err(e) => failed(&e),
    }
}
