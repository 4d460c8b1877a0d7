//! Every procuratorate signs in through the pages (issue 20, part 2): with one procuratorate the login page
//! is as it was; with two, it offers both by name, indented by the tree, opens on the one the URL names,
//! says so for an unknown one, and a session opened in the second procuratorate reads only its rows.

use liaison_app::{NewTenant, NewUser};
use liaison_core::ids::TenantId;

use super::*;

/// The second procuratorate's id and name (a county below the default tenant, placed as a city).
pub(super) const XH: &str = "xh";
pub(super) const XH_NAME: &str = "西湖区人民检察院";

/// An account of procuratorate `t`, opened by its administrator and approved by its security
/// administrator when it must be.
pub(super) fn user_in(app: &App, t: &TenantId, login: &str, name: &str, role: &str) -> Principal {
    let admin = app.principal_for_login(t, "admin").unwrap();
    let new = NewUser {
        login: login.into(),
        display_name: name.into(),
        roles: vec![role.into()],
        ..Default::default()
    };
    let v = rt().block_on(app.add_user(&admin, &new)).unwrap();
    if v.pending_roles.is_some() {
        let sec = app.principal_for_login(t, "sec").unwrap();
        rt().block_on(app.account_step(&sec, login, None, liaison_app::AccountStep::Approve, None)).unwrap();
    }
    app.principal_for_login(t, login).unwrap()
}

/// Place the default tenant as a city and add 西湖区人民检察院 below it, with its security administrator
/// and an office account `xhoffice` (password `PASSWORD`): the office's principal.
pub(super) fn second_tenant(app: &App) -> Principal {
    rt().block_on(app.place_tenant("default", "city", None, None)).unwrap();
    let new = NewTenant {
        id: Some(XH.into()),
        name: XH_NAME.into(),
        level: "county".into(),
        parent: Some("default".into()),
    };
    rt().block_on(app.add_tenant(new, None)).unwrap();
    let t = TenantId::parse(XH).unwrap();
    let sec = user_in(app, &t, "sec", "西湖安全管理员", "security_admin");
    let office = user_in(app, &t, "xhoffice", "西湖联络室", "office");
    rt().block_on(app.set_password(&sec, "xhoffice", PASSWORD, None)).unwrap();
    office
}

/// The `<select name="tenant">` of a page: its options' (value, text, selected).
fn options(body: &str) -> Vec<(String, String, bool)> {
    let Some(at) = body.find("<select id=\"tenant\"") else { return Vec::new() };
    let select = &body[at..at + body[at..].find("</select>").unwrap()];
    select
        .split("<option value=\"")
        .skip(1)
        .map(|o| {
            let value = o[..o.find('"').unwrap()].to_owned();
            let text = o[o.find('>').unwrap() + 1..o.find("</option>").unwrap()].to_owned();
            (value, text, o[..o.find('>').unwrap()].contains(" selected"))
        })
        .collect()
}

/// The enrolment after a first password step `p`, and the password changed: the session cookie.
async fn enrol(w: &W, lc: &str, p: &Page) -> String {
    let sc =
        format!("__Host-liaison_session={}", cookie_value(&p.set_cookie("__Host-liaison_session").unwrap()));
    let e = w.get("/login/enrol", &[lc, &sc]).await;
    let secret = base32_decode(&e.text_of("secret"));
    let r = w
        .post("/login/enrol", &[lc, &sc], &[("csrf", &e.field("csrf")), ("code", &w.code_now(&secret))])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    w.settle_password(&sc).await
}

#[test]
fn with_one_procuratorate_the_login_pages_offer_no_choice() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        for path in ["/login", "/deputy/login"] {
            let p = w.get(path, &[]).await;
            assert_eq!(p.status, StatusCode::OK, "{}", p.body);
            assert!(!p.body.contains("name=\"tenant\"") && !p.body.contains("tenant-name"), "{}", p.body);
        }
        // A URL naming the one procuratorate changes nothing on screen; one naming no procuratorate is
        // said so (a wrong bookmark), on both login pages.
        let p = w.get("/login?tenant=default", &[]).await;
        assert!(p.status == StatusCode::OK && !p.body.contains("name=\"tenant\""), "{}", p.body);
        for path in ["/login?tenant=nowhere", "/deputy/login?tenant=nowhere"] {
            let p = w.get(path, &[]).await;
            assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", p.body);
            assert!(
                p.body.contains("找不到检察院 nowhere") && !p.body.contains("name=\"tenant\""),
                "{}",
                p.body
            );
        }
    });
}

