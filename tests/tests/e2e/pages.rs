//! The staff pages in a real browser (issue 16): the first login of two accounts with the enrolment of
//! their authenticator — the office at desktop size (1366 × 768), a department's handler at phone size
//! (390 × 844) — through the recovery codes to the work list and out again. On every page: no sideways
//! scrolling, every input labelled, no duplicate ids, the stylesheet and htmx loaded under the CSP. Then the
//! dashboard and the administrators' page at both sizes, and a later login and visit with the keyboard alone
//! (every focus visible), and the register. The other workspaces' flows are in `pages_flows.rs`. With
//! `LIAISON_SHOTS=DIR` each page is saved as a screenshot there.

use std::io::Write as _;
use std::process::{Command, Stdio};

use liaison_app::login::totp;
use serde_json::{Value, json};

use super::browser::{Browser, ENTER};
use super::{World, bin, has_uuid};

pub(super) const PASSWORD: &str = "一个足够长的口令2026";
/// The password each person chooses at the first login in place of the one the administrator set.
pub(super) const NEW_PASSWORD: &str = "只有我自己知道的口令2027";

/// What every page must hold, measured in the page.
const CHECK: &str = r#"
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
const inputs = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')];
return {
  scroll: document.documentElement.scrollWidth <= window.innerWidth,
  width: window.innerWidth,
  duplicates: ids.filter((x, i) => ids.indexOf(x) !== i),
  unlabelled: inputs.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name),
  styled: getComputedStyle(document.querySelector('header.bar')).backgroundColor !== 'rgba(0, 0, 0, 0)',
  lang: document.documentElement.lang,
};"#;

pub(super) fn sound(b: &Browser, what: &str, width: u32) {
    sound_in(b, what, width, "zh-CN");
}

/// What `sound` checks, on a page in the language `lang` (`<html lang>`).
pub(super) fn sound_in(b: &Browser, what: &str, width: u32, lang: &str) {
    let v = b.script(CHECK);
    assert_eq!(v["scroll"], Value::Bool(true), "{what} at {width}: sideways scrolling {v}");
    assert_eq!(v["duplicates"], json!([]), "{what}: duplicate ids");
    assert_eq!(v["unlabelled"], json!([]), "{what}: inputs without a label");
    assert_eq!(v["styled"], Value::Bool(true), "{what}: the stylesheet did not apply");
    assert_eq!(v["lang"], lang, "{what}");
}

