//! Roles and what each may do. The rule table lives here so that every interface enforces the same one.
//!
//! Personal data is shown in full only to the roles that contact deputies (office, officer, leader);
//! the administrator manages accounts but sees contact data masked, and the auditor verifies the chain.

use serde::{Deserialize, Serialize};

/// A user's role (MISSION.md "People in the domain").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System administrator: accounts and tokens.
    Admin,
    /// Liaison office (联络室): the register, organisation, assignments, imports.
    Office,
    /// Liaison officer (联络员).
    Officer,
    /// Leadership member (院领导).
    Leader,
    /// Internal department (内设部门).
    Department,
    /// Auditor: reads and verifies the audit chain.
    Auditor,
    /// A deputy's own account (代表本人): reads the deputy's own items and rates answers, as that deputy only.
    Deputy,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Office,
        Role::Officer,
        Role::Leader,
        Role::Department,
        Role::Auditor,
        Role::Deputy,
    ];
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Office => "office",
            Self::Officer => "officer",
            Self::Leader => "leader",
            Self::Department => "department",
            Self::Auditor => "auditor",
            Self::Deputy => "deputy",
        }
    }
    /// Parse a code.
    pub fn parse(s: &str) -> Result<Self, crate::ValueError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or(crate::ValueError::OneOf("admin/office/officer/leader/department/auditor/deputy"))
    }
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Admin => "系统管理员",
            Self::Office => "联络室",
            Self::Officer => "联络员",
            Self::Leader => "院领导",
            Self::Department => "内设部门",
            Self::Auditor => "审计员",
            Self::Deputy => "代表本人",
        }
    }
}

/// Something a use case does that needs permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Read the coverage report.
    ReadCoverage,
    /// Add users, change roles.
    ManageUsers,
    /// Create and revoke API tokens for any user.
    ManageTokens,
    /// Verify and export the audit chain.
    VerifyAudit,
    /// Read suggestions, measures and their figures (a deputy account: only its own items).
    ReadSuggestions,
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
    /// Open and track improvement measures.
    ManageMeasures,
    /// Change the deployment's suggestion policy (deadlines, satisfaction rule).
    ConfigurePolicy,
    /// Draft, send and follow major-matter notices (R2).
    ManageNotices,
    /// Approve a major-matter notice or a liaison work plan (a leader).
    ApproveLiaison,
    /// Plans, meetings with deputies, visits to deputies (R3).
    ManageLiaison,
    /// Check whether a person is a deputy in office and what the law requires before arrest or trial (G1;
    /// every check is audited).
    CheckRights,
}

impl Action {
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
            Self::VerifyAudit => "verify_audit",
            Self::ReadSuggestions => "read_suggestions",
            Self::FileSuggestion => "file_suggestion",
            Self::IssueLinks => "issue_links",
            Self::AssignSuggestion => "assign_suggestion",
            Self::HandleSuggestion => "handle_suggestion",
            Self::ApproveSuggestion => "approve_suggestion",
            Self::TranscribeRating => "transcribe_rating",
            Self::RateAsDeputy => "rate_as_deputy",
            Self::ManageMeasures => "manage_measures",
            Self::ConfigurePolicy => "configure_policy",
            Self::ManageNotices => "manage_notices",
            Self::ApproveLiaison => "approve_liaison",
            Self::ManageLiaison => "manage_liaison",
            Self::CheckRights => "check_rights",
        }
    }
}

/// Whether `role` may do `action`.
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => {
            matches!(action, ManageUsers | ManageTokens | ReadRegistry | ReadCoverage | ManageOrganisation)
        }
        Role::Office => matches!(
            action,
            ReadRegistry
                | ViewPersonalData
                | EditRegistry
                | ImportRegistry
                | ManageOrganisation
                | Assign
                | ReadCoverage
                | ReadSuggestions
                | FileSuggestion
                | IssueLinks
                | AssignSuggestion
                | HandleSuggestion
                | TranscribeRating
                | ManageMeasures
                | ConfigurePolicy
                | ManageNotices
                | ManageLiaison
                | CheckRights
        ),
        Role::Officer => matches!(
            action,
            ReadRegistry
                | ViewPersonalData
                | EditRegistry
                | ReadCoverage
                | ReadSuggestions
                | FileSuggestion
                | TranscribeRating
                | ManageNotices
                | ManageLiaison
        ),
        Role::Leader => {
            matches!(
                action,
                ReadRegistry
                    | ViewPersonalData
                    | ReadCoverage
                    | ReadSuggestions
                    | ApproveSuggestion
                    | ApproveLiaison
                    | CheckRights
            )
        }
        Role::Department => {
            matches!(
                action,
                ReadRegistry
                    | ReadCoverage
                    | ReadSuggestions
                    | HandleSuggestion
                    | ManageMeasures
                    | CheckRights
            )
        }
        Role::Auditor => matches!(action, ReadRegistry | ReadCoverage | VerifyAudit | ReadSuggestions),
        Role::Deputy => matches!(action, ReadSuggestions | RateAsDeputy),
    }
}

/// Whether any of `roles` may do `action`.
pub fn any_allows<'a>(roles: impl IntoIterator<Item = &'a Role>, action: Action) -> bool {
    roles.into_iter().any(|r| allows(*r, action))
}
