//! Suggestions (R1) for people: the list, one suggestion's summary, measures, the figures of a period,
//! publications and a session's deliberation record.

use liaison_app::{
    DeliberationView, FiguresView, MeasureView, PublicationView, SuggestionSummary, SuggestionView,
};

use super::{Format, Tabular, en, headers, object, opt, permille, rows_out, table};

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

pub(super) const FIGURES_HEADERS: &[&str] = &[
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
