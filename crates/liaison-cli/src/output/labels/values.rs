//! Coded values in words: the core's enums by their stored codes, the codes they do not name, the codes
//! whose word depends on their field, and the fields whose values are never codes.

/// Fields whose values are never codes, whatever they look like (a login may be `office`).
pub(super) const NEVER: &[&str] =
    &["login", "name", "display_name", "title", "text", "content", "summary", "email", "token"];

/// The words of the core's enums, by their stored codes.
pub(super) fn core_word(code: &str) -> Option<&'static str> {
    use liaison_core::registry::{DeputyLevel, DeputyStatus, Gender, SpecialRole};
    fn find<T: Copy>(
        all: &[T],
        code: &str,
        c: fn(T) -> &'static str,
        zh: fn(T) -> &'static str,
    ) -> Option<&'static str> {
        all.iter().copied().find(|x| c(*x) == code).map(zh)
    }
    find(DeputyLevel::ALL, code, DeputyLevel::code, DeputyLevel::zh)
        .or_else(|| find(Gender::ALL, code, Gender::code, Gender::zh))
        .or_else(|| find(SpecialRole::ALL, code, SpecialRole::code, SpecialRole::zh))
        .or_else(|| DeputyStatus::from_code(code).map(DeputyStatus::zh))
        .or_else(|| {
            use liaison_core::suggestion as s;
            find(&s::SuggestionStatus::ALL, code, s::SuggestionStatus::code, s::SuggestionStatus::zh)
                .or_else(|| find(s::Source::ALL, code, s::Source::code, s::Source::zh))
                .or_else(|| find(s::Satisfaction::ALL, code, s::Satisfaction::code, s::Satisfaction::zh))
                .or_else(|| find(s::ContactPhase::ALL, code, s::ContactPhase::code, s::ContactPhase::zh))
                .or_else(|| find(s::ContactMeans::ALL, code, s::ContactMeans::code, s::ContactMeans::zh))
                .or_else(|| find(s::RerouteGround::ALL, code, s::RerouteGround::code, s::RerouteGround::zh))
                .or_else(|| {
                    find(s::EscalationMeans::ALL, code, s::EscalationMeans::code, s::EscalationMeans::zh)
                })
        })
        .or_else(|| {
            use liaison_core::{
                activity, appointment, budget, channels, inspection, meeting, notice, review,
            };
            find(activity::ActivityKind::ALL, code, activity::ActivityKind::code, activity::ActivityKind::zh)
                .or_else(|| {
                    find(
                        appointment::RequestChannel::ALL,
                        code,
                        appointment::RequestChannel::code,
                        appointment::RequestChannel::zh,
                    )
                })
                .or_else(|| find(budget::Category::ALL, code, budget::Category::code, budget::Category::zh))
                .or_else(|| find(channels::Route::ALL, code, channels::Route::code, channels::Route::zh))
                .or_else(|| {
                    find(
                        channels::ServiceKind::ALL,
                        code,
                        channels::ServiceKind::code,
                        channels::ServiceKind::zh,
                    )
                })
                .or_else(|| {
                    find(
                        inspection::InspectionKind::ALL,
                        code,
                        inspection::InspectionKind::code,
                        inspection::InspectionKind::zh,
                    )
                })
                .or_else(|| {
                    find(meeting::AgendaKind::ALL, code, meeting::AgendaKind::code, meeting::AgendaKind::zh)
                })
                .or_else(|| {
                    find(meeting::VisitPlace::ALL, code, meeting::VisitPlace::code, meeting::VisitPlace::zh)
                })
                .or_else(|| find(notice::Channel::ALL, code, notice::Channel::code, notice::Channel::zh))
                .or_else(|| {
                    find(review::ReviewKind::ALL, code, review::ReviewKind::code, review::ReviewKind::zh)
                })
                .or_else(|| {
                    use liaison_core::supervisor::SupervisorKind as K;
                    find(K::ALL, code, K::code, K::zh)
                })
        })
}

/// Coded values the core's enums do not name (statuses of the other workflows, units, rules, roles).
pub(super) const VALUES: &[(&str, &str)] = &[
    ("open", "进行中"),
    ("planned", "计划"),
    ("held", "已举行"),
    ("cancelled", "已取消"),
    ("draft", "草拟"),
    ("approved", "已批准"),
    ("sent", "已发出"),
    ("requested", "已申请"),
    ("acknowledged", "已答复"),
    ("scheduled", "已安排"),
    ("declined", "已婉拒"),
    ("nominated", "已推荐"),
    ("submitted", "已报送"),
    ("accepted", "已采纳"),
    ("recorded", "已记录"),
    ("routed", "已转办"),
    ("committed", "已固定抽签池"),
    ("drawn", "已抽签"),
    ("reported", "已报告"),
    ("done", "已完成"),
    ("completed", "已完成"),
    ("resolved", "已解决"),
    ("decided", "已决定"),
    ("closed", "已结束"),
    ("adopted", "已通过"),
    ("ended", "已结束"),
    ("active", "有效"),
    ("revoked", "已收回"),
    ("days", "日"),
    ("working_days", "个工作日"),
    ("months", "个月"),
    ("all_at_least_basic", "全体代表均为基本满意以上"),
    ("majority", "多数代表满意或基本满意"),
    ("threshold", "满意率达到阈值"),
    ("admin", "系统管理员"),
    ("security_admin", "安全管理员"),
    ("person", "人员"),
    ("service", "集成系统"),
    ("office", "联络室"),
    ("officer", "联络员"),
    ("leader", "院领导"),
    ("department", "承办部门"),
    ("auditor", "审计管理员"),
    ("deputy", "代表"),
    ("lottery", "抽签"),
    ("lottery_equal", "抽签（各层级名额相等）"),
    ("rotation", "轮换"),
    ("public", "公开数据"),
    ("secret", "保密种子"),
    ("levels", "按层级"),
    ("level", "按层级"),
    ("all", "全体"),
    ("region", "按区域"),
    ("delegation", "按代表团"),
    ("paper_form", "纸质征询表"),
    ("own_account", "本人账号"),
    ("link", "一次性链接"),
    ("measure", "整改措施"),
    ("suggestion", "建议"),
    ("petition", "信访"),
    ("meetings", "座谈会"),
    ("notices", "重大事项通报"),
    ("activities", "代表参加活动"),
    ("reached_percent", "走访或联系代表"),
    ("weekend", "周末"),
    ("holiday", "法定节假日"),
    ("utf8", "UTF-8"),
    ("gbk", "GBK/GB18030"),
    ("csv", "CSV"),
    ("xlsx", "XLSX"),
    ("no_officer", "未落实联络员"),
    ("no_leader", "无包片院领导"),
    ("no_department", "未落实对口部门"),
    ("peoples", "人民监督员"),
    ("evaluation", "评议"),
    ("register", "登记簿"),
    ("feedback", "代表反馈"),
    ("answer", "答复"),
    ("progress_notice", "进展通报"),
    ("assignment", "交办"),
    ("visit", "走访"),
    ("meeting", "座谈会"),
    ("inspection", "视察评议"),
    ("review", "案件评议"),
    ("appointment", "约见"),
    ("activity", "活动"),
    ("deliberation", "列席审议"),
    ("card", "联络卡"),
    ("letter", "书面"),
];

/// Codes whose word depends on the field they are in.
pub(super) const BY_FIELD: &[(&str, &str, &str)] = &[
    ("status", "open", "进行中"),
    ("kind", "meeting", "座谈会"),
    ("kind", "visit", "走访"),
    ("channel", "meeting", "会议"),
    ("means", "meeting", "面谈"),
];
