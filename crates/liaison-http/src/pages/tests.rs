//! The staff pages in-process (`oneshot`), on a real SQLite file with a clock the tests move: the first
//! login through enrolment to the work list, the cookie, CSRF refusals, sessions that end, the traffic
//! lights with names (never ids), and the headers (no-store, a CSP without `unsafe-inline`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use liaison_app::login::totp;
use liaison_app::{
    App, Config, MeasureInput, NewUser, OrgInput, Principal, SuggestionAction, SuggestionInput,
};
use tower::ServiceExt;

use crate::tests::rt;
use crate::{AppState, Edge, Limits, app_with};

const PASSWORD: &str = "秋天的检察院联络站2026";
/// The password a person chooses in place of the one the security administrator set.
const NEW_PASSWORD: &str = "只有我自己知道的新口令2027";

struct W {
    app: App,
    router: axum::Router,
    now: Arc<AtomicI64>,
    sec: Principal,
    office: Principal,
    /// Ids the pages must never show.
    ids: Vec<String>,
    _dir: tempfile::TempDir,
}

/// A page's answer.
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The `Set-Cookie` line of a cookie.
    fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// The value of the first `<input … name="NAME" value="…">` (or of the element with `id="ID"`).
    fn field(&self, name: &str) -> String {
        let at = self
            .body
            .find(&format!("name=\"{name}\" value=\""))
            .unwrap_or_else(|| panic!("{name}: {}", self.body));
        let rest = &self.body[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    /// The `value` of the element `id="ID"`.
    fn field_by_id(&self, id: &str) -> String {
        let at = self.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id}: {}", self.body));
        let rest = &self.body[at..];
        let v = &rest[rest.find("value=\"").unwrap_or_else(|| panic!("{id} has no value")) + 7..];
        v[..v.find('"').unwrap()].to_owned()
    }

    fn text_of(&self, id: &str) -> String {
        let at = self.body.find(&format!("id=\"{id}\">")).unwrap_or_else(|| panic!("{id}: {}", self.body));
        let rest = &self.body[at + id.len() + 6..];
        rest[..rest.find('<').unwrap()].trim().to_owned()
    }
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned()
}

fn form(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => char::from(b).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&")
}

