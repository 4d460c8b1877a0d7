//! The staff pages in English (issue 16: "zh-CN first, English where Accept-Language or a user setting
//! asks"): the login page, my work, a suggestion, the register and the administration come out in
//! English with `<html lang="en">`, user data left as it is; the switch's cookie wins over the header; a
//! bad value is ignored; nothing asked, nothing changes.

use super::*;

const EN: (&str, &str) = ("accept-language", "en-GB,en;q=0.9,zh-CN;q=0.5");

/// A suggestion's title holding phrases of the catalogue (代表建议, 答复): data, never translated.
const TITLE: &str = "关于代表建议答复工作的建议";

impl W {
    async fn get_en(&self, uri: &str, cookies: &[&str]) -> Page {
        self.send("GET", uri, cookies, None, &[EN]).await
    }

    /// Every Chinese text the app holds as data (names, titles, regions, departments): what an English
    /// page may still show. Fields ending in `_zh` are labels, not data.
    fn data(&self) -> Vec<String> {
        fn strings(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(s) if !key.ends_with("_zh") => out.push(s.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, key, out)),
                serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| strings(x, k, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        let deputies =
            self.app.deputies(&self.office, &liaison_app::DeputyFilter::default(), None, 500).unwrap().items;
        strings(&serde_json::to_value(&deputies).unwrap(), "", &mut out);
        strings(&serde_json::to_value(self.app.users(&self.sec).unwrap()).unwrap(), "", &mut out);
        out.extend(
            [TITLE, "关于加强未成年人检察工作的建议", "建议在各乡镇设立未成年人保护联络点。"]
                .map(str::to_owned),
        );
        out.extend(["整改甲：逾期的措施", "整改乙：临期的措施", "整改丙：从容的措施"].map(str::to_owned));
        // The switch names Chinese in Chinese.
        out.extend(["第一检察部", "测试市人民检察院", "新进人员", "中文"].map(str::to_owned));
        out.retain(|s| s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)));
        out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        out
    }
}

/// The Chinese a reader sees on an English page apart from the data (empty when all is English).
fn chinese_left(w: &W, p: &Page) -> Vec<String> {
    let mut text = visible(&p.body);
    for d in w.data() {
        text = text.replace(&d, " ");
    }
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}') {
            cur.push(c);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    runs.extend((!cur.is_empty()).then_some(cur));
    runs
}

fn english(w: &W, p: &Page, page: &str) {
    assert_eq!(p.status, StatusCode::OK, "{page}: {}", p.body);
    assert!(p.body.contains("<html lang=\"en\">"), "{page}: {}", p.body);
    assert_eq!(p.headers[header::CONTENT_LANGUAGE], "en", "{page}");
    let left = chinese_left(w, p);
    assert!(left.is_empty(), "{page} still shows Chinese: {left:?}\n{}", visible(&p.body));
    assert!(!p.body.contains(['\u{E000}', '\u{E001}', '\u{E002}']), "{page}: markers left");
    strict_page(p);
}

