//! 导入名册: upload a register file (CSV in UTF-8 or GBK, or XLSX), see the app's row report of a dry run
//! (`App::import_deputies` with `dry_run`: every row checked against the rules and the register, nothing
//! written), then confirm to import it (the same use case for real: all or nothing, audited). The page
//! keeps no file between the two steps: the preview carries it back in a hidden field (hex), and the
//! confirmation is checked again in full by the app. Files up to `MAX_FILE` here; larger ones through
//! `liaison deputy import` or the API.
//!
//! The upload is `multipart/form-data`, the only way a plain form sends a file; `multipart` below reads
//! the two fields a browser sends (the token and the file) without a crate for it.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::import::{ImportOptions, ImportReport};
use liaison_app::login::StaffSession;
use liaison_core::access::Action;
use serde::Deserialize;

use super::super::{Chrome, Cookies, cross_site, refused, render, same_token, staff};
use super::refusal;
use crate::AppState;

/// The largest file this page takes (the hidden copy doubles it, under the forms' 2 MiB).
const MAX_FILE: usize = 768 << 10;

/// One refused row's problem as the page shows it.
pub(crate) struct Problem {
    row: u64,
    column: String,
    reason: String,
}

/// The report as the page shows it.
pub(crate) struct Report {
    rows: u64,
    accepted: u64,
    refused: u64,
    new: u64,
    updated: u64,
    unchanged: u64,
    problems: Vec<Problem>,
    ignored: String,
    notes: Vec<String>,
}

impl Report {
    fn of(r: &ImportReport) -> Self {
        let refused = r.rows_with_errors();
        Report {
            rows: r.rows,
            accepted: r.rows.saturating_sub(refused),
            refused,
            new: r.imported,
            updated: r.updated,
            unchanged: r.unchanged,
            problems: r
                .errors
                .iter()
                .map(|e| Problem {
                    row: e.row,
                    column: e.column.clone().or_else(|| e.field.clone()).unwrap_or_else(|| "—".into()),
                    reason: e.message_zh.clone(),
                })
                .collect(),
            ignored: crate::pages::i18n::join(&r.ignored_columns, "、"),
            notes: r.notes.iter().map(|n| n.message_zh.clone()).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "staff/register_import.html")]
struct ImportPage {
    chrome: Chrome,
    max_kib: usize,
    error: Option<String>,
    report: Option<Report>,
    /// The file, hex-encoded, when the dry run found no problem: the confirmation's hidden field.
    confirm: Option<String>,
    /// The import was written.
    done: bool,
}

impl ImportPage {
    fn new(session: &StaffSession) -> Self {
        ImportPage {
            chrome: Chrome::of(session, "register"),
            max_kib: MAX_FILE >> 10,
            error: None,
            report: None,
            confirm: None,
            done: false,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().as_bytes();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks(2).map(|c| std::str::from_utf8(c).ok().and_then(|c| u8::from_str_radix(c, 16).ok())).collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The fields of a `multipart/form-data` body, (name, content), in order; `None` when it is not one.
fn multipart(content_type: &str, body: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary =
        params.split(';').map(str::trim).find_map(|p| p.strip_prefix("boundary="))?.trim_matches('"');
    if boundary.is_empty() || boundary.len() > 200 {
        return None;
    }
    let next = format!("\r\n--{boundary}");
    let first = format!("--{boundary}");
    let mut rest = &body[find(body, first.as_bytes())? + first.len()..];
    let mut parts = Vec::new();
    while !rest.starts_with(b"--") {
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]);
        let name = head
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .and_then(|l| l.split(';').map(str::trim).find_map(|p| p.strip_prefix("name=")))
            .map(|n| n.trim_matches('"').to_owned())?;
        let content = &rest[head_end + 4..];
        let end = find(content, next.as_bytes())?;
        parts.push((name, content[..end].to_vec()));
        rest = &content[end + next.len()..];
    }
    Some(parts)
}

/// The account may import (the office), or the 403 page.
fn may_import(session: &StaffSession) -> Option<Response> {
    session.principal.require(Action::ImportRegistry).err().map(|e| refusal(&e, "/register"))
}

/// `GET /register/import`: the upload form.
pub(crate) async fn form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Some(r) = may_import(&session) {
        return r;
    }
    render(StatusCode::OK, &ImportPage::new(&session))
}

/// Run the import (a dry run, or for real) and draw its report.
async fn run(s: &AppState, session: &StaffSession, file: Vec<u8>, dry_run: bool) -> Response {
    let mut page = ImportPage::new(session);
    let opts = ImportOptions { dry_run, ..ImportOptions::default() };
    match s.app.import_deputies(&session.principal, &file, &opts, None).await {
        Ok(r) => {
            let clean = r.errors.is_empty();
            page.report = Some(Report::of(&r));
            page.done = !dry_run && clean;
            page.confirm = (dry_run && clean).then(|| hex(&file));
            render(if clean { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }, &page)
        }
        Err(AppError::ImportRefused(r)) => {
            page.report = Some(Report::of(&r));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e @ AppError::BadFile { .. }) => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => refusal(&e, "/register/import"),
    }
}

/// `POST /register/import` (multipart: `csrf`, `file`): the dry run's report, and the confirmation when
/// every row is accepted.
pub(crate) async fn upload(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(parts) = multipart(ct, &body) else { return refused() };
    let field = |n: &str| parts.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_slice());
    let csrf = field("csrf").and_then(|c| std::str::from_utf8(c).ok()).unwrap_or("");
    if cross_site(&headers) || !same_token(&session.csrf, csrf) {
        return refused();
    }
    if let Some(r) = may_import(&session) {
        return r;
    }
    let file = field("file").unwrap_or_default();
    let mut page = ImportPage::new(&session);
    if file.is_empty() {
        page.error = Some("请选择要导入的名册文件（CSV 或 XLSX）。".into());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if file.len() > MAX_FILE {
        page.error = Some(format!(
            "文件超过 {} KB，请分批导入，或由系统管理员使用命令行 liaison deputy import 导入。",
            MAX_FILE >> 10
        ));
        return render(StatusCode::PAYLOAD_TOO_LARGE, &page);
    }
    run(&s, &session, file.to_vec(), true).await
}

/// The confirmation: the token and the file the preview carried.
#[derive(Debug, Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    file: String,
}

/// `POST /register/import/confirm`: import the previewed file (checked again in full; all or nothing).
pub(crate) async fn confirm(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<ConfirmForm>,
) -> Response {
    let (session, _) = match super::super::staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Some(r) = may_import(&session) {
        return r;
    }
    let Some(file) = unhex(&f.file).filter(|b| !b.is_empty() && b.len() <= MAX_FILE) else {
        let mut page = ImportPage::new(&session);
        page.error = Some("没有收到要导入的文件，请重新上传。".into());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    run(&s, &session, file, false).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_browsers_multipart_form_is_read_field_by_field() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n\
a,b\r\n1,2\r\n\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts[0], ("csrf".to_owned(), b"abc".to_vec()));
        assert_eq!(parts[1], ("file".to_owned(), b"a,b\r\n1,2\r\n".to_vec()));
        assert!(multipart("application/x-www-form-urlencoded", body).is_none());
        assert!(multipart("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno end").is_none());
        assert_eq!(unhex(&hex(b"\x00\xffab")).unwrap(), b"\x00\xffab");
        assert!(unhex("abc").is_none() && unhex("zz").is_none());
    }
}
