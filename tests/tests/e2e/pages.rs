//! The staff pages in a real browser (issue 16): the first login of two accounts with the enrolment of
//! their authenticator — the office at desktop size (1366 × 768), a department's handler at phone size
//! (390 × 844) — through the recovery codes to the work list and out again. On every page: no sideways
//! scrolling, every input labelled, no duplicate ids, the stylesheet and htmx loaded under the CSP.

use std::io::Write as _;
use std::process::{Command, Stdio};

use liaison_app::login::totp;
use serde_json::{Value, json};

use super::browser::Browser;
use super::{World, bin, has_uuid};

const PASSWORD: &str = "一个足够长的口令2026";

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

fn sound(b: &Browser, what: &str, width: u32) {
    let v = b.script(CHECK);
    assert_eq!(v["scroll"], Value::Bool(true), "{what} at {width}: sideways scrolling {v}");
    assert_eq!(v["duplicates"], json!([]), "{what}: duplicate ids");
    assert_eq!(v["unlabelled"], json!([]), "{what}: inputs without a label");
    assert_eq!(v["styled"], Value::Bool(true), "{what}: the stylesheet did not apply");
    assert_eq!(v["lang"], "zh-CN", "{what}");
}

/// The security administrator sets a password, read from standard input as the README shows.
fn set_password(w: &World, login: &str) {
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

fn base32_decode(s: &str) -> Vec<u8> {
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

/// One first login in the browser, at a size, ending on the work list (whose text is returned) and then
/// logged out.
fn first_login(b: &Browser, base: &str, login: &str, (width, height): (u32, u32)) -> String {
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
    let code = totp::code_at_step(&secret, totp::step_of(chrono::Utc::now().timestamp()));
    b.type_into("#code", &code);
    b.click("form[action='/login/enrol'] button[type=submit]");
    assert_eq!(b.wait_for_heading("恢复码"), "请保存您的恢复码");
    sound(b, "the recovery codes", width);
    assert_eq!(b.script("return document.querySelectorAll('#recovery-codes li').length"), json!(10));
    b.click("main a[href='/']");
    assert_eq!(b.wait_for_heading("我的待办"), "我的待办");
    sound(b, "/", width);
    let text = b.text("main");
    assert_eq!(b.script("return typeof htmx"), "object", "htmx loaded");
    b.click("header form button[type=submit]");
    assert_eq!(b.wait_for_heading("登录"), "登录");
    text
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
    let office = first_login(&b, w.base(), "office", (1366, 768));
    assert!(
        office.contains("关于加强未成年人检察工作的建议") && office.contains("第一检察部承办人"),
        "{office}"
    );
    assert!(!has_uuid(&office), "{office}");
    let dept = first_login(&b, w.base(), "dept1", (390, 844));
    assert!(dept.contains("关于加强未成年人检察工作的建议"), "{dept}");
    assert!(!has_uuid(&dept), "{dept}");
}

/// A first login that stays signed in, at a size: enrolment, the recovery codes, then the work list.
fn sign_in(b: &Browser, base: &str, login: &str, (width, height): (u32, u32)) {
    b.resize(width, height);
    b.open(&format!("{base}/login"));
    assert_eq!(b.wait_for_heading("登录"), "登录");
    b.type_into("#login", login);
    b.type_into("#password", PASSWORD);
    b.click("button[type=submit]");
    assert_eq!(b.wait_for_heading("绑定身份验证器"), "绑定身份验证器");
    let secret = base32_decode(&b.text("#secret"));
    let code = totp::code_at_step(&secret, totp::step_of(chrono::Utc::now().timestamp()));
    b.type_into("#code", &code);
    b.click("form[action='/login/enrol'] button[type=submit]");
    assert_eq!(b.wait_for_heading("恢复码"), "请保存您的恢复码");
    b.click("main a[href='/']");
    assert_eq!(b.wait_for_heading("我的待办"), "我的待办");
}

/// Check the page as `sound` does, and with `LIAISON_TEST_SHOTS` keep pictures of it: at a desktop's
/// width the whole page at once, at a phone's a screenful at a time (`-1`, `-2` …, from the top).
fn look(b: &Browser, name: &str, (width, height): (u32, u32)) {
    sound(b, name, width);
    if std::env::var_os("LIAISON_TEST_SHOTS").is_none() {
        return;
    }
    let tall = b.script("return document.documentElement.scrollHeight").as_u64().unwrap_or(0);
    if width > 600 {
        b.resize(width, u32::try_from(tall.clamp(u64::from(height), 3000)).unwrap());
        b.script("window.scrollTo(0, 0); return true;");
        b.shot(&format!("sug-{name}-{width}"));
        b.resize(width, height);
        return;
    }
    let step = b.script("return window.innerHeight").as_u64().unwrap_or(700).max(300);
    for (i, y) in (0..tall.min(6000)).step_by(usize::try_from(step).unwrap()).enumerate() {
        b.script(&format!("window.scrollTo(0, {y}); return true;"));
        b.shot(&format!("sug-{name}-{width}-{}", i + 1));
    }
    b.script("window.scrollTo(0, 0); return true;");
}

/// Set a select's value as a person choosing an option would (the change event included).
fn choose(b: &Browser, css: &str, value: &str) {
    let js = format!(
        "const s = document.querySelector({css:?}); s.value = {value:?}; s.dispatchEvent(new Event('change', {{bubbles: true}})); return s.value;"
    );
    assert_eq!(b.script(&js), Value::String(value.to_owned()), "{css} = {value}");
}

/// Issue 16, item 3: the office files a joint suggestion through the intake form (a name typed, two
/// co-signers picked through the register's search), sees the similar earlier one, and assigns it (at
/// 1366 × 768); the department, on a phone (390 × 844), finds the answer locked until it logs a contact,
/// then answers from a template. No sideways scrolling on any page.
#[test]
fn the_office_files_and_assigns_a_joint_suggestion_and_the_department_answers_after_a_contact() {
    let mut w = World::new().with_department("第一检察部", "dept1");
    let deputies = w.deputies(&[("王芳", "全国"), ("李强", "县"), ("赵敏", "市")]);
    w.ok(&[
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
        "--deputy",
        &deputies[0],
    ]);
    set_password(&w, "office");
    set_password(&w, "dept1");
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let (desk, phone) = ((1366, 768), (390, 844));
    let base = w.base().to_owned();

    sign_in(&b, &base, "office", desk);
    b.open(&format!("{base}/suggestions/new"));
    assert_eq!(b.wait_for_heading("登记新建议"), "登记新建议");
    b.type_into("#title", "关于加强未成年人检察保护工作的建议");
    b.type_into("#content", "建议在乡镇设立未成年人保护联络点，加强未成年人检察工作。");
    b.click("#signers");
    assert!(
        b.wait_until("return document.querySelector('#similar').textContent.includes('2026-0001')"),
        "similar"
    );
    b.type_into("#signers", "王芳");
    for name in ["李强", "赵敏"] {
        b.script("document.querySelector('#dq').value = ''; return true;");
        b.type_into("#dq", name);
        let js = format!(
            "return [...document.querySelectorAll('#picks li')].some(li => li.textContent.includes({name:?}))"
        );
        assert!(b.wait_until(&js), "{name} found");
        let click = format!(
            "const li = [...document.querySelectorAll('#picks li')].find(li => li.textContent.includes({name:?})); li.querySelector('input').click(); return true;"
        );
        b.script(&click);
    }
    assert_eq!(b.script("return document.querySelectorAll('#picks input:checked').length"), json!(2));
    look(&b, "new", desk);
    b.resize(phone.0, phone.1);
    look(&b, "new", phone);
    b.resize(desk.0, desk.1);
    b.click("button[value=file]");
    assert!(b.wait_for_heading("2026-0002").contains("关于加强未成年人检察保护工作的建议"));
    let page = b.text("main");
    for name in ["王芳（全国", "李强（县", "赵敏（市"] {
        assert!(page.contains(name), "{name}: {page}");
    }
    assert!(!has_uuid(&page), "{page}");
    look(&b, "filed", desk);
    choose(&b, "#a-lead", "第一检察部");
    choose(&b, "#a-handler", "dept1");
    b.click("#assign-form button[type=submit]");
    assert!(b.wait_until("return !!document.querySelector('#done-message') && document.querySelector('#done-message').textContent.includes('已交办')"));
    assert!(b.text("main").contains("第一检察部承办人"));
    b.open(&format!("{base}/suggestions"));
    assert_eq!(b.wait_for_heading("代表建议"), "代表建议");
    look(&b, "list", desk);
    b.click("header form button[type=submit]");
    assert_eq!(b.wait_for_heading("登录"), "登录");

    sign_in(&b, &base, "dept1", phone);
    b.open(&format!("{base}/suggestions"));
    assert_eq!(b.wait_for_heading("代表建议"), "代表建议");
    look(&b, "list", phone);
    b.open(&format!("{base}/"));
    assert_eq!(b.wait_for_heading("我的待办"), "我的待办");
    b.click("a[href='/suggestions/2026-0002']");
    assert!(b.wait_for_heading("2026-0002").contains("2026-0002"));
    assert_eq!(b.script("return document.querySelector('#answer-fields').disabled"), Value::Bool(true));
    assert!(b.text("#answer-locked").contains("还没有记录与代表的沟通"));
    look(&b, "locked", phone);
    b.type_into("#c-summary", "电话征求三位代表对办理的意见");
    b.click("#contact-form button[type=submit]");
    assert!(b.wait_until("return !!document.querySelector('#done-message')"), "contact logged");
    assert_eq!(b.script("return document.querySelector('#answer-fields').disabled"), Value::Bool(false));
    choose(&b, "#template", "solved");
    assert!(
        b.wait_until("return document.querySelector('#answer-text').value.includes('已基本解决')"),
        "template"
    );
    look(&b, "answer", phone);
    b.click("#answer-fields button[type=submit]");
    assert!(b.wait_until("return !!document.querySelector('#done-message') && document.querySelector('#done-message').textContent.includes('答复已提交')"));
    let page = b.text("main");
    assert!(page.contains("待评价") && page.contains("尚未评价"), "{page}");
    assert!(!has_uuid(&page), "{page}");
    look(&b, "answered", phone);
}
