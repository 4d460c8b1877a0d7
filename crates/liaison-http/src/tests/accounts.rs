//! Issue 15 ("every change route requires If-Match"): an account's steps and the token policy name the
//! version read (`If-Match`, the `ETag` of `GET /api/v1/users/{login}` or the policy's); a stale one is 412
//! and changes nothing, the right one answers with the new `ETag`.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use super::{T, rt, setup};

/// Read `read`, send the change with a stale `If-Match` (412, `read` unchanged), then with the `ETag` read
/// (200, the next version as the `ETag` and in the body); returns the body.
async fn stale_then_fresh(
    t: &T,
    token: &str,
    method: &str,
    uri: &str,
    read: &str,
    body: Option<Value>,
) -> Value {
    let (s, h, before) = t.call("GET", read, token, None, &[]).await;
    assert_eq!(s, StatusCode::OK, "{before}");
    let tag = h[header::ETAG].to_str().unwrap().to_owned();
    let version = before["version"].as_u64().unwrap();
    assert_eq!(tag, format!("\"{version}\""), "the ETag is the body's version");
    let old = if version == 0 { version + 1 } else { version - 1 };
    let stale = format!("\"{old}\"");
    let (s, _, b) = t.call(method, uri, token, body.clone(), &[("if-match", &stale)]).await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::PRECONDITION_FAILED, Some("version.stale")),
        "{uri}: {b}"
    );
    let (_, h, after) = t.call("GET", read, token, None, &[]).await;
    assert_eq!(
        (h[header::ETAG].to_str().unwrap(), &after),
        (tag.as_str(), &before),
        "{uri}: nothing written"
    );
    let (s, h, b) = t.call(method, uri, token, body, &[("if-match", &tag)]).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {b}");
    let next = format!("\"{}\"", version + 1);
    assert_eq!(
        (h[header::ETAG].to_str().unwrap(), b["version"].as_u64()),
        (next.as_str(), Some(version + 1))
    );
    b
}

#[test]
fn issue_15_account_steps_and_the_token_policy_refuse_a_stale_if_match_and_change_nothing() {
    rt().block_on(async {
        let t = setup().await;
        let new = json!({"login": "wang", "display_name": "王五", "roles": ["office"]});
        let (s, _, b) = t.call("POST", "/api/v1/users", &t.admin, Some(new), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let read = "/api/v1/users/wang";
        let b = stale_then_fresh(&t, &t.sec, "POST", "/api/v1/users/wang/approve", read, None).await;
        assert_eq!((b["roles"][0].as_str(), b["pending_roles"].is_null()), (Some("office"), true));
        let roles = Some(json!({"roles": ["officer"]}));
        let b = stale_then_fresh(&t, &t.admin, "POST", "/api/v1/users/wang/roles", read, roles).await;
        assert_eq!(b["pending_roles"][0].as_str(), Some("officer"));
        let b = stale_then_fresh(&t, &t.sec, "POST", "/api/v1/users/wang/reject", read, None).await;
        assert!(b["pending_roles"].is_null(), "{b}");
        let b = stale_then_fresh(&t, &t.admin, "POST", "/api/v1/users/wang/disable?reason=离职", read, None)
            .await;
        assert_eq!(b["active"].as_bool(), Some(false));
        let b = stale_then_fresh(&t, &t.sec, "POST", "/api/v1/users/wang/enable", read, None).await;
        assert_eq!(b["active"].as_bool(), Some(true));
        // The list gives each account's version too.
        let (_, _, list) = t.call("GET", "/api/v1/users", &t.sec, None, &[]).await;
        let wang = list.as_array().unwrap().iter().find(|u| u["login"] == "wang").unwrap();
        assert_eq!(wang, &b);
        // The token policy: "0" while the defaults apply.
        let policy = Some(json!({"lifetime_days": 30, "idle_days": 7}));
        let uri = "/api/v1/settings/token-policy";
        let b = stale_then_fresh(&t, &t.sec, "PUT", uri, uri, policy).await;
        assert_eq!((b["lifetime_days"].as_u64(), b["idle_days"].as_u64()), (Some(30), Some(7)));
        let policy = Some(json!({"lifetime_days": 60, "idle_days": 7}));
        let b = stale_then_fresh(&t, &t.sec, "PUT", uri, uri, policy).await;
        assert_eq!((b["lifetime_days"].as_u64(), b["version"].as_u64()), (Some(60), Some(2)));
        // A missing account is 404, before any version is compared.
        let (s, _, _) = t.call("GET", "/api/v1/users/nobody", &t.sec, None, &[]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    });
}
