//! The import's report for people: the counts, the unused columns and the notes, and for a yearly refresh
//! the three lists — updated, registered, possibly departed — by name, level and region (never by id).

use std::path::Path;

use liaison_app::import::ImportReport;
use liaison_app::refresh::{RefreshPerson, RefreshReport};

use super::{Format, csv_out, en, headers, object, table};

const UPDATED_HEADERS: &[&str] = &["姓名", "层级", "区域", "行", "变更内容"];
const REGISTERED_HEADERS: &[&str] = &["姓名", "层级", "区域", "行"];
const DEPARTED_HEADERS: &[&str] = &["姓名", "层级", "区域"];
const CSV_HEADERS: &[&str] = &["类别", "姓名", "层级", "区域", "行", "变更内容"];

/// Print an import's report (`file` as the user named it, for the command that confirms a refresh).
pub(crate) fn import_report(format: Format, r: &ImportReport, file: &Path) -> anyhow::Result<()> {
    match (format, &r.refresh) {
        (Format::Json | Format::Id, _) | (Format::Csv, None) => return object(format, r),
        (Format::Csv, Some(f)) => return refresh_csv(f),
        (Format::Table, _) => {}
    }
    summary(r);
    if !r.ignored_columns.is_empty() {
        if en() {
            println!("Unused columns: {}", r.ignored_columns.join(", "));
        } else {
            println!("未使用的列：{}", r.ignored_columns.join("、"));
        }
    }
    for n in &r.notes {
        if en() {
            let row = n.row.map(|r| format!("row {r} ")).unwrap_or_default();
            let col = n.column.as_deref().map(|c| format!("「{c}」")).unwrap_or_default();
            let sep = if row.is_empty() && col.is_empty() { "" } else { ": " };
            println!("Note: {row}{col}{sep}{}", n.message_en);
        } else {
            let row = n.row.map(|r| format!("第 {r} 行")).unwrap_or_default();
            let col = n.column.as_deref().map(|c| format!("「{c}」")).unwrap_or_default();
            let sep = if row.is_empty() && col.is_empty() { "" } else { "：" };
            println!("注意：{row}{col}{sep}{}", n.message_zh);
        }
    }
    if let Some(f) = &r.refresh {
        refresh_lists(f, r.dry_run, file);
    }
    Ok(())
}

fn summary(r: &ImportReport) {
    let departed = r.refresh.as_ref().map(|f| f.possibly_departed.len());
    if en() {
        let what = match (r.refresh.is_some(), r.dry_run) {
            (true, true) => "Yearly refresh, dry run (nothing written)",
            (true, false) => "Yearly refresh done",
            (false, true) => "Dry run passed (nothing written)",
            (false, false) => "Import done",
        };
        let departed = departed.map(|n| format!(", {n} possibly departed")).unwrap_or_default();
        println!(
            "{what}: {} rows, {} registered, {} updated, {} unchanged{departed}.",
            r.rows, r.imported, r.updated, r.unchanged
        );
    } else {
        let what = match (r.refresh.is_some(), r.dry_run) {
            (true, true) => "年度名册核对试运行（未写入）",
            (true, false) => "年度名册核对完成",
            (false, true) => "试运行通过（未写入）",
            (false, false) => "导入完成",
        };
        let departed = departed.map(|n| format!("，可能已离任 {n} 人")).unwrap_or_default();
        println!(
            "{what}：共 {} 行，新登记 {} 人，更新 {} 人，无变化 {} 人{departed}。",
            r.rows, r.imported, r.updated, r.unchanged
        );
    }
}

fn who(p: &RefreshPerson) -> Vec<String> {
    let level = if en() { p.level.clone() } else { p.level_zh.clone() };
    vec![p.name.clone(), level, p.region.clone()]
}

fn row(p: &RefreshPerson) -> String {
    p.row.map(|r| r.to_string()).unwrap_or_default()
}

/// The fields an update changed, by their labels.
fn changed(p: &RefreshPerson) -> String {
    let labels: Vec<String> = p.changed.iter().map(|f| super::labels::field(f)).collect();
    labels.join(if en() { ", " } else { "、" })
}

