//! The staff pages in English (issue 16: "zh-CN first, English where Accept-Language or a user setting
//! asks"). Chinese is the default and costs nothing; English is asked for by the language switch (the
//! `liaison_lang` cookie it sets, `en` or `zh`) or, without it, by an `Accept-Language` whose first
//! preference is English.
//!
//! How it works, written once so that a new page needs only catalogue entries:
//! - [`language`], a layer on the pages' router, puts the request's [`Lang`] (and its path, for the
//!   switch) in a task-local that `render`, `day`, `say`, `failed` and `refusal_text` read;
//! - every template's `{{ value }}` goes through the [`Marked`] escaper, which in an English rendering
//!   wraps the escaped value in private-use markers (any such character in the value removed first);
//! - `render` then walks the HTML ([`html`]) and translates the templates' own text by the catalogue
//!   (`templates/staff/en.tsv`, the Chinese text as the key, longest phrase first), each value whole or
//!   not at all — a status or a done message is an entry, a name or a title is left as it is — and drops
//!   the markers.
//!
//! Architecture invariant: user data is never translated piecemeal: a value is either exactly an entry
//! (or an entry's pattern such as `还有 {} 天`) or shown as it is. A value that is exactly a short label
//! (a title `已答复`) would be shown in English — the one thing markers cannot tell apart.

mod catalogue;
mod html;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::fmt::Write;

use axum::extract::{Query, Request};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use liaison_core::Localized;

pub(crate) use crate::problem::Lang;

use super::{Cookies, cookie, see_other};
use catalogue::{CATALOGUE, CLOSE, HOLE, OPEN};

/// The preference cookie's name.
pub(crate) const COOKIE: &str = "liaison_lang";

/// What the pages know of the request: its language and, for the switch, the page to come back to.
#[derive(Debug, Clone)]
struct Context {
    lang: Lang,
    here: String,
}

tokio::task_local! {
    static CONTEXT: Context;
}

thread_local! {
    /// An English rendering is under way on this thread: values are marked.
    static MARKING: Cell<bool> = const { Cell::new(false) };
}

/// Builds the catalogue's matcher now (the router calls it), so that the first English page does not.
pub(crate) fn warm() {
    std::sync::LazyLock::force(&CATALOGUE);
}

/// The language of the request being served (Chinese outside a request).
pub(crate) fn lang() -> Lang {
    CONTEXT.try_with(|c| c.lang).unwrap_or_default()
}

/// Whether the request asked for English (the templates' switch reads it).
pub(crate) fn english() -> bool {
    lang() == Lang::En
}

/// The page to come back to after the switch, URL-encoded: the request's own path for a GET, the home
/// page after a form.
pub(crate) fn here() -> String {
    let here = CONTEXT.try_with(|c| c.here.clone()).unwrap_or_default();
    let here = if here.is_empty() { "/" } else { here.as_str() };
    // Percent-encoded but for the path's own slashes (readable, and the same path as the page's).
    let mut out = String::with_capacity(here.len());
    for b in here.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The language a request asks for: the switch's cookie, else `Accept-Language`; a cookie with another
/// value than `en`/`zh` is ignored.
pub(crate) fn chosen(headers: &HeaderMap) -> Lang {
    match cookie(headers, COOKIE) {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => Lang::from_headers(headers),
    }
}

/// The pages' layer: the request's language for everything the handler renders.
pub(crate) async fn language(req: Request, next: Next) -> Response {
    let lang = chosen(req.headers());
    let here = if req.method() == Method::GET {
        req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default()
    } else {
        String::new()
    };
    let mut r = CONTEXT.scope(Context { lang, here }, next.run(req)).await;
    if r.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html")) {
        let tag = if lang == Lang::En { "en" } else { "zh-CN" };
        r.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(tag));
    }
    r
}

/// The switch's query: `/lang?to=en&next=/register`.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Switch {
    #[serde(default)]
    to: String,
    #[serde(default)]
    next: String,
}

