//! HTTP tests in-process (`app().oneshot()`): conventions (problems, ETag/If-Match, idempotency, limits,
//! authentication and roles) on a real SQLite file.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use liaison_app::{App, Config};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::{AppState, Limits, app};

mod accounts;
mod activity_answers;
mod appointments;
mod contract;
mod drafts;
mod edge;
mod errors;
mod messages;
mod reports;
mod scope;
mod tenants;

pub(crate) struct T {
    router: axum::Router,
    pub(crate) admin: String,
    pub(crate) sec: String,
    pub(crate) office: String,
    /// The app behind the router, when the test has it (the delivery worker's rounds).
    pub(crate) app: Option<App>,
    _dir: tempfile::TempDir,
}

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

pub(crate) async fn setup() -> T {
    setup_with(|_| {}).await
}

async fn setup_with(tune: impl FnOnce(&mut Config)) -> T {
    setup_app(tune, |a| a).await
}

pub(crate) async fn setup_app(tune: impl FnOnce(&mut Config), app_tune: impl FnOnce(App) -> App) -> T {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_db(&dir.path().join("t.db"));
    tune(&mut config);
    let a = app_tune(App::open(&config).unwrap());
    let admin = a.bootstrap("测试院").await.unwrap().unwrap().admin_token.token;
    let router = app(AppState::new(a.clone()), Limits { json_body: 64 << 10, upload: 256 << 10 });
    let mut t = T { router, admin, sec: String::new(), office: String::new(), app: Some(a), _dir: dir };
    // The security administrator, and the office approved by it: each redeems its own activation code.
    t.sec = t.token_for("sec", "security_admin", json!({})).await;
    t.office = t.token_for("office", "office", json!({})).await;
    t
}

impl T {
    pub(crate) async fn org(&self, c: Value, v: u64) -> (StatusCode, axum::http::HeaderMap, Value) {
        let m = format!("\"{v}\"");
        self.call("POST", "/api/v1/organisation/commands", &self.office, Some(c), &[("if-match", &m)]).await
    }

    pub(crate) async fn raw(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let (parts, body) = r.into_parts();
        (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
    }

    pub(crate) async fn call(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut b = Request::builder().method(method).uri(uri);
        if !token.is_empty() {
            b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(v) => {
                b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap()
            }
            None => b.body(Body::empty()).unwrap(),
        };
        let (s, h, bytes) = self.raw(req).await;
        (s, h, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}

pub(crate) fn deputy_json(name: &str) -> Value {
    json!({"name": name, "gender": "女", "level": "县", "term": "18", "region": "鼓楼区", "delegation": "鼓楼区代表团",
           "work_unit": "鼓楼区第一中学", "mobile": "13800138000", "term_start": "2022-01-01"})
}

#[test]
fn authentication_roles_and_problems() {
    rt().block_on(async {
        let t = setup().await;
        let (s, h, b) = t.call("GET", "/api/v1/deputies", "", None, &[]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(h[header::WWW_AUTHENTICATE], "Bearer");
        assert_eq!(b["code"], "auth.unauthenticated");
        let (s, _, _) = t.call("GET", "/api/v1/deputies", "lia_000000000000_deadbeef", None, &[]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // The administrator may not register deputies; the problem speaks English on request.
        let (s, _, b) = t
            .call(
                "POST",
                "/api/v1/deputies",
                &t.admin,
                Some(deputy_json("王芳")),
                &[("accept-language", "en-GB,en")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(b["code"], "auth.forbidden");
        assert!(b["detail"].as_str().unwrap().starts_with("not allowed"));
        assert!(b["message_zh"].as_str().unwrap().contains("无权"));
        let (s, _, b) = t.call("GET", "/api/v1/nowhere", &t.office, None, &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::NOT_FOUND, Some("route.not_found")));
        let (s, _, me) = t.call("GET", "/api/v1/me", &t.office, None, &[]).await;
        assert_eq!((s, me["roles"][0].as_str()), (StatusCode::OK, Some("office")));
    });
}

#[test]
fn create_read_change_with_etags_and_idempotency() {
    rt().block_on(async {
        let t = setup().await;
        let key = [("idempotency-key", "req-1")];
        let (s, h, created) =
            t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &key).await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        assert_eq!(h[header::ETAG], "\"1\"");
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(h[header::LOCATION], format!("/api/v1/deputies/{id}").as_str());
        assert_eq!(created["contact"]["mobile"], "138****8000");
        let (s, _, again) =
            t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &key).await;
        assert_eq!((s, &again), (StatusCode::CREATED, &created), "a retried create returns the first result");
        let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("李娜")), &key).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency.mismatch")));
        let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("deputy.duplicate")));

        let uri = format!("/api/v1/deputies/{id}");
        let patch = json!({"position": "校长"});
        let (s, _, b) = t.call("PATCH", &uri, &t.office, Some(patch.clone()), &[]).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::PRECONDITION_REQUIRED, Some("precondition.required"))
        );
        let (s, h, b) = t.call("PATCH", &uri, &t.office, Some(patch.clone()), &[("if-match", "\"1\"")]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(h[header::ETAG], "\"2\"");
        let (s, _, b) = t
            .call("PATCH", &uri, &t.office, Some(json!({"position": "书记"})), &[("if-match", "\"1\"")])
            .await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("version.stale")));
        let (_, h, b) = t.call("GET", &uri, &t.office, None, &[]).await;
        assert_eq!(
            (h[header::ETAG].to_str().unwrap(), b["position"].as_str()),
            ("\"2\"", Some("校长")),
            "the stale change wrote nothing"
        );

        let (s, _, b) = t
            .call(
                "PATCH",
                &uri,
                &t.office,
                Some(json!({"mobile": "12345", "email": "nope"})),
                &[("if-match", "\"2\"")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> =
            b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["mobile", "email"]);
        let (s, _, b) =
            t.call("PATCH", &uri, &t.office, Some(json!({"colour": "red"})), &[("if-match", "\"2\"")]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::BAD_REQUEST, Some("input.malformed_json")));

        let (s, _, full) = t
            .call(
                "GET",
                &format!("{uri}/full?reason=%E5%8A%9E%E5%89%8D%E6%B2%9F%E9%80%9A"),
                &t.office,
                None,
                &[],
            )
            .await;
        assert_eq!((s, full["contact"]["mobile"].as_str()), (StatusCode::OK, Some("13800138000")));
        let (s, _, _) = t.call("GET", &format!("{uri}/full"), &t.admin, None, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, _, hist) = t.call("GET", &format!("{uri}/history"), &t.office, None, &[]).await;
        assert_eq!(hist.as_array().unwrap().last().unwrap()["kind"], "access.personal_data_viewed");

        let (s, _, b) = t
            .call(
                "POST",
                &format!("{uri}/end"),
                &t.office,
                Some(json!({"date": "2026-03-01", "why": "resigned"})),
                &[("if-match", "\"2\"")],
            )
            .await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
        let (s, _, b) = t
            .call(
                "POST",
                &format!("{uri}/end"),
                &t.office,
                Some(json!({"date": "2026-03-01", "why": "resigned", "reason": "本人辞职"})),
                &[("if-match", "\"2\"")],
            )
            .await;
        assert_eq!((s, b["status"].as_str()), (StatusCode::OK, Some("removed")));
        let (s, _, b) = t
            .call(
                "POST",
                &format!("{uri}/end"),
                &t.office,
                Some(json!({"date": "2026-03-02"})),
                &[("if-match", "\"3\"")],
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("deputy.illegal_transition")));
    });
}

