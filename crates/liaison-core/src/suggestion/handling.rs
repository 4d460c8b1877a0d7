//! From receipt to the answer's preparation (R1c): registration, the panel, assignment and returns,
//! handling, contacts with the deputies, progress notices, co-handlers' opinions and extensions.

use super::*;

impl Suggestion {
    /// Decide a command of the handling before the answer.
    pub(super) fn decide_handling(
        &self,
        command: SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        use SuggestionStatus as S;
        let today = ctx.today;
        let name = command.name();
        let refuse = || Err(SuggestionError::IllegalTransition { status: self.status, command: name });
        match command {
            SuggestionCommand::Register { number } => match self.status {
                S::Received => Ok(vec![SuggestionEvent::Registered { number }]),
                _ => refuse(),
            },
            SuggestionCommand::SetPanel { panel } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if !distinct_signers(&panel) {
                    return Err(SuggestionError::BadSigners);
                }
                if let Some(p) = panel.iter().find(|p| self.proposers.iter().any(|s| s.deputy == p.deputy)) {
                    return Err(SuggestionError::PanelOverlap(p.deputy));
                }
                if panel == self.panel {
                    return Err(SuggestionError::NothingToChange);
                }
                Ok(vec![SuggestionEvent::PanelSet { panel }])
            }
            SuggestionCommand::Assign { lead, co_handlers, handler } => {
                if !matches!(self.status, S::Registered | S::Returned) {
                    return refuse();
                }
                let mut ids: Vec<_> = co_handlers.iter().map(|c| c.id).collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.len() != co_handlers.len() || ids.contains(&lead.id) {
                    return Err(SuggestionError::BadCoHandlers);
                }
                let deadline = ctx.due(today, ctx.policy.answer);
                let co_due = ctx.due(today, ctx.policy.co_handler);
                let assignment = Assignment {
                    lead,
                    co_handlers: co_handlers
                        .into_iter()
                        .map(|department| CoHandler {
                            department,
                            due: co_due,
                            opinion: None,
                            overdue_recorded: None,
                        })
                        .collect(),
                    handler,
                    assigned_on: today,
                    deadline,
                    original_deadline: deadline,
                };
                Ok(vec![SuggestionEvent::Assigned { assignment }])
            }
            SuggestionCommand::Return { department, reason } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let Some(a) = &self.assignment else { return refuse() };
                if a.lead.id != department {
                    return Err(SuggestionError::NotTheLead("return"));
                }
                let closes = ctx.due(a.assigned_on, ctx.policy.return_window);
                if today > closes {
                    return Err(SuggestionError::ReturnWindowClosed { closed_on: closes });
                }
                Ok(vec![SuggestionEvent::Returned {
                    record: ReturnRecord { department: a.lead.clone(), reason, on: today },
                }])
            }
            SuggestionCommand::StartHandling => match self.status {
                S::Assigned => Ok(vec![SuggestionEvent::HandlingStarted { on: today }]),
                _ => refuse(),
            },
            SuggestionCommand::LogContact { phase, means, deputies, summary } => {
                let fits = match phase {
                    ContactPhase::Before => {
                        matches!(self.status, S::Assigned | S::InHandling | S::Rehandling)
                    }
                    ContactPhase::During => {
                        matches!(self.status, S::Assigned | S::InHandling | S::Rehandling)
                    }
                    ContactPhase::After => {
                        matches!(self.status, S::Answered | S::Rehandling | S::Escalated | S::Closed)
                    }
                };
                if !fits {
                    return Err(SuggestionError::ContactPhase { phase, status: self.status });
                }
                let deputies = if deputies.is_empty() { self.proposer_ids() } else { deputies };
                let mut seen = deputies.clone();
                seen.sort_unstable();
                seen.dedup();
                if seen.len() != deputies.len() {
                    return Err(SuggestionError::BadSigners);
                }
                if let Some(d) = deputies.iter().find(|d| !self.proposer_ids().contains(d)) {
                    return Err(SuggestionError::NotASigner(*d));
                }
                let contact =
                    Contact { round: self.current_round_n(), phase, means, deputies, summary, on: today };
                let mut out = vec![SuggestionEvent::ContactLogged { contact }];
                if self.status == S::Assigned {
                    out.insert(0, SuggestionEvent::HandlingStarted { on: today });
                }
                Ok(out)
            }
            SuggestionCommand::NotifyProgress { text } => {
                if !matches!(self.status, S::Assigned | S::InHandling | S::Rehandling) {
                    return refuse();
                }
                Ok(vec![SuggestionEvent::ProgressNotified {
                    notice: Dated { on: today, value: text },
                    recipients: self.proposer_ids(),
                }])
            }
            SuggestionCommand::GiveCoOpinion { department, text } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let c = self.co_handler(department)?;
                if c.opinion.is_some() {
                    return Err(SuggestionError::CoOpinionGiven);
                }
                Ok(vec![SuggestionEvent::CoOpinionGiven {
                    department,
                    opinion: Dated { on: today, value: text },
                }])
            }
            SuggestionCommand::RecordCoHandlerOverdue { department } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let c = self.co_handler(department)?;
                if c.opinion.is_some() {
                    return Err(SuggestionError::CoOpinionGiven);
                }
                if c.overdue_recorded.is_some() {
                    return Err(SuggestionError::NothingToChange);
                }
                if today <= c.due {
                    return Err(SuggestionError::CoOpinionNotDue { due: c.due });
                }
                Ok(vec![SuggestionEvent::CoHandlerOverdueRecorded { department, on: today }])
            }
            SuggestionCommand::Extend { until, reason, approved_by } => {
                if !matches!(self.status, S::Assigned | S::InHandling) {
                    return refuse();
                }
                let Some(a) = &self.assignment else { return refuse() };
                let max = ctx.due(a.assigned_on, ctx.policy.extension_max);
                if until <= a.deadline || until > max {
                    return Err(SuggestionError::ExtensionOutOfRange { current: a.deadline, max });
                }
                Ok(vec![SuggestionEvent::Extended {
                    extension: Extension { until, reason, approved_by, on: today },
                }])
            }
            // `decide` sends only the commands above here.
            _ => refuse(),
        }
    }

    fn co_handler(&self, department: DepartmentId) -> Result<&CoHandler, SuggestionError> {
        self.assignment
            .as_ref()
            .and_then(|a| a.co_handlers.iter().find(|c| c.department.id == department))
            .ok_or(SuggestionError::NotACoHandler(department))
    }
}
