//! The staff pages' workflows in a real browser (issue 16), each at desktop (1366 × 768) and phone
//! (390 × 844) size with the checks of `pages::sound` on every page: a joint suggestion filed, assigned
//! and answered after a contact; twenty assigned at once and an extension approved by a leader; the
//! calendar and the plan; activities and their draw. The helpers (signing in with the forced password
//! change, looking at a page, choosing an option) are `pages`'.

use serde_json::{Value, json};

use super::browser::Browser;
use super::pages::{choose, enrol, look, set_password, sign_in, sound, wait_for_text};
use super::{World, has_uuid};

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
    // The template's bracketed part is refused until it is written out.
    b.click("#answer-fields button[type=submit]");
    assert!(b.wait_until("return (document.querySelector('[role=alert]') || {}).textContent?.includes('还有未填写的【具体措施】') || false"), "unfilled template");
    b.script(
        "const t = document.querySelector('#answer-text'); t.value = t.value.replace('【具体措施】', '在各乡镇设立了未成年人保护联络点'); return true;",
    );
    b.click("#answer-fields button[type=submit]");
    assert!(b.wait_until("return !!document.querySelector('#done-message') && document.querySelector('#done-message').textContent.includes('答复已提交')"));
    let page = b.text("main");
    assert!(page.contains("待评价") && page.contains("尚未评价"), "{page}");
    assert!(!has_uuid(&page), "{page}");
    look(&b, "answered", phone);
}

/// Issue 16, item 4: 走访座谈 in a browser — a meeting planned for today and the year's plan set at the
/// console, a visit recorded through the form (the deputy named), then the month's calendar (a grid of
/// weeks at desktop size, the days with something as a list on a phone), the meeting's page and the plan
/// with its progress bars, at 1366×768 and 390×844: no sideways scrolling, labels, names and never ids.
#[test]
fn the_calendar_and_the_plan_at_desktop_and_phone_width() {
    let mut w = World::new();
    let ids = w.deputies(&[("欧阳晓岚", "县"), ("王芳", "全国")]);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let (day, year) = (today.format("%Y-%m-%d").to_string(), today.format("%Y").to_string());
    w.ok(&[
        "--as",
        "office",
        "meeting",
        "plan",
        "--title",
        "代表座谈会：通报检察工作",
        "--on",
        &day,
        "--place",
        "本院三楼会议室",
        "--agenda",
        "work_report:通报今年检察工作",
        "--agenda",
        "petitions:信访办理情况",
        "--invite",
        &ids[0],
        "--invite",
        &ids[1],
    ]);
    w.ok(&[
        "--as",
        "office",
        "plan",
        "set",
        "--period",
        &year,
        "--meetings",
        "2",
        "--reached",
        "60",
        "--notices",
        "2",
        "--activities",
        "6",
        "--notes",
        "每半年召开一次代表座谈会，年内走访每一位代表。",
    ]);
    set_password(&w, "office");
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let base = w.base().to_owned();
    enrol(&b, &base, "office", (1366, 768));
    // A visit through the form: the day and the staff are filled in already.
    b.open(&format!("{base}/visits/new"));
    assert_eq!(b.wait_for_heading("登记走访"), "登记走访");
    sound(&b, "/visits/new", 1366);
    b.type_into("#deputy", "欧阳晓岚");
    b.type_into("#notes", "了解代表履职情况，听取对公益诉讼工作的意见。");
    b.shot("cal-visit-1366");
    b.click("form[action='/visits'] button[type=submit]");
    assert_eq!(b.wait_for_heading("走访座谈日历"), "走访座谈日历");
    for (width, height) in [(1366, 768), (390, 844)] {
        b.resize(width, height);
        b.open(&format!("{base}/calendar"));
        assert_eq!(b.wait_for_heading("走访座谈日历"), "走访座谈日历");
        sound(&b, "/calendar", width);
        let cell = b.text(&format!("#d-{day}"));
        assert!(cell.contains("代表座谈会：通报检察工作") && cell.contains("走访欧阳晓岚代表"), "{cell}");
        let main = b.text("main");
        assert!(!has_uuid(&main), "{main}");
        // A real grid at desktop size (seven columns), a list of the busy days on a phone.
        let shown = b.script(
            "return [...document.querySelectorAll('.cal-day')].filter(e => e.offsetParent !== null).length",
        );
        let busy = b.script("return document.querySelectorAll('.cal-day:not(.empty):not(.out)').length");
        if width == 1366 {
            let all = b.script("return document.querySelectorAll('.cal-day').length");
            assert_eq!(shown, all, "every day of the weeks shown");
            let columns = b.script(
                "return getComputedStyle(document.querySelector('ol.cal-grid')).gridTemplateColumns.split(' ').length",
            );
            assert_eq!(columns, json!(7));
        } else {
            assert_eq!(shown, busy, "only the days with something on a phone");
        }
        b.shot(&format!("cal-calendar-{width}"));
        b.click(&format!("#d-{day} a"));
        assert_eq!(b.wait_for_heading("代表座谈会：通报检察工作"), "代表座谈会：通报检察工作");
        sound(&b, "the meeting", width);
        let page = b.text("main");
        assert!(page.contains("欧阳晓岚（县") && page.contains("王芳（全国"), "{page}");
        assert!(!has_uuid(&page), "{page}");
        b.shot(&format!("cal-meeting-{width}"));
        b.open(&format!("{base}/plan"));
        assert_eq!(b.wait_for_heading("联络工作计划"), "联络工作计划");
        sound(&b, "/plan", width);
        let plan = b.text("main");
        assert!(plan.contains("计划 2 次 · 已完成 0 次") && plan.contains("草案"), "{plan}");
        assert_eq!(b.script("return document.querySelectorAll('progress').length"), json!(4));
        b.shot(&format!("cal-plan-{width}"));
    }
    // On a phone, a name the register does not have is refused with the reason beside the form.
    b.open(&format!("{base}/visits/new"));
    assert_eq!(b.wait_for_heading("登记走访"), "登记走访");
    b.type_into("#deputy", "查无此人");
    b.type_into("#notes", "了解代表的工作和生活情况。");
    b.click("form[action='/visits'] button[type=submit]");
    let refused = wait_for_text(&b, "#error-message", "名册上没有");
    assert!(refused.contains("“查无此人”"), "{refused}");
    sound(&b, "the refused visit", 390);
    b.shot("cal-visit-refused-390");
}

