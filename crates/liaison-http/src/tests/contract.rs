//! The API's contract as the document states it (issue 15, step 3): every change names the version it read
//! (`If-Match`, required by construction: the `IfMatch` extractor), and every body has a schema.

use axum::http::StatusCode;
use liaison_core::access::{Role, allows};
use serde_json::{Value, json};

use super::{T, deputy_json, rt, setup};

/// Changes that are not creates and take no `If-Match`, each for a reason of its own.
const EXEMPT: &[(&str, &str, &str)] = &[
    ("post", "/api/v1/rights/check", "a question, not a change: POST keeps the ID number out of URLs"),
    ("post", "/api/v1/activate", "redeems a one-use activation code: the code is the credential"),
    ("post", "/api/v1/feedback/{token}", "a deputy's one-use link: the link is the credential and the round"),
    ("post", "/api/v1/notice-ack/{token}", "a deputy's one-use link: the link is the credential, spent once"),
    (
        "post",
        "/api/v1/suggestions/{key}/body-links",
        "queues an invitation to each deputy of the audience (issue 17): a request to the outbox, whatever was read",
    ),
    (
        "post",
        "/api/v1/suggestions/{key}/feedback-links",
        "queues each deputy's answer message again (issue 17): a request to the outbox, whatever was read",
    ),
    (
        "post",
        "/api/v1/assignments/auto",
        "a batch over every deputy without an officer, each written as found",
    ),
    ("post", "/api/v1/deadlines/recompute", "a batch over every open suggestion"),
    ("post", "/api/v1/deputies/import", "a batch of the register: each row written (or refreshed) as found"),
    ("delete", "/api/v1/tokens/{id}", "revoking a credential must work whatever the caller read"),
    ("post", "/api/v1/inbox/{id}/read", "marks one's own message read: once, whatever the caller read"),
];

/// A token of every role.
async fn every_role(t: &T) -> Vec<(Role, String)> {
    assert_eq!(t.org(json!({"action": "add_department", "name": "第一检察部"}), 0).await.0, StatusCode::OK);
    let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("王芳")), &[]).await;
    let mut tokens = vec![
        (Role::Admin, t.admin.clone()),
        (Role::SecurityAdmin, t.sec.clone()),
        (Role::Office, t.office.clone()),
    ];
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
    tokens
}

/// A path with its placeholders filled.
fn uri(path: &str) -> String {
    path.split('/')
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
        .join("/")
}

/// Does the operation declare `If-Match` as a required header?
fn declares_if_match(op: &Value) -> bool {
    op["parameters"].as_array().is_some_and(|ps| {
        ps.iter().any(|p| p["name"] == "If-Match" && p["in"] == "header" && p["required"] == true)
    })
}

