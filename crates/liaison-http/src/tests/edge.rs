//! The server's edge in-process (issue 12, items 9 and 11): refused requests in the audit trail, limited;
//! the audit administrator reads the trail; rate limits per client and per account; `/metrics` behind a
//! token.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::{T, rt, setup};

async fn token_for(t: &T, login: &str, role: &str) -> String {
    // As an account comes to be (issue 12 items 1, 14): added, approved where it waits, activated.
    t.token_for(login, role, json!({})).await
}

/// Issue 12, item 9: a failed authentication and a refusal are records of the trail — the route as
/// declared, the method, the account when known — and a flood of them adds only a bounded number, the
/// last saying how many it stands for. The audit administrator reads the trail with filters; the office
/// may not.
#[test]
fn refusals_are_audited_within_a_limit_and_the_auditor_reads_the_trail() {
    rt().block_on(async {
        let t = setup().await;
        let auditor = token_for(&t, "auditor", "auditor").await;
        let (s, _, _) =
            t.call("GET", "/api/v1/deputies/abc/full", "lia_000000000000_deadbeef", None, &[]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _, _) = t.call("GET", "/api/v1/audit/records", &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the office does not read the trail");

        let (s, _, page) = t.call("GET", "/api/v1/audit/records?kind=access.", &auditor, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{page}");
        assert_eq!(items[0]["kind"], "access.unauthenticated");
        assert_eq!(items[0]["aggregate_id"], "/api/v1/deputies/{id}/full", "the route, never the raw path");
        assert_eq!(items[0]["payload"]["method"], "GET");
        assert!(!items[0].to_string().contains("deadbeef"), "no token text in the trail");
        assert_eq!(items[1]["kind"], "access.refused");
        assert!(items[1]["actor"].as_str().unwrap().contains("office"), "{}", items[1]);

        // A flood of guesses: the trail takes a bounded number of records.
        for i in 0..200 {
            let (s, _, _) = t.call("GET", "/api/v1/me", &format!("lia_{i:012}_guess"), None, &[]).await;
            assert!(s == StatusCode::UNAUTHORIZED || s == StatusCode::TOO_MANY_REQUESTS, "{s}");
        }
        let (_, _, page) = t
            .call("GET", "/api/v1/audit/records?kind=access.unauthenticated&limit=1000", &auditor, None, &[])
            .await;
        let n = page["items"].as_array().unwrap().len();
        assert!((2..=12).contains(&n), "{n} records after 200 guesses");

        // Filters: by actor, aggregate, time; a page at a time.
        let (_, _, page) =
            t.call("GET", "/api/v1/audit/records?actor=admin&limit=1", &auditor, None, &[]).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, _, next) = t
            .call("GET", &format!("/api/v1/audit/records?actor=admin&cursor={cursor}"), &auditor, None, &[])
            .await;
        assert!(next["items"][0]["seq"].as_u64() > page["items"][0]["seq"].as_u64(), "{next}");
        let (_, _, none) = t.call("GET", "/api/v1/audit/records?to=2000-01-01", &auditor, None, &[]).await;
        assert_eq!(none["items"], json!([]));
        let (s, _, b) = t.call("GET", "/api/v1/audit/records?from=yesterday", &auditor, None, &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    });
}

/// A server over a fresh database with this edge; the administrator's and the office's tokens.
async fn world(edge: crate::Edge) -> (axum::Router, String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let a = liaison_app::App::open(&liaison_app::Config::for_db(&dir.path().join("t.db"))).unwrap();
    let admin = a.bootstrap("测试院").await.unwrap().unwrap().admin_token.token;
    let router = crate::app_with(crate::AppState::new(a.clone()), crate::Limits::default(), edge);
    let mut t = T {
        router: router.clone(),
        admin: admin.clone(),
        sec: String::new(),
        office: String::new(),
        app: Some(a),
        _dir: tempfile::tempdir().unwrap(),
    };
    t.sec = token_for(&t, "sec", "security_admin").await;
    let office = token_for(&t, "office", "office").await;
    (router, admin, office, dir)
}

/// A request from `peer`, with headers.
fn from(peer: &str, method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let mut r = b.body(Body::empty()).unwrap();
    let addr: std::net::SocketAddr = peer.parse().unwrap();
    r.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    r
}

async fn send(router: &axum::Router, r: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let resp = router.clone().oneshot(r).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Issue 12, item 11: a 429 problem with `Retry-After` per client address, per account, and for an
/// address that spent its failed authentications (token guessing) — the others are served meanwhile.
#[test]
fn rate_limits_answer_429_with_retry_after_per_address_account_and_failures() {
    rt().block_on(async {
        let edge = crate::Edge {
            per_address: crate::Rate { per_second: 1.0, burst: 30 },
            per_account: crate::Rate { per_second: 1.0, burst: 5 },
            failures: crate::Rate { per_second: 0.2, burst: 3 },
            ..crate::Edge::default()
        };
        let (router, admin, office, _dir) = world(edge).await;
        let bearer = |t: &str| format!("Bearer {t}");
        // Per account: the office's sixth request in a burst is refused, the administrator is still served.
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let ob = bearer(&office);
            let (s, h, b) =
                send(&router, from("192.0.2.1:1000", "GET", "/api/v1/me", &[("authorization", &ob)])).await;
            statuses.push(s);
            if s == StatusCode::TOO_MANY_REQUESTS {
                assert_eq!(b["code"], "rate.limited", "{b}");
                assert!(h["retry-after"].to_str().unwrap().parse::<u32>().unwrap() >= 1);
                assert_eq!(h["content-type"], "application/problem+json");
            }
        }
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 5, "{statuses:?}");
        assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
        let ab = bearer(&admin);
        let (s, _, _) =
            send(&router, from("192.0.2.1:1000", "GET", "/api/v1/me", &[("authorization", &ab)])).await;
        assert_eq!(s, StatusCode::OK, "another account is not held up");

        // Failed authentications: three guesses, then 429 for anything with credentials from there — even
        // a valid token —, while another address is served.
        for i in 0..3 {
            let g = format!("Bearer lia_{i:012}_guess");
            let (s, _, _) =
                send(&router, from("192.0.2.7:1000", "GET", "/api/v1/me", &[("authorization", &g)])).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let (s, h, _) =
            send(&router, from("192.0.2.7:1000", "GET", "/api/v1/me", &[("authorization", &ab)])).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
        assert!(h.contains_key("retry-after"));
        let (s, _, _) = send(&router, from("192.0.2.7:1000", "GET", "/feedback/guess", &[])).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "link guessing is held up too");
        let (s, _, _) = send(&router, from("192.0.2.7:1000", "GET", "/deputy/login/ab.guess", &[])).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "login links too");
        // Guessing login links alone spends the budget: three forged links, then 429.
        for _ in 0..3 {
            let (s, _, _) =
                send(&router, from("192.0.2.10:1000", "GET", "/deputy/login/ab.guess", &[])).await;
            assert_eq!(s, StatusCode::NOT_FOUND);
        }
        let (s, _, _) = send(&router, from("192.0.2.10:1000", "GET", "/deputy/login/ab.guess2", &[])).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "login link guessing is held up");
        let (s, _, _) = send(&router, from("192.0.2.7:1000", "GET", "/livez", &[])).await;
        assert_eq!(s, StatusCode::OK, "requests without credentials are not");
        let (s, _, _) =
            send(&router, from("192.0.2.8:1000", "GET", "/api/v1/me", &[("authorization", &ab)])).await;
        assert_eq!(s, StatusCode::OK);

        // Per address: the burst of 30 is spent whatever the account.
        let mut limited = 0;
        for _ in 0..40 {
            let (s, _, _) = send(&router, from("192.0.2.9:1000", "GET", "/livez", &[])).await;
            if s == StatusCode::TOO_MANY_REQUESTS {
                limited += 1;
            }
        }
        assert!((9..=10).contains(&limited), "{limited}");
    });
}