fn base32_decode(s: &str) -> Vec<u8> {
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes() {
        let v = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".iter().position(|&a| a == c).unwrap() as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    out
}

/// Whether the text holds something shaped like a UUID.
fn has_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(35)).any(|i| {
        b[i..i + 36].iter().enumerate().all(|(j, c)| match j {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
    })
}

/// An account as the system administrator opens it and the security administrator approves it.
fn user(app: &App, login: &str, name: &str, role: &str, department: Option<&str>) -> Principal {
    let t = liaison_app::default_tenant();
    let admin = app.principal_for_login(&t, "admin").unwrap();
    let new = NewUser {
        login: login.into(),
        display_name: name.into(),
        roles: vec![role.into()],
        department: department.map(str::to_owned),
        ..Default::default()
    };
    let v = rt().block_on(app.add_user(&admin, &new)).unwrap();
    if v.pending_roles.is_some() {
        let sec = app.principal_for_login(&t, "sec").unwrap();
        rt().block_on(app.account_step(&sec, login, None, liaison_app::AccountStep::Approve, None)).unwrap();
    }
    app.principal_for_login(&t, login).unwrap()
}

impl W {
    fn new(edge: Edge) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(AtomicI64::new(Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap().timestamp()));
        let n = now.clone();
        let app = App::open(&Config::for_db(&dir.path().join("t.db")))
            .unwrap()
            .with_clock(Arc::new(move || Utc.timestamp_opt(n.load(Ordering::SeqCst), 0).unwrap()));
        rt().block_on(app.bootstrap("测试市人民检察院")).unwrap().unwrap();
        let sec = user(&app, "sec", "安全管理员", "security_admin", None);
        let office = user(&app, "office", "联络室王芳", "office", None);
        rt().block_on(app.set_password(&sec, "office", PASSWORD, None)).unwrap();
        let router = app_with(AppState::new(app.clone()), Limits::default(), edge);
        let mut w = Self { app, router, now, sec, office, ids: Vec::new(), _dir: dir };
        w.seed();
        w
    }

    /// A suggestion assigned to 第一检察部 (handler 李明), and three improvement measures due on 4, 10 and
    /// 20 March: on Friday 6 March they are red, amber and green.
    fn seed(&mut self) {
        let (app, office) = (&self.app, &self.office);
        rt().block_on(app.change_organisation(
            office,
            OrgInput::AddDepartment { name: "第一检察部".into() },
            None,
            None,
        ))
        .unwrap();
        let handler = user(app, "dept1", "李明", "department", Some("第一检察部"));
        self.ids.push(handler.user.to_string());
        let mut deputies = Vec::new();
        for input in liaison_app::demo::generate(2, 7) {
            let d = rt().block_on(app.register_deputy(office, input, None, None)).unwrap();
            deputies.push(d.id.to_string());
        }
        self.ids.extend(deputies.iter().cloned());
        let input = SuggestionInput {
            title: "关于加强未成年人检察工作的建议".into(),
            content: "建议在各乡镇设立未成年人保护联络点。".into(),
            source: "闭会期间".into(),
            received_on: None,
            deputies,
        };
        let v = rt().block_on(app.file_suggestion(office, &input, None)).unwrap();
        self.ids.push(v.suggestion.id.to_string());
        let assign = SuggestionAction::Assign {
            lead: "第一检察部".into(),
            co_handlers: vec![],
            handler: "dept1".into(),
        };
        rt().block_on(app.suggestion_action(office, "2026-0001", None, assign, None)).unwrap();
        for (title, deadline) in [
            ("整改甲：逾期的措施", "2026-03-04"),
            ("整改乙：临期的措施", "2026-03-10"),
            ("整改丙：从容的措施", "2026-03-20"),
        ] {
            let m = MeasureInput {
                title: title.into(),
                description: "试点".into(),
                owner: "第一检察部".into(),
                deadline: deadline.into(),
                suggestion: Some("2026-0001".into()),
                ..Default::default()
            };
            let v = rt().block_on(app.open_measure(office, &m)).unwrap();
            self.ids.push(v.measure.id.to_string());
        }
        self.wait(4 * 86_400);
    }

    fn wait(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    fn code_now(&self, secret: &[u8]) -> String {
        totp::code_at_step(secret, totp::step_of(self.app.now().timestamp()))
    }

    async fn send(
        &self,
        method: &str,
        uri: &str,
        cookies: &[&str],
        body: Option<String>,
        extra: &[(&str, &str)],
    ) -> Page {
        let mut b = Request::builder().method(method).uri(uri);
        if !cookies.is_empty() {
            b = b.header(header::COOKIE, cookies.join("; "));
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(f) => {
                b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(f))
            }
            None => b.body(Body::empty()),
        }
        .unwrap();
        let r = self.router.clone().oneshot(req).await.unwrap();
        let (parts, body) = r.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        Page {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, uri: &str, cookies: &[&str]) -> Page {
        self.send("GET", uri, cookies, None, &[]).await
    }

    async fn post(&self, uri: &str, cookies: &[&str], fields: &[(&str, &str)]) -> Page {
        self.send("POST", uri, cookies, Some(form(fields)), &[]).await
    }

    /// The login form: its double-submit cookie (`name=value`) and token.
    async fn login_form(&self) -> (String, String) {
        let p = self.get("/login", &[]).await;
        assert_eq!(p.status, StatusCode::OK);
        let set = p.set_cookie("__Host-liaison_login").expect("the login step's CSRF cookie");
        let token = p.field("csrf");
        assert_eq!(cookie_value(&set), token);
        (format!("__Host-liaison_login={token}"), token)
    }

    /// The first login of `office` through the pages: the session cookie (`name=value`) and the secret.
    async fn first_login(&self) -> (String, Vec<u8>, Page) {
        self.first_login_as("office").await
    }

    /// The first login of `login` (its password set by the security administrator when it has none):
    /// the session cookie (`name=value`) and the authenticator's secret.
    pub(super) async fn first_login_as(&self, login: &str) -> (String, Vec<u8>, Page) {
        let (sc, secret, r) = self.enrol_as(login).await;
        let sc = self.settle_password(&sc).await;
        (sc, secret, r)
    }

    /// The first login of `login` up to its recovery codes, the password the security administrator set
    /// still to be changed: the session cookie and the authenticator's secret.
    async fn enrol_as(&self, login: &str) -> (String, Vec<u8>, Page) {
        if login != "office" {
            self.app.set_password(&self.sec, login, PASSWORD, None).await.unwrap();
        }
        let (lc, token) = self.login_form().await;
        let p =
            self.post("/login", &[&lc], &[("csrf", &token), ("login", login), ("password", PASSWORD)]).await;
        assert_eq!((p.status, p.location()), (StatusCode::SEE_OTHER, "/login/enrol"), "{}", p.body);
        let set = p.set_cookie("__Host-liaison_session").expect("the session cookie");
        let sc = format!("__Host-liaison_session={}", cookie_value(&set));
        let e = self.get("/login/enrol", &[&lc, &sc]).await;
        assert_eq!(e.status, StatusCode::OK, "{}", e.body);
        assert!(e.body.contains("<svg") && !e.body.contains("<?xml"), "the QR code inline");
        let secret = base32_decode(&e.text_of("secret"));
        let r = self
            .post(
                "/login/enrol",
                &[&lc, &sc],
                &[("csrf", &e.field("csrf")), ("code", &self.code_now(&secret))],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        (sc, secret, r)
    }

    /// The change a password set by the security administrator asks for at the first login, done twice
    /// (to `NEW_PASSWORD` and back to `PASSWORD`, so that the tests go on with the one password): the new
    /// session cookie (`name=value`).
    async fn settle_password(&self, sc: &str) -> String {
        let mut sc = sc.to_owned();
        for (from, to) in [(PASSWORD, NEW_PASSWORD), (NEW_PASSWORD, PASSWORD)] {
            let form = self.get("/account/password", &[&sc]).await;
            assert_eq!(form.status, StatusCode::OK, "{}", form.body);
            let done = self
                .post(
                    "/account/password",
                    &[&sc],
                    &[("csrf", &form.field("csrf")), ("current", from), ("new", to), ("repeat", to)],
                )
                .await;
            assert_eq!(done.status, StatusCode::OK, "{}", done.body);
            let set = done.set_cookie("__Host-liaison_session").expect("a new session");
            sc = format!("__Host-liaison_session={}", cookie_value(&set));
        }
        sc
    }
}

fn strict_page(p: &Page) {
    assert_eq!(p.headers[header::CACHE_CONTROL], "no-store");
    let csp = p.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        !csp.contains("unsafe-inline")
            && csp.contains("script-src 'self'")
            && csp.contains("style-src 'self'"),
        "{csp}"
    );
    assert!(p.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(
        !p.body.contains("style=") && !p.body.contains("<style") && !p.body.contains("<script>"),
        "nothing inline"
    );
}

/// Issue 16: password → enrolment (a code computed from the page's secret) → recovery codes shown once →
/// `/` lists the work; the cookie's attributes; logout; a later login with a code, then a recovery code.
#[test]
fn the_first_login_enrols_the_authenticator_and_lands_on_my_work() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let login = w.get("/login", &[]).await;
        strict_page(&login);
        assert!(
            login.body.contains("<html lang=\"zh-CN\">") && login.body.contains("<label for=\"password\">")
        );
        let (lc, token) = w.login_form().await;
        let p =
            w.post("/login", &[&lc], &[("csrf", &token), ("login", "office"), ("password", PASSWORD)]).await;
        let set = p.set_cookie("__Host-liaison_session").unwrap();
        assert!(cookie_value(&set).starts_with("lss_"), "{set}");
        for attr in ["Path=/", "HttpOnly", "SameSite=Strict", "Secure"] {
            assert!(set.split("; ").any(|a| a == attr), "{attr} in {set}");
        }
        assert!(!set.contains("Max-Age") && !set.contains("Domain"), "{set}");
        // Half-done (no second factor yet), the work page is not open.
        let sc = format!("__Host-liaison_session={}", cookie_value(&set));
        assert_eq!(w.get("/", &[&sc]).await.location(), "/login");

        let (sc, secret, recovery) = w.first_login().await;
        strict_page(&recovery);
        assert!(recovery.body.contains("只显示这一次"), "{}", recovery.body);
        let codes: Vec<String> = recovery
            .body
            .split("<li>")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].to_owned())
            .filter(|c| c.len() == 11 && c.as_bytes()[5] == b'-')
            .collect();
        assert_eq!(codes.len(), 10, "{}", recovery.body);
        assert!(recovery.set_cookie("__Host-liaison_login").unwrap().contains("Max-Age=0"));
        let home = w.get("/", &[&sc]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        strict_page(&home);
        assert!(home.body.contains("我的待办") && home.body.contains("联络室王芳"), "{}", home.body);

        // Logout needs the session's token; then the cookie opens nothing.
        let csrf = home.field("csrf");
        assert_eq!(w.post("/logout", &[&sc], &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            w.post("/logout", &[&sc], &[("csrf", "0".repeat(64).as_str())]).await.status,
            StatusCode::FORBIDDEN
        );
        let out = w.post("/logout", &[&sc], &[("csrf", &csrf)]).await;
        assert_eq!((out.status, out.location()), (StatusCode::SEE_OTHER, "/login"));
        assert!(out.set_cookie("__Host-liaison_session").unwrap().contains("Max-Age=0"));
        assert_eq!(w.get("/", &[&sc]).await.location(), "/login");

        // A later login asks for a code; the step used at enrolment is not good twice.
        let (lc, token) = w.login_form().await;
        let p =
            w.post("/login", &[&lc], &[("csrf", &token), ("login", "office"), ("password", PASSWORD)]).await;
        assert_eq!(p.location(), "/login/code");
        let sc = format!(
            "__Host-liaison_session={}",
            cookie_value(&p.set_cookie("__Host-liaison_session").unwrap())
        );
        let form = w.get("/login/code", &[&lc, &sc]).await;
        strict_page(&form);
        let again =
            w.post("/login/code", &[&lc, &sc], &[("csrf", &token), ("code", &w.code_now(&secret))]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
        assert!(again.body.contains("class=\"error\""), "{}", again.body);
        w.wait(30);
        let ok =
            w.post("/login/code", &[&lc, &sc], &[("csrf", &token), ("code", &w.code_now(&secret))]).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/"), "{}", ok.body);
        assert_eq!(w.get("/", &[&sc]).await.status, StatusCode::OK);

        // A recovery code in place of a code, good once.
        let (lc, token) = w.login_form().await;
        let p =
            w.post("/login", &[&lc], &[("csrf", &token), ("login", "office"), ("password", PASSWORD)]).await;
        let sc = format!(
            "__Host-liaison_session={}",
            cookie_value(&p.set_cookie("__Host-liaison_session").unwrap())
        );
        let ok =
            w.post("/login/code", &[&lc, &sc], &[("csrf", &token), ("code", &codes[0].to_uppercase())]).await;
        assert_eq!(ok.location(), "/", "{}", ok.body);
    });
}

