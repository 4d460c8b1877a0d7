//! Fuzzing of the files the façade reads from outside (issue 13 item 11): the register's CSV and XLSX
//! import, the holiday schedule (`LIAISON_CALENDAR`) and a published draw record (`lottery verify
//! --file`). Arbitrary bytes, and valid files mutated (bytes changed, inserted, removed, lines cut or
//! repeated, numbers pushed to extremes), must be refused with a reason — an error whose message is not
//! empty, or a report that names each bad row — never a panic. Cases: `PROPTEST_CASES`, else a modest
//! number per property so the whole fuzz set stays within seconds in a debug build (ARCHITECTURE.md gives
//! the longer release run).

use proptest::prelude::*;

use crate::import::{Encoding, FileFormat, ImportOptions, read_file};
use crate::{AppError, demo};
use liaison_core::Localized;

/// The cases of a property: `PROPTEST_CASES` when set, else `default`.
pub(crate) fn cases(default: u32) -> ProptestConfig {
    let d = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { d.cases } else { default };
    ProptestConfig { cases, ..d }
}

/// A refusal must say why, in Chinese and English, and an input refusal must name its fields.
pub(crate) fn reason(e: &AppError) -> Result<(), TestCaseError> {
    prop_assert!(!e.zh().trim().is_empty() && !e.en().trim().is_empty(), "{:?} has no message", e);
    if let AppError::Invalid(fields) = e {
        prop_assert!(!fields.is_empty(), "an input refusal that names no field");
    }
    Ok(())
}

/// One edit of a file.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Truncate(usize),
    RepeatLine(usize),
    DropLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(vec![0]),
        Just(vec![0xff, 0xfe]),
        Just(vec![0xef, 0xbb, 0xbf]),
        Just("，".as_bytes().to_vec()),
        Just(b"=cmd|' /C calc'!A0".to_vec()),
        Just(b"99999999999999999999".to_vec()),
        Just(b"-1".to_vec()),
        Just(b"0000-00-00".to_vec()),
        proptest::collection::vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), interesting).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Remove(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::RepeatLine),
        any::<usize>().prop_map(Mutation::DropLine),
    ]
}

/// Apply edits to a file.
fn mutate(mut bytes: Vec<u8>, edits: &[Mutation]) -> Vec<u8> {
    for m in edits {
        let n = bytes.len().max(1);
        match m {
            Mutation::Set(i, b) => {
                if let Some(x) = bytes.get_mut(i % n) {
                    *x = *b;
                }
            }
            Mutation::Insert(i, b) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Mutation::Remove(i, k) => {
                let at = i % n;
                let end = (at + k).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Truncate(i) => bytes.truncate(i % n),
            Mutation::RepeatLine(i) | Mutation::DropLine(i) => {
                let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                let at = i % lines.len().max(1);
                if matches!(m, Mutation::RepeatLine(_)) {
                    if let Some(l) = lines.get(at).cloned() {
                        lines.insert(at, l);
                    }
                } else if at < lines.len() {
                    lines.remove(at);
                }
                bytes = lines.join(&b'\n');
            }
        }
    }
    bytes
}

fn demo_csv(n: u64, seed: u64, enc: Encoding) -> Vec<u8> {
    let mut out = Vec::new();
    // The generator writes to memory: it cannot fail.
    let _ = demo::write_csv(demo::generate(n, seed), &mut out, enc);
    out
}

fn demo_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in demo::HEADER.iter().enumerate() {
        let _ = ws.write_string(0, c as u16, *h);
    }
    for (r, d) in demo::generate(4, 3).enumerate() {
        for (c, v) in demo::record(&d).iter().enumerate() {
            let _ = ws.write_string(r as u32 + 1, c as u16, *v);
        }
    }
    wb.save_to_buffer().unwrap_or_default()
}

/// Read a file as the importer does; a file accepted is fine, a file refused must say why (each bad row
/// with its reason in the report, or the whole file with one).
fn import_says_why(bytes: &[u8], opts: &ImportOptions) -> Result<(), TestCaseError> {
    match read_file(bytes, opts) {
        Ok((_, report)) => {
            for e in &report.errors {
                prop_assert!(
                    e.row >= 1 && !e.message_zh.trim().is_empty() && !e.message_en.trim().is_empty(),
                    "{:?}",
                    e
                );
            }
            Ok(())
        }
        Err(e) => reason(&e),
    }
}