#[test]
fn a_second_procuratorate_signs_in_through_the_login_page_and_reads_only_its_own() {
    let w = W::new(Edge::default());
    let xh_office = second_tenant(&w.app);
    rt().block_on(async {
        // B's own register and suggestion, beside A's (the seed's).
        let d = w
            .app
            .register_deputy(&xh_office, input("司马芳", "县", "西湖区", "13900000001"), None, None)
            .await
            .unwrap();
        let s = SuggestionInput {
            title: "关于西湖景区法律服务的建议".into(),
            content: "建议在景区设立法律服务点。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![d.id.to_string()],
        };
        w.app.file_suggestion(&xh_office, &s, None).await.unwrap();

        // The choice: both by name, the county indented below the city, none chosen yet.
        let page = w.get("/login", &[]).await;
        strict_page(&page);
        assert_eq!(
            options(&page.body),
            vec![
                (String::new(), "请选择检察院".into(), true),
                ("default".into(), "测试市人民检察院".into(), false),
                (XH.into(), format!("\u{3000}{XH_NAME}"), false),
            ],
            "{}",
            page.body
        );
        // A bookmarked county login page opens on the county.
        let page = w.get("/login?tenant=xh", &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text_of("tenant-name"), XH_NAME);
        assert!(options(&page.body).iter().any(|(v, _, sel)| v == XH && *sel), "{}", page.body);
        // An unknown or malformed id is said so, and nothing is chosen in its place.
        for bad in ["nowhere", "NO%20SUCH"] {
            let page = w.get(&format!("/login?tenant={bad}"), &[]).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", page.body);
            assert!(page.body.contains("id=\"error-message\""), "{}", page.body);
            assert!(options(&page.body).iter().all(|(v, _, sel)| v.is_empty() || !sel), "{}", page.body);
        }
        assert!(w.get("/login?tenant=nowhere", &[]).await.body.contains("找不到检察院 nowhere"));

        let (lc, token) = w.login_form().await;
        let post = |tenant: &'static str, login: &'static str| {
            let lc = lc.clone();
            let token = token.clone();
            let w = &w;
            async move {
                w.post(
                    "/login",
                    &[&lc],
                    &[("csrf", &token), ("tenant", tenant), ("login", login), ("password", PASSWORD)],
                )
                .await
            }
        };
        // No procuratorate chosen: refused naming the field, nothing started.
        let none = post("", "xhoffice").await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.body);
        assert!(none.set_cookie("__Host-liaison_session").is_none());
        // An unknown one: refused as unknown, never tried in the default tenant.
        let unknown = post("nowhere", "office").await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(
            unknown.body.contains("找不到检察院") && unknown.set_cookie("__Host-liaison_session").is_none()
        );
        // B's account in A, and A's account in B: the one refusal of a wrong login.
        assert_eq!(post("default", "xhoffice").await.status, StatusCode::UNAUTHORIZED);
        let wrong = post(XH, "office").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
        // Still the choice on the refused form, with B chosen.
        assert!(options(&wrong.body).iter().any(|(v, _, sel)| v == XH && *sel), "{}", wrong.body);

        // B's account in B: enrolment, then the work page; the browser remembers B (not a secret).
        let p = post(XH, "xhoffice").await;
        assert_eq!((p.status, p.location()), (StatusCode::SEE_OTHER, "/login/enrol"), "{}", p.body);
        let remember = p.set_cookie("__Host-liaison_tenant").expect("the procuratorate remembered");
        assert!(
            remember.starts_with("__Host-liaison_tenant=xh;") && remember.contains("Max-Age="),
            "{remember}"
        );
        let sc = enrol(&w, &lc, &p).await;
        let home = w.get("/", &[&sc]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert!(home.body.contains("西湖联络室"), "{}", home.body);

        // The session is B's: B's suggestion and register, nothing of A's.
        let list = w.get("/suggestions", &[&sc]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("关于西湖景区法律服务的建议"), "{}", list.body);
        assert!(!list.body.contains("未成年人"), "A's suggestion read by B: {}", list.body);
        let register = w.get("/register", &[&sc]).await;
        assert!(register.body.contains("司马芳"), "{}", register.body);
        let a_names: Vec<String> = w
            .app
            .deputies(&w.office, &Default::default(), None, 100)
            .unwrap()
            .items
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert!(!a_names.is_empty());
        for n in &a_names {
            assert!(!register.body.contains(n.as_str()), "A's deputy {n} read by B");
        }
        // A deputy of two congresses: the county's record shows the city's register, by name and level only.
        let same = "330106197001010115";
        let mut county = input("林建国", "县", "西湖区", "13900000011");
        (county.gender, county.id_number) = ("男".into(), same.into());
        let c = w.app.register_deputy(&xh_office, county, None, None).await.unwrap();
        let mut city = input("林建国", "市", "西湖区", "13900000013");
        (city.gender, city.id_number) = ("男".into(), same.into());
        let y = w.app.register_deputy(&w.office, city, None, None).await.unwrap();
        let card = w.get(&format!("/register/{}", c.id), &[&sc]).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.body);
        assert!(card.body.contains("<dt>其他名册</dt>"), "{}", card.body);
        assert!(card.body.contains("同时是测试市人大代表（测试市人民检察院名册）"), "{}", card.body);
        assert!(!card.body.contains(&y.id.to_string()) && !card.body.contains("0013"), "{}", card.body);

        // A's own office does not see B's.
        let p = post("default", "office").await;
        assert_eq!((p.status, p.location()), (StatusCode::SEE_OTHER, "/login/enrol"), "{}", p.body);
        let a_sc = enrol(&w, &lc, &p).await;
        let a_list = w.get("/suggestions", &[&a_sc]).await;
        assert!(a_list.body.contains("未成年人") && !a_list.body.contains("西湖景区"), "{}", a_list.body);

        // The login page opens on the remembered procuratorate; the URL's choice wins over it.
        let tc = format!("__Host-liaison_tenant={XH}");
        let again = w.get("/login", &[&tc]).await;
        assert_eq!(again.text_of("tenant-name"), XH_NAME);
        let other = w.get("/login?tenant=default", &[&tc]).await;
        assert_eq!(other.text_of("tenant-name"), "测试市人民检察院");
        // A stale remembered id is forgotten, not an error.
        let stale = w.get("/login", &["__Host-liaison_tenant=gone"]).await;
        assert_eq!(stale.status, StatusCode::OK);
        assert!(!stale.body.contains("tenant-name"), "{}", stale.body);
    });
}