/// A wrong password and an unknown login get the same page; a form without its token, with a wrong one, or
/// posted from another site is refused with a 403 page.
#[test]
fn refusals_never_tell_whether_a_login_exists_and_csrf_is_checked_on_every_post() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (lc, token) = w.login_form().await;
        let wrong = w
            .post(
                "/login",
                &[&lc],
                &[("csrf", &token), ("login", "office"), ("password", "不对的口令不对的口令")],
            )
            .await;
        let unknown = w
            .post(
                "/login",
                &[&lc],
                &[("csrf", &token), ("login", "nobody"), ("password", "不对的口令不对的口令")],
            )
            .await;
        assert_eq!((wrong.status, unknown.status), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
        let msg = |p: &Page| p.text_of("error-message");
        assert_eq!(msg(&wrong), msg(&unknown));
        assert!(msg(&wrong).contains("用户名或密码") || msg(&wrong).contains("登录"), "{}", msg(&wrong));
        assert!(wrong.set_cookie("__Host-liaison_session").is_none());
        strict_page(&wrong);

        let good = [("csrf", token.as_str()), ("login", "office"), ("password", PASSWORD)];
        let no_token = w.post("/login", &[&lc], &good[1..]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        assert!(no_token.body.contains("请求被拒绝"), "{}", no_token.body);
        strict_page(&no_token);
        let other = "ab".repeat(32);
        let wrong_token = w.post("/login", &[&lc], &[("csrf", &other), good[1], good[2]]).await;
        assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
        let no_cookie = w.post("/login", &[], &good).await;
        assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
        let cross =
            w.send("POST", "/login", &[&lc], Some(form(&good)), &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        let sibling =
            w.send("POST", "/login", &[&lc], Some(form(&good)), &[("sec-fetch-site", "same-site")]).await;
        assert_eq!(sibling.status, StatusCode::FORBIDDEN, "a sibling site is another site");
        // None of these counted as a login attempt: the right one still opens a session.
        let p = w.post("/login", &[&lc], &good).await;
        assert_eq!(p.location(), "/login/enrol");
        // The enrolment's and the code's forms check theirs too.
        let sc = format!(
            "__Host-liaison_session={}",
            cookie_value(&p.set_cookie("__Host-liaison_session").unwrap())
        );
        assert_eq!(
            w.post("/login/enrol", &[&lc, &sc], &[("code", "123456")]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            w.post("/login/code", &[&sc], &[("csrf", &token), ("code", "123456")]).await.status,
            StatusCode::FORBIDDEN
        );
    });
}

/// Without a session, with an ended one (idle past its limit, or revoked by the security administrator),
/// a page goes to `/login` and the cookie is dropped.
#[test]
fn a_page_without_a_live_session_goes_to_login() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let none = w.get("/", &[]).await;
        assert_eq!((none.status, none.location()), (StatusCode::SEE_OTHER, "/login"));
        let forged = w.get("/", &["__Host-liaison_session=lss_00_ff"]).await;
        assert_eq!(forged.location(), "/login");
        let (sc, secret, _) = w.first_login().await;
        assert_eq!(w.get("/", &[&sc]).await.status, StatusCode::OK);
        w.wait(31 * 60);
        let idle = w.get("/", &[&sc]).await;
        assert_eq!(idle.location(), "/login");
        assert!(idle.set_cookie("__Host-liaison_session").unwrap().contains("Max-Age=0"));
        // Revoked: the security administrator resets the second factor, which ends every session.
        let (lc, token) = w.login_form().await;
        let p =
            w.post("/login", &[&lc], &[("csrf", &token), ("login", "office"), ("password", PASSWORD)]).await;
        let sc = format!(
            "__Host-liaison_session={}",
            cookie_value(&p.set_cookie("__Host-liaison_session").unwrap())
        );
        let ok =
            w.post("/login/code", &[&lc, &sc], &[("csrf", &token), ("code", &w.code_now(&secret))]).await;
        assert_eq!(ok.location(), "/", "{}", ok.body);
        assert_eq!(w.get("/", &[&sc]).await.status, StatusCode::OK);
        rt_reset(&w).await;
        assert_eq!(w.get("/", &[&sc]).await.location(), "/login");
    });
}