/// Issue 12, items 11 and 16: the client's address comes from `X-Forwarded-For` only when the peer is a
/// trusted proxy (limits and audit records use it), and HSTS is sent when the client came over TLS.
#[test]
fn forwarded_headers_are_believed_only_from_trusted_proxies() {
    rt().block_on(async {
        let edge = crate::Edge {
            failures: crate::Rate { per_second: 0.2, burst: 2 },
            trusted_proxies: vec![
                crate::Net::parse("127.0.0.1").unwrap(),
                crate::Net::parse("10.1.0.0/16").unwrap(),
            ],
            ..crate::Edge::default()
        };
        let (router, admin, _office, _dir) = world(edge).await;
        let guess = "Bearer lia_000000000000_guess";
        // Two failures forwarded for 203.0.113.9 through two trusted proxies; a forged first hop is ignored.
        for _ in 0..2 {
            let h = [("authorization", guess), ("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.2.3")];
            let (s, _, _) = send(&router, from("127.0.0.1:5000", "GET", "/api/v1/me", &h)).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let ab = format!("Bearer {admin}");
        let held = [("authorization", ab.as_str()), ("x-forwarded-for", "203.0.113.9")];
        let (s, _, _) = send(&router, from("127.0.0.1:5000", "GET", "/api/v1/me", &held)).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "the client behind the proxy is held up");
        let other = [("authorization", ab.as_str()), ("x-forwarded-for", "203.0.113.10")];
        let (s, h, _) = send(&router, from("127.0.0.1:5000", "GET", "/api/v1/me", &other)).await;
        assert_eq!(s, StatusCode::OK, "not the proxy, nor its other clients");
        assert!(h.get("strict-transport-security").is_none(), "plain HTTP to the proxy: no HSTS");
        // From an untrusted peer the header is ignored: it is limited as itself.
        let forged = [
            ("authorization", ab.as_str()),
            ("x-forwarded-for", "203.0.113.10"),
            ("x-forwarded-proto", "https"),
        ];
        let (s, h, _) = send(&router, from("198.51.100.1:5000", "GET", "/api/v1/me", &forged)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(h.get("strict-transport-security").is_none(), "an untrusted X-Forwarded-Proto is ignored");
        let tls = [("authorization", ab.as_str()), ("x-forwarded-proto", "https")];
        let (_, h, _) = send(&router, from("10.1.0.5:5000", "GET", "/api/v1/me", &tls)).await;
        assert_eq!(h["strict-transport-security"], "max-age=31536000; includeSubDomains");

        // The audit records name the client behind the proxy.
        let auditor = {
            let t = T {
                router: router.clone(),
                admin: admin.clone(),
                sec: String::new(),
                office: String::new(),
                app: None,
                _dir: tempfile::tempdir().unwrap(),
            };
            token_for(&t, "auditor", "auditor").await
        };
        let au = format!("Bearer {auditor}");
        let (_, _, page) = send(
            &router,
            from(
                "192.0.2.50:1",
                "GET",
                "/api/v1/audit/records?kind=access.unauthenticated",
                &[("authorization", &au)],
            ),
        )
        .await;
        assert_eq!(page["items"][0]["payload"]["client"], "203.0.113.9", "{page}");
    });
}

/// Issue 12, items 11 and 16: `/metrics` answers on the service's address only with its token; HSTS on
/// every response when the service itself speaks TLS.
#[test]
fn metrics_need_their_token_and_tls_brings_hsts() {
    rt().block_on(async {
        let edge = crate::Edge {
            metrics_token: Some("m3tr1cs-t0ken-0123456789".into()),
            hsts: true,
            ..crate::Edge::default()
        };
        let (router, _, _, _dir) = world(edge).await;
        let (s, h, b) = send(&router, from("127.0.0.1:1", "GET", "/metrics", &[])).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("metrics.token")), "{b}");
        assert_eq!(h["strict-transport-security"], "max-age=31536000; includeSubDomains");
        let (s, _, _) =
            send(&router, from("127.0.0.1:1", "GET", "/metrics", &[("authorization", "Bearer wrong")])).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let r =
            from("127.0.0.1:1", "GET", "/metrics", &[("authorization", "Bearer m3tr1cs-t0ken-0123456789")]);
        let resp = router.clone().oneshot(r).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let text = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&text).contains("liaison_http_requests_total"));
    });
}

