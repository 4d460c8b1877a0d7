//! How an event changes a suggestion: `apply` folds each fact into the state and never fails.

use super::*;

impl Suggestion {
    /// Fold an event into the state. Events are facts: `apply` never fails.
    pub fn apply(&mut self, event: &SuggestionEvent) {
        use SuggestionStatus as S;
        self.version += 1;
        match event {
            SuggestionEvent::Reassigned { .. }
            | SuggestionEvent::DeadlineRecomputed { .. }
            | SuggestionEvent::ExtensionRequested { .. }
            | SuggestionEvent::ExtensionDeclined { .. }
            | SuggestionEvent::RerouteOutcomeRecorded { .. }
            | SuggestionEvent::RerouteOutcomeTold { .. } => {
                self.apply_adjustment(event);
            }
            SuggestionEvent::Received { .. } => {}
            SuggestionEvent::Registered { number } => {
                self.number = Some(*number);
                self.status = S::Registered;
            }
            SuggestionEvent::PanelSet { panel } => self.panel = panel.clone(),
            SuggestionEvent::Assigned { assignment } => {
                self.rounds = vec![Round {
                    n: 1,
                    began_on: assignment.assigned_on,
                    due: assignment.deadline,
                    answer: None,
                    ratings: BTreeMap::new(),
                    outcome: None,
                }];
                self.assignment = Some(assignment.clone());
                self.status = S::Assigned;
            }
            SuggestionEvent::Returned { record } => {
                self.returns.push(record.clone());
                self.assignment = None;
                self.rounds.clear();
                self.status = S::Returned;
            }
            SuggestionEvent::HandlingStarted { .. } => self.status = S::InHandling,
            SuggestionEvent::ContactLogged { contact } => self.contacts.push(contact.clone()),
            SuggestionEvent::ProgressNotified { notice, .. } => self.notices.push(notice.clone()),
            SuggestionEvent::CoOpinionGiven { department, opinion } => {
                if let Some(c) = self.co_handler_mut(*department) {
                    c.opinion = Some(opinion.clone());
                }
            }
            SuggestionEvent::CoHandlerOverdueRecorded { department, on } => {
                if let Some(c) = self.co_handler_mut(*department) {
                    c.overdue_recorded = Some(*on);
                }
            }
            SuggestionEvent::Extended { extension } => {
                self.extension_request = None;
                if let Some(a) = &mut self.assignment {
                    a.deadline = extension.until;
                }
                if let Some(r) = self.rounds.first_mut() {
                    r.due = extension.until;
                }
                self.extensions.push(extension.clone());
            }
            SuggestionEvent::Answered { round, answer } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.n == *round) {
                    r.answer = Some(answer.clone());
                }
                if matches!(answer.class, AnswerClass::B | AnswerClass::C)
                    && let Some(p) = answer.promised_on
                {
                    self.follow_up = Some(FollowUp { promised_on: p, solved: None, recipients: Vec::new() });
                }
                self.status = S::Answered;
            }
            SuggestionEvent::Rated { round, deputy, rating } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.n == *round) {
                    r.ratings.insert(*deputy, rating.clone());
                }
            }
            SuggestionEvent::RoundDecided { round, outcome } => {
                if let Some(r) = self.rounds.iter_mut().find(|r| r.n == *round) {
                    r.outcome = Some(outcome.clone());
                }
            }
            SuggestionEvent::RehandlingBegan { on, due } => {
                let n = self.rounds.last().map_or(1, |r| r.n) + 1;
                self.rounds.push(Round {
                    n,
                    began_on: *on,
                    due: *due,
                    answer: None,
                    ratings: BTreeMap::new(),
                    outcome: None,
                });
                self.status = S::Rehandling;
            }
            SuggestionEvent::Escalated { on } => {
                self.escalation = Some((*on, None));
                self.status = S::Escalated;
            }
            SuggestionEvent::EscalationRecorded { record } => {
                if let Some((_, slot)) = &mut self.escalation {
                    *slot = Some(record.clone());
                }
            }
            SuggestionEvent::Solved { answer, recipients } => {
                if let Some(f) = &mut self.follow_up {
                    f.solved = Some(answer.clone());
                    f.recipients = recipients.clone();
                }
            }
            SuggestionEvent::MergedInto { target, .. } => {
                self.merged_into = Some(*target);
                self.status = S::Merged;
            }
            SuggestionEvent::Absorbed { from, signers } => {
                self.absorbed.push(*from);
                self.proposers.extend(signers.iter().cloned());
            }
            SuggestionEvent::SignatureWithdrawn { deputy, reason, .. } => {
                if let Some(i) = self.proposers.iter().position(|p| p.deputy == *deputy) {
                    let s = self.proposers.remove(i);
                    self.withdrawn.push(s);
                }
                self.withdrawal_reason = Some(reason.clone());
            }
            SuggestionEvent::Withdrawn { .. } => self.status = S::Withdrawn,
            SuggestionEvent::Rerouted { reroute } => {
                self.reroute = Some(reroute.clone());
                self.status = S::Rerouted;
            }
            SuggestionEvent::Transferred { transfer } => {
                self.transfer = Some(transfer.clone());
                self.status = S::Transferred;
            }
            SuggestionEvent::TransferReceived { origin } => self.transferred_from = Some(origin.clone()),
            SuggestionEvent::MeasureLinked { measure } => self.measures.push(*measure),
            SuggestionEvent::Closed { closure } => {
                self.closure = Some(closure.clone());
                self.status = S::Closed;
            }
            SuggestionEvent::AnonymitySet { deputy, anonymous } => {
                if *anonymous {
                    self.anonymous.insert(*deputy);
                } else {
                    self.anonymous.remove(deputy);
                }
            }
            SuggestionEvent::Published { publication } => self.publications.push(publication.clone()),
            SuggestionEvent::Viewed { round, deputy } => {
                if let Some(p) = self.publications.iter_mut().find(|p| p.round == *round) {
                    p.viewed.insert(*deputy);
                }
            }
            SuggestionEvent::BodyRated { round, deputy, rating } => {
                if let Some(p) = self.publications.iter_mut().find(|p| p.round == *round) {
                    p.viewed.insert(*deputy);
                    p.ratings.insert(*deputy, rating.clone());
                }
            }
        }
    }

    fn co_handler_mut(&mut self, department: DepartmentId) -> Option<&mut CoHandler> {
        self.assignment
            .as_mut()
            .and_then(|a| a.co_handlers.iter_mut().find(|c| c.department.id == department))
    }
}
