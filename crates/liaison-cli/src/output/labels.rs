//! Labels for what the CLI prints for people (issue 14 item 12): every field name, coded value and event
//! kind in the user's language — never `answer.count`, `in_office` or `deputy.registered`. Chinese comes
//! from the core where it already names a thing (its input fields' names, its enums' words) and from the
//! tables here otherwise; English is the key in words (`term_start` → "term start") unless a table says
//! better. A key without a label is shown in those words: the CLI tests walk every command's tables and
//! fail on any that reaches a Chinese table.

use super::lang::en;

/// A field's label (in English, the key in words when no better one is known).
pub(crate) fn field(key: &str) -> String {
    field_in("", key)
}

/// A field's label inside `parent` (`to` is 止 in a period but 去向 in a route).
pub(crate) fn field_in(parent: &str, key: &str) -> String {
    field_label(parent, key).unwrap_or_else(|| words(key))
}

/// A field's label inside `parent`, when one is known.
pub(crate) fn field_label(parent: &str, key: &str) -> Option<String> {
    if let Some((_, _, zh, e)) = IN_CONTEXT.iter().find(|(p, k, _, _)| *p == parent && *k == key) {
        return Some(if en() { (*e).to_owned() } else { (*zh).to_owned() });
    }
    if en() {
        return Some(
            FIELDS_EN.iter().find(|(k, _)| *k == key).map_or_else(|| words(key), |(_, e)| (*e).to_owned()),
        );
    }
    if let Some((_, zh)) = FIELDS.iter().find(|(k, _)| *k == key) {
        return Some((*zh).to_owned());
    }
    match liaison_core::error::field_zh(key) {
        "字段" => None,
        zh => Some(zh.to_owned()),
    }
}

/// The label of a coded value (`in_office` → 在任), when `code` is one; `key` is the field it is in.
pub(crate) fn value(key: &str, code: &str) -> Option<String> {
    if NEVER.contains(&key) || code.is_empty() || !code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    let zh = BY_FIELD
        .iter()
        .find(|(k, c, _)| *k == key && *c == code)
        .map(|(_, _, zh)| *zh)
        .or_else(|| VALUES.iter().find(|(c, _)| *c == code).map(|(_, zh)| *zh))
        .or_else(|| core_word(code))?;
    Some(if en() { words(code) } else { zh.to_owned() })
}

/// An event kind (`deputy.registered` → 代表登记).
pub(crate) fn event(kind: &str) -> String {
    if en() {
        return words(&kind.replacen('.', ": ", 1));
    }
    match EVENTS.iter().find(|(k, _)| *k == kind) {
        Some((_, zh)) => (*zh).to_owned(),
        None => {
            let (noun, verb) = kind.split_once('.').unwrap_or(("", kind));
            format!("{}：{}", field(noun), words(verb))
        }
    }
}

/// A record named by its kind and number or id (`suggestion 2026-0001`, `suggestion:<id>`), the kind in
/// words.
pub(crate) fn reference(r: &str) -> String {
    match r.split_once([' ', ':']) {
        Some((kind, rest)) => match value("", kind) {
            Some(word) => format!("{word} {rest}"),
            None => r.to_owned(),
        },
        None => r.to_owned(),
    }
}

/// `2026-06-01T01:00:00Z` → `2026-06-01 09:00` (China time); a local `2026-06-01T09:00:00` likewise;
/// anything else as it is.
pub(crate) fn moment(s: &str) -> String {
    let parsed = || {
        if s.len() < 16 || s.as_bytes().get(10) != Some(&b'T') {
            return None;
        }
        let china = chrono::FixedOffset::east_opt(8 * 3600)?;
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
            return Some(t.with_timezone(&china).format("%Y-%m-%d %H:%M").to_string());
        }
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    parsed().unwrap_or_else(|| s.to_owned())
}

/// 是 / 否.
pub(crate) fn yes_no(b: bool) -> &'static str {
    match (en(), b) {
        (true, true) => "yes",
        (true, false) => "no",
        (false, true) => "是",
        (false, false) => "否",
    }
}

/// `term_start` → "term start".
fn words(key: &str) -> String {
    key.replace('_', " ")
}

/// Fields whose values are never codes, whatever they look like (a login may be `office`).
const NEVER: &[&str] =
    &["login", "name", "display_name", "title", "text", "content", "summary", "email", "token"];

