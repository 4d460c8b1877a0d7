//! Issue 18's Done-when: the annual report written by `liaison report annual --format html`, printed to PDF
//! by headless Chromium (A4, the print stylesheet), and the PDF's text read back with `pdftotext`: every
//! level named, the totals present. `LIAISON_TEST_BROWSER=1` makes it required (it also needs poppler's
//! `pdftotext`, which `.ci/run` installs).

use std::process::Command;

use serde_json::json;

use super::World;

fn has(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_annual_report_prints_to_pdf_with_every_level_and_the_totals() {
    let required = std::env::var_os("LIAISON_TEST_BROWSER").is_some();
    if !(has("chromium") && has("pdftotext")) {
        assert!(!required, "LIAISON_TEST_BROWSER is set but chromium or pdftotext is missing");
        eprintln!("skipped: no chromium or pdftotext");
        return;
    }
    let w = World::new();
    let ids = w.deputies(&[("王芳", "全国"), ("李明", "县"), ("张伟", "乡")]);
    for (title, who) in
        [("关于加强未成年人检察工作的建议", &ids[..2]), ("关于乡镇司法所协作的建议", &ids[2..])]
    {
        let body = json!({"title": title, "content": "建议内容。", "source": "闭会期间", "deputies": who});
        let (s, b) = w.post("/api/v1/suggestions", &w.office, None, body);
        assert_eq!(s, 201, "{b}");
    }
    let year = chrono::Local::now().format("%Y").to_string();
    let html = w.dir().join("report.html");
    let out = w.run(&[
        "--as",
        "office",
        "report",
        "annual",
        "--year",
        &year,
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = w.dir().join("report.pdf");
    let printed = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html.display()),
        ])
        .output()
        .unwrap();
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&printed.stderr));
    let text = Command::new("pdftotext").args(["-layout", pdf.to_str().unwrap(), "-"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for level in ["全国人大代表", "省级人大代表", "市级人大代表", "县级人大代表", "乡镇人大代表"]
    {
        assert!(text.contains(level), "{level} missing from the PDF:\n{text}");
    }
    for part in ["目录", "建议和审议意见办理情况表", "经费执行", "审计链", "合计", "王芳", "李明", "张伟"]
    {
        assert!(text.contains(part), "{part} missing from the PDF:\n{text}");
    }
    // The total row of the by-level table: two suggestions received (the joint one once).
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("合计") && l.split_whitespace().nth(1) == Some("2")),
        "{text}"
    );
    // A4 pages, one part a page at least.
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("(A4)"), "A4: {info}");
    let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 15, "a page per part: {pages}");
}

/// The annual report on PostgreSQL: its lines are read a month at a time on several threads, each with its
/// own pooled connection; the items come back whole and in the order received, the joint one counted once.
#[test]
fn the_annual_report_reads_its_months_on_postgresql() {
    let Some(mut w) = World::on_postgres("annual") else { return };
    w.start();
    let ids = w.deputies(&[("王芳", "全国"), ("李明", "县"), ("张伟", "乡")]);
    let year = chrono::Local::now().format("%Y").to_string();
    for (title, who, on) in [
        ("关于乡镇司法所协作的建议", &ids[2..], "05-10"),
        ("关于加强未成年人检察工作的建议", &ids[..2], "03-05"),
    ] {
        let body = json!({"title": title, "content": "建议内容。", "source": "闭会期间", "deputies": who,
            "received_on": format!("{year}-{on}")});
        let (s, b) = w.post("/api/v1/suggestions", &w.office, None, body);
        assert_eq!(s, 201, "{b}");
    }
    let (s, r) = w.get(&format!("/api/v1/reports/annual?year={year}"), &w.office);
    assert_eq!(s, 200, "{r}");
    let annex: Vec<(&str, &str)> = r["annex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["received_on"].as_str().unwrap(), a["proposers"].as_str().unwrap()))
        .collect();
    assert_eq!(annex.len(), 2, "{annex:?}");
    assert!(
        annex[0].0.ends_with("-03-05") && annex[1].0.ends_with("-05-10"),
        "in the order received: {annex:?}"
    );
    assert_eq!(annex[0].1, "王芳、李明");
    assert_eq!(r["suggestions"]["total"]["received"], 2, "{}", r["suggestions"]["total"]);
    eprintln!("required suite ran: the annual report on PostgreSQL (months read on several threads)");
}
