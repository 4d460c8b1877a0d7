//! The report's renderings: JSON, a zip of CSV tables, an XLSX workbook with native charts, a printable
//! HTML page. Each takes the one `AnnualReport`; the tables they print are `tables::tables`, so they agree
//! cell by cell.

use super::AnnualReport;
use super::labels::Lang;
use crate::AppError;

mod html;
pub(crate) mod json;
mod tables;
pub(crate) mod xlsx;

pub use html::{STYLE, Stylesheet};
pub(crate) use tables::Cell;

/// A rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The model as JSON (the HTTP API's shape).
    Json,
    /// A zip of CSV tables (UTF-8 with BOM, formula-like cells neutralised).
    Csv,
    /// An XLSX workbook: a sheet per part, native charts.
    Xlsx,
    /// A printable HTML page (A4), SVG charts with their numbers.
    Html,
}

impl Format {
    /// `json`, `csv`, `xlsx` or `html`.
    pub fn parse(s: &str) -> Result<Self, liaison_core::ValueError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "csv" | "zip" => Ok(Self::Csv),
            "xlsx" | "excel" => Ok(Self::Xlsx),
            "html" => Ok(Self::Html),
            _ => Err(liaison_core::ValueError::OneOf("json/csv/xlsx/html")),
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "application/zip",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Html => "text/html; charset=utf-8",
        }
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "zip",
            Self::Xlsx => "xlsx",
            Self::Html => "html",
        }
    }
}

/// A rendering in memory fails only on a bug: logged with its cause, reported as internal.
fn failed(what: &'static str) -> impl Fn(String) -> AppError {
    move |e| {
        tracing::error!(what, error = %e, "the annual report could not be rendered");
        AppError::Contract("a report renders in memory")
    }
}

/// The report in `format` and `lang`.
pub fn render(r: &AnnualReport, format: Format, lang: Lang) -> Result<Vec<u8>, AppError> {
    match format {
        Format::Json => json::json(r).map_err(|e| failed("JSON")(e.to_string())),
        Format::Csv => csv_zip(r, lang).map_err(|e| failed("CSV")(e.to_string())),
        Format::Xlsx => xlsx::workbook(r, lang).map_err(|e| failed("XLSX")(e.to_string())),
        Format::Html => html::page(r, lang).map_err(|e| failed("HTML")(e.to_string())),
    }
}

/// The HTML page with its stylesheet inline or linked.
pub fn html(r: &AnnualReport, lang: Lang, style: Stylesheet<'_>) -> Result<Vec<u8>, AppError> {
    html::page_with(r, lang, style).map_err(|e| failed("HTML")(e.to_string()))
}

/// The file name a rendering is offered under: `annual-report-2026.xlsx`.
pub fn file_name(r: &AnnualReport, format: Format) -> String {
    let period = super::window(r.from, r.to, Lang::En).replace(" to ", "_");
    format!("annual-report-{period}.{}", format.extension())
}

/// A zip with one CSV per table (`01-summary.csv` …), each through `people_csv`: UTF-8 with its BOM,
/// formula-like cells neutralised.
fn csv_zip(r: &AnnualReport, lang: Lang) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (i, t) in tables::tables(r, lang).iter().enumerate() {
        zip.start_file(format!("{:02}-{}.csv", i + 1, t.key), options)?;
        // Straight into the zip entry, a row at a time, each cell borrowed.
        let mut csv = crate::people_csv::PeopleCsv::new(&mut zip)?;
        csv.row(&t.headers)?;
        for row in &t.rows {
            csv.row(row.iter().map(Cell::text))?;
        }
        csv.finish()?;
    }
    Ok(zip.finish()?.into_inner())
}
