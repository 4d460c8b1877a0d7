//! The language of what the CLI prints for people (`--lang zh|en`): one dictionary from the Chinese column
//! headers to the English ones, applied to every table and CSV header row. Coded values and the fields of
//! objects have their labels in `labels`; other cell values stay as recorded.

use std::sync::OnceLock;

static ENGLISH: OnceLock<bool> = OnceLock::new();

/// Set once, at start-up, from `--lang` (`en…` is English, anything else Chinese).
pub(crate) fn set_language(lang: &str) {
    let _ = ENGLISH.set(lang.starts_with("en"));
}

/// Whether output is in English.
pub(crate) fn en() -> bool {
    ENGLISH.get().copied().unwrap_or(false)
}

/// The headers in the chosen language.
pub(super) fn headers(zh: &[&'static str]) -> Vec<&'static str> {
    in_language(zh, en())
}

fn in_language(zh: &[&'static str], english: bool) -> Vec<&'static str> {
    if !english {
        return zh.to_vec();
    }
    zh.iter().map(|h| english_of(h).unwrap_or(h)).collect()
}

fn english_of(zh: &str) -> Option<&'static str> {
    EN.iter().find(|(z, _)| *z == zh).map(|(_, e)| *e)
}

/// Chinese header → English header.
const EN: &[(&str, &str)] = &[
    ("检察院", "procuratorate"),
    ("标识", "tenant id"),
    ("上级", "above"),
    ("部门", "department"),
    ("转办", "transferred"),
    ("代表层级", "deputies' levels"),
    ("报备原因", "reported because"),
    ("id", "id"),
    ("field", "field"),
    ("value", "value"),
    ("姓名", "name"),
    ("层级", "level"),
    ("届次", "term"),
    ("区域", "region"),
    ("代表团", "delegation"),
    ("工作单位", "work unit"),
    ("手机", "mobile"),
    ("状态", "status"),
    ("版本", "version"),
    ("登录名", "login"),
    ("锁定至", "locked_until"),
    ("连续失败", "failures"),
    ("角色", "roles"),
    ("启用", "active"),
    ("用户", "user"),
    ("用途", "label"),
    ("创建时间", "created"),
    ("撤销时间", "revoked"),
    ("待批准角色", "roles pending"),
    ("凭证", "credential"),
    ("到期时间", "expires"),
    ("最后使用", "last used"),
    ("操作", "action"),
    ("系统管理员", "system administrator"),
    ("安全管理员", "security administrator"),
    ("审计管理员", "audit administrator"),
    ("联络室", "office"),
    ("联络员", "officer"),
    ("院领导", "leader"),
    ("内设部门", "department"),
    ("代表本人", "deputy"),
    ("代表", "deputies"),
    ("缺口", "gaps"),
    ("编号", "number"),
    ("标题", "title"),
    ("原期限", "deadline before"),
    ("新期限", "deadline now"),
    ("收到", "received"),
    ("主办", "lead department"),
    ("承办人", "handler"),
    ("下一期限", "next due"),
    ("期限", "due"),
    ("剩余天数", "days left"),
    ("事项", "item"),
    ("责任部门", "department"),
    ("措施", "measure"),
    ("逾期", "overdue"),
    ("序号", "no."),
    ("时间", "time"),
    ("操作人", "by"),
    ("事件", "event"),
    ("涉及代表", "deputy concerned"),
    ("原因", "reason"),
    ("审计对象", "subject"),
    ("在任代表", "deputies in office"),
    ("已落实", "covered"),
    ("覆盖率", "coverage"),
    ("分组", "group"),
    ("已答复", "answered"),
    ("按期答复率", "answered on time"),
    // the scorecard (issue 18 item 6)
    ("承办部门", "handling department"),
    ("重新办理", "re-handled"),
    ("整改措施完成", "measures completed"),
    ("综合得分", "score"),
    ("首轮满意率", "satisfied, first round"),
    ("最终满意率", "satisfied, final"),
    ("逾期未反馈（件）", "feedback lapsed (items)"),
    ("未反馈代表（人）", "silent deputies"),
    ("办成率", "resolved"),
    ("再次办理", "handled again"),
    ("转信访", "to letters and visits"),
    ("并案", "merged"),
    ("撤回", "withdrawn"),
    ("公开答复", "published"),
    ("代表评议满意率", "satisfied, deputies as a body"),
    ("公开范围", "audience"),
    ("公开日期", "published on"),
    ("评议截止", "open until"),
    ("我的评议", "my rating"),
    ("代表团/小组", "delegation / group"),
    ("审议意见", "opinion"),
    ("办理", "handled as"),
    ("反馈", "told"),
    ("方式", "channel"),
    ("对象", "recipients"),
    ("送达", "delivered"),
    ("确认", "acknowledged"),
    ("日期", "date"),
    ("类型", "kind"),
    ("地点", "place"),
    ("指标", "target"),
    ("统计项", "figure"),
    ("数值", "value"),
    ("比率", "rate"),
    ("计划", "planned"),
    ("完成", "achieved"),
    ("是否完成", "met"),
    ("已联系", "reached"),
    ("未联系", "not reached"),
    ("总分", "points"),
    ("依据", "evidence"),
    ("期间", "period"),
    ("得分", "points"),
    ("推荐理由", "reasons"),
    ("报送文号", "submission reference"),
    ("科目", "category"),
    ("金额（元）", "amount (yuan)"),
    ("凭证号", "voucher"),
    ("冲销", "reversal"),
    ("预算（元）", "budget (yuan)"),
    ("追加（元）", "supplementary (yuan)"),
    ("已支出（元）", "spent (yuan)"),
    ("已冲销（元）", "reversed (yuan)"),
    ("逾期安排原因", "why scheduled late"),
    ("余额（元）", "available (yuan)"),
    ("执行率", "executed"),
    ("预计缺口（元）", "projected shortfall (yuan)"),
    ("来电人", "caller"),
    ("事由", "topic"),
    ("去向", "routed to"),
    ("形成记录", "record"),
    ("联络人", "officer"),
    ("电话", "telephone"),
    ("发放日期", "issued on"),
    ("收回", "revoked"),
    ("类别", "kind"),
    ("内容", "description"),
    ("开始", "opened on"),
    ("结果", "result"),
    ("送达次数", "deliveries"),
    ("发出日期", "sent on"),
    ("对象人数", "recipients"),
    ("回复数", "responses"),
    ("转为建议或措施", "became a suggestion or measure"),
    ("任期起", "from"),
    ("任期止", "to"),
    ("提前结束", "ended early"),
    ("约见对象", "official"),
    ("渠道", "channel"),
    ("答复期限", "acknowledge by"),
    ("约见期限", "meet by"),
    ("安排", "scheduled"),
    ("名称", "title"),
    ("名额", "seats"),
    ("参加", "participants"),
    ("出席", "attended"),
    ("回执", "acknowledged"),
    ("消息", "messages"),
    ("登记送达", "recorded delivery"),
    ("回复", "response"),
    ("备注", "note"),
    ("表决", "vote"),
    ("意见", "opinion"),
    ("理由", "reason"),
    ("案件", "case"),
    ("登记日期", "opened on"),
    ("参加人数", "participants"),
    ("已表决", "votes"),
    ("组织方文号", "organiser's reference"),
    ("起", "from"),
    ("止", "to"),
    ("整改项", "rectifications"),
    ("未完成", "open"),
    ("行", "row"),
    ("字段", "field"),
    ("值", "value"),
    ("变更内容", "changed"),
    ("收件人", "recipient"),
    ("尝试次数", "attempts"),
    ("下次尝试", "next attempt"),
    ("最近错误", "last error"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Tabular;

    /// The figures, coverage, reach, deputies list and budget tables (and the record lists) have an English
    /// header for every column, and Chinese stays Chinese.
    #[test]
    fn every_header_of_the_people_tables_has_an_english_name() {
        use liaison_app::views::DeputyView;
        let tables: Vec<Vec<&'static str>> = vec![
            super::super::suggestion::FIGURES_HEADERS.to_vec(),
            super::super::people::COVERAGE_HEADERS.to_vec(),
            super::super::reports::REACH_LEVEL_HEADERS.to_vec(),
            super::super::reports::REACH_REGION_HEADERS.to_vec(),
            super::super::reports::NOT_REACHED_HEADERS.to_vec(),
            super::super::reports::BUDGET_HEADERS.to_vec(),
            DeputyView::headers(),
            liaison_core::activity::Activity::headers(),
            liaison_core::appointment::Appointment::headers(),
            liaison_app::CalendarEntry::headers(),
            crate::tenants::TENANT_HEADERS.to_vec(),
            crate::tenants::ROLLUP_HEADERS.to_vec(),
            crate::tenants::ROLLUP_DEPARTMENT_HEADERS.to_vec(),
            crate::tenants::ROLLUP_TOLD_HEADERS.to_vec(),
        ];
        for t in &tables {
            for h in t {
                assert!(english_of(h).is_some(), "no English header for {h}");
            }
            assert_eq!(in_language(t, false), *t);
        }
        assert_eq!(in_language(&["姓名", "层级", "区域"], true), ["name", "level", "region"]);
        assert_eq!(in_language(super::super::reports::BUDGET_HEADERS, true)[6], "executed");
    }

    #[test]
    fn the_dictionary_has_each_chinese_header_once() {
        let mut seen = std::collections::BTreeSet::new();
        for (zh, _) in EN {
            assert!(seen.insert(zh), "{zh} twice");
        }
    }
}
