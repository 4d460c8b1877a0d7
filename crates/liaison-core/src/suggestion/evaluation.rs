//! The answer and its evaluation (R1a, R1b): the answer (refused without a contact in the round), the
//! evaluators' ratings, a lapse, escalation, a problem recorded as solved; and how a round is decided.

use super::*;

impl Suggestion {
    /// Decide the answer or a step of its evaluation.
    pub(super) fn decide_evaluation(
        &self,
        command: SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        use SuggestionStatus as S;
        let today = ctx.today;
        let name = command.name();
        let refuse = || Err(SuggestionError::IllegalTransition { status: self.status, command: name });
        match command {
            SuggestionCommand::Answer { class, text, promised_on } => {
                if !matches!(self.status, S::Assigned | S::InHandling | S::Rehandling) {
                    return refuse();
                }
                let round = self.current_round_n();
                if !self.contacted_this_round(today) {
                    return Err(SuggestionError::NoPriorContact);
                }
                if !markers_balanced(text.as_str()) {
                    return Err(SuggestionError::UnbalancedMarkers);
                }
                match (class, promised_on) {
                    (AnswerClass::B | AnswerClass::C, Some(d)) if d > today => {}
                    (AnswerClass::A | AnswerClass::D, None) => {}
                    _ => return Err(SuggestionError::PromisedDate),
                }
                let mut co_opinions = Vec::new();
                if round == 1
                    && let Some(a) = &self.assignment
                {
                    for c in &a.co_handlers {
                        match (&c.opinion, c.overdue_recorded) {
                            (Some(o), _) => co_opinions.push(CoOpinionAttached {
                                department: c.department.clone(),
                                opinion: Some(o.value.clone()),
                            }),
                            (None, Some(_)) => co_opinions
                                .push(CoOpinionAttached { department: c.department.clone(), opinion: None }),
                            (None, None) => {
                                return Err(SuggestionError::CoOpinionOutstanding(c.department.id));
                            }
                        }
                    }
                }
                let mut out = Vec::new();
                if self.status == S::Assigned {
                    out.push(SuggestionEvent::HandlingStarted { on: today });
                }
                out.push(SuggestionEvent::Answered {
                    round,
                    answer: Answer {
                        class,
                        text,
                        on: today,
                        promised_on,
                        co_opinions,
                        recipients: self.proposer_ids(),
                        feedback_due: ctx.due(today, ctx.policy.feedback),
                    },
                });
                Ok(out)
            }
            SuggestionCommand::Rate { deputy, rating, comment, channel } => {
                if self.status != S::Answered {
                    return refuse();
                }
                if !self.evaluators().contains(&deputy) {
                    return Err(SuggestionError::NotASigner(deputy));
                }
                let Some(r) = self.rounds.last() else { return refuse() };
                if r.ratings.contains_key(&deputy) {
                    return Err(SuggestionError::AlreadyRated(deputy));
                }
                if rating == Satisfaction::Dissatisfied && comment.is_none() {
                    return Err(SuggestionError::CommentRequired);
                }
                let round = r.n;
                let mut out = vec![SuggestionEvent::Rated {
                    round,
                    deputy,
                    rating: Rating { rating, comment, on: today, channel },
                }];
                let mut ratings: Vec<Satisfaction> = r.ratings.values().map(|x| x.rating).collect();
                ratings.push(rating);
                let evaluators = self.evaluators().len();
                // When the body's verdict counts, a published round waits for the end of its window.
                let body_waits = ctx.policy.body_counts && self.publication_of(round).is_some();
                if ratings.len() == evaluators && !body_waits {
                    let body = self.body_ratings(round);
                    out.extend(self.decide_round(&ratings, body.as_deref(), evaluators, false, ctx));
                }
                Ok(out)
            }
            SuggestionCommand::RecordLapse => {
                if self.status != S::Answered {
                    return refuse();
                }
                let Some(r) = self.rounds.last() else { return refuse() };
                let due = r.answer.as_ref().map_or(today, |a| a.feedback_due);
                if today <= due {
                    return Err(SuggestionError::FeedbackWindowOpen { due });
                }
                let ratings: Vec<Satisfaction> = r.ratings.values().map(|x| x.rating).collect();
                let body = self.body_ratings(r.n);
                let all_rated = ratings.len() == self.evaluators().len();
                Ok(self.decide_round(&ratings, body.as_deref(), self.evaluators().len(), !all_rated, ctx))
            }
            SuggestionCommand::RecordEscalation { means, leader, note } => {
                if self.status != S::Escalated {
                    return refuse();
                }
                Ok(vec![
                    SuggestionEvent::EscalationRecorded {
                        record: EscalationRecord { means, leader, note, on: today },
                    },
                    SuggestionEvent::Closed {
                        closure: Closure { on: today, basis: ClosureBasis::Escalated },
                    },
                ])
            }
            SuggestionCommand::RecordSolved { text } => {
                match &self.follow_up {
                    Some(f) if f.solved.is_none() => {}
                    _ => return Err(SuggestionError::NoFollowUp),
                }
                if self.status.left_unhandled() {
                    return refuse();
                }
                Ok(vec![SuggestionEvent::Solved {
                    answer: Dated { on: today, value: text },
                    recipients: self.proposer_ids(),
                }])
            }
            // `decide` sends only the commands above here.
            _ => refuse(),
        }
    }

