//! The deputy's portal in-process: the login by SMS code (the code caught from a stand-in gateway), a
//! deputy sees only their own suggestions and notices, rates an answer and acknowledges a notice, CSRF on
//! every form, and neither a staff cookie opens the portal nor a deputy's cookie the staff pages.

use std::sync::Mutex;

use liaison_app::NoticeAction;
use liaison_app::{Channels, Sending, Sms, SmsChannel, SmsGateway};
use liaison_core::message::{MessageChannel, Outcome};

use super::*;

const MOBILE: &str = "13800138001";

#[derive(Default)]
struct Caught(Mutex<Vec<Sms>>);

impl SmsGateway for Caught {
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a> {
        self.0.lock().unwrap().push(sms.clone());
        Box::pin(async { Outcome::Sent })
    }
}

struct Portal {
    w: W,
    caught: Arc<Caught>,
    /// 王芳's own suggestion.
    own: String,
    /// The notice sent to her.
    notice: String,
}

impl Portal {
    fn new() -> Self {
        let w = W::new(Edge::default());
        let (app, office) = (&w.app, &w.office);
        let wang =
            rt().block_on(app.register_deputy(office, input("王芳", "县", "鼓楼区", MOBILE), None, None));
        let wang = wang.unwrap().id.to_string();
        rt().block_on(app.register_deputy(office, input("李娜", "县", "鼓楼区", "13800138002"), None, None))
            .unwrap();
        let org = OrgInput::AddOfficer { name: "林晓".into(), department: None, regions: vec![] };
        rt().block_on(app.change_organisation(office, org, None, None)).unwrap();
        let wang_id = liaison_core::ids::DeputyId::parse(&wang).unwrap();
        rt().block_on(app.assign(office, wang_id, Some("林晓".into()), None, None, None)).unwrap();
        let admin = app.principal_for_login(&liaison_app::default_tenant(), "admin").unwrap();
        let new = NewUser {
            login: "wangfang".into(),
            display_name: "王芳".into(),
            roles: vec!["deputy".into()],
            deputy: Some(wang.clone()),
            ..Default::default()
        };
        rt().block_on(app.add_user(&admin, &new)).unwrap();
        rt().block_on(app.account_step(&w.sec, "wangfang", None, liaison_app::AccountStep::Approve, None))
            .unwrap();
        let input = SuggestionInput {
            title: "关于在社区设立法律服务点的建议".into(),
            content: "建议在每个社区设立法律服务点。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![wang.clone()],
        };
        let own = rt().block_on(app.file_suggestion(office, &input, None)).unwrap();
        let own = own.suggestion.number.unwrap().to_string();
        let leader = user(app, "leader1", "张院长", "leader", None);
        let n = rt()
            .block_on(app.draft_notice(
                office,
                &liaison_app::NoticeInput {
                    title: "关于办理一起涉企案件的情况通报".into(),
                    content: "现将有关情况通报如下。".into(),
                    scope: "chosen".into(),
                    values: vec![],
                    deputies: vec![wang],
                    channel: "sms".into(),
                },
            ))
            .unwrap();
        let notice = n.notice.id.to_string();
        rt().block_on(app.notice_action(&leader, &notice, None, NoticeAction::Approve {})).unwrap();
        rt().block_on(app.notice_action(office, &notice, None, NoticeAction::Send {})).unwrap();
        Self { w, caught: Arc::new(Caught::default()), own, notice }
    }

    /// Deliver what is due; the last code sent to `MOBILE`.
    async fn code(&self) -> String {
        self.code_to(MOBILE).await
    }

    /// Deliver what is due; the last code sent to `mobile`.
    async fn code_to(&self, mobile: &str) -> String {
        let channels = Channels::standard(&self.w.app).with(
            MessageChannel::Sms,
            Arc::new(SmsChannel::new(&self.w.app, self.caught.clone() as Arc<dyn SmsGateway>)),
        );
        self.w.app.deliver_due(&channels, 100).await.unwrap();
        let sms =
            self.caught.0.lock().unwrap().iter().rev().find(|s| s.to == mobile).cloned().expect("an SMS");
        sms.params["code"].as_str().unwrap().to_owned()
    }

