//! Rendering results as a table (for people), JSON (the same shapes as the HTTP API) or CSV.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use liaison_app::views::{CoverageView, DeputyView, GapView, HistoryEntry, TokenView, UserView};
use liaison_app::{
    CalendarEntry, DeliberationView, DueItem, FiguresView, MeasureView, NoticeView, PlanView,
    PublicationView, SuggestionSummary, SuggestionView,
};
use serde::Serialize;

mod import;
mod labels;
mod lang;
mod object;
mod records;
mod show;

pub(crate) use import::import_report;
pub(crate) use labels::{event, moment};
use lang::{en, headers};
pub(crate) use lang::{en as english, set_language};
pub(crate) use object::{object, object_named};
pub(crate) use show::{activity, notice, review, stratum_zh};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A table for people.
    Table,
    /// JSON, the same shapes as the HTTP API.
    Json,
    /// CSV with a header row.
    Csv,
    /// Only the identifier of each record, one a line — a suggestion's or a card's number, otherwise its
    /// id — for scripts: `S=$(liaison suggestion file … --format id)`.
    Id,
}

/// The identifier of a record as JSON: its `number` (2026-0001, LK-2026-0001), else its `id`, else those
/// of the one record it wraps (`{"notice": {"id": …}, "status_zh": …}`).
fn identifier(v: &serde_json::Value) -> Option<String> {
    fn own(v: &serde_json::Value) -> Option<String> {
        ["number", "id"].iter().find_map(|k| match v.get(k)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }
    own(v).or_else(|| {
        let mut inner = v.as_object()?.values().filter(|x| x.is_object()).filter_map(own);
        let first = inner.next();
        if inner.next().is_some() { None } else { first }
    })
}

const NO_ID: &str = "此输出没有编号或 id，不能用 --format id（this output has no number or id）";

/// Print the identifiers of records (`--format id`); an output without one is refused.
fn ids(values: &[serde_json::Value]) -> anyhow::Result<()> {
    let mut out = String::new();
    for v in values {
        let id = identifier(v).ok_or_else(|| anyhow::anyhow!(NO_ID))?;
        out.push_str(&id);
        out.push('\n');
    }
    emit(out.as_bytes())?;
    Ok(())
}

/// Something that can be shown as rows.
pub(crate) trait Tabular {
    fn headers() -> Vec<&'static str>;
    fn row(&self) -> Vec<String>;
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

impl Tabular for DeputyView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "姓名", "层级", "届次", "区域", "代表团", "工作单位", "手机", "状态", "版本"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.level_zh.clone(),
            self.term.to_string(),
            self.region.clone(),
            opt(&self.delegation),
            opt(&self.work_unit),
            opt(&self.contact.mobile),
            labels::value("status", &self.status).unwrap_or_else(|| self.status.clone()),
            self.version.to_string(),
        ]
    }
}

fn roles_text(roles: &[String]) -> String {
    roles
        .iter()
        .map(|r| labels::value("roles", r).unwrap_or_else(|| r.clone()))
        .collect::<Vec<_>>()
        .join("、")
}

impl Tabular for UserView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "登录名", "姓名", "类型", "角色", "待批准角色", "启用"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.login.clone(),
            self.display_name.clone(),
            labels::value("kind", &self.kind).unwrap_or_else(|| self.kind.clone()),
            roles_text(&self.roles),
            self.pending_roles.as_deref().map(roles_text).unwrap_or_default(),
            labels::yes_no(self.active).to_owned(),
        ]
    }
}

impl Tabular for TokenView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "用户", "用途", "创建时间", "到期时间", "最后使用", "撤销时间"]
    }
    fn row(&self) -> Vec<String> {
        let at = |t: &Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| labels::moment(&t.to_rfc3339())).unwrap_or_default()
        };
        vec![
            self.id.clone(),
            self.user.to_string(),
            self.label.clone(),
            labels::moment(&self.created_at.to_rfc3339()),
            at(&self.expires_at),
            at(&self.last_used_at),
            at(&self.revoked_at),
        ]
    }
}

