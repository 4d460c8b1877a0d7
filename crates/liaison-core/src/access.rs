//! Roles and what each may do: the role × action table (`MATRIX`), the only one. Every interface enforces
//! it through `allows`; `matrix_markdown` renders it into ARCHITECTURE.md (a test keeps that copy current).
//!
//! Three separated administrators (MLPS level 3, GB/T 22239): the system administrator keeps accounts and
//! integration tokens, the security administrator grants roles and unlocks accounts, the audit
//! administrator verifies the trail. None of them sees deputies' personal data or the register, and no
//! account holds two of them or one of them with a business role (`account::check_roles`).

use serde::{Deserialize, Serialize};

/// A user's role (MISSION.md "People in the domain").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System administrator (系统管理员): accounts, integration accounts' tokens, configuration.
    Admin,
    /// Security administrator (安全管理员): approves role grants and deputy accounts, unlocks accounts,
    /// sets the token policy.
    SecurityAdmin,
    /// Audit administrator (审计管理员): verifies the audit trail, changes nothing.
    Auditor,
    /// Liaison office (联络室): the register, organisation, assignments, imports.
    Office,
    /// Liaison officer (联络员).
    Officer,
    /// Leadership member (院领导).
    Leader,
    /// Internal department (内设部门).
    Department,
    /// A deputy's own account (代表本人): reads the deputy's own items and rates answers, as that deputy only.
    Deputy,
}

impl Role {
    /// Every role, administrators first (the table's column order).
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::SecurityAdmin,
        Role::Auditor,
        Role::Office,
        Role::Officer,
        Role::Leader,
        Role::Department,
        Role::Deputy,
    ];
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::SecurityAdmin => "security_admin",
            Self::Auditor => "auditor",
            Self::Office => "office",
            Self::Officer => "officer",
            Self::Leader => "leader",
            Self::Department => "department",
            Self::Deputy => "deputy",
        }
    }
    /// Parse a code.
    pub fn parse(s: &str) -> Result<Self, crate::ValueError> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim()).ok_or(crate::ValueError::OneOf(
            "admin/security_admin/auditor/office/officer/leader/department/deputy",
        ))
    }
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Admin => "系统管理员",
            Self::SecurityAdmin => "安全管理员",
            Self::Auditor => "审计管理员",
            Self::Office => "联络室",
            Self::Officer => "联络员",
            Self::Leader => "院领导",
            Self::Department => "内设部门",
            Self::Deputy => "代表本人",
        }
    }
    /// One of the three administrators (system, security, audit), as opposed to a business role.
    pub fn is_administrator(self) -> bool {
        matches!(self, Self::Admin | Self::SecurityAdmin | Self::Auditor)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Something a use case does that needs permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// Read the register (contact data masked).
    ReadRegistry,
    /// See a deputy's full contact card and ID number (each view is audited).
    ViewPersonalData,
    /// Add, change, end deputies.
    EditRegistry,
    /// Import a register file.
    ImportRegistry,
    /// Regions, leaders, departments, officers.
    ManageOrganisation,
    /// Assign responsible officers and departments.
    Assign,
    /// Read the coverage report and the liaison records that name deputies.
    ReadCoverage,
    /// Create accounts, ask for role changes, disable accounts, issue activation codes.
    ManageUsers,
    /// Create tokens for integration accounts; list and revoke any token.
    ManageTokens,
    /// Approve or reject role grants and deputy accounts; disable and re-enable (unlock) accounts.
    GrantRoles,
    /// Set the token policy (lifetime, idle limit).
    ConfigureSecurity,
    /// Verify the audit chain.
    VerifyAudit,
    /// Read the security alerts of the audit trail (`alert.*`: bulk viewing of personal data …): the
    /// security and the audit administrator.
    ReadAlerts,
    /// Read suggestions, measures, notices and publications (a deputy account: only its own items).
    ReadSuggestions,
    /// Read the figures of suggestions and the deliberation records (staff; a deputy's account reads only
    /// its own items).
    ReadFigures,
    /// Read the department scorecard (办理考评): leaders and the office, not the departments scored.
    ReadScorecard,
    /// Receive, register, merge, reroute suggestions; record withdrawals and lapses.
    FileSuggestion,
    /// Issue one-use rating links to deputies (the liaison office only: a link is a deputy's credential;
    /// each issue revokes the deputy's earlier unused links, and the issuer is recorded).
    IssueLinks,
    /// Assign suggestions to departments (交办).
    AssignSuggestion,
    /// Handle an assigned suggestion: contacts, progress notices, co-opinions, answers, returns, follow-up
    /// (a department account: only its own department's items).
    HandleSuggestion,
    /// Approve an extension or record leadership's action after a second dissatisfaction.
    ApproveSuggestion,
    /// Transcribe a deputy's signed paper feedback form (citing its reference).
    TranscribeRating,
    /// Rate an answer as oneself (a deputy account).
    RateAsDeputy,
    /// Draft a joint suggestion as oneself and file it online: open, invite co-signers, edit, submit,
    /// withdraw as its lead; confirm or decline an invitation as the co-signer invited (a deputy account,
    /// only its own drafts and invitations).
    DraftSuggestion,
    /// Ask for an appointment with a leader or a liaison officer as oneself, and follow one's own
    /// appointments (a deputy account, on the portal).
    RequestAppointment,
    /// Confirm or decline, as oneself, an activity one was drawn for (or chosen in rotation), until the day
    /// before it, and read its draw's public record (a deputy account, only its own seats).
    AnswerActivity,
    /// Open and track improvement measures.
    ManageMeasures,
    /// Change the deployment's suggestion policy (deadlines, satisfaction rule).
    ConfigurePolicy,
    /// Draft, send and follow major-matter notices (R2).
    ManageNotices,
    /// Approve a major-matter notice, a liaison work plan, a nomination, a budget (a leader).
    ApproveLiaison,
    /// Plans, meetings, visits, inspections, reviews, activities, appointments, channels, budget (R3–R6,
    /// C1–C4, G2–G3).
    ManageLiaison,
    /// Check whether a person is a deputy in office and what the law requires before arrest or trial (G1;
    /// every check is audited).
    CheckRights,
    /// Read the delivery state of outgoing messages (never their text) and put a failed one back in the
    /// queue (issue 17; every retry is audited).
    ManageDelivery,
    /// Read one's own in-app inbox and mark its messages read (every account, its own inbox only).
    ReadInbox,
    /// Read the roll-up of the procuratorates below (报备): their suggestion figures, never their registers.
    /// (Last: a variant added in the middle would renumber the ones after it.)
    ReadRollup,
}