#[test]
fn the_public_figures_are_each_procuratorates_own() {
    let w = W::new(Edge { public_figures: true, ..Edge::default() });
    let xh_office = second_tenant(&w.app);
    rt().block_on(async {
        let d = w
            .app
            .register_deputy(&xh_office, input("司马芳", "县", "西湖区", "13900000001"), None, None)
            .await
            .unwrap();
        for title in ["关于西湖景区法律服务的建议", "关于西湖社区矫正的建议"] {
            let s = SuggestionInput {
                title: title.into(),
                content: "建议。".into(),
                source: "闭会期间".into(),
                received_on: None,
                deputies: vec![d.id.to_string()],
            };
            w.app.file_suggestion(&xh_office, &s, None).await.unwrap();
        }
        // No procuratorate named: the list of them, each a link to its own figures.
        let list = w.get("/public/figures", &[]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(
            list.body.contains(
                "<li class=\"depth-0\"><a href=\"/public/figures?tenant=default\">测试市人民检察院<"
            ) && list
                .body
                .contains(&format!("<li class=\"depth-1\"><a href=\"/public/figures?tenant=xh\">{XH_NAME}<")),
            "{}",
            list.body
        );
        let received = |body: &str| -> String {
            let at = body.find("<span class=\"n\">").unwrap() + 16;
            body[at..at + body[at..].find('<').unwrap()].to_owned()
        };
        let a = w.get("/public/figures?tenant=default&year=2026", &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("测试市人民检察院代表建议办理情况"), "{}", a.body);
        assert_eq!(received(&a.body), "1", "A's one suggestion");
        let b = w.get("/public/figures?tenant=xh&year=2026", &[]).await;
        assert!(b.body.contains(&format!("{XH_NAME}代表建议办理情况")), "{}", b.body);
        assert_eq!(received(&b.body), "2", "B's two suggestions, not A's");
        assert!(b.body.contains("name=\"tenant\" value=\"xh\""), "the year's form keeps the procuratorate");
        let unknown = w.get("/public/figures?tenant=nowhere", &[]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(unknown.body.contains("找不到检察院 nowhere"), "{}", unknown.body);
    });
}

/// The roll-up page (报备): the city's office sees itself and the county below, indented, the combined rows
/// and the items the county reports — a suggestion the city transferred down (转办) is the county's to
/// report, listed by number and reason, with no title and no name; the county's own office sees only
/// itself; a department account may not open it; the dashboard links it for those who may.
#[test]
fn the_rollup_page_shows_the_procuratorates_below_and_what_they_report() {
    let w = W::new(Edge::default());
    // Signed in while the deployment has one procuratorate (the login form then asks which).
    let (sc, dc) = rt().block_on(async { (w.first_login().await.0, w.first_login_as("dept1").await.0) });
    let xh_office = second_tenant(&w.app);
    rt().block_on(async {
        let ds = super::suggestions::deputies(&w).await;
        let input = SuggestionInput {
            title: "关于西湖区社区矫正工作的建议".into(),
            content: "建议由区院统筹。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies: vec![ds[0].0.clone()],
        };
        let filed = w.app.file_suggestion(&w.office, &input, None).await.unwrap();
        let number = filed.suggestion.number.unwrap().to_string();
        let to = SuggestionAction::Transfer {
            to: XH.into(),
            reason: "属区院管辖".into(),
            notice: "已转区院。".into(),
        };
        w.app.suggestion_action(&w.office, &number, None, to, None).await.unwrap();

        let year = chrono::Datelike::year(&liaison_core::dates::china_date(w.app.now()));
        let p = w.get(&format!("/figures/rollup?year={year}"), &[&sc]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        strict_page(&p);
        let b = &p.body;
        assert!(
            b.contains(&format!("<th scope=\"row\" class=\"depth-1\">{XH_NAME}</th><td>县级</td>")),
            "{b}"
        );
        assert!(b.contains("县级合计（1 个院）") && b.contains("<tr class=\"total\">"), "{b}");
        let told = b.split("id=\"told\"").nth(1).unwrap_or_else(|| panic!("no reported items: {b}"));
        assert!(told.contains(XH_NAME) && told.contains("由其他检察院转来"), "{told}");
        assert!(
            !b.contains("社区矫正") && !b.contains(&ds[0].1) && !has_uuid(b),
            "no title, no name, no id: {b}"
        );
        assert!(
            w.get(&format!("/figures?year={year}"), &[&sc])
                .await
                .body
                .contains("href=\"/figures/rollup?year=")
        );
        if let Some(dir) = std::env::var_os("LIAISON_SHOTS") {
            let css = w.get("/static/app.css", &[]).await.body;
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join("app.css"), css).expect("the stylesheet written");
            std::fs::write(dir.join("rollup.html"), b.replace("/static/app.css", "app.css"))
                .expect("written");
        }
        assert_eq!(w.get("/figures/rollup", &[&dc]).await.status, StatusCode::FORBIDDEN);
    });
    // The county's office: itself only, nothing reported from below.
    let own = w.app.rollup(&xh_office, 2026).unwrap();
    assert_eq!(own.procuratorates.len(), 1);
    assert!(own.told.is_empty());
}
