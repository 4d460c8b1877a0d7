//! Fuzzing of the commands' JSON bodies (issue 13 item 11): arbitrary JSON values — and objects built from
//! each command's own field and action names with values of every kind (wrong types, extreme numbers,
//! dates, ids, text past its limits) — posted to every command route the API document declares, through
//! the router in-process, with `If-Match` given so the body is read. Every answer must be a 4xx problem
//! (`application/problem+json` with a code and a message) or a success, never a 5xx or a panic (the
//! catch-panic layer would turn one into a 500). Cases: `PROPTEST_CASES`, else a modest number.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

use crate::tests::{T, deputy_json, rt, setup};

/// One command route: its method, its path with the placeholders filled in, and the names its body uses.
#[derive(Debug, Clone)]
struct Route {
    method: String,
    path: String,
    uri: String,
    fields: Vec<String>,
    actions: Vec<String>,
}

/// Every property name and every `action` value reachable from `schema` (following references once).
fn names(
    schema: &Value,
    components: &Value,
    seen: &mut BTreeSet<String>,
    fields: &mut BTreeSet<String>,
    actions: &mut BTreeSet<String>,
) {
    match schema {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().unwrap_or_default().to_owned();
                if seen.insert(name.clone()) {
                    names(&components["schemas"][&name], components, seen, fields, actions);
                }
            }
            if let Some(props) = m.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    fields.insert(k.clone());
                    if k == "action" {
                        for a in v["enum"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                            actions.insert(a.to_owned());
                        }
                    }
                }
            }
            for v in m.values() {
                names(v, components, seen, fields, actions);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| names(v, components, seen, fields, actions)),
        _ => {}
    }
}

/// The command routes of the API document (every operation other than `get` that takes JSON or nothing),
/// with real ids where the world has them.
fn command_routes(doc: &Value, ids: &BTreeMap<&str, String>) -> Vec<Route> {
    let mut out = Vec::new();
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let content = &op["requestBody"]["content"];
            if method == "get" || (content.is_object() && content.get("application/json").is_none()) {
                continue;
            }
            let (mut seen, mut fields, mut actions) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
            names(
                &content["application/json"]["schema"],
                &doc["components"],
                &mut seen,
                &mut fields,
                &mut actions,
            );
            let uri = path
                .split('/')
                .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(hole) => ids
                        .get(hole)
                        .cloned()
                        .unwrap_or_else(|| "01900000-0000-7000-8000-000000000000".into()),
                    None => seg.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            out.push(Route {
                method: method.to_uppercase(),
                path: path.clone(),
                uri,
                fields: fields.into_iter().collect(),
                actions: actions.into_iter().collect(),
            });
        }
    }
    out
}

/// Leaves of every kind a body may hold.
fn leaf(real: Vec<String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        Just(json!(-1)),
        Just(json!(0)),
        any::<f64>().prop_filter("JSON numbers are finite", |x| x.is_finite()).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "(19|20|99|00)[0-9]{2}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?".prop_map(Value::from),
        "[0-9]{4}-[0-9]{4}".prop_map(Value::from),
        "1[3-9][0-9]{9}".prop_map(Value::from),
        "[\u{4e00}-\u{9fa5}]{1,8}".prop_map(Value::from),
        (1usize..3).prop_map(|n| Value::from("长".repeat(3000 * n))),
        proptest::sample::select(real).prop_map(Value::from),
    ]
}