async fn rt_reset(w: &W) {
    w.app.reset_mfa(&w.sec, "office", Some("手机丢失".into())).await.unwrap();
}

/// My work: every light with its label, the counts, names and never ids, the filter, the empty state.
#[test]
fn my_work_shows_each_traffic_light_with_names_and_filters_by_kind() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (sc, _, _) = w.first_login().await;
        let home = w.get("/", &[&sc]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        let b = &home.body;
        for (title, light) in
            [("整改甲：逾期的措施", "red"), ("整改乙：临期的措施", "amber"), ("整改丙：从容的措施", "green")]
        {
            let at = b.find(title).unwrap_or_else(|| panic!("{title}: {b}"));
            let item = &b[b[..at].rfind("<li class=").unwrap()..at];
            assert!(item.starts_with(&format!("<li class=\"{light}\">")), "{title}: {item}");
            let label = match light {
                "red" => "逾期",
                "amber" => "临期",
                _ => "正常",
            };
            assert!(item.contains(&format!("<span class=\"light {light}\">{label}</span>")), "{item}");
        }
        assert!(b.contains("已逾期 2 天") && b.contains("第一检察部"), "{b}");
        assert!(b.contains("2026-0001 关于加强未成年人检察工作的建议") && b.contains("承办人：李明"), "{b}");
        assert!(b.contains("<span class=\"light red\">逾期</span>1 项"), "{b}");
        assert!(b.contains("<span class=\"light amber\">临期</span>1 项"), "{b}");
        assert!(
            b.find("2026年3月4日（星期三）").unwrap() < b.find("2026年3月10日（星期二）").unwrap(),
            "by due day"
        );
        // Ids only in the links (a measure's page is `/measures/{id}`), never in the text.
        for id in &w.ids {
            assert!(!visible(b).contains(id.as_str()), "{id} shown");
        }
        assert!(!has_uuid(&visible(b)), "{b}");
        assert!(b.contains("<a class=\"title\" href=\"/measures/"), "a measure links to its page: {b}");

        let only = w.get("/?kind=suggestion", &[&sc]).await;
        assert!(
            only.body.contains("关于加强未成年人检察工作的建议") && !only.body.contains("整改甲"),
            "{}",
            only.body
        );
        assert!(only.body.contains("<option value=\"suggestion\" selected>"), "{}", only.body);
        let none = w.get("/?kind=appointment", &[&sc]).await;
        assert!(none.body.contains("目前没有需要您办理的事项"), "{}", none.body);
        let bad = w.get("/?kind=nonsense", &[&sc]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        strict_page(&bad);
    });
}

