//! `liaison report annual`: the annual report in the format asked for, written to a file or standard
//! output; `--format table` prints its ten summary numbers. `liaison report scorecard`: the department
//! scorecard (or, with `--set`, new weights).

use liaison_app::report::render::{Format as ReportFormat, render};
use liaison_app::report::{Lang, ReportRequest};
use liaison_app::{App, Principal};

use crate::args::{AnnualArgs, ScorecardArgs};
use crate::output::{self, FormatArg};

pub(crate) fn annual(
    app: &App,
    p: &Principal,
    format: FormatArg,
    lang: &str,
    a: &AnnualArgs,
) -> anyhow::Result<()> {
    let req = ReportRequest {
        year: a.year,
        from: a.from.clone(),
        to: a.to.clone(),
        department: a.department.clone(),
        region: a.region.clone(),
        level: a.level.clone(),
    };
    let lang = Lang::parse(lang);
    let rendering = match format {
        FormatArg::Json => ReportFormat::Json,
        FormatArg::Csv => ReportFormat::Csv,
        FormatArg::Xlsx => ReportFormat::Xlsx,
        FormatArg::Html => ReportFormat::Html,
        FormatArg::Id => anyhow::bail!(output::NO_ID),
        FormatArg::Table => {
            let r = app.annual_report(p, &req)?;
            let rows = r
                .summary
                .iter()
                .map(|f| {
                    let value = if f.unit == "fen" {
                        liaison_core::budget::yuan(f.value)
                    } else {
                        f.value.to_string()
                    };
                    let rate = f.of.map(|_| output::permille(f.permille)).unwrap_or_default();
                    vec![lang.pick(&f.label, &f.label_en).to_owned(), value, rate]
                })
                .collect();
            return output::rows_out(output::Format::Table, &["统计项", "数值", "比率"], rows);
        }
    };
    let r = app.annual_report(p, &req)?;
    let bytes = render(&r, rendering, lang)?;
    match &a.out {
        Some(path) => {
            std::fs::write(path, &bytes)?;
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh => format!("已写入 {}（{} 字节）。", path.display(), bytes.len()),
                    Lang::En => format!("written to {} ({} bytes).", path.display(), bytes.len()),
                }
            );
            Ok(())
        }
        None => Ok(output::emit(&bytes)?),
    }
}

pub(crate) fn scorecard(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: output::Format,
    a: &ScorecardArgs,
) -> anyhow::Result<()> {
    if !a.set.is_empty() {
        let w = rt.block_on(app.set_scorecard_weights(p, &a.set))?;
        return output::object(fmt, &w);
    }
    let req =
        ReportRequest { year: a.year, from: a.from.clone(), to: a.to.clone(), ..ReportRequest::default() };
    let card = app.scorecard(p, &req)?;
    if fmt == output::Format::Json {
        return output::object(fmt, &card);
    }
    let rows = card
        .rows
        .iter()
        .map(|r| {
            vec![
                r.department.clone(),
                r.received.to_string(),
                output::permille(r.on_time_permille),
                output::permille(r.first_round_permille),
                output::permille(r.final_permille),
                r.tally.rehandled.to_string(),
                format!("{}/{}", r.tally.measures_done, r.tally.measures),
                r.score_permille.map_or_else(|| "—".to_owned(), |s| format!("{}.{}", s / 10, s % 10)),
            ]
        })
        .collect();
    output::rows_out(
        fmt,
        &[
            "承办部门",
            "收到",
            "按期答复率",
            "首轮满意率",
            "最终满意率",
            "重新办理",
            "整改措施完成",
            "综合得分",
        ],
        rows,
    )
}
