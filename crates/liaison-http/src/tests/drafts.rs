//! Issue 17 item 7 over HTTP: a deputy drafts a joint suggestion with a deputy's API token, the co-signer
//! confirms with their own, the lead submits and the suggestion is filed; If-Match on every action,
//! problem+json naming the field, nobody acting for another deputy, staff refused.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use super::{T, deputy_json, rt, setup};

async fn deputies(t: &T) -> Vec<String> {
    let mut ids = Vec::new();
    for (name, level) in [("王芳", "市"), ("李强", "县"), ("张敏", "乡")] {
        let mut d = deputy_json(name);
        d["level"] = json!(level);
        d["mobile"] = json!(format!("1380013800{}", ids.len()));
        let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(d), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        ids.push(b["id"].as_str().unwrap().to_owned());
    }
    ids
}

/// POST a draft action with the draft's current ETag (read as `token`).
async fn act(t: &T, token: &str, id: &str, action: &str, body: Value) -> (StatusCode, Value) {
    let (s, h, b) = t.call("GET", &format!("/api/v1/drafts/{id}"), token, None, &[]).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let tag = h[header::ETAG].to_str().unwrap().to_owned();
    let uri = format!("/api/v1/drafts/{id}/{action}");
    let (s, _, b) = t.call("POST", &uri, token, Some(body), &[("if-match", tag.as_str())]).await;
    (s, b)
}

#[test]
fn a_deputy_files_a_joint_suggestion_online_and_the_co_signer_confirms() {
    rt().block_on(async {
        let t = setup().await;
        let ids = deputies(&t).await;
        let wang = t.token_for("dep0", "deputy", json!({"deputy": ids[0]})).await;
        let li = t.token_for("dep1", "deputy", json!({"deputy": ids[1]})).await;
        let zhang = t.token_for("dep2", "deputy", json!({"deputy": ids[2]})).await;
        // Bad input: a problem naming each field; nothing opened.
        let bad = json!({"title": "", "content": "", "co_signers": [ids[0]]});
        let (s, _, b) = t.call("POST", "/api/v1/drafts", &wang, Some(bad), &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["title", "content"], "{b}");
        let (s, _, b) = t
            .call("POST", "/api/v1/drafts", &wang, Some(json!({"title": "标题", "content": "内容", "co_signers": [ids[0]]})), &[])
            .await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("co_signers")), "{b}");
        assert_eq!(t.call("GET", "/api/v1/drafts", &wang, None, &[]).await.2, json!([]));
        // Staff may neither open nor read drafts.
        let body = json!({"title": "关于加强社区矫正监督的建议", "content": "建议加强对社区矫正执行活动的监督。", "co_signers": [ids[1]]});
        let (s, _, b) = t.call("POST", "/api/v1/drafts", &t.office, Some(body.clone()), &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::FORBIDDEN, Some("auth.forbidden")), "{b}");
        assert_eq!(t.call("GET", "/api/v1/drafts", &t.admin, None, &[]).await.0, StatusCode::FORBIDDEN);
        // Opened by 王芳 with 李强 invited (idempotent).
        let (s, h, v) = t.call("POST", "/api/v1/drafts", &wang, Some(body.clone()), &[("idempotency-key", "d-1")]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_str().unwrap().to_owned();
        assert_eq!(h[header::LOCATION].to_str().unwrap(), format!("/api/v1/drafts/{id}"));
        assert_eq!(h[header::ETAG].to_str().unwrap(), "\"2\"");
        assert_eq!((v["lead"]["name"].as_str(), v["co_signers"][0]["deputy"]["name"].as_str()), (Some("王芳"), Some("李强")));
        assert!(!v.to_string().contains(&ids[1]), "people by name, never by id: {v}");
        let (_, _, again) = t.call("POST", "/api/v1/drafts", &wang, Some(body), &[("idempotency-key", "d-1")]).await;
        assert_eq!(again["id"], v["id"]);
        // 张敏 was not invited: not found.
        let (s, _, _) = t.call("GET", &format!("/api/v1/drafts/{id}"), &zhang, None, &[]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // If-Match is required; a stale one is refused.
        let uri = format!("/api/v1/drafts/{id}/confirm");
        let (s, _, _) = t.call("POST", &uri, &li, Some(json!({"edition": 1})), &[]).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
        let (s, _, _) = t.call("POST", &uri, &li, Some(json!({"edition": 1})), &[("if-match", "\"1\"")]).await;
        assert_eq!(s, StatusCode::PRECONDITION_FAILED);
        // 李强 cannot submit; the office cannot confirm for 李强.
        let (s, b) = act(&t, &li, &id, "submit", json!({})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("draft.not_the_lead")), "{b}");
        let (s, _, b) = t.call("POST", &uri, &t.office, Some(json!({"edition": 1})), &[("if-match", "\"2\"")]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::FORBIDDEN, Some("auth.forbidden")), "{b}");
        // An unknown field is refused.
        let (s, _) = act(&t, &li, &id, "confirm", json!({"edition": 1, "deputy": ids[0]})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        // 李强 confirms; 王芳 submits: the suggestion is filed with both, from the deputy online.
        let (s, b) = act(&t, &li, &id, "confirm", json!({"edition": 1})).await;
        assert_eq!((s, b["co_signers"][0]["answer"].as_str(), b["ready"].as_bool()), (StatusCode::OK, Some("confirmed"), Some(true)), "{b}");
        let (s, b) = act(&t, &wang, &id, "submit", json!({})).await;
        assert_eq!((s, b["status"].as_str()), (StatusCode::OK, Some("submitted")), "{b}");
        let number = b["suggestion_number"].as_str().unwrap();
        let (s, _, sg) = t.call("GET", &format!("/api/v1/suggestions/{number}"), &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{sg}");
        assert_eq!(sg["suggestion"]["source"], "online");
        assert_eq!(sg["suggestion"]["proposers"].as_array().unwrap().len(), 2);
        let (s, _, _) = t.call("GET", &format!("/api/v1/suggestions/{number}"), &li, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "the co-signer reads the suggestion as a proposer");
        // The list, both sides.
        let (_, _, list) = t.call("GET", "/api/v1/drafts", &li, None, &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["suggestion_number"].as_str(), Some(number));
    });
}