    /// The events that decide the current round on these ratings.
    fn decide_round(
        &self,
        ratings: &[Satisfaction],
        body: Option<&[Satisfaction]>,
        evaluators: usize,
        by_lapse: bool,
        ctx: Ctx<'_>,
    ) -> Vec<SuggestionEvent> {
        let today = ctx.today;
        let round = self.rounds.last().map_or(1, |r| r.n);
        let policy = ctx.policy.satisfaction;
        // A lapse is never a rating (R1a/R1b): the ratings given decide only when they suffice whatever the
        // silent evaluators would have said — they fail the policy by themselves (不满意), or meet it even with
        // every silent one counted 不满意. Otherwise the round lapsed: nobody is made satisfied (被满意).
        let silent = evaluators.saturating_sub(ratings.len());
        let own = if ratings.is_empty() {
            None
        } else if !policy.satisfied(ratings) {
            Some(false)
        } else if silent == 0 {
            Some(true)
        } else {
            let mut padded = ratings.to_vec();
            padded.extend(std::iter::repeat_n(Satisfaction::Dissatisfied, silent));
            policy.satisfied(&padded).then_some(true)
        };
        let body = body.filter(|b| !b.is_empty()).map(|b| BodyVerdict {
            satisfied: policy.satisfied(b),
            rated: b.len() as u32,
            counted: ctx.policy.body_counts,
        });
        let counted_body = body.as_ref().filter(|b| b.counted).map(|b| b.satisfied);
        let verdict = match (own, counted_body) {
            (None, None) => Verdict::Lapsed,
            (Some(true), None) | (None, Some(true)) | (Some(true), Some(true)) => Verdict::Satisfied,
            _ => Verdict::Dissatisfied,
        };
        let outcome = RoundOutcome {
            verdict,
            on: today,
            rated: ratings.len() as u32,
            evaluators: evaluators as u32,
            by_lapse,
            body,
        };
        let mut out = vec![SuggestionEvent::RoundDecided { round, outcome }];
        match verdict {
            Verdict::Satisfied => out.push(SuggestionEvent::Closed {
                closure: Closure { on: today, basis: ClosureBasis::Satisfied },
            }),
            Verdict::Lapsed => out.push(SuggestionEvent::Closed {
                closure: Closure { on: today, basis: ClosureBasis::Lapsed },
            }),
            Verdict::Dissatisfied if round == 1 => out.push(SuggestionEvent::RehandlingBegan {
                on: today,
                due: ctx.due(today, ctx.policy.rehandling),
            }),
            Verdict::Dissatisfied => out.push(SuggestionEvent::Escalated { on: today }),
        }
        out
    }
}
