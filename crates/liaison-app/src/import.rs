//! Importing a register file as liaison offices export it: CSV in UTF-8 or GBK/GB18030 (Excel on Chinese
//! Windows saves GBK; detected when not declared), or XLSX; Chinese or English headers. All or nothing: a file with any bad
//! row writes nothing, and the report names the row, the column and the reason for every problem.
//! `dry_run` checks everything, the register included, and writes nothing.

mod batch;
mod publish;

use std::collections::HashMap;
use std::sync::Arc;

use liaison_core::FieldError;
use liaison_core::access::Action;
use liaison_core::registry::{DeputyDraft, DeputyInput, DuplicateReason};
use liaison_store::WriteTx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, Principal};

/// The file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Comma-separated values.
    Csv,
    /// Excel 2007+ workbook (first sheet).
    Xlsx,
}

impl FileFormat {
    /// Guess from the content: XLSX files are ZIP archives.
    pub fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") { Self::Xlsx } else { Self::Csv }
    }
}

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark).
    #[default]
    Utf8,
    /// GBK / GB18030.
    Gbk,
}

/// What to do with a row that is the same person as a deputy already on the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnDuplicate {
    /// Report it as an error (the default): nothing is doubled silently.
    #[default]
    Refuse,
    /// Update the existing record with the row's data, on purpose.
    Update,
}

/// Import options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Format; sniffed from the content when absent.
    pub format: Option<FileFormat>,
    /// CSV encoding; detected when absent (valid UTF-8 is UTF-8, otherwise GBK/GB18030 when the file
    /// decodes cleanly as such).
    pub encoding: Option<Encoding>,
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Duplicates.
    pub on_duplicate: OnDuplicate,
    /// The yearly refresh (`crate::refresh`): matching rows update whatever `on_duplicate` says, and the
    /// deputies of the same congresses the file leaves out are listed (their terms ended when confirmed).
    pub refresh: Option<crate::refresh::RefreshOptions>,
}

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowError {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    /// The column's header as written in the file, when the problem is in one column.
    pub column: Option<String>,
    /// The field (`mobile`, `term_start` …).
    pub field: Option<String>,
    /// Stable code.
    pub code: String,
    /// In Chinese.
    pub message_zh: String,
    /// In English.
    pub message_en: String,
}

/// Something the importer changed or decided while reading, that the person importing should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportNote {
    /// Row number as a spreadsheet shows it, when the note concerns one row (none for the whole file).
    pub row: Option<u64>,
    /// The column's header as written in the file, when the note concerns one column.
    pub column: Option<String>,
    /// Stable code (`import.line_break_replaced` …).
    pub code: String,
    /// In Chinese.
    pub message_zh: String,
    /// In English.
    pub message_en: String,
}

/// What an import did, or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// New deputies registered.
    pub imported: u64,
    /// Existing deputies updated (`on_duplicate = update`).
    pub updated: u64,
    /// Rows that matched an existing record and changed nothing.
    pub unchanged: u64,
    /// Nothing was written.
    pub dry_run: bool,
    /// Every problem found.
    pub errors: Vec<RowError>,
    /// Columns the file has that the register does not use.
    pub ignored_columns: Vec<String>,
    /// The encoding a CSV file was read in (declared or detected); none for XLSX.
    #[serde(default)]
    pub encoding: Option<Encoding>,
    /// What was changed or decided while reading (a line break in a cell, the encoding detected …).
    #[serde(default)]
    pub notes: Vec<ImportNote>,
    /// A refresh's three lists: updated, registered, possibly departed (only for a refresh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<crate::refresh::RefreshReport>,
}

impl ImportReport {
    /// How many rows have at least one problem (a row may have several).
    pub fn rows_with_errors(&self) -> u64 {
        let rows: std::collections::BTreeSet<u64> = self.errors.iter().map(|e| e.row).collect();
        rows.len() as u64
    }
}

/// Progress callback: (rows done, rows in all).
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

