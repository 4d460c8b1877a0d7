//! Typed identifiers. Ids are made outside the core (time-ordered UUID v7) and passed in.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Parse the hyphenated text form.
            pub fn parse(s: &str) -> Result<Self, uuid::Error> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A deputy (代表) on the register.
    DeputyId
);
uuid_id!(
    /// A user of the system (staff or system account).
    UserId
);
uuid_id!(
    /// A leadership member (院领导/班子成员).
    LeaderId
);
uuid_id!(
    /// An internal department (内设部门).
    DepartmentId
);
uuid_id!(
    /// A liaison officer (联络员).
    OfficerId
);
uuid_id!(
    /// A deputy's suggestion, criticism or opinion (代表建议、批评和意见).
    SuggestionId
);
uuid_id!(
    /// An improvement measure (整改/改进措施, P1.3).
    MeasureId
);

/// A tenant: one procuratorate hosted by a deployment. Lowercase letters, digits and `-`, 1–40 long.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantId(String);

impl TenantId {
    /// Parse a tenant id.
    pub fn parse(s: &str) -> Result<Self, crate::ValueError> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok { Ok(Self(s.to_owned())) } else { Err(crate::ValueError::OneOf("a-z, 0-9, - (1–40)")) }
    }
    /// The text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The tenant every single-procuratorate deployment uses: `default`.
    pub fn single() -> Self {
        Self("default".to_owned())
    }
}

impl TryFrom<String> for TenantId {
    type Error = crate::ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<TenantId> for String {
    fn from(t: TenantId) -> String {
        t.0
    }
}

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

uuid_id!(
    /// A notice to deputies (通知, R2).
    NoticeId
);
uuid_id!(
    /// A meeting with deputies (座谈会, R3).
    MeetingId
);
uuid_id!(
    /// A congress session's deliberation record (审议意见).
    DeliberationId
);
uuid_id!(
    /// A deputy's draft of a joint suggestion (联名建议草稿), before it is filed.
    DraftId
);
uuid_id!(
    /// An inspection or observation (视察/观摩, R5).
    InspectionId
);
uuid_id!(
    /// An activity with deputies chosen by lottery or rotation (C4).
    ActivityId
);
uuid_id!(
    /// A review of a case with deputies (R4).
    ReviewId
);
uuid_id!(
    /// An appointment with an official (约见, C3).
    AppointmentId
);
uuid_id!(
    /// A nomination for commendation (R6).
    NominationId
);
uuid_id!(
    /// A service to a deputy (G3).
    ServiceId
);
uuid_id!(
    /// A solicitation of opinions (C4).
    SolicitationId
);

/// A year's budget is known by its year (`2026`): one budget per tenant and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BudgetYear(pub i32);

impl std::fmt::Display for BudgetYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A liaison card is known by its number (`LK-2026-0001`), which the office prints on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardNumber(pub String);

impl std::fmt::Display for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
uuid_id!(
    /// A visit to a deputy (走访).
    VisitId
);
uuid_id!(
    /// A hotline call (联络热线).
    CallId
);

#[cfg(test)]
mod tests {
    use super::TenantId;

    /// The single deployment's tenant is a tenant id like any other (it skips the check, so the check is
    /// made here).
    #[test]
    fn the_single_tenant_is_a_valid_tenant_id() {
        assert_eq!(TenantId::parse("default"), Ok(TenantId::single()));
        assert!(TenantId::parse("Default").is_err());
    }
}
uuid_id!(
    /// A deputy's appointment as a supervisor (监督员任职).
    SupervisorAppointmentId
);