impl Tabular for GapView {
    fn headers() -> Vec<&'static str> {
        vec!["代表", "姓名", "层级", "区域", "缺口"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.deputy.to_string(),
            self.name.clone(),
            labels::value("level", &self.level).unwrap_or_else(|| self.level.clone()),
            self.region.clone(),
            self.gaps_zh.join("；"),
        ]
    }
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    t
}

/// Write to standard output. A reader that went away (`| head -1`) surfaces as an error whose cause is
/// the broken pipe; `main` turns it into a quiet exit 141.
pub(crate) fn emit(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Every CSV the CLI prints goes through here: UTF-8 with its byte-order mark, formula-like cells
/// neutralised (`liaison_app::people_csv`), headers in the chosen language.
fn csv_out<R: IntoIterator<Item = String>>(
    head: &[&'static str],
    rows: impl IntoIterator<Item = R>,
) -> anyhow::Result<()> {
    let head: Vec<String> = headers(head).into_iter().map(str::to_owned).collect();
    emit(&liaison_app::people_csv::to_bytes(head, rows)?)?;
    Ok(())
}

/// Print a list.
pub(crate) fn list<T: Tabular + Serialize>(format: Format, items: &[T]) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(items)?),
        Format::Csv => csv_out(&T::headers(), items.iter().map(Tabular::row))?,
        Format::Id => {
            ids(&items.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>()?)?;
        }
        Format::Table => {
            let mut t = table();
            t.set_header(headers(&T::headers()));
            for i in items {
                t.add_row(i.row());
            }
            println!("{t}");
        }
    }
    Ok(())
}

/// Print the coverage report: the figures, then the gaps.
pub(crate) fn coverage(format: Format, c: &CoverageView) -> anyhow::Result<()> {
    if format != Format::Table {
        return match format {
            Format::Csv => list(format, &c.gaps),
            _ => object(format, c),
        };
    }
    let mut t = table();
    t.set_header(headers(COVERAGE_HEADERS));
    for l in &c.by_level {
        let pct = share(l.covered, l.deputies);
        t.add_row(vec![l.level_zh.clone(), l.deputies.to_string(), l.covered.to_string(), pct]);
    }
    t.add_row(vec![
        if en() { "Total" } else { "合计" }.into(),
        c.deputies.to_string(),
        c.covered.to_string(),
        share(c.covered, c.deputies),
    ]);
    println!("{t}");
    if en() {
        println!(
            "Officers' load: at most {}, at least {} deputies ({} officers)",
            c.max_load,
            c.min_load,
            c.officer_loads.len()
        );
    } else {
        println!(
            "联络员负担：最多 {} 人，最少 {} 人（{} 名联络员）",
            c.max_load,
            c.min_load,
            c.officer_loads.len()
        );
    }
    if !c.reached_this_year.is_empty() {
        let parts: Vec<String> = c
            .reached_this_year
            .iter()
            .map(|l| format!("{} {}/{}", l.level_zh, l.covered, l.deputies))
            .collect();
        println!("本年度已座谈或走访的代表（按层级，已联系/在任）：{}", parts.join("，"));
    }
    if c.participation_this_year.iter().any(|l| l.covered > 0) {
        let parts: Vec<String> = c
            .participation_this_year
            .iter()
            .map(|l| format!("{} {}/{}", l.level_zh, l.covered, l.deputies))
            .collect();
        println!(
            "本年度参加活动的代表（按层级）：{}；参加次数基尼系数 {}.{:03}",
            parts.join("，"),
            c.participation_gini_permille / 1000,
            c.participation_gini_permille % 1000
        );
    }
    if c.gaps.is_empty() {
        println!("每位在任代表均已落实联络员、包片院领导和对口部门。");
    } else {
        println!("以下 {} 位代表尚有缺口：", c.gaps.len());
        list(format, &c.gaps)?;
    }
    Ok(())
}

