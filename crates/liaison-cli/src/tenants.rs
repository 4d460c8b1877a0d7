//! `liaison tenant` (the procuratorates of the deployment, at the console with the database and its key)
//! and `liaison rollup` (报备: the figures of the procuratorates below, as a leader or the liaison office).

use liaison_app::{App, Principal, Rollup, TenantView};

use crate::args::TenantCmd;
use crate::output::{self, Format, english, permille, rows_out};
use crate::setup::{os_user, runtime};

/// The columns of `tenant list`.
pub(crate) const TENANT_HEADERS: &[&str] = &["检察院", "层级", "标识", "上级"];
/// The columns of `rollup`.
pub(crate) const ROLLUP_HEADERS: &[&str] =
    &["检察院", "层级", "收到", "已答复", "按期答复率", "逾期", "首轮满意率", "最终满意率", "办成率"];
/// The headers of the roll-up's rows by department kind.
pub(crate) const ROLLUP_DEPARTMENT_HEADERS: &[&str] =
    &["部门", "转办", "收到", "已答复", "按期答复率", "逾期", "首轮满意率", "最终满意率", "办成率"];
/// The headers of the items the procuratorates below report (报备事项).
pub(crate) const ROLLUP_TOLD_HEADERS: &[&str] = &["检察院", "编号", "代表层级", "状态", "期限", "报备原因"];

fn indented(t: &TenantView) -> String {
    format!("{}{}", "  ".repeat(t.depth), t.name)
}

fn level_name(t: &TenantView) -> String {
    if english() { t.level.clone().unwrap_or_else(|| "unplaced".into()) } else { t.level_name.clone() }
}

/// `tenant add|place|list`.
pub(crate) fn console(app: &App, cmd: &TenantCmd, fmt: Format) -> anyhow::Result<()> {
    let user = os_user();
    match cmd {
        TenantCmd::Add { name, level, parent, id } => {
            let input = liaison_app::NewTenant {
                id: id.clone(),
                name: name.clone(),
                level: level.clone(),
                parent: parent.clone(),
            };
            let added = runtime()?.block_on(app.add_tenant(input, user.as_deref()))?;
            if fmt != Format::Table {
                return output::object(fmt, &added);
            }
            let t = &added.tenant;
            let above = t.parent_name.as_deref().map(|p| format!("，上级 {p}")).unwrap_or_default();
            println!(
                "已添加检察院 {}（{}{}），标识 {}；系统管理员 admin。",
                t.name, t.level_name, above, t.id
            );
            println!("系统管理员令牌（只显示这一次，请妥善保存）：");
            println!("{}", added.admin_token.token);
            eprintln!(
                "下一步：liaison --tenant {id} user add sec --name 安全管理员 --role security_admin；\
                 liaison --tenant {id} user add audit --name 审计管理员 --role auditor。",
                id = t.id
            );
            Ok(())
        }
        TenantCmd::Place { id, level, parent } => {
            let t = runtime()?.block_on(app.place_tenant(id, level, parent.as_deref(), user.as_deref()))?;
            if fmt != Format::Table {
                return output::object(fmt, &t);
            }
            let above = t.parent_name.as_deref().map(|p| format!("，上级 {p}")).unwrap_or_default();
            println!("检察院 {}（{}）已确定为{}{}。", t.name, t.id, t.level_name, above);
            Ok(())
        }
        TenantCmd::LinkDeputies { id } => {
            let done = runtime()?.block_on(app.link_registers(id.as_deref(), user.as_deref()))?;
            if fmt != Format::Table {
                return output::object(fmt, &done);
            }
            if english() {
                println!("{} link(s) made across {} procuratorate(s).", done.linked, done.procuratorates);
            } else {
                println!(
                    "已核对 {} 个检察院的名册，新关联 {} 对代表记录。",
                    done.procuratorates, done.linked
                );
            }
            Ok(())
        }
        TenantCmd::List => {
            let tree = app.tenant_tree()?;
            if fmt == Format::Json {
                println!("{}", serde_json::to_string_pretty(&tree)?);
                return Ok(());
            }
            let rows = tree
                .iter()
                .map(|t| {
                    vec![indented(t), level_name(t), t.id.clone(), t.parent_name.clone().unwrap_or_default()]
                })
                .collect();
            rows_out(fmt, TENANT_HEADERS, rows)
        }
    }
}

/// `rollup --year`: one row per procuratorate (indented below the one asking), then one per level and the
/// total.
pub(crate) fn rollup(app: &App, p: &Principal, fmt: Format, year: Option<i32>) -> anyhow::Result<()> {
    let year = year.unwrap_or_else(|| liaison_core::dates::china_year(app.now()));
    let r: Rollup = app.rollup(p, year)?;
    if fmt == Format::Json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    let row = |name: String, level: String, f: &liaison_app::FigureRowView| {
        let c = &f.counts;
        vec![
            name,
            level,
            c.received.to_string(),
            c.answered.to_string(),
            permille(f.on_time_permille),
            c.overdue.to_string(),
            permille(f.first_round_satisfaction_permille),
            permille(f.final_satisfaction_permille),
            permille(f.resolution_permille),
        ]
    };
    let mut rows: Vec<Vec<String>> = r
        .procuratorates
        .iter()
        .map(|e| row(indented(&e.tenant), level_name(&e.tenant), &e.figures.total))
        .collect();
    for l in &r.by_level {
        let label = if english() {
            format!("all {} ({})", l.level, l.procuratorates)
        } else {
            format!("{}合计（{} 个院）", l.level_name, l.procuratorates)
        };
        rows.push(row(label, String::new(), &l.figures));
    }
    rows.push(row(if english() { "total".into() } else { "合计".into() }, String::new(), &r.total));
    if fmt == Format::Table {
        if english() {
            println!("Roll-up {year}: suggestions of this procuratorate and those below it");
        } else {
            println!("{year} 年报备：本院及下级检察院建议办理情况");
        }
    }
    if fmt != Format::Table {
        return rows_out(fmt, ROLLUP_HEADERS, rows);
    }
    rows_out(fmt, ROLLUP_HEADERS, rows)?;
    // By department kind and the items to be told of: in the table only (a CSV is one table).
    let departments: Vec<Vec<String>> = r
        .by_department
        .iter()
        .map(|f| {
            let mut cells = row(f.counts.label.clone(), f.counts.transferred.to_string(), f);
            cells.truncate(ROLLUP_DEPARTMENT_HEADERS.len());
            cells
        })
        .collect();
    if !departments.is_empty() {
        println!();
        println!(
            "{}",
            if english() { "By department kind (all procuratorates)" } else { "按部门（各院合计）" }
        );
        rows_out(fmt, ROLLUP_DEPARTMENT_HEADERS, departments)?;
    }
    println!();
    if r.told.is_empty() {
        println!("{}", if english() { "Nothing to report from below." } else { "下级检察院无报备事项。" });
        return Ok(());
    }
    println!("{}", if english() { "Items reported from below" } else { "下级检察院报备事项" });
    let told = r
        .told
        .iter()
        .map(|i| {
            vec![
                i.procuratorate.clone(),
                i.number.clone().unwrap_or_default(),
                i.levels.join("、"),
                if english() { i.status.clone() } else { i.status_zh.clone() },
                i.due.map(|d| d.to_string()).unwrap_or_default(),
                if english() { i.reasons.join(", ") } else { i.reasons_zh.join("；") },
            ]
        })
        .collect();
    rows_out(fmt, ROLLUP_TOLD_HEADERS, told)
}
