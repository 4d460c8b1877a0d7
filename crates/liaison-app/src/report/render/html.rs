//! The report as a printable HTML page: A4 print stylesheet (each part on a new page, table headers
//! repeated, rows never split), a table of contents, and SVG charts drawn on the server (`report::charts`)
//! with their numbers in the table beside them. A standalone file carries its stylesheet inline; the staff
//! page links it (`/static/report.css`), so that page's CSP needs no `unsafe-inline`.

use askama::Template;

use super::super::AnnualReport;
use super::super::charts::{Series, bars, lines};
use super::super::labels::Lang;
use super::tables::{Cell, Table, tables};

/// The report's stylesheet (screen and A4 print), the charts' rules at its end.
pub static STYLE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("{}{}", include_str!("../../../templates/report.css"), super::super::charts::STYLE)
});

/// Where the stylesheet comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stylesheet<'a> {
    /// Inline in the document (a file, or the API's `text/html`).
    Inline,
    /// A link to this URL (the staff page, under its strict CSP).
    Link(&'a str),
}

/// A part of the page: its table's rows are printed straight from the table (the annex of a national year
/// has a million rows; nothing is copied for the page).
struct Section<'t, 'a> {
    table: &'t Table<'a>,
    chart: Option<String>,
    empty: &'static str,
}

impl Section<'_, '_> {
    /// Whether row `i` (from 0) is the total line.
    fn is_total(&self, i: &usize) -> bool {
        self.table.total && i + 1 == self.table.rows.len()
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a, 't, 'r> {
    html_lang: &'static str,
    title: String,
    subtitle: String,
    made: String,
    contents: &'static str,
    inline_style: Option<&'static str>,
    stylesheet: Option<&'a str>,
    sections: Vec<Section<'t, 'r>>,
}

fn section<'t, 'a>(t: &'t Table<'a>, chart: Option<String>, lang: Lang) -> Section<'t, 'a> {
    Section { table: t, chart, empty: lang.pick("本期无记录。", "Nothing in this period.") }
}

/// The numbers of column `col` over the rows that are not the total.
fn column(t: &Table, col: usize) -> Vec<u32> {
    let data = t.rows.len() - usize::from(t.total);
    t.rows[..data]
        .iter()
        .map(|r| match r.get(col) {
            Some(Cell::Count(n)) => u32::try_from(*n).unwrap_or(u32::MAX),
            Some(Cell::Fen(f)) => u32::try_from(f / 100).unwrap_or(u32::MAX),
            _ => 0,
        })
        .collect()
}

fn labels(t: &Table) -> Vec<String> {
    let data = t.rows.len() - usize::from(t.total);
    t.rows[..data].iter().map(|r| r.first().map(|c| c.text().into_owned()).unwrap_or_default()).collect()
}

/// The chart words in English (the shared charts write Chinese punctuation and the month axis's 月).
fn english(svg: String, lang: Lang) -> String {
    match lang {
        Lang::Zh => svg,
        Lang::En => {
            svg.replace("：", ": ").replace("，", ", ").replace("；", "; ").replace(">月<", ">month<")
        }
    }
}

fn chart_of(t: &Table, r: &AnnualReport, lang: Lang) -> Option<String> {
    let p = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let (unit, id) = (p("件", "items"), t.key);
    let svg = match t.key {
        "by_level" => bars(
            id,
            &format!("{}：{}", super::super::window(r.from, r.to, lang), t.title),
            unit,
            &labels(t),
            &[
                Series { name: p("收到", "Received"), values: column(t, 1) },
                Series { name: p("按期答复", "On time"), values: column(t, 3) },
                Series { name: p("逾期", "Overdue"), values: column(t, 5) },
            ],
        ),
        "by_month" => lines(
            id,
            &t.title,
            unit,
            &labels(t),
            &[
                Series { name: p("收到", "Received"), values: column(t, 1) },
                Series { name: p("答复", "Answered"), values: column(t, 2) },
            ],
        ),
        "reach" => bars(
            id,
            &t.title,
            p("人", "deputies"),
            &labels(t),
            &[
                Series { name: p("在任代表", "Deputies"), values: column(t, 1) },
                Series { name: p("已联系", "Reached"), values: column(t, 2) },
            ],
        ),
        "activities" => bars(
            id,
            &t.title,
            p("人", "deputies"),
            &labels(t),
            &[
                Series { name: p("在任代表", "Deputies"), values: column(t, 1) },
                Series { name: p("参加", "Attended"), values: column(t, 3) },
            ],
        ),
        "budget" if !r.budget.lines.is_empty() => bars(
            id,
            &t.title,
            p("元", "yuan"),
            &labels(t),
            &[
                Series { name: p("预算", "Planned"), values: column(t, 1) },
                Series { name: p("已支出", "Spent"), values: column(t, 3) },
            ],
        ),
        _ => return None,
    };
    Some(english(svg, lang))
}

/// The page.
pub(super) fn page_with(
    r: &AnnualReport,
    lang: Lang,
    style: Stylesheet<'_>,
) -> Result<Vec<u8>, askama::Error> {
    let window = super::super::window(r.from, r.to, lang);
    let title = match lang {
        Lang::Zh => format!("{}{window}代表联络工作报告", r.procuratorate),
        Lang::En => format!("{} — deputy liaison report, {window}", r.procuratorate),
    };
    let scope = r.scope.label(lang);
    let subtitle = match lang {
        Lang::Zh => format!("统计期间：{} 至 {}；范围：{scope}", r.from, r.to),
        Lang::En => format!("Period: {} to {}; scope: {scope}", r.from, r.to),
    };
    // China time (UTC+8, no daylight saving).
    let made_at = (r.made_at + chrono::Duration::hours(8)).naive_utc();
    let made = match lang {
        Lang::Zh => format!(
            "生成于 {}；审计链第 {} 条记录，链头 {}",
            made_at.format("%Y-%m-%d %H:%M"),
            r.audit.seq,
            short_hash(&r.audit.hash)
        ),
        Lang::En => format!(
            "Made {}; audit chain at record {}, head {}",
            made_at.format("%Y-%m-%d %H:%M"),
            r.audit.seq,
            short_hash(&r.audit.hash)
        ),
    };
    let tables = tables(r, lang);
    let sections = tables.iter().map(|t| section(t, chart_of(t, r, lang), lang)).collect();
    let page = Page {
        html_lang: lang.pick("zh-CN", "en"),
        title,
        subtitle,
        made,
        contents: lang.pick("目录", "Contents"),
        inline_style: matches!(style, Stylesheet::Inline).then_some(STYLE.as_str()),
        stylesheet: match style {
            Stylesheet::Link(u) => Some(u),
            Stylesheet::Inline => None,
        },
        sections,
    };
    Ok(page.render()?.into_bytes())
}

fn short_hash(h: &str) -> String {
    h.chars().take(16).collect()
}

/// The standalone page (stylesheet inline).
pub(super) fn page(r: &AnnualReport, lang: Lang) -> Result<Vec<u8>, askama::Error> {
    page_with(r, lang, Stylesheet::Inline)
}
