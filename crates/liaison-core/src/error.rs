//! Field-level value errors shared by every workflow, with messages in zh-CN (default) and English.

use serde::Serialize;

/// A message a person reads, in Chinese (the default) or English.
pub trait Localized {
    /// The message in simplified Chinese (zh-CN), the default language of the UI.
    fn zh(&self) -> String;
    /// The message in English.
    fn en(&self) -> String;
    /// The message in the language asked for: `en` gives English, anything else Chinese.
    fn message(&self, lang: &str) -> String {
        if lang.starts_with("en") { self.en() } else { self.zh() }
    }
}

/// Why a single value was refused. Each variant has a stable code (`ValueError::code`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// A required value is missing or blank.
    #[error("required")]
    Required,
    /// Too long.
    #[error("longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Too short to say anything (a reason): fewer letters or digits than `min`.
    #[error("shorter than {min} letters or digits: say what for")]
    TooShort {
        /// The least accepted.
        min: usize,
    },
    /// Contains characters that are not allowed here.
    #[error("contains characters that are not allowed: {0}")]
    BadCharacters(String),
    /// Contains an invisible character that reorders or hides text (a bidi control, a zero-width
    /// character): its code point.
    #[error("contains an invisible character U+{0:04X} (a bidirectional control or zero-width character)")]
    Invisible(u32),
    /// A name mixing Latin and Cyrillic letters (look-alikes): the first letter that mixes.
    #[error("mixes Latin and Cyrillic letters (look-alikes): {0}")]
    MixedScripts(String),
    /// Not a mainland mobile number (11 digits beginning 13–19).
    #[error("not a mainland mobile number (11 digits, 13x–19x)")]
    Mobile,
    /// Not a landline number (area code and 7–8 digit number).
    #[error("not a landline number (e.g. 0571-88886666)")]
    Landline,
    /// Not an email address.
    #[error("not an email address")]
    Email,
    /// Not a valid 18-character resident ID number.
    #[error("not a valid resident ID number: {0}")]
    IdNumber(&'static str),
    /// Not one of the allowed words.
    #[error("not one of: {0}")]
    OneOf(&'static str),
    /// Not a date in the form YYYY-MM-DD.
    #[error("not a date (YYYY-MM-DD)")]
    Date,
    /// A number outside its range.
    #[error("not a number from {min} to {max}")]
    Range {
        /// Lowest allowed.
        min: i64,
        /// Highest allowed.
        max: i64,
    },
    /// Two values that must agree do not.
    #[error("does not agree with {0}")]
    Mismatch(&'static str),
    /// A value that must come after another does not (a term that ends on or before its start).
    #[error("must be later than the {}", .0.replace('_', " "))]
    NotAfter(&'static str),
    /// A date outside what is plausible here (the reason in English; the zh text is chosen by it).
    #[error("implausible date: {0}")]
    Implausible(&'static str),
}

impl ValueError {
    /// The stable code, for logs and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::TooShort { .. } => "too_short",
            Self::BadCharacters(_) => "bad_characters",
            Self::Invisible(_) => "invisible_characters",
            Self::MixedScripts(_) => "mixed_scripts",
            Self::Mobile => "invalid_mobile",
            Self::Landline => "invalid_landline",
            Self::Email => "invalid_email",
            Self::IdNumber(_) => "invalid_id_number",
            Self::OneOf(_) => "not_allowed_value",
            Self::Date => "invalid_date",
            Self::Range { .. } => "out_of_range",
            Self::Mismatch(_) => "mismatch",
            Self::NotAfter(_) => "not_after",
            Self::Implausible(_) => "implausible_date",
        }
    }
}

impl Localized for ValueError {
    fn zh(&self) -> String {
        match self {
            Self::Required => "必填，不能为空".into(),
            Self::TooLong { max } => format!("长度不能超过 {max} 个字符"),
            Self::TooShort { min } => format!("太短：至少 {min} 个字（字母或数字），请写明目的"),
            Self::BadCharacters(c) => format!("含有不允许的字符：{c}"),
            Self::Invisible(u) => {
                format!(
                    "含有看不见的字符 U+{u:04X}（双向文字控制符或零宽字符，可使显示的内容与实际不同），请删除后重新输入"
                )
            }
            Self::MixedScripts(c) => {
                format!("混用了拉丁字母和西里尔字母：{c}，可能是外形相似的字符，请用输入法重新输入")
            }
            Self::Mobile => "不是有效的大陆手机号码（11 位，以 13–19 开头）".into(),
            Self::Landline => "不是有效的固定电话（如 0571-88886666）".into(),
            Self::Email => "不是有效的电子邮箱".into(),
            Self::IdNumber(why) => format!("不是有效的居民身份证号码：{}", id_reason_zh(why)),
            Self::OneOf(allowed) => format!("取值必须是：{allowed}"),
            Self::Date => "不是有效日期（格式 YYYY-MM-DD）".into(),
            Self::Range { min, max } => format!("必须是 {min} 到 {max} 之间的数"),
            Self::Mismatch(other) => mismatch_zh(other),
            Self::NotAfter(other) => format!("必须晚于{}", other_zh(other)),
            Self::Implausible(why) => format!("日期不合理：{}", implausible_zh(why)),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// The field another value must agree with, by its Chinese label — or as the API names it, never as
/// "字段" (issue 12: `输入有误：字段：与字段不一致` said neither which field nor why).
fn other_zh(other: &str) -> String {
    match field_zh(other) {
        "字段" => format!("“{other}”"),
        zh => zh.to_owned(),
    }
}

/// Why two values disagree: the rules some callers state as a phrase, else the field to agree with.
fn mismatch_zh(other: &str) -> String {
    match other {
        "in_office" => "须为在任代表".into(),
        "each deputy once" => "每位代表只能列出一次".into(),
        "filed by the deputy online only" => "“代表网上提交”只用于代表本人在线提交的建议".into(),
        "the other deadlines" => "与其他期限的设置不相容，请一并检查各项期限".into(),
        "opinion: give exactly one" => "“建议”（suggestion）和“意见”（opinion）须且只能填写一项".into(),
        "id_number: give exactly one" => "“代表”（deputy）和“身份证号”（id_number）须且只能填写一项".into(),
        "one procuratorate's name: several have it, give the id" => {
            "有多个检察院同名，请填写检察院标识".into()
        }
        _ => format!("与{}不一致", other_zh(other)),
    }
}

fn implausible_zh(why: &str) -> &'static str {
    match why {
        "year" => "年份须在 1900 至 2099 之间",
        "after today" => "不能晚于今天",
        "before the term" => "早于提出代表的任期开始日",
        "past" => "不能早于今天",
        _ => "超出合理范围",
    }
}

fn id_reason_zh(why: &str) -> &'static str {
    match why {
        "length" => "应为 18 位",
        "checksum" => "校验码错误",
        "birth date" => "出生日期无效",
        _ => "只能包含数字和末位 X",
    }
}

/// The Chinese label of a field, as used in import headers and messages.
pub fn field_zh(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "gender" => "性别",
        "ethnicity" => "民族",
        "birth_date" => "出生日期",
        "birth_year" => "出生年份",
        "id_number" => "身份证号",
        "level" => "代表层级",
        "term" => "届次",
        "delegation" => "代表团/选区",
        "region" => "所属区域",
        "work_unit" => "工作单位",
        "position" => "职务",
        "mobile" => "手机",
        "landline" => "固定电话",
        "address" => "通讯地址",
        "email" => "电子邮箱",
        "special_roles" => "特殊身份",
        "term_start" => "任期开始",
        "term_end" => "任期结束",
        "ended_on" => "任期结束日",
        "end_absent" => "结束未列入名册的代表的任期",
        "reason" => "原因",
        "deadline" => "期限",
        "from" => "开始日期",
        "to" => "结束日期",
        "on" => "日期",
        "date" => "日期",
        "period" => "期间",
        "officer" => "联络员",
        "telephone" => "联系电话",
        "official" => "接待领导",
        "meet_by" => "约见期限",
        "late_reason" => "逾期安排原因",
        "reference" => "凭证号",
        "received_on" => "收到日期",
        "handler" => "承办人",
        "lead" => "主办部门",
        "ground" => "转办理由",
        "public_source" => "公开数据来源",
        "published_on" => "公开数据公布日期",
        "public_value" => "公开数据",
        "secret_seed_reason" => "使用保密种子的理由",
        "seed" => "随机种子",
        "kind" => "类别",
        "until" => "延至",
        "promised_on" => "承诺解决日期",
        "deputy" => "代表",
        "deputies" => "代表",
        "cursor" => "翻页位置",
        "title" => "标题",
        "content" => "内容",
        "text" => "内容",
        "outcome" => "办理结果",
        "notice" => "告知内容",
        "login" => "登录名",
        "display_name" => "显示名称",
        "roles" => "角色",
        "department" => "部门",
        "label" => "用途",
        "days" => "有效天数",
        "lifetime_days" => "令牌有效期",
        "idle_days" => "闲置期限",
        "form_ref" => "征询意见表编号",
        "rating" => "评价",
        "comment" => "代表意见",
        "note" => "情况说明",
        "means" => "方式",
        "scope" => "范围",
        "values" => "范围取值",
        _ => "字段",
    }
}

/// A value error attached to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name in the API (`mobile`, `term_start` …).
    pub field: String,
    /// The stable code of the reason.
    pub code: &'static str,
    /// The reason in Chinese.
    pub message_zh: String,
    /// The reason in English.
    pub message_en: String,
}

impl FieldError {
    /// Attach `error` to `field`.
    pub fn new(field: &str, error: &ValueError) -> Self {
        Self { field: field.to_owned(), code: error.code(), message_zh: error.zh(), message_en: error.en() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message_en)
    }
}

#[cfg(test)]
mod tests {
    use super::{Localized, ValueError};

    #[test]
    fn a_reason_never_reads_field() {
        for other in [
            "in_office",
            "each deputy once",
            "the other deadlines",
            "opinion: give exactly one",
            "id_number: give exactly one",
            "roles",
            "from",
            "id_number",
        ] {
            for e in [ValueError::Mismatch(other), ValueError::NotAfter(other)] {
                assert!(!e.zh().contains("字段"), "{other}: {}", e.zh());
            }
        }
    }
}
