//! `liaison audit`: verify the chain (and against a checkpoint), write a signed checkpoint of its head —
//! both for operators with the database and its key — and list or export the trail as the audit
//! administrator (role auditor).

use std::io::Write;

use anyhow::Context;
use liaison_app::audit::Checkpoint;
use liaison_app::trail::{AuditEntry, AuditFilter, AuditPage};
use liaison_app::{App, Principal};

use crate::args::{AuditCmd, AuditFilterArgs};
use crate::output::{self, Format, Tabular};

/// `audit verify` and `audit checkpoint`: the database and its key, no account.
pub(crate) fn console(app: &App, cmd: &AuditCmd, fmt: Format, tenant: &str) -> anyhow::Result<()> {
    match cmd {
        AuditCmd::Checkpoint { out } => {
            let tenant = liaison_core::ids::TenantId::parse(tenant)
                .map_err(|e| anyhow::anyhow!("租户 {tenant}：{}", liaison_core::Localized::zh(&e)))?;
            let c = app.audit_checkpoint(&tenant)?;
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            let mut f = o
                .open(out)
                .with_context(|| format!("写入检查点 {}（已存在的文件不会被覆盖）", out.display()))?;
            writeln!(f, "{}", serde_json::to_string_pretty(&c)?)?;
            f.sync_all()?;
            if fmt == Format::Json {
                return output::object(fmt, &c);
            }
            println!(
                "已写入检查点 {}：租户 {}，第 {} 条，链头 {}（{}）。请将其保存在数据库以外的地方。",
                out.display(),
                c.tenant,
                c.seq,
                c.head,
                c.at
            );
            Ok(())
        }
        AuditCmd::Verify { checkpoint: Some(file), .. } => {
            let text = std::fs::read_to_string(file).with_context(|| format!("读取 {}", file.display()))?;
            let c: Checkpoint = serde_json::from_str(&text)
                .with_context(|| format!("{} 不是审计检查点文件（not a checkpoint file）", file.display()))?;
            let v = app.verify_checkpoint(&c)?;
            if fmt == Format::Json {
                output::object(fmt, &v)?;
            } else {
                for b in &v.chain.breaks {
                    println!("{}", chain_break(b));
                }
                for p in &v.problems {
                    println!("检查点（{}，第 {} 条）：{}", c.at, c.seq, p.describe());
                }
                if v.ok() {
                    println!(
                        "审计链完整，且包含检查点（{}）时的全部 {} 条记录：共 {} 条记录。",
                        c.at, c.seq, v.chain.records
                    );
                }
            }
            if v.ok() {
                Ok(())
            } else {
                anyhow::bail!(
                    "审计链与检查点不符：{} 处断裂，{} 处与检查点不符（audit chain: {} break(s), {} checkpoint problem(s)）",
                    v.chain.breaks.len(),
                    v.problems.len(),
                    v.chain.breaks.len(),
                    v.problems.len()
                )
            }
        }
        AuditCmd::Verify { checkpoint: None, .. } => {
            let r = app.verify_audit()?;
            if fmt == Format::Json {
                output::object(fmt, &r)?;
            } else if r.ok() {
                println!("审计链完整：共 {} 条记录。", r.records);
                for (t, seq, head) in &r.heads {
                    println!("  租户 {t}：最后序号 {seq}，链头 {head}");
                }
            } else {
                for b in &r.breaks {
                    println!("{}", chain_break(b));
                }
            }
            if r.ok() {
                Ok(())
            } else {
                anyhow::bail!(
                    "审计链校验失败：{} 处断裂（audit chain broken at {} record(s)）",
                    r.breaks.len(),
                    r.breaks.len()
                )
            }
        }
        AuditCmd::List(_) | AuditCmd::Alerts(_) | AuditCmd::Export { .. } => Ok(()),
    }
}

fn filter(a: &AuditFilterArgs) -> AuditFilter {
    AuditFilter {
        kind: a.kind.clone(),
        actor: a.actor.clone(),
        from: a.from.clone(),
        to: a.to.clone(),
        aggregate: a.aggregate.clone(),
        cursor: a.cursor.clone(),
        limit: Some(a.limit),
    }
}

/// `audit list` and `audit export`: as an account with the `verify_audit` permission.
pub(crate) fn trail(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &AuditCmd,
) -> anyhow::Result<()> {
    match cmd {
        AuditCmd::List(a) | AuditCmd::Alerts(a) => {
            let page: AuditPage = match cmd {
                AuditCmd::Alerts(_) => app.audit_alerts(p, &filter(a))?,
                _ => app.audit_records(p, &filter(a))?,
            };
            match fmt {
                Format::Json => output::object(fmt, &page),
                _ => {
                    output::list(fmt, &page.items)?;
                    if let Some(c) = &page.next_cursor
                        && fmt == Format::Table
                    {
                        eprintln!("还有更多记录：加 --cursor {c} 查看下一页。");
                    }
                    Ok(())
                }
            }
        }
        AuditCmd::Export { filter: a, out } => {
            let bytes = app.audit_csv(p, &filter(a))?;
            let rows = bytes.iter().filter(|b| **b == b'\n').count().saturating_sub(1);
            rt.block_on(app.record_audit_export(p, &filter(a), rows))?;
            match out {
                Some(path) => {
                    let mut o = std::fs::OpenOptions::new();
                    o.write(true).create_new(true);
                    #[cfg(unix)]
                    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
                    let mut f = o
                        .open(path)
                        .with_context(|| format!("写入 {}（已存在的文件不会被覆盖）", path.display()))?;
                    f.write_all(&bytes)?;
                    eprintln!("已导出到 {}。", path.display());
                    Ok(())
                }
                None => Ok(output::emit(&bytes)?),
            }
        }
        AuditCmd::Verify { .. } | AuditCmd::Checkpoint { .. } => Ok(()),
    }
}

impl Tabular for AuditEntry {
    fn headers() -> Vec<&'static str> {
        vec!["序号", "时间", "操作人", "事件", "审计对象", "原因"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.seq.to_string(),
            output::moment(&self.at),
            self.actor.clone(),
            output::event(&self.kind),
            self.aggregate_id.clone(),
            self.reason.clone().unwrap_or_default(),
        ]
    }
}

/// The state check's findings, one line per difference.
pub(crate) fn print_state(s: &liaison_app::StateReport) {
    if s.ok() {
        println!(
            "状态核对：{} 个聚合、{} 个事件，存储状态与事件重放一致（用时 {:.1} 秒）。",
            s.aggregates,
            s.events,
            s.millis as f64 / 1000.0
        );
        return;
    }
    for d in &s.differences {
        let who = d.number.as_ref().map_or_else(|| d.id.clone(), |n| format!("{n}（{}）", d.id));
        println!(
            "状态不一致：租户 {} {} {}：{} 存储为「{}」，按事件应为「{}」",
            d.tenant, d.kind, who, d.field, d.stored, d.replayed
        );
    }
}

pub(crate) fn state_result(s: &liaison_app::StateReport) -> anyhow::Result<()> {
    if s.ok() {
        Ok(())
    } else {
        anyhow::bail!(
            "状态核对失败：{n} 处与事件不一致（stored state differs from its events at {n} place(s)）",
            n = s.differences.len()
        )
    }
}

/// One break of the audit chain, for a person: tenant, sequence, kind, record and what is wrong.
pub(crate) fn chain_break(b: &liaison_app::audit::Break) -> String {
    format!("审计链断裂：租户 {} 第 {} 条（{}，{}）：{}", b.tenant, b.seq, b.kind, b.id, b.problem.describe())
}