/// The language switch: remembers `en` or `zh` for a year (another value changes nothing) and goes
/// back to the page it was used on.
pub(crate) async fn switch(
    axum::Extension(cookies): axum::Extension<Cookies>,
    Query(q): Query<Switch>,
) -> Response {
    let mut r = see_other(if q.next.is_empty() { "/" } else { &q.next });
    if q.to == "en" || q.to == "zh" {
        let mut c = format!("{COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict", q.to);
        if cookies.secure {
            c.push_str("; Secure");
        }
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// A rendering in the request's language: the template as it is in Chinese; in English with its values
/// marked, then translated.
pub(crate) fn rendered(t: &impl askama::Template) -> askama::Result<String> {
    if lang() != Lang::En {
        return t.render();
    }
    let html = {
        let _marking = Marking::on();
        t.render()?
    };
    Ok(html::english(&CATALOGUE, &html, None))
}

/// A text of the Rust side (a title, a done message) in the request's language: the catalogue's English
/// when it has the text whole, else the text.
pub(crate) fn text(zh: &str) -> String {
    if lang() == Lang::En { CATALOGUE.value(zh).unwrap_or_else(|| zh.to_owned()) } else { zh.to_owned() }
}

/// A message (an error, a refusal) in the request's language.
pub(crate) fn say<T: Localized + ?Sized>(e: &T) -> String {
    if lang() == Lang::En { e.en() } else { e.zh() }
}

/// A date in the request's language: `2026年11月29日`, `29 November 2026`.
pub(crate) fn day(d: chrono::NaiveDate) -> String {
    if lang() == Lang::En { catalogue::english_day(d) } else { d.format("%Y年%-m月%-d日").to_string() } // zh: the Chinese date
}

/// Marks values while an English page renders; unmarks when dropped (a failed rendering included).
struct Marking;

impl Marking {
    fn on() -> Self {
        MARKING.with(|m| m.set(true));
        Marking
    }
}

impl Drop for Marking {
    fn drop(&mut self) {
        MARKING.with(|m| m.set(false));
    }
}

/// The templates' escaper (`askama.toml`): HTML-escapes like askama's own, and in an English rendering
/// wraps each value between markers so that translation leaves it whole.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Marked;

impl askama::filters::Escaper for Marked {
    fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> std::fmt::Result {
        if !MARKING.with(Cell::get) {
            return askama::filters::Html.write_escaped_str(dest, s);
        }
        dest.write_char(OPEN)?;
        if s.bytes().any(|b| b == 0xEE) {
            let clean: String = s.chars().filter(|c| !matches!(*c, OPEN | CLOSE | HOLE)).collect();
            askama::filters::Html.write_escaped_str(&mut dest, &clean)?;
        } else {
            askama::filters::Html.write_escaped_str(&mut dest, s)?;
        }
        dest.write_char(CLOSE)
    }
}

/// A text with notes in brackets, as each language writes it: `张三（市）`, `张三 (city)` (the notes
/// given in the request's language already).
pub(crate) fn aside(main: &str, notes: &[&str]) -> String {
    if lang() == Lang::En {
        format!("{main} ({})", notes.join(", "))
    } else {
        format!("{main}（{}）", notes.join("，")) // zh: the Chinese form
    }
}

/// Items joined as each language lists them: `zh_sep` (`、`, `，` or `；`) in Chinese, `, ` or `; ` in
/// English. The items are data (names): as they are.
pub(crate) fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>, zh_sep: &str) -> String {
    let sep = match (lang(), zh_sep) {
        (Lang::Zh, s) => s,
        (Lang::En, "；") => "; ",
        (Lang::En, _) => ", ",
    };
    items.into_iter().map(|s| s.as_ref().to_owned()).collect::<Vec<_>>().join(sep)
}

/// Labels (roles, levels, gaps) joined as [`join`] does, each through the catalogue.
pub(crate) fn labels<S: AsRef<str>>(items: impl IntoIterator<Item = S>, zh_sep: &str) -> String {
    join(items.into_iter().map(|s| text(s.as_ref())), zh_sep)
}
