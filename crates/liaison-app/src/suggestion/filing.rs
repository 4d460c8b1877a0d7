//! Filing a suggestion: received and registered with the next number of its year.

use super::*;

impl App {
    /// File a suggestion: received and registered with the next number of its year, in one transaction.
    pub async fn file_suggestion(
        &self,
        p: &Principal,
        input: &SuggestionInput,
        idempotency: Option<Idempotency>,
    ) -> Result<SuggestionView, AppError> {
        p.require(Action::FileSuggestion)?;
        let meta = self.meta(p, None);
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let content = f.take("content", LongText::parse(&input.content));
        // `online` is what a deputy's own filing is marked with (a submitted draft): staff never claim it.
        let source = f.take(
            "source",
            Source::parse(&input.source).and_then(|s| match s {
                Source::Online => Err(ValueError::Mismatch("filed by the deputy online only")),
                s => Ok(s),
            }),
        );
        let received_on = match input.received_on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => f.take("received_on", parse_date(s)),
            None => Some(meta.today()),
        };
        if let Some(d) = received_on
            && d > meta.today()
        {
            f.0.push(FieldError::new("received_on", &ValueError::Implausible("after today")));
        }
        if input.deputies.iter().all(|d| d.trim().is_empty()) {
            f.0.push(FieldError::new("deputies", &ValueError::Required));
        }
        f.done()?;
        let (Some(title), Some(content), Some(source), Some(received_on)) =
            (title, content, source, received_on)
        else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, ids) = (p.tenant.clone(), input.deputies.clone());
        let idempotency = idempotency.map(|i| i.scoped(p, "suggestion.file"));
        self.change(p, None, move |run| {
            if let Some(i) = &idempotency
                && let Some((hash, response)) = run.q().idempotent(&tenant, &i.key)?
            {
                return if hash == i.request_hash {
                    serde_json::from_str(&response).map_err(json_err)
                } else {
                    Err(AppError::IdempotencyMismatch)
                };
            }
            let proposers = signers(run.q(), &tenant, "deputies", &ids)?;
            // Received on or after every proposer's term began (a deputy cannot have proposed it before).
            for id in &proposers {
                if let Some(sum) = run.q().deputy_summary(&tenant, id.deputy)? {
                    let d: Deputy = serde_json::from_str(&sum.data).map_err(|e| AppError::Store(e.into()))?;
                    if received_on < d.data.term_start {
                        return Err(AppError::invalid(
                            "received_on",
                            &ValueError::Implausible("before the term"),
                        ));
                    }
                }
            }
            let s = file_in(run, (title, content, source, received_on), proposers)?;
            let at = run.meta().at;
            let v = view_in(run, s, Shown::ALL)?;
            if let Some(i) = &idempotency {
                let body = serde_json::to_string(&v).map_err(json_err)?;
                run.tx().save_idempotent(&tenant, &i.key, &i.request_hash, &body, at)?;
            }
            Ok(v)
        })
        .await
    }
}