/// Issue 16, item 4: 代表活动 in a browser — an open day planned through the form for today, its pool fixed
/// with a secret seed shown once, the seed typed back to draw (the office signed in just now: no second
/// proof), then the activity with the drawn by name and the draw verified, the list and the fairness by
/// level, at 1366×768 and 390×844: no sideways scrolling, labels, names and never ids.
#[test]
fn the_activities_and_their_draw_at_desktop_and_phone_width() {
    let mut w = World::new();
    w.deputies(&[("欧阳晓岚", "县"), ("王芳", "全国"), ("李建国", "省"), ("张秀英", "市"), ("陈明", "乡")]);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive().format("%Y-%m-%d").to_string();
    set_password(&w, "office");
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let base = w.base().to_owned();
    enrol(&b, &base, "office", (1366, 768));
    b.open(&format!("{base}/activities"));
    assert_eq!(b.wait_for_heading("代表活动"), "代表活动");
    sound(&b, "/activities", 1366);
    b.script(&format!(
        "document.querySelector('#kind').value = 'open_day'; document.querySelector('#on').value = '{today}'; \
         document.querySelector('#seats').value = '3'; return true;"
    ));
    b.type_into("#title", "检察开放日：走进公益诉讼");
    b.type_into("#place", "本院一楼大厅");
    b.click("form[action='/activities'] button[type=submit]");
    assert_eq!(b.wait_for_heading("检察开放日：走进公益诉讼"), "检察开放日：走进公益诉讼");
    sound(&b, "the planned activity", 1366);
    b.type_into("#secret_seed_reason", "演示：当天无可用的公开数据");
    b.click("form input[value=prepare] ~ button[type=submit]");
    wait_for_text(&b, "main", "只显示这一次");
    let seed = b.text("#seed-once").trim().to_owned();
    assert_eq!(seed.len(), 64, "{seed}");
    sound(&b, "the pool fixed", 1366);
    b.shot("act-seed-1366");
    b.type_into("#seed", &seed);
    b.click("form input[value=draw] ~ button[type=submit]");
    let verified = wait_for_text(&b, "#verification", "验证通过");
    assert!(verified.contains("验证通过"), "{verified}");
    for (width, height) in [(1366, 768), (390, 844)] {
        b.resize(width, height);
        b.open(&format!("{base}/activities"));
        assert_eq!(b.wait_for_heading("代表活动"), "代表活动");
        sound(&b, "/activities", width);
        b.shot(&format!("act-list-{width}"));
        b.click("ul.items a.title");
        assert_eq!(b.wait_for_heading("检察开放日：走进公益诉讼"), "检察开放日：走进公益诉讼");
        sound(&b, "the activity", width);
        let page = b.text("main");
        assert!(page.contains("参加代表（3 名）") && page.contains("验证通过"), "{page}");
        assert!(!has_uuid(&page), "{page}");
        b.shot(&format!("act-page-{width}"));
        b.open(&format!("{base}/activities/fairness"));
        assert!(b.wait_for_heading("各级代表参加活动情况").ends_with("年各级代表参加活动情况"));
        sound(&b, "/activities/fairness", width);
        assert_eq!(b.script("return document.querySelectorAll('tbody tr').length"), json!(5));
        b.shot(&format!("act-fairness-{width}"));
    }
}

