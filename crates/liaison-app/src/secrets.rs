//! Secrets and personal data stay off the command line (issue 12): a command line is visible to every
//! user of the machine in `ps` and stays in the shell's history. The binaries take the master key from
//! `LIAISON_KEY` or a file (`-`: standard input), a database URL holding a password from
//! `LIAISON_DATABASE_URL`, a file or standard input, and personal values as `-` or `@FILE`; these are the
//! rules and the words of the refusals, shared by both binaries.

/// Whether a database URL or connection string carries a password (`postgres://user:pw@host/db`,
/// `…?password=…`, `password=… host=…`).
pub fn url_has_password(url: &str) -> bool {
    if url.to_ascii_lowercase().contains("password=") {
        return true;
    }
    let Some((_, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// The refusal of `--key` on the command line.
pub fn key_on_command_line() -> String {
    "主密钥不能写在命令行上（--key）：命令行会出现在进程列表（ps）和 shell 历史中。请设置环境变量 \
     LIAISON_KEY，或用 --key-file 文件（--key-file - 从标准输入读取）\n\
     the master key never goes on the command line (--key): set LIAISON_KEY, or give --key-file FILE \
     (--key-file - reads it from standard input)"
        .into()
}

/// The refusal of a database URL with a password on the command line (the URL is not repeated).
pub fn password_on_command_line(flag: &str) -> String {
    password_in_flag(flag, "LIAISON_DATABASE_URL")
}

/// As [`password_on_command_line`], for a flag whose environment variable is `env`.
pub fn password_in_flag(flag: &str, env: &str) -> String {
    format!(
        "数据库地址含有密码，不能写在命令行上（{flag}）：请设置环境变量 {env}，或用 {flag} @文件 \
         从文件读取、{flag} - 从标准输入读取\n\
         a database URL with a password never goes on the command line ({flag}): set {env}, \
         or give {flag} @FILE or {flag} - (standard input)"
    )
}

/// The refusal of a personal value on the command line (the value is not repeated).
pub fn personal_on_command_line(flag: &str, label_zh: &str, env: &str) -> String {
    format!(
        "{label_zh}（{flag}）属于个人信息，不能直接写在命令行上：命令行会出现在进程列表（ps）和 shell 历史中。\
         请用 {flag} - 从环境变量 {env}（未设置时从标准输入）读取，或用 {flag} @文件 从文件读取\n\
         personal data never goes on the command line ({flag}): give {flag} - to read {env} (or, when it is \
         not set, a line of standard input), or {flag} @FILE"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_is_found_wherever_a_url_can_hold_one() {
        for with in [
            "postgres://liaison:pw@db:5432/x",
            "postgresql://u:p@h/x?sslmode=require",
            "postgres://u@h/x?password=pw",
            "host=db user=u password=pw",
        ] {
            assert!(super::url_has_password(with), "{with}");
        }
        for without in
            ["postgres://postgres@127.0.0.1:5432/test", "postgres://h/x", "postgres://u@h:5432/db?a=b:c@d"]
        {
            assert!(!super::url_has_password(without), "{without}");
        }
    }
}
