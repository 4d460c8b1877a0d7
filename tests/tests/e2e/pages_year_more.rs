//! More of "a year in a liaison office" in the browser: the budget in lines and its supplementary
//! appropriation, the hotline call that becomes an appointment with the chief, the case review by people's
//! supervisors and the committee's observers, the inspection's rectification, and the year's commendations.
//! Called from `pages_year_months.rs` in the months they belong to.

use serde_json::Value;

use super::browser::Browser;
use super::has_uuid;
use super::pages::wait_for_text;
use super::pages_year::{Year, choose_text, maybe_reauth, open, post_and_wait, set_value};
use super::pages_year_months::People;

/// The submit button of the form that carries `action`.
fn act(action: &str) -> String {
    format!("form:has(input[name=action][value={action}]) button[type=submit]")
}

/// Click and wait for `want` in `css`.
fn then(b: &Browser, button: &str, css: &str, want: &str) -> String {
    post_and_wait(b, button);
    let t = wait_for_text(b, css, want);
    assert!(t.contains(want), "after {button}: “{want}” in {css}: {t}");
    t
}

/// January: the year's budget, ¥180,000 in six lines, adopted by the chief.
pub(super) fn budget_in_lines(y: &mut Year, b: &Browser) {
    y.sign_in(b, "office");
    open(y, b, "/budget", "年联络工作经费");
    for (line, yuan, total) in [
        ("会议", "40000", "40,000.00"),
        ("走访", "30000", "70,000.00"),
        ("活动", "50000", "120,000.00"),
        ("资料订阅", "10000", "130,000.00"),
        ("表彰", "20000", "150,000.00"),
        ("服务保障", "30000", "180,000.00"),
    ] {
        choose_text(b, "#line-category", line);
        set_value(b, "#line-amount", yuan);
        then(b, &act("line"), "#total-planned", total);
    }
    y.sign_in(b, "chief");
    open(y, b, "/budget", "年联络工作经费");
    b.click(&act("adopt"));
    maybe_reauth(y, b, "!document.querySelector('input[name=action][value=adopt]')");
    assert!(b.wait_until("return !document.querySelector('input[name=action][value=adopt]')"), "adopted");
}

/// May: a township deputy calls the hotline asking to meet the chief procurator; the call becomes an
/// appointment request (the appointment's page, returned).
pub(super) fn hotline_call(y: &mut Year, b: &Browser, people: &People) -> String {
    y.sign_in(b, "office");
    open(y, b, "/hotline", "联络热线");
    b.type_into("#q", &people.township.0);
    b.type_into("#topic", "希望约见检察长，当面反映乡村留守儿童保护的问题。");
    choose_text(b, "#route", "转为约见请求");
    then(b, "form[method=post][action='/hotline'] button[type=submit]", "main", "据此登记约见请求");
    b.click("a[href^='/appointments?']");
    assert!(b.wait_for_heading("代表约见").contains("代表约见"));
    choose_text(b, "#official", "李华");
    b.click("form[method=post][action='/appointments'] button[type=submit]");
    let h = b.wait_for_heading("约见");
    assert!(h.contains(&people.township.0) && h.contains("李华"), "{h}");
    b.script("return location.pathname").as_str().unwrap().to_owned()
}

/// The next day: acknowledged, and set for a meeting within the week.
pub(super) fn appointment_acknowledged(y: &mut Year, b: &Browser, page: &str) {
    y.sign_in(b, "office");
    open(y, b, page, "约见");
    then(b, &act("acknowledge"), "main", "安排约见");
    set_value(b, "#from", "2026-05-15T10:00");
    set_value(b, "#to", "2026-05-15T11:00");
    b.type_into("#place", "本院检察长接待室");
    then(b, &act("schedule"), "main", "记录约见情况");
}

/// After the meeting: its record.
pub(super) fn appointment_held(y: &mut Year, b: &Browser, page: &str) {
    y.sign_in(b, "office");
    open(y, b, page, "约见");
    b.type_into("#record-text", "检察长听取了代表关于留守儿童保护的意见，承诺开展专项检察监督。");
    let done = then(b, &act("hold"), "main", "约见记录");
    assert!(done.contains("专项检察监督") && !has_uuid(&done), "{done}");
}

