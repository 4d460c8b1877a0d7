//! The deployment's suggestion policy (its deadlines and limits), kept as a settings record.

use super::*;

impl App {
    /// The suggestion policy in force.
    pub fn suggestion_policy(&self, p: &Principal) -> Result<SuggestionPolicy, AppError> {
        self.suggestion_policy_versioned(p).map(|(p, _)| p)
    }

    /// The suggestion policy in force and its version (0 while the defaults apply).
    pub fn suggestion_policy_versioned(&self, p: &Principal) -> Result<(SuggestionPolicy, u64), AppError> {
        p.require(Action::ReadSuggestions)?;
        let t = p.tenant.clone();
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some(load_policy(q, &t));
            Ok(())
        })?;
        out.unwrap_or(Ok((SuggestionPolicy::default(), 0)))
    }

    /// Change the suggestion policy (audited; applies to deadlines set from now on). `expected` is the
    /// version the caller saw, when it names one.
    pub async fn set_suggestion_policy(
        &self,
        p: &Principal,
        input: &PolicyInput,
        expected: Option<u64>,
        reason: Option<String>,
    ) -> Result<(SuggestionPolicy, u64), AppError> {
        p.require(Action::ConfigurePolicy)?;
        let input = input.clone();
        self.change(p, reason, move |run| {
            let (mut policy, version) = run.policy_versioned()?.clone();
            crate::runner::expect_version("settings", POLICY_ID, version, expected)?;
            let mut f = Fields::default();
            for (field, v, slot) in [
                ("answer", &input.answer, &mut policy.answer),
                ("extension_max", &input.extension_max, &mut policy.extension_max),
                ("rehandling", &input.rehandling, &mut policy.rehandling),
                ("feedback", &input.feedback, &mut policy.feedback),
                ("return_window", &input.return_window, &mut policy.return_window),
                ("co_handler", &input.co_handler, &mut policy.co_handler),
                ("progress_interval", &input.progress_interval, &mut policy.progress_interval),
                ("assign_within", &input.assign_within, &mut policy.assign_within),
                (
                    "appointment_acknowledge",
                    &input.appointment_acknowledge,
                    &mut policy.appointment_acknowledge,
                ),
                ("appointment_meet", &input.appointment_meet, &mut policy.appointment_meet),
                ("escalation", &input.escalation, &mut policy.escalation),
            ] {
                if let Some(v) = v
                    && let Some(period) = f.take(field, parse_period(v))
                {
                    *slot = period;
                }
            }
            if let Some(d) = input.due_soon_days {
                policy.due_soon_days = d;
            }
            if let Some(b) = input.body_counts {
                policy.body_counts = b;
            }
            if let Some(s) = &input.satisfaction
                && let Some(sp) = f.take("satisfaction", SatisfactionPolicy::parse(s))
            {
                policy.satisfaction = sp;
            }
            f.done()?;
            policy.validate().map_err(|e| {
                AppError::Invalid(vec![FieldError::new(
                    e.field,
                    &ValueError::Mismatch("the other deadlines"),
                )])
            })?;
            let version = run.save_settings(POLICY_ID, version, "settings.suggestion_policy_set", &policy)?;
            Ok((policy, version))
        })
        .await
    }
}