fn options() -> impl Strategy<Value = ImportOptions> {
    (
        prop_oneof![Just(None), Just(Some(FileFormat::Csv)), Just(Some(FileFormat::Xlsx))],
        prop_oneof![Just(None), Just(Some(Encoding::Utf8)), Just(Some(Encoding::Gbk))],
    )
        .prop_map(|(format, encoding)| ImportOptions { format, encoding, ..ImportOptions::default() })
}

/// Headers the importer knows, words it does not, and cells of every kind.
fn structured_csv() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        proptest::sample::select(demo::HEADER.to_vec()).prop_map(str::to_owned),
        Just("备注".to_owned()),
        Just("name".to_owned()),
        "\\PC{0,6}",
    ];
    let cell = prop_oneof![
        Just(String::new()),
        "[0-9０-９xX -]{0,20}",
        "(19|20)[0-9]{2}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?",
        "[\u{4e00}-\u{9fa5}]{0,6}",
        "\\PC{0,12}",
        Just("\"a,b\nc\"".to_owned()),
    ];
    (
        proptest::collection::vec(header, 0..20),
        proptest::collection::vec(proptest::collection::vec(cell, 0..20), 0..6),
    )
        .prop_map(|(h, rows)| {
            let mut s = h.join(",");
            for r in rows {
                s.push('\n');
                s.push_str(&r.join(","));
            }
            s.into_bytes()
        })
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn any_bytes_as_a_register_file_are_refused_with_a_reason(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600),
            proptest::collection::vec(any::<u8>(), 0..300).prop_map(|b| [b"PK\x03\x04".to_vec(), b].concat()),
            "\\PC{0,400}".prop_map(String::into_bytes),
        ],
        opts in options(),
    ) {
        import_says_why(&bytes, &opts)?;
    }

    #[test]
    fn a_mutated_register_csv_is_refused_row_by_row_or_whole(
        seed in 0u64..50,
        gbk in any::<bool>(),
        edits in proptest::collection::vec(mutation(), 1..6),
        opts in options(),
    ) {
        let enc = if gbk { Encoding::Gbk } else { Encoding::Utf8 };
        import_says_why(&mutate(demo_csv(3, seed, enc), &edits), &opts)?;
    }

    #[test]
    fn a_structured_but_wrong_register_csv_is_refused_with_reasons(bytes in structured_csv()) {
        import_says_why(&bytes, &ImportOptions::default())?;
    }

    #[test]
    fn a_mutated_register_xlsx_is_refused_with_a_reason(edits in proptest::collection::vec(mutation(), 1..4)) {
        let xlsx = demo_xlsx();
        import_says_why(&mutate(xlsx, &edits), &ImportOptions::default())?;
    }
}

/// The shipped holiday schedule, mutated: arbitrary text, lines cut, repeated or changed, years and dates
/// pushed out of range.
fn schedule() -> impl Strategy<Value = String> {
    const OFFICIAL: &str = include_str!("../../../data/cn-holidays.toml");
    let extreme = prop_oneof![
        Just("99999999".to_owned()),
        Just("-1".to_owned()),
        Just("0".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("9999-12-31".to_owned()),
        Just("1900-01-01".to_owned()),
        Just("\"x\"".to_owned()),
        "[0-9]{1,10}",
    ];
    prop_oneof![
        "\\PC{0,300}",
        (proptest::collection::vec(mutation(), 1..5)).prop_map(|e| String::from_utf8_lossy(&mutate(OFFICIAL.as_bytes().to_vec(), &e)).into_owned()),
        (any::<prop::sample::Index>(), extreme.clone()).prop_map(|(i, v)| {
            // Replace one number (a year, a day) of the file with an extreme one.
            let spans: Vec<(usize, usize)> = OFFICIAL
                .char_indices()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| (i, i + 1))
                .collect();
            let (a, b) = spans.get(i.index(spans.len().max(1))).copied().unwrap_or((0, 0));
            let mut s = OFFICIAL.to_owned();
            let end = s[a..].find(|c: char| !c.is_ascii_digit() && c != '-').map_or(s.len(), |k| a + k).max(b);
            s.replace_range(a..end, &v);
            s
        }),
        (extreme.clone(), extreme.clone(), extreme).prop_map(|(y, f, t)| format!(
            "[{y}]\nsource = \"国务院办公厅通知\"\nholidays = [{{ name = \"春节\", from = {f}, to = {t} }}]\nworkdays = [{t}]\n"
        )),
    ]
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn a_holiday_schedule_is_refused_with_a_reason_or_loads(text in schedule()) {
        match crate::calendar::from_toml(&text) {
            Ok(cal) => {
                // A schedule that loads answers for any day of its years and beyond.
                for (y, _) in cal.years() {
                    if let Some(d) = chrono::NaiveDate::from_ymd_opt(*y, 6, 1) {
                        let _ = cal.is_working_day(d);
                    }
                }
            }
            Err(e) => reason(&e)?,
        }
    }
}

