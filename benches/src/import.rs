//! `liaison-bench import`: the register imported beside `sqlite3 .import` and PostgreSQL's `COPY` of the same
//! file (issue 19).

use super::*;

/// The SQLite baseline: the same CSV bytes loaded into a plain table (no index, every column text) in one
/// transaction by the `sqlite3` shell's `.import --csv`, WAL and `synchronous=FULL` as the store runs. The
/// seconds it took and the rows it loaded.
fn sqlite_baseline(bytes: &[u8]) -> anyhow::Result<(Duration, u64)> {
    let dir = tempfile::tempdir()?;
    let (file, db) = (dir.path().join("register.csv"), dir.path().join("plain.db"));
    std::fs::write(&file, bytes)?;
    let shell = |args: &[&str]| -> anyhow::Result<String> {
        let out = std::process::Command::new("sqlite3")
            .arg(&db)
            .args(args)
            .output()
            .context("the sqlite3 shell (apt install sqlite3) runs the baseline")?;
        anyhow::ensure!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    shell(&["PRAGMA journal_mode=WAL"])?;
    let path = file.to_str().context("temporary path")?;
    let t = Instant::now();
    shell(&["-cmd", "PRAGMA synchronous=FULL", &format!(".import --csv {path} t")])?;
    let took = t.elapsed();
    let rows: u64 = shell(&["SELECT count(*) FROM t"])?.parse()?;
    Ok((took, rows))
}

/// The PostgreSQL baseline: `COPY t FROM STDIN (FORMAT csv, HEADER)` of the same bytes into a plain table of
/// text columns, in the site's database. The seconds the COPY took and the rows it loaded.
async fn copy_baseline(url: &str, bytes: &[u8]) -> anyhow::Result<(Duration, u64)> {
    use futures_util::SinkExt;
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(conn);
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let columns = header.split(|b| *b == b',').count();
    let cols: Vec<String> = (1..=columns).map(|i| format!("c{i} text")).collect();
    client.batch_execute(&format!("CREATE TABLE plain_import ({})", cols.join(", "))).await?;
    let t = Instant::now();
    let sink = client.copy_in("COPY plain_import FROM STDIN (FORMAT csv, HEADER)").await?;
    let mut sink = std::pin::pin!(sink);
    for part in bytes.chunks(1 << 20) {
        sink.send(Bytes::copy_from_slice(part)).await?;
    }
    let rows = sink.as_mut().finish().await?;
    let took = t.elapsed();
    drop(client);
    let _ = driver.await;
    Ok((took, rows))
}

/// One import into a fresh site, a probe writing beside it; the import's time and report line. The audit
/// chain is verified and every row of the file must be on the register.
async fn import_once(s: &Site, bytes: &[u8], n: u64) -> anyhow::Result<(Duration, String)> {
    // A probe writes beside the import every 20 ms (an empty write job, as the service's commands queue
    // for the same writer): its longest wait is how long the import held the write lock (issue 13).
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probe = {
        let (app, done) = (s.app.clone(), done.clone());
        tokio::spawn(async move {
            let mut longest = Duration::ZERO;
            while !done.load(Ordering::SeqCst) {
                let t = Instant::now();
                let _ = liaison_store::write_async(app.store(), |_| Ok::<(), liaison_store::StoreError>(()))
                    .await;
                longest = longest.max(t.elapsed());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            longest
        })
    };
    let t = Instant::now();
    let r = s.app.import_deputies(&s.office, bytes, &ImportOptions::default(), None).await?;
    let all = t.elapsed();
    done.store(true, Ordering::SeqCst);
    let held = probe.await?;
    anyhow::ensure!(r.imported == n, "imported {} of {n}", r.imported);
    let on_register = s.app.count_deputies(&s.office, &liaison_app::DeputyFilter::default())?;
    anyhow::ensure!(on_register == n, "{on_register} on the register after importing {n}");
    let verified = s.app.verify_audit()?;
    anyhow::ensure!(verified.ok(), "audit chain broken after the import");
    let line = format!(
        "{:>8.2} s {:>9.0} rows/s (imported {}, chain verified: {} records); a write beside it waited at most {:.2} s",
        all.as_secs_f64(),
        n as f64 / all.as_secs_f64(),
        r.imported,
        verified.records,
        held.as_secs_f64()
    );
    Ok((all, line))
}

pub(crate) async fn import(sizes: &[u64], postgres: Option<String>, pg_sizes: &[u64]) -> anyhow::Result<()> {
    println!(
        "import: generated register (CSV, UTF-8), validation + duplicate checks + SM4-GCM + audit chain; new deputies staged in chunks of 2,000 beside a probe writing every 20 ms, published in one short transaction"
    );
    for &n in sizes {
        let bytes = csv(n, 1)?;
        let t = Instant::now();
        let (drafts, _) = liaison_app::import::read_file(&bytes, &ImportOptions::default())?;
        let parse = t.elapsed();
        drop(drafts);
        let (base, loaded) = sqlite_baseline(&bytes)?;
        anyhow::ensure!(loaded == n, "sqlite3 .import loaded {loaded} rows of {n}");
        let s = site(Backend::Sqlite { max_batch: 512 }).await?;
        let (all, line) = import_once(&s, &bytes, n).await?;
        println!("  SQLite {n:>9} deputies: {line}");
        println!(
            "  {:>16} baseline: sqlite3 .import --csv into a plain table, one transaction (WAL, synchronous=FULL): {:.2} s, {:.0} rows/s; decode+validate alone {:.2} s",
            "",
            base.as_secs_f64(),
            n as f64 / base.as_secs_f64(),
            parse.as_secs_f64()
        );
        println!(
            "  {:>16} ratio: {:.2} × sqlite3 .import (target ≥ 0.5)",
            "",
            base.as_secs_f64() / all.as_secs_f64()
        );
    }
    if let Some(url) = postgres.as_deref() {
        for &n in pg_sizes {
            let bytes = csv(n, 1)?;
            let s = site(Backend::Postgres(url)).await?;
            let (all, line) = import_once(&s, &bytes, n).await?;
            let db = s._pg.as_ref().map(|d| d.url.clone()).context("a PostgreSQL site")?;
            let (base, loaded) = copy_baseline(&db, &bytes).await?;
            anyhow::ensure!(loaded == n, "COPY loaded {loaded} rows of {n}");
            println!("  PostgreSQL {n:>9} deputies: {line}");
            println!(
                "  {:>20} baseline: COPY … FROM STDIN (FORMAT csv, HEADER) into a plain table: {:.2} s, {:.0} rows/s",
                "",
                base.as_secs_f64(),
                n as f64 / base.as_secs_f64()
            );
            println!(
                "  {:>20} ratio: {:.2} × COPY (target ≥ 0.3)",
                "",
                base.as_secs_f64() / all.as_secs_f64()
            );
        }
    }
    Ok(())
}