fn people(title_zh: &str, title_en: &str, head: &[&'static str], rows: Vec<Vec<String>>) {
    match (en(), rows.len()) {
        (true, 0) => return println!("{title_en}: none."),
        (false, 0) => return println!("{title_zh}：无。"),
        (true, n) => println!("{title_en} ({n}):"),
        (false, n) => println!("{title_zh}（{n} 人）："),
    }
    let mut t = table();
    t.set_header(headers(head));
    for r in rows {
        t.add_row(r);
    }
    println!("{t}");
}

fn refresh_lists(f: &RefreshReport, dry_run: bool, file: &Path) {
    let scope: Vec<&str> =
        f.scope.iter().map(|c| if en() { c.label_en.as_str() } else { c.label_zh.as_str() }).collect();
    if en() {
        println!(
            "Compared with: {} (deputies of these levels and terms still on the register who are not in the file are listed as possibly departed)",
            scope.join(", ")
        );
    } else {
        println!(
            "核对范围：{}（同层级、同届次、仍在册的代表，不在文件中的列为可能已离任）",
            scope.join("、")
        );
    }
    let updated = f.updated.iter().map(|p| [who(p), vec![row(p), changed(p)]].concat()).collect();
    people("更新", "Updated", UPDATED_HEADERS, updated);
    let registered = f.registered.iter().map(|p| [who(p), vec![row(p)]].concat()).collect();
    people("新登记", "Registered", REGISTERED_HEADERS, registered);
    people(
        "可能已离任",
        "Possibly departed",
        DEPARTED_HEADERS,
        f.possibly_departed.iter().map(who).collect(),
    );
    let n = f.possibly_departed.len();
    let day = f.ended_on.map(|d| d.to_string()).unwrap_or_default();
    match (n, f.terms_ended, dry_run) {
        (0, _, _) => {}
        (_, false, dry_run) => {
            let cmd = format!("liaison deputy import {} --refresh --end-absent", file.display());
            if en() {
                let written =
                    if dry_run { "Nothing was written." } else { "Their records were not changed." };
                println!(
                    "{written} If they have left, end their terms with: {cmd} (last day: today, or --ended-on DATE; add --dry-run to check first)"
                );
            } else {
                let written = if dry_run {
                    "试运行未写入任何数据。"
                } else {
                    "以上可能已离任的代表未作变动。"
                };
                println!(
                    "{written}如确认已离任，运行：{cmd}（一并结束其任期；任期结束日默认为今天，可用 --ended-on 指定；可先加 --dry-run 核对）"
                );
            }
        }
        (_, true, true) => {
            if en() {
                println!("Without --dry-run, the terms of these {n} would end on {day}.");
            } else {
                println!("去掉 --dry-run 后，将结束以上 {n} 人的任期（任期届满，{day}）。");
            }
        }
        (_, true, false) => {
            if en() {
                println!("The terms of these {n} ended on {day}, recorded with who, when and why.");
            } else {
                println!("已结束以上 {n} 人的任期（任期届满，{day}），操作人、时间和原因已记录。");
            }
        }
    }
}

/// The three lists as one CSV, a row per person with its list.
fn refresh_csv(f: &RefreshReport) -> anyhow::Result<()> {
    let kind = |zh: &str, en_: &str| if en() { en_.to_owned() } else { zh.to_owned() };
    let rows = f
        .updated
        .iter()
        .map(|p| [vec![kind("更新", "updated")], who(p), vec![row(p), changed(p)]].concat())
        .chain(
            f.registered
                .iter()
                .map(|p| [vec![kind("新登记", "registered")], who(p), vec![row(p), String::new()]].concat()),
        )
        .chain(f.possibly_departed.iter().map(|p| {
            [vec![kind("可能已离任", "possibly departed")], who(p), vec![String::new(), String::new()]]
                .concat()
        }));
    csv_out(CSV_HEADERS, rows)
}
