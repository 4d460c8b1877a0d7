//! The command line's plain values as the app takes them: a date, the year by default (China time), a text
//! or the file it names, a deputy's id, and a file that cannot be read said for people.

use anyhow::Context;
use liaison_app::{App, AppError};
use liaison_core::ids::DeputyId;
use liaison_core::registry::parse_date;

/// A file that cannot be read, said in Chinese with the English after it (never the OS's English alone
/// inside a Chinese sentence).
pub(crate) fn read_error(file: &std::path::Path, e: &std::io::Error) -> anyhow::Error {
    let (zh, en) = match e.kind() {
        std::io::ErrorKind::NotFound => ("文件不存在", "no such file"),
        std::io::ErrorKind::PermissionDenied => ("没有读取该文件的权限", "permission denied"),
        std::io::ErrorKind::IsADirectory => ("这是一个目录，不是文件", "it is a directory"),
        _ => ("无法读取该文件", "cannot read it"),
    };
    anyhow::anyhow!("无法读取文件 {}：{zh}（{en}）", file.display())
}

/// `--from`/`--to`, defaulting to the current year (China time).
pub(crate) fn year_range(
    app: &App,
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    let from = from.map(|f| date("from", f)).transpose()?;
    let to = to.map(|t| date("to", t)).transpose()?;
    Ok(liaison_core::dates::year_by_default(from, to, app.now()))
}

/// A text argument, or the contents of a file when it starts with `@`.
pub(crate) fn text_arg(s: &str) -> anyhow::Result<String> {
    match s.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("读取文件 {path}")),
        None => Ok(s.to_owned()),
    }
}

pub(crate) fn deputy_id(s: &str) -> anyhow::Result<DeputyId> {
    DeputyId::parse(s).with_context(|| format!("不是有效的代表 id：{s}"))
}

pub(crate) fn date(field: &str, s: &str) -> anyhow::Result<chrono::NaiveDate> {
    parse_date(s).map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new(field, &e)]).into())
}
