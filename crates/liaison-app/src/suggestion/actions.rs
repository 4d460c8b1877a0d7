//! The actions on a suggestion: assign, contact, answer, rate, re-handle, close … each one command
//! through the runner.

use super::*;

impl App {
    /// Run an action on a suggestion (by id or number), as the caller, checking the version they saw.
    pub async fn suggestion_action(
        &self,
        p: &Principal,
        key: &str,
        expected: Option<u64>,
        action: SuggestionAction,
        reason: Option<String>,
    ) -> Result<SuggestionView, AppError> {
        let needed = match &action {
            SuggestionAction::Assign { .. } | SuggestionAction::Reassign { .. } => Action::AssignSuggestion,
            SuggestionAction::RequestExtension { .. } => Action::HandleSuggestion,
            SuggestionAction::DeclineExtension { .. } => Action::ApproveSuggestion,
            SuggestionAction::RerouteOutcome { .. } | SuggestionAction::RerouteTold { .. } => {
                Action::FileSuggestion
            }
            SuggestionAction::Return { .. }
            | SuggestionAction::Start {}
            | SuggestionAction::Contact { .. }
            | SuggestionAction::Notify { .. }
            | SuggestionAction::CoOpinion { .. }
            | SuggestionAction::CoOverdue { .. }
            | SuggestionAction::Answer { .. }
            | SuggestionAction::Solved { .. } => Action::HandleSuggestion,
            SuggestionAction::Extend { .. } | SuggestionAction::Escalation { .. } => {
                Action::ApproveSuggestion
            }
            SuggestionAction::Rate { form_ref: Some(_), .. } => Action::TranscribeRating,
            SuggestionAction::Rate { .. } => Action::RateAsDeputy,
            SuggestionAction::Withdraw { deputy: None, .. } if p.deputy.is_some() => Action::RateAsDeputy,
            SuggestionAction::Anonymity { deputy: None, .. } if p.deputy.is_some() => Action::RateAsDeputy,
            SuggestionAction::Publish { .. } | SuggestionAction::Anonymity { .. } => Action::FileSuggestion,
            SuggestionAction::Lapse {}
            | SuggestionAction::Merge { .. }
            | SuggestionAction::Withdraw { .. }
            | SuggestionAction::Reroute { .. }
            | SuggestionAction::Transfer { .. }
            | SuggestionAction::Panel { .. } => Action::FileSuggestion,
        };
        p.require(needed)?;
        let (tenant, key, p2) = (p.tenant.clone(), key.to_owned(), p.clone());
        let keys = self.store.keys().clone();
        self.change(p, reason, move |run| {
            let s = find_suggestion(run.q(), &tenant, &key)?;
            // A deputy account acts on its own items, and rates answers published to it.
            let reader = p2.deputy.map(|d| reader_of(run.q(), &tenant, d)).transpose()?;
            let in_audience = reader.as_ref().is_some_and(|r| {
                s.publications
                    .last()
                    .is_some_and(|p| p.audience.includes(r.level, &r.region, r.delegation.as_ref()))
            });
            let rates_publication = in_audience && matches!(action, SuggestionAction::Rate { .. });
            if !(visible_to(&p2, &s) || rates_publication) {
                return Err(AppError::NotFound { what: "suggestion", id: key });
            }
            let s = match action {
                SuggestionAction::Merge { into } => {
                    let target = find_suggestion(run.q(), &tenant, &into)?;
                    let signers = s.proposers.clone();
                    let source_id = s.id;
                    // The duplicate first (its checks), then the survivor takes in its co-signers.
                    let merged =
                        run_command(run, s, expected, SuggestionCommand::MergeInto { target: target.id })?;
                    run_command(run, target, None, SuggestionCommand::Absorb { from: source_id, signers })?;
                    merged
                }
                SuggestionAction::Transfer { to, reason, notice } => {
                    transfer::transfer_in(run, &keys, s, expected, (to, reason, notice))?
                }
                action => {
                    let command = command_of(run, &p2, &s, reader, action)?;
                    run_command(run, s, expected, command)?
                }
            };
            let shown = Shown::to(&p2, &s);
            let state = transfer::transfer_state(run.q(), &s)?;
            Ok(SuggestionView { transfer: state, ..view_in(run, s, shown)? })
        })
        .await
    }
}