const FIELDS: &[(&str, &[&str])] = &[
    ("name", &["姓名", "代表姓名", "name"]),
    ("gender", &["性别", "gender"]),
    ("ethnicity", &["民族", "ethnicity"]),
    ("birth_date", &["出生日期", "出生年月", "birth_date"]),
    ("id_number", &["身份证号", "身份证号码", "公民身份号码", "id_number"]),
    ("level", &["代表层级", "层级", "级别", "代表级别", "level"]),
    ("term", &["届次", "届别", "term"]),
    ("delegation", &["代表团", "选区", "代表团/选区", "所在代表团", "delegation"]),
    ("region", &["所属区域", "区域", "地区", "所在地区", "region"]),
    ("work_unit", &["工作单位", "单位", "work_unit"]),
    ("position", &["职务", "position"]),
    ("mobile", &["手机", "手机号码", "移动电话", "mobile"]),
    ("landline", &["固定电话", "办公电话", "电话", "landline"]),
    ("address", &["通讯地址", "地址", "住址", "address"]),
    ("email", &["电子邮箱", "邮箱", "email"]),
    ("special_roles", &["特殊身份", "special_roles"]),
    ("term_start", &["任期开始", "任期起始", "任期开始日期", "term_start"]),
    ("term_end", &["任期结束", "任期届满", "任期结束日期", "term_end"]),
];

const REQUIRED: &[&str] = &["name", "level", "term", "region", "term_start"];

/// The accepted columns, for `liaison deputy import --help`: written from the table the importer reads
/// headers with, so the help and the importer cannot disagree.
pub fn columns_help() -> String {
    let mut out =
        String::from("可用的列 / accepted columns（表头中文或英文均可，不计大小写和空格；* 为必填）：\n");
    for (field, aliases) in FIELDS {
        let star = if REQUIRED.contains(field) { " *" } else { "" };
        let (first, rest) = aliases.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
        out.push_str(&format!("  {first}{star}  （别名 aliases：{}）\n", rest.join("、")));
    }
    out.push_str(
        "性别和身份证号至少有一列（性别可由身份证号得出）。其他列不导入，在报告中列为“未使用的列”。\n\
         Gender or the ID number is required (the gender follows from the ID number).\n\
         Any other column is not imported and is reported as unused.",
    );
    out
}

fn bad_file(code: &'static str, zh: String, en: String) -> AppError {
    AppError::BadFile { code, zh, en }
}

fn normalise_header(h: &str) -> String {
    h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .replace([' ', '\u{3000}'], "")
        .to_lowercase()
}

fn set_field(input: &mut DeputyInput, field: &str, v: String) {
    let slot = match field {
        "name" => &mut input.name,
        "gender" => &mut input.gender,
        "ethnicity" => &mut input.ethnicity,
        "birth_date" => &mut input.birth_date,
        "id_number" => &mut input.id_number,
        "level" => &mut input.level,
        "term" => &mut input.term,
        "delegation" => &mut input.delegation,
        "region" => &mut input.region,
        "work_unit" => &mut input.work_unit,
        "position" => &mut input.position,
        "mobile" => &mut input.mobile,
        "landline" => &mut input.landline,
        "address" => &mut input.address,
        "email" => &mut input.email,
        "special_roles" => &mut input.special_roles,
        "term_start" => &mut input.term_start,
        _ => &mut input.term_end,
    };
    *slot = v;
}

/// The columns of a file: which field each column feeds, and the header text of each field.
struct Columns {
    fields: Vec<Option<&'static str>>,
    header_of: HashMap<&'static str, String>,
    ignored: Vec<String>,
}

fn map_headers(headers: &[String]) -> Result<Columns, AppError> {
    let mut cols = Columns { fields: Vec::new(), header_of: HashMap::new(), ignored: Vec::new() };
    for h in headers {
        let n = normalise_header(h);
        let field = FIELDS
            .iter()
            .find(|(_, aliases)| aliases.iter().any(|a| normalise_header(a) == n))
            .map(|(f, _)| *f);
        if let Some(f) = field {
            if let Some(prev) = cols.header_of.get(f) {
                return Err(bad_file(
                    "import.duplicate_column",
                    format!("列“{prev}”和“{h}”是同一项内容，请只保留一列"),
                    format!("columns \"{prev}\" and \"{h}\" are the same field ({f}); keep one"),
                ));
            }
            cols.header_of.insert(f, h.trim().to_owned());
        } else if !n.is_empty() {
            cols.ignored.push(h.trim().to_owned());
        }
        cols.fields.push(field);
    }
    let mut missing: Vec<&str> =
        REQUIRED.iter().copied().filter(|f| !cols.header_of.contains_key(f)).collect();
    if !cols.header_of.contains_key("gender") && !cols.header_of.contains_key("id_number") {
        missing.push("gender");
    }
    if !missing.is_empty() {
        let zh: Vec<&str> = missing.iter().map(|f| liaison_core::error::field_zh(f)).collect();
        return Err(bad_file(
            "import.missing_columns",
            format!("表头缺少必需的列：{}", zh.join("、")),
            format!("the header lacks required columns: {}", missing.join(", ")),
        ));
    }
    Ok(cols)
}

