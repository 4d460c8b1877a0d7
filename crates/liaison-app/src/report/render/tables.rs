//! The report as tables: one per part, each cell typed (text, count, rate, yuan, day), in one language.
//! The CSV files, the XLSX sheets and the HTML sections are these tables, so the three agree cell by cell.

use std::borrow::Cow;

use super::super::labels::{ANNEX_COLUMNS, Lang, PARTS, R1_COLUMNS, columns};
use super::super::*;

/// A typed cell; its text is borrowed from the report where it can be (the annex of a national year has
/// eleven million cells: copied, they were a fifth of the rendering's time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell<'a> {
    /// Text.
    Text(Cow<'a, str>),
    /// A count.
    Count(u64),
    /// A rate in per mille; `None` when there is nothing to divide by.
    Rate(Option<u32>),
    /// Money in fen, shown in yuan with two decimals.
    Fen(u64),
}

impl Cell<'_> {
    /// As text: rates with one decimal (`66.7%`, `—` for none), yuan with two (`1,234.50`).
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Count(n) => Cow::Owned(n.to_string()),
            Cell::Rate(p) => Cow::Owned(rate(*p)),
            Cell::Fen(f) => Cow::Owned(yuan(*f)),
        }
    }

    /// Whether it is a number (printed right-aligned).
    pub(crate) fn is_number(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// A per-mille rate as a percentage with one decimal.
pub(crate) fn rate(p: Option<u32>) -> String {
    p.map_or_else(|| "—".into(), |p| format!("{}.{}%", p / 10, p % 10))
}

/// Fen as yuan with two decimals and thousands separators.
pub(crate) fn yuan(fen: u64) -> String {
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", fen % 100)
}

/// One table: its part's key, its title, its column headers and rows; `total` marks the last row as the
/// total line.
#[derive(Debug, Clone)]
pub(crate) struct Table<'a> {
    pub(crate) key: &'static str,
    pub(crate) title: String,
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell<'a>>>,
    pub(crate) total: bool,
}

fn t<'a>(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
    Cell::Text(s.into())
}

fn n<'a>(v: impl Into<u64>) -> Cell<'a> {
    Cell::Count(v.into())
}

fn table<'a>(
    key: &'static str,
    lang: Lang,
    headers: &[&str],
    rows: Vec<Vec<Cell<'a>>>,
    total: bool,
) -> Table<'a> {
    let title = PARTS.iter().find(|(k, _, _)| *k == key).map_or("", |(_, zh, en)| lang.pick(zh, en));
    Table {
        key,
        title: title.to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
        total,
    }
}

fn r1(r: &R1Row) -> Vec<Cell<'static>> {
    let c = &r.figures.counts;
    let solved = c.resolved_a + c.resolved_later;
    vec![
        t(c.label.clone()),
        n(c.received),
        n(c.answered),
        n(c.answered_on_time),
        Cell::Rate(r.figures.on_time_permille),
        n(c.overdue),
        n(r.classes.a),
        n(r.classes.b),
        n(r.classes.c),
        n(r.classes.d),
        Cell::Rate(r.figures.first_round_satisfaction_permille),
        Cell::Rate(r.figures.final_satisfaction_permille),
        n(c.lapsed),
        n(c.rehandled),
        n(solved),
        Cell::Rate(r.figures.resolution_permille),
        n(c.open),
    ]
}

fn r1_table(key: &'static str, lang: Lang, rows: &[R1Row], total: Option<&R1Row>) -> Table<'static> {
    let mut out: Vec<Vec<Cell<'static>>> = rows.iter().map(r1).collect();
    if let Some(tot) = total {
        let mut row = r1(tot);
        row[0] = t(lang.pick("合计", "Total"));
        out.push(row);
    }
    table(key, lang, &columns(R1_COLUMNS, lang), out, total.is_some())
}

/// Translate the level and total labels the model carries in Chinese.
fn label(s: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        return s.to_owned();
    }
    for l in liaison_core::registry::DeputyLevel::ALL {
        if s == level_label(*l, Lang::Zh) {
            return level_label(*l, Lang::En);
        }
    }
    match s {
        "合计" => "Total".into(),
        "未交办" => "Not assigned".into(),
        _ => s.to_owned(),
    }
}

