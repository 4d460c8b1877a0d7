//! 审计日志 (issue 16, item 6): the audit trail for the audit administrator — filters by kind (or a kind's
//! prefix, `auth.`), actor and days, a page at a time in chain order with a link to the next, and the same
//! selection as CSV for people (UTF-8 with its BOM, formula cells neutralised: `App::audit_csv`). The
//! records are shown as the API gives them (birth dates as years, withheld answer parts withheld).

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::ErrorKind;
use liaison_app::trail::{AuditEntry, AuditFilter};
use serde::Deserialize;

use super::{Chrome, Cookies, failed, render, staff};
use crate::AppState;

/// Records a page.
const PAGE: u32 = 50;

/// One record as a row.
pub(crate) struct Row {
    seq: u64,
    at: String,
    actor: String,
    kind: String,
    object: String,
    reason: String,
    payload: String,
}

fn row(e: AuditEntry) -> Row {
    let at = chrono::DateTime::parse_from_rfc3339(&e.at)
        .map(|t| liaison_core::dates::china_time(t.to_utc()).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or(e.at);
    let short: String = e.aggregate_id.chars().take(8).collect();
    Row {
        seq: e.seq,
        at,
        actor: e.actor,
        kind: e.kind,
        object: if short.is_empty() { e.aggregate_type } else { format!("{} {short}…", e.aggregate_type) },
        reason: e.reason.unwrap_or_default(),
        payload: serde_json::to_string(&e.payload).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "staff/admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: AuditQuery,
    rows: Vec<Row>,
    next: Option<String>,
    csv: String,
    error: Option<String>,
}

/// The filters (the API's `AuditFilter`, as a GET form).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    cursor: String,
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

impl AuditQuery {
    fn filter(&self) -> AuditFilter {
        AuditFilter {
            kind: some(&self.kind),
            actor: some(&self.actor),
            from: some(&self.from),
            to: some(&self.to),
            aggregate: None,
            cursor: some(&self.cursor),
            limit: Some(PAGE),
        }
    }

    /// The query string of these filters (without the cursor), `&`-joined and encoded.
    fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("kind", self.kind.trim())
            .append_pair("actor", self.actor.trim())
            .append_pair("from", self.from.trim())
            .append_pair("to", self.to.trim())
            .finish()
    }
}

/// `GET /admin/audit`.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (p, f) = (session.principal.clone(), q.filter());
    let result = crate::blocking(&s, move |app| app.audit_records(&p, &f)).await;
    let mut page = AuditPage {
        chrome: Chrome::of(&session, "admin"),
        csv: format!("/admin/audit.csv?{}", q.query()),
        q,
        rows: Vec::new(),
        next: None,
        error: None,
    };
    match result {
        Ok(r) => {
            page.next = r.next_cursor.map(|c| format!("/admin/audit?{}&cursor={c}", page.q.query()));
            page.rows = r.items.into_iter().map(row).collect();
            render(StatusCode::OK, &page)
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error = Some("审计日志只对审计管理员开放。".into());
            render(StatusCode::FORBIDDEN, &page)
        }
        Err(e) if e.kind() == ErrorKind::Invalid => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => failed(&e),
    }
}

/// `GET /admin/audit.csv`: every record the filters select, as a download.
pub(crate) async fn csv(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (p, f) = (session.principal.clone(), AuditFilter { cursor: None, ..q.filter() });
    let filter = f.clone();
    let exported = crate::blocking(&s, move |app| app.audit_csv(&p, &f)).await;
    let exported = match exported {
        // The export is on the trail before the file leaves (its rows: the lines after the header).
        Ok(bytes) => {
            let rows = bytes.iter().filter(|b| **b == b'\n').count().saturating_sub(1);
            s.app.record_audit_export(&session.principal, &filter, rows).await.map(|()| bytes)
        }
        Err(e) => Err(e),
    };
    match exported {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"audit.csv\"")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => failed(&e),
    }
}

/// The result of a verification, and the checkpoint signed on it.
#[derive(Template)]
#[template(path = "staff/admin_checkpoint.html")]
struct CheckpointPage {
    chrome: Chrome,
    records: u64,
    seq: u64,
    head: String,
    at: String,
    /// The signed checkpoint as the file to hand over (JSON).
    text: String,
    /// The refusal (a broken chain, a role without the right).
    error: Option<String>,
}

/// The checkpoint form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CheckpointForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/audit/checkpoint`: verify the whole chain and sign a checkpoint of its head (the audit
/// administrator), shown to copy or save and hand to the supervising body.
pub(crate) async fn checkpoint(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    axum::extract::Form(f): axum::extract::Form<CheckpointForm>,
) -> Response {
    let (session, _) = match super::staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut page = CheckpointPage {
        chrome: Chrome::of(&session, "admin"),
        records: 0,
        seq: 0,
        head: String::new(),
        at: String::new(),
        text: String::new(),
        error: None,
    };
    // Signing an attestation for the supervising body: a recent proof of the auditor's identity first.
    match s.app.require_recent_auth(&session) {
        Err(liaison_app::AppError::Login(liaison_core::login::LoginError::ReauthRequired)) => {
            return super::reauth_to("/admin/audit");
        }
        Err(e) => return failed(&e),
        Ok(()) => {}
    }
    let p = session.principal.clone();
    // The whole chain is verified once, off the request threads; the checkpoint is signed on that reading.
    let issued = match crate::blocking(&s, move |app| app.checkpoint_as(&p)).await {
        Ok((report, c)) => s.app.record_checkpoint(&session.principal, &c).await.map(|()| (report, c)),
        Err(e) => Err(e),
    };
    match issued {
        Ok((report, c)) => {
            page.records = report.records;
            page.seq = c.seq;
            page.at = chrono::DateTime::parse_from_rfc3339(&c.at)
                .map(|t| liaison_core::dates::china_time(t.to_utc()).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|_| c.at.clone());
            page.text = serde_json::to_string_pretty(&c).unwrap_or_default();
            page.head = c.head;
            render(StatusCode::OK, &page)
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error = Some("审计链核验只由审计管理员办理。".into());
            render(StatusCode::FORBIDDEN, &page)
        }
        Err(e @ liaison_app::AppError::BadFile { .. }) => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => failed(&e),
    }
}
