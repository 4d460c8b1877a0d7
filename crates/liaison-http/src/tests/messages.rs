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

/// Catches SMS.
struct Phone(std::sync::Mutex<Vec<liaison_app::Sms>>);

impl liaison_app::SmsGateway for Phone {
    fn send<'a>(&'a self, sms: &'a liaison_app::Sms) -> Sending<'a> {
        Box::pin(async move {
            self.0.lock().unwrap().push(sms.clone());
            Outcome::Sent
        })
    }
}

/// Issue 17 item 4: contact preferences over HTTP — one's own, or anyone's for the office; `If-Match` on a
/// change; a bad value refused naming its field, and nothing changed.
#[test]
fn contact_preferences_through_the_api() {
    rt().block_on(async {
        let t = super::setup().await;
        t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await;
        let dept = t.token_for("dept1", "department", json!({"department": "第一检察部"})).await;
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let deputy_id = d["id"].as_str().unwrap().to_owned();
        let own = t.token_for("wang", "deputy", json!({"deputy": deputy_id})).await;
        let url = "/api/v1/contacts/user:dept1";
        let (s, h, v) = t.call("GET", url, &t.office, None, &[]).await;
        assert_eq!(
            (s, v["prefer"].as_str(), v["version"].as_u64()),
            (StatusCode::OK, Some("auto"), Some(0)),
            "{v}"
        );
        assert_eq!(h["etag"], "\"0\"");
        let put = |token: &str, body: serde_json::Value, tag: Option<&'static str>| {
            let token = token.to_owned();
            let t = &t;
            async move {
                let h: Vec<(&str, &str)> = tag.map(|x| vec![("if-match", x)]).unwrap_or_default();
                t.call("PUT", url, &token, Some(body), &h).await
            }
        };
        let (s, _, _) = put(&t.office, json!({"prefer": "email"}), None).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
        let (s, _, b) = put(&t.office, json!({"prefer": "pigeon"}), Some("\"0\"")).await;
        assert_eq!(
            (s, b["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("prefer")),
            "{b}"
        );
        let (s, _, b) = put(&t.office, json!({"email": "not-an-address"}), Some("\"0\"")).await;
        assert_eq!(
            (s, b["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("email")),
            "{b}"
        );
        let (s, _, b) = put(&t.office, json!({"prefr": "sms"}), Some("\"0\"")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "an unknown field is refused, named: {b}");
        assert!(b["message_zh"].as_str().unwrap().contains("prefr"), "{b}");
        let (_, _, v) = t.call("GET", url, &t.office, None, &[]).await;
        assert_eq!(v["version"], 0, "nothing changed: {v}");
        let (s, h, v) =
            put(&t.office, json!({"prefer": "email", "email": "dept1@example.cn"}), Some("\"0\"")).await;
        assert_eq!(
            (s, v["prefer"].as_str(), v["email"].as_str()),
            (StatusCode::OK, Some("email"), Some("d***@example.cn")),
            "{v}"
        );
        assert_eq!(h["etag"], "\"1\"");
        let (s, _, _) = put(&t.office, json!({"opt_out": true}), Some("\"0\"")).await;
        assert_eq!(s, StatusCode::PRECONDITION_FAILED, "stale");
        // One's own: yes; another's: forbidden.
        let (s, _, v) = t.call("GET", url, &dept, None, &[]).await;
        assert_eq!((s, v["email"].as_str()), (StatusCode::OK, Some("d***@example.cn")));
        let (s, _, _) = t.call("GET", "/api/v1/contacts/user:dept1", &own, None, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let mine = format!("/api/v1/contacts/deputy:{deputy_id}");
        let (s, _, v) = t
            .call(
                "PUT",
                &mine,
                &own,
                Some(json!({"prefer": "inbox", "opt_out": true})),
                &[("if-match", "\"0\"")],
            )
            .await;
        assert_eq!(
            (s, v["prefer"].as_str(), v["opt_out"].as_bool()),
            (StatusCode::OK, Some("inbox"), Some(true)),
            "{v}"
        );
        let (s, _, b) = t.call("GET", "/api/v1/contacts/nobody", &t.office, None, &[]).await;
        assert_eq!(
            (s, b["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("subject"))
        );
        // Audited with the address masked.
        let auditor = t.token_for("auditor", "auditor", json!({})).await;
        let (s, _, audit) =
            t.call("GET", "/api/v1/audit/records?kind=message.contact_changed", &auditor, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{audit}");
        let text = audit.to_string();
        assert!(text.contains("d***@example.cn") && !text.contains("dept1@example.cn"), "{text}");
    });
}

/// Issue 17 items 1 and 2 through HTTP: a notice sent reaches its deputy by SMS with a link of their own;
/// the page the link opens acknowledges it once (404 forged, 410 used); the notice's delivery table shows
/// the SMS and the acknowledgement.
#[test]
fn a_notice_is_acknowledged_from_the_deputys_own_link() {
    rt().block_on(async {
        let settings = liaison_app::MessageSettings {
            outside: vec![MessageChannel::Sms],
            public_url: Some("https://lx.example.cn".into()),
            ..Default::default()
        };
        let t = setup_app(|_| {}, |a| a.with_message_settings(settings)).await;
        let app = t.app.clone().unwrap();
        let leader = t.token_for("leader1", "leader", json!({})).await;
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let deputy = d["id"].as_str().unwrap().to_owned();
        let notice = json!({"title": "关于开展公益诉讼专项监督活动的通报", "content": "本院将于二季度开展专项监督。",
            "scope": "chosen", "deputies": [deputy], "channel": "短信"});
        let (s, _, n) = t.call("POST", "/api/v1/notices", &t.office, Some(notice), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{n}");
        let id = n["notice"]["id"].as_str().unwrap().to_owned();
        let (s, _, b) = t.call("POST", &format!("/api/v1/notices/{id}/approve"), &leader, Some(json!({})), &[("if-match", "\"1\"")]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, _, b) = t.call("POST", &format!("/api/v1/notices/{id}/send"), &t.office, Some(json!({})), &[("if-match", "\"2\"")]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let phone = std::sync::Arc::new(Phone(Default::default()));
        let channels = Channels::standard(&app)
            .with(MessageChannel::Sms, std::sync::Arc::new(liaison_app::SmsChannel::new(&app, phone.clone())));
        app.deliver_due(&channels, 10).await.unwrap();
        let sms = phone.0.lock().unwrap().clone();
        assert_eq!((sms.len(), sms[0].to.as_str()), (1, "13800138000"));
        let link = sms[0].params["link"].as_str().unwrap().to_owned();
        let path = link.trim_start_matches("https://lx.example.cn").to_owned();
        assert!(path.starts_with("/ack/"), "{link}");
        let token = path.trim_start_matches("/ack/").to_owned();

        let get = |uri: String| axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
        let post = |uri: String| axum::http::Request::post(uri).body(axum::body::Body::empty()).unwrap();
        let (s, h, html) = t.raw(get(path.clone())).await;
        let html = String::from_utf8(html).unwrap();
        assert_eq!(s, StatusCode::OK, "{html}");
        assert!(html.contains("关于开展公益诉讼专项监督活动的通报") && html.contains("王芳") && html.contains("确认已知悉"));
        assert_eq!(h["cache-control"], "no-store");
        let (s, _, html) = t.raw(get("/ack/forged.secret".into())).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{}", String::from_utf8_lossy(&html));
        let (s, _, html) = t.raw(post(path.clone())).await;
        assert_eq!(s, StatusCode::OK);
        assert!(String::from_utf8(html).unwrap().contains("已确认知悉"));
        let (s, _, html) = t.raw(post(path.clone())).await;
        assert_eq!(s, StatusCode::GONE);
        assert!(String::from_utf8(html).unwrap().contains("该确认链接已使用过"));
        let (s, _, b) = t.call("GET", &format!("/api/v1/notice-ack/{token}"), "", None, &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::GONE, Some("notice_link.used")), "{b}");

        let (_, _, v) = t.call("GET", &format!("/api/v1/notices/{id}"), &t.office, None, &[]).await;
        assert_eq!(v["acknowledged"], 1, "{v}");
        let row = &v["deliveries"][0];
        assert!(row["name"].as_str().unwrap().starts_with("王芳（"), "{row}");
        assert!(row["acknowledged_on"].is_string());
        let channels: Vec<(&str, &str)> = row["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["channel"].as_str().unwrap(), m["state"].as_str().unwrap()))
            .collect();
        assert_eq!(channels, [("inbox", "delivered"), ("sms", "sent")]);
        assert!(!v.to_string().contains(&token), "staff never see the link");
    });
}
