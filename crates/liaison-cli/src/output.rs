//! Rendering results as a table (for people), JSON (the same shapes as the HTTP API) or CSV.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

mod import;
mod labels;
mod lang;
mod object;
mod people;
mod records;
mod reports;
mod show;
mod suggestion;

pub(crate) use import::import_report;
pub(crate) use labels::{event, moment};
use lang::{en, headers};
pub(crate) use lang::{en as english, set_language};
pub(crate) use object::{object, object_named};
pub(crate) use people::coverage;
pub(crate) use reports::{budget, contributions, nominations, plan, reach};
pub(crate) use show::{activity, notice, review, stratum_zh};
pub(crate) use suggestion::{deliberation, figures, suggestion};

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

/// `--format` as typed: the formats of every command, and the annual report's own (`xlsx`, `html`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    /// A table for people.
    Table,
    /// JSON, the same shapes as the HTTP API.
    Json,
    /// CSV with a header row (the annual report: a zip of CSV tables).
    Csv,
    /// Only the identifier of each record, one a line.
    Id,
    /// An Excel workbook (`report annual` only).
    Xlsx,
    /// A printable HTML page (`report annual` only).
    Html,
}

impl FormatArg {
    /// The format of every command but the report, if this is one.
    pub(crate) fn output(self) -> Option<Format> {
        match self {
            Self::Table => Some(Format::Table),
            Self::Json => Some(Format::Json),
            Self::Csv => Some(Format::Csv),
            Self::Id => Some(Format::Id),
            Self::Xlsx | Self::Html => None,
        }
    }
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

pub(crate) const NO_ID: &str = "此输出没有编号或 id，不能用 --format id（this output has no number or id）";

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

/// A per-mille figure as a percentage with one decimal (the core rounds it to the nearest).
pub(crate) fn permille(v: Option<u32>) -> String {
    v.map(|p| format!("{}.{}%", p / 10, p % 10)).unwrap_or_else(|| "—".into())
}

/// `n` of `d` as a percentage, rounded to the nearest tenth (2 of 3 is 66.7%).
fn share(n: impl Into<u64>, d: impl Into<u64>) -> String {
    permille(liaison_core::ratio::permille(n.into(), d.into()))
}

pub(crate) fn rows_out(format: Format, head: &[&'static str], rows: Vec<Vec<String>>) -> anyhow::Result<()> {
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

impl Tabular for liaison_app::login::LockedAccount {
    fn headers() -> Vec<&'static str> {
        vec!["登录名", "姓名", "锁定至", "连续失败"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.login.clone(),
            self.name.clone(),
            self.locked_until
                .map(|t| liaison_core::dates::china_time(t).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "未锁定".into()),
            self.failures.to_string(),
        ]
    }
}
