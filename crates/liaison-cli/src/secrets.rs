//! Secrets and personal values from where `ps` and the shell's history cannot see them (issue 12): the
//! master key from `LIAISON_KEY` or `--key-file` (`-`: standard input), never `--key`; a database URL
//! with a password from `LIAISON_DATABASE_URL`, `--database-url @FILE` or `-`; a personal field as `-`
//! (its environment variable, else the next line of standard input) or `@FILE` (the file's first line).

use std::io::BufRead;

use anyhow::Context;
use liaison_app::secrets;
use liaison_app::{Config, KeySource};

use crate::args::Cli;

/// Which of the secret-bearing global options were typed on the command line (not taken from the
/// environment).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Typed {
    /// `--key`.
    pub(crate) key: bool,
    /// `--database-url`.
    pub(crate) database_url: bool,
}

impl Typed {
    /// Read from what clap matched.
    pub(crate) fn of(m: &clap::ArgMatches) -> Self {
        let typed = |id: &str| m.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
        Self { key: typed("key"), database_url: typed("database_url") }
    }
}

/// One line of standard input, trimmed (the next one each time).
fn stdin_line(what: &str) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).with_context(|| format!("无法从标准输入读取{what}"))?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        anyhow::bail!("标准输入中没有{what}（standard input holds no {what}）");
    }
    Ok(line)
}

/// A file's first line, trimmed.
fn file_line(path: &str, what: &str) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("无法读取{what}文件 {path}"))?;
    Ok(text.lines().next().unwrap_or_default().trim().to_owned())
}

/// The store's configuration from the global options, refusing secrets typed on the command line.
pub(crate) fn config(cli: &Cli) -> anyhow::Result<Config> {
    let url = match cli.database_url.as_deref() {
        Some("-") => Some(stdin_line("数据库地址")?),
        Some(f) if f.starts_with('@') => Some(file_line(&f[1..], "数据库地址")?),
        Some(u) if cli.typed.database_url && secrets::url_has_password(u) => {
            anyhow::bail!(secrets::password_on_command_line("--database-url"))
        }
        other => other.map(str::to_owned),
    };
    let mut c = match &url {
        Some(url) => Config::for_url(url),
        None => Config::for_db(&cli.db),
    };
    if cli.typed.key {
        anyhow::bail!(secrets::key_on_command_line());
    }
    if let Some(k) = &cli.key {
        c.key = KeySource::Hex(k.clone());
    } else if let Some(f) = &cli.key_file {
        c.key = if f.as_os_str() == "-" {
            KeySource::Hex(stdin_line("主密钥")?)
        } else {
            KeySource::File(f.clone())
        };
    }
    Ok(c)
}

/// A personal field's value: `-` (the environment variable `env`, else the next line of standard input)
/// or `@FILE`; typed out on the command line it is refused. Empty stays empty (not given).
pub(crate) fn personal(flag: &str, label_zh: &str, env: &str, value: &str) -> anyhow::Result<String> {
    match value {
        "" => Ok(String::new()),
        "-" => match std::env::var(env) {
            Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
            _ => stdin_line(label_zh),
        },
        f if f.starts_with('@') => file_line(&f[1..], label_zh),
        _ => anyhow::bail!(secrets::personal_on_command_line(flag, label_zh, env)),
    }
}

/// `personal` for an optional field (a change: absent means unchanged).
pub(crate) fn personal_opt(
    flag: &str,
    label_zh: &str,
    env: &str,
    value: Option<&String>,
) -> anyhow::Result<Option<String>> {
    value.map(|v| personal(flag, label_zh, env, v)).transpose()
}

/// The personal fields of a deputy, resolved in this order (the order lines of standard input are read).
pub(crate) const FIELDS: [(&str, &str, &str); 5] = [
    ("--id-number", "身份证号", "LIAISON_ID_NUMBER"),
    ("--mobile", "手机", "LIAISON_MOBILE"),
    ("--landline", "固定电话", "LIAISON_LANDLINE"),
    ("--address", "通讯地址", "LIAISON_ADDRESS"),
    ("--email", "电子邮箱", "LIAISON_EMAIL"),
];
