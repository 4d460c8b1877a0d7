//! The months of "a year in a liaison office" (MISSION.md), each done in the browser by the people whose
//! work it is: the office, the departments' handlers, the leaders and the audit administrator. See
//! `pages_year.rs` for the clock and the logins.

use serde_json::{Value, json};

use super::browser::Browser;
use super::has_uuid;
use super::pages::wait_for_text;
use super::pages_year::{PHONE, Year, choose_text, maybe_reauth, open, post_and_wait, set_value};
use super::pages_year_more as more;

/// Deputies the year's work names (unique names on the register).
pub(super) struct People {
    /// A township deputy, a county deputy, a city deputy (name, region).
    pub(super) township: (String, String),
    pub(super) county: (String, String),
    pub(super) city: (String, String),
}

/// The suggestions filed in March, by number.
pub(super) struct Filed {
    pub(super) joint: String,
    pub(super) single: String,
}

fn by_level(all: &[Value], level: &str) -> (String, String) {
    let unique = |name: &str| all.iter().filter(|d| d["name"] == name).count() == 1;
    let d = all
        .iter()
        .find(|d| d["level"] == level && unique(d["name"].as_str().unwrap_or_default()))
        .unwrap_or_else(|| panic!("a {level} deputy with a unique name"));
    (d["name"].as_str().unwrap().to_owned(), d["region"].as_str().unwrap().to_owned())
}

/// Post the form whose submit button is `button` and wait for the page to say `want` in `css`.
fn submit(b: &Browser, button: &str, css: &str, want: &str) -> String {
    post_and_wait(b, button);
    let t = wait_for_text(b, css, want);
    assert!(t.contains(want), "after {button}: wanted “{want}” in {css}: {t}");
    t
}

/// January: the plan drafted and adopted by the chief; the register refreshed from the congress's GBK
/// spreadsheet through the import's preview; the organisation set up (regions and the leaders in charge of
/// them, officers with their regions, departments serving regions); the coverage report's gaps filled by
/// the automatic assignment; the chief's work list shows the regions in their charge.
pub(super) fn january(y: &mut Year, b: &Browser, sheet: &str) -> People {
    y.month(b, "2026-01-05T09:30:00+08:00");
    y.sign_in(b, "office");

    open(y, b, "/plan", "联络工作计划");
    set_value(b, "#meetings", "2");
    set_value(b, "#reached_percent", "100");
    set_value(b, "#notices", "2");
    set_value(b, "#activities", "6");
    b.type_into("#notes", "每半年召开一次代表座谈会，年内走访每一位代表，预算十八万元。");
    submit(b, "form.plan-form button[type=submit]", "main", "草案");

    open(y, b, "/register/import", "导入名册");
    b.type_into("#file", sheet);
    b.click("form[enctype] button[type=submit]");
    let report = wait_for_text(b, "main", "检查结果");
    assert!(report.contains("GBK") && report.contains("120"), "{report}");
    submit(b, "form[action='/register/import/confirm'] button[type=submit]", "main", "导入完成");
    let all = y.deputies();
    assert_eq!(all.len(), 120);
    let mut regions: Vec<String> =
        all.iter().filter_map(|d| d["region"].as_str().map(str::to_owned)).collect();
    regions.sort();
    regions.dedup();

    // The organisation: every region with a leader in charge, three officers, the departments' regions.
    open(y, b, "/register/organisation", "联络组织");
    for r in &regions {
        b.type_into("#r-name", r);
        submit(b, "#add-region-form button", "#regions", r);
    }
    for (name, title) in [("李华", "检察长"), ("周明", "副检察长")] {
        b.type_into("#l-name", name);
        b.type_into("#l-title", title);
        submit(b, "#add-leader-form button", "#leaders", name);
    }
    for (i, r) in regions.iter().enumerate() {
        let leader = if i % 2 == 0 { "李华" } else { "周明" };
        choose_text(b, "#s-region", r);
        choose_text(b, "#s-leader", leader);
        submit(b, "#set-leader-form button", "#regions", &format!("{r}：{leader}"));
    }
    let thirds: Vec<&[String]> = regions.chunks(regions.len().div_ceil(3)).collect();
    for (name, mine) in ["联络员赵敏", "联络员孙伟", "联络员吴婷"].iter().zip(&thirds) {
        b.type_into("#o-name", name);
        choose_text(b, "#o-dept", "第一检察部");
        let pick = serde_json::to_string(mine).unwrap();
        b.script(&format!(
            "const want = {pick}; for (const o of document.querySelector('#o-regions').options) o.selected = want.includes(o.value || o.text); return true;"
        ));
        submit(b, "#add-officer-form button", "#officers", name);
    }
    for (i, r) in regions.iter().enumerate() {
        choose_text(b, "#q-dept", if i % 2 == 0 { "第一检察部" } else { "第八检察部" });
        choose_text(b, "#q-region", r);
        submit(b, "#dept-region-form button", "#done-message", "已保存");
    }
    let org = b.text("main");
    assert!(!has_uuid(&org), "{org}");

    open(y, b, "/register/coverage", "联络覆盖情况");
    let before = b.text("main");
    assert!(before.contains("待补缺"), "{before}");
    submit(b, "#auto-form button", "#auto-message", "预览：将为 120 名代表指定联络员");
    submit(b, "#auto-form button", "#auto-message", "已按区域自动分配");
    let after = b.text("main");
    assert!(after.contains("所有在册代表的联络员、包片院领导和对口部门均已落实"), "{after}");
    assert!(after.contains("联络员赵敏：") && !has_uuid(&after), "{after}");

    // The chief adopts the plan, and sees the regions in their charge on the work list.
    y.sign_in(b, "chief");
    let work = b.text("main");
    assert!(work.contains("我包片的区域") && work.contains(&regions[0]), "{work}");
    open(y, b, "/plan", "联络工作计划");
    submit(b, "form input[value=adopt] ~ button[type=submit]", "main", "已通过");
    more::budget_in_lines(y, b);

    People {
        township: by_level(&all, "township"),
        county: by_level(&all, "county"),
        city: by_level(&all, "city"),
    }
}

