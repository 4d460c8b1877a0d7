//! Issue 14 item 12: tables show labels in the user's language, never internal keys. The walk runs the
//! commands of every workflow as a liaison office does, each in table form (Chinese, and English for a
//! sample), and fails on any snake_case key, dotted path or bare code word (`in_office`, `answer.count`,
//! `measure.deputies[0].deputy`, `female`, `township`, `true`) in what it prints.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// Logins and other values the walk itself typed, which are shown as typed.
const TYPED: &[&str] = &["admin", "sec", "office", "dept", "leader", "officer"];

/// What is wrong with what a command printed: keys, dotted paths or (in Chinese) untranslated words.
pub(crate) fn key_problems(out: &str, chinese: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for line in out.lines() {
        // Words are checked in table cells only: a sentence may quote a command line.
        let in_table = line.contains('│') || line.contains('┆');
        let cells: Vec<&str> = if in_table {
            line.split(['│', '┆']).map(str::trim).filter(|c| !c.is_empty()).collect()
        } else {
            vec![line]
        };
        for cell in cells {
            for word in cell.split(|c: char| c.is_whitespace() || "，。：；、（）()「」“”,;|=".contains(c))
            {
                if word.is_empty() || skip(word) {
                    continue;
                }
                let ident = |s: &str| {
                    let s = s.split('[').next().unwrap_or(s);
                    !s.is_empty()
                        && s.starts_with(|c: char| c.is_ascii_lowercase())
                        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                };
                let trimmed = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                if trimmed.contains('_') && ident(trimmed) {
                    problems.push(format!("snake_case key {trimmed:?} in {line:?}"));
                } else if trimmed.contains('.') && trimmed.split('.').all(ident) {
                    problems.push(format!("dotted path {trimmed:?} in {line:?}"));
                } else if chinese
                    && in_table
                    && trimmed.len() >= 3
                    && trimmed.chars().all(|c| c.is_ascii_lowercase())
                    && !TYPED.contains(&trimmed)
                    && !TYPED.contains(&cell)
                {
                    problems.push(format!("untranslated word {trimmed:?} in {line:?}"));
                }
            }
        }
    }
    problems
}

/// Words that are values, not keys: ids, hex, tokens, addresses, URLs, command lines.
fn skip(word: &str) -> bool {
    let hex = word.len() >= 8 && word.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    hex || word.starts_with("lia_")
        || word.starts_with("--")
        || word.contains(['@', '/', '*'])
        || word.ends_with(".csv")
        || word.ends_with(".ics")
        || word.ends_with(".html")
}

struct Walk {
    dir: PathBuf,
    /// `LIAISON_LABELS_DUMP=FILE`: print JSON instead of tables and append it to FILE (to list the keys the
    /// label table must cover), checking nothing.
    dump: Option<PathBuf>,
    walked: Vec<String>,
    problems: Vec<String>,
}