impl Tabular for SuggestionSummary {
    fn headers() -> Vec<&'static str> {
        vec!["编号", "标题", "状态", "收到", "代表", "主办", "承办人", "下一期限", "版本"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            opt(&self.number),
            self.title.clone(),
            self.status_zh.clone(),
            self.received_on.to_string(),
            self.deputies.join("、"),
            opt(&self.lead),
            opt(&self.handler),
            self.next_due.map(|d| d.to_string()).unwrap_or_default(),
            self.version.to_string(),
        ]
    }
}

impl Tabular for DueItem {
    fn headers() -> Vec<&'static str> {
        vec!["期限", "剩余天数", "事项", "编号", "标题", "责任部门", "承办人"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            // A day in a year without a published schedule is marked provisional (暂定).
            if self.provisional.is_some() {
                format!("{}（暂定）", self.due)
            } else {
                self.due.to_string()
            },
            self.days_left.to_string(),
            self.owed_zh.clone(),
            opt(&self.number),
            self.title.clone(),
            opt(&self.department),
            opt(&self.handler),
        ]
    }
}

impl Tabular for MeasureView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "措施", "责任部门", "期限", "状态", "逾期"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.measure.id.to_string(),
            self.measure.title.to_string(),
            self.measure.owner.name.to_string(),
            self.measure.deadline.to_string(),
            self.status_zh.clone(),
            if self.overdue { "是".into() } else { String::new() },
        ]
    }
}

/// The credential a record names, in words: `token:3f2a9c` → 令牌 3f2a9c, `console:alice` → 控制台 alice.
fn via_label(via: &Option<String>) -> String {
    let Some(via) = via else { return String::new() };
    let (kind, id) = via.split_once(':').unwrap_or((via.as_str(), ""));
    let word = match (kind, en()) {
        ("token", false) => "令牌",
        ("console", false) => "控制台",
        ("activation", false) => "激活码",
        ("link", false) => "一次性链接",
        ("system", false) => "系统",
        ("token" | "console" | "activation" | "link" | "system", true) => kind,
        _ => return via.clone(),
    };
    format!("{word} {id}").trim_end().to_owned()
}

impl Tabular for HistoryEntry {
    fn headers() -> Vec<&'static str> {
        vec!["序号", "时间", "操作人", "凭证", "事件", "涉及代表", "原因"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.seq.to_string(),
            labels::moment(&self.at),
            self.actor.clone(),
            via_label(&self.via),
            labels::event(&self.kind),
            opt(&self.concerns),
            opt(&self.reason),
        ]
    }
}

/// A per-mille figure as a percentage with one decimal (the core rounds it to the nearest).
fn permille(v: Option<u32>) -> String {
    v.map(|p| format!("{}.{}%", p / 10, p % 10)).unwrap_or_else(|| "—".into())
}

/// `n` of `d` as a percentage, rounded to the nearest tenth (2 of 3 is 66.7%).
fn share(n: impl Into<u64>, d: impl Into<u64>) -> String {
    permille(liaison_core::ratio::permille(n.into(), d.into()))
}

const COVERAGE_HEADERS: &[&str] = &["层级", "在任代表", "已落实", "覆盖率"];

const FIGURES_HEADERS: &[&str] = &[
    "分组",
    "收到",
    "已答复",
    "按期答复率",
    "逾期",
    "首轮满意率",
    "最终满意率",
    "逾期未反馈（件）",
    "未反馈代表（人）",
    "办成率",
    "再次办理",
    "转信访",
    "并案",
    "撤回",
    "公开答复",
    "代表评议满意率",
];