/// File a suggestion through the intake form: the lead deputy typed, the others picked through the
/// register's search. Its number.
fn file(y: &Year, b: &Browser, title: &str, content: &str, signers: &[&str]) -> String {
    open(y, b, "/suggestions/new", "登记新建议");
    b.type_into("#title", title);
    b.type_into("#content", content);
    b.type_into("#signers", signers[0]);
    for name in &signers[1..] {
        b.script("document.querySelector('#dq').value = ''; return true;");
        b.type_into("#dq", name);
        let found = format!(
            "return [...document.querySelectorAll('#picks li')].some(li => li.textContent.includes({name:?}))"
        );
        assert!(b.wait_until(&found), "{name} found in the register");
        b.script(&format!(
            "[...document.querySelectorAll('#picks li')].find(li => li.textContent.includes({name:?})).querySelector('input').click(); return true;"
        ));
    }
    b.click("button[value=file]");
    let h = b.wait_for_heading(title);
    assert!(h.contains(title), "{h}");
    let number = h.split_whitespace().next().unwrap().to_owned();
    let page = b.text("main");
    for s in signers {
        assert!(page.contains(s), "{s}: {page}");
    }
    number
}

/// Assign a suggestion on its page to a department's handler.
fn assign(y: &Year, b: &Browser, number: &str, department: &str, handler: &str) {
    open(y, b, &format!("/suggestions/{number}"), number);
    choose_text(b, "#a-lead", department);
    choose_text(b, "#a-handler", handler);
    submit(b, "#assign-form button[type=submit]", "#done-message", "已交办");
}

/// The handler's round on a suggestion's page: locked until a contact is logged, then answered.
fn handle(y: &Year, b: &Browser, number: &str, class: &str, text: &str, promised: Option<&str>) {
    open(y, b, &format!("/suggestions/{number}"), number);
    assert!(b.text("#answer-locked").contains("还没有记录与代表的沟通"), "the answer waits for a contact");
    b.type_into("#c-summary", "电话征求代表对办理的意见，代表希望尽快落实。");
    submit(b, "#contact-form button[type=submit]", "#done-message", "沟通已记录");
    choose_text(b, "#class", &format!("{class} 类"));
    b.type_into("#answer-text", text);
    if let Some(d) = promised {
        set_value(b, "#promised_on", d);
    }
    submit(b, "#answer-fields button[type=submit]", "#done-message", "答复已提交");
}

