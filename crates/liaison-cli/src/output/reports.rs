//! Reports over the other rules and the channels: what is due, notices, the liaison calendar, a plan's
//! progress, who was reached, contributions and nominations, and a budget's execution.

use liaison_app::{CalendarEntry, DueItem, NoticeView, PlanView};

use super::{Format, Tabular, csv_out, en, headers, ids, labels, object, opt, permille, rows_out, table};

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

pub(super) const REACH_LEVEL_HEADERS: &[&str] = &["层级", "代表", "已联系", "未联系"];
pub(super) const REACH_REGION_HEADERS: &[&str] = &["区域", "代表", "已联系", "未联系"];
pub(super) const NOT_REACHED_HEADERS: &[&str] = &["姓名", "层级", "区域"];

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

pub(super) const BUDGET_HEADERS: &[&str] = &[
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