/// Issue 15 step 3 ("done when: every change route requires `If-Match`"): every documented change is a
/// create (a 201 answer; it takes `Idempotency-Key`), an exemption with its reason, or it declares
/// `If-Match` required and, called without it by a role allowed to call it, answers 428
/// `precondition.required` naming the header before it reads the body. No change waits for a version any
/// more: the account steps and the token policy were the last (`tests/accounts.rs`).
#[test]
fn every_change_requires_if_match_or_is_a_documented_exemption() {
    rt().block_on(async {
        let t = setup().await;
        let tokens = every_role(&t).await;
        let doc = crate::document();
        let doc: Value = serde_json::to_value(&doc).unwrap();
        let (mut wrong, mut refused) = (Vec::new(), 0);
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                if method == "get" {
                    continue;
                }
                let create = op["responses"]["201"].is_object();
                let exempt = EXEMPT.iter().any(|(m, p, _)| m == method && p == path);
                let declared = declares_if_match(op);
                match (create || exempt, declared) {
                    (true, true) => {
                        wrong.push(format!("{method} {path}: declares If-Match but is listed as exempt"))
                    }
                    (true, false) => continue,
                    (false, false) => {
                        wrong.push(format!("{method} {path}: a change without a required If-Match"));
                        continue;
                    }
                    (false, true) => {}
                }
                let Some(crate::access::Need::Any(actions)) = crate::access::need(method, path) else {
                    wrong.push(format!("{method} {path}: no role to call it with"));
                    continue;
                };
                let Some((_, token)) = tokens.iter().find(|(r, _)| actions.iter().any(|a| allows(*r, *a)))
                else {
                    wrong.push(format!("{method} {path}: no role may call it"));
                    continue;
                };
                let (s, _, b) = t.call(&method.to_uppercase(), &uri(path), token, Some(json!({})), &[]).await;
                refused += 1;
                if s != StatusCode::PRECONDITION_REQUIRED
                    || b["code"] != "precondition.required"
                    || b["errors"][0]["field"] != "If-Match"
                {
                    wrong.push(format!("{method} {path} without If-Match: {s} {b}"));
                }
            }
        }
        for (m, p, _) in EXEMPT {
            if doc["paths"][p][m].is_null() {
                wrong.push(format!("{m} {p} is exempt but not documented"));
            }
        }
        assert!(refused >= 27, "{refused} changes refused");
        assert!(wrong.is_empty(), "{}:\n{}", wrong.len(), wrong.join("\n"));
    });
}