/// A published draw record (`lottery verify --file`): arbitrary text, arbitrary JSON, and a real record
/// with one value replaced by an extreme or a wrong type — quotas and seats far past the pool, empty
/// strata, numbers where text belongs.
fn published_record() -> impl Strategy<Value = String> {
    let extreme = prop_oneof![
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(i64::MIN)),
        Just(serde_json::json!(0)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(1e308)),
        Just(serde_json::json!(null)),
        Just(serde_json::json!("")),
        Just(serde_json::json!("f".repeat(64))),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!([[]])),
        Just(serde_json::json!(["00000000-0000-0000-0000-000000000000"])),
        Just(serde_json::json!({"num": 1, "den": 0})),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
    ];
    let real = (
        proptest::collection::vec(1usize..4, 1..5),
        1usize..5,
        any::<[u8; 32]>(),
        any::<prop::sample::Index>(),
        extreme,
        any::<bool>(),
    )
        .prop_map(|(sizes, seats, seed, at, value, wrapped)| {
            let d = crate::draw::tests::record(&sizes, seats, seed);
            let mut v = serde_json::json!({ "activity": { "seats": seats, "participants": d.participants(), "draw": d } });
            // Every place in the record that holds a value: replace one.
            let mut paths = Vec::new();
            leaves(&v, &mut Vec::new(), &mut paths);
            if let Some(p) = paths.get(at.index(paths.len().max(1)))
                && let Some(slot) = p.iter().try_fold(&mut v, |v, k| match k {
                    Key::Field(f) => v.get_mut(f.as_str()),
                    Key::Item(i) => v.get_mut(*i),
                })
            {
                *slot = value;
            }
            if wrapped { v.to_string() } else { v["activity"]["draw"].to_string() }
        });
    prop_oneof![
        "\\PC{0,200}",
        any::<bool>().prop_map(|b| serde_json::json!({ "draw": b, "seats": [b] }).to_string()),
        real,
    ]
}

#[derive(Debug, Clone)]
enum Key {
    Field(String),
    Item(usize),
}