/// Every part of the report as a table, in the report's order.
pub(crate) fn tables(r: &AnnualReport, lang: Lang) -> Vec<Table<'_>> {
    let p = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut level_rows = r.suggestions.by_level.clone();
    for row in &mut level_rows {
        row.figures.counts.label = label(&row.figures.counts.label, lang);
    }
    let mut dept_rows = r.suggestions.by_department.clone();
    for row in &mut dept_rows {
        row.figures.counts.label = label(&row.figures.counts.label, lang);
    }
    let summary = r
        .summary
        .iter()
        .map(|f| {
            let value = match f.unit.as_str() {
                "fen" => Cell::Fen(f.value),
                _ => n(f.value),
            };
            let of = match (f.unit.as_str(), f.of) {
                ("fen", Some(o)) => Cell::Fen(o),
                (_, Some(o)) => n(o),
                (_, None) => t(""),
            };
            let rate = if f.of.is_some() { Cell::Rate(f.permille) } else { t("") };
            vec![t(lang.pick(&f.label, &f.label_en)), value, of, rate]
        })
        .collect();
    let reach_row =
        |x: &ReachRow| vec![t(label(&x.label, lang)), n(x.deputies), n(x.reached), Cell::Rate(x.permille)];
    let mut reach: Vec<Vec<Cell>> = r.reach.by_level.iter().map(reach_row).collect();
    reach.extend(r.reach.by_region.iter().map(reach_row));
    reach.push(reach_row(&r.reach.total));
    let fairness: Vec<Vec<Cell>> = r
        .activities
        .by_level
        .iter()
        .map(|f| {
            vec![t(label(&f.label, lang)), n(f.deputies), n(f.drawn), n(f.attended), Cell::Rate(f.permille)]
        })
        .collect();
    let mut budget: Vec<Vec<Cell>> = r
        .budget
        .lines
        .iter()
        .chain(std::iter::once(&r.budget.total))
        .map(|b| {
            vec![
                t(label(&b.label, lang)),
                Cell::Fen(b.planned),
                Cell::Fen(b.supplemented),
                Cell::Fen(b.spent),
                Cell::Fen(b.available),
                Cell::Rate(b.permille),
                Cell::Fen(b.projected_shortfall),
            ]
        })
        .collect();
    for a in &r.budget.appropriations {
        budget.insert(
            budget.len() - 1,
            vec![
                t(format!(
                    "{}{}：{}（{}，{}）",
                    p("追加拨款 ", "Supplement "),
                    a.n,
                    a.category,
                    a.reason,
                    a.decision
                )),
                t(""),
                Cell::Fen(a.fen),
                t(""),
                t(""),
                t(""),
                t(""),
            ],
        );
    }
    vec![
        table(
            "summary",
            lang,
            &[p("指标", "Figure"), p("数值", "Value"), p("基数", "Of"), p("比率", "Rate")],
            summary,
            false,
        ),
        r1_table("by_level", lang, &level_rows, Some(&r.suggestions.total)),
        r1_table("by_department", lang, &dept_rows, Some(&r.suggestions.total)),
        r1_table("by_handler", lang, &r.suggestions.by_handler, Some(&r.suggestions.total)),
        r1_table("by_month", lang, &r.suggestions.by_month, Some(&r.suggestions.total)),
        table(
            "annex",
            lang,
            &columns(ANNEX_COLUMNS, lang),
            r.annex
                .iter()
                .map(|a| {
                    vec![
                        t(&*a.kind),
                        t(a.number.as_str()),
                        t(a.received_on.to_string()),
                        t(a.title.as_str()),
                        t(a.proposers.as_str()),
                        t(&*a.levels),
                        t(a.delegations.as_str()),
                        t(a.department.as_str()),
                        t(&*a.class),
                        t(a.outcome.as_str()),
                        t(a.measures.as_str()),
                    ]
                })
                .collect(),
            false,
        ),
        table(
            "reach",
            lang,
            &[
                p("级别或区域", "Level or region"),
                p("在任代表", "Deputies"),
                p("已联系", "Reached"),
                p("联系比例", "Share"),
            ],
            reach,
            true,
        ),
        table(
            "not_reached",
            lang,
            &[p("姓名", "Name"), p("级别", "Level"), p("区域", "Region"), p("代表团", "Delegation")],
            r.reach
                .not_reached
                .iter()
                .map(|d| {
                    vec![
                        t(d.name.clone()),
                        t(label(&d.level, lang)),
                        t(d.region.clone()),
                        t(d.delegation.clone()),
                    ]
                })
                .collect(),
            false,
        ),
        table(
            "activities",
            lang,
            &[
                p("级别", "Level"),
                p("在任代表", "Deputies"),
                p("被抽中", "Drawn"),
                p("参加", "Attended"),
                p("参加比例", "Share"),
            ],
            fairness,
            false,
        ),
        table(
            "reviews",
            lang,
            &[
                p("案件", "Case"),
                p("类别", "Kind"),
                p("登记日期", "Registered"),
                p("参加代表", "Deputies"),
                p("同意票", "For"),
                p("反对票", "Against"),
                p("评议结果", "Result"),
                p("状态", "Status"),
            ],
            r.reviews
                .iter()
                .map(|v| {
                    vec![
                        t(v.case_ref.clone()),
                        t(v.kind.clone()),
                        t(v.opened_on.to_string()),
                        t(v.participants.clone()),
                        n(v.votes_for),
                        n(v.votes_against),
                        t(v.result.clone()),
                        t(v.status.clone()),
                    ]
                })
                .collect(),
            false,
        ),
        table(
            "inspections",
            lang,
            &[
                p("名称", "Title"),
                p("类别", "Kind"),
                p("开始日期", "From"),
                p("参加代表", "Deputies"),
                p("意见", "Opinions"),
                p("整改事项", "Items"),
                p("已完成", "Done"),
                p("逾期未完成", "Overdue"),
                p("状态", "Status"),
            ],
            r.inspections
                .iter()
                .map(|i| {
                    vec![
                        t(i.title.clone()),
                        t(i.kind.clone()),
                        t(i.from.to_string()),
                        n(i.participants),
                        n(i.opinions),
                        n(i.rectifications),
                        n(i.done),
                        n(i.overdue),
                        t(i.status.clone()),
                    ]
                })
                .collect(),
            false,
        ),
        table(
            "commendations",
            lang,
            &[
                p("代表", "Deputy"),
                p("级别", "Level"),
                p("贡献分", "Points"),
                p("事迹", "Evidence"),
                p("状态", "Status"),
            ],
            r.commendations
                .iter()
                .map(|c| {
                    vec![
                        t(c.deputy.clone()),
                        t(label(&c.level, lang)),
                        n(c.points),
                        n(c.evidence),
                        t(c.status.clone()),
                    ]
                })
                .collect(),
            false,
        ),
        table(
            "notices",
            lang,
            &[
                p("标题", "Title"),
                p("发送日期", "Sent"),
                p("对象", "Recipients"),
                p("已确认", "Acknowledged"),
                p("状态", "Status"),
            ],
            r.notices
                .iter()
                .map(|x| {
                    vec![
                        t(x.title.clone()),
                        t(x.sent_on.map(|d| d.to_string()).unwrap_or_default()),
                        n(x.recipients),
                        n(x.acknowledged),
                        t(x.status.clone()),
                    ]
                })
                .collect(),
            false,
        ),
        table(
            "budget",
            lang,
            &[
                p("经费项目", "Line"),
                p("预算（元）", "Planned (yuan)"),
                p("追加（元）", "Supplemented (yuan)"),
                p("已支出（元）", "Spent (yuan)"),
                p("结余（元）", "Left (yuan)"),
                p("执行率", "Executed"),
                p("预计缺口（元）", "Projected shortfall (yuan)"),
            ],
            budget,
            true,
        ),
        table(
            "audit",
            lang,
            &[p("项目", "Item"), p("值", "Value")],
            vec![
                vec![t(p("最后一条记录序号", "Last record's sequence")), n(r.audit.seq)],
                vec![t(p("链头哈希", "Head hash")), t(r.audit.hash.clone())],
                vec![t(p("写入时间", "Written at")), t(r.audit.at.clone().unwrap_or_default())],
                vec![t(p("报告生成时间", "Report made at")), t(r.made_at.to_rfc3339())],
            ],
            false,
        ),
    ]
}