impl Walk {
    fn liaison(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_liaison"))
            .current_dir(&self.dir)
            .env_remove("LIAISON_USER")
            .env_remove("LIAISON_DB")
            .env_remove("LIAISON_LANG")
            .env("LIAISON_NOW", "2026-06-01")
            .env("LIAISON_ID_NUMBER", "350000196605060004")
            .env("LIAISON_MOBILE", "13800000009")
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.liaison(args);
        assert!(
            o.status.success(),
            "{args:?}: exit {:?}\n{}\n{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// JSON from a command run as `user` (to find ids; not checked).
    fn json(&self, user: &str, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(&[&["--as", user, "--format", "json"][..], args].concat())).unwrap()
    }

    /// Run a command as `user` in table form and check what it prints.
    fn table(&mut self, user: &str, args: &[&str]) -> String {
        self.walked.push(args.join(" "));
        if let Some(file) = &self.dump {
            let out = self.ok(&[&["--as", user, "--format", "json"][..], args].concat());
            let mut all = std::fs::read_to_string(file).unwrap_or_default();
            all.push_str(&format!("### {}\n{out}\n", args.join(" ")));
            std::fs::write(file, all).unwrap();
            return out;
        }
        let out = self.ok(&[&["--as", user][..], args].concat());
        self.problems.extend(key_problems(&out, true).into_iter().map(|p| format!("{args:?}: {p}")));
        out
    }

    /// The same in English.
    fn english(&mut self, user: &str, args: &[&str]) {
        if self.dump.is_some() {
            return;
        }
        let out = self.ok(&[&["--as", user, "--lang", "en"][..], args].concat());
        self.problems.extend(key_problems(&out, false).into_iter().map(|p| format!("en {args:?}: {p}")));
    }
}

/// The shallowest `id` of the first item of a list (the record's own, not one it names).
/// A command line as its words; `"…"` keeps spaces inside one word.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => (quoted, any) = (!quoted, true),
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

impl Walk {
    /// `table` with the command as one line.
    fn t(&mut self, user: &str, line: &str) -> String {
        let args = words(line);
        self.table(user, &args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// `english` with the command as one line.
    fn e(&mut self, user: &str, line: &str) {
        let args = words(line);
        self.english(user, &args.iter().map(String::as_str).collect::<Vec<_>>());
    }

    /// The first id of a list (`json` with the command as one line).
    fn id(&self, line: &str) -> String {
        let args = words(line);
        first_id(&self.json("office", &args.iter().map(String::as_str).collect::<Vec<_>>()))
    }
}

fn first_id(list: &Value) -> String {
    let mut level = vec![&list[0]];
    while !level.is_empty() {
        if let Some(id) = level.iter().find_map(|v| v.get("id").and_then(Value::as_str)) {
            return id.to_owned();
        }
        level = level
            .into_iter()
            .flat_map(|v| match v {
                Value::Object(m) => m.values().collect::<Vec<_>>(),
                _ => Vec::new(),
            })
            .collect();
    }
    panic!("no id in {list}")
}

#[test]
fn issue14_every_table_shows_labels_never_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Walk {
        dir: tmp.path().to_owned(),
        dump: std::env::var_os("LIAISON_LABELS_DUMP").map(PathBuf::from),
        walked: Vec::new(),
        problems: Vec::new(),
    };
    walk(&mut w);
    assert!(w.walked.len() > 100, "{} commands walked", w.walked.len());
    assert!(w.problems.is_empty(), "{} problems:\n{}", w.problems.len(), w.problems.join("\n"));
}

/// The detector itself: it finds what the issue saw, and lets values through.
#[test]
fn issue14_the_key_detector_finds_keys_and_lets_values_through() {
    for seen in [
        "│ measure.deputies[0].deputy ┆ x │",
        "│ answer.count ┆ 3 │",
        "│ contact.address ┆ 福建 │",
        "│ 性别 ┆ female │",
        "│ 层级 ┆ township │",
        "│ 状态 ┆ in_office │",
        "│ officer_id ┆ 01a22134-af31-75f0-a743-7a6f3d1aa4a3 │",
        "#6 2026-06-01 联络室 deputy.registered（名册导入）",
        "│ 启用 ┆ true │",
    ] {
        assert!(!key_problems(seen, true).is_empty(), "{seen}");
    }
    for fine in [
        "│ 电子邮箱 ┆ d***@example.cn │",
        "│ ID ┆ 01a22134-af31-75f0-a743-7a6f3d1aa4a3 │",
        "│ 登录名 ┆ office │",
        "下一页：--cursor 6375692079616e67",
        "运行：liaison deputy import 2026.csv --refresh --end-absent",
        "│ 令牌 ┆ lia_731615df8583_abcdefgh │",
    ] {
        assert!(key_problems(fine, true).is_empty(), "{fine}: {:?}", key_problems(fine, true));
    }
    assert!(key_problems("│ status ┆ in office │", false).is_empty());
}

fn walk(w: &mut Walk) {
    let dir = w.dir.clone();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    w.ok(&["init"]);
    w.t("admin", "user add sec --name 安全管理员 --role security_admin");
    w.t("admin", "user add office --name 联络室 --role office");
    w.t("sec", "user approve office");
    w.ok(&["demo", "generate", "--deputies", "12", "--seed", "7", "--out", "register.csv"]);
    w.t("office", "deputy import register.csv --dry-run");
    w.t("office", "deputy import register.csv");
    for r in "鼓楼区 台江区 仓山区 晋安区 马尾区 长乐区 闽侯县 连江县 罗源县 闽清县 永泰县 福清市".split(' ')
    {
        w.ok(&["--as", "office", "org", "add-region", r]);
    }
    w.t("office", "org add-leader 钱建国 --title 检察长");
    w.t("office", "org set-region-leader 鼓楼区 钱建国");
    w.t("office", "org add-department 第一检察部");
    w.t("office", "org pair 第一检察部 鼓楼区代表团");
    w.t("office", "org add-department-region 第一检察部 台江区");
    w.t("office", "org add-officer 林晓 --region 鼓楼区 --region 台江区");
    w.t("admin", "user add dept --name 张承办 --role department --department 第一检察部");
    w.t("admin", "user add leader --name 钱建国 --role leader");
    w.t("admin", "user add officer --name 林晓 --role officer");
    w.t("sec", "user approve dept leader officer");
    w.t("admin", "user roles officer --role officer --role leader");
    w.t("sec", "user reject officer --reason 岗位未变");
    w.t("admin", "user list");
    w.e("admin", "user list");
    w.t("office", "token create --label 终端 --days 30");
    w.t("admin", "token list");
    w.e("admin", "token list");
    w.t("sec", "token policy");
    w.t("sec", "token policy --lifetime-days 60 --idle-days 20 --reason 测评要求");
    w.t("admin", "roles");
    w.e("admin", "roles");
    w.t("office", "org show");
    w.e("office", "org show");

    let deputies = w.json("office", &["deputy", "list"]);
    let d: Vec<String> =
        deputies.as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_owned()).collect();
    let (d0, d1, d4) = (&d[0], &d[1], &d[4]);
    w.t("office", &format!("deputy show {d0}"));
    w.e("office", &format!("deputy show {d0}"));
    w.t("office", &format!("deputy show {d0} --full --reason 核对联系方式"));
    w.t("office", "deputy add --name 王新 --gender 男 --level 县 --term 18 --region 鼓楼区 --term-start 2022-01-01 --mobile - --special-roles 人民监督员");
    w.t("office", &format!("deputy update {d1} --position 主任 --reason 核对"));
    w.t("office", &format!("deputy end-term {} --date 2026-05-01 --reason 届满", d[10]));
    w.t("office", &format!("deputy remove {} --date 2026-05-01 --why resigned --reason 辞职", d[11]));
    w.t("office", &format!("deputy history {d1}"));
    w.t("office", "deputy list");
    w.e("office", "deputy list");
    w.t("office", &format!("assign {d4} --officer 林晓 --reason 就近"));
    w.t("office", "assign --auto --dry-run");
    w.t("office", "assign --auto");
    w.t("office", "coverage");
    w.e("office", "coverage");
    std::fs::copy(dir.join("register.csv"), dir.join("next.csv")).unwrap();
    w.t("office", "deputy import next.csv --refresh --dry-run");

