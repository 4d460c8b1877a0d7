//! Improvement measures (整改措施): opened from a suggestion or an opinion, followed to completion.

use super::*;

impl Stored for Measure {
    fn key(&self) -> String {
        self.id.to_string()
    }

    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        let m = self;
        Ok(Columns {
            department: Some(m.owner.id.to_string()),
            due_on: (m.status == MeasureStatus::Open).then_some(m.deadline),
            deputies: m.deputies.iter().map(|d| d.deputy.to_string()).collect(),
            departments: vec![m.owner.id.to_string()],
            ..Columns::new(m.status.code(), m.opened_on)
        })
    }
}

impl App {
    /// Open an improvement measure from a suggestion or from a deputy's opinion.
    pub async fn open_measure(&self, p: &Principal, input: &MeasureInput) -> Result<MeasureView, AppError> {
        p.require(Action::ManageMeasures)?;
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let description = f.take("description", LongText::parse(&input.description));
        let deadline = f.take("deadline", parse_date(&input.deadline));
        f.done()?;
        let (Some(title), Some(description), Some(deadline)) = (title, description, deadline) else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, input, p2) = (p.tenant.clone(), input.clone(), p.clone());
        self.change(p, None, move |run| {
            let org = run.q().organisation(&tenant)?;
            let owner = department_ref(&org, &input.owner)?;
            // A department opens measures for itself only; the office for any (issue 12).
            in_scope(&p2, Some(owner.id))?;
            let named = signers(run.q(), &tenant, "deputies", &input.deputies)?;
            let (origin, deputies, from) = match (
                input.suggestion.as_deref().filter(|s| !s.trim().is_empty()),
                input.opinion.as_deref().filter(|s| !s.trim().is_empty()),
            ) {
                (Some(key), None) => {
                    let s = find_suggestion(run.q(), &tenant, key)?;
                    let deputies = if named.is_empty() { s.proposers.clone() } else { named };
                    (MeasureOrigin::Suggestion { id: s.id, number: s.number }, deputies, Some(s))
                }
                (None, Some(text)) => (MeasureOrigin::Opinion { text: long("opinion", text)? }, named, None),
                _ => {
                    return Err(AppError::invalid(
                        "suggestion",
                        &ValueError::Mismatch("opinion: give exactly one"),
                    ));
                }
            };
            let m = open_measure_in(run, (title, description, deadline), owner, origin, deputies, from)?;
            Ok(measure_view(m, run.today()))
        })
        .await
    }

    /// Progress, completion or report-back of a measure.
    pub async fn measure_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: MeasureAction,
    ) -> Result<MeasureView, AppError> {
        p.require(Action::ManageMeasures)?;
        let command = match &action {
            MeasureAction::Progress { text } => MeasureCommand::Progress { text: long("text", text)? },
            MeasureAction::Complete { text } => MeasureCommand::Complete { result: long("text", text)? },
            MeasureAction::ReportBack { text } => MeasureCommand::ReportBack { text: long("text", text)? },
        };
        let p2 = p.clone();
        let id = id.trim().to_owned();
        self.change(p, None, move |run| {
            let m: Measure = run.load(&id)?;
            in_scope(&p2, Some(m.owner.id))?;
            let today = run.today();
            let m = run.execute(m, expected, command, today)?;
            Ok(measure_view(m, today))
        })
        .await
    }

    /// One measure.
    pub fn measure(&self, p: &Principal, id: &str) -> Result<MeasureView, AppError> {
        p.require(Action::ReadSuggestions)?;
        let today = self.meta(p, None).today();
        let r = self
            .read(|q| q.record(&p.tenant, MEASURE, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "measure", id: id.into() })?;
        let m: Measure = serde_json::from_str(&r.data).map_err(json_err)?;
        if p.roles == [Role::Deputy] && !m.deputies.iter().any(|d| Some(d.deputy) == p.deputy) {
            return Err(AppError::NotFound { what: "measure", id: id.into() });
        }
        Ok(measure_view(m, today))
    }

    /// Measures, optionally of one department or status.
    pub fn measures(
        &self,
        p: &Principal,
        department: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<MeasureView>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let today = self.meta(p, None).today();
        let mut q = RecordQuery::default();
        if let Some(d) = department.map(str::trim).filter(|s| !s.is_empty()) {
            let org = self.read(|q| q.organisation(&p.tenant))?;
            q.department = Some(crate::organisation::find_department(&org, d)?.to_string());
        }
        if let Some(s) = status.map(str::trim).filter(|s| !s.is_empty()) {
            MeasureStatus::from_code(s)
                .ok_or_else(|| AppError::invalid("status", &ValueError::OneOf("open/done/reported_back")))?;
            q.statuses = vec![s.to_owned()];
        }
        if p.roles == [Role::Deputy] {
            q.deputy = p.deputy.map(|d| d.to_string());
        }
        let rows = self.read(|s| s.records(&p.tenant, MEASURE, &q))?;
        rows.iter()
            .map(|r| {
                serde_json::from_str::<Measure>(&r.data).map_err(json_err).map(|m| measure_view(m, today))
            })
            .collect()
    }
}