/// March, the congress's session: a joint suggestion (three deputies), a single deputy's, and an opinion
/// about a pending case rerouted to letters and petitions with the deputy told; the two assigned; the
/// handler contacts the deputies before answering (A for the joint one, B with a promised date).
pub(super) fn march(y: &mut Year, b: &Browser, people: &People) -> Filed {
    y.month(b, "2026-03-09T09:00:00+08:00");
    y.sign_in(b, "office");
    let joint = file(
        y,
        b,
        "关于加强未成年人检察保护工作的建议",
        "建议在各乡镇设立未成年人保护联络点，及时发现和办理侵害未成年人的案件。",
        &[&people.county.0, &people.township.0, &people.city.0],
    );
    let single = file(
        y,
        b,
        "关于开通检察服务网上预约的建议",
        "建议开通律师和群众网上预约阅卷、约见检察官的服务。",
        &[&people.township.0],
    );
    let case =
        file(y, b, "关于某起盗窃案办理情况的意见", "反映其亲属涉嫌盗窃一案审查起诉过慢。", &[&people.city.0]);
    open(y, b, &format!("/suggestions/{case}"), &case);
    choose_text(b, "#v-ground", "具体案件");
    b.type_into("#v-text", "您反映的具体案件已转本院控告申诉检察部门依法办理，办理结果将另行告知。");
    submit(b, "#reroute-form button", "#done-message", "已转信访渠道办理");
    let others = b.text("#others");
    assert!(others.contains("转信访（具体案件，信访编号 XF-2026-0001）"), "{others}");

    assign(y, b, &joint, "第一检察部", "陈刚");
    assign(y, b, &single, "第一检察部", "陈刚");

    y.sign_in(b, "dept1");
    let work = b.text("main");
    assert!(work.contains(&joint) && work.contains(&single), "the handler's work list: {work}");
    handle(y, b, &joint, "A", "已在全市各乡镇设立未成年人保护联络点，并建立案件线索移送机制。", None);
    handle(
        y,
        b,
        &single,
        "B",
        "网上预约服务已列入本年度信息化建设计划，预计九月底前上线。",
        Some("2026-09-30"),
    );
    let page = b.text("main");
    assert!(page.contains("承诺2026年9月30日前解决") && !has_uuid(&page), "{page}");
    Filed { joint, single }
}

/// Transcribe a co-signer's signed paper form (征询意见表) on the suggestion's page.
fn rate(y: &Year, b: &Browser, number: &str, deputy: &str, rating: &str, form_ref: &str, comment: &str) {
    open(y, b, &format!("/suggestions/{number}"), number);
    choose_text(b, "#p-deputy", deputy);
    choose_text(b, "#p-rating", rating);
    b.type_into("#p-ref", form_ref);
    if !comment.is_empty() {
        b.type_into("#p-comment", comment);
    }
    submit(b, "#rate-form button", "#done-message", "评价已录入");
}