    // R1: a suggestion through its life, measures, policy, figures, the due list.
    w.t("office", &format!("suggestion file --title 关于设立联络点的建议 --content 建议设立联络点。 --source 闭会期间 --deputy {d0} --deputy {d1}"));
    w.t("office", "suggestion assign 2026-0001 --lead 第一检察部 --handler dept");
    w.t("dept", "suggestion contact 2026-0001 --phase 办前 --means 电话 --summary 电话沟通");
    w.t("dept", "suggestion answer 2026-0001 --class A --text 已设立。");
    w.t("office", "message list");
    w.e("office", "message list");
    w.t("office", "suggestion links 2026-0001 --reason 代表未收到短信");
    w.t("office", &format!("suggestion rate 2026-0001 --deputy {d0} --rating 满意 --form-ref 征询表-1"));
    w.t("office", "suggestion show 2026-0001");
    w.e("office", "suggestion show 2026-0001");
    w.t("office", "suggestion list");
    w.t("office", "suggestion history 2026-0001");
    w.e("office", "suggestion history 2026-0001");
    w.t("office", "suggestion due");
    w.t("office", "suggestion policy show");
    w.e("office", "suggestion policy show");
    w.t("office", "suggestion policy set --rehandling 3m --satisfaction majority --reason 本省实施办法");
    w.t("office", "suggestion figures --by level");
    w.t("office", "suggestion publish 2026-0001 --scope level --value 县");
    w.t("office", "suggestion publication 2026-0001");
    // Queued for the deputies through the outbox: how many, never a link (issue 17 item 5).
    let queued = w.t("office", "suggestion body-links 2026-0001 --reason 公开后征询");
    assert!(queued.contains("排入发送队列") && !queued.contains("/feedback/"), "{queued}");
    w.t("office", "measure open --suggestion 2026-0001 --owner 第一检察部 --deadline 2026-12-31 --title 建立联络点 --description 三个乡镇试点");
    let measure = w.id("measure list");
    w.t("office", &format!("measure show {measure}"));
    w.e("office", &format!("measure show {measure}"));
    w.t("dept", &format!("measure progress {measure} --text 已选址"));
    w.t("dept", &format!("measure complete {measure} --text 三个联络点已建成"));
    w.t("office", "measure list");
    w.t("office", "due");
    w.t("office", "deadline explain --from 2026-06-01 --period 10d");
    w.t("office", "deadline recompute --dry-run");

