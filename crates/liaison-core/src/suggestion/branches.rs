//! The branches off the main path: merging (并案) and absorbing, withdrawal (撤回), rerouting to letters
//! and petitions (转信访), transfer to the competent procuratorate (转办) and its receipt there, a proposer's
//! anonymity, and the link to an improvement measure.

use super::*;

impl Suggestion {
    /// Decide a branch off the main path.
    pub(super) fn decide_branch(
        &self,
        command: SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        use SuggestionStatus as S;
        let today = ctx.today;
        let name = command.name();
        let refuse = || Err(SuggestionError::IllegalTransition { status: self.status, command: name });
        match command {
            SuggestionCommand::MergeInto { target } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if target == self.id {
                    return Err(SuggestionError::SelfMerge);
                }
                Ok(vec![SuggestionEvent::MergedInto { target, on: today }])
            }
            SuggestionCommand::Absorb { from, signers } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if from == self.id {
                    return Err(SuggestionError::SelfMerge);
                }
                let new: Vec<Signer> = signers
                    .into_iter()
                    .filter(|s| !self.proposers.iter().any(|p| p.deputy == s.deputy))
                    .collect();
                if !distinct_signers(&new) {
                    return Err(SuggestionError::BadSigners);
                }
                Ok(vec![SuggestionEvent::Absorbed { from, signers: new }])
            }
            SuggestionCommand::Withdraw { deputy, reason } => {
                if self.status.is_final() {
                    return refuse();
                }
                if !self.proposer_ids().contains(&deputy) {
                    return Err(SuggestionError::NotASigner(deputy));
                }
                let mut out = vec![SuggestionEvent::SignatureWithdrawn { deputy, reason, on: today }];
                if self.proposers.len() == 1 {
                    out.push(SuggestionEvent::Withdrawn { on: today });
                }
                Ok(out)
            }
            SuggestionCommand::Reroute { ground, petition_ref, notice } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                Ok(vec![SuggestionEvent::Rerouted {
                    reroute: Reroute {
                        ground,
                        petition_ref,
                        notice,
                        told: self.proposer_ids(),
                        on: today,
                        outcome: None,
                        outcome_told: None,
                    },
                }])
            }
            SuggestionCommand::Transfer { to, to_name, reason, notice, received_as } => {
                if !self.status.before_answer() {
                    return refuse();
                }
                if received_as == self.id {
                    return Err(SuggestionError::SelfTransfer);
                }
                Ok(vec![SuggestionEvent::Transferred {
                    transfer: Transfer {
                        to,
                        to_name,
                        reason,
                        notice,
                        told: self.proposer_ids(),
                        on: today,
                        received_as,
                    },
                }])
            }
            SuggestionCommand::ReceiveTransfer { origin } => {
                // Only on an item just made from the transfer: registered here, nothing else done yet.
                if !matches!(self.status, S::Received | S::Registered)
                    || self.transferred_from.is_some()
                    || self.version > 2
                {
                    return refuse();
                }
                if origin.suggestion == self.id {
                    return Err(SuggestionError::SelfTransfer);
                }
                Ok(vec![SuggestionEvent::TransferReceived { origin }])
            }
            SuggestionCommand::SetAnonymity { deputy, anonymous } => {
                if self.status.left_unhandled() {
                    return refuse();
                }
                if !self.proposer_ids().contains(&deputy) {
                    return Err(SuggestionError::NotASigner(deputy));
                }
                if self.anonymous.contains(&deputy) == anonymous {
                    return Err(SuggestionError::NothingToChange);
                }
                Ok(vec![SuggestionEvent::AnonymitySet { deputy, anonymous }])
            }
            SuggestionCommand::LinkMeasure { measure } => {
                if self.status.left_unhandled() {
                    return refuse();
                }
                if self.measures.contains(&measure) {
                    return Err(SuggestionError::NothingToChange);
                }
                Ok(vec![SuggestionEvent::MeasureLinked { measure }])
            }
            // `decide` sends only the commands above here.
            _ => refuse(),
        }
    }
}