fn leaves(v: &serde_json::Value, at: &mut Vec<Key>, out: &mut Vec<Vec<Key>>) {
    out.push(at.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                at.push(Key::Field(k.clone()));
                leaves(x, at, out);
                at.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(Key::Item(i));
                leaves(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn a_published_draw_record_is_refused_with_a_reason_or_verified(text in published_record()) {
        match crate::verify_published(&text) {
            Ok(v) => prop_assert!(v.ok || !v.problems.is_empty(), "a failed verification names what failed"),
            Err(e) => reason(&e)?,
        }
    }
}

/// Found by the fuzzing above: a published record stating a quota of 2⁶⁴−1 overflowed when its seats were
/// added (a panic in `lottery verify --file`); it is now refused, naming what failed.
#[test]
fn issue13_a_published_record_with_an_absurd_quota_is_refused() {
    let d = crate::draw::tests::record(&[1, 3, 3, 1], 2, [0; 32]);
    let mut v =
        serde_json::json!({ "activity": { "seats": 2, "participants": d.participants(), "draw": d } });
    v["activity"]["draw"]["strata"][0]["quota"] = u64::MAX.into();
    let r = crate::verify_published(&v.to_string()).unwrap();
    assert!(!r.ok && r.problems.iter().any(|p| p.field == "strata"), "{:?}", r.problems);
}

/// A workbook made by hand (stored, not compressed): its first sheet's XML and its shared strings.
fn workbook(sheet: &str, shared: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let strings: String = shared.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_owned()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="代表" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_owned()),
        ("xl/sharedStrings.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">{strings}</sst>"#, n = shared.len())),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#)),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in files {
        z.start_file(name, stored).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// The register's header row, as inline strings.
fn header_row() -> String {
    let cells: String = demo::HEADER
        .iter()
        .enumerate()
        .map(|(i, h)| {
            format!(r#"<c r="{}1" t="inlineStr"><is><t>{h}</t></is></c>"#, (b'A' + i as u8) as char)
        })
        .collect();
    format!(r#"<row r="1">{cells}</row>"#)
}

fn refused_as(bytes: &[u8], code: &str) {
    match read_file(bytes, &ImportOptions::default()) {
        Err(AppError::BadFile { code: c, zh, en }) => {
            assert_eq!(c, code, "{zh} / {en}");
            assert!(!zh.is_empty() && !en.is_empty());
        }
        other => panic!("not refused as {code}: {other:?}"),
    }
}

/// Found by the fuzzing above (issue 13 item 11): a cell naming a shared string the workbook does not
/// have made the XLSX reader panic (calamine 0.30: an index out of bounds); it is a damaged file, refused.
#[test]
fn issue13_a_cell_naming_a_missing_shared_string_is_a_damaged_file() {
    let sheet = format!(r#"{}<row r="2"><c r="A2" t="s"><v>99</v></c></row>"#, header_row());
    refused_as(&workbook(&sheet, &["王芳"]), "import.bad_xlsx");
}

/// Found beside it: a cell reference whose row does not fit 32 bits overflows in the reader (a panic in a
/// debug build, refused here as a damaged file; a wrapped row in a release build, where the row is then
/// refused for its missing fields): refused either way, never a crash.
#[test]
fn issue13_a_cell_reference_past_the_last_row_is_refused() {
    let sheet = format!(
        r#"{}<row r="2"><c r="A99999999999" t="inlineStr"><is><t>王芳</t></is></c></row>"#,
        header_row()
    );
    match read_file(&workbook(&sheet, &[]), &ImportOptions::default()) {
        Err(AppError::BadFile { code, .. }) => assert_eq!(code, "import.bad_xlsx"),
        Ok((drafts, report)) => assert!(drafts.is_empty() && !report.errors.is_empty(), "{report:?}"),
        Err(e) => panic!("{e:?}"),
    }
}

/// A sheet stating one cell at its last column (XFD, 16,384 columns) was read as a dense range — hundreds
/// of gigabytes for a cell in the last row too: the reader now keeps the cells that hold text, and a
/// sheet wider than any register is refused with its width. A row far below the header is just a row.
#[test]
fn issue13_a_sheet_with_a_far_corner_cell_is_refused_or_read_without_allocating_it() {
    let sheet = format!(
        r#"{}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
        header_row()
    );
    refused_as(&workbook(&sheet, &[]), "import.xlsx_too_large");
    let row: Vec<String> =
        demo::record(&demo::generate(1, 3).next().unwrap()).iter().map(|s| s.to_string()).collect();
    let cells: String = row
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(r#"<c r="{}1048576" t="inlineStr"><is><t>{v}</t></is></c>"#, (b'A' + i as u8) as char)
        })
        .collect();
    let sheet = format!(r#"{}<row r="1048576">{cells}</row>"#, header_row());
    let (drafts, report) = read_file(&workbook(&sheet, &[]), &ImportOptions::default()).unwrap();
    assert_eq!((drafts.len(), drafts[0].0, report.errors.len()), (1, 1_048_576, 0), "{:?}", report.errors);
}

/// A date cell whose serial is past the calendar (a damaged file) overflowed the date arithmetic; it stays
/// a number, which the date's own check refuses with its reason.
#[test]
fn issue13_a_date_serial_past_the_calendar_is_refused_by_the_date_check() {
    use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
    for serial in [1e300, -1e300, f64::MAX, 3e6] {
        let text = crate::import::cell_text(&Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        )));
        assert!(liaison_core::registry::parse_date(&text).is_err(), "{serial}: {text}");
    }
}