    // A deliberation.
    w.t("office", "deliberation open --session 市第十六届人民代表大会第五次会议 --opens-on 2026-06-10");
    let delib = w.id("deliberation list");
    w.t(
        "office",
        &format!("deliberation attend {delib} --group 鼓楼代表团 --on 2026-06-10 --staff 副检察长李明"),
    );
    w.t(
        "office",
        &format!("deliberation opinion {delib} --group 鼓楼代表团 --deputy {d0} --text 建议定期通报办案情况"),
    );
    w.t(
        "office",
        &format!("deliberation route {delib} 1 --to measure --owner 第一检察部 --deadline 2026-12-31"),
    );
    w.t("office", &format!("deliberation show {delib}"));
    w.t("office", "deliberation list");

    // R2–R6.
    write("notice.txt", "通报内容");
    w.t("office", "notice draft --title 关于开展专项活动的通报 --content @notice.txt --scope level --value 县 --channel 书面");
    let notice = w.id("notice list");
    w.t("leader", &format!("notice approve {notice}"));
    w.t("office", &format!("notice send {notice}"));
    w.t("office", &format!("notice delivery {notice} --deputy {d4} --delivered true"));
    w.t("office", &format!("notice show {notice}"));
    w.t("office", "notice list");
    w.t("office", "plan set --period 2026 --meetings 4 --reached 60 --notices 2");
    w.t("leader", "plan adopt 2026");
    w.t("office", "plan show 2026");
    w.t("office", &format!("meeting plan --title 一季度代表座谈会 --on 2026-06-01 --place 本院会议室 --agenda work_report:通报工作 --invite {d0}"));
    let meeting = w.id("calendar");
    w.t("office", &format!("meeting show {meeting}"));
    w.e("office", &format!("meeting show {meeting}"));
    write("minutes.txt", "座谈纪要");
    w.t("office", &format!("meeting hold {meeting} --attended {d0} --minutes @minutes.txt"));
    w.t(
        "office",
        &format!("visit --deputy {d0} --on 2026-05-20 --place 工作单位 --staff 林晓 --notes 了解履职情况"),
    );
    w.t("office", "reach");
    w.t("office", "calendar");
    w.t(
        "office",
        "review register --case-ref 榕检刑不诉〔2026〕12号 --kind 拟不起诉案件 --summary 拟作相对不起诉",
    );
    let review = w.id("review list");
    w.t("office", &format!("review show {review}"));
    w.t("office", "review list");
    w.t("office", &format!("inspection plan --kind 评议 --title 公益诉讼工作评议 --organiser-ref 市人大常委会〔2026〕5号 --from 2026-06-01 --to 2026-06-03 --participant {d0} --item 办案质效"));
    let inspection = w.id("inspection list");
    w.t("office", &format!("inspection hold {inspection}"));
    w.t("office", &format!("inspection score {inspection} --deputy {d0} --item 0 --score 90"));
    w.t(
        "office",
        &format!(
            "inspection rectify {inspection} --title 加强释法说理 --owner 第一检察部 --deadline 2026-09-30"
        ),
    );
    w.t("office", &format!("inspection done {inspection} 1 --result 已整改"));
    write("report.txt", "整改报告");
    w.t("office", &format!("inspection report {inspection} --text @report.txt"));
    w.t("office", &format!("inspection show {inspection}"));
    w.e("office", &format!("inspection show {inspection}"));
    w.t("office", "inspection list");
    w.t("office", "commendation contributions --top 5");
    w.t("office", "commendation weights");
    w.t(
        "office",
        &format!("commendation nominate --deputy {d0} --reasons 积极履职 --from 2026-01-01 --to 2026-12-31"),
    );
    let nomination = w.id("commendation list");
    w.t("leader", &format!("commendation approve {nomination}"));
    w.t("office", "commendation list");

