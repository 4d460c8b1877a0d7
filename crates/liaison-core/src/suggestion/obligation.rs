//! The duties pending on an open item (what is owed, by whom, by when).

use super::*;

/// A pending duty on an open item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// What is owed.
    pub kind: ObligationKind,
    /// By when.
    pub due: NaiveDate,
    /// The department that owes it (none: the liaison office).
    pub department: Option<DepartmentId>,
    /// The handler of the item.
    pub handler: Option<UserId>,
}

/// What an open item owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// The office must assign it (within `assign_within` of receipt or of its return).
    Assignment,
    /// The lead's answer.
    Answer,
    /// A co-handler's written opinion.
    CoOpinion,
    /// A progress notice to the deputies.
    ProgressNotice,
    /// The evaluators' feedback (then the lapse may be recorded).
    Feedback,
    /// The second answer of a B/C follow-up.
    FollowUp,
    /// Leadership's meeting or explanation after a second dissatisfaction.
    Escalation,
    /// A leader's decision on the lead department's extension request.
    ExtensionDecision,
    /// Telling the deputies of an extension (a progress notice after it).
    ExtensionNotice,
    /// The outcome of a rerouted item in the letters and petitions flow.
    PetitionOutcome,
    /// Telling the deputies that outcome.
    PetitionNotice,
}

impl ObligationKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Assignment => "assignment",
            Self::Answer => "answer",
            Self::CoOpinion => "co_opinion",
            Self::ProgressNotice => "progress_notice",
            Self::Feedback => "feedback",
            Self::FollowUp => "follow_up",
            Self::Escalation => "escalation",
            Self::ExtensionDecision => "extension_decision",
            Self::ExtensionNotice => "extension_notice",
            Self::PetitionOutcome => "petition_outcome",
            Self::PetitionNotice => "petition_notice",
        }
    }
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Assignment => "待交办",
            Self::Answer => "答复",
            Self::CoOpinion => "协办意见",
            Self::ProgressNotice => "进展通报",
            Self::Feedback => "代表反馈",
            Self::FollowUp => "跟踪答复",
            Self::Escalation => "领导督办",
            Self::ExtensionDecision => "延期审批",
            Self::ExtensionNotice => "告知代表延期",
            Self::PetitionOutcome => "信访办理结果",
            Self::PetitionNotice => "告知代表信访结果",
        }
    }
}

impl Suggestion {
    /// Every pending obligation with its due day, earliest first ("every open item knows its next
    /// deadline").
    pub fn obligations(&self, policy: &SuggestionPolicy, calendar: &WorkCalendar) -> Vec<Obligation> {
        use SuggestionStatus as S;
        let mut out = self.adjustment_obligations(policy, calendar);
        let lead = self.assignment.as_ref().map(|a| a.lead.id);
        let handler = self.assignment.as_ref().map(|a| a.handler.user);
        let push = |out: &mut Vec<Obligation>, kind, due, department: Option<DepartmentId>| {
            out.push(Obligation { kind, due, department, handler });
        };
        match self.status {
            S::Assigned | S::InHandling | S::Rehandling => {
                if let Some(due) = self.answer_due() {
                    push(&mut out, ObligationKind::Answer, due, lead);
                }
                if let Some(a) = &self.assignment
                    && self.status != S::Rehandling
                {
                    for c in &a.co_handlers {
                        if c.opinion.is_none() && c.overdue_recorded.is_none() {
                            push(&mut out, ObligationKind::CoOpinion, c.due, Some(c.department.id));
                        }
                    }
                }
                let since = self
                    .notices
                    .last()
                    .map(|n| n.on)
                    .into_iter()
                    .chain(self.rounds.last().map(|r| r.began_on))
                    .max();
                if let Some(since) = since {
                    let due = calendar.deadline(since, policy.progress_interval).due;
                    push(&mut out, ObligationKind::ProgressNotice, due, lead);
                }
            }
            S::Answered => {
                if let Some(a) = self.round().and_then(|r| r.answer.as_ref()) {
                    push(&mut out, ObligationKind::Feedback, a.feedback_due, None);
                }
            }
            S::Escalated => {
                if let Some((on, None)) = &self.escalation {
                    push(
                        &mut out,
                        ObligationKind::Escalation,
                        calendar.deadline(*on, policy.escalation).due,
                        None,
                    );
                }
            }
            S::Received | S::Registered | S::Returned => {
                let since = self.returns.last().map_or(self.received_on, |r| r.on);
                push(
                    &mut out,
                    ObligationKind::Assignment,
                    calendar.deadline(since, policy.assign_within).due,
                    None,
                );
            }
            _ => {}
        }
        if let Some(f) = &self.follow_up
            && f.solved.is_none()
            && !self.status.left_unhandled()
        {
            push(&mut out, ObligationKind::FollowUp, f.promised_on, lead);
        }
        out.sort_by_key(|o| o.due);
        out
    }

    /// The earliest pending deadline.
    pub fn next_deadline(&self, policy: &SuggestionPolicy, calendar: &WorkCalendar) -> Option<Obligation> {
        self.obligations(policy, calendar).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::ObligationKind as K;

    /// The codes are stored and filtered on (`due --kind`), the words shown in the due list: both pinned.
    #[test]
    fn every_kind_has_its_code_and_word() {
        let all = [
            (K::Assignment, "assignment", "待交办"),
            (K::Answer, "answer", "答复"),
            (K::CoOpinion, "co_opinion", "协办意见"),
            (K::ProgressNotice, "progress_notice", "进展通报"),
            (K::Feedback, "feedback", "代表反馈"),
            (K::FollowUp, "follow_up", "跟踪答复"),
            (K::Escalation, "escalation", "领导督办"),
            (K::ExtensionDecision, "extension_decision", "延期审批"),
            (K::ExtensionNotice, "extension_notice", "告知代表延期"),
            (K::PetitionOutcome, "petition_outcome", "信访办理结果"),
            (K::PetitionNotice, "petition_notice", "告知代表信访结果"),
        ];
        for (k, code, zh) in all {
            assert_eq!((k.code(), k.zh()), (code, zh));
            assert_eq!(serde_json::to_value(k).unwrap(), code, "the stored form is the code");
        }
    }
}
