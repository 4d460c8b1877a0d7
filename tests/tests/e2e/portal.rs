//! The deputy's portal in Chromium at phone size (issue 17, items 6–8): the deputy logs in with the SMS
//! code the service sent through the SMS gateway's stand-in, reads a notice and acknowledges it, and
//! rates the answer to their suggestion, confirms an activity they were drawn for and reads its draw's
//! public record — all on the real binaries. With `LIAISON_SHOTS=DIR` each page is
//! saved as a screenshot there.

use serde_json::{Value, json};

use super::World;
use super::browser::Browser;
use super::messages::{SECRET, Smtp, sms_stand_in, wait_sms};
use super::pages::{sound, sound_in, wait_for_text};

/// Wait for `want` in the element `css`, and fail when it does not come.
fn see(b: &Browser, css: &str, want: &str) {
    let t = wait_for_text(b, css, want);
    assert!(t.contains(want), "{css}: {want:?} awaited, the page shows {t:?}");
}

const TITLE: &str = "关于在社区设立法律服务点的建议";
const DRAFT: &str = "关于加强校园周边安全治理的建议";

#[test]
fn a_deputy_logs_in_by_sms_code_acknowledges_a_notice_and_rates_an_answer_at_phone_size() {
    let mut w = World::offline().with_department("第一检察部", "dept1").with_leader();
    let (sms_port, caught) = sms_stand_in();
    let sms_url = format!("http://127.0.0.1:{sms_port}/");
    let env = [
        ("LIAISON_MESSAGE_INTERVAL", "1"),
        ("LIAISON_PUBLIC_URL", "https://lx.example.cn"),
        ("LIAISON_HOTLINE", "0591-12309"),
        ("LIAISON_SMS_PROVIDER", "aliyun"),
        ("LIAISON_SMS_ENDPOINT", sms_url.as_str()),
        ("LIAISON_SMS_KEY_ID", "stand-in-id"),
        ("LIAISON_SMS_KEY_SECRET", SECRET),
        ("LIAISON_SMS_SIGN_NAME", "某市人民检察院"),
        ("LIAISON_SMS_TEMPLATES", "suggestion.answered=SMS_1001,auth.login_code=SMS_1003"),
    ];
    w.start_with_args_env(&["--insecure-cookies"], &env);
    // 王芳 (mobile 13900000000) and 李强 (13900000001), each with a deputy account.
    let wang = w.deputy("王芳", "县");
    let li = w.deputy("李强", "县");
    w.user("wangfang", "王芳", "deputy", &["--deputy", &wang]);
    w.user("liqiang", "李强", "deputy", &["--deputy", &li]);
    let office = w.office.clone();
    let dept = w.token("dept1");

    // Her suggestion, assigned, contacted and answered.
    let (status, s) = w.post(
        "/api/v1/suggestions",
        &office,
        None,
        json!({"title": TITLE, "content": "建议在每个社区设立法律服务点。", "source": "闭会期间", "deputies": [wang]}),
    );
    assert_eq!(status, 201, "{s}");
    let number = s["suggestion"]["number"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/suggestions/{number}");
    let act = |token: &str, action: &str, body: Value| {
        let v = w.version(&path, "/suggestion/version");
        let (status, b) = w.post(&format!("{path}/{action}"), token, Some(v), body);
        assert_eq!(status, 200, "{action}: {b}");
    };
    act(&office, "assign", json!({"lead": "第一检察部", "handler": "dept1"}));
    act(&dept, "contact", json!({"phase": "办前", "means": "电话", "summary": "电话征求代表意见"}));
    act(&dept, "answer", json!({"class": "A", "text": "已在十个社区设立法律服务点。"}));

    // A notice to the county deputies, approved and sent.
    let id = w.json(&[
        "--as",
        "office",
        "notice",
        "draft",
        "--title",
        "关于开展公益诉讼专项活动的通报",
        "--content",
        "二季度开展专项活动。",
        "--scope",
        "level",
        "--value",
        "县",
        "--channel",
        "短信",
        "--format",
        "json",
    ])["notice"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    w.ok(&["--as", "leader", "notice", "approve", &id]);
    let (status, v) = w.post(&format!("/api/v1/notices/{id}/send"), &office, Some(2), json!({}));
    assert_eq!(status, 200, "{v}");

    // An open day for both county deputies, drawn by lot (so 王芳 is drawn).
    let plan = json!({"kind": "open_day", "title": "走进检察院", "on": "2027-06-01", "place": "本院检察服务中心",
        "seats": 2, "levels": ["县"], "selection": "lottery"});
    let (status, a) = w.post("/api/v1/activities", &office, None, plan);
    assert_eq!(status, 201, "{a}");
    let activity = a["activity"]["id"].as_str().unwrap().to_owned();
    let at = format!("/api/v1/activities/{activity}");
    let (status, p) =
        w.post(&format!("{at}/prepare"), &office, Some(1), json!({"secret_seed_reason": "测试"}));
    assert_eq!(status, 200, "{p}");
    let (status, d) = w.post(&format!("{at}/draw"), &office, Some(2), json!({"seed": p["seed"]}));
    assert_eq!(status, 200, "{d}");
    assert!(
        d["activity"]["participants"].as_array().unwrap().iter().any(|x| x.as_str() == Some(wang.as_str()))
    );

    let Some(b) = Browser::phone() else { return };
    let base = w.base().to_owned();
    b.open(&format!("{base}/deputy"));
    see(&b, "h1", "代表登录");
    sound(&b, "portal login", 390);
    b.shot("portal-login-390");
    b.type_into("#mobile", "13900000000");
    b.click("form.card button.primary");
    see(&b, "#code-sent", "验证码短信已发送");
    sound(&b, "portal code", 390);
    b.shot("portal-code-390");
    let code = code_sent(&caught, WANG, 1);
    b.type_into("#code", &code);
    b.click("form.card button.primary");
    see(&b, "#my-suggestions", TITLE);
    sound(&b, "portal home", 390);
    b.shot("portal-home-390");

    // The notice: read and acknowledged.
    b.click("nav.portal a[href='/deputy/notices']");
    see(&b, "#notices", "待确认");
    b.shot("portal-notices-390");
    b.click("#notices a");
    see(&b, "h1", "关于开展公益诉讼专项活动的通报");
    b.click("form.card button.primary");
    see(&b, "#acknowledged", "确认收悉");
    sound(&b, "portal notice", 390);
    b.shot("portal-notice-390");

    // The answer: rated from the portal.
    b.open(&format!("{base}/deputy/suggestions/{number}"));
    see(&b, "#state", "待评价");
    sound(&b, "portal suggestion", 390);
    b.shot("portal-suggestion-390");
    b.click("input[name=rating][value='满意']");
    b.click("#rate button.primary");
    see(&b, "#rated", "满意");
    b.shot("portal-rated-390");
    b.open(&format!("{base}/deputy/contact"));
    see(&b, "#hotline", "0591-12309");
    b.shot("portal-contact-390");
    b.open(&format!("{base}/deputy/appointments"));
    see(&b, "h1", "约见");
    sound(&b, "portal appointments", 390);
    b.shot("portal-appointments-390");
    b.click("nav.portal a[href='/deputy/messages']");
    see(&b, "h1", "消息");
    sound(&b, "portal messages", 390);
    b.shot("portal-messages-390");

    // 提出建议: a draft with 李强 invited (found by name); he confirms it in the browser; then it is filed.
    b.click("nav.portal a[href='/deputy/drafts']");
    see(&b, "h1", "提出建议");
    b.shot("portal-drafts-390");
    b.click("#new-draft");
    see(&b, "h1", "起草新建议");
    b.type_into("#title", DRAFT);
    b.type_into("#content", "建议在学校周边增设交通安全设施，加强巡逻。");
    b.type_into("#q", "李");
    b.click("button[name=step][value=search]");
    see(&b, "#co-signers", "李强（县，");
    sound(&b, "portal new draft", 390);
    b.shot("portal-draft-new-390");
    b.click("input[name=co_signers]");
    b.click("button[name=step][value=open]");
    see(&b, "#signers", "待确认");
    sound(&b, "portal draft", 390);
    b.shot("portal-draft-390");
    let draft = b.script("return location.pathname").as_str().unwrap_or_default().to_owned();

    // 李强 logs in with his own SMS code and confirms the draft he was invited to.
    b.click("header.bar form button");
    see(&b, "h1", "代表登录");
    log_in(&b, &caught, LI, 1);
    b.click("nav.portal a[href='/deputy/drafts']");
    see(&b, "#invited", DRAFT);
    b.click("#invited a");
    see(&b, "#confirm", "同意后确认联名");
    sound(&b, "portal draft to confirm", 390);
    b.shot("portal-draft-confirm-390");
    b.click("#confirm button.primary");
    see(&b, "#confirm", "您已确认联名第 1 稿");
    b.shot("portal-draft-confirmed-390");
    b.click("header.bar form button");
    see(&b, "h1", "代表登录");

    // 王芳 again: every co-signer has answered, so she files it with nothing left to wait for (had 李强 not
    // confirmed, the submission would be refused without "不再等待").
    log_in(&b, &caught, WANG, 2);
    b.open(&format!("{base}{draft}"));
    see(&b, "#signers", "已确认联名");
    let waiting = b.script("return document.querySelector('input[name=leave_unanswered]') !== null");
    assert_eq!(waiting, Value::Bool(false), "no one is left to wait for");
    b.click("#submit button.primary");
    see(&b, "#filed", "建议编号");
    b.shot("portal-draft-filed-390");
    let filed = b.text("#filed a");
    let (status, f) = w.get(&format!("/api/v1/suggestions/{}", filed.trim()), &office);
    assert_eq!(status, 200, "{f}");
    let signers = f["suggestion"].to_string();
    assert!(signers.contains(&wang) && signers.contains(&li), "both deputies sign it: {f}");

    // 活动: the open day she was drawn for, confirmed; the draw's public record, verified.
    b.click("nav.portal a[href='/deputy/activities']");
    see(&b, "#activities", "走进检察院");
    see(&b, &format!("#answer-{activity}"), "尚未答复");
    sound(&b, "portal activities", 390);
    b.shot("portal-activities-390");
    b.click(&format!("#confirm-{activity}"));
    see(&b, "#done", "您的答复已记录");
    see(&b, &format!("#answer-{activity}"), "确认参加");
    b.shot("portal-activities-confirmed-390");
    b.click(&format!("a[href='/deputy/activities/{activity}/draw']"));
    see(&b, "#verified", "验证通过");
    sound(&b, "portal draw", 390);
    b.shot("portal-draw-390");

    // At desktop width too.
    b.resize(1280, 900);
    b.open(&format!("{base}/deputy"));
    see(&b, "#my-suggestions", TITLE);
    sound(&b, "portal home", 1280);
    b.shot("portal-home-1280");
    b.open(&format!("{base}/deputy/messages"));
    see(&b, "h1", "消息");
    sound(&b, "portal messages", 1280);
    b.shot("portal-messages-1280");
    b.open(&format!("{base}/deputy/suggestions/{number}"));
    see(&b, "#rated", "满意");
    b.shot("portal-suggestion-1280");
    b.open(&format!("{base}/deputy/drafts"));
    see(&b, "#leading", DRAFT);
    b.shot("portal-drafts-1280");
    b.open(&format!("{base}{draft}"));
    see(&b, "#filed", "建议编号");
    b.shot("portal-draft-1280");
    b.open(&format!("{base}/deputy/drafts/new?q=li"));
    see(&b, "#co-signers", "李强");
    b.shot("portal-draft-new-1280");
    b.open(&format!("{base}/deputy/activities"));
    see(&b, &format!("#answer-{activity}"), "确认参加");
    sound(&b, "portal activities", 1280);
    b.shot("portal-activities-1280");
    b.open(&format!("{base}/deputy/activities/{activity}/draw"));
    see(&b, "#verified", "验证通过");
    b.shot("portal-draw-1280");

    // The office sees what the deputy did, as the deputy's own.
    let (_, s) = w.get(&path, &office);
    let rating = &s["suggestion"]["rounds"][0]["ratings"][&wang];
    assert_eq!(
        (rating["rating"].as_str(), rating["channel"]["via"].as_str()),
        (Some("satisfied"), Some("own_account")),
        "{s}"
    );
    let (_, n) = w.get(&format!("/api/v1/notices/{id}"), &office);
    assert_eq!(n["acknowledged"], 1, "{n}");
    let (_, a) = w.get(&at, &office);
    assert_eq!(a["responses"][&wang]["answer"], "confirmed", "{a}");
    w.verify_state();
}

#[test]
fn a_deputy_signs_in_with_the_link_in_the_answers_email_at_phone_size() {
    let mut w = World::offline().with_department("第一检察部", "dept1").with_leader();
    let Some(smtp) = Smtp::start(w.dir()) else {
        assert!(
            std::env::var_os("LIAISON_TEST_SMTP").is_none(),
            "LIAISON_TEST_SMTP is set but aiosmtpd is missing"
        );
        liaison_store::testing::say("SKIPPED the login link by e-mail (no aiosmtpd)");
        return;
    };
    let port = smtp.port.to_string();
    let env = [
        ("LIAISON_MESSAGE_INTERVAL", "1"),
        ("LIAISON_PUBLIC_URL", "https://lx.example.cn"),
        ("LIAISON_SMTP_HOST", "127.0.0.1"),
        ("LIAISON_SMTP_PORT", port.as_str()),
        ("LIAISON_SMTP_TLS", "none"),
        ("LIAISON_SMTP_FROM", "联络室 <lianluo@example.cn>"),
    ];
    w.start_with_args_env(&["--insecure-cookies"], &env);
    let wang = w.deputy_with("王芳", "县", json!({"email": "wang@example.cn"}));
    w.user("wangfang", "王芳", "deputy", &["--deputy", &wang]);
    w.ok(&["--as", "office", "message", "contact", &format!("deputy:{wang}"), "--prefer", "email"]);
    let office = w.office.clone();
    let dept = w.token("dept1");
    let (status, s) = w.post(
        "/api/v1/suggestions",
        &office,
        None,
        json!({"title": TITLE, "content": "建议在每个社区设立法律服务点。", "source": "闭会期间", "deputies": [wang]}),
    );
    assert_eq!(status, 201, "{s}");
    let (id, number) = (
        s["suggestion"]["id"].as_str().unwrap().to_owned(),
        s["suggestion"]["number"].as_str().unwrap().to_owned(),
    );
    let path = format!("/api/v1/suggestions/{number}");
    let act = |token: &str, action: &str, body: Value| {
        let v = w.version(&path, "/suggestion/version");
        let (status, b) = w.post(&format!("{path}/{action}"), token, Some(v), body);
        assert_eq!(status, 200, "{action}: {b}");
    };
    act(&office, "assign", json!({"lead": "第一检察部", "handler": "dept1"}));
    act(&dept, "contact", json!({"phase": "办前", "means": "电话", "summary": "电话征求代表意见"}));
    act(&dept, "answer", json!({"class": "A", "text": "已在十个社区设立法律服务点。"}));

    // The answer's e-mail, caught by the SMTP server: her own login link.
    let mail = smtp.wait_for("wang@example.cn", &["https://lx.example.cn/deputy/login/"]);
    let at = mail.find("https://lx.example.cn/deputy/login/").unwrap();
    let link = mail[at..].split_whitespace().next().unwrap().trim_start_matches("https://lx.example.cn");
    // Staff never see it: not in the delivery list.
    let (_, listed) = w.get("/api/v1/messages", &office);
    assert!(!listed.to_string().contains(link), "no login link in the delivery list");

    let Some(b) = Browser::phone() else { return };
    let base = w.base().to_owned();
    b.open(&format!("{base}{link}"));
    see(&b, "#link-login", "王芳代表");
    sound(&b, "portal login link", 390);
    b.shot("portal-link-390");
    // At desktop width too (the GET spends nothing).
    b.resize(1280, 900);
    b.open(&format!("{base}{link}"));
    see(&b, "#link-login", "王芳代表");
    sound(&b, "portal login link", 1280);
    b.shot("portal-link-1280");
    b.resize(390, 844);
    b.click("#link-login button.primary");
    see(&b, "#state", "待评价");
    let landed = b.script("return location.pathname").as_str().unwrap_or_default().to_owned();
    assert!(
        landed == format!("/deputy/suggestions/{id}") || landed == format!("/deputy/suggestions/{number}"),
        "{landed}"
    );
    b.shot("portal-link-landed-390");
    // Used once: the page says so, with the way to log in by SMS code.
    b.open(&format!("{base}{link}"));
    see(&b, "#link-refused", "已使用过");
    sound(&b, "portal used link", 390);
    b.shot("portal-link-used-390");
    b.click("a[href='/deputy/login']");
    see(&b, "h1", "代表登录");
    // In English, through the portal's own switch.
    b.click("footer .lang a");
    see(&b, "h1", "Deputy login");
    sound_in(&b, "portal login in English", 390, "en");
    b.shot("portal-login-en-390");
    for (page, heading) in [
        (format!("/deputy/suggestions/{number}"), TITLE),
        ("/deputy/drafts/new".to_owned(), "Draft a new suggestion"),
        ("/deputy/drafts".to_owned(), "File a suggestion"),
        ("/deputy/notices".to_owned(), "Notices"),
        ("/deputy/appointments".to_owned(), "Appointment"),
        ("/deputy/answers".to_owned(), "Rating published answers"),
        ("/deputy/contact".to_owned(), "Contact us"),
    ] {
        b.open(&format!("{base}{page}"));
        see(&b, "h1", heading);
        sound_in(&b, &page, 390, "en");
        b.shot(&format!("portal-en-{}-390", page.trim_start_matches("/deputy/").replace('/', "-")));
    }
    b.open(&format!("{base}/deputy"));
    see(&b, "h1", "My suggestions");
    sound_in(&b, "portal home in English", 390, "en");
    b.shot("portal-home-en-390");
    w.verify_state();
}

const WANG: &str = "13900000000";
const LI: &str = "13900000001";

/// Log in at the portal's login page with the `nth` code sent to `mobile`.
fn log_in(b: &Browser, caught: &std::sync::Mutex<Vec<super::messages::Caught>>, mobile: &str, nth: usize) {
    b.type_into("#mobile", mobile);
    b.click("form.card button.primary");
    see(b, "#code-sent", "验证码短信已发送");
    let code = code_sent(caught, mobile, nth);
    b.type_into("#code", &code);
    b.click("form.card button.primary");
    see(b, "nav.portal", "我的建议");
}

/// The code in the `nth` login-code SMS to `mobile` the stand-in caught (its template's parameter).
fn code_sent(caught: &std::sync::Mutex<Vec<super::messages::Caught>>, mobile: &str, nth: usize) -> String {
    let start = std::time::Instant::now();
    loop {
        let got = wait_sms(caught, 1);
        if let Some(c) = got
            .iter()
            .filter(|c| {
                c.params.get("TemplateCode").map(String::as_str) == Some("SMS_1003")
                    && c.params.get("PhoneNumbers").map(String::as_str) == Some(mobile)
            })
            .nth(nth - 1)
        {
            assert!(c.signature_ok, "signed as documented");
            let p: Value = serde_json::from_str(&c.params["TemplateParam"]).unwrap();
            let code = p["code"].as_str().unwrap().to_owned();
            assert!(code.len() == 6 && !c.params["TemplateParam"].contains("sealed"), "{p}");
            return code;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "no login code SMS: {got:?}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