    // The channels and guarantees.
    w.t("office", "activity plan --kind 检察开放日 --title 检察开放日 --on 2026-06-20 --place 本院 --seats 2 --selection lottery");
    let activity = w.id("activity list");
    w.t("office", &format!("activity prepare {activity} --secret-seed-reason 当场抽签"));
    w.t("office", &format!("activity show {activity}"));
    w.t("office", "activity list");
    w.t("office", "fairness --from 2026-01-01 --to 2026-12-31");
    w.t(
        "office",
        &format!(
            "appointment request --deputy {d0} --official 检察长钱建国 --channel 联络卡 --topic 反映情况"
        ),
    );
    let appointment = w.id("appointment list");
    w.t("office", &format!("appointment ack {appointment}"));
    w.t("office", &format!("appointment schedule {appointment} --from \"2026-06-08 09:30\" --to \"2026-06-08 10:30\" --place 本院"));
    w.t("office", &format!("appointment decline {appointment} --why 日程冲突 --alternative 由副检察长接待"));
    w.t("office", "appointment list");
    w.t("office", &format!("hotline log --deputy {d0} --caller 王芳 --topic 咨询 --route suggestion"));
    w.t("office", "hotline list");
    w.t("office", &format!("card issue --deputy {d1} --officer 林晓 --telephone 0591-12345678"));
    w.t("office", "card list");
    w.t("office", "card revoke LK-2026-0001 --why 联络人调整");
    w.e("office", "card list");
    w.t("office", &format!("service open --deputy {d0} --kind 解决实际困难 --description 协调就医"));
    let service = w.id("service list");
    w.t("office", &format!("service resolve {service} --result 已协调"));
    w.t("office", "service list");
    w.t("office", "solicit send --title 征求意见 --content 请提意见 --scope level --value 县");
    let solicitation = w.id("solicit list");
    w.t("office", &format!("solicit respond {solicitation} --deputy {d4} --text 建议公开"));
    w.t("office", "solicit list");
    w.t(
        "office",
        &format!("supervisor appoint --deputy {d0} --kind 人民监督员 --from 2026-01-01 --to 2030-12-31"),
    );
    let supervisor = w.id("supervisor list");
    w.t("office", "supervisor list");
    w.t("office", &format!("supervisor end {supervisor} --why 调离"));
    w.t("office", "rights --id-number - --why 拟采取强制措施前核查");
    w.t("office", "budget 2026 line --category meetings --amount 20000");
    w.t("leader", "budget 2026 adopt");
    w.t(
        "office",
        "budget 2026 spend --category meetings --amount 1200.50 --purpose 座谈会 --reference 报销单2026-031",
    );
    w.t("office", "budget 2026 request --category meetings --amount 5000 --why 增加座谈");
    w.t("office", "budget 2026");
    w.e("office", "budget 2026");
    w.t("office", "audit verify");
}