/// July: seven deputies appointed people's supervisors; a case proposed for non-prosecution reviewed by five
/// drawn after a recusal; four vote against the proposal; the chief agrees with them; the participants told.
/// Then two deputies drawn to observe a procuratorial committee meeting.
pub(super) fn july(y: &mut Year, b: &Browser, all: &[Value]) {
    y.month(b, "2026-07-06T09:00:00+08:00");
    y.sign_in(b, "office");
    open(y, b, "/supervisors", "人民监督员");
    let unique = |name: &str| all.iter().filter(|d| d["name"] == name).count() == 1;
    let mut appointed = 0;
    for d in all.iter().filter(|d| d["special_roles"].as_array().is_some_and(Vec::is_empty)) {
        let name = d["name"].as_str().unwrap();
        if appointed == 7 || !unique(name) {
            continue;
        }
        b.type_into("#deputy", name);
        set_value(b, "#from", "2026-07-06");
        set_value(b, "#to", "2031-07-05");
        b.click("form[action='/supervisors'] button[type=submit]");
        let js = format!(
            "return !!document.querySelector('#error-message') || [...document.querySelectorAll('main li')].some(li => li.textContent.includes({name:?}))"
        );
        assert!(b.wait_until(&js), "{name}");
        if b.script("return !!document.querySelector('#error-message')") == Value::Bool(true) {
            // Not eligible (too young, a role that excludes it): the reason is on the page; the next one.
            b.script("document.querySelector('#deputy').value = ''; return true;");
            continue;
        }
        appointed += 1;
    }
    assert_eq!(appointed, 7);

    open(y, b, "/reviews", "案件评查");
    b.type_into("#case_ref", "榕检刑不诉〔2026〕12号");
    choose_text(b, "#kind", "拟不起诉");
    b.type_into("#summary", "犯罪嫌疑人初犯、偶犯，已赔偿被害人损失，拟作不起诉处理。");
    b.click("form[method=post][action='/reviews'] button[type=submit]");
    let h = b.wait_for_heading("榕检刑不诉");
    assert!(h.contains("12号"), "{h}: {}", b.text("main"));
    let review = b.script("return location.pathname").as_str().unwrap().to_owned();
    let first = b
        .script("return document.querySelector('#recuse-deputy').options[1].text")
        .as_str()
        .unwrap()
        .to_owned();
    choose_text(b, "#recuse-deputy", &first);
    b.type_into("#recuse-reason", "与犯罪嫌疑人系同村邻居");
    then(b, &act("recuse"), "#h-recusals", "回避");
    set_value(b, "#count", "5");
    b.type_into("#secret_seed_reason", "案件评查抽选当日进行，使用保密种子，抽签后公布");
    then(b, &act("prepare"), "main", "只显示这一次");
    let seed = b.text(".act-hash, #seed-once").trim().to_owned();
    b.type_into("#seed", &seed);
    b.click(&act("draw"));
    maybe_reauth(y, b, "!!document.querySelector('#h-drawn')");
    let drawn = wait_for_text(b, "#h-drawn", "（5 人）");
    assert!(drawn.contains("（5 人）"), "{drawn}");
    for i in 0..5 {
        let who = b
            .script("return document.querySelector('#vote-deputy').options[1].text")
            .as_str()
            .unwrap()
            .to_owned();
        choose_text(b, "#vote-deputy", &who);
        b.click(if i == 4 { "#vote-yes" } else { "#vote-no" });
        b.type_into("#vote-opinion", if i == 4 { "同意不起诉。" } else { "情节并不轻微，不同意不起诉。" });
        then(b, &act("vote"), "#tally", &format!("已表决 {} 人", i + 1));
    }
    assert!(b.text("#tally").starts_with("已表决 5 人：同意 1 票，不同意 4 票"), "{}", b.text("#tally"));
    y.sign_in(b, "chief");
    open(y, b, &review, "榕检刑不诉");
    b.click("#chief-no");
    b.type_into("#chief-text", "同意多数人民监督员的意见，不作不起诉处理，依法提起公诉。");
    b.click(&act("chief"));
    maybe_reauth(y, b, "!document.querySelector('#chief-text')");
    y.sign_in(b, "office");
    open(y, b, &review, "榕检刑不诉");
    b.type_into("#notify-text", "本案已依法提起公诉，感谢各位人民监督员的监督。");
    then(b, &act("notify"), "main", "已依法提起公诉");
    let page = b.text("main");
    assert!(!has_uuid(&page), "{page}");

    // Two deputies observe a procuratorial committee meeting.
    open(y, b, "/reviews", "案件评查");
    b.type_into("#case_ref", "检委会〔2026〕第7次会议");
    choose_text(b, "#kind", "列席检察委员会");
    b.type_into("#summary", "审议两起重大案件，邀请人大代表列席。");
    b.click("form[method=post][action='/reviews'] button[type=submit]");
    let h = b.wait_for_heading("检委会");
    assert!(h.contains("第7次"), "{h}: {}", b.text("main"));
    set_value(b, "#count", "2");
    b.type_into("#secret_seed_reason", "会议当日抽选");
    then(b, &act("prepare"), "main", "只显示这一次");
    let seed = b.text(".act-hash, #seed-once").trim().to_owned();
    b.type_into("#seed", &seed);
    b.click(&act("draw"));
    maybe_reauth(y, b, "!!document.querySelector('#h-drawn')");
    assert!(wait_for_text(b, "#h-drawn", "列席的代表（2 人）").contains("列席的代表（2 人）"));
}

