//! Importing a register file as liaison offices export it: CSV in UTF-8 or GBK/GB18030 (Excel on Chinese
//! Windows saves GBK; detected when not declared), or XLSX; Chinese or English headers. All or nothing: a file with any bad
//! row writes nothing, and the report names the row, the column and the reason for every problem.
//! `dry_run` checks everything, the register included, and writes nothing.

mod batch;
mod file;
mod publish;

#[cfg(test)]
pub(crate) use file::cell_text;
use file::*;
pub use file::{XLSX_MAX_COLUMNS, XLSX_MAX_ROWS};

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
    /// Records linked to the same person's record on another procuratorate's register (issue 20).
    #[serde(default)]
    pub linked: u64,
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
            let report = self.import_staged(prepared, staging_progress).await?;
            return Ok(self.link_imported(p, report).await);
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
            Ok(report) => Ok(self.link_imported(p, report).await),
            other => other,
        }
    }

    /// After an import committed: its records linked with the same persons' records on the other registers
    /// of the tree (a deputy of two congresses, issue 20), in a transaction of its own. A failure here is
    /// logged, not the import's: what was imported stays, and `liaison tenant link-deputies` links later.
    async fn link_imported(&self, p: &Principal, mut report: ImportReport) -> ImportReport {
        if report.dry_run || report.imported + report.updated == 0 {
            return report;
        }
        let meta = self.meta(p, Some("名册导入：同一人在上下级检察院名册中的记录".into()));
        match self.link_after_import(&p.tenant, meta).await {
            Ok(n) => report.linked = n as u64,
            Err(e) => tracing::warn!(error = %e, "an import's records were not linked to other registers"),
        }
        report
    }
}
