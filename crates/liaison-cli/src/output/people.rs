//! The register's, the organisation's and the accounts' tables: deputies, the coverage report and its
//! gaps, users, tokens and a record's history with the credential each change came through.

use liaison_app::views::{CoverageView, DeputyView, GapView, HistoryEntry, TokenView, UserView};

use super::{Format, Tabular, en, headers, labels, list, object, opt, share, table};

impl Tabular for DeputyView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "姓名", "层级", "届次", "区域", "代表团", "工作单位", "手机", "状态", "版本"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.level_zh.clone(),
            self.term.to_string(),
            self.region.clone(),
            opt(&self.delegation),
            opt(&self.work_unit),
            opt(&self.contact.mobile),
            labels::value("status", &self.status).unwrap_or_else(|| self.status.clone()),
            self.version.to_string(),
        ]
    }
}

fn roles_text(roles: &[String]) -> String {
    roles
        .iter()
        .map(|r| labels::value("roles", r).unwrap_or_else(|| r.clone()))
        .collect::<Vec<_>>()
        .join("、")
}

impl Tabular for UserView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "登录名", "姓名", "类型", "角色", "待批准角色", "启用"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.login.clone(),
            self.display_name.clone(),
            labels::value("kind", &self.kind).unwrap_or_else(|| self.kind.clone()),
            roles_text(&self.roles),
            self.pending_roles.as_deref().map(roles_text).unwrap_or_default(),
            labels::yes_no(self.active).to_owned(),
        ]
    }
}

impl Tabular for TokenView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "用户", "用途", "创建时间", "到期时间", "最后使用", "撤销时间"]
    }
    fn row(&self) -> Vec<String> {
        let at = |t: &Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| labels::moment(&t.to_rfc3339())).unwrap_or_default()
        };
        vec![
            self.id.clone(),
            self.user.to_string(),
            self.label.clone(),
            labels::moment(&self.created_at.to_rfc3339()),
            at(&self.expires_at),
            at(&self.last_used_at),
            at(&self.revoked_at),
        ]
    }
}

impl Tabular for GapView {
    fn headers() -> Vec<&'static str> {
        vec!["代表", "姓名", "层级", "区域", "缺口"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.deputy.to_string(),
            self.name.clone(),
            labels::value("level", &self.level).unwrap_or_else(|| self.level.clone()),
            self.region.clone(),
            self.gaps_zh.join("；"),
        ]
    }
}

/// Print the coverage report: the figures, then the gaps.
pub(crate) fn coverage(format: Format, c: &CoverageView) -> anyhow::Result<()> {
    if format != Format::Table {
        return match format {
            Format::Csv => list(format, &c.gaps),
            _ => object(format, c),
        };
    }
    let mut t = table();
    t.set_header(headers(COVERAGE_HEADERS));
    for l in &c.by_level {
        let pct = share(l.covered, l.deputies);
        t.add_row(vec![l.level_zh.clone(), l.deputies.to_string(), l.covered.to_string(), pct]);
    }
    t.add_row(vec![
        if en() { "Total" } else { "合计" }.into(),
        c.deputies.to_string(),
        c.covered.to_string(),
        share(c.covered, c.deputies),
    ]);
    println!("{t}");
    if en() {
        println!(
            "Officers' load: at most {}, at least {} deputies ({} officers)",
            c.max_load,
            c.min_load,
            c.officer_loads.len()
        );
    } else {
        println!(
            "联络员负担：最多 {} 人，最少 {} 人（{} 名联络员）",
            c.max_load,
            c.min_load,
            c.officer_loads.len()
        );
    }
    if !c.reached_this_year.is_empty() {
        let parts: Vec<String> = c
            .reached_this_year
            .iter()
            .map(|l| format!("{} {}/{}", l.level_zh, l.covered, l.deputies))
            .collect();
        println!("本年度已座谈或走访的代表（按层级，已联系/在任）：{}", parts.join("，"));
    }
    if c.participation_this_year.iter().any(|l| l.covered > 0) {
        let parts: Vec<String> = c
            .participation_this_year
            .iter()
            .map(|l| format!("{} {}/{}", l.level_zh, l.covered, l.deputies))
            .collect();
        println!(
            "本年度参加活动的代表（按层级）：{}；参加次数基尼系数 {}.{:03}",
            parts.join("，"),
            c.participation_gini_permille / 1000,
            c.participation_gini_permille % 1000
        );
    }
    if c.gaps.is_empty() {
        println!("每位在任代表均已落实联络员、包片院领导和对口部门。");
    } else {
        println!("以下 {} 位代表尚有缺口：", c.gaps.len());
        list(format, &c.gaps)?;
    }
    Ok(())
}

pub(super) const COVERAGE_HEADERS: &[&str] = &["层级", "在任代表", "已落实", "覆盖率"];

/// The credential a record names, in words: `token:3f2a9c` → 令牌 3f2a9c, `console:alice` → 控制台 alice.
fn via_label(via: &Option<String>) -> String {
    let Some(via) = via else { return String::new() };
    let (kind, id) = via.split_once(':').unwrap_or((via.as_str(), ""));
    let word = match (kind, en()) {
        ("token", false) => "令牌",
        ("console", false) => "控制台",
        ("activation", false) => "激活码",
        ("link", false) => "一次性链接",
        ("system", false) => "系统",
        ("session", false) => "会话",
        ("password", false) => "密码登录",
        ("token" | "console" | "activation" | "link" | "system" | "session" | "password", true) => kind,
        _ => return via.clone(),
    };
    format!("{word} {id}").trim_end().to_owned()
}

impl Tabular for HistoryEntry {
    fn headers() -> Vec<&'static str> {
        vec!["序号", "时间", "操作人", "凭证", "事件", "涉及代表", "原因"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.seq.to_string(),
            labels::moment(&self.at),
            self.actor.clone(),
            via_label(&self.via),
            labels::event(&self.kind),
            opt(&self.concerns),
            opt(&self.reason),
        ]
    }
}