#[test]
fn import_limits_and_pagination() {
    rt().block_on(async {
        let t = setup().await;
        let mut csv = Vec::new();
        liaison_app::demo::write_csv(
            liaison_app::demo::generate(120, 3),
            &mut csv,
            liaison_app::import::Encoding::Utf8,
        )
        .unwrap();
        let post = |uri: &str, body: Vec<u8>, token: &str| {
            Request::post(uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(body))
                .unwrap()
        };
        let (s, _, b) = t.raw(post("/api/v1/deputies/import?dry_run=true", csv.clone(), &t.office)).await;
        let r: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            (s, r["imported"].as_u64(), r["dry_run"].as_bool()),
            (StatusCode::OK, Some(120), Some(true))
        );
        let (s, _, b) = t.raw(post("/api/v1/deputies/import", csv.clone(), &t.office)).await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
        // A bad file: refused whole, with the report.
        let bad = "姓名,性别,代表层级,届次,所属区域,任期开始,手机\n张三,男,县,18,鼓楼区,2022-01-01,123\n"
            .as_bytes()
            .to_vec();
        let (s, h, b) = t.raw(post("/api/v1/deputies/import", bad, &t.office)).await;
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            (s, h[header::CONTENT_TYPE].to_str().unwrap()),
            (StatusCode::UNPROCESSABLE_ENTITY, "application/problem+json")
        );
        assert_eq!(
            (p["import"]["errors"][0]["row"].as_u64(), p["import"]["errors"][0]["column"].as_str()),
            (Some(2), Some("手机"))
        );
        // Issue 14 item 2: a record over several lines is one row; the row is the spreadsheet's.
        let multi = "姓名,性别,代表层级,届次,所属区域,任期开始,通讯地址,手机\r\n张三,男,县,18,鼓楼区,2022-01-01,\"福州市\n鼓楼区\n东街\",13800138000\r\n李四,男,县,18,鼓楼区,2022-01-01,福州市,123\r\n";
        let (s, _, b) = t.raw(post("/api/v1/deputies/import", multi.as_bytes().to_vec(), &t.office)).await;
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            (s, p["import"]["errors"][0]["row"].as_u64(), p["import"]["errors"][0]["column"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(3), Some("手机"))
        );
        // Too large.
        let (s, _, b) = t.raw(post("/api/v1/deputies/import", vec![b'a'; 300 << 10], &t.office)).await;
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!((s, p["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("request.too_large")));
        // A department account needs its department (422, nothing written); the auditor may not import.
        let (s, _, u) = t
            .call(
                "POST",
                "/api/v1/users",
                &t.admin,
                Some(json!({"login": "dept", "display_name": "一部", "roles": ["department"]})),
                &[],
            )
            .await;
        assert_eq!(
            (s, u["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("department"))
        );
        let tok = t.token_for("audit", "auditor", json!({})).await;
        let (s, _, _) = t.raw(post("/api/v1/deputies/import", csv, &tok)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Pages join up with no repeat and no gap.
        let mut seen = std::collections::HashSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let uri = match &cursor {
                Some(c) => format!("/api/v1/deputies?limit=25&cursor={c}"),
                None => "/api/v1/deputies?limit=25".into(),
            };
            let (s, _, page) = t.call("GET", &uri, &t.office, None, &[]).await;
            assert_eq!(s, StatusCode::OK);
            for d in page["items"].as_array().unwrap() {
                assert!(seen.insert(d["id"].as_str().unwrap().to_owned()));
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 120);
        let (s, _, b) = t.call("GET", "/api/v1/deputies?cursor=zz", &t.office, None, &[]).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")));
    });
}

#[test]
fn organisation_coverage_tokens_audit_and_operations() {
    rt().block_on(async {
        let t = setup().await;
        let (_, h, org) = t.call("GET", "/api/v1/organisation", &t.office, None, &[]).await;
        assert_eq!((h[header::ETAG].to_str().unwrap(), org["version"].as_u64()), ("\"0\"", Some(0)));
        assert_eq!(t.org(json!({"action": "add_region", "name": "鼓楼区"}), 0).await.0, StatusCode::OK);
        assert_eq!(
            t.org(json!({"action": "add_officer", "name": "林联络", "regions": ["鼓楼区"]}), 1).await.0,
            StatusCode::OK
        );
        let (s, _, b) = t.org(json!({"action": "add_region", "name": "台江区"}), 1).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("version.stale")));
        let (s, _, b) =
            t.org(json!({"action": "add_officer", "name": "陈联络", "regions": ["马尾区"]}), 2).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("org.unknown")));
        t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let (s, _, a) = t.call("POST", "/api/v1/assignments/auto", &t.office, None, &[]).await;
        assert_eq!((s, a["officers_assigned"].as_u64()), (StatusCode::OK, Some(1)));
        let (_, _, c) = t.call("GET", "/api/v1/coverage", &t.office, None, &[]).await;
        assert_eq!(c["gaps"][0]["gaps"], json!(["no_leader", "no_department"]));

        let (_, _, tok) =
            t.call("POST", "/api/v1/tokens", &t.office, Some(json!({"label": "临时"})), &[]).await;
        let own = tok["token"].as_str().unwrap().to_owned();
        assert_eq!(t.call("GET", "/api/v1/me", &own, None, &[]).await.0, StatusCode::OK);
        let (s, _, _) = t
            .call("DELETE", &format!("/api/v1/tokens/{}", tok["id"].as_str().unwrap()), &t.office, None, &[])
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert_eq!(t.call("GET", "/api/v1/me", &own, None, &[]).await.0, StatusCode::UNAUTHORIZED);

        assert_eq!(
            t.call("GET", "/api/v1/audit/verify", &t.office, None, &[]).await.0,
            StatusCode::FORBIDDEN
        );
        let at = t.token_for("auditor", "auditor", json!({})).await;
        let (s, _, v) = t.call("GET", "/api/v1/audit/verify", &at, None, &[]).await;
        assert_eq!((s, v["ok"].as_bool()), (StatusCode::OK, Some(true)));
        assert!(v.get("state").is_none(), "the state check runs only when asked");
        // The state check (issue 13 item 3): the auditor only.
        let (s, _, v) = t.call("GET", "/api/v1/audit/verify?state=true", &at, None, &[]).await;
        assert_eq!((s, v["ok"].as_bool()), (StatusCode::OK, Some(true)), "{v}");
        assert!(
            v["state"]["aggregates"].as_u64().unwrap() > 0 && v["state"]["differences"] == json!([]),
            "{v}"
        );
        for who in [&t.office, &t.admin] {
            let (s, _, p) = t.call("GET", "/api/v1/audit/verify?state=true", who, None, &[]).await;
            assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("auth.forbidden")), "{p}");
        }

        let (s, _, b) = t.raw(Request::get("/readyz").body(Body::empty()).unwrap()).await;
        let body: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(s, StatusCode::OK);
        assert_eq!(body["ready"], true, "{body}");
        assert!(body["integrity"] == "ok" || body["integrity"] == "checking", "{body}");
        assert!(body["free_mib"].as_u64().is_some(), "{body}");
        // /metrics is not public (issue 12, item 11): on the service's address only with its token; here
        // none is configured, so it is on the separate metrics address only.
        let (s, _, b) = t.raw(Request::get("/metrics").body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{}", String::from_utf8_lossy(&b));
        let r = crate::metrics_router().oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await;
        let b = r.unwrap().into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&b).contains("liaison_http_requests_total"));
        let (s, _, b) = t.raw(Request::get("/api/v1/docs").body(Body::empty()).unwrap()).await;
        assert!(
            s == StatusCode::OK
                && !String::from_utf8_lossy(&b).contains("http://")
                && !String::from_utf8_lossy(&b).contains("https://"),
            "the docs page loads nothing from outside"
        );
    });
}

