//! Reading suggestions: one, a filtered page, its history, the figures.

use super::*;
use liaison_core::suggestion::FigureSums;

impl App {
    /// One suggestion (by id or number).
    pub fn suggestion(&self, p: &Principal, key: &str) -> Result<SuggestionView, AppError> {
        p.require(Action::ReadSuggestions)?;
        let today = self.meta(p, None).today();
        let (s, policy) = self.read_suggestion(&p.tenant, key)?;
        if !visible_to(p, &s) {
            return Err(AppError::NotFound { what: "suggestion", id: key.into() });
        }
        let shown = Shown::to(p, &s);
        let mut state = Ok(None);
        self.store.read(&mut |q| {
            state = transfer::transfer_state(q, &s);
            Ok(())
        })?;
        let state = state?;
        Ok(SuggestionView { transfer: state, ..view(s, &policy, &self.calendar, today, shown) })
    }

    pub(crate) fn read_suggestion(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<(Suggestion, SuggestionPolicy), AppError> {
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some(find_suggestion(q, tenant, key).and_then(|s| Ok((s, load_policy(q, tenant)?.0))));
            Ok(())
        })?;
        out.unwrap_or(Err(AppError::NotFound { what: "suggestion", id: key.into() }))
    }

    fn record_query(&self, p: &Principal, f: &SuggestionFilter) -> Result<RecordQuery, AppError> {
        let mut q = RecordQuery::default();
        let nonblank =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if let Some(s) = nonblank(&f.status) {
            for code in s.split(',').map(str::trim) {
                if SuggestionStatus::from_code(code).is_none() {
                    return Err(AppError::invalid(
                        "status",
                        &ValueError::OneOf(
                            "received/registered/assigned/in_handling/returned/answered/rehandling/escalated/closed/rerouted/merged/withdrawn/transferred",
                        ),
                    ));
                }
                q.statuses.push(code.to_owned());
            }
        }
        if let Some(d) = nonblank(&f.department) {
            let org = self.read(|q| q.organisation(&p.tenant))?;
            q.department = Some(crate::organisation::find_department(&org, &d)?.to_string());
        }
        if let Some(h) = nonblank(&f.handler) {
            let u = self
                .read(|q| q.user_by_login(&p.tenant, &h))?
                .ok_or_else(|| AppError::NotFound { what: "user", id: h.clone() })?;
            q.handler = Some(u.id.to_string());
        }
        if let Some(d) = nonblank(&f.deputy) {
            q.deputy = Some(deputy_id("deputy", &d)?.to_string());
        }
        if let Some(d) = nonblank(&f.from) {
            q.opened_from = Some(date("from", &d)?.to_string());
        }
        if let Some(d) = nonblank(&f.to) {
            q.opened_to = Some(date("to", &d)?.to_string());
        }
        if f.overdue == Some(true) {
            let today = self.meta(p, None).today();
            q.due_by = today.pred_opt().map(|d| d.to_string());
        }
        // A deputy account lists only its own items.
        if p.roles == [Role::Deputy] {
            q.deputy = p.deputy.map(|d| d.to_string());
        }
        Ok(q)
    }

    /// A page of suggestions, oldest first.
    pub fn suggestions(
        &self,
        p: &Principal,
        f: &SuggestionFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<SuggestionSummary>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let mut q = self.record_query(p, f)?;
        if let Some(c) = cursor {
            q.after = Some(
                SuggestionId::parse(c)
                    .map_err(|_| {
                        AppError::invalid(
                            "cursor",
                            &ValueError::OneOf("a cursor returned by a previous page"),
                        )
                    })?
                    .to_string(),
            );
        }
        let limit = limit.clamp(1, 1000);
        q.limit = limit + 1;
        let policy = self.suggestion_policy(p)?;
        let mut rows = self.read(|s| s.records(&p.tenant, SUGGESTION, &q))?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let mut items: Vec<SuggestionSummary> = Vec::with_capacity(rows.len());
        let mut unreadable = Vec::new();
        for r in &rows {
            match parse_suggestion(r) {
                Ok(s) => items.push(summary(&s, &policy, &self.calendar)),
                Err(e) => unreadable.push(crate::Unreadable::of(SUGGESTION, &r.id, &e)),
            }
        }
        let next_cursor = if more { rows.last().map(|r| r.id.clone()) } else { None };
        Ok(Page { items, next_cursor, unreadable })
    }

    /// The audit history of a suggestion.
    pub fn suggestion_history(
        &self,
        p: &Principal,
        key: &str,
    ) -> Result<Vec<crate::views::HistoryEntry>, AppError> {
        let v = self.suggestion(p, key)?;
        // A transferred item's history begins where it was first received (转办: handed over with its
        // history): the other procuratorate's records of that one item, then this one's.
        let origin = v.suggestion.transferred_from.clone();
        let (mut recs, origin_item) = match &origin {
            Some(o) => self.read(|q| {
                let item = find_suggestion(q, &o.from, &o.suggestion.to_string()).ok();
                Ok((q.history(&o.from, &o.suggestion.to_string())?, item))
            })?,
            None => (Vec::new(), None),
        };
        let from_origin = recs.len();
        recs.extend(self.read(|q| q.history(&p.tenant, &v.suggestion.id.to_string()))?);
        let shown = Shown::to(p, &v.suggestion);
        let mut out: Vec<crate::views::HistoryEntry> = recs
            .into_iter()
            .enumerate()
            .map(|(i, r)| crate::views::HistoryEntry {
                procuratorate: origin
                    .as_ref()
                    .filter(|_| i < from_origin)
                    .map(|o| o.from_name.as_str().to_owned()),
                seq: r.seq,
                at: r.at,
                actor: r.actor_name,
                via: r.actor_via,
                kind: r.kind,
                reason: r.reason,
                payload: {
                    let mut v = serde_json::from_str(&r.payload).unwrap_or_default();
                    if !shown.confidential {
                        withhold_in_payload(&mut v);
                    }
                    v
                },
                concerns: None,
            })
            .collect();
        // A deputy's account: not the readers of a publication, their views and ratings.
        if let Some(d) = shown.deputy {
            let own = d.to_string();
            out.retain(|e| {
                !matches!(e.kind.as_str(), "suggestion.viewed" | "suggestion.body_rated")
                    || e.payload.get("deputy").and_then(|x| x.as_str()) == Some(own.as_str())
            });
        }
        // The deputy an event names (a rating, a withdrawal …), by name rather than by id.
        let named = |e: &crate::views::HistoryEntry| {
            e.payload.get("deputy").and_then(|d| d.as_str()).and_then(|d| DeputyId::parse(d).ok())
        };
        let people = self.people(p, out.iter().filter_map(named))?;
        for e in &mut out {
            e.concerns = match (&e.procuratorate, &origin_item) {
                // The other procuratorate's deputy ids: named as its item named them, by name and level.
                (Some(_), Some(o)) => named(e).map(|d| {
                    let mut signers = o.proposers.iter().chain(&o.withdrawn).chain(&o.panel);
                    signers.find(|s| s.deputy == d).map_or_else(
                        || "代表".to_owned(),
                        |s| format!("{}（{}）", s.name.as_str(), s.level.zh()),
                    )
                }),
                (Some(_), None) => None,
                (None, _) => named(e).map(|d| crate::shown(&people, &d.to_string())),
            };
        }
        Ok(out)
    }

    /// The figures of the suggestions received in `[from, to]`, grouped.
    pub fn suggestion_figures(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        group_by: GroupBy,
    ) -> Result<FiguresView, AppError> {
        let (facts, today) = self.suggestion_facts(p, from, to)?;
        Ok(figures_view(figures_of_facts(&facts, from, to, group_by, today)))
    }

    /// The figures of `[from, to]` grouped, and the same figures month by month (one row per calendar
    /// month the period touches, each labelled `2026-03`), from one read: what a dashboard draws (a bar
    /// per group, a line over the months) with the same definitions as `suggestion_figures`.
    pub fn suggestion_figures_monthly(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        group_by: GroupBy,
    ) -> Result<(FiguresView, Vec<FigureRowView>), AppError> {
        let (facts, today) = self.suggestion_facts(p, from, to)?;
        let grouped = figures_view(figures_of_facts(&facts, from, to, group_by, today));
        Ok((grouped, monthly(&facts, from, to, today)))
    }

    /// The stored facts of the suggestions received in `[from, to]`, and today (China time).
    fn suggestion_facts(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<SuggestionFacts>, NaiveDate), AppError> {
        p.require(Action::ReadFigures)?;
        if to < from {
            return Err(AppError::invalid("to", &ValueError::Mismatch("from")));
        }
        let today = self.meta(p, None).today();
        Ok((self.facts_in(&p.tenant, from, to)?, today))
    }

    /// The stored facts of a tenant's suggestions received in `[from, to]`, whoever asks: the caller has
    /// checked the right to read them (figures, the scorecard, the public figures).
    pub(crate) fn facts_in(
        &self,
        tenant: &TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SuggestionFacts>, AppError> {
        let q = RecordQuery {
            opened_from: Some(from.to_string()),
            opened_to: Some(to.to_string()),
            ..RecordQuery::default()
        };
        // The facts stored beside each suggestion (a few hundred bytes), or, for one saved before facts
        // were kept, the facts of its whole record.
        self.read(|s| s.record_summaries(tenant, SUGGESTION, &q))?
            .iter()
            .map(|r| match r {
                liaison_store::Summary::Summary(json) => serde_json::from_str(json).map_err(json_err),
                liaison_store::Summary::Data(json) => serde_json::from_str::<Suggestion>(json)
                    .map(|s| SuggestionFacts::of(&s))
                    .map_err(json_err),
            })
            .collect()
    }
}