/// A cell's line breaks (Alt+Enter in Excel, a multi-line quoted CSV field) become one space each: every
/// register value is one line (addresses are printed on one line, masked, exported), so the break is
/// normalised and the report says so, instead of refusing the file.
fn one_line(cell: &str) -> Option<String> {
    if !cell.contains(['\n', '\r']) {
        return None;
    }
    let parts: Vec<&str> = cell.split(['\n', '\r']).map(str::trim).filter(|p| !p.is_empty()).collect();
    Some(parts.join(" "))
}

/// A telephone number typed with full-width digits (`１３８…`, a Chinese input method's default) in
/// half-width, when it has any: the number is the same, so it is normalised and the report says so.
fn half_width_phone(cell: &str) -> Option<String> {
    let full = |c: char| ('０'..='９').contains(&c) || matches!(c, '＋' | '－' | '（' | '）' | '　');
    if !cell.chars().any(|c| ('０'..='９').contains(&c)) {
        return None;
    }
    Some(
        cell.chars()
            .map(|c| match c {
                '　' => ' ',
                c if full(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect(),
    )
}

fn row_input(
    cols: &Columns,
    row: u64,
    cells: impl Iterator<Item = String>,
    notes: &mut Vec<ImportNote>,
) -> Option<DeputyInput> {
    let mut input = DeputyInput::default();
    let mut any = false;
    let (mut broken, mut wide) = (Vec::new(), Vec::new());
    for (field, v) in cols.fields.iter().zip(cells) {
        if let Some(f) = field {
            any |= !v.trim().is_empty();
            let v = match one_line(&v) {
                Some(joined) => {
                    broken.push(*f);
                    joined
                }
                None => v,
            };
            let v = match half_width_phone(&v).filter(|_| matches!(*f, "mobile" | "landline")) {
                Some(narrow) => {
                    wide.push(*f);
                    narrow
                }
                None => v,
            };
            set_field(&mut input, f, v);
        }
    }
    if !any {
        return None;
    }
    let note = |f: &'static str, code: &str, zh: &str, en: &str| ImportNote {
        row: Some(row),
        column: cols.header_of.get(f).cloned(),
        code: code.into(),
        message_zh: zh.into(),
        message_en: en.into(),
    };
    notes.extend(broken.into_iter().map(|f| {
        note(
            f,
            "import.line_break_replaced",
            "单元格内的换行已替换为空格",
            "the line breaks in the cell were replaced by spaces",
        )
    }));
    notes.extend(wide.into_iter().map(|f| {
        note(
            f,
            "import.full_width_digits",
            "号码中的全角数字已转换为半角数字",
            "the full-width digits in the number were converted to ordinary digits",
        )
    }));
    Some(input)
}

const BOM: &[u8] = b"\xef\xbb\xbf";

fn as_utf8(bytes: &[u8]) -> Result<String, usize> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(body)
        .map(str::to_owned)
        .map_err(|e| body[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1)
}

fn as_gb18030(bytes: &[u8]) -> Option<String> {
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|c| c.into_owned())
}

/// The text of a CSV file and the encoding it was read in. Undeclared, valid UTF-8 (with or without a
/// byte-order mark) is UTF-8; otherwise a file that decodes cleanly as GB18030 (a superset of GBK, which
/// Excel on Chinese Windows saves by default) is read as such, and the report says so.
fn decode(bytes: &[u8], encoding: Option<Encoding>) -> Result<(String, Encoding), AppError> {
    match encoding {
        None => match as_utf8(bytes) {
            Ok(text) => Ok((text, Encoding::Utf8)),
            Err(line) => as_gb18030(bytes).map(|text| (text, Encoding::Gbk)).ok_or_else(|| {
                bad_file(
                    "import.unknown_encoding",
                    format!("无法识别文件的编码：既不是 UTF-8（第 {line} 行起无法识别），也不是 GBK/GB18030。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"),
                    format!("cannot tell the file's encoding: it is neither UTF-8 (from line {line}) nor GBK/GB18030. Save it from Excel as \"CSV UTF-8 (comma delimited)\""),
                )
            }),
        },
        Some(Encoding::Utf8) => as_utf8(bytes).map(|text| (text, Encoding::Utf8)).map_err(|line| {
            bad_file(
                "import.not_utf8",
                format!("文件声明为 UTF-8，但不是 UTF-8 编码（第 {line} 行起无法识别）。如为 Excel 另存的 GBK 编码 CSV，请指定编码 gbk（--encoding gbk）或不指定编码以自动识别"),
                format!("the file was declared UTF-8 but is not (from line {line}). If it is a GBK CSV saved by Excel, declare the encoding gbk (--encoding gbk) or leave it out to detect it"),
            )
        }),
        Some(Encoding::Gbk) => {
            if bytes.starts_with(BOM) || (std::str::from_utf8(bytes).is_ok() && !bytes.is_ascii()) {
                return Err(bad_file(
                    "import.not_gbk",
                    "文件声明为 GBK，但内容是 UTF-8 编码；请去掉 --encoding gbk".into(),
                    "the file was declared GBK but is UTF-8; drop --encoding gbk".into(),
                ));
            }
            as_gb18030(bytes).map(|text| (text, Encoding::Gbk)).ok_or_else(|| {
                bad_file(
                    "import.not_gbk",
                    "文件含有无效的 GBK 字节".into(),
                    "the file has bytes that are not valid GBK".into(),
                )
            })
        }
    }
}

/// What reading a file gives: the rows with their numbers, the rows that could not be read, the columns,
/// and the notes made while reading.
struct Rows {
    rows: Vec<(u64, DeputyInput)>,
    errors: Vec<RowError>,
    cols: Columns,
    notes: Vec<ImportNote>,
}

/// Line breaks in `s`, counted as a spreadsheet counts them: `\r\n`, a lone `\r` and a lone `\n` are one each.
fn line_breaks(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, c) in b.iter().enumerate() {
        match c {
            b'\n' => n += 1,
            b'\r' if b.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
    }
    n
}

/// Spreadsheet row numbers for CSV records: the row a record starts on is one more than the line breaks
/// before it, less the breaks inside the quoted fields of the records before it (a record is one row
/// however many lines it spans, and a blank line is a row, as Excel shows them).
struct RowCounter<'a> {
    text: &'a str,
    /// Where the previous record started (always after a complete line break).
    at: usize,
    /// Line breaks before `at`.
    breaks: u64,
    /// Line breaks inside the fields of the records already counted.
    inside: u64,
}

