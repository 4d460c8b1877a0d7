//! A deployment's rules for suggestions: the deadlines (MISSION.md "What the official rules add") and the
//! satisfaction policy (R1b). Every number is configurable; the defaults are the national ones.

use serde::{Deserialize, Serialize};

use super::Satisfaction;
use crate::ValueError;
use crate::calendar::Period;

/// How the evaluators' ratings decide a round (R1b: "大家满意", not "一人满意").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum SatisfactionPolicy {
    /// Every evaluator rates at least 基本满意 (the default).
    #[default]
    AllAtLeastBasic,
    /// More than half of the ratings are at least 基本满意.
    Majority,
    /// At least `percent` % of the ratings are at least 基本满意.
    Threshold {
        /// 1–100.
        percent: u8,
    },
}

impl SatisfactionPolicy {
    /// Parse `all`, `majority` or `threshold:80`.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        match s {
            "all" | "all_at_least_basic" | "全体" => Ok(Self::AllAtLeastBasic),
            "majority" | "多数" => Ok(Self::Majority),
            _ => {
                let n = s
                    .strip_prefix("threshold:")
                    .ok_or(ValueError::OneOf("all / majority / threshold:N (1–100)"))?
                    .trim()
                    .parse::<u8>()
                    .map_err(|_| ValueError::Range { min: 1, max: 100 })?;
                if (1..=100).contains(&n) {
                    Ok(Self::Threshold { percent: n })
                } else {
                    Err(ValueError::Range { min: 1, max: 100 })
                }
            }
        }
    }

    /// The text form (`all`, `majority`, `threshold:80`).
    pub fn code(self) -> String {
        match self {
            Self::AllAtLeastBasic => "all".into(),
            Self::Majority => "majority".into(),
            Self::Threshold { percent } => format!("threshold:{percent}"),
        }
    }

    /// Whether these ratings (at least one) meet the policy.
    pub fn satisfied(self, ratings: &[Satisfaction]) -> bool {
        let total = ratings.len();
        if total == 0 {
            return false;
        }
        let ok = ratings.iter().filter(|r| **r != Satisfaction::Dissatisfied).count();
        match self {
            Self::AllAtLeastBasic => ok == total,
            Self::Majority => ok * 2 > total,
            Self::Threshold { percent } => ok * 100 >= usize::from(percent) * total,
        }
    }
}

/// A deployment's deadlines and satisfaction rule for suggestions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SuggestionPolicy {
    /// Written answer due after assignment (交办后 3 个月).
    pub answer: Period,
    /// The latest an approved extension may reach, counted from assignment (延期最长 6 个月).
    pub extension_max: Period,
    /// Re-handling after 不满意 (再次办理 2 个月).
    pub rehandling: Period,
    /// The deputies' feedback window after an answer (征询意见表 20 个工作日).
    pub feedback: Period,
    /// A misassigned item may be returned within this window after assignment (退办 5 个工作日).
    pub return_window: Period,
    /// A co-handler's written opinion is due within this window after assignment (协办意见 1 个月).
    pub co_handler: Period,
    /// Progress notices to the deputies are due at this interval while an item is handled (R1c).
    pub progress_interval: Period,
    /// Lists call an item "due soon" when its next deadline is within this many calendar days.
    pub due_soon_days: u32,
    /// The office assigns a registered or returned item within this window (交办时限; a local practice,
    /// not a national rule: default 5 working days).
    #[serde(default = "default_assign_within")]
    pub assign_within: Period,
    /// How ratings decide a round.
    pub satisfaction: SatisfactionPolicy,
    /// Whether the body's verdict on a published answer counts toward closure (R1b, "由全体代表共同评判"):
    /// then a published round is decided at the end of its feedback window, and it is satisfied only if
    /// the co-signers' verdict and the body's (when the body rated) both meet `satisfaction`. Either way
    /// the two verdicts are recorded and reported apart.
    #[serde(default)]
    pub body_counts: bool,
    /// A deputy's request to meet an official is acknowledged within this window (C3 互动约见; a local
    /// practice: default 2 working days).
    #[serde(default = "default_appointment_acknowledge")]
    pub appointment_acknowledge: Period,
    /// … and the meeting held within this one, from the request (default 10 working days).
    #[serde(default = "default_appointment_meet")]
    pub appointment_meet: Period,
    /// After a second 不满意 the leadership's face-to-face consultation or special explanation (领导督办) is
    /// recorded within this window (a local practice: default 10 working days).
    #[serde(default = "default_escalation")]
    pub escalation: Period,
    /// A leader decides an extension request, and the deputies are told of an extension or of a rerouted
    /// item's outcome, within this window (default 5 working days).
    #[serde(default = "default_decision_within")]
    pub decision_within: Period,
    /// A rerouted item's outcome in the letters and petitions flow is expected within this window (信访事项
    /// 60 日内办结: default 2 months).
    #[serde(default = "default_petition_outcome")]
    pub petition_outcome: Period,
}