/// April to June: the co-signers' paper forms come back. The joint answer is rated 满意 by all three; the
/// single deputy rates 不满意 twice — re-handling, then the chief meets the deputy (督办) and it closes.
pub(super) fn april_to_june(y: &mut Year, b: &Browser, filed: &Filed) {
    y.month(b, "2026-04-13T09:00:00+08:00");
    y.sign_in(b, "office");
    open(y, b, &format!("/suggestions/{}", filed.joint), &filed.joint);
    let signers: Vec<String> = b
        .script("return [...document.querySelectorAll('#p-deputy option')].map(o => o.text)")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(signers.len(), 3, "{signers:?}");
    for (i, s) in signers.iter().enumerate() {
        rate(y, b, &filed.joint, s, "满意", &format!("ZX-2026-{:03}", i + 1), "");
    }
    assert!(b.text("#status").contains("办结"), "{}", b.text("#status"));
    let s = filed.single.clone();
    open(y, b, &format!("/suggestions/{s}"), &s);
    let name =
        b.script("return document.querySelector('#p-deputy option').text").as_str().unwrap().to_owned();
    rate(y, b, &s, &name, "不满意", "ZX-2026-004", "上线时间太晚，希望提前。");
    assert!(b.text("#status").contains("再次办理"), "{}", b.text("#status"));

    y.month(b, "2026-05-06T09:00:00+08:00");
    y.sign_in(b, "dept1");
    handle(y, b, &s, "B", "经研究，网上预约服务提前至八月试运行，九月正式上线。", Some("2026-09-30"));
    y.sign_in(b, "office");
    rate(y, b, &s, &name, "不满意", "ZX-2026-005", "仍希望进一步提前。");
    assert!(b.text("#status").contains("督办"), "{}", b.text("#status"));
    y.sign_in(b, "chief");
    let work = b.text("main");
    assert!(work.contains(&s), "the chief's work list names the escalated item: {work}");
    open(y, b, &format!("/suggestions/{s}"), &s);
    choose_text(b, "#g-means", "当面沟通");
    b.type_into("#g-text", "检察长当面听取代表意见，说明上线安排，代表表示理解。");
    submit(b, "#escalation-form button", "#done-message", "领导督办情况已记录");
    assert!(b.text("#others").contains("领导督办 · 当面沟通 · 李华"), "{}", b.text("#others"));
}

/// May: an open day of 20 seats, drawn by lottery stratified by level, its pool and seed commitment fixed a
/// week ahead, drawn on the day with the seed typed back, and verified; the fairness by level.
pub(super) fn may(y: &mut Year, b: &Browser, people: &People) {
    y.month(b, "2026-05-11T09:00:00+08:00");
    y.sign_in(b, "office");
    open(y, b, "/activities", "代表活动");
    b.script(
        "document.querySelector('#kind').value = 'open_day'; document.querySelector('#on').value = '2026-05-20'; \
         document.querySelector('#selection').value = 'lottery'; return true;",
    );
    set_value(b, "#seats", "20");
    b.type_into("#title", "检察开放日：走进未成年人检察");
    b.type_into("#place", "本院一楼大厅");
    b.click("form[action='/activities'] button[type=submit]");
    assert!(b.wait_for_heading("检察开放日").contains("走进未成年人检察"));
    b.type_into("#secret_seed_reason", "本院尚未约定公开随机数来源，使用保密种子，抽签后公布");
    b.click("form input[value=prepare] ~ button[type=submit]");
    wait_for_text(b, "main", "只显示这一次");
    let seed = b.text("#seed-once").trim().to_owned();
    assert_eq!(seed.len(), 64, "{seed}");
    let page = b.script("return location.pathname").as_str().unwrap().to_owned();
    let appointment = more::hotline_call(y, b, people);

    y.month(b, "2026-05-12T09:00:00+08:00");
    more::appointment_acknowledged(y, b, &appointment);

    y.month(b, "2026-05-18T09:00:00+08:00");
    more::appointment_held(y, b, &appointment);
    open(y, b, &page, "检察开放日");
    b.type_into("#seed", &seed);
    b.click("form input[value=draw] ~ button[type=submit]");
    maybe_reauth(y, b, "!!document.querySelector('#verification')");
    let verified = wait_for_text(b, "#verification", "验证通过");
    assert!(verified.contains("验证通过"), "{verified}");
    let drawn = b.text("main");
    assert!(drawn.contains("参加代表（20 名）") && !has_uuid(&drawn), "{drawn}");
    open(y, b, "/activities/fairness", "各级代表参加活动情况");
    assert_eq!(b.script("return document.querySelectorAll('tbody tr').length"), json!(5));
}

/// September: the B answer's promise is kept — the handler records the online service open, and every
/// co-signer is told.
pub(super) fn september(y: &mut Year, b: &Browser, filed: &Filed, people: &People) -> String {
    y.month(b, "2026-09-28T09:00:00+08:00");
    y.sign_in(b, "dept1");
    let s = &filed.single;
    open(y, b, &format!("/suggestions/{s}"), s);
    assert!(b.text("#solved-hint").contains("2026年9月30日"), "{}", b.text("#solved-hint"));
    b.type_into("#s-text", "检察服务网上预约已于9月25日正式上线。");
    submit(b, "#solved-form button", "#done-message", "已记录落实情况");
    assert!(b.text("#others").contains("承诺事项已解决"));
    more::inspection(y, b, people)
}

