//! Issue 12, item 7 over HTTP: an officer's scope (403 naming the deputy), the required `reason` (422
//! naming the field), bulk viewing (429 with `Retry-After`, one alert listed by the security and the
//! audit administrator), and the OpenAPI document declaring the reason with its constraint.

use axum::http::{StatusCode, header};
use liaison_core::scope::BulkViewLimit;
use serde_json::{Value, json};

use super::{T, deputy_json, rt, setup_app};

/// `%`-encoding of a query value (enough for the tests' texts).
fn q(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

const WHY: &str = "走访前核对地址";

/// Officers 林晓 (鼓楼区) and 陈明 (台江区); 王芳 (鼓楼区) assigned to 林晓, 李娜 (台江区) to 陈明.
async fn world(t: &T) -> (String, String) {
    for (v, c) in [
        json!({"action": "add_region", "name": "鼓楼区"}),
        json!({"action": "add_region", "name": "台江区"}),
        json!({"action": "add_officer", "name": "林晓", "regions": ["鼓楼区"]}),
        json!({"action": "add_officer", "name": "陈明", "regions": ["台江区"]}),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(t.org(c, v as u64).await.0, StatusCode::OK);
    }
    let mut ids = Vec::new();
    for (name, region, officer) in [("王芳", "鼓楼区", "林晓"), ("李娜", "台江区", "陈明")] {
        let mut d = deputy_json(name);
        d["region"] = json!(region);
        d["delegation"] = json!(format!("{region}代表团"));
        let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(d), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let id = b["id"].as_str().unwrap().to_owned();
        let uri = format!("/api/v1/deputies/{id}/assign");
        let (s, _, b) = t
            .call("POST", &uri, &t.office, Some(json!({"officer": officer})), &[("if-match", "\"1\"")])
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        ids.push(id);
    }
    (ids[0].clone(), ids[1].clone())
}

async fn full(t: &T, token: &str, id: &str, reason: Option<&str>, lang: &str) -> (StatusCode, Value, String) {
    let uri = match reason {
        Some(r) => format!("/api/v1/deputies/{id}/full?reason={}", q(r)),
        None => format!("/api/v1/deputies/{id}/full"),
    };
    let (s, h, b) = t.call("GET", &uri, token, None, &[("accept-language", lang)]).await;
    let retry = h.get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (s, b, retry)
}

#[test]
fn an_officer_is_scoped_a_reason_is_required_and_bulk_viewing_is_refused_with_an_alert() {
    rt().block_on(async {
        let t = setup_app(|_| {}, |a| a.with_bulk_view_limit(BulkViewLimit::new(3, 10).unwrap())).await;
        let (wang, li) = world(&t).await;
        let lin = t.token_for("lin", "officer", json!({"officer": "林晓"})).await;
        // Its own deputy in full; another officer's refused, naming the deputy, in Chinese and English.
        let (s, b, _) = full(&t, &lin, &wang, Some(WHY), "zh").await;
        assert_eq!((s, b["contact"]["mobile"].as_str()), (StatusCode::OK, Some("13800138000")));
        let (s, b, _) = full(&t, &lin, &li, Some(WHY), "zh").await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::FORBIDDEN, Some("scope.not_assigned")));
        assert!(b["detail"].as_str().unwrap().contains("代表李娜不在您的联络范围内"), "{b}");
        let (_, b, _) = full(&t, &lin, &li, Some(WHY), "en").await;
        assert!(b["detail"].as_str().unwrap().contains("李娜 is outside your scope"), "{b}");
        // Nor may it end that deputy's term; the refusal is recorded like the others.
        let uri = format!("/api/v1/deputies/{li}/end");
        let (s, _, b) =
            t.call("POST", &uri, &lin, Some(json!({"date": "2026-03-01"})), &[("if-match", "\"2\"")]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::FORBIDDEN, Some("scope.not_assigned")), "{b}");
        let auditor = t.token_for("aud", "auditor", json!({})).await;
        let (_, _, refused) =
            t.call("GET", "/api/v1/audit/records?kind=access.refused", &auditor, None, &[]).await;
        let routes: Vec<&str> = refused["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["aggregate_id"].as_str().unwrap())
            .collect();
        assert!(
            routes.contains(&"/api/v1/deputies/{id}/end") && routes.contains(&"/api/v1/deputies/{id}/full")
        );
        // A reason is required: missing, blank, too short, too long — 422 naming the field.
        for reason in [None, Some(""), Some("   "), Some("核对"), Some(&*"查".repeat(201))] {
            let (s, b, _) = full(&t, &t.office, &wang, reason, "zh").await;
            assert_eq!(
                (s, b["errors"][0]["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
            );
        }
        // The limit: three full views in ten minutes for one account (lin made one); the next is refused
        // with Retry-After, an alert is raised once.
        for _ in 0..2 {
            assert_eq!(full(&t, &lin, &wang, Some(WHY), "zh").await.0, StatusCode::OK);
        }
        let (s, b, retry) = full(&t, &lin, &wang, Some(WHY), "zh").await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::TOO_MANY_REQUESTS, Some("personal_data.bulk_viewing"))
        );
        assert!(retry.parse::<u32>().is_ok_and(|r| (1..=600).contains(&r)), "{retry}");
        assert_eq!(full(&t, &lin, &wang, Some(WHY), "zh").await.0, StatusCode::TOO_MANY_REQUESTS);
        // Another account is not held back by lin's views.
        assert_eq!(full(&t, &t.office, &li, Some(WHY), "zh").await.0, StatusCode::OK);
        for token in [&t.sec, &auditor] {
            let (s, _, a) = t.call("GET", "/api/v1/audit/alerts", token, None, &[]).await;
            assert_eq!(s, StatusCode::OK);
            let items = a["items"].as_array().unwrap();
            assert_eq!(items.len(), 1, "{a}");
            assert_eq!(
                (items[0]["kind"].as_str(), items[0]["payload"]["login"].as_str()),
                (Some("alert.bulk_personal_data"), Some("lin"))
            );
        }
        let (s, _, _) = t.call("GET", "/api/v1/audit/alerts", &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, b) = t.call("GET", "/api/v1/audit/alerts?kind=deputy.", &t.sec, None, &[]).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")));
        // The document declares the reason required, with its length.
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let params = doc["paths"]["/api/v1/deputies/{id}/full"]["get"]["parameters"].as_array().unwrap();
        let reason = params.iter().find(|p| p["name"] == "reason").unwrap();
        assert_eq!((&reason["in"], &reason["required"]), (&json!("query"), &json!(true)), "{reason}");
        assert_eq!(
            (&reason["schema"]["minLength"], &reason["schema"]["maxLength"]),
            (&json!(4), &json!(200))
        );
        assert!(doc["paths"]["/api/v1/audit/alerts"]["get"].is_object());
    });
}
