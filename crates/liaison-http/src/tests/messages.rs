//! Issue 17 through the API: an assignment's message in the delivery list (the office and the system
//! administrator; never its text), delivered by the worker into the handler's inbox, read there; a failed
//! message retried with `If-Match` and a reason.

use axum::http::StatusCode;
use liaison_app::{Channel, Channels, MessageRecord, Sending};
use liaison_core::message::{MessageChannel, Outcome, RetryPolicy};
use serde_json::json;

use super::{deputy_json, rt, setup_app};

struct Down;

impl Channel for Down {
    fn deliver<'a>(&'a self, _: &'a MessageRecord) -> Sending<'a> {
        Box::pin(async { Outcome::Failed("网关拒绝 (gateway refused)".into()) })
    }
}

#[test]
fn the_delivery_list_the_inbox_and_a_retry_through_the_api() {
    rt().block_on(async {
        let one_try = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
        let t = setup_app(|_| {}, |a| a.with_retry_policy(one_try)).await;
        let app = t.app.clone().unwrap();
        t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await;
        let dept = t.token_for("dept1", "department", json!({"department": "第一检察部"})).await;
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let body = json!({"title": "关于加强未成年人检察工作的建议", "content": "建议设立联络点。", "source": "闭会期间", "deputies": [d["id"]]});
        let (s, _, b) = t.call("POST", "/api/v1/suggestions", &t.office, Some(body), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let number = b["suggestion"]["number"].as_str().unwrap().to_owned();
        let (s, b) = t.act(&t.office, &number, "assign", json!({"lead": "第一检察部", "handler": "dept1"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let item = format!("suggestion:{}", b["suggestion"]["id"].as_str().unwrap());

        // The office and the system administrator see the state, never the text; a department does not.
        let (s, _, list) = t.call("GET", &format!("/api/v1/messages?item={item}"), &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!((list[0]["state"].as_str(), list[0]["recipient_name"].as_str()), (Some("queued"), Some("dept1用户")));
        assert!(list[0].get("subject").is_none() && list[0].get("body").is_none());
        let (s, _, _) = t.call("GET", "/api/v1/messages", &t.admin, None, &[]).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _, _) = t.call("GET", "/api/v1/messages", &dept, None, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, b) = t.call("GET", "/api/v1/messages?state=lost", &t.office, None, &[]).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("state")));

        // The channel fails once: with one attempt allowed, failed with the reason.
        let down = Channels::new().with(MessageChannel::Inbox, std::sync::Arc::new(Down));
        assert_eq!(app.deliver_due(&down, 10).await.unwrap().failed, 1);
        let (_, _, failed) = t.call("GET", "/api/v1/messages?state=failed", &t.office, None, &[]).await;
        assert_eq!(failed[0]["last_error"], "网关拒绝 (gateway refused)");
        let id = failed[0]["id"].as_str().unwrap().to_owned();
        let tag = format!("\"{}\"", failed[0]["version"]);
        let retry = format!("/api/v1/messages/{id}/retry");
        let (s, _, _) = t.call("POST", &retry, &t.office, Some(json!({"reason": "x"})), &[]).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
        let (s, _, b) = t.call("POST", &retry, &t.office, Some(json!({"reason": " "})), &[("if-match", &tag)]).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
        let (s, h, b) =
            t.call("POST", &retry, &t.office, Some(json!({"reason": "网关已恢复"})), &[("if-match", &tag)]).await;
        assert_eq!((s, b["state"].as_str(), b["attempts"].as_u64()), (StatusCode::OK, Some("queued"), Some(0)), "{b}");
        assert_eq!(h["etag"].to_str().unwrap(), format!("\"{}\"", b["version"]));
        let (s, _, b) = t.call("POST", &retry, &t.office, Some(json!({"reason": "再试"})), &[("if-match", &tag)]).await;
        assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{b}");

        // The worker delivers it to the handler's inbox; read there, by its owner only.
        let round = app.deliver_due(&Channels::standard(&app), 10).await.unwrap();
        assert_eq!(round.delivered, 1);
        let (s, _, inbox) = t.call("GET", "/api/v1/inbox?unread=true", &dept, None, &[]).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(inbox.as_array().unwrap().len(), 1, "{inbox}");
        assert!(inbox[0]["subject"].as_str().unwrap().contains(&number));
        let read = format!("/api/v1/inbox/{}/read", inbox[0]["id"].as_str().unwrap());
        let (s, _, _) = t.call("POST", &read, &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "another's message");
        let (s, _, _) = t.call("POST", &read, &dept, None, &[]).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, _, inbox) = t.call("GET", "/api/v1/inbox?unread=true", &dept, None, &[]).await;
        assert!(inbox.as_array().unwrap().is_empty());
        let (_, _, mine) = t.call("GET", "/api/v1/inbox", &t.office, None, &[]).await;
        assert!(mine.as_array().unwrap().is_empty(), "the office's own inbox is its own");
    });
}