use Role::{Admin, Auditor, Department, Deputy, Leader, Office, Officer, SecurityAdmin};

/// The role × action table: each action with the roles that may do it. The only statement of who may do
/// what; `allows` reads it, the HTTP layer gates every operation by it, and ARCHITECTURE.md carries it
/// as `matrix_markdown` renders it.
pub const MATRIX: &[(Action, &[Role])] = &[
    (Action::ManageUsers, &[Admin]),
    (Action::ManageTokens, &[Admin]),
    (Action::GrantRoles, &[SecurityAdmin]),
    (Action::ConfigureSecurity, &[SecurityAdmin]),
    (Action::VerifyAudit, &[Auditor]),
    (Action::ReadAlerts, &[SecurityAdmin, Auditor]),
    (Action::ReadRegistry, &[Office, Officer, Leader, Department]),
    (Action::ViewPersonalData, &[Office, Officer, Leader]),
    (Action::EditRegistry, &[Office, Officer]),
    (Action::ImportRegistry, &[Office]),
    (Action::ManageOrganisation, &[Office]),
    (Action::Assign, &[Office]),
    (Action::ReadCoverage, &[Office, Officer, Leader, Department]),
    (Action::ReadSuggestions, &[Office, Officer, Leader, Department, Deputy]),
    (Action::ReadFigures, &[Office, Officer, Leader, Department]),
    (Action::ReadScorecard, &[Office, Leader]),
    (Action::ReadRollup, &[Office, Leader]),
    (Action::FileSuggestion, &[Office, Officer]),
    (Action::IssueLinks, &[Office]),
    (Action::AssignSuggestion, &[Office]),
    (Action::HandleSuggestion, &[Office, Department]),
    (Action::ApproveSuggestion, &[Leader]),
    (Action::TranscribeRating, &[Office, Officer]),
    (Action::RateAsDeputy, &[Deputy]),
    (Action::DraftSuggestion, &[Deputy]),
    (Action::RequestAppointment, &[Deputy]),
    (Action::AnswerActivity, &[Deputy]),
    (Action::ManageMeasures, &[Office, Department]),
    (Action::ConfigurePolicy, &[Office]),
    (Action::ManageNotices, &[Office, Officer]),
    (Action::ApproveLiaison, &[Leader]),
    (Action::ManageLiaison, &[Office, Officer]),
    (Action::CheckRights, &[Office, Leader, Department]),
    (Action::ManageDelivery, &[Admin, Office]),
    (Action::ReadInbox, &[Admin, SecurityAdmin, Auditor, Office, Officer, Leader, Department, Deputy]),
];