/// An arbitrary JSON value.
fn any_json(real: Vec<String>) -> impl Strategy<Value = Value> {
    leaf(real).prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map("\\PC{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A body for `route`: an arbitrary value, or an object of the command's own names with arbitrary values.
fn body(route: &Route, real: Vec<String>) -> BoxedStrategy<Value> {
    let mut names = route.fields.clone();
    names.push("unknown_field".into());
    let actions = if route.actions.is_empty() { vec!["nonsense".to_owned()] } else { route.actions.clone() };
    prop_oneof![
        any_json(real.clone()),
        (
            proptest::collection::btree_map(proptest::sample::select(names), any_json(real), 0..8),
            proptest::option::of(proptest::sample::select(actions)),
        )
            .prop_map(|(m, action)| {
                let mut o: serde_json::Map<String, Value> = m.into_iter().collect();
                if let Some(a) = action {
                    o.insert("action".into(), Value::from(a));
                }
                Value::Object(o)
            }),
    ]
    .boxed()
}

/// Post `body` (JSON, or raw bytes) and check the answer.
async fn post(t: &T, token: &str, route: &Route, body: Result<&Value, &[u8]>) -> Result<(), TestCaseError> {
    let mut uri = route.uri.clone();
    if route.path.ends_with("{action}")
        && let Ok(Value::Object(o)) = body
        && let Some(a) = o.get("action").and_then(Value::as_str)
        && let Some((base, _)) = uri.rsplit_once('/')
    {
        // The action is named by the path: take the one the body names, so the command's own fields apply.
        let encoded: String = a
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        uri = format!("{base}/{encoded}");
    }
    let bytes = match body {
        Ok(v) => v.to_string().into_bytes(),
        Err(b) => b.to_vec(),
    };
    let req = Request::builder()
        .method(route.method.as_str())
        .uri(&uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, "\"1\"")
        .body(Body::from(bytes))
        .map_err(|e| TestCaseError::fail(format!("{uri}: {e}")))?;
    let (status, headers, answer) = t.raw(req).await;
    prop_assert!(
        !status.is_server_error(),
        "{} {} answered {}: {}",
        route.method,
        uri,
        status,
        String::from_utf8_lossy(&answer)
    );
    if status.is_client_error() {
        prop_assert_eq!(
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{} {}",
            route.method,
            uri
        );
        let p: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        prop_assert!(
            p["code"].as_str().is_some_and(|c| !c.is_empty())
                && p["detail"].as_str().is_some_and(|d| !d.trim().is_empty()),
            "{} {} {}: a problem without a code or a message: {}",
            route.method,
            uri,
            status,
            p
        );
    }
    Ok(())
}

fn cases(default: u32) -> u32 {
    match std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()) {
        Some(n) => n,
        None => default,
    }
}

/// Arbitrary JSON to every command route: refused with a problem (4xx), or done — never a 5xx or a panic.
#[test]
fn arbitrary_json_to_every_command_route_is_a_problem_never_a_5xx() {
    let rt = rt();
    let (t, routes, real) = rt.block_on(async {
        let t = setup().await;
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
        let deputy = d["id"].as_str().unwrap_or_default().to_owned();
        let body = json!({"title": "关于加强未成年人检察工作的建议", "content": "建议设立联络点。", "source": "闭会期间", "deputies": [deputy]});
        let (_, _, s) = t.call("POST", "/api/v1/suggestions", &t.office, Some(body), &[]).await;
        let number = s["suggestion"]["number"].as_str().unwrap_or("2026-0001").to_owned();
        let (_, _, doc) = t.call("GET", "/api/v1/openapi.json", "", None, &[]).await;
        let ids: BTreeMap<&str, String> = [
            ("id", deputy.clone()),
            ("key", number.clone()),
            ("period", "2026".into()),
            ("year", "2026".into()),
            ("number", "LK-2026-0001".into()),
            ("token", "0011223344556677.deadbeef".into()),
            ("action", "nonsense".into()),
        ]
        .into_iter()
        .collect();
        let routes = command_routes(&doc, &ids);
        (t, routes, vec![deputy, number, "第一检察部".to_owned(), "office".to_owned()])
    });
    assert!(routes.len() > 40, "{} command routes", routes.len());
    let config = Config { cases: cases(12), failure_persistence: None, ..Config::default() };
    let posted = std::cell::Cell::new(0usize);
    for route in &routes {
        let strategy = prop_oneof![
            body(route, real.clone()).prop_map(Ok),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..64),
                Just(b"{\"a\":".to_vec()),
                Just(b"[1,2".to_vec()),
                Just(vec![0xff, 0xfe, 0x00]),
            ]
            .prop_map(Err),
        ];
        let office = t.office.clone();
        // A runner per route: a runner counts its cases over all its runs.
        TestRunner::new(config.clone())
            .run(&strategy, |b: Result<Value, Vec<u8>>| {
                posted.set(posted.get() + 1);
                rt.block_on(post(&t, &office, route, b.as_ref().map_err(Vec::as_slice)))
            })
            .unwrap_or_else(|e| panic!("{} {}: {e}", route.method, route.path));
    }
    assert!(posted.get() >= routes.len() * config.cases as usize, "{} bodies posted", posted.get());
    // Whatever the commands that were done did, the store is what its events say (the state check).
    let (s, v) = rt.block_on(async {
        let auditor = t.token_for("auditor", "auditor", json!({})).await;
        let (s, _, v) = t.call("GET", "/api/v1/audit/verify?state=true", &auditor, None, &[]).await;
        (s, v)
    });
    assert_eq!((s, v["ok"].as_bool()), (StatusCode::OK, Some(true)), "{v}");
}