/// Suggestion figures: one row per group and the total.
pub(crate) fn figures(format: Format, f: &FiguresView) -> anyhow::Result<()> {
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(f)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = f
        .rows
        .iter()
        .chain(std::iter::once(&f.total))
        .map(|r| {
            let c = &r.counts;
            vec![
                c.label.clone(),
                c.received.to_string(),
                c.answered.to_string(),
                permille(r.on_time_permille),
                c.overdue.to_string(),
                permille(r.first_round_satisfaction_permille),
                permille(r.final_satisfaction_permille),
                c.lapsed.to_string(),
                c.lapsed_deputies.to_string(),
                permille(r.resolution_permille),
                c.rehandled.to_string(),
                c.rerouted.to_string(),
                c.merged.to_string(),
                c.withdrawn.to_string(),
                c.published.to_string(),
                permille(r.body_satisfaction_permille),
            ]
        })
        .collect();
    if format == Format::Table {
        if en() {
            println!("Suggestions received {} to {}: how they were handled", f.from, f.to);
        } else {
            println!("建议办理情况统计（{} 至 {} 收到的建议）", f.from, f.to);
        }
    }
    rows_out(format, FIGURES_HEADERS, rows)
}

/// One suggestion: a summary for people (the whole record with --format json).
pub(crate) fn suggestion(format: Format, v: &SuggestionView) -> anyhow::Result<()> {
    if format != Format::Table {
        return object(format, v);
    }
    let s = &v.suggestion;
    let mut t = table();
    let number = s.number.map(|n| n.to_string()).unwrap_or_default();
    t.add_row(vec!["编号".into(), number]);
    t.add_row(vec!["id / 版本".into(), format!("{} / {}", s.id, s.version)]);
    t.add_row(vec!["标题".into(), s.title.to_string()]);
    t.add_row(vec!["状态".into(), v.status_zh.clone()]);
    t.add_row(vec!["来源 / 收到".into(), format!("{} / {}", s.source.zh(), s.received_on)]);
    let names: Vec<String> = s.proposers.iter().map(|p| format!("{}（{}）", p.name, p.level.zh())).collect();
    t.add_row(vec!["代表".into(), names.join("、")]);
    if let Some(a) = &s.assignment {
        let co: Vec<String> = a.co_handlers.iter().map(|c| c.department.name.to_string()).collect();
        t.add_row(vec!["主办 / 协办".into(), format!("{} / {}", a.lead.name, co.join("、"))]);
        t.add_row(vec!["承办人 / 期限".into(), format!("{} / {}", a.handler.name, a.deadline)]);
    }
    for r in &s.rounds {
        if let Some(a) = &r.answer {
            t.add_row(vec![
                format!("第 {} 轮答复", r.n),
                format!("{} 类，{}：{}", a.class.zh(), a.on, a.text),
            ]);
        }
        for (d, rating) in &r.ratings {
            let name =
                s.proposers.iter().chain(&s.panel).find(|p| p.deputy == *d).map(|p| p.name.to_string());
            t.add_row(vec![
                format!("第 {} 轮评价", r.n),
                format!("{}：{}", name.unwrap_or_else(|| d.to_string()), rating.rating.zh()),
            ]);
        }
    }
    for o in &v.obligations {
        t.add_row(vec![
            "待办".into(),
            format!(
                "{}，期限 {}{}{}",
                o.kind_zh,
                o.due,
                if o.overdue { "（已逾期）" } else { "" },
                o.provisional.as_deref().map(|p| format!("（暂定：{p}）")).unwrap_or_default()
            ),
        ]);
    }
    if let Some(b) = &v.deadline_basis {
        t.add_row(vec!["答复期限的计算".into(), b.clone()]);
    }
    if let Some(c) = &s.closure {
        t.add_row(vec!["办结".into(), format!("{}：{}", c.on, c.basis.zh())]);
    }
    if let Some(r) = &s.reroute {
        t.add_row(vec!["转信访".into(), format!("{} {}：{}", r.on, r.petition_ref, r.notice)]);
        if let Some(o) = &r.outcome {
            t.add_row(vec!["信访办理结果".into(), format!("{}：{}", o.on, o.value)]);
        }
        if let Some(o) = &r.outcome_told {
            t.add_row(vec!["已告知代表".into(), format!("{}：{}", o.on, o.value)]);
        }
    }
    for x in &s.reassignments {
        t.add_row(vec!["改派".into(), format!("{}：原主办 {}，{}", x.on, x.from_lead.name, x.reason)]);
    }
    if let Some(r) = &s.extension_request {
        t.add_row(vec!["延期申请（待审批）".into(), format!("{} 申请延至 {}：{}", r.on, r.until, r.reason)]);
    }
    for e in &s.extensions {
        t.add_row(vec![
            "延期".into(),
            format!("{} {} 批准延至 {}：{}", e.on, e.approved_by.name, e.until, e.reason),
        ]);
    }
    for d in &s.extensions_declined {
        t.add_row(vec!["延期未获批准".into(), format!("{}：{}", d.on, d.value)]);
    }
    println!("{t}");
    Ok(())
}