impl RowCounter<'_> {
    fn row(&mut self, record: &csv::StringRecord) -> u64 {
        // csv gives the byte where its reader stood, which may be the `\n` of the previous `\r\n`.
        let from = record.position().map_or(self.at, |p| p.byte() as usize).clamp(self.at, self.text.len());
        let start = self.text[from..].find(|c| c != '\r' && c != '\n').map_or(self.text.len(), |i| from + i);
        self.breaks += line_breaks(&self.text[self.at..start]);
        self.at = start;
        let row = self.breaks - self.inside + 1;
        self.inside += record.iter().map(line_breaks).sum::<u64>();
        row
    }
}

fn read_csv(text: &str) -> Result<Rows, AppError> {
    // Field counts are checked here (not by csv), so that a bad record is still read and counted.
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut counter = RowCounter { text, at: 0, breaks: 0, inside: 0 };
    let mut record = csv::StringRecord::new();
    let cannot_read = |e: csv::Error| {
        bad_file("import.bad_csv", "无法读取 CSV 文件".into(), format!("cannot read the CSV file: {e}"))
    };
    if !rdr.read_record(&mut record).map_err(cannot_read)? {
        record.clear();
    }
    counter.row(&record);
    let headers: Vec<String> = record.iter().map(str::to_owned).collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(bad_file(
            "import.empty",
            "文件为空或没有表头".into(),
            "the file is empty or has no header".into(),
        ));
    }
    let cols = map_headers(&headers)?;
    let (mut rows, mut errors, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    while rdr.read_record(&mut record).map_err(cannot_read)? {
        let row = counter.row(&record);
        let (expected, len) = (headers.len(), record.len());
        if len != expected {
            errors.push(RowError {
                row,
                column: None,
                field: None,
                code: "import.bad_row".into(),
                message_zh: format!(
                    "本行有 {len} 列，表头有 {expected} 列（文件可能被截断或含未闭合的引号）"
                ),
                message_en: format!(
                    "this row has {len} fields but the header has {expected} (truncated file or an unclosed quote?)"
                ),
            });
            continue;
        }
        if let Some(input) = row_input(&cols, row, record.iter().map(str::to_owned), &mut notes) {
            rows.push((row, input));
        }
    }
    Ok(Rows { rows, errors, cols, notes })
}