impl Default for SuggestionPolicy {
    fn default() -> Self {
        Self {
            answer: Period::Months(3),
            extension_max: Period::Months(6),
            rehandling: Period::Months(2),
            feedback: Period::WorkingDays(20),
            return_window: Period::WorkingDays(5),
            co_handler: Period::Months(1),
            progress_interval: Period::Months(1),
            due_soon_days: 14,
            assign_within: default_assign_within(),
            satisfaction: SatisfactionPolicy::default(),
            body_counts: false,
            appointment_acknowledge: default_appointment_acknowledge(),
            appointment_meet: default_appointment_meet(),
            escalation: default_escalation(),
            decision_within: default_decision_within(),
            petition_outcome: default_petition_outcome(),
        }
    }
}

fn default_appointment_acknowledge() -> Period {
    Period::WorkingDays(2)
}

fn default_appointment_meet() -> Period {
    Period::WorkingDays(10)
}

fn default_decision_within() -> Period {
    Period::WorkingDays(5)
}

fn default_petition_outcome() -> Period {
    Period::Months(2)
}

fn default_escalation() -> Period {
    Period::WorkingDays(10)
}

fn default_assign_within() -> Period {
    Period::WorkingDays(5)
}

/// Why a policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct PolicyError {
    /// The setting.
    pub field: &'static str,
    /// Why.
    pub reason: &'static str,
}

fn months_or_days(p: Period) -> (u32, bool) {
    match p {
        Period::Months(n) => (n, true),
        Period::WorkingDays(n) => (n, false),
    }
}