/// The words of the core's enums, by their stored codes.
fn core_word(code: &str) -> Option<&'static str> {
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
const VALUES: &[(&str, &str)] = &[
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
const BY_FIELD: &[(&str, &str, &str)] = &[
    ("status", "open", "进行中"),
    ("kind", "meeting", "座谈会"),
    ("kind", "visit", "走访"),
    ("channel", "meeting", "会议"),
    ("means", "meeting", "面谈"),
];

/// Field labels (the core's `field_zh` names the input fields; these are the rest).
const FIELDS: &[(&str, &str)] = &[
    ("id", "ID"),
    ("version", "版本"),
    ("contact", "联系方式"),
    ("id_number", "身份证号"),
    ("level", "层级"),
    ("level_zh", "层级"),
    ("status", "状态"),
    ("status_zh", "状态"),
    ("ended_on", "离任日期"),
    ("department", "对口部门"),
    ("officer", "联络员"),
    ("officer_id", "联络员"),
    ("display_name", "姓名"),
    ("login", "登录名"),
    ("roles", "角色"),
    ("pending_roles", "待批准角色"),
    ("active", "在用"),
    ("expires_at", "到期时间"),
    ("last_used_at", "最后使用"),
    ("lifetime_days", "令牌有效期（天）"),
    ("idle_days", "闲置期限（天）"),
    ("created_at", "创建时间"),
    ("revoked_at", "撤销时间"),
    ("label", "用途"),
    ("user", "用户"),
    ("token", "令牌"),
    ("departments", "部门"),
    ("delegations", "对口代表团"),
    ("regions", "区域"),
    ("leaders", "院领导"),
    ("officers", "联络员"),
    ("leader", "包片院领导"),
    ("leader_name", "包片院领导"),
    ("measure", "整改措施"),
    ("description", "内容"),
    ("opened_on", "开始日期"),
    ("origin", "来源"),
    ("number", "编号"),
    ("owner", "责任部门"),
    ("progress", "进展"),
    ("report", "报告"),
    ("result", "结果"),
    ("overdue", "逾期"),
    ("deputies", "代表"),
    ("deputy", "代表"),
    ("count", "数量"),
    ("unit", "单位"),
    ("rule", "规则"),
    ("answer", "答复期限"),
    ("appointment_acknowledge", "约见答复期限"),
    ("appointment_meet", "约见安排期限"),
    ("assign_within", "交办期限"),
    ("body_counts", "代表评议计入办结"),
    ("co_handler", "协办意见期限"),
    ("decision_within", "评价决定期限"),
    ("due_soon_days", "临期提醒天数"),
    ("escalation", "领导督办期限"),
    ("extension_max", "最长延期"),
    ("feedback", "代表反馈期限"),
    ("petition_outcome", "信访办理结果期限"),
    ("progress_interval", "进展通报间隔"),
    ("rehandling", "再次办理期限"),
    ("return_window", "退办期限"),
    ("satisfaction", "满意度评价规则"),
    ("threshold_permille", "满意率阈值（‰）"),
    ("at", "时间"),
    ("caller", "来电人"),
    ("routed_to", "去向"),
    ("topic", "事由"),
    ("reference", "文号或凭证"),
    ("issued_on", "发放日期"),
    ("revoked", "收回"),
    ("telephone", "电话"),
    ("deliveries", "送达"),
    ("resolved", "结果"),
    ("by_forum", "以座谈会形式"),
    ("recipients", "对象"),
    ("responses", "回复"),
    ("sent_on", "发出日期"),
    ("ended", "提前结束"),
    ("from", "起"),
    ("to", "止"),
    ("issues", "反映的问题"),
    ("notes", "记录"),
    ("on", "日期"),
    ("place", "地点"),
    ("recorded_by", "记录人"),
    ("staff", "参加人员"),
    ("attendances", "列席"),
    ("closed_on", "结束日期"),
    ("opens_on", "开幕日期"),
    ("opinions", "意见"),
    ("session", "会议"),
    ("summary", "摘要"),
    ("group", "代表团/小组"),
    ("agenda", "议程"),
    ("invited", "邀请"),
    ("attended", "出席"),
    ("minutes", "纪要"),
    ("cancelled", "已取消"),
    ("organiser_ref", "组织方文号"),
    ("participants", "参加代表"),
    ("items", "评议项目"),
    ("rectifications", "整改项"),
    ("scores", "评分"),
    ("by_deputy", "按代表"),
    ("by_item", "按项目"),
    ("overall", "总体"),
    ("materials", "材料"),
    ("seats", "名额"),
    ("selection", "产生方式"),
    ("levels", "层级"),
    ("draw", "抽签"),
    ("feedbacks", "反馈"),
    ("official", "约见对象"),
    ("official_id", "约见对象"),
    ("channel", "渠道"),
    ("acknowledge_by", "答复期限"),
    ("meet_by", "约见期限"),
    ("scheduled", "安排"),
    ("late", "逾期安排"),
    ("record", "记录"),
    ("declined", "婉拒"),
    ("requested_on", "申请日期"),
    ("acknowledged_on", "答复日期"),
    ("year", "年度"),
    ("lines", "科目"),
    ("appropriations", "追加申请"),
    ("adopted", "批准"),
    ("period", "期间"),
    ("targets", "指标"),
    ("plan", "计划"),
    ("reasons", "推荐理由"),
    ("contribution", "履职贡献"),
    ("total", "总分"),
    ("evidence", "依据"),
    ("points", "分值"),
    ("submitted", "报送"),
    ("case_ref", "案件"),
    ("recusals", "回避"),
    ("votes", "表决"),
    ("chief", "检察长意见"),
    ("committee", "检察委员会意见"),
    ("panel", "评议代表"),
    ("proposers", "提出代表"),
    ("links", "评价链接"),
    ("link", "链接"),
    ("expires_on", "有效期至"),
    ("audience", "公开范围"),
    ("published_on", "公开日期"),
    ("open_until", "评议截止"),
    ("viewed", "已阅"),
    ("ratings", "评价"),
    ("rating", "评价"),
    ("body_ratings", "代表评议"),
    ("body_verdict", "代表评议结论"),
    ("proposers_verdict", "提出代表评价结论"),
    ("withheld", "保密内容"),
    ("public_text", "公开内容"),
    ("rounds", "轮次"),
    ("covered", "已落实"),
    ("gaps", "缺口"),
    ("gaps_zh", "缺口"),
    ("max_load", "联络员最多负责"),
    ("min_load", "联络员最少负责"),
    ("officer_loads", "联络员负担"),
    ("by_level", "按层级"),
    ("records", "记录数"),
    ("heads", "链头"),
    ("breaks", "断点"),
    ("weights", "权重"),
    ("checked_on", "核查日期"),
    ("is_deputy", "是否代表"),
    ("permission", "所需许可或通报"),
    ("matter", "事项"),
    ("kind_zh", "类别"),
    ("note", "说明"),
    ("note_zh", "说明"),
    ("answered", "已答复"),
    ("received", "收到"),
    ("interval", "间隔"),
    ("why", "理由"),
    ("class", "答复类别"),
    ("co_opinions", "协办意见"),
    ("co_handlers", "协办部门"),
    ("figures", "统计"),
    ("rated", "已评价"),
    ("round", "轮次"),
    ("your_rating", "我的评价"),
    ("value", "内容"),
    ("route", "转办"),
    ("told", "已告知"),
    ("handled_as", "办理方式"),
    ("satisfied", "满意"),
    ("basically_satisfied", "基本满意"),
    ("dissatisfied", "不满意"),
    ("withdrawn", "已撤回"),
    ("merged", "已并案"),
    ("merged_into", "并入"),
    ("lapsed", "逾期未反馈"),
    ("absorbed", "并入的建议"),
    ("anonymous", "不具名"),
    ("assigned_on", "交办日期"),
    ("assignment", "交办"),
    ("audit_seq", "审计序号"),
    ("began_on", "开始日期"),
    ("by", "方式"),
    ("cancelled_draws", "已取消的抽签"),
    ("candidates", "候选人"),
    ("closure", "办结"),
    ("comment", "意见"),
    ("commitment", "随机种子承诺"),
    ("contacts", "沟通记录"),
    ("date", "日期"),
    ("deadline_basis", "期限的计算"),
    ("decision", "决定"),
    ("denominator", "分母"),
    ("numerator", "分子"),
    ("drafted_on", "草拟日期"),
    ("due", "期限"),
    ("extensions", "延期"),
    ("feedback_due", "反馈期限"),
    ("fingerprint", "抽签池指纹"),
    ("follow_up", "后续解决"),
    ("form_ref", "征询表编号"),
    ("groups", "代表团/小组"),
    ("handler", "承办人"),
    ("inclusion", "入选概率"),
    ("key", "分组"),
    ("length", "长度"),
    ("lead", "主办部门"),
    ("means", "方式"),
    ("met", "是否完成"),
    ("achieved", "完成"),
    ("planned", "计划"),
    ("target", "指标"),
    ("next_due", "下一期限"),
    ("obligations", "待办"),
    ("opinion", "意见"),
    ("outcome", "结果"),
    ("phase", "阶段"),
    ("promised_on", "承诺解决日期"),
    ("published", "已公开"),
    ("quota", "名额"),
    ("received_on", "收到日期"),
    ("reached", "已联系"),
    ("responded", "已回复"),
    ("response", "回复"),
    ("returns", "退办"),
    ("reversed", "已冲销"),
    ("score", "评分"),
    ("seed", "随机种子"),
    ("seed_source", "随机种子来源"),
    ("public_value", "公开数据"),
    ("shares", "份额"),
    ("source", "来源"),
    ("spent", "已支出"),
    ("start", "开始"),
    ("step", "步骤"),
    ("strata", "分层"),
    ("stratum", "层"),
    ("supplemented", "追加"),
    ("transcribed_by", "转录人"),
    ("type", "类型"),
    ("via", "途径"),
    ("withdrawal_reason", "撤回理由"),
    ("proposers_shown", "公开的提出代表"),
    ("publications", "公开答复"),
    ("delivered", "已送达"),
    ("failed", "未送达"),
    ("deputyships", "代表身份"),
    ("by_kind", "按类别"),
    ("execution", "执行情况"),
    ("available", "余额"),
    ("fen", "金额（分）"),
    ("purpose", "用途"),
    ("expenses", "支出"),
    ("reversals", "冲销"),
    ("projected_shortfall", "预计缺口"),
    ("half", "半年"),
    ("item", "项目"),
    ("n", "序号"),
    ("meetings", "座谈会"),
    ("notices", "重大事项通报"),
    ("activities", "活动"),
    ("visits", "走访"),
    ("events", "事件"),
    ("payload", "内容"),
    ("actor", "操作人"),
    ("seq", "序号"),
    ("concerns", "涉及代表"),
    ("people", "代表"),
    ("unreadable", "无法读取的记录"),
    ("next_cursor", "下一页"),
    ("items_total", "合计"),
    ("skipped", "跳过"),
    ("assumed_years", "假定年份"),
    ("basis", "依据"),
    ("points_by_kind", "按类别得分"),
    ("participation_this_year", "本年度参加活动"),
    ("reached_this_year", "本年度已联系"),
    ("participation_gini_permille", "参加次数基尼系数（‰）"),
    ("gini_permille", "基尼系数（‰）"),
    ("seats_drawn", "抽中名额"),
    ("not_reached", "未联系"),
    ("by_region", "按区域"),
    ("officers_assigned", "分配联络员"),
    ("officers_outside_region", "跨区域分配"),
    ("departments_assigned", "分配对口部门"),
    ("without_officer", "仍无联络员"),
    ("without_department", "仍无对口部门"),
    ("dry_run", "试运行"),
    ("imported", "新登记"),
    ("updated", "更新"),
    ("unchanged", "无变化"),
    ("errors", "错误"),
    ("ignored_columns", "未使用的列"),
    ("encoding", "编码"),
    ("notes_zh", "说明"),
    ("refresh", "年度名册核对"),
    ("scope", "范围"),
    ("registered", "新登记"),
    ("possibly_departed", "可能已离任"),
    ("terms_ended", "已结束任期"),
    ("column", "列"),
    ("code", "代码"),
    ("message", "说明"),
    ("done", "完成情况"),
    ("changed", "变更内容"),
    ("row", "行"),
    ("rows", "行数"),
];

/// Labels that depend on the object a field is in: (parent, key, zh, en).
const IN_CONTEXT: &[(&str, &str, &str, &str)] =
    &[("route", "to", "去向", "to"), ("origin", "from", "来源", "from")];

/// English labels where the key in words would not do.
const FIELDS_EN: &[(&str, &str)] = &[
    ("id", "ID"),
    ("id_number", "ID number"),
    ("level_zh", "level"),
    ("status_zh", "status"),
    ("kind_zh", "kind"),
    ("gaps_zh", "gaps"),
    ("note_zh", "note"),
    ("officer_id", "officer"),
    ("official_id", "official"),
    ("leader_name", "leader"),
    ("display_name", "name"),
];

/// Event kinds as the audit history shows them.
const EVENTS: &[(&str, &str)] = &[
    ("access.personal_data_viewed", "查看个人信息"),
    ("activity.cancelled", "活动取消"),
    ("activity.committed", "活动抽签池固定"),
    ("activity.drawn", "活动抽签"),
    ("activity.feedback_given", "活动反馈"),
    ("activity.held", "活动举行"),
    ("activity.planned", "活动计划"),
    ("activity.replan_approved", "活动重新安排获批"),
    ("appointment.acknowledged", "约见答复"),
    ("appointment.declined", "约见婉拒"),
    ("appointment.held", "约见举行"),
    ("appointment.requested", "约见申请"),
    ("appointment.scheduled", "约见安排"),
    ("budget.adopted", "经费预算批准"),
    ("budget.appropriation_approved", "追加经费批准"),
    ("budget.appropriation_rejected", "追加经费未获批准"),
    ("budget.appropriation_requested", "追加经费申请"),
    ("budget.expense_reversed", "支出冲销"),
    ("budget.line_set", "预算科目设定"),
    ("budget.spent", "经费支出"),
    ("card.issued", "联络卡发放"),
    ("card.revoked", "联络卡收回"),
    ("deliberation.attended", "列席审议"),
    ("deliberation.closed", "列席审议记录结束"),
    ("deliberation.deputy_told", "告知代表"),
    ("deliberation.opened", "列席审议记录建立"),
    ("deliberation.opinion_recorded", "审议意见记录"),
    ("deliberation.opinion_routed", "审议意见转办"),
    ("deputy.department_assigned", "落实对口部门"),
    ("deputy.officer_assigned", "落实联络员"),
    ("deputy.registered", "代表登记"),
    ("deputy.removed", "代表资格终止"),
    ("deputy.term_ended", "代表任期结束"),
    ("deputy.took_office", "代表就任"),
    ("deputy.updated", "代表信息修改"),
    ("hotline.call_logged", "热线来电记录"),
    ("import.abandoned", "名册导入作废"),
    ("import.published", "名册导入生效"),
    ("import.started", "名册导入开始"),
    ("inspection.held", "视察评议举行"),
    ("inspection.opinion_given", "视察评议意见"),
    ("inspection.planned", "视察评议计划"),
    ("inspection.rectification_added", "整改项登记"),
    ("inspection.rectification_done", "整改项完成"),
    ("inspection.reported", "整改情况报告"),
    ("inspection.scored", "视察评议评分"),
    ("measure.completed", "整改措施完成"),
    ("measure.opened", "整改措施建立"),
    ("measure.progress_noted", "整改进展记录"),
    ("measure.reported_back", "整改情况反馈"),
    ("meeting.cancelled", "座谈会取消"),
    ("meeting.held", "座谈会举行"),
    ("meeting.invited", "座谈会邀请"),
    ("meeting.opinion_raised", "座谈会意见"),
    ("meeting.planned", "座谈会计划"),
    ("nomination.accepted", "表彰推荐采纳"),
    ("nomination.approved", "表彰推荐批准"),
    ("nomination.declined", "表彰推荐未采纳"),
    ("nomination.nominated", "表彰推荐"),
    ("nomination.submitted", "表彰推荐报送"),
    ("notice.acknowledged", "通报回执"),
    ("notice.approved", "通报批准"),
    ("notice.delivery_recorded", "通报送达记录"),
    ("notice.drafted", "通报草拟"),
    ("notice.edited", "通报修改"),
    ("notice.responded", "通报回复"),
    ("notice.sent", "通报发出"),
    ("org.delegation_paired", "代表团对口部门"),
    ("org.department_added", "部门添加"),
    ("org.department_region_added", "部门联系区域"),
    ("org.leader_added", "院领导添加"),
    ("org.officer_added", "联络员添加"),
    ("org.officer_deactivated", "联络员停用"),
    ("org.region_added", "区域添加"),
    ("org.region_leader_set", "包片院领导设定"),
    ("plan.adopted", "工作计划通过"),
    ("plan.targets_set", "工作计划指标设定"),
    ("review.chief_decided", "检察长决定"),
    ("review.committed", "评议抽签池固定"),
    ("review.committee_decided", "检察委员会决定"),
    ("review.drawn", "评议抽签"),
    ("review.escalated", "提交检察委员会"),
    ("review.notified", "评议结果告知"),
    ("review.recusal_declared", "回避"),
    ("review.registered", "案件评议登记"),
    ("review.replaced_after_draw", "抽签后替补"),
    ("review.replan_approved", "重新安排获批"),
    ("review.voted", "评议表决"),
    ("rights.checked", "代表身份核查"),
    ("service.delivered", "服务送达"),
    ("service.opened", "服务保障登记"),
    ("service.resolved", "服务保障办结"),
    ("settings.commendation_weights_set", "奖励权重设定"),
    ("settings.suggestion_policy_set", "建议办理规则设定"),
    ("solicitation.responded", "征求意见回复"),
    ("solicitation.sent", "征求意见发出"),
    ("suggestion.absorbed", "并入建议"),
    ("suggestion.anonymity_set", "代表匿名设定"),
    ("suggestion.answered", "答复"),
    ("suggestion.assigned", "交办"),
    ("suggestion.body_rated", "代表评议"),
    ("suggestion.closed", "办结"),
    ("suggestion.co_handler_overdue", "协办意见逾期"),
    ("suggestion.co_opinion_given", "协办意见"),
    ("suggestion.contact_logged", "沟通记录"),
    ("suggestion.deadline_recomputed", "期限重算"),
    ("suggestion.escalated", "提请领导督办"),
    ("suggestion.escalation_recorded", "领导督办记录"),
    ("suggestion.extended", "延期批准"),
    ("suggestion.extension_declined", "延期未获批准"),
    ("suggestion.extension_requested", "申请延期"),
    ("suggestion.feedback_links_issued", "发出评价链接"),
    ("suggestion.handling_started", "开始办理"),
    ("suggestion.measure_linked", "关联整改措施"),
    ("suggestion.merged", "并案"),
    ("suggestion.panel_set", "评议代表设定"),
    ("suggestion.progress_notified", "进展通报"),
    ("suggestion.published", "公开答复"),
    ("suggestion.rated", "代表评价"),
    ("suggestion.reassigned", "改派"),
    ("suggestion.received", "收到建议"),
    ("suggestion.registered", "登记建议"),
    ("suggestion.rehandling_began", "再次办理"),
    ("suggestion.reroute_outcome_recorded", "信访办理结果记录"),
    ("suggestion.reroute_outcome_told", "信访结果告知代表"),
    ("suggestion.rerouted", "转信访"),
    ("suggestion.returned", "退办"),
    ("suggestion.round_decided", "本轮评价结论"),
    ("suggestion.signature_withdrawn", "撤回联名"),
    ("suggestion.solved", "后续解决"),
    ("suggestion.viewed", "代表阅读公开答复"),
    ("suggestion.withdrawn", "撤回建议"),
    ("supervisor.appointed", "监督员选任"),
    ("supervisor.ended", "监督员任期提前结束"),
    ("token.revoked", "令牌撤销"),
    ("user.created", "用户创建"),
    ("visit.recorded", "走访记录"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Each table names a key once, and its Chinese is Chinese (no key slipped in as a label).
    #[test]
    fn the_tables_have_each_key_once_and_chinese_labels() {
        let latin = |s: &str| s.chars().any(|c| c.is_ascii_lowercase());
        for (name, keys) in [
            ("FIELDS", FIELDS.iter().map(|(k, zh)| (*k, *zh)).collect::<Vec<_>>()),
            ("VALUES", VALUES.to_vec()),
            ("EVENTS", EVENTS.to_vec()),
        ] {
            let mut seen = std::collections::BTreeSet::new();
            for (k, zh) in keys {
                assert!(seen.insert(k), "{name}: {k} twice");
                assert!(!latin(zh), "{name}: {k} is labelled {zh}");
            }
        }
        assert_eq!(words("term_start"), "term start");
        assert_eq!(reference("suggestion 2026-0001"), "建议 2026-0001");
        assert_eq!(moment("2026-06-01T01:00:00Z"), "2026-06-01 09:00");
        assert_eq!(event("deputy.term_ended"), "代表任期结束");
        assert_eq!(value("login", "office"), None, "a login is shown as typed");
        assert_eq!(value("roles", "office").as_deref(), Some("联络室"));
    }
}
