//! Every error an RFC 9457 problem that says what is wrong (issue 12 item 19): the Chinese `detail` keeps
//! the field and the reason, hyper's own 414/431 answers carry problem bodies, `If-Match` compares
//! strongly.

use std::io::{Read, Write};

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use super::{deputy_json, rt, setup};

/// A field the Chinese labels do not know, or a reason that is a phrase rather than a field, never reads
/// "字段" (it read `输入有误：字段：与字段不一致`).
#[test]
fn the_chinese_detail_keeps_the_field_and_the_reason() {
    rt().block_on(async {
        let t = setup().await;
        assert_eq!(t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await.0, StatusCode::OK);
        let body = json!({"title": "建立联络点", "description": "试点", "owner": "第一检察部", "deadline": "2027-06-30",
            "suggestion": "2026-0001", "opinion": "意见"});
        let (s, _, p) = t.call("POST", "/api/v1/measures", &t.office, Some(body), &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let detail = p["detail"].as_str().unwrap();
        assert!(!detail.contains("字段"), "{detail}");
        assert!(detail.contains("建议") && detail.contains("意见"), "{detail}");
        assert_eq!(p["errors"][0]["field"], "suggestion", "{p}");
    });
}

/// RFC 9110: `If-Match` uses the strong comparison, and a weak tag never matches (`W/"1"` was accepted).
#[test]
fn a_weak_if_match_is_refused() {
    rt().block_on(async {
        let t = setup().await;
        let (s, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let uri = format!("/api/v1/deputies/{}", d["id"].as_str().unwrap());
        let patch = json!({"position": "书记"});
        let (s, h, p) = t.call("PATCH", &uri, &t.office, Some(patch), &[("if-match", "W/\"1\"")]).await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::PRECONDITION_FAILED, Some("precondition.weak")),
            "{p}"
        );
        assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
        let (_, _, d) = t.call("GET", &uri, &t.office, None, &[]).await;
        assert_eq!(d["version"], 1, "nothing changed");
    });
}

fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> (u16, String, Value) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    // The server may answer (and close) before it has read everything: a failed write is not the test.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_ascii_lowercase(), serde_json::from_str(body).unwrap_or(Value::Null))
}

/// hyper answers a request line or header block it will not read by itself, with no body (414, 431, 400):
/// on the wire those answers are problems too.
#[test]
fn oversized_request_lines_and_headers_get_problem_bodies() {
    rt().block_on(async {
        let t = setup().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = t.router.clone();
        tokio::spawn(async move { axum::serve(crate::automatic::ProblemListener(listener), router).await });
        let cases: Vec<(Vec<u8>, u16, &str)> = vec![
            (
                format!("GET /api/v1/{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)).into_bytes(),
                414,
                "request.uri_too_long",
            ),
            (
                format!(
                    "GET /livez HTTP/1.1\r\nHost: x\r\n{}\r\n",
                    (0..120).map(|i| format!("x-h{i}: v\r\n")).collect::<String>()
                )
                .into_bytes(),
                431,
                "request.headers_too_large",
            ),
            (b"GET /livez HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n".to_vec(), 400, "request.bad"),
        ];
        for (request, status, code) in cases {
            let (got, head, body) =
                tokio::task::spawn_blocking(move || exchange(addr, &request)).await.unwrap();
            assert_eq!(got, status, "{head}");
            assert!(head.contains("content-type: application/problem+json"), "{head}");
            assert_eq!(body["code"], code, "{body}");
            assert_eq!(body["status"], status);
            assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
        }
        // The server goes on answering.
        let (got, _, _) = tokio::task::spawn_blocking(move || {
            exchange(addr, b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        })
        .await
        .unwrap();
        assert_eq!(got, 200);
    });
}