pub(crate) fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            // Excel serial days since 1899-12-30; a serial past the calendar (a damaged file) stays a number,
            // which the date's check then refuses with its reason.
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            chrono::Duration::try_days(d.as_f64().floor() as i64)
                .and_then(|days| base.checked_add_signed(days))
                .map_or_else(|| d.as_f64().to_string(), |day| day.to_string())
        }
    }
}

/// The most rows a register sheet may have: Excel's own limit (no sheet holds more).
pub const XLSX_MAX_ROWS: u32 = 1_048_576;
/// The most columns: the register has 18 fields; room for numbering and notes stays far below this.
pub const XLSX_MAX_COLUMNS: u32 = 256;

/// The name a spreadsheet gives a cell (`(0, 0)` → `A1`, `(1_048_575, 16_383)` → `XFD1048576`).
fn cell_name((row, col): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), u64::from(row) + 1)
}

fn bad_xlsx(e: String) -> AppError {
    bad_file(
        "import.bad_xlsx",
        "无法读取 XLSX 文件：文件已损坏，或不是 Excel 2007 及以后版本的工作簿（.xlsx）".into(),
        format!("cannot read the XLSX file: {e}"),
    )
}

fn xlsx_too_large(what_zh: String, what_en: String) -> AppError {
    bad_file(
        "import.xlsx_too_large",
        format!(
            "工作表{what_zh}超出上限：代表名册最多 {XLSX_MAX_ROWS} 行、{XLSX_MAX_COLUMNS} 列，请只保留名册所在的区域"
        ),
        format!(
            "the sheet's {what_en} is beyond the limit of {XLSX_MAX_ROWS} rows and {XLSX_MAX_COLUMNS} columns; keep only the register's cells"
        ),
    )
}

/// Read the first sheet. The reader's reference arithmetic is unchecked (an absurd reference panics in a
/// debug build): a panic while reading is a bad file, never a crashed process.
fn read_xlsx(bytes: &[u8]) -> Result<Rows, AppError> {
    std::panic::catch_unwind(|| read_xlsx_cells(bytes))
        .unwrap_or_else(|_| Err(bad_xlsx("a cell reference could not be read".into())))
}

