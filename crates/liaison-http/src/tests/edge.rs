//! The server's edge in-process (issue 12, items 9 and 11): refused requests in the audit trail, limited;
//! the audit administrator reads the trail; rate limits per client and per account; `/metrics` behind a
//! token.

use axum::http::StatusCode;
use serde_json::json;

use super::{T, rt, setup};

async fn token_for(t: &T, login: &str, role: &str) -> String {
    let (s, _, b) = t
        .call(
            "POST",
            "/api/v1/users",
            &t.admin,
            Some(json!({"login": login, "display_name": login, "roles": [role]})),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, _, b) =
        t.call("POST", "/api/v1/tokens", &t.admin, Some(json!({"user": login, "label": "test"})), &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b["token"].as_str().unwrap().to_owned()
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
