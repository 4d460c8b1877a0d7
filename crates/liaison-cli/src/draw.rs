//! The lottery at the console: what `prepare` fixed (the pool, each stratum's chance, the seed's promise)
//! and a draw's verification.

use crate::output::{self, Format};

/// What `prepare` fixed: the pool's size and fingerprint, and the seed's commitment (the seed itself once,
/// on standard output) or the public value that will make it.
pub(crate) fn print_prepared(d: Option<&liaison_core::lottery::DrawRecord>, seed: Option<&str>) {
    let Some(d) = d else { return };
    let pool: usize = d.strata.iter().map(|s| s.candidates.len()).sum();
    println!("抽签池 {pool} 人，名额 {}，指纹 {}", d.seats(), d.fingerprint);
    for i in d.inclusion() {
        let pct = liaison_core::ratio::permille(i.numerator, i.denominator).unwrap_or(0);
        println!(
            "  {}：{} 人，每人入选概率 {}/{}（{}.{}%）",
            output::stratum_zh(&i.stratum),
            i.candidates,
            i.numerator,
            i.denominator,
            pct / 10,
            pct % 10
        );
    }
    match &d.promise {
        liaison_core::lottery::SeedPromise::Committed { commitment, reason } => {
            println!("随机种子承诺（已记录）：{commitment}");
            if let Some(r) = reason {
                println!("使用保密种子的理由（已记录，随抽签结果公布）：{r}");
            }
            if let Some(seed) = seed {
                eprintln!("随机种子（只显示这一次，抽签时公布）：");
                println!("{seed}");
            }
        }
        liaison_core::lottery::SeedPromise::Public { source, published_on } => {
            println!(
                "随机种子来源（已记录）：{source}，{published_on} 公布；届时以 --public-value 给出公布的数值抽签"
            );
        }
    }
}

/// Print a verification; refused (exit 1) unless it holds.
pub(crate) fn print_verification(fmt: Format, v: &liaison_app::DrawVerification) -> anyhow::Result<()> {
    if fmt == Format::Table {
        println!("抽签池指纹：{}", if v.fingerprint_matches { "一致" } else { "不一致" });
        let promise = if v.seed_source == "public" {
            "随机种子与指定公开数据"
        } else {
            "随机种子承诺"
        };
        println!("{promise}：{}", if v.commitment_matches { "一致" } else { "不一致" });
        println!(
            "重算结果：{}（{}）",
            v.recomputed.join("、"),
            if v.draw_matches { "与记录一致" } else { "与记录不一致" }
        );
        if !v.fingerprint.is_empty() {
            println!("记录的抽签池指纹：{}（请与抽签前公布的指纹核对）", v.fingerprint);
        }
        for p in &v.problems {
            println!("不符：{}：{}", p.field, p.reason);
        }
    } else {
        output::object(fmt, v)?;
    }
    if v.ok { Ok(()) } else { anyhow::bail!("抽签验证未通过（the draw does not verify）") }
}