/// The sheet, cell by cell, never as a range: a range spans from the first cell to the last, so a sheet
/// with cells A1 and XFD1048576 asked for 2^34 cells (issue 12). The declared dimension and every cell's
/// reference are checked against `XLSX_MAX_ROWS` and `XLSX_MAX_COLUMNS` first; each row is validated as
/// it ends, so memory holds one row of cells beside the rows already read.
fn read_xlsx_cells(bytes: &[u8]) -> Result<Rows, AppError> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| bad_xlsx(e.to_string()))?;
    let sheet = wb.sheet_names().first().cloned().ok_or_else(|| bad_xlsx("no worksheet".into()))?;
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(|e| bad_xlsx(e.to_string()))?;
    let declared = cells.dimensions();
    if declared.end.0 >= XLSX_MAX_ROWS || declared.end.1 >= XLSX_MAX_COLUMNS {
        let range = format!("{}:{}", cell_name(declared.start), cell_name(declared.end));
        return Err(xlsx_too_large(format!("声明的范围 {range}"), format!("declared dimension {range}")));
    }
    let mut sheet = SheetRows::default();
    let mut notes = Vec::new();
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| bad_xlsx(e.to_string()))? {
        let (row, col) = cell.get_position();
        if row >= XLSX_MAX_ROWS || col >= XLSX_MAX_COLUMNS {
            let name = cell_name((row, col));
            return Err(xlsx_too_large(format!("中的单元格 {name}"), format!("cell {name}")));
        }
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        match &mut current {
            Some((r, _)) if *r > row => {
                return Err(bad_xlsx(format!("row {} comes after row {}", row + 1, *r + 1)));
            }
            Some((r, _)) if *r < row => {
                if let Some((r, values)) = current.replace((row, Vec::new())) {
                    sheet.push(r, values, &mut notes)?;
                }
            }
            Some(_) => {}
            None => current = Some((row, Vec::new())),
        }
        if let Some((_, values)) = current.as_mut() {
            let col = col as usize;
            if values.len() <= col {
                values.resize(col + 1, String::new());
            }
            values[col] = text;
        }
    }
    if let Some((r, values)) = current {
        sheet.push(r, values, &mut notes)?;
    }
    let Some(cols) = sheet.cols else {
        return Err(bad_file(
            "import.empty",
            "工作表为空或没有表头".into(),
            "the sheet is empty or has no header".into(),
        ));
    };
    Ok(Rows { rows: sheet.rows, errors: Vec::new(), cols, notes })
}

/// The rows of a sheet as they end: the first is the header, the others records.
#[derive(Default)]
struct SheetRows {
    cols: Option<Columns>,
    rows: Vec<(u64, DeputyInput)>,
}

impl SheetRows {
    fn push(&mut self, row: u32, values: Vec<String>, notes: &mut Vec<ImportNote>) -> Result<(), AppError> {
        match &self.cols {
            None => self.cols = Some(map_headers(&values)?),
            Some(cols) => {
                let row = u64::from(row) + 1;
                if let Some(input) = row_input(cols, row, values.into_iter(), notes) {
                    self.rows.push((row, input));
                }
            }
        }
        Ok(())
    }
}

fn field_error(row: u64, cols: &Columns, e: &FieldError) -> RowError {
    let column = FIELDS.iter().find(|(f, _)| *f == e.field).and_then(|(f, _)| cols.header_of.get(f)).cloned();
    RowError {
        row,
        column,
        field: Some(e.field.clone()),
        code: e.code.into(),
        message_zh: e.message_zh.clone(),
        message_en: e.message_en.clone(),
    }
}

fn row_error(row: u64, code: &str, zh: String, en: String) -> RowError {
    RowError { row, column: None, field: None, code: code.into(), message_zh: zh, message_en: en }
}

/// A duplicate, naming the columns its rule compares as the file heads them (「身份证号」).
fn duplicate_error(
    row: u64,
    reason: DuplicateReason,
    headers: &HashMap<&'static str, String>,
    code: &str,
    (zh, en): (String, String),
) -> RowError {
    let columns: Vec<String> = reason
        .fields()
        .iter()
        .map(|f| headers.get(f).cloned().unwrap_or_else(|| liaison_core::error::field_zh(f).to_owned()))
        .collect();
    let quoted: Vec<String> = columns.iter().map(|c| format!("「{c}」")).collect();
    RowError {
        row,
        column: columns.first().cloned(),
        field: reason.fields().first().map(|f| (*f).to_owned()),
        code: code.into(),
        message_zh: format!("{zh}：{}相同", quoted.join("和")),
        message_en: format!("{en} ({})", reason.en()),
    }
}