impl Action {
    /// Every action, in the table's order.
    pub fn all() -> impl Iterator<Item = Action> {
        MATRIX.iter().map(|(a, _)| *a)
    }
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ReadRegistry => "read_registry",
            Self::ViewPersonalData => "view_personal_data",
            Self::EditRegistry => "edit_registry",
            Self::ImportRegistry => "import_registry",
            Self::ManageOrganisation => "manage_organisation",
            Self::Assign => "assign",
            Self::ReadCoverage => "read_coverage",
            Self::ManageUsers => "manage_users",
            Self::ManageTokens => "manage_tokens",
            Self::GrantRoles => "grant_roles",
            Self::ConfigureSecurity => "configure_security",
            Self::VerifyAudit => "verify_audit",
            Self::ReadAlerts => "read_alerts",
            Self::ReadSuggestions => "read_suggestions",
            Self::ReadFigures => "read_figures",
            Self::ReadScorecard => "read_scorecard",
            Self::ReadRollup => "read_rollup",
            Self::FileSuggestion => "file_suggestion",
            Self::IssueLinks => "issue_links",
            Self::AssignSuggestion => "assign_suggestion",
            Self::HandleSuggestion => "handle_suggestion",
            Self::ApproveSuggestion => "approve_suggestion",
            Self::TranscribeRating => "transcribe_rating",
            Self::RateAsDeputy => "rate_as_deputy",
            Self::DraftSuggestion => "draft_suggestion",
            Self::RequestAppointment => "request_appointment",
            Self::AnswerActivity => "answer_activity",
            Self::ManageMeasures => "manage_measures",
            Self::ConfigurePolicy => "configure_policy",
            Self::ManageNotices => "manage_notices",
            Self::ApproveLiaison => "approve_liaison",
            Self::ManageLiaison => "manage_liaison",
            Self::CheckRights => "check_rights",
            Self::ManageDelivery => "manage_delivery",
            Self::ReadInbox => "read_inbox",
        }
    }
    /// What it covers, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::ReadRegistry => "查阅代表名册（联系方式遮蔽）",
            Self::ViewPersonalData => {
                "查看代表完整联系方式和身份证号（须写明原因，每次留痕；联络员限其联系的代表和授权区域；批量查看受限并告警）"
            }
            Self::EditRegistry => "登记、修改代表信息，结束任期（联络员限其联系的代表和授权区域）",
            Self::ImportRegistry => "导入名册",
            Self::ManageOrganisation => "维护区域、院领导、部门、联络员",
            Self::Assign => "分配联络员和对口部门",
            Self::ReadCoverage => "查阅联络覆盖及各项联络记录",
            Self::ManageUsers => "创建账户、申请变更角色、停用账户、签发激活码",
            Self::ManageTokens => "为集成账户签发令牌，查看和撤销令牌",
            Self::GrantRoles => "批准或驳回角色授予和代表账户，停用、启用（解锁）账户",
            Self::ConfigureSecurity => "设置令牌策略（有效期、闲置期限）",
            Self::VerifyAudit => "校验审计链",
            Self::ReadAlerts => "查阅安全告警（批量查看个人信息等）",
            Self::ReadSuggestions => "查阅建议、整改措施、通报（代表本人只看自己的）",
            Self::ReadFigures => "查阅建议办理统计和列席审议记录",
            Self::ReadScorecard => "查阅承办部门办理考评",
            Self::ReadRollup => "查阅下级检察院的建议办理统计（报备）",
            Self::FileSuggestion => "登记、并案、转办建议，记录撤回和逾期",
            Self::IssueLinks => "签发代表评价链接（仅联络室；再次签发即作废旧链接）",
            Self::AssignSuggestion => "交办建议",
            Self::HandleSuggestion => "办理建议：沟通、进展、协办意见、答复、退办、跟踪",
            Self::ApproveSuggestion => "批准延期，记录领导督办",
            Self::TranscribeRating => "录入代表签名的纸质征询意见表",
            Self::RateAsDeputy => "以代表本人身份评价答复",
            Self::DraftSuggestion => "以代表本人身份在线起草、联名和提交建议",
            Self::RequestAppointment => "以代表本人身份预约约见，查看本人的约见",
            Self::AnswerActivity => "以代表本人身份确认或谢绝被抽中的活动，查看抽签公开记录",
            Self::ManageMeasures => "提出和跟踪整改措施",
            Self::ConfigurePolicy => "设置建议办理规则（期限、满意度规则）",
            Self::ManageNotices => "起草、发送和跟踪重大事项通报",
            Self::ApproveLiaison => "批准通报、计划、推荐和预算",
            Self::ManageLiaison => "计划、会议、走访、视察、评议、活动、约见、联络渠道、经费",
            Self::CheckRights => "代表身份与权利保障核查",
            Self::ManageDelivery => "查看消息发送状态（不含正文），重新发送失败的消息（每次留痕）",
            Self::ReadInbox => "阅读本人站内消息",
        }
    }
    /// The roles that may do it.
    pub fn roles(self) -> &'static [Role] {
        MATRIX.iter().find(|(a, _)| *a == self).map_or(&[], |(_, roles)| *roles)
    }
}

