//! Reading a register file into rows: a CSV's encoding (declared, or detected: UTF-8 with or without a
//! byte-order mark, else GBK/GB18030 when it decodes without a single replacement), its records and their
//! line numbers as a spreadsheet counts them; an XLSX sheet cell by cell, within Excel's own limits.

use super::*;

pub(super) const BOM: &[u8] = b"\xef\xbb\xbf";

pub(super) fn as_utf8(bytes: &[u8]) -> Result<String, usize> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(body)
        .map(str::to_owned)
        .map_err(|e| body[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1)
}

pub(super) fn as_gb18030(bytes: &[u8]) -> Option<String> {
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|c| c.into_owned())
}

/// The text of a CSV file and the encoding it was read in. Undeclared, valid UTF-8 (with or without a
/// byte-order mark) is UTF-8; otherwise a file that decodes cleanly as GB18030 (a superset of GBK, which
/// Excel on Chinese Windows saves by default) is read as such, and the report says so.
pub(super) fn decode(bytes: &[u8], encoding: Option<Encoding>) -> Result<(String, Encoding), AppError> {
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
pub(super) struct Rows {
    pub(super) rows: Vec<(u64, DeputyInput)>,
    pub(super) errors: Vec<RowError>,
    pub(super) cols: Columns,
    pub(super) notes: Vec<ImportNote>,
}

/// Line breaks in `s`, counted as a spreadsheet counts them: `\r\n`, a lone `\r` and a lone `\n` are one each.
pub(super) fn line_breaks(s: &str) -> u64 {
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
pub(super) struct RowCounter<'a> {
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

pub(super) fn read_csv(text: &str) -> Result<Rows, AppError> {
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
pub(super) fn cell_name((row, col): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), u64::from(row) + 1)
}

pub(super) fn bad_xlsx(e: String) -> AppError {
    bad_file(
        "import.bad_xlsx",
        "无法读取 XLSX 文件：文件已损坏，或不是 Excel 2007 及以后版本的工作簿（.xlsx）".into(),
        format!("cannot read the XLSX file: {e}"),
    )
}

pub(super) fn xlsx_too_large(what_zh: String, what_en: String) -> AppError {
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
pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Rows, AppError> {
    std::panic::catch_unwind(|| read_xlsx_cells(bytes))
        .unwrap_or_else(|_| Err(bad_xlsx("a cell reference could not be read".into())))
}

/// The sheet, cell by cell, never as a range: a range spans from the first cell to the last, so a sheet
/// with cells A1 and XFD1048576 asked for 2^34 cells (issue 12). The declared dimension and every cell's
/// reference are checked against `XLSX_MAX_ROWS` and `XLSX_MAX_COLUMNS` first; each row is validated as
/// it ends, so memory holds one row of cells beside the rows already read.
pub(super) fn read_xlsx_cells(bytes: &[u8]) -> Result<Rows, AppError> {
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
pub(super) struct SheetRows {
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
