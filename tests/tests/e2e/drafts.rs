//! Issue 17 item 7 end to end, against the real server and CLI: a deputy drafts a joint suggestion with
//! their own token and invites a second deputy, who finds the invitation in their inbox (delivered by the
//! server's worker) and confirms the words read; the lead submits and the office finds the suggestion filed
//! with both as proposers, from the deputy online; the audit chain and the stored state verify, on SQLite
//! and on PostgreSQL.

use serde_json::json;

use super::World;

fn scenario(w: &World) {
    let people = w.deputies_signed_in(&[("王芳", "市"), ("李强", "县")]);
    let (lead, co) = (&people[0], &people[1]);
    let body = json!({"title": "关于加强社区矫正监督的建议", "content": "建议加强对社区矫正执行活动的监督。",
        "co_signers": [co.id]});
    // Staff cannot draft; the deputy can.
    assert_eq!(w.post("/api/v1/drafts", &w.office, None, body.clone()).0, 403);
    let (status, d) = w.post("/api/v1/drafts", &lead.token, None, body);
    assert_eq!(status, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_owned();
    // The invitation reaches the co-signer's inbox (the worker runs every few seconds).
    let mut inbox = json!([]);
    for _ in 0..40 {
        inbox = w.get("/api/v1/inbox", &co.token).1;
        if inbox.to_string().contains("联名") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert!(inbox.to_string().contains("王芳代表邀请您联名提出建议"), "{inbox}");
    // The co-signer reads the draft and confirms its edition; the lead cannot confirm for them.
    let (status, seen) = w.get(&format!("/api/v1/drafts/{id}"), &co.token);
    assert_eq!((status, seen["you_lead"].as_bool()), (200, Some(false)), "{seen}");
    let v = seen["version"].as_u64().unwrap();
    let uri = format!("/api/v1/drafts/{id}/confirm");
    let (status, e) = w.post(&uri, &lead.token, Some(v), json!({"edition": 1}));
    assert_eq!((status, e["code"].as_str()), (409, Some("draft.not_invited")), "{e}");
    let (status, d) = w.post(&uri, &co.token, Some(v), json!({"edition": seen["edition"]}));
    assert_eq!((status, d["ready"].as_bool()), (200, Some(true)), "{d}");
    // The lead submits; the office reads the suggestion filed.
    let v = d["version"].as_u64().unwrap();
    let (status, d) = w.post(&format!("/api/v1/drafts/{id}/submit"), &lead.token, Some(v), json!({}));
    assert_eq!(status, 200, "{d}");
    let number = d["suggestion_number"].as_str().unwrap();
    let (status, s) = w.get(&format!("/api/v1/suggestions/{number}"), &w.office);
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["suggestion"]["source"], "online");
    let names: Vec<&str> = s["suggestion"]["proposers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["王芳", "李强"]);
    // The CLI shows it with the rest; the chain and the stored state (the draft's included) verify.
    let shown = w.ok(&["--as", "office", "suggestion", "show", number]);
    assert!(shown.contains("代表网上提交") && shown.contains("李强"), "{shown}");
    w.verify_state();
}

#[test]
fn a_deputy_files_a_joint_suggestion_online() {
    scenario(&World::new());
}

#[test]
fn a_deputy_files_a_joint_suggestion_online_on_postgresql() {
    let Some(mut w) = World::on_postgres("drafts") else { return };
    w.start();
    scenario(&w);
}