/// The core's command for an action, with what it names looked up and its text parsed (a merge is two
/// commands, run by the caller).
fn command_of(
    run: &mut Runner<'_>,
    p2: &Principal,
    s: &Suggestion,
    reader: Option<Reader>,
    action: SuggestionAction,
) -> Result<SuggestionCommand, AppError> {
    let tenant = run.tenant().clone();
    let lead = s.assignment.as_ref().map(|a| a.lead.id);
    Ok(match action {
        SuggestionAction::Merge { .. } | SuggestionAction::Transfer { .. } => {
            return Err(AppError::Contract("a merge or a transfer is run by the caller"));
        }
        SuggestionAction::Assign { lead, co_handlers, handler } => {
            let (lead, co_handlers, handler) =
                assignment_of(run.q(), &tenant, &lead, &co_handlers, &handler)?;
            SuggestionCommand::Assign { lead, co_handlers, handler }
        }
        SuggestionAction::Reassign { lead, co_handlers, handler, reason } => {
            let (lead, co_handlers, handler) =
                assignment_of(run.q(), &tenant, &lead, &co_handlers, &handler)?;
            SuggestionCommand::Reassign { lead, co_handlers, handler, reason: long("reason", &reason)? }
        }
        SuggestionAction::RequestExtension { until, reason } => {
            in_scope(p2, lead)?;
            SuggestionCommand::RequestExtension {
                until: date("until", &until)?,
                reason: long("reason", &reason)?,
            }
        }
        SuggestionAction::DeclineExtension { reason } => {
            SuggestionCommand::DeclineExtension { reason: long("reason", &reason)? }
        }
        SuggestionAction::RerouteOutcome { outcome } => {
            SuggestionCommand::RecordRerouteOutcome { outcome: long("outcome", &outcome)? }
        }
        SuggestionAction::RerouteTold { notice } => {
            SuggestionCommand::TellRerouteOutcome { notice: long("notice", &notice)? }
        }
        SuggestionAction::Return { reason } => {
            in_scope(p2, lead)?;
            let department =
                lead.ok_or(SuggestionError::IllegalTransition { status: s.status, command: "return" })?;
            SuggestionCommand::Return { department, reason: long("reason", &reason)? }
        }
        SuggestionAction::Start {} => {
            in_scope(p2, lead)?;
            SuggestionCommand::StartHandling
        }
        SuggestionAction::Contact { phase, means, deputies, summary } => {
            in_scope(p2, lead)?;
            let mut f = Fields::default();
            let phase = f.take("phase", ContactPhase::parse(&phase));
            let means = f.take("means", ContactMeans::parse(&means));
            let summary = f.take("summary", LongText::parse(&summary));
            let deputies: Vec<DeputyId> = deputies
                .iter()
                .filter(|d| !d.trim().is_empty())
                .filter_map(|d| f.take("deputies", DeputyId::parse(d).map_err(|_| ValueError::OneOf("uuid"))))
                .collect();
            f.done()?;
            let (Some(phase), Some(means), Some(summary)) = (phase, means, summary) else {
                return Err(AppError::Invalid(vec![]));
            };
            SuggestionCommand::LogContact { phase, means, deputies, summary }
        }
        SuggestionAction::Notify { text } => {
            in_scope(p2, lead)?;
            SuggestionCommand::NotifyProgress { text: long("text", &text)? }
        }
        SuggestionAction::CoOpinion { department, text } => {
            let org = run.q().organisation(&tenant)?;
            let department = match department.filter(|d| !d.trim().is_empty()) {
                Some(d) => crate::organisation::find_department(&org, &d)?,
                None => {
                    p2.department.ok_or_else(|| AppError::invalid("department", &ValueError::Required))?
                }
            };
            in_scope(p2, Some(department))?;
            SuggestionCommand::GiveCoOpinion { department, text: long("text", &text)? }
        }
        SuggestionAction::CoOverdue { department } => {
            in_scope(p2, lead)?;
            let org = run.q().organisation(&tenant)?;
            SuggestionCommand::RecordCoHandlerOverdue {
                department: crate::organisation::find_department(&org, &department)?,
            }
        }
        SuggestionAction::Extend { until, reason } => SuggestionCommand::Extend {
            until: date("until", &until)?,
            reason: long("reason", &reason)?,
            approved_by: staff(p2),
        },
        SuggestionAction::Answer { class, text, promised_on } => {
            in_scope(p2, lead)?;
            let mut f = Fields::default();
            let class = f.take("class", AnswerClass::parse(&class));
            let text = f.take("text", LongText::parse(&text));
            let promised_on = match promised_on.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => f.take("promised_on", parse_date(s)),
                None => None,
            };
            f.done()?;
            let (Some(class), Some(text)) = (class, text) else {
                return Err(AppError::Invalid(vec![]));
            };
            let unfilled = super::unfilled_placeholders(text.as_str());
            if !unfilled.is_empty() {
                return Err(AppError::Invalid(vec![liaison_core::FieldError {
                    field: "text".into(),
                    code: "template_unfilled",
                    message_zh: format!(
                        "答复正文中还有未填写的{}，请替换为实际内容后再提交",
                        unfilled.join("、")
                    ),
                    message_en: format!(
                        "the answer still holds the template's {}: replace it first",
                        unfilled.join(", ")
                    ),
                }]));
            }
            SuggestionCommand::Answer { class, text, promised_on }
        }
        SuggestionAction::Rate { rating, comment, deputy, form_ref } => {
            let rating = word("rating", &rating, Satisfaction::parse)?;
            let comment =
                comment.filter(|c| !c.trim().is_empty()).map(|c| long("comment", &c)).transpose()?;
            let (deputy, channel) = match form_ref {
                Some(form) => {
                    let d = deputy.ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
                    let channel = RatingChannel::PaperForm {
                        form_ref: short("form_ref", &form)?,
                        transcribed_by: staff(p2),
                    };
                    let id = deputy_id("deputy", &d)?;
                    // An officer transcribes only the forms of the deputies within its reach, as it reads
                    // and changes only them (issue 12, item 7): a rating counts towards a department.
                    if let Some(record) = run.q().deputy(&tenant, id)? {
                        p2.reach(&record)?;
                    }
                    (id, channel)
                }
                None => {
                    let own = p2.deputy.ok_or(AppError::Forbidden { action: "rate_as_deputy" })?;
                    if deputy.is_some_and(|d| d.trim() != own.to_string()) {
                        return Err(AppError::Forbidden { action: "rate_for_another_deputy" });
                    }
                    (own, RatingChannel::OwnAccount)
                }
            };
            match reader {
                // A deputy who is not a co-signer or panel member rates as one of the body.
                Some(reader) if !s.evaluators().contains(&deputy) && channel == RatingChannel::OwnAccount => {
                    SuggestionCommand::RateAsBody { reader, rating, comment, channel }
                }
                _ => SuggestionCommand::Rate { deputy, rating, comment, channel },
            }
        }
        SuggestionAction::Publish { scope, values } => {
            SuggestionCommand::Publish { audience: audience(&scope, &values)? }
        }
        SuggestionAction::Anonymity { deputy, anonymous } => {
            let d = match (deputy, p2.deputy) {
                (Some(d), _) if p2.may(Action::FileSuggestion) => deputy_id("deputy", &d)?,
                (None, Some(own)) => own,
                (Some(d), Some(own)) if d.trim() == own.to_string() => own,
                _ => return Err(AppError::invalid("deputy", &ValueError::Required)),
            };
            SuggestionCommand::SetAnonymity { deputy: d, anonymous }
        }
        SuggestionAction::Lapse {} => SuggestionCommand::RecordLapse,
        SuggestionAction::Escalation { means, note } => SuggestionCommand::RecordEscalation {
            means: word("means", &means, EscalationMeans::parse)?,
            leader: staff(p2),
            note: long("note", &note)?,
        },
        SuggestionAction::Solved { text } => {
            in_scope(p2, lead)?;
            SuggestionCommand::RecordSolved { text: long("text", &text)? }
        }
        SuggestionAction::Withdraw { deputy, reason } => {
            let d = match (deputy, p2.deputy) {
                (Some(d), _) if p2.may(Action::FileSuggestion) => deputy_id("deputy", &d)?,
                (None, Some(own)) => own,
                (Some(d), Some(own)) if d.trim() == own.to_string() => own,
                _ => return Err(AppError::invalid("deputy", &ValueError::Required)),
            };
            SuggestionCommand::Withdraw { deputy: d, reason: long("reason", &reason)? }
        }
        SuggestionAction::Reroute { ground, notice } => {
            let ground = word("ground", &ground, RerouteGround::parse)?;
            let notice = long("notice", &notice)?;
            let year = chrono::Datelike::year(&run.today());
            let n = run.tx().next_number(&tenant, &format!("petition-{year}"))?;
            let petition_ref = short("petition_ref", &format!("XF-{year}-{n:04}"))?;
            SuggestionCommand::Reroute { ground, petition_ref, notice }
        }
        SuggestionAction::Panel { deputies } => {
            SuggestionCommand::SetPanel { panel: signers(run.q(), &tenant, "deputies", &deputies)? }
        }
    })
}