/// The stylesheet and htmx are served from the binary and revalidated by their ETag; with
/// `--insecure-cookies` the cookie is `liaison_session`, without `Secure`.
#[test]
fn assets_are_embedded_and_the_cookie_can_drop_secure_for_plain_http() {
    let w = W::new(Edge { insecure_cookies: true, ..Edge::default() });
    rt().block_on(async {
        let css = w.get("/static/app.css", &[]).await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
        assert_eq!(css.headers[header::CACHE_CONTROL], "no-cache");
        let tag = css.headers[header::ETAG].to_str().unwrap().to_owned();
        let again = w.send("GET", "/static/app.css", &[], None, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        let js = w.get("/static/htmx.min.js", &[]).await;
        assert!(
            js.body.starts_with("/*! htmx 2.") && js.body.contains("Zero-Clause BSD"),
            "{:.200}",
            js.body
        );

        let p = w.get("/login", &[]).await;
        let set = p.set_cookie("liaison_login").unwrap();
        assert!(!set.contains("Secure"), "{set}");
        let lc = format!("liaison_login={}", cookie_value(&set));
        let token = p.field("csrf");
        let p =
            w.post("/login", &[&lc], &[("csrf", &token), ("login", "office"), ("password", PASSWORD)]).await;
        let set = p.set_cookie("liaison_session").unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && !set.contains("Secure"),
            "{set}"
        );
    });
}

mod account;
mod activities;
mod admin;
mod english;
/// A deputy of the register for the page tests.
pub(super) fn input(
    name: &str,
    level: &str,
    region: &str,
    mobile: &str,
) -> liaison_core::registry::DeputyInput {
    liaison_core::registry::DeputyInput {
        name: name.into(),
        gender: "女".into(),
        level: level.into(),
        term: "18".into(),
        region: region.into(),
        delegation: "鼓楼代表团".into(),
        term_start: "2022-01-10".into(),
        mobile: mobile.into(),
        ..liaison_core::registry::DeputyInput::default()
    }
}

/// The text a reader sees: the body without its tags (and so without its links' and fields' values).
pub(super) fn visible(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

mod budget;
mod channels;
mod commendation;
mod deputy;
mod figures;
mod inspections;
mod meetings;
mod notices;
mod register;
mod reviews;
mod scorecard;
mod suggestions;
mod tenants;