impl SuggestionPolicy {
    /// Check the settings agree with each other and with the national rules' ranges.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let positive = [
            ("answer", self.answer),
            ("extension_max", self.extension_max),
            ("rehandling", self.rehandling),
            ("feedback", self.feedback),
            ("return_window", self.return_window),
            ("co_handler", self.co_handler),
            ("progress_interval", self.progress_interval),
            ("assign_within", self.assign_within),
            ("appointment_acknowledge", self.appointment_acknowledge),
            ("appointment_meet", self.appointment_meet),
            ("escalation", self.escalation),
            ("decision_within", self.decision_within),
            ("petition_outcome", self.petition_outcome),
        ];
        for (field, p) in positive {
            if months_or_days(p).0 == 0 {
                return Err(PolicyError { field, reason: "must be longer than zero" });
            }
        }
        if let (Period::Months(a), Period::Months(m)) = (self.answer, self.extension_max)
            && m < a
        {
            return Err(PolicyError { field: "extension_max", reason: "shorter than the answer deadline" });
        }
        if let Period::Months(m) = self.extension_max
            && m > 12
        {
            return Err(PolicyError { field: "extension_max", reason: "longer than 12 months" });
        }
        if let Period::Months(r) = self.rehandling
            && r > 6
        {
            return Err(PolicyError { field: "rehandling", reason: "longer than 6 months" });
        }
        if self.due_soon_days > 90 {
            return Err(PolicyError { field: "due_soon_days", reason: "more than 90 days" });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut SuggestionPolicy)) -> Result<(), PolicyError> {
        let mut p = SuggestionPolicy::default();
        f(&mut p);
        p.validate()
    }

    fn refused(field: &'static str, reason: &'static str) -> Result<(), PolicyError> {
        Err(PolicyError { field, reason })
    }

    /// The extension may reach as far as the answer deadline (equal is accepted) but not stop short of it.
    #[test]
    fn extension_max_is_at_least_the_answer_deadline() {
        let set = |a, m| {
            with(|p| {
                p.answer = Period::Months(a);
                p.extension_max = Period::Months(m);
            })
        };
        assert_eq!(set(3, 3), Ok(()));
        assert_eq!(set(3, 4), Ok(()));
        assert_eq!(set(3, 2), refused("extension_max", "shorter than the answer deadline"));
        assert_eq!(set(12, 12), Ok(()));
        assert_eq!(set(12, 11), refused("extension_max", "shorter than the answer deadline"));
    }

    #[test]
    fn extension_max_is_at_most_twelve_months() {
        assert_eq!(with(|p| p.extension_max = Period::Months(12)), Ok(()));
        assert_eq!(
            with(|p| p.extension_max = Period::Months(13)),
            refused("extension_max", "longer than 12 months")
        );
    }

    #[test]
    fn rehandling_is_at_most_six_months() {
        assert_eq!(with(|p| p.rehandling = Period::Months(6)), Ok(()));
        assert_eq!(with(|p| p.rehandling = Period::Months(7)), refused("rehandling", "longer than 6 months"));
    }

    #[test]
    fn due_soon_is_at_most_ninety_days() {
        assert_eq!(with(|p| p.due_soon_days = 90), Ok(()));
        assert_eq!(with(|p| p.due_soon_days = 91), refused("due_soon_days", "more than 90 days"));
        assert_eq!(with(|p| p.due_soon_days = 0), Ok(()), "zero days: nothing is called due soon");
    }

    /// Every period must be longer than zero, in months or in working days, and the refusal names it.
    #[test]
    fn each_zero_period_is_refused_naming_its_field() {
        type Set = fn(&mut SuggestionPolicy, Period);
        let fields: [(&str, Set); 13] = [
            ("answer", |p, v| p.answer = v),
            ("extension_max", |p, v| p.extension_max = v),
            ("rehandling", |p, v| p.rehandling = v),
            ("feedback", |p, v| p.feedback = v),
            ("return_window", |p, v| p.return_window = v),
            ("co_handler", |p, v| p.co_handler = v),
            ("progress_interval", |p, v| p.progress_interval = v),
            ("assign_within", |p, v| p.assign_within = v),
            ("appointment_acknowledge", |p, v| p.appointment_acknowledge = v),
            ("appointment_meet", |p, v| p.appointment_meet = v),
            ("escalation", |p, v| p.escalation = v),
            ("decision_within", |p, v| p.decision_within = v),
            ("petition_outcome", |p, v| p.petition_outcome = v),
        ];
        for (field, set) in fields {
            for zero in [Period::Months(0), Period::WorkingDays(0)] {
                assert_eq!(
                    with(|p| set(p, zero)),
                    refused(field, "must be longer than zero"),
                    "{field} {zero:?}"
                );
            }
            assert_eq!(
                with(|p| set(p, Period::WorkingDays(1))),
                Ok(()),
                "{field}: one working day is enough"
            );
        }
    }

    /// Each rule's words parse to it and its text form parses back; thresholds from 1 to 100 only.
    #[test]
    fn satisfaction_rules_parse_and_print() {
        use SatisfactionPolicy as P;
        for (words, rule, code) in [
            (&["all", "all_at_least_basic", " 全体 "][..], P::AllAtLeastBasic, "all"),
            (&["majority", "多数"][..], P::Majority, "majority"),
            (&["threshold:80", "threshold: 80 "][..], P::Threshold { percent: 80 }, "threshold:80"),
            (&["threshold:1"][..], P::Threshold { percent: 1 }, "threshold:1"),
            (&["threshold:100"][..], P::Threshold { percent: 100 }, "threshold:100"),
        ] {
            for w in words {
                assert_eq!(P::parse(w), Ok(rule), "{w}");
            }
            assert_eq!(rule.code(), code);
            assert_eq!(P::parse(&rule.code()), Ok(rule));
        }
        assert_eq!(P::parse("threshold:0"), Err(ValueError::Range { min: 1, max: 100 }));
        assert_eq!(P::parse("threshold:101"), Err(ValueError::Range { min: 1, max: 100 }));
        assert_eq!(P::parse("threshold:x"), Err(ValueError::Range { min: 1, max: 100 }));
        assert_eq!(P::parse("most"), Err(ValueError::OneOf("all / majority / threshold:N (1–100)")));
    }

    #[test]
    fn the_message_names_the_field_and_the_rule() {
        let e = with(|p| p.due_soon_days = 91).unwrap_err();
        assert_eq!(e.to_string(), "due_soon_days: more than 90 days");
    }
}
