//! Corrections and follow-through around the main path of a suggestion (issue 11, item 8): the office
//! re-assigns a misassigned item before its answer (lead, co-handlers or handler, with a reason; the
//! deadlines stay); the lead department asks for an extension, which a leader grants (`Extend`) or declines,
//! and the deputies are told of an extension (a progress notice after it); a rerouted item (转信访) is
//! followed until its outcome in the letters and petitions flow is recorded and the deputies are told.

use super::*;

/// A re-assignment before the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassignment {
    /// On.
    pub on: NaiveDate,
    /// Why.
    pub reason: LongText,
    /// The lead department before.
    pub from_lead: DepartmentRef,
    /// The handler before.
    pub from_handler: StaffRef,
}

/// The lead department's request for an extension, waiting for a leader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    /// The deadline asked for.
    pub until: NaiveDate,
    /// Why (explained to the deputies once granted).
    pub reason: LongText,
    /// Asked on.
    pub on: NaiveDate,
}

impl Suggestion {
    /// Decide the corrections' commands; `None` for any other command.
    pub(super) fn decide_adjustment(
        &self,
        command: &SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Option<Result<Vec<SuggestionEvent>, SuggestionError>> {
        use SuggestionStatus as S;
        let today = ctx.today;
        let refuse =
            || Err(SuggestionError::IllegalTransition { status: self.status, command: command.name() });
        Some(match command {
            SuggestionCommand::Reassign { lead, co_handlers, handler, reason } => {
                let Some(a) = &self.assignment else { return Some(refuse()) };
                if !matches!(self.status, S::Assigned | S::InHandling | S::Rehandling) {
                    return Some(refuse());
                }
                let mut ids: Vec<_> = co_handlers.iter().map(|c| c.id).collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.len() != co_handlers.len() || ids.contains(&lead.id) {
                    return Some(Err(SuggestionError::BadCoHandlers));
                }
                let same_co = {
                    let mut before: Vec<_> = a.co_handlers.iter().map(|c| c.department.id).collect();
                    before.sort_unstable();
                    before == ids
                };
                if a.lead.id == lead.id && a.handler.user == handler.user && same_co {
                    return Some(Err(SuggestionError::NothingToChange));
                }
                // Co-handlers kept keep their opinion and due day; new ones owe theirs from today.
                let co_due = ctx.due(today, ctx.policy.co_handler);
                let co = co_handlers
                    .iter()
                    .map(|d| {
                        a.co_handlers.iter().find(|c| c.department.id == d.id).cloned().unwrap_or(CoHandler {
                            department: d.clone(),
                            due: co_due,
                            opinion: None,
                            overdue_recorded: None,
                        })
                    })
                    .collect();
                let assignment = Assignment {
                    lead: lead.clone(),
                    co_handlers: co,
                    handler: handler.clone(),
                    assigned_on: a.assigned_on,
                    deadline: a.deadline,
                    original_deadline: a.original_deadline,
                };
                Ok(vec![SuggestionEvent::Reassigned { assignment, reason: reason.clone(), on: today }])
            }
            SuggestionCommand::RecomputeDeadline => {
                let Some(a) = &self.assignment else { return Some(refuse()) };
                if !matches!(self.status, S::Assigned | S::InHandling) || !self.extensions.is_empty() {
                    return Some(refuse());
                }
                let to = ctx.due(a.assigned_on, ctx.policy.answer);
                if to == a.deadline {
                    return Some(Err(SuggestionError::NothingToChange));
                }
                Ok(vec![SuggestionEvent::DeadlineRecomputed { from: a.deadline, to }])
            }
            SuggestionCommand::RequestExtension { until, reason } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return Some(refuse());
                }
                let Some(a) = &self.assignment else { return Some(refuse()) };
                if self.extension_request.is_some() {
                    return Some(Err(SuggestionError::ExtensionPending));
                }
                let max = ctx.due(a.assigned_on, ctx.policy.extension_max);
                if *until <= a.deadline || *until > max {
                    return Some(Err(SuggestionError::ExtensionOutOfRange { current: a.deadline, max }));
                }
                Ok(vec![SuggestionEvent::ExtensionRequested {
                    request: ExtensionRequest { until: *until, reason: reason.clone(), on: today },
                }])
            }
            SuggestionCommand::DeclineExtension { reason } => {
                if self.extension_request.is_none() {
                    return Some(Err(SuggestionError::NoExtensionRequest));
                }
                Ok(vec![SuggestionEvent::ExtensionDeclined { reason: reason.clone(), on: today }])
            }
            SuggestionCommand::RecordRerouteOutcome { outcome } => {
                let Some(r) = &self.reroute else { return Some(refuse()) };
                if r.outcome.is_some() {
                    return Some(Err(SuggestionError::NothingToChange));
                }
                Ok(vec![SuggestionEvent::RerouteOutcomeRecorded { outcome: outcome.clone(), on: today }])
            }
            SuggestionCommand::TellRerouteOutcome { notice } => {
                let Some(r) = &self.reroute else { return Some(refuse()) };
                if r.outcome.is_none() {
                    return Some(Err(SuggestionError::NoRerouteOutcome));
                }
                if r.outcome_told.is_some() {
                    return Some(Err(SuggestionError::NothingToChange));
                }
                Ok(vec![SuggestionEvent::RerouteOutcomeTold {
                    notice: notice.clone(),
                    told: self.proposer_ids(),
                    on: today,
                }])
            }
            _ => return None,
        })
    }

    /// Fold the corrections' events (any other event is left to `apply`).
    pub(super) fn apply_adjustment(&mut self, event: &SuggestionEvent) {
        match event {
            SuggestionEvent::Reassigned { assignment, reason, on } => {
                if let Some(before) = self.assignment.replace(assignment.clone()) {
                    self.reassignments.push(Reassignment {
                        on: *on,
                        reason: reason.clone(),
                        from_lead: before.lead,
                        from_handler: before.handler,
                    });
                }
            }
            SuggestionEvent::DeadlineRecomputed { to, .. } => {
                if let Some(a) = &mut self.assignment {
                    a.deadline = *to;
                    a.original_deadline = *to;
                }
                if let Some(r) = self.rounds.first_mut() {
                    r.due = *to;
                }
            }
            SuggestionEvent::ExtensionRequested { request } => self.extension_request = Some(request.clone()),
            SuggestionEvent::ExtensionDeclined { reason, on } => {
                self.extension_request = None;
                self.extensions_declined.push(Dated { on: *on, value: reason.clone() });
            }
            SuggestionEvent::RerouteOutcomeRecorded { outcome, on } => {
                if let Some(r) = &mut self.reroute {
                    r.outcome = Some(Dated { on: *on, value: outcome.clone() });
                }
            }
            SuggestionEvent::RerouteOutcomeTold { notice, on, .. } => {
                if let Some(r) = &mut self.reroute {
                    r.outcome_told = Some(Dated { on: *on, value: notice.clone() });
                }
            }
            _ => {}
        }
    }

    /// The corrections' duties: a leader's decision on a requested extension; telling the deputies of an
    /// extension; a rerouted item's outcome, then telling the deputies.
    pub(super) fn adjustment_obligations(
        &self,
        policy: &SuggestionPolicy,
        calendar: &WorkCalendar,
    ) -> Vec<Obligation> {
        let handler = self.assignment.as_ref().map(|a| a.handler.user);
        let lead = self.assignment.as_ref().map(|a| a.lead.id);
        let due = |from: NaiveDate, p| calendar.deadline(from, p).due;
        let mut out = Vec::new();
        if let Some(r) = &self.extension_request {
            out.push(Obligation {
                kind: ObligationKind::ExtensionDecision,
                due: due(r.on, policy.decision_within),
                department: None,
                handler: None,
            });
        }
        if let Some(e) = self.extensions.last()
            && !self.status.is_final()
            && !self.notices.iter().any(|n| n.on >= e.on)
        {
            out.push(Obligation {
                kind: ObligationKind::ExtensionNotice,
                due: due(e.on, policy.decision_within),
                department: lead,
                handler,
            });
        }
        if let Some(r) = &self.reroute {
            match (&r.outcome, &r.outcome_told) {
                (None, _) => out.push(Obligation {
                    kind: ObligationKind::PetitionOutcome,
                    due: due(r.on, policy.petition_outcome),
                    department: None,
                    handler: None,
                }),
                (Some(o), None) => out.push(Obligation {
                    kind: ObligationKind::PetitionNotice,
                    due: due(o.on, policy.decision_within),
                    department: None,
                    handler: None,
                }),
                (Some(_), Some(_)) => {}
            }
        }
        out
    }
}