/// With `Accept-Language: en` the login page, my work, a suggestion's page, the register and the
/// administration are in English — the menu, the headings, the labels, the statuses, the dates — and the
/// data (deputies' names, titles, departments) is as it was entered, a title holding catalogue phrases
/// included.
#[test]
fn the_staff_pages_speak_english_when_the_browser_asks() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let login = w.get_en("/login", &[]).await;
        english(&w, &login, "login");
        assert!(login.body.contains("Sign in") && login.body.contains(">Next<"), "{}", login.body);
        assert!(
            login.body.contains("lang=\"zh-CN\" translate=\"no\">中文</a>"),
            "the switch back: {}",
            login.body
        );

        let (sc, _, _) = w.first_login().await;
        let deputy = w.app.deputies(&w.office, &liaison_app::DeputyFilter::default(), None, 1).unwrap().items;
        let input = SuggestionInput {
            title: TITLE.into(),
            content: "建议在各乡镇设立未成年人保护联络点。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![deputy[0].id.to_string()],
        };
        w.app.file_suggestion(&w.office, &input, None).await.unwrap();

        let work = w.get_en("/", &[&sc]).await;
        english(&w, &work, "my work");
        for s in ["My work", "Register of deputies", "Suggestions", "Overdue", "Due soon", "Sign out"] {
            assert!(work.body.contains(s), "{s}: {}", visible(&work.body));
        }
        assert!(work.body.contains("March 2026"), "dates in English: {}", visible(&work.body));
        assert!(work.body.contains("整改甲：逾期的措施"), "a title is data");

        let list = w.get_en("/suggestions", &[&sc]).await;
        english(&w, &list, "suggestions");
        assert!(list.body.contains(TITLE), "a title holding catalogue phrases is kept: {}", list.body);

        let page = w.get_en("/suggestions/2026-0001", &[&sc]).await;
        english(&w, &page, "suggestion");
        for s in ["Lead department", "Answer due", "What you can do", "Record a contact", "Assigned"] {
            assert!(page.body.contains(s), "{s}: {}", visible(&page.body));
        }
        // The form's values stay what the server reads.
        assert!(page.body.contains("name=\"csrf\" value=\""), "{}", page.body);

        let register = w.get_en("/register", &[&sc]).await;
        english(&w, &register, "register");
        assert!(register.body.contains(&deputy[0].name), "names are data");
        assert!(register.body.contains("placeholder=\"e.g. 王芳, wangfang, wf\""), "{}", register.body);

        let (admin, _, _) = w.first_login_as("admin").await;
        let users = w.get_en("/admin", &[&admin]).await;
        english(&w, &users, "administration");
        assert!(users.body.contains("Open an account") && users.body.contains("Accounts and roles"));
        // A refusal in English: the field's name and the reason.
        let no_reason = w
            .send(
                "POST",
                "/admin/users",
                &[&admin],
                Some(form(&[
                    ("csrf", &users.field("csrf")),
                    ("login", "dept2"),
                    ("name", "赵强"),
                    ("role", "department"),
                    ("department", "第一检察部"),
                ])),
                &[EN],
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("Give the reason for opening the account"), "{}", no_reason.body);
        assert!(no_reason.body.contains("value=\"赵强\""), "the typed name kept: {}", no_reason.body);
    });
}

/// The switch remembers the choice in a long-lived, strict cookie and goes back to the page; the cookie
/// wins over `Accept-Language`; a value other than `en`/`zh` (in the switch or the cookie) is ignored; a
/// `next` that leaves the site goes home; nothing asked, the page is the Chinese one, unchanged.
#[test]
fn the_language_switch_wins_over_the_header_and_bad_values_are_ignored() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let set = w.get("/lang?to=en&next=%2Fregister%3Flevel%3Dcounty", &[]).await;
        assert_eq!((set.status, set.location()), (StatusCode::SEE_OTHER, "/register?level=county"));
        let c = set.set_cookie("liaison_lang").expect("the preference cookie");
        for part in ["liaison_lang=en", "Path=/", "SameSite=Strict", "Max-Age=31536000", "Secure"] {
            assert!(c.contains(part), "{part}: {c}");
        }
        let bad = w.get("/lang?to=fr&next=%2F%2Fevil.example", &[]).await;
        assert_eq!((bad.status, bad.location()), (StatusCode::SEE_OTHER, "/"));
        assert!(bad.set_cookie("liaison_lang").is_none(), "no cookie for a bad value");

        let zh_cookie = w.send("GET", "/login", &["liaison_lang=zh"], None, &[EN]).await;
        assert!(zh_cookie.body.contains("<html lang=\"zh-CN\">") && zh_cookie.body.contains("下一步"));
        let en_cookie = w.get("/login", &["liaison_lang=en"]).await;
        english(&w, &en_cookie, "login by the cookie");
        let fr_cookie = w.send("GET", "/login", &["liaison_lang=fr"], None, &[EN]).await;
        english(&w, &fr_cookie, "login by the header, the cookie ignored");
        let fr_alone = w.get("/login", &["liaison_lang=fr"]).await;
        assert!(fr_alone.body.contains("下一步"), "{}", fr_alone.body);

        let plain = w.get("/login", &[]).await;
        assert_eq!(plain.headers[header::CONTENT_LANGUAGE], "zh-CN");
        assert!(
            plain.body.contains("<html lang=\"zh-CN\">") && plain.body.contains("登录需要密码和手机验证器")
        );
        assert!(plain.body.contains("href=\"/lang?to=en&amp;next=/login\" lang=\"en\">English</a>"));
        let zh_first = w.send("GET", "/login", &[], None, &[("accept-language", "zh-CN,en;q=0.8")]).await;
        assert!(zh_first.body.contains("下一步"), "English second is not asked for");
    });
}