/// November: a visit reaches a deputy not seen yet; a major-matter notice drafted by the office, approved
/// by the chief and sent, with its delivery table by name.
pub(super) fn november(y: &mut Year, b: &Browser, people: &People, inspection: &str) {
    y.month(b, "2026-11-16T09:00:00+08:00");
    y.sign_in(b, "office");
    open(y, b, "/visits/new", "登记走访");
    b.type_into("#deputy", &people.township.0);
    b.type_into("#notes", "了解代表履职情况，听取对未成年人检察工作的意见。");
    b.click("form[action='/visits'] button[type=submit]");
    assert_eq!(b.wait_for_heading("走访座谈日历"), "走访座谈日历");
    assert!(b.text("main").contains(&format!("走访{}代表", people.township.0)), "{}", b.text("main"));

    open(y, b, "/notices", "通报");
    b.type_into("#title", "关于开展未成年人保护专项监督的通报");
    b.type_into("#content", "本院将于十二月开展未成年人保护专项监督，欢迎代表参与和监督。");
    choose_text(b, "#scope", "全体代表");
    b.click("form[method=post][action='/notices'] button[type=submit]");
    assert!(b.wait_for_heading("关于开展未成年人保护专项监督的通报").contains("专项监督"));
    let notice = b.script("return location.pathname").as_str().unwrap().to_owned();
    y.sign_in(b, "chief");
    assert!(b.text("main").contains("关于开展未成年人保护专项监督的通报"), "waits for the chief's approval");
    open(y, b, &notice, "专项监督");
    b.click("form[action^='/notices/'] button.primary");
    maybe_reauth(y, b, "document.body.innerText.includes('已审批')");
    wait_for_text(b, "main", "已审批");
    y.sign_in(b, "office");
    open(y, b, &notice, "专项监督");
    b.click("form[action^='/notices/'] button.primary");
    let sent = wait_for_text(b, "main", "送达与回执");
    assert!(sent.contains(&people.county.0) && !has_uuid(&sent), "{sent}");
    more::rectified(y, b, inspection);
    more::supplementary(y, b);
}

/// December: the year's figures by level (every level a row) with on-time and satisfaction; the plan's
/// progress; the audit administrator verifies the chain and signs the checkpoint for the supervising
/// committee. The pages at phone width too.
pub(super) fn december(y: &mut Year, b: &Browser) {
    y.month(b, "2026-12-21T09:00:00+08:00");
    y.sign_in(b, "office");
    open(y, b, "/figures", "代表建议统计");
    let rows = b.script("return document.querySelectorAll('table')[0].querySelectorAll('tbody tr').length");
    assert_eq!(rows, json!(5), "every level a row");
    let figures = b.text("main");
    assert!(figures.contains("合计") && !has_uuid(&figures), "{figures}");
    open(y, b, "/plan", "联络工作计划");
    let plan = b.text("main");
    assert!(plan.contains("已通过") && plan.contains("计划 2 次"), "{plan}");
    b.resize(PHONE.0, PHONE.1);
    for (path, heading) in
        [("/", "我的待办"), ("/figures", "代表建议统计"), ("/register/coverage", "联络覆盖情况")]
    {
        b.open(&format!("{}{path}", y.base()));
        assert!(b.wait_for_heading(heading).contains(heading));
        super::pages::sound(b, path, PHONE.0);
        b.shot(&format!("year-{}-390", path.trim_matches('/').replace('/', "-")));
    }
    b.resize(super::pages_year::DESK.0, super::pages_year::DESK.1);
    more::commendations(y, b);

    y.sign_in(b, "auditor");
    assert!(b.wait_for_heading("审计日志").contains("审计日志"));
    b.click("#checkpoint-form button");
    let verified = wait_for_text(b, "#verified", "审计链完整");
    assert!(verified.contains("审计链完整"), "{verified}");
    let text = b.script("return document.querySelector('#checkpoint').value");
    let checkpoint: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    assert_eq!(checkpoint["format"], "liaison-audit-checkpoint/1", "{checkpoint}");
}