/// The security administrator sets a password, read from standard input as the README shows.
pub(super) fn set_password(w: &World, login: &str) {
    let mut c = Command::new(bin("liaison"))
        .current_dir(w.dir())
        .env_remove("LIAISON_USER")
        .env_remove("LIAISON_DB")
        .args(["--as", "sec", "user", "set-password", login, "--reason", "首次登录"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    let o = c.wait_with_output().unwrap();
    assert!(o.status.success(), "set-password {login}: {}", String::from_utf8_lossy(&o.stderr));
}

pub(super) fn base32_decode(s: &str) -> Vec<u8> {
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.trim().bytes() {
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

/// One first login in the browser, at a size, ending on the work list (whose text is returned, with the
/// first recovery code), then `then`, then logged out.
fn first_login(
    b: &Browser,
    base: &str,
    login: &str,
    size: (u32, u32),
    then: impl Fn(&Browser, (u32, u32)),
) -> (String, String) {
    let out = enrol(b, base, login, size);
    then(b, size);
    b.click("header form button[type=submit]");
    assert_eq!(b.wait_for_heading("登录"), "登录");
    out
}

/// One first login in the browser, at a size, ending signed in on the work list (whose text is returned,
/// with the first recovery code).
pub(super) fn enrol(b: &Browser, base: &str, login: &str, size: (u32, u32)) -> (String, String) {
    let (text, recovery, _) = enrol_at(b, base, login, size, &|| chrono::Utc::now().timestamp());
    (text, recovery)
}

/// [`enrol`] against a server whose clock reads `now()` (a rehearsal clock, `LIAISON_NOW`): the work list's
/// text, the first recovery code and the authenticator's secret (for later logins).
pub(super) fn enrol_at(
    b: &Browser,
    base: &str,
    login: &str,
    (width, height): (u32, u32),
    now: &dyn Fn() -> i64,
) -> (String, String, Vec<u8>) {
    b.resize(width, height);
    b.open(&format!("{base}/login"));
    assert_eq!(b.wait_for_heading("登录"), "登录");
    sound(b, "/login", width);
    b.type_into("#login", login);
    b.type_into("#password", PASSWORD);
    b.click("button[type=submit]");
    assert_eq!(b.wait_for_heading("绑定身份验证器"), "绑定身份验证器");
    sound(b, "/login/enrol", width);
    assert_eq!(b.script("return !!document.querySelector('.qr svg')"), Value::Bool(true), "the QR code");
    let secret = base32_decode(&b.text("#secret"));
    let code = totp::code_at_step(&secret, totp::step_of(now()));
    b.type_into("#code", &code);
    b.click("form[action='/login/enrol'] button[type=submit]");
    assert_eq!(b.wait_for_heading("恢复码"), "请保存您的恢复码");
    sound(b, "the recovery codes", width);
    assert_eq!(b.script("return document.querySelectorAll('#recovery-codes li').length"), json!(10));
    let recovery = b.text("#recovery-codes li:first-child");
    b.click("main a[href='/']");
    // A password the security administrator set for someone else is changed before anything else (the
    // security administrator's own, set by itself, is not).
    let forced = b.wait_for_heading(if login == "sec" { "账号与角色" } else { "修改密码" });
    if login == "sec" {
        // … and an administrator, who has no work list, lands on the administration.
        assert_eq!(b.wait_for_heading("账号与角色"), "账号与角色");
        return (b.text("main"), recovery, secret);
    }
    assert_eq!(forced, "修改密码");
    sound(b, "/account/password", width);
    assert!(b.text("main").contains("您的密码是由安全管理员设置的"));
    b.shot(&format!("password-{width}"));
    b.type_into("#current", PASSWORD);
    b.type_into("#new", NEW_PASSWORD);
    b.type_into("#repeat", NEW_PASSWORD);
    b.click("form[action='/account/password'] button[type=submit]");
    assert_eq!(b.wait_for_heading("密码已修改"), "密码已修改");
    b.click("main a[href='/']");
    // The home page: the work list, or the audit administrator's trail.
    let home = if login.starts_with("audit") { "审计日志" } else { "我的待办" };
    assert_eq!(b.wait_for_heading(home), home);
    sound(b, "/", width);
    let text = b.text("main");
    assert_eq!(b.script("return typeof htmx"), "object", "htmx loaded");
    b.shot(&format!("work-{login}-{width}"));
    (text, recovery, secret)
}

/// A later login and a visit with the keyboard alone (Tab, typing, Enter; a recovery code for the second
/// factor), every focus visible: the login, the code, the menu to the dashboard, and logging out.
fn keyboard_only(b: &Browser, base: &str, login: &str, recovery: &str) {
    b.resize(1366, 768);
    b.open(&format!("{base}/login"));
    assert_eq!(b.wait_for_heading("登录"), "登录");
    b.tab_to("login");
    b.keys(login);
    b.tab_to("password");
    b.keys(NEW_PASSWORD);
    b.keys(ENTER);
    assert_eq!(b.wait_for_heading("输入验证码"), "输入验证码");
    b.tab_to("code");
    b.keys(recovery);
    b.keys(ENTER);
    assert_eq!(b.wait_for_heading("我的待办"), "我的待办");
    b.tab_to_text("统计");
    b.keys(ENTER);
    assert_eq!(b.wait_for_heading("代表建议统计"), "代表建议统计");
    b.tab_to("by");
    b.keys("按承办部门"); // typing selects the option, as in any select
    b.tab_to_text("查看");
    b.keys(ENTER);
    assert_eq!(b.wait_for_heading("代表建议统计"), "代表建议统计");
    assert!(b.script("return location.search").as_str().unwrap_or("").contains("by=department"));
    b.tab_to_text("退出登录");
    b.keys(ENTER);
    assert_eq!(b.wait_for_heading("登录"), "登录");
}

/// Issue 16: the first login with TOTP enrolment, at desktop and phone sizes.
#[test]
fn first_login_with_totp_enrolment_at_desktop_and_phone_width() {
    let mut w = World::new().with_department("第一检察部", "dept1");
    let deputies = w.deputies(&[("王芳", "全国"), ("李强", "县")]);
    let mut file = vec![
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于加强未成年人检察工作的建议",
        "--content",
        "建议在各乡镇设立未成年人保护联络点。",
        "--source",
        "闭会期间",
    ];
    for d in &deputies {
        file.extend(["--deputy", d.as_str()]);
    }
    let out = w.ok(&file);
    let number = out
        .split_whitespace()
        .find(|w| w.contains('-') && w.len() >= 9)
        .map(|w| w.trim_start_matches("已登记建议").split('（').next().unwrap().to_owned())
        .unwrap();
    w.ok(&["--as", "office", "suggestion", "assign", &number, "--lead", "第一检察部", "--handler", "dept1"]);
    set_password(&w, "office");
    set_password(&w, "dept1");
    // Plain HTTP on 127.0.0.1: the cookie without `Secure` (and without the `__Host-` prefix).
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let base = w.base().to_owned();
    // The dashboard: both charts drawn, each with its table.
    let figures = |b: &Browser, (width, _): (u32, u32)| {
        b.open(&format!("{base}/figures"));
        assert_eq!(b.wait_for_heading("代表建议统计"), "代表建议统计");
        sound(b, "/figures", width);
        assert_eq!(b.script("return document.querySelectorAll('svg.chart[role=img] desc').length"), json!(2));
        assert_eq!(b.script("return document.querySelectorAll('main table').length"), json!(2));
        b.shot(&format!("figures-{width}"));
    };
    // The office drafts a notice through the form, at both sizes.
    let office_pages = |b: &Browser, (width, height): (u32, u32)| {
        figures(b, (width, height));
        b.open(&format!("{base}/notices"));
        assert_eq!(b.wait_for_heading("重大事项通报"), "重大事项通报");
        sound(b, "/notices", width);
        b.type_into("#title", "关于开展公益诉讼专项监督的通报");
        b.type_into("#content", "今年将开展公益诉讼专项监督，欢迎各位代表提出意见。");
        b.click("form[method=post][action='/notices'] button[type=submit]");
        let h = b.wait_for_heading("关于开展公益诉讼专项监督的通报");
        assert_eq!(h, "关于开展公益诉讼专项监督的通报", "{}", b.text("main"));
        assert!(b.text("main").contains("等待院领导审批"));
        for size in [(width, height), (390, 844)] {
            b.resize(size.0, size.1);
            sound(b, "a notice", size.0);
            b.shot(&format!("notice-{}", size.0));
        }
        b.resize(width, height);
        b.open(&format!("{base}/notices"));
        assert_eq!(b.wait_for_heading("重大事项通报"), "重大事项通报");
        b.shot(&format!("notices-{width}"));
    };
    let (office, recovery) = first_login(&b, w.base(), "office", (1366, 768), office_pages);
    assert!(
        office.contains("关于加强未成年人检察工作的建议") && office.contains("第一检察部承办人"),
        "{office}"
    );
    assert!(!has_uuid(&office), "{office}");
    let (dept, _) = first_login(&b, w.base(), "dept1", (390, 844), figures);
    assert!(dept.contains("关于加强未成年人检察工作的建议"), "{dept}");
    assert!(!has_uuid(&dept), "{dept}");
    // The security administrator's accounts page, at both sizes.
    set_password(&w, "sec");
    let admin = |b: &Browser, (width, height): (u32, u32)| {
        for size in [(width, height), (390, 844)] {
            b.resize(size.0, size.1);
            b.open(&format!("{base}/admin"));
            assert_eq!(b.wait_for_heading("账号与角色"), "账号与角色");
            sound(b, "/admin", size.0);
            let text = b.text("main");
            assert!(text.contains("第一检察部承办人") && text.contains("已绑定验证器"), "{text}");
            assert!(!has_uuid(&text), "{text}");
            b.shot(&format!("admin-{}", size.0));
        }
    };
    first_login(&b, w.base(), "sec", (1366, 768), admin);
    keyboard_only(&b, &base, "office", &recovery);
}

/// Wait until the page's text holds `want` (after htmx swapped a part of it).
pub(super) fn wait_for_text(b: &Browser, css: &str, want: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        // A script, not an element reference: the element may be replaced meanwhile.
        let js = format!("const e = document.querySelector({css:?}); return e ? e.innerText : '';");
        let t = b.script(&js).as_str().unwrap_or_default().to_owned();
        if t.contains(want) || start.elapsed() > std::time::Duration::from_secs(10) {
            return t;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Issue 16, item 2: the register in a browser — search by initials, open the deputy's page with their
/// timeline, reveal the full card with a reason, and the coverage report — at desktop and phone size,
/// with no sideways scrolling and names, never ids.
#[test]
fn the_register_searched_by_initials_and_a_deputys_page_at_desktop_and_phone_width() {
    let mut w = World::new();
    let ids = w.deputies(&[("欧阳晓岚", "县"), ("王芳", "全国"), ("李强", "乡")]);
    w.ok(&[
        "--as",
        "office",
        "suggestion",
        "file",
        "--title",
        "关于完善公益诉讼线索移送机制的建议",
        "--content",
        "建议建立线索移送台账。",
        "--source",
        "闭会期间",
        "--deputy",
        &ids[0],
        "--deputy",
        &ids[2],
    ]);
    set_password(&w, "office");
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let csv = w.dir().join("名册.csv");
    std::fs::write(
        &csv,
        "姓名,性别,代表层级,届次,所属区域,任期开始,手机\n孙丽华,女,县,18,鼓楼区,2022-01-10,13600001111\n",
    )
    .unwrap();
    let bad = w.dir().join("有误的名册.csv");
    std::fs::write(
        &bad,
        "姓名,性别,代表层级,届次,所属区域,任期开始,手机\n周海涛,男,县,18,鼓楼区,2022-13-40,13600002222\n",
    )
    .unwrap();
    enrol(&b, w.base(), "office", (1366, 768));
    for (width, height) in [(1366, 768), (390, 844)] {
        b.resize(width, height);
        b.open(&format!("{}/register", w.base()));
        assert_eq!(b.wait_for_heading("代表名册"), "代表名册");
        sound(&b, "/register", width);
        b.shot(&format!("reg-list-{width}"));
        // 欧阳 reads Ōuyáng: the initials oyxl.
        b.type_into("#q", "oyxl");
        b.click("form.reg-search button[type=submit]");
        let found = wait_for_text(&b, "#results", "共 1 名");
        assert!(found.contains("欧阳晓岚") && !found.contains("王芳"), "{found}");
        assert!(!has_uuid(&found), "{found}");
        sound(&b, "/register?q=oyxl", width);
        b.shot(&format!("reg-search-{width}"));
        b.click("#results a.reg-name");
        assert_eq!(b.wait_for_heading("欧阳晓岚"), "欧阳晓岚");
        sound(&b, "the deputy's page", width);
        let page = b.text("main");
        assert!(page.contains("关于完善公益诉讼线索移送机制的建议") && page.contains("领衔提出"), "{page}");
        assert!(!has_uuid(&page), "{page}");
        b.shot(&format!("reg-deputy-{width}"));
        b.type_into("#reason", "走访前核对通讯地址");
        b.click("form.reg-reveal button[type=submit]");
        let full = wait_for_text(&b, "main", "本次查看已记入审计日志");
        assert!(full.contains("13900000000"), "{full}");
        sound(&b, "the full card", width);
        b.shot(&format!("reg-full-{width}"));
        b.open(&format!("{}/register/coverage", w.base()));
        assert_eq!(b.wait_for_heading("联络覆盖情况"), "联络覆盖情况");
        sound(&b, "/register/coverage", width);
        let cov = b.text("main");
        assert!(cov.contains("欧阳晓岚") && !has_uuid(&cov), "{cov}");
        b.shot(&format!("reg-coverage-{width}"));
        // The import: checked first, imported on confirmation; a file with a bad row is refused row by row.
        b.open(&format!("{}/register/import", w.base()));
        assert_eq!(b.wait_for_heading("导入名册"), "导入名册");
        sound(&b, "/register/import", width);
        let file = if width == 1366 { &csv } else { &bad };
        b.type_into("#file", file.to_str().unwrap());
        b.click("form[enctype] button[type=submit]");
        let report = wait_for_text(&b, "main", "检查结果");
        sound(&b, "the import's report", width);
        b.shot(&format!("reg-import-{width}"));
        if width == 1366 {
            assert!(report.contains("全部行检查通过"), "{report}");
            b.click("form[action='/register/import/confirm'] button[type=submit]");
            let done = wait_for_text(&b, "main", "导入完成");
            assert!(done.contains("1 名代表"), "{done}");
        } else {
            assert!(report.contains("第 2 行") && report.contains("任期开始"), "{report}");
        }
    }
}

/// A first login that stays signed in, at a size: enrolment, the recovery codes, then the work list.
pub(super) fn sign_in(b: &Browser, base: &str, login: &str, size: (u32, u32)) {
    enrol(b, base, login, size);
}

/// Check the page as `sound` does, and with `LIAISON_SHOTS` keep a picture of the whole page.
pub(super) fn look(b: &Browser, name: &str, (width, _): (u32, u32)) {
    sound(b, name, width);
    b.shot(&format!("sug-{name}-{width}"));
}

/// Set a select's value as a person choosing an option would (the change event included).
pub(super) fn choose(b: &Browser, css: &str, value: &str) {
    let js = format!(
        "const s = document.querySelector({css:?}); s.value = {value:?}; s.dispatchEvent(new Event('change', {{bubbles: true}})); return s.value;"
    );
    assert_eq!(b.script(&js), Value::String(value.to_owned()), "{css} = {value}");
}