/// Issue 12, item 17: `/livez` names the version, the commit and the build time.
#[test]
fn livez_names_the_commit_and_the_build_time() {
    rt().block_on(async {
        let (router, _, _, _dir) = world(crate::Edge::default()).await;
        let (s, h, b) = send(&router, Request::get("/livez").body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(h["content-type"], "application/json");
        assert_eq!(b["status"], "ok");
        assert_eq!(b["version"], env!("CARGO_PKG_VERSION"));
        let commit = b["commit"].as_str().unwrap();
        assert!(
            commit == "unknown" || (commit.len() == 12 && commit.bytes().all(|c| c.is_ascii_hexdigit())),
            "{b}"
        );
        assert!(chrono::DateTime::parse_from_rfc3339(b["built"].as_str().unwrap()).is_ok(), "{b}");
    });
}

/// Issue 17, item 6: the deputies' login codes asked for from one client address are limited, whatever the
/// numbers (so one address cannot walk the register's numbers or run up SMS); another address is served.
#[test]
fn login_codes_are_limited_per_client_address() {
    rt().block_on(async {
        let edge = crate::Edge {
            code_requests: crate::Rate { per_second: 0.001, burst: 2 },
            ..crate::Edge::default()
        };
        let (router, _, _, _dir) = world(edge).await;
        let post = |peer: &str| {
            let mut r =
                from(peer, "POST", "/deputy/login", &[("content-type", "application/x-www-form-urlencoded")]);
            *r.body_mut() = Body::from("csrf=x&mobile=13900000001");
            r
        };
        for _ in 0..2 {
            // Served (refused by the form's CSRF check, which is the page's business, not the limit's).
            let (s, _, _) = send(&router, post("192.0.2.20:1000")).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
        }
        let (s, h, b) = send(&router, post("192.0.2.20:1000")).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("rate.limited")), "{b}");
        assert!(h.contains_key("retry-after"));
        let (s, _, _) = send(&router, post("192.0.2.21:1000")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another address is not held up");
        let (s, _, _) = send(&router, from("192.0.2.20:1000", "GET", "/deputy/login", &[])).await;
        assert_eq!(s, StatusCode::OK, "the form itself is not limited");
    });
}