/// Issue 16's quality bar, the two flows left: the office assigns twenty suggestions at once from the list
/// (desktop), the department asks for an extension of one on a phone, and a leader approves it (desktop).
#[test]
fn the_office_assigns_twenty_at_once_and_a_leader_approves_an_extension() {
    let w = World::new().with_department("第一检察部", "dept1").with_leader();
    let deputies = w.deputies(&[("王芳", "全国")]);
    for i in 1..=20 {
        let title = format!("关于完善第{i}项检察便民措施的建议");
        w.ok(&[
            "--as",
            "office",
            "suggestion",
            "file",
            "--title",
            &title,
            "--content",
            "建议完善便民措施。",
            "--source",
            "闭会期间",
            "--deputy",
            &deputies[0],
        ]);
    }
    for login in ["office", "dept1", "leader"] {
        set_password(&w, login);
    }
    let mut w = w;
    w.stop();
    w.start_with(&["--insecure-cookies"]);
    let Some(b) = Browser::phone() else { return };
    let (desk, phone) = ((1366, 768), (390, 844));
    let base = w.base().to_owned();
    let logout = |b: &Browser| {
        b.click("header form button[type=submit]");
        assert_eq!(b.wait_for_heading("登录"), "登录");
    };

    // The office: every registered suggestion ticked, one department and handler, one submit.
    sign_in(&b, &base, "office", desk);
    b.open(&format!("{base}/suggestions?status=registered"));
    assert_eq!(b.wait_for_heading("代表建议"), "代表建议");
    sound(&b, "/suggestions", desk.0);
    let ticked = b.script(
        "const p = [...document.querySelectorAll('input[name=pick]')]; p.forEach(c => { if (!c.checked) c.click(); }); return p.length;",
    );
    assert_eq!(ticked, json!(20), "twenty to assign");
    choose(&b, "#b-lead", "第一检察部");
    choose(&b, "#b-handler", "dept1");
    b.click("form#bulk button[type=submit]");
    assert_eq!(b.wait_for_heading("批量交办结果"), "批量交办结果");
    let result = b.text("#assigned-count");
    assert!(result.contains("已交办 20 件") && result.contains("第一检察部"), "{result}");
    assert!(!has_uuid(&b.text("main")));
    b.shot("sug-bulk-1366");
    logout(&b);

    // The department, on a phone: an extension asked for one of them.
    sign_in(&b, &base, "dept1", phone);
    b.open(&format!("{base}/suggestions/2026-0001"));
    assert!(b.wait_for_heading("2026-0001").contains("2026-0001"));
    b.script("document.querySelector('#x-until').value = '2027-04-30'; return true;");
    b.type_into("#x-reason", "需会同公安机关核实情况，所需时间较长");
    b.click("#extension-form button[type=submit]");
    assert!(b.wait_until("return (document.querySelector('#done-message') || {}).textContent?.includes('延期申请已提交') || false"));
    sound(&b, "an extension asked for", phone.0);
    logout(&b);

    // The leader approves it on the suggestion's page (just signed in: no second proof needed).
    sign_in(&b, &base, "leader", desk);
    b.open(&format!("{base}/suggestions/2026-0001"));
    assert!(b.wait_for_heading("2026-0001").contains("2026-0001"));
    assert!(b.text("#pending-extension").contains("需会同公安机关核实情况"));
    sound(&b, "the extension to decide", desk.0);
    b.click("#approve-form button[type=submit]");
    assert!(b.wait_until(
        "return (document.querySelector('#done-message') || {}).textContent?.includes('已批准延期') || false"
    ));
    let page = b.text("main");
    assert!(page.contains("已批准的延期") && page.contains("2027"), "{page}");
    assert!(!has_uuid(&page), "{page}");
    b.shot("sug-extension-approved-1366");
}
