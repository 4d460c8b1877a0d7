//! Issue 18 through the API: the annual report negotiated by `Accept` (JSON, HTML, XLSX, the CSV zip) or
//! `format`, in English by `Accept-Language`, refused to an administrator, a bad period a 422.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use super::{deputy_json, rt, setup};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[test]
fn the_annual_report_in_every_format_by_content_negotiation() {
    rt().block_on(async {
        let t = setup().await;
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let body = json!({"title": "关于加强未成年人检察工作的建议", "content": "建议设立联络点。", "source": "闭会期间", "deputies": [d["id"]]});
        let (s, _, _) = t.call("POST", "/api/v1/suggestions", &t.office, Some(body), &[]).await;
        assert_eq!(s, StatusCode::CREATED);
        let get = |accept: &'static str, lang: &'static str, query: &'static str| {
            let req = Request::get(format!("/api/v1/reports/annual{query}"))
                .header(header::AUTHORIZATION, format!("Bearer {}", t.office))
                .header(header::ACCEPT, accept)
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::empty())
                .unwrap();
            t.raw(req)
        };
        let (s, h, b) = get("application/json", "zh", "").await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
        assert_eq!(h[header::CONTENT_TYPE], "application/json");
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["suggestions"]["total"]["received"], 1);
        assert_eq!(v["suggestions"]["by_level"].as_array().unwrap().len(), 5);
        assert_eq!(v["annex"][0]["proposers"], "王芳");
        let (s, h, b) = get("text/html,application/xhtml+xml;q=0.9", "en", "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        let html = String::from_utf8(b).unwrap();
        assert!(html.contains("Township deputies") && html.contains("<svg class=\"chart\""), "{html}");
        let (s, h, b) = get(XLSX, "zh", "").await;
        assert_eq!((s, h[header::CONTENT_TYPE].to_str().unwrap()), (StatusCode::OK, XLSX));
        assert!(h[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment; filename=\"annual-report-"));
        assert!(b.starts_with(b"PK"));
        let (s, h, b) = get("*/*", "zh", "?format=csv").await;
        assert_eq!((s, h[header::CONTENT_TYPE].to_str().unwrap()), (StatusCode::OK, "application/zip"));
        assert!(b.starts_with(b"PK"));
        let (s, _, _) = get("application/json", "zh", "?from=2026-05-01&to=2026-04-01").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _, _) = get("application/json", "zh", "?format=pdf").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _, _) = t.call("GET", "/api/v1/reports/annual", &t.admin, None, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    });
}