impl Tabular for PublicationView {
    fn headers() -> Vec<&'static str> {
        vec!["编号", "标题", "公开范围", "公开日期", "评议截止", "我的评议"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            opt(&self.number),
            self.title.clone(),
            self.audience.clone(),
            self.published_on.to_string(),
            self.open_until.to_string(),
            opt(&self.your_rating),
        ]
    }
}

/// A session's deliberation record: its summary, one line per opinion.
pub(crate) fn deliberation(format: Format, v: &DeliberationView) -> anyhow::Result<()> {
    if format != Format::Table {
        return object(format, v);
    }
    let d = &v.deliberation;
    println!(
        "{}（{}，id {}，版本 {}）{}",
        d.session,
        d.opens_on,
        d.id,
        d.version,
        d.closed_on.map(|c| format!("，已于 {c} 结束")).unwrap_or_default()
    );
    for a in &d.attendances {
        let staff: Vec<String> = a.staff.iter().map(ToString::to_string).collect();
        println!("  列席 {} {}：{}", a.on, a.group, staff.join("、"));
    }
    let mut t = table();
    t.set_header(headers(&["序号", "代表团/小组", "代表", "审议意见", "状态", "办理", "反馈"]));
    for l in &v.summary {
        t.add_row(vec![
            l.n.to_string(),
            l.group.clone(),
            l.deputy.clone(),
            l.text.clone(),
            l.status.clone(),
            opt(&l.handled_as),
            opt(&l.told),
        ]);
    }
    println!("{t}");
    Ok(())
}

impl Tabular for NoticeView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "标题", "状态", "方式", "对象", "送达", "确认", "反馈", "日期"]
    }
    fn row(&self) -> Vec<String> {
        let n = &self.notice;
        vec![
            n.id.to_string(),
            n.title.to_string(),
            self.status_zh.clone(),
            n.channel.zh().to_owned(),
            self.recipients.to_string(),
            self.delivered.to_string(),
            self.acknowledged.to_string(),
            self.responded.to_string(),
            n.sent_on.unwrap_or(n.drafted_on).to_string(),
        ]
    }
}

impl Tabular for CalendarEntry {
    fn headers() -> Vec<&'static str> {
        vec!["日期", "类型", "事项", "地点", "状态", "id"]
    }
    fn row(&self) -> Vec<String> {
        let when = match (self.time, self.until) {
            (Some((from, to)), _) => format!("{} {}–{}", self.on, from.format("%H:%M"), to.format("%H:%M")),
            (None, Some(until)) => format!("{} 至 {until}", self.on),
            (None, None) => self.on.to_string(),
        };
        vec![
            when,
            match self.kind.as_str() {
                "meeting" => "座谈会",
                "appointment" => "约见",
                "activity" => "活动",
                "inspection" => "视察评议",
                "review" => "案件评议",
                _ => "走访",
            }
            .into(),
            self.title.clone(),
            self.place.clone(),
            if self.cancelled { format!("{}（已取消）", self.status) } else { self.status.clone() },
            self.id.clone(),
        ]
    }
}

