//! The channels and guarantees' pages in a real browser (issue 16), at desktop (1366 × 768) and phone
//! (390 × 844) size with the checks of `pages::sound` on every page: a hotline call routed to an
//! appointment with the chief procurator, the appointment recorded from the log's link and acknowledged; a
//! liaison card issued; the services page; the year's budget with its execution table and chart; the
//! contributions with their evidence and a nomination. Names, never ids.

use serde_json::json;

use super::browser::Browser;
use super::pages::{choose, set_password, sign_in, sound};
use super::{World, chrono_year, has_uuid};

fn look(b: &Browser, name: &str, (width, _): (u32, u32)) {
    sound(b, name, width);
    assert!(!has_uuid(&b.text("main")), "{name}: {}", b.text("main"));
    b.shot(&format!("ch-{name}-{width}"));
}

/// Both sizes of the page open now.
fn both(b: &Browser, name: &str) {
    let (desk, phone) = ((1366, 768), (390, 844));
    b.resize(phone.0, phone.1);
    look(b, name, phone);
    b.resize(desk.0, desk.1);
    look(b, name, desk);
}

#[test]
fn the_channels_and_guarantees_at_desktop_and_phone_width() {
    let w = World::new().with_leader();
    let ids = w.deputies(&[("王芳", "乡"), ("李强", "县")]);
    w.ok(&["--as", "office", "org", "add-leader", "张明", "--title", "检察长"]);
    w.ok(&["--as", "office", "org", "add-officer", "林晓"]);
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
        &ids[0],
    ]);
    let year = chrono_year().to_string();
    for (c, a) in
        [("会议", "40000"), ("走访", "50000"), ("活动", "60000"), ("资料订阅", "10000"), ("表彰", "20000")]
    {
        w.ok(&["--as", "office", "budget", &year, "line", "--category", c, "--amount", a]);
    }
    w.ok(&["--as", "leader", "budget", &year, "adopt"]);
    let budget = format!("/api/v1/budgets/{year}");
    let (status, b) = w.post(
        &format!("{budget}/spend"),
        &w.office,
        Some(w.version(&budget, "/budget/version")),
        json!({"category": "活动", "amount": "52000", "purpose": "检察开放日", "reference": "凭证001"}),
    );
    assert_eq!(status, 200, "{b}");
    w.ok(&[
        "--as",
        "office",
        "budget",
        &year,
        "request",
        "--category",
        "活动",
        "--amount",
        "30000",
        "--why",
        "下半年活动增加",
    ]);
    set_password(&w, "office");
    let mut w = w;
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let desk = (1366, 768);
    let base = w.base().to_owned();
    sign_in(&b, &base, "office", desk);

    // The hotline: 王芳 asks to meet the chief procurator.
    b.open(&format!("{base}/hotline"));
    assert_eq!(b.wait_for_heading("联络热线"), "联络热线");
    b.type_into("#q", "王芳");
    b.type_into("#topic", "希望当面向检察长反映辖区企业的诉求");
    choose(&b, "#route", "appointment");
    b.click("form[action='/hotline'] button[type=submit]");
    assert!(b.wait_until("return document.body.textContent.includes('据此登记约见请求')"), "logged");
    both(&b, "hotline");
    b.click("a[href^='/appointments?']");
    assert_eq!(b.wait_for_heading("代表约见"), "代表约见");
    let chief = b.script(
        "return [...document.querySelectorAll('#official option')].find(o => o.textContent.includes('张明')).value",
    );
    choose(&b, "#official", chief.as_str().unwrap());
    b.click("form[action='/appointments'] button[type=submit]");
    assert!(b.wait_for_heading("约见").contains("王芳"));
    b.click("form input[value=acknowledge] ~ button");
    assert!(b.wait_until("return document.body.textContent.includes('安排约见')"), "acknowledged");
    both(&b, "appointment");
    b.open(&format!("{base}/appointments"));
    assert_eq!(b.wait_for_heading("代表约见"), "代表约见");
    both(&b, "appointments");

    // A card for 李强.
    b.open(&format!("{base}/cards"));
    assert_eq!(b.wait_for_heading("联络卡"), "联络卡");
    b.type_into("#q", "李强");
    let officer = b.script("return document.querySelectorAll('#officer option')[1].value");
    choose(&b, "#officer", officer.as_str().unwrap());
    b.type_into("#telephone", "0591-87654321");
    b.click("form[action='/cards'] button[type=submit]");
    assert!(b.wait_until("return document.body.textContent.includes('李强（县级代表）')"), "issued");
    both(&b, "cards");
    b.open(&format!("{base}/services"));
    assert_eq!(b.wait_for_heading("服务与征求意见"), "服务与征求意见");
    both(&b, "services");

    // The budget: the execution table with its chart, the request waiting for a leader.
    b.open(&format!("{base}/budget"));
    assert!(b.wait_for_heading("联络工作经费").contains(&year));
    assert!(b.text("#total-planned").contains("180,000.00"));
    both(&b, "budget");

    // The contributions and a nomination.
    b.open(&format!("{base}/commendation"));
    assert_eq!(b.wait_for_heading("代表表彰"), "代表表彰");
    assert!(b.text("#contributions").contains("王芳"));
    choose(&b, "#deputy", &ids[0]);
    b.type_into("#reasons", "积极提出建议，推动未成年人检察工作。");
    b.click("form[method=post][action='/commendation'] button[type=submit]");
    assert!(
        b.wait_until("return document.body.textContent.includes('已推荐')"),
        "nominated: {}",
        b.text("main")
    );
    b.script("document.querySelectorAll('details').forEach(d => d.open = true); return true;");
    both(&b, "commendation");
}