/// The 428 speaks the client's language and names the header; a weak or unreadable tag is 412.
#[test]
fn a_change_without_if_match_is_a_428_problem_naming_the_header() {
    rt().block_on(async {
        let t = setup().await;
        let (_, _, d) = t.call("POST", "/api/v1/deputies", &t.office, Some(deputy_json("李明")), &[]).await;
        let uri = format!("/api/v1/deputies/{}/end", d["id"].as_str().unwrap());
        let body = json!({"reason": "调离", "on": "2026-01-01"});
        let (s, h, b) = t.call("POST", &uri, &t.office, Some(body.clone()), &[]).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED, "{b}");
        assert!(h["content-type"].to_str().unwrap().starts_with("application/problem+json"));
        assert!(b["detail"].as_str().unwrap().contains("If-Match") && b["detail"] == b["message_zh"], "{b}");
        let (_, _, en) =
            t.call("POST", &uri, &t.office, Some(body.clone()), &[("accept-language", "en")]).await;
        assert_eq!(
            (en["detail"].as_str(), en["errors"][0]["field"].as_str()),
            (en["message_en"].as_str(), Some("If-Match"))
        );
        assert!(en["detail"].as_str().unwrap().contains("If-Match"), "{en}");
        let (s, _, b) = t.call("POST", &uri, &t.office, Some(body), &[("if-match", "W/\"1\"")]).await;
        assert_eq!((s, b["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("precondition.weak")));
    });
}

/// The schema a body points to, its `$ref` followed.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

/// A schema that says nothing of its shape: `{}`, or `type: object` with no properties, no
/// `additionalProperties` schema and no composition (an array's items too).
fn untyped(doc: &Value, schema: &Value) -> bool {
    let s = resolve(doc, schema);
    let Some(o) = s.as_object() else { return true };
    if o.is_empty() {
        return true;
    }
    if s["type"] == "array" {
        return untyped(doc, &s["items"]);
    }
    let composed =
        ["oneOf", "anyOf", "allOf", "properties", "enum", "const"].iter().any(|k| o.contains_key(*k));
    let map = s["additionalProperties"].is_object() && !untyped(doc, &s["additionalProperties"]);
    s["type"] == "object" && !composed && !map
        || (s.get("type").is_none() && !composed && !s["$ref"].is_string())
}

/// Issue 15 step 3: no request body and no success answer is documented as an untyped object — a generated
/// client gets a type for each. The core's state types served as stored (activities, appointments, the
/// channels, meetings, nominations, reviews, the suggestion policy …) have their schemas from the types
/// themselves (`liaison-core`'s `schema` feature).
#[test]
fn every_body_has_a_schema() {
    let doc: Value = serde_json::to_value(crate::document()).unwrap();
    let mut found = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for content in op["requestBody"]["content"].as_object().into_iter().flat_map(|c| c.values()) {
                if content["schema"].is_object() && untyped(&doc, &content["schema"]) {
                    found.push(format!("{method} {path} request"));
                }
            }
            for (status, r) in op["responses"].as_object().unwrap() {
                if !status.starts_with('2') {
                    continue;
                }
                for content in r["content"].as_object().into_iter().flat_map(|c| c.values()) {
                    if untyped(&doc, &content["schema"]) {
                        found.push(format!("{method} {path} {status}"));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "untyped: {found:#?}");
}

/// The schema of each core type served as stored, and of every type nested in it, is in the document under
/// its own name: no other type of the same name took its place (two types of one name in different modules
/// must be given distinct names with `#[schema(as = ...)]`).
#[test]
fn the_cores_schemas_keep_their_names() {
    use utoipa::ToSchema;
    use utoipa::openapi::{RefOr, schema::Schema};
    fn add<T: ToSchema>(v: &mut Vec<(String, RefOr<Schema>)>) {
        v.push((T::name().into_owned(), T::schema()));
        T::schemas(v);
    }
    let mut served = Vec::new();
    add::<liaison_core::activity::Activity>(&mut served);
    add::<liaison_core::activity::Fairness>(&mut served);
    add::<liaison_core::appointment::Appointment>(&mut served);
    add::<liaison_core::channels::HotlineCall>(&mut served);
    add::<liaison_core::channels::LiaisonCard>(&mut served);
    add::<liaison_core::channels::Service>(&mut served);
    add::<liaison_core::channels::Solicitation>(&mut served);
    add::<liaison_core::meeting::Meeting>(&mut served);
    add::<liaison_core::meeting::Visit>(&mut served);
    add::<liaison_core::meeting::ReachReport>(&mut served);
    add::<liaison_core::commendation::Contribution>(&mut served);
    add::<liaison_core::commendation::Nomination>(&mut served);
    add::<liaison_core::review::Review>(&mut served);
    add::<liaison_core::suggestion::SuggestionPolicy>(&mut served);
    let mut wrong = Vec::new();
    for (i, (name, schema)) in served.iter().enumerate() {
        if served[..i].iter().any(|(n, s)| n == name && s != schema) {
            wrong.push(format!("{name}: two types of this name"));
        }
    }
    // As the document writes them for client generators.
    let mut expected = utoipa::openapi::OpenApiBuilder::new()
        .components(Some(utoipa::openapi::ComponentsBuilder::new().schemas_from_iter(served).build()))
        .build();
    crate::openapi::for_generators(&mut expected);
    let doc = crate::document();
    let schemas = &doc.components.as_ref().unwrap().schemas;
    for (name, schema) in &expected.components.as_ref().unwrap().schemas {
        if schemas.get(name) != Some(schema) {
            wrong.push(format!("{name}: taken by another type of the same name, or missing"));
        }
    }
    assert!(expected.components.unwrap().schemas.len() > 40);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A tuple is a fixed-length array whose `items` a client generator can read (`Tuples` in `openapi.rs`):
/// no `items: false` is left, and the stored `[date, text]` pairs keep their length.
#[test]
fn tuples_are_written_for_client_generators() {
    let doc: Value = serde_json::to_value(crate::document()).unwrap();
    assert!(!doc.to_string().contains(r#""items":false"#));
    let resolved = &doc["components"]["schemas"]["Service"]["properties"]["resolved"];
    assert_eq!(
        (resolved["minItems"].as_u64(), resolved["maxItems"].as_u64()),
        (Some(2), Some(2)),
        "{resolved}"
    );
    assert_eq!(resolved["prefixItems"][0]["format"], "date", "{resolved}");
    assert!(resolved["items"]["anyOf"].as_array().is_some_and(|a| a.len() == 2), "{resolved}");
}