/// A plan and its progress.
pub(crate) fn plan(format: Format, v: &PlanView) -> anyhow::Result<()> {
    if format != Format::Table {
        return object(format, v);
    }
    let adopted = v
        .plan
        .adopted
        .as_ref()
        .map(|(by, on)| format!("，{} 于 {on} 通过", by.name))
        .unwrap_or_else(|| "，待通过".into());
    println!("{} 年度联络工作计划{adopted}", v.plan.period);
    let mut t = table();
    t.set_header(headers(&["指标", "计划", "完成", "是否完成"]));
    for p in &v.progress {
        let name = match p.target.as_str() {
            "meetings" => "座谈会（次）",
            "reached_percent" => "走访或联系代表（%）",
            "notices" => "重大事项通报（次）",
            _ => "代表参加活动（次）",
        };
        t.add_row(vec![
            name.to_owned(),
            p.planned.to_string(),
            p.achieved.to_string(),
            if p.met { "是".into() } else { "否".into() },
        ]);
    }
    println!("{t}");
    Ok(())
}

const REACH_LEVEL_HEADERS: &[&str] = &["层级", "代表", "已联系", "未联系"];
const REACH_REGION_HEADERS: &[&str] = &["区域", "代表", "已联系", "未联系"];
const NOT_REACHED_HEADERS: &[&str] = &["姓名", "层级", "区域"];

/// Who was reached in a period, by level and region, and who was not (CSV: those not reached).
pub(crate) fn reach(format: Format, r: &liaison_core::meeting::ReachReport) -> anyhow::Result<()> {
    // The people not reached, by name, level and region (never their ids: this is read by people).
    let missed =
        || r.not_reached.iter().map(|d| vec![d.name.clone(), d.level.zh().to_owned(), d.region.clone()]);
    match format {
        Format::Json | Format::Id => return object(format, r),
        Format::Csv => return csv_out(NOT_REACHED_HEADERS, missed()),
        Format::Table => {}
    }
    if en() {
        println!("{} to {}: {} deputies reached (meeting or visit)", r.from, r.to, r.reached);
    } else {
        println!("{} 至 {}：已联系（座谈或走访）代表 {} 人", r.from, r.to, r.reached);
    }
    let mut t = table();
    t.set_header(headers(REACH_LEVEL_HEADERS));
    for (l, n, k) in &r.by_level {
        t.add_row(vec![l.zh().to_owned(), n.to_string(), k.to_string(), (n - k).to_string()]);
    }
    println!("{t}");
    let mut t = table();
    t.set_header(headers(REACH_REGION_HEADERS));
    for (region, n, k) in &r.by_region {
        t.add_row(vec![region.clone(), n.to_string(), k.to_string(), (n - k).to_string()]);
    }
    println!("{t}");
    if r.not_reached.is_empty() {
        println!("{}", if en() { "Every deputy was reached." } else { "每位代表均已联系。" });
        return Ok(());
    }
    if en() {
        println!("Not reached ({}):", r.not_reached.len());
    } else {
        println!("未联系的代表（{} 人）：", r.not_reached.len());
    }
    let mut t = table();
    t.set_header(headers(NOT_REACHED_HEADERS));
    for row in missed() {
        t.add_row(row);
    }
    println!("{t}");
    Ok(())
}

/// Contributions: one row per deputy (JSON with the evidence).
pub(crate) fn contributions(
    format: Format,
    list: &[liaison_core::commendation::Contribution],
) -> anyhow::Result<()> {
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(list)?);
        return Ok(());
    }

    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let by: Vec<String> = c.by_kind.iter().map(|(k, v)| format!("{}{}", k.zh(), v)).collect();
            vec![
                c.deputy.name.to_string(),
                c.deputy.level.zh().to_owned(),
                c.total.to_string(),
                by.join("、"),
            ]
        })
        .collect();
    rows_out(format, &["代表", "层级", "总分", "依据"], rows)
}

