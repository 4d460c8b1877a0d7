//! Hostile input against the real server (issue 12): an upload that once took the process down is refused,
//! and the server keeps answering.

use std::io::Write;

use serde_json::Value;

use super::{World, agent, liaison, ok};

/// A minimal workbook whose first sheet holds `sheet_data` under the declared `dimension`: written part by
/// part, as no spreadsheet program would write it.
pub(super) fn xlsx_of(dimension: &str, sheet_data: &str) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn upload(base: &str, token: &str, query: &str, body: &[u8]) -> (u16, Value) {
    let mut r = agent()
        .post(&format!("{base}/api/v1/deputies/import{query}"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .send(body)
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null))
}

/// Issue 12 item 3: a 1.6 KB sheet with cells A1 and XFD1048576 asked for 512 GiB and killed the server,
/// dry run or not. Now each form of it is a 422 problem naming the cell or the range, and the server goes
/// on answering (a real register imported after it).
#[test]
fn a_hostile_xlsx_is_refused_and_the_server_keeps_answering() {
    let mut w = World::offline();
    w.start();
    let header = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>"#;
    let far = r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    for (dimension, names) in [("A1:XFD1048576", "A1:XFD1048576"), ("A1:A1", "XFD1048576")] {
        let bomb = xlsx_of(dimension, &format!("{header}{far}"));
        assert!(bomb.len() < 2048, "a small file: {} bytes", bomb.len());
        for query in ["?dry_run=true", ""] {
            let (status, problem) = upload(w.base(), &w.office, query, &bomb);
            assert_eq!(status, 422, "{problem}");
            assert_eq!(problem["code"], "import.xlsx_too_large", "{problem}");
            assert!(problem["detail"].as_str().unwrap().contains(names), "{problem}");
            let (status, _) = w.get("/livez", "");
            assert_eq!(status, 200, "the server still answers");
        }
    }
    w.ok(&["demo", "generate", "--deputies", "5", "--seed", "2", "--out", "reg.csv"]);
    let csv = std::fs::read(w.dir().join("reg.csv")).unwrap();
    let mut r = agent()
        .post(&format!("{}/api/v1/deputies/import", w.base()))
        .header("Authorization", &format!("Bearer {}", w.office))
        .header("Content-Type", "text/csv")
        .send(&csv[..])
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.body_mut().read_json::<Value>().unwrap()["imported"], 5);
}

/// Issue 12 item 20: a key file others may read stops the CLI and the server with the store's own words
/// and the `chmod 600` advice — never "系统内部错误", never a backtrace.
#[cfg(unix)]
#[test]
fn a_key_file_with_the_wrong_mode_is_named_with_the_advice() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(&liaison(dir, &["init"]));
    std::fs::set_permissions(dir.join("liaison.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let cli = std::process::Command::new(super::bin("liaison"))
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .args(["--as", "admin", "user", "list"])
        .output()
        .unwrap();
    let server = std::process::Command::new(super::bin("liaison-http"))
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .args(["--db", "liaison.db", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    for (what, o) in [("liaison", cli), ("liaison-http", server)] {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains("chmod 600") && err.contains("liaison.key"), "{what}: {err}");
        assert!(!err.contains("系统内部错误") && !err.contains("backtrace"), "{what}: {err}");
    }
}

/// Issue 12 item 10: the server takes no secret from its command line (visible in `ps`): `--key` and a
/// database URL with a password are refused with where to put them instead, the secret not repeated.
#[test]
fn the_server_refuses_secrets_on_its_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let key = "4d".repeat(32);
    for (args, mentions, secret) in [
        (vec!["--key", key.as_str()], "LIAISON_KEY", key.as_str()),
        (
            vec!["--database-url", "postgres://liaison:s3cret-pw@127.0.0.1:1/x"],
            "LIAISON_DATABASE_URL",
            "s3cret-pw",
        ),
    ] {
        let o = std::process::Command::new(super::bin("liaison-http"))
            .current_dir(tmp.path())
            .env_remove("LIAISON_KEY")
            .env_remove("LIAISON_DATABASE_URL")
            .args(&args)
            .args(["--listen", "127.0.0.1:0"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(mentions) && !err.contains(secret), "{err}");
    }
    assert!(!tmp.path().join("liaison.db").exists(), "nothing created");
}
