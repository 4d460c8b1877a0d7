//! The report as an XLSX workbook (`rust_xlsxwriter`): a sheet per part, the header row frozen and bold,
//! columns as wide as their Chinese text, rates as percentages with one decimal and money as yuan with two
//! (real numbers, so Excel and WPS can sum them), the total row bold, and native charts — received,
//! on time and overdue by level as bars, received and answered month by month as a line — drawn from the
//! cells beside them.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::super::AnnualReport;
use super::super::labels::Lang;
use super::tables::{Cell, Table, tables};

/// Display width of text: a CJK character (or any wide one) counts two.
fn width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 }).sum()
}

struct Formats {
    header: Format,
    text: Format,
    count: Format,
    rate: Format,
    yuan: Format,
}

impl Formats {
    fn new(bold: bool) -> Self {
        let base = || {
            let f = Format::new().set_border(FormatBorder::Thin);
            if bold { f.set_bold() } else { f }
        };
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0xDDE6F0)
                .set_border(FormatBorder::Thin),
            text: base().set_text_wrap(),
            count: base().set_num_format("0"),
            rate: base().set_num_format("0.0%"),
            yuan: base().set_num_format("#,##0.00"),
        }
    }
}

/// The widest a column is made, in characters (CJK counted double); longer text wraps.
const MAX_WIDTH: f64 = 48.0;

/// The rows a worksheet holds below its header (Excel's and WPS's limit is 1,048,576 rows in all).
const SHEET_ROWS: usize = 1_048_575;

/// One sheet of a table: its rows from `first` (a table longer than a sheet continues on the next).
fn sheet(
    ws: &mut Worksheet,
    t: &Table,
    name: &str,
    first: usize,
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let (plain, bold) = (Formats::new(false), Formats::new(true));
    ws.set_name(name)?;
    // The widths first: a sheet is written row by row in constant memory (the annex of a national year
    // has a million rows: kept whole, its cells took gigabytes), so nothing goes back to an earlier row.
    let mut widths: Vec<f64> = t.headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            // A column already as wide as the widest allowed needs no more measuring.
            if *w < MAX_WIDTH {
                *w = w.max(width(&cell.text()));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Long texts (titles, outcomes) wrap at 50 characters' width.
        ws.set_column_width(c as u16, (w + 2.0).clamp(8.0, MAX_WIDTH + 2.0))?;
    }
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &plain.header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let f = if t.total && first + i + 1 == t.rows.len() { &bold } else { &plain };
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, col, s.as_ref(), &f.text)?,
                Cell::Count(n) => ws.write_number_with_format(r, col, *n as f64, &f.count)?,
                Cell::Rate(Some(p)) => {
                    ws.write_number_with_format(r, col, f64::from(*p) / 1000.0, &f.rate)?
                }
                Cell::Rate(None) => ws.write_string_with_format(r, col, "—", &f.text)?,
                Cell::Fen(fen) => ws.write_number_with_format(r, col, *fen as f64 / 100.0, &f.yuan)?,
            };
        }
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// A chart of `series` columns over the rows `1..=rows` of a sheet (column 0 the categories).
fn chart(kind: ChartType, sheet_name: &str, title: &str, rows: u32, series: &[(u16, &str)]) -> Chart {
    let mut chart = Chart::new(kind);
    chart.title().set_name(title);
    for (col, name) in series {
        chart
            .add_series()
            .set_name(*name)
            .set_categories((sheet_name, 1, 0, rows, 0))
            .set_values((sheet_name, 1, *col, rows, *col));
    }
    chart.set_width(640).set_height(360);
    chart
}

/// The workbook.
pub(super) fn workbook(r: &AnnualReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    workbook_in(r, lang, SHEET_ROWS)
}

/// The workbook with at most `per_sheet` rows under each sheet's header: a longer table (the annex of a
/// national year) goes on over sheets named `… (2)`, `… (3)`, each with the header row.
pub(crate) fn workbook_in(r: &AnnualReport, lang: Lang, per_sheet: usize) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let p = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    for t in tables(r, lang) {
        let chunks: Vec<&[Vec<Cell>]> =
            if t.rows.is_empty() { vec![&t.rows[..]] } else { t.rows.chunks(per_sheet.max(1)).collect() };
        let ws = wb.add_worksheet_with_constant_memory();
        sheet(ws, &t, &t.title, 0, chunks[0])?;
        // The R1 columns: 1 received, 2 answered, 3 on time, 5 overdue.
        let data_rows = t.rows.len() as u32 - u32::from(t.total);
        let below = t.rows.len() as u32 + 2;
        if t.key == "by_level" {
            let c = chart(
                ChartType::Column,
                &t.title,
                p("代表建议按级别统计（件）", "Suggestions by level"),
                data_rows,
                &[(1, p("收到", "Received")), (3, p("按期答复", "On time")), (5, p("逾期", "Overdue"))],
            );
            ws.insert_chart(below, 0, &c)?;
        }
        if t.key == "by_month" {
            let c = chart(
                ChartType::Line,
                &t.title,
                p("代表建议逐月收到与答复（件）", "Suggestions received and answered by month"),
                data_rows,
                &[(1, p("收到", "Received")), (2, p("答复", "Answered"))],
            );
            ws.insert_chart(below, 0, &c)?;
        }
        for (k, rows) in chunks.iter().enumerate().skip(1) {
            // A sheet's name is at most 31 characters: the title shortened to leave room for the number.
            let suffix = format!(" ({})", k + 1);
            let title: String = t.title.chars().take(31 - suffix.chars().count()).collect();
            let ws = wb.add_worksheet_with_constant_memory();
            sheet(ws, &t, &format!("{title}{suffix}"), k * per_sheet.max(1), rows)?;
        }
    }
    wb.save_to_buffer()
}