/// September: the standing committee's inspection; the deputies' opinions become six rectification items
/// with owners and deadlines. Its page, returned.
pub(super) fn inspection(y: &mut Year, b: &Browser, people: &People) -> String {
    y.sign_in(b, "office");
    open(y, b, "/inspections", "视察评议与整改");
    choose_text(b, "#kind", "视察");
    b.type_into("#title", "市人大常委会视察未成年人检察工作");
    b.type_into("#organiser_ref", "榕人常办〔2026〕45号");
    set_value(b, "#from", "2026-09-28");
    set_value(b, "#to", "2026-09-28");
    b.type_into("#participants", &format!("{}、{}", people.county.0, people.city.0));
    b.click("form[method=post][action='/inspections'] button[type=submit]");
    assert!(b.wait_for_heading("视察未成年人检察工作").contains("视察"));
    let page = b.script("return location.pathname").as_str().unwrap().to_owned();
    then(b, &act("hold"), "main", "登记代表的意见");
    choose_text(b, "#opinion-deputy", &people.county.0);
    b.type_into("#opinion-text", "建议加强与学校、社区的协作，完善强制报告制度。");
    then(b, &act("opinion"), "#h-opinions", "（1 条）");
    for (i, item) in [
        "建立与教育部门的强制报告线索移送机制",
        "每个基层院设立未成年人检察工作室",
        "开展法治副校长进校园活动",
        "完善涉未成年人案件心理疏导机制",
        "建立未成年人司法保护联席会议制度",
        "公开发布未成年人检察白皮书",
    ]
    .iter()
    .enumerate()
    {
        b.type_into("#rect-title", item);
        choose_text(b, "#rect-owner", if i % 2 == 0 { "第一检察部" } else { "第八检察部" });
        set_value(b, "#rect-deadline", "2026-11-30");
        then(b, &act("rectify"), "#h-rects", &format!("（{} 项", i + 1));
    }
    page
}

/// November: the six items done and reported to the standing committee.
pub(super) fn rectified(y: &mut Year, b: &Browser, page: &str) {
    y.sign_in(b, "office");
    open(y, b, page, "视察");
    for left in (0..6).rev() {
        b.type_into("#done-result", "已按期完成，相关制度已印发。");
        then(b, &act("done"), "#h-rects", &format!("未完成 {left} 项"));
    }
    b.type_into("#report-text", "六项整改事项均已按期完成。");
    then(b, &act("report"), "main", "六项整改事项均已按期完成");
}

/// November: the activities line runs short — spending recorded, a supplementary appropriation requested
/// by the office and approved by the chief; the execution shows it.
pub(super) fn supplementary(y: &mut Year, b: &Browser) {
    y.sign_in(b, "office");
    open(y, b, "/budget", "年联络工作经费");
    for (yuan, purpose, voucher) in
        [("28000", "检察开放日", "PZ-2026-031"), ("19000", "代表视察活动", "PZ-2026-077")]
    {
        choose_text(b, "#spend-category", "活动");
        set_value(b, "#spend-amount", yuan);
        b.type_into("#spend-purpose", purpose);
        b.type_into("#spend-reference", voucher);
        then(b, &act("spend"), "main", voucher);
    }
    choose_text(b, "#req-category", "活动");
    set_value(b, "#req-amount", "15000");
    b.type_into("#req-reason", "年末代表活动增加，活动经费不足");
    then(b, &act("request"), "main", "年末代表活动增加");
    y.sign_in(b, "chief");
    open(y, b, "/budget", "年联络工作经费");
    b.click("form:has(select[id^=decide-]) button[type=submit]");
    maybe_reauth(y, b, "!document.querySelector('select[id^=decide-]')");
    let page = wait_for_text(b, "main", "李华 于 2026年11月16日 批准");
    assert!(page.contains("李华 于 2026年11月16日 批准") && page.contains("15,000.00"), "{page}");
    assert_eq!(b.text("#total-spent"), "47,000.00");
}

/// December: three deputies nominated for commendation on the evidence of their year, approved by the chief.
pub(super) fn commendations(y: &mut Year, b: &Browser) {
    y.sign_in(b, "office");
    open(y, b, "/commendation", "代表表彰");
    let top: Vec<String> = b
        .script("return [...document.querySelectorAll('#deputy option')].slice(1, 4).map(o => o.text)")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(top.len(), 3, "{top:?}");
    for (i, who) in top.iter().enumerate() {
        choose_text(b, "#deputy", who);
        b.type_into("#reasons", "全年积极履职：提出建议、参加视察和案件评查，意见建议得到采纳。");
        then(
            b,
            "form:has(#reasons) button[type=submit]",
            "#nominations",
            &format!("表彰推荐（{} 名）", i + 1),
        );
    }
    y.sign_in(b, "chief");
    open(y, b, "/commendation", "代表表彰");
    for left in (0..3).rev() {
        b.click(&act("approve"));
        let done =
            format!("document.querySelectorAll('input[name=action][value=approve]').length === {left}");
        maybe_reauth(y, b, &done);
        assert!(b.wait_until(&format!("return {done}")), "{left} left to approve");
    }
    let page = b.text("main");
    assert!(!page.contains("审批同意（须再次验证身份）") && !has_uuid(&page), "{page}");
}
