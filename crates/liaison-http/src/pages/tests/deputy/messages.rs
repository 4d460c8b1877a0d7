//! 消息: a co-signer invited to a joint draft finds the invitation in the portal's messages, unread, with the
//! link to the draft; marks it read (CSRF required); another deputy cannot mark it.

use super::drafts::account;
use super::*;

const ZHAO: &str = "13800138003";

#[test]
fn an_invited_co_signer_reads_the_invitation_in_messages_and_marks_it_read() {
    let t = Portal::new();
    let w = &t.w;
    rt().block_on(w.app.register_deputy(&w.office, input("赵强", "县", "鼓楼区", ZHAO), None, None)).unwrap();
    account(w, "lina", "李娜");
    account(w, "zhaoqiang", "赵强");
    let tenant = liaison_app::default_tenant();
    let lead = w.app.principal_for_login(&tenant, "lina").unwrap();
    let zhao = w.app.principal_for_login(&tenant, "zhaoqiang").unwrap().deputy.unwrap();
    let input = liaison_app::DraftInput {
        title: "关于完善社区矫正工作的建议".into(),
        content: "建议加强社区矫正衔接。".into(),
        co_signers: vec![zhao.to_string()],
    };
    let draft = rt().block_on(w.app.open_draft(&lead, &input, None)).unwrap();
    rt().block_on(async {
        let dc = t.login_as(ZHAO).await;
        let page = w.get("/deputy/messages", &[&dc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("未读消息 1 条"), "{}", page.body);
        assert!(page.body.contains(&format!("href=\"/deputy/drafts/{}\"", draft.id)), "{}", page.body);
        let id =
            page.body.split("id=\"message-").nth(1).and_then(|r| r.split('"').next()).unwrap().to_owned();
        // Without the session's token nothing changes; another deputy's session finds no such message.
        let refused = w.post(&format!("/deputy/messages/{id}"), &[&dc], &[("csrf", "wrong")]).await;
        assert_ne!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
        let lina = t.login().await;
        let other = w.get("/deputy/messages", &[&lina]).await;
        let csrf = other.field("csrf");
        let foreign = w.post(&format!("/deputy/messages/{id}"), &[&lina], &[("csrf", &csrf)]).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
        assert!(w.get("/deputy/messages", &[&dc]).await.body.contains("未读消息 1 条"));
        let csrf = page.field("csrf");
        let read = w.post(&format!("/deputy/messages/{id}"), &[&dc], &[("csrf", &csrf)]).await;
        assert_eq!(read.location(), "/deputy/messages", "{}", read.body);
        let after = w.get("/deputy/messages", &[&dc]).await;
        assert!(after.body.contains("未读消息 0 条") && !after.body.contains("标为已读"), "{}", after.body);
    });
}
