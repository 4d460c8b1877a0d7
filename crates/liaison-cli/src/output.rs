//! Rendering results as a table (for people), JSON (the same shapes as the HTTP API) or CSV.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use liaison_app::views::{CoverageView, DeputyView, GapView, TokenView, UserView};
use serde::Serialize;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A table for people.
    Table,
    /// JSON, the same shapes as the HTTP API.
    Json,
    /// CSV with a header row.
    Csv,
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
            self.status.clone(),
            self.version.to_string(),
        ]
    }
}

impl Tabular for UserView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "登录名", "姓名", "角色", "启用"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.login.clone(),
            self.display_name.clone(),
            self.roles.join(","),
            self.active.to_string(),
        ]
    }
}

impl Tabular for TokenView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "用户", "用途", "创建时间", "撤销时间"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.user.to_string(),
            self.label.clone(),
            self.created_at.to_rfc3339(),
            self.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
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
            self.level.clone(),
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

/// Print a list.
pub(crate) fn list<T: Tabular + Serialize>(format: Format, items: &[T]) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(items)?),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record(T::headers())?;
            for i in items {
                w.write_record(i.row())?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = table();
            t.set_header(T::headers());
            for i in items {
                t.add_row(i.row());
            }
            println!("{t}");
        }
    }
    Ok(())
}

/// Print one object: JSON, or its fields as a two-column table (CSV: field,value).
pub(crate) fn object<T: Serialize>(format: Format, value: &T) -> anyhow::Result<()> {
    let json = serde_json::to_value(value)?;
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    let mut pairs = Vec::new();
    flatten("", &json, &mut pairs);
    if format == Format::Csv {
        let mut w = csv::Writer::from_writer(std::io::stdout());
        w.write_record(["field", "value"])?;
        for (k, v) in pairs {
            w.write_record([k, v])?;
        }
        w.flush()?;
    } else {
        let mut t = table();
        for (k, v) in pairs {
            t.add_row(vec![k, v]);
        }
        println!("{t}");
    }
    Ok(())
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object()) => {
            out.push((prefix.to_owned(), a.iter().map(scalar).collect::<Vec<_>>().join("、")));
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        v => out.push((prefix.to_owned(), scalar(v))),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    }
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
    t.set_header(vec!["层级", "在任代表", "已落实", "覆盖率"]);
    for l in &c.by_level {
        let pct = if l.deputies == 0 {
            "—".to_owned()
        } else {
            format!("{:.1}%", 100.0 * l.covered as f64 / l.deputies as f64)
        };
        t.add_row(vec![l.level_zh.clone(), l.deputies.to_string(), l.covered.to_string(), pct]);
    }
    t.add_row(vec!["合计".into(), c.deputies.to_string(), c.covered.to_string(), String::new()]);
    println!("{t}");
    println!(
        "联络员负担：最多 {} 人，最少 {} 人（{} 名联络员）",
        c.max_load,
        c.min_load,
        c.officer_loads.len()
    );
    if c.gaps.is_empty() {
        println!("每位在任代表均已落实联络员、包片院领导和对口部门。");
    } else {
        println!("以下 {} 位代表尚有缺口：", c.gaps.len());
        list(format, &c.gaps)?;
    }
    Ok(())
}