    /// The login steps through the pages: the deputy's cookie (`name=value`).
    async fn login(&self) -> String {
        let w = &self.w;
        let form = w.get("/deputy/login", &[]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("autocomplete=\"tel\"") && form.body.contains("<label for=\"mobile\">"));
        let lc = format!(
            "__Host-liaison_login={}",
            cookie_value(&form.set_cookie("__Host-liaison_login").unwrap())
        );
        let token = form.field("csrf");
        let refused = w.post("/deputy/login", &[&lc], &[("csrf", "nope"), ("mobile", MOBILE)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "CSRF on the login step");
        let bad = w.post("/deputy/login", &[&lc], &[("csrf", &token), ("mobile", "12345")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("手机号码"), "{}", bad.body);
        let sent = w.post("/deputy/login", &[&lc], &[("csrf", &token), ("mobile", MOBILE)]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert!(sent.body.contains("id=\"code-sent\""), "{}", sent.body);
        let code = self.code().await;
        assert!(!sent.body.contains(&code));
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        let p = w
            .post("/deputy/login/code", &[&lc], &[("csrf", &token), ("mobile", MOBILE), ("code", &wrong)])
            .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
        assert!(p.body.contains("验证码") && p.body.contains("id=\"code\""), "the code again: {}", p.body);
        let p = w
            .post("/deputy/login/code", &[&lc], &[("csrf", &token), ("mobile", MOBILE), ("code", &code)])
            .await;
        assert_eq!((p.status, p.location()), (StatusCode::SEE_OTHER, "/deputy"), "{}", p.body);
        let set = p.set_cookie("__Host-liaison_deputy").expect("the deputy's cookie");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Secure"),
            "{set}"
        );
        format!("__Host-liaison_deputy={}", cookie_value(&set))
    }
}

#[test]
fn a_deputy_logs_in_by_code_sees_only_their_own_and_rates_and_acknowledges() {
    let t = Portal::new();
    let w = &t.w;
    rt().block_on(async {
        assert_eq!(w.get("/deputy", &[]).await.location(), "/deputy/login");
        let dc = t.login().await;
        let home = w.get("/deputy", &[&dc]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert!(home.body.contains("关于在社区设立法律服务点的建议"), "{}", home.body);
        assert!(!home.body.contains("关于加强未成年人检察工作的建议"), "not another deputy's");
        assert!(home.body.contains("aria-current=\"page\">我的建议"));
        assert!(!has_uuid(&visible(&home.body)), "no ids shown");
        assert_eq!(home.headers[header::CACHE_CONTROL], "no-store");
        // Another deputy's suggestion is not found.
        let other = w.get("/deputy/suggestions/2026-0001", &[&dc]).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        // The portal's failure page: the way back is the portal, never the staff pages (whose home sends a
        // deputy to the staff login).
        assert!(other.body.contains(r#"<a href="/deputy">返回代表服务首页</a>"#), "{}", other.body);
        assert!(
            !other.body.contains(r#"href="/""#) && !other.body.contains("人大代表联络工作平台"),
            "{}",
            other.body
        );

        // Her suggestion answered: she rates it from the portal.
        let dept = w.app.principal_for_login(&liaison_app::default_tenant(), "dept1").unwrap();
        let assign = SuggestionAction::Assign {
            lead: "第一检察部".into(),
            co_handlers: vec![],
            handler: "dept1".into(),
        };
        w.app.suggestion_action(&w.office, &t.own, None, assign, None).await.unwrap();
        let contact = SuggestionAction::Contact {
            phase: "before".into(),
            means: "phone".into(),
            deputies: vec![],
            summary: "电话沟通".into(),
        };
        w.app.suggestion_action(&dept, &t.own, None, contact, None).await.unwrap();
        let answer = SuggestionAction::Answer {
            class: "A".into(),
            text: "已在十个社区设立法律服务点。".into(),
            promised_on: None,
        };
        w.app.suggestion_action(&dept, &t.own, None, answer, None).await.unwrap();
        let path = format!("/deputy/suggestions/{}", t.own);
        let page = w.get(&path, &[&dc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("已在十个社区设立法律服务点。") && page.body.contains("id=\"rate\""));
        assert!(page.body.contains("id=\"timeline\"") && page.body.contains("第一检察部"), "{}", page.body);
        let csrf = page.field("csrf");
        let forged = w.post(&path, &[&dc], &[("csrf", "forged"), ("rating", "满意")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "CSRF");
        let no_comment = w.post(&path, &[&dc], &[("csrf", &csrf), ("rating", "不满意")]).await;
        assert_eq!(no_comment.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_comment.body);
        assert!(no_comment.body.contains("id=\"error-message\""));
        assert_eq!(w.app.suggestion(&w.office, &t.own).unwrap().suggestion.rounds[0].ratings.len(), 0);
        let done = w.post(&path, &[&dc], &[("csrf", &csrf), ("rating", "满意")]).await;
        assert_eq!(done.location(), format!("{path}?done=1"), "{}", done.body);
        let after = w.get(&format!("{path}?done=1"), &[&dc]).await;
        assert!(
            after.body.contains("您的评价：满意") && !after.body.contains("id=\"rate\""),
            "{}",
            after.body
        );

        // A notice: read and acknowledged.
        let list = w.get("/deputy/notices", &[&dc]).await;
        assert!(list.body.contains("关于办理一起涉企案件的情况通报") && list.body.contains("待确认"));
        let npath = format!("/deputy/notices/{}", t.notice);
        let forged = w.post(&npath, &[&dc], &[("csrf", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let ack = w.post(&npath, &[&dc], &[("csrf", &csrf)]).await;
        assert_eq!(ack.location(), npath, "{}", ack.body);
        let n = w.get(&npath, &[&dc]).await;
        assert!(n.body.contains("id=\"acknowledged\""), "{}", n.body);

        // An appointment asked for with her officer: bad input named, then requested and listed.
        let a = w.get("/deputy/appointments", &[&dc]).await;
        assert!(a.body.contains("<option value=\"林晓\""), "{}", a.body);
        let bad = w
            .post("/deputy/appointments", &[&dc], &[("csrf", &csrf), ("official", "林晓"), ("topic", "")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let forged = w
            .post("/deputy/appointments", &[&dc], &[("csrf", "x"), ("official", "林晓"), ("topic", "t")])
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(w.app.appointments(&w.office, None).unwrap().is_empty(), "nothing recorded");
        let ok = w
            .post(
                "/deputy/appointments",
                &[&dc],
                &[("csrf", &csrf), ("official", "林晓"), ("topic", "反映企业诉求")],
            )
            .await;
        assert_eq!(ok.location(), "/deputy/appointments?done=1", "{}", ok.body);
        let a = w.get("/deputy/appointments?done=1", &[&dc]).await;
        assert!(
            a.body.contains("反映企业诉求") && a.body.contains("联络员林晓") && a.body.contains("待答复"),
            "{}",
            a.body
        );
        let all = w.app.appointments(&w.office, None).unwrap();
        assert_eq!((all.len(), all[0].deputy.name.as_str()), (1, "王芳"));
        // Another deputy's appointment, recorded by the office, is not in her list.
        let li = w.app.deputies(&w.office, &Default::default(), None, 1000).unwrap();
        let li = li.items.iter().find(|d| d.name == "李娜").unwrap().id.to_string();
        let other = liaison_app::AppointmentInput {
            deputy: li,
            official: "林晓".into(),
            channel: "hotline".into(),
            topic: "李娜的另一件事".into(),
        };
        w.app.request_appointment(&w.office, &other).await.unwrap();
        let a = w.get("/deputy/appointments", &[&dc]).await;
        assert!(a.body.contains("反映企业诉求") && !a.body.contains("李娜的另一件事"), "{}", a.body);

        // Contacts; logout ends the session.
        let c = w.get("/deputy/contact", &[&dc]).await;
        assert!(c.body.contains("王芳（") && c.body.contains("林晓"), "{}", c.body);
        let out = w.post("/deputy/logout", &[&dc], &[("csrf", &csrf)]).await;
        assert_eq!(out.location(), "/deputy/login");
        assert_eq!(w.get("/deputy", &[&dc]).await.location(), "/deputy/login");
    });
}

#[test]
fn a_staff_cookie_never_opens_the_portal_nor_a_deputy_cookie_the_staff_pages() {
    let t = Portal::new();
    let w = &t.w;
    rt().block_on(async {
        let dc = t.login().await;
        let deputy_value = dc.split_once('=').unwrap().1.to_owned();
        let (staff, _, _) = w.first_login().await;
        let staff_value = staff.split_once('=').unwrap().1.to_owned();
        // The staff session in the deputy's cookie: refused, the cookie dropped.
        let p = w.get("/deputy", &[&format!("__Host-liaison_deputy={staff_value}")]).await;
        assert_eq!(p.location(), "/deputy/login");
        assert!(p.set_cookie("__Host-liaison_deputy").unwrap().contains("Max-Age=0"));
        // The deputy's session in the staff cookie: refused on every staff page.
        for path in ["/", "/suggestions", "/notices", "/register"] {
            let p = w.get(path, &[&format!("__Host-liaison_session={deputy_value}")]).await;
            assert_eq!(p.location(), "/login", "{path}");
        }
        // Each in its own place still works.
        assert_eq!(w.get("/deputy", &[&dc]).await.status, StatusCode::OK);
        assert_eq!(w.get("/", &[&staff]).await.status, StatusCode::OK);
    });
}

mod activities;
mod drafts;
mod links;
mod messages;

/// Issue 20, part 2: one mobile number on the registers of two procuratorates (a deputy of two congresses,
/// one account in each): the deputy chooses the procuratorate, the code is sent and good in that one only,
/// and the session reads only that procuratorate's items. No choice, or an unknown one, is refused.
#[test]
fn a_deputy_on_two_registers_signs_in_to_the_procuratorate_chosen() {
    use super::tenants::{XH, XH_NAME, second_tenant};
    let t = Portal::new();
    let w = &t.w;
    let xh_office = second_tenant(&w.app);
    let xh = liaison_core::ids::TenantId::parse(XH).unwrap();
    let d = rt()
        .block_on(w.app.register_deputy(&xh_office, input("王芳", "市", "西湖区", MOBILE), None, None))
        .unwrap();
    let admin = w.app.principal_for_login(&xh, "admin").unwrap();
    let new = NewUser {
        login: "wangfang".into(),
        display_name: "王芳".into(),
        roles: vec!["deputy".into()],
        deputy: Some(d.id.to_string()),
        ..Default::default()
    };
    rt().block_on(w.app.add_user(&admin, &new)).unwrap();
    let sec = w.app.principal_for_login(&xh, "sec").unwrap();
    rt().block_on(w.app.account_step(&sec, "wangfang", None, liaison_app::AccountStep::Approve, None))
        .unwrap();
    let s = SuggestionInput {
        title: "关于西湖景区法律服务的建议".into(),
        content: "建议在景区设立法律服务点。".into(),
        source: "闭会期间".into(),
        received_on: None,
        deputies: vec![d.id.to_string()],
    };
    rt().block_on(w.app.file_suggestion(&xh_office, &s, None)).unwrap();

    rt().block_on(async {
        let form = w.get("/deputy/login?tenant=xh", &[]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert_eq!(form.text_of("tenant-name"), XH_NAME);
        assert!(form.body.contains("<option value=\"xh\" selected>"), "{}", form.body);
        let unknown_page = w.get("/deputy/login?tenant=nowhere", &[]).await;
        assert_eq!(unknown_page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown_page.body.contains("找不到检察院 nowhere"), "{}", unknown_page.body);
        let lc = format!(
            "__Host-liaison_login={}",
            cookie_value(&form.set_cookie("__Host-liaison_login").unwrap())
        );
        let token = form.field("csrf");
        let ask = |tenant: &'static str| {
            let (lc, token) = (lc.clone(), token.clone());
            async move {
                w.post("/deputy/login", &[&lc], &[("csrf", &token), ("tenant", tenant), ("mobile", MOBILE)])
                    .await
            }
        };
        // No choice: refused naming the field; an unknown one: refused as unknown; no code sent for either.
        let none = ask("").await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.body);
        assert!(none.body.contains("检察院") && !none.body.contains("id=\"code-sent\""), "{}", none.body);
        let unknown = ask("nowhere").await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(unknown.body.contains("找不到检察院"), "{}", unknown.body);
        let channels = liaison_app::Channels::standard(&w.app).with(
            MessageChannel::Sms,
            Arc::new(SmsChannel::new(&w.app, t.caught.clone() as Arc<dyn SmsGateway>)),
        );
        w.app.deliver_due(&channels, 100).await.unwrap();
        let notices = t.caught.0.lock().unwrap().len();

        let sent = ask(XH).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert!(sent.body.contains("id=\"code-sent\""), "{}", sent.body);
        assert!(sent.body.contains("name=\"tenant\" value=\"xh\""), "the code step keeps the choice");
        let code = t.code().await;
        assert_eq!(t.caught.0.lock().unwrap().len(), notices + 1, "one code, for the one procuratorate");
        // B's code is no good in A (A's account of the same number asked for none).
        let in_a = w
            .post(
                "/deputy/login/code",
                &[&lc],
                &[("csrf", &token), ("tenant", "default"), ("mobile", MOBILE), ("code", &code)],
            )
            .await;
        assert_ne!(in_a.status, StatusCode::SEE_OTHER, "{}", in_a.body);
        assert!(in_a.set_cookie("__Host-liaison_deputy").is_none());
        let p = w
            .post(
                "/deputy/login/code",
                &[&lc],
                &[("csrf", &token), ("tenant", XH), ("mobile", MOBILE), ("code", &code)],
            )
            .await;
        assert_eq!((p.status, p.location()), (StatusCode::SEE_OTHER, "/deputy"), "{}", p.body);
        assert!(
            p.set_cookie("__Host-liaison_tenant").is_some_and(|c| c.starts_with("__Host-liaison_tenant=xh;"))
        );
        let dc = format!(
            "__Host-liaison_deputy={}",
            cookie_value(&p.set_cookie("__Host-liaison_deputy").unwrap())
        );
        let home = w.get("/deputy", &[&dc]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert!(home.body.contains("关于西湖景区法律服务的建议"), "{}", home.body);
        assert!(!home.body.contains("关于在社区设立法律服务点的建议"), "A's item read in B: {}", home.body);
    });
}

/// A deputy's suggestion transferred (转办) to the competent procuratorate: her page says who handles it
/// now, its number there, how it stands there and why — and the list marks it 已转办.
#[test]
fn a_deputy_sees_where_her_transferred_suggestion_is_handled() {
    use super::tenants::{XH, XH_NAME, second_tenant};
    let t = Portal::new();
    let w = &t.w;
    // Signed in while the deployment has one procuratorate.
    let dc = rt().block_on(t.login());
    second_tenant(&w.app);
    rt().block_on(async {
        let to = SuggestionAction::Transfer {
            to: XH.into(),
            reason: "属区院管辖".into(),
            notice: "已转区院办理。".into(),
        };
        w.app.suggestion_action(&w.office, &t.own, None, to, None).await.unwrap();
        let page = w.get(&format!("/deputy/suggestions/{}", t.own), &[&dc]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let line = page.text_of("transfer");
        assert!(
            line.contains(XH_NAME)
                && line.contains("该院编号 2026-0001")
                && line.contains("已登记")
                && line.contains("属区院管辖"),
            "{line}"
        );
        assert!(page.text_of("state").contains("已转办"), "{}", page.body);
        assert!(page.body.contains("由承办检察院答复"), "not 尚未答复: {}", page.body);
        let home = w.get("/deputy", &[&dc]).await;
        assert!(home.body.contains("已转办"), "{}", home.body);
        if let Some(dir) = std::env::var_os("LIAISON_SHOTS") {
            let css = w.get("/static/app.css", &[]).await.body;
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join("app.css"), css).expect("the stylesheet written");
            std::fs::write(
                dir.join("deputy-transferred.html"),
                page.body.replace("/static/app.css", "app.css"),
            )
            .expect("written");
        }
    });
}