/// Whether `role` may do `action`.
pub fn allows(role: Role, action: Action) -> bool {
    action.roles().contains(&role)
}

/// Whether any of `roles` may do `action`.
pub fn any_allows<'a>(roles: impl IntoIterator<Item = &'a Role>, action: Action) -> bool {
    roles.into_iter().any(|r| allows(*r, action))
}

/// The table as Markdown: one row per action, one column per role, ✓ where allowed. ARCHITECTURE.md holds
/// this text between `<!-- access-matrix -->` and `<!-- /access-matrix -->`; `liaison roles --markdown`
/// prints it.
pub fn matrix_markdown() -> String {
    let mut out = String::from("| action | 说明 |");
    for r in Role::ALL {
        out.push_str(&format!(" {} |", r.code()));
    }
    out.push_str("\n|---|---|");
    for _ in Role::ALL {
        out.push_str(":-:|");
    }
    out.push('\n');
    for (action, roles) in MATRIX {
        out.push_str(&format!("| `{}` | {} |", action.code(), action.zh()));
        for r in Role::ALL {
            out.push_str(if roles.contains(&r) { " ✓ |" } else { "  |" });
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_in_the_table_once() {
        let mut seen = std::collections::HashSet::new();
        for (a, roles) in MATRIX {
            assert!(seen.insert(a.code()), "{} twice", a.code());
            assert!(!roles.is_empty(), "{} allowed to nobody", a.code());
        }
        assert_eq!(seen.len(), 35, "a new action needs its row");
    }

    #[test]
    fn administrators_reach_no_deputy_data_and_business_roles_no_administration() {
        let deputy_data = [
            Action::ReadRegistry,
            Action::ViewPersonalData,
            Action::EditRegistry,
            Action::ImportRegistry,
            Action::ReadCoverage,
            Action::ReadSuggestions,
            Action::ReadFigures,
            Action::CheckRights,
            Action::DraftSuggestion,
        ];
        let administration = [
            Action::ManageUsers,
            Action::ManageTokens,
            Action::GrantRoles,
            Action::ConfigureSecurity,
            Action::VerifyAudit,
            Action::ReadAlerts,
            Action::ManageDelivery,
        ];
        // Every account reads its own inbox, whatever its role.
        let everyone = [Action::ReadInbox];
        for r in Role::ALL {
            let held: Vec<_> = Action::all().filter(|a| allows(r, *a) && !everyone.contains(a)).collect();
            if r.is_administrator() {
                assert!(held.iter().all(|a| administration.contains(a)), "{r:?} holds {held:?}");
                assert!(deputy_data.iter().all(|a| !allows(r, *a)));
            } else {
                // The office follows its messages' delivery as the system administrator does.
                let shared = |a: &Action| *a == Action::ManageDelivery && r == Office;
                assert!(administration.iter().all(|a| shared(a) || !allows(r, *a)), "{r:?} administers");
            }
        }
        // Each administrator does one job, and none does another's; the security alerts (which name accounts,
        // never a deputy's data) are read by the security and the audit administrator alike.
        for a in administration {
            let n = if matches!(a, Action::ReadAlerts | Action::ManageDelivery) { 2 } else { 1 };
            assert_eq!(a.roles().len(), n, "{a:?}");
        }
    }

    #[test]
    fn the_markdown_has_a_row_per_action_and_a_column_per_role() {
        let md = matrix_markdown();
        assert_eq!(md.lines().count(), 2 + MATRIX.len());
        assert!(md.lines().all(|l| l.matches('|').count() == 3 + Role::ALL.len()));
        assert!(
            md.contains("| `grant_roles` | 批准或驳回角色授予和代表账户，停用、启用（解锁）账户 |  | ✓ |")
        );
    }

    #[test]
    fn architecture_md_carries_the_current_table() {
        let doc = include_str!("../../../ARCHITECTURE.md");
        let start = doc.find("<!-- access-matrix -->\n").map(|i| i + "<!-- access-matrix -->\n".len());
        let end = doc.find("<!-- /access-matrix -->");
        let copy = start.zip(end).map(|(s, e)| &doc[s..e]);
        assert_eq!(
            copy,
            Some(matrix_markdown().as_str()),
            "ARCHITECTURE.md's role table is not the code's: replace the lines between <!-- access-matrix --> and \
             <!-- /access-matrix --> with the output of `liaison roles --markdown`"
        );
    }
}
