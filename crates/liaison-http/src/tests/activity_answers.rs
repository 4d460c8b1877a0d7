//! Issue 17 item 7 over HTTP: a drawn deputy confirms and declines with their own API token
//! (`POST /api/v1/activities/{id}/responses`, If-Match), reads their activities and the draw's record;
//! bad input is a problem naming the field; a deputy outside the draw gets 404; a department is refused;
//! the office records an answer given by telephone with a note, and sees every answer in the activity.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use super::{T, deputy_json, rt, setup};

/// Two deputies on the register and an activity for both seats, drawn: the ids and the activity's id.
async fn drawn(t: &T) -> (Vec<String>, String) {
    let mut ids = Vec::new();
    for name in ["王芳", "李强"] {
        let mut d = deputy_json(name);
        d["mobile"] = json!(format!("1380013800{}", ids.len()));
        let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(d), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        ids.push(b["id"].as_str().unwrap().to_owned());
    }
    let plan = json!({"kind": "open_day", "title": "走进检察院", "on": "2027-06-01", "place": "本院",
        "seats": 2, "selection": "lottery"});
    let (s, _, b) = t.call("POST", "/api/v1/activities", &t.office, Some(plan), &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["activity"]["id"].as_str().unwrap().to_owned();
    let prepare = json!({"secret_seed_reason": "测试"});
    let (s, _, b) = t
        .call(
            "POST",
            &format!("/api/v1/activities/{id}/prepare"),
            &t.office,
            Some(prepare),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let seed = b["seed"].as_str().unwrap().to_owned();
    let (s, _, b) = t
        .call(
            "POST",
            &format!("/api/v1/activities/{id}/draw"),
            &t.office,
            Some(json!({"seed": seed})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    (ids, id)
}

async fn answer(t: &T, token: &str, id: &str, tag: &str, body: Value) -> (StatusCode, Value, String) {
    let uri = format!("/api/v1/activities/{id}/responses");
    let (s, h, b) = t.call("POST", &uri, token, Some(body), &[("if-match", tag)]).await;
    let etag = h.get(header::ETAG).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (s, b, etag)
}

#[test]
fn a_drawn_deputy_answers_with_their_own_token_and_the_office_records_one_by_telephone() {
    rt().block_on(async {
        let t = setup().await;
        let (ids, id) = drawn(&t).await;
        let wang = t.token_for("dep0", "deputy", json!({"deputy": ids[0]})).await;
        let li = t.token_for("dep1", "deputy", json!({"deputy": ids[1]})).await;
        // My activities: the version to answer at, the last day.
        let (s, _, mine) = t.call("GET", "/api/v1/me/activities", &wang, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{mine}");
        assert_eq!(
            (mine[0]["id"].as_str(), mine[0]["answer_by"].as_str()),
            (Some(id.as_str()), Some("2027-05-31"))
        );
        assert_eq!(mine[0]["open"], json!(true));
        let tag = format!("\"{}\"", mine[0]["version"]);
        assert_eq!(
            t.call("GET", "/api/v1/me/activities", &t.office, None, &[]).await.0,
            StatusCode::FORBIDDEN
        );

        // If-Match required; bad input named; nothing written.
        let uri = format!("/api/v1/activities/{id}/responses");
        let (s, _, _) = t.call("POST", &uri, &wang, Some(json!({"answer": "confirm"})), &[]).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
        let (s, b, _) = answer(&t, &wang, &id, &tag, json!({"answer": "decline"})).await;
        assert_eq!(
            (s, b["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")),
            "{b}"
        );
        let (s, b, _) = answer(&t, &wang, &id, &tag, json!({"answer": "confirm", "extra": 1})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::BAD_REQUEST, Some("input.malformed_json")), "{b}");

        // Confirmed; the same again refused with its code.
        let (s, b, tag) = answer(&t, &wang, &id, &tag, json!({"answer": "confirm"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["activity"]["responses"][&ids[0]]["answer"], json!("confirmed"));
        let (s, b, _) = answer(&t, &wang, &id, &tag, json!({"answer": "confirm"})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("activity.already_answered")), "{b}");
        // 王芳 cannot answer for 李强: her own seat only; nothing written.
        let (s, b, _) =
            answer(&t, &wang, &id, &tag, json!({"answer": "decline", "reason": "x", "deputy": ids[1]})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        let (s, b, _) = answer(&t, &wang, &id, &tag, json!({"answer": "decline", "reason": "出差"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["activity"]["responses"][&ids[0]]["answer"], json!("declined"), "{b}");
        assert!(b["activity"]["responses"].get(&ids[1]).is_none(), "{b}");
        assert!(b.get("people").is_none(), "a deputy is not handed the others' labels: {b}");
        let tag = format!("\"{}\"", b["activity"]["version"]);

        // A leader may not answer for a deputy; the office records 李强's by telephone, with a note.
        let leader = t.token_for("l1", "leader", json!({})).await;
        let (s, _, _) = answer(&t, &leader, &id, &tag, json!({"answer": "confirm", "deputy": ids[1]})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, b, _) =
            answer(&t, &t.office, &id, &tag, json!({"answer": "confirm", "deputy": ids[1]})).await;
        assert_eq!(
            (s, b["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("note")),
            "{b}"
        );
        let body = json!({"answer": "confirm", "deputy": ids[1], "note": "6月1日电话告知"});
        let (s, b, _) = answer(&t, &t.office, &id, &tag, body).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert!(b["activity"]["responses"][&ids[1]]["recorded_by"].is_string(), "{b}");
        // 李强 sees it, and the draw's record verifies.
        let (_, _, mine) = t.call("GET", "/api/v1/me/activities", &li, None, &[]).await;
        assert_eq!(mine[0]["reply"]["answer"], json!("confirmed"), "{mine}");
        let (s, _, d) = t.call("GET", &format!("/api/v1/me/activities/{id}/draw"), &li, None, &[]).await;
        assert_eq!((s, d["verification"]["ok"].as_bool()), (StatusCode::OK, Some(true)), "{d}");
        // The office reads every answer in the activity.
        let (_, _, a) = t.call("GET", &format!("/api/v1/activities/{id}"), &t.office, None, &[]).await;
        assert_eq!(a["responses"].as_object().unwrap().len(), 2, "{a}");
    });
}
