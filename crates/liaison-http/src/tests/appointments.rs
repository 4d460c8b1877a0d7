//! Issue 17 over HTTP: a deputy asks for an appointment with their own token (the deputy forced to the
//! caller, the channel online), lists only their own; bad input names the field and writes nothing; staff
//! record a deputy's request as before and see every appointment.

use axum::http::StatusCode;
use serde_json::json;

use super::{deputy_json, rt, setup};

#[test]
fn a_deputy_asks_for_an_appointment_as_themself_and_lists_only_their_own() {
    rt().block_on(async {
        let t = setup().await;
        let (s, _, b) = t.org(json!({"action": "add_officer", "name": "林联络", "regions": []}), 0).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let mut ids = Vec::new();
        for (i, name) in ["王芳", "李强"].into_iter().enumerate() {
            let mut d = deputy_json(name);
            d["mobile"] = json!(format!("1380013801{i}"));
            let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(d), &[]).await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            ids.push(b["id"].as_str().unwrap().to_owned());
        }
        let wang = t.token_for("dep0", "deputy", json!({"deputy": ids[0]})).await;
        let li = t.token_for("dep1", "deputy", json!({"deputy": ids[1]})).await;

        // 王芳 asks, naming 李强 as the deputy and the hotline as the channel: both are ignored.
        let ask = json!({"deputy": ids[1], "official": "林联络", "channel": "hotline", "topic": "反映辖区公益诉讼线索"});
        let (s, _, a) = t.call("POST", "/api/v1/appointments", &wang, Some(ask), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(a["deputy"]["deputy"], json!(ids[0]), "the caller: {a}");
        assert_eq!(a["channel"], json!("online"), "{a}");
        // Without deputy and channel, as a client of the deputy's own would send it.
        let ask = json!({"official": "林联络", "topic": "了解检察建议落实情况"});
        let (s, _, b) = t.call("POST", "/api/v1/appointments", &li, Some(ask), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        assert_eq!(b["deputy"]["deputy"], json!(ids[1]), "{b}");

        // Bad input: the field named, nothing written.
        let (s, _, p) =
            t.call("POST", "/api/v1/appointments", &wang, Some(json!({"official": "林联络", "topic": " "})), &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(p["errors"][0]["field"], "topic", "{p}");
        let (s, _, p) = t
            .call("POST", "/api/v1/appointments", &wang, Some(json!({"official": "无此人", "topic": "x"})), &[])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");

        // Each deputy lists their own; the office lists both.
        let (s, _, mine) = t.call("GET", "/api/v1/appointments", &wang, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{mine}");
        let mine = mine.as_array().unwrap().clone();
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0]["deputy"]["deputy"], json!(ids[0]));
        let (_, _, his) = t.call("GET", "/api/v1/appointments?official=林联络", &li, None, &[]).await;
        assert_eq!(his.as_array().unwrap().len(), 1, "{his}");
        let (_, _, all) = t.call("GET", "/api/v1/appointments", &t.office, None, &[]).await;
        assert_eq!(all.as_array().unwrap().len(), 2, "{all}");

        // A deputy cannot act on the appointment (the office's commands).
        let uri = format!("/api/v1/appointments/{}/acknowledge", a["id"].as_str().unwrap());
        let (s, _, b) = t.call("POST", &uri, &wang, Some(json!({})), &[("if-match", "\"1\"")]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        // Staff still record a deputy's request, naming the deputy and the channel.
        let ask = json!({"deputy": ids[1], "official": "林联络", "channel": "hotline", "topic": "电话预约"});
        let (s, _, b) = t.call("POST", "/api/v1/appointments", &t.office, Some(ask), &[]).await;
        assert_eq!((s, &b["channel"]), (StatusCode::CREATED, &json!("hotline")), "{b}");
        let (s, _, p) =
            t.call("POST", "/api/v1/appointments", &t.office, Some(json!({"official": "林联络", "topic": "x"})), &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "the office must name the deputy: {p}");
    });
}
