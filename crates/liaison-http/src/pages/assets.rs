//! The pages' static files, embedded in the binary (an intranet has no CDN): the stylesheet and htmx 2
//! (vendored unchanged, with its 0BSD licence line). Served under a fixed name with `Cache-Control:
//! no-cache` and an `ETag` of their content, so a browser revalidates and gets `304` until a new build
//! changes them.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The staff stylesheet, the charts' rules (`liaison_app::report::charts::STYLE`) at its end.
static CSS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("{}{}", include_str!("../../assets/static/app.css"), liaison_app::report::charts::STYLE)
});
const HTMX: &str = include_str!("../../assets/static/htmx.min.js");

/// FNV-1a of the content, as a quoted ETag.
fn etag(body: &str) -> String {
    let h = body
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("\"{h:016x}\"")
}

fn serve(headers: &HeaderMap, body: &'static str, kind: &'static str) -> Response {
    let tag = etag(body);
    let fresh = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v == tag);
    let tag = HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
    let common = [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")), (header::ETAG, tag)];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, HeaderValue::from_static(kind))], body).into_response()
}

/// `/static/app.css`.
pub(crate) async fn css(headers: HeaderMap) -> Response {
    serve(&headers, CSS.as_str(), "text/css; charset=utf-8")
}

/// `/static/report.css`: the annual report's screen and A4 print stylesheet (the app's, one copy).
pub(crate) async fn report_css(headers: HeaderMap) -> Response {
    serve(&headers, liaison_app::report::render::STYLE.as_str(), "text/css; charset=utf-8")
}

/// `/static/htmx.min.js`.
pub(crate) async fn htmx(headers: HeaderMap) -> Response {
    serve(&headers, HTMX, "text/javascript; charset=utf-8")
}

#[cfg(test)]
mod tests {
    /// The stylesheet's blocks are closed, each where it opened: an unclosed `@media` (a merge once left
    /// one) silently swallows every rule after it.
    #[test]
    fn the_stylesheet_closes_every_block() {
        let mut depth = 0i32;
        for (i, line) in super::CSS.lines().enumerate() {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            assert!((0..=2).contains(&depth), "line {}: depth {depth}: {line}", i + 1);
            if line.starts_with("/* ") {
                assert_eq!(depth, 0, "line {}: a section starts inside an open block: {line}", i + 1);
            }
        }
        assert_eq!(depth, 0);
        assert!(!super::CSS.contains("style="), "no inline style is needed: the CSP forbids it anyway");
    }
}
