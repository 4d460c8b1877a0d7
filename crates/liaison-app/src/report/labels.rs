//! The report's words in Chinese (the default) and English: the language a rendering is made in, the
//! levels' names, and every heading and column the renderings print, each written once here.

use liaison_core::registry::DeputyLevel;

/// The language of a rendering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `en…` is English, anything else Chinese.
    pub fn parse(s: &str) -> Self {
        if s.trim().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Zh }
    }

    /// Pick the word of this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A level as the report names it: 全国人大代表 … 乡镇人大代表.
pub fn level_label(l: DeputyLevel, lang: Lang) -> String {
    level_name(l, lang).to_owned()
}

/// [`level_label`], not copied.
pub(crate) fn level_name(l: DeputyLevel, lang: Lang) -> &'static str {
    let (zh, en) = match l {
        DeputyLevel::National => ("全国人大代表", "National deputies"),
        DeputyLevel::Provincial => ("省级人大代表", "Provincial deputies"),
        DeputyLevel::City => ("市级人大代表", "City deputies"),
        DeputyLevel::County => ("县级人大代表", "County deputies"),
        DeputyLevel::Township => ("乡镇人大代表", "Township deputies"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The parts of the report, in order: (key, zh, en). The XLSX sheets, the CSV files and the HTML sections
/// are these.
pub(crate) const PARTS: &[(&str, &str, &str)] = &[
    ("summary", "概览", "Summary"),
    ("by_level", "建议办理-按级别", "Suggestions by level"),
    ("by_department", "建议办理-按部门", "Suggestions by department"),
    ("by_handler", "建议办理-按承办人", "Suggestions by handler"),
    ("by_month", "建议办理-逐月", "Suggestions by month"),
    ("annex", "建议和审议意见办理情况表", "Suggestions and opinions"),
    ("reach", "联系代表", "Reach"),
    ("not_reached", "未联系代表", "Deputies not reached"),
    ("activities", "活动与公平性", "Activities and fairness"),
    ("reviews", "案件评议", "Case reviews"),
    ("inspections", "视察评议与整改", "Inspections and rectification"),
    ("commendations", "表彰推荐", "Commendations"),
    ("notices", "重大事项通报", "Major-matter notices"),
    ("budget", "经费执行", "Budget execution"),
    ("audit", "审计链", "Audit chain"),
];

/// The R1 columns: (zh, en).
pub(crate) const R1_COLUMNS: &[(&str, &str)] = &[
    ("分组", "Group"),
    ("收到", "Received"),
    ("已答复", "Answered"),
    ("按期答复", "On time"),
    ("按期答复率", "On-time rate"),
    ("逾期", "Overdue"),
    ("A类", "Class A"),
    ("B类", "Class B"),
    ("C类", "Class C"),
    ("D类", "Class D"),
    ("首轮满意率", "First-round satisfaction"),
    ("最终满意率", "Final satisfaction"),
    ("逾期未评价（件）", "Lapsed (items)"),
    ("再次办理", "Re-handled"),
    ("办成", "Solved"),
    ("办成率", "Resolution rate"),
    ("办理中", "Open"),
];

/// The annex's columns.
pub(crate) const ANNEX_COLUMNS: &[(&str, &str)] = &[
    ("类别", "Kind"),
    ("编号", "Number"),
    ("收到日期", "Received"),
    ("标题或内容", "Title or text"),
    ("提出代表", "Deputies"),
    ("代表级别", "Levels"),
    ("代表团", "Delegations"),
    ("承办部门", "Department"),
    ("答复类别", "Class"),
    ("办理结果", "Outcome"),
    ("改进措施", "Measures"),
];

/// Pick a column list's language.
pub(crate) fn columns(cols: &[(&'static str, &'static str)], lang: Lang) -> Vec<&'static str> {
    cols.iter().map(|(zh, en)| lang.pick(zh, en)).collect()
}