/// Nominations: one row each (CSV is the export for the standing committee).
pub(crate) fn nominations(
    format: Format,
    list: &[liaison_core::commendation::Nomination],
) -> anyhow::Result<()> {
    if format == Format::Id {
        return ids(&list.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>()?);
    }
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(list)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|n| {
            let evidence: Vec<String> = n
                .contribution
                .evidence
                .iter()
                .map(|e| format!("{} {}（{}分）", e.on, labels::reference(&e.reference), e.points))
                .collect();
            vec![
                n.id.to_string(),
                n.contribution.deputy.name.to_string(),
                n.contribution.deputy.level.zh().to_owned(),
                format!("{} 至 {}", n.period.0, n.period.1),
                n.contribution.total.to_string(),
                n.reasons.to_string(),
                evidence.join("；"),
                n.status.zh().to_owned(),
                n.submitted.as_ref().map(|(r, _)| r.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    rows_out(format, &["id", "代表", "层级", "期间", "得分", "推荐理由", "依据", "状态", "报送文号"], rows)
}

fn rows_out(format: Format, head: &[&'static str], rows: Vec<Vec<String>>) -> anyhow::Result<()> {
    if format == Format::Id {
        // A report of figures: no record to name.
        anyhow::bail!(NO_ID);
    }
    if format == Format::Csv {
        csv_out(head, rows)?;
    } else {
        let mut t = table();
        t.set_header(headers(head));
        for r in rows {
            t.add_row(r);
        }
        println!("{t}");
    }
    Ok(())
}

const BUDGET_HEADERS: &[&str] = &[
    "科目",
    "预算（元）",
    "追加（元）",
    "已支出（元）",
    "已冲销（元）",
    "余额（元）",
    "执行率",
    "预计缺口（元）",
];

/// A budget's execution report.
pub(crate) fn budget(format: Format, v: &liaison_app::BudgetView) -> anyhow::Result<()> {
    use liaison_core::budget::yuan;
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(v)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = v
        .execution
        .iter()
        .map(|e| {
            vec![
                e.category.zh().to_owned(),
                yuan(e.planned),
                yuan(e.supplemented),
                yuan(e.spent),
                yuan(e.reversed),
                yuan(e.available),
                permille(Some(e.execution_permille)),
                yuan(e.projected_shortfall),
            ]
        })
        .collect();
    if format == Format::Table {
        let status = match &v.budget.adopted {
            Some((by, on)) => format!("{} 于 {on} 批准", by.name),
            None => "草案".into(),
        };
        if en() {
            println!("Liaison budget {} ({status})", v.budget.year);
        } else {
            println!("{} 年度联络工作经费（{status}）", v.budget.year);
        }
        for a in v.budget.appropriations.iter().filter(|a| a.decision.is_none()) {
            println!("  待审批追加：第 {} 号，{} {} 元（{}）", a.n, a.category.zh(), yuan(a.fen), a.reason);
        }
        rows_out(format, BUDGET_HEADERS, rows)?;
        // The expenses by number, so that `reverse N` can be given from the table (a user walk).
        let mut expenses: Vec<(&liaison_core::budget::Category, &liaison_core::budget::Expense)> =
            v.budget.lines.iter().flat_map(|(c, l)| l.expenses.iter().map(move |e| (c, e))).collect();
        expenses.sort_by_key(|(_, e)| e.n);
        if !expenses.is_empty() {
            let reversed: Vec<u32> = expenses.iter().filter_map(|(_, e)| e.reverses).collect();
            let mut t = table();
            t.set_header(headers(&["编号", "科目", "日期", "金额（元）", "用途", "凭证号", "冲销"]));
            for (c, e) in expenses {
                let note = match e.reverses {
                    Some(n) => format!("冲销第 {n} 号"),
                    None if reversed.contains(&e.n) => "已冲销".to_owned(),
                    None => String::new(),
                };
                t.add_row(vec![
                    e.n.to_string(),
                    c.zh().to_owned(),
                    e.on.to_string(),
                    yuan(e.fen),
                    e.purpose.to_string(),
                    e.reference.to_string(),
                    note,
                ]);
            }
            println!("{t}");
        }
        return Ok(());
    }
    rows_out(format, BUDGET_HEADERS, rows)
}