/// Read and validate a file into drafts; every row's problems are reported.
pub fn read_file(
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<(Vec<(u64, DeputyDraft)>, ImportReport), AppError> {
    read_with_headers(bytes, opts).map(|(drafts, report, _)| (drafts, report))
}

type Read = (Vec<(u64, DeputyDraft)>, ImportReport, HashMap<&'static str, String>);

fn read_with_headers(bytes: &[u8], opts: &ImportOptions) -> Result<Read, AppError> {
    let (read, encoding) = match opts.format.unwrap_or_else(|| FileFormat::sniff(bytes)) {
        FileFormat::Csv => {
            let (text, encoding) = decode(bytes, opts.encoding)?;
            (read_csv(&text)?, Some(encoding))
        }
        FileFormat::Xlsx => (read_xlsx(bytes)?, None),
    };
    let Rows { rows, errors, cols, mut notes } = read;
    if encoding == Some(Encoding::Gbk) && opts.encoding.is_none() {
        notes.insert(
            0,
            ImportNote {
                row: None,
                column: None,
                code: "import.read_as_gbk".into(),
                message_zh: "文件不是 UTF-8 编码，已按 GBK/GB18030 读取".into(),
                message_en: "the file is not UTF-8; it was read as GBK/GB18030".into(),
            },
        );
    }
    let mut report = ImportReport {
        dry_run: opts.dry_run,
        errors,
        ignored_columns: cols.ignored.clone(),
        encoding,
        notes,
        ..Default::default()
    };
    report.rows = rows.len() as u64 + report.errors.len() as u64;
    let mut drafts = Vec::with_capacity(rows.len());
    for (row, input) in rows {
        match input.parse() {
            Ok(d) => drafts.push((row, d)),
            Err(errs) => report.errors.extend(errs.iter().map(|e| field_error(row, &cols, e))),
        }
    }
    Ok((drafts, report, cols.header_of))
}

impl App {
    /// Import a register file (see the module documentation, [`publish`] for how the work is split between
    /// the preparation outside any transaction and the transactions that write, and [`batch`] for the
    /// chunks a real import writes its new deputies in). `progress` is told `(done, 2 × rows)`: the
    /// preparation is the first half, the writing the second.
    pub async fn import_deputies(
        &self,
        p: &Principal,
        bytes: &[u8],
        opts: &ImportOptions,
        progress: Option<Progress>,
    ) -> Result<ImportReport, AppError> {
        p.require(Action::ImportRegistry)?;
        let refresh_options = opts.refresh.map(|r| r.resolve(self.meta(p, None).today())).transpose()?;
        let (drafts, report, headers) = {
            let _one_at_a_time = self.imports.acquire().await;
            read_with_headers(bytes, opts)?
        };
        let meta =
            self.meta(p, Some(if refresh_options.is_some() { "年度名册核对" } else { "名册导入" }.into()));
        let end_meta = self.meta(p, Some("年度名册核对：不在新名册中，确认任期结束".into()));
        let job = publish::Job {
            tenant: p.tenant.clone(),
            meta,
            end_meta,
            on_dup: if refresh_options.is_some() { OnDuplicate::Update } else { opts.on_duplicate },
            dry_run: opts.dry_run,
            refresh: refresh_options,
            headers,
        };
        // The preparation is seconds of CPU and reads for a large file: off the async threads.
        let (store, started, staging_progress) =
            (self.store.clone(), std::time::Instant::now(), progress.clone());
        let prepared =
            tokio::task::spawn_blocking(move || publish::prepare(&*store, job, drafts, report, progress))
                .await
                .map_err(|e| {
                    AppError::Store(liaison_store::StoreError::Transaction(format!(
                        "the import's preparation failed: {e}"
                    )))
                })??;
        if prepared.stages() {
            return self.import_staged(prepared, staging_progress).await;
        }
        // A large job: the log it grew is given back once its transaction ends, committed or not (a
        // transaction larger than the page cache spills to the WAL before it commits).
        let (keys, clock, ready) = (self.store.keys().clone(), self.clock.clone(), std::time::Instant::now());
        let written = Arc::new(std::sync::Mutex::new(None));
        let w = written.clone();
        let outcome = liaison_store::write_large_async(&*self.store, move |tx: &mut dyn WriteTx| {
            let t = std::time::Instant::now();
            let r = prepared.write(tx, &keys, clock());
            if let Ok(mut w) = w.lock() {
                *w = Some(t.elapsed());
            }
            r
        })
        .await;
        // How long the write lock was held, for operators (the transaction, then the commit and the log
        // given back): the figure a service writing beside an import waits at most.
        tracing::info!(
            prepared_ms = (ready - started).as_millis() as u64,
            transaction_ms = written.lock().ok().and_then(|w| *w).map_or(0, |d| d.as_millis() as u64),
            committed_ms = ready.elapsed().as_millis() as u64,
            "register import written"
        );
        match outcome {
            Err(AppError::DryRun(r)) => Ok(*r),
            other => other,
        }
    }
}