/// The figures of `[from, to]` month by month: one row per calendar month the period touches, each
/// labelled `2026-03`, with the same definitions as the grouped figures (dashboards and reports alike).
/// The items are sorted into their months in one pass (a national year's million items: a pass per month
/// was twelve).
pub(crate) fn monthly(
    facts: &[SuggestionFacts],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Vec<FigureRowView> {
    let mut sums = MonthlySums::new(from, to, today);
    facts.iter().for_each(|f| sums.add(f));
    sums.finish()
}

/// Month-by-month figures being summed: each calendar month of the period its own sums (the first and
/// last month cut to the period), so runs of items summed apart merge like the grouped figures.
#[derive(Debug, Clone)]
pub(crate) struct MonthlySums {
    from: NaiveDate,
    to: NaiveDate,
    months: Vec<(NaiveDate, FigureSums)>,
}

impl MonthlySums {
    /// Nothing summed yet: every month at zero.
    pub(crate) fn new(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Self {
        let mut months = Vec::new();
        let mut start = from;
        while start <= to {
            let next = start
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| chrono::Datelike::with_day(&d, 1))
                .unwrap_or(NaiveDate::MAX);
            let end = next.pred_opt().unwrap_or(next).min(to);
            months.push((start, FigureSums::new(start, end, GroupBy::All, today)));
            if next == NaiveDate::MAX {
                break;
            }
            start = next;
        }
        Self { from, to, months }
    }

    /// Add an item (left out unless received in the period).
    pub(crate) fn add(&mut self, f: &SuggestionFacts) {
        use chrono::Datelike;
        if f.received_on < self.from || f.received_on > self.to {
            return;
        }
        let n = (f.received_on.year() - self.from.year()) * 12 + f.received_on.month() as i32
            - self.from.month() as i32;
        if let Some((_, month)) = usize::try_from(n).ok().and_then(|i| self.months.get_mut(i)) {
            month.add(f);
        }
    }

    /// Take in the sums of the items that came after these (the same period and day).
    pub(crate) fn merge(&mut self, later: MonthlySums) {
        for ((_, mine), (_, theirs)) in self.months.iter_mut().zip(later.months) {
            mine.merge(theirs);
        }
    }

    /// A row per month.
    pub(crate) fn finish(self) -> Vec<FigureRowView> {
        self.months
            .into_iter()
            .map(|(start, sums)| {
                let mut row: FigureRowView = sums.finish().total.into();
                row.counts.key = start.format("%Y-%m").to_string();
                row.counts.label = row.counts.key.clone();
                row
            })
            .collect()
    }
}

pub(crate) fn figures_view(f: Figures) -> FiguresView {
    FiguresView {
        from: f.from,
        to: f.to,
        rows: f.rows.into_iter().map(Into::into).collect(),
        total: f.total.into(),
    }
}
