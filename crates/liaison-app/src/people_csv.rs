//! CSV for people: the one writer behind every CSV the tools hand out (`--format csv`, the commendation
//! export, the demo register). It opens correctly in Excel and WPS on Chinese Windows and cannot smuggle a
//! formula into the spreadsheet.
//!
//! - **UTF-8 with a byte-order mark.** Without it Excel and WPS on a Chinese Windows read a CSV as GBK and
//!   every name turns to mojibake. (The importer strips the mark again.)
//! - **Formula injection** (OWASP, "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a
//!   carriage return is prefixed with `'`, so the spreadsheet shows it as text instead of evaluating it —
//!   unless the cell is a plain number (`-12.50`, `+3`, `42`), which stays a number: a plain number cannot
//!   be a formula, and a negative amount in yuan must still add up. A cell that is not a plain number is
//!   always text, so neutralising it loses nothing a reader needs.

use std::borrow::Cow;
use std::io::Write;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// A CSV writer for people: every cell goes through [`neutralise`].
pub struct PeopleCsv<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> PeopleCsv<W> {
    /// A new UTF-8 document: writes the byte-order mark first.
    pub fn new(mut out: W) -> std::io::Result<Self> {
        out.write_all(BOM)?;
        Ok(Self::continuing(out))
    }

    /// More rows of a document whose start (and mark) was written already, or one re-encoded later into an
    /// encoding without a mark (GBK).
    pub fn continuing(out: W) -> Self {
        Self { w: csv::Writer::from_writer(out) }
    }

    /// One row, each cell neutralised.
    pub fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for c in cells {
            self.w.write_field(neutralise(c.as_ref()).as_bytes())?;
        }
        // The documented way to end a record written field by field.
        self.w.write_record(None::<&[u8]>)
    }

    /// Flush and hand back the output.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// A document in memory: the header row and the rows, UTF-8 with its mark.
pub fn to_bytes<H, R, S>(headers: H, rows: impl IntoIterator<Item = R>) -> std::io::Result<Vec<u8>>
where
    H: IntoIterator<Item = S>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut w = PeopleCsv::new(Vec::new())?;
    w.row(headers)?;
    for r in rows {
        w.row(r)?;
    }
    w.finish()
}

/// The cell as a spreadsheet should show it: prefixed with `'` when it starts like a formula and is not a
/// plain number.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// An optional sign, digits, and optionally a point and more digits.
fn plain_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_stay_numbers() {
        for (cell, shown) in [
            ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("-12.50", "-12.50"),
            ("+3", "+3"),
            ("42", "42"),
            ("张三", "张三"),
            ("2026-01-01", "2026-01-01"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), shown, "{cell:?}");
        }
    }

    #[test]
    fn a_document_starts_with_the_mark_and_neutralises_every_cell() {
        let bytes = to_bytes(["姓名", "金额"], [vec!["=1+1", "-12.50"], vec!["李四", "3"]]).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
        assert_eq!(text, "姓名,金额\n'=1+1,-12.50\n李四,3\n");
    }

    #[test]
    fn the_demo_register_has_the_mark_in_utf8_and_none_in_gbk() {
        use crate::demo;
        use crate::import::Encoding;
        let (mut utf8, mut gbk) = (Vec::new(), Vec::new());
        demo::write_csv(demo::generate(3, 1), &mut utf8, Encoding::Utf8).unwrap();
        demo::write_csv(demo::generate(3, 1), &mut gbk, Encoding::Gbk).unwrap();
        assert!(utf8.starts_with(BOM) && !utf8[BOM.len()..].starts_with(BOM));
        assert!(!gbk.starts_with(BOM));
    }
}
