//! The report's renderings: JSON, a zip of CSV tables, an XLSX workbook with native charts, a printable
//! HTML page. Each takes the one `AnnualReport`.