#[test]
fn openapi_is_3_1_and_documents_every_route_and_the_input_shape() {
    let doc: Value = serde_json::from_str(&crate::document().to_json().unwrap()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for p in [
        "/api/v1/deputies",
        "/api/v1/deputies/{id}",
        "/api/v1/deputies/import",
        "/api/v1/coverage",
        "/api/v1/tokens/{id}",
        "/api/v1/audit/verify",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing");
    }
    let documented: std::collections::BTreeSet<String> =
        doc["components"]["schemas"]["DeputyInput"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
    let actual: std::collections::BTreeSet<String> =
        serde_json::to_value(liaison_core::registry::DeputyInput::default())
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
    assert_eq!(documented, actual, "the documented DeputyInput must match the core's");
}

impl T {
    /// An account as it comes to be over the API: the system administrator adds it, the security
    /// administrator approves its roles (when they wait), the system administrator issues an activation
    /// code, and the person redeems it for their own token.
    pub(crate) async fn token_for(&self, login: &str, role: &str, extra: Value) -> String {
        let mut u = json!({"login": login, "display_name": format!("{login}用户"), "roles": [role]});
        for (k, v) in extra.as_object().unwrap() {
            u[k] = v.clone();
        }
        let (s, h, b) = self.call("POST", "/api/v1/users", &self.admin, Some(u), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        assert_eq!(h[header::ETAG].to_str().unwrap(), format!("\"{}\"", b["version"]), "{b}");
        if !b["pending_roles"].is_null() {
            let uri = format!("/api/v1/users/{login}/approve");
            let seen = [("if-match", h[header::ETAG].to_str().unwrap())];
            let (s, _, b) = self.call("POST", &uri, &self.sec, None, &seen).await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
        let uri = format!("/api/v1/users/{login}/activation");
        let (s, _, code) = self.call("POST", &uri, &self.admin, None, &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{code}");
        let (s, _, b) = self
            .call("POST", "/api/v1/activate", "", Some(json!({"code": code["code"], "label": "t"})), &[])
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["token"].as_str().unwrap().to_owned()
    }

    /// POST an action with the current ETag; returns the status and body.
    async fn act(&self, token: &str, key: &str, action: &str, body: Value) -> (StatusCode, Value) {
        let (_, h, _) =
            self.call("GET", &format!("/api/v1/suggestions/{key}"), &self.office, None, &[]).await;
        let tag = h[header::ETAG].to_str().unwrap().to_owned();
        let (s, _, b) = self
            .call(
                "POST",
                &format!("/api/v1/suggestions/{key}/{action}"),
                token,
                Some(body),
                &[("if-match", &tag)],
            )
            .await;
        (s, b)
    }
}

#[test]
fn suggestions_through_the_api_with_the_deputies_feedback_page() {
    rt().block_on(async {
        let t = setup().await;
        let (s, _, _) = t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await;
        assert_eq!(s, StatusCode::OK);
        let dept = t.token_for("dept1", "department", json!({"department": "第一检察部"})).await;
        let mut ids = Vec::new();
        for (name, level) in [("王芳", "全国"), ("李强", "县"), ("张敏", "乡")] {
            let mut d = deputy_json(name);
            d["level"] = json!(level);
            d["mobile"] = json!(format!("1380013800{}", ids.len()));
            let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(d), &[]).await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            ids.push(b["id"].as_str().unwrap().to_owned());
        }
        let deputy0 = t.token_for("dep0", "deputy", json!({"deputy": ids[0]})).await;
        // File, with an idempotency key: the retry returns the same number.
        let body = json!({"title": "关于加强未成年人检察工作的建议", "content": "建议设立联络点。", "source": "闭会期间", "deputies": ids});
        let (s, h, b) = t.call("POST", "/api/v1/suggestions", &t.office, Some(body.clone()), &[("idempotency-key", "s-1")]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        assert_eq!(b["suggestion"]["number"], "2026-0001".replace("2026", &chrono::Utc::now().format("%Y").to_string()));
        let number = b["suggestion"]["number"].as_str().unwrap().to_owned();
        assert!(h[header::LOCATION].to_str().unwrap().starts_with("/api/v1/suggestions/"));
        let (_, _, again) = t.call("POST", "/api/v1/suggestions", &t.office, Some(body), &[("idempotency-key", "s-1")]).await;
        assert_eq!(again["suggestion"]["number"], number.as_str());
        // Bad input: a problem naming the field; an unknown action or field is refused.
        let (s, _, b) = t.call("POST", "/api/v1/suggestions", &t.office, Some(json!({"title": "", "content": "x", "source": "x", "deputies": []})), &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["errors"].as_array().unwrap().len(), 3, "{b}");
        let (s, _) = t.act(&t.office, &number, "fly", json!({})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        // If-Match is required on actions.
        let (s, _, _) = t.call("POST", &format!("/api/v1/suggestions/{number}/start"), &t.office, Some(json!({})), &[]).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
        let (s, b) = t.act(&t.office, &number, "assign", json!({"lead": "第一检察部", "handler": "dept1"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // R1c through the API: 409 with the rule's code, then fine after a contact.
        let (s, b) = t.act(&dept, &number, "answer", json!({"class": "A", "text": "已设立"})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("suggestion.no_prior_contact")));
        let (s, _) = t.act(&dept, &number, "contact", json!({"phase": "办前", "means": "电话", "summary": "征求意见"})).await;
        assert_eq!(s, StatusCode::OK);
        let (s, b) = t.act(&dept, &number, "answer", json!({"class": "A", "text": "已在三个乡镇设立联络点。"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // The deputy rates with their own token; the others through one-use links and the page.
        let (s, b) = t.act(&deputy0, &number, "rate", json!({"rating": "满意"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // Issue 17: the office has the links sent again through the outbox, and never sees one.
        let resend = format!("/api/v1/suggestions/{number}/feedback-links");
        let (s, _, sent) = t.call("POST", &resend, &t.office, Some(json!({"reason": "代表称未收到"})), &[]).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{sent}");
        assert_eq!(sent.as_array().unwrap().len(), 2, "only those who have not rated");
        assert!(!sent.to_string().contains("/feedback/") && sent[0].get("path").is_none(), "{sent}");
        // The links themselves, as the worker would put them in each deputy's message.
        let app = t.app.clone().unwrap();
        let office = app.authenticate(&t.office).unwrap();
        let links = app.issue_feedback_links_for_tests(&office, &number).await.unwrap();
        let links = serde_json::to_value(links).unwrap();
        let path = links[0]["path"].as_str().unwrap().to_owned();
        let (s, h, html) = t.raw(Request::get(&path).body(Body::empty()).unwrap()).await;
        let html = String::from_utf8(html).unwrap();
        assert_eq!(s, StatusCode::OK);
        assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        assert!(html.contains("已在三个乡镇设立联络点。") && html.contains("name=\"viewport\""), "{html}");
        let form = |body: &str| Request::post(&path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body.to_owned())).unwrap();
        let (s, _, _) = t.raw(form("rating=%E4%B8%8D%E6%BB%A1%E6%84%8F")).await; // 不满意 without a comment
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Sent without a rating: a page that says so, never the framework's text/plain (issue 12 item 19).
        let (s, h, html) = t.raw(form("comment=")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{h:?}");
        assert!(String::from_utf8(html).unwrap().contains("请选择"));
        let (s, _, html) = t.raw(form("rating=%E6%BB%A1%E6%84%8F")).await; // 满意
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&html));
        let (s, _, html) = t.raw(form("rating=%E6%BB%A1%E6%84%8F")).await;
        assert_eq!(s, StatusCode::GONE, "a link is used once");
        assert!(String::from_utf8(html).unwrap().contains("已使用"));
        let spent = path.trim_start_matches("/feedback/").to_owned();
        let (s, h, b) = t.call("POST", &format!("/api/v1/feedback/{spent}"), "", Some(json!({"rating": "满意"})), &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::GONE, Some("feedback_link.used")), "{b}");
        assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
        let last = links[1]["path"].as_str().unwrap().trim_start_matches("/feedback/").to_owned();
        let (s, _, b) = t.call("POST", &format!("/api/v1/feedback/{last}"), "", Some(json!({"rating": "基本满意"})), &[]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["status"], "已办结");
        let (s, _, html) = t.raw(Request::get("/feedback/nope.nope").body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(String::from_utf8(html).unwrap().contains("<html"));
        // Figures, due list, history, policy.
        let (s, _, f) = t.call("GET", "/api/v1/reports/suggestions?group_by=level", &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{f}");
        assert_eq!(f["rows"].as_array().unwrap().len(), 5);
        assert_eq!(f["total"]["final_satisfaction_permille"], 1000);
        let (s, _, f) = t.call("GET", "/api/v1/reports/suggestions?group_by=region", &t.office, None, &[]).await;
        assert_eq!((s, f["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("group_by")));
        let (s, _, d) = t.call("GET", "/api/v1/due?overdue=true", &t.office, None, &[]).await;
        assert_eq!((s, d.as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
        let (_, _, h) = t.call("GET", &format!("/api/v1/suggestions/{number}/history"), &t.office, None, &[]).await;
        assert!(h.as_array().unwrap().iter().any(|e| e["kind"] == "suggestion.closed"));
        let (s, h, _) = t.call("GET", "/api/v1/settings/suggestion-policy", &t.office, None, &[]).await;
        assert_eq!((s, h[header::ETAG].to_str().unwrap()), (StatusCode::OK, "\"0\""));
        let (s, _, b) = t.call("PATCH", "/api/v1/settings/suggestion-policy", &t.office, Some(json!({"satisfaction": "threshold:80"})), &[("if-match", "\"0\"")]).await;
        assert_eq!((s, b["satisfaction"]["percent"].as_u64()), (StatusCode::OK, Some(80)));
        let (s, _, _) = t.call("PATCH", "/api/v1/settings/suggestion-policy", &t.office, Some(json!({"satisfaction": "all"})), &[("if-match", "\"0\"")]).await;
        assert_eq!(s, StatusCode::PRECONDITION_FAILED);
        // A deputy lists only their own; a measure comes from the suggestion.
        let (_, _, mine) = t.call("GET", "/api/v1/suggestions", &deputy0, None, &[]).await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        let (s, _, m) = t.call("POST", "/api/v1/measures", &t.office, Some(json!({"title": "建立联络点", "description": "试点", "owner": "第一检察部", "deadline": next_year_end(), "suggestion": number})), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        let id = m["measure"]["id"].as_str().unwrap();
        let (s, _, b) = t.call("POST", &format!("/api/v1/measures/{id}/complete"), &dept, Some(json!({"text": "已完成"})), &[("if-match", "\"1\"")]).await;
        assert_eq!((s, b["status_zh"].as_str()), (StatusCode::OK, Some("已完成")));
        let (s, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        assert_eq!(s, StatusCode::OK);
        assert!(doc["paths"]["/api/v1/suggestions/{key}/{action}"]["post"].is_object());
    });
}

#[test]
fn published_answers_and_deliberations_through_the_api() {
    rt().block_on(async {
        let t = setup().await;
        t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await;
        let dept = t.token_for("dept1", "department", json!({"department": "第一检察部"})).await;
        let mut ids = Vec::new();
        for (i, level) in ["全国", "县", "市"].into_iter().enumerate() {
            let mut d = deputy_json(["王芳", "李强", "赵敏"][i]);
            d["level"] = json!(level);
            d["mobile"] = json!(format!("1390013800{i}"));
            let (_, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(d), &[]).await;
            ids.push(b["id"].as_str().unwrap().to_owned());
        }
        let reader = t.token_for("reader", "deputy", json!({"deputy": ids[2]})).await;
        let (_, _, b) = t.call("POST", "/api/v1/suggestions", &t.office,
            Some(json!({"title": "关于公益诉讼的建议", "content": "加强。", "source": "letter", "deputies": [ids[0], ids[1]]})), &[]).await;
        let key = b["suggestion"]["number"].as_str().unwrap().to_owned();
        t.act(&t.office, &key, "assign", json!({"lead": "第一检察部", "handler": "dept1"})).await;
        t.act(&dept, &key, "contact", json!({"phase": "before", "means": "phone", "summary": "沟通"})).await;
        let (s, b) = t.act(&dept, &key, "answer", json!({"class": "A", "text": "已办理[保密]未闭合"})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("suggestion.unbalanced_markers")));
        t.act(&dept, &key, "answer", json!({"class": "A", "text": "已办理。[保密]线索来源：举报人孙某[/保密]"})).await;
        let (s, b) = t.act(&t.office, &key, "publish", json!({"scope": "level", "values": ["市", "县"]})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // The reader sees the public text only, and rates it in the body's track.
        let (s, _, v) = t.call("GET", &format!("/api/v1/suggestions/{key}/publication"), &reader, None, &[]).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(!v.to_string().contains("孙某") && v["figures"].is_null());
        let (s, _, _) = t.call("GET", &format!("/api/v1/suggestions/{key}"), &reader, None, &[]).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "the whole record stays the proposers' and staff's");
        let (s, b) = t.act(&reader, &key, "rate", json!({"rating": "基本满意"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (_, _, list) = t.call("GET", "/api/v1/publications", &reader, None, &[]).await;
        assert_eq!(list[0]["your_rating"], "基本满意");
        assert_eq!(list[0]["yours"], false, "the reader rates it as one of the body");
        // A proposer in the audience is told it is theirs: they rate it in their own round, not here.
        let proposer = t.token_for("proposer", "deputy", json!({"deputy": ids[1]})).await;
        let (_, _, list) = t.call("GET", "/api/v1/publications", &proposer, None, &[]).await;
        assert_eq!((list[0]["yours"].as_bool(), list[0]["your_rating"].is_null()), (Some(true), true), "{list}");
        let (_, _, v) = t.call("GET", &format!("/api/v1/suggestions/{key}/publication"), &t.office, None, &[]).await;
        assert_eq!((v["figures"]["audience"].as_u64(), v["figures"]["rated"].as_u64()), (Some(1), Some(1)), "{v}");
        let (s, _, q) = t.call("POST", &format!("/api/v1/suggestions/{key}/body-links"), &t.office, None, &[]).await;
        assert_eq!((s, q["audience"].as_u64(), q["queued"].as_u64()), (StatusCode::ACCEPTED, Some(0), Some(0)), "everyone in the audience has rated: {q}");

        // A session's deliberation: attend, opinion, route to a measure, complete it, tell, close.
        let (s, _, d) = t.call("POST", "/api/v1/deliberations", &t.office, Some(json!({"session": "市人大五次会议", "opens_on": "2026-01-10"})), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let id = d["deliberation"]["id"].as_str().unwrap().to_owned();
        let step = |action: &'static str, body: Value| {
            let (t, id) = (&t, id.clone());
            async move {
                let (_, h, _) = t.call("GET", &format!("/api/v1/deliberations/{id}"), &t.office, None, &[]).await;
                let tag = h[header::ETAG].to_str().unwrap().to_owned();
                t.call("POST", &format!("/api/v1/deliberations/{id}/{action}"), &t.office, Some(body), &[("if-match", &tag)]).await
            }
        };
        let (s, _, b) = step("opinion", json!({"group": "鼓楼代表团", "deputy": ids[0], "text": "加强检察公开"})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("deliberation.group_not_attended")));
        assert_eq!(step("attend", json!({"group": "鼓楼代表团", "on": "2026-01-11", "staff": ["李明"]})).await.0, StatusCode::OK);
        assert_eq!(step("opinion", json!({"group": "鼓楼代表团", "deputy": ids[0], "text": "加强检察公开"})).await.0, StatusCode::OK);
        let (s, _, b) = step("route", json!({"n": 1, "to": "measure", "owner": "第一检察部", "deadline": next_year_end()})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (_, _, ms) = t.call("GET", "/api/v1/measures", &t.office, None, &[]).await;
        let mid = ms[0]["measure"]["id"].as_str().unwrap().to_owned();
        t.call("POST", &format!("/api/v1/measures/{mid}/complete"), &dept, Some(json!({"text": "已公开"})), &[("if-match", "\"1\"")]).await;
        assert_eq!(step("tell", json!({"n": 1, "text": "已整改"})).await.0, StatusCode::OK);
        let (s, _, b) = step("close", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["summary"][0]["status"], "已反馈代表");
    });
}

/// Every operation the OpenAPI document describes is routed (a documented path that 404s as a route, or
/// answers 405, is a doc that lies).
#[test]
fn every_documented_operation_is_routed() {
    rt().block_on(async {
        let t = setup().await;
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() > 60, "{} paths", paths.len());
        for (path, ops) in paths {
            let uri = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "2026".to_owned() } else { seg.to_owned() })
                .collect::<Vec<_>>()
                .join("/");
            for method in ops.as_object().unwrap().keys() {
                let body = if method == "get" { None } else { Some(json!({})) };
                let (s, _, b) = t.call(&method.to_uppercase(), &uri, "", body, &[]).await;
                assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
                assert_ne!(b["code"].as_str(), Some("route.not_found"), "{method} {path}");
            }
        }
    });
}

/// Issue 12, items 1 and 14, over the API: the administrator mints no token for a person and reads no
/// register; roles combine only as the separation allows (422 naming the field, nothing written); a
/// disabled account's tokens stop at once; `me` names the credential.
#[test]
fn issue_12_administrators_are_separated_and_accounts_have_a_lifecycle_over_the_api() {
    rt().block_on(async {
        let t = setup().await;
        let (s, _, b) =
            t.call("POST", "/api/v1/tokens", &t.admin, Some(json!({"user": "office", "label": "借用"})), &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::FORBIDDEN, Some("token.persons_token")));
        assert_eq!(t.call("GET", "/api/v1/deputies", &t.admin, None, &[]).await.0, StatusCode::FORBIDDEN);
        let (_, _, before) = t.call("GET", "/api/v1/users", &t.sec, None, &[]).await;
        let mixed = json!({"login": "boss", "display_name": "全能", "roles": ["admin", "office", "auditor", "leader"]});
        let (s, _, b) = t.call("POST", "/api/v1/users", &t.admin, Some(mixed), &[]).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("roles")));
        assert!(b["detail"].as_str().unwrap().contains("角色"), "{b}");
        let (_, _, after) = t.call("GET", "/api/v1/users", &t.sec, None, &[]).await;
        assert_eq!(before, after, "nothing written");
        let (s, _, me) = t.call("GET", "/api/v1/me", &t.office, None, &[]).await;
        assert_eq!(s, StatusCode::OK);
        assert!(me["via"].as_str().unwrap().starts_with("token:"), "{me}");
        // Disable: the office's token stops at once; unlocking is the security administrator's.
        let (_, h, _) = t.call("GET", "/api/v1/users/office", &t.admin, None, &[]).await;
        let seen = [("if-match", h[header::ETAG].to_str().unwrap())];
        let (s, h, b) = t.call("POST", "/api/v1/users/office/disable?reason=调岗", &t.admin, None, &seen).await;
        assert_eq!((s, b["active"].as_bool()), (StatusCode::OK, Some(false)), "{b}");
        assert_eq!(t.call("GET", "/api/v1/me", &t.office, None, &[]).await.0, StatusCode::UNAUTHORIZED);
        let seen = [("if-match", h[header::ETAG].to_str().unwrap())];
        let (s, _, _) = t.call("POST", "/api/v1/users/office/enable", &t.admin, None, &seen).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, b) = t.call("POST", "/api/v1/users/office/enable", &t.sec, None, &seen).await;
        assert_eq!((s, b["active"].as_bool()), (StatusCode::OK, Some(true)));
        assert_eq!(t.call("GET", "/api/v1/me", &t.office, None, &[]).await.0, StatusCode::UNAUTHORIZED);
        // The token policy is the security administrator's.
        let policy = json!({"lifetime_days": 30, "idle_days": 60});
        let (s, _, b) =
            t.call("PUT", "/api/v1/settings/token-policy", &t.sec, Some(policy), &[("if-match", "\"0\"")]).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idle_days")));
        let (s, _, b) = t.call("GET", "/api/v1/settings/token-policy", &t.sec, None, &[]).await;
        assert_eq!((s, b["lifetime_days"].as_u64()), (StatusCode::OK, Some(90)));
    });
}

/// Issue 12 ("done when"): every operation of the served document, called by an account of every role,
/// answers 403 exactly when the role × action table (`liaison_core::access::MATRIX`, through the
/// operation's actions) forbids it — whatever the path, query and body hold — and never 401 or 403 when it
/// allows it; a public operation needs no token. The document names each operation's actions and roles.
#[test]
fn every_documented_operation_answers_every_role_as_the_table_says() {
    use liaison_core::access::{Role, allows};
    rt().block_on(async {
        let t = setup().await;
        assert_eq!(
            t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await.0,
            StatusCode::OK
        );
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let mut tokens = vec![(Role::Admin, t.admin.clone()), (Role::SecurityAdmin, t.sec.clone())];
        tokens.push((Role::Office, t.office.clone()));
        for (role, extra) in [
            (Role::Auditor, json!({})),
            (Role::Officer, json!({})),
            (Role::Leader, json!({})),
            (Role::Department, json!({"department": "第一检察部"})),
            (Role::Deputy, json!({"deputy": d["id"]})),
        ] {
            tokens.push((
                role,
                t.token_for(&format!("u-{}", role.code().replace('_', "-")), role.code(), extra).await,
            ));
        }
        assert_eq!(tokens.len(), Role::ALL.len(), "every role");
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let (mut checked, mut wrong) = (0, Vec::new());
        for (path, ops) in doc["paths"].as_object().unwrap() {
            let uri = path
                .split('/')
                .map(|seg| match seg {
                    "{year}" | "{period}" => "2026",
                    "{key}" => "2026-9999",
                    "{login}" => "nobody",
                    "{token}" => "x.y",
                    "{number}" => "LK-2026-9999",
                    "{action}" => "noop",
                    s if s.starts_with('{') => "00000000-0000-0000-0000-000000000000",
                    s => s,
                })
                .collect::<Vec<_>>()
                .join("/");
            for (method, op) in ops.as_object().unwrap() {
                let need = crate::access::need(method, path);
                let allowed: Vec<Role> = match need {
                    Some(crate::access::Need::Any(actions)) => {
                        Role::ALL.into_iter().filter(|r| actions.iter().any(|a| allows(*r, *a))).collect()
                    }
                    Some(crate::access::Need::Account) => Role::ALL.to_vec(),
                    Some(crate::access::Need::Public) => {
                        let (s, _, _) = t.call(&method.to_uppercase(), &uri, "", Some(json!({})), &[]).await;
                        if matches!(s, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
                            wrong.push(format!("{method} {path}: public, but {s} without a token"));
                        }
                        continue;
                    }
                    None => {
                        wrong.push(format!("{method} {path}: no need declared with its route"));
                        continue;
                    }
                };
                let documented: Vec<&str> =
                    op["x-liaison-roles"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                let expected: Vec<&str> = allowed.iter().map(|r| r.code()).collect();
                if documented != expected {
                    wrong.push(format!(
                        "{method} {path}: the document names {documented:?}, the table {expected:?}"
                    ));
                }
                let body = (method != "get").then(|| json!({}));
                for (role, token) in &tokens {
                    let (s, _, b) = t
                        .call(&method.to_uppercase(), &uri, token, body.clone(), &[("if-match", "\"1\"")])
                        .await;
                    checked += 1;
                    let ok = if allowed.contains(role) {
                        !matches!(s, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED)
                    } else {
                        s == StatusCode::FORBIDDEN && b["code"] == "auth.forbidden"
                    };
                    if !ok {
                        let verdict = if allowed.contains(role) { "allowed" } else { "forbidden" };
                        wrong.push(format!(
                            "{method} {path} as {}: {verdict} by the table, got {s} {}",
                            role.code(),
                            b["code"]
                        ));
                    }
                }
            }
        }
        assert!(checked > 800, "{checked} calls");
        assert!(wrong.is_empty(), "{} disagreements:\n{}", wrong.len(), wrong.join("\n"));
        // And the table has a row for nothing the document lacks.
        for (method, path, _) in crate::access::operations() {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is in the table but not documented"
            );
        }
    });
}

/// Issue 14, item 8: the served document is one a generated client can use — every path parameter names a
/// `{placeholder}` of its path and every placeholder is declared as one; query parameters are `in: query`;
/// no operation declares the same parameter twice; the import body is binary, not an array of integers.
#[test]
fn the_api_document_declares_parameters_where_they_are() {
    rt().block_on(async {
        let t = setup().await;
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let mut problems = Vec::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            let holes: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            for (method, op) in ops.as_object().unwrap() {
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                let mut seen = std::collections::BTreeSet::new();
                for p in &params {
                    let (name, place) = (p["name"].as_str().unwrap_or(""), p["in"].as_str().unwrap_or(""));
                    if !seen.insert((name.to_owned(), place.to_owned())) {
                        problems.push(format!("{method} {path}: {name} declared twice"));
                    }
                    if place == "path" && !holes.contains(&name) {
                        problems.push(format!(
                            "{method} {path}: {name} is in: path but the path has no {{{name}}}"
                        ));
                    }
                }
                // Issue 13 item 4: a generated client knows the operational failures.
                for status in ["503", "507"] {
                    if op["responses"][status]["content"]["application/problem+json"].is_null() {
                        problems.push(format!("{method} {path}: no {status} problem response"));
                    }
                }
                for h in &holes {
                    if !params.iter().any(|p| p["name"] == *h && p["in"] == "path") {
                        problems
                            .push(format!("{method} {path}: {{{h}}} is not declared as a path parameter"));
                    }
                }
            }
        }
        let mut ids = std::collections::BTreeMap::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                if let Some(id) = op["operationId"].as_str()
                    && let Some(other) = ids.insert(id.to_owned(), format!("{method} {path}"))
                {
                    problems.push(format!("operationId {id} of {method} {path} is also {other}'s"));
                }
            }
        }
        // Every reference resolves.
        let text = doc.to_string();
        for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = r.split('"').next().unwrap_or("");
            if doc["components"]["schemas"][name].is_null() {
                problems.push(format!("$ref to {name}, which the components do not have"));
            }
        }
        assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
        let import = &doc["paths"]["/api/v1/deputies/import"]["post"]["requestBody"]["content"];
        for body in import.as_object().unwrap().values() {
            let mut schema = body["schema"].clone();
            if let Some(r) = schema["$ref"].as_str() {
                let name = r.trim_start_matches("#/components/schemas/");
                schema = doc["components"]["schemas"][name].clone();
            }
            assert_eq!(
                (schema["type"].as_str(), schema["format"].as_str()),
                (Some("string"), Some("binary")),
                "{import}"
            );
        }
    });
}

/// Issue 14 item 5 over HTTP: `refresh`, `end_absent` and `ended_on` are query parameters (declared
/// `in: query`); the report carries the three lists; a bad day is a problem naming the field.
#[test]
fn issue14_the_yearly_refresh_over_http() {
    rt().block_on(async {
        let t = setup().await;
        let post = |uri: &str, body: &str| {
            Request::post(uri)
                .header(header::AUTHORIZATION, format!("Bearer {}", t.office))
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(body.to_owned()))
                .unwrap()
        };
        let head = "姓名,性别,出生日期,代表层级,届次,所属区域,任期开始\n";
        let first = format!(
            "{head}张三,男,1970-01-01,县,18,鼓楼区,2022-01-01\n李四,女,1971-02-02,县,18,台江区,2022-01-01\n"
        );
        let (s, _, b) = t.raw(post("/api/v1/deputies/import", &first)).await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
        let next = format!(
            "{head}张三,男,1970-01-01,县,18,仓山区,2022-01-01\n王五,男,1972-03-03,县,18,晋安区,2026-01-01\n"
        );
        let (s, _, b) = t.raw(post("/api/v1/deputies/import?refresh=true&dry_run=true", &next)).await;
        let r: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(s, StatusCode::OK, "{r}");
        let names = |list: &str| -> Vec<String> {
            r["refresh"][list]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            (names("updated"), names("registered"), names("possibly_departed")),
            (vec!["张三".to_owned()], vec!["王五".to_owned()], vec!["李四".to_owned()])
        );
        assert_eq!(r["refresh"]["possibly_departed"][0]["region"], "台江区");

        let (s, _, b) = t
            .raw(post("/api/v1/deputies/import?refresh=true&end_absent=true&ended_on=2999-01-01", &next))
            .await;
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            (s, p["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("ended_on")),
            "{p}"
        );
        let (s, _, b) = t.raw(post("/api/v1/deputies/import?end_absent=true", &next)).await;
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            (s, p["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("end_absent")),
            "{p}"
        );

        let (s, _, b) = t.raw(post("/api/v1/deputies/import?refresh=true&end_absent=true", &next)).await;
        let r: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!((s, r["refresh"]["terms_ended"].as_bool()), (StatusCode::OK, Some(true)), "{r}");
        let (_, _, list) = t.call("GET", "/api/v1/deputies?status=term_ended", &t.office, None, &[]).await;
        assert_eq!(list["items"][0]["name"], "李四", "{list}");

        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let params =
            doc["paths"]["/api/v1/deputies/import"]["post"]["parameters"].as_array().unwrap().clone();
        for name in ["refresh", "end_absent", "ended_on", "dry_run"] {
            assert!(params.iter().any(|p| p["name"] == name && p["in"] == "query"), "{name}: {params:?}");
        }
        assert!(!doc["components"]["schemas"]["RefreshReport"].is_null());
    });
}

#[test]
fn budgets_and_plans_require_if_match() {
    rt().block_on(async {
        let t = setup().await;
        let line = json!({"category": "meetings", "amount": "1000.00"});
        let (s, _, b) = t
            .call(
                "POST",
                "/api/v1/budgets/2026/line",
                &t.office,
                Some(line.clone()),
                &[("if-match", "\"0\"")],
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, h, b) = t.call("GET", "/api/v1/budgets/2026", &t.office, None, &[]).await;
        assert_eq!((s, h[header::ETAG].to_str().unwrap()), (StatusCode::OK, "\"1\""), "{b}");
        // A second writer that read version 0 is refused, and nothing changes.
        let other = json!({"category": "meetings", "amount": "5.00"});
        let (s, _, b) = t
            .call("POST", "/api/v1/budgets/2026/line", &t.office, Some(other), &[("if-match", "\"0\"")])
            .await;
        assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{b}");
        let (_, h, _) = t.call("GET", "/api/v1/budgets/2026", &t.office, None, &[]).await;
        assert_eq!(h[header::ETAG].to_str().unwrap(), "\"1\"");
        // Without If-Match the command is refused (issue 15 step 3: every change names its version).
        let (s, _, b) = t.call("POST", "/api/v1/budgets/2026/line", &t.office, Some(line), &[]).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::PRECONDITION_REQUIRED, Some("precondition.required"))
        );
        let (s, _, b) =
            t.call("PUT", "/api/v1/plans/2026", &t.office, Some(json!({"period": "2026"})), &[]).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::PRECONDITION_REQUIRED, Some("precondition.required"))
        );
        let plan =
            json!({"period": "2026", "meetings": 4, "reached_percent": 60, "notices": 2, "activities": 1});
        let (s, _, b) = t
            .call("PUT", "/api/v1/plans/2026", &t.office, Some(plan.clone()), &[("if-match", "\"0\"")])
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, _, b) =
            t.call("PUT", "/api/v1/plans/2026", &t.office, Some(plan), &[("if-match", "\"0\"")]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("version.stale")), "{b}");
        let (_, h, _) = t.call("GET", "/api/v1/plans/2026", &t.office, None, &[]).await;
        assert_eq!(h[header::ETAG].to_str().unwrap(), "\"1\"");
    });
}

/// Issue 11 item 10: `POST /api/v1/budgets/{year}/reverse` reverses an expense; a voucher entered twice is
/// a 409 naming the earlier expense; the document describes the reversal.
#[test]
fn a_budget_expense_is_reversed_over_the_api_and_a_voucher_is_spent_once() {
    rt().block_on(async {
        let t = setup().await;
        let leader = t.token_for("leader", "leader", json!({})).await;
        let year = liaison_core::dates::china_year(chrono::Utc::now()).to_string();
        // Each command names the version read (the budget's ETag).
        let go = |action: &'static str, who: String, body: Value| {
            let (t, year) = (&t, year.clone());
            async move {
                let (_, h, _) = t.call("GET", &format!("/api/v1/budgets/{year}"), &t.office, None, &[]).await;
                let tag = h[header::ETAG].to_str().unwrap().to_owned();
                let uri = format!("/api/v1/budgets/{year}/{action}");
                let (s, _, b) = t.call("POST", &uri, &who, Some(body), &[("if-match", &tag)]).await;
                (s, b)
            }
        };
        let office = t.office.clone();
        let line = json!({"category": "meetings", "amount": "1000.00"});
        let (s, b) = go("line", office.clone(), line).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = go("adopt", leader.clone(), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let spend =
            json!({"category": "meetings", "amount": "600", "purpose": "座谈会", "reference": "V-17"});
        let (s, b) = go("spend", office.clone(), spend.clone()).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = go("spend", office.clone(), spend).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (StatusCode::CONFLICT, Some("budget.duplicate_reference")),
            "{b}"
        );
        let (s, b) = go("reverse", office.clone(), json!({"n": 1, "reason": "重复报销"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(
            (b["execution"][0]["reversed"].as_u64(), b["execution"][0]["available"].as_u64()),
            (Some(60_000), Some(100_000))
        );
        let (s, b) = go("reverse", office, json!({"n": 1, "reason": "再冲"})).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::CONFLICT, Some("budget.already_reversed")), "{b}");
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let text = doc.to_string();
        assert!(text.contains("reverse") && text.contains("Reverse expense"), "the reversal is documented");
    });
}

/// Issue 12, item 12: every response says nosniff and no-referrer; pages carry a strict CSP (no inline
/// script, no framing) and the docs page's script is a file of this server; the API and the one-use link
/// pages are not stored by caches. Unknown methods are one metrics label.
#[test]
fn responses_carry_the_security_headers() {
    rt().block_on(async {
        let t = setup().await;
        let (_, h, _) = t.call("GET", "/api/v1/me", &t.admin, None, &[]).await;
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-store");
        assert!(h.get("content-security-policy").is_none(), "JSON needs no CSP");
        let (s, h, _) = t.call("GET", "/api/v1/docs", "", None, &[]).await;
        assert_eq!(s, StatusCode::OK);
        let csp = h["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        let script = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
        assert!(!script.contains("unsafe-inline"), "{csp}");
        let (_, _, bytes) = t.raw(Request::builder().uri("/api/v1/docs").body(Body::empty()).unwrap()).await;
        let page = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(
            page.contains(r#"<script src="/api/v1/docs.js"></script>"#) && !page.contains("<script>"),
            "no inline script"
        );
        let (s, h, _) = t.raw(Request::builder().uri("/api/v1/docs.js").body(Body::empty()).unwrap()).await;
        assert_eq!(
            (s, h["content-type"].to_str().unwrap()),
            (StatusCode::OK, "text/javascript; charset=utf-8")
        );
        let (_, h, _) = t.call("GET", "/feedback/not-a-token", "", None, &[]).await;
        assert_eq!(h["cache-control"], "no-store");
        assert!(h["content-security-policy"].to_str().unwrap().contains("form-action 'self'"));
        let (_, _, _) = t.call("BREW", "/api/v1/me", &t.admin, None, &[]).await;
        let (_, _, _) = t.call("FROB", "/api/v1/me", &t.admin, None, &[]).await;
        let r = crate::metrics_router().oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await;
        let bytes = r.unwrap().into_body().collect().await.unwrap().to_bytes();
        let metrics = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(
            !metrics.contains("BREW") && !metrics.contains("FROB"),
            "unknown methods are folded into other"
        );
    });
}

/// Issue 13, items 4 and 5: a write that cannot get the database (another process holds its write lock
/// beyond the wait) is a 503 with `Retry-After` and a stable code, not a bare 500; `/readyz` then says the
/// last write failed, and why; once the lock is released, writes succeed and readiness comes back, with no
/// restart. A disk below the free-space floor makes the service not ready before writes fail.
#[test]
fn a_busy_database_is_a_503_with_retry_after_and_readiness_follows_the_writes() {
    rt().block_on(async {
        let t = setup_with(|c| c.sqlite.busy_timeout_ms = 200).await;
        let path = t._dir.path().join("t.db");
        let holder = liaison_store::sqlite::SqliteStore::raw_connection(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let (s, h, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{b}");
        assert_eq!(b["code"], "store.busy", "{b}");
        assert_eq!(h[header::RETRY_AFTER], "1");
        assert!(b["detail"].as_str().unwrap().contains("数据库正忙"), "{b}");
        let (s, _, b) = t.raw(Request::get("/readyz").body(Body::empty()).unwrap()).await;
        let body: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["reasons"][0]["code"], "store.last_write_failed", "{body}");
        assert!(body["reasons"][0]["message_zh"].as_str().unwrap().contains("数据库正忙"), "{body}");

        holder.execute_batch("COMMIT").unwrap();
        let (s, _, b) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, _, b) = t.raw(Request::get("/readyz").body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    });
    rt().block_on(async {
        // A floor above the disk's free space: not ready, saying how much is left.
        let t = setup_with(|c| c.sqlite.min_free_mib = u64::MAX >> 21).await;
        let (s, _, b) = t.raw(Request::get("/readyz").body(Body::empty()).unwrap()).await;
        let body: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["reasons"][0]["code"], "store.disk_low", "{body}");
        assert!(body["reasons"][0]["message_zh"].as_str().unwrap().contains("MiB"), "{body}");
    });
}

/// The last day of next year: a deadline inside the plausible range whenever the tests run.
fn next_year_end() -> String {
    let year: i32 = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
    format!("{}-12-31", year + 1)
}

/// Issue 19: GET one deputy authenticates on the connection it reads with (the gate defers to it). A
/// revoked token and a disabled account made by a second app on the same database (what the CLI is) are 401
/// on the next request after having been served from the principal cache; a role without the action is
/// 403; who asks is settled before what was asked for (401 and 403 before the 404 of a malformed id).
#[test]
fn issue_19_get_one_deputy_authenticates_on_its_read_and_sees_changes_from_another_process() {
    rt().block_on(async {
        let t = setup().await;
        let (s, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let uri = format!("/api/v1/deputies/{}", d["id"].as_str().unwrap());
        for _ in 0..2 {
            let (s, _, b) = t.call("GET", &uri, &t.office, None, &[]).await;
            assert_eq!((s, b["name"].as_str()), (StatusCode::OK, Some("王芳")), "{b}");
        }
        assert_eq!(t.call("GET", &uri, "", None, &[]).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(t.call("GET", "/api/v1/deputies/x", "", None, &[]).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(
            t.call("GET", "/api/v1/deputies/x", "lia_x_y", None, &[]).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (s, _, b) = t.call("GET", "/api/v1/deputies/x", &t.admin, None, &[]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::FORBIDDEN, Some("auth.forbidden")), "{b}");
        assert_eq!(t.call("GET", &uri, &t.admin, None, &[]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(t.call("GET", "/api/v1/deputies/x", &t.office, None, &[]).await.0, StatusCode::NOT_FOUND);

        // A second app on the same database revokes the office's token, then disables another account.
        let other = App::open(&Config::for_db(&t._dir.path().join("t.db"))).unwrap();
        let sec = other.principal_for_login(&liaison_app::default_tenant(), "sec").unwrap();
        let office = other.principal_for_login(&liaison_app::default_tenant(), "office").unwrap();
        let mine = t.call("GET", "/api/v1/me", &t.office, None, &[]).await.2;
        let token_id = mine["via"].as_str().unwrap().trim_start_matches("token:").to_owned();
        other.revoke_token(&office, &token_id, Some("丢失".into())).await.unwrap();
        assert_eq!(t.call("GET", &uri, &t.office, None, &[]).await.0, StatusCode::UNAUTHORIZED);

        let reader = t.token_for("reader", "office", json!({})).await;
        assert_eq!(t.call("GET", &uri, &reader, None, &[]).await.0, StatusCode::OK);
        other
            .account_step(&sec, "reader", None, liaison_app::AccountStep::Disable, Some("离职".into()))
            .await
            .unwrap();
        assert_eq!(t.call("GET", &uri, &reader, None, &[]).await.0, StatusCode::UNAUTHORIZED);
    });
}
